//! Breakdown of the per-leaf cost of a validation under a known intermediate, outside
//! criterion: `cargo run --release -p huren-benches --example breakdown` (N=iterations).
use huren_benches::{KeyAlg, Pki, parse, server_options};
use huren_validator::{AnchorSet, SignatureMemo, validate};
use std::hint::black_box;
use std::time::Instant;
fn main() {
    let pki = Pki::new(KeyAlg::P256, "P-256");
    let leaf = pki.leaf(1, true);
    let inter = vec![parse(&pki.intermediate)];
    let mut anchors = AnchorSet::new();
    anchors.add_certificate(parse(&pki.root));
    let opts = server_options();
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20000);
    let t = Instant::now();
    for _ in 0..n {
        black_box(parse(black_box(&leaf)));
    }
    println!("parse leaf        {:?}", t.elapsed() / n);
    let memo = SignatureMemo::default();
    let l = parse(&leaf);
    let r = validate(&l, &inter, &anchors, &[], &opts, &memo);
    assert!(r.is_valid());
    let t = Instant::now();
    for _ in 0..n {
        black_box(validate(&l, &inter, &anchors, &[], &opts, &memo));
    }
    println!("validate all-memo {:?}", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        black_box(SignatureMemo::key(&[l.spki(), l.tbs(), l.signature()]));
    }
    println!("memo key          {:?}", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        black_box(l.sha256_hex().to_string());
    }
    println!("sha256 cached     {:?}", t.elapsed() / n);
    // Distinct leaves under the known intermediate, each verified once.
    let leaves: Vec<Vec<u8>> = (0..256).map(|i| pki.leaf(10 + i, true)).collect();
    let rounds: u32 = 20;
    let mut total = std::time::Duration::ZERO;
    for _ in 0..rounds {
        let memo = SignatureMemo::default();
        assert!(validate(&l, &inter, &anchors, &[], &opts, &memo).is_valid());
        let t = Instant::now();
        for d in &leaves {
            let c = parse(d);
            black_box(validate(&c, &inter, &anchors, &[], &opts, &memo));
        }
        total += t.elapsed();
    }
    println!("unseen leaf       {:?}", total / (rounds * 256));
    let c = parse(&leaves[0]);
    let t = Instant::now();
    for _ in 0..2000 {
        black_box(
            huren_validator::algorithms::verify(
                inter[0].spki_algorithm(),
                inter[0].public_key(),
                c.signature_algorithm(),
                c.tbs(),
                c.signature(),
                None,
            )
            .is_ok(),
        );
    }
    println!("one p256 verify   {:?}", t.elapsed() / 2000);
}
