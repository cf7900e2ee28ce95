//! `status` (one account) and `audit` (every account, streamed, with a summary).

use std::borrow::Cow;
use std::collections::BTreeMap;

use anyhow::Result;

use crate::cli::{AuditArgs, Format};
use crate::clock::Timestamp;
use crate::clock::rfc3339;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, QuietExit, is_closed_pipe};
use crate::model::{StatusRow, normalise_email, normalise_org};
use crate::output::{Human, Output, Row, cell, counted, yes_no};
use crate::policy::State;
use crate::store::{AccountFilter, OpenMode};
use crate::text::csv_cell;

use super::devices::{Waiting, waiting};

impl Row for StatusRow {
    const FIELDS: &'static [&'static str] = &[
        "email",
        "org",
        "state",
        "enrolled_at",
        "last_used_at",
        "recovery_codes_left",
        "locked",
        "required",
        "compliant",
        "deadline",
        "failed_attempts",
        "locked_until",
        "pending_expires_at",
        "exempt_until",
        "drift_steps",
        "external_id",
        "devices",
        "access_code_expires_at",
    ];
    const DROP_ORDER: &'static [&'static str] = &[
        "access_code_expires_at",
        "external_id",
        "devices",
        "drift_steps",
        "exempt_until",
        "pending_expires_at",
        "last_used_at",
        "enrolled_at",
        "recovery_codes_left",
        "locked_until",
        "failed_attempts",
        "required",
        "locked",
        "deadline",
        "org",
        "compliant",
    ];
    const ZERO_IS_EMPTY: &'static [&'static str] = &["failed_attempts", "drift_steps", "devices"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            cell(self.org.as_ref()),
            self.state.as_str().to_string(),
            cell(self.enrolled_at.map(rfc3339)),
            cell(self.last_used_at.map(rfc3339)),
            self.recovery_codes_left.to_string(),
            yes_no(self.locked),
            yes_no(self.required),
            yes_no(self.compliant),
            cell(self.deadline.map(rfc3339)),
            self.failed_attempts.to_string(),
            match (self.locked, self.locked_until) {
                (true, None) => "until unlock".to_string(),
                (_, until) => cell(until.map(rfc3339)),
            },
            cell(self.pending_expires_at.map(rfc3339)),
            cell(self.exempt_until.map(rfc3339)),
            self.drift_steps.to_string(),
            cell(self.external_id.as_ref()),
            self.devices.to_string(),
            cell(self.access_code_expires_at.map(rfc3339)),
        ]
    }

    fn csv_record(&self) -> Result<Vec<Cow<'_, str>>> {
        fn text(s: Option<&str>) -> Cow<'_, str> {
            s.map_or(Cow::Borrowed(""), csv_cell)
        }
        let time = |t: Option<Timestamp>| {
            t.map_or(Cow::Borrowed(""), |t| {
                Cow::Owned(csv_cell(&rfc3339(t)).into_owned())
            })
        };
        let flag = |b: bool| Cow::Borrowed(if b { "true" } else { "false" });
        Ok(vec![
            csv_cell(&self.email),
            text(self.org.as_deref()),
            Cow::Borrowed(self.state.as_str()),
            time(self.enrolled_at),
            time(self.last_used_at),
            Cow::Owned(self.recovery_codes_left.to_string()),
            flag(self.locked),
            flag(self.required),
            flag(self.compliant),
            time(self.deadline),
            Cow::Owned(self.failed_attempts.to_string()),
            time(self.locked_until),
            time(self.pending_expires_at),
            time(self.exempt_until),
            Cow::Owned(self.drift_steps.to_string()),
            text(self.external_id.as_deref()),
            Cow::Owned(self.devices.to_string()),
            time(self.access_code_expires_at),
        ])
    }
}

impl Human for StatusRow {
    fn human(&self, out: &mut Output) -> Result<()> {
        let cells = self.cells();
        let pairs: Vec<(&str, String)> = Self::FIELDS.iter().copied().zip(cells).collect();
        out.fields(&pairs)
    }
}

/// `twofa status EMAIL`.
pub fn status(ctx: &mut Ctx, email: &str) -> Result<ExitCode> {
    let email = normalise_email(email)?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let Some(record) = store.record(&email)? else {
        return Err(super::no_account_in(store.as_mut(), &email));
    };
    let now = ctx.now();
    let devices = store.credentials(record.account.id)?;
    let shown = StatusShown {
        row: StatusRow::new(record, now),
        pending_enrollments: waiting(&devices, now),
    };
    // CSV is the audit row's columns.
    if ctx.format() == Format::Csv {
        ctx.out.object(&shown.row)?;
    } else {
        ctx.out.object(&shown)?;
    }
    Ok(ExitCode::Success)
}

/// The `status` object: the account's row as `audit` shows it, and the enrollments that
/// wait for their first code (a new device, or a device's re-enrollment).
#[derive(serde::Serialize)]
struct StatusShown {
    #[serde(flatten)]
    row: StatusRow,
    /// Shown only when there is one, so that `status` is an `audit` row otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pending_enrollments: Vec<Waiting>,
}

