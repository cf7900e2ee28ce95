//! `import`: TOTP enrollments in from another system (otpauth URIs, or CSV `email,uri` /
//! `email,secret` with optional `device`, `org` and `name` columns) so that nobody scans a
//! new QR code; what `export` writes imports as it was.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use anyhow::Result;
use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

use super::{create_account, org_tx};
use crate::cli::ImportArgs;
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::devices::{self, Enrollment};
use crate::exit::{ExitCode, Failure, refused, usage};
use crate::input::{self, Bounded};
use crate::model::{DEFAULT_DEVICE, device_name, normalise_org};
use crate::otpauth::{self, WEAK_SECRET_BITS};
use crate::output::{Human, Output};
use crate::store::{ImportedSecret, OpenMode, Tx};
use crate::text;

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

/// One line of the input: an account's device and its secret, and what `--create` gives a
/// new account.
struct Item {
    email: String,
    secret: Zeroizing<Vec<u8>>,
    device: String,
    org: Option<String>,
    name: Option<String>,
}

impl Item {
    /// An entry of the account's device `default`, with nothing for `--create`.
    fn bare(email: String, secret: Zeroizing<Vec<u8>>) -> Self {
        Item {
            email,
            secret,
            device: DEFAULT_DEVICE.to_string(),
            org: None,
            name: None,
        }
    }
}

/// One line of the input, or why not.
type Entry = Result<Item>;

/// A CSV header's columns: the email's index, the secret's kind and index, and the optional
/// device, organisation and name columns.
#[derive(Clone, Copy)]
struct Layout {
    email: usize,
    column: Column,
    at: usize,
    device: Option<usize>,
    org: Option<usize>,
    name: Option<usize>,
}

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
    /// Each email's and device's line, to name a duplicate's first line.
    seen: HashMap<(String, String), u64>,
    bad: Vec<BadLine>,
    /// (line, email, bits) of secrets under WEAK_SECRET_BITS.
    weak: Vec<(u64, String, usize)>,
    summary: ImportSummary,
}

