//! What changed from one issue of a list to the next: a pure comparison of two
//! [`TrustList`]s into typed changes, for `huren tl diff` and for the service.
//!
//! **Services are identified by their certificates**: the set of SHA-256 digests of their
//! `X509Certificate` identities. A service without any certificate is identified by its
//! provider's and its own name (English, else the first given). Pairing goes in passes, each
//! over what the previous left unpaired: (1) the same certificate set, service type and
//! name; (2) the same certificate set; (3) a certificate in common and the same service type
//! (a CA certificate re-issued or added is a change of that service, reported as
//! [`ServiceChange::Certificates`]). A service left unpaired in the old list was *removed*
//! (withdrawn from the list), one left unpaired in the new list was *added*.
//!
//! **Pointers** are identified by territory and location; then, among those left, by
//! territory and MIME type when that pair is unique on both sides (a moved list, reported as
//! [`PointerChange::Location`]).
//!
//! Nothing here is verified: compare lists that [`crate::verify`] accepted when the answer
//! matters.

use crate::model::{
    AlgorithmRule, Approval, Basis, DigitalIdentity, Licence, MultiLang, Pointer, Provider,
    Restriction, Service, ServiceStatus, ServiceType, TrustList,
};
use huren_validator::fmt_time;
use sha2::Digest as _;
use std::fmt;

/// Everything that differs between two lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Changes of the scheme information (sequence, dates, territory, operator, version).
    pub scheme: Vec<SchemeChange>,
    /// Services added, removed or changed, in the order: changed and removed in the old
    /// list's order, then added in the new list's order.
    pub services: Vec<ServiceDiff>,
    /// Pointers to other lists added, removed or changed.
    pub pointers: Vec<PointerDiff>,
}

impl Diff {
    /// Whether the two lists say the same (as far as this comparison looks).
    pub fn is_empty(&self) -> bool {
        self.scheme.is_empty() && self.services.is_empty() && self.pointers.is_empty()
    }
}

/// A change of the scheme information.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeChange {
    /// `TSLVersionIdentifier`.
    Version {
        /// Old value.
        from: u32,
        /// New value.
        to: u32,
    },
    /// `TSLSequenceNumber`.
    Sequence {
        /// Old value.
        from: u64,
        /// New value.
        to: u64,
    },
    /// `ListIssueDateTime` (Unix seconds).
    Issued {
        /// Old value.
        from: i64,
        /// New value.
        to: i64,
    },
    /// `NextUpdate` (Unix seconds; `None`: a closed list).
    NextUpdate {
        /// Old value.
        from: Option<i64>,
        /// New value.
        to: Option<i64>,
    },
    /// `SchemeTerritory`.
    Territory {
        /// Old value.
        from: Option<String>,
        /// New value.
        to: Option<String>,
    },
    /// `SchemeOperatorName` (English, else the first given).
    Operator {
        /// Old value.
        from: String,
        /// New value.
        to: String,
    },
}

/// Which service a [`ServiceDiff`] is about (taken from the new list for a changed or
/// added service, from the old list for a removed one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRef {
    /// The provider's name (English, else the first given).
    pub provider: String,
    /// The service's name (English, else the first given).
    pub name: String,
    /// The service type.
    pub service_type: ServiceType,
    /// SHA-256 (hex, lower case) of each certificate identity, sorted.
    pub certificates: Vec<String>,
    /// The MIIT licence number, when the service carries a licence.
    pub licence: Option<String>,
    /// The MIIT approval decision number, when the service carries an approval.
    pub approval: Option<String>,
}

/// One service's fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDiff {
    /// The service.
    pub service: ServiceRef,
    /// Added, removed or changed.
    pub entry: Entry<ServiceChange>,
}

/// Whether an item (service or pointer) was added, removed, or changed and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry<C> {
    /// Only in the new list.
    Added,
    /// Only in the old list (withdrawn from the list).
    Removed,
    /// In both, with these changes (never empty).
    Changed(Vec<C>),
}

