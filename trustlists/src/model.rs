//! The typed model of an ETSI TS 119 612 trust list (v5 and v6), with MIIT's extensions.
//!
//! Everything a list says in a URI (service status, service type, qualifier) is parsed once
//! into an enum that keeps an unknown URI as `Unknown(String)`: genuine lists contain typos
//! and newer values, which are kept and reported, never rejected, and **never count as
//! granted**.
//!
//! MIIT's own information (licences, approvals of foreign CAs, dishonesty-list restrictions,
//! filed policies and CPS, successors) is carried in the extension points TS 119 612 offers,
//! in the namespace [`crate::xml::ns::HUREN`] (`urn:huren:tsl:miit:1`, prefix `miit:` when
//! written):
//!
//! * on a service (current information and each history instance), one
//!   `ServiceInformationExtensions/Extension` per element: `miit:Licence`, `miit:Approval`,
//!   `miit:Restriction` (one per period), `miit:CertificatePolicies`, `miit:CPS`,
//!   `miit:Successor` (see [`MiitServiceExtension`]);
//! * on a pointer to an approved foreign list, `AdditionalInformation/OtherInformation/
//!   miit:Approval` (TS 119 612 §5.3.13 admits any element there).
//!
//! Our extensions are written with `Critical="false"`. TS 119 612 §5.5.9 says a relying party
//! that does not understand a *critical* extension must not use the service; marking ours
//! critical would make every foreign reader drop every MIIT service, whereas the list is
//! meant to be readable abroad (the licensed and approved CAs are public information,
//! Art. 13 and 49). Our own reader understands and **applies** them regardless of the flag:
//! an anchor counts only while its licence or approval is in force and no restriction
//! covers the time in question.

use huren_validator::Oid;

/// A URI, as text (TS 119 612 URIs are compared as strings).
pub type Uri = String;

/// TS 119 612 service status URIs start with this.
pub const STATUS_PREFIX: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/";
/// TS 119 612 service type URIs start with this.
pub const SERVICE_TYPE_PREFIX: &str = "http://uri.etsi.org/TrstSvc/Svctype/";
/// Qualifier URIs (TS 119 612 §5.5.9.2.3) start with this.
pub const QUALIFIER_PREFIX: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";
/// MIIT's own status URIs (for what ETSI has no value for) start with this.
pub const MIIT_STATUS_PREFIX: &str = "urn:huren:tsl:miit:1:status:";
/// The status URI of a suspended MIIT service (Art. 5, 34: MIIT may suspend a licence).
pub const MIIT_STATUS_SUSPENDED: &str = "urn:huren:tsl:miit:1:status:suspended";
/// The `TSLTag` attribute value of TS 119 612 lists.
pub const TSL_TAG: &str = "http://uri.etsi.org/19612/TSLTag";

/// Text in several languages: `(language tag, text)` pairs in document order. The same
/// language may occur more than once (genuine lists do this for trade names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiLang(pub Vec<(String, String)>);

impl MultiLang {
    /// An empty value.
    pub fn new() -> Self {
        MultiLang(Vec::new())
    }

    /// One text in one language.
    pub fn single(lang: impl Into<String>, text: impl Into<String>) -> Self {
        MultiLang(vec![(lang.into(), text.into())])
    }

    /// Adds a text (builder style).
    pub fn with(mut self, lang: impl Into<String>, text: impl Into<String>) -> Self {
        self.0.push((lang.into(), text.into()));
        self
    }

    /// The text in `lang` (compared case-insensitively), else in English, else the first
    /// one; `None` only when empty.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let find = |l: &str| {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(l))
                .map(|(_, v)| v.as_str())
        };
        find(lang)
            .or_else(|| find("en"))
            .or_else(|| self.0.first().map(|(_, v)| v.as_str()))
    }

    /// Whether there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The texts, in document order, without their languages.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, v)| v.as_str())
    }
}

/// A postal address (TS 119 612 §5.3.5.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostalAddress {
    /// Language of the address.
    pub lang: String,
    /// Street and number.
    pub street: String,
    /// City.
    pub locality: String,
    /// State or province, if given.
    pub state: Option<String>,
    /// Postal code, if given.
    pub postal_code: Option<String>,
    /// ISO 3166 country code.
    pub country: String,
}

/// An address: postal addresses and electronic addresses (`mailto:`, `https:` URIs with
/// their languages) (TS 119 612 §5.3.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// Postal addresses, one per language.
    pub postal: Vec<PostalAddress>,
    /// Electronic addresses.
    pub electronic: MultiLang,
}

/// `PolicyOrLegalNotice` (TS 119 612 §5.3.11): either policy URIs or legal-notice texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyOrLegalNotice {
    /// `TSLPolicy` URIs, with their languages.
    Policy(MultiLang),
    /// `TSLLegalNotice` texts, with their languages.
    LegalNotice(MultiLang),
}

