//! Verdicts checked against a JSON Schema validator (see support/oracle.rs), with a
//! fixed seed. `cargo run --release --example diff_oracle -- PAIRS SEED` runs it longer.

use crate::support::oracle;

#[test]
fn no_unreported_narrowing_of_requests_or_widening_of_responses() {
    let out = oracle::run(0x5eed_0013, 400);
    assert_eq!(out.pairs, 400);
    assert!(out.checks > 4_000, "{} checks", out.checks);
    // The generator makes changes the engine must report, not only harmless ones.
    assert!(
        out.reported[0] > 40 && out.reported[1] > 40,
        "{:?}",
        out.reported
    );
    assert!(
        out.failures.is_empty(),
        "{} of {} pairs break a client without a breaking or warning verdict; first:\n{}",
        out.failures.len(),
        out.pairs,
        out.failures.first().map(String::as_str).unwrap_or_default()
    );
}
