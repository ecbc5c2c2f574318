//! OCSP (RFC 6960) as revocation evidence: chains generated at test time with rcgen,
//! responses made by the OpenSSL responder (`openssl ocsp -index … -reqin … -respout …`) from
//! requests built by `ocsp::request_der`, and SM2 (and edge-case) responses encoded and signed
//! here; each validated through `validate_with_evidence`.
//!
//! The OpenSSL responder stamps its responses with the real clock, so these tests validate at
//! times relative to now.
#![allow(clippy::disallowed_methods)] // tests are the caller: they read the clock and files

use huren_validator::ocsp::{self, CertId, HashAlg, OcspCertStatus, OcspResponse};
use huren_validator::{
    AnchorSet, Certificate, CheckResult, Code, Crl, Error, Evidence, Report, RevocationPolicy,
    SignatureMemo, Status, ValidationOptions, civil_time, validate_with_evidence,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    SerialNumber, SigningKey, date_time_ymd,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

// ---------------------------------------------------------------------------------------
// Keys, certificates, files
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Alg {
    P256,
    Rsa2048,
    Ed25519,
}

fn keypair(alg: Alg) -> KeyPair {
    match alg {
        Alg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        Alg::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
        Alg::Rsa2048 => {
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        }
    }
    .expect("key generation")
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "CN");
    dn.push(DnType::OrganizationName, "Huren OCSP Test");
    dn.push(DnType::CommonName, cn);
    dn
}

/// A certificate with its key and the parameters it was made from.
struct Issued {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
}

impl Issued {
    fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }
    fn cert(&self) -> Certificate {
        Certificate::from_der(&self.der).expect("generated certificate parses")
    }
}

fn sign(params: CertificateParams, key: KeyPair, issuer: Option<&Issued>) -> Issued {
    let der = match issuer {
        Some(i) => params.signed_by(&key, &i.issuer()),
        None => params.self_signed(&key),
    }
    .expect("certificate")
    .der()
    .to_vec();
    Issued { params, key, der }
}

fn ca(cn: &str, alg: Alg, serial: u64, issuer: Option<&Issued>) -> Issued {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = date_time_ymd(2020, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p.use_authority_key_identifier_extension = issuer.is_some();
    sign(p, keypair(alg), issuer)
}

fn end_entity(cn: &str, serial: u64, issuer: &Issued) -> Issued {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::NoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.not_before = date_time_ymd(2020, 1, 1);
    p.not_after = date_time_ymd(2036, 1, 1);
    p.use_authority_key_identifier_extension = true;
    sign(p, keypair(Alg::P256), Some(issuer))
}

/// A responder certificate issued by `issuer`, with id-kp-OCSPSigning when `eku`.
fn responder(cn: &str, serial: u64, issuer: &Issued, eku: bool, valid: (i32, i32)) -> Issued {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::NoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if eku {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::OcspSigning];
    } else {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    }
    p.not_before = date_time_ymd(valid.0, 1, 1);
    p.not_after = date_time_ymd(valid.1, 1, 1);
    p.use_authority_key_identifier_extension = true;
    sign(p, keypair(Alg::P256), Some(issuer))
}

fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).expect("PEM")
}

/// A scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("huren-ocsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The private key as PKCS#8 v1 (`version` 0, no public key): aws-lc writes Ed25519 keys as
/// PKCS#8 v2 (RFC 5958 OneAsymmetricKey), which OpenSSL 3.0 does not read.
fn pkcs8_v1(der: &[u8]) -> Vec<u8> {
    use huren_validator::der::{Reader, tag};
    let mut outer = Reader::new(der);
    let mut seq = outer.sequence().expect("PKCS#8");
    let version = seq.expect(tag::INTEGER).expect("version");
    if version.value != [1] {
        return der.to_vec();
    }
    let alg = seq.expect(tag::SEQUENCE).expect("algorithm");
    let key = seq.expect(tag::OCTET_STRING).expect("privateKey");
    tlv(0x30, &cat(&[&[0x02, 0x01, 0x00], alg.full, key.full]))
}

