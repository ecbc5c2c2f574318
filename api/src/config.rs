//! The service configuration: `huren serve --config FILE` (TOML), with `HUREN_*` environment
//! overrides ([`ENV_VARS`]); every field has a default, so `huren serve` with no file starts
//! on the bundled demo list. A bad file is refused with the line and column of the bad
//! value and the reason; a bad environment value naming the variable. Relative paths
//! (signers, list files, the state directory) are taken from the file's directory.
//!
//! ```toml
//! listen = "127.0.0.1:8443"
//! state_dir = "state"                       # the last good lists, for a restart offline
//! admin_token = "change-me-to-a-long-random-token"   # POST /v1/admin/refresh (≥ 16 chars)
//!
//! [[trust_lists]]
//! name = "miit"                              # unique; shown in /v1/trust-lists
//! location = "https://tl.example.cn/miit.xml" # or a file path
//! signers = ["miit-signer.pem"]              # pinned signer certificates (PEM or DER)
//! role = "miit"                              # or "scheme"
//! refresh_secs = 600
//! grace_secs = 86400                         # served this long past NextUpdate
//! fetch_timeout_ms = 20000
//! foreign = ["https://tl.xa.example/xa.xml"] # followed through the MIIT list's pointers
//!
//! [[policies]]
//! id = "cn-esign"
//! version = "3"
//! description = "Electronic signatures under the MIIT list"
//! profile = "rfc5280"                        # or "webpki"
//! revocation = "require"                     # or "prefer", "off"
//! policy_oids = ["1.2.156.999001.1.1"]
//! key_usages = ["digitalSignature", "nonRepudiation"]
//! ekus = ["emailProtection", "1.3.6.1.5.5.7.3.4"]
//!
//! [cache]
//! results = 50000
//! results_mib = 64
//! signatures = 20000
//! intermediates = 4096
//!
//! [revocation]
//! online = true                              # fetch CRLs and OCSP the certificates name
//! timeout_ms = 2000                          # one fetch, connect + whole body
//! max_bytes = 5242880                        # largest CRL or OCSP response
//! max_fetches = 4                            # network fetches for one validation
//! deadline_ms = 4000                         # all of one validation's fetches together
//! nonce = false                              # OCSP nonce (the response must echo it)
//! ocsp_get = true                            # GET short OCSP requests (RFC 5019), else POST
//! max_cache_secs = 3600                      # never past nextUpdate, never longer than this
//! negative_cache_secs = 30                   # a failed fetch is not retried before this
//! cache_mib = 64                             # memory of each revocation cache (CRL, OCSP)
//!
//! [limits]
//! body_bytes = 262144
//! chain_length = 10
//! batch_size = 50
//! request_timeout_ms = 5000
//! inline_signatures = 2                      # more: redone on the blocking pool
//! rate_per_client = 0                        # validation requests/s per client; 0: off
//! rate_burst = 50
//! ```

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The whole configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where to listen (`127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Trust-list sources. Empty: the bundled demo list.
    pub trust_lists: Vec<ListSource>,
    /// The directory where the last good lists are kept, so that a restart without network
    /// serves from them (within the same NextUpdate + grace rule).
    pub state_dir: Option<PathBuf>,
    /// Validation policies offered (`/v1/policies`). Empty: the built-in `default` policy.
    pub policies: Vec<PolicyConfig>,
    /// Cache sizes.
    pub cache: CacheConfig,
    /// Online revocation: fetching limits and caching.
    pub revocation: RevocationConfig,
    /// Request limits.
    pub limits: LimitsConfig,
    /// The bearer token `POST /v1/admin/refresh` requires. Unset: the endpoint is refused.
    pub admin_token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            trust_lists: Vec::new(),
            state_dir: None,
            policies: Vec::new(),
            cache: CacheConfig::default(),
            revocation: RevocationConfig::default(),
            limits: LimitsConfig::default(),
            admin_token: None,
        }
    }
}

/// How a list's anchors are trusted.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ListRoleConfig {
    /// MIIT's list: licences and approvals scope each CA.
    #[default]
    Miit,
    /// A list trusted as its own scheme defines (status history only).
    Scheme,
}

/// One trust-list source.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListSource {
    /// A name for logs and `/v1/trust-lists`.
    pub name: String,
    /// `https://…` / `http://…` URL, or a file path.
    pub location: String,
    /// Files of pinned signer certificates (PEM or DER).
    pub signers: Vec<PathBuf>,
    /// MIIT or scheme.
    #[serde(default)]
    pub role: ListRoleConfig,
    /// Seconds between refreshes (default 3600).
    #[serde(default = "default_refresh")]
    pub refresh_secs: u64,
    /// Seconds after NextUpdate during which the list still serves (default 0).
    #[serde(default)]
    pub grace_secs: u64,
    /// Foreign lists this list points to (verified through its pointers, trusted only inside
    /// the approval each pointer carries): their locations.
    #[serde(default)]
    pub foreign: Vec<String>,
    /// Timeout of one fetch (connect + whole body), milliseconds (default 30 000).
    #[serde(default = "default_fetch_timeout")]
    pub fetch_timeout_ms: u64,
}