/// A trust list (`TrustServiceStatusList`), without its signature.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrustList {
    /// The `Id` attribute of the document element, if any.
    pub id: Option<String>,
    /// `TSLVersionIdentifier`: 5 (TS 119 612 v2.1/v2.2) or 6 (v2.3 onwards).
    pub version: u32,
    /// `TSLSequenceNumber`: strictly increasing from one issue to the next.
    pub sequence: u64,
    /// `TSLType`.
    pub tsl_type: Uri,
    /// `SchemeOperatorName`.
    pub operator: MultiLang,
    /// `SchemeOperatorAddress`.
    pub operator_address: Address,
    /// `SchemeName`.
    pub scheme_name: MultiLang,
    /// `SchemeInformationURI` (the EU LOTL lists its pivots here).
    pub information_uris: MultiLang,
    /// `StatusDeterminationApproach`.
    pub status_determination: Uri,
    /// `SchemeTypeCommunityRules` URIs.
    pub community_rules: MultiLang,
    /// `SchemeTerritory` (ISO 3166 code, `EU` for the LOTL).
    pub scheme_territory: Option<String>,
    /// `PolicyOrLegalNotice`.
    pub policy_or_legal_notice: Option<PolicyOrLegalNotice>,
    /// `HistoricalInformationPeriod`, in days (65535: kept forever).
    pub historical_period: Option<u32>,
    /// `PointersToOtherTSL`.
    pub pointers: Vec<Pointer>,
    /// `ListIssueDateTime`, Unix seconds.
    pub issued: i64,
    /// `NextUpdate`, Unix seconds; `None` for a closed list (`<NextUpdate/>`, §5.3.15).
    pub next_update: Option<i64>,
    /// `DistributionPoints` URIs.
    pub distribution_points: Vec<String>,
    /// `TrustServiceProviderList`.
    pub providers: Vec<Provider>,
}

impl TrustList {
    /// Every service of every provider, with its provider.
    pub fn services(&self) -> impl Iterator<Item = (&Provider, &Service)> {
        self.providers
            .iter()
            .flat_map(|p| p.services.iter().map(move |s| (p, s)))
    }

    /// The pointers whose `SchemeTerritory` is `territory` (case-insensitive).
    pub fn pointers_for<'a>(&'a self, territory: &'a str) -> impl Iterator<Item = &'a Pointer> {
        self.pointers.iter().filter(move |p| {
            p.territory
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(territory))
        })
    }
}

/// A pointer to another list (`OtherTSLPointer`, TS 119 612 §5.3.13): where it is and which
/// certificates may sign it (the pinned signers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pointer {
    /// `TSLLocation`.
    pub location: String,
    /// DER certificates from `ServiceDigitalIdentities/…/DigitalId/X509Certificate`: the
    /// certificates allowed to sign the list pointed to.
    pub signers: Vec<Vec<u8>>,
    /// `AdditionalInformation`: `TSLType`.
    pub tsl_type: Option<Uri>,
    /// `AdditionalInformation`: `SchemeTerritory`.
    pub territory: Option<String>,
    /// `AdditionalInformation`: `tslx:MimeType`.
    pub mime_type: Option<String>,
    /// `AdditionalInformation`: `SchemeOperatorName`.
    pub operator: MultiLang,
    /// `AdditionalInformation`: `SchemeTypeCommunityRules` URIs.
    pub community_rules: MultiLang,
    /// MIIT's approval of the foreign scheme pointed to (Art. 47–49): the scope within
    /// which its anchors are accepted (`miit:Approval` in `OtherInformation`).
    pub approval: Option<Approval>,
}

/// A trust service provider (`TrustServiceProvider`, TS 119 612 §5.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Provider {
    /// `TSPName`.
    pub name: MultiLang,
    /// `TSPTradeName`.
    pub trade_names: MultiLang,
    /// `TSPAddress`.
    pub address: Address,
    /// `TSPInformationURI`.
    pub information_uris: MultiLang,
    /// `TSPServices`.
    pub services: Vec<Service>,
}

/// A service's digital identity (`DigitalId`, TS 119 612 §5.5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DigitalIdentity {
    /// `X509Certificate`: DER.
    Certificate(Vec<u8>),
    /// `X509SubjectName`: the subject as text (RFC 4514-like, as written).
    SubjectName(String),
    /// `X509SKI`: the subject key identifier bytes.
    Ski(Vec<u8>),
    /// `ds:KeyValue`: the element's XML as written in the source document.
    KeyValue(String),
    /// `Other`: its text content.
    Other(String),
}