/// A change of one service.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceChange {
    /// The service type.
    Type {
        /// Old type.
        from: ServiceType,
        /// New type.
        to: ServiceType,
    },
    /// The service name (English, else the first given).
    Name {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Certificate identities added or removed (SHA-256 hex).
    Certificates {
        /// In the new list only.
        added: Vec<String>,
        /// In the old list only.
        removed: Vec<String>,
    },
    /// The current status (granted, suspended, withdrawn, …).
    Status {
        /// Old status.
        from: ServiceStatus,
        /// New status.
        to: ServiceStatus,
        /// The new status's StatusStartingTime (Unix seconds).
        since: i64,
    },
    /// The MIIT licence (Art. 11).
    Licence(LicenceChange),
    /// The MIIT approval of a foreign CA (Art. 47–49).
    Approval(ApprovalChange),
    /// Dishonesty-list restriction periods (Art. 39).
    Restrictions {
        /// Periods in the new list only.
        added: Vec<Restriction>,
        /// Periods in the old list only.
        removed: Vec<Restriction>,
    },
    /// The CA's filed certificate policies (Art. 17), dotted OIDs.
    FiledPolicies {
        /// In the new list only.
        added: Vec<String>,
        /// In the old list only.
        removed: Vec<String>,
    },
    /// The CA's filed CPS URL (Art. 17).
    Cps {
        /// Old URL.
        from: Option<String>,
        /// New URL.
        to: Option<String>,
    },
    /// The successor that took the business over (Art. 31): `miit:Successor`, else the
    /// `TakenOverBy` provider name.
    Successor {
        /// Old successor.
        from: Option<String>,
        /// New successor.
        to: Option<String>,
    },
}

/// A change of a licence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LicenceChange {
    /// A licence appears.
    Granted(Licence),
    /// The licence's number, authority or dates changed.
    Changed {
        /// Old licence.
        from: Licence,
        /// New licence.
        to: Licence,
    },
    /// The licence is no longer on the service.
    Removed(Licence),
}

/// A change of an approval (of a foreign CA, or of a foreign scheme on a pointer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApprovalChange {
    /// An approval appears.
    Granted(Box<Approval>),
    /// Its decision, dates, basis or jurisdiction changed (scope changes are reported as
    /// [`ApprovalChange::Scope`]).
    Changed {
        /// Old approval.
        from: Box<Approval>,
        /// New approval.
        to: Box<Approval>,
    },
    /// The approval is gone.
    Withdrawn(Box<Approval>),
    /// One part of the approved scope changed.
    Scope {
        /// Which part.
        item: ScopeItem,
        /// Values in the new approval only.
        added: Vec<String>,
        /// Values in the old approval only.
        removed: Vec<String>,
    },
}

/// A part of an approval's scope (Art. 48).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeItem {
    /// Certificate types: policy OIDs (dotted).
    PolicyOids,
    /// Technical specification: algorithms with minimum key sizes (`rsa>=2048`).
    Algorithms,
    /// Application scenarios: key usage names.
    KeyUsages,
    /// Application scenarios: extended key usage OIDs (dotted).
    Ekus,
}

impl ScopeItem {
    /// A stable name (`policyOids`, `algorithms`, `keyUsages`, `ekus`).
    pub fn name(self) -> &'static str {
        match self {
            ScopeItem::PolicyOids => "policyOids",
            ScopeItem::Algorithms => "algorithms",
            ScopeItem::KeyUsages => "keyUsages",
            ScopeItem::Ekus => "ekus",
        }
    }
}

/// Which pointer a [`PointerDiff`] is about (from the new list, or the old one when it was
/// removed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointerRef {
    /// `SchemeTerritory` of the list pointed to.
    pub territory: Option<String>,
    /// `TSLLocation`.
    pub location: String,
    /// `MimeType`.
    pub mime_type: Option<String>,
    /// SHA-256 (hex) of each pinned signer certificate, sorted.
    pub signers: Vec<String>,
}

/// One pointer's fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointerDiff {
    /// The pointer.
    pub pointer: PointerRef,
    /// Added, removed or changed.
    pub entry: Entry<PointerChange>,
}

/// A change of a pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PointerChange {
    /// `TSLLocation` moved.
    Location {
        /// Old location.
        from: String,
        /// New location.
        to: String,
    },
    /// Pinned signer certificates added or removed (SHA-256 hex).
    Signers {
        /// In the new list only.
        added: Vec<String>,
        /// In the old list only.
        removed: Vec<String>,
    },
    /// MIIT's approval of the foreign scheme.
    Approval(ApprovalChange),
}

/// Compares two issues of a list.
pub fn diff(old: &TrustList, new: &TrustList) -> Diff {
    Diff {
        scheme: scheme(old, new),
        services: services(old, new),
        pointers: pointers(old, new),
    }
}

