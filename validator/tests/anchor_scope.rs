//! Anchors scoped by the regulation (status history, licence, restrictions, approval): small
//! PKIs generated at test time with rcgen, validated through anchors with and without a
//! scope, and the outcomes asserted.

use huren_validator::{
    AlgorithmRule, Anchor, AnchorKind, AnchorScope, AnchorSet, Approval, Certificate, CheckResult,
    Code, KeyFamily, KeyUsageBit, Licence, Oid, Profile, Provenance, Report, ServiceState,
    SignatureMemo, Status, StatusInterval, ValidationOptions, parse_rfc3339, validate,
};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
    date_time_ymd,
};
use std::sync::Arc;

/// The certificate type the approvals below approve (CFCA's OV policy).
const APPROVED_POLICY: &str = "1.2.156.112554.1.1";
/// A policy no approval below names.
const OTHER_POLICY: &str = "1.2.3.4.5";
const DECISION: &str = "MIIT-XB-2026-007";
const LICENCE: &str = "ECP-2024-001";

fn t(s: &str) -> i64 {
    parse_rfc3339(s).unwrap_or_else(|| panic!("bad time {s}"))
}

/// The validation time of every test: 2026-06-01T00:00:00Z.
fn now() -> i64 {
    t("2026-06-01T00:00:00Z")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Alg {
    P256,
    P384,
    Rsa2048,
    Ed25519,
}

fn keypair(alg: Alg) -> KeyPair {
    match alg {
        Alg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        Alg::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
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
    dn.push(DnType::OrganizationName, "Huren Scope Test");
    dn.push(DnType::CommonName, cn);
    dn
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// A certificatePolicies extension naming `oids` (no qualifiers).
fn policies(oids: &[&str]) -> CustomExtension {
    let mut infos = Vec::new();
    for o in oids {
        let oid = Oid::parse(o).expect("policy OID");
        infos.extend(tlv(0x30, &tlv(0x06, oid.as_bytes())));
    }
    CustomExtension::from_oid_content(&[2, 5, 29, 32], tlv(0x30, &infos))
}

struct Ca {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
}

impl Ca {
    fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }
}

fn ca_params(cn: &str, serial: u64) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.serial_number = Some(SerialNumber::from(serial));
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = date_time_ymd(2020, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    p
}

fn root(cn: &str, alg: Alg, serial: u64) -> Ca {
    let key = keypair(alg);
    let params = ca_params(cn, serial);
    let der = params.self_signed(&key).expect("root").der().to_vec();
    Ca { params, key, der }
}

/// An intermediate asserting anyPolicy, so that the end entity's policies reach the path's
/// valid policy set.
fn intermediate(cn: &str, alg: Alg, serial: u64, issuer: &Ca) -> Ca {
    let key = keypair(alg);
    let mut params = ca_params(cn, serial);
    params.not_before = date_time_ymd(2021, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    params.use_authority_key_identifier_extension = true;
    params.custom_extensions = vec![policies(&["2.5.29.32.0"])];
    let der = params
        .signed_by(&key, &issuer.issuer())
        .expect("intermediate")
        .der()
        .to_vec();
    Ca { params, key, der }
}

/// The same intermediate (name and key) issued again by another CA (serial `serial`).
fn reissue(ca: &Ca, serial: u64, issuer: &Ca) -> Vec<u8> {
    let mut params = ca.params.clone();
    params.serial_number = Some(SerialNumber::from(serial));
    params
        .signed_by(&ca.key, &issuer.issuer())
        .expect("re-issued intermediate")
        .der()
        .to_vec()
}

struct LeafSpec {
    alg: Alg,
    policies: Vec<&'static str>,
    key_usages: Vec<KeyUsagePurpose>,
    ekus: Vec<ExtendedKeyUsagePurpose>,
    issued: (i32, u8, u8),
    /// No subject and no subjectAltName: the holder is not named.
    anonymous: bool,
}

impl Default for LeafSpec {
    fn default() -> Self {
        LeafSpec {
            alg: Alg::P256,
            policies: vec![APPROVED_POLICY],
            key_usages: vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ],
            ekus: vec![ExtendedKeyUsagePurpose::ClientAuth],
            issued: (2026, 1, 10),
            anonymous: false,
        }
    }
}

fn leaf(spec: &LeafSpec, issuer: &Ca) -> Vec<u8> {
    let key = keypair(spec.alg);
    let mut p = CertificateParams::default();
    p.distinguished_name = dn("Zhang San");
    p.serial_number = Some(SerialNumber::from(0x1000_u64));
    p.subject_alt_names = vec![SanType::Rfc822Name(
        "zhangsan@example.cn".try_into().expect("IA5"),
    )];
    if spec.anonymous {
        p.distinguished_name = DistinguishedName::new();
        p.subject_alt_names = Vec::new();
    }
    p.key_usages = spec.key_usages.clone();
    p.extended_key_usages = spec.ekus.clone();
    let (y, m, d) = spec.issued;
    p.not_before = date_time_ymd(y, m, d);
    p.not_after = date_time_ymd(y + 1, m, d);
    p.use_authority_key_identifier_extension = true;
    if !spec.policies.is_empty() {
        p.custom_extensions = vec![policies(&spec.policies)];
    }
    p.signed_by(&key, &issuer.issuer())
        .expect("leaf")
        .der()
        .to_vec()
}

/// Root → intermediate → leaf, every key of `alg`, the leaf as `spec` says.
struct Pki {
    root: Ca,
    inter: Ca,
    leaf: Vec<u8>,
}

fn pki_with(alg: Alg, spec: LeafSpec) -> Pki {
    let root = root("Huren Scope Root", alg, 1);
    let inter = intermediate("Huren Scope Issuing CA", alg, 2, &root);
    let leaf = leaf(&LeafSpec { alg, ..spec }, &inter);
    Pki { root, inter, leaf }
}

fn pki() -> Pki {
    pki_with(Alg::P256, LeafSpec::default())
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der).expect("generated certificate parses")
}

fn anchor(der: &[u8], scope: Option<AnchorScope>) -> Anchor {
    let a = Anchor::new(Arc::new(cert(der))).with_label("test entry");
    match scope {
        Some(s) => a.with_scope(s),
        None => a,
    }
}

fn set(anchors: Vec<Anchor>) -> AnchorSet {
    let mut s = AnchorSet::new();
    for a in anchors {
        s.add(a);
    }
    s
}

fn run_with(
    p: &Pki,
    intermediates: &[&[u8]],
    anchors: &AnchorSet,
    opts: &ValidationOptions,
) -> Report {
    let inters: Vec<Certificate> = intermediates.iter().map(|d| cert(d)).collect();
    validate(
        &cert(&p.leaf),
        &inters,
        anchors,
        &[],
        opts,
        &SignatureMemo::default(),
    )
}

fn run(p: &Pki, scope: Option<AnchorScope>) -> Report {
    run_opts(p, scope, &ValidationOptions::at(now()))
}

fn run_opts(p: &Pki, scope: Option<AnchorScope>, opts: &ValidationOptions) -> Report {
    let anchors = set(vec![anchor(&p.root.der, scope)]);
    run_with(p, &[&p.inter.der], &anchors, opts)
}

fn provenance(list: &str, territory: &str, sequence: u64, reference: &str) -> Provenance {
    Provenance {
        list: list.into(),
        territory: territory.into(),
        sequence,
        service: "Huren Scope CA".into(),
        reference: Some(reference.into()),
    }
}

fn granted_from(from: &str) -> Vec<StatusInterval> {
    vec![StatusInterval {
        from: t(from),
        until: None,
        status: ServiceState::Granted,
    }]
}

/// Granted from 2020 until `change`, then `then`.
fn changed_at(change: &str, then: ServiceState) -> Vec<StatusInterval> {
    vec![
        StatusInterval {
            from: t(change),
            until: None,
            status: then,
        },
        StatusInterval {
            from: t("2020-01-01T00:00:00Z"),
            until: Some(t(change)),
            status: ServiceState::Granted,
        },
    ]
}

fn licence(issued: &str, expires: i64) -> Licence {
    Licence {
        number: LICENCE.into(),
        issuing_authority: "MIIT".into(),
        issued: t(issued),
        expires,
    }
}

/// A domestic entry: granted since 2020, licence 2024-01-01 .. 2029-01-01.
fn domestic() -> AnchorScope {
    let mut s = AnchorScope::new(
        AnchorKind::Domestic,
        provenance("CN #42", "CN", 42, LICENCE),
    );
    s.history = granted_from("2020-01-01T00:00:00Z");
    s.licence = Some(licence("2024-01-01T00:00:00Z", t("2029-01-01T00:00:00Z")));
    s
}

fn approval() -> Approval {
    Approval {
        decision: DECISION.into(),
        decided: t("2025-12-01T00:00:00Z"),
        valid_from: t("2026-01-01T00:00:00Z"),
        valid_until: t("2028-12-31T23:59:59Z"),
        policy_oids: vec![Oid::parse(APPROVED_POLICY).expect("oid")],
        algorithms: vec![
            AlgorithmRule {
                family: KeyFamily::EcP256,
                min_bits: 256,
            },
            AlgorithmRule {
                family: KeyFamily::Rsa,
                min_bits: 2048,
            },
        ],
        key_usages: vec![KeyUsageBit::DigitalSignature, KeyUsageBit::NonRepudiation],
        extended_key_usages: vec![
            Oid::from_purpose_name("clientAuth").expect("eku"),
            Oid::from_purpose_name("emailProtection").expect("eku"),
        ],
    }
}

/// A foreign CA approved by [`DECISION`], granted since 2025.
fn foreign(approval: Approval) -> AnchorScope {
    let mut s = AnchorScope::new(
        AnchorKind::ForeignApproved,
        provenance("CN #42", "CN", 42, DECISION),
    );
    s.history = granted_from("2025-12-01T00:00:00Z");
    s.approval = Some(approval);
    s
}

fn check_results(r: &Report, id: &str) -> Vec<CheckResult> {
    r.checks
        .iter()
        .filter(|c| c.id == id)
        .map(|c| c.result)
        .collect()
}

fn failed(r: &Report, id: &str) -> Vec<String> {
    r.checks
        .iter()
        .filter(|c| c.id == id && c.result == CheckResult::Failed)
        .map(|c| c.message.to_string())
        .collect()
}

fn assert_invalid(r: &Report, code: Code) {
    assert_eq!(
        (r.status, r.code),
        (Status::Invalid, code),
        "{}\n{:#?}",
        r.message,
        r.checks
    );
}

fn assert_valid(r: &Report) {
    assert_eq!(
        r.status,
        Status::Valid,
        "{} {}\n{:#?}",
        r.code,
        r.message,
        r.checks
    );
}

#[test]
fn unscoped_anchor_unchanged() {
    let p = pki();
    let r = run(&p, None);
    assert_valid(&r);
    assert!(r.anchor.is_none());
    assert!(r.checks.iter().all(|c| !c.id.starts_with("ANCHOR.")));
    // Art. 21 (7) applies under trust-list anchors only.
    let bare = pki_with(
        Alg::P256,
        LeafSpec {
            policies: vec![],
            ..LeafSpec::default()
        },
    );
    assert_valid(&run(&bare, None));
}

#[test]
fn granted_domestic_anchor_is_valid_and_reported() {
    let p = pki();
    let r = run(&p, Some(domestic()));
    assert_valid(&r);
    let a = r.anchor.as_ref().expect("anchor outcome");
    assert_eq!(a.kind, AnchorKind::Domestic);
    assert_eq!(&*a.sha256, cert(&p.root.der).sha256_hex());
    assert_eq!(a.label.as_deref(), Some("test entry"));
    assert_eq!(a.provenance.list, "CN #42");
    assert_eq!(a.provenance.territory, "CN");
    assert_eq!(a.provenance.sequence, 42);
    assert_eq!(a.licence.as_deref(), Some(LICENCE));
    assert_eq!(a.licence_expires, Some(t("2029-01-01T00:00:00Z")));
    assert_eq!(a.approval, None);
    assert_eq!(a.status_at_validation_time, "granted");
    assert_eq!(a.status_at_issuance, "granted");
    assert_eq!(a.status_since, Some(t("2020-01-01T00:00:00Z")));
    assert_eq!(a.leaf_issued, t("2026-01-10T00:00:00Z"));
    for id in ["ANCHOR.STATUS", "ANCHOR.LICENCE", "ANCHOR.RESTRICTION"] {
        assert_eq!(check_results(&r, id), vec![CheckResult::Passed], "{id}");
    }
    assert!(
        r.warnings
            .iter()
            .all(|w| w.code != Code::LicenceExpiringSoon)
    );
}

#[test]
fn withdrawn_after_issuance_is_not_trusted_with_both_facts() {
    let p = pki();
    let mut s = domestic();
    s.history = changed_at("2026-03-01T00:00:00Z", ServiceState::Withdrawn);
    s.successor = Some("Successor CA".into());
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert!(
        r.message.contains("withdrawn since 2026-03-01"),
        "{}",
        r.message
    );
    assert!(
        r.message
            .contains("granted when the leaf was issued on 2026-01-10"),
        "{}",
        r.message
    );
    assert!(r.message.contains("Successor CA"), "{}", r.message);
    let a = r
        .anchor
        .as_ref()
        .expect("anchor outcome on a complete failed path");
    assert_eq!(a.status_at_validation_time, "withdrawn");
    assert_eq!(a.status_at_issuance, "granted");
    assert_eq!(a.status_since, Some(t("2026-03-01T00:00:00Z")));
    assert_eq!(a.successor.as_deref(), Some("Successor CA"));
    // The full path is reported, anchor last.
    assert_eq!(r.path.len(), 3);
    assert_eq!(&*r.path[2].sha256, cert(&p.root.der).sha256_hex());

    // Validated before the withdrawal, the same chain is valid.
    let mut s = domestic();
    s.history = changed_at("2026-03-01T00:00:00Z", ServiceState::Withdrawn);
    assert_valid(&run_opts(
        &p,
        Some(s),
        &ValidationOptions::at(t("2026-02-01T00:00:00Z")),
    ));
}

#[test]
fn suspended_and_other_statuses_are_not_trusted() {
    let p = pki();
    let mut s = domestic();
    s.history = changed_at("2026-05-01T00:00:00Z", ServiceState::Suspended);
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert!(
        r.message.contains("suspended since 2026-05-01"),
        "{}",
        r.message
    );
    assert_eq!(
        r.anchor
            .as_ref()
            .map(|a| a.status_at_validation_time.as_str()),
        Some("suspended")
    );

    let mut s = domestic();
    s.history = changed_at(
        "2026-05-01T00:00:00Z",
        ServiceState::NotGranted("deprecatedatnationallevel".into()),
    );
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert!(
        r.message.contains("deprecatedatnationallevel"),
        "{}",
        r.message
    );

    // No history at all: never granted (fail closed).
    let mut s = domestic();
    s.history.clear();
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert_eq!(
        r.anchor
            .as_ref()
            .map(|a| a.status_at_validation_time.as_str()),
        Some("not-listed")
    );
}

#[test]
fn expired_licence_is_not_trusted() {
    let p = pki();
    let mut s = domestic();
    s.licence = Some(licence("2021-01-01T00:00:00Z", t("2026-01-01T00:00:00Z")));
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert!(r.message.contains(LICENCE), "{}", r.message);
    assert!(r.message.contains("expired at 2026-01-01"), "{}", r.message);
    assert_eq!(failed(&r, "ANCHOR.LICENCE").len(), 1);
    // Status is granted: only the licence failed.
    assert_eq!(
        check_results(&r, "ANCHOR.STATUS"),
        vec![CheckResult::Passed]
    );
}

#[test]
fn licence_expiring_in_ten_days_warns() {
    let p = pki();
    let mut s = domestic();
    s.licence = Some(licence("2021-06-11T00:00:00Z", now() + 10 * 86_400));
    let r = run(&p, Some(s));
    assert_valid(&r);
    let w: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.code == Code::LicenceExpiringSoon)
        .collect();
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert!(w[0].message.contains(LICENCE));
    // The answer changes on its own when the licence expires.
    assert_eq!(r.valid_until, Some(now() + 10 * 86_400));
    assert_eq!(
        check_results(&r, "ANCHOR.LICENCE"),
        vec![CheckResult::Warning]
    );
}

