//! The source layout: imports between the files of src/ flow one way (no cycle), main.rs
//! stays thin, every file of src/ can be read in one sitting and says what it owns, and
//! nothing sorts by hand what the database sorts.
//!
//! An edge A → B is a reference in A to an item of B through a path that starts with
//! `crate::`, `super::` or `self::` (in a `use` tree or anywhere in the code), or through a
//! name that a `use` of such a path brought in (`use crate::store;` … `store::open`). Each
//! path goes to the longest module prefix that is a file. Comments, string contents and
//! `#[cfg(test)]` items are left out: test code is not part of the build graph. A cycle is
//! a strongly connected component of more than one file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module path of a file below src/: `commands/verify.rs` → `commands::verify`,
/// `store/mod.rs` → `store`, `lib.rs` and `main.rs` → `` (the crate root).
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !(stem == "mod" || (parts.is_empty() && (stem == "lib" || stem == "main"))) {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// The code without comments, with string and character literals emptied (so that a `{`
/// or a `crate::` in them counts for nothing).
fn strip(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or else a lifetime.
            let end = if next == Some('\\') {
                (i + 3..b.len()).find(|&j| b[j] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without its `#[cfg(test)]` items (a module or function up to its closing
/// brace, or an item up to its `;`). Expects stripped code.
fn without_test_items(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let brace = item.find('{');
        let semi = item.find(';');
        let end = match (brace, semi) {
            (Some(b), s) if s.is_none_or(|s| b < s) => {
                let mut depth = 0;
                let mut end = item.len();
                for (k, ch) in item[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(s)) => s + 1,
            _ => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The full paths of a `use` tree (`a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c`),
/// each with the name it brings into scope (the last segment, or its `as` alias).
fn expand_use(tree: &str) -> Vec<(String, String)> {
    fn go(prefix: &str, tree: &str, out: &mut Vec<(String, String)>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let head = tree[..open].trim().trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let base = join(prefix, head);
            let mut depth = 0;
            let mut start = 0;
            for (k, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&base, &inner[start..k], out);
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            go(&base, &inner[start..], out);
            return;
        }
        let (path, alias) = match tree.split_once(" as ") {
            Some((p, a)) => (p.trim(), Some(a.trim())),
            None => (tree, None),
        };
        let full = if path == "self" {
            prefix.to_string()
        } else {
            join(prefix, path)
        };
        let name = alias
            .map(str::to_string)
            .unwrap_or_else(|| full.rsplit("::").next().unwrap_or("").to_string());
        out.push((full, name));
    }
    fn join(a: &str, b: &str) -> String {
        match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_string(),
            (_, true) => a.to_string(),
            _ => format!("{a}::{b}"),
        }
    }
    let mut out = Vec::new();
    go("", tree, &mut out);
    out
}

/// The file a path used in `module` lands in, if it is another file of the crate.
fn resolve(module: &str, path: &str, files: &BTreeSet<String>) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").map(str::trim).collect();
    let mut base: Vec<&str> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").collect()
    };
    match segs.first() {
        Some(&"crate") => {
            base.clear();
            segs.remove(0);
        }
        Some(&"self") => {
            segs.remove(0);
        }
        Some(&"super") => {
            while segs.first() == Some(&"super") {
                base.pop()?;
                segs.remove(0);
            }
        }
        _ => return None,
    }
    let mut cand: Vec<&str> = base.into_iter().chain(segs).collect();
    while !cand.is_empty() {
        let m = cand.join("::");
        if files.contains(&m) {
            return (m != module).then_some(m);
        }
        cand.pop();
    }
    None
}

/// The paths starting at `name::` in `code` (not preceded by `::` or an identifier), as
/// `name::a::b`.
fn paths_from(code: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let pat = format!("{name}::");
    let mut from = 0;
    while let Some(k) = code[from..].find(&pat) {
        let at = from + k;
        from = at + pat.len();
        let before = code[..at].trim_end();
        if code[..at].chars().next_back().is_some_and(is_ident) || before.ends_with("::") {
            continue;
        }
        let mut end = at;
        let tail = &code[at..];
        let mut chars = tail.char_indices().peekable();
        while let Some((k, ch)) = chars.next() {
            if is_ident(ch) {
                end = at + k + ch.len_utf8();
            } else if ch == ':' && tail[k..].starts_with("::") {
                let after = tail[k + 2..].chars().next();
                if !after.is_some_and(is_ident) {
                    break;
                }
                chars.next();
                end = at + k + 2;
            } else {
                break;
            }
        }
        found.push(code[at..end].to_string());
    }
    found
}

/// The import graph of the given files (module path → source).
fn graph(sources: &BTreeMap<String, String>) -> Graph {
    let files: BTreeSet<String> = sources.keys().cloned().collect();
    let mut edges = Graph::new();
    for (module, src) in sources {
        let code = without_test_items(&strip(src));
        let mut targets = BTreeSet::new();
        let mut add = |path: &str| {
            if let Some(t) = resolve(module, path, &files)
                && !t.is_empty()
            {
                targets.insert(t);
            }
        };
        // `use` trees, and the names they bring in.
        let mut rest = code.as_str();
        let mut names = Vec::new();
        while let Some(k) = rest.find("use ") {
            let boundary = rest[..k].chars().next_back().is_none_or(|c| !is_ident(c));
            let after = &rest[k + 4..];
            let Some(end) = after.find(';') else { break };
            if boundary {
                for (path, name) in expand_use(&after[..end]) {
                    if resolve(module, &path, &files).is_some() {
                        add(&path);
                        names.push((path, name));
                    }
                }
                rest = &after[end..];
            } else {
                rest = after;
            }
        }
        // Paths written out in the code.
        for root in ["crate", "super", "self"] {
            for path in paths_from(&code, root) {
                add(&path);
            }
        }
        for (path, name) in names {
            for used in paths_from(&code, &name) {
                add(&format!("{path}{}", &used[name.len()..]));
            }
        }
        edges.insert(module.clone(), targets);
    }
    edges
}

/// The strongly connected components of more than one file (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        g: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn read_src(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            read_src(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = module_of(path.strip_prefix(root).expect("below src/"));
            let text = std::fs::read_to_string(&path).expect("a source file");
            out.entry(module).or_default().push_str(&text);
        }
    }
}

fn src_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_import_cycle_between_files_of_src() {
    let mut sources = BTreeMap::new();
    read_src(&src_dir(), &src_dir(), &mut sources);
    let g = graph(&sources);
    // The scan sees the imports it is meant to see (else "no cycle" would mean nothing).
    for (from, to) in [
        ("app", "commands"),
        ("app", "ctx"),
        ("commands::verify", "verify"),
        ("commands::verify", "commands"),
        ("ctx", "keys"),
        ("ctx", "hook"),
        ("code", "recovery"),
    ] {
        assert!(
            g.get(from).is_some_and(|t| t.contains(to)),
            "{from} → {to} not found; {from} imports {:?}",
            g.get(from)
        );
    }
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "import cycles between files of src/ (imports must flow main → app → commands → \
         {{ctx, keys, hook, store, core}} → output):\n{}",
        found
            .iter()
            .map(|c| format!("  {}", c.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn main_rs_is_thin() {
    let main = std::fs::read_to_string(src_dir().join("main.rs")).expect("src/main.rs");
    let lines = main.lines().count();
    assert!(lines <= 40, "src/main.rs has {lines} lines; at most 40");
}

/// Every `.rs` file below src/, as (path relative to src/, text).
fn src_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("below src/");
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((rel.display().to_string(), text));
            }
        }
    }
    let mut files = Vec::new();
    walk(&src_dir(), &src_dir(), &mut files);
    files.sort();
    assert!(files.len() > 20, "src/ has only {} files", files.len());
    files
}

