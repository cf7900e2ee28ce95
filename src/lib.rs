//! twofa administers TOTP two-factor authentication in an application's account database.
//!
//! The core is pure and unit-tested: [`totp`] (RFC 6238 with replay by step),
//! [`recovery`] (look-up secrets under Argon2id), [`crypto`] (secrets sealed with an AEAD
//! bound to the account row), [`policy`] (compliance and deadlines). [`store`] holds all
//! SQL behind one interface; [`commands`] validate input, call the core and the store, and
//! write through [`output`]. [`app`] decides the context once and dispatches.

pub mod app;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod crypto;
pub mod exit;
pub mod model;
pub mod output;
pub mod policy;
pub mod prompt;
pub mod qr;
pub mod recovery;
pub mod store;
pub mod totp;
