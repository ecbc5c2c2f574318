//! The declarative source of MIIT's list: a TOML file describing the scheme, the licensed
//! domestic CAs, the approved foreign CAs and the pointers to approved foreign lists, from
//! which [`Source::to_list`] builds the [`TrustList`] that [`crate::write::write_list`]
//! serialises and [`crate::sign`] signs.
//!
//! The library reads no files: the source names certificate files by path, and the caller
//! passes a resolver that returns a file's bytes (PEM or DER; a PEM file may hold several
//! certificates).
//!
//! Everything is checked, and an error names the entry and the key, with the line and
//! column of the offending value (e.g. `source line 12, column 10: domestic[2] "Foo CA":
//! licence.issued is not an RFC 3339 time ("2026-13-01")`). Unknown keys are refused.
//!
//! # Schema, by example
//!
//! Times are RFC 3339 with a time zone, as strings or TOML date-times. Names are tables of
//! language → text. URI lists take strings (language `en`) or `{ lang, uri }` tables.
//!
//! ```toml
//! [scheme]
//! operator = { zh = "中华人民共和国工业和信息化部", en = "Ministry of Industry and Information Technology" }
//! operator_address = { street = "西长安街13号", locality = "北京", postal_code = "100804", country = "CN", lang = "zh" }
//! operator_electronic = ["mailto:tl@miit.example", "https://www.miit.gov.cn/"]
//! name = { zh = "电子认证服务机构可信列表", en = "CN: trust list of licensed and approved CAs" }
//! territory = "CN"                       # default "CN"
//! # tsl_type, status_determination, community_rules: defaults are TS 119 612's non-EU
//! # forms for the territory (…/TSLType/CNlist, …/StatusDetn/CNdetermination, …/schemerules/CN)
//! legal_notice = { zh = "依据《电子认证服务管理办法》发布。", en = "Published under the Measures." }
//! information_uris = ["https://tl.miit.example/", { lang = "zh", uri = "https://tl.miit.example/zh/" }]
//! sequence = 7
//! issued = "2026-09-01T00:00:00Z"
//! next_update = "2027-03-01T00:00:00Z"   # omit for a closed list
//! distribution_points = ["https://tl.miit.example/miit-tl.xml"]
//! historical_period = 65535              # default 65535
//! id = "tsl"                             # the document element's Id, default "tsl"
//!
//! [[domestic]]
//! name = { zh = "甲认证中心", en = "Alpha CA" }
//! website = "https://alpha-ca.example/"
//! address = { street = "…", locality = "北京", country = "CN" }
//! service_type = "CA/PKC"                # default; or CA/QC, NationalRootCA-QC, or a full URI
//! certificates = ["ca/alpha-root.pem", "ca/alpha-sub.der"]
//! policy_oids = ["1.2.156.112559.1.1.1"]
//! cps_url = "https://alpha-ca.example/cps.pdf"
//! supply_points = ["http://ocsp.alpha-ca.example/"]  # status services (OCSP, CRLs); a
//!                                        # successor answers here for a CA it took over
//! licence = { number = "ECP-2024-001", issuing_authority = "工业和信息化部", issued = "2024-03-01T00:00:00+08:00" }
//! restrictions = [{ from = "2026-01-01T00:00:00Z", until = "2026-07-01T00:00:00Z", reason = "Art. 39 decision 2025-17" }]
//! [[domestic.status]]
//! status = "granted"                     # granted | suspended | withdrawn | taken-over
//! from = "2024-03-01T00:00:00+08:00"
//! [[domestic.status]]
//! status = "taken-over"
//! from = "2026-08-01T00:00:00Z"
//! successor = "Beta CA"                  # another domestic entry, by any of its names
//!
//! [[foreign]]
//! name = { en = "Gamma Trust Services" }
//! jurisdiction = "HK"
//! certificates = ["foreign/gamma-root.pem"]
//! approval = { decision = "工信部电子认证〔2026〕3号", decided = "2026-05-01T00:00:00Z", basis = "agreement:CEPA e-signature arrangement", valid_from = "2026-06-01T00:00:00Z", valid_until = "2029-06-01T00:00:00Z", policy_oids = ["1.3.6.1.4.1.99999.1"], algorithms = [{ family = "rsa", min_bits = 2048 }, { family = "ec-p256", min_bits = 256 }], key_usages = ["digitalSignature", "nonRepudiation"], ekus = ["emailProtection", "1.3.6.1.5.5.7.3.2"] }
//! [[foreign.status]]
//! status = "granted"                     # granted | suspended | withdrawn
//! from = "2026-06-01T00:00:00Z"
//!
//! [[pointer]]
//! location = "https://tl.example.eu/SE_TSL.xml"
//! territory = "SE"
//! tsl_type = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"
//! mime_type = "application/vnd.etsi.tsl+xml"   # default
//! operator = { en = "Swedish Post and Telecom Agency (PTS)" }
//! signers = ["pointers/se-signer.pem"]
//! # basis = "reciprocity" or "agreement:NAME"; the approval's jurisdiction is the territory.
//! # Required unless the pointer is to a list of this scheme's own territory.
//! approval = { decision = "…", decided = "…", basis = "reciprocity", valid_from = "…", valid_until = "…", policy_oids = ["0.4.0.194112.1.2"], algorithms = [{ family = "rsa", min_bits = 3072 }], key_usages = ["nonRepudiation"] }
//! ```
//!
//! # What it becomes
//!
//! Each CA entry is one `TrustServiceProvider` with one service per certificate (TS 119 612
//! allows several certificates in one identity only for the same key). The last status is
//! the current `ServiceInformation`, earlier ones the `ServiceHistory`, newest first. Every
//! instance carries MIIT's extensions (licence or approval, restrictions, policies, CPS),
//! so each status interval is self-describing. `suspended` is MIIT's status URI
//! ([`crate::model::MIIT_STATUS_SUSPENDED`]); `taken-over` is ETSI's `withdrawn` with
//! TS 119 612's `tslx:TakenOverBy` naming the successor **and** our `miit:Successor`.
//! A licence expires 5 calendar years after issue (Art. 11; 29 February → 28 February).