/// A service status (TS 119 612 §5.5.4), parsed once from its URI.
///
/// Which statuses are *granted-like* — a service in that status is approved, so an anchor
/// it carries may be used ([`ServiceStatus::is_granted_like`]):
///
/// | Status | Granted-like | Source |
/// | --- | --- | --- |
/// | `granted` | yes | TS 119 612 v2 §5.5.4 (EU qualified) |
/// | `withdrawn` | no | v2 §5.5.4 |
/// | `recognisedatnationallevel` | yes | v2 §5.5.4 (non-qualified, national) |
/// | `deprecatedatnationallevel` | no | v2 §5.5.4 |
/// | `setbynationallaw` | yes | v2 §5.5.4 (non-EU schemes) |
/// | `deprecatedbynationallaw` | no | v2 §5.5.4 |
/// | `undersupervision` | yes | v1 §5.5.4 (before 1 July 2016) |
/// | `supervisionincessation` | yes | v1 §5.5.4: still supervised while ceasing |
/// | `supervisionceased`, `supervisionrevoked` | no | v1 §5.5.4 |
/// | `accredited` | yes | v1 §5.5.4 |
/// | `accreditationceased`, `accreditationrevoked` | no | v1 §5.5.4 |
/// | MIIT `suspended` | no | ours: licence suspended (Art. 5, 34) |
/// | anything else | **no** | kept as [`ServiceStatus::Unknown`] |
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceStatus {
    /// `granted`.
    Granted,
    /// `withdrawn`.
    Withdrawn,
    /// `recognisedatnationallevel`.
    RecognisedAtNationalLevel,
    /// `deprecatedatnationallevel`.
    DeprecatedAtNationalLevel,
    /// `setbynationallaw`.
    SetByNationalLaw,
    /// `deprecatedbynationallaw`.
    DeprecatedByNationalLaw,
    /// `undersupervision` (pre-2016).
    UnderSupervision,
    /// `supervisionincessation` (pre-2016).
    SupervisionInCessation,
    /// `supervisionceased` (pre-2016).
    SupervisionCeased,
    /// `supervisionrevoked` (pre-2016).
    SupervisionRevoked,
    /// `accredited` (pre-2016).
    Accredited,
    /// `accreditationceased` (pre-2016).
    AccreditationCeased,
    /// `accreditationrevoked` (pre-2016).
    AccreditationRevoked,
    /// MIIT: the licence (or approval) is suspended ([`MIIT_STATUS_SUSPENDED`]).
    Suspended,
    /// Any other URI, kept as written. Never granted.
    Unknown(String),
}

const STATUSES: &[(ServiceStatus, &str)] = &[
    (ServiceStatus::Granted, "granted"),
    (ServiceStatus::Withdrawn, "withdrawn"),
    (
        ServiceStatus::RecognisedAtNationalLevel,
        "recognisedatnationallevel",
    ),
    (
        ServiceStatus::DeprecatedAtNationalLevel,
        "deprecatedatnationallevel",
    ),
    (ServiceStatus::SetByNationalLaw, "setbynationallaw"),
    (
        ServiceStatus::DeprecatedByNationalLaw,
        "deprecatedbynationallaw",
    ),
    (ServiceStatus::UnderSupervision, "undersupervision"),
    (
        ServiceStatus::SupervisionInCessation,
        "supervisionincessation",
    ),
    (ServiceStatus::SupervisionCeased, "supervisionceased"),
    (ServiceStatus::SupervisionRevoked, "supervisionrevoked"),
    (ServiceStatus::Accredited, "accredited"),
    (ServiceStatus::AccreditationCeased, "accreditationceased"),
    (ServiceStatus::AccreditationRevoked, "accreditationrevoked"),
];

impl Default for ServiceStatus {
    /// An empty unknown status (never granted).
    fn default() -> Self {
        ServiceStatus::Unknown(String::new())
    }
}

impl ServiceStatus {
    /// Parses a status URI; anything not recognised is kept as [`ServiceStatus::Unknown`].
    pub fn from_uri(uri: &str) -> Self {
        if uri == MIIT_STATUS_SUSPENDED {
            return ServiceStatus::Suspended;
        }
        uri.strip_prefix(STATUS_PREFIX)
            .and_then(|tail| STATUSES.iter().find(|(_, t)| *t == tail))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| ServiceStatus::Unknown(uri.to_string()))
    }

    /// The URI of this status.
    pub fn uri(&self) -> String {
        match self {
            ServiceStatus::Suspended => MIIT_STATUS_SUSPENDED.to_string(),
            ServiceStatus::Unknown(u) => u.clone(),
            s => format!("{STATUS_PREFIX}{}", s.label()),
        }
    }

    /// A short label: the last segment of the ETSI URI (`granted`, `withdrawn`, …),
    /// `suspended` for MIIT's, and the whole URI for an unknown status.
    pub fn label(&self) -> &str {
        match self {
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Unknown(u) => u,
            s => STATUSES
                .iter()
                .find(|(k, _)| k == s)
                .map(|(_, t)| *t)
                .unwrap_or("unknown"),
        }
    }

    /// Whether a service in this status is approved (see the table on [`ServiceStatus`]).
    /// An unknown status never is.
    pub fn is_granted_like(&self) -> bool {
        matches!(
            self,
            ServiceStatus::Granted
                | ServiceStatus::UnderSupervision
                | ServiceStatus::Accredited
                | ServiceStatus::SupervisionInCessation
                | ServiceStatus::SetByNationalLaw
                | ServiceStatus::RecognisedAtNationalLevel
        )
    }

    /// Whether the URI was not recognised.
    pub fn is_unknown(&self) -> bool {
        matches!(self, ServiceStatus::Unknown(_))
    }
}

