//! The hidden `generate data` command: a reproducible benchmark database (bench/run,
//! BENCHMARKS.md), written through the same [`Store`]/[`Tx`] methods as every command, in
//! large transactions.
//!
//! GENERATOR ONLY, never for real accounts:
//! - who gets which state, the TOTP secrets and the recovery codes come from a seeded
//!   PRNG ([`SplitMix64`]), not from the OS CSPRNG, so a seed gives the same accounts;
//! - every enabled account shares one precomputed recovery-code set: ten codes hashed once,
//!   at the real Argon2id parameters, with salts from the PRNG. Real hashing would cost a
//!   million times ten Argon2 evaluations; `bench/run` measures it separately;
//! - pending enrollments and lockouts last 30 days from the epoch (not 15 minutes), and
//!   accounts and policies start at whole days before it, so that states and compliance
//!   change only at whole days after the epoch, never while the benchmark compares outputs.
//!
//! The first account is always `bench@example.com`: enabled, outside any organisation, with
//! a TOTP secret and recovery codes that the generator writes next to the database
//! (`DB.bench-secret`, base32; `DB.bench-codes`, one code a line), so the benchmark can
//! compute accepted codes for it.
//!
//! Only the master key (the key file's, when it already exists) and the AEAD nonces are not
//! from the seed; with the same key file, seed and `--epoch` the database holds the same
//! data.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use argon2::{Algorithm, Argon2, PasswordHasher, Version};
use serde::Serialize;

use crate::cli::GenerateDataArgs;
use crate::clock::Timestamp;
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, refused, usage};
use crate::model::Event;
use crate::output::{Human, Output};
use crate::policy::{DAY, Policy};
use crate::recovery::{self, HashedCode};
use crate::store::{self, NewCredential, OpenMode, Spend, Store, Tx};
use crate::totp;

/// Accounts per transaction.
const BATCH: u64 = 10_000;
/// How long generated pending enrollments and lockouts last (see the module comment).
const HOLD: i64 = 30 * DAY;
const ACTOR: &str = "twofa-generate";

/// GENERATOR ONLY: SplitMix64, a small seeded PRNG for reproducible data. Not a CSPRNG.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "ada", "alan", "alice", "anna", "ben", "bob", "carla", "chen", "dana", "dev", "eva", "femi",
    "grace", "hana", "ian", "ines", "jan", "jo", "kai", "lea", "li", "luis", "maria", "mo", "nina",
    "omar", "paul", "priya", "ravi", "rosa", "sam", "sara", "tom", "uma", "vera", "yuki",
];
const LAST: &[&str] = &[
    "adams", "bauer", "costa", "diaz", "evans", "fischer", "garcia", "hansen", "ito", "jones",
    "kim", "lopez", "martin", "nguyen", "okafor", "petrov", "quinn", "rossi", "silva", "smith",
    "tanaka", "umar", "varga", "wang", "weber", "xu", "young", "zhang",
];
const WORDS: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "stark",
    "wayne",
    "tyrell",
    "cyberdyne",
    "soylent",
    "wonka",
    "gringotts",
    "aperture",
    "oscorp",
    "nakatomi",
];

/// What was generated.
#[derive(Serialize)]
struct Generated {
    accounts: u64,
    orgs: u32,
    bench_account: String,
    secret_file: String,
    codes_file: String,
    seconds: f64,
}

impl Human for Generated {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "generated {} accounts in {} organisations in {:.1} s; the secret of {} is in {}, its recovery codes in {}",
            self.accounts,
            self.orgs,
            self.seconds,
            self.bench_account,
            self.secret_file,
            self.codes_file
        ))
    }
}

/// The known account whose secret and recovery codes the generator writes out.
pub const BENCH_EMAIL: &str = "bench@example.com";

struct OrgInfo {
    id: i64,
    slug: String,
}

/// A recovery code of the shared set, to spend on an account once its batch is committed.
struct PlannedSpend {
    account_id: i64,
    email: String,
    org: Option<String>,
    codes: Vec<usize>,
    at: Timestamp,
}

