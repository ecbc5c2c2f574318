//! Trust anchors, indexed by normalised subject name so that finding an issuer's anchor costs
//! one hash lookup whatever the number of anchors.

use crate::Certificate;
use crate::names::Name;
use crate::scope::AnchorScope;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Hashes a name fingerprint to itself: the fingerprint is already a hash. The anchor set is
/// trusted input, so no adversary chooses its keys.
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// One trust anchor: a certificate whose name and key are trusted.
///
/// Following RFC 5937 and common practice, the anchor certificate's own validity period,
/// basicConstraints path length and name constraints are enforced on paths through it.
///
/// An anchor may carry a regulatory [`AnchorScope`] (trust-list status history, licence,
/// approval, restrictions): it is then trusted only inside it. An anchor without a scope (a
/// certificate the caller configured directly) is trusted as RFC 5280 trust anchors are.
#[derive(Clone, Debug)]
pub struct Anchor {
    cert: Arc<Certificate>,
    label: Option<String>,
    scope: Option<Arc<AnchorScope>>,
}

impl Anchor {
    /// An anchor from a parsed certificate.
    pub fn new(cert: Arc<Certificate>) -> Self {
        Anchor {
            cert,
            label: None,
            scope: None,
        }
    }

    /// Attaches a regulatory scope: the anchor is then trusted only inside it.
    pub fn with_scope(mut self, scope: AnchorScope) -> Self {
        self.scope = Some(Arc::new(scope));
        self
    }

    /// The regulatory scope, if any.
    pub fn scope(&self) -> Option<&AnchorScope> {
        self.scope.as_deref()
    }

    /// Attaches a label (provenance shown in reports, e.g. a trust-list entry).
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The anchor certificate.
    pub fn certificate(&self) -> &Arc<Certificate> {
        &self.cert
    }

    /// The provenance label, if any.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

/// An immutable-after-build set of anchors.
#[derive(Clone, Debug, Default)]
pub struct AnchorSet {
    anchors: Vec<Anchor>,
    /// Subject-name fingerprint → anchors (the names are compared after the lookup), so a
    /// lookup touches one bucket whatever the number of anchors.
    by_subject: HashMap<u64, Vec<usize>, BuildHasherDefault<FingerprintHasher>>,
}

impl AnchorSet {
    /// An empty set.
    pub fn new() -> Self {
        AnchorSet::default()
    }

    /// Adds an anchor. An anchor with the same subject, public key and scope as one already
    /// held is ignored (anchors are identified by name and key, not by certificate bytes).
    /// One identity may be held with several scopes (e.g. two trust-list entries, one
    /// withdrawn and one granted): path building tries each, and the path is valid through
    /// any one whose scope admits it.
    pub fn add(&mut self, anchor: Anchor) {
        let key = anchor.cert.subject().fingerprint();
        let entry = self.by_subject.entry(key).or_default();
        if entry.iter().any(|i| {
            let held = &self.anchors[*i];
            held.cert.spki() == anchor.cert.spki()
                && held.cert.subject() == anchor.cert.subject()
                && held.scope() == anchor.scope()
        }) {
            return;
        }
        entry.push(self.anchors.len());
        self.anchors.push(anchor);
    }

    /// Adds a certificate as an anchor.
    pub fn add_certificate(&mut self, cert: Certificate) {
        self.add(Anchor::new(Arc::new(cert)));
    }

    /// Anchors whose subject matches `name` (RFC 5280 §7.1 comparison).
    pub fn by_subject(&self, name: &Name) -> impl Iterator<Item = &Anchor> {
        self.by_subject
            .get(&name.fingerprint())
            .into_iter()
            .flatten()
            .map(|i| &self.anchors[*i])
            .filter(move |a| a.cert.subject() == name)
    }

    /// Whether a certificate with this subject and key is an anchor.
    pub fn contains(&self, cert: &Certificate) -> bool {
        self.by_subject(cert.subject())
            .any(|a| a.cert.spki() == cert.spki())
    }

    /// Every anchor.
    pub fn iter(&self) -> impl Iterator<Item = &Anchor> {
        self.anchors.iter()
    }

    /// The number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}