/// Runs `openssl ARGS` in `dir` and returns its standard output.
fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed (the test command installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The serial as the OpenSSL index writes it: upper-case hex without leading zero octets.
fn index_serial(cert: &Certificate) -> String {
    let s: Vec<u8> = cert
        .serial()
        .iter()
        .copied()
        .skip_while(|b| *b == 0)
        .collect();
    s.iter().map(|b| format!("{b:02X}")).collect()
}

/// `YYMMDDHHMMSSZ`.
fn utc_time(secs: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil_time(secs);
    format!("{:02}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z", y % 100)
}

/// `YYYYMMDDHHMMSSZ`.
fn generalized_time(secs: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil_time(secs);
    format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z")
}

/// One line of an OpenSSL CA index: valid, or revoked at a time with a reason.
fn index_line(cert: &Certificate, revoked: Option<(i64, &str)>) -> String {
    let (status, rev) = match revoked {
        Some((t, reason)) => ("R", format!("{},{reason}", utc_time(t))),
        None => ("V", String::new()),
    };
    format!(
        "{status}\t{}\t{rev}\t{}\tunknown\t/CN=test\n",
        utc_time(cert.not_after()),
        index_serial(cert),
    )
}

static CALLS: AtomicUsize = AtomicUsize::new(0);

/// The OpenSSL responder's answer to `request`: `index` lists the certificates it knows,
/// `ca` is the issuer it answers for, `signer` signs; `extra` are more `openssl ocsp`
/// options (`-ndays 1`, `-resp_key_id`, …).
fn respond(
    dir: &Path,
    request: &[u8],
    index: &str,
    ca: &Issued,
    signer: &Issued,
    extra: &[&str],
) -> Vec<u8> {
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let f = |s: &str| format!("{s}-{n}");
    std::fs::write(dir.join(f("req.der")), request).unwrap();
    std::fs::write(dir.join(f("index.txt")), index).unwrap();
    std::fs::write(dir.join(f("ca.pem")), pem("CERTIFICATE", &ca.der)).unwrap();
    std::fs::write(dir.join(f("rsigner.pem")), pem("CERTIFICATE", &signer.der)).unwrap();
    std::fs::write(
        dir.join(f("rkey.pem")),
        pem("PRIVATE KEY", &pkcs8_v1(&signer.key.serialize_der())),
    )
    .unwrap();
    let (index, ca, rsigner, rkey, reqin, respout) = (
        f("index.txt"),
        f("ca.pem"),
        f("rsigner.pem"),
        f("rkey.pem"),
        f("req.der"),
        f("resp.der"),
    );
    let mut args = vec![
        "ocsp", "-index", &index, "-CA", &ca, "-rsigner", &rsigner, "-rkey", &rkey, "-reqin",
        &reqin, "-respout", &respout,
    ];
    args.extend_from_slice(extra);
    openssl(dir, &args);
    std::fs::read(dir.join(respout)).expect("openssl wrote the response")
}

fn parse(der: &[u8]) -> OcspResponse {
    OcspResponse::from_der(der).unwrap_or_else(|e| panic!("OpenSSL's response parses: {e}"))
}

// ---------------------------------------------------------------------------------------
// A PKI: root (the anchor) → leaf, optionally root → intermediate → leaf
// ---------------------------------------------------------------------------------------

struct Pki {
    dir: Scratch,
    root: Issued,
    leaf: Issued,
}

impl Pki {
    fn new(name: &str, alg: Alg) -> Pki {
        let dir = Scratch::new(name);
        let root = ca(&format!("{name} Root"), alg, 1, None);
        let leaf = end_entity(&format!("{name} Leaf"), 0x1001, &root);
        Pki { dir, root, leaf }
    }

    fn anchors(&self) -> AnchorSet {
        let mut a = AnchorSet::new();
        a.add_certificate(self.root.cert());
        a
    }

    /// The responder's answer for the leaf, signed by `signer` (the root when `None`).
    fn leaf_response(
        &self,
        revoked: Option<(i64, &str)>,
        signer: Option<&Issued>,
        extra: &[&str],
    ) -> Vec<u8> {
        let leaf = self.leaf.cert();
        let req = ocsp::request_der(&leaf, &self.root.cert(), HashAlg::Sha1, None);
        respond(
            &self.dir,
            &req,
            &index_line(&leaf, revoked),
            &self.root,
            signer.unwrap_or(&self.root),
            extra,
        )
    }

    fn validate(
        &self,
        responses: &[OcspResponse],
        crls: &[Crl],
        policy: RevocationPolicy,
        time: i64,
    ) -> Report {
        validate_at(
            &self.leaf.cert(),
            &[],
            &self.anchors(),
            responses,
            crls,
            policy,
            time,
        )
    }
}

fn options(policy: RevocationPolicy, time: i64) -> ValidationOptions {
    let mut o = ValidationOptions::at(time);
    o.revocation = policy;
    o
}

fn validate_at(
    leaf: &Certificate,
    intermediates: &[&Certificate],
    anchors: &AnchorSet,
    responses: &[OcspResponse],
    crls: &[Crl],
    policy: RevocationPolicy,
    time: i64,
) -> Report {
    let evidence = Evidence {
        crls,
        ocsp: responses,
    };
    validate_with_evidence(
        leaf,
        intermediates,
        anchors,
        &evidence,
        &options(policy, time),
        &SignatureMemo::new(0),
    )
}

fn revocation_check(r: &Report, idx: usize) -> &huren_validator::Check {
    r.checks
        .iter()
        .find(|c| c.id == "REVOCATION" && c.cert_index == Some(idx))
        .unwrap_or_else(|| panic!("no REVOCATION check for {idx}: {r:#?}"))
}

// ---------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------

#[test]
fn good_from_the_issuer_for_every_algorithm() {
    for (alg, name) in [
        (Alg::P256, "good-p256"),
        (Alg::Rsa2048, "good-rsa"),
        (Alg::Ed25519, "good-ed25519"),
    ] {
        let pki = Pki::new(name, alg);
        let t = now();
        let mut resp = parse(&pki.leaf_response(None, None, &["-ndays", "2"]));
        assert_eq!(resp.source(), "caller OCSP");
        resp.set_source("http://ocsp.example.test/");
        let s = &resp.responses()[0];
        assert_eq!(s.status, OcspCertStatus::Good);
        assert!(s.cert_id.matches(&pki.leaf.cert(), &pki.root.cert()));
        let next = s.next_update.expect("-ndays gives a nextUpdate");
        let r = pki.validate(
            std::slice::from_ref(&resp),
            &[],
            RevocationPolicy::Require,
            t,
        );
        assert_eq!(r.status, Status::Valid, "{alg:?}: {r:#?}");
        let c = revocation_check(&r, 0);
        assert_eq!(c.result, CheckResult::Passed);
        assert_eq!(c.rule, "RFC 6960 §4.2.1");
        assert!(c.message.contains("the issuer"), "{}", c.message);
        let e = &r.revocation[0];
        assert_eq!(e.outcome, "good");
        assert_eq!(e.source, "http://ocsp.example.test/");
        assert_eq!(e.next_update, Some(next));
        assert_eq!(e.this_update, Some(s.this_update));
        assert!(r.valid_until.expect("valid until") <= next);
    }
}

#[test]
fn revoked_before_the_validation_time() {
    let pki = Pki::new("revoked", Alg::P256);
    let t = now();
    let when = t - 30 * DAY;
    let resp = parse(&pki.leaf_response(Some((when, "keyCompromise")), None, &["-ndays", "1"]));
    assert_eq!(
        resp.responses()[0].status,
        OcspCertStatus::Revoked {
            time: when,
            reason: Some(1)
        }
    );
    for policy in [RevocationPolicy::Require, RevocationPolicy::Prefer] {
        let r = pki.validate(std::slice::from_ref(&resp), &[], policy, t);
        assert_eq!(r.status, Status::Invalid, "{r:#?}");
        assert_eq!(r.code, Code::CertRevoked);
        assert!(r.message.contains("keyCompromise"), "{}", r.message);
        assert!(r.message.contains("OCSP"), "{}", r.message);
    }
    // Revocation is permanent: the same response past its nextUpdate still decides.
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t + 3 * DAY);
    assert_eq!(r.code, Code::CertRevoked, "{r:#?}");
}

