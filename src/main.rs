//! The `twofa` binary: parse the command line, run it (app::run), map the outcome to an
//! exit code and print an error chain as `twofa: error: …`.

use std::io::Write;

use twofa::exit::{ExitCode, classify};

fn main() -> std::process::ExitCode {
    let cli = match twofa::cli::Cli::try_parse_args() {
        Ok(cli) => cli,
        // A usage error exits 2, said like every other error; --help and --version succeed.
        Err(e) if e.use_stderr() => {
            let _ = write!(std::io::stderr(), "{}", twofa::cli::usage_error(&e));
            return ExitCode::Usage.into();
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::Success.into();
        }
    };
    match twofa::app::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let (code, quiet) = classify(&err);
            if !quiet {
                let msg = format!("twofa: error: {err:#}");
                let width = twofa::output::stderr_width();
                let _ = writeln!(std::io::stderr(), "{}", twofa::ctx::message(&msg, width));
            }
            code.into()
        }
    }
}
