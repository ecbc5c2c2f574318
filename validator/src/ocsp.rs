//! OCSP (RFC 6960): responses parsed, requests built, and a response evaluated as revocation
//! evidence for one certificate (§3.2, §4.2.2.2).
//!
//! The crate stays pure: the caller fetches responses (and chooses any nonce); this module
//! parses the `BasicOCSPResponse` of a successful `OCSPResponse` with the crate's strict DER
//! reader, builds unsigned `OCSPRequest`s, and — during path validation — decides whether a
//! response may be believed for a certificate:
//!
//! * the `CertID` names the certificate (serial number, and the hashes of its issuer's name
//!   and key under the hash algorithm the `CertID` states: SHA-1, SHA-256, SHA-384, SHA-512);
//! * the responder is authorised (§4.2.2.2): the certificate's issuer itself (the
//!   `ResponderID` names it by name or key hash and the signature verifies with its key), or a
//!   delegated responder whose certificate is included in the response, is issued by that
//!   issuer (name and signature), asserts id-kp-OCSPSigning, is within its validity at the
//!   validation time, and whose key verifies the signature. The delegated responder's own
//!   revocation is not checked, whether or not it carries id-pkix-ocsp-nocheck (§4.2.2.2.1
//!   leaves that to local policy; checking it would need revocation data for the responder);
//! * the answer is current (§4.2.2.1, §3.2 (4)–(5)): thisUpdate no later than the validation
//!   time plus [`CLOCK_SKEW_SECS`], and nextUpdate, when present, not before the validation
//!   time. A response without nextUpdate says the responder always has newer information;
//!   huren then takes it as current for [`NO_NEXT_UPDATE_FRESHNESS_SECS`] (7 days) after its
//!   thisUpdate — the longest validity a CRL-backed responder commonly gives — and as stale
//!   after that.
//!
//! A `revoked` answer (other than certificateHold) for a revocation time at or before the
//! validation time is decisive even when the response is no longer current: revocation is
//! permanent (RFC 5280 §3.3), so a verified statement of it cannot go stale.

use crate::algorithms::der_write;
use crate::der::{self, DerError, Reader, Tlv, tag};
use crate::names::Name;
use crate::oid::{self, Oid};
use crate::{Certificate, Error};
use std::ops::Range;

/// The clock skew allowed between the responder and the validation time: a thisUpdate at
/// most this far (5 minutes) after the validation time is still accepted.
pub const CLOCK_SKEW_SECS: i64 = 300;

/// How long after its thisUpdate a response without nextUpdate is taken as current
/// (7 days).
pub const NO_NEXT_UPDATE_FRESHNESS_SECS: i64 = 7 * 86_400;

/// The label a response carries until [`OcspResponse::set_source`] changes it.
pub const DEFAULT_SOURCE: &str = "caller OCSP";

/// CRLReason certificateHold (RFC 5280 §5.3.1): a suspension, not a permanent revocation.
const CERTIFICATE_HOLD: u8 = 6;

/// The hash algorithm of a `CertID` (RFC 6960 §4.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-1 (id-sha1): what RFC 5019 responders and most deployed ones expect.
    Sha1,
    /// SHA-256 (id-sha256).
    Sha256,
    /// SHA-384 (id-sha384).
    Sha384,
    /// SHA-512 (id-sha512).
    Sha512,
}

impl HashAlg {
    /// The algorithm's OID (DER contents octets).
    pub fn oid(self) -> &'static [u8] {
        match self {
            HashAlg::Sha1 => oid::SHA1,
            HashAlg::Sha256 => oid::SHA256,
            HashAlg::Sha384 => oid::SHA384,
            HashAlg::Sha512 => oid::SHA512,
        }
    }

    /// The algorithm named by an OID (DER contents octets), if supported.
    pub fn from_oid(oid: &[u8]) -> Option<Self> {
        [
            HashAlg::Sha1,
            HashAlg::Sha256,
            HashAlg::Sha384,
            HashAlg::Sha512,
        ]
        .into_iter()
        .find(|a| a.oid() == oid)
    }

    /// `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            HashAlg::Sha1 => sha1::Sha1::digest(data).to_vec(),
            HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// A `CertID` (RFC 6960 §4.1.1): which certificate a request asks about or a single
/// response answers for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CertId {
    /// The hash algorithm of the two hashes.
    pub hash_algorithm: HashAlg,
    /// The hash of the DER of the certificate's issuer name.
    pub issuer_name_hash: Vec<u8>,
    /// The hash of the issuer's public key (the subjectPublicKey BIT STRING value, without
    /// tag, length and unused-bits octet).
    pub issuer_key_hash: Vec<u8>,
    /// The certificate's serial number (INTEGER contents octets).
    pub serial: Vec<u8>,
}

impl CertId {
    /// The `CertID` of `cert`, issued by `issuer`, under `alg`.
    pub fn for_cert(cert: &Certificate, issuer: &Certificate, alg: HashAlg) -> CertId {
        CertId {
            hash_algorithm: alg,
            issuer_name_hash: alg.digest(cert.issuer().der()),
            issuer_key_hash: alg.digest(issuer.public_key()),
            serial: cert.serial().to_vec(),
        }
    }

    /// Whether this `CertID` names `cert` issued by `issuer`: the same serial number, and
    /// the hashes of the issuer's name (as the certificate encodes it, or as the issuer's
    /// subject does) and of the issuer's key under this `CertID`'s hash algorithm.
    pub fn matches(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        Expected::new(cert, issuer).matches(self)
    }

