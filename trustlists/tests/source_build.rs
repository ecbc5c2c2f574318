//! The TOML source: a rich source (certificates generated with rcgen at test time) builds a
//! list that survives `write_list` → `read_unverified`; every refusal names the entry and
//! the place.

use huren_trustlists::model::*;
use huren_trustlists::{Error, Limits, Source, parse_source, read_unverified, write_list};
use huren_validator::{Oid, fmt_time, parse_rfc3339};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use std::collections::HashMap;

fn t(s: &str) -> i64 {
    parse_rfc3339(s).unwrap()
}

/// A self-signed certificate (a CA certificate when `ca`), DER.
fn cert(cn: &str, ca: bool) -> Vec<u8> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "CN");
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.is_ca = IsCa::NoCa;
    }
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p.self_signed(&key).unwrap().der().to_vec()
}

fn pem(der: &[u8]) -> Vec<u8> {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der)
        .unwrap()
        .into_bytes()
}

/// The certificate files of the test sources: name → bytes.
struct Files {
    files: HashMap<String, Vec<u8>>,
    alpha: Vec<u8>,
    alpha2: Vec<u8>,
    beta: Vec<u8>,
    gamma: Vec<u8>,
    signer: Vec<u8>,
}

fn files() -> Files {
    let alpha = cert("Alpha Root CA", true);
    let alpha2 = cert("Alpha Sub CA", true);
    let beta = cert("Beta CA", true);
    let gamma = cert("Gamma Root", true);
    let signer = cert("SE TL signer", false);
    let leaf = cert("not a CA", false);
    let mut files = HashMap::new();
    // A PEM bundle with two CA certificates, a DER file, PEM files.
    let mut bundle = pem(&alpha);
    bundle.extend_from_slice(b"\n# comment between blocks\n");
    bundle.extend_from_slice(&pem(&alpha2));
    files.insert("ca/alpha.pem".to_string(), bundle);
    files.insert("ca/beta.der".to_string(), beta.clone());
    files.insert("foreign/gamma.pem".to_string(), pem(&gamma));
    files.insert("pointers/se-signer.pem".to_string(), pem(&signer));
    files.insert("ca/leaf.pem".to_string(), pem(&leaf));
    files.insert("ca/beta-again.pem".to_string(), pem(&beta));
    files.insert("ca/junk.txt".to_string(), b"hello".to_vec());
    Files {
        files,
        alpha,
        alpha2,
        beta,
        gamma,
        signer,
    }
}

impl Files {
    fn build(&self, source: &Source) -> Result<TrustList, Error> {
        source.to_list(&|path: &str| {
            self.files.get(path).cloned().ok_or_else(|| Error::Source {
                line: None,
                column: None,
                message: "no such file".into(),
            })
        })
    }
}

const RICH: &str = r#"
[scheme]
operator = { zh = "中华人民共和国工业和信息化部", en = "Ministry of Industry and Information Technology" }
operator_address = { street = "西长安街13号", locality = "北京", postal_code = "100804", country = "CN" }
operator_electronic = ["mailto:tl@miit.example", { lang = "zh", uri = "https://www.miit.gov.cn/" }]
name = { zh = "电子认证服务机构可信列表", en = "CN: trust list of licensed and approved CAs" }
legal_notice = { zh = "依据《电子认证服务管理办法》发布。", en = "Published under the Measures." }
information_uris = ["https://tl.miit.example/"]
sequence = 7
issued = "2026-09-01T00:00:00Z"
next_update = 2027-03-01T00:00:00Z
distribution_points = ["https://tl.miit.example/miit-tl.xml"]

[[domestic]]
name = { zh = "甲认证中心", en = "Alpha CA" }
website = "https://alpha.example/"
address = { street = "路1号", locality = "上海", country = "CN" }
certificates = ["ca/alpha.pem"]
policy_oids = ["1.2.156.112559.1.1.1"]
cps_url = "https://alpha.example/cps.pdf"
licence = { number = "ECP-2024-001", issuing_authority = "工业和信息化部", issued = "2024-02-29T00:00:00+08:00" }
restrictions = [{ from = "2025-01-01T00:00:00Z", until = "2025-07-01T00:00:00Z", reason = "Art. 39 decision 2024-17" }]
[[domestic.status]]
status = "granted"
from = "2024-02-29T00:00:00+08:00"
[[domestic.status]]
status = "suspended"
from = 2025-01-01T00:00:00Z
[[domestic.status]]
status = "granted"
from = "2025-07-01T00:00:00Z"
[[domestic.status]]
status = "taken-over"
from = "2026-08-01T00:00:00Z"
successor = "乙认证中心"

