//! The workload: a P-256 root → intermediate → leaf chain made at run time with rcgen,
//! `N` distinct leaves under the same intermediate, the JSON bodies of `POST /v1/validate`,
//! and the MIIT-role trust lists (1 anchor, 5,000 anchors) that make the root an anchor of
//! `huren serve`.

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, SerialNumber, date_time_ymd,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The certificate policy the leaves carry (Art. 21 (7)) and the list files for the CA.
pub const POLICY_OID: &str = "1.3.6.1.4.1.99999.80.1";

/// id-ce-certificatePolicies.
const CERTIFICATE_POLICIES: [u64; 4] = [2, 5, 29, 32];

fn p256() -> KeyPair {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("P-256 key generation")
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "CN");
    dn.push(DnType::OrganizationName, "Huren Load Bench PKI");
    dn.push(DnType::CommonName, cn);
    dn
}

/// DER of an OBJECT IDENTIFIER (tag, length, content) from its dotted form.
fn oid_der(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted
        .split('.')
        .map(|a| a.parse().expect("numeric arc"))
        .collect();
    let mut content = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        content.extend(tmp);
    };
    push(arcs[0] * 40 + arcs[1]);
    for &a in &arcs[2..] {
        push(a);
    }
    let mut out = vec![0x06, u8::try_from(content.len()).expect("short OID")];
    out.extend(content);
    out
}

/// DER SEQUENCE around `content` (short or one/two-byte long form).
fn seq(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    match content.len() {
        n @ 0..=127 => out.push(n as u8),
        n @ 128..=255 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// certificatePolicies with one PolicyInformation naming [`POLICY_OID`] (non-critical).
fn policies_ext() -> CustomExtension {
    let value = seq(&seq(&oid_der(POLICY_OID)));
    CustomExtension::from_oid_content(&CERTIFICATE_POLICIES, value)
}

fn ca_params(cn: &str, serial: u64, path_len: Option<u8>) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p
}

/// The current UTC year (from the system clock).
pub fn this_year() -> i32 {
    let days = now() / 86_400;
    // Good enough for choosing validity windows: 365.2425-day years from 1970.
    1970 + i32::try_from(days * 10_000 / 3_652_425).expect("year")
}

/// Now, Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The root, the intermediate and the leaves.
pub struct Chain {
    /// The root (the anchor), DER.
    pub root: Vec<u8>,
    /// The intermediate, DER.
    pub intermediate: Vec<u8>,
    /// The repeated chain's leaf, DER.
    pub leaf: Vec<u8>,
    /// Distinct leaves under the same intermediate, DER.
    pub leaves: Vec<Vec<u8>>,
}

/// Generates the chain and `n` further leaves (each with its own key and serial). Leaves are
/// valid from January 1st of last year to December 31st of next year, carry
/// digitalSignature, certificatePolicies [`POLICY_OID`] and an authorityKeyIdentifier.
pub fn chain(n: usize) -> Chain {
    let root_key = p256();
    let root_params = ca_params("Huren Load Root CA", 1, None);
    let root = root_params.self_signed(&root_key).expect("root");
    let inter_key = p256();
    let mut inter_params = ca_params("Huren Load Issuing CA", 2, Some(0));
    inter_params.use_authority_key_identifier_extension = true;
    inter_params.custom_extensions = vec![policies_ext()];
    let root_issuer = Issuer::from_params(&root_params, &root_key);
    let intermediate = inter_params
        .signed_by(&inter_key, &root_issuer)
        .expect("intermediate");
    let issuer = Issuer::from_params(&inter_params, &inter_key);
    let year = this_year();
    let leaf = |i: usize| -> Vec<u8> {
        let key = p256();
        let mut p = CertificateParams::default();
        p.distinguished_name = name(&format!("Load Leaf {i:06}"));
        p.serial_number = Some(SerialNumber::from(1_000_000 + i as u64));
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.custom_extensions = vec![policies_ext()];
        p.use_authority_key_identifier_extension = true;
        p.not_before = date_time_ymd(year - 1, 1, 1);
        p.not_after = date_time_ymd(year + 1, 12, 31);
        p.signed_by(&key, &issuer).expect("leaf").der().to_vec()
    };
    Chain {
        root: root.der().to_vec(),
        intermediate: intermediate.der().to_vec(),
        leaf: leaf(0),
        leaves: (1..=n).map(leaf).collect(),
    }
}

/// PEM of one certificate.
pub fn pem(der: &[u8]) -> String {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der)
        .expect("PEM encoding")
}