    /// Appends the DER `CertID` (the hash AlgorithmIdentifier with NULL parameters, as
    /// OpenSSL writes it).
    fn encode(&self, out: &mut Vec<u8>) {
        let mut alg = Vec::new();
        der_write(tag::OID, self.hash_algorithm.oid(), &mut alg);
        der_write(tag::NULL, &[], &mut alg);
        let mut body = Vec::new();
        der_write(tag::SEQUENCE, &alg, &mut body);
        der_write(tag::OCTET_STRING, &self.issuer_name_hash, &mut body);
        der_write(tag::OCTET_STRING, &self.issuer_key_hash, &mut body);
        der_write(tag::INTEGER, &self.serial, &mut body);
        der_write(tag::SEQUENCE, &body, out);
    }
}

/// The `CertID` hashes of one (certificate, issuer) pair, computed once per hash algorithm
/// and only for `CertID`s with the certificate's serial number (a response may hold many
/// single responses).
struct Expected<'c> {
    cert: &'c Certificate,
    issuer: &'c Certificate,
    /// Per [`HashAlg`] (in declaration order): the key hash and the two name hashes.
    hashes: [Option<[Vec<u8>; 3]>; 4],
}

impl<'c> Expected<'c> {
    fn new(cert: &'c Certificate, issuer: &'c Certificate) -> Self {
        Expected {
            cert,
            issuer,
            hashes: Default::default(),
        }
    }

    fn matches(&mut self, id: &CertId) -> bool {
        if id.serial != self.cert.serial() || self.cert.issuer() != self.issuer.subject() {
            return false;
        }
        let alg = id.hash_algorithm;
        let (cert, issuer) = (self.cert, self.issuer);
        let [key, name, subject] = self.hashes[alg as usize].get_or_insert_with(|| {
            [
                alg.digest(issuer.public_key()),
                alg.digest(cert.issuer().der()),
                alg.digest(issuer.subject().der()),
            ]
        });
        id.issuer_key_hash == *key
            && (id.issuer_name_hash == *name || id.issuer_name_hash == *subject)
    }
}

/// The status a single response gives (RFC 6960 §4.2.1 `CertStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OcspCertStatus {
    /// Not revoked (at least, not known to be revoked) at thisUpdate.
    Good,
    /// Revoked.
    Revoked {
        /// revocationTime (Unix seconds).
        time: i64,
        /// revocationReason (CRLReason), if given.
        reason: Option<u8>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

impl OcspCertStatus {
    /// `good`, `revoked` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            OcspCertStatus::Good => "good",
            OcspCertStatus::Revoked { .. } => "revoked",
            OcspCertStatus::Unknown => "unknown",
        }
    }
}

/// One `SingleResponse` of a response (RFC 6960 §4.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleResponse {
    /// The certificate it answers for.
    pub cert_id: CertId,
    /// The answer.
    pub status: OcspCertStatus,
    /// thisUpdate (Unix seconds).
    pub this_update: i64,
    /// nextUpdate (Unix seconds), if given.
    pub next_update: Option<i64>,
}

/// How a response names its signer (RFC 6960 §4.2.1 `ResponderID`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponderId {
    /// byName: the responder's subject name.
    ByName(Name),
    /// byKey: the SHA-1 hash of the responder's public key (the subjectPublicKey BIT STRING
    /// value).
    ByKey(Vec<u8>),
}

impl ResponderId {
    /// Whether this names `cert` (by subject name, or by the SHA-1 hash of its key).
    pub fn identifies(&self, cert: &Certificate) -> bool {
        match self {
            ResponderId::ByName(n) => n == cert.subject(),
            ResponderId::ByKey(h) => *h == HashAlg::Sha1.digest(cert.public_key()),
        }
    }

    /// Readable: the name, or `key SHA-1 <hex>`.
    pub fn display(&self) -> String {
        match self {
            ResponderId::ByName(n) => n.display().to_string(),
            ResponderId::ByKey(h) => format!("key SHA-1 {}", crate::cert::hex(h)),
        }
    }
}

/// A parsed `BasicOCSPResponse` inside a successful `OCSPResponse` (RFC 6960 §4.2.1).
/// Clones share the parsed body and the record of verified signatures (a cached response
/// handed to many validations is neither copied nor verified again); each clone has its
/// own [`OcspResponse::source`] label.
#[derive(Clone, Debug)]
pub struct OcspResponse {
    body: std::sync::Arc<OcspBody>,
    source: std::sync::Arc<str>,
}

/// What an OCSP response says, as parsed.
#[derive(Debug)]
struct OcspBody {
    signed: crate::signed::Signed,
    responder: ResponderId,
    produced_at: i64,
    responses: Box<[SingleResponse]>,
    /// Single responses (index in `responses`) with a critical extension not understood.
    single_critical: Vec<(usize, Oid)>,
    /// Hash algorithms of the single responses left out (not supported).
    skipped: Vec<Oid>,
    nonce: Option<Range<usize>>,
    unhandled_critical: Vec<Oid>,
    certs: Box<[Certificate]>,
    /// The SPKI digests of the keys the signature was verified with: a response kept in a
    /// cache and used for many validations is verified once per key, whatever the
    /// signature memo has forgotten.
    verified_by: std::sync::Mutex<Vec<[u8; 32]>>,
}

fn bad(field: &str, e: DerError) -> Error {
    Error::MalformedOcsp {
        field: field.to_string(),
        reason: e.to_string(),
    }
}

fn malformed(field: &str, reason: impl Into<String>) -> Error {
    Error::MalformedOcsp {
        field: field.to_string(),
        reason: reason.into(),
    }
}

/// The RFC 6960 name of an OCSPResponseStatus.
fn status_name(v: u64) -> &'static str {
    match v {
        0 => "successful",
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => "unrecognised",
    }
}

