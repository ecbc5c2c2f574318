//! Object identifiers: an owned [`Oid`] and the constants the engine uses, as DER contents
//! octets so that comparisons are byte comparisons.

use core::fmt;

/// An object identifier, held as its DER contents octets.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Box<[u8]>);

impl Oid {
    /// Wraps DER contents octets already checked by the DER reader.
    pub(crate) fn from_der_contents(bytes: &[u8]) -> Self {
        Oid(bytes.into())
    }

    /// Parses dotted-decimal text (`2.5.29.32.0`).
    pub fn parse(text: &str) -> Option<Self> {
        let arcs: Vec<u64> = text
            .split('.')
            .map(|a| {
                if a.is_empty() || (a.len() > 1 && a.starts_with('0')) {
                    None
                } else {
                    a.parse().ok()
                }
            })
            .collect::<Option<_>>()?;
        if arcs.len() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) {
            return None;
        }
        let mut out = Vec::new();
        let first = arcs[0].checked_mul(40)?.checked_add(arcs[1])?;
        for arc in std::iter::once(first).chain(arcs[2..].iter().copied()) {
            let mut tmp = vec![(arc & 0x7f) as u8];
            let mut v = arc >> 7;
            while v > 0 {
                tmp.push(((v & 0x7f) as u8) | 0x80);
                v >>= 7;
            }
            tmp.reverse();
            out.extend_from_slice(&tmp);
        }
        Some(Oid(out.into()))
    }

    /// An extended key usage purpose by its RFC 5280 §4.2.1.12 name (`serverAuth`,
    /// `clientAuth`, `codeSigning`, `emailProtection`, `timeStamping`, `OCSPSigning`,
    /// `anyExtendedKeyUsage`).
    pub fn from_purpose_name(name: &str) -> Option<Self> {
        let contents = match name {
            "serverAuth" => KP_SERVER_AUTH,
            "clientAuth" => KP_CLIENT_AUTH,
            "codeSigning" => KP_CODE_SIGNING,
            "emailProtection" => KP_EMAIL_PROTECTION,
            "timeStamping" => KP_TIME_STAMPING,
            "OCSPSigning" => KP_OCSP_SIGNING,
            "anyExtendedKeyUsage" => ANY_EKU,
            _ => return None,
        };
        Some(Oid::from_der_contents(contents))
    }

    /// The DER contents octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq<[u8]> for Oid {
    fn eq(&self, other: &[u8]) -> bool {
        &*self.0 == other
    }
}

/// Writes DER OID contents octets in dotted-decimal form.
pub fn write_dotted(bytes: &[u8], f: &mut impl fmt::Write) -> fmt::Result {
    let mut first = true;
    let mut acc: u128 = 0;
    for b in bytes {
        acc = (acc << 7) | (b & 0x7f) as u128;
        if acc > u64::MAX as u128 {
            return f.write_str("<oid arc too large>");
        }
        if b & 0x80 == 0 {
            if first {
                let (a, b) = if acc < 40 {
                    (0, acc)
                } else if acc < 80 {
                    (1, acc - 40)
                } else {
                    (2, acc - 80)
                };
                write!(f, "{a}.{b}")?;
                first = false;
            } else {
                write!(f, ".{acc}")?;
            }
            acc = 0;
        }
    }
    Ok(())
}

