//! The benchmark data generator of `bench/run` (BENCHMARKS.md): fills a new database with N
//! reproducible accounts through the library's public [`Store`]/[`Tx`] methods, in large
//! transactions. Not part of the shipped binary; `bench/run` builds it with
//! `cargo build --release --example gendata`.
//!
//! ```text
//! gendata --db PATH [--key-file PATH] --accounts N [--seed S] [--orgs N] [--epoch UNIX]
//! ```
//!
//! GENERATOR ONLY, never for real accounts:
//! - who gets which state and the TOTP secrets come from a seeded PRNG ([`SplitMix64`]),
//!   not from the OS CSPRNG, so a seed gives the same accounts;
//! - every enabled account shares one recovery-code set: ten codes from the PRNG, hashed
//!   once with [`recovery::hash_set`] at the real Argon2id parameters. Real hashing would
//!   cost a million times ten Argon2 evaluations; `bench/run` measures it separately;
//! - pending enrollments and lockouts last 30 days from the epoch (not 15 minutes), and
//!   accounts and policies start at whole days before it, so that states and compliance
//!   change only at whole days after the epoch, never while the benchmark compares outputs.
//!
//! The first account is always `bench@example.com`: enabled, outside any organisation, with
//! a TOTP secret and recovery codes that the generator writes next to the database
//! (`DB.bench-secret`, base32; `DB.bench-codes`, one code a line; for a `postgres://` URL,
//! `twofa-bench.bench-secret` and `twofa-bench.bench-codes`), so the benchmark can compute
//! accepted codes for it.
//!
//! Only the master key (the key file's, when it already exists), the AEAD nonces and the
//! Argon2 salts are not from the seed; with the same key file, seed and `--epoch` the
//! database holds the same accounts, states, secrets and codes.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use zeroize::Zeroizing;

use twofa::clock::{Clock, Timestamp};
use twofa::crypto::{Keyring, MasterKey};
use twofa::model::{DEFAULT_DEVICE as DEVICE, Event};
use twofa::policy::{DAY, MAX_FAILURES, Policy};
use twofa::recovery::{self, HashedCode};
use twofa::store::{self, NewAccount, NewCredential, OpenMode, Spend, StepUse, Store, Tx};
use twofa::totp;

/// Accounts per transaction.
const BATCH: u64 = 10_000;
/// How long generated pending enrollments and lockouts last (see the module comment).
const HOLD: i64 = 30 * DAY;
/// How long a real pending enrollment lasts (`enroll`): the expired ones are that old.
const PENDING_SECONDS: i64 = 15 * 60;
const ACTOR: &str = "twofa-generate";
/// The known account whose secret and recovery codes the generator writes out.
const BENCH_EMAIL: &str = "bench@example.com";
/// Crockford base32, the recovery-code alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Fill a new twofa database with generated accounts (benchmarks only).
#[derive(Debug, Parser)]
#[command(name = "gendata")]
struct Args {
    /// The database to fill: an SQLite file (created if missing), or a postgres:// URL
    #[arg(long, value_name = "PATH")]
    db: String,
    /// The key file [default: the database path + .key; twofa.key for a URL]
    #[arg(long, value_name = "PATH")]
    key_file: Option<PathBuf>,
    /// Accounts to create, bench@example.com included (0: only the organisations)
    #[arg(long, value_name = "N")]
    accounts: u64,
    /// Seed of the generator's PRNG: the same seed gives the same accounts
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Organisations to create (20% of them require 2FA)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    orgs: u32,
    /// The moment the data is relative to, in unix seconds [default: now]
    #[arg(long, value_name = "UNIX")]
    epoch: Option<i64>,
    /// No progress on stderr
    #[arg(short, long)]
    quiet: bool,
}

