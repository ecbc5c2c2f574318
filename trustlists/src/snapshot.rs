//! The anchor index built from verified lists: immutable, precomputed, and the only place
//! where trust-list content becomes validator anchors.
//!
//! Each CA service's X.509 identities become anchors (matched by public key + subject, as
//! the validator's [`AnchorSet`] does), carrying a regulatory [`AnchorScope`]: the
//! provenance (list, sequence, territory, service, licence or approval number), the status
//! intervals from the service's current information and history (TS 119 612 §5.5.4, §5.6),
//! the licence (Art. 11), the approval (Art. 47–49), restriction periods (Art. 39) and the
//! successor (Art. 31). Only *verified* lists are accepted.

use crate::model::{
    AlgorithmFamily, Approval, DigitalIdentity, MiitServiceExtension, Service, ServiceStatus,
    TrustList,
};
use crate::verify::VerifiedTrustList;
use huren_validator::{
    AlgorithmRule, Anchor, AnchorKind, AnchorScope, AnchorSet, Approval as ScopeApproval,
    Certificate, KeyFamily, KeyUsageBit, Licence, Provenance, ServiceState, StatusInterval,
};
use sha2::Digest as _;
use std::sync::Arc;

/// How a list's anchors are trusted.
#[derive(Clone, Debug)]
pub enum ListRole {
    /// MIIT's own list: each entry's licence (domestic) or approval (foreign) scopes it.
    Miit,
    /// A foreign list reached through a pointer carrying an approval: every CA of that list
    /// is trusted only inside the approval.
    ForeignScheme(Approval),
    /// A list trusted as its own scheme defines (e.g. the EU lists for an EU relying party):
    /// status history only.
    Scheme,
}

/// One list of a snapshot, for `/v1/trust-lists` and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListSummary {
    /// SchemeTerritory.
    pub territory: String,
    /// TSLSequenceNumber.
    pub sequence: u64,
    /// ListIssueDateTime.
    pub issued: i64,
    /// NextUpdate (`None`: closed list).
    pub next_update: Option<i64>,
    /// SHA-256 of the verified bytes, hex.
    pub sha256: String,
    /// The signer certificate's SHA-256, hex.
    pub signer_sha256: String,
    /// Anchors taken from this list.
    pub anchors: usize,
    /// CA identities skipped (not a certificate, or a certificate that does not parse).
    pub skipped: usize,
}

/// An immutable anchor index and what it was built from.
#[derive(Clone, Debug)]
pub struct Snapshot {
    id: String,
    anchors: AnchorSet,
    lists: Vec<ListSummary>,
}

impl Snapshot {
    /// `sha256:` + the SHA-256 over the verified lists' digests, in order: the same inputs
    /// give the same id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The anchors, each with its scope.
    pub fn anchors(&self) -> &AnchorSet {
        &self.anchors
    }

    /// The lists it was built from.
    pub fn lists(&self) -> &[ListSummary] {
        &self.lists
    }

    /// The earliest NextUpdate of its lists (`None` when every list is closed).
    pub fn next_update(&self) -> Option<i64> {
        self.lists.iter().filter_map(|l| l.next_update).min()
    }
}

/// Builds the anchor index from verified lists, each with its role.
pub fn build_snapshot(lists: &[(&VerifiedTrustList, ListRole)]) -> Snapshot {
    let mut anchors = AnchorSet::new();
    let mut summaries = Vec::with_capacity(lists.len());
    let mut id = sha2::Sha256::new();
    for (v, role) in lists {
        id.update(v.sha256());
        let list = v.list();
        let before = anchors.len();
        let skipped = add_list(&mut anchors, list, role);
        summaries.push(ListSummary {
            territory: list.scheme_territory.clone().unwrap_or_default(),
            sequence: list.sequence,
            issued: list.issued,
            next_update: list.next_update,
            sha256: v.sha256_hex(),
            signer_sha256: huren_validator::cert::hex(&sha2::Sha256::digest(v.signer())),
            anchors: anchors.len() - before,
            skipped,
        });
    }
    Snapshot {
        id: format!("sha256:{}", huren_validator::cert::hex(&id.finalize())),
        anchors,
        lists: summaries,
    }
}

