//! twofa administers TOTP two-factor authentication in an application's account database.
//!
//! The core is pure and unit-tested: [`totp`] (RFC 6238 with replay by step), [`code`]
//! (reading what a person typed), [`text`] (the text rules: what a name may be, escaping
//! what is shown), [`recovery`] (look-up secrets under Argon2id), [`crypto`]
//! (secrets sealed with an AEAD bound to the account row), [`policy`] (compliance and
//! deadlines), [`verify`] (what a verify attempt decides), [`chain`] (the event log's hash
//! chain) with [`actions`] (its action names), [`summary`] with [`metrics`] and [`report`] (compliance figures and their
//! renderings), [`diagnose`] (what a code says about the phone's clock), [`foureyes`] (who must
//! approve what, and who the operator is), [`suggest`] ("did
//! you mean"). [`store`] holds all SQL behind
//! one interface; [`commands`] validate input, call the core and the store in the [`ctx`]
//! of the run (with [`keys`] and [`hook`]), and write through [`output`]. [`app`]
//! dispatches. Imports flow one way: app → commands → {ctx, keys, hook, store, core} →
//! output. ARCHITECTURE.md, at the root of the repository, maps the rooms and says where
//! each kind of change goes.

pub mod actions;
pub mod app;
pub mod chain;
pub mod childenv;
pub mod cli;
pub mod clock;
pub mod code;
pub mod commands;
pub mod crypto;
pub mod ctx;
pub mod devices;
pub mod diagnose;
pub mod exit;
pub mod foureyes;
pub mod hook;
pub mod input;
pub mod keycmd;
pub mod keys;
pub mod metrics;
pub mod model;
pub mod otpauth;
pub mod output;
pub mod owner;
pub mod policy;
pub mod prompt;
pub mod qr;
pub mod recovery;
pub mod report;
pub mod store;
pub mod suggest;
pub mod summary;
pub mod term;
pub mod text;
pub mod totp;
pub mod verify;
