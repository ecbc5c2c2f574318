//! The demo MIIT trust list and the chains under its CAs (`trustlists/`).
//!
//! One story: MIIT's (demo) list, issued at the generator's epoch (2026-01-01T00:00:00Z),
//! licenses the demo chain's root and a handful of domestic CAs in every state the
//! regulation knows (suspended, withdrawn, taken over, on the dishonesty list, licence about
//! to expire, licence expired), approves three foreign CAs (in force, expired, withdrawn)
//! and points to a foreign scheme's list (territory `XA`) under an approval. The list is
//! built from `miit-demo.toml` with the trust-list library exactly as `huren tl build` does,
//! and signed with an RSA key (PKCS#1 v1.5 signatures are deterministic, so the output is
//! byte-for-byte stable).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use const_oid::ObjectIdentifier;
use der::DateTime;
use huren_trustlists::model::{
    Address, DigitalIdentity, MultiLang, PolicyOrLegalNotice, PostalAddress, Provider, Service,
    ServiceStatus, ServiceType, TrustList,
};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::KeyUsages;

use crate::cases::{Demo, SM2_POLICY_A};
use crate::cert::{
    CertSpec, Issued, basic_constraints, certificate_policies, date, ext_key_usage, issue,
    key_usage, pem,
};
use crate::keys::{KeyAlg, KeyStore, SigOpts};
use crate::render::{Inputs, certs_pem, describe, json, rfc3339};

/// The output sub-directory.
const DIR: &str = "trustlists";
/// The MIIT list's file name.
const LIST: &str = "miit-demo.xml";
/// The MIIT list's signer certificate.
const SIGNER: &str = "miit-demo-signer.pem";
/// The MIIT list signer's private key (demo only).
const SIGNER_KEY: &str = "miit-demo-signer-key.pem";
/// The foreign scheme's list.
const FOREIGN_LIST: &str = "foreign-scheme.xml";
/// The foreign scheme list's signer certificate.
const FOREIGN_SIGNER: &str = "foreign-scheme-signer.pem";

const MIIT_ZH: &str = "工业和信息化部";
const MIIT_EN: &str = "Ministry of Industry and Information Technology";

const DS: KeyUsages = KeyUsages::DigitalSignature;
const NR: KeyUsages = KeyUsages::NonRepudiation;
const KA: KeyUsages = KeyUsages::KeyAgreement;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// Filed policies of the domestic demo CAs (the Demo Licensed CA files `SM2_POLICY_A`).
const POLICY_SUSPENDED: ObjectIdentifier = oid("1.2.156.999003.1.1");
const POLICY_WITHDRAWN: ObjectIdentifier = oid("1.2.156.999004.1.1");
const POLICY_LEGACY: ObjectIdentifier = oid("1.2.156.999005.1.1");
const POLICY_RESTRICTED: ObjectIdentifier = oid("1.2.156.999006.1.1");
const POLICY_RENEWAL: ObjectIdentifier = oid("1.2.156.999007.1.1");
const POLICY_LAPSED: ObjectIdentifier = oid("1.2.156.999008.1.1");
const POLICY_UNLISTED: ObjectIdentifier = oid("1.2.156.999009.1.1");
/// The XB approved CA's signing-certificate policy (approved) and TLS policy (not approved).
const XB_SIGN: ObjectIdentifier = oid("1.3.6.1.4.1.99999.70.1");
const XB_TLS: ObjectIdentifier = oid("1.3.6.1.4.1.99999.70.2");
const XB_EXPIRED_POLICY: ObjectIdentifier = oid("1.3.6.1.4.1.99999.71.1");
const XB_WITHDRAWN_POLICY: ObjectIdentifier = oid("1.3.6.1.4.1.99999.72.1");
/// ETSI EN 319 411-2 QCP-n-qscd (approved for the XA scheme) and QCP-l (not approved).
const QCP_N_QSCD: ObjectIdentifier = oid("0.4.0.194112.1.2");
const QCP_L: ObjectIdentifier = oid("0.4.0.194112.1.1");
const SERVER_AUTH: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.2");
const EMAIL_PROTECTION: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.4");
/// ETSI TS 119 612 id-tsl-kp-tslSigning.
const TSL_SIGNING: ObjectIdentifier = oid("0.4.0.2231.3.0");

/// The generator's epoch: the list's issue date, signing time and the demo licence's date.
fn epoch() -> DateTime {
    date(2026, 1, 1)
}

/// The list's NextUpdate: the demo keeps working until then.
fn next_update() -> DateTime {
    DateTime::new(2030, 12, 31, 23, 59, 59).expect("valid date")
}

/// The default validation time of the cases.
fn case_time() -> DateTime {
    date(2026, 6, 1)
}

fn unix(t: &DateTime) -> i64 {
    i64::try_from(t.unix_duration().as_secs()).expect("time fits in i64")
}

fn years_later(t: DateTime, years: u16) -> DateTime {
    DateTime::new(
        t.year() + years,
        t.month(),
        t.day(),
        t.hour(),
        t.minutes(),
        t.seconds(),
    )
    .expect("valid date")
}

/// Quotes a TOML basic string.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn q_list<T: ToString>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(|i| q(&i.to_string())).collect();
    format!("[{}]", items.join(", "))
}

/// Certificates of the trust-list story.
struct Pki {
    keys: KeyStore,
}

/// What goes into one end-entity certificate, and who issues it.
#[derive(Clone, Copy)]
struct LeafSpec<'a> {
    id: &'a str,
    subject: &'a str,
    alg: KeyAlg,
    not_before: DateTime,
    usages: &'a [KeyUsages],
    policies: &'a [ObjectIdentifier],
    ekus: &'a [ObjectIdentifier],
    issuer: &'a Issued,
}

impl Pki {
    /// The certificate of key `id` (`alg`) for `subject`, valid `not_before` → `not_after`,
    /// signed by `issuer` (self-signed when `None`).
    fn issue(
        &mut self,
        id: &str,
        subject: &str,
        alg: KeyAlg,
        (not_before, not_after): (DateTime, DateTime),
        extensions: Vec<Extension>,
        issuer: Option<&Issued>,
    ) -> Issued {
        let spec = CertSpec {
            id: id.to_owned(),
            subject: subject.to_owned(),
            key: self.keys.get(alg, id),
            not_before,
            not_after,
            extensions,
            sig: SigOpts::default(),
        };
        issue(&spec, issuer)
    }

    /// A self-signed CA valid 2020-01-01 → 2040-01-01.
    fn root(&mut self, id: &str, subject: &str, alg: KeyAlg) -> Issued {
        let extensions = vec![basic_constraints(true, None, true), ca_key_usage()];
        self.issue(id, subject, alg, ca_validity(), extensions, None)
    }

    /// An issuing CA (pathLenConstraint 0) valid 2020-01-01 → 2040-01-01.
    fn issuing_ca(
        &mut self,
        id: &str,
        subject: &str,
        alg: KeyAlg,
        issuer: &Issued,
        policies: &[ObjectIdentifier],
    ) -> Issued {
        let extensions = vec![
            basic_constraints(true, Some(0), true),
            ca_key_usage(),
            certificate_policies(policies),
        ];
        self.issue(id, subject, alg, ca_validity(), extensions, Some(issuer))
    }

    /// An end-entity certificate valid three years from its notBefore.
    fn leaf(&mut self, l: &LeafSpec<'_>) -> Issued {
        let mut extensions = vec![basic_constraints(false, None, false), key_usage(l.usages)];
        if !l.policies.is_empty() {
            extensions.push(certificate_policies(l.policies));
        }
        if !l.ekus.is_empty() {
            extensions.push(ext_key_usage(l.ekus));
        }
        let validity = (l.not_before, years_later(l.not_before, 3));
        self.issue(l.id, l.subject, l.alg, validity, extensions, Some(l.issuer))
    }

    /// A domestic SM2 root `CN=Huren {name},O=Huren Demo PKI,C=CN`.
    fn sm2_root(&mut self, id: &str, name: &str) -> Issued {
        let subject = format!("CN=Huren {name},O=Huren Demo PKI,C=CN");
        self.root(id, &subject, KeyAlg::Sm2)
    }

