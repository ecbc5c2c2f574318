//! The signature algorithms huren verifies.
//!
//! Every algorithm is a [`SignatureVerificationAlgorithm`] from `rustls-pki-types`: the
//! RSA, ECDSA and Ed25519 implementations of rustls-webpki (aws-lc-rs), and our own SM2 with
//! SM3 (GM/T 0003, distinguishing ID `1234567812345678` of GM/T 0009). DSA (legacy PKIs) is
//! verified with RustCrypto `dsa`, with the domain parameters inherited from the issuer when
//! the key carries none (RFC 5280 §6.1.4 (f)).
//!
//! An algorithm is chosen by comparing the certificate's `signatureAlgorithm` and the
//! issuer's SPKI `algorithm` byte for byte with each implementation's identifiers, as
//! rustls-webpki does.

use crate::der::{Reader, tag};
use crate::oid;
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use webpki::aws_lc_rs as alg;

/// The GM/T 0009 default user ID used for SM2 signatures on certificates and CRLs.
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

/// Why a signature did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature does not verify under the key.
    Invalid,
    /// No implementation for this signature algorithm and key type.
    Unsupported {
        /// The signature algorithm's OID (dotted).
        signature_algorithm: String,
        /// The key algorithm's OID (dotted).
        key_algorithm: String,
    },
    /// The combination is understood but refused (e.g. SM2 with SHA-256, GM/T 0006).
    Disallowed(String),
    /// An SM2 signature that does not verify with the GM/T 0009 default ID
    /// (`1234567812345678`) but does with an empty ID, as OpenSSL 3 signs unless told
    /// otherwise (`-sigopt distid:…`): not a valid signature here, named so the signer
    /// learns what to change.
    Sm2EmptyId,
}

impl SignatureError {
    /// What went wrong, in a sentence fragment (`invalid signature`, …).
    pub fn describe(&self) -> String {
        match self {
            SignatureError::Invalid => "invalid signature".to_string(),
            SignatureError::Sm2EmptyId => format!(
                "invalid signature: the SM2 signature verifies only with an empty distinguishing ID (OpenSSL 3's default), not with the GM/T 0009 default ID {SM2_DEFAULT_ID}"
            ),
            SignatureError::Unsupported {
                signature_algorithm,
                key_algorithm,
            } => format!(
                "signature algorithm {signature_algorithm} with key algorithm {key_algorithm} is not supported"
            ),
            SignatureError::Disallowed(why) => why.clone(),
        }
    }
}

/// Whether an SM2-with-SM3 signature verifies under `id` (for diagnosing a failure).
fn sm2_verifies_with_id(id: &str, public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use signature::Verifier;
    let (Ok(key), Ok(sig)) = (
        sm2::dsa::VerifyingKey::from_sec1_bytes(id, public_key),
        sm2::dsa::Signature::from_der(signature),
    ) else {
        return false;
    };
    key.verify(message, &sig).is_ok()
}

/// SM2 signatures with SM3 over the GM/T 0009 default ID.
#[derive(Debug)]
pub struct Sm2WithSm3 {
    public_key_alg_id: AlgorithmIdentifier,
    signature_alg_id: AlgorithmIdentifier,
}

