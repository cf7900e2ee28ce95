//! `init`, `check` and `rekey`.

use anyhow::Result;
use serde::Serialize;

use crate::cli::RekeyArgs;
use crate::crypto::{KeyId, MasterKey, key_id_hex, sealed_key_id};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, database, refused};
use crate::keys;
use crate::output::{Human, Output, counted};
use crate::store::OpenMode;

#[derive(Serialize)]
struct Ready {
    db: String,
    /// The key file, `null` with a key command.
    key_file: Option<String>,
    key_id: Option<String>,
    /// Where the key came from ([`crate::keys::KeySource::label`]).
    key_source: String,
}

impl Human for Ready {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "account database {} is ready (key: {})",
            self.db, self.key_source
        ))
    }
}

/// `twofa init`.
pub fn init(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Init)?;
    let key = ctx.key(store.as_mut())?;
    keys::forget_stale_location(store.as_mut())?;
    let source = ctx.master.source();
    ctx.out.object(&Ready {
        db: ctx.db_display().into_owned(),
        key_file: source.file().map(|f| f.display().to_string()),
        key_id: Some(key_id_hex(&key.id())),
        key_source: source.label(),
    })?;
    Ok(ExitCode::Success)
}

#[derive(Serialize)]
struct Checked {
    secrets: u64,
    failed: Vec<String>,
    /// Where the key came from ([`crate::keys::KeySource::label`]).
    key_source: String,
}

impl Human for Checked {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!("key: {}", self.key_source))?;
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
        key_source: ctx.master.source().label(),
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
            "{} not open with key {}{}",
            match result.failed.len() {
                1 => "1 secret does".to_string(),
                n => format!("{n} secrets do"),
            },
            key_id_hex(&key.id()),
            key.rotation()
                .map(|r| format!("; {}", r.advice()))
                .unwrap_or_default()
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
/// batches of one transaction each. The rotation's new key id (never its file) is recorded
/// in `twofa_meta`, so a killed run resumes when given the same key file again. Until it
/// ends, each key opens only the secrets sealed with it, and commands seal with the key
/// they were given; the resumed run re-seals what was sealed with the old key meanwhile.
pub fn rekey(ctx: &mut Ctx, args: &RekeyArgs) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let old = ctx.key(store.as_mut())?;
    let path = std::path::absolute(&args.new_key_file).unwrap_or(args.new_key_file.clone());
    let shown = path.display().to_string();
    let in_progress = keys::rotating_to(store.as_mut())?;
    let new = if keys::is_there(&path) {
        let key = MasterKey::load(&path)?;
        match in_progress {
            Some(to) if to == key.id() => {}
            Some(to) => {
                return Err(database(format!(
                    "a key rotation to key {} has not finished, and {shown} holds key {}: run rekey again with the file of key {} to finish it",
                    key_id_hex(&to),
                    key_id_hex(&key.id()),
                    key_id_hex(&to)
                )));
            }
            None => {
                return Err(refused(format!(
                    "{shown} exists; rekey creates a new key file and never overwrites one (choose a new path)"
                )));
            }
        }
        if key.id() == old.id() {
            return Err(database(format!(
                "{shown} holds key {}, the key this rotation re-encrypts to; give the key it re-encrypts from as --key-file",
                key_id_hex(&key.id())
            )));
        }
        ctx.note(format!(
            "resuming the rotation to key {}",
            key_id_hex(&key.id())
        ));
        key
    } else {
        if let Some(to) = in_progress {
            // The rotation's key file may never have been written (a run killed before
            // it): start again, unless a secret is sealed with that key already.
            let sealed = count_sealed_with(store.as_mut(), to)?;
            if sealed > 0 {
                return Err(database(format!(
                    "a key rotation to key {} has not finished ({} sealed with it): run rekey again with the file of key {} as --new-key-file to finish it; {shown} does not exist",
                    key_id_hex(&to),
                    counted(sealed, "secret is", "secrets are"),
                    key_id_hex(&to)
                )));
            }
        }
        // Record the rotation first, then write the key: a run killed in between leaves
        // nothing sealed with a key that has no file.
        let key = MasterKey::generate()?;
        let mut tx = store.begin()?;
        keys::record_rotation(tx.as_mut(), Some(key.id()))?;
        tx.commit()?;
        key.write_new(&path)?;
        key
    };

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
            keys::record_rotation(tx.as_mut(), None)?;
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

/// How many stored secrets are sealed with `key`.
fn count_sealed_with(store: &mut dyn crate::store::Store, key: KeyId) -> Result<u64> {
    let mut n = 0;
    store.secrets(&mut |_, _, sealed| {
        n += u64::from(sealed_key_id(sealed) == Some(key));
        Ok(())
    })?;
    Ok(n)
}
