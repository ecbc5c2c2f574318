//! Reading certificates and CRLs from PEM or DER bytes (detected).

use crate::Error;

/// Splits PEM text into (label, DER) pairs, or treats bytes starting with a SEQUENCE tag as
/// one DER object. Blocks with labels not in `labels` are skipped; a private key is refused.
pub fn decode_all(input: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>, Error> {
    if input.first() == Some(&0x30) {
        return Ok(vec![input.to_vec()]);
    }
    let text = std::str::from_utf8(input).map_err(|_| Error::NotPemOrDer)?;
    let mut out = Vec::new();
    let mut rest = text;
    let mut block = 0;
    while let Some(start) = rest.find("-----BEGIN ") {
        block += 1;
        let after = &rest[start + 11..];
        let label_end = after.find("-----").ok_or(Error::Pem {
            block,
            reason: "unterminated BEGIN line".into(),
        })?;
        let label = &after[..label_end];
        if label.contains("PRIVATE KEY") {
            return Err(Error::PrivateKey);
        }
        let end_marker = format!("-----END {label}-----");
        let end = rest[start..].find(&end_marker).ok_or(Error::Pem {
            block,
            reason: format!("no END line for {label}"),
        })?;
        let whole = &rest[start..start + end + end_marker.len()];
        rest = &rest[start + end + end_marker.len()..];
        if !labels.contains(&label) {
            continue;
        }
        let normalized = whole.replace("\r\n", "\n");
        let (_, der) = pem_rfc7468::decode_vec(normalized.as_bytes()).map_err(|e| Error::Pem {
            block,
            reason: e.to_string(),
        })?;
        out.push(der);
    }
    if block == 0 {
        return Err(Error::NotPemOrDer);
    }
    Ok(out)
}

/// Labels of certificate blocks.
pub const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
/// Labels of CRL blocks.
pub const CRL_LABELS: &[&str] = &["X509 CRL"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_refuses_keys() {
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n";
        assert_eq!(
            decode_all(pem.as_bytes(), CERTIFICATE_LABELS).unwrap(),
            vec![vec![0x30, 0]]
        );
        assert_eq!(
            decode_all(pem.as_bytes(), CRL_LABELS).unwrap(),
            vec![vec![0x30, 0]]
        );
        let key = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            decode_all(key.as_bytes(), CERTIFICATE_LABELS),
            Err(Error::PrivateKey)
        );
        assert_eq!(
            decode_all(b"hello", CERTIFICATE_LABELS),
            Err(Error::NotPemOrDer)
        );
    }
}
