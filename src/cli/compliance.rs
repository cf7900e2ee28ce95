//! The arguments of the compliance commands: audit, metrics, report, remind.

use std::path::PathBuf;

use clap::Args;

use super::whole;
use crate::policy::State;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// Only accounts in this state
    #[arg(long, value_enum)]
    pub state: Option<State>,
    /// Only non-compliant accounts; exit 1 when any is printed
    #[arg(long)]
    pub non_compliant: bool,
    /// Only accounts locked after too many failed codes
    #[arg(long)]
    pub locked: bool,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rows per list of accounts, at most (the rest are counted)
    #[arg(long, value_name = "N", default_value_t = 1000, allow_negative_numbers = true,
          value_parser = whole::<usize>(0, u64::MAX, "rows"))]
    pub max_rows: usize,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Remind when the deadline is at most this many days away (comma-separated: 7,1)
    #[arg(
        long,
        value_name = "DAYS[,DAYS...]",
        value_delimiter = ',',
        required = true,
        allow_negative_numbers = true,
        value_parser = whole::<u32>(1, 3650, "days")
    )]
    pub before: Vec<u32>,
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// List whom it would remind; record and notify nothing
    #[arg(long)]
    pub dry_run: bool,
}
