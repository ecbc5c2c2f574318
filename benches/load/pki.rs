//! The workload: a P-256 root → intermediate → leaf chain made at run time with rcgen,
//! `N` distinct leaves under the same intermediate, the JSON bodies of `POST /v1/validate`,
//! and the MIIT-role trust lists (1 anchor, 5,000 anchors) that make the root an anchor of
//! `huren serve`. The leaves name a loopback OCSP responder (authorityInfoAccess) and the
//! intermediate a loopback CRL (cRLDistributionPoints), for the revocation run; the root
//! issues that CRL ([`Chain::crl`]).

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CustomExtension,
    DistinguishedName, DnType, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, SerialNumber,
    date_time_ymd,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The certificate policy the leaves carry (Art. 21 (7)) and the list files for the CA.
pub const POLICY_OID: &str = "1.3.6.1.4.1.99999.80.1";

/// id-ce-certificatePolicies.
const CERTIFICATE_POLICIES: [u64; 4] = [2, 5, 29, 32];

/// id-pe-authorityInfoAccess.
const AUTHORITY_INFO_ACCESS: [u64; 9] = [1, 3, 6, 1, 5, 5, 7, 1, 1];

/// id-ce-cRLDistributionPoints.
const CRL_DISTRIBUTION_POINTS: [u64; 4] = [2, 5, 29, 31];

/// id-ad-ocsp, the access method of an OCSP responder.
const AD_OCSP: &str = "1.3.6.1.5.5.7.48.1";

/// The serial number of distinct leaf `i` (leaf 0 is the repeated chain's), as its DER
/// INTEGER content: 1,000,000 + `i`, three octets for any bench size (high bit clear).
fn leaf_serial(i: usize) -> Vec<u8> {
    let v = 1_000_000 + i as u64;
    let bytes = v.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    let mut out = bytes[first..].to_vec();
    if out[0] & 0x80 != 0 {
        out.insert(0, 0);
    }
    out
}

/// The serial as `openssl ocsp` looks it up in its index (`BN_bn2hex`: uppercase, two
/// digits an octet, no sign octet).
fn serial_hex(serial: &[u8]) -> String {
    let trimmed = match serial {
        [0, rest @ ..] if !rest.is_empty() => rest,
        s => s,
    };
    trimmed.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

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
    tlv(0x30, content)
}

/// DER of `tag` around `content` (short or one/two-byte long form).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
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

/// authorityInfoAccess with one id-ad-ocsp AccessDescription: GeneralName
/// uniformResourceIdentifier `[6]` `url` (non-critical).
fn aia_ocsp_ext(url: &str) -> CustomExtension {
    let mut ad = oid_der(AD_OCSP);
    ad.extend(tlv(0x86, url.as_bytes()));
    CustomExtension::from_oid_content(&AUTHORITY_INFO_ACCESS, seq(&seq(&ad)))
}

/// cRLDistributionPoints with one DistributionPoint: distributionPoint `[0]` fullName `[0]`
/// uniformResourceIdentifier `[6]` `url` (non-critical).
fn cdp_ext(url: &str) -> CustomExtension {
    let full_name = tlv(0xa0, &tlv(0x86, url.as_bytes()));
    let dp = seq(&tlv(0xa0, &full_name));
    CustomExtension::from_oid_content(&CRL_DISTRIBUTION_POINTS, seq(&dp))
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

/// Where the certificates send a relying party for revocation status (loopback).
pub struct RevocationUrls {
    /// The OCSP responder the leaves name (authorityInfoAccess, id-ad-ocsp).
    pub ocsp: String,
    /// The CRL the intermediate names (cRLDistributionPoints), issued by the root.
    pub crl: String,
}

/// The root, the intermediate and the leaves.
pub struct Chain {
    /// The root (the anchor), DER.
    pub root: Vec<u8>,
    /// The intermediate, DER.
    pub intermediate: Vec<u8>,
    /// The intermediate's private key, PKCS #8 DER (the OCSP responder signs with it).
    pub intermediate_key: Vec<u8>,
    /// The repeated chain's leaf, DER.
    pub leaf: Vec<u8>,
    /// Distinct leaves under the same intermediate, DER.
    pub leaves: Vec<Vec<u8>>,
    /// The root's CRL for the intermediate's distribution point (nothing revoked; this
    /// update an hour ago, next update in 7 days), DER.
    pub crl: Vec<u8>,
    /// `openssl ocsp` index lines, one "V" (valid) line per leaf (the repeated chain's and
    /// the distinct ones).
    pub ocsp_index: String,
}

/// Generates the chain and `n` further leaves (each with its own key and serial). Leaves are
/// valid from January 1st of last year to December 31st of next year, carry
/// digitalSignature, certificatePolicies [`POLICY_OID`], an authorityKeyIdentifier and an
/// authorityInfoAccess naming `urls.ocsp`; the intermediate names `urls.crl`
/// (cRLDistributionPoints). A service that does not check revocation (policy `off`, or
/// `revocation.online = false`) fetches nothing whatever they name.
pub fn chain(n: usize, urls: &RevocationUrls) -> Chain {
    let root_key = p256();
    let root_params = ca_params("Huren Load Root CA", 1, None);
    let root = root_params.self_signed(&root_key).expect("root");
    let inter_key = p256();
    let mut inter_params = ca_params("Huren Load Issuing CA", 2, Some(0));
    inter_params.use_authority_key_identifier_extension = true;
    inter_params.custom_extensions = vec![policies_ext(), cdp_ext(&urls.crl)];
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
        p.serial_number = Some(SerialNumber::from_slice(&leaf_serial(i)));
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.custom_extensions = vec![policies_ext(), aia_ocsp_ext(&urls.ocsp)];
        p.use_authority_key_identifier_extension = true;
        p.not_before = date_time_ymd(year - 1, 1, 1);
        p.not_after = date_time_ymd(year + 1, 12, 31);
        p.signed_by(&key, &issuer).expect("leaf").der().to_vec()
    };
    // Unix seconds as an rcgen date-time.
    let at = |unix: i64| {
        date_time_ymd(1970, 1, 1) + std::time::Duration::from_secs(u64::try_from(unix).unwrap_or(0))
    };
    let now = now();
    let crl = CertificateRevocationListParams {
        this_update: at(now - 3600),
        next_update: at(now + 7 * 86_400),
        crl_number: SerialNumber::from(1),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&root_issuer)
    .expect("CRL");
    // `V <notAfter as YYMMDDHHMMSSZ> <no revocation date> <serial> unknown <subject>`.
    let expiry = format!("{:02}1231235959Z", (year + 1) % 100);
    let mut ocsp_index = String::new();
    for i in 0..=n {
        let _ = writeln!(
            ocsp_index,
            "V\t{expiry}\t\t{}\tunknown\t/C=CN/O=Huren Load Bench PKI/CN=Load Leaf {i:06}",
            serial_hex(&leaf_serial(i))
        );
    }
    Chain {
        root: root.der().to_vec(),
        intermediate: intermediate.der().to_vec(),
        intermediate_key: inter_key.serialize_der(),
        leaf: leaf(0),
        leaves: (1..=n).map(leaf).collect(),
        crl: crl.der().to_vec(),
        ocsp_index,
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
/// `dir`; `signatures` is the signature-memo size of the config, `tail` is appended to it
/// (`[[policies]]`, `[revocation]`).
pub fn huren_files(
    dir: &Path,
    chain: &Chain,
    extra: usize,
    port: u16,
    signatures: usize,
    tail: &str,
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
{tail}"#,
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