use crate::error::Error;
use crate::model::*;
use huren_validator::cert::KeyUsageBit;
use huren_validator::pem::{CERTIFICATE_LABELS, decode_all};
use huren_validator::{Certificate, Oid, fmt_time, parse_rfc3339};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Text by language (`{ zh = "…", en = "…" }`).
pub type LangMap = BTreeMap<String, String>;

/// The parsed source. Build the list with [`Source::to_list`].
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `[scheme]`.
    pub scheme: SchemeSource,
    /// `[[domestic]]`: licensed domestic CAs.
    #[serde(default)]
    pub domestic: Vec<DomesticSource>,
    /// `[[foreign]]`: approved foreign CAs.
    #[serde(default)]
    pub foreign: Vec<ForeignSource>,
    /// `[[pointer]]`: pointers to approved foreign lists (or to this scheme's own list).
    #[serde(default)]
    pub pointer: Vec<PointerSource>,
    /// The text, to locate errors found after parsing.
    #[serde(skip)]
    text: String,
}

/// A time: an RFC 3339 string or a TOML offset date-time.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum TimeValue {
    /// `"2026-09-01T00:00:00Z"`.
    Text(String),
    /// `2026-09-01T00:00:00Z` (TOML date-time).
    Toml(toml::value::Datetime),
}

impl TimeValue {
    fn text(&self) -> String {
        match self {
            TimeValue::Text(s) => s.clone(),
            TimeValue::Toml(d) => d.to_string(),
        }
    }
}

/// A URI with a language: a string (language `en`) or `{ lang, uri }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum LangUri {
    /// A URI, in English.
    Plain(String),
    /// A URI in a given language.
    Tagged {
        /// Language tag.
        lang: String,
        /// The URI.
        uri: String,
    },
}

impl LangUri {
    fn pair(&self) -> (String, String) {
        match self {
            LangUri::Plain(u) => ("en".into(), u.clone()),
            LangUri::Tagged { lang, uri } => (lang.clone(), uri.clone()),
        }
    }
}

/// A postal address.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalSource {
    /// Street and number.
    pub street: String,
    /// City.
    pub locality: String,
    /// State or province.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166 country code.
    pub country: String,
    /// Language of the address (default `zh`).
    pub lang: Option<String>,
}

/// `[scheme]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeSource {
    /// Scheme operator name by language.
    pub operator: LangMap,
    /// Scheme operator postal address.
    pub operator_address: Option<PostalSource>,
    /// Scheme operator electronic addresses (`mailto:`, `https:`).
    #[serde(default)]
    pub operator_electronic: Vec<LangUri>,
    /// Scheme name by language.
    pub name: LangMap,
    /// Scheme territory (default `CN`).
    pub territory: Option<String>,
    /// `TSLType` (default `http://uri.etsi.org/TrstSvc/TrustedList/TSLType/{territory}list`).
    pub tsl_type: Option<String>,
    /// `StatusDeterminationApproach` (default
    /// `http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/{territory}determination`).
    pub status_determination: Option<String>,
    /// `SchemeTypeCommunityRules` (default
    /// `http://uri.etsi.org/TrstSvc/TrustedList/schemerules/{territory}`).
    pub community_rules: Option<Vec<LangUri>>,
    /// Legal notice by language.
    pub legal_notice: Option<LangMap>,
    /// `SchemeInformationURI`.
    #[serde(default)]
    pub information_uris: Vec<LangUri>,
    /// `TSLSequenceNumber` (at least 1).
    pub sequence: u64,
    /// `ListIssueDateTime`.
    pub issued: TimeValue,
    /// `NextUpdate`; absent for a closed list.
    pub next_update: Option<TimeValue>,
    /// `DistributionPoints`.
    #[serde(default)]
    pub distribution_points: Vec<String>,
    /// `HistoricalInformationPeriod` in days (default 65535).
    pub historical_period: Option<u32>,
    /// The document element's `Id` (default `tsl`).
    pub id: Option<String>,
}

/// A licence (Art. 11): the expiry is computed (issue + 5 calendar years).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceSource {
    /// Licence number.
    pub number: String,
    /// Issuing authority.
    pub issuing_authority: String,
    /// Issue time.
    pub issued: TimeValue,
}

/// One status entry: `[[domestic.status]]` / `[[foreign.status]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSource {
    /// `granted`, `suspended`, `withdrawn`, or (domestic only) `taken-over`.
    pub status: String,
    /// Since when.
    pub from: TimeValue,
    /// For `taken-over`: the successor, by one of its names.
    pub successor: Option<String>,
}

/// A dishonesty-list restriction period (Art. 39).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictionSource {
    /// Start (inclusive).
    pub from: TimeValue,
    /// End (exclusive).
    pub until: TimeValue,
    /// Why.
    pub reason: String,
}

/// An algorithm and minimum key size.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlgorithmSource {
    /// `rsa`, `ec-p256`, `ec-p384`, `ec-p521`, `ed25519` or `sm2`.
    pub family: String,
    /// Minimum key size in bits.
    pub min_bits: u32,
}

