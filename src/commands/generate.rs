//! The hidden `generate` command: shell completions and man pages from the clap
//! definition, into the committed `completions/` and `man/` folders; and the benchmark
//! data set (`generate data`, in gendata.rs).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateCommand};
use crate::ctx::Ctx;
use crate::exit::ExitCode;

/// Writes completions for every supported shell into `dir`.
pub fn completions(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut cmd = Cli::command();
        clap_complete::generate_to(shell, &mut cmd, "twofa", dir)
            .with_context(|| format!("cannot write {shell} completions to {}", dir.display()))?;
    }
    Ok(())
}

/// Writes `twofa.1` and one page per subcommand (`twofa-enroll.1`, `twofa-org-add.1`, …).
pub fn man(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let cmd = Cli::command();
    clap_mangen::generate_to(cmd, dir)
        .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
    Ok(())
}

pub fn run(ctx: &mut Ctx, what: GenerateCommand) -> Result<ExitCode> {
    match what {
        GenerateCommand::Completions { dir } => completions(&dir)?,
        GenerateCommand::Man { dir } => man(&dir)?,
        GenerateCommand::Data(args) => return super::gendata::run(ctx, &args),
    }
    Ok(ExitCode::Success)
}
