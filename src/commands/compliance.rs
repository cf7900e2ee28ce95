//! `metrics` (Prometheus text) and `report` (a self-contained HTML page): both count the
//! audit's status rows in one streamed pass (summary.rs) and render the result.

use anyhow::Result;

use crate::cli::Format;
use crate::cli::{MetricsArgs, ReportArgs, output_file};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, usage};
use crate::model::{StatusRow, normalise_org};
use crate::output::write_file_atomically;
use crate::store::{AccountFilter, OpenMode, Store};
use crate::summary::Summary;

/// Streams the accounts (of `org`, or all) through the audit's status rows into a summary
/// that keeps at most `cap` rows per list.
fn summarise(ctx: &Ctx, store: &mut dyn Store, org: Option<&str>, cap: usize) -> Result<Summary> {
    let now = ctx.now();
    let orgs: Vec<String> = store
        .org_slugs()?
        .into_iter()
        .filter(|slug| org.is_none_or(|o| o == slug))
        .collect();
    let mut summary = Summary::new(now, cap, orgs);
    let filter = AccountFilter {
        org: org.map(str::to_string),
        state: None,
        required_only: false,
        now,
        contains: None,
    };
    store.records(&filter, &mut |record| {
        summary.add(&StatusRow::new(record, now));
        Ok(())
    })?;
    Ok(summary)
}

/// Writes `text` to `-o FILE` (atomically) or to stdout.
fn emit(ctx: &mut Ctx, output: Option<&std::path::Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => {
            write_file_atomically(path, text.as_bytes())?;
            ctx.note(format!("twofa: wrote {}", path.display()));
            Ok(())
        }
        None => ctx.out.text(text),
    }
}

/// Refuses a `--format` (or `TWOFA_FORMAT`) other than the default for a command that
/// writes one format only, rather than ignoring it.
fn one_format(ctx: &Ctx, what: &str, instead: &str) -> Result<()> {
    if ctx.format() == Format::Table {
        return Ok(());
    }
    Err(usage(format!(
        "{what}; leave out --format (and TWOFA_FORMAT), or {instead}"
    )))
}

/// `twofa metrics`.
pub fn metrics(ctx: &mut Ctx, args: &MetricsArgs) -> Result<ExitCode> {
    one_format(
        ctx,
        "metrics writes the Prometheus text format only",
        "use 'twofa audit --format json' for the accounts as JSON",
    )?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let mut summary = summarise(ctx, store.as_mut(), None, 0)?;
    summary.pending_requests = store.pending_requests(ctx.now())?.into_iter().collect();
    // Events stored under an action's old name count as what it is called now.
    let mut events: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (action, n) in store.event_counts()? {
        *events
            .entry(crate::actions::current(&action).to_string())
            .or_default() += n;
    }
    let events: Vec<(String, u64)> = events.into_iter().collect();
    let text = crate::metrics::render(&summary, &events);
    emit(ctx, output_file(&args.output), &text)?;
    Ok(ExitCode::Success)
}

/// `twofa report`.
pub fn report(ctx: &mut Ctx, args: &ReportArgs) -> Result<ExitCode> {
    one_format(
        ctx,
        "report writes an HTML page only",
        "use 'twofa audit --format json' for the accounts as JSON",
    )?;
    let org = args.org.as_deref().map(normalise_org).transpose()?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let org = super::org_filter(store.as_mut(), org)?;
    let mut summary = summarise(ctx, store.as_mut(), org.as_deref(), args.max_rows)?;
    summary.pending_requests = store
        .pending_requests(ctx.now())?
        .into_iter()
        .filter(|(o, _)| org.as_ref().is_none_or(|want| want == o))
        .collect();
    let database = ctx.db_display().into_owned();
    let html = crate::report::render(
        &summary,
        &crate::report::Meta {
            generated_at: ctx.now(),
            database: &database,
            org: org.as_deref(),
            version: env!("CARGO_PKG_VERSION"),
        },
    );
    emit(ctx, output_file(&args.output), &html)?;
    Ok(ExitCode::Success)
}
