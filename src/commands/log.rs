//! `log`: the event log, newest first.

use anyhow::Result;

use crate::cli::LogArgs;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::ctx::Ctx;
use crate::exit::ExitCode;
use crate::model::{Event, normalise_email};
use crate::output::{Row, cell};
use crate::store::{EventFilter, OpenMode};

impl Row for Event {
    const FIELDS: &'static [&'static str] = &["at", "actor", "action", "email", "org", "detail"];

    fn cells(&self) -> Vec<String> {
        vec![
            rfc3339(self.at),
            self.actor.clone(),
            self.action.clone(),
            cell(self.email.as_ref()),
            cell(self.org.as_ref()),
            cell(self.detail.as_ref()),
        ]
    }
}

/// `twofa log`.
pub fn run(ctx: &mut Ctx, args: &LogArgs) -> Result<ExitCode> {
    let filter = EventFilter {
        email: args.user.as_deref().map(normalise_email).transpose()?,
        since: args.since.as_deref().map(parse_rfc3339).transpose()?,
        limit: args.limit,
    };
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut list = ctx.out.list::<Event>()?;
    store.events(&filter, &mut |e| list.push(&e))?;
    list.finish()?;
    Ok(ExitCode::Success)
}
