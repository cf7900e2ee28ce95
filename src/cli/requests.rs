//! The arguments of the four-eyes rule's commands: requests, approve, deny (and `user
//! protect`, in `users.rs`).

use clap::Args;

#[derive(Debug, Args)]
pub struct RequestsArgs {
    /// Every request, approved, denied and expired too
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The request's id (from 'twofa requests')
    pub id: i64,
    /// Why, or how the request was checked (written to the event log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct DenyArgs {
    /// The request's id (from 'twofa requests')
    pub id: i64,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ProtectArgs {
    /// Email address of the account
    pub email: String,
    /// End the protection (needs approval, as a reset does)
    #[arg(long)]
    pub clear: bool,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}