#[test]
fn revoked_after_the_validation_time_warns() {
    let pki = Pki::new("revoked-later", Alg::P256);
    let t = now();
    let resp = parse(&pki.leaf_response(Some((t + 3600, "superseded")), None, &["-ndays", "1"]));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == Code::RevokedAfterValidationTime),
        "{r:#?}"
    );
    assert_eq!(r.revocation[0].outcome, "revoked");
    assert!(
        r.revocation[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("superseded"))
    );
}

#[test]
fn unknown_then_the_crls() {
    let pki = Pki::new("unknown", Alg::P256);
    let t = now();
    let leaf = pki.leaf.cert();
    let req = ocsp::request_der(&leaf, &pki.root.cert(), HashAlg::Sha1, None);
    // An index that does not list the leaf: the responder answers unknown.
    let resp = parse(&respond(
        &pki.dir,
        &req,
        "",
        &pki.root,
        &pki.root,
        &["-ndays", "1"],
    ));
    assert_eq!(resp.responses()[0].status, OcspCertStatus::Unknown);
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.status, Status::Indeterminate, "{r:#?}");
    assert_eq!(r.code, Code::RevocationUnknown);
    assert_eq!(r.code.as_str(), "REVOCATION_UNKNOWN");
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Prefer,
        t,
    );
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == Code::RevocationSoftFailed && w.message.contains("does not know"))
    );
    assert_eq!(r.revocation[0].outcome, "unknown");
    // A current CRL that does not list the leaf decides instead, under its own label.
    let crl = CertificateRevocationListParams {
        this_update: date_time_ymd(2020, 1, 1),
        next_update: date_time_ymd(2039, 1, 1),
        crl_number: SerialNumber::from(7u64),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&pki.root.issuer())
    .expect("CRL");
    let mut crl = Crl::from_der(crl.der()).expect("CRL parses");
    assert_eq!(crl.source(), "caller CRL");
    crl.set_source("http://crl.example.test/root.crl");
    let r = pki.validate(&[resp], &[crl], RevocationPolicy::Require, t);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.revocation[0].outcome, "good");
    assert_eq!(r.revocation[0].source, "http://crl.example.test/root.crl");
}

#[test]
fn a_signer_that_is_not_the_issuer_is_refused() {
    let pki = Pki::new("wrong-signer", Alg::P256);
    let t = now();
    // Another CA signs an answer about the root's leaf.
    let other = ca("wrong-signer Other", Alg::P256, 2, None);
    let resp = parse(&pki.leaf_response(None, Some(&other), &["-ndays", "1", "-resp_no_certs"]));
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(r.message.contains("neither the issuer"), "{}", r.message);
    // With its certificate included, it is no delegated responder either.
    let resp = parse(&pki.leaf_response(None, Some(&other), &["-ndays", "1"]));
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("does not assert id-kp-OCSPSigning"),
        "{}",
        r.message
    );
    let r = pki.validate(&[resp], &[], RevocationPolicy::Prefer, t);
    assert_eq!(r.status, Status::Valid);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == Code::RevocationSoftFailed)
    );

    // The issuer named, the signature tampered with.
    let mut der = pki.leaf_response(None, None, &["-ndays", "1", "-resp_no_certs"]);
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let resp = parse(&der);
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("not signed by the issuer"),
        "{}",
        r.message
    );

    // A delegated responder with the OCSPSigning EKU, but issued by another CA.
    let stranger = responder("wrong-signer Responder", 3, &other, true, (2020, 2036));
    let resp = parse(&pki.leaf_response(None, Some(&stranger), &["-ndays", "1"]));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("not by the certificate's issuer"),
        "{}",
        r.message
    );
}