    /// An SM2 signing certificate (digitalSignature+nonRepudiation under `policy`) issued
    /// directly by a domestic root.
    fn sm2_leaf(
        &mut self,
        id: &str,
        subject: &str,
        not_before: DateTime,
        policy: ObjectIdentifier,
        issuer: &Issued,
    ) -> Issued {
        let spec = LeafSpec {
            id,
            subject,
            alg: KeyAlg::Sm2,
            not_before,
            usages: &[DS, NR],
            policies: &[policy],
            ekus: &[],
            issuer,
        };
        self.leaf(&spec)
    }

    /// A self-signed RSA-2048 trust-list signer certificate valid 2025-01-01 → 2045-01-01
    /// (keyUsage digitalSignature+nonRepudiation, extKeyUsage tslSigning).
    fn list_signer(&mut self, id: &str, subject: &str) -> Issued {
        let extensions = vec![
            basic_constraints(false, None, true),
            key_usage(&[DS, NR]),
            ext_key_usage(&[TSL_SIGNING]),
        ];
        let validity = (date(2025, 1, 1), date(2045, 1, 1));
        self.issue(id, subject, KeyAlg::Rsa2048, validity, extensions, None)
    }
}

/// The validity of the story's CAs.
fn ca_validity() -> (DateTime, DateTime) {
    (date(2020, 1, 1), date(2040, 1, 1))
}

/// keyCertSign+cRLSign.
fn ca_key_usage() -> Extension {
    key_usage(&[KeyUsages::KeyCertSign, KeyUsages::CRLSign])
}

/// One status of an entry's history.
struct Step {
    status: &'static str,
    from: DateTime,
    successor: Option<&'static str>,
}

fn step(status: &'static str, from: DateTime) -> Step {
    Step {
        status,
        from,
        successor: None,
    }
}

/// A licensed domestic CA on the list.
struct Domestic {
    en: &'static str,
    zh: &'static str,
    slug: &'static str,
    cert: Issued,
    policy: ObjectIdentifier,
    licence: &'static str,
    licence_issued: DateTime,
    steps: Vec<Step>,
    restrictions: Vec<(DateTime, DateTime, &'static str)>,
    story: &'static str,
}

impl Domestic {
    fn cert_file(&self) -> String {
        format!("certs/{}.pem", self.slug)
    }

    /// A signing certificate of `CN={holder} ({en}),O=Demo Relying Org,C=CN` issued by the
    /// listed root itself.
    fn leaf(&self, pki: &mut Pki, id: &str, holder: &str, not_before: DateTime) -> Issued {
        let subject = format!("CN={holder} ({}),O=Demo Relying Org,C=CN", self.en);
        pki.sm2_leaf(id, &subject, not_before, self.policy, &self.cert)
    }

    /// The anchor outcome of a chain under this CA, whose status is `now` at the validation time.
    fn anchor(&self, now: &'static str) -> AnchorJson {
        anchor("domestic", "CN", self.licence, now)
    }
}

/// An approval (Art. 47–49).
struct ApprovalSpec {
    decision: &'static str,
    decided: DateTime,
    basis: &'static str,
    valid_from: DateTime,
    valid_until: DateTime,
    policies: Vec<ObjectIdentifier>,
    algorithms: Vec<(&'static str, u32)>,
    key_usages: Vec<&'static str>,
    ekus: Vec<&'static str>,
}

impl ApprovalSpec {
    /// An approval on reciprocity of `policy` for EC P-256 signing and client-authentication
    /// certificates, in force over the given validity.
    fn reciprocity(
        decision: &'static str,
        decided: DateTime,
        (valid_from, valid_until): (DateTime, DateTime),
        policy: ObjectIdentifier,
    ) -> Self {
        ApprovalSpec {
            decision,
            decided,
            basis: "reciprocity",
            valid_from,
            valid_until,
            policies: vec![policy],
            algorithms: vec![("ec-p256", 256)],
            key_usages: vec!["digitalSignature"],
            ekus: vec!["clientAuth"],
        }
    }

    fn toml(&self) -> String {
        let algorithms: Vec<String> = self
            .algorithms
            .iter()
            .map(|(f, b)| format!("{{ family = {}, min_bits = {b} }}", q(f)))
            .collect();
        format!(
            "{{ decision = {}, decided = {}, basis = {}, valid_from = {}, valid_until = {}, policy_oids = {}, algorithms = [{}], key_usages = {}, ekus = {} }}",
            q(self.decision),
            q(&rfc3339(&self.decided)),
            q(self.basis),
            q(&rfc3339(&self.valid_from)),
            q(&rfc3339(&self.valid_until)),
            q_list(&self.policies),
            algorithms.join(", "),
            q_list(&self.key_usages),
            q_list(&self.ekus),
        )
    }

    fn summary(&self) -> String {
        let algorithms: Vec<String> = self
            .algorithms
            .iter()
            .map(|(f, b)| format!("{f} ≥ {b}"))
            .collect();
        let policies: Vec<String> = self.policies.iter().map(ToString::to_string).collect();
        let mut usages: Vec<&str> = self.key_usages.clone();
        usages.extend(self.ekus.iter().copied());
        format!(
            "decision `{}` of {}, basis {}, in force {} to {}; certificate types {}; algorithms {}; usages {}",
            self.decision,
            &rfc3339(&self.decided)[..10],
            self.basis,
            rfc3339(&self.valid_from),
            rfc3339(&self.valid_until),
            policies.join(", "),
            algorithms.join(", "),
            usages.join(", ")
        )
    }
}

/// An approved foreign CA on the list.
struct Foreign {
    en: &'static str,
    slug: &'static str,
    jurisdiction: &'static str,
    cert: Issued,
    approval: ApprovalSpec,
    steps: Vec<Step>,
    story: &'static str,
}

impl Foreign {
    fn cert_file(&self) -> String {
        format!("certs/{}.pem", self.slug)
    }

    /// The anchor outcome of a chain under this CA, whose status is `now` at the validation time.
    fn anchor(&self, now: &'static str) -> AnchorJson {
        anchor("foreign-approved", "CN", self.approval.decision, now)
    }
}

/// The expected anchor outcome of a case.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnchorJson {
    kind: &'static str,
    territory: &'static str,
    reference: &'static str,
    status_at_validation_time: &'static str,
    status_at_issuance: &'static str,
    successor: Option<&'static str>,
}

/// The anchor outcome of a chain whose anchor is `now` at the validation time; every case's
/// leaf was issued while its anchor was granted.
fn anchor(
    kind: &'static str,
    territory: &'static str,
    reference: &'static str,
    now: &'static str,
) -> AnchorJson {
    AnchorJson {
        kind,
        territory,
        reference,
        status_at_validation_time: now,
        status_at_issuance: "granted",
        successor: None,
    }
}

/// One directory of `trustlists/chains/`.
struct TlCase {
    name: &'static str,
    description: String,
    leaf: Vec<u8>,
    intermediates: Vec<Vec<u8>>,
    time: DateTime,
    key_usage: Vec<&'static str>,
    eku: Vec<ObjectIdentifier>,
    foreign_scheme: bool,
    status: &'static str,
    code: &'static str,
    warnings: Vec<&'static str>,
    anchor: Option<AnchorJson>,
}

impl TlCase {
    /// Validates `leaf`, sent alone, at the default time for digitalSignature; expected VALID
    /// with no anchor until told otherwise.
    fn new(name: &'static str, description: &str, leaf: &Issued) -> Self {
        TlCase {
            name,
            description: description.to_owned(),
            leaf: leaf.der.clone(),
            intermediates: Vec::new(),
            time: case_time(),
            key_usage: vec!["digitalSignature"],
            eku: Vec::new(),
            foreign_scheme: false,
            status: "VALID",
            code: "OK",
            warnings: Vec::new(),
            anchor: None,
        }
    }

    fn sending(mut self, intermediates: &[&Issued]) -> Self {
        self.intermediates = intermediates.iter().map(|c| c.der.clone()).collect();
        self
    }