#[test]
fn restriction_covering_the_leaf_issuance_is_not_trusted() {
    let p = pki();
    let mut s = domestic();
    s.restrictions = vec![(t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z"))];
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    let f = failed(&r, "ANCHOR.RESTRICTION");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].contains("2026-01-10"), "{}", f[0]);

    // A restriction that ended before the leaf was issued does not matter.
    let mut s = domestic();
    s.restrictions = vec![(t("2025-01-01T00:00:00Z"), t("2025-07-01T00:00:00Z"))];
    let r = run(&p, Some(s));
    assert_valid(&r);
    assert_eq!(
        check_results(&r, "ANCHOR.RESTRICTION"),
        vec![CheckResult::Passed]
    );
}

#[test]
fn approved_foreign_anchor_inside_scope_is_valid() {
    let p = pki();
    let mut opts = ValidationOptions::at(now());
    opts.key_usage = vec![KeyUsageBit::DigitalSignature];
    opts.extended_key_usage = vec![Oid::from_purpose_name("clientAuth").expect("eku")];
    let r = run_opts(&p, Some(foreign(approval())), &opts);
    assert_valid(&r);
    let a = r.anchor.as_ref().expect("anchor outcome");
    assert_eq!(a.kind, AnchorKind::ForeignApproved);
    assert_eq!(a.approval.as_deref(), Some(DECISION));
    assert_eq!(a.approval_valid_until, Some(t("2028-12-31T23:59:59Z")));
    assert_eq!(
        check_results(&r, "ANCHOR.APPROVAL"),
        vec![CheckResult::Passed]
    );
    assert!(!check_results(&r, "ANCHOR.SCOPE").is_empty());
    assert!(
        check_results(&r, "ANCHOR.SCOPE")
            .iter()
            .all(|c| *c == CheckResult::Passed)
    );
}

