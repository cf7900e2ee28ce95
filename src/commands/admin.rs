//! `init` and `check`.

use anyhow::Result;
use serde::Serialize;

use crate::app::Ctx;
use crate::crypto::key_id_hex;
use crate::exit::{ExitCode, database};
use crate::output::{Human, Output};
use crate::store::OpenMode;

#[derive(Serialize)]
struct Ready {
    db: String,
    key_file: String,
    key_id: Option<String>,
}

impl Human for Ready {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "account database {} is ready (key file {})",
            self.db, self.key_file
        ))
    }
}

/// `twofa init`.
pub fn init(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Init)?;
    let key = ctx.key(store.as_mut())?;
    ctx.out.object(&Ready {
        db: ctx.db.clone(),
        key_file: ctx.key_file.display().to_string(),
        key_id: Some(key_id_hex(&key.id())),
    })?;
    Ok(ExitCode::Success)
}

#[derive(Serialize)]
struct Checked {
    secrets: u64,
    failed: Vec<String>,
}

impl Human for Checked {
    fn human(&self, out: &mut Output) -> Result<()> {
        if self.failed.is_empty() {
            return out.line(format!("all {} secret(s) open with this key", self.secrets));
        }
        out.line(format!(
            "{} of {} secret(s) do not open with this key:",
            self.failed.len(),
            self.secrets
        ))?;
        for email in &self.failed {
            out.line(format!("  {email}"))?;
        }
        Ok(())
    }
}

/// `twofa check`: opens every secret; reports (never prints) those that fail.
pub fn check(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let key = ctx.key(store.as_mut())?;
    let mut result = Checked {
        secrets: 0,
        failed: Vec::new(),
    };
    store.secrets(&mut |account_id, email, sealed| {
        result.secrets += 1;
        if key.open(account_id, sealed).is_err() {
            result.failed.push(email.to_string());
        }
        Ok(())
    })?;
    ctx.out.object(&result)?;
    if result.failed.is_empty() {
        Ok(ExitCode::Success)
    } else {
        Err(database(format!(
            "{} secret(s) do not open with key {}",
            result.failed.len(),
            key_id_hex(&key.id())
        )))
    }
}
