//! The bodies of the fuzz targets, as plain functions so that the libFuzzer targets in
//! `fuzz_targets/` stay one line each and the same code can be driven by anything else that
//! has bytes (a regression test, a debugger, a stable-toolchain runner).
//!
//! Every function must return normally for every input: a panic is a bug in the validator or
//! in the trust-list crate.
#![forbid(unsafe_code)]

use huren_trustlists::c14n::{self, Method, NodeSet};
use huren_trustlists::dsig::{self, Crypto, DigestAlgorithm, SignatureAlgorithm};
use huren_trustlists::snapshot::{ListRole, build_snapshot};
use huren_trustlists::verify::{At, PinnedSigners, VerifiedTrustList, verify_with};
use huren_trustlists::{Limits, TrustList, read_unverified};
use huren_validator::{
    AnchorSet, Budget, Certificate, Crl, Oid, ServerName, SignatureMemo, ValidationOptions,
    fmt_time, pem, validate,
};
use roxmltree::{Document, Node};
use std::hint::black_box;

/// 2026-06-01T00:00:00Z, the validation time of the checked-in test vectors.
pub const VALIDATION_TIME: i64 = 1_780_272_000;

/// Parses `data` as a DER certificate and, when it parses, reads every accessor.
pub fn cert_parse(data: &[u8]) {
    let Ok(cert) = Certificate::from_der(data) else {
        return;
    };
    touch_certificate(&cert);
}

/// Parses `data` as a DER OCSP response and, when it parses, reads every accessor and
/// matches its CertIDs against a certificate and issuer decoded from the same bytes' tail
/// (when they parse), so that CertID comparison runs on arbitrary input too.
pub fn ocsp_parse(data: &[u8]) {
    let Ok(resp) = huren_validator::OcspResponse::from_der(data) else {
        return;
    };
    black_box((resp.der(), resp.tbs(), resp.signature_algorithm(), resp.signature()));
    black_box(fmt_time(resp.produced_at()));
    black_box(resp.nonce());
    black_box(resp.responder_id().display());
    black_box(resp.unhandled_critical_extensions());
    for c in resp.certs() {
        touch_certificate(c);
    }
    for r in resp.responses() {
        black_box((r.status.as_str(), fmt_time(r.this_update), r.next_update.map(fmt_time)));
        for c in resp.certs() {
            black_box(r.cert_id.matches(c, c));
            black_box(resp.responder_id().identifies(c));
        }
    }
}

/// Parses `data` as a DER CRL and, when it parses, reads every accessor.
pub fn crl_parse(data: &[u8]) {
    let Ok(crl) = Crl::from_der(data) else {
        return;
    };
    black_box((
        crl.der(),
        crl.tbs(),
        crl.signature_algorithm(),
        crl.signature(),
    ));
    black_box(crl.issuer().display());
    black_box(crl.issuer().normalized());
    black_box(fmt_time(crl.this_update()));
    black_box(crl.next_update().map(fmt_time));
    black_box(crl.is_delta());
    black_box(crl.authority_key_id());
    black_box(format!("{:?}", crl.issuing_distribution_point()));
    for entry in crl.entries() {
        black_box(fmt_time(entry.revocation_date));
        black_box(entry.reason.map(huren_validator::crl::reason_name));
        for name in entry.certificate_issuer.iter().flatten() {
            black_box(name.display());
        }
    }
}

/// Decodes `data` as PEM (or DER) certificates and CRLs.
pub fn pem_decode(data: &[u8]) {
    for labels in [pem::CERTIFICATE_LABELS, pem::CRL_LABELS] {
        match pem::decode_all(data, labels) {
            Ok(blocks) => black_box(blocks.iter().map(Vec::len).sum::<usize>()),
            Err(e) => black_box(e.to_string().len()),
        };
    }
}

/// Most certificates taken from one input.
const MAX_CHUNKS: usize = 4;

