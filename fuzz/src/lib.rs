//! The bodies of the fuzz targets, as plain functions so that the libFuzzer targets in
//! `fuzz_targets/` stay one line each and the same code can be driven by anything else that
//! has bytes (a regression test, a debugger, a stable-toolchain runner).
//!
//! Every function must return normally for every input: a panic is a bug in the validator.
#![forbid(unsafe_code)]

use huren_validator::{
    AnchorSet, Budget, Certificate, Crl, Oid, ServerName, SignatureMemo, ValidationOptions,
    fmt_time, pem, validate,
};
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
            b"\x30",
            b"\x30\x80",
            b"-----BEGIN CERTIFICATE-----\n",
        ] {
            cert_parse(data);
            crl_parse(data);
            pem_decode(data);
            chain_validate(data);
        }
    }
}