#[test]
fn approval_window() {
    let p = pki();
    let mut ap = approval();
    ap.valid_until = t("2026-05-01T00:00:00Z");
    let r = run(&p, Some(foreign(ap)));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert!(r.message.contains(DECISION), "{}", r.message);

    let mut ap = approval();
    ap.valid_from = t("2026-07-01T00:00:00Z");
    let r = run(&p, Some(foreign(ap)));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert_eq!(failed(&r, "ANCHOR.APPROVAL").len(), 1);
}

#[test]
fn foreign_anchor_without_approval_is_outside_scope() {
    let p = pki();
    let mut s = foreign(approval());
    s.approval = None;
    s.kind = AnchorKind::ForeignScheme;
    let r = run(&p, Some(s));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("foreign-scheme"), "{}", r.message);
}

#[test]
fn policy_outside_the_approved_certificate_types() {
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            policies: vec![OTHER_POLICY],
            ..LeafSpec::default()
        },
    );
    let r = run(&p, Some(foreign(approval())));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(
        r.message.contains(&format!(
            "policy {OTHER_POLICY} is not among the certificate types approved by {DECISION}"
        )),
        "{}",
        r.message
    );

    // Fail closed: an approval that lists no certificate type approves none.
    let mut ap = approval();
    ap.policy_oids.clear();
    let r = run(&pki(), Some(foreign(ap)));
    assert_invalid(&r, Code::OutsideApprovedScope);
}

