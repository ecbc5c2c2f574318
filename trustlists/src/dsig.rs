//! The XMLDSig profile of trust lists (ETSI TS 119 612 §5.7, XAdES-B), verified on the
//! parsed tree, with the signature-wrapping defences that make "the signature verifies"
//! mean "*this* document's content is signed".
//!
//! Accepted: exactly one `ds:Signature`, a child of the document element; `SignedInfo` with
//! exclusive C14N or C14N 1.0; RSA PKCS#1 v1.5 or ECDSA (raw r‖s) with SHA-256/384/512;
//! exactly two references — one to the document element (`URI=""` or `#` + its `Id`) with
//! the enveloped-signature transform and at most one C14N, one to the `xades:SignedProperties`
//! inside this signature (Type `http://uri.etsi.org/01903#SignedProperties`); no other
//! transforms (no XPath, no XSLT); no duplicate `Id` values; the XAdES signing-certificate
//! digest (SigningCertificate or SigningCertificateV2) equal to a `KeyInfo` certificate, which
//! is the signer. Pinning the signer is [`crate::verify`]'s job.

use crate::c14n::{self, Method, NodeSet};
use crate::error::{Error, Location};
use crate::xml::{self, location, ns};
use base64ct::{Base64, Encoding};
use huren_validator::Certificate;
use huren_validator::oid::{CURVE_P256, CURVE_P384};
use roxmltree::{Document, Node, NodeId};
use sha2::Digest as _;

const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
const EXC_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// A digest algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA-1: accepted only for the XAdES certificate digest of version 5 lists, which
    /// identifies a certificate already present in the signature (a second preimage is
    /// still out of reach); never for references.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm for a `DigestMethod` URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => DigestAlgorithm::Sha1,
            "http://www.w3.org/2001/04/xmlenc#sha256" => DigestAlgorithm::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => DigestAlgorithm::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => DigestAlgorithm::Sha512,
            _ => return None,
        })
    }

    /// The `DigestMethod` URI.
    pub fn uri(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            DigestAlgorithm::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            DigestAlgorithm::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            DigestAlgorithm::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sha1 => sha1_digest(data),
            DigestAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            DigestAlgorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            DigestAlgorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

fn sha1_digest(data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, data)
        .as_ref()
        .to_vec()
}

/// A signature algorithm of the accepted profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with SHA-256.
    RsaSha256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    RsaSha384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    RsaSha512,
    /// ECDSA with SHA-256 (raw r‖s).
    EcdsaSha256,
    /// ECDSA with SHA-384 (raw r‖s).
    EcdsaSha384,
    /// ECDSA with SHA-512 (raw r‖s).
    EcdsaSha512,
}

impl SignatureAlgorithm {
    /// The algorithm for a `SignatureMethod` URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => SignatureAlgorithm::RsaSha256,
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => SignatureAlgorithm::RsaSha384,
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => SignatureAlgorithm::RsaSha512,
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => {
                SignatureAlgorithm::EcdsaSha256
            }
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => {
                SignatureAlgorithm::EcdsaSha384
            }
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => {
                SignatureAlgorithm::EcdsaSha512
            }
            _ => return None,
        })
    }

    /// The `SignatureMethod` URI.
    pub fn uri(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            SignatureAlgorithm::RsaSha384 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            SignatureAlgorithm::RsaSha512 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            SignatureAlgorithm::EcdsaSha256 => {
                "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
            }
            SignatureAlgorithm::EcdsaSha384 => {
                "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
            }
            SignatureAlgorithm::EcdsaSha512 => {
                "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
            }
        }
    }
}

/// Signature verification, behind a trait so that the fuzzer can reach past it.
pub trait Crypto {
    /// Whether `expected` is the `alg` digest of `data`.
    fn digest_matches(&self, alg: DigestAlgorithm, data: &[u8], expected: &[u8]) -> bool {
        alg.digest(data) == expected
    }
    /// Verifies `signature` over `message` with the key of `signer`.
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        signer: &Certificate,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), String>;
}