#[test]
fn delegated_responders() {
    let pki = Pki::new("delegated", Alg::Rsa2048);
    let t = now();
    let good = responder("delegated Responder", 10, &pki.root, true, (2020, 2036));
    for extra in [&["-ndays", "1"][..], &["-ndays", "1", "-resp_key_id"]] {
        let resp = parse(&pki.leaf_response(None, Some(&good), extra));
        assert_eq!(
            resp.certs().len(),
            1,
            "OpenSSL includes the responder certificate"
        );
        let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
        assert_eq!(r.status, Status::Valid, "{extra:?}: {r:#?}");
        let c = revocation_check(&r, 0);
        assert!(c.message.contains("delegated responder"), "{}", c.message);
    }
    // Without id-kp-OCSPSigning the CA did not delegate OCSP signing to it.
    let no_eku = responder("delegated No EKU", 11, &pki.root, false, (2020, 2036));
    let resp = parse(&pki.leaf_response(None, Some(&no_eku), &["-ndays", "1"]));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(r.message.contains("id-kp-OCSPSigning"), "{}", r.message);
    // Delegated, but not valid at the validation time.
    let expired = responder("delegated Expired", 12, &pki.root, true, (2020, 2021));
    let resp = parse(&pki.leaf_response(None, Some(&expired), &["-ndays", "1"]));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("not at the validation time"),
        "{}",
        r.message
    );
    // Delegated, but the certificate is not included in the response.
    let resp = parse(&pki.leaf_response(None, Some(&good), &["-ndays", "1", "-resp_no_certs"]));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
}

#[test]
fn cert_id_must_match() {
    let pki = Pki::new("certid", Alg::P256);
    let t = now();
    let leaf = pki.leaf.cert();
    let root = pki.root.cert();
    // An answer about another certificate of the same CA.
    let sibling = end_entity("certid Sibling", 0x2002, &pki.root).cert();
    let req = ocsp::request_der(&sibling, &root, HashAlg::Sha1, None);
    let resp = parse(&respond(
        &pki.dir,
        &req,
        &index_line(&sibling, None),
        &pki.root,
        &pki.root,
        &["-ndays", "1"],
    ));
    assert!(!resp.responses()[0].cert_id.matches(&leaf, &root));
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message
            .contains("none of the 1 OCSP responses supplied answers for serial 1001"),
        "{}",
        r.message
    );
    // The same serial under another issuer key is not the same certificate.
    let other = ca("certid Root", Alg::P256, 1, None).cert();
    for alg in [
        HashAlg::Sha1,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
    ] {
        let id = CertId::for_cert(&leaf, &root, alg);
        assert_eq!(id.issuer_name_hash.len(), alg.digest(b"").len());
        assert!(id.matches(&leaf, &root), "{alg:?}");
        assert!(!id.matches(&leaf, &other), "{alg:?}");
        assert!(!id.matches(&sibling, &root), "{alg:?}");
    }
    // CertIDs under SHA-256, SHA-384 and SHA-512 work end to end (OpenSSL echoes them).
    for alg in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        let req = ocsp::request_der(&leaf, &root, alg, None);
        let resp = parse(&respond(
            &pki.dir,
            &req,
            &index_line(&leaf, None),
            &pki.root,
            &pki.root,
            &["-ndays", "1"],
        ));
        assert_eq!(resp.responses()[0].cert_id.hash_algorithm, alg);
        let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
        assert_eq!(r.status, Status::Valid, "{alg:?}: {r:#?}");
    }
}

#[test]
fn freshness() {
    let pki = Pki::new("stale", Alg::P256);
    let t = now();
    // Past nextUpdate.
    let resp = parse(&pki.leaf_response(None, None, &["-ndays", "1"]));
    let later = t + 2 * DAY;
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        later,
    );
    assert_eq!(r.status, Status::Indeterminate, "{r:#?}");
    assert_eq!(r.code, Code::RevocationStale);
    assert!(r.message.contains("past its nextUpdate"), "{}", r.message);
    // The failed path still says what was found for the leaf.
    assert_eq!(r.revocation.len(), 1, "{:#?}", r.revocation);
    assert_eq!(r.revocation[0].cert_index, 0);
    assert_eq!(r.revocation[0].outcome, "stale", "{:#?}", r.revocation);
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Prefer,
        later,
    );
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == Code::RevocationSoftFailed)
    );
    assert_eq!(r.revocation[0].outcome, "stale");
    // thisUpdate after the validation time (beyond the 5-minute skew) …
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        t - 3600,
    );
    assert_eq!(r.code, Code::RevocationStale, "{r:#?}");
    // … but within it, fine.
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t - 60);
    assert_eq!(r.status, Status::Valid, "{r:#?}");

    // No nextUpdate: current for 7 days after thisUpdate.
    let resp = parse(&pki.leaf_response(None, None, &[]));
    let s = resp.responses()[0].clone();
    assert_eq!(s.next_update, None);
    let r = pki.validate(
        std::slice::from_ref(&resp),
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert!(
        r.valid_until.expect("valid until") <= s.this_update + ocsp::NO_NEXT_UPDATE_FRESHNESS_SECS
    );
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t + 8 * DAY);
    assert_eq!(r.code, Code::RevocationStale, "{r:#?}");
    assert!(r.message.contains("no nextUpdate"), "{}", r.message);
}