    fn ku(mut self, ku: &[&'static str]) -> Self {
        self.key_usage = ku.to_vec();
        self
    }

    fn eku(mut self, eku: &[ObjectIdentifier]) -> Self {
        self.eku = eku.to_vec();
        self
    }

    fn at(mut self, time: DateTime) -> Self {
        self.time = time;
        self
    }

    fn via_foreign_scheme(mut self) -> Self {
        self.foreign_scheme = true;
        self
    }

    fn warn(mut self, code: &'static str) -> Self {
        self.warnings.push(code);
        self
    }

    fn expect(mut self, status: &'static str, code: &'static str, a: Option<AnchorJson>) -> Self {
        self.status = status;
        self.code = code;
        self.anchor = a;
        self
    }

    fn invalid_anchor(self, a: AnchorJson) -> Self {
        self.expect("INVALID", "ANCHOR_NOT_TRUSTED_AT_TIME", Some(a))
    }

    fn outside_scope(self, a: AnchorJson) -> Self {
        self.expect("INVALID", "OUTSIDE_APPROVED_SCOPE", Some(a))
    }

    fn valid(self, a: AnchorJson) -> Self {
        self.expect("VALID", "OK", Some(a))
    }
}

/// `expected.json`: the inputs of `chains/*/expected.json`, then the trust-list inputs and
/// the expected verdict with warnings and anchor outcome.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExpectedJson<'a> {
    #[serde(flatten)]
    inputs: Inputs<'a>,
    trust_list: &'static str,
    signer: &'static str,
    foreign_scheme: Option<&'static str>,
    expected: Verdict<'a>,
    anchor: &'a Option<AnchorJson>,
}

#[derive(Serialize)]
struct Verdict<'a> {
    status: &'static str,
    code: &'static str,
    warnings: &'a [&'static str],
}

fn expected_json(c: &TlCase) -> Vec<u8> {
    json(&ExpectedJson {
        inputs: Inputs::basic(&c.description, &c.time, &c.key_usage, &c.eku),
        trust_list: LIST,
        signer: SIGNER,
        foreign_scheme: c.foreign_scheme.then_some(FOREIGN_LIST),
        expected: Verdict {
            status: c.status,
            code: c.code,
            warnings: &c.warnings,
        },
        anchor: &c.anchor,
    })
}

/// The foreign scheme (territory XA) that MIIT's list points to.
struct Scheme {
    ca: Issued,
    signer: Issued,
    approval: ApprovalSpec,
}

impl Scheme {
    /// The anchor outcome of a chain under the scheme's CA, whose status is `now` at the
    /// validation time.
    fn anchor(&self, now: &'static str) -> AnchorJson {
        anchor("foreign-scheme", "XA", self.approval.decision, now)
    }
}

/// Everything of the story, in memory.
struct Story {
    domestic: Vec<Domestic>,
    foreign: Vec<Foreign>,
    scheme: Scheme,
    signer: Issued,
    signer_pkcs8: Vec<u8>,
    scheme_signer_pkcs8: Vec<u8>,
    cases: Vec<TlCase>,
}

const DEMO_NAME: &str = "Demo Licensed CA";

