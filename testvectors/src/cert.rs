//! Certificate and CRL construction.
//!
//! Certificates are assembled with x509-cert's `CertificateBuilder` driven by
//! a profile that returns exactly the extensions we ask for, and a signer
//! shim that only supplies the signature AlgorithmIdentifier: the TBS DER is
//! signed here, so signatures can be corrupted on purpose.

use std::rc::Rc;
use std::str::FromStr;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::{
    ANY_POLICY, ID_CE_AUTHORITY_KEY_IDENTIFIER, ID_CE_BASIC_CONSTRAINTS, ID_CE_CERTIFICATE_ISSUER,
    ID_CE_CERTIFICATE_POLICIES, ID_CE_CRL_DISTRIBUTION_POINTS, ID_CE_CRL_NUMBER, ID_CE_CRL_REASONS,
    ID_CE_DELTA_CRL_INDICATOR, ID_CE_EXT_KEY_USAGE, ID_CE_ISSUING_DISTRIBUTION_POINT,
    ID_CE_KEY_USAGE, ID_CE_NAME_CONSTRAINTS, ID_CE_POLICY_CONSTRAINTS, ID_CE_POLICY_MAPPINGS,
    ID_CE_SUBJECT_ALT_NAME, ID_CE_SUBJECT_KEY_IDENTIFIER,
};
use der::asn1::{BitString, Ia5String, OctetString, Uint};
use der::{DateTime, Encode};
use sha2::{Digest, Sha256};
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
    SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef,
};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::constraints::name::GeneralSubtree;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, CrlNumber, CrlReason,
    ExtendedKeyUsage, KeyUsage, KeyUsages, NameConstraints, PolicyConstraints, PolicyMapping,
    PolicyMappings, SubjectAltName,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::keys::{Key, SigOpts};

/// Midnight UTC on the given day.
pub(crate) fn date(year: u16, month: u8, day: u8) -> DateTime {
    DateTime::new(year, month, day, 0, 0, 0).expect("valid date")
}

/// Parses an RFC 4514 name string (most significant RDN last, as usual).
pub(crate) fn name(s: &str) -> Name {
    Name::from_str(s).unwrap_or_else(|e| panic!("bad name {s:?}: {e}"))
}

/// A serial number derived from the certificate's identifier: 16 octets of
/// SHA-256, positive, with the second-highest bit set so it always takes all
/// 16 octets (128 bits).
pub(crate) fn serial_for(id: &str) -> SerialNumber {
    let digest = Sha256::digest(format!("huren-testvectors/serial/{id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).expect("16-octet serial")
}

/// Wraps an encodable value as an extension.
pub(crate) fn ext<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().expect("extension value encodes"))
            .expect("extension fits"),
    }
}

/// basicConstraints.
pub(crate) fn basic_constraints(ca: bool, path_len: Option<u8>, critical: bool) -> Extension {
    ext(
        ID_CE_BASIC_CONSTRAINTS,
        critical,
        &BasicConstraints {
            ca,
            path_len_constraint: path_len,
        },
    )
}

/// keyUsage, always critical.
pub(crate) fn key_usage(usages: &[KeyUsages]) -> Extension {
    let (first, rest) = usages.split_first().expect("at least one key usage");
    let mut ku = KeyUsage((*first).into());
    for u in rest {
        ku.0 |= *u;
    }
    ext(ID_CE_KEY_USAGE, true, &ku)
}

/// extKeyUsage, non-critical.
pub(crate) fn ext_key_usage(oids: &[ObjectIdentifier]) -> Extension {
    ext(ID_CE_EXT_KEY_USAGE, false, &ExtendedKeyUsage(oids.to_vec()))
}

/// certificatePolicies without qualifiers, non-critical.
pub(crate) fn certificate_policies(oids: &[ObjectIdentifier]) -> Extension {
    let infos = oids
        .iter()
        .map(|oid| PolicyInformation {
            policy_identifier: *oid,
            policy_qualifiers: None,
        })
        .collect();
    ext(
        ID_CE_CERTIFICATE_POLICIES,
        false,
        &CertificatePolicies(infos),
    )
}