/// The real verifier: aws-lc-rs (RSA 2048–8192 bits; ECDSA P-256 and P-384).
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLc;

impl Crypto for AwsLc {
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        signer: &Certificate,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), String> {
        use aws_lc_rs::signature as s;
        let (key_oid, params) = split_algorithm(signer.spki_algorithm())
            .ok_or("the signer certificate's key algorithm cannot be read")?;
        let key = signer.public_key();
        match alg {
            SignatureAlgorithm::RsaSha256
            | SignatureAlgorithm::RsaSha384
            | SignatureAlgorithm::RsaSha512 => {
                if key_oid != huren_validator::oid::RSA_ENCRYPTION {
                    return Err("an RSA signature method with a non-RSA signer key".into());
                }
                let params: &'static dyn s::VerificationAlgorithm = match alg {
                    SignatureAlgorithm::RsaSha256 => &s::RSA_PKCS1_2048_8192_SHA256,
                    SignatureAlgorithm::RsaSha384 => &s::RSA_PKCS1_2048_8192_SHA384,
                    _ => &s::RSA_PKCS1_2048_8192_SHA512,
                };
                s::UnparsedPublicKey::new(params, key)
                    .verify(message, signature)
                    .map_err(|_| {
                        "the RSA signature does not verify (or the key is under 2048 bits)".into()
                    })
            }
            SignatureAlgorithm::EcdsaSha256
            | SignatureAlgorithm::EcdsaSha384
            | SignatureAlgorithm::EcdsaSha512 => {
                if key_oid != huren_validator::oid::EC_PUBLIC_KEY {
                    return Err("an ECDSA signature method with a non-EC signer key".into());
                }
                let curve = params
                    .and_then(|p| p.strip_prefix(&[0x06]))
                    .and_then(|p| p.get(1..))
                    .ok_or("the signer key names no curve")?;
                // (curve, digest) → (field size in bytes, aws-lc-rs verifier).
                type Verifier = &'static dyn s::VerificationAlgorithm;
                const TABLE: [(&[u8], SignatureAlgorithm, usize, Verifier); 6] = [
                    (
                        CURVE_P256,
                        SignatureAlgorithm::EcdsaSha256,
                        32,
                        &s::ECDSA_P256_SHA256_ASN1,
                    ),
                    (
                        CURVE_P256,
                        SignatureAlgorithm::EcdsaSha384,
                        32,
                        &s::ECDSA_P256_SHA384_ASN1,
                    ),
                    (
                        CURVE_P256,
                        SignatureAlgorithm::EcdsaSha512,
                        32,
                        &s::ECDSA_P256_SHA512_ASN1,
                    ),
                    (
                        CURVE_P384,
                        SignatureAlgorithm::EcdsaSha256,
                        48,
                        &s::ECDSA_P384_SHA256_ASN1,
                    ),
                    (
                        CURVE_P384,
                        SignatureAlgorithm::EcdsaSha384,
                        48,
                        &s::ECDSA_P384_SHA384_ASN1,
                    ),
                    (
                        CURVE_P384,
                        SignatureAlgorithm::EcdsaSha512,
                        48,
                        &s::ECDSA_P384_SHA512_ASN1,
                    ),
                ];
                let (_, _, field, verifier) = TABLE
                    .iter()
                    .find(|(c, a, _, _)| *c == curve && *a == alg)
                    .copied()
                    .ok_or("the signer key's curve is not P-256 or P-384")?;
                // XMLDSig ECDSA values are r‖s, each the field size (RFC 4050 / RFC 6931).
                if signature.len() != 2 * field {
                    return Err(format!(
                        "an ECDSA SignatureValue of {} bytes; r‖s on this curve is {} bytes",
                        signature.len(),
                        2 * field
                    ));
                }
                let der = raw_to_der(&signature[..field], &signature[field..]);
                s::UnparsedPublicKey::new(verifier, key)
                    .verify(message, &der)
                    .map_err(|_| "the ECDSA signature does not verify".into())
            }
        }
    }
}