#[test]
fn a_revoked_intermediate_is_ca_revoked() {
    let dir = Scratch::new("ca-revoked");
    let root = ca("ca-revoked Root", Alg::P256, 1, None);
    let inter = ca("ca-revoked Intermediate", Alg::P256, 0x77, Some(&root));
    let leaf = end_entity("ca-revoked Leaf", 0x1001, &inter);
    let (root_c, inter_c, leaf_c) = (root.cert(), inter.cert(), leaf.cert());
    let t = now();
    let inter_req = ocsp::request_der(&inter_c, &root_c, HashAlg::Sha1, None);
    let leaf_req = ocsp::request_der(&leaf_c, &inter_c, HashAlg::Sha1, None);
    let leaf_good = parse(&respond(
        &dir,
        &leaf_req,
        &index_line(&leaf_c, None),
        &inter,
        &inter,
        &["-ndays", "1"],
    ));
    let inter_good = parse(&respond(
        &dir,
        &inter_req,
        &index_line(&inter_c, None),
        &root,
        &root,
        &["-ndays", "1"],
    ));
    let inter_revoked = parse(&respond(
        &dir,
        &inter_req,
        &index_line(&inter_c, Some((t - DAY, "cACompromise"))),
        &root,
        &root,
        &["-ndays", "1"],
    ));
    let mut anchors = AnchorSet::new();
    anchors.add_certificate(root_c);
    let r = validate_at(
        &leaf_c,
        &[&inter_c],
        &anchors,
        &[leaf_good.clone(), inter_good],
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.revocation.len(), 2);
    let r = validate_at(
        &leaf_c,
        &[&inter_c],
        &anchors,
        &[leaf_good, inter_revoked],
        &[],
        RevocationPolicy::Require,
        t,
    );
    assert_eq!(r.status, Status::Invalid, "{r:#?}");
    assert_eq!(r.code, Code::CaRevoked);
    assert!(r.message.contains("cACompromise"), "{}", r.message);
}

#[test]
fn signatures_count_in_the_budget_and_the_memo() {
    let pki = Pki::new("budget", Alg::P256);
    let t = now();
    let resp = parse(&pki.leaf_response(None, None, &["-ndays", "1"]));
    let leaf = pki.leaf.cert();
    let anchors = pki.anchors();
    let evidence = Evidence {
        crls: &[],
        ocsp: std::slice::from_ref(&resp),
    };
    // The leaf's signature takes the one signature allowed: the response's finds none left.
    let mut o = options(RevocationPolicy::Prefer, t);
    o.budget.signatures = 1;
    let r = validate_with_evidence(&leaf, &[], &anchors, &evidence, &o, &SignatureMemo::new(0));
    assert_eq!(r.code, Code::PathBuildingBudgetExceeded, "{r:#?}");
    let o = options(RevocationPolicy::Require, t);
    let memo = SignatureMemo::new(64);
    let r = validate_with_evidence(&leaf, &[], &anchors, &evidence, &o, &memo);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.stats.signatures_verified, 2);
    let r = validate_with_evidence(&leaf, &[], &anchors, &evidence, &o, &memo);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.stats.signatures_verified, 0);
    // The leaf's signature from the memo; the response's from the response itself.
    assert_eq!(r.stats.memo_hits, 1);
    // A clone of the response (as a cache hands out) keeps its verification, whatever the
    // signature memo forgot: only the leaf's signature is verified again.
    let cloned = resp.clone();
    let evidence = Evidence {
        crls: &[],
        ocsp: std::slice::from_ref(&cloned),
    };
    let r = validate_with_evidence(&leaf, &[], &anchors, &evidence, &o, &SignatureMemo::new(0));
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.stats.signatures_verified, 1);
    // Another response, not verified yet, costs its verification.
    let other = parse(&pki.leaf_response(None, None, &["-ndays", "1"]));
    let evidence = Evidence {
        crls: &[],
        ocsp: std::slice::from_ref(&other),
    };
    let r = validate_with_evidence(&leaf, &[], &anchors, &evidence, &o, &SignatureMemo::new(0));
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.stats.signatures_verified, 2);
}

// ---------------------------------------------------------------------------------------
// Parsing, requests, nonces
// ---------------------------------------------------------------------------------------

#[test]
fn unsuccessful_statuses_and_garbage_are_errors() {
    for (v, name) in [
        (1u8, "malformedRequest"),
        (2, "internalError"),
        (3, "tryLater"),
        (5, "sigRequired"),
        (6, "unauthorized"),
    ] {
        match OcspResponse::from_der(&[0x30, 0x03, 0x0A, 0x01, v]) {
            Err(Error::OcspNotSuccessful { status, name: n }) => {
                assert_eq!((status, n), (v as u64, name));
            }
            other => panic!("{v}: {other:?}"),
        }
    }
    for garbage in [
        &b""[..],
        b"\x00",
        b"not an OCSP response at all",
        b"-----BEGIN OCSP RESPONSE-----",
        &[0x30, 0x80, 0x00, 0x00],
        &[0x30, 0x03, 0x02, 0x01, 0x00],
    ] {
        assert!(
            matches!(
                OcspResponse::from_der(garbage),
                Err(Error::MalformedOcsp { .. })
            ),
            "{garbage:?}"
        );
    }
    // A real response, truncated anywhere or with any bit flipped: an error or a response,
    // never a panic.
    let pki = Pki::new("garbage", Alg::P256);
    let der = pki.leaf_response(None, None, &["-ndays", "1"]);
    for n in 0..der.len() {
        assert!(
            OcspResponse::from_der(&der[..n]).is_err(),
            "truncated at {n}"
        );
    }
    for i in 0..der.len() {
        for bit in 0..8 {
            let mut d = der.clone();
            d[i] ^= 1 << bit;
            let _ = OcspResponse::from_der(&d);
        }
    }
}