#[allow(clippy::too_many_lines)]
fn story(demo: &Demo) -> Story {
    let mut pki = Pki {
        keys: KeyStore::default(),
    };

    // The MIIT list's signer and the foreign scheme's signer: RSA, so that signatures are
    // deterministic.
    let signer = pki.list_signer(
        "tl-miit-demo-signer",
        "CN=DEMO ONLY MIIT Trust List Signer,O=Huren Demo (not MIIT),C=CN",
    );
    let signer_pkcs8 = signer.key.rsa_pkcs8_der().expect("RSA signer");
    let scheme_signer = pki.list_signer(
        "tl-xa-scheme-signer",
        "CN=DEMO ONLY XA Trust List Signer,O=XA Demo Supervisory Body,C=XA",
    );
    let scheme_signer_pkcs8 = scheme_signer.key.rsa_pkcs8_der().expect("RSA signer");

    // ---- Domestic CAs (SM2): each root is the listed CA certificate ---------------------------
    // The demo chain's root, licensed at the epoch.
    let demo_ca = Domestic {
        en: DEMO_NAME,
        zh: "演示持证电子认证服务机构",
        slug: "demo-licensed-ca",
        cert: demo.anchor.clone(),
        policy: SM2_POLICY_A,
        licence: "ECS-2026-001",
        licence_issued: epoch(),
        steps: vec![step("granted", epoch())],
        restrictions: Vec::new(),
        story: "The root of the demo chain (`../demo/`): licensed on 2026-01-01, the licence in force until \
                2031-01-01 (Art. 11: five years), which covers the demo leaf's whole validity (to \
                2030-12-31T23:59:59Z). On the same day it took over the business of Demo Legacy CA (Art. 31).",
    };
    let suspended = Domestic {
        en: "Demo Suspended CA",
        zh: "演示暂停电子认证中心",
        slug: "demo-suspended-ca",
        cert: pki.sm2_root("tl-suspended-ca", "Demo Suspended CA"),
        policy: POLICY_SUSPENDED,
        licence: "ECS-2023-007",
        licence_issued: date(2023, 2, 1),
        steps: vec![
            step("granted", date(2023, 2, 1)),
            step("suspended", date(2025, 9, 1)),
        ],
        restrictions: Vec::new(),
        story: "Licensed 2023-02-01; suspended by MIIT since 2025-09-01 (Art. 5, 34) — MIIT's own status URI \
                `urn:huren:tsl:miit:1:status:suspended`.",
    };
    let withdrawn = Domestic {
        en: "Demo Withdrawn CA",
        zh: "演示撤销电子认证中心",
        slug: "demo-withdrawn-ca",
        cert: pki.sm2_root("tl-withdrawn-ca", "Demo Withdrawn CA"),
        policy: POLICY_WITHDRAWN,
        licence: "ECS-2022-003",
        licence_issued: date(2022, 5, 1),
        steps: vec![
            step("granted", date(2022, 5, 1)),
            step("withdrawn", date(2025, 10, 1)),
        ],
        restrictions: Vec::new(),
        story: "Licensed 2022-05-01; licence withdrawn 2025-10-01 (Art. 34). Certificates it issued before stay \
                untrusted afterwards; the report shows the status at issuance beside the status now.",
    };
    let legacy = Domestic {
        en: "Demo Legacy CA",
        zh: "演示原电子认证中心",
        slug: "demo-legacy-ca",
        cert: pki.sm2_root("tl-legacy-ca", "Demo Legacy CA"),
        policy: POLICY_LEGACY,
        licence: "ECS-2021-011",
        licence_issued: date(2021, 9, 1),
        steps: vec![
            step("granted", date(2021, 9, 1)),
            Step {
                status: "taken-over",
                from: epoch(),
                successor: Some(DEMO_NAME),
            },
        ],
        restrictions: Vec::new(),
        story: "Licensed 2021-09-01; ended its service on 2026-01-01, its business taken over by Demo Licensed CA \
                (Art. 31): ETSI status `withdrawn` with `tslx:TakenOverBy` and `miit:Successor`.",
    };
    let restricted = Domestic {
        en: "Demo Restricted CA",
        zh: "演示失信电子认证中心",
        slug: "demo-restricted-ca",
        cert: pki.sm2_root("tl-restricted-ca", "Demo Restricted CA"),
        policy: POLICY_RESTRICTED,
        licence: "ECS-2022-019",
        licence_issued: date(2022, 11, 1),
        steps: vec![step("granted", date(2022, 11, 1))],
        restrictions: vec![(
            date(2025, 4, 1),
            date(2025, 10, 1),
            "Art. 39: on the dishonesty list after two administrative penalties within one year (demo decision MIIT-DL-2025-03)",
        )],
        story: "Licensed 2022-11-01 and granted throughout, but on the dishonesty list from 2025-04-01 to \
                2025-10-01 (Art. 39): certificates it issued inside that period are not trusted.",
    };
    let renewal = Domestic {
        en: "Demo Renewal-due CA",
        zh: "演示待续证电子认证中心",
        slug: "demo-renewal-due-ca",
        cert: pki.sm2_root("tl-renewal-due-ca", "Demo Renewal-due CA"),
        policy: POLICY_RENEWAL,
        licence: "ECS-2021-006",
        licence_issued: date(2021, 6, 15),
        steps: vec![step("granted", date(2021, 6, 15))],
        restrictions: Vec::new(),
        story: "Licensed 2021-06-15, so the licence expires 2026-06-15 (Art. 11); from 2026-05-16 relying parties \
                are warned (Art. 15), from 2026-06-15 its chains are not trusted.",
    };
    let lapsed = Domestic {
        en: "Demo Lapsed-licence CA",
        zh: "演示许可过期电子认证中心",
        slug: "demo-lapsed-licence-ca",
        cert: pki.sm2_root("tl-lapsed-ca", "Demo Lapsed-licence CA"),
        policy: POLICY_LAPSED,
        licence: "ECS-2020-002",
        licence_issued: date(2020, 3, 1),
        steps: vec![step("granted", date(2020, 3, 1))],
        restrictions: Vec::new(),
        story: "Licensed 2020-03-01; the licence expired 2025-03-01 without renewal (Art. 11, 15). The status \
                was never changed: the licence's expiry alone makes its chains untrusted.",
    };
    // Not on the list.
    let unlisted = pki.sm2_root("tl-unlisted-ca", "Demo Unlisted CA");

    // ---- Approved foreign CAs (P-256, jurisdiction XB) -------------------------------------
    let xb_root = pki.root(
        "tl-xb-approved-root",
        "CN=Huren Demo XB Approved Root CA,O=XB Demo Trust Ltd.,C=XB",
        KeyAlg::P256,
    );
    let xb_ca = pki.issuing_ca(
        "tl-xb-approved-issuing-ca",
        "CN=Huren Demo XB Issuing CA,O=XB Demo Trust Ltd.,C=XB",
        KeyAlg::P256,
        &xb_root,
        &[XB_SIGN, XB_TLS],
    );
    let xb_approved = Foreign {
        en: "Demo XB Approved CA",
        slug: "xb-approved-ca",
        jurisdiction: "XB",
        cert: xb_root,
        approval: ApprovalSpec {
            decision: "MIIT-FA-2025-012",
            decided: date(2025, 6, 20),
            basis: "agreement:Demo CN-XB arrangement on the mutual recognition of electronic signature certificates",
            valid_from: date(2025, 7, 1),
            valid_until: date(2030, 7, 1),
            policies: vec![XB_SIGN],
            algorithms: vec![("rsa", 3072), ("ec-p256", 256)],
            key_usages: vec!["digitalSignature", "nonRepudiation"],
            ekus: vec!["clientAuth", "emailProtection"],
        },
        steps: vec![step("granted", date(2025, 7, 1))],
        story: "A foreign CA (jurisdiction XB, a user-assigned ISO 3166 code standing for a fictional \
                counterpart) approved under an agreement (Art. 47-49). Its root is listed; its issuing CA also \
                issues certificates under a TLS policy that is not approved.",
    };
    let xb_expired = Foreign {
        en: "Demo XB Expired-approval CA",
        slug: "xb-expired-approval-ca",
        jurisdiction: "XB",
        cert: pki.root(
            "tl-xb-expired-root",
            "CN=Huren Demo XB Expired-approval CA,O=XB Demo Legacy Trust Ltd.,C=XB",
            KeyAlg::P256,
        ),
        approval: ApprovalSpec::reciprocity(
            "MIIT-FA-2022-004",
            date(2022, 3, 15),
            (date(2022, 4, 1), date(2025, 12, 1)),
            XB_EXPIRED_POLICY,
        ),
        steps: vec![step("granted", date(2022, 4, 1))],
        story: "Approved on reciprocity from 2022-04-01 to 2025-12-01 and not renewed; the entry stays granted, \
                the approval's end alone ends the trust.",
    };
    let xb_withdrawn = Foreign {
        en: "Demo XB Withdrawn-approval CA",
        slug: "xb-withdrawn-approval-ca",
        jurisdiction: "XB",
        cert: pki.root(
            "tl-xb-withdrawn-root",
            "CN=Huren Demo XB Withdrawn-approval CA,O=XB Demo Former Trust Ltd.,C=XB",
            KeyAlg::P256,
        ),
        approval: ApprovalSpec::reciprocity(
            "MIIT-FA-2023-009",
            date(2023, 8, 20),
            (date(2023, 9, 1), date(2028, 9, 1)),
            XB_WITHDRAWN_POLICY,
        ),
        steps: vec![
            step("granted", date(2023, 9, 1)),
            step("withdrawn", date(2025, 11, 15)),
        ],
        story: "Approved on reciprocity from 2023-09-01 (to 2028-09-01); MIIT withdrew the approval on \
                2025-11-15.",
    };

    // ---- The foreign scheme XA, pointed to with an approval ------------------------------------
    let scheme = Scheme {
        ca: pki.root(
            "tl-xa-qualified-ca",
            "CN=XA Demo Qualified CA,O=XA Demo Qualified Trust Services,C=XA",
            KeyAlg::P384,
        ),
        signer: scheme_signer,
        approval: ApprovalSpec {
            decision: "MIIT-FS-2025-002",
            decided: date(2025, 9, 15),
            basis: "agreement:Demo CN-XA agreement on electronic signatures",
            valid_from: date(2025, 10, 1),
            valid_until: date(2030, 10, 1),
            policies: vec![QCP_N_QSCD],
            algorithms: vec![("rsa", 2048), ("ec-p256", 256), ("ec-p384", 384)],
            key_usages: vec!["nonRepudiation", "digitalSignature"],
            ekus: Vec::new(),
        },
    };

    // ---- The foreign CAs' leaves -------------------------------------------------------------
    // The approved XB CA's, issued 2025-09-01 by its issuing CA: signing and client
    // authentication as approved, or outside the approval in one respect each.
    let xb = LeafSpec {
        id: "tl-xb-leaf-valid",
        subject: "CN=Alice Example,O=XB Demo Relying Org,C=XB",
        alg: KeyAlg::P256,
        not_before: date(2025, 9, 1),
        usages: &[DS, NR],
        policies: &[XB_SIGN],
        ekus: &[CLIENT_AUTH, EMAIL_PROTECTION],
        issuer: &xb_ca,
    };
    // The profile the others depart from (each names its own key and subject).
    let xb_client = LeafSpec {
        usages: &[DS],
        ekus: &[CLIENT_AUTH],
        ..xb
    };
    let [valid, wrong_policy, wrong_eku, wrong_ku, small_rsa, p384] = [
        xb,
        LeafSpec {
            id: "tl-xb-leaf-tls-policy",
            subject: "CN=Bob Example,O=XB Demo Relying Org,C=XB",
            policies: &[XB_TLS],
            ..xb_client
        },
        LeafSpec {
            id: "tl-xb-leaf-server-auth",
            subject: "CN=Carol Example,O=XB Demo Relying Org,C=XB",
            ekus: &[SERVER_AUTH],
            ..xb_client
        },
        LeafSpec {
            id: "tl-xb-leaf-key-agreement",
            subject: "CN=Dave Example,O=XB Demo Relying Org,C=XB",
            usages: &[KA],
            ekus: &[EMAIL_PROTECTION],
            ..xb_client
        },
        LeafSpec {
            id: "tl-xb-leaf-rsa-2048",
            subject: "CN=Erin Example,O=XB Demo Relying Org,C=XB",
            alg: KeyAlg::Rsa2048,
            ..xb_client
        },
        LeafSpec {
            id: "tl-xb-leaf-p384",
            subject: "CN=Frank Example,O=XB Demo Relying Org,C=XB",
            alg: KeyAlg::P384,
            ..xb_client
        },
    ]
    .map(|l| pki.leaf(&l));
    // Outside the approval in three respects at once (an interoperability check lists all).
    let several = pki.leaf(&LeafSpec {
        id: "tl-xb-leaf-several",
        subject: "CN=Judy Example,O=XB Demo Relying Org,C=XB",
        alg: KeyAlg::P384,
        policies: &[XB_TLS],
        ekus: &[SERVER_AUTH],
        ..xb_client
    });
    // The other XB CAs', issued by their listed roots under their approved policies.
    let xb_expired_leaf = pki.leaf(&LeafSpec {
        id: "tl-xb-expired-leaf",
        subject: "CN=Grace Example,O=XB Demo Relying Org,C=XB",
        not_before: date(2025, 3, 1),
        policies: &xb_expired.approval.policies,
        issuer: &xb_expired.cert,
        ..xb_client
    });
    let xb_withdrawn_leaf = pki.leaf(&LeafSpec {
        id: "tl-xb-withdrawn-leaf",
        subject: "CN=Heidi Example,O=XB Demo Relying Org,C=XB",
        not_before: date(2025, 2, 1),
        policies: &xb_withdrawn.approval.policies,
        issuer: &xb_withdrawn.cert,
        ..xb_client
    });
    // The XA scheme CA's, issued 2025-11-01: qualified certificates for signatures and seals.
    let xa = LeafSpec {
        id: "tl-xa-leaf-qcp-n-qscd",
        subject: "CN=Ivan Example,O=XA Demo Relying Org,C=XA",
        alg: KeyAlg::P256,
        not_before: date(2025, 11, 1),
        usages: &[NR],
        policies: &[QCP_N_QSCD],
        ekus: &[],
        issuer: &scheme.ca,
    };
    let qes = pki.leaf(&xa);
    let seal = pki.leaf(&LeafSpec {
        id: "tl-xa-leaf-qcp-l",
        subject: "CN=XA Demo Company Seal,O=XA Demo Company,C=XA",
        policies: &[QCP_L],
        ..xa
    });

    // ---- The cases, in the order of the README's table ---------------------------------------
    let cases = vec![
        TlCase::new(
            "demo-valid",
            "The demo chain (testvectors/demo/) under the demo MIIT list: Demo Licensed CA is granted and its \
             licence ECS-2026-001 is in force (Art. 11)",
            &demo.leaf,
        )
        .sending(&[&demo.intermediate])
        .valid(demo_ca.anchor("granted")),
        TlCase::new(
            "demo-valid-2030",
            "The demo chain validated in mid-2030, half a year before the leaf and the list's NextUpdate run out: \
             still VALID, the licence (to 2031-01-01) still more than 30 days from expiry (Art. 15)",
            &demo.leaf,
        )
        .sending(&[&demo.intermediate])
        .at(date(2030, 6, 1))
        .valid(demo_ca.anchor("granted")),
        TlCase::new(
            "suspended",
            "Leaf issued 2025-03-01 while Demo Suspended CA was granted; MIIT suspended the CA on 2025-09-01 \
             (Art. 5, 34), so at the validation time it is not trusted",
            &suspended.leaf(&mut pki, "tl-suspended-leaf", "Li Si", date(2025, 3, 1)),
        )
        .invalid_anchor(suspended.anchor("suspended")),
        TlCase::new(
            "withdrawn-issued-while-granted",
            "Leaf issued 2025-04-01 while Demo Withdrawn CA was granted, validated after the licence was withdrawn \
             on 2025-10-01 (Art. 31, 34): not trusted now, and the report states both facts (granted at issuance, \
             withdrawn at the validation time)",
            &withdrawn.leaf(&mut pki, "tl-withdrawn-leaf", "Wang Wu", date(2025, 4, 1)),
        )
        .invalid_anchor(withdrawn.anchor("withdrawn")),
        TlCase::new(
            "taken-over",
            "Leaf issued 2025-02-01 by Demo Legacy CA, which ended its service on 2026-01-01 with its business \
             taken over by Demo Licensed CA (Art. 31): status withdrawn (TakenOverBy), successor named",
            &legacy.leaf(&mut pki, "tl-legacy-leaf", "Zhao Liu", date(2025, 2, 1)),
        )
        .invalid_anchor(AnchorJson {
            successor: Some(DEMO_NAME),
            ..legacy.anchor("withdrawn")
        }),
        TlCase::new(
            "restricted-issued-inside",
            "Leaf issued 2025-06-01, inside Demo Restricted CA's dishonesty-list restriction period \
             2025-04-01 to 2025-10-01 (Art. 39): not trusted, although the CA is granted",
            &restricted.leaf(&mut pki, "tl-restricted-leaf-inside", "Sun Qi", date(2025, 6, 1)),
        )
        .invalid_anchor(restricted.anchor("granted")),
        TlCase::new(
            "restricted-issued-after",
            "Leaf issued 2025-11-01, after Demo Restricted CA's restriction period ended (Art. 39): VALID",
            &restricted.leaf(&mut pki, "tl-restricted-leaf-after", "Zhou Ba", date(2025, 11, 1)),
        )
        .valid(restricted.anchor("granted")),
        TlCase::new(
            "licence-expiring-soon",
            "Demo Renewal-due CA's licence ECS-2021-006 expires 2026-06-15, 14 days after the validation time: \
             VALID with the warning LICENCE_EXPIRING_SOON (Art. 15: renewal is due 30 days before expiry)",
            &renewal.leaf(&mut pki, "tl-renewal-due-leaf", "Wu Jiu", date(2025, 5, 1)),
        )
        .valid(renewal.anchor("granted"))
        .warn("LICENCE_EXPIRING_SOON"),
        TlCase::new(
            "licence-expired",
            "Demo Lapsed-licence CA's licence ECS-2020-002 (issued 2020-03-01) expired 2025-03-01 (Art. 11: five \
             years); its entry still says granted, but a chain whose anchor's licence is not in force is not trusted",
            &lapsed.leaf(&mut pki, "tl-lapsed-leaf", "Zheng Shi", date(2024, 9, 1)),
        )
        .invalid_anchor(lapsed.anchor("granted")),
        TlCase::new(
            "unlisted-ca",
            "A chain under a CA that is not on MIIT's list (Art. 2-4: only listed CAs are domestic anchors); its \
             self-signed root is sent along in intermediates.pem and is not trusted for being sent",
            &pki.sm2_leaf(
                "tl-unlisted-leaf",
                "CN=Qian Yi (Demo Unlisted CA),O=Demo Relying Org,C=CN",
                date(2025, 6, 1),
                POLICY_UNLISTED,
                &unlisted,
            ),
        )
        .sending(&[&unlisted])
        .expect("INDETERMINATE", "NO_PATH_TO_TRUST_ANCHOR", None),
        TlCase::new(
            "foreign-approved-valid",
            "P-256 client-authentication and signing certificate of the approved XB CA, inside approval \
             MIIT-FA-2025-012 (policy 1.3.6.1.4.1.99999.70.1, EC P-256, digitalSignature, clientAuth): VALID with \
             the same effect as a domestic certificate (Art. 47)",
            &valid,
        )
        .sending(&[&xb_ca])
        .eku(&[CLIENT_AUTH])
        .valid(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-outside-policy",
            "Certificate of the approved XB CA under its TLS policy 1.3.6.1.4.1.99999.70.2, which the approval does \
             not list among the certificate types (Art. 48)",
            &wrong_policy,
        )
        .sending(&[&xb_ca])
        .eku(&[CLIENT_AUTH])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-outside-eku",
            "TLS server certificate of the approved XB CA, asked for serverAuth: the approval's application \
             scenarios are clientAuth and emailProtection only (Art. 48)",
            &wrong_eku,
        )
        .sending(&[&xb_ca])
        .eku(&[SERVER_AUTH])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-outside-key-usage",
            "Key-agreement certificate of the approved XB CA, asked for keyAgreement: the approval admits \
             digitalSignature and nonRepudiation only (Art. 48)",
            &wrong_ku,
        )
        .sending(&[&xb_ca])
        .ku(&["keyAgreement"])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-rsa-key-too-small",
            "RSA-2048 certificate of the approved XB CA: the approval's technical specification requires RSA keys \
             of at least 3072 bits (Art. 48)",
            &small_rsa,
        )
        .sending(&[&xb_ca])
        .eku(&[CLIENT_AUTH])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-curve-not-allowed",
            "EC P-384 certificate of the approved XB CA: the approval admits EC keys on P-256 only (Art. 48)",
            &p384,
        )
        .sending(&[&xb_ca])
        .eku(&[CLIENT_AUTH])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-several-deviations",
            "TLS server certificate of the approved XB CA on a P-384 key under its TLS policy: outside the \
             approval's certificate types, curves and application scenarios at once (Art. 48)",
            &several,
        )
        .sending(&[&xb_ca])
        .eku(&[SERVER_AUTH])
        .outside_scope(xb_approved.anchor("granted")),
        TlCase::new(
            "foreign-approval-expired",
            "Certificate issued 2025-03-01 inside approval MIIT-FA-2022-004, which ran until 2025-12-01: at the \
             validation time the approval is no longer in force (Art. 47, 49)",
            &xb_expired_leaf,
        )
        .eku(&[CLIENT_AUTH])
        .invalid_anchor(xb_expired.anchor("granted")),
        TlCase::new(
            "foreign-approval-withdrawn",
            "Certificate issued 2025-02-01 while approval MIIT-FA-2023-009 was granted; MIIT withdrew the approval \
             on 2025-11-15, so it is not trusted now (Art. 47, 49)",
            &xb_withdrawn_leaf,
        )
        .eku(&[CLIENT_AUTH])
        .invalid_anchor(xb_withdrawn.anchor("withdrawn")),
        TlCase::new(
            "foreign-scheme-valid",
            "Qualified certificate for electronic signatures (QCP-n-qscd, nonRepudiation) under a CA of the XA \
             scheme's list, reached through MIIT's pointer; inside approval MIIT-FS-2025-002 (Art. 47)",
            &qes,
        )
        .ku(&["nonRepudiation"])
        .via_foreign_scheme()
        .valid(scheme.anchor("granted")),
        TlCase::new(
            "foreign-scheme-outside-policy",
            "Qualified certificate for electronic seals (QCP-l) under the XA scheme's CA: the approval of the \
             scheme covers QCP-n-qscd only (Art. 48)",
            &seal,
        )
        .ku(&["nonRepudiation"])
        .via_foreign_scheme()
        .outside_scope(scheme.anchor("granted")),
    ];

    Story {
        domestic: vec![
            demo_ca, suspended, withdrawn, legacy, restricted, renewal, lapsed,
        ],
        foreign: vec![xb_approved, xb_expired, xb_withdrawn],
        scheme,
        signer,
        signer_pkcs8,
        scheme_signer_pkcs8,
        cases,
    }
}

