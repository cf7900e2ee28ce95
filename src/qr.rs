//! The QR code of the otpauth URI, drawn in the terminal.
//!
//! With colour it is qr2term's rendering, made into a string (its `print_qr` panics on a
//! closed pipe). Without colour (`NO_COLOR`) qr2term's output is invisible, so it is drawn
//! with `█ ▀ ▄` half blocks, as `qrencode -t UTF8` does: the glyphs are the light modules,
//! for the usual light text on a dark background, with a 4-module quiet zone.

use anyhow::{Result, anyhow};
use qr2term::qr::Qr;
use qr2term::render::QrDark;

const QUIET_ZONE: usize = 4;

/// The QR code of `data` as terminal text, one line per two module rows.
pub fn render(data: &str, color: bool) -> Result<String> {
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
    let light = |row: usize, col: usize| row >= size || px[row * size + col] != QrDark;
    let mut out = String::with_capacity(size * size / 2 * 3 + size);
    for row in (0..size).step_by(2) {
        for col in 0..size {
            out.push(match (light(row, col), light(row + 1, col)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colourless_rendering_uses_half_blocks_only() {
        let s = render(
            "otpauth://totp/twofa:a@example.com?secret=AAAA&issuer=twofa",
            false,
        )
        .unwrap();
        assert!(s.chars().all(|c| "█▀▄ \n".contains(c)));
        let lines: Vec<&str> = s.lines().collect();
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        assert!(lines[0].chars().all(|c| c == '█'), "quiet zone is light");
        assert!(!s.contains('\x1b'));
    }
}
