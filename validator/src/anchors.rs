//! Trust anchors, indexed by normalised subject name so that finding an issuer's anchor costs
//! one hash lookup whatever the number of anchors.

use crate::Certificate;
use crate::names::Name;
use std::collections::HashMap;
use std::sync::Arc;

/// One trust anchor: a certificate whose name and key are trusted.
///
/// Following RFC 5937 and common practice, the anchor certificate's own validity period,
/// basicConstraints path length and name constraints are enforced on paths through it.
#[derive(Clone, Debug)]
pub struct Anchor {
    cert: Arc<Certificate>,
    label: Option<String>,
}

impl Anchor {
    /// An anchor from a parsed certificate.
    pub fn new(cert: Arc<Certificate>) -> Self {
        Anchor { cert, label: None }
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
    by_subject: HashMap<Box<[u8]>, Vec<usize>>,
}

impl AnchorSet {
    /// An empty set.
    pub fn new() -> Self {
        AnchorSet::default()
    }

    /// Adds an anchor. An anchor with the same subject and public key as one already held is
    /// ignored (anchors are identified by name and key, not by certificate bytes).
    pub fn add(&mut self, anchor: Anchor) {
        let key: Box<[u8]> = anchor.cert.subject().normalized().into();
        let entry = self.by_subject.entry(key).or_default();
        if entry
            .iter()
            .any(|i| self.anchors[*i].cert.spki() == anchor.cert.spki())
        {
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
            .get(name.normalized())
            .into_iter()
            .flatten()
            .map(|i| &self.anchors[*i])
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
