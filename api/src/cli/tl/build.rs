//! `huren tl build`: TOML source → signed list + `.sha2`.
//!
//! The `.sha2` file holds the SHA-256 of the list file as 64 lower-case hex digits and
//! nothing else — no file name, no newline. That is what the EU's trusted-list publishers
//! put beside their lists and what readers check: the Commission's DSS library decodes the
//! whole file as hex and compares it with the digest of the list
//! (`eu.europa.esig.dss.tsl.sha2`, "all known implementations use HEX encoded digest"); a
//! trailing newline would make that decoding fail.
//!
//! `--previous` is read **unverified**, for its sequence number only: it is our own
//! previously published file, and the check guards against publishing a number that does
//! not increase, not against a forged previous list (verify it with `tl verify` if in doubt).

use super::{Fail, load_certs, read, sha256_hex, time_arg, write_atomic};
use clap::Args;
use huren_trustlists::model::TrustList;
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::{Error, Limits, read_unverified};
use huren_validator::fmt_time;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// Arguments of `huren tl build`.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The TOML source of the list; certificate paths in it are relative to its directory.
    source: PathBuf,
    /// The signing key (PEM: PKCS#8, PKCS#1 or SEC 1; or DER). RSA ≥ 2048 bits, or EC P-256/P-384.
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// The signer certificate (PEM or DER), matching the key.
    #[arg(long, value_name = "CERT")]
    cert: PathBuf,
    /// Where to write the signed list; `<LIST>.sha2` is written beside it.
    #[arg(short = 'o', long = "output", value_name = "LIST.xml")]
    output: PathBuf,
    /// The previously published list: the new sequence number must be greater than its.
    #[arg(long, value_name = "PREV.xml")]
    previous: Option<PathBuf>,
    /// The signing time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
}

/// Runs `huren tl build`.
pub(super) fn run(a: &BuildArgs) -> Result<i32, Fail> {
    let signing_time = time_arg(&a.time)?;

    // The source.
    let bytes = read(&a.source, "source")?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Fail::Usage(format!("source file {} is not UTF-8", a.source.display())))?;
    if let Err(e) = toml::from_str::<toml::Table>(text) {
        return Err(Fail::Usage(format!(
            "source file {} is not TOML: {}",
            a.source.display(),
            e.to_string().lines().next().unwrap_or("").trim()
        )));
    }
    let source = huren_trustlists::parse_source(text)
        .map_err(|e| Fail::Invalid(format!("{}: {e}", a.source.display())))?;
    let base = match a.source.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let unreadable: RefCell<Option<String>> = RefCell::new(None);
    let resolve = |p: &str| -> Result<Vec<u8>, Error> {
        let path = base.join(p);
        std::fs::read(&path).map_err(|e| {
            let msg = format!("cannot read certificate file {}: {e}", path.display());
            *unreadable.borrow_mut() = Some(msg.clone());
            Error::Source {
                line: None,
                column: None,
                message: msg,
            }
        })
    };
    let list = match source.to_list(&resolve) {
        Ok(l) => l,
        Err(e) => {
            return Err(match unreadable.borrow_mut().take() {
                Some(msg) => Fail::Usage(format!("{}: {msg}", a.source.display())),
                None => Fail::Invalid(format!("{}: {e}", a.source.display())),
            });
        }
    };
    check_dates(&list, &a.source)?;

    // The previous list.
    if let Some(prev) = &a.previous {
        let pb = read(prev, "previous list")?;
        let p = read_unverified(&pb, &Limits::default()).map_err(|e| {
            Fail::Usage(format!(
                "previous list {} is not a readable trust list: {e}",
                prev.display()
            ))
        })?;
        if list.sequence <= p.sequence {
            return Err(Fail::Invalid(format!(
                "sequence number {} is not greater than the previous list's ({}, in {}); TSLSequenceNumber must increase with every issue",
                list.sequence,
                p.sequence,
                prev.display()
            )));
        }
    }

    // The signer.
    let key = load_key(&a.key)?;
    let certs = load_certs(&a.cert, "signer certificate")?;
    if certs.len() != 1 {
        return Err(Fail::Usage(format!(
            "signer certificate file {} holds {} certificates; give the signer's alone",
            a.cert.display(),
            certs.len()
        )));
    }
    let cert = certs.into_iter().next().unwrap_or_default();
    // A list signed outside its signer certificate's validity never verifies (the
    // certificate must be valid at the XAdES SigningTime).
    if let Ok(c) = huren_validator::Certificate::from_der(&cert)
        && (signing_time < c.not_before() || signing_time > c.not_after())
    {
        return Err(Fail::Invalid(format!(
            "the signer certificate {} ({}) is valid from {} to {}, not at the signing time {}",
            a.cert.display(),
            c.subject().display(),
            fmt_time(c.not_before()),
            fmt_time(c.not_after()),
            fmt_time(signing_time)
        )));
    }
    let signer = ListSigner::new(key, cert).map_err(|e| {
        Fail::Invalid(format!(
            "key {} and certificate {}: {e}",
            a.key.display(),
            a.cert.display()
        ))
    })?;

    // Write, sign, publish.
    let unsigned = huren_trustlists::write_list(&list).map_err(|e| Fail::Invalid(e.to_string()))?;
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let signed = sign_list(&unsigned, &signer, signing_time, &rng)
        .map_err(|e| Fail::Invalid(e.to_string()))?;
    let digest = sha256_hex(signed.as_bytes());
    let sha2_path = sha2_path(&a.output);
    write_atomic(&a.output, signed.as_bytes())?;
    write_atomic(&sha2_path, digest.as_bytes())?;

    let cas = list
        .services()
        .filter(|(_, s)| s.service_type.is_ca())
        .count();
    println!(
        "built {}: {} sequence {}, {} CA service{} of {} provider{}, issued {}, next update {}, sha256 {} (also in {})",
        a.output.display(),
        list.scheme_territory.as_deref().unwrap_or("?"),
        list.sequence,
        cas,
        if cas == 1 { "" } else { "s" },
        list.providers.len(),
        if list.providers.len() == 1 { "" } else { "s" },
        fmt_time(list.issued),
        list.next_update
            .map_or_else(|| "none (closed list)".to_string(), fmt_time),
        digest,
        sha2_path.display()
    );
    Ok(0)
}