/// A service type (TS 119 612 §5.5.1), parsed once from its URI.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceType {
    /// `CA/QC`: issues qualified certificates.
    CaQc,
    /// `CA/PKC`: issues public-key certificates.
    CaPkc,
    /// `NationalRootCA-QC`.
    NationalRootCaQc,
    /// `Certstatus/OCSP`.
    Ocsp,
    /// `Certstatus/OCSP/QC`.
    OcspQc,
    /// `Certstatus/CRL`.
    Crl,
    /// `Certstatus/CRL/QC`.
    CrlQc,
    /// `TSA`.
    Tsa,
    /// `TSA/QTST`.
    TsaQtst,
    /// `TSA/TSS-QC`.
    TsaTssQc,
    /// `TSA/TSS-AdESQCandQES`.
    TsaTssAdesQcAndQes,
    /// `EDS/Q`.
    EdsQ,
    /// `EDS/REM/Q`.
    EdsRemQ,
    /// `PSES/Q`.
    PsesQ,
    /// `QESValidation/Q`.
    QesValidationQ,
    /// `RemoteQSigCDManagement/Q`.
    RemoteQSigCdManagementQ,
    /// `RemoteQSealCDManagement/Q`.
    RemoteQSealCdManagementQ,
    /// `EAA/Q`.
    EaaQ,
    /// `unspecified`.
    Unspecified,
    /// `ACA` (attribute certificates).
    Aca,
    /// `SignaturePolicyAuthority`.
    SignaturePolicyAuthority,
    /// `Archiv`.
    Archiv,
    /// `IdV`.
    IdV,
    /// `KEscrow`.
    KEscrow,
    /// `PPwd`.
    PPwd,
    /// `TLIssuer`.
    TlIssuer,
    /// `RA`.
    Ra,
    /// `RA/nothavingPKIid`.
    RaNotHavingPkiId,
    /// `IdV/nothavingPKIid`.
    IdVNotHavingPkiId,
    /// `Archiv/nothavingPKIid`.
    ArchivNotHavingPkiId,
    /// `EDS/REM`.
    EdsRem,
    /// `PSES`.
    Pses,
    /// `AdESValidation`.
    AdesValidation,
    /// `AdESGeneration`.
    AdesGeneration,
    /// Any other URI, kept as written.
    Unknown(String),
}

const SERVICE_TYPES: &[(ServiceType, &str)] = &[
    (ServiceType::CaQc, "CA/QC"),
    (ServiceType::CaPkc, "CA/PKC"),
    (ServiceType::NationalRootCaQc, "NationalRootCA-QC"),
    (ServiceType::Ocsp, "Certstatus/OCSP"),
    (ServiceType::OcspQc, "Certstatus/OCSP/QC"),
    (ServiceType::Crl, "Certstatus/CRL"),
    (ServiceType::CrlQc, "Certstatus/CRL/QC"),
    (ServiceType::Tsa, "TSA"),
    (ServiceType::TsaQtst, "TSA/QTST"),
    (ServiceType::TsaTssQc, "TSA/TSS-QC"),
    (ServiceType::TsaTssAdesQcAndQes, "TSA/TSS-AdESQCandQES"),
    (ServiceType::EdsQ, "EDS/Q"),
    (ServiceType::EdsRemQ, "EDS/REM/Q"),
    (ServiceType::PsesQ, "PSES/Q"),
    (ServiceType::QesValidationQ, "QESValidation/Q"),
    (
        ServiceType::RemoteQSigCdManagementQ,
        "RemoteQSigCDManagement/Q",
    ),
    (
        ServiceType::RemoteQSealCdManagementQ,
        "RemoteQSealCDManagement/Q",
    ),
    (ServiceType::EaaQ, "EAA/Q"),
    (ServiceType::Unspecified, "unspecified"),
    (ServiceType::Aca, "ACA"),
    (
        ServiceType::SignaturePolicyAuthority,
        "SignaturePolicyAuthority",
    ),
    (ServiceType::Archiv, "Archiv"),
    (ServiceType::IdV, "IdV"),
    (ServiceType::KEscrow, "KEscrow"),
    (ServiceType::PPwd, "PPwd"),
    (ServiceType::TlIssuer, "TLIssuer"),
    (ServiceType::Ra, "RA"),
    (ServiceType::RaNotHavingPkiId, "RA/nothavingPKIid"),
    (ServiceType::IdVNotHavingPkiId, "IdV/nothavingPKIid"),
    (ServiceType::ArchivNotHavingPkiId, "Archiv/nothavingPKIid"),
    (ServiceType::EdsRem, "EDS/REM"),
    (ServiceType::Pses, "PSES"),
    (ServiceType::AdesValidation, "AdESValidation"),
    (ServiceType::AdesGeneration, "AdESGeneration"),
];

