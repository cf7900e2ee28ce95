//! `import` and `export`: TOTP enrollments in from another system (otpauth URIs, or CSV
//! `email,uri` / `email,secret`) so that nobody scans a new QR code, and out again as CSV
//! `email,uri` so that nobody is locked in.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader};

use anyhow::Result;
use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

use super::{account, create_account, org_tx};
use crate::cli::{ExportArgs, Format, ImportArgs};
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, Failure, refused, usage};
use crate::input::{self, Bounded};
use crate::model::{normalise_email, normalise_org};
use crate::otpauth::{self, WEAK_SECRET_BITS};
use crate::output::{Human, Output, Row};
use crate::policy::Credential;
use crate::store::{OpenMode, SecretFilter, Tx};
use crate::text;
use crate::totp;

/// Weak-secret warnings shown one by one; the rest are counted.
const WARNINGS_SHOWN: usize = 10;

/// What `import` did.
#[derive(Serialize)]
struct ImportSummary {
    source: String,
    imported: u64,
    created: u64,
    replaced: u64,
    weak_secrets: u64,
}

impl Human for ImportSummary {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "imported {} enrollment(s) from {} ({} account(s) created, {} replaced)",
            self.imported, self.source, self.created, self.replaced
        ))
    }
}

/// One line of the input: the account and its secret, or why not.
type Entry = Result<(String, Zeroizing<Vec<u8>>)>;

/// The layouts `import` reads.
#[derive(Clone, Copy)]
enum Column {
    Uri,
    Secret,
}

/// One bad line: its number and what is wrong, with the exit code it stands for.
struct BadLine {
    line: u64,
    error: anyhow::Error,
}

/// `twofa import FILE|- [--create] [--org ORG]`.
pub fn import(ctx: &mut Ctx, args: &ImportArgs) -> Result<ExitCode> {
    let org_slug = args.org.as_deref().map(normalise_org).transpose()?;
    let (input, source) = crate::input::open(&args.file)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let key = ctx.key(store.as_mut())?;
    let mut tx = store.begin()?;
    let org_id = match &org_slug {
        Some(slug) => Some(org_tx(tx.as_mut(), slug)?.id),
        None => None,
    };
    let mut run = ImportRun {
        ctx,
        key: &key,
        tx: tx.as_mut(),
        create: args.create,
        org_id,
        source: &source,
        seen: HashMap::new(),
        bad: Vec::new(),
        weak: Vec::new(),
        summary: ImportSummary {
            source: source.clone(),
            imported: 0,
            created: 0,
            replaced: 0,
            weak_secrets: 0,
        },
    };
    let progress = run.ctx.progress(None, "importing");
    read_entries(
        BufReader::with_capacity(1 << 16, input),
        &source,
        &mut |line, entry| {
            progress.inc();
            run.add(line, entry)
        },
    )?;
    progress.finish();
    let ImportRun {
        bad, weak, summary, ..
    } = run;
    if let Some(first) = bad.first() {
        // Dropping the transaction rolls back: nothing is imported.
        return Err(bad_lines(&source, first, &bad));
    }
    let events = tx.commit()?;
    ctx.notify(&events);
    for (line, email, bits) in weak.iter().take(WARNINGS_SHOWN) {
        ctx.warn(format!(
            "line {line}: {email} has a secret of only {bits} bits (under {WEAK_SECRET_BITS}); enroll it again when you can ('twofa enroll {email} --yes')"
        ));
    }
    if weak.len() > WARNINGS_SHOWN {
        ctx.warn(format!(
            "… and {} more account(s) with secrets under {WEAK_SECRET_BITS} bits",
            weak.len() - WARNINGS_SHOWN
        ));
    }
    ctx.out.object(&summary)?;
    if summary.imported > 0 {
        ctx.note(
            "The imported accounts have no recovery codes: issue them with 'twofa recovery regenerate EMAIL'.",
        );
    }
    Ok(ExitCode::Success)
}

