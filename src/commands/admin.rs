//! `init`, `check` and `rekey`.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::cli::RekeyArgs;
use crate::crypto::{KeyId, MasterKey, key_id_hex, sealed_key_id};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, database, refused, usage};
use crate::keys;
use crate::model::DEFAULT_DEVICE;
use crate::output::{Human, Output, counted};
use crate::store::{OpenMode, Store};

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
    store.secrets(&mut |s| {
        result.secrets += 1;
        if key.open(s.account_id, s.device, s.sealed).is_err() {
            result.failed.push(if s.device == DEFAULT_DEVICE {
                s.email.to_string()
            } else {
                format!("{} (device {})", s.email, s.device)
            });
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
    /// The new key file, `null` with `--new-key-command`.
    key_file: Option<String>,
    /// Where the new key came from ([`crate::keys::KeySource::label`]).
    key_source: String,
}

impl Human for Rekeyed {
    fn human(&self, out: &mut Output) -> Result<()> {
        let next = match &self.key_file {
            Some(file) => {
                format!("use --key-file {file} (or move it over the old key file)")
            }
            None => "set --key-command (or TWOFA_KEY_COMMAND) to the new key command, in place of the old key".to_string(),
        };
        out.line(format!(
            "re-encrypted {} under key {} ({}); from now on {next}",
            counted(self.rekeyed, "secret", "secrets"),
            self.key_id,
            self.key_source,
        ))
    }
}

/// `twofa rekey (--new-key-file PATH | --new-key-command CMD)`: re-encrypts every secret
/// under a new key, in batches of one transaction each. The rotation's new key id (never
/// where the key is) is recorded in `twofa_meta`, so a killed run resumes when given the
/// same key again. Until it ends, each key opens only the secrets sealed with it, and
/// commands seal with the key they were given; the resumed run re-seals what was sealed
/// with the old key meanwhile.
pub fn rekey(ctx: &mut Ctx, args: &RekeyArgs) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let old = ctx.key(store.as_mut())?;
    let in_progress = keys::rotating_to(store.as_mut())?;
    let (new, key_file, key_source) = match (&args.new_key_file, &args.new_key_command) {
        (Some(file), _) => {
            let path = std::path::absolute(file).unwrap_or(file.clone());
            let key = new_key_file(ctx, store.as_mut(), &path, in_progress, old.id())?;
            let shown = path.display().to_string();
            (key, Some(shown.clone()), format!("file {shown}"))
        }
        (None, Some(command)) => {
            let given = "--new-key-command";
            let key = ctx.master.run_command(command, given)?;
            let what = format!(
                "the new key command ({given}) printed key {}",
                key_id_hex(&key.id())
            );
            begin_or_resume(ctx, store.as_mut(), &key, in_progress, old.id(), &what)?;
            (key, None, format!("command ({given})"))
        }
        (None, None) => return Err(usage("give --new-key-file PATH or --new-key-command CMD")),
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
        for (account_id, device, sealed) in &batch {
            let secret = old.open(*account_id, device, sealed)?;
            let resealed = new.seal(*account_id, device, &secret)?;
            if tx.reseal(*account_id, device, sealed, &resealed)? {
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
        key_file,
        key_source,
    })?;
    Ok(ExitCode::Success)
}

/// The new key of a rotation to a key file: the file's key when it is there and is the
/// rotation's (resuming it), else a fresh key, recorded as the rotation's and then written
/// to `path` (mode 0600). An existing file when no rotation runs is refused (exit 4).
fn new_key_file(
    ctx: &Ctx,
    store: &mut dyn Store,
    path: &Path,
    in_progress: Option<KeyId>,
    old: KeyId,
) -> Result<MasterKey> {
    let shown = path.display();
    if keys::is_there(path) {
        let key = MasterKey::load(path)?;
        if in_progress.is_none() {
            return Err(refused(format!(
                "{shown} exists; rekey creates a new key file and never overwrites one (choose a new path)"
            )));
        }
        let what = format!("{shown} holds key {}", key_id_hex(&key.id()));
        begin_or_resume(ctx, store, &key, in_progress, old, &what)?;
        return Ok(key);
    }
    if let Some(to) = in_progress {
        // The rotation's key file may never have been written (a run killed before it):
        // start again, unless a secret is sealed with that key already.
        let sealed = count_sealed_with(store, to)?;
        if sealed > 0 {
            return Err(database(format!(
                "a key rotation to key {} has not finished ({} sealed with it): run rekey again with key {} as the new key (--new-key-file or --new-key-command) to finish it; {shown} does not exist",
                key_id_hex(&to),
                counted(sealed, "secret is", "secrets are"),
                key_id_hex(&to)
            )));
        }
    }
    // Record the rotation first, then write the key: a run killed in between leaves
    // nothing sealed with a key that has no file.
    let key = MasterKey::generate()?;
    record(store, key.id())?;
    key.write_new(path)?;
    Ok(key)
}

/// Starts the rotation to `key`, or resumes the one in progress when `key` is its new key;
/// a rotation to another key, or `key` being the one given as the current key, is refused
/// (exit 6). `what` says where the key came from and which it is.
fn begin_or_resume(
    ctx: &Ctx,
    store: &mut dyn Store,
    key: &MasterKey,
    in_progress: Option<KeyId>,
    old: KeyId,
    what: &str,
) -> Result<()> {
    match in_progress {
        Some(to) if to != key.id() => Err(database(format!(
            "a key rotation to key {} has not finished, and {what}: run rekey again with key {} as the new key to finish it",
            key_id_hex(&to),
            key_id_hex(&to)
        ))),
        _ if key.id() == old => Err(database(format!(
            "{what}, the key {}; give the key the secrets are sealed with now as the current key (--key-file or --key-command), and a new key",
            if in_progress.is_some() {
                "this rotation re-encrypts to"
            } else {
                "already in use"
            }
        ))),
        Some(_) => {
            ctx.note(format!(
                "resuming the rotation to key {}",
                key_id_hex(&key.id())
            ));
            Ok(())
        }
        None => record(store, key.id()),
    }
}

/// Records that a rotation to `to` began.
fn record(store: &mut dyn Store, to: KeyId) -> Result<()> {
    let mut tx = store.begin()?;
    keys::record_rotation(tx.as_mut(), Some(to))?;
    tx.commit()?;
    Ok(())
}

/// How many stored secrets are sealed with `key`.
fn count_sealed_with(store: &mut dyn Store, key: KeyId) -> Result<u64> {
    let mut n = 0;
    store.secrets(&mut |s| {
        n += u64::from(sealed_key_id(s.sealed) == Some(key));
        Ok(())
    })?;
    Ok(n)
}
