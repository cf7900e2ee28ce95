//! The arguments of `device`: an account's named TOTP devices (list, rename, remove).

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// The account's devices, with their state and last use
    #[command(
        long_about = "Every TOTP device of the account (at most 5): its name, state (enabled or \
pending), when it was enrolled and when a code from it was last accepted, and a re-enrollment \
waiting for its first code. A device is added with 'twofa enroll EMAIL --device NAME'.",
        after_help = "Examples:\n  twofa device list alice@example.com\n  \
twofa device list alice@example.com --format json | jq -r '.[].device'"
    )]
    List(DeviceListArgs),
    /// Rename a device (its secret keeps working)
    #[command(
        long_about = "Give a device another name, unique for the account (the text rules of a \
name, at most 64 characters). Its secret, replay history and drift stay; the phone needs \
nothing new.",
        after_help = "Examples:\n  twofa device rename alice@example.com default \"work phone\""
    )]
    Rename(DeviceRenameArgs),
    /// Remove one device (a lost tablet) and keep the others
    #[command(
        long_about = "Remove one device: its codes stop working at once, the account's other \
devices and its recovery codes stay. Removing the last enabled device turns 2FA off (the \
recovery codes go too); where the organisation requires 2FA that is refused (exit 4): use \
'twofa reset' so that the user enrolls again.",
        after_help = "Examples:\n  twofa device remove alice@example.com tablet --reason \"lost, ticket 4711\""
    )]
    Remove(DeviceRemoveArgs),
}

#[derive(Debug, Args)]
pub struct DeviceListArgs {
    /// Email address of the account
    pub email: String,
}

#[derive(Debug, Args)]
pub struct DeviceRenameArgs {
    /// Email address of the account
    pub email: String,
    /// The device's name now
    pub old: String,
    /// Its new name
    pub new: String,
}

#[derive(Debug, Args)]
pub struct DeviceRemoveArgs {
    /// Email address of the account
    pub email: String,
    /// The device to remove
    pub name: String,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}
