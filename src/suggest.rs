//! "Did you mean …?": the stored emails closest to one that names no account, by edit
//! distance on the local part and the domain separately (strsim). Pure: the store supplies
//! a bounded set of candidates, this module ranks them.

use strsim::levenshtein;

/// At most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 3;

/// The edit distance between two emails: local part to local part plus domain to domain
/// (a typo in each counts once, and no edit moves characters across the `@`).
pub fn distance(a: &str, b: &str) -> usize {
    let (la, da) = a.split_once('@').unwrap_or((a, ""));
    let (lb, db) = b.split_once('@').unwrap_or((b, ""));
    levenshtein(la, lb) + levenshtein(da, db)
}

/// Up to [`MAX_SUGGESTIONS`] of `candidates` close enough to `typed` to be what was meant
/// (at most 2 edits, or one in five characters for longer emails), closest first.
pub fn closest(typed: &str, candidates: &[String]) -> Vec<String> {
    let limit = (typed.chars().count() / 5).max(2);
    let mut ranked: Vec<(usize, &String)> = candidates
        .iter()
        .filter(|c| c.as_str() != typed)
        .map(|c| (distance(typed, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    ranked.sort();
    ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.clone())
        .collect()
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn typos_in_either_part_find_the_account() {
        let stored = owned(&[
            "alice@example.com",
            "alicia@example.com",
            "bob@example.com",
            "alice@example.org",
            "zed@other.net",
        ]);
        assert_eq!(
            closest("alcie@example.com", &stored)[0],
            "alice@example.com"
        );
        assert_eq!(
            closest("alice@exmaple.com", &stored)[0],
            "alice@example.com"
        );
        assert_eq!(
            closest("alice@example.con", &stored),
            owned(&[
                "alice@example.com",
                "alice@example.org",
                "alicia@example.com"
            ])
        );
        assert!(closest("nobody@nowhere.io", &stored).is_empty());
        assert!(
            closest("alice@example.com", &stored)
                .iter()
                .all(|s| s != "alice@example.com"),
            "never the email itself"
        );
    }

    #[test]
    fn at_most_three_closest_first() {
        let stored = owned(&["ab@x.io", "ac@x.io", "ad@x.io", "ae@x.io", "a@x.io"]);
        let got = closest("aa@x.io", &stored);
        assert_eq!(got.len(), MAX_SUGGESTIONS);
        assert_eq!(got[0], "a@x.io", "one deletion before the substitutions");
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(or_list(&owned(&["a"])), "a");
        assert_eq!(or_list(&owned(&["a", "b"])), "a or b");
        assert_eq!(or_list(&owned(&["a", "b", "c"])), "a, b or c");
    }
}
