//! DSA, as legacy PKIs still use it: an OpenSSL-made chain validates, and so does one whose
//! lower certificates omit the DSA domain parameters, which are then inherited from the issuer
//! (RFC 5280 §6.1.4 (f), working_public_key_parameters).

mod common;

use common::{CA_EXT, SIGNING_EE_EXT, huren_json, issue, openssl, scratch, self_signed_ca};
use std::path::Path;

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
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
    out
}

/// Splits DER contents into its elements (tag, full encoding).
fn elements(mut data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let tag = data[0];
        let (len, hdr) = if data[1] < 0x80 {
            (data[1] as usize, 2)
        } else {
            let n = (data[1] & 0x7f) as usize;
            (
                data[2..2 + n]
                    .iter()
                    .fold(0usize, |a, b| (a << 8) | *b as usize),
                2 + n,
            )
        };
        out.push((tag, data[..hdr + len].to_vec()));
        data = &data[hdr + len..];
    }
    out
}

fn contents(full: &[u8]) -> &[u8] {
    let hdr = if full[1] < 0x80 {
        2
    } else {
        2 + (full[1] & 0x7f) as usize
    };
    &full[hdr..]
}

/// Re-signs `cert_pem` with `key` after removing the DSA parameters from its SPKI.
fn strip_params_and_resign(dir: &Path, cert_pem: &str, key: &str, out_pem: &str) {
    openssl(
        dir,
        &["x509", "-in", cert_pem, "-outform", "DER", "-out", "c.der"],
    );
    let der = std::fs::read(dir.join("c.der")).unwrap();
    let cert = elements(contents(&der));
    let (tbs, sig_alg) = (&cert[0].1, &cert[1].1);
    let mut fields = elements(contents(tbs));
    // tbsCertificate: [0] version, serial, signature, issuer, validity, subject, spki, ...
    let spki = &fields[6].1;
    let parts = elements(contents(spki));
    let alg = elements(contents(&parts[0].1));
    let new_alg = tlv(0x30, &alg[0].1); // the OID alone
    let mut spki_body = new_alg;
    spki_body.extend_from_slice(&parts[1].1);
    fields[6].1 = tlv(0x30, &spki_body);
    let new_tbs = tlv(
        0x30,
        &fields
            .iter()
            .flat_map(|(_, f)| f.clone())
            .collect::<Vec<_>>(),
    );
    std::fs::write(dir.join("tbs.der"), &new_tbs).unwrap();
    openssl(
        dir,
        &[
            "dgst", "-sha256", "-sign", key, "-out", "sig.bin", "tbs.der",
        ],
    );
    let sig = std::fs::read(dir.join("sig.bin")).unwrap();
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig);
    let mut body = new_tbs.clone();
    body.extend_from_slice(sig_alg);
    body.extend_from_slice(&tlv(0x03, &bits));
    std::fs::write(dir.join("n.der"), tlv(0x30, &body)).unwrap();
    openssl(
        dir,
        &["x509", "-inform", "DER", "-in", "n.der", "-out", out_pem],
    );
}

#[test]
fn dsa_chains_validate_with_inherited_parameters() {
    let dir = scratch("dsa");
    let d = dir.as_path();
    openssl(
        d,
        &[
            "genpkey",
            "-genparam",
            "-algorithm",
            "DSA",
            "-pkeyopt",
            "dsa_paramgen_bits:2048",
            "-out",
            "p.pem",
        ],
    );
    for k in ["root", "ca", "ee"] {
        openssl(
            d,
            &[
                "genpkey",
                "-paramfile",
                "p.pem",
                "-out",
                &format!("{k}.key"),
            ],
        );
    }
    self_signed_ca(d, "root.key", "DSA Root", "root.pem");
    issue(
        d, "ca.key", "DSA CA", "root.pem", "root.key", CA_EXT, "ca.pem",
    );
    issue(
        d,
        "ee.key",
        "DSA Leaf",
        "ca.pem",
        "ca.key",
        SIGNING_EE_EXT,
        "ee.pem",
    );
    let validate = |leaf: &str, intermediate: &str| {
        huren_json(
            d,
            &[
                "validate",
                leaf,
                "--intermediate",
                intermediate,
                "--anchor",
                "root.pem",
                "--format",
                "json",
            ],
        )
    };

    let v = validate("ee.pem", "ca.pem");
    assert_eq!(v["status"], "VALID", "{v:#}");

    // The CA and the leaf without parameters: both keys take the root's.
    strip_params_and_resign(d, "ca.pem", "root.key", "ca-np.pem");
    strip_params_and_resign(d, "ee.pem", "ca.key", "ee-np.pem");
    let v = validate("ee-np.pem", "ca-np.pem");
    assert_eq!(v["status"], "VALID", "{v:#}");
    assert_eq!(v["path"].as_array().unwrap().len(), 3);

    // A leaf signed by another key with the same name does not verify.
    strip_params_and_resign(d, "ee.pem", "root.key", "ee-wrong.pem");
    let v = validate("ee-wrong.pem", "ca-np.pem");
    assert_eq!(v["code"], "BAD_SIGNATURE", "{v:#}");
    let _ = std::fs::remove_dir_all(&dir);
}