/// GENERATOR ONLY: SplitMix64, a small seeded PRNG for reproducible data. Not a CSPRNG.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `percent`/100.
    fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn fill(&mut self, buf: &mut [u8]) {
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

struct OrgInfo {
    id: i64,
    slug: String,
}

/// Recovery codes of the shared set, to spend on an account once its batch is committed.
struct PlannedSpend {
    account_id: i64,
    email: String,
    org: Option<String>,
    codes: Vec<usize>,
    at: Timestamp,
}

fn main() -> std::process::ExitCode {
    match run(&Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gendata: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let key_file = args.key_file.clone().unwrap_or_else(|| {
        PathBuf::from(if store::is_url(&args.db) {
            "twofa.key".to_string()
        } else {
            format!("{}.key", args.db)
        })
    });
    let (mut store, _) = store::open(&args.db, OpenMode::Init)?;
    let key = keyring(store.as_mut(), &key_file)?;
    if !store.orgs()?.is_empty() || store.account(BENCH_EMAIL)?.is_some() {
        bail!(
            "{} already holds data; gendata fills a new database",
            store::display_target(&args.db)
        );
    }
    let epoch = args.epoch.unwrap_or_else(|| Clock::system().now());
    let mut rng = SplitMix64::new(args.seed);

    // The shared recovery-code set, hashed once at the real parameters.
    let codes = code_set(&mut rng);
    let hashed = recovery::hash_set(&codes, recovery::params())?;
    let mut bench_secret = [0u8; totp::SECRET_LEN];
    rng.fill(&mut bench_secret);

    let orgs = add_orgs(store.as_mut(), &mut rng, args.orgs, epoch)?;

    let mut next = 0u64;
    while next < args.accounts {
        let end = (next + BATCH).min(args.accounts);
        let mut spends = Vec::new();
        let mut tx = store.begin()?;
        let g = Gen {
            key: &key,
            hashed: &hashed,
            epoch,
        };
        for i in next..end {
            if i == 0 {
                g.bench_account(tx.as_mut(), &bench_secret)?;
            } else {
                g.account(tx.as_mut(), &mut rng, &orgs, i, &mut spends)?;
            }
        }
        tx.log(Event::new(epoch, ACTOR, "generate").detail(format!(
            "accounts {next}..{end} of {} (seed {})",
            args.accounts, args.seed
        )))?;
        tx.commit()?;
        spend(store.as_mut(), &codes, &spends)?;
        next = end;
        if !args.quiet {
            eprintln!("gendata: {next} of {} accounts", args.accounts);
        }
    }

    let base = if store::is_url(&args.db) {
        "twofa-bench".to_string()
    } else {
        args.db.clone()
    };
    let secret_file = format!("{base}.bench-secret");
    let codes_file = format!("{base}.bench-codes");
    write_private(
        &secret_file,
        &format!("{}\n", totp::secret_base32(&bench_secret).as_str()),
    )?;
    let shown: Vec<String> = codes.iter().map(|c| display(c)).collect();
    write_private(&codes_file, &format!("{}\n", shown.join("\n")))?;
    if !args.quiet {
        eprintln!(
            "gendata: {} accounts in {} organisations in {:.1} s; the secret of {BENCH_EMAIL} is in {secret_file}, its recovery codes in {codes_file}",
            args.accounts,
            args.orgs,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The database's keyring: the key file it records, or (a new database) the key file,
/// created if missing, recorded as its key.
fn keyring(store: &mut dyn Store, key_file: &Path) -> Result<Keyring> {
    let key = match store.key_id()? {
        Some(expected) => {
            let key = MasterKey::load(key_file)?;
            if key.id() != expected {
                bail!(
                    "{} is not the key of this database; give its key with --key-file",
                    key_file.display()
                );
            }
            key
        }
        None => {
            let key = if key_file.exists() {
                MasterKey::load(key_file)?
            } else {
                MasterKey::create(key_file)?
            };
            let mut tx = store.begin()?;
            if !tx.claim_key_id(key.id())? {
                bail!("another process set this database up at the same time");
            }
            tx.commit()?;
            key
        }
    };
    Ok(Keyring::new(key, None))
}

/// Ten codes in normal form with distinct look-up prefixes, from the PRNG.
fn code_set(rng: &mut SplitMix64) -> Vec<Zeroizing<String>> {
    let mut codes: Vec<Zeroizing<String>> = Vec::with_capacity(recovery::SET_SIZE);
    while codes.len() < recovery::SET_SIZE {
        let code: String = (0..recovery::CODE_LEN)
            .map(|_| ALPHABET[rng.below(32) as usize] as char)
            .collect();
        if codes
            .iter()
            .all(|c| recovery::lookup(c) != recovery::lookup(&code))
        {
            codes.push(Zeroizing::new(code));
        }
    }
    codes
}

/// A code as twofa shows it: `xxxx-xxxx-xxxx-xxxx`, lower case.
fn display(code: &str) -> String {
    let lower = code.to_ascii_lowercase();
    let groups: Vec<&str> = (0..lower.len())
        .step_by(4)
        .map(|i| &lower[i..(i + 4).min(lower.len())])
        .collect();
    groups.join("-")
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
            let mut e =
                Event::new(policy.since.unwrap_or(epoch), ACTOR, "policy.require").detail(format!(
                    "2FA required; grace {}",
                    twofa::output::counted(u64::from(policy.grace_days), "day", "days")
                ));
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
        let sealed = self.key.seal(id, DEVICE, secret)?;
        tx.start_enrollment(
            id,
            DEVICE,
            &NewCredential {
                sealed_secret: &sealed,
                created_at: at,
                expires_at: at + PENDING_SECONDS,
            },
        )?;
        tx.confirm(&StepUse {
            account_id: id,
            device: DEVICE,
            step: totp::step_of(at),
            at,
        })?;
        tx.replace_recovery_codes(id, self.hashed, at)?;
        Ok(())
    }

    fn bench_account(&self, tx: &mut dyn Tx, secret: &[u8]) -> Result<()> {
        let email = BENCH_EMAIL;
        let created = self.epoch - 400 * DAY;
        let id = tx.add_account(&NewAccount {
            email,
            org_id: None,
            name: Some("Bench Account"),
            created_at: created,
        })?;
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
        let id = tx.add_account(&NewAccount {
            email: &email,
            org_id: org.map(|o| o.id),
            name: name.as_deref(),
            created_at: created,
        })?;
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
                tx.accept_step(&StepUse {
                    account_id: id,
                    device: DEVICE,
                    step: totp::step_of(last),
                    at: last,
                })?;
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
                (at, at + PENDING_SECONDS)
            };
            let sealed = self.key.seal(id, DEVICE, &secret)?;
            tx.start_enrollment(
                id,
                DEVICE,
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
                tx.set_failures(id, MAX_FAILURES, Some(self.epoch + HOLD))?;
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
fn spend(
    store: &mut dyn Store,
    codes: &[Zeroizing<String>],
    spends: &[PlannedSpend],
) -> Result<()> {
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
        let mut e = Event::new(s.at, ACTOR, "verify.recovery");
        e.email = Some(s.email.clone());
        e.org = s.org.clone();
        tx.log(e.detail(format!(
            "{} left",
            twofa::output::counted(
                (recovery::SET_SIZE - rows.len()) as u64,
                "recovery code",
                "recovery codes"
            )
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
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(c.len(), recovery::CODE_LEN);
            assert!(c.bytes().all(|b| ALPHABET.contains(&b)), "{}", c.as_str());
            for other in &codes[i + 1..] {
                assert_ne!(recovery::lookup(c), recovery::lookup(other));
            }
        }
        assert_eq!(display("ABCDEFGHJKMNPQRS"), "abcd-efgh-jkmn-pqrs");
    }

    #[test]
    fn the_shared_set_hashes_to_codes_that_verify() {
        let codes = code_set(&mut SplitMix64::new(5));
        let hashed = recovery::hash_set(&codes[..2], recovery::params()).unwrap();
        assert_eq!(hashed[0].lookup, recovery::lookup(&codes[0]));
        assert!(recovery::verify(&codes[1], &hashed[1].hash));
        assert!(!recovery::verify(&codes[0], &hashed[1].hash));
    }
}