/// A GeneralizedTime (RFC 6960 times are GeneralizedTime only).
fn generalized_time(t: &Tlv<'_>, field: &str) -> Result<i64, Error> {
    if t.tag != tag::GENERALIZED_TIME {
        return Err(bad(
            field,
            DerError::UnexpectedTag {
                expected: tag::GENERALIZED_TIME,
                found: t.tag,
            },
        ));
    }
    der::time_value(t).map_err(|e| bad(field, e))
}

/// One extension: (extnID, critical, extnValue contents).
type Extension<'a> = (&'a [u8], bool, &'a [u8]);

/// The extensions of an `Extensions` SEQUENCE's contents; an extension may appear once.
fn extensions<'a>(contents: &'a [u8], field: &str) -> Result<Vec<Extension<'a>>, Error> {
    let mut x = Reader::new(contents);
    let mut out: Vec<Extension<'a>> = Vec::new();
    while !x.is_empty() {
        let mut e = x.sequence().map_err(|e| bad(field, e))?;
        let id = e.oid().map_err(|e| bad(field, e))?;
        let critical = match e.optional(tag::BOOLEAN).map_err(|e| bad(field, e))? {
            Some(b) => der::boolean_value(b.value).map_err(|e| bad(field, e))?,
            None => false,
        };
        let value = e
            .expect(tag::OCTET_STRING)
            .map_err(|e| bad(field, e))?
            .value;
        e.finish().map_err(|e| bad(field, e))?;
        if out.iter().any(|(o, _, _)| *o == id) {
            return Err(malformed(
                field,
                format!("extension {} appears twice", oid::dotted(id)),
            ));
        }
        out.push((id, critical, value));
    }
    Ok(out)
}

/// A `CertID`, or the OID of a hash algorithm this module does not support.
fn parse_cert_id(contents: &[u8]) -> Result<Result<CertId, Oid>, Error> {
    let f = "certID";
    let mut c = Reader::new(contents);
    let mut alg = c.sequence().map_err(|e| bad(f, e))?;
    let alg_oid = alg.oid().map_err(|e| bad(f, e))?;
    // Parameters absent or NULL (RFC 5754 §2: both must be accepted).
    if let Some(p) = alg.optional(tag::NULL).map_err(|e| bad(f, e))?
        && !p.value.is_empty()
    {
        return Err(malformed(f, "hash algorithm parameters are not NULL"));
    }
    alg.finish().map_err(|e| bad(f, e))?;
    let name_hash = c.expect(tag::OCTET_STRING).map_err(|e| bad(f, e))?.value;
    let key_hash = c.expect(tag::OCTET_STRING).map_err(|e| bad(f, e))?.value;
    let serial = c.expect(tag::INTEGER).map_err(|e| bad(f, e))?.value;
    der::check_integer(serial).map_err(|e| bad(f, e))?;
    c.finish().map_err(|e| bad(f, e))?;
    Ok(match HashAlg::from_oid(alg_oid) {
        Some(hash_algorithm) => Ok(CertId {
            hash_algorithm,
            issuer_name_hash: name_hash.to_vec(),
            issuer_key_hash: key_hash.to_vec(),
            serial: serial.to_vec(),
        }),
        None => Err(Oid::from_der_contents(alg_oid)),
    })
}

/// The value of a nonce extension: the contents of the OCTET STRING it wraps (RFC 8954), or
/// the extnValue contents as they are when they do not wrap one (older responders).
fn nonce_value(value: &[u8]) -> &[u8] {
    der::single(value, tag::OCTET_STRING).unwrap_or(value)
}

impl OcspResponse {
    /// Parses a DER `OCSPResponse`. A responseStatus other than `successful` is an
    /// [`Error::OcspNotSuccessful`] naming it; a response type other than
    /// id-pkix-ocsp-basic, or anything that is not DER of the RFC 6960 structures, is an
    /// [`Error::MalformedOcsp`]. Never panics.
    pub fn from_der(input: &[u8]) -> Result<Self, Error> {
        let der: Box<[u8]> = input.into();
        let range = der::ranges_within(&der);
        let resp = der::single(&der, tag::SEQUENCE).map_err(|e| bad("OCSPResponse", e))?;
        let mut r = Reader::new(resp);
        let status = r
            .expect(tag::ENUMERATED)
            .map_err(|e| bad("responseStatus", e))?;
        let status = der::small_uint_value(status.value).map_err(|e| bad("responseStatus", e))?;
        if status != 0 {
            return Err(Error::OcspNotSuccessful {
                status,
                name: status_name(status),
            });
        }
        let bytes = r
            .expect(tag::context_constructed(0))
            .map_err(|e| bad("responseBytes", e))?;
        r.finish().map_err(|e| bad("OCSPResponse", e))?;
        let mut rb = Reader::new(
            der::single(bytes.value, tag::SEQUENCE).map_err(|e| bad("responseBytes", e))?,
        );
        let kind = rb.oid().map_err(|e| bad("responseType", e))?;
        if kind != oid::OCSP_BASIC {
            return Err(malformed(
                "responseType",
                format!(
                    "{} is not id-pkix-ocsp-basic (1.3.6.1.5.5.7.48.1.1)",
                    oid::dotted(kind)
                ),
            ));
        }
        let basic = rb
            .expect(tag::OCTET_STRING)
            .map_err(|e| bad("response", e))?;
        rb.finish().map_err(|e| bad("responseBytes", e))?;

        // BasicOCSPResponse
        let mut b = Reader::new(
            der::single(basic.value, tag::SEQUENCE).map_err(|e| bad("BasicOCSPResponse", e))?,
        );
        let tbs = b
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("tbsResponseData", e))?;
        let alg = b
            .expect(tag::SEQUENCE)
            .map_err(|e| bad("signatureAlgorithm", e))?;
        Reader::new(alg.value)
            .oid()
            .map_err(|e| bad("signatureAlgorithm", e))?;
        let sig = b.expect(tag::BIT_STRING).map_err(|e| bad("signature", e))?;
        let sig = der::octet_aligned_bits(sig.value).map_err(|e| bad("signature", e))?;
        let mut certs = Vec::new();
        if let Some(c) = b
            .optional(tag::context_constructed(0))
            .map_err(|e| bad("certs", e))?
        {
            let mut cr =
                Reader::new(der::single(c.value, tag::SEQUENCE).map_err(|e| bad("certs", e))?);
            while !cr.is_empty() {
                let cert = cr.expect(tag::SEQUENCE).map_err(|e| bad("certs", e))?;
                certs.push(
                    Certificate::from_der(cert.full)
                        .map_err(|e| malformed("certs", e.to_string()))?,
                );
            }
        }
        b.finish().map_err(|e| bad("BasicOCSPResponse", e))?;