/// The most lines a file of src/ may have: a room a newcomer can read in one sitting.
const MAX_LINES: usize = 800;

#[test]
fn no_file_of_src_is_over_800_lines() {
    let long: Vec<String> = src_files()
        .into_iter()
        .map(|(path, text)| (path, text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| format!("  src/{path}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by concern, as commands/ and store/ are):\n{}",
        long.join("\n")
    );
}

#[test]
fn every_module_says_what_it_owns() {
    let silent: Vec<String> = src_files()
        .into_iter()
        .filter(|(_, text)| {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|(path, _)| format!("  src/{path}"))
        .collect();
    assert!(
        silent.is_empty(),
        "files that do not begin with a //! comment saying what they own:\n{}",
        silent.join("\n")
    );
}

#[test]
fn no_hand_written_sorter() {
    // `user sync` has the database sort the application's rows (ORDER BY); an external
    // merge sort of twofa's own is not to come back.
    for (path, text) in src_files() {
        let stem = Path::new(&path).file_stem().and_then(|s| s.to_str());
        assert_ne!(stem, Some("sorter"), "src/{path} exists");
        let code = without_test_items(&strip(&text));
        assert!(
            !code.contains("mod sorter"),
            "src/{path} declares a sorter module"
        );
    }
}

fn sources(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(m, s)| (m.to_string(), s.to_string()))
        .collect()
}

#[test]
fn finds_cycles_through_every_kind_of_reference() {
    let cases: &[&[(&str, &str)]] = &[
        // `use crate::…` both ways.
        &[("a", "use crate::b::X;"), ("b", "use crate::a::Y;")],
        // Use trees with braces, nested, and `self`.
        &[
            ("a", "use crate::{c, b::{self, X}};"),
            ("b", "use crate::{a as other};"),
            ("c", ""),
        ],
        // A written-out path in the code.
        &[("a", "fn f() { crate::b::g() }"), ("b", "use crate::a;")],
        // A name brought in by `use`, then used as a path.
        &[
            ("a", "use crate::c;\nfn f() { c::d::g() }"),
            ("c", ""),
            ("c::d", "use crate::a::X;"),
        ],
        // `super::` between siblings, three files round.
        &[
            ("m::x", "use super::y::A;"),
            ("m::y", "fn f() { super::z::g() }"),
            ("m::z", "use super::x::B;"),
            ("m", ""),
        ],
    ];
    for files in cases {
        let g = graph(&sources(files));
        assert_eq!(cycles(&g).len(), 1, "{files:?}: {g:?}");
    }
}

#[test]
fn ignores_what_is_not_an_import() {
    let g = graph(&sources(&[
        (
            "a",
            "use crate::b::X;\n\
             // use crate::a::Y in a comment\n\
             const S: &str = \"crate::a::Z\";\n\
             const R: &str = r#\"crate::a::W {\"#;\n\
             fn f<'x>(c: char) -> bool { c == '{' }\n\
             #[cfg(test)]\nmod tests { use crate::b::a_test_helper; }",
        ),
        (
            "b",
            "/* crate::a::Q */\n\
             #[cfg(test)]\nmod tests { use crate::a::helper; fn t() { crate::a::f() } }\n\
             fn h() {}",
        ),
    ]));
    assert_eq!(g["a"], BTreeSet::from(["b".to_string()]));
    assert!(g["b"].is_empty(), "{:?}", g["b"]);
    assert!(cycles(&g).is_empty());
}

#[test]
fn module_paths_of_files() {
    assert_eq!(module_of(Path::new("lib.rs")), "");
    assert_eq!(module_of(Path::new("main.rs")), "");
    assert_eq!(module_of(Path::new("ctx.rs")), "ctx");
    assert_eq!(module_of(Path::new("store/mod.rs")), "store");
    assert_eq!(
        module_of(Path::new("commands/verify.rs")),
        "commands::verify"
    );
}
