//! Signing a list: enveloped XMLDSig with exclusive C14N and XAdES-B signed properties
//! (SigningTime, SigningCertificateV2), RSA PKCS#1 v1.5 or ECDSA P-256/P-384, SHA-256 or
//! stronger — the profile [`crate::dsig`] verifies and that xmlsec1 and signxml accept.
//!
//! The key, the certificate, the signing time and the random source are passed in. Every
//! signature made is verified again before it is returned.

use crate::c14n::{self, Method, NodeSet};
use crate::dsig::{self, AwsLc, DigestAlgorithm, SignatureAlgorithm};
use crate::error::Error;
use crate::xml::{self, Limits, ns};
use aws_lc_rs::rand::SecureRandom;
use aws_lc_rs::signature::{self as s, KeyPair as _};
use base64ct::{Base64, Encoding};
use huren_validator::Certificate;

/// A private key that can sign lists.
pub struct SigningKey {
    inner: KeyInner,
}

enum KeyInner {
    Rsa(s::RsaKeyPair),
    Ecdsa(s::EcdsaKeyPair, SignatureAlgorithm),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.inner {
            KeyInner::Rsa(_) => "SigningKey(RSA)",
            KeyInner::Ecdsa(_, SignatureAlgorithm::EcdsaSha384) => "SigningKey(ECDSA P-384)",
            KeyInner::Ecdsa(..) => "SigningKey(ECDSA P-256)",
        })
    }
}

impl SigningKey {
    /// A key from PEM text: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1) or
    /// `EC PRIVATE KEY` (SEC 1). RSA keys of at least 2048 bits; EC keys on P-256 (signing
    /// with ECDSA-SHA256) or P-384 (ECDSA-SHA384).
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let (label, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
            .map_err(|e| Error::build(format!("the key is not PEM: {e}")))?;
        match label {
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => Self::from_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(Error::build(
                "the key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)",
            )),
            other => Err(Error::build(format!(
                "a PEM {other:?} is not a private key"
            ))),
        }
    }

    /// A key from DER: PKCS#8, PKCS#1 (RSA) or SEC 1 (EC).
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if let Ok(k) = s::RsaKeyPair::from_pkcs8(der).or_else(|_| s::RsaKeyPair::from_der(der)) {
            if k.public_modulus_len() < 256 {
                return Err(Error::build("RSA keys under 2048 bits are not accepted"));
            }
            return Ok(SigningKey {
                inner: KeyInner::Rsa(k),
            });
        }
        for (alg, sig) in [
            (
                &s::ECDSA_P256_SHA256_FIXED_SIGNING,
                SignatureAlgorithm::EcdsaSha256,
            ),
            (
                &s::ECDSA_P384_SHA384_FIXED_SIGNING,
                SignatureAlgorithm::EcdsaSha384,
            ),
        ] {
            if let Ok(k) = s::EcdsaKeyPair::from_pkcs8(alg, der)
                .or_else(|_| s::EcdsaKeyPair::from_private_key_der(alg, der))
            {
                return Ok(SigningKey {
                    inner: KeyInner::Ecdsa(k, sig),
                });
            }
        }
        Err(Error::build(
            "the key is neither an RSA key nor an EC key on P-256 or P-384 (PKCS#8, PKCS#1 or SEC 1 DER)",
        ))
    }

    fn public_key(&self) -> &[u8] {
        match &self.inner {
            KeyInner::Rsa(k) => k.public_key().as_ref(),
            KeyInner::Ecdsa(k, _) => k.public_key().as_ref(),
        }
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        match &self.inner {
            KeyInner::Rsa(_) => SignatureAlgorithm::RsaSha256,
            KeyInner::Ecdsa(_, a) => *a,
        }
    }

    fn sign(&self, rng: &dyn SecureRandom, message: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.inner {
            KeyInner::Rsa(k) => {
                let mut out = vec![0; k.public_modulus_len()];
                k.sign(&s::RSA_PKCS1_SHA256, rng, message, &mut out)
                    .map_err(|_| Error::build("RSA signing failed"))?;
                Ok(out)
            }
            KeyInner::Ecdsa(k, _) => Ok(k
                .sign(rng, message)
                .map_err(|_| Error::build("ECDSA signing failed"))?
                .as_ref()
                .to_vec()),
        }
    }
}