#[test]
fn requests_openssl_reads_and_nonces() {
    let pki = Pki::new("request", Alg::P256);
    let leaf = pki.leaf.cert();
    let root = pki.root.cert();
    let nonce = b"\x01\x23\x45\x67\x89\xab\xcd\xef\x10\x32\x54\x76\x98\xba\xdc\xfe";
    let req = ocsp::request_der(&leaf, &root, HashAlg::Sha1, Some(nonce));
    std::fs::write(pki.dir.join("req-text.der"), &req).unwrap();
    let text = openssl(&pki.dir, &["ocsp", "-reqin", "req-text.der", "-req_text"]);
    let upper = |b: &[u8]| -> String { b.iter().map(|x| format!("{x:02X}")).collect() };
    let id = CertId::for_cert(&leaf, &root, HashAlg::Sha1);
    assert!(text.contains("Hash Algorithm: sha1"), "{text}");
    assert!(
        text.contains(&format!(
            "Issuer Name Hash: {}",
            upper(&id.issuer_name_hash)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Issuer Key Hash: {}", upper(&id.issuer_key_hash))),
        "{text}"
    );
    assert!(text.contains("Serial Number: 1001"), "{text}");
    assert!(text.contains("OCSP Nonce"), "{text}");
    assert!(text.contains("0123456789ABCDEF1032547698BADCFE"), "{text}");
    let req256 = ocsp::request_der(&leaf, &root, HashAlg::Sha256, None);
    std::fs::write(pki.dir.join("req-256.der"), &req256).unwrap();
    let text = openssl(&pki.dir, &["ocsp", "-reqin", "req-256.der", "-req_text"]);
    assert!(text.contains("Hash Algorithm: sha256"), "{text}");
    assert!(!text.contains("OCSP Nonce"), "{text}");

    // The responder echoes the nonce.
    let resp = parse(&respond(
        &pki.dir,
        &req,
        &index_line(&leaf, None),
        &pki.root,
        &pki.root,
        &["-ndays", "1"],
    ));
    assert_eq!(resp.nonce(), Some(&nonce[..]));
    let resp = parse(&respond(
        &pki.dir,
        &req256,
        &index_line(&leaf, None),
        &pki.root,
        &pki.root,
        &["-ndays", "1"],
    ));
    assert_eq!(resp.nonce(), None);
    assert!(resp.produced_at() > 0);
    assert_eq!(
        OcspResponse::from_der(resp.der()).map(|r| r.der().len()),
        Ok(resp.der().len())
    );
}

// ---------------------------------------------------------------------------------------
// Responses encoded and signed here: SM2, critical extensions
// ---------------------------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else if len < 0x10000 {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    } else {
        panic!("too long for the test encoder");
    }
    out.extend_from_slice(content);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn oid(dotted: &str) -> Vec<u8> {
    tlv(
        0x06,
        huren_validator::Oid::parse(dotted).expect("OID").as_bytes(),
    )
}

fn gen_time(t: i64) -> Vec<u8> {
    tlv(0x18, generalized_time(t).as_bytes())
}

fn name_der(cn: &str) -> Vec<u8> {
    tlv(
        0x30,
        &tlv(
            0x31,
            &tlv(0x30, &cat(&[&oid("2.5.4.3"), &tlv(0x0C, cn.as_bytes())])),
        ),
    )
}

/// One single response to encode.
struct Single {
    id: CertId,
    status: OcspCertStatus,
    this_update: i64,
    next_update: Option<i64>,
    critical_extension: bool,
}

fn encode_cert_id(id: &CertId) -> Vec<u8> {
    let alg = match id.hash_algorithm {
        HashAlg::Sha1 => "1.3.14.3.2.26",
        HashAlg::Sha256 => "2.16.840.1.101.3.4.2.1",
        HashAlg::Sha384 => "2.16.840.1.101.3.4.2.2",
        HashAlg::Sha512 => "2.16.840.1.101.3.4.2.3",
    };
    tlv(
        0x30,
        &cat(&[
            &tlv(0x30, &oid(alg)),
            &tlv(0x04, &id.issuer_name_hash),
            &tlv(0x04, &id.issuer_key_hash),
            &tlv(0x02, &id.serial),
        ]),
    )
}

fn encode_single(s: &Single) -> Vec<u8> {
    let status = match s.status {
        OcspCertStatus::Good => tlv(0x80, &[]),
        OcspCertStatus::Unknown => tlv(0x82, &[]),
        OcspCertStatus::Revoked { time, reason } => {
            let mut v = gen_time(time);
            if let Some(r) = reason {
                v.extend(tlv(0xA0, &tlv(0x0A, &[r])));
            }
            tlv(0xA1, &v)
        }
    };
    let mut body = cat(&[&encode_cert_id(&s.id), &status, &gen_time(s.this_update)]);
    if let Some(n) = s.next_update {
        body.extend(tlv(0xA0, &gen_time(n)));
    }
    if s.critical_extension {
        let ext = tlv(
            0x30,
            &cat(&[
                &oid("1.2.3.4.5"),
                &tlv(0x01, &[0xFF]),
                &tlv(0x04, &[0x05, 0x00]),
            ]),
        );
        body.extend(tlv(0xA1, &tlv(0x30, &ext)));
    }
    tlv(0x30, &body)
}

/// An `OCSPResponse` whose `tbsResponseData` (responder byName `responder`, `singles`,
/// `extensions`: the contents of the Extensions SEQUENCE) is signed by `sign` under the
/// AlgorithmIdentifier `sig_alg` (full DER).
fn encode_response(
    responder: &[u8],
    singles: &[Single],
    extensions: Option<&[u8]>,
    sig_alg: &[u8],
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let list: Vec<u8> = singles.iter().flat_map(encode_single).collect();
    let mut data = cat(&[&tlv(0xA1, responder), &gen_time(now()), &tlv(0x30, &list)]);
    if let Some(x) = extensions {
        data.extend(tlv(0xA1, &tlv(0x30, x)));
    }
    let tbs = tlv(0x30, &data);
    let sig = sign(&tbs);
    let mut bits = vec![0u8];
    bits.extend(sig);
    let basic = tlv(0x30, &cat(&[&tbs, sig_alg, &tlv(0x03, &bits)]));
    let bytes = tlv(
        0x30,
        &cat(&[&oid("1.3.6.1.5.5.7.48.1.1"), &tlv(0x04, &basic)]),
    );
    tlv(0x30, &cat(&[&tlv(0x0A, &[0]), &tlv(0xA0, &bytes)]))
}

/// An SM2 key (a fixed scalar) and its SubjectPublicKeyInfo.
struct Sm2Key {
    signer: sm2::dsa::SigningKey,
    spki: Vec<u8>,
}

fn sm2_key(seed: u8) -> Sm2Key {
    let mut scalar = [seed; 32];
    scalar[0] = 0x11;
    let signer = sm2::dsa::SigningKey::from_slice("1234567812345678", &scalar).expect("SM2 key");
    let point = signer.verifying_key().to_sec1_bytes();
    assert_eq!(point.len(), 65, "uncompressed SM2 point");
    let mut bits = vec![0u8];
    bits.extend_from_slice(&point);
    let spki = tlv(
        0x30,
        &cat(&[
            &tlv(
                0x30,
                &cat(&[&oid("1.2.840.10045.2.1"), &oid("1.2.156.10197.1.301")]),
            ),
            &tlv(0x03, &bits),
        ]),
    );
    Sm2Key { signer, spki }
}

fn sm2_sig_alg() -> Vec<u8> {
    tlv(0x30, &cat(&[&oid("1.2.156.10197.1.501"), &tlv(0x05, &[])]))
}

fn sm2_sign(key: &Sm2Key, msg: &[u8]) -> Vec<u8> {
    use signature::Signer;
    let sig: sm2::dsa::Signature = key.signer.sign(msg);
    sig.to_der().to_bytes().to_vec()
}

/// A certificate signed with SM2-with-SM3: `extensions` are the contents of the Extensions
/// SEQUENCE.
fn sm2_cert(
    serial: &[u8],
    issuer: &str,
    subject: &str,
    key: &Sm2Key,
    signer: &Sm2Key,
    extensions: &[u8],
) -> Certificate {
    let tbs = tlv(
        0x30,
        &cat(&[
            &tlv(0xA0, &tlv(0x02, &[2])),
            &tlv(0x02, serial),
            &sm2_sig_alg(),
            &name_der(issuer),
            &tlv(
                0x30,
                &cat(&[&tlv(0x17, b"200101000000Z"), &tlv(0x17, b"391231235959Z")]),
            ),
            &name_der(subject),
            &key.spki,
            &tlv(0xA3, &tlv(0x30, extensions)),
        ]),
    );
    let mut bits = vec![0u8];
    bits.extend(sm2_sign(signer, &tbs));
    let der = tlv(0x30, &cat(&[&tbs, &sm2_sig_alg(), &tlv(0x03, &bits)]));
    Certificate::from_der(&der).expect("SM2 certificate parses")
}

#[test]
fn sm2_responses() {
    let root_key = sm2_key(0x21);
    let leaf_key = sm2_key(0x42);
    // basicConstraints cA (critical); keyUsage digitalSignature, keyCertSign, cRLSign.
    let ca_ext = cat(&[
        &tlv(
            0x30,
            &cat(&[
                &oid("2.5.29.19"),
                &tlv(0x01, &[0xFF]),
                &tlv(0x04, &tlv(0x30, &tlv(0x01, &[0xFF]))),
            ]),
        ),
        &tlv(
            0x30,
            &cat(&[
                &oid("2.5.29.15"),
                &tlv(0x01, &[0xFF]),
                &tlv(0x04, &tlv(0x03, &[0x01, 0x86])),
            ]),
        ),
    ]);
    let ee_ext = tlv(
        0x30,
        &cat(&[
            &oid("2.5.29.15"),
            &tlv(0x01, &[0xFF]),
            &tlv(0x04, &tlv(0x03, &[0x07, 0x80])),
        ]),
    );
    let root = sm2_cert(
        &[0x01],
        "SM2 OCSP Root",
        "SM2 OCSP Root",
        &root_key,
        &root_key,
        &ca_ext,
    );
    let leaf = sm2_cert(
        &[0x10, 0x01],
        "SM2 OCSP Root",
        "SM2 OCSP Leaf",
        &leaf_key,
        &root_key,
        &ee_ext,
    );
    let mut anchors = AnchorSet::new();
    anchors.add_certificate(root.clone());
    let t = now();
    // The leaf validated at `t` with one OCSP response, revocation required.
    let with_response = |resp| {
        validate_at(
            &leaf,
            &[],
            &anchors,
            &[resp],
            &[],
            RevocationPolicy::Require,
            t,
        )
    };
    let single = |status| Single {
        id: CertId::for_cert(&leaf, &root, HashAlg::Sha256),
        status,
        this_update: t - 3600,
        next_update: Some(t + DAY),
        critical_extension: false,
    };
    let nonce_ext = tlv(
        0x30,
        &cat(&[
            &oid("1.3.6.1.5.5.7.48.1.2"),
            &tlv(0x04, &tlv(0x04, b"sm2-nonce")),
        ]),
    );
    let der = encode_response(
        &name_der("SM2 OCSP Root"),
        &[single(OcspCertStatus::Good)],
        Some(&nonce_ext),
        &sm2_sig_alg(),
        |m| sm2_sign(&root_key, m),
    );
    let resp = parse(&der);
    assert_eq!(resp.nonce(), Some(&b"sm2-nonce"[..]));
    let r = with_response(resp);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    assert_eq!(r.revocation[0].outcome, "good");

    let der = encode_response(
        &name_der("SM2 OCSP Root"),
        &[single(OcspCertStatus::Revoked {
            time: t - DAY,
            reason: None,
        })],
        None,
        &sm2_sig_alg(),
        |m| sm2_sign(&root_key, m),
    );
    let r = with_response(parse(&der));
    assert_eq!(r.code, Code::CertRevoked, "{r:#?}");

    // Signed by the leaf's key under the root's name: refused.
    let der = encode_response(
        &name_der("SM2 OCSP Root"),
        &[single(OcspCertStatus::Revoked {
            time: t - DAY,
            reason: None,
        })],
        None,
        &sm2_sig_alg(),
        |m| sm2_sign(&leaf_key, m),
    );
    let r = with_response(parse(&der));
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("not signed by the issuer"),
        "{}",
        r.message
    );
    assert!(
        !r.message.contains("empty distinguishing ID"),
        "{}",
        r.message
    );

    // The root's key over an empty ID (OpenSSL 3's default): refused, and named.
    let mut scalar = [0x21u8; 32];
    scalar[0] = 0x11;
    let empty_id = sm2::dsa::SigningKey::from_slice("", &scalar).expect("SM2 key");
    let der = encode_response(
        &name_der("SM2 OCSP Root"),
        &[single(OcspCertStatus::Good)],
        None,
        &sm2_sig_alg(),
        |m| {
            use signature::Signer;
            let sig: sm2::dsa::Signature = empty_id.sign(m);
            sig.to_der().to_bytes().to_vec()
        },
    );
    let r = with_response(parse(&der));
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("empty distinguishing ID") && r.message.contains("1234567812345678"),
        "{}",
        r.message
    );

    // A certificate signed that way: BAD_SIGNATURE, with the same reason.
    let odd = Sm2Key {
        signer: empty_id,
        spki: root_key.spki.clone(),
    };
    let leaf = sm2_cert(
        &[0x10, 0x02],
        "SM2 OCSP Root",
        "SM2 OCSP Leaf",
        &leaf_key,
        &odd,
        &ee_ext,
    );
    let r = validate_at(&leaf, &[], &anchors, &[], &[], RevocationPolicy::Off, t);
    assert_eq!(r.code, Code::BadSignature, "{r:#?}");
    assert!(
        r.message.contains("empty distinguishing ID"),
        "{}",
        r.message
    );
}

