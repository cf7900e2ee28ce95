//! The QR code of the otpauth URI, drawn in the terminal.
//!
//! With colour it is qr2term's rendering, made into a string (its `print_qr` panics on a
//! closed pipe); it sets both colours, so any background shows it. Without colour
//! (`NO_COLOR`) it is drawn with `█ ▀ ▄` half blocks and a 4-module quiet zone, and the
//! glyphs are in the terminal's text colour: for a dark background ([`QrStyle::Dark`], as
//! `qrencode -t UTF8` draws) the glyphs are the light modules, for a light background the
//! dark ones. A QR code drawn for the other background is a negative that scanners refuse.

use std::time::Duration;

use anyhow::{Result, anyhow};
use clap::ValueEnum;
use qr2term::qr::Qr;
use qr2term::render::QrDark;

const QUIET_ZONE: usize = 4;

/// How long the terminal has to answer the background-colour query: a terminal that
/// does not know the query answers the DA1 query sent after it at once, so only a silent
/// one waits this long.
pub const QUERY_TIMEOUT: Duration = Duration::from_millis(500);

/// The terminal background a colourless QR code is drawn for (`--qr-style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QrStyle {
    /// Light text on a dark background: the glyphs are the light modules.
    Dark,
    /// Dark text on a light background: the glyphs are the dark modules.
    Light,
}

/// The QR code of `data` as terminal text, one line per two module rows; `style` matters
/// only without colour.
pub fn render(data: &str, color: bool, style: QrStyle) -> Result<String> {
    if color {
        return qr2term::generate_qr_string(data)
            .map_err(|e| anyhow!("cannot draw the QR code: {e}"));
    }
    let mut matrix = Qr::from(data)
        .map_err(|e| anyhow!("cannot draw the QR code: {e}"))?
        .to_matrix();
    matrix.surround(QUIET_ZONE, qr2term::render::QrLight);
    let size = matrix.size();
    let px = matrix.pixels();
    // Below the last row (an odd size) is more quiet zone.
    let light = |row: usize, col: usize| row >= size || px[row * size + col] != QrDark;
    let inked = |row: usize, col: usize| light(row, col) == (style == QrStyle::Dark);
    let mut out = String::with_capacity(size * size / 2 * 3 + size);
    for row in (0..size).step_by(2) {
        for col in 0..size {
            out.push(match (inked(row, col), inked(row + 1, col)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

/// The columns a rendered QR code takes on a terminal: its widest line, not counting the
/// escape sequences that colour it.
pub fn width(rendered: &str) -> usize {
    rendered
        .lines()
        .map(|line| {
            let mut n = 0;
            let mut in_escape = false;
            for c in line.chars() {
                match (in_escape, c) {
                    (false, '\x1b') => in_escape = true,
                    (false, _) => n += 1,
                    // A CSI sequence ends with a letter.
                    (true, c) if c.is_ascii_alphabetic() => in_escape = false,
                    (true, _) => {}
                }
            }
            n
        })
        .max()
        .unwrap_or(0)
}

/// Asks the terminal for its background colour (OSC 11, answered within
/// [`QUERY_TIMEOUT`]); `None` when it does not answer or there is no terminal.
pub fn terminal_style() -> Option<QrStyle> {
    let options = {
        let mut o = terminal_colorsaurus::QueryOptions::default();
        o.timeout = QUERY_TIMEOUT;
        o
    };
    let background = terminal_colorsaurus::background_color(options).ok()?;
    Some(if background.perceived_lightness() > 0.5 {
        QrStyle::Light
    } else {
        QrStyle::Dark
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/twofa:a@example.com?secret=AAAA&issuer=twofa";

    #[test]
    fn colourless_rendering_uses_half_blocks_only() {
        let s = render(URI, false, QrStyle::Dark).unwrap();
        assert!(s.chars().all(|c| "█▀▄ \n".contains(c)));
        let lines: Vec<&str> = s.lines().collect();
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        assert!(lines[0].chars().all(|c| c == '█'), "quiet zone is light");
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn the_width_counts_modules_not_colours() {
        let plain = render(URI, false, QrStyle::Dark).unwrap();
        let modules = plain.lines().next().unwrap().chars().count();
        assert_eq!(width(&plain), modules);
        let coloured = render(URI, true, QrStyle::Dark).unwrap();
        assert!(coloured.contains('\x1b'));
        let w = width(&coloured);
        assert!(
            w >= modules - 2 * QUIET_ZONE && w <= modules,
            "{w} vs {modules}"
        );
    }

    #[test]
    fn light_style_is_the_negative_of_dark_style() {
        let dark = render(URI, false, QrStyle::Dark).unwrap();
        let light = render(URI, false, QrStyle::Light).unwrap();
        let lines: Vec<&str> = light.lines().collect();
        assert!(
            lines[0].chars().all(|c| c == ' '),
            "quiet zone is not inked"
        );
        assert_eq!(dark.chars().count(), light.chars().count());
        let negative: String = dark
            .chars()
            .map(|c| match c {
                '█' => ' ',
                ' ' => '█',
                '▀' => '▄',
                '▄' => '▀',
                other => other,
            })
            .collect();
        assert_eq!(light, negative);
    }
}