/// The source file, in the format of `huren_trustlists::source`.
fn source_toml(s: &Story) -> String {
    let mut t = String::from(
        "# DEMO ONLY — the demo MIIT trust list of huren's test vectors. Not published by MIIT; never use\n\
         # it in production. Generated by `cargo run -p huren-testvectors -- generate`; see README.md.\n\
         # Rebuild the signed list with:\n\
         #   huren tl build miit-demo.toml --key miit-demo-signer-key.pem --cert miit-demo-signer.pem -o miit-demo.xml\n\
         \n\
         [scheme]\n",
    );
    let _ = writeln!(
        t,
        "operator = {{ zh = {}, en = {} }}",
        q(MIIT_ZH),
        q(MIIT_EN)
    );
    t.push_str(
        "operator_address = { street = \"西长安街13号\", locality = \"北京\", postal_code = \"100804\", country = \"CN\", lang = \"zh\" }\n\
         operator_electronic = [\"mailto:tl@huren-demo.example\", \"https://tl.huren-demo.example/\"]\n\
         name = { zh = \"电子认证服务机构可信列表（演示）\", en = \"CN: trust list of licensed and approved electronic certification service providers (DEMO)\" }\n\
         territory = \"CN\"\n\
         legal_notice = { zh = \"仅供演示：依据《电子认证服务管理办法》（征求意见稿）生成的测试列表，并非工业和信息化部发布，不得用于生产。\", en = \"DEMO ONLY: a test list shaped after the draft Measures for the Administration of Electronic Certification Services; not published by MIIT; never use it in production.\" }\n\
         information_uris = [\"https://tl.huren-demo.example/\"]\n\
         sequence = 1\n",
    );
    let _ = writeln!(t, "issued = {}", q(&rfc3339(&epoch())));
    let _ = writeln!(t, "next_update = {}", q(&rfc3339(&next_update())));
    t.push_str("distribution_points = [\"https://tl.huren-demo.example/miit-demo.xml\"]\n");
    for d in &s.domestic {
        let site = format!("https://{}.huren-demo.example/", d.slug);
        let _ = write!(
            t,
            "\n[[domestic]]\nname = {{ zh = {}, en = {} }}\nwebsite = {}\ncertificates = [{}]\npolicy_oids = [{}]\ncps_url = {}\n",
            q(d.zh),
            q(d.en),
            q(&site),
            q(&d.cert_file()),
            q(&d.policy.to_string()),
            q(&format!("{site}cps.pdf")),
        );
        let _ = writeln!(
            t,
            "licence = {{ number = {}, issuing_authority = {}, issued = {} }}",
            q(d.licence),
            q(MIIT_ZH),
            q(&rfc3339(&d.licence_issued))
        );
        if !d.restrictions.is_empty() {
            let r: Vec<String> = d
                .restrictions
                .iter()
                .map(|(from, until, reason)| {
                    format!(
                        "{{ from = {}, until = {}, reason = {} }}",
                        q(&rfc3339(from)),
                        q(&rfc3339(until)),
                        q(reason)
                    )
                })
                .collect();
            let _ = writeln!(t, "restrictions = [{}]", r.join(", "));
        }
        steps_toml(&mut t, "domestic", &d.steps);
    }
    for f in &s.foreign {
        let site = format!("https://{}.xb-demo.example/", f.slug);
        let _ = write!(
            t,
            "\n[[foreign]]\nname = {{ en = {} }}\nwebsite = {}\njurisdiction = {}\ncertificates = [{}]\ncps_url = {}\napproval = {}\n",
            q(f.en),
            q(&site),
            q(f.jurisdiction),
            q(&f.cert_file()),
            q(&format!("{site}cps.pdf")),
            f.approval.toml(),
        );
        steps_toml(&mut t, "foreign", &f.steps);
    }
    let _ = write!(
        t,
        "\n[[pointer]]\nlocation = \"https://tl.xa-demo.example/{FOREIGN_LIST}\"\nterritory = \"XA\"\n\
         tsl_type = \"http://uri.etsi.org/TrstSvc/TrustedList/TSLType/XAlist\"\n\
         operator = {{ en = \"XA Demo Supervisory Body\" }}\nsigners = [{}]\napproval = {}\n",
        q(FOREIGN_SIGNER),
        s.scheme.approval.toml()
    );
    t
}

