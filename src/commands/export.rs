//! `export`: the enabled devices' secrets out again as CSV `email,uri,device,org,name`
//! (one row a device), so that nobody is locked in and `import --create` restores them
//! elsewhere as they were.

use std::io;

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroize;

use super::account;
use crate::cli::{ExportArgs, Format, output_file};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, refused, usage};
use crate::model::{normalise_email, normalise_org};
use crate::output::{Output, Row};
use crate::store::SecretFilter;
use crate::text;
use crate::totp;

/// One `export` row: the account, one device's otpauth URI (holding the secret), the
/// device's name, and what `import --create` needs to recreate the account.
#[derive(Serialize)]
struct ExportRow {
    email: String,
    uri: String,
    device: String,
    org: Option<String>,
    name: Option<String>,
}

impl Drop for ExportRow {
    fn drop(&mut self) {
        self.uri.zeroize();
    }
}

impl Row for ExportRow {
    const FIELDS: &'static [&'static str] = &["email", "uri", "device", "org", "name"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            self.uri.clone(),
            self.device.clone(),
            crate::output::cell(self.org.as_ref()),
            crate::output::cell(self.name.as_ref()),
        ]
    }
}

/// `twofa export [--user EMAIL | --org ORG] [-o FILE] --yes`.
pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> Result<ExitCode> {
    let email = args.user.as_deref().map(normalise_email).transpose()?;
    let org_slug = args.org.as_deref().map(normalise_org).transpose()?;
    totp::validate_label_part("issuer", &ctx.issuer)?;
    let output = output_file(&args.output);
    if output.is_none() && ctx.out.tty {
        return Err(usage(
            "export writes TOTP secrets in the clear and will not write them to a terminal: write them to a new private file with -o FILE",
        ));
    }
    if !ctx.yes {
        return Err(usage(
            "export writes TOTP secrets in the clear: pass --yes to confirm (and keep the file it goes to private)",
        ));
    }
    // Claimed before anything is read or logged: a file that exists is refused at once.
    let file = output.map(NewFile::claim).transpose()?;
    if file.is_none()
        && let Some(mode) = crate::output::stdout_file_readable_by_others()
    {
        ctx.warn(format!(
            "stdout is a file that group or others can read (mode {mode:04o}): the secrets in it are readable by them; chmod 600 it now, or export with -o FILE (created with mode 0600)"
        ));
    }
    // It reads, and logs what it wrote out: a database without a key is given none.
    let mut store = ctx.open_to_log()?;
    if let Some(email) = &email {
        account(store.as_mut(), email)?;
    }
    let org_slug = super::org_filter(store.as_mut(), org_slug)?;
    let key = ctx.key(store.as_mut())?;
    let mut tx = store.begin()?;
    let secrets = tx.enabled_secrets(&SecretFilter {
        email: email.clone(),
        org: org_slug,
    })?;
    if let Some(email) = &email
        && secrets.is_empty()
    {
        return Err(refused(format!(
            "{email} has no 2FA enabled: there is no secret to export"
        )));
    }
    // Every secret opens and every event is logged before any secret is written.
    let mut rows = Vec::with_capacity(secrets.len());
    for s in secrets {
        let secret = key.open(s.account_id, &s.device, &s.sealed_secret)?;
        let uri = totp::otpauth_uri(&ctx.issuer, &s.email, &totp::secret_base32(&secret))?;
        let mut event = ctx.event("export");
        event.email = Some(s.email.clone());
        event.org = s.org.clone();
        tx.log(event.detail(format!(
            "secret of device {} exported (issuer {})",
            text::quote(&s.device),
            ctx.issuer
        )))?;
        rows.push(ExportRow {
            email: s.email,
            uri: uri.to_string(),
            device: s.device,
            org: s.org,
            name: s.name,
        });
    }
    // The table format is the documented file: CSV email,uri,device,org,name.
    let format = match ctx.out.format {
        Format::Table => Format::Csv,
        other => other,
    };
    let n = match file {
        Some(file) => {
            // Written whole and synced under a temporary name, then logged, then given
            // its name: a failed export leaves no file.
            let n = write_rows(&mut Output::to_file(format, file.writer()?), &rows)?;
            ctx.notify(&tx.commit()?);
            file.keep()?;
            n
        }
        None => {
            ctx.notify(&tx.commit()?);
            ctx.out.format = format;
            write_rows(&mut ctx.out, &rows)?
        }
    };
    let holder = match output {
        Some(path) => format!("{} (mode 0600) holds", text::quote(&path.to_string_lossy())),
        None => "the output holds".to_string(),
    };
    ctx.note(format!(
        "exported {n} secret(s): {holder} them in the clear; keep it private and destroy it when done (shred -u FILE)"
    ));
    Ok(ExitCode::Success)
}

/// Writes the export's rows as a list; returns how many.
fn write_rows(out: &mut Output, rows: &[ExportRow]) -> Result<u64> {
    let mut list = out.list::<ExportRow>()?;
    for row in rows {
        list.push(row)?;
    }
    list.finish()
}

/// The file of `export -o`: a new file, mode 0600, that appears whole or not at all.
struct NewFile {
    path: std::path::PathBuf,
    /// Where it is written: a temporary file (mode 0600, a random name) beside it, deleted
    /// unless it is kept.
    tmp: tempfile::NamedTempFile,
}

impl NewFile {
    /// Refuses a path that exists (exit 2); creates the temporary file in its directory.
    fn claim(path: &std::path::Path) -> Result<Self> {
        let shown = text::quote(&path.to_string_lossy());
        if path.symlink_metadata().is_ok() {
            return Err(usage(format!(
                "{shown} exists: export writes only a new file (mode 0600); remove it or choose another name"
            )));
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".twofa-export.")
            .tempfile_in(dir)
            .map_err(|e| {
                // Without the temporary file's name, which tempfile's message adds.
                let why = e.raw_os_error().map_or(e, io::Error::from_raw_os_error);
                usage(format!("cannot create {shown}: {why}"))
            })?;
        Ok(NewFile {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// A handle to write the temporary file through.
    fn writer(&self) -> Result<std::fs::File> {
        Ok(self.tmp.as_file().try_clone()?)
    }

    /// Syncs the written file and gives it its name, unless something took the name
    /// meanwhile (exit 2; the temporary file is deleted).
    fn keep(self) -> Result<()> {
        let shown = text::quote(&self.path.to_string_lossy());
        self.tmp.as_file().sync_all()?;
        self.tmp
            .persist_noclobber(&self.path)
            .map_err(|e| usage(format!("cannot create {shown}: {}", e.error)))?;
        // The new name reaches the disk too.
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}