// AlgorithmIdentifier contents (OID and parameters, without the SEQUENCE header).
const SM2_KEY_EC: &[u8] = &[
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55,
    0x01, 0x82, 0x2d,
];
// GM/T 0015-2023 also allows the SM2 curve OID as the key algorithm itself.
const SM2_KEY_SM2: &[u8] = &[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
const SM2_SIG_ABSENT: &[u8] = &[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];
const SM2_SIG_NULL: &[u8] = &[
    0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00,
];

/// sm2sign-with-sm3, parameters absent, id-ecPublicKey/sm2p256v1 key.
pub static SM2_SM3: &dyn SignatureVerificationAlgorithm = &Sm2WithSm3 {
    public_key_alg_id: AlgorithmIdentifier::from_slice(SM2_KEY_EC),
    signature_alg_id: AlgorithmIdentifier::from_slice(SM2_SIG_ABSENT),
};
/// sm2sign-with-sm3, parameters NULL (what genuine certificates carry).
pub static SM2_SM3_NULL_PARAMS: &dyn SignatureVerificationAlgorithm = &Sm2WithSm3 {
    public_key_alg_id: AlgorithmIdentifier::from_slice(SM2_KEY_EC),
    signature_alg_id: AlgorithmIdentifier::from_slice(SM2_SIG_NULL),
};
/// sm2sign-with-sm3, parameters absent, key algorithm sm2p256v1 (GM/T 0015-2023).
pub static SM2_SM3_SM2_KEY: &dyn SignatureVerificationAlgorithm = &Sm2WithSm3 {
    public_key_alg_id: AlgorithmIdentifier::from_slice(SM2_KEY_SM2),
    signature_alg_id: AlgorithmIdentifier::from_slice(SM2_SIG_ABSENT),
};
/// sm2sign-with-sm3, parameters NULL, key algorithm sm2p256v1 (GM/T 0015-2023).
pub static SM2_SM3_NULL_PARAMS_SM2_KEY: &dyn SignatureVerificationAlgorithm = &Sm2WithSm3 {
    public_key_alg_id: AlgorithmIdentifier::from_slice(SM2_KEY_SM2),
    signature_alg_id: AlgorithmIdentifier::from_slice(SM2_SIG_NULL),
};

impl SignatureVerificationAlgorithm for Sm2WithSm3 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use signature::Verifier;
        // GM/T 0015 §5.2: an uncompressed point.
        if public_key.len() != 65 || public_key[0] != 0x04 {
            return Err(InvalidSignature);
        }
        let key = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_ID, public_key)
            .map_err(|_| InvalidSignature)?;
        let sig = sm2::dsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &sig).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key_alg_id
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }
}

/// Every algorithm the engine accepts by default.
pub static ALL: &[&dyn SignatureVerificationAlgorithm] = &[
    alg::ECDSA_P256_SHA256,
    alg::ECDSA_P256_SHA384,
    alg::ECDSA_P256_SHA512,
    alg::ECDSA_P384_SHA256,
    alg::ECDSA_P384_SHA384,
    alg::ECDSA_P384_SHA512,
    alg::ECDSA_P521_SHA256,
    alg::ECDSA_P521_SHA384,
    alg::ECDSA_P521_SHA512,
    alg::RSA_PKCS1_2048_8192_SHA256,
    alg::RSA_PKCS1_2048_8192_SHA384,
    alg::RSA_PKCS1_2048_8192_SHA512,
    alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    alg::ED25519,
    SM2_SM3,
    SM2_SM3_NULL_PARAMS,
    SM2_SM3_SM2_KEY,
    SM2_SM3_NULL_PARAMS_SM2_KEY,
];

/// A public key parsed once for repeated verification (aws-lc-rs `ParsedPublicKey`), for
/// the RSA PKCS#1 and ECDSA combinations where re-parsing the key costs a noticeable share of
/// each verification (about 1.9 µs of 14 µs for RSA-2048). The verification itself is the one
/// rustls-webpki's aws-lc-rs algorithm performs for the same identifiers.
#[derive(Clone, Debug)]
pub struct PreparedKey {
    twin: u8,
    key: aws_lc_rs::signature::ParsedPublicKey,
}

// AlgorithmIdentifier contents used to find a preparable twin.
const RSA_KEY: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
const EC_P256_KEY: &[u8] = &[
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x03, 0x01, 0x07,
];
const EC_P384_KEY: &[u8] = &[
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22,
];

