//! The HTML compliance report: one self-contained page (inline CSS and SVG, no script, no
//! font or image from anywhere) that reads offline and prints. Pure: it renders a
//! [`Summary`]; every text from the database is HTML-escaped.

use std::fmt::Write;

use crate::clock::{Timestamp, rfc3339};
use crate::model::StatusRow;
use crate::summary::{Capped, OrgCounts, Summary};

/// What the page says about where its figures come from.
pub struct Meta<'a> {
    pub generated_at: Timestamp,
    /// The database, as messages show it (a URL without its password).
    pub database: &'a str,
    /// The organisation the report is limited to, if any.
    pub org: Option<&'a str>,
    pub version: &'a str,
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters would be invisible (or break the page): show them as
            // escapes, as the terminal output does.
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1d2330; background: #fff; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #d5d9e0; padding-bottom: .3rem; }
p.meta { color: #566; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1.2rem 0; }
.card { border: 1px solid #d5d9e0; border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; }
.card.bad b { color: #b3261e; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin-top: .6rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e3e6eb; }
th { background: #f3f5f8; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.bad td.n.nc { color: #b3261e; font-weight: 600; }
p.more { color: #566; font-style: italic; }
svg text { font-family: inherit; font-size: 12px; fill: #1d2330; }
.legend span { display: inline-block; margin-right: 1.2rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"#;

const ENABLED: &str = "#2e7d32";
const PENDING: &str = "#f9a825";
const WITHOUT: &str = "#b0b7c3";
const COMPLIANT: &str = "#2e7d32";
const NON_COMPLIANT: &str = "#c62828";

fn org_name(org: &str) -> String {
    if org.is_empty() {
        "(no organisation)".to_string()
    } else {
        escape(org)
    }
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// A horizontal bar per organisation, split into coloured segments proportional to their
/// share of the bar's total.
fn stacked_bars(
    out: &mut String,
    title: &str,
    rows: &[(String, Vec<u64>)],
    colours: &[(&str, &str)],
) {
    const LABEL: u32 = 200;
    const BAR: u32 = 560;
    const ROW: u32 = 30;
    let height = ROW * rows.len() as u32 + 10;
    let width = LABEL + BAR + 90;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{}</title>"#,
        escape(title)
    );
    for (i, (org, values)) in rows.iter().enumerate() {
        let y = 5 + ROW * i as u32;
        let total: u64 = values.iter().sum();
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            LABEL - 8,
            y + 16,
            truncate(&org_name(org), 28)
        );
        let _ = write!(
            out,
            r##"<rect x="{LABEL}" y="{}" width="{BAR}" height="20" fill="#f3f5f8"/>"##,
            y + 2
        );
        let mut x = f64::from(LABEL);
        for (v, (colour, name)) in values.iter().zip(colours) {
            if *v == 0 || total == 0 {
                continue;
            }
            let w = f64::from(BAR) * *v as f64 / total as f64;
            let _ = write!(
                out,
                r#"<rect x="{x:.2}" y="{}" width="{w:.2}" height="20" fill="{colour}"><title>{}: {v}</title></rect>"#,
                y + 2,
                escape(name)
            );
            x += w;
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{total}</text>"#,
            LABEL + BAR + 8,
            y + 16
        );
    }
    out.push_str("</svg>");
    out.push_str(r#"<div class="legend">"#);
    for (colour, name) in colours {
        let _ = write!(
            out,
            r#"<span><i style="background:{colour}"></i>{}</span>"#,
            escape(name)
        );
    }
    out.push_str("</div>");
}

/// At most `n` characters (of already escaped text, so an entity is never cut).
fn truncate(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(n).collect();
    if let Some(amp) = cut.rfind('&')
        && !cut[amp..].contains(';')
    {
        cut.truncate(amp);
    }
    cut.push('…');
    cut
}

fn time(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".to_string(), rfc3339)
}

fn accounts_table(out: &mut String, rows: &[&StatusRow], total: u64, empty: &str) {
    if total == 0 {
        let _ = write!(out, "<p>{}</p>", escape(empty));
        return;
    }
    out.push_str(
        "<table><thead><tr><th>Email</th><th>Organisation</th><th>State</th><th>Deadline</th>\
         <th class=\"n\">Recovery codes left</th><th>Locked</th></tr></thead><tbody>",
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&r.email),
            org_name(r.org.as_deref().unwrap_or("")),
            r.state.as_str(),
            time(r.deadline),
            r.recovery_codes_left,
            if r.locked { "yes" } else { "no" }
        );
    }
    out.push_str("</tbody></table>");
    let more = total - rows.len() as u64;
    if more > 0 {
        let _ = write!(
            out,
            "<p class=\"more\">… and {more} more (first {} of {total} shown; \
             <code>twofa audit --format csv</code> lists them all).</p>",
            rows.len()
        );
    }
}

fn capped(out: &mut String, list: &Capped, empty: &str) {
    let rows: Vec<&StatusRow> = list.rows.iter().collect();
    accounts_table(out, &rows, list.total, empty);
}

fn card(out: &mut String, label: &str, value: impl std::fmt::Display, bad: bool) {
    let _ = write!(
        out,
        "<div class=\"card{}\"><b>{value}</b>{}</div>",
        if bad { " bad" } else { "" },
        escape(label)
    );
}

/// The whole page.
pub fn render(summary: &Summary, meta: &Meta<'_>) -> String {
    let total = summary.total();
    let mut out = String::with_capacity(64 * 1024);
    let title = match meta.org {
        Some(org) => format!("2FA compliance report: {}", escape(org)),
        None => "2FA compliance report".to_string(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"twofa {}\"><title>{title}</title><style>{STYLE}</style></head><body>",
        escape(meta.version)
    );
    let _ = write!(
        out,
        "<h1>{title}</h1><p class=\"meta\">Generated {} by twofa {} from <code>{}</code>.</p>",
        rfc3339(meta.generated_at),
        escape(meta.version),
        escape(meta.database)
    );

    out.push_str("<div class=\"cards\">");
    card(&mut out, "accounts", total.accounts, false);
    card(
        &mut out,
        &format!("2FA enabled ({})", percent(total.enabled, total.accounts)),
        total.enabled,
        false,
    );
    card(
        &mut out,
        &format!(
            "with a backup device ({})",
            percent(total.backup_device, total.enabled)
        ),
        total.backup_device,
        false,
    );
    card(&mut out, "pending", total.pending, false);
    card(&mut out, "without 2FA", total.disabled, false);
    card(
        &mut out,
        "non-compliant",
        total.non_compliant,
        total.non_compliant > 0,
    );
    card(&mut out, "locked", total.locked, total.locked > 0);
    card(
        &mut out,
        "deadlines within 7 days",
        total.deadlines_within_7d,
        false,
    );
    let pending: u64 = summary.pending_requests.values().sum();
    card(&mut out, "requests awaiting approval", pending, pending > 0);
    out.push_str("</div>");

    out.push_str("<h2>Adoption per organisation</h2>");
    let adoption: Vec<(String, Vec<u64>)> = summary
        .orgs
        .iter()
        .map(|(org, c)| (org.clone(), vec![c.enabled, c.pending, c.disabled]))
        .collect();
    stacked_bars(
        &mut out,
        "Accounts per organisation by 2FA state",
        &adoption,
        &[
            (ENABLED, "enabled"),
            (PENDING, "pending"),
            (WITHOUT, "without 2FA"),
        ],
    );

    out.push_str("<h2>Required and compliant</h2>");
    let required: Vec<(String, Vec<u64>)> = summary
        .orgs
        .iter()
        .filter(|(_, c)| c.required > 0)
        .map(|(org, c)| {
            (
                org.clone(),
                vec![c.required_compliant, c.required - c.required_compliant],
            )
        })
        .collect();
    if required.is_empty() {
        out.push_str("<p>No organisation requires 2FA.</p>");
    } else {
        stacked_bars(
            &mut out,
            "Required accounts per organisation: compliant and not",
            &required,
            &[(COMPLIANT, "compliant"), (NON_COMPLIANT, "non-compliant")],
        );
    }
    org_table(&mut out, summary);

    out.push_str("<h2>Upcoming deadlines</h2>");
    let upcoming = summary.upcoming();
    accounts_table(
        &mut out,
        &upcoming,
        summary.upcoming_total,
        "No required account without 2FA has a deadline ahead.",
    );
    out.push_str("<h2>Non-compliant accounts</h2>");
    capped(
        &mut out,
        &summary.non_compliant,
        "Every account is compliant.",
    );
    out.push_str("<h2>Locked accounts</h2>");
    capped(&mut out, &summary.locked, "No account is locked.");
    out.push_str("<h2>Few recovery codes left</h2>");
    capped(
        &mut out,
        &summary.recovery_low,
        "Every account with 2FA has more than 2 recovery codes left.",
    );
    out.push_str("<h2>Requests awaiting approval</h2>");
    if pending == 0 {
        out.push_str("<p>No request waits for approval.</p>");
    } else {
        out.push_str(
            "<table><thead><tr><th>organisation</th><th>pending requests</th></tr></thead><tbody>",
        );
        for (org, n) in &summary.pending_requests {
            let shown = if org.is_empty() { "(none)" } else { org };
            let _ = write!(out, "<tr><td>{}</td><td>{n}</td></tr>", escape(shown));
        }
        out.push_str("</tbody></table><p>List them with <code>twofa requests</code>.</p>");
    }
    out.push_str("</body></html>\n");
    out
}

fn org_table(out: &mut String, summary: &Summary) {
    out.push_str(
        "<table><thead><tr><th>Organisation</th><th class=\"n\">Accounts</th>\
         <th class=\"n\">Enabled</th><th class=\"n\">Pending</th><th class=\"n\">Without 2FA</th>\
         <th class=\"n\">Required</th><th class=\"n\">Compliant</th><th class=\"n\">Non-compliant</th>\
         <th class=\"n\">Exempt</th><th class=\"n\">Locked</th><th class=\"n\">Few codes</th>\
         <th class=\"n\">Backup device</th></tr></thead><tbody>",
    );
    let row = |out: &mut String, name: &str, c: &OrgCounts| {
        let _ = write!(
            out,
            "<tr{}><td>{name}</td><td class=\"n\">{}</td><td class=\"n\">{} ({})</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n nc\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if c.non_compliant > 0 {
                " class=\"bad\""
            } else {
                ""
            },
            c.accounts,
            c.enabled,
            percent(c.enabled, c.accounts),
            c.pending,
            c.disabled,
            c.required,
            c.required_compliant,
            c.non_compliant,
            c.exempt,
            c.locked,
            c.recovery_low,
            c.backup_device,
        );
    };
    for (org, c) in &summary.orgs {
        row(out, &org_name(org), c);
    }
    if summary.orgs.len() > 1 {
        row(out, "<b>all</b>", summary.total());
    }
    out.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::State;

    fn row(email: &str, org: Option<&str>, state: State) -> StatusRow {
        StatusRow {
            required: true,
            compliant: state == State::Enabled,
            deadline: Some(0),
            ..StatusRow::bare(email, org, state)
        }
    }

    fn meta() -> Meta<'static> {
        Meta {
            generated_at: 1_800_000_000,
            database: "postgres://app@db/app",
            org: None,
            version: "0.1.0",
        }
    }

    #[test]
    fn escapes_what_the_database_holds() {
        assert_eq!(
            escape(r#"<script>"a"&'b'</script>"#),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1b}b"), "a\\u{1b}b");
        let mut s = Summary::new(1_800_000_000, 10, ["acme".to_string()]);
        s.add(&row("<img src=x>@evil.io", Some("acme"), State::Disabled));
        let html = render(&s, &meta());
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x&gt;@evil.io"));
    }

    #[test]
    fn self_contained_with_a_chart_and_every_org() {
        let mut s = Summary::new(1_800_000_000, 10, ["empty".to_string()]);
        let mut two = row("a@x.io", Some("acme"), State::Enabled);
        two.devices = 2;
        s.add(&two);
        s.add(&row("c@x.io", Some("acme"), State::Enabled));
        s.add(&row("b@x.io", None, State::Disabled));
        let html = render(&s, &meta());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains("with a backup device (50.0%)"),
            "one of two enabled accounts: {html}"
        );
        assert!(html.contains("<svg"));
        for org in ["acme", "empty", "(no organisation)"] {
            assert!(html.contains(org), "{org}");
        }
        assert!(html.contains("b@x.io"));
        let lower = html.to_lowercase();
        for bad in ["<script", " src=", "@import", "url(", "<link"] {
            assert!(!lower.contains(bad), "{bad}");
        }
        // The only href-like text is the SVG namespace, which loads nothing.
        assert!(!lower.contains("href"));
    }

    #[test]
    fn truncation_never_cuts_an_entity() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("ab&amp;cd", 4), "ab…");
        assert_eq!(truncate("ab&amp;cd", 7), "ab&amp;…");
    }
}
