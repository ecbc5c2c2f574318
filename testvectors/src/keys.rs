//! Deterministic key derivation and signing.
//!
//! Every key is derived from its name: the seed of a `ChaCha20Rng` is
//! `SHA-256("huren-testvectors/" + name)`. Signatures are deterministic too
//! (RSA PKCS#1 v1.5 by construction, ECDSA and SM2 via RFC 6979 nonces).

use std::collections::HashMap;
use std::rc::Rc;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{
    ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ID_EC_PUBLIC_KEY, SECP_256_R_1, SECP_384_R_1,
    SHA_256_WITH_RSA_ENCRYPTION,
};
use der::Decode;
use der::asn1::{Any, BitString};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use rsa::pkcs8::EncodePublicKey;
use sha2::{Digest, Sha256};
use signature::Signer;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// The SM2 distinguishing identifier used by default (GM/T 0009).
pub const SM2_DEFAULT_DISTID: &str = "1234567812345678";

/// OID of the SM2 curve, `1.2.156.10197.1.301`.
pub const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");

/// OID of the SM2-with-SM3 signature algorithm, `1.2.156.10197.1.501`.
pub const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");

/// The public-key algorithm of a generated key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlg {
    /// SM2 (GB/T 32918), signatures with SM3.
    Sm2,
    /// ECDSA on NIST P-256, signatures with SHA-256.
    P256,
    /// ECDSA on NIST P-384, signatures with SHA-384.
    P384,
    /// RSA 2048, PKCS#1 v1.5 signatures with SHA-256.
    Rsa2048,
}

/// How a signature is produced and labelled.
#[derive(Clone, Copy, Debug)]
pub struct SigOpts {
    /// For SM2: emit the signature AlgorithmIdentifier with NULL parameters
    /// (`true`, what deployed Chinese certificates do) or with parameters
    /// absent (`false`). Ignored for other algorithms.
    pub sm2_params_null: bool,
    /// For SM2: the distinguishing identifier used when signing.
    pub sm2_distid: &'static str,
    /// Flip a bit in the last octet of the signature value.
    pub corrupt: bool,
}

impl Default for SigOpts {
    fn default() -> Self {
        Self {
            sm2_params_null: true,
            sm2_distid: SM2_DEFAULT_DISTID,
            corrupt: false,
        }
    }
}

enum Secret {
    Sm2(sm2::SecretKey),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

/// A named key pair derived deterministically from its name.
pub struct Key {
    name: String,
    alg: KeyAlg,
    secret: Secret,
    spki: SubjectPublicKeyInfoOwned,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("name", &self.name)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// The RNG from which the key called `name` is derived.
fn rng_for(name: &str) -> ChaCha20Rng {
    let seed: [u8; 32] = Sha256::digest(format!("huren-testvectors/{name}").as_bytes()).into();
    ChaCha20Rng::from_seed(seed)
}

fn ec_spki(curve: ObjectIdentifier, point: &[u8]) -> SubjectPublicKeyInfoOwned {
    SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(Any::encode_from(&curve).expect("OID encodes")),
        },
        subject_public_key: BitString::from_bytes(point).expect("point fits in a BIT STRING"),
    }
}

/// Draws candidate scalars from `rng` until `accept` takes one.
fn draw_scalar<T>(rng: &mut ChaCha20Rng, len: usize, accept: impl Fn(&[u8]) -> Option<T>) -> T {
    let mut buf = vec![0u8; len];
    loop {
        rng.fill_bytes(&mut buf);
        if let Some(k) = accept(&buf) {
            return k;
        }
    }
}

impl Key {
    /// Derives the key called `name` for algorithm `alg`.
    pub fn derive(alg: KeyAlg, name: &str) -> Self {
        let mut rng = rng_for(name);
        let (secret, spki) = match alg {
            KeyAlg::Sm2 => {
                let sk = draw_scalar(&mut rng, 32, |b| sm2::SecretKey::from_slice(b).ok());
                let point = sk.public_key().to_sec1_bytes_uncompressed();
                (Secret::Sm2(sk), ec_spki(SM2_CURVE, &point))
            }
            KeyAlg::P256 => {
                let sk = draw_scalar(&mut rng, 32, |b| {
                    p256::ecdsa::SigningKey::from_slice(b).ok()
                });
                let point = sk.verifying_key().to_sec1_point(false);
                let spki = ec_spki(SECP_256_R_1, point.as_bytes());
                (Secret::P256(sk), spki)
            }
            KeyAlg::P384 => {
                let sk = draw_scalar(&mut rng, 48, |b| {
                    p384::ecdsa::SigningKey::from_slice(b).ok()
                });
                let point = sk.verifying_key().to_sec1_point(false);
                let spki = ec_spki(SECP_384_R_1, point.as_bytes());
                (Secret::P384(sk), spki)
            }
            KeyAlg::Rsa2048 => {
                let sk = rsa::PrivateKey::new(&mut rng, 2048).expect("RSA key generation");
                let der = sk
                    .to_public_key()
                    .to_public_key_der()
                    .expect("RSA public key encodes");
                let spki = SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
                    .expect("RSA SubjectPublicKeyInfo decodes");
                (
                    Secret::Rsa(Box::new(rsa::pkcs1v15::SigningKey::<Sha256>::new(sk))),
                    spki,
                )
            }
        };
        Self {
            name: name.to_owned(),
            alg,
            secret,
            spki,
        }
    }