/// `twofa generate data --accounts N [--seed S] [--orgs N]`.
pub fn run(ctx: &mut Ctx, args: &GenerateDataArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if args.orgs == 0 {
        return Err(usage("generate data needs --orgs of at least 1"));
    }
    let mut store = ctx.open(OpenMode::Create)?;
    if !store.orgs()?.is_empty() || store.account(BENCH_EMAIL)?.is_some() {
        return Err(refused(format!(
            "{} already holds data; generate data fills a new database",
            ctx.db_display()
        )));
    }
    let key = ctx.key(store.as_mut())?;
    let epoch = args.epoch.unwrap_or_else(|| ctx.now());
    let mut rng = SplitMix64::new(args.seed);

    // The shared recovery-code set, hashed once at the real parameters.
    let codes = code_set(&mut rng);
    let hashed = hash_shared(&codes, &mut rng)?;
    let mut bench_secret = [0u8; totp::SECRET_LEN];
    rng.fill(&mut bench_secret);

    let orgs = add_orgs(store.as_mut(), &mut rng, args.orgs, epoch)?;

    let progress = ctx.progress(Some(args.accounts), "generating");
    let mut next = 0u64;
    while next < args.accounts {
        let end = (next + BATCH).min(args.accounts);
        let mut spends = Vec::new();
        let mut tx = store.begin()?;
        for i in next..end {
            let g = Gen {
                key: &key,
                hashed: &hashed,
                epoch,
            };
            if i == 0 {
                g.bench_account(tx.as_mut(), &bench_secret)?;
            } else {
                g.account(tx.as_mut(), &mut rng, &orgs, i, &mut spends)?;
            }
            progress.inc();
        }
        tx.log(Event::new(epoch, ACTOR, "generate").detail(format!(
            "accounts {next}..{end} of {} (seed {})",
            args.accounts, args.seed
        )))?;
        tx.commit()?;
        spend(store.as_mut(), &codes, &spends)?;
        next = end;
    }
    progress.finish();

    let base = if store::is_url(&ctx.db) {
        "twofa-bench".to_string()
    } else {
        ctx.db.clone()
    };
    let secret_file = format!("{base}.bench-secret");
    let codes_file = format!("{base}.bench-codes");
    write_private(
        &secret_file,
        &format!("{}\n", totp::secret_base32(&bench_secret).as_str()),
    )?;
    let shown: Vec<String> = codes.iter().map(|c| recovery::display(c)).collect();
    write_private(&codes_file, &format!("{}\n", shown.join("\n")))?;

    ctx.out.object(&Generated {
        accounts: args.accounts,
        orgs: args.orgs,
        bench_account: BENCH_EMAIL.to_string(),
        secret_file,
        codes_file,
        seconds: started.elapsed().as_secs_f64(),
    })?;
    Ok(ExitCode::Success)
}

/// Ten codes in normal form with distinct look-up prefixes, from the PRNG.
fn code_set(rng: &mut SplitMix64) -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut codes: Vec<String> = Vec::with_capacity(recovery::SET_SIZE);
    while codes.len() < recovery::SET_SIZE {
        let code: String = (0..recovery::CODE_LEN)
            .map(|_| ALPHABET[rng.below(32) as usize] as char)
            .collect();
        if codes
            .iter()
            .all(|c| recovery::lookup(c) != recovery::lookup(&code))
        {
            codes.push(code);
        }
    }
    codes
}