fn name_of(m: &MultiLang) -> String {
    m.get("en").unwrap_or("").to_string()
}

fn sha256_hex(der: &[u8]) -> String {
    huren_validator::cert::hex(&sha2::Sha256::digest(der))
}

fn scheme(old: &TrustList, new: &TrustList) -> Vec<SchemeChange> {
    let mut out = Vec::new();
    if old.version != new.version {
        out.push(SchemeChange::Version {
            from: old.version,
            to: new.version,
        });
    }
    if old.sequence != new.sequence {
        out.push(SchemeChange::Sequence {
            from: old.sequence,
            to: new.sequence,
        });
    }
    if old.issued != new.issued {
        out.push(SchemeChange::Issued {
            from: old.issued,
            to: new.issued,
        });
    }
    if old.next_update != new.next_update {
        out.push(SchemeChange::NextUpdate {
            from: old.next_update,
            to: new.next_update,
        });
    }
    if old.scheme_territory != new.scheme_territory {
        out.push(SchemeChange::Territory {
            from: old.scheme_territory.clone(),
            to: new.scheme_territory.clone(),
        });
    }
    let (a, b) = (name_of(&old.operator), name_of(&new.operator));
    if a != b {
        out.push(SchemeChange::Operator { from: a, to: b });
    }
    out
}

/// One service with what identifies it.
struct Item<'a> {
    provider: &'a Provider,
    service: &'a Service,
    certs: Vec<String>,
}

impl Item<'_> {
    fn reference(&self) -> ServiceRef {
        let miit = self.service.extensions.miit.as_ref();
        ServiceRef {
            provider: name_of(&self.provider.name),
            name: name_of(&self.service.name),
            service_type: self.service.service_type.clone(),
            certificates: self.certs.clone(),
            licence: miit
                .and_then(|m| m.licence.as_ref())
                .map(|l| l.number.clone()),
            approval: miit
                .and_then(|m| m.approval.as_ref())
                .map(|a| a.decision.clone()),
        }
    }

    fn same_key(&self, other: &Item<'_>) -> bool {
        if self.certs.is_empty() && other.certs.is_empty() {
            name_of(&self.provider.name) == name_of(&other.provider.name)
                && name_of(&self.service.name) == name_of(&other.service.name)
        } else {
            self.certs == other.certs
        }
    }
}

fn items(list: &TrustList) -> Vec<Item<'_>> {
    list.services()
        .map(|(provider, service)| {
            let mut certs: Vec<String> = service
                .identities
                .iter()
                .filter_map(|i| match i {
                    DigitalIdentity::Certificate(c) => Some(sha256_hex(c)),
                    _ => None,
                })
                .collect();
            certs.sort();
            certs.dedup();
            Item {
                provider,
                service,
                certs,
            }
        })
        .collect()
}

/// A pairing rule.
type Pass = dyn Fn(&Item<'_>, &Item<'_>) -> bool;