[[domestic]]
name = { zh = "乙认证中心", en = "Beta CA" }
website = { lang = "zh", uri = "https://beta.example/" }
service_type = "CA/QC"
certificates = ["ca/beta.der"]
licence = { number = "ECP-2023-009", issuing_authority = "工业和信息化部", issued = "2023-06-01T00:00:00Z" }
[[domestic.status]]
status = "granted"
from = "2023-06-01T00:00:00Z"

[[foreign]]
name = { en = "Gamma Trust Services" }
jurisdiction = "HK"
certificates = ["foreign/gamma.pem"]
approval = { decision = "工信部电子认证〔2026〕3号", decided = "2026-05-01T00:00:00Z", basis = "agreement:CEPA e-signature arrangement", valid_from = "2026-06-01T00:00:00Z", valid_until = "2029-06-01T00:00:00Z", policy_oids = ["1.3.6.1.4.1.99999.1"], algorithms = [{ family = "rsa", min_bits = 2048 }, { family = "ec-p256", min_bits = 256 }], key_usages = ["digitalSignature", "contentCommitment"], ekus = ["emailProtection", "1.3.6.1.5.5.7.3.2"] }
[[foreign.status]]
status = "granted"
from = "2026-06-01T00:00:00Z"
[[foreign.status]]
status = "withdrawn"
from = "2026-08-15T00:00:00Z"

[[pointer]]
location = "https://tl.example.eu/SE_TSL.xml"
territory = "SE"
tsl_type = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"
operator = { en = "Swedish Post and Telecom Agency (PTS)" }
signers = ["pointers/se-signer.pem"]
approval = { decision = "工信部电子认证〔2026〕5号", decided = "2026-07-01T00:00:00Z", basis = "reciprocity", valid_from = "2026-07-01T00:00:00Z", valid_until = "2028-07-01T00:00:00Z", policy_oids = ["0.4.0.194112.1.2"], algorithms = [{ family = "rsa", min_bits = 3072 }], key_usages = ["nonRepudiation"] }

[[pointer]]
location = "https://tl.miit.example/miit-tl.xml"
territory = "CN"
signers = ["pointers/se-signer.pem"]
"#;