        // ResponseData
        let mut t = Reader::new(tbs.value);
        if let Some(v) = t
            .optional(tag::context_constructed(0))
            .map_err(|e| bad("version", e))?
        {
            let v = der::single(v.value, tag::INTEGER)
                .and_then(der::small_uint_value)
                .map_err(|e| bad("version", e))?;
            if v != 0 {
                return Err(malformed(
                    "version",
                    format!("version {} is unknown", v + 1),
                ));
            }
        }
        let rid = t.read().map_err(|e| bad("responderID", e))?;
        let responder = match rid.tag {
            0xA1 => ResponderId::ByName(
                Name::from_der(rid.value).map_err(|e| bad("responderID byName", e))?,
            ),
            0xA2 => ResponderId::ByKey(
                der::single(rid.value, tag::OCTET_STRING)
                    .map_err(|e| bad("responderID byKey", e))?
                    .to_vec(),
            ),
            other => {
                return Err(malformed(
                    "responderID",
                    format!("tag 0x{other:02x} is neither byName [1] nor byKey [2]"),
                ));
            }
        };
        let produced_at =
            generalized_time(&t.read().map_err(|e| bad("producedAt", e))?, "producedAt")?;
        let list = t.expect(tag::SEQUENCE).map_err(|e| bad("responses", e))?;
        let mut responses = Vec::new();
        let mut single_critical = Vec::new();
        let mut skipped = Vec::new();
        let mut lr = Reader::new(list.value);
        while !lr.is_empty() {
            let mut s = lr.sequence().map_err(|e| bad("SingleResponse", e))?;
            let id = s.expect(tag::SEQUENCE).map_err(|e| bad("certID", e))?;
            let cert_id = parse_cert_id(id.value)?;
            let st = s.read().map_err(|e| bad("certStatus", e))?;
            let status = match st.tag {
                // good [0] IMPLICIT NULL, unknown [2] IMPLICIT UnknownInfo (NULL)
                0x80 | 0x82 => {
                    if !st.value.is_empty() {
                        return Err(malformed("certStatus", "NULL with contents"));
                    }
                    if st.tag == 0x80 {
                        OcspCertStatus::Good
                    } else {
                        OcspCertStatus::Unknown
                    }
                }
                // revoked [1] IMPLICIT RevokedInfo
                0xA1 => {
                    let mut ri = Reader::new(st.value);
                    let time = generalized_time(
                        &ri.read().map_err(|e| bad("revocationTime", e))?,
                        "revocationTime",
                    )?;
                    let reason = match ri
                        .optional(tag::context_constructed(0))
                        .map_err(|e| bad("revocationReason", e))?
                    {
                        Some(r) => {
                            let v = der::single(r.value, tag::ENUMERATED)
                                .and_then(der::small_uint_value)
                                .map_err(|e| bad("revocationReason", e))?;
                            if v > 10 || v == 7 {
                                return Err(malformed(
                                    "revocationReason",
                                    format!("CRLReason {v} is not defined"),
                                ));
                            }
                            Some(v as u8)
                        }
                        None => None,
                    };
                    ri.finish().map_err(|e| bad("RevokedInfo", e))?;
                    OcspCertStatus::Revoked { time, reason }
                }
                other => {
                    return Err(malformed(
                        "certStatus",
                        format!("tag 0x{other:02x} is not good, revoked or unknown"),
                    ));
                }
            };
            let this_update =
                generalized_time(&s.read().map_err(|e| bad("thisUpdate", e))?, "thisUpdate")?;
            let next_update = match s
                .optional(tag::context_constructed(0))
                .map_err(|e| bad("nextUpdate", e))?
            {
                Some(n) => {
                    let mut nr = Reader::new(n.value);
                    let v = generalized_time(
                        &nr.read().map_err(|e| bad("nextUpdate", e))?,
                        "nextUpdate",
                    )?;
                    nr.finish().map_err(|e| bad("nextUpdate", e))?;
                    Some(v)
                }
                None => None,
            };
            let mut critical = None;
            if let Some(x) = s
                .optional(tag::context_constructed(1))
                .map_err(|e| bad("singleExtensions", e))?
            {
                let seq =
                    der::single(x.value, tag::SEQUENCE).map_err(|e| bad("singleExtensions", e))?;
                // No single extension changes how huren reads the answer; a critical one
                // it does not know makes the answer unusable (RFC 6960 §4.4).
                critical = extensions(seq, "singleExtensions")?
                    .into_iter()
                    .find(|(_, c, _)| *c)
                    .map(|(id, _, _)| Oid::from_der_contents(id));
            }
            s.finish().map_err(|e| bad("SingleResponse", e))?;
            match cert_id {
                Ok(cert_id) => {
                    if let Some(o) = critical {
                        single_critical.push((responses.len(), o));
                    }
                    responses.push(SingleResponse {
                        cert_id,
                        status,
                        this_update,
                        next_update,
                    });
                }
                Err(alg) => skipped.push(alg),
            }
        }
        let mut nonce = None;
        let mut unhandled_critical = Vec::new();
        if let Some(x) = t
            .optional(tag::context_constructed(1))
            .map_err(|e| bad("responseExtensions", e))?
        {
            let seq =
                der::single(x.value, tag::SEQUENCE).map_err(|e| bad("responseExtensions", e))?;
            for (id, critical, value) in extensions(seq, "responseExtensions")? {
                if id == oid::OCSP_NONCE {
                    nonce = Some(range(nonce_value(value)));
                } else if critical {
                    unhandled_critical.push(Oid::from_der_contents(id));
                }
            }
        }
        t.finish().map_err(|e| bad("tbsResponseData", e))?;
        let mut out = OcspBody {
            signed: crate::signed::Signed::ranges(range(tbs.full), range(alg.value), range(sig)),
            responder,
            produced_at,
            responses: responses.into_boxed_slice(),
            single_critical,
            skipped,
            nonce,
            unhandled_critical,
            // Boxed: a vector's spare capacity of certificates would cost kilobytes per
            // response kept in a cache.
            certs: certs.into_boxed_slice(),
            verified_by: std::sync::Mutex::default(),
        };
        out.signed.der = der;
        Ok(OcspResponse {
            body: std::sync::Arc::new(out),
            source: DEFAULT_SOURCE.into(),
        })
    }

    /// The `OCSPResponse` DER as given.
    pub fn der(&self) -> &[u8] {
        &self.body.signed.der
    }
    /// producedAt (Unix seconds).
    pub fn produced_at(&self) -> i64 {
        self.body.produced_at
    }
    /// The value of the id-pkix-ocsp-nonce response extension, if present: the contents of
    /// the OCTET STRING the extension value wraps (RFC 8954; what [`request_der`] sends and
    /// OpenSSL echoes), or the extension value's contents as they are when they wrap none.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.body.nonce.clone().map(|r| &self.body.signed.der[r])
    }
    /// The single responses, in order (those whose `CertID` uses a hash algorithm other
    /// than those of [`HashAlg`] are left out).
    pub fn responses(&self) -> &[SingleResponse] {
        &self.body.responses
    }
    /// Labels the response for reports ([`crate::RevocationEntry::source`]): the URL it
    /// was fetched from, for example.
    pub fn set_source(&mut self, source: impl Into<String>) {
        self.source = source.into().into();
    }
    /// The label set by [`OcspResponse::set_source`]; `caller OCSP` by default.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the signature was verified before with the key of `signer` (by this
    /// response or a clone of it).
    fn verified_with(&self, signer: &Certificate) -> bool {
        let d = signer.spki_digest();
        match self.body.verified_by.lock() {
            Ok(v) => v.contains(d),
            Err(p) => p.into_inner().contains(d),
        }
    }

    /// Records that the signature verified with the key of `signer`.
    fn record_verified(&self, signer: &Certificate) {
        let d = *signer.spki_digest();
        let mut v = match self.body.verified_by.lock() {
            Ok(v) => v,
            Err(p) => p.into_inner(),
        };
        if !v.contains(&d) && v.len() < 8 {
            v.push(d);
        }
    }
    /// The responder as the response names it.
    pub fn responder_id(&self) -> &ResponderId {
        &self.body.responder
    }
    /// The certificates included in the response (`certs`), which may hold a delegated
    /// responder's certificate.
    pub fn certs(&self) -> &[Certificate] {
        &self.body.certs
    }
    /// The signed `tbsResponseData` DER.
    pub fn tbs(&self) -> &[u8] {
        self.body.signed.tbs()
    }
    /// The contents of `signatureAlgorithm`.
    pub fn signature_algorithm(&self) -> &[u8] {
        self.body.signed.signature_algorithm()
    }
    /// The signature bits.
    pub fn signature(&self) -> &[u8] {
        self.body.signed.signature()
    }
    /// A digest binding the signature algorithm, the signed `tbsResponseData` and the
    /// signature; computed once. Keys the signature memo.
    pub fn signed_digest(&self) -> &[u8; 32] {
        self.body.signed.digest()
    }
    /// The critical response extensions huren does not process (a response with one is
    /// not used, RFC 6960 §4.4).
    pub fn unhandled_critical_extensions(&self) -> &[Oid] {
        &self.body.unhandled_critical
    }
}