/// The OID and the parameters (if any) of an AlgorithmIdentifier's contents.
fn split_algorithm(alg: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    if alg.first() != Some(&0x06) {
        return None;
    }
    let len = *alg.get(1)? as usize;
    if len >= 0x80 {
        return None;
    }
    let oid = alg.get(2..2 + len)?;
    let rest = &alg[2 + len..];
    Some((oid, (!rest.is_empty()).then_some(rest)))
}

fn der_integer(v: &[u8], out: &mut Vec<u8>) {
    let mut v = v;
    while v.len() > 1 && v[0] == 0 {
        v = &v[1..];
    }
    let pad = v.first().is_some_and(|b| b & 0x80 != 0);
    out.push(0x02);
    out.push((v.len() + pad as usize) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(v);
}

fn raw_to_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(r.len() + s.len() + 6);
    der_integer(r, &mut body);
    der_integer(s, &mut body);
    let mut out = Vec::with_capacity(body.len() + 3);
    out.push(0x30);
    if body.len() < 0x80 {
        out.push(body.len() as u8);
    } else {
        out.push(0x81);
        out.push(body.len() as u8);
    }
    out.extend_from_slice(&body);
    out
}

/// What a verified signature tells: who signed, when, how, and which element it covers.
#[derive(Clone, Debug)]
pub struct SignatureInfo {
    /// The signer certificate (DER), from `KeyInfo`, bound by the XAdES certificate digest.
    pub signer: Vec<u8>,
    /// XAdES `SigningTime`, Unix seconds, when present.
    pub signing_time: Option<i64>,
    /// The signature method.
    pub algorithm: SignatureAlgorithm,
    /// The `SignedInfo` canonicalisation method URI.
    pub canonicalization: String,
    /// The element reference 0 covers (always the document element).
    pub(crate) covered: NodeId,
}

fn sig_err(n: Node<'_, '_>, message: impl Into<String>) -> Error {
    Error::signature(Some(location(n)), message)
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Result<&'a str, Error> {
    n.attribute(name).ok_or_else(|| {
        sig_err(
            n,
            format!("{} has no {name} attribute", n.tag_name().name()),
        )
    })
}

/// The `Algorithm` attribute of `n` parsed by `parse`, or an error saying that this `what`
/// is outside the accepted profile.
fn algorithm_of<'a, T>(
    n: Node<'a, '_>,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<(T, &'a str), Error> {
    let uri = attr(n, "Algorithm")?;
    let v = parse(uri).ok_or_else(|| sig_err(n, format!("the {what} {uri:?} is not accepted")))?;
    Ok((v, uri))
}

fn dchild<'a, 'i: 'a>(n: Node<'a, 'i>, local: &'a str) -> Result<Node<'a, 'i>, Error> {
    let mut it = xml::children(n, ns::DS, local);
    let first = it
        .next()
        .ok_or_else(|| sig_err(n, format!("{} has no ds:{local}", n.tag_name().name())))?;
    if let Some(second) = it.next() {
        return Err(sig_err(second, format!("ds:{local} occurs more than once")));
    }
    Ok(first)
}

fn base64(n: Node<'_, '_>) -> Result<Vec<u8>, Error> {
    let text: String = xml::text_of(n)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Base64::decode_vec(&text)
        .map_err(|_| sig_err(n, format!("{} is not valid base64", n.tag_name().name())))
}

