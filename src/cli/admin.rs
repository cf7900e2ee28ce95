//! The arguments of the administrator's commands: import, export, rekey, generate.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// otpauth URIs one a line, or CSV email,uri or email,secret (optional device, org, name columns); - for stdin
    pub file: String,
    /// Add missing accounts
    #[arg(long)]
    pub create: bool,
    /// Organisation of the accounts --create adds
    #[arg(long, requires = "create")]
    pub org: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only this account
    #[arg(long, value_name = "EMAIL", conflicts_with = "org")]
    pub user: Option<String>,
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RekeyArgs {
    /// The new key file to create (or, to resume a killed rotation, the one it created, named again)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Shell completions (bash, zsh, fish, elvish, PowerShell) into DIR
    Completions { dir: PathBuf },
    /// Man pages (twofa.1 and one per subcommand) into DIR
    Man { dir: PathBuf },
}