/// An unsigned DER `OCSPRequest` (RFC 6960 §4.1.1) asking about `cert`, issued by `issuer`,
/// with one `Request` whose `CertID` uses `alg`, and, when `nonce` is given, the
/// id-pkix-ocsp-nonce request extension (its value an OCTET STRING holding `nonce`,
/// RFC 8954).
pub fn request_der(
    cert: &Certificate,
    issuer: &Certificate,
    alg: HashAlg,
    nonce: Option<&[u8]>,
) -> Vec<u8> {
    let mut cert_id = Vec::new();
    CertId::for_cert(cert, issuer, alg).encode(&mut cert_id);
    let mut request = Vec::new();
    der_write(tag::SEQUENCE, &cert_id, &mut request);
    let mut tbs = Vec::new();
    der_write(tag::SEQUENCE, &request, &mut tbs);
    if let Some(n) = nonce {
        let mut inner = Vec::new();
        der_write(tag::OCTET_STRING, n, &mut inner);
        let mut ext = Vec::new();
        der_write(tag::OID, oid::OCSP_NONCE, &mut ext);
        der_write(tag::OCTET_STRING, &inner, &mut ext);
        let mut exts = Vec::new();
        der_write(tag::SEQUENCE, &ext, &mut exts);
        let mut seq = Vec::new();
        der_write(tag::SEQUENCE, &exts, &mut seq);
        der_write(tag::context_constructed(2), &seq, &mut tbs);
    }
    let mut tbs_request = Vec::new();
    der_write(tag::SEQUENCE, &tbs, &mut tbs_request);
    let mut out = Vec::new();
    der_write(tag::SEQUENCE, &tbs_request, &mut out);
    out
}