/// The error for a refused file: every bad line, and the first one's exit code.
fn bad_lines(source: &str, first: &BadLine, bad: &[BadLine]) -> anyhow::Error {
    let mut msg = format!(
        "nothing imported: {} bad line(s) in {}",
        bad.len(),
        otpauth::shown(source)
    );
    for b in bad {
        msg.push_str(&format!("\n  line {}: {:#}", b.line, b.error));
    }
    match first.error.downcast_ref::<Failure>() {
        Some(Failure::NotFound(_)) => Failure::NotFound(msg),
        Some(Failure::Refused(_)) => Failure::Refused(msg),
        Some(Failure::Database(_)) => Failure::Database(msg),
        _ => Failure::Usage(msg),
    }
    .into()
}

/// An import under way, in one transaction.
struct ImportRun<'a, 't> {
    ctx: &'a Ctx,
    key: &'a Keyring,
    tx: &'a mut (dyn Tx + 't),
    create: bool,
    org_id: Option<i64>,
    source: &'a str,
    /// Each email's line, to name a duplicate's first line.
    seen: HashMap<String, u64>,
    bad: Vec<BadLine>,
    /// (line, email, bits) of secrets under WEAK_SECRET_BITS.
    weak: Vec<(u64, String, usize)>,
    summary: ImportSummary,
}

impl ImportRun<'_, '_> {
    /// Records one line: a bad line is kept for the report; a database failure ends the run.
    fn add(&mut self, line: u64, entry: Entry) -> Result<()> {
        match entry.and_then(|(email, secret)| self.import_one(line, &email, &secret)) {
            Ok(()) => Ok(()),
            Err(e)
                if e.downcast_ref::<Failure>()
                    .is_some_and(|f| !matches!(f, Failure::Database(_))) =>
            {
                self.bad.push(BadLine { line, error: e });
                Ok(())
            }
            Err(e) => Err(e.context(format!("line {line}"))),
        }
    }

    fn import_one(&mut self, line: u64, email: &str, secret: &[u8]) -> Result<()> {
        if let Some(first) = self.seen.get(email) {
            return Err(usage(format!("{email} is also on line {first}")));
        }
        self.seen.insert(email.to_string(), line);
        let account = match self.tx.account(email)? {
            Some(a) => a,
            None if self.create => {
                self.summary.created += 1;
                create_account(
                    self.ctx,
                    self.tx,
                    email,
                    self.org_id,
                    "created by import --create",
                )?
            }
            None => {
                return Err(crate::exit::not_found(format!(
                    "no account {email} (add it first, or import with --create)"
                )));
            }
        };
        let replaces = self
            .tx
            .credential(account.id)?
            .is_some_and(|c| c.state == Credential::Enabled);
        if replaces {
            if !self.ctx.yes {
                return Err(refused(format!(
                    "{email} already has 2FA enabled; pass --yes to replace its secret and recovery codes with the imported secret"
                )));
            }
            self.summary.replaced += 1;
        }
        let bits = secret.len() * 8;
        if bits < WEAK_SECRET_BITS {
            self.weak.push((line, email.to_string(), bits));
            self.summary.weak_secrets += 1;
        }
        let sealed = self.key.seal(account.id, secret)?;
        let now = self.ctx.now();
        self.tx.import_credential(account.id, &sealed, now)?;
        // An access code was issued for the credential this one replaces.
        let revoked = self.tx.revoke_access_code(account.id, now)?.is_some();
        self.tx
            .log(self.ctx.event("import").account(&account).detail(format!(
                "{bits}-bit secret from {} line {line}{}{}",
                otpauth::shown(self.source),
                if replaces {
                    "; replaces the enabled secret"
                } else {
                    ""
                },
                if revoked {
                    super::ACCESS_CODE_REVOKED
                } else {
                    ""
                }
            )))?;
        self.summary.imported += 1;
        Ok(())
    }
}