fn state(s: &ServiceStatus) -> ServiceState {
    match s {
        ServiceStatus::Suspended => ServiceState::Suspended,
        ServiceStatus::Withdrawn
        | ServiceStatus::SupervisionRevoked
        | ServiceStatus::SupervisionCeased
        | ServiceStatus::AccreditationRevoked
        | ServiceStatus::AccreditationCeased
        | ServiceStatus::DeprecatedAtNationalLevel
        | ServiceStatus::DeprecatedByNationalLaw => ServiceState::Withdrawn,
        s if s.is_granted_like() => ServiceState::Granted,
        s => ServiceState::NotGranted(s.label().to_string()),
    }
}

/// The status intervals of a service: the current information covers [start, ∞), each
/// history instance (newest first) [its start, the start of the one after it).
fn history(service: &Service) -> Vec<StatusInterval> {
    let mut out = vec![StatusInterval {
        from: service.status_start,
        until: None,
        status: state(&service.status),
    }];
    let mut until = service.status_start;
    for h in &service.history {
        if h.status_start >= until {
            // Out of order history: it cannot be placed; it is not trusted to extend trust.
            continue;
        }
        out.push(StatusInterval {
            from: h.status_start,
            until: Some(until),
            status: state(&h.status),
        });
        until = h.status_start;
    }
    out
}

fn key_family(f: &AlgorithmFamily) -> Option<KeyFamily> {
    Some(match f {
        AlgorithmFamily::Rsa => KeyFamily::Rsa,
        AlgorithmFamily::EcP256 => KeyFamily::EcP256,
        AlgorithmFamily::EcP384 => KeyFamily::EcP384,
        AlgorithmFamily::EcP521 => KeyFamily::EcP521,
        AlgorithmFamily::Ed25519 => KeyFamily::Ed25519,
        AlgorithmFamily::Sm2 => KeyFamily::Sm2,
        _ => return None,
    })
}

/// The validator's form of an approval. Unknown algorithm families and key-usage names are
/// dropped, which narrows (never widens) the scope.
pub fn approval_scope(a: &Approval) -> ScopeApproval {
    ScopeApproval {
        decision: a.decision.clone(),
        decided: a.decided,
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        policy_oids: a.policy_oids.clone(),
        algorithms: a
            .algorithms
            .iter()
            .filter_map(|r| {
                Some(AlgorithmRule {
                    family: key_family(&r.family)?,
                    min_bits: r.min_bits,
                })
            })
            .collect(),
        key_usages: a
            .key_usages
            .iter()
            .filter_map(|k| KeyUsageBit::from_name(k))
            .collect(),
        extended_key_usages: a.ekus.clone(),
    }
}

/// The CA services of `list` by each of their names (service and provider, every
/// language): a successor named by `miit:Successor` or `tslx:TakenOverBy` (Art. 31) is
/// found here.
fn services_by_name(list: &TrustList) -> std::collections::HashMap<&str, &Service> {
    let mut out = std::collections::HashMap::new();
    for (provider, service) in list.services() {
        if !service.service_type.is_ca() {
            continue;
        }
        for n in service.name.texts().chain(provider.name.texts()) {
            out.entry(n).or_insert(service);
        }
    }
    out
}