/// What the evaluator needs to verify signatures: through the signature memo and within
/// the work budget of the validation.
pub(crate) trait OcspSignatureCheck {
    /// Whether `signer`'s key made `signature` over `message` under `algorithm`
    /// (`signed_digest` binds the three, for the memo).
    fn verify_by(
        &self,
        signer: &Certificate,
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        signed_digest: &[u8; 32],
    ) -> Result<(), String>;
}

/// A believed answer for one certificate.
#[derive(Clone, Debug)]
pub(crate) struct Answer<'r> {
    /// The status.
    pub status: OcspCertStatus,
    /// thisUpdate.
    pub this_update: i64,
    /// nextUpdate.
    pub next_update: Option<i64>,
    /// The response's label.
    pub source: &'r str,
    /// Who signed it, readable.
    pub signer: String,
}

impl Answer<'_> {
    /// When this answer stops being current on its own: nextUpdate, or thisUpdate plus the
    /// freshness allowed without one.
    pub fn current_until(&self) -> i64 {
        self.next_update.unwrap_or(
            self.this_update
                .saturating_add(NO_NEXT_UPDATE_FRESHNESS_SECS),
        )
    }
}

/// What the responses say about one certificate.
#[derive(Debug, Default)]
pub(crate) struct Findings<'r> {
    /// A deciding answer: revoked (at or before the validation time, or after it), or good.
    pub decided: Option<Answer<'r>>,
    /// A current `unknown` answer, when nothing decided.
    pub unknown: Option<Answer<'r>>,
    /// Why verified answers for the certificate were not current.
    pub stale: Vec<String>,
    /// Why responses for the certificate were not used.
    pub refused: Vec<String>,
    /// The labels of the responses that answer for the certificate.
    pub sources: Vec<&'r str>,
    /// Whether responses were supplied but none answered for the certificate.
    pub none_matched: bool,
    /// The hash algorithms of single responses left out, if any.
    pub unsupported_hashes: Vec<String>,
}

/// Evaluates the responses for `subject` issued by `issuer` at `time` (RFC 6960 §3.2).
pub(crate) fn evaluate<'r>(
    subject: &Certificate,
    issuer: &Certificate,
    responses: &'r [OcspResponse],
    time: i64,
    verifier: &dyn OcspSignatureCheck,
    successors: &[Certificate],
) -> Findings<'r> {
    let mut f = Findings::default();
    // Revoked at or before the validation time, a current answer otherwise, a current
    // unknown.
    let mut revoked: Option<Answer<'r>> = None;
    let mut current: Vec<Answer<'r>> = Vec::new();
    let mut unknown: Vec<Answer<'r>> = Vec::new();
    let mut expected = Expected::new(subject, issuer);
    for r in responses {
        let matching: Vec<(usize, &SingleResponse)> = r
            .responses()
            .iter()
            .enumerate()
            .filter(|(_, s)| expected.matches(&s.cert_id))
            .collect();
        if matching.is_empty() {
            for o in &r.body.skipped {
                let s = o.to_string();
                if !f.unsupported_hashes.contains(&s) {
                    f.unsupported_hashes.push(s);
                }
            }
            continue;
        }
        let label = r.source();
        if !f.sources.contains(&label) {
            f.sources.push(label);
        }
        if let Some(c) = r.body.unhandled_critical.first() {
            f.refused.push(format!(
                "the OCSP response from {label} has an unhandled critical extension {c}"
            ));
            continue;
        }
        let signer = match authorise(r, issuer, successors, time, verifier) {
            Ok(s) => s,
            Err(why) => {
                f.refused
                    .push(format!("the OCSP response from {label} is not used: {why}"));
                continue;
            }
        };
        for (i, s) in matching {
            if let Some((_, o)) = r.body.single_critical.iter().find(|(j, _)| *j == i) {
                f.refused.push(format!(
                    "the OCSP response from {label} answers with an unhandled critical extension {o}"
                ));
                continue;
            }
            let answer = Answer {
                status: s.status,
                this_update: s.this_update,
                next_update: s.next_update,
                source: label,
                signer: signer.clone(),
            };
            let not_yet = s.this_update > time.saturating_add(CLOCK_SKEW_SECS);
            let expired = match s.next_update {
                Some(n) => n < time,
                None => s.this_update < time.saturating_sub(NO_NEXT_UPDATE_FRESHNESS_SECS),
            };
            // Revocation is permanent: a verified statement of it at or before the
            // validation time decides whenever it was made (certificateHold excepted).
            if let OcspCertStatus::Revoked { time: rt, reason } = s.status
                && rt <= time
                && (!(not_yet || expired) || reason != Some(CERTIFICATE_HOLD))
            {
                if revoked.as_ref().is_none_or(|a| match a.status {
                    OcspCertStatus::Revoked { time: prev, .. } => rt < prev,
                    _ => true,
                }) {
                    revoked = Some(answer);
                }
                continue;
            }
            if not_yet {
                f.stale.push(format!(
                    "the OCSP response from {label} has thisUpdate {} after the validation time",
                    crate::fmt_time(s.this_update)
                ));
                continue;
            }
            if expired {
                f.stale.push(match s.next_update {
                    Some(n) => format!(
                        "the OCSP response from {label} is past its nextUpdate {}",
                        crate::fmt_time(n)
                    ),
                    None => format!(
                        "the OCSP response from {label} has no nextUpdate and its thisUpdate {} is more than 7 days before the validation time",
                        crate::fmt_time(s.this_update)
                    ),
                });
                continue;
            }
            match s.status {
                OcspCertStatus::Unknown => unknown.push(answer),
                _ => current.push(answer),
            }
        }
    }
    f.none_matched = !responses.is_empty() && f.sources.is_empty();
    // The newest current answer decides; of equally new ones, a revocation after the
    // validation time (it says more than good).
    let rank = |a: &Answer<'_>| {
        (
            a.this_update,
            matches!(a.status, OcspCertStatus::Revoked { .. }),
        )
    };
    f.decided = revoked.or_else(|| current.into_iter().max_by_key(rank));
    f.unknown = unknown.into_iter().max_by_key(|a| a.this_update);
    f
}

