//! The crate's error type: why input could not be turned into certificates, CRLs or OCSP
//! responses.
//!
//! Validation outcomes are not errors: they are [`crate::Report`]s with a [`crate::Code`].
//! An [`Error`] means the input itself is unusable, and says which object, which field and
//! what is wrong.

use core::fmt;

/// Why input bytes could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A certificate is not well-formed DER X.509 under RFC 5280.
    MalformedCertificate {
        /// The field (`tbsCertificate`, `extension 2.5.29.19`, …).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A CRL is not well-formed DER under RFC 5280 §5.
    MalformedCrl {
        /// The field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// An OCSP response is not well-formed DER under RFC 6960 §4.2.1.
    MalformedOcsp {
        /// The field (`responseBytes`, `tbsResponseData`, …).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// An OCSP response is well formed but its responseStatus is not `successful`
    /// (RFC 6960 §4.2.1): it carries no revocation information.
    OcspNotSuccessful {
        /// The OCSPResponseStatus value (1 malformedRequest, 2 internalError, 3 tryLater,
        /// 5 sigRequired, 6 unauthorized).
        status: u64,
        /// Its name in RFC 6960 (`tryLater`, …), or `unrecognised`.
        name: &'static str,
    },
    /// A PEM block could not be decoded.
    Pem {
        /// 1-based index of the block.
        block: usize,
        /// What is wrong.
        reason: String,
    },
    /// The input is neither PEM nor DER.
    NotPemOrDer,
    /// The input holds a private key: refused, and never echoed.
    PrivateKey,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MalformedCertificate { field, reason } => {
                write!(f, "malformed certificate: {field}: {reason}")
            }
            Error::MalformedCrl { field, reason } => write!(f, "malformed CRL: {field}: {reason}"),
            Error::MalformedOcsp { field, reason } => {
                write!(f, "malformed OCSP response: {field}: {reason}")
            }
            Error::OcspNotSuccessful { status, name } => {
                write!(
                    f,
                    "the OCSP responder answered {name} ({status}), not successful"
                )
            }
            Error::Pem { block, reason } => write!(f, "PEM block {block}: {reason}"),
            Error::NotPemOrDer => f.write_str("neither PEM nor DER"),
            Error::PrivateKey => f.write_str("the input holds a private key, which is refused"),
        }
    }
}

impl std::error::Error for Error {}
