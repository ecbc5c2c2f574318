//! The case table: every PKI hierarchy, every chain and its expected verdict.

use std::rc::Rc;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::{ID_KP_CLIENT_AUTH, ID_KP_SERVER_AUTH};
use der::DateTime;
use der::asn1::Null;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::KeyUsages;

use crate::cert::{
    ANY, CertSpec, CrlSpec, Issued, basic_constraints, certificate_policies,
    crl_distribution_point, date, delta_crl_indicator, dir_name, dns, email, ext, ext_key_usage,
    ip, issue, issue_crl, issuing_distribution_point, key_usage, name_constraints,
    policy_constraints, policy_mappings, subject_alt_name, uri,
};
use crate::keys::{Key, KeyAlg, KeyStore, SigOpts};

/// Policy of the SM2 "Licensed CA A" (and of the demo chain).
pub(crate) const SM2_POLICY_A: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.156.999001.1.1");
/// Policy of the SM2 "Licensed CA B".
pub(crate) const SM2_POLICY_B: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.156.999002.1.1");
/// CA/Browser Forum domain-validated policy, used by the Web-PKI-shaped CAs.
const WEB_DV: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.140.1.2.1");
/// Issuer-domain policy of the policy-mapping CA.
const MAP_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1");
/// Subject-domain policy of the policy-mapping CA.
const MAP_SUBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.2");
/// Leaf policy under the anyPolicy CA.
const POLICY_X: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.5");
/// Policy of the policy-constraints CA.
const POLICY_PC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.6");
/// A private extension no validator knows.
const UNKNOWN_EXTENSION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.99.1");

/// Revocation checking mode asked of the validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// Do not check revocation.
    Off,
    /// Check where CRLs are available; unavailable status is not an error.
    Prefer,
    /// Every certificate below the anchor needs a definite CRL status.
    Require,
}

impl Revocation {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Prefer => "prefer",
            Self::Require => "require",
        }
    }
}

/// Expected verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Valid,
    Invalid,
    Indeterminate,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "VALID",
            Self::Invalid => "INVALID",
            Self::Indeterminate => "INDETERMINATE",
        }
    }
}

/// Expected reason code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub(crate) enum Code {
    Ok,
    CertRevoked,
    CaRevoked,
    CertExpired,
    CertNotYetValid,
    BadSignature,
    BasicConstraintsViolation,
    PathLengthExceeded,
    NameConstraintsViolation,
    PolicyNotSatisfied,
    KeyUsageNotAllowed,
    EkuNotAllowed,
    ServerNameMismatch,
    UnhandledCriticalExtension,
    NoPathToTrustAnchor,
    RevocationUnavailable,
    RevocationStale,
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::CertRevoked => "CERT_REVOKED",
            Self::CaRevoked => "CA_REVOKED",
            Self::CertExpired => "CERT_EXPIRED",
            Self::CertNotYetValid => "CERT_NOT_YET_VALID",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::BasicConstraintsViolation => "BASIC_CONSTRAINTS_VIOLATION",
            Self::PathLengthExceeded => "PATH_LENGTH_EXCEEDED",
            Self::NameConstraintsViolation => "NAME_CONSTRAINTS_VIOLATION",
            Self::PolicyNotSatisfied => "POLICY_NOT_SATISFIED",
            Self::KeyUsageNotAllowed => "KEY_USAGE_NOT_ALLOWED",
            Self::EkuNotAllowed => "EKU_NOT_ALLOWED",
            Self::ServerNameMismatch => "SERVER_NAME_MISMATCH",
            Self::UnhandledCriticalExtension => "UNHANDLED_CRITICAL_EXTENSION",
            Self::NoPathToTrustAnchor => "NO_PATH_TO_TRUST_ANCHOR",
            Self::RevocationUnavailable => "REVOCATION_UNAVAILABLE",
            Self::RevocationStale => "REVOCATION_STALE",
        }
    }

    fn status(self) -> Status {
        match self {
            Self::Ok => Status::Valid,
            Self::NoPathToTrustAnchor | Self::RevocationUnavailable | Self::RevocationStale => {
                Status::Indeterminate
            }
            _ => Status::Invalid,
        }
    }
}

/// One chain directory under `chains/`.
#[derive(Debug)]
pub(crate) struct Case {
    pub name: &'static str,
    pub description: String,
    pub leaf: Vec<u8>,
    pub intermediates: Vec<Vec<u8>>,
    pub anchors: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    pub time: DateTime,
    pub key_usage: Vec<&'static str>,
    pub eku: Vec<ObjectIdentifier>,
    pub policies: Vec<ObjectIdentifier>,
    pub require_explicit_policy: bool,
    pub inhibit_policy_mapping: bool,
    pub inhibit_any_policy: bool,
    pub revocation: Revocation,
    pub dns_name: Option<&'static str>,
    pub ip: Option<&'static str>,
    pub openssl: Option<bool>,
    pub involves_sm2: bool,
    pub code: Code,
}

impl Case {
    /// The expected status.
    pub(crate) fn status(&self) -> Status {
        self.code.status()
    }
}

/// The demo SM2 chain written to `demo/`.
#[derive(Debug)]
pub(crate) struct Demo {
    pub anchor: Issued,
    pub intermediate: Issued,
    pub leaf: Issued,
}

/// Default validation time of the cases.
pub(crate) fn default_time() -> DateTime {
    date(2026, 6, 1)
}

/// Everything the generator writes, in memory.
#[derive(Debug)]
pub(crate) struct Vectors {
    pub demo: Demo,
    pub cases: Vec<Case>,
}

fn leaf_not_after() -> DateTime {
    DateTime::new(2030, 12, 31, 23, 59, 59).expect("valid date")
}

/// Builder of a [`Case`].
struct CaseBuilder {
    case: Case,
}

impl CaseBuilder {
    fn new(
        name: &'static str,
        description: &str,
        leaf: &Issued,
        intermediates: &[&Issued],
        anchors: &[&Issued],
    ) -> Self {
        let involves_sm2 = std::iter::once(leaf)
            .chain(intermediates.iter().copied())
            .chain(anchors.iter().copied())
            .any(|c| c.key.alg() == KeyAlg::Sm2);
        Self {
            case: Case {
                name,
                description: description.to_owned(),
                leaf: leaf.der.clone(),
                intermediates: intermediates.iter().map(|c| c.der.clone()).collect(),
                anchors: anchors.iter().map(|c| c.der.clone()).collect(),
                crls: Vec::new(),
                time: default_time(),
                key_usage: Vec::new(),
                eku: Vec::new(),
                policies: Vec::new(),
                require_explicit_policy: false,
                inhibit_policy_mapping: false,
                inhibit_any_policy: false,
                revocation: Revocation::Off,
                dns_name: None,
                ip: None,
                openssl: None,
                involves_sm2,
                code: Code::Ok,
            },
        }
    }

    fn ku(mut self, ku: &[&'static str]) -> Self {
        self.case.key_usage = ku.to_vec();
        self
    }

    fn eku(mut self, eku: &[ObjectIdentifier]) -> Self {
        self.case.eku = eku.to_vec();
        self
    }

    fn policies(mut self, policies: &[ObjectIdentifier]) -> Self {
        self.case.policies = policies.to_vec();
        self
    }

    fn require_explicit(mut self) -> Self {
        self.case.require_explicit_policy = true;
        self
    }

    fn inhibit_mapping(mut self) -> Self {
        self.case.inhibit_policy_mapping = true;
        self
    }

    fn inhibit_any(mut self) -> Self {
        self.case.inhibit_any_policy = true;
        self
    }

    fn revocation(mut self, mode: Revocation, crls: &[&Vec<u8>]) -> Self {
        self.case.revocation = mode;
        self.case.crls = crls.iter().map(|c| (*c).clone()).collect();
        self
    }

    fn dns(mut self, name: &'static str) -> Self {
        self.case.dns_name = Some(name);
        self
    }

    fn ip(mut self, ip: &'static str) -> Self {
        self.case.ip = Some(ip);
        self
    }

    fn time(mut self, time: DateTime) -> Self {
        self.case.time = time;
        self
    }

    fn openssl(mut self, accept: Option<bool>) -> Self {
        self.case.openssl = accept;
        self
    }

    fn expect(mut self, code: Code) -> Case {
        assert!(
            !(self.case.involves_sm2 && self.case.openssl.is_some()),
            "{}: OpenSSL verdicts are not recorded for SM2 chains",
            self.case.name
        );
        self.case.code = code;
        self.case
    }
}

/// Generates certificates, remembering derived keys.
struct Pki {
    keys: KeyStore,
}

impl Pki {
    fn key(&mut self, alg: KeyAlg, name: &str) -> Rc<Key> {
        self.keys.get(alg, name)
    }