/// The aws-lc-rs algorithm equal to the rustls-webpki one for these identifiers, with an
/// index, when the combination is preparable.
fn twin(
    signature_algorithm: &[u8],
    spki_algorithm: &[u8],
) -> Option<(u8, &'static dyn aws_lc_rs::signature::VerificationAlgorithm)> {
    use aws_lc_rs::signature as s;
    let mut r = Reader::new(signature_algorithm);
    let sig_oid = r.oid().ok()?;
    // RFC 4055: sha*WithRSAEncryption parameters NULL, or absent; nothing else.
    let params_ok = r.is_empty() || (r.read().ok()?.full == [0x05, 0x00] && r.is_empty());
    match (spki_algorithm, sig_oid) {
        (RSA_KEY, oid::SHA256_WITH_RSA) if params_ok => Some((1, &s::RSA_PKCS1_2048_8192_SHA256)),
        (RSA_KEY, oid::SHA384_WITH_RSA) if params_ok => Some((2, &s::RSA_PKCS1_2048_8192_SHA384)),
        (RSA_KEY, oid::SHA512_WITH_RSA) if params_ok => Some((3, &s::RSA_PKCS1_2048_8192_SHA512)),
        // ECDSA identifiers carry no parameters (RFC 5758 §3.2).
        (EC_P256_KEY, oid::ECDSA_WITH_SHA256) if r.is_empty() => {
            Some((4, &s::ECDSA_P256_SHA256_ASN1))
        }
        (EC_P384_KEY, oid::ECDSA_WITH_SHA384) if r.is_empty() => {
            Some((5, &s::ECDSA_P384_SHA384_ASN1))
        }
        _ => None,
    }
}

/// Verifies like [`verify`], parsing the key once into `cache` when the combination is
/// preparable (the first preparable algorithm used with a key is the one kept).
pub fn verify_cached(
    cache: &std::sync::OnceLock<Option<PreparedKey>>,
    spki_algorithm: &[u8],
    public_key: &[u8],
    signature_algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
    inherited_dsa_params: Option<&[u8]>,
) -> Result<(), SignatureError> {
    if let Some((index, alg)) = twin(signature_algorithm, spki_algorithm) {
        // RFC 5480 §2.2: the first octet of an EC point is 0x04, 0x02 or 0x03.
        let ec_ok = index < 4 || matches!(public_key.first(), Some(0x02..=0x04));
        let prepared = cache.get_or_init(|| {
            aws_lc_rs::signature::ParsedPublicKey::new(alg, public_key)
                .ok()
                .map(|key| PreparedKey { twin: index, key })
        });
        if let Some(p) = prepared
            && p.twin == index
            && ec_ok
        {
            return p
                .key
                .verify_sig(message, signature)
                .map_err(|_| SignatureError::Invalid);
        }
    }
    verify(
        spki_algorithm,
        public_key,
        signature_algorithm,
        message,
        signature,
        inherited_dsa_params,
    )
}

/// The signature-algorithm family, for reports and approval scopes.
pub fn family(signature_algorithm: &[u8]) -> &'static str {
    let oid = Reader::new(signature_algorithm).oid().unwrap_or(&[]);
    match oid {
        oid::SM2_WITH_SM3 => "SM2-SM3",
        oid::ECDSA_WITH_SHA256 | oid::ECDSA_WITH_SHA384 | oid::ECDSA_WITH_SHA512 => "ECDSA",
        oid::SHA256_WITH_RSA | oid::SHA384_WITH_RSA | oid::SHA512_WITH_RSA | oid::SHA1_WITH_RSA => {
            "RSA-PKCS1"
        }
        oid::RSASSA_PSS => "RSA-PSS",
        oid::ED25519 => "Ed25519",
        oid::DSA_WITH_SHA1 | oid::DSA_WITH_SHA224 | oid::DSA_WITH_SHA256 => "DSA",
        _ => "unknown",
    }
}

/// Whether a key algorithm identifier is DSA, and its parameters if present.
pub fn dsa_parameters(spki_algorithm: &[u8]) -> Option<Option<&[u8]>> {
    let mut r = Reader::new(spki_algorithm);
    if r.oid().ok()? != oid::DSA {
        return None;
    }
    if r.is_empty() {
        return Some(None);
    }
    let params = r.read().ok()?;
    if params.tag == tag::NULL {
        return Some(None);
    }
    Some(Some(params.full))
}