/// The C14N method of a `CanonicalizationMethod` or `Transform` element.
fn method_of(n: Node<'_, '_>, uri: &str) -> Option<Method> {
    let prefixes = n
        .children()
        .find(|c| xml::is(*c, EXC_NS, "InclusiveNamespaces"))
        .and_then(|c| c.attribute("PrefixList"))
        .map(|l| l.split_ascii_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    Method::from_uri(uri, prefixes)
}

struct Reference<'a, 'i> {
    node: Node<'a, 'i>,
    target: Node<'a, 'i>,
    whole_document: bool,
    enveloped: bool,
    method: Method,
    digest: DigestAlgorithm,
    value: Vec<u8>,
}

fn reference<'a, 'i: 'a>(
    r: Node<'a, 'i>,
    doc: &'a Document<'i>,
    ids: &std::collections::HashMap<&'a str, NodeId>,
) -> Result<Reference<'a, 'i>, Error> {
    let uri = r.attribute("URI").ok_or_else(|| {
        sig_err(
            r,
            "a Reference without a URI (an implicit target) is not accepted",
        )
    })?;
    let (target, whole_document) = if uri.is_empty() {
        (doc.root_element(), true)
    } else if let Some(id) = uri.strip_prefix('#') {
        if id.starts_with("xpointer(") {
            return Err(sig_err(
                r,
                format!("the XPointer reference {uri:?} is not accepted"),
            ));
        }
        let node = ids
            .get(id)
            .and_then(|n| doc.get_node(*n))
            .ok_or_else(|| sig_err(r, format!("the reference {uri:?} designates no element")))?;
        (node, false)
    } else {
        return Err(sig_err(
            r,
            format!(
                "the reference {uri:?} is outside the document; only same-document references are accepted"
            ),
        ));
    };
    let mut enveloped = false;
    let mut method: Option<Method> = None;
    if let Some(ts) = xml::optional_child(r, ns::DS, "Transforms")? {
        for t in ts.children().filter(Node::is_element) {
            if !xml::is(t, ns::DS, "Transform") {
                return Err(sig_err(
                    t,
                    "Transforms holds something other than ds:Transform",
                ));
            }
            let alg = attr(t, "Algorithm")?;
            if alg == ENVELOPED {
                if enveloped || method.is_some() {
                    return Err(sig_err(
                        t,
                        "the enveloped-signature transform must come first, once",
                    ));
                }
                enveloped = true;
            } else if let Some(m) = method_of(t, alg) {
                if method.is_some() {
                    return Err(sig_err(t, "more than one canonicalisation transform"));
                }
                method = Some(m);
            } else {
                return Err(sig_err(
                    t,
                    format!(
                        "the transform {alg:?} is not accepted (only enveloped-signature and C14N)"
                    ),
                ));
            }
        }
    }
    let dm = dchild(r, "DigestMethod")?;
    let dm_uri = attr(dm, "Algorithm")?;
    let digest = match DigestAlgorithm::from_uri(dm_uri) {
        Some(DigestAlgorithm::Sha1) => {
            return Err(sig_err(dm, "SHA-1 reference digests are not accepted"));
        }
        Some(d) => d,
        None => {
            return Err(sig_err(
                dm,
                format!("the digest method {dm_uri:?} is not supported"),
            ));
        }
    };
    let value = base64(dchild(r, "DigestValue")?)?;
    Ok(Reference {
        node: r,
        target,
        whole_document,
        enveloped,
        // XMLDSig §4.3.3.2: without a C14N transform the node set is converted with
        // Canonical XML 1.0 (without comments).
        method: method.unwrap_or(Method::Inclusive { comments: false }),
        digest,
        value,
    })
}