fn default_refresh() -> u64 {
    3600
}

fn default_fetch_timeout() -> u64 {
    30_000
}

/// A validation policy.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Identifier (`default`, `cn-esign`, …).
    pub id: String,
    /// Version, changed whenever the policy changes (part of the result-cache key).
    pub version: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// `rfc5280` or `webpki`.
    #[serde(default = "default_profile")]
    pub profile: String,
    /// `require`, `prefer` or `off`.
    #[serde(default = "default_revocation")]
    pub revocation: String,
    /// Acceptable certificate policies (empty: any).
    #[serde(default)]
    pub policy_oids: Vec<String>,
    /// Key usages the end-entity certificate must allow.
    #[serde(default)]
    pub key_usages: Vec<String>,
    /// Extended key usages the end-entity certificate must allow.
    #[serde(default)]
    pub ekus: Vec<String>,
}

fn default_profile() -> String {
    "rfc5280".into()
}

fn default_revocation() -> String {
    "prefer".into()
}

/// Cache sizes.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    /// Result-cache entries (0 disables the result cache).
    pub results: u64,
    /// Result-cache memory, MiB (rendered answers are ~3–6 KiB each).
    pub results_mib: u64,
    /// Signature-memo entries.
    pub signatures: usize,
    /// Parsed intermediate certificates kept by their text as sent (0: parse every time).
    pub intermediates: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            results: 100_000,
            results_mib: 64,
            signatures: 100_000,
            intermediates: 4096,
        }
    }
}

/// Online revocation (`crate::revocation`): fetching limits and caching.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RevocationConfig {
    /// Whether `huren serve` fetches the CRLs and OCSP responses the certificates name (for
    /// policies whose revocation is `require` or `prefer`). `false`: caller evidence only.
    pub online: bool,
    /// Timeout of one fetch (connect and the whole body), milliseconds.
    pub timeout_ms: u64,
    /// Largest CRL or OCSP response, bytes.
    pub max_bytes: usize,
    /// Most network fetches for one validation (cache hits are free); 0: none.
    pub max_fetches: usize,
    /// Longest the fetches of one validation may take together, milliseconds (and never
    /// more than four fifths of `limits.request_timeout_ms`): past it the answer is given
    /// with what came in, the missing ones named; the fetches still running go on and their
    /// results are cached for the next validation.
    pub deadline_ms: u64,
    /// Send an OCSP nonce (RFC 8954, 32 bytes from the OS RNG) and require the response to
    /// echo it. Off by default: many responders serve pre-signed responses without one.
    pub nonce: bool,
    /// Ask OCSP responders with GET when the URL fits in 255 bytes and no nonce is sent
    /// (RFC 5019 §5: HTTP caches can then keep the answer), falling back to POST when the
    /// responder refuses; `false`: always POST.
    pub ocsp_get: bool,
    /// Longest a CRL or OCSP response is kept (it is never kept past its nextUpdate),
    /// seconds.
    pub max_cache_secs: u64,
    /// How long a failed fetch (network, HTTP status, size, malformed or stale data) is
    /// remembered before it is tried again, seconds.
    pub negative_cache_secs: u64,
    /// Memory of each revocation cache (CRLs by URL, OCSP responses by CertID), MiB.
    pub cache_mib: u64,
}

impl Default for RevocationConfig {
    fn default() -> Self {
        RevocationConfig {
            online: true,
            timeout_ms: 3000,
            max_bytes: 10 << 20,
            max_fetches: 8,
            deadline_ms: 5000,
            nonce: false,
            ocsp_get: true,
            max_cache_secs: 3600,
            negative_cache_secs: 30,
            cache_mib: 64,
        }
    }
}

