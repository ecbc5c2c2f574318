//! A path that fails on revocation still says where the answer came from: the report's
//! `revocation` entries survive the failure (the revoked certificate's entry with its source,
//! thisUpdate and nextUpdate).
#![allow(clippy::disallowed_methods)] // the test reads its vectors

use huren_validator::{
    AnchorSet, Certificate, Crl, KeyUsageBit, RevocationPolicy, SignatureMemo, ValidationOptions,
    parse_rfc3339, pem, validate,
};
use std::path::Path;

fn read(rel: &str) -> Vec<Vec<u8>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testvectors/chains/sm2-revoked")
        .join(rel);
    let bytes = std::fs::read(&p).unwrap();
    pem::decode_all(&bytes, &["CERTIFICATE", "X509 CRL"]).unwrap()
}

#[test]
fn a_revoked_leaf_keeps_its_revocation_entry() {
    let leaf = Certificate::from_der(&read("leaf.pem")[0]).unwrap();
    let inters: Vec<Certificate> = read("intermediates.pem")
        .iter()
        .map(|d| Certificate::from_der(d).unwrap())
        .collect();
    let mut anchors = AnchorSet::new();
    for d in read("anchors.pem") {
        anchors.add_certificate(Certificate::from_der(&d).unwrap());
    }
    let crls: Vec<Crl> = read("crls.pem")
        .iter()
        .map(|d| Crl::from_der(d).unwrap())
        .collect();
    let mut opts = ValidationOptions::at(parse_rfc3339("2026-06-01T00:00:00Z").unwrap());
    opts.key_usage = vec![KeyUsageBit::DigitalSignature];
    opts.revocation = RevocationPolicy::Require;
    let r = validate(
        &leaf,
        &inters,
        &anchors,
        &crls,
        &opts,
        &SignatureMemo::new(64),
    );
    assert_eq!(r.code.as_str(), "CERT_REVOKED", "{r:#?}");
    let e = r
        .revocation
        .iter()
        .find(|e| e.cert_index == 0)
        .unwrap_or_else(|| panic!("no entry for the leaf: {:#?}", r.revocation));
    assert_eq!(e.outcome, "revoked");
    assert_eq!(e.source, "caller CRL");
    assert!(e.this_update.is_some());
    assert!(
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains("revoked at")),
        "{e:?}"
    );
}