/// Verifies the signature of `doc` under the profile above with `crypto`, and returns what
/// it establishes. The signer is not yet pinned.
pub fn verify_signature(doc: &Document<'_>, crypto: &dyn Crypto) -> Result<SignatureInfo, Error> {
    let root = doc.root_element();
    let ids = xml::ids(doc)?;

    // Exactly one signature, a child of the document element.
    let mut sigs = doc
        .descendants()
        .filter(|n| xml::is(*n, ns::DS, "Signature"));
    let sig = sigs
        .next()
        .ok_or_else(|| Error::signature(None, "the list is not signed (no ds:Signature)"))?;
    if let Some(other) = sigs.next() {
        return Err(sig_err(
            other,
            "a second ds:Signature: exactly one is accepted",
        ));
    }
    if sig.parent() != Some(root) {
        return Err(sig_err(
            sig,
            "the ds:Signature is not a child of the document element",
        ));
    }
    for c in sig.children().filter(Node::is_element) {
        if !(c.tag_name().namespace() == Some(ns::DS)
            && matches!(
                c.tag_name().name(),
                "SignedInfo" | "SignatureValue" | "KeyInfo" | "Object"
            ))
        {
            return Err(sig_err(c, "an unexpected element inside ds:Signature"));
        }
    }

    let signed_info = dchild(sig, "SignedInfo")?;
    let cm = dchild(signed_info, "CanonicalizationMethod")?;
    let (si_method, cm_uri) = algorithm_of(cm, |u| method_of(cm, u), "canonicalisation method")?;
    let sm = dchild(signed_info, "SignatureMethod")?;
    let (algorithm, _) = algorithm_of(sm, SignatureAlgorithm::from_uri, "signature method")?;
    if sm.children().any(|c| c.is_element()) {
        return Err(sig_err(
            sm,
            "SignatureMethod parameters (e.g. HMACOutputLength) are not accepted",
        ));
    }

    // Exactly two references: the document element, and this signature's SignedProperties.
    let refs: Vec<Node> = signed_info
        .children()
        .filter(|c| xml::is(*c, ns::DS, "Reference"))
        .collect();
    for c in signed_info.children().filter(Node::is_element) {
        if !(xml::is(c, ns::DS, "Reference")
            || xml::is(c, ns::DS, "CanonicalizationMethod")
            || xml::is(c, ns::DS, "SignatureMethod"))
        {
            return Err(sig_err(c, "an unexpected element inside ds:SignedInfo"));
        }
    }
    if refs.len() != 2 {
        return Err(sig_err(
            signed_info,
            format!(
                "{} references; exactly two are accepted (the document and the signed properties)",
                refs.len()
            ),
        ));
    }
    let mut doc_ref = None;
    let mut props_ref = None;
    for r in &refs {
        let r = reference(*r, doc, &ids)?;
        if r.target == root {
            if doc_ref.is_some() {
                return Err(sig_err(r.node, "two references to the document"));
            }
            if !r.enveloped {
                return Err(sig_err(
                    r.node,
                    "the document reference lacks the enveloped-signature transform",
                ));
            }
            doc_ref = Some(r);
        } else if xml::is(r.target, ns::XADES, "SignedProperties") {
            if props_ref.is_some() {
                return Err(sig_err(r.node, "two references to signed properties"));
            }
            if r.node.attribute("Type") != Some(SIGNED_PROPERTIES_TYPE) {
                return Err(sig_err(
                    r.node,
                    "the signed-properties reference lacks its XAdES Type",
                ));
            }
            if r.enveloped {
                return Err(sig_err(
                    r.node,
                    "the enveloped-signature transform on the signed properties",
                ));
            }
            // The SignedProperties of *this* signature: ds:Signature/ds:Object/QualifyingProperties.
            let qp = r.target.parent();
            let obj = qp.and_then(|q| q.parent());
            let ok = qp.is_some_and(|q| xml::is(q, ns::XADES, "QualifyingProperties"))
                && obj.is_some_and(|o| xml::is(o, ns::DS, "Object"))
                && obj.and_then(|o| o.parent()) == Some(sig);
            if !ok {
                return Err(sig_err(
                    r.target,
                    "the signed properties referenced are not this signature's",
                ));
            }
            props_ref = Some(r);
        } else {
            return Err(sig_err(
                r.node,
                format!(
                    "a reference to {} — only the document element and the signed properties may be signed",
                    r.target.tag_name().name()
                ),
            ));
        }
    }
    let (doc_ref, props_ref) = match (doc_ref, props_ref) {
        (Some(d), Some(p)) => (d, p),
        _ => {
            return Err(sig_err(
                signed_info,
                "the references must cover the document element and the XAdES signed properties",
            ));
        }
    };

    // The digests.
    let mut buf = Vec::with_capacity(doc.input_text().len());
    for r in [&doc_ref, &props_ref] {
        buf.clear();
        // A same-document reference (`""` or a bare `#id`) drops comments whatever the method.
        let method = match &r.method {
            Method::Exclusive {
                inclusive_prefixes, ..
            } => Method::Exclusive {
                comments: false,
                inclusive_prefixes: inclusive_prefixes.clone(),
            },
            Method::Inclusive { .. } => Method::Inclusive { comments: false },
        };
        c14n::canonicalize(
            NodeSet {
                apex: r.target,
                exclude: r.enveloped.then_some(sig.id()),
                whole_document: r.whole_document,
            },
            &method,
            &mut buf,
        )?;
        if !crypto.digest_matches(r.digest, &buf, &r.value) {
            return Err(sig_err(
                r.node,
                if r.target == root {
                    "the digest of the list does not match: its content was altered after signing"
                } else {
                    "the digest of the signed properties does not match"
                },
            ));
        }
    }

    // XAdES: the signing certificate and time.
    let sp = props_ref.target;
    let ssp = xml::child(sp, ns::XADES, "SignedSignatureProperties")?;
    let signing_time = match xml::optional_child(ssp, ns::XADES, "SigningTime")? {
        Some(t) => Some(
            huren_validator::parse_rfc3339(&xml::text_of(t))
                .ok_or_else(|| sig_err(t, "SigningTime is not a date-time"))?,
        ),
        None => None,
    };
    let v2 = xml::optional_child(ssp, ns::XADES, "SigningCertificateV2")?;
    let v1 = xml::optional_child(ssp, ns::XADES, "SigningCertificate")?;
    let sc = match (v2, v1) {
        (Some(c), None) | (None, Some(c)) => c,
        (Some(_), Some(c)) => {
            return Err(sig_err(
                c,
                "both SigningCertificate and SigningCertificateV2",
            ));
        }
        (None, None) => {
            return Err(sig_err(
                ssp,
                "no XAdES SigningCertificate or SigningCertificateV2",
            ));
        }
    };
    let first = xml::children(sc, ns::XADES, "Cert")
        .next()
        .ok_or_else(|| sig_err(sc, "the signing certificate element names no certificate"))?;
    let cd = xml::child(first, ns::XADES, "CertDigest")?;
    let cd_method = dchild(cd, "DigestMethod")?;
    let (cd_alg, _) = algorithm_of(cd_method, DigestAlgorithm::from_uri, "digest method")?;
    let cd_value = base64(dchild(cd, "DigestValue")?)?;

    // KeyInfo: the certificate the XAdES digest designates is the signer.
    let key_info = dchild(sig, "KeyInfo")?;
    let mut signer = None;
    for data in xml::children(key_info, ns::DS, "X509Data") {
        for c in xml::children(data, ns::DS, "X509Certificate") {
            let der = base64(c)?;
            if crypto.digest_matches(cd_alg, &der, &cd_value) {
                signer = Some((c, der));
                break;
            }
        }
    }
    let (signer_node, signer) = signer.ok_or_else(|| {
        sig_err(
            key_info,
            "no KeyInfo certificate matches the XAdES signing-certificate digest",
        )
    })?;
    let cert = Certificate::from_der(&signer).map_err(|e| {
        sig_err(
            signer_node,
            format!("the signer certificate does not parse: {e}"),
        )
    })?;

    // The signature over the canonical SignedInfo.
    buf.clear();
    c14n::canonicalize(
        NodeSet {
            apex: signed_info,
            exclude: None,
            whole_document: false,
        },
        &si_method,
        &mut buf,
    )?;
    let sv_node = dchild(sig, "SignatureValue")?;
    let value = base64(sv_node)?;
    crypto
        .verify(algorithm, &cert, &buf, &value)
        .map_err(|m| sig_err(sv_node, m))?;

    Ok(SignatureInfo {
        signer,
        signing_time,
        algorithm,
        canonicalization: cm_uri.to_string(),
        covered: root.id(),
    })
}

/// The location of the signature element, for reports.
pub fn signature_location(doc: &Document<'_>) -> Option<Location> {
    doc.descendants()
        .find(|n| xml::is(*n, ns::DS, "Signature"))
        .map(location)
}