impl Human for StatusShown {
    fn human(&self, out: &mut Output) -> Result<()> {
        let mut pairs: Vec<(&str, String)> = StatusRow::FIELDS
            .iter()
            .copied()
            .zip(self.row.cells())
            .collect();
        for w in &self.pending_enrollments {
            let line =
                crate::devices::waiting_line(&self.row.email, &w.device, w.expires_at, w.replaces);
            pairs.push(("pending", line));
        }
        out.fields(&pairs)
    }
}

#[derive(Default)]
struct Counts {
    accounts: u64,
    enabled: u64,
    pending: u64,
    disabled: u64,
    locked: u64,
    non_compliant: u64,
}

impl Counts {
    fn add(&mut self, row: &StatusRow) {
        self.accounts += 1;
        match row.state {
            State::Enabled => self.enabled += 1,
            State::Pending => self.pending += 1,
            State::Disabled => self.disabled += 1,
        }
        self.locked += u64::from(row.locked);
        self.non_compliant += u64::from(!row.compliant);
    }

    fn line(&self) -> String {
        format!(
            "{}: {} enabled, {} pending, {} disabled, {} locked, {} non-compliant",
            counted(self.accounts, "account", "accounts"),
            self.enabled,
            self.pending,
            self.disabled,
            self.locked,
            self.non_compliant
        )
    }
}

/// `twofa audit`. With `--non-compliant` the exit code is 1 whenever a non-compliant
/// account was found, also when the reader closed the pipe before its row was written
/// (`| head -1`); a closed pipe otherwise ends quietly with 0.
pub fn audit(ctx: &mut Ctx, args: &AuditArgs) -> Result<ExitCode> {
    let mut found = 0u64;
    match audit_rows(ctx, args, &mut found) {
        Err(e) if args.non_compliant && found > 0 && is_closed_pipe(&e) => {
            Err(QuietExit(ExitCode::Rejected).into())
        }
        Ok(_) if args.non_compliant && found > 0 => Ok(ExitCode::Rejected),
        Ok(_) => Ok(ExitCode::Success),
        Err(e) => Err(e),
    }
}

/// Streams the rows; counts the ones it found in `found` as it goes (before writing them).
fn audit_rows(ctx: &mut Ctx, args: &AuditArgs, found: &mut u64) -> Result<()> {
    let org = args.org.as_deref().map(normalise_org).transpose()?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let org = super::org_filter(store.as_mut(), org)?;
    let now = ctx.now();
    let filter = AccountFilter {
        org,
        state: args.state,
        required_only: args.non_compliant,
        now,
        ..AccountFilter::default()
    };
    let table = ctx.format() == Format::Table;
    let mut total = Counts::default();
    let mut per_org: BTreeMap<String, Counts> = BTreeMap::new();
    let mut list = ctx.out.list::<StatusRow>()?;
    store.records(&filter, &mut |record| {
        let row = StatusRow::new(record, now);
        if (args.non_compliant && row.compliant) || (args.locked && !row.locked) {
            return Ok(());
        }
        *found += 1;
        if table {
            total.add(&row);
            per_org
                .entry(row.org.clone().unwrap_or_else(|| "(none)".into()))
                .or_default()
                .add(&row);
        }
        list.push(&row)
    })?;
    if list.finish()? == 0 {
        let filtered =
            args.org.is_some() || args.state.is_some() || args.non_compliant || args.locked;
        ctx.nothing_found(if filtered {
            "no accounts match"
        } else {
            "no accounts yet"
        });
    }
    if table && !ctx.quiet {
        if per_org.len() > 1 {
            for (org, counts) in &per_org {
                ctx.out.line(format!("{org}: {}", counts.line()))?;
            }
        }
        ctx.out.line(format!("total: {}", total.line()))?;
    }
    // Written here, so that a closed pipe is seen while the exit code is decided.
    ctx.out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_cells;

    /// The direct CSV cells of an audit row are exactly the generic ones (serde, escaped
    /// and defused).
    #[test]
    fn csv_record_is_the_generic_csv_cells() {
        let mut rows = vec![
            StatusRow::bare("a@example.com", None, State::Disabled),
            StatusRow::bare("=cmd@example.com", Some("-team"), State::Enabled),
        ];
        let mut full = StatusRow::bare("b@example.com", Some("+acme"), State::Pending);
        full.enrolled_at = Some(1_800_000_000);
        full.last_used_at = Some(0);
        full.recovery_codes_left = 7;
        full.locked = true;
        full.required = true;
        full.compliant = false;
        full.deadline = Some(-62_135_596_900); // before year 1: not an RFC 3339 date
        full.failed_attempts = 100;
        full.locked_until = Some(253_402_300_800); // year 10000
        full.pending_expires_at = Some(1_800_000_900);
        full.exempt_until = Some(1_900_000_000);
        full.drift_steps = -3;
        full.external_id = Some("@42\n\u{1b}[2J".into());
        full.access_code_expires_at = Some(1_800_003_600);
        rows.push(full);
        for row in &rows {
            let direct: Vec<String> = row
                .csv_record()
                .unwrap()
                .into_iter()
                .map(Cow::into_owned)
                .collect();
            assert_eq!(
                direct,
                csv_cells(row, StatusRow::FIELDS).unwrap(),
                "{row:?}"
            );
        }
    }
}
