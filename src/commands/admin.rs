//! `init`, `check` and `rekey`.

use anyhow::Result;
use serde::Serialize;

use crate::cli::RekeyArgs;
use crate::crypto::{MasterKey, key_id_hex};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, database, refused};
use crate::keys::{REKEY_FILE, REKEY_TO};
use crate::output::{Human, Output, counted};
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
        db: ctx.db_display().into_owned(),
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
            return out.line(match self.secrets {
                0 => "no secrets to open".to_string(),
                1 => "the 1 secret opens with this key".to_string(),
                n => format!("all {n} secrets open with this key"),
            });
        }
        out.line(format!(
            "{} of {} {} not open with this key:",
            self.failed.len(),
            counted(self.secrets, "secret", "secrets"),
            if self.failed.len() == 1 { "does" } else { "do" }
        ))?;
        for email in &self.failed {
            out.line(format!("  {email}"))?;
        }
        Ok(())
    }
}

/// `twofa check`: opens every secret; reports (never prints) those that fail.
pub fn check(ctx: &mut Ctx) -> Result<ExitCode> {
    crate::output::flat_only(ctx.format(), "check")?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
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
            "{} not open with key {}",
            match result.failed.len() {
                1 => "1 secret does".to_string(),
                n => format!("{n} secrets do"),
            },
            key_id_hex(&key.id())
        )))
    }
}

/// Secrets re-encrypted per transaction.
const REKEY_BATCH: u32 = 500;

#[derive(Serialize)]
struct Rekeyed {
    rekeyed: u64,
    key_id: String,
    key_file: String,
}

impl Human for Rekeyed {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "re-encrypted {} under key {} ({}); from now on use --key-file {} (or move it over the old key file)",
            counted(self.rekeyed, "secret", "secrets"),
            self.key_id,
            self.key_file,
            self.key_file
        ))
    }
}

/// `twofa rekey --new-key-file PATH`: re-encrypts every secret under a new key, in
/// batches of one transaction each. The rotation is recorded in `twofa_meta`, so a killed
/// run resumes with the same PATH, and both keys open secrets until it ends.
pub fn rekey(ctx: &mut Ctx, args: &RekeyArgs) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let old = ctx.key(store.as_mut())?;
    let path = std::path::absolute(&args.new_key_file).unwrap_or(args.new_key_file.clone());
    let shown = path.display().to_string();
    let in_progress = store.meta(REKEY_TO)?;
    let new = if path.exists() {
        let key = MasterKey::load(&path)?;
        if in_progress.as_deref() != Some(key_id_hex(&key.id()).as_str()) {
            return Err(refused(format!(
                "{shown} exists; rekey creates a new key file and never overwrites one (choose a new path)"
            )));
        }
        ctx.note(format!(
            "resuming the rotation to key {}",
            key_id_hex(&key.id())
        ));
        key
    } else {
        // Record the rotation first, then write the key: a run killed in between leaves
        // nothing sealed with a key that has no file.
        let key = MasterKey::generate()?;
        let mut tx = store.begin()?;
        tx.set_meta(REKEY_TO, Some(&key_id_hex(&key.id())))?;
        tx.set_meta(REKEY_FILE, Some(&shown))?;
        tx.commit()?;
        key.write_new(&path)?;
        key
    };
    if new.id() == old.id() {
        return Err(refused(format!(
            "{shown} holds the current key; nothing to do"
        )));
    }

    let mut rekeyed = 0u64;
    let progress = ctx.progress(None, "re-encrypting");
    loop {
        let batch = store.sealed_without(new.id(), REKEY_BATCH)?;
        if batch.is_empty() {
            let mut tx = store.begin()?;
            if tx.any_sealed_without(new.id())? {
                continue; // an enroll sealed with the old key meanwhile
            }
            tx.set_key_id(new.id())?;
            tx.set_meta(REKEY_TO, None)?;
            tx.set_meta(REKEY_FILE, None)?;
            tx.log(ctx.event("rekey").detail(format!(
                "secrets re-encrypted from key {} to key {}",
                key_id_hex(&old.id()),
                key_id_hex(&new.id())
            )))?;
            let events = tx.commit()?;
            ctx.notify(&events);
            break;
        }
        let mut tx = store.begin()?;
        for (account_id, sealed) in &batch {
            let secret = old.open(*account_id, sealed)?;
            let resealed = new.seal(*account_id, &secret)?;
            if tx.reseal(*account_id, sealed, &resealed)? {
                rekeyed += 1;
            }
            progress.inc();
        }
        tx.commit()?;
    }
    progress.finish();
    ctx.out.object(&Rekeyed {
        rekeyed,
        key_id: key_id_hex(&new.id()),
        key_file: shown,
    })?;
    Ok(ExitCode::Success)
}