impl Default for ServiceType {
    /// An empty unknown type.
    fn default() -> Self {
        ServiceType::Unknown(String::new())
    }
}

impl ServiceType {
    /// Parses a service type URI; anything not recognised is kept as
    /// [`ServiceType::Unknown`].
    pub fn from_uri(uri: &str) -> Self {
        uri.strip_prefix(SERVICE_TYPE_PREFIX)
            .and_then(|tail| SERVICE_TYPES.iter().find(|(_, t)| *t == tail))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| ServiceType::Unknown(uri.to_string()))
    }

    /// The URI of this type.
    pub fn uri(&self) -> String {
        match self {
            ServiceType::Unknown(u) => u.clone(),
            s => format!("{SERVICE_TYPE_PREFIX}{}", s.label()),
        }
    }

    /// A short label: the part of the URI after `…/Svctype/` (`CA/QC`, `TSA/QTST`, …), or
    /// the whole URI when unknown.
    pub fn label(&self) -> &str {
        match self {
            ServiceType::Unknown(u) => u,
            s => SERVICE_TYPES
                .iter()
                .find(|(k, _)| k == s)
                .map(|(_, t)| *t)
                .unwrap_or("unknown"),
        }
    }

    /// Whether the service issues certificates (`CA/QC`, `CA/PKC`, `NationalRootCA-QC`):
    /// the services whose identities are trust anchors.
    pub fn is_ca(&self) -> bool {
        matches!(
            self,
            ServiceType::CaQc | ServiceType::CaPkc | ServiceType::NationalRootCaQc
        )
    }
}

/// A qualifier of the EU qualifications extension (TS 119 612 §5.5.9.2.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Qualifier {
    /// `QCWithSSCD`.
    QcWithSscd,
    /// `QCNoSSCD`.
    QcNoSscd,
    /// `QCSSCDStatusAsInCert`.
    QcSscdStatusAsInCert,
    /// `QCWithQSCD`.
    QcWithQscd,
    /// `QCNoQSCD`.
    QcNoQscd,
    /// `QCQSCDStatusAsInCert`.
    QcQscdStatusAsInCert,
    /// `QCQSCDManagedOnBehalf`.
    QcQscdManagedOnBehalf,
    /// `QCForLegalPerson`.
    QcForLegalPerson,
    /// `QCForESig`.
    QcForESig,
    /// `QCForESeal`.
    QcForESeal,
    /// `QCForWSA`.
    QcForWsa,
    /// `NotQualified`.
    NotQualified,
    /// `QCStatement`.
    QcStatement,
    /// Any other URI, kept as written.
    Unknown(String),
}

const QUALIFIERS: &[(Qualifier, &str)] = &[
    (Qualifier::QcWithSscd, "QCWithSSCD"),
    (Qualifier::QcNoSscd, "QCNoSSCD"),
    (Qualifier::QcSscdStatusAsInCert, "QCSSCDStatusAsInCert"),
    (Qualifier::QcWithQscd, "QCWithQSCD"),
    (Qualifier::QcNoQscd, "QCNoQSCD"),
    (Qualifier::QcQscdStatusAsInCert, "QCQSCDStatusAsInCert"),
    (Qualifier::QcQscdManagedOnBehalf, "QCQSCDManagedOnBehalf"),
    (Qualifier::QcForLegalPerson, "QCForLegalPerson"),
    (Qualifier::QcForESig, "QCForESig"),
    (Qualifier::QcForESeal, "QCForESeal"),
    (Qualifier::QcForWsa, "QCForWSA"),
    (Qualifier::NotQualified, "NotQualified"),
    (Qualifier::QcStatement, "QCStatement"),
];

impl Qualifier {
    /// Parses a qualifier URI; anything not recognised is kept as [`Qualifier::Unknown`].
    pub fn from_uri(uri: &str) -> Self {
        uri.strip_prefix(QUALIFIER_PREFIX)
            .and_then(|tail| QUALIFIERS.iter().find(|(_, t)| *t == tail))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| Qualifier::Unknown(uri.to_string()))
    }

    /// The URI of this qualifier.
    pub fn uri(&self) -> String {
        match self {
            Qualifier::Unknown(u) => u.clone(),
            q => format!("{QUALIFIER_PREFIX}{}", q.label()),
        }
    }

    /// The last segment of the URI (`QCWithQSCD`, …), or the whole URI when unknown.
    pub fn label(&self) -> &str {
        match self {
            Qualifier::Unknown(u) => u,
            q => QUALIFIERS
                .iter()
                .find(|(k, _)| k == q)
                .map(|(_, t)| *t)
                .unwrap_or("unknown"),
        }
    }
}