#[test]
fn requested_key_usage_outside_the_approval() {
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            key_usages: vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ],
            ..LeafSpec::default()
        },
    );
    // The certificate allows key encipherment, but the approval does not.
    let mut opts = ValidationOptions::at(now());
    opts.key_usage = vec![KeyUsageBit::KeyEncipherment];
    let r = run_opts(&p, Some(foreign(approval())), &opts);
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("keyEncipherment"), "{}", r.message);
    assert!(r.message.contains(DECISION), "{}", r.message);

    // Asked for signing, the same dual-use certificate is inside the approval.
    opts.key_usage = vec![KeyUsageBit::DigitalSignature];
    assert_valid(&run_opts(&p, Some(foreign(approval())), &opts));
}

#[test]
fn end_entity_key_usage_outside_the_approval() {
    // An encryption-only certificate under a signing-only approval, nothing requested.
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            key_usages: vec![KeyUsagePurpose::KeyAgreement],
            ..LeafSpec::default()
        },
    );
    let r = run(&p, Some(foreign(approval())));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("keyAgreement"), "{}", r.message);
}

#[test]
fn extended_key_usage_outside_the_approval() {
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            ekus: vec![
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::ServerAuth,
            ],
            ..LeafSpec::default()
        },
    );
    let mut opts = ValidationOptions::at(now());
    opts.extended_key_usage = vec![Oid::from_purpose_name("serverAuth").expect("eku")];
    let r = run_opts(&p, Some(foreign(approval())), &opts);
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("1.3.6.1.5.5.7.3.1"), "{}", r.message);
    assert!(r.message.contains(DECISION), "{}", r.message);

    // A certificate for code signing only allows no approved purpose.
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            ekus: vec![ExtendedKeyUsagePurpose::CodeSigning],
            ..LeafSpec::default()
        },
    );
    let r = run(&p, Some(foreign(approval())));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("1.3.6.1.5.5.7.3.3"), "{}", r.message);
}

