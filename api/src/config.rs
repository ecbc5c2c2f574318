//! The service configuration: `huren serve --config FILE` (TOML), with `HUREN_*` environment
//! overrides; every field has a default, so `huren serve` with no file starts on the
//! bundled demo list.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// Revocation fetching limits (used by the online-revocation issue).
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
}

fn default_refresh() -> u64 {
    3600
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
    /// Result-cache entries.
    pub results: u64,
    /// Signature-memo entries.
    pub signatures: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            results: 100_000,
            signatures: 100_000,
        }
    }
}

/// Revocation fetching limits.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RevocationConfig {
    /// Timeout of one fetch, milliseconds.
    pub timeout_ms: u64,
    /// Largest response, bytes.
    pub max_bytes: usize,
    /// Most fetches for one validation.
    pub max_fetches: usize,
}

impl Default for RevocationConfig {
    fn default() -> Self {
        RevocationConfig {
            timeout_ms: 3000,
            max_bytes: 10 << 20,
            max_fetches: 8,
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
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            body_bytes: 1 << 20,
            chain_length: 16,
            batch_size: 100,
            request_timeout_ms: 10_000,
        }
    }
}
