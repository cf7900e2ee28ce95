//! The arguments of the administrator's commands: import, export, rekey, key, generate.

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
    /// Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RekeyArgs {
    /// The new key file to create (or, to resume a killed rotation, the one it created, named again)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
    /// Run CMD (through sh -c, as --key-command) for the new key: base64 or hex on its stdout
    #[arg(long, value_name = "CMD")]
    pub new_key_command: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// A new random key: base64 on stdout, or into a new file (mode 0600)
    #[command(
        long_about = "Make a new 256-bit key from the operating system's random source and \
print it as base64 (one line, as 'wg genkey' does) to put into a secret store, or, with -o, \
write that line into FILE, created with mode 0600 (refused if FILE exists). Its key id \
(the id messages and 'twofa check' use) is shown on stderr. --format does not change the \
output: it is the key alone. On a terminal it warns first: the key stays in the \
scrollback.",
        after_help = "Examples:\n  twofa key generate | vault kv put secret/twofa key=-\n  \
twofa key generate -o /etc/twofa/twofa.key\n  \
twofa key generate | systemd-creds encrypt --name=twofa.key - \\\n      \
/etc/credstore.encrypted/twofa.key"
    )]
    Generate(KeyGenerateArgs),
}

#[derive(Debug, Args)]
pub struct KeyGenerateArgs {
    /// Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Shell completions (bash, zsh, fish, elvish, PowerShell) into DIR
    Completions { dir: PathBuf },
    /// Man pages (twofa.1 and one per subcommand) into DIR
    Man { dir: PathBuf },
}