/// An approval (Art. 47–49). Its jurisdiction is the entry's (or the pointer's territory).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSource {
    /// Decision number.
    pub decision: String,
    /// Decision time.
    pub decided: TimeValue,
    /// `reciprocity` or `agreement:NAME`.
    pub basis: String,
    /// Start of validity.
    pub valid_from: TimeValue,
    /// End of validity (exclusive).
    pub valid_until: TimeValue,
    /// Certificate types: policy OIDs (at least one).
    #[serde(default)]
    pub policy_oids: Vec<String>,
    /// Technical specification (at least one).
    #[serde(default)]
    pub algorithms: Vec<AlgorithmSource>,
    /// Application scenarios: RFC 5280 key usage names.
    #[serde(default)]
    pub key_usages: Vec<String>,
    /// Application scenarios: EKU OIDs or RFC 5280 purpose names (`serverAuth`, …).
    #[serde(default)]
    pub ekus: Vec<String>,
}

/// `[[domestic]]`: a licensed domestic CA.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticSource {
    /// Name by language.
    pub name: LangMap,
    /// Web site (`TSPInformationURI`, electronic address).
    pub website: Option<LangUri>,
    /// Postal address.
    pub address: Option<PostalSource>,
    /// The licence.
    pub licence: LicenceSource,
    /// CA certificate files (PEM or DER).
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Filed certificate policies (Art. 17).
    #[serde(default)]
    pub policy_oids: Vec<String>,
    /// Filed CPS (Art. 17).
    pub cps_url: Option<String>,
    /// Where the CA's certificate status is published (`ServiceSupplyPoints`: OCSP
    /// responders and CRLs, http or https). A successor's answer for the certificates of a
    /// CA it took over (Art. 31).
    #[serde(default)]
    pub supply_points: Vec<String>,
    /// Service type (default `CA/PKC`).
    pub service_type: Option<String>,
    /// Status history, oldest first.
    #[serde(default)]
    pub status: Vec<StatusSource>,
    /// Dishonesty-list periods (Art. 39).
    #[serde(default)]
    pub restrictions: Vec<RestrictionSource>,
}

/// `[[foreign]]`: an approved foreign CA.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignSource {
    /// Name by language.
    pub name: LangMap,
    /// Web site.
    pub website: Option<LangUri>,
    /// Postal address.
    pub address: Option<PostalSource>,
    /// Counterpart jurisdiction.
    pub jurisdiction: String,
    /// CA certificate files (PEM or DER).
    #[serde(default)]
    pub certificates: Vec<String>,
    /// The approval (required).
    pub approval: Option<ApprovalSource>,
    /// CPS URL.
    pub cps_url: Option<String>,
    /// Where the CA's certificate status is published (`ServiceSupplyPoints`).
    #[serde(default)]
    pub supply_points: Vec<String>,
    /// Service type (default `CA/PKC`).
    pub service_type: Option<String>,
    /// Status history, oldest first.
    #[serde(default)]
    pub status: Vec<StatusSource>,
}

/// `[[pointer]]`: a pointer to another list.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointerSource {
    /// `TSLLocation`.
    pub location: String,
    /// The territory of the list pointed to.
    pub territory: String,
    /// Its `TSLType`.
    pub tsl_type: Option<String>,
    /// Its MIME type (default `application/vnd.etsi.tsl+xml`).
    pub mime_type: Option<String>,
    /// Its scheme operator, by language.
    pub operator: Option<LangMap>,
    /// Certificate files of its pinned signers (at least one).
    pub signers: Vec<String>,
    /// The approved scope (required unless the territory is this scheme's own).
    pub approval: Option<ApprovalSource>,
}

/// Parses (and checks everything but the certificates of) a source. TOML errors carry the
/// line and column the TOML parser reports.
pub fn parse_source(text: &str) -> Result<Source, Error> {
    let mut source: Source = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(s) => line_column(text, s.start),
            None => (None, None),
        };
        Error::Source {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    source.text = text.to_string();
    source.convert(None)?;
    Ok(source)
}

impl Source {
    /// Every certificate file the source names, in order (CA certificates, then pointer
    /// signers), without duplicates: what a caller must be able to resolve.
    pub fn certificate_paths(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let all = self
            .domestic
            .iter()
            .flat_map(|d| d.certificates.iter())
            .chain(self.foreign.iter().flat_map(|f| f.certificates.iter()))
            .chain(self.pointer.iter().flat_map(|p| p.signers.iter()));
        for p in all {
            if !out.contains(&p.as_str()) {
                out.push(p);
            }
        }
        out
    }

    /// Builds the list. `certs` returns the bytes (PEM or DER) of a certificate file named
    /// in the source; the library itself reads nothing.
    pub fn to_list(
        &self,
        certs: &dyn Fn(&str) -> Result<Vec<u8>, Error>,
    ) -> Result<TrustList, Error> {
        self.convert(Some(certs))
    }
}

// ---------------------------------------------------------------------------------------
// Locating errors.

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (Option<u32>, Option<u32>) {
    let Some(before) = text.get(..offset) else {
        return (None, None);
    };
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (u32::try_from(line).ok(), u32::try_from(column).ok())
}

