//! The text rules ("text in, text out"), in one place: what an email, a name, a
//! reason or an actor may be (checked at every entry point: arguments, `--from` files, CSV
//! import, prompts, the environment); how much of any input an error message may quote;
//! how text read back from the database is made inert for a terminal ([`escape`]) or a
//! spreadsheet ([`csv_cell`]).

use std::borrow::Cow;

use anyhow::Result;

use crate::exit::usage;

/// Characters of any input an error message quotes, at most.
pub const QUOTE_MAX: usize = 80;
/// Characters of an email address, at most (RFC 5321's path limit less the brackets).
pub const EMAIL_MAX: usize = 254;
/// Characters of a name, a reason or an actor, at most.
pub const LABEL_MAX: usize = 200;
/// What an addr-spec cannot hold outside quotes (and twofa takes no quoted local parts).
const EMAIL_SPECIALS: &[char] = &[',', ';', '<', '>', '(', ')', '[', ']', '\\', '"'];

/// Unicode format characters (general category Cf, Unicode 15.1: zero-width characters,
/// bidi controls, tags), and the line and paragraph separators, which break a line without
/// being control characters. Invisible, or reordering what follows them on a terminal.
const FORMAT_RANGES: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` is a Unicode format character (zero-width, bidi override, …) or a line or
/// paragraph separator.
pub fn is_format(c: char) -> bool {
    let c = c as u32;
    FORMAT_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Whether `c` must never reach a terminal raw: a control or a format character.
fn is_hostile(c: char) -> bool {
    c.is_control() || is_format(c)
}

/// `s` with every control and format character written as an escape (`\u{1b}`; a line
/// feed, carriage return and tab as `\n`, `\r`, `\t`), so that text from the database
/// cannot move the cursor, retitle the window, reorder a line or break one record into
/// two. The one escaping of tables, CSV cells and messages.
pub fn escape(s: &str) -> Cow<'_, str> {
    // Printable ASCII, the common case of a million-row CSV, needs no look at each char.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hostile(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`] for a message of several lines: its own line breaks stay, everything else
/// (a stored `\r`, `\u{1b}`, a bidi override) is escaped.
pub fn escape_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_hostile(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(escape).collect::<Vec<_>>().join("\n"))
}

/// `text` wrapped for a terminal `width` characters wide, at spaces only: each of its lines
/// on its own, a continuation indented like its line and `hang` more. A word longer than a
/// line stays whole (an email, a timestamp, a URI is never broken); the spaces inside a
/// line stay as they are except where it breaks.
pub fn wrap(text: &str, width: usize, hang: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let next = " ".repeat(indent + hang);
        let mut used = indent;
        out.push_str(&line[..indent]);
        let mut first = true;
        // Each word with the spaces before it.
        let mut rest = body;
        while !rest.is_empty() {
            let word_start = rest.len() - rest.trim_start_matches(' ').len();
            let spaces = &rest[..word_start];
            let after = &rest[word_start..];
            let word_len = after.find(' ').unwrap_or(after.len());
            let word = &after[..word_len];
            rest = &after[word_len..];
            let (gap, w) = (spaces.chars().count(), word.chars().count());
            if !first && used + gap + w > width && !word.is_empty() {
                out.push('\n');
                out.push_str(&next);
                out.push_str(word);
                used = next.len() + w;
            } else {
                out.push_str(spaces);
                out.push_str(word);
                used += gap + w;
            }
            first = false;
        }
    }
    out
}

/// Input as an error message may show it: in quotes, escaped, at most [`QUOTE_MAX`]
/// characters, then `…`.
pub fn quote(input: &str) -> String {
    let mut chars = input.chars();
    let head: String = chars.by_ref().take(QUOTE_MAX).collect();
    let more = if chars.next().is_some() { "…" } else { "" };
    format!("'{}{more}'", escape(&head))
}

