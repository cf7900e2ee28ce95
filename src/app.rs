//! The one dispatch from a parsed command line to its command, in the context decided once
//! for the run.

use anyhow::Result;

use crate::cli::{
    Cli, Command, DeviceCommand, KeyCommand, OrgCommand, RecoveryCommand, UserCommand,
};
use crate::commands;
use crate::ctx::Ctx;
use crate::exit::ExitCode;

/// Runs the parsed command line; returns the exit code for a completed run.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut ctx = Ctx::new(cli.global)?;
    let code = match cli.command {
        Command::Init => commands::admin::init(&mut ctx)?,
        Command::Org(OrgCommand::Add { org, name }) => commands::orgs::add(&mut ctx, &org, name)?,
        Command::Org(OrgCommand::List) => commands::orgs::list(&mut ctx)?,
        Command::Org(OrgCommand::Policy(args)) => commands::policy::run(&mut ctx, &args)?,
        Command::User(UserCommand::Add { email, org, name }) => {
            commands::users::add(&mut ctx, &email, org.as_deref(), name)?
        }
        Command::User(UserCommand::Import { file }) => commands::users::import(&mut ctx, &file)?,
        Command::User(UserCommand::List { org }) => {
            commands::users::list(&mut ctx, org.as_deref())?
        }
        Command::User(UserCommand::Remove(args)) => commands::lifecycle::remove(&mut ctx, &args)?,
        Command::User(UserCommand::Rename { old, new }) => {
            commands::users::rename(&mut ctx, &old, &new)?
        }
        Command::User(UserCommand::Move { email, org, .. }) => {
            commands::users::move_to(&mut ctx, &email, org.as_deref())?
        }
        Command::User(UserCommand::Sync(args)) => commands::sync::run(&mut ctx, &args)?,
        Command::Enroll(args) => commands::enroll::enroll(&mut ctx, &args)?,
        Command::Confirm(args) => commands::enroll::confirm(&mut ctx, &args)?,
        Command::Verify(args) => commands::verify::run(&mut ctx, &args)?,
        Command::Recovery(RecoveryCommand::Regenerate(a)) => {
            commands::recovery::regenerate(&mut ctx, &a.email)?
        }
        Command::Recovery(RecoveryCommand::Status(a)) => {
            commands::recovery::status(&mut ctx, &a.email)?
        }
        Command::Device(DeviceCommand::List(a)) => commands::devices::list(&mut ctx, &a)?,
        Command::Device(DeviceCommand::Rename(a)) => commands::devices::rename(&mut ctx, &a)?,
        Command::Device(DeviceCommand::Remove(a)) => commands::devices::remove(&mut ctx, &a)?,
        Command::Disable(args) => commands::lifecycle::disable(&mut ctx, &args)?,
        Command::Reset(args) => commands::lifecycle::reset(&mut ctx, &args)?,
        Command::Unlock(args) => commands::lifecycle::unlock(&mut ctx, &args)?,
        Command::Status(a) => commands::audit::status(&mut ctx, &a.email)?,
        Command::Audit(args) => commands::audit::audit(&mut ctx, &args)?,
        Command::Log(args) => commands::log::run(&mut ctx, &args)?,
        Command::Metrics(args) => commands::compliance::metrics(&mut ctx, &args)?,
        Command::Report(args) => commands::compliance::report(&mut ctx, &args)?,
        Command::Rekey(args) => commands::admin::rekey(&mut ctx, &args)?,
        Command::Check => commands::admin::check(&mut ctx)?,
        Command::User(UserCommand::Exempt(args)) => commands::exempt::run(&mut ctx, &args)?,
        Command::User(UserCommand::Protect(args)) => commands::requests::protect(&mut ctx, &args)?,
        Command::Requests(args) => commands::requests::list(&mut ctx, &args)?,
        Command::Approve(args) => commands::requests::approve(&mut ctx, &args)?,
        Command::Deny(args) => commands::requests::deny(&mut ctx, &args)?,
        Command::Remind(args) => commands::remind::run(&mut ctx, &args)?,
        Command::Find(args) => commands::users::find(&mut ctx, &args)?,
        Command::Diagnose(args) => commands::support::diagnose(&mut ctx, &args)?,
        Command::Resync(args) => commands::support::resync(&mut ctx, &args)?,
        Command::AccessCode(args) => commands::support::access_code(&mut ctx, &args)?,
        Command::Key(KeyCommand::Generate(args)) => commands::key::generate(&mut ctx, &args)?,
        Command::Generate(what) => commands::generate::run(what)?,
        Command::Import(args) => commands::migrate::import(&mut ctx, &args)?,
        Command::Export(args) => commands::export::export(&mut ctx, &args)?,
    };
    ctx.out.flush()?;
    Ok(code)
}