/// RFC 6960 §4.2.2.2: whether the response's signer is authorised to answer for
/// certificates of `issuer`, and its signature verifies. Returns who signed it, or why not.
/// Art. 31: for the certificates of a CA whose business was taken over, the successor's CA
/// certificates (`successors`, from the trust list) answer too, themselves or through a
/// responder they delegated OCSP signing to.
fn authorise(
    r: &OcspResponse,
    issuer: &Certificate,
    successors: &[Certificate],
    time: i64,
    verifier: &dyn OcspSignatureCheck,
) -> Result<String, String> {
    let why = match authorise_for(r, issuer, time, verifier) {
        Ok(s) => return Ok(s),
        Err(why) => why,
    };
    let mut whys = vec![why];
    for s in successors {
        match authorise_for(r, s, time, verifier) {
            Ok(who) => {
                let successor = s.subject().display();
                return Ok(if who.starts_with("the issuer") {
                    format!("the successor {successor}, which took the business over (Art. 31)")
                } else {
                    format!(
                        "{who} of the successor {successor}, which took the business over (Art. 31)"
                    )
                });
            }
            Err(w) => whys.push(format!("as the successor's: {w}")),
        }
    }
    Err(whys.join("; "))
}

/// [`authorise`] for one CA: the CA itself, or a responder it delegated OCSP signing to.
fn authorise_for(
    r: &OcspResponse,
    issuer: &Certificate,
    time: i64,
    verifier: &dyn OcspSignatureCheck,
) -> Result<String, String> {
    let id = r.responder_id();
    let mut why: Vec<String> = Vec::new();
    // The CA that issued the certificate signs the response itself.
    if id.identifies(issuer) {
        match verify_response(r, issuer, verifier) {
            Ok(()) => return Ok(format!("the issuer {}", issuer.subject().display())),
            Err(e) => why.push(format!(
                "it is not signed by the issuer {} ({e})",
                issuer.subject().display()
            )),
        }
    }
    // A delegated responder, whose certificate the response carries.
    for c in r.certs() {
        if !id.identifies(c) || (c.spki() == issuer.spki() && c.subject() == issuer.subject()) {
            continue;
        }
        match delegated(c, issuer, time, verifier) {
            Ok(()) => {}
            Err(e) => {
                why.push(e);
                continue;
            }
        }
        match verify_response(r, c, verifier) {
            Ok(()) => {
                return Ok(format!("the delegated responder {}", c.subject().display()));
            }
            Err(e) => why.push(format!(
                "it is not signed by the responder {} ({e})",
                c.subject().display()
            )),
        }
    }
    if why.is_empty() {
        why.push(format!(
            "its responder {} is neither the issuer {} nor a responder certificate included in the response",
            id.display(),
            issuer.subject().display()
        ));
    }
    Err(why.join("; "))
}

/// Verifies the response's signature with `signer`'s key, once per key for a response and
/// its clones (a cached response is used for many validations).
fn verify_response(
    r: &OcspResponse,
    signer: &Certificate,
    verifier: &dyn OcspSignatureCheck,
) -> Result<(), String> {
    if r.verified_with(signer) {
        return Ok(());
    }
    verifier.verify_by(
        signer,
        r.signature_algorithm(),
        r.tbs(),
        r.signature(),
        r.signed_digest(),
    )?;
    r.record_verified(signer);
    Ok(())
}

