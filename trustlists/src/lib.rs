//! # huren-trustlists: ETSI TS 119 612 trust lists — read, verify, build, sign
//!
//! MIIT publishes the domestic licensed CAs and the approved foreign CAs (Art. 11, 13, 47–49
//! of the draft Measures) as a signed list in the format of ETSI TS 119 612, the format of
//! the EU trusted lists, so that one reader serves MIIT's list and the foreign lists it
//! points to. This crate is pure: bytes, keys and the time are passed in.
//!
//! ## Design
//!
//! * **One tree** ([`xml`]): untrusted bytes are parsed once, hardened (UTF-8 only, no DTD,
//!   limits on size, nodes and depth, duplicate `Id`s refused). The signature is verified on
//!   that tree and the content is read from the same tree, from the element the signature's
//!   document reference covers — never by searching the document.
//! * **Canonicalisation** ([`c14n`]): exclusive XML C14N and inclusive C14N 1.0, on the tree.
//! * **The signature profile** ([`dsig`]): enveloped XMLDSig with XAdES-B, and the
//!   signature-wrapping defences: exactly one signature, a child of the document element;
//!   one reference to the document, one to *this* signature's SignedProperties, no other;
//!   the XAdES signing-certificate digest matches the KeyInfo certificate.
//! * **Pinning** ([`verify`]): a [`VerifiedTrustList`] exists only after the signature
//!   verified against a certificate pinned for that list at a given time.
//! * **Foreign schemes** ([`pointers`]): pointers to other lists carry the pinned signers of
//!   those lists; pivot LOTLs are followed from an Official Journal signer set, bounded.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod c14n;
pub mod diff;
pub mod dsig;
mod error;
pub mod model;
pub mod pointers;
pub mod read;
pub mod render;
pub mod sign;
pub mod snapshot;
pub mod source;
pub mod verify;
pub mod write;
pub mod xml;

pub use error::{Error, Location};
pub use model::TrustList;
pub use read::{read_list, read_unverified};
pub use source::{Source, parse_source};
pub use verify::VerifiedTrustList;
pub use write::write_list;
pub use xml::Limits;