fn steps_toml(t: &mut String, kind: &str, steps: &[Step]) {
    for st in steps {
        let _ = write!(
            t,
            "[[{kind}.status]]\nstatus = {}\nfrom = {}\n",
            q(st.status),
            q(&rfc3339(&st.from))
        );
        if let Some(succ) = st.successor {
            let _ = writeln!(t, "successor = {}", q(succ));
        }
    }
}

/// The foreign scheme's list (territory XA): a plain TS 119 612 list, no MIIT extensions.
fn scheme_list(s: &Scheme) -> TrustList {
    let en = |text: &str| MultiLang::single("en", text);
    let mut list = TrustList::default();
    list.version = 6;
    list.sequence = 3;
    list.tsl_type = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/XAlist".into();
    list.operator = en("XA Demo Supervisory Body");
    list.operator_address = xa_address("1", "mailto:tl@xa-demo.example");
    list.scheme_name = en("XA: trusted list of supervised trust service providers (DEMO)");
    list.information_uris = en("https://tl.xa-demo.example/");
    list.status_determination =
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/XAdetermination".into();
    list.community_rules = en("http://uri.etsi.org/TrstSvc/TrustedList/schemerules/XA");
    list.scheme_territory = Some("XA".into());
    list.policy_or_legal_notice = Some(PolicyOrLegalNotice::LegalNotice(en(
        "DEMO ONLY: the list of a fictional jurisdiction (XA, a user-assigned ISO 3166 code) in huren's test vectors; never use it in production.",
    )));
    list.historical_period = Some(65535);
    list.issued = unix(&date(2025, 12, 15));
    list.next_update = Some(unix(&next_update()));
    list.distribution_points = vec![format!("https://tl.xa-demo.example/{FOREIGN_LIST}")];
    let mut service = Service::default();
    service.service_type = ServiceType::CaQc;
    service.name = en("XA Demo Qualified CA");
    service.identities = vec![DigitalIdentity::Certificate(s.ca.der.clone())];
    service.status = ServiceStatus::Granted;
    service.status_start = unix(&date(2024, 7, 1));
    let mut provider = Provider::default();
    provider.name = en("XA Demo Qualified Trust Services");
    provider.address = xa_address("2", "https://qualified.xa-demo.example/");
    provider.information_uris = en("https://qualified.xa-demo.example/");
    provider.services = vec![service];
    list.providers = vec![provider];
    list
}

/// A postal address in Demo City, XA (`{number} Demo Square`, postcode `0000{number}`).
fn xa_address(number: &str, electronic: &str) -> Address {
    Address {
        postal: vec![PostalAddress {
            lang: "en".into(),
            street: format!("{number} Demo Square"),
            locality: "Demo City".into(),
            state: None,
            postal_code: Some(format!("0000{number}")),
            country: "XA".into(),
        }],
        electronic: MultiLang::single("en", electronic),
    }
}