#[test]
fn unhandled_critical_extensions_refuse_the_answer() {
    let pki = Pki::new("critical", Alg::P256);
    let (leaf, root) = (pki.leaf.cert(), pki.root.cert());
    let t = now();
    let responder_name = root.subject().der().to_vec();
    let sig_alg = tlv(0x30, &oid("1.2.840.10045.4.3.2"));
    let sign = |m: &[u8]| pki.root.key.sign(m).expect("ECDSA signature");
    let single = |critical_extension| Single {
        id: CertId::for_cert(&leaf, &root, HashAlg::Sha1),
        status: OcspCertStatus::Good,
        this_update: t - 60,
        next_update: Some(t + DAY),
        critical_extension,
    };
    // Well formed and signed: accepted.
    let der = encode_response(&responder_name, &[single(false)], None, &sig_alg, sign);
    let r = pki.validate(&[parse(&der)], &[], RevocationPolicy::Require, t);
    assert_eq!(r.status, Status::Valid, "{r:#?}");
    // A critical single extension huren does not know.
    let der = encode_response(&responder_name, &[single(true)], None, &sig_alg, sign);
    let r = pki.validate(&[parse(&der)], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(
        r.message.contains("unhandled critical extension 1.2.3.4.5"),
        "{}",
        r.message
    );
    // A critical response extension huren does not know.
    let ext = tlv(
        0x30,
        &cat(&[
            &oid("1.2.3.4.6"),
            &tlv(0x01, &[0xFF]),
            &tlv(0x04, &[0x05, 0x00]),
        ]),
    );
    let der = encode_response(
        &responder_name,
        &[single(false)],
        Some(&ext),
        &sig_alg,
        sign,
    );
    let resp = parse(&der);
    assert_eq!(resp.unhandled_critical_extensions().len(), 1);
    let r = pki.validate(&[resp], &[], RevocationPolicy::Require, t);
    assert_eq!(r.code, Code::RevocationUnavailable, "{r:#?}");
    assert!(r.message.contains("1.2.3.4.6"), "{}", r.message);
}