    /// The key's algorithm.
    pub fn alg(&self) -> KeyAlg {
        self.alg
    }

    /// The private key as PKCS#8 DER, for RSA keys only (`None` for the others): the trust
    /// list signer's key is handed to the trust-list signer in this form.
    pub fn rsa_pkcs8_der(&self) -> Option<Vec<u8>> {
        use rsa::pkcs8::EncodePrivateKey;
        match &self.secret {
            Secret::Rsa(sk) => Some(
                sk.to_pkcs8_der()
                    .expect("RSA private key encodes")
                    .as_bytes()
                    .to_vec(),
            ),
            _ => None,
        }
    }

    /// The SubjectPublicKeyInfo of the public key.
    pub fn spki(&self) -> &SubjectPublicKeyInfoOwned {
        &self.spki
    }

    /// The key identifier: the leftmost 160 bits of the SHA-256 hash of the
    /// subjectPublicKey BIT STRING value (RFC 7093 method 1).
    pub fn key_id(&self) -> Vec<u8> {
        Sha256::digest(self.spki.subject_public_key.raw_bytes())[..20].to_vec()
    }

    /// The AlgorithmIdentifier of signatures made by this key.
    pub fn signature_algorithm(&self, opts: SigOpts) -> AlgorithmIdentifierOwned {
        let (oid, parameters) = match self.alg {
            KeyAlg::Sm2 => (SM2_WITH_SM3, opts.sm2_params_null.then(Any::null)),
            KeyAlg::P256 => (ECDSA_WITH_SHA_256, None),
            KeyAlg::P384 => (ECDSA_WITH_SHA_384, None),
            KeyAlg::Rsa2048 => (SHA_256_WITH_RSA_ENCRYPTION, Some(Any::null())),
        };
        AlgorithmIdentifierOwned { oid, parameters }
    }

    /// Signs `msg` and returns the signature value as it goes into the BIT
    /// STRING (DER `SEQUENCE { r, s }` for ECDSA and SM2).
    pub fn sign(&self, msg: &[u8], opts: SigOpts) -> Vec<u8> {
        let mut sig = match &self.secret {
            Secret::Sm2(sk) => {
                let signer = sm2::dsa::SigningKey::new(opts.sm2_distid, sk).expect("SM2 signer");
                let sig: sm2::dsa::Signature = signer.sign(msg);
                sig.to_der().to_bytes().to_vec()
            }
            Secret::P256(sk) => {
                let sig: p256::ecdsa::Signature = sk.sign(msg);
                sig.to_der().as_bytes().to_vec()
            }
            Secret::P384(sk) => {
                let sig: p384::ecdsa::Signature = sk.sign(msg);
                sig.to_der().as_bytes().to_vec()
            }
            Secret::Rsa(sk) => {
                use signature::SignatureEncoding;
                let sig: rsa::pkcs1v15::Signature = sk.sign(msg);
                sig.to_vec()
            }
        };
        if opts.corrupt {
            let last = sig.last_mut().expect("signature is not empty");
            *last ^= 0x01;
        }
        sig
    }
}

trait UncompressedPoint {
    fn to_sec1_bytes_uncompressed(&self) -> Vec<u8>;
}

impl UncompressedPoint for sm2::PublicKey {
    fn to_sec1_bytes_uncompressed(&self) -> Vec<u8> {
        use sm2::elliptic_curve::sec1::ToSec1Point;
        self.as_affine().to_sec1_point(false).as_bytes().to_vec()
    }
}

/// A cache of derived keys so that each name is derived (and, for RSA,
/// generated) once.
#[derive(Debug, Default)]
pub struct KeyStore {
    keys: HashMap<String, Rc<Key>>,
}

impl KeyStore {
    /// Returns the key called `name`, deriving it on first use.
    ///
    /// # Panics
    ///
    /// Panics if the name was used before with another algorithm.
    pub fn get(&mut self, alg: KeyAlg, name: &str) -> Rc<Key> {
        let key = self
            .keys
            .entry(name.to_owned())
            .or_insert_with(|| Rc::new(Key::derive(alg, name)))
            .clone();
        assert_eq!(key.alg, alg, "key {name} reused with another algorithm");
        key
    }
}