/// Verifies `signature` over `message` made with the key (`spki_algorithm` contents,
/// `public_key` bits) under `signature_algorithm` (contents). `inherited_dsa_params` are the
/// working public key parameters of RFC 5280 §6.1.4 (f) when the key is DSA without its own.
pub fn verify(
    spki_algorithm: &[u8],
    public_key: &[u8],
    signature_algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
    inherited_dsa_params: Option<&[u8]>,
) -> Result<(), SignatureError> {
    let sig_oid = Reader::new(signature_algorithm).oid().unwrap_or(&[]);
    if sig_oid == oid::SM2_WITH_SHA1 || sig_oid == oid::SM2_WITH_SHA256 {
        // GM/T 0006: SM2 signatures in certificates use SM3; other hashes are refused.
        return Err(SignatureError::Disallowed(format!(
            "SM2 with a hash other than SM3 ({})",
            oid::dotted(sig_oid)
        )));
    }
    if let Some(params) = dsa_parameters(spki_algorithm) {
        let params = params.or(inherited_dsa_params);
        return verify_dsa(params, public_key, sig_oid, message, signature);
    }
    for a in ALL {
        if a.signature_alg_id().as_ref() == signature_algorithm
            && a.public_key_alg_id().as_ref() == spki_algorithm
        {
            return a
                .verify_signature(public_key, message, signature)
                .map_err(|_| {
                    if sig_oid == oid::SM2_WITH_SM3
                        && sm2_verifies_with_id("", public_key, message, signature)
                    {
                        SignatureError::Sm2EmptyId
                    } else {
                        SignatureError::Invalid
                    }
                });
        }
    }
    let key_oid = Reader::new(spki_algorithm).oid().unwrap_or(&[]);
    // A known signature algorithm with a key of another type is a mismatch, not an unknown.
    if ALL
        .iter()
        .any(|a| a.signature_alg_id().as_ref() == signature_algorithm)
        && ALL
            .iter()
            .any(|a| a.public_key_alg_id().as_ref() == spki_algorithm)
    {
        return Err(SignatureError::Invalid);
    }
    Err(SignatureError::Unsupported {
        signature_algorithm: oid::dotted(sig_oid),
        key_algorithm: oid::dotted(key_oid),
    })
}

fn verify_dsa(
    params: Option<&[u8]>,
    public_key: &[u8],
    sig_oid: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    use sha2::Digest;
    use signature::hazmat::PrehashVerifier;
    let unsupported = || SignatureError::Unsupported {
        signature_algorithm: oid::dotted(sig_oid),
        key_algorithm: oid::dotted(oid::DSA),
    };
    let digest: Vec<u8> = match sig_oid {
        oid::DSA_WITH_SHA1 => sha1::Sha1::digest(message).to_vec(),
        oid::DSA_WITH_SHA224 => sha2::Sha224::digest(message).to_vec(),
        oid::DSA_WITH_SHA256 => sha2::Sha256::digest(message).to_vec(),
        _ => return Err(unsupported()),
    };
    let Some(params) = params else {
        return Err(SignatureError::Invalid);
    };
    // Rebuild a SubjectPublicKeyInfo with the (possibly inherited) parameters.
    let mut alg = Vec::new();
    der_write(tag::OID, oid::DSA, &mut alg);
    alg.extend_from_slice(params);
    let mut body = Vec::new();
    der_write(tag::SEQUENCE, &alg, &mut body);
    let mut bits = vec![0u8];
    bits.extend_from_slice(public_key);
    der_write(tag::BIT_STRING, &bits, &mut body);
    let mut spki = Vec::new();
    der_write(tag::SEQUENCE, &body, &mut spki);
    let key = <dsa::VerifyingKey as dsa::pkcs8::DecodePublicKey>::from_public_key_der(&spki)
        .map_err(|_| SignatureError::Invalid)?;
    let sig = <dsa::Signature as der_crate::Decode>::from_der(signature)
        .map_err(|_| SignatureError::Invalid)?;
    key.verify_prehash(&digest, &sig)
        .map_err(|_| SignatureError::Invalid)
}

use ::der as der_crate;

/// Appends a DER element.
pub(crate) fn der_write(t: u8, value: &[u8], out: &mut Vec<u8>) {
    out.push(t);
    let n = value.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
}
