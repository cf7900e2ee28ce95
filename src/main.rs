use std::io::Write;

use twofa::exit::{ExitCode, classify};

fn main() -> std::process::ExitCode {
    let cli = match twofa::cli::Cli::try_parse_args() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are successes; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Success
            }
            .into();
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
