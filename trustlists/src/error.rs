//! The one error type of this crate.

use std::fmt;

/// Where in a document something was found: 1-based line and column, and the element path
/// (local names from the document element down, e.g.
/// `TrustServiceStatusList/SchemeInformation/TSLSequenceNumber`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Element path from the document element.
    pub path: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "line {}, column {}", self.line, self.column)
        } else {
            write!(
                f,
                "line {}, column {} ({})",
                self.line, self.column, self.path
            )
        }
    }
}

/// Everything that can go wrong reading, verifying, building or signing a trust list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed XML, or uses a construct refused on untrusted input
    /// (a DTD, entity declarations, an encoding other than UTF-8).
    Xml {
        /// Where the parser stopped.
        at: Location,
        /// What it found.
        message: String,
    },
    /// A size, depth or count limit was exceeded (adversarial input must not cost unbounded
    /// memory or time).
    Limit {
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The XML is well-formed but not a trust list of the expected shape: a required element
    /// is missing, a value does not parse, an element is repeated that may not be.
    Format {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// The signature is missing, outside the accepted profile (TS 119 612 §5.7, XAdES-B),
    /// structurally unsafe (a signature-wrapping shape), or does not verify.
    Signature {
        /// Where, when it concerns one element.
        at: Option<Location>,
        /// Why the list was refused.
        message: String,
    },
    /// The signature verifies, but the certificate that made it is not among the signers
    /// pinned for this list.
    SignerNotPinned {
        /// SHA-256 of the signer certificate, hex.
        signer_sha256: String,
        /// The signer certificate's subject.
        subject: String,
    },
    /// A pointer or pivot could not be followed (no pointer for the territory, too many
    /// pivots, a pivot out of sequence).
    Pointer {
        /// Why.
        message: String,
    },
    /// A source file (the declarative TOML description of a list) is invalid.
    Source {
        /// 1-based line, when known.
        line: Option<u32>,
        /// 1-based column, when known.
        column: Option<u32>,
        /// What is wrong.
        message: String,
    },
    /// A list could not be built or signed (bad key, key and certificate do not match,
    /// sequence number not above the previous list's).
    Build {
        /// Why.
        message: String,
    },
}

impl Error {
    pub(crate) fn format(at: Location, message: impl Into<String>) -> Self {
        Error::Format {
            at,
            message: message.into(),
        }
    }

    pub(crate) fn signature(at: Option<Location>, message: impl Into<String>) -> Self {
        Error::Signature {
            at,
            message: message.into(),
        }
    }

    pub(crate) fn build(message: impl Into<String>) -> Self {
        Error::Build {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Xml { at, message } => write!(f, "not acceptable XML at {at}: {message}"),
            Error::Limit { what, limit } => write!(f, "too large: more than {limit} {what}"),
            Error::Format { at, message } => write!(f, "at {at}: {message}"),
            Error::Signature {
                at: Some(at),
                message,
            } => {
                write!(f, "signature refused at {at}: {message}")
            }
            Error::Signature { at: None, message } => write!(f, "signature refused: {message}"),
            Error::SignerNotPinned {
                signer_sha256,
                subject,
            } => write!(
                f,
                "the signature verifies but its signer ({subject}, sha256 {signer_sha256}) is not pinned for this list"
            ),
            Error::Pointer { message } => write!(f, "pointer: {message}"),
            Error::Source {
                line: Some(l),
                column: Some(c),
                message,
            } => write!(f, "source line {l}, column {c}: {message}"),
            Error::Source { message, .. } => write!(f, "source: {message}"),
            Error::Build { message } => write!(f, "build: {message}"),
        }
    }
}

impl std::error::Error for Error {}
