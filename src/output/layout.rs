//! How a table fits the terminal: the width it gets, and which columns it keeps, wraps,
//! shortens or drops (or whether it is drawn as stacked records) to fit.

use std::io;

use crate::term::columns;

/// The width tables get: the terminal's columns (the window size of stdout, else
/// `COLUMNS`) when stdout is a terminal; `None` (never wrapped: one line a row, for
/// `grep`) otherwise.
pub fn table_width(stdout_tty: bool) -> Option<usize> {
    stdout_tty.then(|| columns(io::stdout()))
}

/// The width messages on stderr wrap at: its terminal's columns (else `COLUMNS`) when it is
/// a terminal; `None` (never wrapped) otherwise.
pub fn stderr_width() -> Option<usize> {
    use std::io::IsTerminal;
    io::stderr().is_terminal().then(|| columns(io::stderr()))
}

/// How a page of a table is laid out in a given width.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Layout {
    /// These columns (indices into the row), each this wide.
    Columns(Vec<(usize, usize)>),
    /// Too narrow for any table: each record as `key: value` lines.
    Stacked,
}

/// Characters as a terminal shows them (one column each, for the text twofa writes).
pub(super) fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The width a column needs with its header wrapped at spaces, and the width it can
/// shrink to (free text to a few characters; anything else never below its longest cell).
pub(super) fn column_needs(header: &str, cells: &[&str], free: bool) -> (usize, usize) {
    let longest_cell = cells.iter().map(|c| chars(c)).max().unwrap_or(0);
    let longest_word = header.split(' ').map(chars).max().unwrap_or(0);
    let natural = longest_cell.max(chars(header));
    let least = if free {
        longest_word.max(longest_cell.min(FREE_TEXT_MIN))
    } else {
        longest_word.max(longest_cell)
    };
    (natural, least)
}

/// Free text is shortened to no fewer characters than this.
const FREE_TEXT_MIN: usize = 12;

/// The table's width for columns of these widths: `│ a │ b │`.
pub(super) fn drawn_width(widths: impl Iterator<Item = usize>) -> usize {
    let (sum, n) = widths.fold((0, 0), |(s, n), w| (s + w, n + 1));
    sum + 3 * n + 1
}

/// Chooses the columns and their widths for `width` terminal columns: whole when they
/// fit; else headers wrapped and free text shortened; else dropping columns until they
/// fit, first those whose every cell is `empty` (they say nothing; in `drop_order`, then
/// from the right), then the others in `drop_order`; else stacked.
pub(super) fn layout(
    headers: &[String],
    rows: &[Vec<String>],
    free: &[bool],
    empty: &[bool],
    drop_order: &[usize],
    width: usize,
) -> Layout {
    let needs: Vec<(usize, usize)> = (0..headers.len())
        .map(|i| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(String::as_str)
                .collect();
            column_needs(&headers[i], &cells, free[i])
        })
        .collect();
    let mut kept: Vec<usize> = (0..headers.len()).collect();
    let listed = drop_order.iter().copied().filter(|&i| i < headers.len());
    let unlisted = (1..headers.len()).rev().filter(|i| !drop_order.contains(i));
    let blank: Vec<usize> = listed
        .clone()
        .chain(unlisted)
        .filter(|&i| empty.get(i).copied().unwrap_or(false))
        .collect();
    let mut order = blank
        .clone()
        .into_iter()
        .chain(listed.filter(|i| !blank.contains(i)));
    loop {
        if drawn_width(kept.iter().map(|&i| needs[i].0)) <= width {
            return Layout::Columns(kept.iter().map(|&i| (i, needs[i].0)).collect());
        }
        let least = drawn_width(kept.iter().map(|&i| needs[i].1));
        if least <= width {
            // Give the room left over to the columns that were narrowed, in order.
            let mut spare = width - least;
            let widths = kept
                .iter()
                .map(|&i| {
                    let more = (needs[i].0 - needs[i].1).min(spare);
                    spare -= more;
                    (i, needs[i].1 + more)
                })
                .collect();
            return Layout::Columns(widths);
        }
        match order.next() {
            Some(drop) => kept.retain(|&i| i != drop),
            None => return Layout::Stacked,
        }
    }
}