/// Splits `data` into up to [`MAX_CHUNKS`] chunks, each one DER TLV as its own header says
/// (the length clamped to what is left; a header that cannot be read makes the rest one
/// chunk). A concatenation of DER certificates therefore splits into those certificates.
pub fn split_chunks(mut data: &[u8]) -> Vec<&[u8]> {
    let mut chunks = Vec::with_capacity(MAX_CHUNKS);
    while !data.is_empty() && chunks.len() < MAX_CHUNKS {
        let take = if chunks.len() == MAX_CHUNKS - 1 {
            data.len()
        } else {
            tlv_len(data).unwrap_or(data.len()).clamp(1, data.len())
        };
        let (chunk, rest) = data.split_at(take);
        chunks.push(chunk);
        data = rest;
    }
    chunks
}

/// The total length (header included) a DER TLV header at the start of `data` announces.
fn tlv_len(data: &[u8]) -> Option<usize> {
    let first = *data.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let bytes = data.get(2..2 + n)?;
    let len = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let len = usize::try_from(len).ok()?;
    len.checked_add(2 + n)
}

/// Splits `data` with [`split_chunks`] into a leaf (first chunk), intermediates (middle
/// chunks) and an anchor (last chunk; the leaf itself when there is one chunk), and validates
/// at a fixed time with a small budget. Chunks that do not parse are dropped.
pub fn chain_validate(data: &[u8]) {
    let chunks = split_chunks(data);
    let Some((&leaf, rest)) = chunks.split_first() else {
        return;
    };
    let Ok(leaf) = Certificate::from_der(leaf) else {
        return;
    };
    let (anchor, middle) = match rest.split_last() {
        Some((&anchor, middle)) => (anchor, middle),
        None => (leaf.der(), &[][..]),
    };
    let mut anchors = AnchorSet::new();
    if let Ok(anchor) = Certificate::from_der(anchor) {
        anchors.add_certificate(anchor);
    }
    let intermediates: Vec<Certificate> = middle
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect();

    let mut options = ValidationOptions::at(VALIDATION_TIME);
    options.budget = Budget {
        signatures: 8,
        candidates: 32,
        name_comparisons: 4096,
        policy_work: 4096,
    };
    // serverAuth and the leaf's own DNS name: the checks every TLS server validation runs.
    options.extended_key_usage = Oid::parse("1.3.6.1.5.5.7.3.1").into_iter().collect();
    options.server_name = leaf_dns_name(&leaf).map(ServerName::Dns);
    let memo = SignatureMemo::new(16);
    let report = validate(&leaf, &intermediates, &anchors, &[], &options, &memo);
    black_box((report.status.as_str(), report.code.as_str(), report.message));
}

/// The first dNSName of the leaf's subjectAltName, so that name matching runs on a name the
/// certificate may present (and on a wildcard pattern, which must then fail cleanly).
fn leaf_dns_name(leaf: &Certificate) -> Option<String> {
    leaf.extensions()
        .subject_alt_name
        .iter()
        .flatten()
        .find_map(|n| match n {
            huren_validator::names::GeneralName::Dns(d) => Some(d.clone()),
            _ => None,
        })
}

/// Reads `data` as an unverified trust list with the default limits and, when it reads,
/// touches the model.
pub fn tl_read(data: &[u8]) {
    match read_unverified(data, &Limits::default()) {
        Ok(list) => touch_list(&list),
        Err(e) => {
            black_box(e.to_string());
        }
    }
}

/// Crypto that accepts every digest and every signature, so that the fuzzer reaches past
/// the signature into the profile checks, the model reader and the anchor index. Never
/// outside the fuzzer.
#[derive(Clone, Copy, Debug, Default)]
pub struct AcceptAll;

impl Crypto for AcceptAll {
    fn digest_matches(&self, _: DigestAlgorithm, _: &[u8], _: &[u8]) -> bool {
        true
    }

    fn verify(
        &self,
        _: SignatureAlgorithm,
        _: &Certificate,
        _: &[u8],
        _: &[u8],
    ) -> Result<(), String> {
        Ok(())
    }
}