/// `LIST.xml` → `LIST.xml.sha2`.
pub(super) fn sha2_path(list: &Path) -> PathBuf {
    let mut s = list.as_os_str().to_os_string();
    s.push(".sha2");
    PathBuf::from(s)
}

fn check_dates(list: &TrustList, source: &Path) -> Result<(), Fail> {
    if let Some(n) = list.next_update
        && n <= list.issued
    {
        return Err(Fail::Invalid(format!(
            "{}: the scheme's issue time {} is not before its next update {}",
            source.display(),
            fmt_time(list.issued),
            fmt_time(n)
        )));
    }
    Ok(())
}

/// A private key from PEM (the `… PRIVATE KEY` block; other blocks such as `EC PARAMETERS`
/// are skipped) or DER.
fn load_key(path: &Path) -> Result<SigningKey, Fail> {
    let bytes = read(path, "key")?;
    let bad = |e: Error| Fail::Usage(format!("key file {}: {e}", path.display()));
    if bytes.first() == Some(&0x30) {
        return SigningKey::from_der(&bytes).map_err(bad);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Fail::Usage(format!(
            "key file {} is neither PEM nor DER",
            path.display()
        ))
    })?;
    let block = pem_block(text, "PRIVATE KEY").ok_or_else(|| {
        Fail::Usage(format!(
            "key file {} holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)",
            path.display()
        ))
    })?;
    SigningKey::from_pem(block).map_err(bad)
}

/// The first PEM block whose label ends with `suffix`, BEGIN to END line.
fn pem_block<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find("-----BEGIN ") {
        let start = offset + i;
        let after = &text[start + 11..];
        let label_end = after.find("-----")?;
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let end = text[start..].find(&end_marker)? + start + end_marker.len();
        if label.ends_with(suffix) {
            return Some(&text[start..end]);
        }
        offset = end;
        rest = &text[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_block_skips_parameters() {
        let t = "-----BEGIN EC PARAMETERS-----\nBggq\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(
            pem_block(t, "PRIVATE KEY"),
            Some("-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----")
        );
        assert_eq!(pem_block("junk", "PRIVATE KEY"), None);
        assert_eq!(pem_block("-----BEGIN X", "PRIVATE KEY"), None);
        assert_eq!(
            sha2_path(Path::new("out/l.xml")),
            PathBuf::from("out/l.xml.sha2")
        );
    }
}