/// A CSV cell as twofa writes it: one that a spreadsheet would run as a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'` (OWASP CSV
/// injection), then control and format characters are escaped as [`escape`] does, so that
/// a record is one line whatever the database holds. A plain number such as `-3` is left
/// alone: it is no formula, and stays a number.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    match defuse_csv(cell) {
        Cow::Borrowed(cell) => escape(cell),
        Cow::Owned(defused) => Cow::Owned(escape(&defused).into_owned()),
    }
}

/// The formula rule of [`csv_cell`]: a `'` in front of a cell a spreadsheet would run.
fn defuse_csv(cell: &str) -> Cow<'_, str> {
    let risky = match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => cell.parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Trims and lower-cases an email and checks that it is an addr-spec twofa can keep and
/// show: `local@domain`, at most [`EMAIL_MAX`] characters, a dot in the domain; no
/// spaces, control or format characters, none of `,;<>()[]\"`, no `:` (authenticator
/// apps read it as the issuer separator), and no `-` first (a hook or `xargs` would take it
/// for an option). Anything else is a usage error (exit 2) that quotes the input and says
/// which rule it broke.
pub fn email(input: &str) -> Result<String> {
    checked_email(input, "the email address is empty", |why| {
        format!("{} is not an email address: {why}", quote(input.trim()))
    })
}

/// [`email`] for text that may be a secret or a code (a field of a secrets file, a
/// `verify --batch` request): the error says which rule the text broke and never shows
/// any of it. It reads after the field's name: "the email field is " + `empty`, or
/// `not an email address: it has no '@'`.
pub fn email_unshown(input: &str) -> Result<String> {
    checked_email(input, "empty", |why| format!("not an email address: {why}"))
}

/// The EMAIL argument of a command that also takes a code (`verify`, `confirm`,
/// `diagnose`, `resync`), checked as [`email_unshown`]: given in the wrong order, the
/// argument is the code, which no error may show.
pub fn email_argument(input: &str) -> Result<String> {
    email_unshown(input).map_err(|e| usage(format!("the email is {e:#}")))
}

/// [`email`], its error message made by `message` from the rule broken, or `empty`.
fn checked_email(input: &str, empty: &str, message: impl FnOnce(&str) -> String) -> Result<String> {
    if let Some(email) = plain_email(input) {
        return Ok(email);
    }
    match email_rule(input) {
        Ok(email) => Ok(email),
        Err(None) => Err(usage(empty.to_string())),
        Err(Some(why)) => Err(usage(message(&why))),
    }
}

/// [`email`], character by character: the email, or the rule it breaks (`None`: it is
/// empty), said without repeating more than one character of it.
fn email_rule(input: &str) -> std::result::Result<String, Option<String>> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(None);
    }
    let bad = |why: &str| Err(Some(why.to_string()));
    let len = email.chars().count();
    if len > EMAIL_MAX {
        return bad(&format!(
            "it has {len} characters, at most {EMAIL_MAX} are allowed"
        ));
    }
    if let Some(c) = email.chars().find(|c| c.is_control()) {
        return bad(&format!(
            "it contains the control character {}",
            c.escape_unicode()
        ));
    }
    if let Some(c) = email.chars().find(|&c| is_format(c)) {
        return bad(&format!(
            "it contains the invisible Unicode format character {} (zero-width or bidi)",
            c.escape_unicode()
        ));
    }
    if email.chars().any(char::is_whitespace) {
        return bad("it contains a space");
    }
    if let Some(c) = email.chars().find(|c| EMAIL_SPECIALS.contains(c)) {
        return bad(&format!(
            "it contains '{c}'; an address has none of , ; < > ( ) [ ] \\ \""
        ));
    }
    if email.contains(':') {
        return bad("authenticator apps cannot show a ':' in the account name");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return bad("it has no '@'");
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return bad("write it as name@domain");
    }
    if local.starts_with('-') {
        return bad(
            "it starts with '-', which a hook or a script (xargs) given it would read as an option",
        );
    }
    if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return bad("the domain is malformed");
    }
    if !domain.contains('.') {
        return bad("the domain has no '.'");
    }
    Ok(email)
}

