//! Organisations and their policies: reading them (by slug in any case, with their counts)
//! and adding one or changing its policy.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, count, first, id, int};
use super::conn::{need, text};
use crate::clock::Timestamp;
use crate::exit::refused;
use crate::model::{Org, OrgSummary};
use crate::policy::Policy;

/// The columns [`org`] reads.
macro_rules! org_columns {
    () => {
        "id, slug, name, require_2fa, grace_days, policy_since"
    };
}
pub(super) use org_columns;

/// The organisation statements of the backends that mark parameters `?N` (SQLite, MySQL), the
/// same text on both; each gives its own way of adding an organisation only once (`add_org`).
macro_rules! marked_org_sql {
    (add_org: $add_org:expr $(,)?) => {
        $crate::store::sql::OrgSql {
            org: concat!(
                "SELECT ",
                $crate::store::orgs::org_columns!(),
                " FROM twofa_orgs WHERE lower(slug) = lower(?1) ORDER BY slug = ?1 DESC, slug LIMIT 1"
            ),
            orgs: "SELECT o.id, o.slug, o.name, o.require_2fa, o.grace_days, o.policy_since,
                          (SELECT count(*) FROM twofa_accounts a WHERE a.org_id = o.id),
                          (SELECT count(*) FROM twofa_accounts a
                             WHERE a.org_id = o.id AND a.cred_state = 'enabled')
                   FROM twofa_orgs o ORDER BY o.slug",
            org_slugs: "SELECT slug FROM twofa_orgs ORDER BY slug",
            org_ids: "SELECT id, slug FROM twofa_orgs",
            add_org: $add_org,
            set_policy: "UPDATE twofa_orgs SET require_2fa = ?2, grace_days = ?3, policy_since = ?4
                         WHERE id = ?1",
        }
    };
}
pub(super) use marked_org_sql;

/// Organisations, as [`super::Store`] reads them.
pub trait OrgStore {
    /// The organisation whose slug is `slug` in any case (`slug` itself first).
    fn org(&mut self, slug: &str) -> Result<Option<Org>>;
    fn orgs(&mut self) -> Result<Vec<OrgSummary>>;
    /// Every organisation's slug, by slug: [`OrgStore::orgs`] without its counts, which read
    /// every account.
    fn org_slugs(&mut self) -> Result<Vec<String>>;
}

/// Organisations, as a [`super::Tx`] reads and changes them.
pub trait OrgTx {
    /// See [`OrgStore::org`].
    fn org(&mut self, slug: &str) -> Result<Option<Org>>;
    /// Every organisation: (id, slug).
    fn org_ids(&mut self) -> Result<Vec<(i64, String)>>;
    /// Adds an organisation; an existing one is refused (exit 4).
    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64>;
    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()>;
}

/// [`org_columns`] from column 0.
pub(super) fn org(r: &dyn Columns) -> Result<Org> {
    Ok(Org {
        id: need(r.int(0)?, 0)?,
        slug: need(r.text(1)?, 1)?,
        name: r.text(2)?,
        policy: Policy {
            required: need(r.flag(3)?, 3)?,
            grace_days: count(r, 4)?,
            since: r.int(5)?,
        },
    })
}

/// [`org_columns`], then the counts of accounts and of enabled accounts.
fn org_summary(r: &dyn Columns) -> Result<OrgSummary> {
    Ok(OrgSummary {
        org: org(r)?,
        accounts: u64::from(count(r, 6)?),
        enabled: u64::from(count(r, 7)?),
    })
}

const READ: &str = "cannot read organisation";
const LIST: &str = "cannot list organisations";

impl<B: Backend> OrgStore for B {
    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        first(self, READ, B::SQL.orgs.org, &[text(slug)], org)
    }

    fn orgs(&mut self) -> Result<Vec<OrgSummary>> {
        all(self, LIST, B::SQL.orgs.orgs, &[], org_summary)
    }

    fn org_slugs(&mut self) -> Result<Vec<String>> {
        all(self, LIST, B::SQL.orgs.org_slugs, &[], |r| {
            need(r.text(0)?, 0)
        })
    }
}

impl<C: Conn + Commit> OrgTx for CoreTx<C> {
    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        first(&mut self.conn, READ, self.sql.orgs.org, &[text(slug)], org)
    }

    fn org_ids(&mut self) -> Result<Vec<(i64, String)>> {
        all(&mut self.conn, LIST, self.sql.orgs.org_ids, &[], |r| {
            Ok((need(r.int(0)?, 0)?, need(r.text(1)?, 1)?))
        })
    }

    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64> {
        // ON CONFLICT keeps the transaction usable; a concurrent insert of the same slug
        // is waited for, then counts as existing.
        let args = [text(slug), Arg::Text(name), int(now)];
        let sql = self.sql.orgs.add_org;
        match first(&mut self.conn, "cannot add organisation", sql, &args, id)? {
            Some(id) => Ok(id),
            None => Err(refused(format!("organisation '{slug}' already exists"))),
        }
    }

    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()> {
        let args = [
            int(org_id),
            Arg::Flag(policy.required),
            int(i64::from(policy.grace_days)),
            Arg::Int(policy.since),
        ];
        let sql = self.sql.orgs.set_policy;
        self.conn.exec("cannot change the policy", sql, &args)?;
        Ok(())
    }
}