/// The `POST /v1/validate` body for `leaf` under the intermediate, policy `default`.
pub fn body(leaf: &[u8], intermediate: &[u8], fresh: bool) -> String {
    serde_json::json!({
        "certificate": pem(leaf),
        "intermediates": [pem(intermediate)],
        "policy": "default",
        "fresh": fresh,
    })
    .to_string()
}

/// Files of one huren instance: the signed list, its signer and the config.
pub struct HurenFiles {
    /// `huren serve --config` file.
    pub config: PathBuf,
    /// Anchors on the list.
    pub anchors: usize,
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A MIIT list source with the root as a licensed domestic CA (licence in force, granted)
/// and `extra` unrelated licensed CAs, certificates under `certs/`.
fn source(extra: usize) -> String {
    let now = now();
    let year = this_year();
    let issued = huren_validator::fmt_time(now - 86_400);
    let next = huren_validator::fmt_time(now + 180 * 86_400);
    let licence = format!("{}-01-01T00:00:00Z", year - 2);
    let mut s = format!(
        r#"[scheme]
operator = {{ en = "Huren load bench (not MIIT)" }}
name = {{ en = "CN: load bench list" }}
sequence = 1
issued = "{issued}"
next_update = "{next}"
"#
    );
    let mut entry = |i: usize, en: &str, cert: &str| {
        let _ = write!(
            s,
            r#"
[[domestic]]
name = {{ en = {en} }}
certificates = [{cert}]
policy_oids = ["{POLICY_OID}"]
licence = {{ number = "LOAD-{i:05}", issuing_authority = "bench", issued = "{licence}" }}
[[domestic.status]]
status = "granted"
from = "{licence}"
"#,
            en = q(en),
            cert = q(cert),
        );
    };
    entry(0, "Huren Load Root CA", "certs/root.pem");
    for i in 1..=extra {
        entry(
            i,
            &format!("Unrelated Load CA {i:05}"),
            &format!("certs/u{i}.pem"),
        );
    }
    s
}

/// Writes the signer, the list with 1 + `extra` anchors and the config for `port` into
/// `dir`; `signatures` is the signature-memo size of the config.
pub fn huren_files(
    dir: &Path,
    chain: &Chain,
    extra: usize,
    port: u16,
    signatures: usize,
) -> HurenFiles {
    use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
    std::fs::create_dir_all(dir).expect("create the huren directory");
    let unrelated: Vec<Vec<u8>> = (1..=extra)
        .map(|i| {
            ca_params(
                &format!("Unrelated Load CA {i:05}"),
                10_000 + i as u64,
                None,
            )
            .self_signed(&p256())
            .expect("unrelated root")
            .der()
            .to_vec()
        })
        .collect();
    let text = source(extra);
    let src = huren_trustlists::parse_source(&text)
        .unwrap_or_else(|e| panic!("the bench source does not parse: {e}"));
    let list = src
        .to_list(&|path: &str| {
            if path == "certs/root.pem" {
                return Ok(chain.root.clone());
            }
            path.strip_prefix("certs/u")
                .and_then(|r| r.strip_suffix(".pem"))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| unrelated.get(i - 1).cloned())
                .ok_or_else(|| huren_trustlists::Error::Build {
                    message: format!("{path} is not generated"),
                })
        })
        .unwrap_or_else(|e| panic!("the bench source does not build: {e}"));
    let unsigned = huren_trustlists::write_list(&list).expect("the bench list serialises");

    // The list signer: a self-signed P-256 certificate.
    let key = p256();
    let mut p = CertificateParams::default();
    p.distinguished_name = name("Huren Load Trust List Signer");
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    let cert = p.self_signed(&key).expect("signer");
    let signer = ListSigner::new(
        SigningKey::from_der(&key.serialize_der()).expect("signer key"),
        cert.der().to_vec(),
    )
    .expect("signer key fits its certificate");
    let xml = sign_list(
        &unsigned,
        &signer,
        now() - 3600,
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .expect("the bench list signs");
    let list_path = dir.join("list.xml");
    let signer_path = dir.join("signer.pem");
    std::fs::write(&list_path, xml).expect("write list");
    std::fs::write(&signer_path, pem(cert.der())).expect("write signer");
    let config = dir.join("huren.toml");
    let state = dir.join("state");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::write(
        &config,
        format!(
            r#"# Written by `cargo run --release -p huren-benches --example load`.
listen = "127.0.0.1:{port}"
state_dir = {state}

[[trust_lists]]
name = "load-bench"
location = {list}
signers = [{signer}]
role = "miit"

[cache]
results = 100000
signatures = {signatures}
"#,
            state = q(&state.display().to_string()),
            list = q(&list_path.display().to_string()),
            signer = q(&signer_path.display().to_string()),
        ),
    )
    .expect("write config");
    HurenFiles {
        config,
        anchors: 1 + extra,
    }
}
