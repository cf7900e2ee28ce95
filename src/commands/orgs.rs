//! `org add` and `org list`.

use anyhow::Result;
use serde::Serialize;

use crate::clock::rfc3339;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, refused};
use crate::model::normalise_org;
use crate::output::{Human, Output, Row, cell, yes_no};
use crate::store::OpenMode;

#[derive(Serialize)]
struct OrgRow {
    org: String,
    name: Option<String>,
    required: bool,
    grace_days: u32,
    #[serde(serialize_with = "crate::output::opt_time")]
    since: Option<i64>,
    accounts: u64,
    enabled: u64,
}

impl Row for OrgRow {
    const FIELDS: &'static [&'static str] = &[
        "org",
        "name",
        "required",
        "grace_days",
        "since",
        "accounts",
        "enabled",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.org.clone(),
            cell(self.name.as_ref()),
            yes_no(self.required),
            self.grace_days.to_string(),
            cell(self.since.map(rfc3339)),
            self.accounts.to_string(),
            self.enabled.to_string(),
        ]
    }
}

#[derive(Serialize)]
struct Added {
    org: String,
    name: Option<String>,
}

impl Human for Added {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!("added organisation {}", self.org))
    }
}

/// `twofa org add ORG [--name TEXT]`.
pub fn add(ctx: &mut Ctx, org: &str, name: Option<String>) -> Result<ExitCode> {
    let org = normalise_org(org)?;
    let name = name
        .as_deref()
        .map(|n| crate::text::label("name", n))
        .transpose()?
        .flatten();
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    // Organisation ids are case-insensitive: 'Acme' written into the database by hand is
    // 'acme' already.
    if let Some(existing) = tx.org(&org)? {
        return Err(refused(format!(
            "organisation '{}' already exists",
            existing.slug
        )));
    }
    tx.add_org(&org, name.as_deref(), ctx.now())?;
    let mut event = ctx.event("org.add");
    event.org = Some(org.clone());
    tx.log(event)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&Added { org, name })?;
    Ok(ExitCode::Success)
}

/// `twofa org list`.
pub fn list(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let orgs = store.orgs()?;
    let mut list = ctx.out.list::<OrgRow>()?;
    for o in orgs {
        list.push(&OrgRow {
            org: o.org.slug,
            name: o.org.name,
            required: o.org.policy.required,
            grace_days: o.org.policy.grace_days,
            since: o.org.policy.since,
            accounts: o.accounts,
            enabled: o.enabled,
        })?;
    }
    list.finish()?;
    Ok(ExitCode::Success)
}