/// Parses `data` as [`huren_trustlists::verify::verify_with`] does (BOM stripped, UTF-8, no DTD).
fn parse_doc(data: &[u8]) -> Option<Document<'_>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let text = std::str::from_utf8(data).ok()?;
    Document::parse(text).ok()
}

/// Verifies `data` with [`AcceptAll`] crypto: the signature profile is checked on a tree
/// parsed here, the certificate its `KeyInfo` carries is pinned, and the list is verified
/// at its own issue time with [`verify_with`] (profile, pinning, reader, signer validity,
/// issue time). A list that verifies is then turned into anchors in each role.
pub fn tl_verify(data: &[u8]) {
    let signer = parse_doc(data).and_then(|doc| match dsig::verify_signature(&doc, &AcceptAll) {
        Ok(info) => {
            black_box((info.signing_time, info.algorithm, &info.canonicalization));
            Some(info.signer)
        }
        Err(e) => {
            black_box(e.to_string());
            None
        }
    });
    // A signer that is not a certificate cannot be pinned: verify against nothing then,
    // which must fail cleanly too.
    let pinned = signer
        .and_then(|s| PinnedSigners::new(vec![s]).ok())
        .unwrap_or_default();
    let limits = Limits::default();
    match verify_with(data, &pinned, At::OwnIssueTime, &limits, &AcceptAll) {
        Ok(v) => touch_verified(&v),
        Err(e) => {
            black_box(e.to_string());
        }
    }
}

fn touch_verified(v: &VerifiedTrustList) {
    black_box((v.sha256_hex(), v.signer(), v.signing_time(), v.algorithm()));
    black_box(v.freshness(VALIDATION_TIME));
    touch_list(v.list());
    for role in [ListRole::Scheme, ListRole::Miit] {
        let s = build_snapshot(&[(v, role)]);
        black_box((s.id(), s.anchors().len(), s.lists(), s.next_update()));
    }
}

fn touch_list(list: &TrustList) {
    black_box(format!("{list:?}").len());
    for (p, s) in list.services() {
        black_box((p.name.get("en"), s.service_type.is_ca()));
        black_box(s.status.is_granted_like());
        black_box(s.extensions.qualifiers().count());
    }
    if let Some(t) = &list.scheme_territory {
        black_box(list.pointers_for(t).count());
    }
}

/// Parses `data` with roxmltree and canonicalises it with each method: the document
/// element and the last element, with and without the whole document, and with the first
/// `ds:Signature` left out. Where the output of a whole subtree parses again, canonicalising
/// it again must give the same octets (C14N is idempotent).
pub fn c14n(data: &[u8]) {
    let Some(doc) = parse_doc(data) else {
        return;
    };
    let root = doc.root_element();
    let last = doc.descendants().rfind(Node::is_element).unwrap_or(root);
    let signature = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "Signature")))
        .map(|n| n.id());
    // Prefixes declared on the document element, for the InclusiveNamespaces PrefixList.
    let mut prefixes: Vec<String> = root
        .namespaces()
        .take(3)
        .map(|n| n.name().unwrap_or("#default").to_string())
        .collect();
    prefixes.sort();
    // A genuine list is up to 2.6 MB: on inputs that large, one exclusive and one inclusive
    // method keep a run well inside libFuzzer's per-input timeout (under ASan).
    let large = data.len() > LARGE_XML;
    for (i, method) in methods(prefixes).into_iter().enumerate() {
        if large && i != 0 && i != 3 {
            continue;
        }
        for (apex, whole_document) in [(root, true), (root, false), (last, false)] {
            let mut out = Vec::new();
            let set = NodeSet {
                apex,
                exclude: None,
                whole_document,
            };
            if c14n::canonicalize(set, &method, &mut out).is_ok() {
                idempotent(&out, &method, whole_document);
            }
            black_box(out.len());
        }
        if signature.is_some() {
            let mut out = Vec::new();
            let set = NodeSet {
                apex: root,
                exclude: signature,
                whole_document: true,
            };
            black_box(
                c14n::canonicalize(set, &method, &mut out)
                    .map(|()| out.len())
                    .ok(),
            );
        }
    }
}