/// How the criteria of a [`CriteriaList`] combine (`assert` attribute).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CriteriaAssert {
    /// `all`.
    All,
    /// `atLeastOne` (the schema's default).
    #[default]
    AtLeastOne,
    /// `none`.
    None,
    /// Any other value, kept.
    Unknown(String),
}

impl CriteriaAssert {
    /// Parses the attribute value.
    pub fn parse(s: &str) -> Self {
        match s {
            "all" => CriteriaAssert::All,
            "atLeastOne" => CriteriaAssert::AtLeastOne,
            "none" => CriteriaAssert::None,
            o => CriteriaAssert::Unknown(o.to_string()),
        }
    }

    /// The attribute value.
    pub fn as_str(&self) -> &str {
        match self {
            CriteriaAssert::All => "all",
            CriteriaAssert::AtLeastOne => "atLeastOne",
            CriteriaAssert::None => "none",
            CriteriaAssert::Unknown(s) => s,
        }
    }
}

/// `ecc:CriteriaList`: which certificates a qualification applies to.
/// (`otherCriteriaList` is not modelled.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CriteriaList {
    /// `assert`.
    pub assert: CriteriaAssert,
    /// `KeyUsage` criteria: each a set of `(KeyUsageBit name, value)`.
    pub key_usages: Vec<Vec<(String, bool)>>,
    /// `PolicySet` criteria: each a set of policy identifiers (as written: dotted OIDs or
    /// `urn:oid:` URNs).
    pub policy_sets: Vec<Vec<String>>,
    /// Nested `CriteriaList`s.
    pub nested: Vec<CriteriaList>,
    /// `xades:Description`.
    pub description: Option<String>,
}

/// One `ecc:QualificationElement`: qualifiers and the certificates they apply to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Qualification {
    /// `Qualifiers/Qualifier/@uri`.
    pub qualifiers: Vec<Qualifier>,
    /// `CriteriaList`.
    pub criteria: CriteriaList,
}

/// `tslx:TakenOverBy` (TS 119 612 §D.2): who took the service over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenOverBy {
    /// `URI`: the successor's information URIs.
    pub uri: MultiLang,
    /// `TSPName`: the successor's name.
    pub tsp_name: MultiLang,
    /// `SchemeOperatorName` of the scheme the successor is on.
    pub operator: MultiLang,
    /// `SchemeTerritory` of that scheme.
    pub territory: String,
}

/// The service information extensions (TS 119 612 §5.5.9) this crate understands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceExtensions {
    /// `ecc:Qualifications`.
    pub qualifications: Vec<Qualification>,
    /// `tslx:TakenOverBy`.
    pub taken_over_by: Option<TakenOverBy>,
    /// `AdditionalServiceInformation/URI` values (`…/SvcInfoExt/ForeSignatures`, …); their
    /// languages are not kept (written as `en`).
    pub additional_info: Vec<Uri>,
    /// `tslx:ExtendedKeyUsage/KeyPurposeId` identifiers, as written.
    pub ekus: Vec<String>,
    /// `ExpiredCertsRevocationInfo`, Unix seconds.
    pub expired_certs_revocation_info: Option<i64>,
    /// MIIT's extensions, when any `miit:` extension is present.
    pub miit: Option<MiitServiceExtension>,
    /// `{namespace}local` of every extension marked `Critical="true"` that this crate does
    /// not understand. TS 119 612 §5.5.9: a relying party must not use such a service.
    pub unknown_critical: Vec<String>,
}

impl ServiceExtensions {
    /// Every qualifier of every qualification.
    pub fn qualifiers(&self) -> impl Iterator<Item = &Qualifier> {
        self.qualifications.iter().flat_map(|q| q.qualifiers.iter())
    }
}

/// A service (`TSPService`, TS 119 612 §5.5): its current information and its history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// `ServiceTypeIdentifier`.
    pub service_type: ServiceType,
    /// `ServiceName`.
    pub name: MultiLang,
    /// `ServiceDigitalIdentity/DigitalId`.
    pub identities: Vec<DigitalIdentity>,
    /// `ServiceStatus`.
    pub status: ServiceStatus,
    /// `StatusStartingTime`, Unix seconds.
    pub status_start: i64,
    /// `SchemeServiceDefinitionURI`.
    pub scheme_definition_uris: MultiLang,
    /// `ServiceSupplyPoints/ServiceSupplyPoint` (the v6 `type` attribute is not kept).
    pub supply_points: Vec<String>,
    /// `TSPServiceDefinitionURI`.
    pub definition_uris: MultiLang,
    /// `ServiceInformationExtensions`.
    pub extensions: ServiceExtensions,
    /// `ServiceHistory/ServiceHistoryInstance`, newest first (as TS 119 612 §5.6 orders
    /// them).
    pub history: Vec<HistoryInstance>,
}