/// Request limits; a request over one gets its 4xx at once.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest request body, bytes.
    pub body_bytes: usize,
    /// Most certificates in one chain (certificate + intermediates).
    pub chain_length: usize,
    /// Most items in one batch.
    pub batch_size: usize,
    /// Longest time one request may take, milliseconds.
    pub request_timeout_ms: u64,
    /// Signature verifications (memo misses) a validation may do on the request's own
    /// thread; one that needs more is redone with the full budget on the blocking pool.
    /// 0: every validation that verifies a signature goes to the blocking pool.
    pub inline_signatures: u32,
    /// Validation requests a second one client (peer address) may make on average; over
    /// it, 429 `RATE_LIMITED` with `Retry-After`. 0: no limit (the default; behind a proxy,
    /// limit there).
    pub rate_per_client: u32,
    /// Validation requests one client may make at once before the rate applies.
    pub rate_burst: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            body_bytes: 1 << 20,
            chain_length: 16,
            batch_size: 100,
            request_timeout_ms: 10_000,
            inline_signatures: 2,
            rate_per_client: 0,
            rate_burst: 50,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Loading: TOML (with the line and column of a bad value), environment overrides,
// validation.

/// The environment variables that override the configuration, with what each sets. A bad
/// value is refused naming the variable. `RUST_LOG` (log filter, default `info`) and
/// `HUREN_LOG_FORMAT` (`json` or `text`) set the logging of `huren serve`.
pub const ENV_VARS: &[(&str, &str)] = &[
    (
        "HUREN_LISTEN",
        "listen: the address to listen on (`127.0.0.1:8080`)",
    ),
    (
        "HUREN_STATE_DIR",
        "state_dir: where the last good lists are kept",
    ),
    (
        "HUREN_ADMIN_TOKEN",
        "admin_token: the bearer token of `POST /v1/admin/refresh`",
    ),
    ("HUREN_CACHE_RESULTS", "cache.results: result-cache entries"),
    (
        "HUREN_CACHE_RESULTS_MIB",
        "cache.results_mib: result-cache memory, MiB",
    ),
    (
        "HUREN_CACHE_INTERMEDIATES",
        "cache.intermediates: parsed intermediate certificates kept",
    ),
    (
        "HUREN_CACHE_SIGNATURES",
        "cache.signatures: signature-memo entries",
    ),
    (
        "HUREN_REVOCATION_TIMEOUT_MS",
        "revocation.timeout_ms: timeout of one revocation fetch",
    ),
    (
        "HUREN_REVOCATION_MAX_BYTES",
        "revocation.max_bytes: largest revocation response",
    ),
    (
        "HUREN_REVOCATION_MAX_FETCHES",
        "revocation.max_fetches: most fetches for one validation",
    ),
    (
        "HUREN_REVOCATION_DEADLINE_MS",
        "revocation.deadline_ms: longest all the revocation fetches of one validation may take",
    ),
    (
        "HUREN_REVOCATION_ONLINE",
        "revocation.online: fetch the CRLs and OCSP responses certificates name (true or false)",
    ),
    (
        "HUREN_REVOCATION_OCSP_GET",
        "revocation.ocsp_get: ask OCSP responders with GET when the request is short (true or false)",
    ),
    (
        "HUREN_REVOCATION_NONCE",
        "revocation.nonce: send an OCSP nonce and require it echoed (true or false)",
    ),
    (
        "HUREN_REVOCATION_MAX_CACHE_SECS",
        "revocation.max_cache_secs: longest a CRL or OCSP response is cached",
    ),
    (
        "HUREN_REVOCATION_NEGATIVE_CACHE_SECS",
        "revocation.negative_cache_secs: how long a failed revocation fetch is remembered",
    ),
    (
        "HUREN_REVOCATION_CACHE_MIB",
        "revocation.cache_mib: memory of each revocation cache, MiB",
    ),
    (
        "HUREN_LIMITS_BODY_BYTES",
        "limits.body_bytes: largest request body",
    ),
    (
        "HUREN_LIMITS_CHAIN_LENGTH",
        "limits.chain_length: most certificates in one chain",
    ),
    (
        "HUREN_LIMITS_BATCH_SIZE",
        "limits.batch_size: most items in one batch",
    ),
    (
        "HUREN_LIMITS_REQUEST_TIMEOUT_MS",
        "limits.request_timeout_ms: longest time one request may take",
    ),
    (
        "HUREN_LIMITS_INLINE_SIGNATURES",
        "limits.inline_signatures: signature verifications done on the request's thread",
    ),
    (
        "HUREN_LIMITS_RATE_PER_CLIENT",
        "limits.rate_per_client: validation requests a second per client (0: no limit)",
    ),
    (
        "HUREN_LIMITS_RATE_BURST",
        "limits.rate_burst: validation requests a client may make at once",
    ),
];