impl ImportRun<'_, '_> {
    /// Records one line: a bad line is kept for the report; a database failure ends the run.
    fn add(&mut self, line: u64, entry: Entry) -> Result<()> {
        match entry.and_then(|item| self.import_one(line, &item)) {
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

    fn import_one(&mut self, line: u64, item: &Item) -> Result<()> {
        let (email, secret, device) = (item.email.as_str(), &item.secret[..], &item.device);
        let key = (email.to_string(), device.clone());
        if let Some(first) = self.seen.get(&key) {
            return Err(usage(if device == DEFAULT_DEVICE {
                format!("{email} is also on line {first}")
            } else {
                format!(
                    "{email}'s device {} is also on line {first}",
                    text::quote(device)
                )
            }));
        }
        self.seen.insert(key, line);
        let account = match self.tx.account(email)? {
            Some(a) => a,
            None if self.create => {
                self.summary.created += 1;
                let org_id = match &item.org {
                    Some(slug) => Some(self.org(slug)?),
                    None => self.org_id,
                };
                let account = create_account(
                    self.ctx,
                    self.tx,
                    email,
                    org_id,
                    "created by import --create",
                )?;
                if let Some(name) = &item.name {
                    self.tx.set_account_name(account.id, Some(name))?;
                }
                account
            }
            None => {
                return Err(crate::exit::not_found(format!(
                    "no account {email} (add it first, or import with --create)"
                )));
            }
        };
        let now = self.ctx.now();
        let devices = self.tx.credentials(account.id)?;
        let replaces = devices::enrollment(email, &devices, device, now)? == Enrollment::Replace;
        if replaces {
            if !self.ctx.yes {
                return Err(refused(if devices.len() > 1 {
                    format!(
                        "{email}'s device {} is enabled; pass --yes to replace its secret with the imported secret",
                        text::quote(device)
                    )
                } else {
                    format!(
                        "{email} already has 2FA enabled; pass --yes to replace its secret and recovery codes with the imported secret"
                    )
                }));
            }
            self.summary.replaced += 1;
        }
        let bits = secret.len() * 8;
        if bits < WEAK_SECRET_BITS {
            self.weak.push((line, email.to_string(), bits));
            self.summary.weak_secrets += 1;
        }
        let sealed = self.key.seal(account.id, device, secret)?;
        let imported = ImportedSecret {
            device,
            sealed_secret: &sealed,
            enrolled_at: now,
        };
        self.tx.import_credential(account.id, &imported)?;
        // An access code was issued for the credential this one replaces.
        let revoked = self.tx.revoke_access_code(account.id, now)?.is_some();
        self.tx
            .log(self.ctx.event("import").account(&account).detail(format!(
                "{bits}-bit secret of device {} from {} line {line}{}{}",
                text::quote(device),
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

    /// The organisation `slug` of an account that `--create` adds, created (with its
    /// `org.add` event) when missing.
    fn org(&mut self, slug: &str) -> Result<i64> {
        if let Some(org) = self.tx.org(slug)? {
            return Ok(org.id);
        }
        let id = self.tx.add_org(slug, None, self.ctx.now())?;
        let mut event = self.ctx.event("org.add");
        event.org = Some(slug.to_string());
        self.tx.log(event.detail("created by import --create"))?;
        Ok(id)
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
    let mut layout: Option<Option<Layout>> = None;
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
            Some(Some(layout)) => each(line, csv_entry(text, layout))?,
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
    Ok(Item::bare(
        field_email("the URI's label", &e.account)?,
        e.secret,
    ))
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

/// The header's columns.
fn csv_header(text: &str) -> Result<Layout> {
    let wrong = || {
        usage(
            "the first line is neither an otpauth:// URI nor a CSV header with the columns email,uri or email,secret",
        )
    };
    let header = csv_fields(text).map_err(|_| wrong())?.ok_or_else(wrong)?;
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (email, column, at) = match (find("email"), find("uri"), find("secret")) {
        (Some(email), Some(uri), None) => (email, Column::Uri, uri),
        (Some(email), None, Some(secret)) => (email, Column::Secret, secret),
        _ => return Err(wrong()),
    };
    Ok(Layout {
        email,
        column,
        at,
        device: find("device"),
        org: find("org"),
        name: find("name"),
    })
}

/// A CSV row's account, device and secret. The URI's label must name the row's email.
fn csv_entry(text: &str, layout: Layout) -> Entry {
    let record = csv_fields(text)?.unwrap_or_default();
    let field = |i: usize, name: &str| -> Result<&str> {
        record
            .get(i)
            .ok_or_else(|| usage(format!("no {name} ({} field(s))", record.len())))
    };
    // An optional column: empty (or missing on a short row) is none.
    let optional = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .map(unguard)
            .filter(|v| !v.is_empty())
    };
    let email = field_email("the email field", unguard(field(layout.email, "email")?))?;
    let secret = match layout.column {
        Column::Secret => otpauth::parse_secret(field(layout.at, "secret")?)?,
        Column::Uri => {
            let e = otpauth::parse_uri(field(layout.at, "uri")?)?;
            // A label that is an email must be this row's (another system's label may be a
            // user name, which the email column maps to an account).
            if let Ok(label) = text::email_unshown(&e.account)
                && label != email
            {
                return Err(usage(format!(
                    "the email field {email} disagrees with the URI's label {label}: the row must name one account"
                )));
            }
            e.secret
        }
    };
    Ok(Item {
        email,
        secret,
        device: device_name(optional(layout.device).unwrap_or(DEFAULT_DEVICE))?,
        org: optional(layout.org).map(normalise_org).transpose()?,
        name: optional(layout.name)
            .map(|n| text::label("name", n))
            .transpose()?
            .flatten(),
    })
}

/// A cell as it was before CSV output guarded it against spreadsheet formulas (a `'` in
/// front of `= + - @ TAB CR`), so that an export imports as it was.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(input: &str) -> Result<Vec<(u64, std::result::Result<String, String>)>> {
        let mut got = Vec::new();
        read_entries(input.as_bytes(), "test", &mut |line, e| {
            got.push((line, e.map(|item| item.email).map_err(|e| format!("{e:#}"))));
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
        let uris = format!(
            "email,uri\na@example.com,otpauth://totp/X:A@example.com?secret={S}\nb@example.com,otpauth://totp/X:other@example.com?secret={S}\nc@example.com,otpauth://totp/X:carl?secret={S}\n"
        );
        let got = entries(&uris).unwrap();
        assert_eq!(got[0], (2, Ok("a@example.com".to_string())));
        assert_eq!(
            got[2],
            (4, Ok("c@example.com".to_string())),
            "a user name maps"
        );
        assert_eq!(got[1].0, 3);
        let refused = got[1].1.as_ref().unwrap_err();
        assert!(
            refused.contains("b@example.com disagrees with the URI's label other@example.com"),
            "{refused}"
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