/// A former state of a service (`ServiceHistoryInstance`, TS 119 612 §5.6).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryInstance {
    /// `ServiceTypeIdentifier`.
    pub service_type: ServiceType,
    /// `ServiceName`.
    pub name: MultiLang,
    /// `ServiceDigitalIdentity/DigitalId`.
    pub identities: Vec<DigitalIdentity>,
    /// `ServiceStatus`.
    pub status: ServiceStatus,
    /// `StatusStartingTime`, Unix seconds.
    pub status_start: i64,
    /// `ServiceInformationExtensions`.
    pub extensions: ServiceExtensions,
}

/// One interval of a service's status: `[from, until)`, `until = None` for the current
/// information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusInterval<'a> {
    /// The status in the interval.
    pub status: &'a ServiceStatus,
    /// Start (inclusive), Unix seconds.
    pub from: i64,
    /// End (exclusive), Unix seconds; `None`: open (the current information).
    pub until: Option<i64>,
    /// The service type in the interval.
    pub service_type: &'a ServiceType,
    /// The extensions in force in the interval.
    pub extensions: &'a ServiceExtensions,
}

impl StatusInterval<'_> {
    /// Whether `t` is in `[from, until)`.
    pub fn contains(&self, t: i64) -> bool {
        t >= self.from && self.until.is_none_or(|u| t < u)
    }
}

impl Service {
    /// The status intervals, newest first. The current information covers
    /// `[status_start, ∞)`; each history instance, in document order (newest first, as
    /// TS 119 612 §5.6 requires), covers `[its StatusStartingTime, the start of the instance
    /// before it in this order)`. An instance whose start is not before that bound (a list
    /// out of order) covers nothing and is left out, so intervals never overlap.
    pub fn intervals(&self) -> Vec<StatusInterval<'_>> {
        let mut out = vec![StatusInterval {
            status: &self.status,
            from: self.status_start,
            until: None,
            service_type: &self.service_type,
            extensions: &self.extensions,
        }];
        let mut upper = self.status_start;
        for h in &self.history {
            if h.status_start < upper {
                out.push(StatusInterval {
                    status: &h.status,
                    from: h.status_start,
                    until: Some(upper),
                    service_type: &h.service_type,
                    extensions: &h.extensions,
                });
                upper = h.status_start;
            }
        }
        out
    }

    /// The interval in force at `t` (see [`Service::intervals`]), `None` before the service
    /// was first listed.
    pub fn interval_at(&self, t: i64) -> Option<StatusInterval<'_>> {
        self.intervals().into_iter().find(|i| i.contains(t))
    }

    /// The status at `t` and since when it holds (see [`Service::intervals`]); `None`
    /// before the service was first listed.
    pub fn status_at(&self, t: i64) -> Option<(&ServiceStatus, i64)> {
        if t >= self.status_start {
            return Some((&self.status, self.status_start));
        }
        let mut upper = self.status_start;
        for h in &self.history {
            if h.status_start < upper {
                if t >= h.status_start {
                    return Some((&h.status, h.status_start));
                }
                upper = h.status_start;
            }
        }
        None
    }

    /// The X.509 certificates among the current identities.
    pub fn certificates(&self) -> impl Iterator<Item = &[u8]> {
        self.identities.iter().filter_map(|i| match i {
            DigitalIdentity::Certificate(c) => Some(c.as_slice()),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// MIIT's extensions.

/// An Electronic Certification Service Licence (Art. 11): `miit:Licence`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Licence {
    /// Licence number.
    pub number: String,
    /// The issuing authority.
    pub issuing_authority: String,
    /// Issue time, Unix seconds.
    pub issued: i64,
    /// Expiry, Unix seconds (issue + 5 calendar years, Art. 11).
    pub expires: i64,
}

impl Licence {
    /// Whether the licence is in force at `t`: `issued <= t < expires`.
    pub fn in_force_at(&self, t: i64) -> bool {
        self.issued <= t && t < self.expires
    }
}

/// The basis of a recognition (Art. 47).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Basis {
    /// An agreement, by name.
    Agreement(String),
    /// Reciprocity.
    #[default]
    Reciprocity,
}

/// A key algorithm family an approval admits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlgorithmFamily {
    /// RSA (`rsa`).
    Rsa,
    /// ECDSA on P-256 (`ec-p256`).
    EcP256,
    /// ECDSA on P-384 (`ec-p384`).
    EcP384,
    /// ECDSA on P-521 (`ec-p521`).
    EcP521,
    /// Ed25519 (`ed25519`).
    Ed25519,
    /// SM2 (`sm2`).
    Sm2,
    /// Anything else, kept as written (never matches a key).
    Unknown(String),
}

