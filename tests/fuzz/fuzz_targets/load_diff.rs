//! Fuzzes load + normalize + diff + render: the input is split at the first NUL byte into a base
//! and a revision document (no NUL: the input is diffed against itself). Any panic is a bug;
//! errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specwatch::diff::output::{Format, render};
use specwatch::spec::LoadOptions;

fuzz_target!(|data: &[u8]| {
    let (base, rev) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    // The `specwatch diff` path: both sides parsed into the document tree, normalized, diffed.
    if let Ok(report) = specwatch::diff::diff_bytes(base, rev, &LoadOptions::default()) {
        for format in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
            let _ = render(&report, format, true);
        }
        let _ = specwatch::diff::output::changelog_summary(&report);
    }
});
