//! The Prometheus text exposition format (version 0.0.4) of a [`Summary`] and the event
//! counts: what node_exporter's textfile collector reads. Pure: the command writes it.

use std::fmt::Write;

use crate::policy::State;
use crate::summary::{OrgCounts, Summary};

/// One gauge family per organisation: name, help, and the count it shows.
type PerOrg = (&'static str, &'static str, fn(&OrgCounts) -> u64);

const PER_ORG: &[PerOrg] = &[
    (
        "twofa_accounts_required",
        "Accounts whose organisation requires 2FA (exempt ones excluded).",
        |c| c.required,
    ),
    (
        "twofa_accounts_non_compliant",
        "Accounts required to have 2FA, without it, and past their deadline.",
        |c| c.non_compliant,
    ),
    (
        "twofa_accounts_locked",
        "Accounts locked after too many failed codes.",
        |c| c.locked,
    ),
    (
        "twofa_accounts_exempt",
        "Accounts exempt from their organisation's requirement.",
        |c| c.exempt,
    ),
    (
        "twofa_recovery_codes_low",
        "Accounts with 2FA enabled and at most 2 unspent recovery codes.",
        |c| c.recovery_low,
    ),
    (
        "twofa_devices",
        "Enabled TOTP devices (an account has up to 5).",
        |c| c.devices,
    ),
    (
        "twofa_accounts_with_backup_device",
        "Accounts with two enabled TOTP devices or more.",
        |c| c.backup_device,
    ),
    (
        "twofa_deadlines_within_7d",
        "Required accounts without 2FA whose deadline is within the next 7 days.",
        |c| c.deadlines_within_7d,
    ),
];

/// Escapes a label value: backslash, double quote and line feed (the format's rules).
fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The exposition text; `events` are (action, count) pairs.
pub fn render(summary: &Summary, events: &[(String, u64)]) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "twofa_accounts",
        "gauge",
        "Accounts by organisation and 2FA state (org \"\" for accounts without one).",
    );
    for (org, counts) in &summary.orgs {
        for state in [State::Enabled, State::Pending, State::Disabled] {
            let _ = writeln!(
                out,
                "twofa_accounts{{org=\"{}\",state=\"{}\"}} {}",
                label(org),
                state.as_str(),
                counts.by_state(state)
            );
        }
    }
    for (name, help, value) in PER_ORG {
        family(&mut out, name, "gauge", help);
        for (org, counts) in &summary.orgs {
            let _ = writeln!(out, "{name}{{org=\"{}\"}} {}", label(org), value(counts));
        }
    }
    family(
        &mut out,
        "twofa_requests_pending",
        "gauge",
        "Requests waiting for approval (the four-eyes rule), by organisation.",
    );
    let orgs = summary.orgs.keys().chain(summary.pending_requests.keys());
    for org in orgs.collect::<std::collections::BTreeSet<_>>() {
        let n = summary.pending_requests.get(org).copied().unwrap_or(0);
        let _ = writeln!(out, "twofa_requests_pending{{org=\"{}\"}} {n}", label(org));
    }
    family(
        &mut out,
        "twofa_events_total",
        "counter",
        "Events written to the log, by action (pruned ones included).",
    );
    for (action, n) in events {
        let _ = writeln!(
            out,
            "twofa_events_total{{action=\"{}\"}} {n}",
            label(action)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StatusRow;

    fn row(email: &str, org: Option<&str>, state: State) -> StatusRow {
        StatusRow::bare(email, org, state)
    }

    #[test]
    fn families_have_help_and_type_and_the_counts() {
        let mut s = Summary::new(0, 0, ["acme".to_string()]);
        let mut two = row("a@x.io", Some("acme"), State::Enabled);
        two.devices = 2;
        s.add(&two);
        s.add(&row("b@x.io", None, State::Disabled));
        s.pending_requests.insert("acme".into(), 2);
        let text = render(&s, &[("reset".into(), 3)]);
        assert!(text.contains("twofa_devices{org=\"acme\"} 2\n"), "{text}");
        assert!(text.contains("twofa_accounts_with_backup_device{org=\"acme\"} 1\n"));
        assert!(text.contains("twofa_accounts_with_backup_device{org=\"\"} 0\n"));
        assert!(text.contains("twofa_requests_pending{org=\"acme\"} 2\n"));
        assert!(text.contains("twofa_requests_pending{org=\"\"} 0\n"));
        assert!(text.contains("twofa_accounts{org=\"acme\",state=\"enabled\"} 1\n"));
        assert!(text.contains("twofa_accounts{org=\"acme\",state=\"pending\"} 0\n"));
        assert!(text.contains("twofa_accounts{org=\"\",state=\"disabled\"} 1\n"));
        assert!(text.contains("twofa_events_total{action=\"reset\"} 3\n"));
        for name in [
            "twofa_accounts",
            "twofa_accounts_non_compliant",
            "twofa_accounts_locked",
            "twofa_accounts_exempt",
            "twofa_recovery_codes_low",
            "twofa_deadlines_within_7d",
            "twofa_requests_pending",
            "twofa_events_total",
        ] {
            assert!(text.contains(&format!("# HELP {name} ")), "{name}");
            assert!(text.contains(&format!("# TYPE {name} ")), "{name}");
        }
        // Every sample line is `name{labels} value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (series, value) = line.rsplit_once(' ').unwrap();
            assert!(series.ends_with('}'), "{line}");
            value.parse::<u64>().unwrap();
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(label("x\ny"), "x\\ny");
    }
}