/// Reads `input` (otpauth URIs one a line, or CSV with a header `email,uri` or
/// `email,secret`, one row a line) and calls `each` with every entry's line number and
/// account and secret, or what is wrong with it. Blank lines and `#` comments are skipped.
/// Errors of `each` end the reading, and so does a line or a file past its bound
/// ([`input::LINE_MAX`], [`input::FILE_LINES_MAX`]), naming `source`.
fn read_entries(
    input: impl BufRead,
    source: &str,
    each: &mut dyn FnMut(u64, Entry) -> Result<()>,
) -> Result<()> {
    let mut input = Bounded::lines(input, input::LINE_MAX, input::FILE_LINES_MAX);
    // Never reallocated (a line is at most LINE_MAX), so no copy of a secret is left behind.
    let mut buf = Zeroizing::new(Vec::with_capacity(input::LINE_MAX + 1));
    // Set by the first line that is neither blank nor a comment: the layout.
    let mut layout: Option<Option<(usize, Column, usize)>> = None;
    loop {
        buf.zeroize();
        let Some(line) = input
            .read_line(&mut buf)
            .map_err(|e| input::error(&e, source))?
        else {
            break;
        };
        let Ok(text) = std::str::from_utf8(&buf) else {
            if layout.is_none() {
                return Err(usage(format!("line {line}: not valid UTF-8")));
            }
            each(line, Err(usage("not valid UTF-8")))?;
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        match layout {
            None => {
                let uris = text
                    .get(..8)
                    .is_some_and(|s| s.eq_ignore_ascii_case("otpauth:"));
                if uris {
                    layout = Some(None);
                    each(line, uri_entry(text))?;
                } else {
                    let header =
                        csv_header(text).map_err(|e| usage(format!("line {line}: {e:#}")))?;
                    layout = Some(Some(header));
                }
            }
            Some(None) => each(line, uri_entry(text))?,
            Some(Some((email_at, column, at))) => {
                each(line, csv_entry(text, email_at, column, at))?;
            }
        }
    }
    if layout.is_none() {
        return Err(usage(
            "the input holds neither otpauth:// URIs nor a CSV header (email,uri or email,secret)",
        ));
    }
    Ok(())
}

/// The URI line's account and secret.
fn uri_entry(text: &str) -> Entry {
    let e = otpauth::parse_uri(text)?;
    Ok((field_email("the URI's label", &e.account)?, e.secret))
}

/// The email in `field` of a secrets file, checked by the text rules; an error names the
/// field and the rule, never its text (which may be a secret: columns swapped, a URI).
fn field_email(field: &str, text: &str) -> Result<String> {
    text::email_unshown(text).map_err(|e| usage(format!("{field} is {e:#}")))
}

/// One CSV line as its fields.
fn csv_fields(text: &str) -> Result<Option<csv::StringRecord>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .buffer_capacity(text.len() + 1)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    Ok(reader
        .read_record(&mut record)
        .map_err(|e| usage(format!("not CSV: {e}")))?
        .then_some(record))
}

/// The header's columns: (email's index, the secret's kind, its index).
fn csv_header(text: &str) -> Result<(usize, Column, usize)> {
    let wrong = || {
        usage(
            "the first line is neither an otpauth:// URI nor a CSV header with the columns email,uri or email,secret",
        )
    };
    let header = csv_fields(text).map_err(|_| wrong())?.ok_or_else(wrong)?;
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    match (find("email"), find("uri"), find("secret")) {
        (Some(email), Some(uri), None) => Ok((email, Column::Uri, uri)),
        (Some(email), None, Some(secret)) => Ok((email, Column::Secret, secret)),
        _ => Err(wrong()),
    }
}

/// A CSV row's account and secret.
fn csv_entry(text: &str, email_at: usize, column: Column, at: usize) -> Entry {
    let record = csv_fields(text)?.unwrap_or_default();
    let field = |i: usize, name: &str| -> Result<&str> {
        record
            .get(i)
            .ok_or_else(|| usage(format!("no {name} ({} field(s))", record.len())))
    };
    let email = field_email("the email field", unguard(field(email_at, "email")?))?;
    let secret = match column {
        Column::Secret => otpauth::parse_secret(field(at, "secret")?),
        Column::Uri => otpauth::parse_uri(field(at, "uri")?).map(|e| e.secret),
    };
    Ok((email, secret?))
}