/// The common case of [`email`] without its character-by-character passes (`user sync`
/// checks a million): an ASCII address that breaks none of its rules, lower-cased. `None`
/// for anything else, which [`email`] then checks in full and explains.
fn plain_email(input: &str) -> Option<String> {
    let email = input.trim();
    let bytes = email.as_bytes();
    let plain = |b: &u8| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b',' | b';' | b'<' | b'>' | b'(' | b')' | b'[' | b']' | b'\\' | b'"' | b':'
            )
    };
    if bytes.is_empty() || bytes.len() > EMAIL_MAX || !bytes.iter().all(plain) {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    let fine = !local.is_empty()
        && !local.starts_with('-')
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.contains('.');
    fine.then(|| email.to_ascii_lowercase())
}

/// The confusable skeleton of an email (Unicode TS #39, `unicode-security`): two emails with
/// the same skeleton read the same (`аlice` with a Cyrillic `а`, `ａlice` fullwidth,
/// `alice`). Only compared, never shown.
pub fn skeleton(email: &str) -> String {
    unicode_security::skeleton(email).collect()
}

/// `s` with every character outside ASCII written as its code point (`a\u{430}b`): how a
/// message shows two strings that look alike apart.
pub fn spelled(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}

/// Checks a name, a reason or an actor (`what` names it in the error): trimmed, at most
/// [`LABEL_MAX`] characters, no control or format characters. `None` when it is empty.
pub fn label(what: &str, input: &str) -> Result<Option<String>> {
    let text = input.trim();
    let bad = |why: String| usage(format!("the {what} {} is refused: {why}", quote(text)));
    let len = text.chars().count();
    if len > LABEL_MAX {
        return Err(bad(format!(
            "it has {len} characters, at most {LABEL_MAX} are allowed"
        )));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(bad(format!(
            "it contains the control character {}",
            c.escape_unicode()
        )));
    }
    if let Some(c) = text.chars().find(|&c| is_format(c)) {
        return Err(bad(format!(
            "it contains the invisible Unicode format character {} (zero-width or bidi)",
            c.escape_unicode()
        )));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_only_and_hangs_the_continuation() {
        let msg = "twofa: error: cannot disable 2FA for margaret.hamilton@engineering.example.com: \
organisation 'acme' requires it until 2027-01-15T08:00:00Z";
        let wrapped = wrap(msg, 40, 2);
        for line in wrapped.lines() {
            assert!(
                line.chars().count() <= 40 || !line.trim().contains(' '),
                "{wrapped}"
            );
        }
        assert!(
            wrapped.contains("\n  margaret.hamilton@engineering.example.com:\n"),
            "{wrapped}"
        );
        assert!(wrapped.contains("2027-01-15T08:00:00Z"), "{wrapped}");
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            msg.split_whitespace().collect::<Vec<_>>(),
            "only the breaks change"
        );
        // Each line on its own, with its own indent; inner runs of spaces stay.
        assert_eq!(
            wrap("head\n  a@b.c  disabled  deadline 2027", 20, 2),
            "head\n  a@b.c  disabled\n    deadline 2027"
        );
        assert_eq!(wrap("short", 80, 2), "short");
        assert_eq!(wrap("", 80, 2), "");
        assert_eq!(
            wrap("a b", 1, 0),
            "a\nb",
            "a word wider than the line stays whole"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_quick_email_check_agrees_with_the_full_one(
            input in "[ \t]?[A-Za-z0-9._%+'@:,;<>()\\[\\]\"\u{7f}\u{1}-]{0,12}@?[a-zA-Z0-9.@-]{0,12}[ ]?"
        ) {
            if let Some(quick) = plain_email(&input) {
                proptest::prop_assert_eq!(Some(quick), email_rule(&input).ok());
            }
        }

        #[test]
        fn plain_addresses_take_the_quick_check(
            local in "[a-zA-Z0-9._%+][a-zA-Z0-9._%+-]{0,19}", host in "[a-zA-Z0-9-]{1,20}", tld in "[a-zA-Z]{2,6}"
        ) {
            let input = format!(" {local}@{host}.{tld}");
            let quick = plain_email(&input);
            proptest::prop_assert!(quick.is_some(), "{input}");
            proptest::prop_assert_eq!(quick, email_rule(&input).ok());
        }
    }

    #[test]
    fn the_quick_email_check_leaves_everything_else_to_the_full_one() {
        for input in [
            "Ünïcode@example.com",
            "a b@example.com",
            "a@b@example.com",
            "a@example",
            "a@.example.com",
            "a@example..com",
            "a@example.com.",
            "@example.com",
            "a:b@example.com",
            "a\u{7f}@example.com",
            "-a@example.com",
            "",
        ] {
            assert_eq!(plain_email(input), None, "{input:?}");
        }
        assert_eq!(
            plain_email("  Alice.B+x@Example.COM\t").as_deref(),
            Some("alice.b+x@example.com")
        );
    }

    #[test]
    fn hostile_emails_are_refused_saying_why() {
        for (input, why) in [
            ("a,b@example.com", "','"),
            ("<x@example.com>", "'<'"),
            ("alice\u{200b}@example.com", "\\u{200b}"),
            ("bob\u{202e}@example.com", "\\u{202e}"),
            ("a\u{1b}]0;x\u{7}@example.com", "\\u{1b}"),
            ("a b@example.com", "space"),
            ("alice@localhost", "no '.'"),
            ("\"a\"@example.com", "'\"'"),
            ("-rf@example.com", "starts with '-'"),
            ("--help@example.com", "read as an option"),
        ] {
            let e = format!("{:#}", email(input).unwrap_err());
            assert!(e.contains(why), "{input:?}: {e}");
            assert!(!e.contains('\u{1b}') && !e.contains('\u{200b}'), "{e}");
        }
        let long = format!("{}@example.com", "x".repeat(250));
        let e = format!("{:#}", email(&long).unwrap_err());
        assert!(e.contains("262 characters"), "{e}");
        assert!(
            e.chars().count() < 200,
            "the message quotes at most 80: {e}"
        );
        assert_eq!(email(" Alice@Example.COM\n").unwrap(), "alice@example.com");
        let longest = format!("{}@example.com", "a".repeat(242));
        assert_eq!(email(&longest).unwrap().len(), 254);
    }

    #[test]
    fn unshown_emails_say_the_rule_and_nothing_of_the_input() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        for (input, why) in [
            (secret.to_string(), "no '@'"),
            (
                format!("otpauth://totp/a@example.com?secret={secret}"),
                "':'",
            ),
            (format!("a@{secret}"), "the domain has no '.'"),
            (format!("{secret} x@example.com"), "a space"),
        ] {
            let e = format!("{:#}", email_unshown(&input).unwrap_err());
            assert!(e.contains(why), "{input}: {e}");
            assert!(!e.to_lowercase().contains("jbswy3dp"), "{e}");
        }
        assert_eq!(
            email_unshown(" Alice@Example.COM").unwrap(),
            "alice@example.com"
        );
        assert_eq!(format!("{:#}", email_unshown(" ").unwrap_err()), "empty");
        assert_eq!(
            format!("{:#}", email_argument("").unwrap_err()),
            "the email is empty"
        );
        let e = format!("{:#}", email_argument("123456").unwrap_err());
        assert_eq!(e, "the email is not an email address: it has no '@'");
    }

    #[test]
    fn labels() {
        assert_eq!(
            label("name", "  Alice  ").unwrap().as_deref(),
            Some("Alice")
        );
        assert_eq!(label("name", "   ").unwrap(), None);
        assert!(label("name", "Zoë Ünal-李").unwrap().is_some());
        assert!(label("name", &"x".repeat(200)).unwrap().is_some());
        for bad in [
            "x".repeat(201),
            "evil\u{1b}]0;pwned\u{7}".to_string(),
            "two\nlines".to_string(),
            "rtl\u{202e}txt".to_string(),
        ] {
            let e = format!("{:#}", label("name", &bad).unwrap_err());
            assert!(e.starts_with("the name '"), "{e}");
            assert!(!e.contains('\n') && !e.contains('\u{1b}'), "{e}");
        }
    }

    #[test]
    fn look_alike_emails_share_a_skeleton() {
        let latin = skeleton("alice@example.com");
        for twin in ["\u{430}lice@example.com", "\u{ff41}lice@example.com"] {
            assert_eq!(skeleton(twin), latin, "{twin}");
        }
        assert_ne!(skeleton("bob@example.com"), latin);
        assert_eq!(skeleton("user1@x.io"), skeleton("userl@x.io"));
        assert_eq!(spelled("\u{430}b\u{ff41}"), "\\u{430}b\\u{ff41}");
    }

    #[test]
    fn quotes_are_short_and_inert() {
        assert_eq!(quote("abc"), "'abc'");
        let q = quote(&"é".repeat(10_000));
        assert_eq!(q.chars().count(), 80 + 3);
        assert!(q.ends_with("…'"));
        assert_eq!(quote("a\u{1b}b"), "'a\\u{1b}b'");
    }

    #[test]
    fn escapes_controls_and_format_characters() {
        assert_eq!(escape("plain é"), "plain é");
        assert_eq!(escape("\u{1b}]0;x\u{7}"), "\\u{1b}]0;x\\u{7}");
        assert_eq!(escape("a\u{202e}b\r\n\tc"), "a\\u{202e}b\\r\\n\\tc");
        assert_eq!(escape("\u{0}\u{7f}\u{85}"), "\\u{0}\\u{7f}\\u{85}");
        assert_eq!(escape_lines("one\ntwo\u{1b}"), "one\ntwo\\u{1b}");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_defused() {
        for risky in [
            "=HYPERLINK(\"x\")",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(defuse_csv(risky), format!("'{risky}"));
        }
        for safe in ["alice", "-3", "+4.5", "", "a=b", "2027-01-15T08:00:00Z"] {
            assert_eq!(defuse_csv(safe), safe);
            assert_eq!(csv_cell(safe), safe);
        }
        // A cell is defused, then escaped: one line, no control character, still guarded.
        assert_eq!(csv_cell("\tx"), "'\\tx");
        assert_eq!(csv_cell("=1+1\n=2"), "'=1+1\\n=2");
        assert_eq!(
            csv_cell("evil\u{1b}]0;x\u{7}\r\nnext"),
            "evil\\u{1b}]0;x\\u{7}\\r\\nnext"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the input, what `escape` and `quote` return holds no hostile character.
        #[test]
        fn escaped_text_is_inert(input in "\\PC{0,40}|[\\x00-\\x1f\\x7f\u{200b}\u{202e}a]{0,40}") {
            prop_assert!(!escape(&input).chars().any(is_hostile));
            prop_assert!(!quote(&input).chars().any(is_hostile));
            // 80 characters of input at most (plain text: 80 shown, quotes and `…` aside).
            let shown = quote(&input);
            if !input.chars().any(is_hostile) {
                prop_assert!(shown.chars().count() <= QUOTE_MAX + 3);
            }
        }

        /// An accepted email or label holds no hostile character and keeps the limits.
        #[test]
        fn accepted_text_keeps_the_rules(input in "\\PC{0,300}|[a-z\\x00-\\x1f\u{200b},;<>@.]{0,40}") {
            if let Ok(e) = email(&input) {
                prop_assert!(!e.chars().any(is_hostile));
                prop_assert!(e.chars().count() <= EMAIL_MAX);
                prop_assert!(!e.contains(EMAIL_SPECIALS));
                prop_assert_eq!(email(&e).unwrap(), e.clone());
            }
            if let Ok(Some(l)) = label("name", &input) {
                prop_assert!(!l.chars().any(is_hostile));
                prop_assert!(l.chars().count() <= LABEL_MAX);
            }
        }
    }
}