/// A configuration that cannot be used: where (file and line, or environment variable) and
/// why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file, or the environment variable, the bad value came from.
    pub origin: Option<String>,
    /// 1-based line of the bad value in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the bad value in the file.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.origin, self.line, self.column) {
            (Some(o), Some(l), Some(c)) => write!(f, "{o}:{l}:{c}: {}", self.message),
            (Some(o), Some(l), None) => write!(f, "{o}:{l}: {}", self.message),
            (None, Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (None, Some(l), None) => write!(f, "line {l}: {}", self.message),
            (Some(o), None, _) => write!(f, "{o}: {}", self.message),
            (None, None, _) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn env(var: &str, message: impl Into<String>) -> Self {
        ConfigError {
            origin: Some(format!("environment variable {var}")),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// One step of a path into the document (`trust_lists[1].signers[0]`).
#[derive(Clone, Debug)]
enum Seg {
    K(&'static str),
    I(usize),
}

/// A validation failure before it is located in the text.
struct Bad {
    path: Vec<Seg>,
    message: String,
}

fn bad(path: Vec<Seg>, message: impl Into<String>) -> Bad {
    Bad {
        path,
        message: message.into(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (Option<usize>, Option<usize>) {
    let Some(before) = text.get(..offset) else {
        return (None, None);
    };
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (Some(line), Some(column))
}

/// The start of the deepest value along `path` that the document holds.
fn locate(text: &str, path: &[Seg]) -> Option<usize> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut start = None;
    let mut current = toml::de::DeValue::Table(root.into_inner());
    for seg in path {
        let next = match seg {
            Seg::K(k) => current.get(*k),
            Seg::I(i) => current.get(*i),
        };
        match next {
            Some(v) => {
                start = Some(v.span().start);
                let v = v.get_ref().clone();
                current = v;
            }
            None => break,
        }
    }
    start
}

/// The kind of a trust-list location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An `http://` or `https://` URL.
    Url(reqwest::Url),
    /// A file.
    File(PathBuf),
}

impl Location {
    /// Parses a location: an http(s) URL, or else a file path. Another URL scheme is
    /// refused.
    pub fn parse(s: &str) -> Result<Location, String> {
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = reqwest::Url::parse(s).map_err(|e| format!("{s:?} is not a URL: {e}"))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(format!("{s:?} names no host"));
            }
            return Ok(Location::Url(url));
        }
        if let Some((scheme, _)) = s.split_once("://")
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return Err(format!(
                "{s:?}: the URL scheme {scheme:?} is not supported (http and https only)"
            ));
        }
        if s.is_empty() {
            return Err("the location is empty".into());
        }
        Ok(Location::File(PathBuf::from(s)))
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// Reads a file of certificates (PEM with one or more, or DER) and returns them as DER.
pub fn read_certificates(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let ders = huren_validator::pem::decode_all(&bytes, huren_validator::pem::CERTIFICATE_LABELS)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if ders.is_empty() {
        return Err(format!("{}: no certificate in it", path.display()));
    }
    for (i, d) in ders.iter().enumerate() {
        huren_validator::Certificate::from_der(d).map_err(|e| {
            format!(
                "{}: certificate {} is malformed: {e}",
                path.display(),
                i + 1
            )
        })?;
    }
    Ok(ders)
}

fn check_location(s: &str, path: Vec<Seg>) -> Result<(), Bad> {
    match Location::parse(s).map_err(|m| bad(path.clone(), m))? {
        Location::Url(_) => Ok(()),
        Location::File(p) => match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => std::fs::File::open(&p).map(|_| ()).map_err(|e| {
                bad(
                    path,
                    format!("the list file {} is not readable: {e}", p.display()),
                )
            }),
            Ok(_) => Err(bad(path, format!("{} is not a file", p.display()))),
            Err(e) => Err(bad(
                path,
                format!(
                    "{s:?} is neither an http(s) URL nor a readable file: {}: {e}",
                    p.display()
                ),
            )),
        },
    }
}

fn check_state_dir(p: &Path) -> Result<(), String> {
    match std::fs::metadata(p) {
        Ok(m) if !m.is_dir() => Err(format!("{} exists and is not a directory", p.display())),
        _ if p.as_os_str().is_empty() => Err("the state directory is empty".into()),
        _ => Ok(()),
    }
}

fn check_positive(v: u64, what: &str) -> Result<(), String> {
    if v == 0 {
        Err(format!("{what} must be at least 1"))
    } else {
        Ok(())
    }
}

impl PolicyConfig {
    /// Checks the profile and revocation words, the OIDs and the usage names.
    fn check(&self, at: &[Seg]) -> Result<(), Bad> {
        let p = |k: &'static str| {
            let mut v = at.to_vec();
            v.push(Seg::K(k));
            v
        };
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(bad(
                p("id"),
                format!(
                    "policy id {:?}: use letters, digits, '-', '_' or '.' (it appears in URLs)",
                    self.id
                ),
            ));
        }
        if self.version.is_empty() {
            return Err(bad(p("version"), "the policy version is empty"));
        }
        if !["rfc5280", "webpki"].contains(&self.profile.as_str()) {
            return Err(bad(
                p("profile"),
                format!("profile {:?} is not one of rfc5280, webpki", self.profile),
            ));
        }
        if !["require", "prefer", "off"].contains(&self.revocation.as_str()) {
            return Err(bad(
                p("revocation"),
                format!(
                    "revocation {:?} is not one of require, prefer, off",
                    self.revocation
                ),
            ));
        }
        for (i, o) in self.policy_oids.iter().enumerate() {
            if huren_validator::Oid::parse(o).is_none() {
                let mut path = p("policy_oids");
                path.push(Seg::I(i));
                return Err(bad(path, format!("{o:?} is not an OID (dotted decimal)")));
            }
        }
        for (i, k) in self.key_usages.iter().enumerate() {
            if huren_validator::KeyUsageBit::from_name(k).is_none() {
                let mut path = p("key_usages");
                path.push(Seg::I(i));
                let names: Vec<&str> = huren_validator::KeyUsageBit::ALL
                    .iter()
                    .map(|b| b.name())
                    .collect();
                return Err(bad(
                    path,
                    format!(
                        "{k:?} is not a key usage name (one of {})",
                        names.join(", ")
                    ),
                ));
            }
        }
        for (i, e) in self.ekus.iter().enumerate() {
            if huren_validator::Oid::from_purpose_name(e)
                .or_else(|| huren_validator::Oid::parse(e))
                .is_none()
            {
                let mut path = p("ekus");
                path.push(Seg::I(i));
                return Err(bad(
                    path,
                    format!(
                        "{e:?} is not an OID or a purpose name (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, anyExtendedKeyUsage)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Config {
    /// Parses and validates a TOML configuration; relative paths are taken from the current
    /// directory. A bad configuration is refused with the line and column of the bad value
    /// and the reason.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_in(text, Path::new(""))
    }

    /// Parses and validates a TOML configuration; relative file paths (signers, list files,
    /// the state directory) are taken from `base` (the configuration file's directory).
    pub fn from_toml_in(text: &str, base: &Path) -> Result<Config, ConfigError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((None, None), |s| line_column(text, s.start));
            ConfigError {
                origin: None,
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        cfg.resolve_paths(base);
        cfg.check().map_err(|b| {
            let (line, column) =
                locate(text, &b.path).map_or((None, None), |o| line_column(text, o));
            ConfigError {
                origin: None,
                line,
                column,
                message: b.message,
            }
        })?;
        Ok(cfg)
    }

    /// `huren serve`'s configuration: the file (if any; relative paths from its directory),
    /// then the `HUREN_*` environment overrides of [`ENV_VARS`] read through `env`.
    pub fn load(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut cfg = match file {
            None => Config::default(),
            Some(path) => {
                let origin = Some(path.display().to_string());
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                    origin: origin.clone(),
                    line: None,
                    column: None,
                    message: format!("cannot read the configuration file: {e}"),
                })?;
                let base = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                Config::from_toml_in(&text, &base).map_err(|mut e| {
                    e.origin = origin;
                    e
                })?
            }
        };
        cfg.apply_env(env)?;
        Ok(cfg)
    }

    /// Applies the `HUREN_*` overrides ([`ENV_VARS`]) read through `env`; a bad value is
    /// refused naming the variable.
    pub fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn num<T: std::str::FromStr>(var: &str, v: &str) -> Result<T, ConfigError> {
            v.trim().parse().map_err(|_| {
                ConfigError::env(var, format!("{v:?} is not a non-negative whole number"))
            })
        }
        fn pos<T: std::str::FromStr + Into<u64> + Copy>(
            var: &str,
            v: &str,
        ) -> Result<T, ConfigError> {
            let n: T = num(var, v)?;
            check_positive(n.into(), "the value").map_err(|m| ConfigError::env(var, m))?;
            Ok(n)
        }
        fn boolean(var: &str, v: &str) -> Result<bool, ConfigError> {
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::env(var, format!("{v:?} is not true or false"))),
            }
        }
        fn pos_usize(var: &str, v: &str) -> Result<usize, ConfigError> {
            let n: usize = num(var, v)?;
            check_positive(n as u64, "the value").map_err(|m| ConfigError::env(var, m))?;
            Ok(n)
        }
        for (var, _) in ENV_VARS {
            let Some(v) = env(var) else { continue };
            match *var {
                "HUREN_LISTEN" => {
                    self.listen = v.trim().parse().map_err(|_| {
                        ConfigError::env(
                            var,
                            format!(
                                "{v:?} is not a socket address (e.g. 127.0.0.1:8080, [::1]:8080)"
                            ),
                        )
                    })?;
                }
                "HUREN_STATE_DIR" => {
                    let p = PathBuf::from(&v);
                    check_state_dir(&p).map_err(|m| ConfigError::env(var, m))?;
                    self.state_dir = Some(p);
                }
                "HUREN_ADMIN_TOKEN" => {
                    check_token(&v).map_err(|m| ConfigError::env(var, m))?;
                    self.admin_token = Some(v);
                }
                "HUREN_CACHE_RESULTS" => self.cache.results = num(var, &v)?,
                "HUREN_CACHE_RESULTS_MIB" => self.cache.results_mib = num(var, &v)?,
                "HUREN_CACHE_INTERMEDIATES" => self.cache.intermediates = num(var, &v)?,
                "HUREN_CACHE_SIGNATURES" => self.cache.signatures = num(var, &v)?,
                "HUREN_REVOCATION_TIMEOUT_MS" => self.revocation.timeout_ms = pos::<u64>(var, &v)?,
                "HUREN_REVOCATION_MAX_BYTES" => self.revocation.max_bytes = pos_usize(var, &v)?,
                "HUREN_REVOCATION_MAX_FETCHES" => self.revocation.max_fetches = num(var, &v)?,
                "HUREN_REVOCATION_DEADLINE_MS" => {
                    self.revocation.deadline_ms = pos::<u64>(var, &v)?;
                }
                "HUREN_REVOCATION_ONLINE" => self.revocation.online = boolean(var, &v)?,
                "HUREN_REVOCATION_NONCE" => self.revocation.nonce = boolean(var, &v)?,
                "HUREN_REVOCATION_OCSP_GET" => self.revocation.ocsp_get = boolean(var, &v)?,
                "HUREN_REVOCATION_MAX_CACHE_SECS" => {
                    self.revocation.max_cache_secs = num(var, &v)?;
                }
                "HUREN_REVOCATION_NEGATIVE_CACHE_SECS" => {
                    self.revocation.negative_cache_secs = num(var, &v)?;
                }
                "HUREN_REVOCATION_CACHE_MIB" => self.revocation.cache_mib = num(var, &v)?,
                "HUREN_LIMITS_BODY_BYTES" => self.limits.body_bytes = pos_usize(var, &v)?,
                "HUREN_LIMITS_CHAIN_LENGTH" => self.limits.chain_length = pos_usize(var, &v)?,
                "HUREN_LIMITS_BATCH_SIZE" => self.limits.batch_size = pos_usize(var, &v)?,
                "HUREN_LIMITS_REQUEST_TIMEOUT_MS" => {
                    self.limits.request_timeout_ms = pos::<u64>(var, &v)?;
                }
                "HUREN_LIMITS_INLINE_SIGNATURES" => {
                    self.limits.inline_signatures = num(var, &v)?;
                }
                "HUREN_LIMITS_RATE_PER_CLIENT" => self.limits.rate_per_client = num(var, &v)?,
                "HUREN_LIMITS_RATE_BURST" => self.limits.rate_burst = num(var, &v)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn resolve_paths(&mut self, base: &Path) {
        if let Some(d) = &self.state_dir {
            self.state_dir = Some(resolve(base, d));
        }
        for s in &mut self.trust_lists {
            for p in &mut s.signers {
                *p = resolve(base, p);
            }
            for loc in std::iter::once(&mut s.location).chain(s.foreign.iter_mut()) {
                if let Ok(Location::File(p)) = Location::parse(loc)
                    && !p.is_absolute()
                {
                    *loc = resolve(base, &p).to_string_lossy().into_owned();
                }
            }
        }
    }

    /// Every rule a configuration must meet, with the path of the first value that does not.
    fn check(&self) -> Result<(), Bad> {
        use Seg::{I, K};
        let mut names = std::collections::HashSet::new();
        for (i, s) in self.trust_lists.iter().enumerate() {
            let at = |k: &'static str| vec![K("trust_lists"), I(i), K(k)];
            if s.name.trim().is_empty() {
                return Err(bad(at("name"), "the trust-list name is empty"));
            }
            if !names.insert(s.name.as_str()) {
                return Err(bad(
                    at("name"),
                    format!(
                        "a trust list named {:?} is already configured; names must be unique",
                        s.name
                    ),
                ));
            }
            check_location(&s.location, at("location"))?;
            if s.signers.is_empty() {
                return Err(bad(
                    at("signers"),
                    format!(
                        "trust list {:?}: no pinned signer certificate; a list is only trusted when a pinned signer signed it",
                        s.name
                    ),
                ));
            }
            for (j, p) in s.signers.iter().enumerate() {
                read_certificates(p).map_err(|m| {
                    bad(
                        vec![K("trust_lists"), I(i), K("signers"), I(j)],
                        format!("pinned signer: {m}"),
                    )
                })?;
            }
            check_positive(s.refresh_secs, "refresh_secs")
                .map_err(|m| bad(at("refresh_secs"), m))?;
            check_positive(s.fetch_timeout_ms, "fetch_timeout_ms")
                .map_err(|m| bad(at("fetch_timeout_ms"), m))?;
            if !s.foreign.is_empty() && s.role != ListRoleConfig::Miit {
                return Err(bad(
                    at("foreign"),
                    "foreign lists are followed through the pointers of a MIIT list (role = \"miit\") only",
                ));
            }
            for (j, f) in s.foreign.iter().enumerate() {
                check_location(f, vec![K("trust_lists"), I(i), K("foreign"), I(j)])?;
            }
        }
        if let Some(d) = &self.state_dir {
            check_state_dir(d).map_err(|m| bad(vec![K("state_dir")], m))?;
        }
        let mut ids = std::collections::HashSet::new();
        for (i, p) in self.policies.iter().enumerate() {
            p.check(&[K("policies"), I(i)])?;
            if !ids.insert(p.id.as_str()) {
                return Err(bad(
                    vec![K("policies"), I(i), K("id")],
                    format!(
                        "a policy with id {:?} is already configured; ids must be unique",
                        p.id
                    ),
                ));
            }
        }
        let l = &self.limits;
        for (v, k) in [
            (l.body_bytes as u64, "body_bytes"),
            (l.chain_length as u64, "chain_length"),
            (l.batch_size as u64, "batch_size"),
            (l.request_timeout_ms, "request_timeout_ms"),
        ] {
            check_positive(v, k).map_err(|m| bad(vec![K("limits"), K(k)], m))?;
        }
        let r = &self.revocation;
        for (v, k) in [
            (r.timeout_ms, "timeout_ms"),
            (r.max_bytes as u64, "max_bytes"),
            (r.deadline_ms, "deadline_ms"),
        ] {
            check_positive(v, k).map_err(|m| bad(vec![K("revocation"), K(k)], m))?;
        }
        if let Some(t) = &self.admin_token {
            check_token(t).map_err(|m| bad(vec![K("admin_token")], m))?;
        }
        Ok(())
    }
}

fn check_token(t: &str) -> Result<(), String> {
    if t.len() < 16 {
        Err("the admin token must be at least 16 characters".into())
    } else if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("the admin token must not contain spaces or control characters".into())
    } else {
        Ok(())
    }
}