/// The successor of a taken-over service as reports name it, and the names to look it up
/// by on the same list: `miit:Successor`; else `tslx:TakenOverBy`'s TSPName (English
/// first), looked up only when its SchemeTerritory is this list's (a successor on another
/// scheme's list is named, its endpoints are not taken from here).
fn successor_of(
    service: &Service,
    miit: Option<&MiitServiceExtension>,
    territory: &str,
) -> (Option<String>, Vec<String>) {
    if let Some(n) = miit.and_then(|m| m.successor.clone()) {
        return (Some(n.clone()), vec![n]);
    }
    let Some(t) = service.extensions.taken_over_by.as_ref() else {
        return (None, Vec::new());
    };
    let name = t
        .tsp_name
        .get("en")
        .or_else(|| t.tsp_name.texts().next())
        .map(str::to_string);
    let same_scheme = t.territory.is_empty() || t.territory.eq_ignore_ascii_case(territory);
    let lookup = if same_scheme {
        t.tsp_name.texts().map(str::to_string).collect()
    } else {
        Vec::new()
    };
    (name, lookup)
}

fn add_list(anchors: &mut AnchorSet, list: &TrustList, role: &ListRole) -> usize {
    let territory = list.scheme_territory.clone().unwrap_or_default();
    let list_label = format!("{territory} #{}", list.sequence);
    let by_name = services_by_name(list);
    let mut skipped = 0;
    for (provider, service) in list.services() {
        if !service.service_type.is_ca() || !service.extensions.unknown_critical.is_empty() {
            // TS 119 612 §5.5.9: a service with a critical extension we do not understand
            // is not used.
            continue;
        }
        let miit: Option<&MiitServiceExtension> = service.extensions.miit.as_ref();
        let (kind, approval) = match role {
            ListRole::Miit => match miit.and_then(|m| m.approval.as_ref()) {
                Some(a) => (AnchorKind::ForeignApproved, Some(approval_scope(a))),
                None => (AnchorKind::Domestic, None),
            },
            ListRole::ForeignScheme(a) => (AnchorKind::ForeignScheme, Some(approval_scope(a))),
            ListRole::Scheme => (AnchorKind::Domestic, None),
        };
        let licence = miit.and_then(|m| m.licence.as_ref()).map(|l| Licence {
            number: l.number.clone(),
            issuing_authority: l.issuing_authority.clone(),
            issued: l.issued,
            expires: l.expires,
        });
        if matches!(role, ListRole::Miit) && licence.is_none() && approval.is_none() {
            // Art. 11, 47: on MIIT's list, an entry with neither a licence nor an approval
            // grants nothing.
            skipped += service.identities.len();
            continue;
        }
        let reference = licence
            .as_ref()
            .map(|l| l.number.clone())
            .or_else(|| approval.as_ref().map(|a| a.decision.clone()));
        let service_name = service
            .name
            .get("en")
            .or_else(|| provider.name.get("en"))
            .unwrap_or_default()
            .to_string();
        let mut sc = AnchorScope::new(
            kind,
            Provenance {
                list: list_label.clone(),
                territory: territory.clone(),
                sequence: list.sequence,
                service: service_name.clone(),
                reference,
            },
        );
        sc.history = history(service);
        sc.licence = licence;
        sc.approval = approval;
        if let Some(m) = miit {
            sc.restrictions = m.restrictions.iter().map(|r| (r.from, r.until)).collect();
        }
        // Art. 31: the successor — `miit:Successor`, else TS 119 612's `tslx:TakenOverBy`
        // when it names a provider of this same scheme — with its certificates and supply
        // points, which answer for the status of the certificates it took over.
        let (successor, lookup) = successor_of(service, miit, &territory);
        sc.successor = successor;
        if let Some(succ) = lookup.iter().find_map(|n| by_name.get(n.as_str())) {
            sc.successor_certificates = succ.certificates().map(<[u8]>::to_vec).collect();
            sc.successor_endpoints = succ
                .supply_points
                .iter()
                .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
                .cloned()
                .collect();
        }
        let identities = service
            .identities
            .iter()
            .chain(service.history.iter().flat_map(|h| h.identities.iter()));
        let mut seen: Vec<&[u8]> = Vec::new();
        for id in identities {
            let DigitalIdentity::Certificate(der) = id else {
                continue;
            };
            if seen.contains(&der.as_slice()) {
                continue;
            }
            seen.push(der);
            match Certificate::from_der(der) {
                Ok(cert) => anchors.add(
                    Anchor::new(Arc::new(cert))
                        .with_label(format!("{list_label}: {service_name}"))
                        .with_scope(sc.clone()),
                ),
                Err(_) => skipped += 1,
            }
        }
    }
    skipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_source;

    const DEMO: &str = include_str!("../../testvectors/trustlists/miit-demo.toml");
    const OLD: &[u8] = include_bytes!("../../testvectors/trustlists/certs/demo-legacy-ca.pem");
    const NEW: &[u8] = include_bytes!("../../testvectors/trustlists/certs/demo-licensed-ca.pem");

    /// The demo scheme with a CA taken over by another that gives its supply points.
    fn taken_over_list() -> TrustList {
        let scheme = &DEMO[..DEMO.find("[[domestic]]").unwrap()];
        let entries = r#"
[[domestic]]
name = { en = "Old CA" }
website = "https://old.example/"
certificates = ["old.pem"]
licence = { number = "ECS-T-001", issuing_authority = "MIIT", issued = "2021-01-01T00:00:00Z" }
[[domestic.status]]
status = "granted"
from = "2021-01-01T00:00:00Z"
[[domestic.status]]
status = "taken-over"
from = "2026-01-01T00:00:00Z"
successor = "New CA"

[[domestic]]
name = { en = "New CA" }
website = "https://new.example/"
certificates = ["new.pem"]
supply_points = ["http://ocsp.new.example/", "http://crl.new.example/new.crl"]
licence = { number = "ECS-T-002", issuing_authority = "MIIT", issued = "2022-01-01T00:00:00Z" }
[[domestic.status]]
status = "granted"
from = "2022-01-01T00:00:00Z"
"#;
        parse_source(&format!("{scheme}{entries}"))
            .unwrap()
            .to_list(&|p: &str| Ok(if p == "old.pem" { OLD } else { NEW }.to_vec()))
            .unwrap()
    }

    fn old_scope(list: &TrustList) -> AnchorScope {
        let mut anchors = AnchorSet::new();
        add_list(&mut anchors, list, &ListRole::Miit);
        anchors
            .iter()
            .find(|a| a.scope().is_some_and(|s| s.provenance.service == "Old CA"))
            .and_then(|a| a.scope().cloned())
            .expect("the old CA is an anchor")
    }

    fn strip_miit_successor(list: &mut TrustList) {
        for p in &mut list.providers {
            for s in &mut p.services {
                if let Some(m) = s.extensions.miit.as_mut() {
                    m.successor = None;
                }
            }
        }
    }

    #[test]
    fn the_successor_comes_from_miit_successor_or_taken_over_by() {
        let list = taken_over_list();
        let by_miit = old_scope(&list);
        assert_eq!(by_miit.successor.as_deref(), Some("New CA"));
        assert_eq!(
            by_miit.successor_endpoints,
            ["http://ocsp.new.example/", "http://crl.new.example/new.crl"]
        );
        assert_eq!(by_miit.successor_certificates.len(), 1);

        // The same list with TS 119 612's tslx:TakenOverBy alone.
        let mut etsi = list.clone();
        strip_miit_successor(&mut etsi);
        let by_etsi = old_scope(&etsi);
        assert_eq!(by_etsi.successor, by_miit.successor);
        assert_eq!(by_etsi.successor_endpoints, by_miit.successor_endpoints);
        assert_eq!(
            by_etsi.successor_certificates,
            by_miit.successor_certificates
        );

        // A successor on another scheme's list is named, not looked up here.
        let mut abroad = etsi.clone();
        for p in &mut abroad.providers {
            for s in &mut p.services {
                if let Some(t) = s.extensions.taken_over_by.as_mut() {
                    t.territory = "DE".into();
                }
            }
        }
        let by_abroad = old_scope(&abroad);
        assert_eq!(by_abroad.successor.as_deref(), Some("New CA"));
        assert!(by_abroad.successor_endpoints.is_empty());
        assert!(by_abroad.successor_certificates.is_empty());
    }
}
