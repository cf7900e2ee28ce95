//! The arguments of the support desk's commands: find, diagnose, resync, access-code.

use clap::Args;

use super::whole;

#[derive(Debug, Args)]
pub struct FindArgs {
    /// Text to look for in emails and names (case-insensitive)
    pub text: String,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Email address of the account
    pub email: String,
    /// A code from the user's app to examine; '-' reads it from stdin; omitted: none
    pub code: Option<String>,
    /// How far to look each way for the code's time step, in minutes (at most 1440)
    #[arg(long, value_name = "MINUTES", default_value_t = 10, allow_negative_numbers = true,
          value_parser = whole::<u32>(0, 1440, "minutes"))]
    pub window: u32,
    /// The device the code comes from (needed when the account has several)
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

#[derive(Debug, Args)]
pub struct ResyncArgs {
    /// Email address of the account
    pub email: String,
    /// Two consecutive codes, or '-' (or nothing) to read them from stdin, one a line
    #[arg(num_args = 0..=2, value_name = "CODE1 CODE2|-")]
    pub codes: Vec<String>,
    /// The device the codes come from (needed when the account has several)
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

#[derive(Debug, Args)]
pub struct AccessCodeArgs {
    /// Email address of the account
    pub email: String,
    /// Why (written to the event log): who asked, and how their identity was checked
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// How long the code works: 30m, 12h, 2d (at most 7d)
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub ttl: String,
    /// Cancel the account's live access code instead of issuing one
    #[arg(long, conflicts_with = "ttl")]
    pub revoke: bool,
}
