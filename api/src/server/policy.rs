//! The validation policies the service offers (`/v1/policies`), compiled once from the
//! configuration into the engine's option values.

use crate::config::PolicyConfig;
use huren_validator::{KeyUsageBit, Oid, PolicyInputs, Profile, RevocationPolicy};
use std::sync::Arc;

/// The id of the policy used when a request names none.
pub const DEFAULT_POLICY: &str = "default";

/// A compiled policy.
#[derive(Clone, Debug)]
pub struct Policy {
    /// As configured.
    pub config: PolicyConfig,
    /// The certificate profile.
    pub profile: Profile,
    /// What to do about revocation.
    pub revocation: RevocationPolicy,
    /// Policy inputs (user-initial-policy-set from `policy_oids`).
    pub inputs: PolicyInputs,
    /// Key usages the end entity must allow.
    pub key_usages: Vec<KeyUsageBit>,
    /// Extended key usages the end entity must allow.
    pub ekus: Vec<Oid>,
}

/// An extended key usage by name (`serverAuth`, …) or dotted OID.
pub fn eku_oid(s: &str) -> Option<Oid> {
    Oid::from_purpose_name(s).or_else(|| Oid::parse(s))
}

impl Policy {
    /// Compiles one configured policy; the error names the policy and the bad value.
    pub fn compile(c: &PolicyConfig) -> Result<Policy, String> {
        let bad = |what: &str, v: &str| format!("policy {:?}: {what} {v:?} is not valid", c.id);
        let profile = match c.profile.as_str() {
            "rfc5280" => Profile::Rfc5280,
            "webpki" => Profile::WebPki,
            p => return Err(bad("profile (rfc5280 or webpki)", p)),
        };
        let revocation = match c.revocation.as_str() {
            "require" => RevocationPolicy::Require,
            "prefer" => RevocationPolicy::Prefer,
            "off" => RevocationPolicy::Off,
            r => return Err(bad("revocation (require, prefer or off)", r)),
        };
        let oids = c
            .policy_oids
            .iter()
            .map(|o| Oid::parse(o).ok_or_else(|| bad("policy OID", o)))
            .collect::<Result<Vec<_>, _>>()?;
        let key_usages = c
            .key_usages
            .iter()
            .map(|k| KeyUsageBit::from_name(k).ok_or_else(|| bad("key usage", k)))
            .collect::<Result<_, _>>()?;
        let ekus = c
            .ekus
            .iter()
            .map(|e| eku_oid(e).ok_or_else(|| bad("extended key usage", e)))
            .collect::<Result<_, _>>()?;
        Ok(Policy {
            config: c.clone(),
            profile,
            revocation,
            inputs: PolicyInputs {
                initial_policy_set: oids,
                ..PolicyInputs::default()
            },
            key_usages,
            ekus,
        })
    }

    /// The built-in `default` policy (offered when the configuration names none): RFC 5280
    /// profile, revocation `prefer` (checked when evidence is supplied, a warning otherwise),
    /// any certificate policy, no usage required beyond the request's.
    pub fn builtin_default() -> PolicyConfig {
        PolicyConfig {
            id: DEFAULT_POLICY.into(),
            version: "1".into(),
            description: "RFC 5280 path validation under the loaded trust lists; revocation checked when evidence is available".into(),
            profile: "rfc5280".into(),
            revocation: "prefer".into(),
            policy_oids: Vec::new(),
            key_usages: Vec::new(),
            ekus: Vec::new(),
        }
    }
}

/// The offered policies, in configuration order.
#[derive(Clone, Debug, Default)]
pub struct Policies(Vec<Arc<Policy>>);

impl Policies {
    /// Compiles the configured policies (the built-in `default` when there are none).
    pub fn compile(configs: &[PolicyConfig]) -> Result<Policies, String> {
        let builtin;
        let configs = if configs.is_empty() {
            builtin = [Policy::builtin_default()];
            &builtin[..]
        } else {
            configs
        };
        let mut out: Vec<Arc<Policy>> = Vec::with_capacity(configs.len());
        for c in configs {
            if out.iter().any(|p| p.config.id == c.id) {
                return Err(format!("policy {:?} is defined twice", c.id));
            }
            out.push(Arc::new(Policy::compile(c)?));
        }
        Ok(Policies(out))
    }

    /// The policy with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Policy>> {
        self.0.iter().find(|p| p.config.id == id)
    }

    /// Every policy.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Policy>> {
        self.0.iter()
    }
}
