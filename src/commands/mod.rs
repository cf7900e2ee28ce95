//! One module per command group: each validates its input, calls the core and the store,
//! and writes its result through `output`.

pub mod admin;
pub mod audit;
pub mod enroll;
pub mod generate;
pub mod lifecycle;
pub mod log;
pub mod orgs;
pub mod policy;
pub mod recovery;
pub mod users;
pub mod verify;

use anyhow::Result;

use crate::exit::not_found;
use crate::model::{Account, Org};
use crate::store::{Store, Tx};

pub(crate) fn no_account(email: &str) -> anyhow::Error {
    not_found(format!(
        "no account {email} (add it with 'twofa user add {email}')"
    ))
}

fn no_org(org: &str) -> anyhow::Error {
    not_found(format!(
        "no organisation '{org}' (add it with 'twofa org add {org}')"
    ))
}

/// The account, or exit 3 naming it.
pub(crate) fn account(store: &mut dyn Store, email: &str) -> Result<Account> {
    store.account(email)?.ok_or_else(|| no_account(email))
}

/// The account read inside a transaction, or exit 3 naming it.
pub(crate) fn account_tx(tx: &mut dyn Tx, email: &str) -> Result<Account> {
    tx.account(email)?.ok_or_else(|| no_account(email))
}

/// The organisation, or exit 3 naming it.
pub(crate) fn org(store: &mut dyn Store, slug: &str) -> Result<Org> {
    store.org(slug)?.ok_or_else(|| no_org(slug))
}

/// The organisation read inside a transaction, or exit 3 naming it.
pub(crate) fn org_tx(tx: &mut dyn Tx, slug: &str) -> Result<Org> {
    tx.org(slug)?.ok_or_else(|| no_org(slug))
}