/// RFC 6960 §4.2.2.2: whether `c` is a responder certificate `issuer` delegated OCSP
/// signing to, valid at `time`.
fn delegated(
    c: &Certificate,
    issuer: &Certificate,
    time: i64,
    verifier: &dyn OcspSignatureCheck,
) -> Result<(), String> {
    let subj = c.subject().display();
    let ext = c.extensions();
    // id-kp-OCSPSigning itself: anyExtendedKeyUsage does not delegate OCSP signing.
    if !ext
        .ext_key_usage
        .as_ref()
        .is_some_and(|e| e.iter().any(|o| o.as_bytes() == oid::KP_OCSP_SIGNING))
    {
        return Err(format!(
            "the responder certificate {subj} does not assert id-kp-OCSPSigning"
        ));
    }
    if c.issuer() != issuer.subject() {
        return Err(format!(
            "the responder certificate {subj} is issued by {}, not by the certificate's issuer {}",
            c.issuer().display(),
            issuer.subject().display()
        ));
    }
    if time < c.not_before() || time > c.not_after() {
        return Err(format!(
            "the responder certificate {subj} is valid from {} to {}, not at the validation time",
            crate::fmt_time(c.not_before()),
            crate::fmt_time(c.not_after())
        ));
    }
    if let Some(ku) = ext.key_usage
        && !ku.has(crate::KeyUsageBit::DigitalSignature)
        && !ku.has(crate::KeyUsageBit::NonRepudiation)
    {
        return Err(format!(
            "the responder certificate {subj} has keyUsage without digitalSignature"
        ));
    }
    if let Some(o) = ext
        .unhandled_critical
        .iter()
        .find(|o| o.as_bytes() != oid::OCSP_NOCHECK)
    {
        return Err(format!(
            "the responder certificate {subj} has an unhandled critical extension {o}"
        ));
    }
    verifier
        .verify_by(
            issuer,
            c.signature_algorithm(),
            c.tbs(),
            c.signature(),
            c.sha256(),
        )
        .map_err(|e| {
            format!(
                "the responder certificate {subj} is not signed by the issuer {} ({e})",
                issuer.subject().display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(t: u8, v: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        der_write(t, v, &mut out);
        out
    }

    /// A minimal successful response: responder byKey, one good answer, a nonce.
    fn sample() -> Vec<u8> {
        let mut alg = tlv(tag::OID, oid::SHA1);
        alg.extend(tlv(tag::NULL, &[]));
        let mut cid = tlv(tag::SEQUENCE, &alg);
        cid.extend(tlv(tag::OCTET_STRING, &[1; 20]));
        cid.extend(tlv(tag::OCTET_STRING, &[2; 20]));
        cid.extend(tlv(tag::INTEGER, &[0x01, 0x23]));
        let mut single = tlv(tag::SEQUENCE, &cid);
        single.extend(tlv(0x80, &[]));
        single.extend(tlv(tag::GENERALIZED_TIME, b"20260601000000Z"));
        single.extend(tlv(0xA0, &tlv(tag::GENERALIZED_TIME, b"20260608000000Z")));
        let mut data = tlv(0xA2, &tlv(tag::OCTET_STRING, &[3; 20]));
        data.extend(tlv(tag::GENERALIZED_TIME, b"20260601000000Z"));
        data.extend(tlv(tag::SEQUENCE, &tlv(tag::SEQUENCE, &single)));
        let mut ext = tlv(tag::OID, oid::OCSP_NONCE);
        ext.extend(tlv(tag::OCTET_STRING, &tlv(tag::OCTET_STRING, b"nonce")));
        data.extend(tlv(0xA1, &tlv(tag::SEQUENCE, &tlv(tag::SEQUENCE, &ext))));
        let mut basic = tlv(tag::SEQUENCE, &data);
        basic.extend(tlv(tag::SEQUENCE, &tlv(tag::OID, oid::ECDSA_WITH_SHA256)));
        basic.extend(tlv(tag::BIT_STRING, &[0, 0x30, 0x00]));
        let basic = tlv(tag::SEQUENCE, &basic);
        let mut rb = tlv(tag::OID, oid::OCSP_BASIC);
        rb.extend(tlv(tag::OCTET_STRING, &basic));
        let mut resp = tlv(tag::ENUMERATED, &[0]);
        resp.extend(tlv(0xA0, &tlv(tag::SEQUENCE, &rb)));
        tlv(tag::SEQUENCE, &resp)
    }

    #[test]
    fn parses_a_minimal_response() {
        let r = OcspResponse::from_der(&sample()).expect("parses");
        assert_eq!(r.produced_at(), 1_780_272_000);
        assert_eq!(r.nonce(), Some(&b"nonce"[..]));
        assert_eq!(r.source(), "caller OCSP");
        assert_eq!(r.responder_id(), &ResponderId::ByKey(vec![3; 20]));
        let s = &r.responses()[0];
        assert_eq!(s.status, OcspCertStatus::Good);
        assert_eq!(s.cert_id.hash_algorithm, HashAlg::Sha1);
        assert_eq!(s.cert_id.serial, vec![0x01, 0x23]);
        assert_eq!(s.next_update, Some(1_780_272_000 + 7 * 86_400));
    }

    #[test]
    fn non_successful_statuses_are_named() {
        for (v, name) in [
            (1u8, "malformedRequest"),
            (2, "internalError"),
            (3, "tryLater"),
            (5, "sigRequired"),
            (6, "unauthorized"),
        ] {
            let der = [0x30, 0x03, 0x0A, 0x01, v];
            let e = OcspResponse::from_der(&der).unwrap_err();
            assert_eq!(
                e,
                Error::OcspNotSuccessful {
                    status: v as u64,
                    name
                }
            );
            assert!(e.to_string().contains(name), "{e}");
        }
        // successful without responseBytes is malformed
        assert!(matches!(
            OcspResponse::from_der(&[0x30, 0x03, 0x0A, 0x01, 0x00]),
            Err(Error::MalformedOcsp { .. })
        ));
    }

    /// Fuzz safety: every truncation and every single-bit flip of a valid response parses
    /// or fails, never panics.
    #[test]
    fn truncated_and_bit_flipped_inputs_never_panic() {
        let der = sample();
        for n in 0..der.len() {
            assert!(OcspResponse::from_der(&der[..n]).is_err());
        }
        let mut ok = 0;
        for i in 0..der.len() {
            for bit in 0..8 {
                let mut d = der.clone();
                d[i] ^= 1 << bit;
                if OcspResponse::from_der(&d).is_ok() {
                    ok += 1;
                }
            }
        }
        // Flips inside hashes, serials and signature bits still parse.
        assert!(ok > 0);
        // A pseudo-random byte soup.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in 0..512 {
            let mut d = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                d.push(x as u8);
            }
            let _ = OcspResponse::from_der(&d);
        }
    }
}