/// Pairs `old` with `new` items in passes; returns `pair[old index] = Some(new index)`.
fn pair_services(old: &[Item<'_>], new: &[Item<'_>]) -> Vec<Option<usize>> {
    let mut pair: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    let passes: [&Pass; 3] = [
        &|a, b| {
            a.same_key(b)
                && a.service.service_type == b.service.service_type
                && a.service.name == b.service.name
        },
        &|a, b| a.same_key(b),
        &|a, b| {
            a.service.service_type == b.service.service_type
                && a.certs.iter().any(|c| b.certs.contains(c))
        },
    ];
    for pass in passes {
        for (i, a) in old.iter().enumerate() {
            if pair[i].is_some() {
                continue;
            }
            if let Some(j) = (0..new.len()).find(|&j| !taken[j] && pass(a, &new[j])) {
                pair[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    pair
}

fn services(old: &TrustList, new: &TrustList) -> Vec<ServiceDiff> {
    let (a, b) = (items(old), items(new));
    let pair = pair_services(&a, &b);
    let mut out = Vec::new();
    let mut seen = vec![false; b.len()];
    for (i, o) in a.iter().enumerate() {
        match pair[i] {
            Some(j) => {
                seen[j] = true;
                let changes = service_changes(o, &b[j]);
                if !changes.is_empty() {
                    out.push(ServiceDiff {
                        service: b[j].reference(),
                        entry: Entry::Changed(changes),
                    });
                }
            }
            None => out.push(ServiceDiff {
                service: o.reference(),
                entry: Entry::Removed,
            }),
        }
    }
    for (j, n) in b.iter().enumerate() {
        if !seen[j] {
            out.push(ServiceDiff {
                service: n.reference(),
                entry: Entry::Added,
            });
        }
    }
    out
}

/// Values in `new` and not in `old`, and in `old` and not in `new`, each in its order.
fn set_diff(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let added = new
        .iter()
        .filter(|v| !old.contains(v))
        .cloned()
        .collect::<Vec<_>>();
    let removed = old
        .iter()
        .filter(|v| !new.contains(v))
        .cloned()
        .collect::<Vec<_>>();
    (added, removed)
}

/// The successor that took `service`'s business over (Art. 31): its `miit:Successor`, else
/// the `TSPName` of its `TakenOverBy` extension as `name` writes it.
/// [`ServiceChange::Successor`] compares these with the English name as it stands.
pub fn successor(service: &Service, name: impl Fn(&MultiLang) -> String) -> Option<String> {
    let ext = &service.extensions;
    ext.miit
        .as_ref()
        .and_then(|m| m.successor.clone())
        .or_else(|| ext.taken_over_by.as_ref().map(|t| name(&t.tsp_name)))
}

fn service_changes(o: &Item<'_>, n: &Item<'_>) -> Vec<ServiceChange> {
    let (so, sn) = (o.service, n.service);
    let mut out = Vec::new();
    if so.service_type != sn.service_type {
        out.push(ServiceChange::Type {
            from: so.service_type.clone(),
            to: sn.service_type.clone(),
        });
    }
    let (na, nb) = (name_of(&so.name), name_of(&sn.name));
    if na != nb {
        out.push(ServiceChange::Name { from: na, to: nb });
    }
    let (added, removed) = set_diff(&o.certs, &n.certs);
    if !added.is_empty() || !removed.is_empty() {
        out.push(ServiceChange::Certificates { added, removed });
    }
    if so.status != sn.status {
        out.push(ServiceChange::Status {
            from: so.status.clone(),
            to: sn.status.clone(),
            since: sn.status_start,
        });
    }
    let (mo, mn) = (
        so.extensions.miit.clone().unwrap_or_default(),
        sn.extensions.miit.clone().unwrap_or_default(),
    );
    match (&mo.licence, &mn.licence) {
        (None, Some(l)) => out.push(ServiceChange::Licence(LicenceChange::Granted(l.clone()))),
        (Some(l), None) => out.push(ServiceChange::Licence(LicenceChange::Removed(l.clone()))),
        (Some(a), Some(b)) if a != b => out.push(ServiceChange::Licence(LicenceChange::Changed {
            from: a.clone(),
            to: b.clone(),
        })),
        _ => {}
    }
    out.extend(
        approval_changes(mo.approval.as_ref(), mn.approval.as_ref())
            .into_iter()
            .map(ServiceChange::Approval),
    );
    let added: Vec<Restriction> = mn
        .restrictions
        .iter()
        .filter(|r| !mo.restrictions.contains(r))
        .cloned()
        .collect();
    let removed: Vec<Restriction> = mo
        .restrictions
        .iter()
        .filter(|r| !mn.restrictions.contains(r))
        .cloned()
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(ServiceChange::Restrictions { added, removed });
    }
    let dotted = |v: &[huren_validator::Oid]| v.iter().map(|o| o.to_string()).collect::<Vec<_>>();
    let (added, removed) = set_diff(&dotted(&mo.policy_oids), &dotted(&mn.policy_oids));
    if !added.is_empty() || !removed.is_empty() {
        out.push(ServiceChange::FiledPolicies { added, removed });
    }
    if mo.cps_url != mn.cps_url {
        out.push(ServiceChange::Cps {
            from: mo.cps_url.clone(),
            to: mn.cps_url.clone(),
        });
    }
    let (a, b) = (successor(so, name_of), successor(sn, name_of));
    if a != b {
        out.push(ServiceChange::Successor { from: a, to: b });
    }
    out
}

/// `rsa>=2048`.
pub fn algorithm_label(r: &AlgorithmRule) -> String {
    format!("{}>={}", r.family.label(), r.min_bits)
}

/// The values of one part of an approval's scope, as text.
pub fn scope_values(a: &Approval, item: ScopeItem) -> Vec<String> {
    match item {
        ScopeItem::PolicyOids => a.policy_oids.iter().map(|o| o.to_string()).collect(),
        ScopeItem::Algorithms => a.algorithms.iter().map(algorithm_label).collect(),
        ScopeItem::KeyUsages => a.key_usages.clone(),
        ScopeItem::Ekus => a.ekus.iter().map(|o| o.to_string()).collect(),
    }
}

fn approval_changes(old: Option<&Approval>, new: Option<&Approval>) -> Vec<ApprovalChange> {
    match (old, new) {
        (None, None) => Vec::new(),
        (None, Some(a)) => vec![ApprovalChange::Granted(Box::new(a.clone()))],
        (Some(a), None) => vec![ApprovalChange::Withdrawn(Box::new(a.clone()))],
        (Some(a), Some(b)) => {
            let mut out = Vec::new();
            if a.decision != b.decision
                || a.decided != b.decided
                || a.basis != b.basis
                || a.jurisdiction != b.jurisdiction
                || a.valid_from != b.valid_from
                || a.valid_until != b.valid_until
            {
                out.push(ApprovalChange::Changed {
                    from: Box::new(a.clone()),
                    to: Box::new(b.clone()),
                });
            }
            for item in [
                ScopeItem::PolicyOids,
                ScopeItem::Algorithms,
                ScopeItem::KeyUsages,
                ScopeItem::Ekus,
            ] {
                let (added, removed) = set_diff(&scope_values(a, item), &scope_values(b, item));
                if !added.is_empty() || !removed.is_empty() {
                    out.push(ApprovalChange::Scope {
                        item,
                        added,
                        removed,
                    });
                }
            }
            out
        }
    }
}

fn pointer_ref(p: &Pointer) -> PointerRef {
    let mut signers: Vec<String> = p.signers.iter().map(|c| sha256_hex(c)).collect();
    signers.sort();
    signers.dedup();
    PointerRef {
        territory: p.territory.clone(),
        location: p.location.clone(),
        mime_type: p.mime_type.clone(),
        signers,
    }
}

fn pointers(old: &TrustList, new: &TrustList) -> Vec<PointerDiff> {
    let (a, b) = (&old.pointers, &new.pointers);
    let mut pair: Vec<Option<usize>> = vec![None; a.len()];
    let mut taken = vec![false; b.len()];
    for (i, p) in a.iter().enumerate() {
        if let Some(j) = (0..b.len())
            .find(|&j| !taken[j] && b[j].territory == p.territory && b[j].location == p.location)
        {
            pair[i] = Some(j);
            taken[j] = true;
        }
    }
    // A moved list: the same territory and MIME type, unique among those left on both sides.
    let same = |x: &Pointer, y: &Pointer| x.territory == y.territory && x.mime_type == y.mime_type;
    for i in 0..a.len() {
        if pair[i].is_some() {
            continue;
        }
        let left_old = (0..a.len())
            .filter(|&k| pair[k].is_none() && same(&a[k], &a[i]))
            .count();
        let cands: Vec<usize> = (0..b.len())
            .filter(|&j| !taken[j] && same(&b[j], &a[i]))
            .collect();
        if left_old == 1 && cands.len() == 1 {
            pair[i] = Some(cands[0]);
            taken[cands[0]] = true;
        }
    }
    let mut out = Vec::new();
    for (i, p) in a.iter().enumerate() {
        match pair[i] {
            Some(j) => {
                let q = &b[j];
                let (ro, rn) = (pointer_ref(p), pointer_ref(q));
                let mut changes = Vec::new();
                if p.location != q.location {
                    changes.push(PointerChange::Location {
                        from: p.location.clone(),
                        to: q.location.clone(),
                    });
                }
                let (added, removed) = set_diff(&ro.signers, &rn.signers);
                if !added.is_empty() || !removed.is_empty() {
                    changes.push(PointerChange::Signers { added, removed });
                }
                changes.extend(
                    approval_changes(p.approval.as_ref(), q.approval.as_ref())
                        .into_iter()
                        .map(PointerChange::Approval),
                );
                if !changes.is_empty() {
                    out.push(PointerDiff {
                        pointer: rn,
                        entry: Entry::Changed(changes),
                    });
                }
            }
            None => out.push(PointerDiff {
                pointer: pointer_ref(p),
                entry: Entry::Removed,
            }),
        }
    }
    for (j, q) in b.iter().enumerate() {
        if !taken[j] {
            out.push(PointerDiff {
                pointer: pointer_ref(q),
                entry: Entry::Added,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Text.

fn opt_time(t: Option<i64>) -> String {
    t.map_or_else(|| "none (closed list)".to_string(), fmt_time)
}

fn opt_text(t: &Option<String>) -> &str {
    t.as_deref().unwrap_or("none")
}

fn list(v: &[String]) -> String {
    v.join(", ")
}

fn plus_minus(f: &mut fmt::Formatter<'_>, added: &[String], removed: &[String]) -> fmt::Result {
    let mut sep = "";
    if !added.is_empty() {
        write!(f, "+ {}", list(added))?;
        sep = "; ";
    }
    if !removed.is_empty() {
        write!(f, "{sep}- {}", list(removed))?;
    }
    Ok(())
}

/// `agreement "NAME"` or `reciprocity`.
pub fn basis_label(b: &Basis) -> String {
    match b {
        Basis::Agreement(n) => format!("agreement {n:?}"),
        Basis::Reciprocity => "reciprocity".to_string(),
    }
}

impl fmt::Display for SchemeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemeChange::Version { from, to } => write!(f, "version {from} → {to}"),
            SchemeChange::Sequence { from, to } => write!(f, "sequence {from} → {to}"),
            SchemeChange::Issued { from, to } => {
                write!(f, "issued {} → {}", fmt_time(*from), fmt_time(*to))
            }
            SchemeChange::NextUpdate { from, to } => {
                write!(f, "next update {} → {}", opt_time(*from), opt_time(*to))
            }
            SchemeChange::Territory { from, to } => {
                write!(f, "territory {} → {}", opt_text(from), opt_text(to))
            }
            SchemeChange::Operator { from, to } => write!(f, "operator {from:?} → {to:?}"),
        }
    }
}

impl fmt::Display for LicenceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LicenceChange::Granted(l) => write!(
                f,
                "licence granted: {} by {}, {} to {}",
                l.number,
                l.issuing_authority,
                fmt_time(l.issued),
                fmt_time(l.expires)
            ),
            LicenceChange::Removed(l) => write!(f, "licence {} removed", l.number),
            LicenceChange::Changed { from, to } => {
                write!(f, "licence changed:")?;
                if from.number != to.number {
                    write!(f, " number {} → {}", from.number, to.number)?;
                } else {
                    write!(f, " {}", to.number)?;
                }
                if from.issuing_authority != to.issuing_authority {
                    write!(
                        f,
                        ", issuing authority {:?} → {:?}",
                        from.issuing_authority, to.issuing_authority
                    )?;
                }
                if from.issued != to.issued {
                    write!(
                        f,
                        ", issued {} → {}",
                        fmt_time(from.issued),
                        fmt_time(to.issued)
                    )?;
                }
                if from.expires != to.expires {
                    write!(
                        f,
                        ", expires {} → {}",
                        fmt_time(from.expires),
                        fmt_time(to.expires)
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for ApprovalChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApprovalChange::Granted(a) => write!(
                f,
                "approval granted: decision {} of {} ({}, {}), valid {} to {}",
                a.decision,
                fmt_time(a.decided),
                basis_label(&a.basis),
                a.jurisdiction,
                fmt_time(a.valid_from),
                fmt_time(a.valid_until)
            ),
            ApprovalChange::Withdrawn(a) => write!(f, "approval {} withdrawn", a.decision),
            ApprovalChange::Changed { from, to } => {
                write!(f, "approval changed:")?;
                if from.decision != to.decision {
                    write!(f, " decision {} → {}", from.decision, to.decision)?;
                } else {
                    write!(f, " {}", to.decision)?;
                }
                if from.decided != to.decided {
                    write!(
                        f,
                        ", decided {} → {}",
                        fmt_time(from.decided),
                        fmt_time(to.decided)
                    )?;
                }
                if from.basis != to.basis {
                    write!(
                        f,
                        ", basis {} → {}",
                        basis_label(&from.basis),
                        basis_label(&to.basis)
                    )?;
                }
                if from.jurisdiction != to.jurisdiction {
                    write!(
                        f,
                        ", jurisdiction {} → {}",
                        from.jurisdiction, to.jurisdiction
                    )?;
                }
                if from.valid_from != to.valid_from || from.valid_until != to.valid_until {
                    write!(
                        f,
                        ", valid {}–{} → {}–{}",
                        fmt_time(from.valid_from),
                        fmt_time(from.valid_until),
                        fmt_time(to.valid_from),
                        fmt_time(to.valid_until)
                    )?;
                }
                Ok(())
            }
            ApprovalChange::Scope {
                item,
                added,
                removed,
            } => {
                write!(f, "approved scope {}: ", item.name())?;
                plus_minus(f, added, removed)
            }
        }
    }
}

fn restriction_label(r: &Restriction) -> String {
    format!(
        "{} to {} ({})",
        fmt_time(r.from),
        fmt_time(r.until),
        r.reason
    )
}

impl fmt::Display for ServiceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceChange::Type { from, to } => {
                write!(f, "type {} → {}", from.label(), to.label())
            }
            ServiceChange::Name { from, to } => write!(f, "name {from:?} → {to:?}"),
            ServiceChange::Certificates { added, removed } => {
                write!(f, "certificates: ")?;
                plus_minus(f, added, removed)
            }
            ServiceChange::Status { from, to, since } => write!(
                f,
                "status {} → {} since {}",
                from.label(),
                to.label(),
                fmt_time(*since)
            ),
            ServiceChange::Licence(l) => l.fmt(f),
            ServiceChange::Approval(a) => a.fmt(f),
            ServiceChange::Restrictions { added, removed } => {
                write!(f, "restrictions: ")?;
                let a: Vec<String> = added.iter().map(restriction_label).collect();
                let r: Vec<String> = removed.iter().map(restriction_label).collect();
                plus_minus(f, &a, &r)
            }
            ServiceChange::FiledPolicies { added, removed } => {
                write!(f, "filed policies: ")?;
                plus_minus(f, added, removed)
            }
            ServiceChange::Cps { from, to } => {
                write!(f, "CPS {} → {}", opt_text(from), opt_text(to))
            }
            ServiceChange::Successor { from, to } => {
                write!(f, "successor {} → {}", opt_text(from), opt_text(to))
            }
        }
    }
}

impl fmt::Display for PointerChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerChange::Location { from, to } => write!(f, "location {from} → {to}"),
            PointerChange::Signers { added, removed } => {
                write!(f, "pinned signers: ")?;
                plus_minus(f, added, removed)
            }
            PointerChange::Approval(a) => a.fmt(f),
        }
    }
}

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} — {} [{}]",
            self.provider,
            self.name,
            self.service_type.label()
        )?;
        if let Some(l) = &self.licence {
            write!(f, " licence {l}")?;
        }
        if let Some(a) = &self.approval {
            write!(f, " approval {a}")?;
        }
        if let Some(c) = self.certificates.first() {
            write!(f, " sha256 {c}")?;
            if self.certificates.len() > 1 {
                write!(f, " (+{} more)", self.certificates.len() - 1)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for PointerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.territory.as_deref().unwrap_or("?"),
            self.location
        )?;
        if let Some(m) = &self.mime_type {
            write!(f, " ({m})")?;
        }
        Ok(())
    }
}