#[test]
fn algorithm_outside_the_approval() {
    // P-384 keys and signatures throughout; the approval names P-256 and RSA only.
    let p = pki_with(Alg::P384, LeafSpec::default());
    let r = run(&p, Some(foreign(approval())));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("EC P-384"), "{}", r.message);
    assert!(r.message.contains(DECISION), "{}", r.message);
    // Every key (leaf, intermediate, anchor) and both signatures are named.
    assert_eq!(failed(&r, "ANCHOR.SCOPE").len(), 5, "{:#?}", r.checks);

    let p = pki_with(Alg::Ed25519, LeafSpec::default());
    let r = run(&p, Some(foreign(approval())));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("Ed25519"), "{}", r.message);
}

#[test]
fn key_size_below_the_approval() {
    let p = pki_with(Alg::Rsa2048, LeafSpec::default());
    let mut ap = approval();
    ap.algorithms = vec![AlgorithmRule {
        family: KeyFamily::Rsa,
        min_bits: 3072,
    }];
    let r = run(&p, Some(foreign(ap)));
    assert_invalid(&r, Code::OutsideApprovedScope);
    assert!(r.message.contains("2048 bits"), "{}", r.message);
    assert!(r.message.contains(DECISION), "{}", r.message);

    // At 2048 the same chain is inside.
    assert_valid(&run(&p, Some(foreign(approval()))));
}