/// Inputs larger than this get two canonicalisation methods instead of five.
const LARGE_XML: usize = 256 << 10;

fn methods(inclusive_prefixes: Vec<String>) -> [Method; 5] {
    [
        Method::Exclusive {
            comments: false,
            inclusive_prefixes: Vec::new(),
        },
        Method::Exclusive {
            comments: true,
            inclusive_prefixes: Vec::new(),
        },
        Method::Exclusive {
            comments: false,
            inclusive_prefixes,
        },
        Method::Inclusive { comments: false },
        Method::Inclusive { comments: true },
    ]
}

/// Canonical output that parses again canonicalises to itself.
fn idempotent(first: &[u8], method: &Method, whole_document: bool) {
    let Ok(text) = std::str::from_utf8(first) else {
        panic!("C14N output is not UTF-8");
    };
    let Ok(doc) = Document::parse(text) else {
        return;
    };
    let mut again = Vec::with_capacity(first.len());
    let set = NodeSet {
        apex: doc.root_element(),
        exclude: None,
        whole_document,
    };
    if c14n::canonicalize(set, method, &mut again).is_ok() {
        assert!(
            again == first,
            "C14N is not idempotent ({method:?}, whole document {whole_document}):\n first: {}\n again: {}",
            String::from_utf8_lossy(first),
            String::from_utf8_lossy(&again)
        );
    }
}

fn touch_certificate(cert: &Certificate) {
    black_box((
        cert.der(),
        cert.tbs(),
        cert.signature_algorithm(),
        cert.signature(),
    ));
    black_box((cert.version(), cert.serial(), cert.serial_hex()));
    black_box((cert.issuer().display(), cert.subject().display()));
    black_box((cert.issuer().normalized(), cert.subject().rdns()));
    black_box((fmt_time(cert.not_before()), fmt_time(cert.not_after())));
    black_box((cert.spki(), cert.spki_algorithm(), cert.public_key()));
    black_box((cert.is_self_issued(), cert.is_ca(), cert.sha256_hex()));
    let ext = cert.extensions();
    black_box(format!("{ext:?}"));
    black_box(ext.key_usage.map(|k| k.names()));
    for name in ext.subject_alt_name.iter().flatten() {
        black_box(name.display());
    }
    let oids = ext.ext_key_usage.iter().chain(&ext.policies).flatten();
    for oid in oids.chain(&ext.unhandled_critical) {
        black_box(huren_validator::oid::dotted(oid.as_bytes()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_concatenated_der() {
        let data = [
            0x30, 0x01, 0xAA, 0x30, 0x00, 0x30, 0x82, 0x00, 0x01, 0xBB, 0x04,
        ];
        assert_eq!(
            split_chunks(&data),
            vec![
                &[0x30, 0x01, 0xAA][..],
                &[0x30, 0x00],
                &[0x30, 0x82, 0x00, 0x01, 0xBB],
                &[0x04]
            ]
        );
        // Lengths beyond the input are clamped; a fourth chunk takes the rest.
        assert_eq!(split_chunks(&[0x30, 0x7f, 1]), vec![&[0x30, 0x7f, 1][..]]);
        assert_eq!(split_chunks(&[0x30]), vec![&[0x30][..]]);
        assert!(split_chunks(&[]).is_empty());
    }

    #[test]
    fn garbage_does_not_panic() {
        for data in [
            &b""[..],
            b"<a/>",
            b"<TrustServiceStatusList xmlns='http://uri.etsi.org/02231/v2#'/>",
            b"<?pi x?><!--c--><a xmlns:p='u' p:b='&#9;'>t<p:c xml:lang='en'/>\r</a>",
            b"\x30",
            b"\x30\x80",
            b"-----BEGIN CERTIFICATE-----\n",
        ] {
            cert_parse(data);
            crl_parse(data);
            pem_decode(data);
            chain_validate(data);
            tl_read(data);
            tl_verify(data);
            c14n(data);
        }
    }
}