/// A header wrapped at spaces into lines of at most `width` (a word longer than that stays
/// whole).
pub(super) fn wrap_words(text: &str, width: usize) -> String {
    crate::text::wrap(text, width, 0)
}

/// `text` in at most `width` characters, ending in `…` when shortened.
pub(super) fn shorten(text: &str, width: usize) -> String {
    if chars(text) <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tables_fit_by_wrapping_headers_then_dropping_columns() {
        let headers = strings(&["EMAIL", "STATE", "ENROLLED AT", "DETAIL"]);
        let rows = vec![strings(&[
            "alice@example.com",
            "enabled",
            "2027-01-15T08:00:15Z",
            "a rather long free text detail of some sort",
        ])];
        let free = [false, false, false, true];
        // Wide: everything whole.
        let Layout::Columns(wide) = layout(&headers, &rows, &free, &[], &[], 200) else {
            panic!("stacked")
        };
        assert_eq!(wide.len(), 4);
        assert_eq!(wide[3].1, 43);
        // Narrower: the detail shrinks, the email and the timestamp never do.
        let Layout::Columns(mid) = layout(&headers, &rows, &free, &[], &[], 80) else {
            panic!("stacked")
        };
        assert_eq!(mid.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(mid[0].1, 17);
        assert_eq!(mid[2].1, 20);
        assert!(drawn_width(mid.iter().map(|c| c.1)) <= 80);
        // Narrower still: columns go in the drop order.
        let Layout::Columns(narrow) = layout(&headers, &rows, &free, &[], &[3, 2], 50) else {
            panic!("stacked")
        };
        assert_eq!(narrow.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1]);
        // Too narrow for the columns that cannot go: stacked.
        assert_eq!(
            layout(&headers, &rows, &free, &[], &[3, 2], 30),
            Layout::Stacked
        );
        assert_eq!(
            layout(&headers, &rows, &free, &[], &[3], 50),
            Layout::Stacked
        );
    }

    #[test]
    fn columns_that_say_nothing_go_first() {
        let headers = strings(&["EMAIL", "ENROLLED AT", "FAILED ATTEMPTS", "LOCKED UNTIL"]);
        let rows = vec![
            strings(&["alice@example.com", "2027-01-15T08:00:15Z", "0", "-"]),
            strings(&["bob@example.com", "2027-01-15T08:00:45Z", "0", "-"]),
        ];
        let free = [false; 4];
        // The priority order would drop ENROLLED AT first; the empty columns go before it.
        let drop_order = [1, 3, 2];
        let empty = [false, false, true, true];
        let Layout::Columns(cols) = layout(&headers, &rows, &free, &empty, &drop_order, 50) else {
            panic!("stacked")
        };
        assert_eq!(cols.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1]);
        // Without empty columns, the priority order decides as before.
        let Layout::Columns(cols) = layout(&headers, &rows, &free, &[false; 4], &drop_order, 50)
        else {
            panic!("stacked")
        };
        assert_eq!(cols.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 2, 3]);
        // When everything fits, an empty column stays.
        let Layout::Columns(cols) = layout(&headers, &rows, &free, &empty, &drop_order, 200) else {
            panic!("stacked")
        };
        assert_eq!(cols.len(), 4);
    }

    #[test]
    fn wrapping_and_shortening() {
        assert_eq!(
            wrap_words("RECOVERY CODES LEFT", 8),
            "RECOVERY\nCODES\nLEFT"
        );
        assert_eq!(wrap_words("LAST USED AT", 9), "LAST USED\nAT");
        assert_eq!(
            wrap_words("ENROLLED AT", 3),
            "ENROLLED\nAT",
            "a word stays whole"
        );
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