/// Hashes the shared set at the stored parameters, with salts from the PRNG, on every core.
fn hash_shared(codes: &[String], rng: &mut SplitMix64) -> Result<Vec<HashedCode>> {
    let salts: Vec<[u8; 16]> = codes
        .iter()
        .map(|_| {
            let mut s = [0u8; 16];
            rng.fill(&mut s);
            s
        })
        .collect();
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, recovery::params());
    std::thread::scope(|s| {
        let handles: Vec<_> = codes
            .iter()
            .zip(&salts)
            .map(|(code, salt)| {
                let hasher = &hasher;
                s.spawn(move || {
                    hasher
                        .hash_password_with_salt(code.as_bytes(), salt)
                        .map(|h| HashedCode {
                            lookup: recovery::lookup(code).to_string(),
                            hash: h.to_string(),
                        })
                        .map_err(|e| anyhow!("Argon2 hashing failed: {e}"))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a hashing thread panicked")))
            })
            .collect()
    })
}

fn add_orgs(
    store: &mut dyn Store,
    rng: &mut SplitMix64,
    n: u32,
    epoch: Timestamp,
) -> Result<Vec<OrgInfo>> {
    const GRACE: &[u32] = &[0, 7, 14, 30, 90];
    let mut tx = store.begin()?;
    let mut orgs = Vec::with_capacity(n as usize);
    for j in 0..n {
        let word = WORDS[j as usize % WORDS.len()];
        let slug = format!("{word}-{j:04}");
        let created = epoch - 4 * 365 * DAY;
        let id = tx.add_org(&slug, Some(&format!("{word} {j}")), created)?;
        if rng.percent(20) {
            let policy = Policy {
                required: true,
                grace_days: GRACE[rng.below(GRACE.len() as u64) as usize],
                since: Some(epoch - rng.below(400) as i64 * DAY),
            };
            tx.set_policy(id, &policy)?;
            let mut e = Event::new(policy.since.unwrap_or(epoch), ACTOR, "policy.require")
                .detail(format!("2FA required, {} grace day(s)", policy.grace_days));
            e.org = Some(slug.clone());
            tx.log(e)?;
        }
        orgs.push(OrgInfo { id, slug });
    }
    tx.commit()?;
    Ok(orgs)
}

/// One account's worth of generation.
struct Gen<'a> {
    key: &'a Keyring,
    hashed: &'a [HashedCode],
    epoch: Timestamp,
}

impl Gen<'_> {
    fn event(&self, at: Timestamp, action: &str, email: &str, org: Option<&str>) -> Event {
        let mut e = Event::new(at, ACTOR, action);
        e.email = Some(email.to_string());
        e.org = org.map(str::to_string);
        e
    }

    /// Enrolls and confirms `id` at `at` with `secret` and the shared recovery codes.
    fn enable(&self, tx: &mut dyn Tx, id: i64, secret: &[u8], at: Timestamp) -> Result<()> {
        let sealed = self.key.seal(id, secret)?;
        tx.start_enrollment(
            id,
            &NewCredential {
                sealed_secret: &sealed,
                created_at: at,
                expires_at: at + crate::commands::enroll::PENDING_SECONDS,
            },
        )?;
        tx.confirm(id, totp::step_of(at), at)?;
        tx.replace_recovery_codes(id, self.hashed, at)?;
        Ok(())
    }

    fn bench_account(&self, tx: &mut dyn Tx, secret: &[u8]) -> Result<()> {
        let email = BENCH_EMAIL;
        let created = self.epoch - 400 * DAY;
        let id = tx.add_account(email, None, Some("Bench Account"), created)?;
        let at = self.epoch - 300 * DAY;
        self.enable(tx, id, secret, at)?;
        tx.log(
            self.event(at, "confirm", email, None)
                .detail("2FA enabled; 10 recovery codes issued"),
        )?;
        Ok(())
    }

    fn account(
        &self,
        tx: &mut dyn Tx,
        rng: &mut SplitMix64,
        orgs: &[OrgInfo],
        i: u64,
        spends: &mut Vec<PlannedSpend>,
    ) -> Result<()> {
        let org = (!rng.percent(5)).then(|| &orgs[rng.below(orgs.len() as u64) as usize]);
        let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
        // A bijection of u32 keeps emails unique while their order has nothing to do with
        // the insertion order, as in a real account table.
        let unique = (i as u32).wrapping_mul(0x9E37_79B1);
        let domain = org.map_or("example.net".to_string(), |o| format!("{}.example", o.slug));
        let email = format!("{first}.{last}.{unique:08x}@{domain}");
        let name = (!rng.percent(10)).then(|| {
            let mut n = format!("{first} {last}");
            n[..1].make_ascii_uppercase();
            n
        });
        let slug = org.map(|o| o.slug.as_str());
        let created = self.epoch - (1 + rng.below(3 * 365) as i64) * DAY;
        let id = tx.add_account(&email, org.map(|o| o.id), name.as_deref(), created)?;
        let mut secret = [0u8; totp::SECRET_LEN];
        rng.fill(&mut secret);

        let state = rng.below(100);
        if state < 60 {
            let at = created + rng.below((self.epoch - created) as u64) as i64;
            self.enable(tx, id, &secret, at)?;
            tx.log(
                self.event(at, "confirm", &email, slug)
                    .detail("2FA enabled; 10 recovery codes issued"),
            )?;
            let mut last = at;
            if rng.percent(80) {
                last = at + rng.below((self.epoch - at) as u64 + 1) as i64;
                tx.accept_step(id, totp::step_of(last), last)?;
            }
            let spent = match rng.below(100) {
                0..25 => 1 + rng.below(4) as usize,
                25..28 => 8 + rng.below(3) as usize,
                _ => 0,
            };
            if spent > 0 {
                let start = rng.below(recovery::SET_SIZE as u64) as usize;
                spends.push(PlannedSpend {
                    account_id: id,
                    email: email.clone(),
                    org: slug.map(str::to_string),
                    codes: (0..spent)
                        .map(|k| (start + k) % recovery::SET_SIZE)
                        .collect(),
                    at: last,
                });
            }
        } else if state < 70 {
            // Most stay pending through the benchmark; a tenth expired a day ago after the
            // usual 15 minutes (and count as disabled).
            let (at, expires) = if rng.percent(90) {
                (self.epoch - rng.below(DAY as u64) as i64, self.epoch + HOLD)
            } else {
                let at = self.epoch - DAY - rng.below(DAY as u64) as i64;
                (at, at + crate::commands::enroll::PENDING_SECONDS)
            };
            let sealed = self.key.seal(id, &secret)?;
            tx.start_enrollment(
                id,
                &NewCredential {
                    sealed_secret: &sealed,
                    created_at: at,
                    expires_at: expires,
                },
            )?;
            tx.log(self.event(at, "enroll", &email, slug).detail("pending"))?;
        }

        match rng.below(100) {
            0 => {
                tx.set_failures(id, crate::policy::MAX_FAILURES, Some(self.epoch + HOLD))?;
                tx.log(
                    self.event(self.epoch, "account.locked", &email, slug)
                        .detail("5 consecutive failed codes"),
                )?;
            }
            1..3 => tx.set_failures(id, 1 + rng.below(4) as u32, None)?,
            _ => {}
        }
        Ok(())
    }
}