    /// A self-signed root: basicConstraints critical cA, keyUsage
    /// keyCertSign+cRLSign, valid 2025-01-01 → 2045-01-01.
    fn root_spec(&mut self, id: &str, subject: &str, alg: KeyAlg) -> CertSpec {
        CertSpec {
            id: id.to_owned(),
            subject: subject.to_owned(),
            key: self.key(alg, id),
            not_before: date(2025, 1, 1),
            not_after: date(2045, 1, 1),
            extensions: vec![
                basic_constraints(true, None, true),
                key_usage(&[KeyUsages::KeyCertSign, KeyUsages::CRLSign]),
            ],
            sig: SigOpts::default(),
        }
    }

    fn root(&mut self, id: &str, subject: &str, alg: KeyAlg) -> Issued {
        issue(&self.root_spec(id, subject, alg), None)
    }

    /// An intermediate CA certificate valid 2025-06-01 → 2040-01-01. The key
    /// is the one called `key_name`.
    fn ca_spec(
        &mut self,
        id: &str,
        subject: &str,
        key: Rc<Key>,
        path_len: Option<u8>,
        policies: &[ObjectIdentifier],
    ) -> CertSpec {
        let mut extensions = vec![
            basic_constraints(true, path_len, true),
            key_usage(&[KeyUsages::KeyCertSign, KeyUsages::CRLSign]),
        ];
        if !policies.is_empty() {
            extensions.push(certificate_policies(policies));
        }
        CertSpec {
            id: id.to_owned(),
            subject: subject.to_owned(),
            key,
            not_before: date(2025, 6, 1),
            not_after: date(2040, 1, 1),
            extensions,
            sig: SigOpts::default(),
        }
    }

    fn ca(
        &mut self,
        id: &str,
        subject: &str,
        alg: KeyAlg,
        issuer: &Issued,
        path_len: Option<u8>,
        policies: &[ObjectIdentifier],
    ) -> Issued {
        let key = self.key(alg, id);
        issue(
            &self.ca_spec(id, subject, key, path_len, policies),
            Some(issuer),
        )
    }

    /// An end-entity certificate valid 2026-01-01 → 2030-12-31T23:59:59Z with
    /// basicConstraints cA=FALSE (non-critical), keyUsage (critical) and the
    /// given certificatePolicies (omitted when empty).
    fn leaf_spec(
        &mut self,
        id: &str,
        subject: &str,
        key: Rc<Key>,
        usages: &[KeyUsages],
        policies: &[ObjectIdentifier],
    ) -> CertSpec {
        let mut extensions = vec![basic_constraints(false, None, false), key_usage(usages)];
        if !policies.is_empty() {
            extensions.push(certificate_policies(policies));
        }
        CertSpec {
            id: id.to_owned(),
            subject: subject.to_owned(),
            key,
            not_before: date(2026, 1, 1),
            not_after: leaf_not_after(),
            extensions,
            sig: SigOpts::default(),
        }
    }

    /// A TLS server leaf: keyUsage digitalSignature (+keyEncipherment for
    /// RSA), extKeyUsage serverAuth, subjectAltName dNSName `dns_name`.
    fn server_spec(&mut self, id: &str, dns_name: &str, key: Rc<Key>) -> CertSpec {
        let usages: &[KeyUsages] = if key.alg() == KeyAlg::Rsa2048 {
            &[KeyUsages::DigitalSignature, KeyUsages::KeyEncipherment]
        } else {
            &[KeyUsages::DigitalSignature]
        };
        let mut spec = self.leaf_spec(id, &format!("CN={dns_name}"), key, usages, &[WEB_DV]);
        spec.extensions.push(ext_key_usage(&[ID_KP_SERVER_AUTH]));
        spec.extensions.push(subject_alt_name(vec![dns(dns_name)]));
        spec
    }
}

const SM2_NATIONAL_ROOT: &str = "CN=Huren Test National Root SM2,O=Huren Test PKI,C=CN";
const SM2_CA_A: &str = "CN=Huren Test Licensed CA A SM2,O=Huren Test PKI,C=CN";
const SM2_CA_B: &str = "CN=Huren Test Licensed CA B SM2,O=Huren Test PKI,C=CN";
const ZHANG_SAN: &str = "CN=Zhang San,O=Huren Test Relying Org,C=CN";
const LI_SI: &str = "CN=Li Si,O=Huren Test Relying Org,C=CN";
const RSA_ROOT: &str = "CN=Huren Test RSA Root CA,O=Huren Test PKI,C=US";
const RSA_CA: &str = "CN=Huren Test RSA Issuing CA,O=Huren Test PKI,C=US";
const EC_ROOT: &str = "CN=Huren Test ECDSA Root CA,O=Huren Test PKI,C=US";
const EC_CA: &str = "CN=Huren Test ECDSA Issuing CA,O=Huren Test PKI,C=US";

const DS: KeyUsages = KeyUsages::DigitalSignature;
const NR: KeyUsages = KeyUsages::NonRepudiation;
const KE: KeyUsages = KeyUsages::KeyEncipherment;
const DE: KeyUsages = KeyUsages::DataEncipherment;

fn demo(pki: &mut Pki) -> Demo {
    let anchor = pki.root(
        "demo-root",
        "CN=Huren Demo Licensed CA Root,O=Huren Demo CA Co.\\, Ltd.,C=CN",
        KeyAlg::Sm2,
    );
    let intermediate = pki.ca(
        "demo-issuing-ca-sm2",
        "CN=Huren Demo Issuing CA SM2,O=Huren Demo CA Co.\\, Ltd.,C=CN",
        KeyAlg::Sm2,
        &anchor,
        Some(0),
        &[SM2_POLICY_A],
    );
    let key = pki.key(KeyAlg::Sm2, "demo-zhangsan-sign");
    let leaf = issue(
        &pki.leaf_spec(
            "demo-zhangsan-sign",
            "CN=Zhang San,O=Demo Relying Org,C=CN",
            key,
            &[DS, NR],
            &[SM2_POLICY_A],
        ),
        Some(&intermediate),
    );
    Demo {
        anchor,
        intermediate,
        leaf,
    }
}

fn crl(issuer: &Issued, number: u32, revoked: &[&Issued]) -> Vec<u8> {
    issue_crl(
        issuer,
        &CrlSpec {
            number,
            this_update: date(2026, 5, 1),
            next_update: date(2026, 7, 1),
            revoked: revoked
                .iter()
                .map(|c| (c.serial().clone(), date(2026, 3, 1)))
                .collect(),
            sig: SigOpts::default(),
            extensions: Vec::new(),
            entry_issuer: None,
        },
    )
}

#[allow(clippy::too_many_lines)]
fn sm2_cases(pki: &mut Pki, cases: &mut Vec<Case>) {
    use Code::*;
    let root = pki.root("sm2-national-root", SM2_NATIONAL_ROOT, KeyAlg::Sm2);
    let ca_a = pki.ca(
        "sm2-licensed-ca-a",
        SM2_CA_A,
        KeyAlg::Sm2,
        &root,
        Some(0),
        &[SM2_POLICY_A],
    );
    let ca_b = pki.ca(
        "sm2-licensed-ca-b",
        SM2_CA_B,
        KeyAlg::Sm2,
        &root,
        Some(0),
        &[SM2_POLICY_B],
    );
    let sign_key = pki.key(KeyAlg::Sm2, "sm2-zhangsan-sign");
    let enc_key = pki.key(KeyAlg::Sm2, "sm2-zhangsan-encrypt");
    let sign_spec = |pki: &mut Pki, id: &str| {
        pki.leaf_spec(id, ZHANG_SAN, sign_key.clone(), &[DS, NR], &[SM2_POLICY_A])
    };
    let sign = issue(&sign_spec(pki, "sm2-zhangsan-sign"), Some(&ca_a));
    let enc = issue(
        &pki.leaf_spec(
            "sm2-zhangsan-encrypt",
            ZHANG_SAN,
            enc_key,
            &[KE, DE],
            &[SM2_POLICY_A],
        ),
        Some(&ca_a),
    );

    cases.push(
        CaseBuilder::new(
            "sm2-sign-valid",
            "SM2 signing certificate (digitalSignature+nonRepudiation) under Licensed CA A; \
             digitalSignature and CA A's policy asked, explicit policy required",
            &sign,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .policies(&[SM2_POLICY_A])
        .require_explicit()
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-sign-nonrepudiation-valid",
            "SM2 signing certificate asked for nonRepudiation",
            &sign,
            &[&ca_a],
            &[&root],
        )
        .ku(&["nonRepudiation"])
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-encrypt-asked-for-signing",
            "SM2 encryption certificate (keyEncipherment+dataEncipherment) of a dual-certificate \
             pair asked for digitalSignature",
            &enc,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(KeyUsageNotAllowed),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-encrypt-valid",
            "SM2 encryption certificate asked for keyEncipherment",
            &enc,
            &[&ca_a],
            &[&root],
        )
        .ku(&["keyEncipherment"])
        .expect(Ok),
    );