#[test]
fn same_identity_two_entries_withdrawn_and_granted() {
    let p = pki();
    let mut withdrawn = domestic();
    withdrawn.history = changed_at("2026-03-01T00:00:00Z", ServiceState::Withdrawn);
    withdrawn.provenance.service = "Old entry".into();
    let mut granted = domestic();
    granted.provenance.service = "Current entry".into();
    for order in [false, true] {
        let mut list = vec![
            anchor(&p.root.der, Some(withdrawn.clone())),
            anchor(&p.root.der, Some(granted.clone())),
        ];
        if order {
            list.reverse();
        }
        let anchors = set(list);
        assert_eq!(anchors.len(), 2, "one identity, two scopes: both held");
        let r = run_with(&p, &[&p.inter.der], &anchors, &ValidationOptions::at(now()));
        assert_valid(&r);
        let a = r.anchor.as_ref().expect("anchor outcome");
        assert_eq!(a.provenance.service, "Current entry");
        assert_eq!(a.status_at_validation_time, "granted");
    }
    // The same entry twice is one anchor.
    let anchors = set(vec![
        anchor(&p.root.der, Some(granted.clone())),
        anchor(&p.root.der, Some(granted)),
    ]);
    assert_eq!(anchors.len(), 1);
}

#[test]
fn same_name_two_roots_withdrawn_and_granted() {
    // Two roots with one name and different keys; the intermediate is issued by both.
    let old = root("Huren Scope Root", Alg::P256, 1);
    let new = root("Huren Scope Root", Alg::P256, 7);
    let inter = intermediate("Huren Scope Issuing CA", Alg::P256, 2, &old);
    let cross = reissue(&inter, 3, &new);
    let leaf = leaf(&LeafSpec::default(), &inter);
    let mut withdrawn = domestic();
    withdrawn.history = changed_at("2026-03-01T00:00:00Z", ServiceState::Withdrawn);
    let anchors = set(vec![
        anchor(&old.der, Some(withdrawn)),
        anchor(&new.der, Some(domestic())),
    ]);
    let p = Pki {
        root: old,
        inter,
        leaf,
    };
    for inters in [
        [&p.inter.der[..], &cross[..]],
        [&cross[..], &p.inter.der[..]],
    ] {
        let r = run_with(&p, &inters, &anchors, &ValidationOptions::at(now()));
        assert_valid(&r);
        assert_eq!(&*r.path[2].sha256, cert(&new.der).sha256_hex());
        assert_eq!(&*r.path[1].sha256, cert(&cross).sha256_hex());
    }
    // Without the cross-certificate, only the withdrawn root is reachable: its code, not
    // NO_PATH_TO_TRUST_ANCHOR.
    let r = run_with(&p, &[&p.inter.der], &anchors, &ValidationOptions::at(now()));
    assert_invalid(&r, Code::AnchorNotTrustedAtTime);
    assert_eq!(
        r.anchor
            .as_ref()
            .map(|a| a.status_at_validation_time.as_str()),
        Some("withdrawn")
    );
}