const FAMILIES: &[(AlgorithmFamily, &str)] = &[
    (AlgorithmFamily::Rsa, "rsa"),
    (AlgorithmFamily::EcP256, "ec-p256"),
    (AlgorithmFamily::EcP384, "ec-p384"),
    (AlgorithmFamily::EcP521, "ec-p521"),
    (AlgorithmFamily::Ed25519, "ed25519"),
    (AlgorithmFamily::Sm2, "sm2"),
];

impl AlgorithmFamily {
    /// Parses a label (`rsa`, `ec-p256`, `ec-p384`, `ec-p521`, `ed25519`, `sm2`).
    pub fn parse(s: &str) -> Self {
        FAMILIES
            .iter()
            .find(|(_, l)| *l == s)
            .map(|(f, _)| f.clone())
            .unwrap_or_else(|| AlgorithmFamily::Unknown(s.to_string()))
    }

    /// The label.
    pub fn label(&self) -> &str {
        match self {
            AlgorithmFamily::Unknown(s) => s,
            f => FAMILIES
                .iter()
                .find(|(k, _)| k == f)
                .map(|(_, l)| *l)
                .unwrap_or("unknown"),
        }
    }
}

/// An algorithm an approval admits, with its minimum key size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgorithmRule {
    /// The key algorithm.
    pub family: AlgorithmFamily,
    /// The minimum key size in bits (the modulus for RSA, the field size for curves).
    pub min_bits: u32,
}

/// MIIT's approval of a foreign CA or a foreign scheme (Art. 47–49): `miit:Approval`.
/// Certificates under it are accepted only inside this scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Approval {
    /// The decision number.
    pub decision: String,
    /// When the decision was made, Unix seconds.
    pub decided: i64,
    /// Agreement or reciprocity.
    pub basis: Basis,
    /// The counterpart jurisdiction (ISO 3166 code or name).
    pub jurisdiction: String,
    /// Start of validity, Unix seconds.
    pub valid_from: i64,
    /// End of validity (exclusive), Unix seconds.
    pub valid_until: i64,
    /// Certificate types: the certificate policies admitted.
    pub policy_oids: Vec<Oid>,
    /// Technical specification: the algorithms and minimum key sizes admitted.
    pub algorithms: Vec<AlgorithmRule>,
    /// Application scenarios: RFC 5280 key usage names (`digitalSignature`, …).
    pub key_usages: Vec<String>,
    /// Application scenarios: extended key usages admitted.
    pub ekus: Vec<Oid>,
}

impl Approval {
    /// Whether the approval is in force at `t`: `valid_from <= t <= valid_until` (both
    /// ends inclusive, as the validator applies it).
    pub fn in_force_at(&self, t: i64) -> bool {
        self.valid_from <= t && t <= self.valid_until
    }
}

/// A dishonesty-list restriction period (Art. 39): `miit:Restriction`. Certificates the CA
/// issued inside `[from, until)` are not trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restriction {
    /// Start (inclusive), Unix seconds.
    pub from: i64,
    /// End (exclusive), Unix seconds.
    pub until: i64,
    /// Why (the decision).
    pub reason: String,
}

impl Restriction {
    /// Whether `t` is inside the period.
    pub fn covers(&self, t: i64) -> bool {
        self.from <= t && t < self.until
    }
}

/// MIIT's extensions on a CA service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MiitServiceExtension {
    /// The licence of a domestic CA (Art. 11).
    pub licence: Option<Licence>,
    /// The approval of a foreign CA (Art. 47–49).
    pub approval: Option<Approval>,
    /// Dishonesty-list periods (Art. 39).
    pub restrictions: Vec<Restriction>,
    /// The CA's filed certificate policies (Art. 17): `miit:CertificatePolicies`.
    pub policy_oids: Vec<Oid>,
    /// The CA's filed CPS (Art. 17): `miit:CPS`.
    pub cps_url: Option<String>,
    /// The successor that took the CA's business over (Art. 31): `miit:Successor`.
    pub successor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        for (s, _) in STATUSES {
            assert_eq!(&ServiceStatus::from_uri(&s.uri()), s);
        }
        assert_eq!(
            ServiceStatus::from_uri(MIIT_STATUS_SUSPENDED),
            ServiceStatus::Suspended
        );
        for (s, _) in SERVICE_TYPES {
            assert_eq!(&ServiceType::from_uri(&s.uri()), s);
        }
        for (q, _) in QUALIFIERS {
            assert_eq!(&Qualifier::from_uri(&q.uri()), q);
        }
        let typo = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted ";
        assert!(!ServiceStatus::from_uri(typo).is_granted_like());
        assert_eq!(ServiceStatus::from_uri(typo).label(), typo);
    }

    #[test]
    fn multilang_fallback() {
        let m = MultiLang::single("zh", "甲").with("en", "A");
        assert_eq!(m.get("zh"), Some("甲"));
        assert_eq!(m.get("fr"), Some("A"));
        assert_eq!(MultiLang::single("de", "B").get("fr"), Some("B"));
        assert_eq!(MultiLang::new().get("en"), None);
    }
}