/// A cell as it was before CSV output guarded it against spreadsheet formulas (a `'` in
/// front of `= + - @ TAB CR`), so that an export imports as it was.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// One `export` row: the account and its otpauth URI (holding the secret).
#[derive(Serialize)]
struct ExportRow {
    email: String,
    uri: String,
}

impl Drop for ExportRow {
    fn drop(&mut self) {
        self.uri.zeroize();
    }
}

impl Row for ExportRow {
    const FIELDS: &'static [&'static str] = &["email", "uri"];

    fn cells(&self) -> Vec<String> {
        vec![self.email.clone(), self.uri.clone()]
    }
}

/// `twofa export [--user EMAIL | --org ORG] [-o FILE] --yes`.
pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> Result<ExitCode> {
    let email = args.user.as_deref().map(normalise_email).transpose()?;
    let org_slug = args.org.as_deref().map(normalise_org).transpose()?;
    totp::validate_label_part("issuer", &ctx.issuer)?;
    if args.output.is_none() && ctx.out.tty {
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
    let file = args.output.as_deref().map(NewFile::claim).transpose()?;
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
        let secret = key.open(s.account_id, &s.sealed_secret)?;
        let uri = totp::otpauth_uri(&ctx.issuer, &s.email, &totp::secret_base32(&secret))?;
        let mut event = ctx.event("export");
        event.email = Some(s.email.clone());
        event.org = s.org.clone();
        tx.log(event.detail(format!("secret exported (issuer {})", ctx.issuer)))?;
        rows.push(ExportRow {
            email: s.email,
            uri: uri.to_string(),
        });
    }
    // The table format is the documented file: CSV email,uri.
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
    let holder = match &args.output {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(input: &str) -> Result<Vec<(u64, std::result::Result<String, String>)>> {
        let mut got = Vec::new();
        read_entries(input.as_bytes(), "test", &mut |line, e| {
            got.push((
                line,
                e.map(|(email, _)| email).map_err(|e| format!("{e:#}")),
            ));
            Ok(())
        })?;
        Ok(got)
    }

    const S: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn uri_lines_skip_blanks_and_comments() {
        let input = format!(
            "# from the old system\n\notpauth://totp/Old:A@example.com?secret={S}\n  \n# x\notpauth://totp/b@example.com?secret={S}&algorithm=SHA256\n"
        );
        let got = entries(&input).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (3, Ok("a@example.com".to_string())));
        assert_eq!(got[1].0, 6);
        assert!(got[1].1.as_ref().unwrap_err().contains("SHA256"));
    }

    #[test]
    fn csv_with_either_header_names_lines() {
        let input = format!(
            "\u{feff}Email,Secret\r\na@example.com,{}\r\n# note\r\n\r\n'+b@example.com,{S}\r\nc@example.com\r\nd@example.com,{S}1\r\n",
            S.to_lowercase()
        );
        let got = entries(&input).unwrap();
        assert_eq!(got[0], (2, Ok("a@example.com".to_string())));
        assert_eq!(got[1], (5, Ok("+b@example.com".to_string())));
        assert_eq!(got[2].0, 6);
        assert!(got[2].1.as_ref().unwrap_err().contains("no secret"));
        assert_eq!(got[3].0, 7);
        assert!(!got[3].1.as_ref().unwrap_err().contains(S));
        let uris = format!("email,uri\na@example.com,otpauth://totp/X:other?secret={S}\n");
        assert_eq!(
            entries(&uris).unwrap()[0],
            (2, Ok("a@example.com".to_string()))
        );
    }

    #[test]
    fn an_unknown_layout_is_refused_without_echoing_it() {
        for input in [
            "",
            "\n# only comments\n",
            &format!("a@example.com,{S}\n"),
            "email,org\n",
        ] {
            let msg = format!("{:#}", entries(input).unwrap_err());
            assert!(!msg.contains(S), "{msg}");
            assert!(
                msg.contains("email,uri or email,secret"),
                "{input:?}: {msg}"
            );
        }
    }
}