#[test]
fn end_entity_without_policy_under_scoped_anchor_violates_art_21() {
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            policies: vec![],
            ..LeafSpec::default()
        },
    );
    for profile in [Profile::Rfc5280, Profile::WebPki] {
        let mut opts = ValidationOptions::at(now());
        opts.profile = profile;
        let r = run_opts(&p, Some(domestic()), &opts);
        assert_invalid(&r, Code::ProfileViolation);
        assert!(
            r.checks.iter().any(|c| c.id == "PROFILE"
                && c.rule == "Art. 21 (7)"
                && c.result == CheckResult::Failed
                && c.cert_index == Some(0)),
            "{profile:?}: {:#?}",
            r.checks
        );
    }
    // anyPolicy alone names no certificate type.
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            policies: vec!["2.5.29.32.0"],
            ..LeafSpec::default()
        },
    );
    assert_invalid(&run(&p, Some(domestic())), Code::ProfileViolation);
}

#[test]
fn end_entity_without_a_holder_name_under_scoped_anchor_violates_art_21() {
    let p = pki_with(
        Alg::P256,
        LeafSpec {
            anonymous: true,
            ..LeafSpec::default()
        },
    );
    let r = run(&p, Some(domestic()));
    assert_invalid(&r, Code::ProfileViolation);
    assert!(
        r.checks
            .iter()
            .any(|c| c.rule == "Art. 21 (2)" && c.result == CheckResult::Failed),
        "{:#?}",
        r.checks
    );
    // The same chain under an unscoped anchor is not held to the Measures.
    assert_ne!(run(&p, None).code, Code::ProfileViolation);
}