#[derive(Clone, Copy, Debug)]
enum Seg {
    K(&'static str),
    I(usize),
}
use Seg::{I, K};

/// An entry of the source, for messages: `domestic[2] "Foo CA"`.
#[derive(Clone)]
struct Entry {
    kind: &'static str,
    index: usize,
    label: String,
}

fn label_of(name: &LangMap) -> String {
    name.get("en")
        .or_else(|| name.get("zh"))
        .or_else(|| name.values().next())
        .cloned()
        .unwrap_or_default()
}

fn path_text(sub: &[Seg]) -> String {
    let mut s = String::new();
    for seg in sub {
        match seg {
            K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            I(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

type Resolver<'r> = &'r dyn Fn(&str) -> Result<Vec<u8>, Error>;

struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    /// The span of the value at `path` in the TOML text, as line and column.
    fn locate(&self, path: &[Seg]) -> (Option<u32>, Option<u32>) {
        let Ok(root) = toml::de::DeTable::parse(self.text) else {
            return (None, None);
        };
        let mut best = root.span().start;
        let root = toml::de::DeValue::Table(root.into_inner());
        let mut cur = &root;
        for seg in path {
            let next = match seg {
                K(k) => cur.get(*k),
                I(i) => cur.get(*i),
            };
            match next {
                Some(v) => {
                    best = v.span().start;
                    cur = v.get_ref();
                }
                None => break,
            }
        }
        line_column(self.text, best)
    }

    /// An error about `sub` (a key path inside `entry`, or from the document root).
    fn fail(&self, entry: Option<&Entry>, sub: &[Seg], message: impl AsRef<str>) -> Error {
        let mut path = Vec::new();
        let mut text = String::new();
        if let Some(e) = entry {
            path.push(K(e.kind));
            path.push(I(e.index));
            let _ = write!(text, "{}[{}] {:?}: ", e.kind, e.index, e.label);
        }
        path.extend_from_slice(sub);
        let p = path_text(sub);
        if !p.is_empty() {
            text.push_str(&p);
            text.push(' ');
        }
        text.push_str(message.as_ref());
        let (line, column) = self.locate(&path);
        Error::Source {
            line,
            column,
            message: text,
        }
    }

    fn time(&self, entry: Option<&Entry>, sub: &[Seg], v: &TimeValue) -> Result<i64, Error> {
        let t = v.text();
        match parse_rfc3339(&t) {
            Some(secs) if (-62_167_219_200..=253_402_300_799).contains(&secs) => Ok(secs),
            _ => Err(self.fail(
                entry,
                sub,
                format!(
                    "is not an RFC 3339 time with a time zone (like 2026-09-01T00:00:00Z): {t:?}"
                ),
            )),
        }
    }

    fn langs(&self, entry: Option<&Entry>, sub: &[Seg], m: &LangMap) -> Result<MultiLang, Error> {
        if m.is_empty() || m.values().any(|v| v.trim().is_empty()) {
            return Err(self.fail(
                entry,
                sub,
                "needs a non-empty text in at least one language",
            ));
        }
        Ok(MultiLang(
            m.iter()
                .map(|(k, v)| (k.clone(), v.trim().to_string()))
                .collect(),
        ))
    }

    fn oids(&self, entry: Option<&Entry>, sub: &[Seg], list: &[String]) -> Result<Vec<Oid>, Error> {
        let mut out = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let mut p = sub.to_vec();
            p.push(I(i));
            let o = Oid::parse(s.trim())
                .ok_or_else(|| self.fail(entry, &p, format!("{s:?} is not a dotted OID")))?;
            if out.contains(&o) {
                return Err(self.fail(entry, &p, format!("{s:?} is listed twice")));
            }
            out.push(o);
        }
        Ok(out)
    }

    /// `supply_points`: each an http or https URL.
    fn supply_points(&self, entry: Option<&Entry>, v: &[String]) -> Result<Vec<String>, Error> {
        v.iter()
            .enumerate()
            .map(|(i, u)| {
                let u = u.trim();
                if u.starts_with("http://") || u.starts_with("https://") {
                    Ok(u.to_string())
                } else {
                    Err(self.fail(
                        entry,
                        &[K("supply_points"), Seg::I(i)],
                        "is not an http or https URL",
                    ))
                }
            })
            .collect()
    }

    fn non_empty(&self, entry: Option<&Entry>, sub: &[Seg], s: &str) -> Result<String, Error> {
        if s.trim().is_empty() {
            return Err(self.fail(entry, sub, "is empty"));
        }
        Ok(s.trim().to_string())
    }

    fn approval(
        &self,
        entry: Option<&Entry>,
        a: &ApprovalSource,
        jurisdiction: &str,
    ) -> Result<Approval, Error> {
        let at = |k: &'static str| [K("approval"), K(k)];
        let basis = match a.basis.trim() {
            "reciprocity" => Basis::Reciprocity,
            b => match b.strip_prefix("agreement:") {
                Some(name) if !name.trim().is_empty() => Basis::Agreement(name.trim().to_string()),
                _ => {
                    return Err(self.fail(
                        entry,
                        &at("basis"),
                        format!("must be \"reciprocity\" or \"agreement:NAME\", not {b:?}"),
                    ));
                }
            },
        };
        let valid_from = self.time(entry, &at("valid_from"), &a.valid_from)?;
        let valid_until = self.time(entry, &at("valid_until"), &a.valid_until)?;
        if valid_until <= valid_from {
            return Err(self.fail(
                entry,
                &at("valid_until"),
                format!(
                    "({}) is not after approval.valid_from ({})",
                    fmt_time(valid_until),
                    fmt_time(valid_from)
                ),
            ));
        }
        let policy_oids = self.oids(entry, &at("policy_oids"), &a.policy_oids)?;
        if policy_oids.is_empty() {
            return Err(self.fail(
                entry,
                &[K("approval")],
                "names no policy_oids: an approval admits certain certificate types (Art. 48)",
            ));
        }
        let mut algorithms = Vec::new();
        for (i, r) in a.algorithms.iter().enumerate() {
            let p = [K("approval"), K("algorithms"), I(i)];
            let family = AlgorithmFamily::parse(r.family.trim());
            if let AlgorithmFamily::Unknown(f) = &family {
                return Err(self.fail(
                    entry,
                    &p,
                    format!(
                        "family {f:?} is not one of rsa, ec-p256, ec-p384, ec-p521, ed25519, sm2"
                    ),
                ));
            }
            if r.min_bits == 0 {
                return Err(self.fail(entry, &p, "min_bits must be positive"));
            }
            algorithms.push(AlgorithmRule {
                family,
                min_bits: r.min_bits,
            });
        }
        if algorithms.is_empty() {
            return Err(self.fail(
                entry,
                &[K("approval")],
                "names no algorithms: an approval fixes the technical specification (Art. 48)",
            ));
        }
        let mut key_usages = Vec::new();
        for (i, k) in a.key_usages.iter().enumerate() {
            let bit = KeyUsageBit::from_name(k.trim()).ok_or_else(|| {
                self.fail(
                    entry,
                    &[K("approval"), K("key_usages"), I(i)],
                    format!("{k:?} is not an RFC 5280 key usage name (digitalSignature, nonRepudiation, …)"),
                )
            })?;
            let name = bit.name().to_string();
            if !key_usages.contains(&name) {
                key_usages.push(name);
            }
        }
        let mut ekus = Vec::new();
        for (i, e) in a.ekus.iter().enumerate() {
            let o = Oid::from_purpose_name(e.trim())
                .or_else(|| Oid::parse(e.trim()))
                .ok_or_else(|| {
                    self.fail(
                        entry,
                        &[K("approval"), K("ekus"), I(i)],
                        format!("{e:?} is neither a dotted OID nor an RFC 5280 purpose name"),
                    )
                })?;
            if !ekus.contains(&o) {
                ekus.push(o);
            }
        }
        if key_usages.is_empty() && ekus.is_empty() {
            return Err(self.fail(
                entry,
                &[K("approval")],
                "names neither key_usages nor ekus: an approval fixes the application scenarios (Art. 48)",
            ));
        }
        Ok(Approval {
            decision: self.non_empty(entry, &at("decision"), &a.decision)?,
            decided: self.time(entry, &at("decided"), &a.decided)?,
            basis,
            jurisdiction: jurisdiction.to_string(),
            valid_from,
            valid_until,
            policy_oids,
            algorithms,
            key_usages,
            ekus,
        })
    }

    fn service_type(&self, entry: &Entry, s: &Option<String>) -> Result<ServiceType, Error> {
        let Some(s) = s else {
            return Ok(ServiceType::CaPkc);
        };
        let s = s.trim();
        let t = if s.contains("://") {
            ServiceType::from_uri(s)
        } else {
            ServiceType::from_uri(&format!("{SERVICE_TYPE_PREFIX}{s}"))
        };
        if !t.is_ca() {
            return Err(self.fail(
                Some(entry),
                &[K("service_type")],
                format!("{s:?} is not a CA service type (CA/PKC, CA/QC, NationalRootCA-QC)"),
            ));
        }
        Ok(t)
    }

    fn postal(p: &PostalSource) -> PostalAddress {
        PostalAddress {
            lang: p.lang.clone().unwrap_or_else(|| "zh".into()),
            street: p.street.trim().to_string(),
            locality: p.locality.trim().to_string(),
            state: p.state.clone(),
            postal_code: p.postal_code.clone(),
            country: p.country.trim().to_string(),
        }
    }

    /// Decodes the certificates of file `path` through the resolver.
    fn certificates(
        &self,
        entry: Option<&Entry>,
        sub: &[Seg],
        path: &str,
        resolve: Resolver<'_>,
    ) -> Result<Vec<(Vec<u8>, Certificate)>, Error> {
        let bytes = resolve(path).map_err(|e| self.fail(entry, sub, format!("{path:?}: {e}")))?;
        let ders = decode_all(&bytes, CERTIFICATE_LABELS).map_err(|e| {
            self.fail(
                entry,
                sub,
                format!("{path:?} is not a PEM or DER certificate: {e}"),
            )
        })?;
        if ders.is_empty() {
            return Err(self.fail(entry, sub, format!("{path:?} holds no certificate")));
        }
        let mut out = Vec::new();
        for der in ders {
            let c = Certificate::from_der(&der).map_err(|e| {
                self.fail(
                    entry,
                    sub,
                    format!("{path:?} holds a certificate that does not parse: {e}"),
                )
            })?;
            out.push((der, c));
        }
        Ok(out)
    }
}

/// An RFC 3339 time plus `years` calendar years, counted in the time's own offset (a
/// licence issued on 1 March in Beijing expires on 1 March in Beijing); 29 February becomes
/// 28 February in a common year.
fn plus_years(rfc3339: &str, years: i64) -> Option<i64> {
    let y: i64 = rfc3339.get(0..4)?.parse().ok()?;
    let rest = rfc3339.get(4..)?;
    let ny = y.checked_add(years)?;
    if !(0..=9999).contains(&ny) {
        return None;
    }
    let leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
    let rest = if rest.starts_with("-02-29") && !leap {
        rest.replacen("-02-29", "-02-28", 1)
    } else {
        rest.to_string()
    };
    parse_rfc3339(&format!("{ny:04}{rest}"))
}

/// The statuses of an entry, checked: (model status, from, successor).
struct Step {
    status: ServiceStatus,
    from: i64,
    successor: Option<String>,
}

/// What a CA entry contributes, before certificates.
struct CaEntry {
    entry: Entry,
    name: MultiLang,
    website: Option<(String, String)>,
    address: Option<PostalAddress>,
    service_type: ServiceType,
    steps: Vec<Step>,
    miit: MiitServiceExtension,
    certificates: Vec<String>,
    supply_points: Vec<String>,
}

impl Source {
    fn convert(&self, resolve: Option<Resolver<'_>>) -> Result<TrustList, Error> {
        let cx = Ctx { text: &self.text };
        let s = &self.scheme;
        let sk = |k: &'static str| [K("scheme"), K(k)];
        let territory = match &s.territory {
            Some(t) => cx.non_empty(None, &sk("territory"), t)?,
            None => "CN".to_string(),
        };
        if s.sequence == 0 {
            return Err(cx.fail(None, &sk("sequence"), "must be at least 1"));
        }
        let issued = cx.time(None, &sk("issued"), &s.issued)?;
        let next_update = match &s.next_update {
            Some(n) => {
                let n = cx.time(None, &sk("next_update"), n)?;
                if n <= issued {
                    return Err(cx.fail(
                        None,
                        &sk("next_update"),
                        format!(
                            "({}) is not after scheme.issued ({})",
                            fmt_time(n),
                            fmt_time(issued)
                        ),
                    ));
                }
                Some(n)
            }
            None => None,
        };
        let operator = cx.langs(None, &sk("operator"), &s.operator)?;
        let community_rules = match &s.community_rules {
            Some(v) => MultiLang(v.iter().map(LangUri::pair).collect()),
            None => MultiLang::single(
                "en",
                format!("http://uri.etsi.org/TrstSvc/TrustedList/schemerules/{territory}"),
            ),
        };
        let information_uris = MultiLang(s.information_uris.iter().map(LangUri::pair).collect());
        let mut list = TrustList {
            id: Some(match &s.id {
                Some(id) => cx.non_empty(None, &sk("id"), id)?,
                None => crate::write::DEFAULT_ID.to_string(),
            }),
            version: 6,
            sequence: s.sequence,
            tsl_type: s.tsl_type.clone().unwrap_or_else(|| {
                format!("http://uri.etsi.org/TrstSvc/TrustedList/TSLType/{territory}list")
            }),
            operator: operator.clone(),
            operator_address: Address {
                postal: s.operator_address.iter().map(Ctx::postal).collect(),
                electronic: MultiLang(s.operator_electronic.iter().map(LangUri::pair).collect()),
            },
            scheme_name: cx.langs(None, &sk("name"), &s.name)?,
            information_uris: information_uris.clone(),
            status_determination: s.status_determination.clone().unwrap_or_else(|| {
                format!(
                    "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/{territory}determination"
                )
            }),
            community_rules,
            scheme_territory: Some(territory.clone()),
            policy_or_legal_notice: match &s.legal_notice {
                Some(m) => Some(PolicyOrLegalNotice::LegalNotice(cx.langs(
                    None,
                    &sk("legal_notice"),
                    m,
                )?)),
                None => None,
            },
            historical_period: Some(s.historical_period.unwrap_or(65535)),
            pointers: Vec::new(),
            issued,
            next_update,
            distribution_points: s.distribution_points.clone(),
            providers: Vec::new(),
        };

        // The CA entries, checked.
        let mut entries: Vec<CaEntry> = Vec::new();
        for (i, d) in self.domestic.iter().enumerate() {
            let entry = Entry {
                kind: "domestic",
                index: i,
                label: label_of(&d.name),
            };
            let e = Some(&entry);
            let lk = |k: &'static str| [K("licence"), K(k)];
            let licence_issued = cx.time(e, &lk("issued"), &d.licence.issued)?;
            let expires = plus_years(&d.licence.issued.text(), 5).ok_or_else(|| {
                cx.fail(
                    e,
                    &lk("issued"),
                    "is too late: its expiry (5 years later) is past year 9999",
                )
            })?;
            let licence = Licence {
                number: cx.non_empty(e, &lk("number"), &d.licence.number)?,
                issuing_authority: cx.non_empty(
                    e,
                    &lk("issuing_authority"),
                    &d.licence.issuing_authority,
                )?,
                issued: licence_issued,
                expires,
            };
            let mut restrictions = Vec::new();
            for (j, r) in d.restrictions.iter().enumerate() {
                let rk = |k: &'static str| [K("restrictions"), I(j), K(k)];
                let from = cx.time(e, &rk("from"), &r.from)?;
                let until = cx.time(e, &rk("until"), &r.until)?;
                if until <= from {
                    return Err(cx.fail(
                        e,
                        &rk("until"),
                        format!(
                            "({}) is not after its from ({})",
                            fmt_time(until),
                            fmt_time(from)
                        ),
                    ));
                }
                restrictions.push(Restriction {
                    from,
                    until,
                    reason: cx.non_empty(e, &rk("reason"), &r.reason)?,
                });
            }
            let cps_url = match &d.cps_url {
                Some(c) => Some(cx.non_empty(e, &[K("cps_url")], c)?),
                None => None,
            };
            entries.push(CaEntry {
                name: cx.langs(e, &[K("name")], &d.name)?,
                website: d.website.as_ref().map(LangUri::pair),
                address: d.address.as_ref().map(Ctx::postal),
                service_type: cx.service_type(&entry, &d.service_type)?,
                steps: steps(&cx, &entry, &d.status, true)?,
                miit: MiitServiceExtension {
                    licence: Some(licence),
                    restrictions,
                    policy_oids: cx.oids(e, &[K("policy_oids")], &d.policy_oids)?,
                    cps_url,
                    ..MiitServiceExtension::default()
                },
                certificates: d.certificates.clone(),
                supply_points: cx.supply_points(e, &d.supply_points)?,
                entry,
            });
        }
        for (i, f) in self.foreign.iter().enumerate() {
            let entry = Entry {
                kind: "foreign",
                index: i,
                label: label_of(&f.name),
            };
            let e = Some(&entry);
            let jurisdiction = cx.non_empty(e, &[K("jurisdiction")], &f.jurisdiction)?;
            let Some(a) = &f.approval else {
                return Err(cx.fail(
                    e,
                    &[],
                    "has no approval: a foreign CA is trusted only inside MIIT's approval (Art. 47-49)",
                ));
            };
            let approval = cx.approval(e, a, &jurisdiction)?;
            let cps_url = match &f.cps_url {
                Some(c) => Some(cx.non_empty(e, &[K("cps_url")], c)?),
                None => None,
            };
            entries.push(CaEntry {
                name: cx.langs(e, &[K("name")], &f.name)?,
                website: f.website.as_ref().map(LangUri::pair),
                address: f.address.as_ref().map(Ctx::postal),
                service_type: cx.service_type(&entry, &f.service_type)?,
                steps: steps(&cx, &entry, &f.status, false)?,
                miit: MiitServiceExtension {
                    approval: Some(approval),
                    cps_url,
                    ..MiitServiceExtension::default()
                },
                certificates: f.certificates.clone(),
                supply_points: cx.supply_points(e, &f.supply_points)?,
                entry,
            });
        }

        // Names are unique (successors are named), and successors exist.
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (k, ce) in entries.iter().enumerate() {
            for name in ce.name.texts() {
                if let Some(&other) = by_name.get(name) {
                    let o = &entries[other].entry;
                    return Err(cx.fail(
                        Some(&ce.entry),
                        &[K("name")],
                        format!("{name:?} is already the name of {}[{}]", o.kind, o.index),
                    ));
                }
                by_name.insert(name, k);
            }
        }
        for ce in &entries {
            for (j, st) in ce.steps.iter().enumerate() {
                if let Some(succ) = &st.successor {
                    let target = by_name.get(succ.as_str()).map(|&k| &entries[k]);
                    match target {
                        Some(t)
                            if t.entry.kind == "domestic" && t.entry.index != ce.entry.index => {}
                        Some(t) if t.entry.kind == "domestic" => {
                            return Err(cx.fail(
                                Some(&ce.entry),
                                &[K("status"), I(j), K("successor")],
                                "names the entry itself",
                            ));
                        }
                        _ => {
                            return Err(cx.fail(
                                Some(&ce.entry),
                                &[K("status"), I(j), K("successor")],
                                format!("{succ:?} is not the name of a domestic entry"),
                            ));
                        }
                    }
                }
            }
        }

        // Certificates: CA certificates only, none twice.
        let mut seen: HashMap<Vec<u8>, String> = HashMap::new();
        let mut seen_key: HashMap<(Vec<u8>, Vec<u8>), String> = HashMap::new();
        for ce in &entries {
            let e = Some(&ce.entry);
            if ce.certificates.is_empty() {
                return Err(cx.fail(
                    e,
                    &[K("certificates")],
                    "is empty: a CA entry needs its CA certificates",
                ));
            }
            let mut services = Vec::new();
            for (j, path) in ce.certificates.iter().enumerate() {
                let sub = [K("certificates"), I(j)];
                let certs = match resolve {
                    Some(r) => cx.certificates(e, &sub, path, r)?,
                    None => {
                        cx.non_empty(e, &sub, path)?;
                        Vec::new()
                    }
                };
                for (der, cert) in certs {
                    let here = format!(
                        "{}[{}] certificates[{j}] ({path:?})",
                        ce.entry.kind, ce.entry.index
                    );
                    if !cert.is_ca() {
                        return Err(cx.fail(
                            e,
                            &sub,
                            format!("{path:?} holds a certificate that is not a CA certificate (basicConstraints cA is not set): {}", cert.subject().display()),
                        ));
                    }
                    if let Some(prev) = seen.insert(der.clone(), here.clone()) {
                        return Err(cx.fail(
                            e,
                            &sub,
                            format!("{path:?} holds a certificate already listed at {prev}"),
                        ));
                    }
                    let key = (cert.spki().to_vec(), cert.subject().normalized().to_vec());
                    if let Some(prev) = seen_key.insert(key, here) {
                        return Err(cx.fail(
                            e,
                            &sub,
                            format!("{path:?} holds a certificate with the same key and subject as the one at {prev} (anchors are matched by key and subject)"),
                        ));
                    }
                    services.push(self.service(
                        ce,
                        der,
                        &operator,
                        &information_uris,
                        &territory,
                        &entries,
                    ));
                }
            }
            let mut provider = Provider {
                name: ce.name.clone(),
                ..Provider::default()
            };
            if let Some((lang, uri)) = &ce.website {
                provider.information_uris = MultiLang::single(lang.clone(), uri.clone());
                provider.address.electronic = MultiLang::single(lang.clone(), uri.clone());
            }
            provider.address.postal = ce.address.iter().cloned().collect();
            provider.services = services;
            list.providers.push(provider);
        }

        // Pointers.
        for (i, p) in self.pointer.iter().enumerate() {
            let entry = Entry {
                kind: "pointer",
                index: i,
                label: p.territory.clone(),
            };
            let e = Some(&entry);
            let location = cx.non_empty(e, &[K("location")], &p.location)?;
            let ptr_territory = cx.non_empty(e, &[K("territory")], &p.territory)?;
            let approval = match &p.approval {
                Some(a) => Some(cx.approval(e, a, &ptr_territory)?),
                None if ptr_territory.eq_ignore_ascii_case(&territory) => None,
                None => {
                    return Err(cx.fail(
                        e,
                        &[],
                        "has no approval: a foreign scheme is trusted only inside MIIT's approval (Art. 47-49)",
                    ));
                }
            };
            if p.signers.is_empty() {
                return Err(cx.fail(
                    e,
                    &[K("signers")],
                    "is empty: a pointer pins the certificates that sign the list",
                ));
            }
            let mut signers: Vec<Vec<u8>> = Vec::new();
            for (j, path) in p.signers.iter().enumerate() {
                let sub = [K("signers"), I(j)];
                match resolve {
                    Some(r) => {
                        for (der, _) in cx.certificates(e, &sub, path, r)? {
                            if signers.contains(&der) {
                                return Err(cx.fail(
                                    e,
                                    &sub,
                                    format!("{path:?} holds a signer already listed"),
                                ));
                            }
                            signers.push(der);
                        }
                    }
                    None => {
                        cx.non_empty(e, &sub, path)?;
                    }
                }
            }
            let mut ptr = Pointer {
                location,
                signers,
                tsl_type: p.tsl_type.clone(),
                territory: Some(ptr_territory),
                mime_type: Some(
                    p.mime_type
                        .clone()
                        .unwrap_or_else(|| "application/vnd.etsi.tsl+xml".into()),
                ),
                approval,
                ..Pointer::default()
            };
            if let Some(op) = &p.operator {
                ptr.operator = cx.langs(e, &[K("operator")], op)?;
            }
            list.pointers.push(ptr);
        }
        Ok(list)
    }

    /// One service of a CA entry for one certificate: the last step is the current
    /// information, earlier steps the history, newest first.
    fn service(
        &self,
        ce: &CaEntry,
        der: Vec<u8>,
        operator: &MultiLang,
        information_uris: &MultiLang,
        territory: &str,
        entries: &[CaEntry],
    ) -> Service {
        let ids = vec![DigitalIdentity::Certificate(der)];
        let ext_for = |st: &Step| {
            let mut miit = ce.miit.clone();
            let mut x = ServiceExtensions::default();
            if let Some(succ) = &st.successor {
                miit.successor = Some(succ.clone());
                let target = entries
                    .iter()
                    .find(|t| t.name.texts().any(|n| n == succ.as_str()));
                x.taken_over_by = Some(TakenOverBy {
                    uri: match target.and_then(|t| t.website.clone()) {
                        Some((l, u)) => MultiLang::single(l, u),
                        None => information_uris.clone(),
                    },
                    tsp_name: target
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| MultiLang::single("zh", succ.clone())),
                    operator: operator.clone(),
                    territory: territory.to_string(),
                });
            }
            x.miit = Some(miit);
            x
        };
        let mut steps = ce.steps.iter().rev();
        let mut service = Service {
            service_type: ce.service_type.clone(),
            name: ce.name.clone(),
            identities: ids.clone(),
            supply_points: ce.supply_points.clone(),
            ..Service::default()
        };
        if let Some(cur) = steps.next() {
            service.status = cur.status.clone();
            service.status_start = cur.from;
            service.extensions = ext_for(cur);
        }
        for st in steps {
            service.history.push(HistoryInstance {
                service_type: ce.service_type.clone(),
                name: ce.name.clone(),
                identities: ids.clone(),
                status: st.status.clone(),
                status_start: st.from,
                extensions: ext_for(st),
            });
        }
        service
    }
}

/// Checks a status history: known statuses, strictly increasing times, `taken-over` (only
/// domestic) with a successor and last.
fn steps(
    cx: &Ctx<'_>,
    entry: &Entry,
    list: &[StatusSource],
    domestic: bool,
) -> Result<Vec<Step>, Error> {
    let e = Some(entry);
    if list.is_empty() {
        return Err(cx.fail(
            e,
            &[],
            format!(
                "has no status: add a [[{}.status]] entry (status = \"granted\", from = …)",
                entry.kind
            ),
        ));
    }
    let mut out: Vec<Step> = Vec::new();
    for (j, st) in list.iter().enumerate() {
        let at = |k: &'static str| [K("status"), I(j), K(k)];
        let from = cx.time(e, &at("from"), &st.from)?;
        if let Some(prev) = out.last() {
            if from <= prev.from {
                return Err(cx.fail(
                    e,
                    &at("from"),
                    format!(
                        "({}) is not after the previous status's from ({}): list the statuses oldest first",
                        fmt_time(from),
                        fmt_time(prev.from)
                    ),
                ));
            }
            if prev.successor.is_some() {
                return Err(cx.fail(
                    e,
                    &at("status"),
                    "follows taken-over, which must be the last status",
                ));
            }
        }
        let (status, taken_over) = match st.status.trim() {
            "granted" => (ServiceStatus::Granted, false),
            "suspended" => (ServiceStatus::Suspended, false),
            "withdrawn" => (ServiceStatus::Withdrawn, false),
            "taken-over" if domestic => (ServiceStatus::Withdrawn, true),
            other => {
                let allowed = if domestic {
                    "granted, suspended, withdrawn or taken-over"
                } else {
                    "granted, suspended or withdrawn"
                };
                return Err(cx.fail(
                    e,
                    &at("status"),
                    format!("{other:?} is not one of {allowed}"),
                ));
            }
        };
        let successor = match (&st.successor, taken_over) {
            (Some(s), true) => Some(cx.non_empty(e, &at("successor"), s)?),
            (None, true) => {
                return Err(cx.fail(
                    e,
                    &at("status"),
                    "is taken-over but names no successor (successor = \"…\", Art. 31)",
                ));
            }
            (Some(_), false) => {
                return Err(cx.fail(
                    e,
                    &at("successor"),
                    "is given for a status other than taken-over",
                ));
            }
            (None, false) => None,
        };
        out.push(Step {
            status,
            from,
            successor,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_calendar_years() {
        let y5 = |s: &str| plus_years(s, 5).map(fmt_time);
        assert_eq!(y5("2024-02-29T10:00:00Z").unwrap(), "2029-02-28T10:00:00Z");
        // Counted in the written offset: 1 March in Beijing stays 1 March in Beijing.
        assert_eq!(
            y5("2023-03-01T00:00:00+08:00").unwrap(),
            "2028-02-29T16:00:00Z"
        );
        assert_eq!(
            y5("2022-03-01T00:00:00+08:00").unwrap(),
            "2027-02-28T16:00:00Z"
        );
        assert_eq!(
            plus_years("2024-02-29T00:00:00Z", 4).map(fmt_time).unwrap(),
            "2028-02-29T00:00:00Z"
        );
        assert_eq!(plus_years("9996-01-01T00:00:00Z", 5), None);
    }

    #[test]
    fn line_columns() {
        assert_eq!(line_column("ab\ncd\né", 6), (Some(3), Some(1)));
        assert_eq!(line_column("é\néx", 5), (Some(2), Some(2)));
        assert_eq!(line_column("ab\ncd", 4), (Some(2), Some(2)));
        assert_eq!(line_column("ab", 9), (None, None));
    }
}
