//! The terminal's width, as tables, messages and help text fit it.

/// The columns of the terminal `fd` is, else `COLUMNS`, else 80. A terminal that reports
/// no size (a pty with no rows or columns set, as `script` makes one) counts as none.
pub fn columns(fd: impl std::os::fd::AsFd) -> usize {
    let from_ioctl = rustix::termios::tcgetwinsize(fd)
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|&c| c > 0);
    let from_env = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0)
    };
    from_ioctl.or_else(from_env).unwrap_or(80)
}