fn sign(unsigned: &str, pkcs8: &[u8], cert: &Issued, at: &DateTime) -> String {
    let key = SigningKey::from_der(pkcs8).expect("the demo signer key loads");
    let signer =
        ListSigner::new(key, cert.der.clone()).expect("the demo signer key fits its certificate");
    sign_list(
        unsigned,
        &signer,
        unix(at),
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .expect("the demo list signs")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Renders every file below `trustlists/`.
/// `interop/`: the foreign CAs' chains as `huren interop check` takes them (one PEM file each,
/// end entity first) and a README with what each should give.
fn interop_files(cases: &[TlCase]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut rows = String::new();
    for c in cases.iter().filter(|c| c.name.starts_with("foreign-")) {
        let mut chain = certs_pem([&c.leaf]);
        chain.extend(certs_pem(&c.intermediates));
        files.insert(format!("interop/{}.pem", c.name), chain);
        let verdict = if c.status == "VALID" && c.code == "OK" {
            "passes (exit 0)".to_string()
        } else {
            format!("does not pass (exit 1): {} {}", c.status, c.code)
        };
        let flags = format!(
            "{}{}{}{}",
            c.key_usage
                .iter()
                .map(|k| format!(" --key-usage {k}"))
                .collect::<String>(),
            c.eku
                .iter()
                .map(|e| format!(" --eku {e}"))
                .collect::<String>(),
            if c.foreign_scheme {
                " --foreign-list testvectors/trustlists/foreign-scheme.xml"
            } else {
                ""
            },
            format_args!(" --time {}", crate::render::rfc3339(&c.time)),
        );
        rows.push_str(&format!(
            "| `{}.pem` | {} | {} | `{}` |\n",
            c.name,
            c.description.replace('|', "\\|"),
            verdict,
            flags.trim()
        ));
    }
    let readme = format!(
        "# Interoperability vectors for foreign CAs\n\n\
         Generated by `cargo run -p huren-testvectors -- generate`; do not edit by hand.\n\n\
         Chains of the demo foreign CAs of `../trustlists/` (approval `MIIT-FA-2025-012` of the\n\
         approved XB CA, and the XA scheme reached through MIIT's pointer), one PEM file each, end\n\
         entity first, as `huren interop check` takes them. **DEMO ONLY**: nothing here is an approval\n\
         MIIT granted.\n\n\
         ```sh\n\
         huren interop check testvectors/interop/foreign-several-deviations.pem \\\n\
         \x20   --trust-list testvectors/trustlists/miit-demo.xml --signer testvectors/trustlists/miit-demo-signer.pem \\\n\
         \x20   --approval MIIT-FA-2025-012 --time 2026-06-01T00:00:00Z --format html -o report.html\n\
         ```\n\n\
         Each chain is checked with the flags in its row (every row also takes `--trust-list` and\n\
         `--signer` as above; the EKUs of `../trustlists/chains/<case>/expected.json` are what the\n\
         approval's scope is compared with). The report lists every deviation with the rule it rests on\n\
         and what to change; `foreign-several-deviations` has three (policy, curve, EKU). The\n\
         expected text report of each is in `../interop-reports/<chain>.txt` (huren's own output,\n\
         checked by `api/tests/interop_cli.rs`; rewritten with `HUREN_BLESS=1` when it changes on\n\
         purpose).\n\n\
         | chain | what it is | expected | flags |\n| --- | --- | --- | --- |\n{rows}"
    );
    files.insert("interop/README.md".into(), readme.into_bytes());
    files
}

pub(crate) fn render(demo: &Demo) -> BTreeMap<String, Vec<u8>> {
    let s = story(demo);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut put = |rel: &str, bytes: Vec<u8>| {
        files.insert(format!("{DIR}/{rel}"), bytes);
    };
    for d in &s.domestic {
        put(&d.cert_file(), certs_pem([&d.cert.der]));
    }
    for f in &s.foreign {
        put(&f.cert_file(), certs_pem([&f.cert.der]));
    }
    put(FOREIGN_SIGNER, certs_pem([&s.scheme.signer.der]));
    put(SIGNER, certs_pem([&s.signer.der]));
    put(
        SIGNER_KEY,
        format!(
            "DEMO ONLY - NEVER USE IN PRODUCTION. The private key of miit-demo-signer.pem, published so that\n\
             anyone can rebuild miit-demo.xml with `huren tl build`; a list signed with it proves nothing.\n{}",
            pem("PRIVATE KEY", &s.signer_pkcs8)
        )
        .into_bytes(),
    );

    // The foreign scheme's list, signed by its own signer at its issue time.
    let scheme = scheme_list(&s.scheme);
    let unsigned = huren_trustlists::write_list(&scheme).expect("the XA list serialises");
    let scheme_xml = sign(
        &unsigned,
        &s.scheme_signer_pkcs8,
        &s.scheme.signer,
        &date(2025, 12, 15),
    );
    put(FOREIGN_LIST, scheme_xml.into_bytes());

    // MIIT's list: from the TOML source, exactly as `huren tl build` does.
    let toml = source_toml(&s);
    let source = huren_trustlists::parse_source(&toml)
        .unwrap_or_else(|e| panic!("the demo source does not parse: {e}\n{toml}"));
    let list = source
        .to_list(&|path: &str| {
            files.get(&format!("{DIR}/{path}")).cloned().ok_or_else(|| {
                huren_trustlists::Error::Build {
                    message: format!("{path} is not generated"),
                }
            })
        })
        .unwrap_or_else(|e| panic!("the demo source does not build: {e}"));
    let unsigned = huren_trustlists::write_list(&list).expect("the demo list serialises");
    let xml = sign(&unsigned, &s.signer_pkcs8, &s.signer, &epoch());
    let mut put = |rel: &str, bytes: Vec<u8>| {
        files.insert(format!("{DIR}/{rel}"), bytes);
    };
    put(
        &format!("{LIST}.sha2"),
        hex(&Sha256::digest(xml.as_bytes())).into_bytes(),
    );
    put(LIST, xml.into_bytes());
    put("miit-demo.toml", toml.into_bytes());

    for c in &s.cases {
        let dir = format!("chains/{}", c.name);
        put(&format!("{dir}/leaf.pem"), certs_pem([&c.leaf]));
        if !c.intermediates.is_empty() {
            put(
                &format!("{dir}/intermediates.pem"),
                certs_pem(&c.intermediates),
            );
        }
        put(&format!("{dir}/expected.json"), expected_json(c));
    }
    put("README.md", readme(&s).into_bytes());
    files.extend(interop_files(&s.cases));
    let mut names: Vec<_> = s.cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        s.cases.len(),
        "duplicate trust-list case names"
    );
    files
}

fn readme(s: &Story) -> String {
    let mut r = String::from(
        "# The demo MIIT trust list\n\
         \n\
         Generated by `cargo run -p huren-testvectors -- generate`; do not edit by hand\n\
         (`cargo run -p huren-testvectors -- check` fails when these files drift from the generator).\n\
         \n\
         **DEMO ONLY.** Nothing here is published by MIIT (the Ministry of Industry and Information\n\
         Technology, 工业和信息化部); the list only takes the shape the draft *Measures for the\n\
         Administration of Electronic Certification Services* give MIIT's list. The signer's private\n\
         key is published on purpose, so a list signed with it proves nothing: never trust\n\
         `miit-demo-signer.pem` outside tests and demos.\n\
         \n\
         ## Files\n\
         \n\
         - `miit-demo.toml`: the source (the TOML format of `huren_trustlists::source`), naming the CA\n\
         \x20 certificates in `certs/` and the foreign scheme's signer by relative path.\n\
         - `miit-demo.xml`: the signed list (ETSI TS 119 612 v6, territory CN, sequence 1; MIIT's\n\
         \x20 licences, approvals, restrictions and successors in the `urn:huren:tsl:miit:1` extensions),\n\
         \x20 enveloped XMLDSig with exclusive C14N and XAdES-B (SigningCertificateV2), RSA-SHA256.\n\
         \x20 `miit-demo.xml.sha2`: the SHA-256 of the file as 64 lower-case hex digits, no newline (what\n\
         \x20 `huren tl build` writes, as EU list publishers do).\n\
         - `miit-demo-signer.pem`: the signer certificate to pin (self-signed RSA-2048,\n\
         \x20 `CN=DEMO ONLY MIIT Trust List Signer`, valid 2025-01-01 to 2045-01-01, extKeyUsage\n\
         \x20 tslSigning). `miit-demo-signer-key.pem`: its private key (PKCS#8), **DEMO ONLY**.\n\
         - `foreign-scheme.xml`: the list of a fictional foreign scheme, territory `XA` (a user-assigned\n\
         \x20 ISO 3166 code), sequence 3, issued 2025-12-15, signed by `foreign-scheme-signer.pem`, which\n\
         \x20 MIIT's pointer to it pins.\n\
         - `chains/<case>/`: `leaf.pem`, `intermediates.pem` (omitted when the leaf's issuer is the listed\n\
         \x20 CA itself, as in `../chains/`) and `expected.json`.\n\
         \n\
         ## Validity\n\
         \n\
         The list is issued and signed at 2026-01-01T00:00:00Z (the generator's epoch) with NextUpdate\n\
         2030-12-31T23:59:59Z, so the demo keeps working until the end of 2030: the demo chain\n\
         (`../demo/`) is VALID under this list from 2026-01-01 to 2030-12-31T23:59:59Z (its leaf's\n\
         validity; the Demo Licensed CA's licence runs to 2031-01-01). The list must be verified at a time\n\
         at or after its issue date. Everything is deterministic: keys are derived from their names,\n\
         the signatures are RSA PKCS#1 v1.5.\n\
         \n\
         ```sh\n\
         huren tl verify testvectors/trustlists/miit-demo.xml --signer testvectors/trustlists/miit-demo-signer.pem\n\
         huren validate testvectors/demo/leaf.pem --intermediate testvectors/demo/intermediates.pem \\\n\
         \x20   --trust-list testvectors/trustlists/miit-demo.xml --signer testvectors/trustlists/miit-demo-signer.pem\n\
         # a chain under the foreign scheme: add the list the MIIT pointer leads to\n\
         huren validate testvectors/trustlists/chains/foreign-scheme-valid/leaf.pem --key-usage nonRepudiation \\\n\
         \x20   --trust-list testvectors/trustlists/miit-demo.xml --signer testvectors/trustlists/miit-demo-signer.pem \\\n\
         \x20   --foreign-list testvectors/trustlists/foreign-scheme.xml --time 2026-06-01T00:00:00Z\n\
         cd testvectors/trustlists && xmlsec1 --verify --trusted-pem miit-demo-signer.pem \\\n\
         \x20   --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties miit-demo.xml\n\
         ```\n\
         \n\
         ## Rebuilding with `huren tl build`\n\
         \n\
         From this directory (certificate paths in the source are relative to it):\n\
         \n\
         ```sh\n\
         huren tl build miit-demo.toml --key miit-demo-signer-key.pem --cert miit-demo-signer.pem -o my-list.xml\n\
         ```\n\
         \n\
         The result verifies against `miit-demo-signer.pem`. Signed now, it differs from `miit-demo.xml`\n\
         only in the XAdES SigningTime and hence the signature; with `--time 2026-01-01T00:00:00Z` (the\n\
         generator's signing time) it is `miit-demo.xml` byte for byte (RSA PKCS#1 v1.5 signatures are\n\
         deterministic). Edit the source (add a CA, change a status, raise `sequence`) to try your own list.\n\
         \n\
         ## The story\n\
         \n\
         MIIT's list (operator 工业和信息化部 / Ministry of Industry and Information Technology) has\n\
         domestic CAs with their licences (Art. 11: number, issuing authority, issue date, expiry five\n\
         years later), approved foreign CAs with their approvals (Art. 47-49: decision number and\n\
         date, basis, jurisdiction, validity, certificate types as policy OIDs, algorithms and minimum key\n\
         sizes, key usages and EKUs), and a pointer to the foreign scheme XA whose signer it pins, with\n\
         the approval under which XA's CAs are trusted. Domestic CAs use SM2 keys; each root below is the\n\
         listed CA certificate (valid 2020-01-01 to 2040-01-01) and issues the case leaves directly\n\
         (valid three years from their notBefore), except the demo chain and the XB approved CA, which\n\
         have an issuing CA in between.\n\
         \n\
         ### Domestic CAs\n\
         \n\
         | CA | Licence | Status history | Policy | Story |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    let history = |steps: &[Step]| -> String {
        steps
            .iter()
            .map(|st| {
                let mut x = format!("{} {}", st.status, &rfc3339(&st.from)[..10]);
                if let Some(succ) = st.successor {
                    let _ = write!(x, " (successor {succ})");
                }
                x
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for d in &s.domestic {
        let expires = years_later(d.licence_issued, 5);
        let mut story = d.story.to_string();
        for (from, until, reason) in &d.restrictions {
            let _ = write!(
                story,
                " Restriction {} to {}: {reason}.",
                &rfc3339(from)[..10],
                &rfc3339(until)[..10]
            );
        }
        let _ = writeln!(
            r,
            "| {} ({}), `{}` | `{}` issued {} by {MIIT_ZH}, expires {} | {} | {} | {} |",
            d.en,
            d.zh,
            d.cert_file(),
            d.licence,
            &rfc3339(&d.licence_issued)[..10],
            &rfc3339(&expires)[..10],
            history(&d.steps),
            d.policy,
            story
        );
    }
    r.push_str(
        "\n### Approved foreign CAs\n\
         \n\
         | CA | Approval | Status history | Story |\n\
         | --- | --- | --- | --- |\n",
    );
    for f in &s.foreign {
        let _ = writeln!(
            r,
            "| {} (jurisdiction {}), `{}` | {} | {} | {} |",
            f.en,
            f.jurisdiction,
            f.cert_file(),
            f.approval.summary(),
            history(&f.steps),
            f.story
        );
    }
    let _ = write!(
        r,
        "\n### The foreign scheme XA\n\
         \n\
         `foreign-scheme.xml` lists one provider, \"XA Demo Qualified Trust Services\", with one CA/QC\n\
         service \"XA Demo Qualified CA\" (P-384 root, granted since 2024-07-01). MIIT's pointer (location\n\
         `https://tl.xa-demo.example/{FOREIGN_LIST}`, territory XA) pins `{FOREIGN_SIGNER}` and carries the\n\
         approval: {}. Verify it through the pointer with\n\
         `huren tl verify foreign-scheme.xml --via miit-demo.xml --signer miit-demo-signer.pem`.\n\
         \n\
         ## Cases\n\
         \n\
         Each `expected.json` has the fields of `../chains/*/expected.json` (`time`, `keyUsage`, `eku`,\n\
         `policies` — empty: any policy —, …), and: `trustList` (the list to verify against `signer`),\n\
         `foreignScheme` (a foreign list to verify through the MIIT list's pointer, or null), `expected`\n\
         (`status`, `code`, `warnings`: the warning codes, exactly) and `anchor` (the anchor outcome of\n\
         the report: `kind`, the `territory` of the list the anchor comes from, `reference` — the\n\
         licence number or approval decision —, the service status at the validation time and at the\n\
         leaf's issuance (its notBefore), and the `successor`; null when no listed anchor is reached).\n\
         `tests/trustlists.rs` checks every case.\n\
         \n\
         | Case | Time | Expected | Warnings | Anchor (reference: now / at issuance) | Why |\n\
         | --- | --- | --- | --- | --- | --- |\n",
        s.scheme.approval.summary()
    );
    for c in &s.cases {
        let anchor = c.anchor.as_ref().map_or("-".to_string(), |a| {
            format!(
                "{} {}: {} / {}",
                a.kind, a.reference, a.status_at_validation_time, a.status_at_issuance
            )
        });
        let warnings = if c.warnings.is_empty() {
            "-".to_string()
        } else {
            c.warnings.join(", ")
        };
        let _ = writeln!(
            r,
            "| `{}` | {} | {} {} | {} | {} | {} |",
            c.name,
            rfc3339(&c.time),
            c.status,
            c.code,
            warnings,
            anchor,
            c.description.replace('|', "\\|")
        );
    }
    r.push_str("\n## Certificates\n\n### MIIT list signer\n\n");
    r.push_str(&describe(&s.signer));
    r.push_str("\n### Listed CAs\n\n");
    for d in &s.domestic {
        r.push_str(&describe(&d.cert));
    }
    for f in &s.foreign {
        r.push_str(&describe(&f.cert));
    }
    r.push_str("\n### Foreign scheme XA\n\n");
    r.push_str(&describe(&s.scheme.signer));
    r.push_str(&describe(&s.scheme.ca));
    r
}
