//! The reference for the recovery-code benchmarks in `bench/run`: Argon2id at the stored
//! parameters ([`twofa::recovery::params`]), nothing else.
//!
//! `argon2 [--hashes N] [--threads T]` hashes N recovery codes over T threads and exits, so
//! hyperfine can time it as a whole process next to `twofa verify` (one evaluation) and
//! `twofa recovery regenerate` (ten). `argon2 --report [--iterations N]` times, in process,
//! one hash and one verify (what a redeem does) and prints their medians in milliseconds.

use std::time::Instant;

use twofa::recovery;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = "ABCDEFGHJKMNPQRS";
    if args.iter().any(|a| a == "--report") {
        let iterations = arg(&args, "--iterations", 11).max(1);
        let phc = recovery::hash(code, recovery::params())?;
        let mut hash = Vec::new();
        let mut verify = Vec::new();
        for _ in 0..iterations {
            let t = Instant::now();
            recovery::hash(code, recovery::params())?;
            hash.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            assert!(recovery::verify(code, &phc));
            verify.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "in-process median of {iterations}: one Argon2id hash {:.2} ms, one verify {:.2} ms ({})",
            median_ms(hash),
            median_ms(verify),
            phc.rsplitn(3, '$').nth(2).unwrap_or("")
        );
        return Ok(());
    }
    let hashes = arg(&args, "--hashes", 1);
    let threads = arg(&args, "--threads", 1).clamp(1, hashes.max(1));
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for _ in (t..hashes).step_by(threads) {
                    recovery::hash(code, recovery::params()).expect("Argon2 hashing");
                }
            });
        }
    });
    Ok(())
}