/// Dotted-decimal text of DER OID contents octets.
pub fn dotted(bytes: &[u8]) -> String {
    let mut s = String::new();
    let _ = write_dotted(bytes, &mut s);
    s
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_dotted(&self.0, f)
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// 2.5.29.14 (subjectKeyIdentifier)
pub const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
/// 2.5.29.15 (keyUsage)
pub const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
/// 2.5.29.17 (subjectAltName)
pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
/// 2.5.29.18 (issuerAltName)
pub const ISSUER_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x12];
/// 2.5.29.19 (basicConstraints)
pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// 2.5.29.20 (cRLNumber)
pub const CRL_NUMBER: &[u8] = &[0x55, 0x1d, 0x14];
/// 2.5.29.21 (reasonCode)
pub const REASON_CODE: &[u8] = &[0x55, 0x1d, 0x15];
/// 2.5.29.24 (invalidityDate)
pub const INVALIDITY_DATE: &[u8] = &[0x55, 0x1d, 0x18];
/// 2.5.29.27 (deltaCRLIndicator)
pub const DELTA_CRL_INDICATOR: &[u8] = &[0x55, 0x1d, 0x1b];
/// 2.5.29.28 (issuingDistributionPoint)
pub const ISSUING_DISTRIBUTION_POINT: &[u8] = &[0x55, 0x1d, 0x1c];
/// 2.5.29.29 (certificateIssuer)
pub const CERTIFICATE_ISSUER: &[u8] = &[0x55, 0x1d, 0x1d];
/// 2.5.29.30 (nameConstraints)
pub const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x1e];
/// 2.5.29.31 (cRLDistributionPoints)
pub const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1d, 0x1f];
/// 2.5.29.32 (certificatePolicies)
pub const CERTIFICATE_POLICIES: &[u8] = &[0x55, 0x1d, 0x20];
/// 2.5.29.32.0 (anyPolicy)
pub const ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x20, 0x00];
/// 2.5.29.33 (policyMappings)
pub const POLICY_MAPPINGS: &[u8] = &[0x55, 0x1d, 0x21];
/// 2.5.29.35 (authorityKeyIdentifier)
pub const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
/// 2.5.29.36 (policyConstraints)
pub const POLICY_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x24];
/// 2.5.29.37 (extKeyUsage)
pub const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
/// 2.5.29.37.0 (anyExtendedKeyUsage)
pub const ANY_EKU: &[u8] = &[0x55, 0x1d, 0x25, 0x00];
/// 2.5.29.46 (freshestCRL)
pub const FRESHEST_CRL: &[u8] = &[0x55, 0x1d, 0x2e];
/// 2.5.29.54 (inhibitAnyPolicy)
pub const INHIBIT_ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x36];
/// 1.3.6.1.5.5.7.1.1 (authorityInfoAccess)
pub const AUTHORITY_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
/// 1.3.6.1.5.5.7.1.11 (subjectInfoAccess)
pub const SUBJECT_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b];
/// 1.3.6.1.5.5.7.3.1 (id-kp-serverAuth)
pub const KP_SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
/// 1.3.6.1.5.5.7.3.2 (id-kp-clientAuth)
pub const KP_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
/// 1.3.6.1.5.5.7.3.3 (id-kp-codeSigning)
pub const KP_CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];
/// 1.3.6.1.5.5.7.3.4 (id-kp-emailProtection)
pub const KP_EMAIL_PROTECTION: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04];
/// 1.3.6.1.5.5.7.3.8 (id-kp-timeStamping)
pub const KP_TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
/// 1.3.6.1.5.5.7.3.9 (id-kp-OCSPSigning)
pub const KP_OCSP_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09];
/// 1.3.6.1.5.5.7.48.1.1 (id-pkix-ocsp-basic)
pub const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];
/// 1.3.6.1.5.5.7.48.1.2 (id-pkix-ocsp-nonce)
pub const OCSP_NONCE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02];
/// 1.3.6.1.5.5.7.48.1.5 (id-pkix-ocsp-nocheck)
pub const OCSP_NOCHECK: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x05];
/// 1.3.14.3.2.26 (id-sha1)
pub const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// 2.16.840.1.101.3.4.2.1 (id-sha256)
pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// 2.16.840.1.101.3.4.2.2 (id-sha384)
pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// 2.16.840.1.101.3.4.2.3 (id-sha512)
pub const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// 2.5.4.3 (id-at-commonName)
pub const AT_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// 1.2.840.113549.1.9.1 (emailAddress)
pub const AT_EMAIL_ADDRESS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
/// 1.2.840.10045.2.1 (id-ecPublicKey)
pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.113549.1.1.1 (rsaEncryption)
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.113549.1.1.10 (id-RSASSA-PSS)
pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// 1.3.101.112 (id-Ed25519)
pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// 1.2.840.10040.4.1 (id-dsa)
pub const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
/// 1.2.156.10197.1.301 (sm2p256v1)
pub const CURVE_SM2: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
/// 1.2.840.10045.3.1.7 (secp256r1)
pub const CURVE_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.3.132.0.34 (secp384r1)
pub const CURVE_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// 1.3.132.0.35 (secp521r1)
pub const CURVE_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// 1.2.156.10197.1.501 (sm2sign-with-sm3)
pub const SM2_WITH_SM3: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];
/// 1.2.156.10197.1.502 (sm2sign-with-sha1)
pub const SM2_WITH_SHA1: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x76];
/// 1.2.156.10197.1.503 (sm2sign-with-sha256)
pub const SM2_WITH_SHA256: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x77];
/// 1.2.840.10040.4.3 (id-dsa-with-sha1)
pub const DSA_WITH_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03];
/// 2.16.840.1.101.3.4.3.1 (id-dsa-with-sha224)
pub const DSA_WITH_SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x01];
/// 2.16.840.1.101.3.4.3.2 (id-dsa-with-sha256)
pub const DSA_WITH_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02];
/// 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)
pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// 1.2.840.10045.4.3.3 (ecdsa-with-SHA384)
pub const ECDSA_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// 1.2.840.10045.4.3.4 (ecdsa-with-SHA512)
pub const ECDSA_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
/// 1.2.840.113549.1.1.5 (sha1WithRSAEncryption)
pub const SHA1_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)
pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// 1.2.840.113549.1.1.12 (sha384WithRSAEncryption)
pub const SHA384_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/// 1.2.840.113549.1.1.13 (sha512WithRSAEncryption)
pub const SHA512_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let o = Oid::parse("1.2.156.10197.1.501").unwrap();
        assert_eq!(o.as_bytes(), SM2_WITH_SM3);
        assert_eq!(o.to_string(), "1.2.156.10197.1.501");
        assert_eq!(dotted(ANY_POLICY), "2.5.29.32.0");
        assert!(Oid::parse("1.40").is_none());
        assert!(Oid::parse("1..2").is_none());
        assert!(Oid::parse("01.2").is_none());
        assert_eq!(
            Oid::from_purpose_name("serverAuth"),
            Oid::parse("1.3.6.1.5.5.7.3.1")
        );
        assert_eq!(
            Oid::from_purpose_name("OCSPSigning"),
            Oid::parse("1.3.6.1.5.5.7.3.9")
        );
        assert_eq!(Oid::from_purpose_name("serverauth"), None);
        for (bytes, text) in [
            (OCSP_BASIC, "1.3.6.1.5.5.7.48.1.1"),
            (OCSP_NONCE, "1.3.6.1.5.5.7.48.1.2"),
            (OCSP_NOCHECK, "1.3.6.1.5.5.7.48.1.5"),
            (SHA1, "1.3.14.3.2.26"),
            (SHA256, "2.16.840.1.101.3.4.2.1"),
            (SHA384, "2.16.840.1.101.3.4.2.2"),
            (SHA512, "2.16.840.1.101.3.4.2.3"),
        ] {
            assert_eq!(dotted(bytes), text);
        }
    }
}