/// policyMappings (issuerDomainPolicy, subjectDomainPolicy), critical.
pub(crate) fn policy_mappings(maps: &[(ObjectIdentifier, ObjectIdentifier)]) -> Extension {
    let maps = maps
        .iter()
        .map(|(issuer, subject)| PolicyMapping {
            issuer_domain_policy: *issuer,
            subject_domain_policy: *subject,
        })
        .collect();
    ext(ID_CE_POLICY_MAPPINGS, true, &PolicyMappings(maps))
}

/// policyConstraints, critical.
pub(crate) fn policy_constraints(
    require_explicit_policy: Option<u32>,
    inhibit_policy_mapping: Option<u32>,
) -> Extension {
    ext(
        ID_CE_POLICY_CONSTRAINTS,
        true,
        &PolicyConstraints {
            require_explicit_policy,
            inhibit_policy_mapping,
        },
    )
}

/// A dNSName general name.
pub(crate) fn dns(s: &str) -> GeneralName {
    GeneralName::DnsName(Ia5String::new(s).expect("IA5 DNS name"))
}

/// An rfc822Name general name.
pub(crate) fn email(s: &str) -> GeneralName {
    GeneralName::Rfc822Name(Ia5String::new(s).expect("IA5 mailbox"))
}

/// An iPAddress general name (4 octets, or 8 octets address+mask in name
/// constraints).
pub(crate) fn ip(octets: &[u8]) -> GeneralName {
    GeneralName::IpAddress(OctetString::new(octets).expect("IP octets"))
}

/// A directoryName general name.
pub(crate) fn dir_name(s: &str) -> GeneralName {
    GeneralName::DirectoryName(name(s))
}

/// subjectAltName, non-critical (subjects are never empty here).
pub(crate) fn subject_alt_name(names: Vec<GeneralName>) -> Extension {
    ext(ID_CE_SUBJECT_ALT_NAME, false, &SubjectAltName(names))
}

/// nameConstraints, critical.
pub(crate) fn name_constraints(
    permitted: Vec<GeneralName>,
    excluded: Vec<GeneralName>,
) -> Extension {
    let subtrees = |names: Vec<GeneralName>| {
        (!names.is_empty()).then(|| {
            names
                .into_iter()
                .map(|base| GeneralSubtree {
                    base,
                    minimum: 0,
                    maximum: None,
                })
                .collect()
        })
    };
    ext(
        ID_CE_NAME_CONSTRAINTS,
        true,
        &NameConstraints {
            permitted_subtrees: subtrees(permitted),
            excluded_subtrees: subtrees(excluded),
        },
    )
}

/// The anyPolicy OID.
pub(crate) const ANY: ObjectIdentifier = ANY_POLICY;

/// What to put into one certificate.
#[derive(Debug, Clone)]
pub(crate) struct CertSpec {
    /// Unique identifier of this certificate (the serial number is derived
    /// from it).
    pub id: String,
    /// Subject as an RFC 4514 string.
    pub subject: String,
    /// Subject key.
    pub key: Rc<Key>,
    /// notBefore.
    pub not_before: DateTime,
    /// notAfter.
    pub not_after: DateTime,
    /// Extensions other than subjectKeyIdentifier/authorityKeyIdentifier.
    pub extensions: Vec<Extension>,
    /// How the issuer signs this certificate.
    pub sig: SigOpts,
}

/// A signed certificate together with its key.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    /// The parsed certificate.
    pub cert: Certificate,
    /// Its DER encoding.
    pub der: Vec<u8>,
    /// Its subject key.
    pub key: Rc<Key>,
}

impl Issued {
    /// The certificate's subject.
    pub fn subject(&self) -> &Name {
        self.cert.tbs_certificate().subject()
    }

    /// The certificate's serial number.
    pub fn serial(&self) -> &SerialNumber {
        self.cert.tbs_certificate().serial_number()
    }
}