/// One line per change: `scheme: …`, `+ service …` (added), `- service …` (removed),
/// `~ service …` followed by indented changes, and the same for pointers; `no differences`
/// when there are none.
impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no differences");
        }
        for c in &self.scheme {
            writeln!(f, "scheme: {c}")?;
        }
        for s in &self.services {
            match &s.entry {
                Entry::Added => writeln!(f, "+ added: {}", s.service)?,
                Entry::Removed => {
                    writeln!(f, "- removed (withdrawn from the list): {}", s.service)?
                }
                Entry::Changed(cs) => {
                    writeln!(f, "~ changed: {}", s.service)?;
                    for c in cs {
                        writeln!(f, "    {c}")?;
                    }
                }
            }
        }
        for p in &self.pointers {
            match &p.entry {
                Entry::Added => writeln!(f, "+ pointer added: {}", p.pointer)?,
                Entry::Removed => writeln!(f, "- pointer removed: {}", p.pointer)?,
                Entry::Changed(cs) => {
                    writeln!(f, "~ pointer changed: {}", p.pointer)?;
                    for c in cs {
                        writeln!(f, "    {c}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MiitServiceExtension;

    fn ca(name: &str, cert: &[u8], status: ServiceStatus) -> Service {
        Service {
            service_type: ServiceType::CaPkc,
            name: MultiLang::single("en", name),
            identities: vec![DigitalIdentity::Certificate(cert.to_vec())],
            status,
            status_start: 100,
            ..Default::default()
        }
    }

    fn list(seq: u64, services: Vec<Service>) -> TrustList {
        TrustList {
            version: 6,
            sequence: seq,
            issued: 1000 * seq as i64,
            next_update: Some(1000 * seq as i64 + 500),
            providers: vec![Provider {
                name: MultiLang::single("en", "P"),
                services,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn identical_lists_have_no_differences() {
        let l = list(1, vec![ca("A", b"a", ServiceStatus::Granted)]);
        let d = diff(&l, &l);
        assert!(d.is_empty());
        assert_eq!(d.to_string(), "no differences\n");
    }

    #[test]
    fn status_licence_approval_and_membership() {
        let mut a = ca("A", b"a", ServiceStatus::Granted);
        a.extensions.miit = Some(MiitServiceExtension {
            licence: Some(Licence {
                number: "L1".into(),
                issuing_authority: "MIIT".into(),
                issued: 0,
                expires: 10,
            }),
            ..Default::default()
        });
        let old = list(1, vec![a.clone(), ca("B", b"b", ServiceStatus::Granted)]);
        let mut a2 = a.clone();
        a2.status = ServiceStatus::Suspended;
        a2.status_start = 1500;
        if let Some(m) = a2.extensions.miit.as_mut()
            && let Some(l) = m.licence.as_mut()
        {
            l.expires = 20;
        }
        let mut c = ca("C", b"c", ServiceStatus::Granted);
        c.extensions.miit = Some(MiitServiceExtension {
            approval: Some(Approval {
                decision: "D1".into(),
                policy_oids: vec![huren_validator::Oid::parse("1.2.3").unwrap()],
                ..Default::default()
            }),
            ..Default::default()
        });
        let new = list(2, vec![a2, c]);
        let d = diff(&old, &new);
        assert!(
            d.scheme
                .contains(&SchemeChange::Sequence { from: 1, to: 2 })
        );
        assert_eq!(d.services.len(), 3);
        let Entry::Changed(cs) = &d.services[0].entry else {
            panic!("A changed")
        };
        assert!(cs.contains(&ServiceChange::Status {
            from: ServiceStatus::Granted,
            to: ServiceStatus::Suspended,
            since: 1500
        }));
        assert!(matches!(
            cs.iter().find(|c| matches!(c, ServiceChange::Licence(_))),
            Some(ServiceChange::Licence(LicenceChange::Changed { .. }))
        ));
        assert_eq!(d.services[1].entry, Entry::Removed);
        assert_eq!(d.services[1].service.name, "B");
        assert_eq!(d.services[2].entry, Entry::Added);
        assert_eq!(d.services[2].service.approval.as_deref(), Some("D1"));
        let text = d.to_string();
        assert!(text.contains("status granted → suspended since"), "{text}");
        assert!(
            text.contains("- removed (withdrawn from the list): P — B"),
            "{text}"
        );
    }

    #[test]
    fn a_certificate_in_common_pairs_and_scope_changes_are_itemised() {
        let mut a = ca("A", b"a", ServiceStatus::Granted);
        let appr = Approval {
            decision: "D".into(),
            key_usages: vec!["digitalSignature".into()],
            ..Default::default()
        };
        a.extensions.miit = Some(MiitServiceExtension {
            approval: Some(appr.clone()),
            ..Default::default()
        });
        let old = list(1, vec![a.clone()]);
        let mut a2 = a;
        a2.identities
            .push(DigitalIdentity::Certificate(b"a2".to_vec()));
        let mut appr2 = appr;
        appr2.key_usages = vec!["nonRepudiation".into()];
        a2.extensions.miit = Some(MiitServiceExtension {
            approval: Some(appr2),
            ..Default::default()
        });
        let new = list(1, vec![a2]);
        let d = diff(&old, &new);
        assert_eq!(d.services.len(), 1);
        let Entry::Changed(cs) = &d.services[0].entry else {
            panic!()
        };
        assert!(matches!(cs[0], ServiceChange::Certificates { .. }));
        assert_eq!(
            cs[1],
            ServiceChange::Approval(ApprovalChange::Scope {
                item: ScopeItem::KeyUsages,
                added: vec!["nonRepudiation".into()],
                removed: vec!["digitalSignature".into()],
            })
        );
    }
}
