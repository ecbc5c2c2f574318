//! Fails when the checked-in vectors under `demo/`, `chains/` and `trustlists/` differ from
//! what the generator produces. Fix with
//! `cargo run -p huren-testvectors -- generate`.

#[test]
fn checked_in_vectors_match_generator() {
    let diffs = huren_testvectors::check(&huren_testvectors::default_dir())
        .expect("regenerating into a temporary directory");
    assert!(
        diffs.is_empty(),
        "{} file(s) drifted from the generator; run `cargo run -p huren-testvectors -- generate`:\n{}",
        diffs.len(),
        diffs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        huren_testvectors::generate_files(),
        huren_testvectors::generate_files()
    );
}
