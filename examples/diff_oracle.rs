//! The verdict oracle of issue 13, run long: `cargo run --release --example diff_oracle --
//! [PAIRS] [SEED]` (defaults: 100000 pairs, the suite's seed). Prints how many pairs and
//! instance checks ran, how many pairs the engine reported on, and each counterexample
//! (shrunk), grouped by the ids the engine reported for it.

#[path = "../tests/support/oracle.rs"]
mod oracle;

fn main() {
    let mut args = std::env::args().skip(1);
    let pairs = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x5eed_0013);
    let out = oracle::run(seed, pairs);
    let mut kinds: std::collections::BTreeMap<String, (usize, &str)> = Default::default();
    for f in &out.failures {
        let key = f.lines().next().unwrap_or_default().to_string()
            + " | "
            + f.lines().last().unwrap_or_default().trim();
        kinds.entry(key).or_insert((0, f)).0 += 1;
    }
    println!(
        "seed {seed:#x}: {} pairs, {} instance checks, reported on {} request / {} response sides, {} counterexamples",
        out.pairs,
        out.checks,
        out.reported[0],
        out.reported[1],
        out.failures.len(),
    );
    for (kind, (n, example)) in kinds {
        println!("\n{n} × {kind}\n{example}");
    }
}