/// Builder profile returning a fixed subject, issuer and extension list.
struct FixedProfile {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for FixedProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// A public key for the signer shim.
#[derive(Clone)]
struct SpkiKey(SubjectPublicKeyInfoOwned);

impl EncodePublicKey for SpkiKey {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::encode_msg(&self.0)?)
    }
}

/// Stands in for a signer: supplies the AlgorithmIdentifier and issuer key;
/// the signature itself is computed by [`Key::sign`].
struct SignerShim {
    alg: AlgorithmIdentifierOwned,
    spki: SubjectPublicKeyInfoOwned,
}

impl signature::Keypair for SignerShim {
    type VerifyingKey = SpkiKey;

    fn verifying_key(&self) -> SpkiKey {
        SpkiKey(self.spki.clone())
    }
}

impl DynSignatureAlgorithmIdentifier for SignerShim {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.alg.clone())
    }
}

/// Issues the certificate described by `spec`, signed by `issuer`
/// (self-signed when `None`). Adds subjectKeyIdentifier and, unless
/// self-signed, authorityKeyIdentifier keyIdentifier.
pub(crate) fn issue(spec: &CertSpec, issuer: Option<&Issued>) -> Issued {
    let subject = name(&spec.subject);
    let (issuer_name, issuer_key) = match issuer {
        Some(i) => (i.subject().clone(), i.key.clone()),
        None => (subject.clone(), spec.key.clone()),
    };
    let mut extensions = spec.extensions.clone();
    extensions.push(ext(
        ID_CE_SUBJECT_KEY_IDENTIFIER,
        false,
        &OctetString::new(spec.key.key_id()).expect("key id"),
    ));
    if issuer.is_some() {
        extensions.push(ext(
            ID_CE_AUTHORITY_KEY_IDENTIFIER,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(issuer_key.key_id()).expect("key id")),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        ));
    }
    let profile = FixedProfile {
        subject,
        issuer: issuer_name,
        extensions,
    };
    let validity = Validity::new(Time::from(spec.not_before), Time::from(spec.not_after));
    let mut builder = CertificateBuilder::new(
        profile,
        serial_for(&spec.id),
        validity,
        spec.key.spki().clone(),
    )
    .expect("certificate builder");
    let shim = SignerShim {
        alg: issuer_key.signature_algorithm(spec.sig),
        spki: issuer_key.spki().clone(),
    };
    let tbs = builder.finalize(&shim).expect("TBSCertificate encodes");
    let sig = issuer_key.sign(&tbs, spec.sig);
    let cert = builder
        .assemble(BitString::from_bytes(&sig).expect("bit string"), &shim)
        .expect("certificate assembles");
    assert_eq!(cert.tbs_certificate().version(), Version::V3);
    let der = cert.to_der().expect("certificate encodes");
    Issued {
        cert,
        der,
        key: spec.key.clone(),
    }
}

/// What to put into one CRL.
#[derive(Debug, Clone)]
pub(crate) struct CrlSpec {
    /// cRLNumber.
    pub number: u32,
    /// thisUpdate.
    pub this_update: DateTime,
    /// nextUpdate.
    pub next_update: DateTime,
    /// Revoked serial numbers, each with revocationDate and reasonCode
    /// keyCompromise.
    pub revoked: Vec<(SerialNumber, DateTime)>,
    /// How the CRL is signed.
    pub sig: SigOpts,
    /// Further CRL extensions (issuingDistributionPoint, deltaCRLIndicator, …).
    pub extensions: Vec<Extension>,
    /// certificateIssuer on the first revoked entry (indirect CRLs; later entries inherit it).
    pub entry_issuer: Option<Vec<GeneralName>>,
}