#[test]
fn a_rich_source_builds_writes_and_reads_back() {
    let f = files();
    let source = parse_source(RICH).unwrap();
    assert_eq!(
        source.certificate_paths(),
        vec![
            "ca/alpha.pem",
            "ca/beta.der",
            "foreign/gamma.pem",
            "pointers/se-signer.pem"
        ]
    );
    let list = f.build(&source).unwrap();
    let xml = write_list(&list).unwrap();
    let back = read_unverified(xml.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(back, list);

    // Scheme.
    assert_eq!(list.version, 6);
    assert_eq!(list.sequence, 7);
    assert_eq!(list.id.as_deref(), Some("tsl"));
    assert_eq!(list.scheme_territory.as_deref(), Some("CN"));
    assert_eq!(
        list.tsl_type,
        "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/CNlist"
    );
    assert_eq!(list.next_update, Some(t("2027-03-01T00:00:00Z")));
    assert_eq!(list.historical_period, Some(65535));
    assert_eq!(
        list.operator.get("zh"),
        Some("中华人民共和国工业和信息化部")
    );
    assert_eq!(list.operator_address.postal[0].lang, "zh");
    assert_eq!(
        list.operator_address.electronic.0[1],
        ("zh".into(), "https://www.miit.gov.cn/".into())
    );

    // Alpha: two certificates (a PEM bundle) → two services, each with the whole history.
    assert_eq!(list.providers.len(), 3);
    let alpha = &list.providers[0];
    assert_eq!(alpha.name.get("en"), Some("Alpha CA"));
    assert_eq!(alpha.services.len(), 2);
    assert_eq!(
        alpha.services[0].certificates().next(),
        Some(f.alpha.as_slice())
    );
    assert_eq!(
        alpha.services[1].certificates().next(),
        Some(f.alpha2.as_slice())
    );
    let s = &alpha.services[0];
    assert_eq!(s.service_type, ServiceType::CaPkc);
    // The last status is current: taken over = withdrawn + TakenOverBy + our successor.
    assert_eq!(s.status, ServiceStatus::Withdrawn);
    assert_eq!(s.status_start, t("2026-08-01T00:00:00Z"));
    let tob = s.extensions.taken_over_by.as_ref().unwrap();
    assert_eq!(tob.tsp_name.get("zh"), Some("乙认证中心"));
    assert_eq!(tob.uri.get("zh"), Some("https://beta.example/"));
    assert_eq!(tob.territory, "CN");
    let m = s.extensions.miit.as_ref().unwrap();
    assert_eq!(m.successor.as_deref(), Some("乙认证中心"));
    // Licence: issued 29 Feb 2024 in Beijing, expires 28 Feb 2029 in Beijing (Art. 11).
    let lic = m.licence.as_ref().unwrap();
    assert_eq!(lic.number, "ECP-2024-001");
    assert_eq!(fmt_time(lic.issued), "2024-02-28T16:00:00Z");
    assert_eq!(fmt_time(lic.expires), "2029-02-27T16:00:00Z");
    assert_eq!(
        m.policy_oids,
        vec![Oid::parse("1.2.156.112559.1.1.1").unwrap()]
    );
    assert_eq!(m.cps_url.as_deref(), Some("https://alpha.example/cps.pdf"));
    assert_eq!(m.restrictions.len(), 1);
    assert!(m.restrictions[0].covers(t("2025-03-01T00:00:00Z")));
    // History, newest first, each instance with the licence and no successor.
    let hist: Vec<(&ServiceStatus, i64)> = s
        .history
        .iter()
        .map(|h| (&h.status, h.status_start))
        .collect();
    assert_eq!(
        hist,
        vec![
            (&ServiceStatus::Granted, t("2025-07-01T00:00:00Z")),
            (&ServiceStatus::Suspended, t("2025-01-01T00:00:00Z")),
            (&ServiceStatus::Granted, t("2024-02-28T16:00:00Z")),
        ]
    );
    for h in &s.history {
        let hm = h.extensions.miit.as_ref().unwrap();
        assert!(hm.licence.is_some() && hm.successor.is_none());
        assert!(h.extensions.taken_over_by.is_none());
    }
    assert_eq!(
        s.status_at(t("2025-03-01T00:00:00Z")).map(|(st, _)| st),
        Some(&ServiceStatus::Suspended)
    );

    // Beta: CA/QC, a DER file, a website in Chinese.
    let beta = &list.providers[1];
    assert_eq!(beta.services[0].service_type, ServiceType::CaQc);
    assert_eq!(
        beta.services[0].certificates().next(),
        Some(f.beta.as_slice())
    );
    assert_eq!(
        beta.information_uris.get("zh"),
        Some("https://beta.example/")
    );
    assert!(beta.services[0].history.is_empty());

    // Gamma: the approval, with its jurisdiction and normalised key usage names.
    let gamma = &list.providers[2];
    let g = &gamma.services[0];
    assert_eq!(g.certificates().next(), Some(f.gamma.as_slice()));
    assert_eq!(g.status, ServiceStatus::Withdrawn);
    let a = g
        .extensions
        .miit
        .as_ref()
        .unwrap()
        .approval
        .as_ref()
        .unwrap();
    assert_eq!(a.jurisdiction, "HK");
    assert_eq!(
        a.basis,
        Basis::Agreement("CEPA e-signature arrangement".into())
    );
    assert_eq!(a.key_usages, vec!["digitalSignature", "nonRepudiation"]);
    assert_eq!(
        a.ekus,
        vec![
            Oid::parse("1.3.6.1.5.5.7.3.4").unwrap(),
            Oid::parse("1.3.6.1.5.5.7.3.2").unwrap()
        ]
    );
    assert_eq!(a.algorithms[1].family, AlgorithmFamily::EcP256);
    assert!(a.in_force_at(t("2026-06-01T00:00:00Z")) && a.in_force_at(a.valid_until));
    assert!(!a.in_force_at(a.valid_until + 1));
    assert!(g.extensions.miit.as_ref().unwrap().licence.is_none());

    // Pointers: the approved foreign scheme, and the self-pointer without approval.
    assert_eq!(list.pointers.len(), 2);
    let se = &list.pointers[0];
    assert_eq!(se.signers, vec![f.signer.clone()]);
    assert_eq!(
        se.mime_type.as_deref(),
        Some("application/vnd.etsi.tsl+xml")
    );
    let sa = se.approval.as_ref().unwrap();
    assert_eq!(
        (sa.jurisdiction.as_str(), &sa.basis),
        ("SE", &Basis::Reciprocity)
    );
    assert!(list.pointers[1].approval.is_none());
}

/// Parses `text`, builds, and returns the error.
fn fails(text: &str) -> Error {
    let f = files();
    match parse_source(text) {
        Err(e) => e,
        Ok(s) => f.build(&s).expect_err("the source should be refused"),
    }
}

/// The 1-based line and column of the first occurrence of `needle` in `text`.
fn at(text: &str, needle: &str) -> (Option<u32>, Option<u32>) {
    let off = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let before = &text[..off];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (Some(line), Some(col))
}

fn source_err(e: &Error) -> (Option<u32>, Option<u32>, String) {
    match e {
        Error::Source {
            line,
            column,
            message,
        } => (*line, *column, message.clone()),
        e => panic!("not a source error: {e:?}"),
    }
}

#[test]
fn toml_errors_carry_line_and_column() {
    let text = RICH.replace("sequence = 7", "sequence = = 7");
    let e = fails(&text);
    let (line, _, _) = source_err(&e);
    assert_eq!(line, at(&text, "sequence = =").0, "{e}");

    // Unknown keys are refused where they are.
    let text = RICH.replace(
        "cps_url = \"https://alpha",
        "cps = \"x\"\ncps_url = \"https://alpha",
    );
    let e = fails(&text);
    let (line, col, msg) = source_err(&e);
    assert_eq!((line, col), at(&text, "cps = \"x\""), "{e}");
    assert!(msg.contains("unknown field `cps`"), "{msg}");

    // A wrong type.
    let text = RICH.replace("sequence = 7", "sequence = \"seven\"");
    let (line, _, _) = source_err(&fails(&text));
    assert_eq!(line, at(&text, "sequence = \"seven\"").0);
}

#[test]
fn a_bad_time_names_the_entry_and_the_key() {
    let text = RICH.replace(
        "issued = \"2023-06-01T00:00:00Z\"",
        "issued = \"2023-13-01\"",
    );
    let e = fails(&text);
    let (line, col, msg) = source_err(&e);
    assert!(
        msg.starts_with("domestic[1] \"Beta CA\": licence.issued is not an RFC 3339 time"),
        "{msg}"
    );
    assert!(msg.contains("2023-13-01"), "{msg}");
    assert_eq!((line, col), at(&text, "\"2023-13-01\""), "{e}");
    assert!(e.to_string().starts_with("source line "), "{e}");

    // A local TOML date-time has no zone.
    let text = RICH.replace("from = 2025-01-01T00:00:00Z", "from = 2025-01-01T00:00:00");
    let (_, _, msg) = source_err(&fails(&text));
    assert!(
        msg.starts_with("domestic[0] \"Alpha CA\": status[1].from is not an RFC 3339 time"),
        "{msg}"
    );
}

#[test]
fn status_histories_are_checked() {
    // taken-over without a successor.
    let text = RICH.replace("successor = \"乙认证中心\"\n", "");
    let e = fails(&text);
    let (line, _, msg) = source_err(&e);
    assert!(
        msg.contains(
            "domestic[0] \"Alpha CA\": status[3].status is taken-over but names no successor"
        ),
        "{msg}"
    );
    assert_eq!(line, at(&text, "status = \"taken-over\"").0);

    // Out of order.
    let text = RICH.replace(
        "from = \"2025-07-01T00:00:00Z\"",
        "from = \"2024-07-01T00:00:00Z\"",
    );
    let (_, _, msg) = source_err(&fails(&text));
    assert!(
        msg.contains(
            "status[2].from (2024-07-01T00:00:00Z) is not after the previous status's from"
        ),
        "{msg}"
    );

    // A successor that is not a domestic entry, or the entry itself.
    let text = RICH.replace(
        "successor = \"乙认证中心\"",
        "successor = \"Gamma Trust Services\"",
    );
    let (_, _, msg) = source_err(&fails(&text));
    assert!(
        msg.contains(
            "status[3].successor \"Gamma Trust Services\" is not the name of a domestic entry"
        ),
        "{msg}"
    );
    let text = RICH.replace("successor = \"乙认证中心\"", "successor = \"Alpha CA\"");
    assert!(
        source_err(&fails(&text))
            .2
            .contains("names the entry itself")
    );

    // A successor on another status; an unknown status; taken-over for a foreign CA.
    let text = RICH.replace(
        "status = \"suspended\"\n",
        "status = \"suspended\"\nsuccessor = \"Beta CA\"\n",
    );
    assert!(
        source_err(&fails(&text))
            .2
            .contains("is given for a status other than taken-over")
    );
    let text = RICH.replace("status = \"suspended\"", "status = \"revoked\"");
    assert!(
        source_err(&fails(&text))
            .2
            .contains("\"revoked\" is not one of granted, suspended, withdrawn or taken-over")
    );
    let text = RICH.replace(
        "status = \"withdrawn\"",
        "status = \"taken-over\"\nsuccessor = \"Beta CA\"",
    );
    let (_, _, msg) = source_err(&fails(&text));
    assert!(msg.starts_with("foreign[0] \"Gamma Trust Services\": status[1].status \"taken-over\" is not one of granted, suspended or withdrawn"), "{msg}");

    // No status at all.
    let text = RICH.replace(
        "[[domestic.status]]\nstatus = \"granted\"\nfrom = \"2023-06-01T00:00:00Z\"\n",
        "",
    );
    assert!(
        source_err(&fails(&text))
            .2
            .contains("domestic[1] \"Beta CA\": has no status")
    );
}

#[test]
fn certificates_are_checked() {
    // Not a CA certificate.
    let text = RICH.replace(
        "certificates = [\"ca/beta.der\"]",
        "certificates = [\"ca/leaf.pem\"]",
    );
    let e = fails(&text);
    let (line, col, msg) = source_err(&e);
    assert!(msg.starts_with("domestic[1] \"Beta CA\": certificates[0] \"ca/leaf.pem\" holds a certificate that is not a CA certificate"), "{msg}");
    assert_eq!((line, col), at(&text, "\"ca/leaf.pem\""));

    // The same certificate in two entries.
    let text = RICH.replace(
        "certificates = [\"foreign/gamma.pem\"]",
        "certificates = [\"ca/beta-again.pem\"]",
    );
    let (_, _, msg) = source_err(&fails(&text));
    assert!(msg.contains("foreign[0] \"Gamma Trust Services\": certificates[0] \"ca/beta-again.pem\" holds a certificate already listed at domestic[1] certificates[0]"), "{msg}");

    // Not a certificate; not resolvable; no certificates.
    let text = RICH.replace("[\"ca/beta.der\"]", "[\"ca/junk.txt\"]");
    assert!(
        source_err(&fails(&text))
            .2
            .contains("\"ca/junk.txt\" is not a PEM or DER certificate")
    );
    let text = RICH.replace("[\"ca/beta.der\"]", "[\"ca/missing.pem\"]");
    let (_, _, msg) = source_err(&fails(&text));
    assert!(
        msg.contains("certificates[0] \"ca/missing.pem\": ") && msg.contains("no such file"),
        "{msg}"
    );
    let text = RICH.replace("[\"ca/beta.der\"]", "[]");
    assert!(
        source_err(&fails(&text))
            .2
            .contains("certificates is empty")
    );
}

#[test]
fn approvals_are_checked() {
    // A foreign CA without approval.
    let start = RICH
        .find("approval = { decision = \"工信部电子认证〔2026〕3号\"")
        .unwrap();
    let end = start + RICH[start..].find('\n').unwrap() + 1;
    let text = format!("{}{}", &RICH[..start], &RICH[end..]);
    let e = fails(&text);
    let (line, _, msg) = source_err(&e);
    assert!(
        msg.starts_with("foreign[0] \"Gamma Trust Services\": has no approval"),
        "{msg}"
    );
    assert_eq!(line, at(&text, "[[foreign]]").0, "{e}");

    // valid_until before valid_from.
    let text = RICH.replace(
        "valid_until = \"2029-06-01T00:00:00Z\"",
        "valid_until = \"2026-01-01T00:00:00Z\"",
    );
    let e = fails(&text);
    let (line, col, msg) = source_err(&e);
    assert!(msg.contains("foreign[0] \"Gamma Trust Services\": approval.valid_until (2026-01-01T00:00:00Z) is not after approval.valid_from"), "{msg}");
    assert_eq!((line, col), at(&text, "\"2026-01-01T00:00:00Z\""), "{e}");

    // Basis, family, key usage, EKU, policy OID, and an empty scope.
    for (from, to, expect) in [
        (
            "basis = \"reciprocity\"",
            "basis = \"friendship\"",
            "approval.basis must be",
        ),
        (
            "family = \"ec-p256\"",
            "family = \"dsa\"",
            "approval.algorithms[1] family \"dsa\"",
        ),
        (
            "\"contentCommitment\"",
            "\"signEverything\"",
            "approval.key_usages[1] \"signEverything\"",
        ),
        (
            "\"emailProtection\"",
            "\"mail\"",
            "approval.ekus[0] \"mail\"",
        ),
        (
            "[\"1.3.6.1.4.1.99999.1\"]",
            "[\"1.3.x\"]",
            "approval.policy_oids[0] \"1.3.x\" is not a dotted OID",
        ),
        ("[\"1.3.6.1.4.1.99999.1\"]", "[]", "names no policy_oids"),
        (
            "key_usages = [\"nonRepudiation\"]",
            "key_usages = []",
            "names neither key_usages nor ekus",
        ),
    ] {
        let text = RICH.replace(from, to);
        assert_ne!(text, RICH, "{from}");
        let (_, _, msg) = source_err(&fails(&text));
        assert!(msg.contains(expect), "{from}: {msg}");
    }

    // A pointer to a foreign scheme without approval.
    let start = RICH
        .find("approval = { decision = \"工信部电子认证〔2026〕5号\"")
        .unwrap();
    let end = start + RICH[start..].find('\n').unwrap() + 1;
    let text = format!("{}{}", &RICH[..start], &RICH[end..]);
    let (_, _, msg) = source_err(&fails(&text));
    assert!(
        msg.starts_with("pointer[0] \"SE\": has no approval"),
        "{msg}"
    );
}

#[test]
fn other_checks() {
    for (from, to, expect) in [
        (
            "sequence = 7",
            "sequence = 0",
            "scheme.sequence must be at least 1",
        ),
        (
            "next_update = 2027-03-01T00:00:00Z",
            "next_update = 2026-03-01T00:00:00Z",
            "scheme.next_update (2026-03-01T00:00:00Z) is not after scheme.issued",
        ),
        (
            "name = { en = \"Gamma Trust Services\" }",
            "name = { en = \"Beta CA\" }",
            "foreign[0] \"Beta CA\": name \"Beta CA\" is already the name of domestic[1]",
        ),
        (
            "service_type = \"CA/QC\"",
            "service_type = \"TSA/QTST\"",
            "service_type \"TSA/QTST\" is not a CA service type",
        ),
        (
            "until = \"2025-07-01T00:00:00Z\"",
            "until = \"2024-07-01T00:00:00Z\"",
            "restrictions[0].until (2024-07-01T00:00:00Z) is not after its from",
        ),
        (
            "number = \"ECP-2023-009\"",
            "number = \" \"",
            "domestic[1] \"Beta CA\": licence.number is empty",
        ),
        (
            "name = { en = \"Gamma Trust Services\" }",
            "name = {}",
            "foreign[0] \"\": name needs a non-empty text",
        ),
    ] {
        let text = RICH.replace(from, to);
        assert_ne!(text, RICH, "{from}");
        let (line, _, msg) = source_err(&fails(&text));
        assert!(msg.contains(expect), "{from}: {msg}");
        assert!(line.is_some(), "{msg}");
    }
    // A closed list: no next_update.
    let text = RICH.replace("next_update = 2027-03-01T00:00:00Z\n", "");
    let f = files();
    let list = f.build(&parse_source(&text).unwrap()).unwrap();
    assert_eq!(list.next_update, None);
    let xml = write_list(&list).unwrap();
    assert!(xml.contains("<NextUpdate/>"));
}
