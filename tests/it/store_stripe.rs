//! Two real consecutive Stripe spec versions stored and read back byte for byte.

use crate::support;

use std::io::Read;
use std::path::Path;

use specwatch::store::Store;
use support::store::version_commit;

fn gunzip(path: &Path) -> Vec<u8> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn fixture(prefix: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no fixture {prefix}* in {}", dir.display()));
    gunzip(&entry)
}

const SOURCE: &str = "https://raw.githubusercontent.com/stripe/openapi/master/openapi/spec3.json";

#[test]
fn two_stripe_versions_round_trip_exactly_and_the_second_is_a_small_delta() {
    let v1 = fixture("0000-");
    let v2 = fixture("0001-");
    assert_ne!(v1, v2);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store
            .commit_poll("stripe", version_commit(1, v1.clone(), SOURCE))
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .commit_poll("stripe", version_commit(2, v2.clone(), SOURCE))
            .unwrap(),
        Some(2)
    );
    drop(store);

    let store = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(store.version_bytes("stripe", 1).unwrap().unwrap(), v1);
    assert_eq!(store.version_bytes("stripe", 2).unwrap().unwrap(), v2);
    let metas = store.versions("stripe").unwrap();
    assert_eq!(metas.len(), 2);
    assert_eq!(metas[0].raw_size, v1.len() as u64);
    // A full frame of ~3.7 MB is well under 300 KB; the delta is a few KB.
    assert!(metas[0].stored_size < 300_000, "{}", metas[0].stored_size);
    assert!(metas[1].stored_size < 20_000, "{}", metas[1].stored_size);
}
