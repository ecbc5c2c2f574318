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
}
