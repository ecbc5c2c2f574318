//! Builds the OpenSSL SM2 chain and checks it with an independent SM2
//! implementation (the `sm2` crate): every signature must verify with the
//! distinguishing ID `1234567812345678` and must not verify with the empty
//! ID OpenSSL 3.0 uses by default.

use std::path::PathBuf;

use const_oid::ObjectIdentifier;
use der::{DecodePem, Encode};
use signature::Verifier;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");

fn verifies(issuer: &Certificate, subject: &Certificate, distid: &str) -> bool {
    let point = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    let key = sm2::dsa::VerifyingKey::from_sec1_bytes(distid, point).expect("SM2 public key");
    let sig =
        sm2::dsa::Signature::from_der(subject.signature().raw_bytes()).expect("DER signature");
    let tbs = subject.tbs_certificate().to_der().expect("TBS encodes");
    key.verify(&tbs, &sig).is_ok()
}

#[test]
fn openssl_sm2_chain_uses_standard_distid() {
    // Set HUREN_OPENSSL_SM2_DIR to keep the chain for inspection.
    let keep = std::env::var_os("HUREN_OPENSSL_SM2_DIR").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("huren-openssl-sm2-{}", std::process::id()))
    });
    huren_testvectors::make_openssl_sm2_chain(&dir).expect("openssl builds the SM2 chain");
    let read = |f: &str| {
        let pem = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        Certificate::from_pem(&pem).unwrap_or_else(|e| panic!("{f}: {e}"))
    };
    let root = read("anchor.pem");
    let ca = read("intermediates.pem");
    let leaf = read("leaf.pem");
    assert!(dir.join("leaf.key").exists());
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    for cert in [&root, &ca, &leaf] {
        assert_eq!(cert.signature_algorithm().oid, SM2_WITH_SM3);
        let spki = cert.tbs_certificate().subject_public_key_info();
        let curve: ObjectIdentifier = spki
            .algorithm
            .parameters
            .as_ref()
            .expect("curve parameter")
            .decode_as()
            .expect("named curve");
        assert_eq!(curve, SM2_CURVE);
    }
    for (issuer, subject, what) in [
        (&root, &root, "root self-signature"),
        (&root, &ca, "issuing CA"),
        (&ca, &leaf, "leaf"),
    ] {
        assert!(
            verifies(issuer, subject, "1234567812345678"),
            "{what}: signature does not verify with distid 1234567812345678"
        );
        assert!(
            !verifies(issuer, subject, ""),
            "{what}: signature verifies with the empty distid"
        );
    }
    let (_, bc) = ca
        .tbs_certificate()
        .get_extension::<BasicConstraints>()
        .expect("decodes")
        .expect("issuing CA has basicConstraints");
    assert!(bc.ca);
    let (critical, ku) = leaf
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .expect("decodes")
        .expect("leaf has keyUsage");
    assert!(critical && ku.digital_signature());
}
