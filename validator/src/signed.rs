//! The signed parts of a DER object that carries its own signature (a CRL, an OCSP
//! response): the bytes as given, where the signed data, the signature algorithm and the
//! signature lie in them, and the digest that keys the signature memo.

use std::ops::Range;
use std::sync::OnceLock;

/// A signed DER object's bytes and the ranges of its signed parts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Signed {
    /// The whole object as given.
    pub(crate) der: Box<[u8]>,
    tbs: Range<usize>,
    signature_algorithm: Range<usize>,
    signature: Range<usize>,
    digest: OnceLock<[u8; 32]>,
}

impl Signed {
    /// The ranges of the signed data (`tbs…`, whole TLV), the signature algorithm (contents)
    /// and the signature bits within the object, whose bytes are set with `der` once parsing
    /// no longer borrows them.
    pub(crate) fn ranges(
        tbs: Range<usize>,
        signature_algorithm: Range<usize>,
        signature: Range<usize>,
    ) -> Self {
        Signed {
            der: Box::default(),
            tbs,
            signature_algorithm,
            signature,
            digest: OnceLock::new(),
        }
    }

    /// The signed data.
    pub(crate) fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// The contents of the signature algorithm.
    pub(crate) fn signature_algorithm(&self) -> &[u8] {
        &self.der[self.signature_algorithm.clone()]
    }

    /// The signature bits.
    pub(crate) fn signature(&self) -> &[u8] {
        &self.der[self.signature.clone()]
    }

    /// A digest binding the signature algorithm, the signed data and the signature;
    /// computed once. Keys the signature memo.
    pub(crate) fn digest(&self) -> &[u8; 32] {
        self.digest.get_or_init(|| {
            crate::memo::SignatureMemo::key(&[
                self.signature_algorithm(),
                self.tbs(),
                self.signature(),
            ])
        })
    }
}
