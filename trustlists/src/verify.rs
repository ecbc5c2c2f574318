//! Verification against pinned signers: the only way to obtain a [`VerifiedTrustList`].
//!
//! A list is accepted when its signature passes the profile of [`crate::dsig`], the signer
//! is one of the certificates pinned for that list (by MIIT's configuration, or by the
//! pointer of the list that points to it) and was valid when it signed (XAdES SigningTime),
//! and the list was issued by the verification time. Its content is then read from the same tree whose signature was
//! checked, from the document element that the signature covers.

use crate::dsig::{self, AwsLc, Crypto, SignatureAlgorithm};
use crate::error::Error;
use crate::model::TrustList;
use crate::xml::{self, Limits, ns};
use huren_validator::{Certificate, fmt_time};
use sha2::Digest as _;

/// The certificates allowed to sign one list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinnedSigners {
    certs: Vec<Vec<u8>>,
}

impl PinnedSigners {
    /// Pins these certificates (DER). Certificates that do not parse are refused.
    pub fn new(certs: Vec<Vec<u8>>) -> Result<Self, Error> {
        for (i, c) in certs.iter().enumerate() {
            Certificate::from_der(c).map_err(|e| Error::Pointer {
                message: format!("pinned signer certificate #{} does not parse: {e}", i + 1),
            })?;
        }
        let mut certs = certs;
        certs.sort();
        certs.dedup();
        Ok(PinnedSigners { certs })
    }

    /// The pinned certificates (DER).
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certs
    }

    /// Whether `der` is pinned (byte-for-byte).
    pub fn contains(&self, der: &[u8]) -> bool {
        self.certs.iter().any(|c| c == der)
    }

    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }
}

/// Where a list stands at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Issued and before its NextUpdate.
    Current {
        /// NextUpdate.
        next_update: i64,
    },
    /// Past its NextUpdate: its content may be out of date.
    Expired {
        /// NextUpdate.
        next_update: i64,
    },
    /// A closed list (`<NextUpdate/>` empty): no further update will come (TS 119 612
    /// §5.3.15); its content is final.
    Closed,
}

/// A trust list whose signature verified against a pinned signer. Only [`verify`] and the
/// functions of [`crate::pointers`] make one.
#[derive(Clone, Debug)]
pub struct VerifiedTrustList {
    list: TrustList,
    sha256: [u8; 32],
    signer: Vec<u8>,
    signing_time: Option<i64>,
    algorithm: SignatureAlgorithm,
    verified_at: i64,
}

impl VerifiedTrustList {
    /// The list's content (read from the verified tree).
    pub fn list(&self) -> &TrustList {
        &self.list
    }

    /// SHA-256 of the verified bytes.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// SHA-256 of the verified bytes, hex.
    pub fn sha256_hex(&self) -> String {
        huren_validator::cert::hex(&self.sha256)
    }

    /// The certificate that signed it (DER).
    pub fn signer(&self) -> &[u8] {
        &self.signer
    }

    /// XAdES SigningTime, if present.
    pub fn signing_time(&self) -> Option<i64> {
        self.signing_time
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The time at which it was verified.
    pub fn verified_at(&self) -> i64 {
        self.verified_at
    }

    /// Where the list stands at `time`.
    pub fn freshness(&self, time: i64) -> Freshness {
        match self.list.next_update {
            None => Freshness::Closed,
            Some(n) if time > n => Freshness::Expired { next_update: n },
            Some(n) => Freshness::Current { next_update: n },
        }
    }
}

/// When to check the signer certificate's validity and the issue date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// At this time (Unix seconds).
    Time(i64),
    /// At the list's own ListIssueDateTime (for pivot lists, each verified when it was
    /// current).
    OwnIssueTime,
}

/// Verifies `bytes` against `pinned` at `time` with the default limits and aws-lc-rs.
pub fn verify(bytes: &[u8], pinned: &PinnedSigners, time: i64) -> Result<VerifiedTrustList, Error> {
    verify_with(bytes, pinned, At::Time(time), &Limits::default(), &AwsLc)
}

/// Verifies with explicit limits, time rule and crypto.
pub fn verify_with(
    bytes: &[u8],
    pinned: &PinnedSigners,
    at: At,
    limits: &Limits,
    crypto: &dyn Crypto,
) -> Result<VerifiedTrustList, Error> {
    let text = xml::text(bytes, limits)?;
    let doc = xml::parse(text, limits)?;
    let root = doc.root_element();
    if !xml::is(root, ns::TSL, "TrustServiceStatusList") {
        return Err(Error::format(
            xml::location(root),
            format!(
                "the document element is {{{}}}{}, not a TS 119 612 TrustServiceStatusList",
                root.tag_name().namespace().unwrap_or(""),
                root.tag_name().name()
            ),
        ));
    }
    let info = dsig::verify_signature(&doc, crypto)?;
    let signer = Certificate::from_der(&info.signer).map_err(|e| {
        Error::signature(None, format!("the signer certificate does not parse: {e}"))
    })?;
    if !pinned.contains(&info.signer) {
        return Err(Error::SignerNotPinned {
            signer_sha256: signer.sha256_hex().to_string(),
            subject: signer.subject().display().to_string(),
        });
    }
    // The content, from the element the signature covers, in the same tree.
    let covered = doc
        .get_node(info.covered)
        .ok_or_else(|| Error::signature(None, "the covered element vanished"))?;
    let list = crate::read::read_list(covered)?;
    let time = match at {
        At::Time(t) => t,
        At::OwnIssueTime => list.issued,
    };
    // The signer certificate must have been valid when it signed (XAdES SigningTime, a
    // signed property; genuine lists are signed hours or days after their
    // ListIssueDateTime), or without a signing time, at the verification time.
    let signed_at = info.signing_time.unwrap_or(time);
    if signed_at < signer.not_before() || signed_at > signer.not_after() {
        return Err(Error::signature(
            None,
            format!(
                "the signer certificate ({}) is valid from {} to {}, not at {} when it signed",
                signer.subject().display(),
                fmt_time(signer.not_before()),
                fmt_time(signer.not_after()),
                fmt_time(signed_at)
            ),
        ));
    }
    if list.issued > time {
        return Err(Error::format(
            xml::location(covered),
            format!(
                "the list is issued {} — after the verification time {}",
                fmt_time(list.issued),
                fmt_time(time)
            ),
        ));
    }
    Ok(VerifiedTrustList {
        list,
        sha256: sha2::Sha256::digest(bytes).into(),
        signer: info.signer,
        signing_time: info.signing_time,
        algorithm: info.algorithm,
        verified_at: time,
    })
}