    // Signature AlgorithmIdentifiers with parameters absent instead of NULL.
    let absent = SigOpts {
        sm2_params_null: false,
        ..SigOpts::default()
    };
    let mut spec = pki.ca_spec(
        "sm2-licensed-ca-a-params-absent",
        SM2_CA_A,
        ca_a.key.clone(),
        Some(0),
        &[SM2_POLICY_A],
    );
    spec.sig = absent;
    let ca_a_absent = issue(&spec, Some(&root));
    let mut spec = sign_spec(pki, "sm2-zhangsan-sign-params-absent");
    spec.sig = absent;
    let sign_absent = issue(&spec, Some(&ca_a_absent));
    cases.push(
        CaseBuilder::new(
            "sm2-sigalg-params-absent",
            "SM2 chain whose intermediate and leaf signature AlgorithmIdentifiers \
             (sm2sign-with-sm3) have parameters absent instead of NULL",
            &sign_absent,
            &[&ca_a_absent],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(Ok),
    );

    let mut spec = sign_spec(pki, "sm2-zhangsan-sign-bad-signature");
    spec.sig.corrupt = true;
    let bad = issue(&spec, Some(&ca_a));
    cases.push(
        CaseBuilder::new(
            "sm2-bad-signature",
            "SM2 leaf whose signature value has one bit flipped",
            &bad,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(BadSignature),
    );

    let mut spec = sign_spec(pki, "sm2-zhangsan-sign-empty-distid");
    spec.sig.sm2_distid = "";
    let empty_id = issue(&spec, Some(&ca_a));
    cases.push(
        CaseBuilder::new(
            "sm2-empty-distid",
            "SM2 leaf signed with an empty distinguishing ID (OpenSSL 3.0's default) instead \
             of the standard 1234567812345678",
            &empty_id,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(BadSignature),
    );

    let mut spec = sign_spec(pki, "sm2-zhangsan-sign-expired");
    spec.not_before = date(2025, 7, 1);
    spec.not_after = date(2026, 3, 1);
    let expired = issue(&spec, Some(&ca_a));
    cases.push(
        CaseBuilder::new(
            "sm2-expired",
            "SM2 leaf valid 2025-07-01 to 2026-03-01, validated at 2026-06-01",
            &expired,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(CertExpired),
    );

    let mut spec = sign_spec(pki, "sm2-zhangsan-sign-not-yet-valid");
    spec.not_before = date(2027, 1, 1);
    let future = issue(&spec, Some(&ca_a));
    cases.push(
        CaseBuilder::new(
            "sm2-not-yet-valid",
            "SM2 leaf valid from 2027-01-01, validated at 2026-06-01",
            &future,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(CertNotYetValid),
    );

    // Revocation.
    let root_crl = crl(&root, 1, &[]);
    let root_crl_revoking_ca_a = crl(&root, 2, &[&ca_a]);
    let ca_a_crl_revoking_sign = crl(&ca_a, 1, &[&sign]);
    let ca_a_crl_other = crl(&ca_a, 2, &[&expired]);
    let ca_a_crl_stale = issue_crl(
        &ca_a,
        &CrlSpec {
            number: 3,
            this_update: date(2026, 4, 1),
            next_update: date(2026, 5, 1),
            revoked: Vec::new(),
            sig: SigOpts::default(),
            extensions: Vec::new(),
            entry_issuer: None,
        },
    );
    let ca_a_crl_bad_signature = issue_crl(
        &ca_a,
        &CrlSpec {
            number: 4,
            this_update: date(2026, 5, 1),
            next_update: date(2026, 7, 1),
            revoked: vec![(expired.serial().clone(), date(2026, 3, 1))],
            sig: SigOpts {
                corrupt: true,
                ..SigOpts::default()
            },
            extensions: Vec::new(),
            entry_issuer: None,
        },
    );
    let sign_case = |name, description: &str| {
        CaseBuilder::new(name, description, &sign, &[&ca_a], &[&root]).ku(&["digitalSignature"])
    };
    cases.push(
        sign_case(
            "sm2-revoked",
            "SM2 leaf listed (keyCompromise) on Licensed CA A's SM2-signed CRL; revocation required",
        )
        .revocation(Revocation::Require, &[&root_crl, &ca_a_crl_revoking_sign])
        .expect(CertRevoked),
    );
    cases.push(
        sign_case(
            "sm2-revoked-prefer",
            "SM2 leaf listed on Licensed CA A's CRL; revocation checked where available (prefer)",
        )
        .revocation(Revocation::Prefer, &[&root_crl, &ca_a_crl_revoking_sign])
        .expect(CertRevoked),
    );
    cases.push(
        sign_case(
            "sm2-revoked-revocation-off",
            "SM2 leaf listed on Licensed CA A's CRL, but revocation checking is off",
        )
        .revocation(Revocation::Off, &[&root_crl, &ca_a_crl_revoking_sign])
        .expect(Ok),
    );
    cases.push(
        sign_case(
            "sm2-crl-good",
            "Current CRLs from the root and Licensed CA A, neither listing the chain; \
             revocation required",
        )
        .revocation(Revocation::Require, &[&root_crl, &ca_a_crl_other])
        .expect(Ok),
    );
    cases.push(
        sign_case(
            "sm2-revoked-intermediate",
            "The national root's CRL lists Licensed CA A; revocation required",
        )
        .revocation(
            Revocation::Require,
            &[&root_crl_revoking_ca_a, &ca_a_crl_other],
        )
        .expect(CaRevoked),
    );
    cases.push(
        sign_case("sm2-crl-missing", "Revocation required but no CRL supplied")
            .revocation(Revocation::Require, &[])
            .expect(RevocationUnavailable),
    );
    cases.push(
        sign_case(
            "sm2-crl-missing-prefer",
            "Revocation checked where available (prefer) and no CRL supplied",
        )
        .revocation(Revocation::Prefer, &[])
        .expect(Ok),
    );
    cases.push(
        sign_case(
            "sm2-crl-stale",
            "Licensed CA A's only CRL has nextUpdate 2026-05-01, before the validation time; \
             revocation required",
        )
        .revocation(Revocation::Require, &[&root_crl, &ca_a_crl_stale])
        .expect(RevocationStale),
    );
    cases.push(
        sign_case(
            "sm2-crl-bad-signature",
            "Licensed CA A's only CRL has a corrupted signature (and does not list the leaf); \
             revocation required",
        )
        .revocation(Revocation::Require, &[&root_crl, &ca_a_crl_bad_signature])
        .expect(RevocationUnavailable),
    );

    // Policies.
    let no_policy = issue(
        &pki.leaf_spec(
            "sm2-zhangsan-sign-no-policy",
            ZHANG_SAN,
            sign_key.clone(),
            &[DS, NR],
            &[],
        ),
        Some(&ca_a),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-missing-policy",
            "SM2 leaf without certificatePolicies; CA A's policy asked with explicit policy \
             required",
            &no_policy,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .policies(&[SM2_POLICY_A])
        .require_explicit()
        .expect(PolicyNotSatisfied),
    );
    let li_si_key = pki.key(KeyAlg::Sm2, "sm2-lisi-sign");
    let li_si = issue(
        &pki.leaf_spec(
            "sm2-lisi-sign",
            LI_SI,
            li_si_key,
            &[DS, NR],
            &[SM2_POLICY_B],
        ),
        Some(&ca_b),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-wrong-policy",
            "SM2 leaf under Licensed CA B (policy 1.2.156.999002.1.1); CA A's policy asked \
             with explicit policy required",
            &li_si,
            &[&ca_a, &ca_b],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .policies(&[SM2_POLICY_A])
        .require_explicit()
        .expect(PolicyNotSatisfied),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-policy-mismatch-not-required",
            "SM2 leaf under Licensed CA B; CA A's policy asked but explicit policy NOT \
             required: RFC 5280 6.1.5 succeeds because explicit_policy > 0 even though \
             the valid_policy_tree is NULL",
            &li_si,
            &[&ca_a, &ca_b],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .policies(&[SM2_POLICY_A])
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-ca-b-valid",
            "SM2 leaf under Licensed CA B asked for CA B's policy with explicit policy required",
            &li_si,
            &[&ca_a, &ca_b],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .policies(&[SM2_POLICY_B])
        .require_explicit()
        .expect(Ok),
    );

    // No path.
    let unknown = pki.root(
        "sm2-unknown-ca",
        "CN=Huren Test Unknown CA SM2,O=Huren Test PKI,C=CN",
        KeyAlg::Sm2,
    );
    let wang_wu_key = pki.key(KeyAlg::Sm2, "sm2-wangwu-sign");
    let orphan = issue(
        &pki.leaf_spec(
            "sm2-wangwu-sign",
            "CN=Wang Wu,O=Huren Test Relying Org,C=CN",
            wang_wu_key,
            &[DS, NR],
            &[SM2_POLICY_A],
        ),
        Some(&unknown),
    );
    cases.push(
        CaseBuilder::new(
            "sm2-no-path",
            "SM2 leaf issued by a CA that is neither supplied nor trusted",
            &orphan,
            &[&ca_a],
            &[&root],
        )
        .ku(&["digitalSignature"])
        .expect(NoPathToTrustAnchor),
    );
}

#[allow(clippy::too_many_lines)]
fn web_cases(pki: &mut Pki, cases: &mut Vec<Case>) {
    use Code::*;
    let rsa_root = pki.root("rsa-root", RSA_ROOT, KeyAlg::Rsa2048);
    let rsa_ca = pki.ca(
        "rsa-issuing-ca",
        RSA_CA,
        KeyAlg::Rsa2048,
        &rsa_root,
        Some(0),
        &[WEB_DV],
    );
    let ec_root = pki.root("ecdsa-root", EC_ROOT, KeyAlg::P256);
    let ec_ca = pki.ca(
        "ecdsa-issuing-ca",
        EC_CA,
        KeyAlg::P384,
        &ec_root,
        Some(0),
        &[WEB_DV],
    );

    // RSA server certificates.
    let www_key = pki.key(KeyAlg::Rsa2048, "rsa-www");
    let www = issue(
        &pki.server_spec("rsa-www", "www.example.test", www_key.clone()),
        Some(&rsa_ca),
    );
    let rsa_chain = |name, description: &str, leaf: &Issued| {
        CaseBuilder::new(name, description, leaf, &[&rsa_ca], &[&rsa_root])
    };
    cases.push(
        rsa_chain(
            "rsa-server-valid",
            "RSA-2048 root, RSA issuing CA, TLS server leaf for www.example.test",
            &www,
        )
        .ku(&["digitalSignature"])
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    cases.push(
        rsa_chain(
            "rsa-server-wrong-name",
            "TLS server leaf for www.example.test checked against www.other.test",
            &www,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.other.test")
        .openssl(Some(false))
        .expect(ServerNameMismatch),
    );
    let wildcard_key = pki.key(KeyAlg::Rsa2048, "rsa-wildcard");
    let wildcard = issue(
        &pki.server_spec("rsa-wildcard", "*.example.test", wildcard_key),
        Some(&rsa_ca),
    );
    cases.push(
        rsa_chain(
            "rsa-server-wildcard-valid",
            "Wildcard SAN *.example.test matches a.example.test",
            &wildcard,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("a.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    cases.push(
        rsa_chain(
            "rsa-server-wildcard-too-deep",
            "Wildcard SAN *.example.test does not match a.b.example.test (one label only)",
            &wildcard,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("a.b.example.test")
        .openssl(Some(false))
        .expect(ServerNameMismatch),
    );
    cases.push(
        rsa_chain(
            "rsa-server-wildcard-apex",
            "Wildcard SAN *.example.test does not match the bare example.test",
            &wildcard,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("example.test")
        .openssl(Some(false))
        .expect(ServerNameMismatch),
    );
    let mut spec = pki.server_spec("rsa-www-bad-signature", "www.example.test", www_key.clone());
    spec.sig.corrupt = true;
    let bad = issue(&spec, Some(&rsa_ca));
    cases.push(
        rsa_chain(
            "rsa-bad-signature",
            "RSA leaf whose sha256WithRSAEncryption signature has one bit flipped",
            &bad,
        )
        .openssl(Some(false))
        .expect(BadSignature),
    );
    let rsa_root_crl = crl(&rsa_root, 1, &[]);
    let rsa_ca_crl_revoking = crl(&rsa_ca, 1, &[&www]);
    let rsa_ca_crl_other = crl(&rsa_ca, 2, &[&bad]);
    cases.push(
        rsa_chain(
            "rsa-revoked",
            "RSA leaf listed on the RSA issuing CA's CRL; revocation required",
            &www,
        )
        .revocation(Revocation::Require, &[&rsa_root_crl, &rsa_ca_crl_revoking])
        .openssl(Some(false))
        .expect(CertRevoked),
    );
    cases.push(
        rsa_chain(
            "rsa-crl-good",
            "Current RSA-signed CRLs that do not list the chain; revocation required",
            &www,
        )
        .revocation(Revocation::Require, &[&rsa_root_crl, &rsa_ca_crl_other])
        .openssl(Some(true))
        .expect(Ok),
    );
    let mut spec = pki.ca_spec(
        "rsa-issuing-ca-expired",
        RSA_CA,
        rsa_ca.key.clone(),
        Some(0),
        &[WEB_DV],
    );
    spec.not_after = date(2026, 3, 1);
    let rsa_ca_expired = issue(&spec, Some(&rsa_root));
    cases.push(
        CaseBuilder::new(
            "rsa-intermediate-expired",
            "The only supplied copy of the RSA issuing CA expired on 2026-03-01",
            &www,
            &[&rsa_ca_expired],
            &[&rsa_root],
        )
        .openssl(Some(false))
        .expect(CertExpired),
    );
    cases.push(
        rsa_chain(
            "rsa-valid-at-not-after",
            "Validation time equals the leaf's notAfter (2030-12-31T23:59:59Z); RFC 5280 \
             validity is inclusive (OpenSSL treats the instant as expired)",
            &www,
        )
        .time(leaf_not_after())
        .expect(Ok),
    );
    cases.push(
        rsa_chain(
            "rsa-expired-by-one-second",
            "Validation time one second after the leaf's notAfter",
            &www,
        )
        .time(date(2031, 1, 1))
        .openssl(Some(false))
        .expect(CertExpired),
    );
    cases.push(
        CaseBuilder::new(
            "rsa-missing-intermediate",
            "RSA leaf supplied without its issuing CA",
            &www,
            &[],
            &[&rsa_root],
        )
        .openssl(Some(false))
        .expect(NoPathToTrustAnchor),
    );
    cases.push(
        CaseBuilder::new(
            "rsa-wrong-anchor",
            "RSA chain validated against the ECDSA root only",
            &www,
            &[&rsa_ca],
            &[&ec_root],
        )
        .openssl(Some(false))
        .expect(NoPathToTrustAnchor),
    );

    let null = Null;
    for (critical, name, code, openssl) in [
        (
            true,
            "unknown-critical-extension",
            UnhandledCriticalExtension,
            false,
        ),
        (false, "unknown-noncritical-extension", Ok, true),
    ] {
        let mut spec = pki.server_spec(
            &format!("rsa-www-{name}"),
            "www.example.test",
            www_key.clone(),
        );
        spec.extensions
            .push(ext(UNKNOWN_EXTENSION, critical, &null));
        let leaf = issue(&spec, Some(&rsa_ca));
        let description = format!(
            "RSA leaf carrying a private extension 1.3.6.1.4.1.99999.99.1 marked {}",
            if critical { "critical" } else { "non-critical" }
        );
        cases.push(
            rsa_chain(name, &description, &leaf)
                .openssl(Some(openssl))
                .expect(code),
        );
    }

    // Issuers that may not issue.
    let not_ca = issue(
        &CertSpec {
            id: "not-a-ca".into(),
            subject: "CN=Huren Test Not A CA,O=Huren Test PKI,C=US".into(),
            key: pki.key(KeyAlg::P256, "not-a-ca"),
            not_before: date(2025, 6, 1),
            not_after: date(2040, 1, 1),
            extensions: vec![
                key_usage(&[KeyUsages::KeyCertSign, KeyUsages::CRLSign]),
                certificate_policies(&[WEB_DV]),
            ],
            sig: SigOpts::default(),
        },
        Some(&rsa_root),
    );
    let key = pki.key(KeyAlg::P256, "leaf-under-not-a-ca");
    let leaf = issue(
        &pki.leaf_spec(
            "leaf-under-not-a-ca",
            "CN=Huren Test Leaf Under Not A CA,O=Huren Test PKI,C=US",
            key,
            &[DS],
            &[WEB_DV],
        ),
        Some(&not_ca),
    );
    cases.push(
        CaseBuilder::new(
            "ca-not-ca",
            "Issuer has keyUsage keyCertSign but no basicConstraints extension (so cA is \
             not TRUE)",
            &leaf,
            &[&not_ca],
            &[&rsa_root],
        )
        .openssl(Some(false))
        .expect(BasicConstraintsViolation),
    );

    let ee_key = pki.key(KeyAlg::P256, "end-entity-as-ca");
    let ee = issue(
        &pki.leaf_spec(
            "end-entity-as-ca",
            "CN=Huren Test End Entity,O=Huren Test PKI,C=US",
            ee_key,
            &[DS],
            &[WEB_DV],
        ),
        Some(&rsa_root),
    );
    let key = pki.key(KeyAlg::P256, "leaf-under-end-entity");
    let leaf = issue(
        &pki.leaf_spec(
            "leaf-under-end-entity",
            "CN=Huren Test Leaf Under End Entity,O=Huren Test PKI,C=US",
            key,
            &[DS],
            &[WEB_DV],
        ),
        Some(&ee),
    );
    cases.push(
        CaseBuilder::new(
            "ca-is-end-entity",
            "Issuer is an end-entity certificate (basicConstraints cA=FALSE, keyUsage \
             digitalSignature only); RFC 5280 6.1.4 step (k) fails before step (n)",
            &leaf,
            &[&ee],
            &[&rsa_root],
        )
        .openssl(Some(false))
        .expect(BasicConstraintsViolation),
    );

    let key = pki.key(KeyAlg::P256, "ca-without-keycertsign");
    let mut spec = pki.ca_spec(
        "ca-without-keycertsign",
        "CN=Huren Test CA Without keyCertSign,O=Huren Test PKI,C=US",
        key,
        None,
        &[WEB_DV],
    );
    spec.extensions[1] = key_usage(&[DS, KeyUsages::CRLSign]);
    let no_kcs = issue(&spec, Some(&rsa_root));
    let key = pki.key(KeyAlg::P256, "leaf-under-ca-without-keycertsign");
    let leaf = issue(
        &pki.leaf_spec(
            "leaf-under-ca-without-keycertsign",
            "CN=Huren Test Leaf Under CA Without keyCertSign,O=Huren Test PKI,C=US",
            key,
            &[DS],
            &[WEB_DV],
        ),
        Some(&no_kcs),
    );
    cases.push(
        CaseBuilder::new(
            "ca-missing-keycertsign",
            "Issuer is a CA (basicConstraints cA=TRUE) whose keyUsage lacks keyCertSign",
            &leaf,
            &[&no_kcs],
            &[&rsa_root],
        )
        .openssl(Some(false))
        .expect(KeyUsageNotAllowed),
    );

    // Path length.
    for (path_len, name, code, openssl) in [
        (0u8, "pathlen-exceeded", PathLengthExceeded, false),
        (1u8, "pathlen-ok", Ok, true),
    ] {
        let upper = pki.ca(
            &format!("pathlen{path_len}-ca"),
            &format!("CN=Huren Test PathLen {path_len} CA,O=Huren Test PKI,C=US"),
            KeyAlg::P256,
            &rsa_root,
            Some(path_len),
            &[WEB_DV],
        );
        let lower = pki.ca(
            &format!("pathlen{path_len}-sub-ca"),
            &format!("CN=Huren Test Sub CA Below PathLen {path_len},O=Huren Test PKI,C=US"),
            KeyAlg::P256,
            &upper,
            Some(0),
            &[WEB_DV],
        );
        let key = pki.key(KeyAlg::P256, &format!("pathlen{path_len}-leaf"));
        let leaf = issue(
            &pki.leaf_spec(
                &format!("pathlen{path_len}-leaf"),
                &format!("CN=Huren Test Leaf Below PathLen {path_len},O=Huren Test PKI,C=US"),
                key,
                &[DS],
                &[WEB_DV],
            ),
            Some(&lower),
        );
        let description = format!(
            "RSA root, CA with pathLenConstraint {path_len}, sub-CA, leaf (two CA certificates \
             below the anchor)"
        );
        cases.push(
            CaseBuilder::new(name, &description, &leaf, &[&lower, &upper], &[&rsa_root])
                .openssl(Some(openssl))
                .expect(code),
        );
    }

    // Anchor validity is not part of RFC 5280 path validation.
    let mut spec = pki.root_spec(
        "expired-root",
        "CN=Huren Test Expired Root CA,O=Huren Test PKI,C=US",
        KeyAlg::P256,
    );
    spec.not_before = date(2016, 1, 1);
    spec.not_after = date(2026, 2, 1);
    let expired_root = issue(&spec, None);
    let expired_root_ca = pki.ca(
        "expired-root-issuing-ca",
        "CN=Huren Test Issuing CA Below Expired Root,O=Huren Test PKI,C=US",
        KeyAlg::P256,
        &expired_root,
        Some(0),
        &[WEB_DV],
    );
    let key = pki.key(KeyAlg::P256, "expired-root-www");
    let leaf = issue(
        &pki.server_spec("expired-root-www", "www.example.test", key),
        Some(&expired_root_ca),
    );
    cases.push(
        CaseBuilder::new(
            "anchor-expired",
            "The trust anchor's self-signed certificate expired on 2026-02-01; huren enforces \
             the anchor certificate's validity (RFC 5937), as OpenSSL does",
            &leaf,
            &[&expired_root_ca],
            &[&expired_root],
        )
        .openssl(Some(false))
        .expect(CertExpired),
    );

    // ECDSA.
    let ec_www_key = pki.key(KeyAlg::P256, "ecdsa-www");
    let ec_www = issue(
        &pki.server_spec("ecdsa-www", "www.example.test", ec_www_key.clone()),
        Some(&ec_ca),
    );
    let ec_chain = |name, description: &str, leaf: &Issued| {
        CaseBuilder::new(name, description, leaf, &[&ec_ca], &[&ec_root])
    };
    cases.push(
        ec_chain(
            "ecdsa-server-valid",
            "P-256 root, P-384 issuing CA (ecdsa-with-SHA256), P-256 TLS server leaf \
             (ecdsa-with-SHA384)",
            &ec_www,
        )
        .ku(&["digitalSignature"])
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    let mut spec = pki.leaf_spec(
        "ecdsa-www-no-eku",
        "CN=www.example.test",
        ec_www_key.clone(),
        &[DS],
        &[WEB_DV],
    );
    spec.extensions
        .push(subject_alt_name(vec![dns("www.example.test")]));
    let no_eku = issue(&spec, Some(&ec_ca));
    cases.push(
        ec_chain(
            "ecdsa-server-no-eku",
            "TLS server leaf without extKeyUsage asked for serverAuth (absent EKU does not \
             restrict)",
            &no_eku,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    let client_key = pki.key(KeyAlg::P256, "ecdsa-client");
    let mut spec = pki.leaf_spec(
        "ecdsa-client",
        "CN=client.example.test",
        client_key,
        &[DS],
        &[WEB_DV],
    );
    spec.extensions.push(ext_key_usage(&[ID_KP_CLIENT_AUTH]));
    spec.extensions
        .push(subject_alt_name(vec![dns("client.example.test")]));
    let client = issue(&spec, Some(&ec_ca));
    cases.push(
        ec_chain(
            "ecdsa-eku-mismatch",
            "Leaf with extKeyUsage clientAuth only, asked for serverAuth",
            &client,
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .openssl(Some(false))
        .expect(EkuNotAllowed),
    );
    cases.push(
        ec_chain(
            "ecdsa-client-valid",
            "Leaf with extKeyUsage clientAuth asked for clientAuth",
            &client,
        )
        .eku(&[ID_KP_CLIENT_AUTH])
        .openssl(Some(true))
        .expect(Ok),
    );
    let mut spec = pki.ca_spec(
        "ecdsa-issuing-ca-bad-signature",
        EC_CA,
        ec_ca.key.clone(),
        Some(0),
        &[WEB_DV],
    );
    spec.sig.corrupt = true;
    let ec_ca_bad = issue(&spec, Some(&ec_root));
    cases.push(
        CaseBuilder::new(
            "ecdsa-intermediate-bad-signature",
            "The ECDSA issuing CA certificate's signature has one bit flipped",
            &ec_www,
            &[&ec_ca_bad],
            &[&ec_root],
        )
        .openssl(Some(false))
        .expect(BadSignature),
    );

    name_constraint_cases(pki, cases, &ec_root);
    policy_cases(pki, cases, &ec_root);
    cross_cases(pki, cases);
}

fn name_constraint_cases(pki: &mut Pki, cases: &mut Vec<Case>, root: &Issued) {
    use Code::*;
    let nc_ca = |pki: &mut Pki, id: &str, cn: &str, permitted, excluded| {
        let key = pki.key(KeyAlg::P256, id);
        let mut spec = pki.ca_spec(
            id,
            &format!("CN={cn},O=Huren Test PKI,C=US"),
            key,
            Some(0),
            &[WEB_DV],
        );
        spec.extensions.push(name_constraints(permitted, excluded));
        issue(&spec, Some(root))
    };
    let leaf = |pki: &mut Pki, id: &str, subject: &str, san: Vec<_>, issuer: &Issued| {
        let key = pki.key(KeyAlg::P256, id);
        let mut spec = pki.leaf_spec(id, subject, key, &[DS], &[WEB_DV]);
        if !san.is_empty() {
            spec.extensions.push(subject_alt_name(san));
        }
        issue(&spec, Some(issuer))
    };

    let dns_ca = nc_ca(
        pki,
        "nc-dns-ca",
        "Huren Test NC DNS CA",
        vec![dns("example.test")],
        vec![],
    );
    let ok = leaf(
        pki,
        "nc-dns-www-example",
        "CN=www.example.test",
        vec![dns("www.example.test")],
        &dns_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-permitted-ok",
            "Intermediate permits dNSName example.test; leaf SAN www.example.test",
            &ok,
            &[&dns_ca],
            &[root],
        )
        .dns("www.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    let bad = leaf(
        pki,
        "nc-dns-www-other",
        "CN=www.other.test",
        vec![dns("www.other.test")],
        &dns_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-violation",
            "Intermediate permits dNSName example.test; leaf SAN www.other.test",
            &bad,
            &[&dns_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(NameConstraintsViolation),
    );

    let excl_ca = nc_ca(
        pki,
        "nc-excluded-ca",
        "Huren Test NC Excluded CA",
        vec![],
        vec![dns("bad.example.test")],
    );
    let bad = leaf(
        pki,
        "nc-excluded-www-bad",
        "CN=www.bad.example.test",
        vec![dns("www.bad.example.test")],
        &excl_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-excluded",
            "Intermediate excludes dNSName bad.example.test; leaf SAN www.bad.example.test",
            &bad,
            &[&excl_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(NameConstraintsViolation),
    );
    let ok = leaf(
        pki,
        "nc-excluded-notbad",
        "CN=notbad.example.test",
        vec![dns("notbad.example.test")],
        &excl_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-excluded-label-boundary",
            "Intermediate excludes dNSName bad.example.test; leaf SAN notbad.example.test is \
             outside that subtree (constraints match whole labels)",
            &ok,
            &[&excl_ca],
            &[root],
        )
        .openssl(Some(true))
        .expect(Ok),
    );

    let dir_ca = nc_ca(
        pki,
        "nc-dirname-ca",
        "Huren Test NC DirName CA",
        vec![dir_name("O=Example Org,C=US")],
        vec![],
    );
    let ok = leaf(
        pki,
        "nc-dirname-alice",
        "CN=Alice,O=Example Org,C=US",
        vec![],
        &dir_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-dirname-ok",
            "Intermediate permits directoryName O=Example Org,C=US; leaf subject \
             CN=Alice,O=Example Org,C=US",
            &ok,
            &[&dir_ca],
            &[root],
        )
        .openssl(Some(true))
        .expect(Ok),
    );
    let bad = leaf(
        pki,
        "nc-dirname-mallory",
        "CN=Mallory,O=Other Org,C=US",
        vec![],
        &dir_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-dirname",
            "Intermediate permits directoryName O=Example Org,C=US; leaf subject \
             CN=Mallory,O=Other Org,C=US",
            &bad,
            &[&dir_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(NameConstraintsViolation),
    );

    let ip_ca = nc_ca(
        pki,
        "nc-ip-ca",
        "Huren Test NC IP CA",
        vec![ip(&[192, 0, 2, 0, 255, 255, 255, 0])],
        vec![],
    );
    let ok = leaf(
        pki,
        "nc-ip-inside",
        "CN=Huren Test IP Leaf Inside,O=Huren Test PKI,C=US",
        vec![ip(&[192, 0, 2, 10])],
        &ip_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-ip-ok",
            "Intermediate permits iPAddress 192.0.2.0/24; leaf SAN IP 192.0.2.10, asked for \
             that IP",
            &ok,
            &[&ip_ca],
            &[root],
        )
        .ip("192.0.2.10")
        .openssl(Some(true))
        .expect(Ok),
    );
    let bad = leaf(
        pki,
        "nc-ip-outside",
        "CN=Huren Test IP Leaf Outside,O=Huren Test PKI,C=US",
        vec![ip(&[198, 51, 100, 1])],
        &ip_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-ip",
            "Intermediate permits iPAddress 192.0.2.0/24; leaf SAN IP 198.51.100.1",
            &bad,
            &[&ip_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(NameConstraintsViolation),
    );

    let mail_ca = nc_ca(
        pki,
        "nc-email-ca",
        "Huren Test NC Email CA",
        vec![email("example.test")],
        vec![],
    );
    let ok = leaf(
        pki,
        "nc-email-inside",
        "CN=Alice Example,O=Huren Test PKI,C=US",
        vec![email("alice@example.test")],
        &mail_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-email-ok",
            "Intermediate permits rfc822Name example.test; leaf SAN alice@example.test",
            &ok,
            &[&mail_ca],
            &[root],
        )
        .openssl(Some(true))
        .expect(Ok),
    );
    let bad = leaf(
        pki,
        "nc-email-outside",
        "CN=Alice Other,O=Huren Test PKI,C=US",
        vec![email("alice@other.test")],
        &mail_ca,
    );
    cases.push(
        CaseBuilder::new(
            "name-constraints-email",
            "Intermediate permits rfc822Name example.test; leaf SAN alice@other.test",
            &bad,
            &[&mail_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(NameConstraintsViolation),
    );
}

fn policy_cases(pki: &mut Pki, cases: &mut Vec<Case>, root: &Issued) {
    use Code::*;
    let policy_ca = |pki: &mut Pki, id: &str, cn: &str, policies: &[ObjectIdentifier], extra| {
        let key = pki.key(KeyAlg::P256, id);
        let mut spec = pki.ca_spec(
            id,
            &format!("CN={cn},O=Huren Test PKI,C=US"),
            key,
            Some(0),
            policies,
        );
        spec.extensions.extend(extra);
        issue(&spec, Some(root))
    };
    let leaf = |pki: &mut Pki, id: &str, cn: &str, policies: &[ObjectIdentifier], issuer| {
        let key = pki.key(KeyAlg::P256, id);
        let spec = pki.leaf_spec(
            id,
            &format!("CN={cn},O=Huren Test PKI,C=US"),
            key,
            &[DS],
            policies,
        );
        issue(&spec, Some(issuer))
    };

    let map_ca = policy_ca(
        pki,
        "policy-mapping-ca",
        "Huren Test Policy Mapping CA",
        &[ANY],
        vec![policy_mappings(&[(MAP_ISSUER, MAP_SUBJECT)])],
    );
    let map_leaf = leaf(
        pki,
        "policy-mapping-leaf",
        "Huren Test Policy Mapping Leaf",
        &[MAP_SUBJECT],
        &map_ca,
    );
    let map_case = |name, description: &str| {
        CaseBuilder::new(name, description, &map_leaf, &[&map_ca], &[root]).require_explicit()
    };
    cases.push(
        map_case(
            "policy-mapping",
            "CA asserts anyPolicy and maps 1.3.6.1.4.1.99999.1 to 1.3.6.1.4.1.99999.2; leaf \
             asserts ...2; ...1 asked with explicit policy required",
        )
        .policies(&[MAP_ISSUER])
        .openssl(Some(true))
        .expect(Ok),
    );
    cases.push(
        map_case(
            "policy-mapping-inhibited",
            "As policy-mapping, but the caller inhibits policy mapping",
        )
        .policies(&[MAP_ISSUER])
        .inhibit_mapping()
        .openssl(Some(false))
        .expect(PolicyNotSatisfied),
    );
    cases.push(
        map_case(
            "policy-mapping-subject-domain-asked",
            "As policy-mapping, but the subject-domain policy ...2 is asked: after mapping, \
             the authorities-constrained policy is ...1, so the user-constrained set is empty",
        )
        .policies(&[MAP_SUBJECT])
        .openssl(Some(false))
        .expect(PolicyNotSatisfied),
    );

    let any_ca = policy_ca(
        pki,
        "policy-any-ca",
        "Huren Test AnyPolicy CA",
        &[ANY],
        vec![],
    );
    let any_leaf = leaf(
        pki,
        "policy-any-leaf",
        "Huren Test AnyPolicy Leaf",
        &[POLICY_X],
        &any_ca,
    );
    cases.push(
        CaseBuilder::new(
            "policy-any-valid",
            "CA asserts only anyPolicy; leaf asserts 1.3.6.1.4.1.99999.5, which is asked with \
             explicit policy required",
            &any_leaf,
            &[&any_ca],
            &[root],
        )
        .policies(&[POLICY_X])
        .require_explicit()
        .openssl(Some(true))
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "policy-any-inhibited",
            "As policy-any-valid, but the caller inhibits anyPolicy: the CA's anyPolicy is \
             not processed (inhibit_anyPolicy=0), so the valid_policy_tree becomes NULL",
            &any_leaf,
            &[&any_ca],
            &[root],
        )
        .policies(&[POLICY_X])
        .require_explicit()
        .inhibit_any()
        .openssl(Some(false))
        .expect(PolicyNotSatisfied),
    );

    let pc_ca = policy_ca(
        pki,
        "policy-constraints-ca",
        "Huren Test Policy Constraints CA",
        &[POLICY_PC],
        vec![policy_constraints(Some(0), None)],
    );
    let without = leaf(
        pki,
        "policy-constraints-leaf-without-policies",
        "Huren Test Leaf Without Policies",
        &[],
        &pc_ca,
    );
    cases.push(
        CaseBuilder::new(
            "policy-constraints-require-explicit",
            "CA carries policyConstraints requireExplicitPolicy=0; leaf has no \
             certificatePolicies; the caller asks for nothing",
            &without,
            &[&pc_ca],
            &[root],
        )
        .openssl(Some(false))
        .expect(PolicyNotSatisfied),
    );
    let with = leaf(
        pki,
        "policy-constraints-leaf-with-policy",
        "Huren Test Leaf With Policy",
        &[POLICY_PC],
        &pc_ca,
    );
    cases.push(
        CaseBuilder::new(
            "policy-constraints-satisfied",
            "CA carries policyConstraints requireExplicitPolicy=0; leaf asserts the CA's \
             policy 1.3.6.1.4.1.99999.6",
            &with,
            &[&pc_ca],
            &[root],
        )
        .openssl(Some(true))
        .expect(Ok),
    );
}

fn cross_cases(pki: &mut Pki, cases: &mut Vec<Case>) {
    use Code::*;
    const NEW_ROOT: &str = "CN=Huren Test New Root CA,O=Huren Test PKI,C=US";
    let old_root = pki.root(
        "cross-old-root",
        "CN=Huren Test Old Root CA,O=Huren Test PKI,C=US",
        KeyAlg::Rsa2048,
    );
    let new_root = pki.root("cross-new-root", NEW_ROOT, KeyAlg::P384);
    let cross = issue(
        &pki.ca_spec(
            "cross-new-root-by-old-root",
            NEW_ROOT,
            new_root.key.clone(),
            None,
            &[ANY],
        ),
        Some(&old_root),
    );
    let ica = pki.ca(
        "cross-issuing-ca",
        "CN=Huren Test Cross Issuing CA,O=Huren Test PKI,C=US",
        KeyAlg::P256,
        &new_root,
        Some(0),
        &[WEB_DV],
    );
    let key = pki.key(KeyAlg::P256, "cross-www");
    let leaf = issue(
        &pki.server_spec("cross-www", "www.cross.example.test", key),
        Some(&ica),
    );
    cases.push(
        CaseBuilder::new(
            "cross-certificate",
            "Only the old root is trusted; the intermediates hold the new root cross-certified \
             by the old root and then a decoy self-signed new root, so the path goes \
             leaf -> issuing CA -> cross-certificate -> old root",
            &leaf,
            &[&ica, &cross, &new_root],
            &[&old_root],
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.cross.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "cross-certificate-decoy-first",
            "As cross-certificate, but the decoy self-signed new root comes before the \
             cross-certificate in intermediates.pem; path building must backtrack \
             (OpenSSL 3.0 does not and reports a self-signed certificate in the chain)",
            &leaf,
            &[&ica, &new_root, &cross],
            &[&old_root],
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.cross.example.test")
        .expect(Ok),
    );
    cases.push(
        CaseBuilder::new(
            "cross-certificate-new-anchor",
            "Same chain, but the new root is the trust anchor; the cross-certificate is \
             supplied and unneeded",
            &leaf,
            &[&ica, &cross],
            &[&new_root],
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .dns("www.cross.example.test")
        .openssl(Some(true))
        .expect(Ok),
    );
}

/// Builds every certificate, CRL and case.
pub(crate) fn build() -> Vectors {
    let mut pki = Pki {
        keys: KeyStore::default(),
    };
    let demo = demo(&mut pki);
    let mut cases = Vec::new();
    sm2_cases(&mut pki, &mut cases);
    web_cases(&mut pki, &mut cases);
    crl_feature_cases(&mut pki, &mut cases);
    let mut names: Vec<_> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "duplicate case names");
    Vectors { demo, cases }
}

const CRL_ROOT: &str = "CN=Huren Test CRL Root CA,O=Huren Test PKI,C=US";
const CRL_CA: &str = "CN=Huren Test CRL Issuing CA,O=Huren Test PKI,C=US";
const CRL_SIGNER: &str = "CN=Huren Test Indirect CRL Issuer,O=Huren Test PKI,C=US";
const CRL_DP_A: &str = "http://crl.huren-test.invalid/ca-a.crl";
const CRL_DP_B: &str = "http://crl.huren-test.invalid/ca-b.crl";

/// RFC 5280 §6.3 features: delta CRLs, issuing distribution points, user/CA scope and
/// indirect CRLs, on an ECDSA P-256 hierarchy.
#[allow(clippy::too_many_lines)]
fn crl_feature_cases(pki: &mut Pki, cases: &mut Vec<Case>) {
    use Code::*;
    let root = pki.root("crl-root", CRL_ROOT, KeyAlg::P256);
    let ca = pki.ca(
        "crl-issuing-ca",
        CRL_CA,
        KeyAlg::P256,
        &root,
        None,
        &[WEB_DV],
    );
    // A certificate whose only job is signing CRLs for the issuing CA (indirect CRLs).
    let signer_key = pki.key(KeyAlg::P256, "crl-indirect-signer");
    let mut signer_spec = pki.ca_spec("crl-indirect-signer", CRL_SIGNER, signer_key, None, &[]);
    signer_spec.extensions = vec![
        basic_constraints(false, None, false),
        key_usage(&[KeyUsages::CRLSign]),
    ];
    let signer = issue(&signer_spec, Some(&root));

    let leaf_with = |pki: &mut Pki, id: &str, dp: Extension| {
        let key = pki.key(KeyAlg::P256, id);
        let mut spec = pki.server_spec(id, &format!("{id}.example.test"), key);
        spec.extensions.push(dp);
        issue(&spec, Some(&ca))
    };
    let leaf_a = leaf_with(
        pki,
        "crl-leaf-a",
        crl_distribution_point(Some(uri(CRL_DP_A)), None),
    );
    let leaf_indirect = leaf_with(
        pki,
        "crl-leaf-indirect",
        crl_distribution_point(None, Some(dir_name(CRL_SIGNER))),
    );
    let spec = |number: u32, revoked: &[&Issued], extensions: Vec<Extension>| CrlSpec {
        number,
        this_update: date(2026, 5, 1),
        next_update: date(2026, 7, 1),
        revoked: revoked
            .iter()
            .map(|c| (c.serial().clone(), date(2026, 3, 1)))
            .collect(),
        sig: SigOpts::default(),
        extensions,
        entry_issuer: None,
    };
    let root_crl = issue_crl(&root, &spec(1, &[], Vec::new()));
    let chain = |name, description: &str, leaf: &Issued, crls: &[&Vec<u8>]| {
        CaseBuilder::new(name, description, leaf, &[&ca], &[&root])
            .eku(&[ID_KP_SERVER_AUTH])
            .revocation(Revocation::Require, &[&[&root_crl], crls].concat())
            .openssl(None)
    };

    // Delta CRLs (RFC 5280 §5.2.4, §6.3.3 (c)).
    let base = issue_crl(&ca, &spec(10, &[], Vec::new()));
    let delta = issue_crl(&ca, &spec(11, &[&leaf_a], vec![delta_crl_indicator(10)]));
    cases.push(
        chain(
            "crl-delta-revokes",
            "the complete CRL (number 10) does not list the leaf; a delta CRL on base 10 does",
            &leaf_a,
            &[&base, &delta],
        )
        .expect(CertRevoked),
    );
    let newer_base = issue_crl(&ca, &spec(12, &[], Vec::new()));
    let old_delta = issue_crl(&ca, &spec(13, &[&leaf_a], vec![delta_crl_indicator(14)]));
    cases.push(
        chain(
            "crl-delta-base-mismatch",
            "a delta CRL whose base (14) is newer than the complete CRL (12) is not applied",
            &leaf_a,
            &[&newer_base, &old_delta],
        )
        .expect(Ok),
    );
    cases.push(
        chain(
            "crl-delta-alone",
            "only a delta CRL: it is no complete CRL, so status is unavailable",
            &leaf_a,
            &[&delta],
        )
        .expect(RevocationUnavailable),
    );

    // Issuing distribution points (RFC 5280 §5.2.5, §6.3.3 (b)(2)).
    let idp_a = issue_crl(
        &ca,
        &spec(
            20,
            &[&leaf_a],
            vec![issuing_distribution_point(
                Some(uri(CRL_DP_A)),
                false,
                false,
                false,
            )],
        ),
    );
    cases.push(
        chain(
            "crl-idp-match",
            "the CRL's issuing distribution point names the leaf's distribution point and lists it",
            &leaf_a,
            &[&idp_a],
        )
        .expect(CertRevoked),
    );
    let idp_b = issue_crl(
        &ca,
        &spec(
            21,
            &[&leaf_a],
            vec![issuing_distribution_point(
                Some(uri(CRL_DP_B)),
                false,
                false,
                false,
            )],
        ),
    );
    cases.push(
        chain(
            "crl-idp-mismatch",
            "the CRL covers another distribution point, so it says nothing about the leaf",
            &leaf_a,
            &[&idp_b],
        )
        .expect(RevocationUnavailable),
    );
    let only_ca = issue_crl(
        &ca,
        &spec(
            22,
            &[],
            vec![issuing_distribution_point(None, false, true, false)],
        ),
    );
    cases.push(
        chain(
            "crl-idp-only-ca-certs",
            "a CRL that only covers CA certificates cannot answer for an end entity",
            &leaf_a,
            &[&only_ca],
        )
        .expect(RevocationUnavailable),
    );
    let only_user = issue_crl(
        &ca,
        &spec(
            23,
            &[&leaf_a],
            vec![issuing_distribution_point(
                Some(uri(CRL_DP_A)),
                true,
                false,
                false,
            )],
        ),
    );
    cases.push(
        chain(
            "crl-idp-only-user-certs",
            "a CRL that only covers end-entity certificates lists the leaf",
            &leaf_a,
            &[&only_user],
        )
        .expect(CertRevoked),
    );

    // The CRL signer must be allowed to sign CRLs (RFC 5280 §6.3.3 (f), keyUsage cRLSign).
    let no_crl_sign_key = pki.key(KeyAlg::P256, "crl-ca-no-crlsign");
    let mut no_crl_sign_spec = pki.ca_spec(
        "crl-ca-no-crlsign",
        "CN=Huren Test CA Without cRLSign,O=Huren Test PKI,C=US",
        no_crl_sign_key,
        None,
        &[WEB_DV],
    );
    no_crl_sign_spec.extensions = vec![
        basic_constraints(true, None, true),
        key_usage(&[KeyUsages::KeyCertSign]),
        certificate_policies(&[WEB_DV]),
    ];
    let no_crl_sign = issue(&no_crl_sign_spec, Some(&root));
    let leaf_key = pki.key(KeyAlg::P256, "crl-leaf-no-crlsign");
    let leaf_spec = pki.server_spec(
        "crl-leaf-no-crlsign",
        "crl-leaf-no-crlsign.example.test",
        leaf_key,
    );
    let leaf_no_crl_sign = issue(&leaf_spec, Some(&no_crl_sign));
    let crl_by_no_crl_sign = issue_crl(&no_crl_sign, &spec(40, &[], Vec::new()));
    cases.push(
        CaseBuilder::new(
            "crl-signer-without-crlsign",
            "the issuing CA's keyUsage lacks cRLSign, so its CRL cannot be used and status is unavailable",
            &leaf_no_crl_sign,
            &[&no_crl_sign],
            &[&root],
        )
        .eku(&[ID_KP_SERVER_AUTH])
        .revocation(Revocation::Require, &[&root_crl, &crl_by_no_crl_sign])
        .openssl(None)
        .expect(RevocationUnavailable),
    );

    // Indirect CRLs (RFC 5280 §5.3.3, §6.3.3 (b)(1), (f)).
    let mut indirect_spec = spec(
        30,
        &[&leaf_indirect],
        vec![issuing_distribution_point(None, false, false, true)],
    );
    indirect_spec.entry_issuer = Some(vec![dir_name(CRL_CA)]);
    let indirect = issue_crl(&signer, &indirect_spec);
    let indirect_chain = |name, description: &str, crls: &[&Vec<u8>], extra: &[&Issued]| {
        let intermediates: Vec<&Issued> =
            std::iter::once(&ca).chain(extra.iter().copied()).collect();
        CaseBuilder::new(name, description, &leaf_indirect, &intermediates, &[&root])
            .eku(&[ID_KP_SERVER_AUTH])
            .revocation(Revocation::Require, &[&[&root_crl], crls].concat())
            .openssl(None)
    };
    cases.push(
        indirect_chain(
            "crl-indirect-revokes",
            "an indirect CRL signed by a dedicated CRL issuer (its own path to the root, keyUsage cRLSign) lists the leaf under certificateIssuer",
            &[&indirect],
            &[&signer],
        )
        .expect(CertRevoked),
    );
    cases.push(
        indirect_chain(
            "crl-indirect-signer-unknown",
            "the indirect CRL's signer certificate is not supplied, so the CRL cannot be verified",
            &[&indirect],
            &[],
        )
        .expect(RevocationUnavailable),
    );
    let mut not_indirect_spec = spec(31, &[&leaf_indirect], Vec::new());
    not_indirect_spec.entry_issuer = Some(vec![dir_name(CRL_CA)]);
    let not_indirect = issue_crl(&signer, &not_indirect_spec);
    cases.push(
        indirect_chain(
            "crl-indirect-not-marked",
            "a CRL from another issuer without indirectCRL in its issuing distribution point is out of scope",
            &[&not_indirect],
            &[&signer],
        )
        .expect(RevocationUnavailable),
    );
}