/// A key with its certificate: what signs a list.
#[derive(Debug)]
pub struct ListSigner {
    key: SigningKey,
    cert: Vec<u8>,
}

impl ListSigner {
    /// Pairs a key with its certificate (DER), refusing a certificate whose public key is
    /// not the key's.
    pub fn new(key: SigningKey, cert_der: Vec<u8>) -> Result<Self, Error> {
        let cert = Certificate::from_der(&cert_der)
            .map_err(|e| Error::build(format!("the signer certificate does not parse: {e}")))?;
        if cert.public_key() != key.public_key() {
            return Err(Error::build(
                "the key does not belong to the certificate (their public keys differ)",
            ));
        }
        Ok(ListSigner {
            key,
            cert: cert_der,
        })
    }

    /// The signer certificate (DER).
    pub fn certificate(&self) -> &[u8] {
        &self.cert
    }
}

const SIG_ID: &str = "huren-signature";
const PROPS_ID: &str = "huren-signature-signedprops";
const REF_ID: &str = "huren-signature-ref-list";
const PLACEHOLDER_PROPS: &str = "@@HUREN-PROPS-DIGEST@@";
const PLACEHOLDER_VALUE: &str = "@@HUREN-SIGNATURE-VALUE@@";

/// Signs an unsigned list (the output of [`crate::write_list`]): inserts an enveloped
/// `ds:Signature` as the last child of the document element and returns the signed text.
/// The signature is verified before it is returned.
pub fn sign_list(
    unsigned: &str,
    signer: &ListSigner,
    signing_time: i64,
    rng: &dyn SecureRandom,
) -> Result<String, Error> {
    let limits = Limits::default();
    let doc = xml::parse(xml::text(unsigned.as_bytes(), &limits)?, &limits)?;
    let ids = xml::ids(&doc)?;
    for id in [SIG_ID, PROPS_ID, REF_ID] {
        if ids.contains_key(id) {
            return Err(Error::build(format!("the list already uses the Id {id:?}")));
        }
    }
    if doc.descendants().any(|n| xml::is(n, ns::DS, "Signature")) {
        return Err(Error::build("the list is already signed"));
    }
    let root = doc.root_element();
    let digest = DigestAlgorithm::Sha256;

    // Reference 0: the whole document (URI=""), enveloped, exclusive C14N.
    let exc = Method::Exclusive {
        comments: false,
        inclusive_prefixes: Vec::new(),
    };
    let mut buf = Vec::with_capacity(unsigned.len());
    c14n::canonicalize(
        NodeSet {
            apex: root,
            exclude: None,
            whole_document: true,
        },
        &exc,
        &mut buf,
    )?;
    let doc_digest = Base64::encode_string(&digest.digest(&buf));
    let cert_digest = Base64::encode_string(&digest.digest(&signer.cert));
    let cert_b64 = Base64::encode_string(&signer.cert);
    let alg = signer.key.algorithm();

    let d = digest.uri();
    let c = crate::c14n::alg::EXC;
    let env = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    let time = huren_validator::fmt_time(signing_time);
    let signature = format!(
        concat!(
            "<ds:Signature xmlns:ds=\"{ds}\" Id=\"{sig}\">",
            "<ds:SignedInfo>",
            "<ds:CanonicalizationMethod Algorithm=\"{c}\"/>",
            "<ds:SignatureMethod Algorithm=\"{sm}\"/>",
            "<ds:Reference Id=\"{refid}\" URI=\"\">",
            "<ds:Transforms><ds:Transform Algorithm=\"{env}\"/><ds:Transform Algorithm=\"{c}\"/></ds:Transforms>",
            "<ds:DigestMethod Algorithm=\"{d}\"/><ds:DigestValue>{doc_digest}</ds:DigestValue>",
            "</ds:Reference>",
            "<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#{props}\">",
            "<ds:Transforms><ds:Transform Algorithm=\"{c}\"/></ds:Transforms>",
            "<ds:DigestMethod Algorithm=\"{d}\"/><ds:DigestValue>{pp}</ds:DigestValue>",
            "</ds:Reference>",
            "</ds:SignedInfo>",
            "<ds:SignatureValue>{pv}</ds:SignatureValue>",
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            "<ds:Object><xades:QualifyingProperties xmlns:xades=\"{xades}\" Target=\"#{sig}\">",
            "<xades:SignedProperties Id=\"{props}\"><xades:SignedSignatureProperties>",
            "<xades:SigningTime>{time}</xades:SigningTime>",
            "<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>",
            "<ds:DigestMethod Algorithm=\"{d}\"/><ds:DigestValue>{cert_digest}</ds:DigestValue>",
            "</xades:CertDigest></xades:Cert></xades:SigningCertificateV2>",
            "</xades:SignedSignatureProperties>",
            "<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference=\"#{refid}\">",
            "<xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>",
            "</xades:SignedProperties></xades:QualifyingProperties></ds:Object>",
            "</ds:Signature>"
        ),
        ds = ns::DS,
        xades = ns::XADES,
        sig = SIG_ID,
        props = PROPS_ID,
        refid = REF_ID,
        c = c,
        sm = alg.uri(),
        env = env,
        d = d,
        doc_digest = doc_digest,
        pp = PLACEHOLDER_PROPS,
        pv = PLACEHOLDER_VALUE,
        cert = cert_b64,
        time = time,
        cert_digest = cert_digest,
    );

    // Insert as the last child of the document element, touching no other byte (so the
    // document digest above stays right).
    let end = root.range().end;
    let close = unsigned[..end]
        .rfind("</")
        .filter(|_| !unsigned[..end].ends_with("/>"))
        .ok_or_else(|| {
            Error::build("the document element is empty (<x/>); write it with an end tag")
        })?;
    let mut signed = String::with_capacity(unsigned.len() + signature.len() + 1024);
    signed.push_str(&unsigned[..close]);
    signed.push_str(&signature);
    signed.push_str(&unsigned[close..]);
    drop(doc);

    // The signed-properties digest.
    let props_digest = {
        let doc = xml::parse(&signed, &limits)?;
        let props = doc
            .descendants()
            .find(|n| xml::is(*n, ns::XADES, "SignedProperties"))
            .ok_or_else(|| Error::build("signed properties missing"))?;
        buf.clear();
        c14n::canonicalize(
            NodeSet {
                apex: props,
                exclude: None,
                whole_document: false,
            },
            &exc,
            &mut buf,
        )?;
        Base64::encode_string(&digest.digest(&buf))
    };
    let signed = signed.replacen(PLACEHOLDER_PROPS, &props_digest, 1);

    // The signature over the canonical SignedInfo.
    let value = {
        let doc = xml::parse(&signed, &limits)?;
        let si = doc
            .descendants()
            .find(|n| xml::is(*n, ns::DS, "SignedInfo"))
            .ok_or_else(|| Error::build("SignedInfo missing"))?;
        buf.clear();
        c14n::canonicalize(
            NodeSet {
                apex: si,
                exclude: None,
                whole_document: false,
            },
            &exc,
            &mut buf,
        )?;
        Base64::encode_string(&signer.key.sign(rng, &buf)?)
    };
    let signed = signed.replacen(PLACEHOLDER_VALUE, &value, 1);

    // Verify what was made.
    let doc = xml::parse(&signed, &limits)?;
    let info = dsig::verify_signature(&doc, &AwsLc)
        .map_err(|e| Error::build(format!("the signature made does not verify: {e}")))?;
    if info.signer != signer.cert {
        return Err(Error::build("the signature made names another signer"));
    }
    Ok(signed)
}