/// Issues a v2 CRL signed by `issuer`, with authorityKeyIdentifier and
/// cRLNumber extensions.
pub(crate) fn issue_crl(issuer: &Issued, spec: &CrlSpec) -> Vec<u8> {
    let revoked: Vec<RevokedCert> = spec
        .revoked
        .iter()
        .enumerate()
        .map(|(i, (serial, when))| {
            let mut exts = vec![ext(ID_CE_CRL_REASONS, false, &CrlReason::KeyCompromise)];
            if let (0, Some(names)) = (i, &spec.entry_issuer) {
                exts.push(ext(ID_CE_CERTIFICATE_ISSUER, true, names));
            }
            RevokedCert {
                serial_number: serial.clone(),
                revocation_date: Time::from(*when),
                crl_entry_extensions: Some(exts),
            }
        })
        .collect();
    let number = spec.number.to_be_bytes();
    let tbs = TbsCertList {
        version: Version::V2,
        signature: issuer.key.signature_algorithm(spec.sig),
        issuer: issuer.subject().clone(),
        this_update: Time::from(spec.this_update),
        next_update: Some(Time::from(spec.next_update)),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(
            vec![
                ext(
                    ID_CE_AUTHORITY_KEY_IDENTIFIER,
                    false,
                    &AuthorityKeyIdentifier {
                        key_identifier: Some(
                            OctetString::new(issuer.key.key_id()).expect("key id"),
                        ),
                        authority_cert_issuer: None,
                        authority_cert_serial_number: None,
                    },
                ),
                ext(
                    ID_CE_CRL_NUMBER,
                    false,
                    &CrlNumber(Uint::new(&number).expect("CRL number")),
                ),
            ]
            .into_iter()
            .chain(spec.extensions.iter().cloned())
            .collect(),
        ),
    };
    let tbs_der = tbs.to_der().expect("TBSCertList encodes");
    let sig = issuer.key.sign(&tbs_der, spec.sig);
    let crl = CertificateList {
        signature_algorithm: tbs.signature.clone(),
        tbs_cert_list: tbs,
        signature: BitString::from_bytes(&sig).expect("bit string"),
    };
    crl.to_der().expect("CRL encodes")
}

/// A URI general name.
pub(crate) fn uri(s: &str) -> GeneralName {
    GeneralName::UniformResourceIdentifier(Ia5String::new(s).expect("IA5 URI"))
}

/// cRLDistributionPoints with one point: a full name and/or a cRLIssuer.
pub(crate) fn crl_distribution_point(
    full_name: Option<GeneralName>,
    crl_issuer: Option<GeneralName>,
) -> Extension {
    use x509_cert::ext::pkix::crl::CrlDistributionPoints;
    use x509_cert::ext::pkix::crl::dp::DistributionPoint;
    use x509_cert::ext::pkix::name::DistributionPointName;
    ext(
        ID_CE_CRL_DISTRIBUTION_POINTS,
        false,
        &CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: full_name.map(|n| DistributionPointName::FullName(vec![n])),
            reasons: None,
            crl_issuer: crl_issuer.map(|n| vec![n]),
        }]),
    )
}

/// issuingDistributionPoint (critical).
pub(crate) fn issuing_distribution_point(
    full_name: Option<GeneralName>,
    only_user: bool,
    only_ca: bool,
    indirect: bool,
) -> Extension {
    use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
    use x509_cert::ext::pkix::name::DistributionPointName;
    ext(
        ID_CE_ISSUING_DISTRIBUTION_POINT,
        true,
        &IssuingDistributionPoint {
            distribution_point: full_name.map(|n| DistributionPointName::FullName(vec![n])),
            only_contains_user_certs: only_user,
            only_contains_ca_certs: only_ca,
            only_some_reasons: None,
            indirect_crl: indirect,
            only_contains_attribute_certs: false,
        },
    )
}

/// deltaCRLIndicator (critical) naming the base CRL number.
pub(crate) fn delta_crl_indicator(base: u32) -> Extension {
    use x509_cert::ext::pkix::crl::BaseCrlNumber;
    ext(
        ID_CE_DELTA_CRL_INDICATOR,
        true,
        &BaseCrlNumber(Uint::new(&base.to_be_bytes()).expect("base CRL number")),
    )
}

/// PEM-encodes `der` with `label`, LF line endings.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).expect("PEM encodes")
}