/// Spends the planned recovery codes of a committed batch, looking their rows up by prefix
/// as `verify` does.
fn spend(store: &mut dyn Store, codes: &[String], spends: &[PlannedSpend]) -> Result<()> {
    let mut ids = Vec::with_capacity(spends.len());
    for s in spends {
        let mut rows = Vec::with_capacity(s.codes.len());
        for &k in &s.codes {
            let found = store.recovery_candidates(s.account_id, recovery::lookup(&codes[k]))?;
            rows.extend(found.first().map(|c| c.id));
        }
        ids.push(rows);
    }
    let mut tx = store.begin()?;
    for (s, rows) in spends.iter().zip(&ids) {
        for &row in rows {
            if tx.spend_recovery_code(row, s.at)? != Spend::Spent {
                return Err(anyhow!(
                    "a generated recovery code of {} was not spendable",
                    s.email
                ));
            }
        }
        let mut e = Event::new(s.at, ACTOR, "recovery.used");
        e.email = Some(s.email.clone());
        e.org = s.org.clone();
        tx.log(e.detail(format!(
            "{} recovery code(s) left",
            recovery::SET_SIZE - rows.len()
        )))?;
    }
    tx.commit()?;
    Ok(())
}

fn write_private(path: &str, text: &str) -> Result<()> {
    let path = PathBuf::from(path);
    let _ = fs::remove_file(&path);
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prng_is_seeded_and_in_range() {
        let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(a.below(10) < 10);
            b.below(10);
        }
        assert_ne!(SplitMix64::new(1).next_u64(), SplitMix64::new(2).next_u64());
    }

    #[test]
    fn shared_codes_have_distinct_prefixes_and_normal_form() {
        let codes = code_set(&mut SplitMix64::new(3));
        assert_eq!(codes.len(), recovery::SET_SIZE);
        for c in &codes {
            assert_eq!(
                crate::code::normalise_recovery(c).as_deref(),
                Some(c.as_str())
            );
        }
    }
}
