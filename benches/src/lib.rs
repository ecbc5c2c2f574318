//! Fixtures for the `huren-benches` benchmarks (`benches/validate.rs`): certificate chains
//! generated at start-up with rcgen (aws-lc-rs backend, the same crypto library both engines
//! verify with), the checked-in SM2 demo chain, and the x509-limbo `pathological::*` cases.
#![forbid(unsafe_code)]

use huren_validator::{
    AnchorSet, Certificate, KeyUsageBit, Oid, ServerName, ValidationOptions, pem,
};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, date_time_ymd,
};
use std::path::Path;

/// The validation time of every benchmark: 2026-06-01T00:00:00Z.
pub const NOW: i64 = 1_780_272_000;

/// The DNS name the generated leaves are issued for and validated against.
pub const HOST: &str = "www.example.com";

/// id-kp-serverAuth, dotted.
pub const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";

/// Key algorithm of a generated chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlg {
    /// ECDSA P-256 with SHA-256.
    P256,
    /// RSA-2048, PKCS #1 v1.5 with SHA-256.
    Rsa2048,
}

impl KeyAlg {
    fn generate(self) -> KeyPair {
        match self {
            KeyAlg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            KeyAlg::Rsa2048 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
            }
        }
        .expect("key generation")
    }
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "US");
    dn.push(DnType::OrganizationName, "Huren Bench PKI");
    dn.push(DnType::CommonName, cn);
    dn
}

fn ca_params(cn: &str, serial: u64) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p
}

/// A root → intermediate hierarchy that issues leaves and decoy intermediates.
pub struct Pki {
    alg: KeyAlg,
    root_params: CertificateParams,
    root_key: KeyPair,
    inter_params: CertificateParams,
    inter_key: KeyPair,
    /// The self-signed root (the trust anchor), DER.
    pub root: Vec<u8>,
    /// The issuing intermediate, DER.
    pub intermediate: Vec<u8>,
}

impl Pki {
    /// Generates a root and an intermediate with keys of `alg`.
    pub fn new(alg: KeyAlg, label: &str) -> Self {
        let root_key = alg.generate();
        let root_params = ca_params(&format!("Huren Bench {label} Root"), 1);
        let root = root_params
            .self_signed(&root_key)
            .expect("root")
            .der()
            .to_vec();

        let inter_key = alg.generate();
        let mut inter_params = ca_params(&format!("Huren Bench {label} Issuing CA"), 2);
        inter_params.use_authority_key_identifier_extension = true;
        let intermediate = inter_params
            .signed_by(&inter_key, &Issuer::from_params(&root_params, &root_key))
            .expect("intermediate")
            .der()
            .to_vec();
        Pki {
            alg,
            root_params,
            root_key,
            inter_params,
            inter_key,
            root,
            intermediate,
        }
    }

    /// A TLS server leaf for [`HOST`] (SAN dNSName, EKU serverAuth, digitalSignature) with
    /// its own key and serial `serial`, issued by the intermediate; with an
    /// authorityKeyIdentifier when `aki`.
    pub fn leaf(&self, serial: u64, aki: bool) -> Vec<u8> {
        let key = self.alg.generate();
        let mut p = CertificateParams::default();
        p.distinguished_name = name(&format!("leaf {serial}"));
        p.serial_number = Some(SerialNumber::from(1000 + serial));
        p.subject_alt_names = vec![SanType::DnsName(HOST.try_into().expect("IA5 host"))];
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.not_before = date_time_ymd(2026, 1, 1);
        p.not_after = date_time_ymd(2030, 12, 31);
        p.use_authority_key_identifier_extension = aki;
        p.signed_by(
            &key,
            &Issuer::from_params(&self.inter_params, &self.inter_key),
        )
        .expect("leaf")
        .der()
        .to_vec()
    }

    /// `n` intermediates with the real intermediate's subject name but their own keys (so
    /// their subjectKeyIdentifiers match no leaf's authorityKeyIdentifier), validly signed by
    /// the root. Always P-256 keys: they only have to be distinct.
    pub fn decoy_intermediates(&self, n: u64) -> Vec<Vec<u8>> {
        let issuer = Issuer::from_params(&self.root_params, &self.root_key);
        (0..n)
            .map(|i| {
                let key = KeyAlg::P256.generate();
                let mut p = self.inter_params.clone();
                p.serial_number = Some(SerialNumber::from(10_000 + i));
                p.signed_by(&key, &issuer).expect("decoy").der().to_vec()
            })
            .collect()
    }
}

/// `n` unrelated self-signed P-256 roots with distinct subject names.
pub fn unrelated_roots(n: u64) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let key = KeyAlg::P256.generate();
            ca_params(&format!("Unrelated Root {i:05}"), 100_000 + i)
                .self_signed(&key)
                .expect("root")
                .der()
                .to_vec()
        })
        .collect()
}

/// Options for a TLS server validation of [`HOST`] at [`NOW`].
pub fn server_options() -> ValidationOptions {
    let mut o = ValidationOptions::at(NOW);
    o.server_name = Some(ServerName::Dns(HOST.into()));
    o.extended_key_usage = vec![Oid::parse(SERVER_AUTH).expect("OID")];
    o
}

/// Parses DER that must be a certificate.
pub fn parse(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap_or_else(|e| panic!("generated certificate rejected: {e}"))
}

/// Every certificate in a PEM (or DER) file.
pub fn read_certs(path: &Path) -> Vec<Certificate> {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    pem::decode_all(&bytes, pem::CERTIFICATE_LABELS)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(|d| parse(d))
        .collect()
}

/// The checked-in SM2 demo chain (`testvectors/demo/`): leaf DER, intermediates, anchors,
/// and options (digitalSignature asked, no EKU, no server name) — or `None` when absent.
pub fn sm2_demo() -> Option<(Vec<u8>, Vec<Certificate>, AnchorSet, ValidationOptions)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/demo");
    if !dir.join("leaf.pem").exists() {
        return None;
    }
    let leaf = read_certs(&dir.join("leaf.pem")).into_iter().next()?;
    let intermediates = read_certs(&dir.join("intermediates.pem"));
    let mut anchors = AnchorSet::new();
    for a in read_certs(&dir.join("anchor.pem")) {
        anchors.add_certificate(a);
    }
    let mut options = ValidationOptions::at(NOW);
    options.key_usage = vec![KeyUsageBit::DigitalSignature];
    Some((leaf.der().to_vec(), intermediates, anchors, options))
}

/// One x509-limbo test case, ready to validate.
pub struct LimboCase {
    /// The limbo id (`pathological::…`).
    pub id: String,
    /// `SUCCESS` or `FAILURE`.
    pub expected: String,
    /// The peer certificate.
    pub leaf: Certificate,
    /// Untrusted intermediates.
    pub intermediates: Vec<Certificate>,
    /// Trust anchors.
    pub anchors: AnchorSet,
    /// Options as the limbo conformance test (`validator/tests/limbo.rs`) sets them.
    pub options: ValidationOptions,
}

/// The corpus reader and the case-to-inputs mapping of the conformance test, shared so that
/// the benchmarks validate each case exactly as `validator/tests/limbo.rs` does.
#[path = "../../validator/tests/common/mod.rs"]
mod limbo_common;

/// The limbo cases whose id starts with `prefix`, or `Err` with a reason to print.
pub fn limbo_cases(prefix: &str) -> Result<Vec<LimboCase>, String> {
    let cases = limbo_common::limbo("limbo benchmarks")
        .ok_or_else(|| "the x509-limbo corpus was not found; set HUREN_TESTDATA".to_string())?;
    cases
        .iter()
        .filter(|c| c.id.starts_with(prefix))
        .map(|c| {
            let i = limbo_common::limbo_inputs(c).map_err(|e| format!("{}: {e}", c.id))?;
            Ok(LimboCase {
                id: c.id.clone(),
                expected: c.expected_result.clone(),
                leaf: i.leaf,
                intermediates: i.intermediates,
                anchors: i.anchors,
                options: i.options,
            })
        })
        .collect()
}

/// The external test-data directory: `$HUREN_TESTDATA`, else `../shared/testdata` beside the
/// workspace.
pub fn testdata_dir() -> std::path::PathBuf {
    match std::env::var_os("HUREN_TESTDATA") {
        Some(p) => std::path::PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    }
}

/// Where criterion writes (and a summary reads) results: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`.
pub fn criterion_dir() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("CRITERION_HOME") {
        return std::path::PathBuf::from(p);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => std::path::PathBuf::from(t).join("criterion"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"),
    }
}

/// Nanoseconds per iteration of benchmark `id` (`group/function[/parameter]`) as criterion
/// estimated it in a run that started at `since` (slope estimate, else mean), or `None`
/// when it was filtered out or not run.
pub fn estimate(dir: &Path, id: &str, since: std::time::SystemTime) -> Option<f64> {
    let safe: Vec<String> = id
        .split('/')
        .map(|part| {
            part.chars()
                .map(|ch| if "?\"\\*<>:|^".contains(ch) { '_' } else { ch })
                .collect()
        })
        .collect();
    let file = dir.join(safe.join("/")).join("new/estimates.json");
    let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).ok()?).ok()?;
    v["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| v["mean"]["point_estimate"].as_f64())
}
