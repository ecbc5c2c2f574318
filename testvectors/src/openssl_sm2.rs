//! An SM2 chain made by the OpenSSL command-line tool, as an interoperability
//! fixture independent of this crate's own certificate code.
//!
//! OpenSSL 3.0 signs and verifies SM2 with an *empty* distinguishing ID unless
//! told otherwise, so every signing step passes
//! `-sigopt distid:1234567812345678` and every step that checks a request's
//! self-signature passes `-vfyopt distid:1234567812345678`.

use std::fs;
use std::io;
use std::path::Path;
use std::process::Command;

/// The `-sigopt` / `-vfyopt` / `-rsigopt` value that makes OpenSSL 3 sign and verify SM2
/// over the GM/T 0009 default distinguishing ID (it uses an empty ID otherwise).
pub const SM2_DISTID: &str = "distid:1234567812345678";

const DISTID: &str = SM2_DISTID;

const CONFIG: &str = "\
[req]
distinguished_name = dn
prompt = no

[dn]
CN = unused

[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 1.2.156.999001.1.1

[v3_leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 1.2.156.999001.1.1
";

/// Subject of the OpenSSL-made SM2 root.
pub const OPENSSL_SM2_ROOT_SUBJECT: &str =
    "/C=CN/O=Huren OpenSSL Interop/CN=Huren OpenSSL SM2 Root";
/// Subject of the OpenSSL-made SM2 issuing CA.
pub const OPENSSL_SM2_CA_SUBJECT: &str =
    "/C=CN/O=Huren OpenSSL Interop/CN=Huren OpenSSL SM2 Issuing CA";
/// Subject of the OpenSSL-made SM2 leaf.
pub const OPENSSL_SM2_LEAF_SUBJECT: &str = "/C=CN/O=Huren OpenSSL Interop/CN=Li Lei";

fn run(dir: &Path, args: &[&str]) -> io::Result<()> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot run `openssl` (is the OpenSSL 3 CLI installed?): {e}"),
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "`openssl {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// Writes a fresh SM2 private key (PKCS#8 PEM) to `dir/file` with `openssl genpkey`.
///
/// # Errors
///
/// When `openssl` cannot be run or fails.
pub fn openssl_sm2_key(dir: &Path, file: &str) -> io::Result<()> {
    run(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:SM2",
            "-out",
            file,
        ],
    )
}

fn gen_key(dir: &Path, file: &str) -> io::Result<()> {
    openssl_sm2_key(dir, file)
}

/// A certificate for `openssl` to make, SM2-with-SM3 over the GM/T 0009 ID, in a directory
/// that holds its key `NAME.key` (and its issuer's `ISSUER.pem` and `ISSUER.key`).
#[derive(Clone, Copy, Debug)]
pub struct Sm2Cert<'a> {
    /// Base name: the key is `NAME.key`, the certificate written `NAME.pem`.
    pub name: &'a str,
    /// The subject, in openssl's `/C=…/O=…/CN=…` form.
    pub subject: &'a str,
    /// The issuer's base name; `None`: self-signed.
    pub issuer: Option<&'a str>,
    /// An openssl configuration file in the directory, with `[req]` (distinguished_name,
    /// prompt = no), its DN section and `section`.
    pub config: &'a str,
    /// The extension section of `config` for the certificate.
    pub section: &'a str,
    /// Validity from now, days.
    pub days: &'a str,
    /// The serial number (`0x…`); `None`: openssl's random one.
    pub serial: Option<&'a str>,
}

/// Makes `c` with the openssl command-line tool (`req -x509` when self-signed, else
/// `req` then `x509 -req`), every signature over the GM/T 0009 ID.
///
/// # Errors
///
/// When `openssl` cannot be run or fails.
pub fn openssl_sm2_cert(dir: &Path, c: &Sm2Cert<'_>) -> io::Result<()> {
    let key = format!("{}.key", c.name);
    let pem = format!("{}.pem", c.name);
    let serial: Vec<&str> = c.serial.map(|s| vec!["-set_serial", s]).unwrap_or_default();
    let Some(ca) = c.issuer else {
        let mut args = vec![
            "req",
            "-new",
            "-x509",
            "-key",
            &key,
            "-sm3",
            "-sigopt",
            DISTID,
            "-subj",
            c.subject,
            "-days",
            c.days,
            "-config",
            c.config,
            "-extensions",
            c.section,
            "-out",
            &pem,
        ];
        args.extend(&serial);
        return run(dir, &args);
    };
    let csr = format!("{}.csr", c.name);
    run(
        dir,
        &[
            "req", "-new", "-key", &key, "-sm3", "-sigopt", DISTID, "-subj", c.subject, "-config",
            c.config, "-out", &csr,
        ],
    )?;
    let ca_pem = format!("{ca}.pem");
    let ca_key = format!("{ca}.key");
    let mut args = vec![
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca_pem,
        "-CAkey",
        &ca_key,
        "-sm3",
        "-sigopt",
        DISTID,
        "-vfyopt",
        DISTID,
        "-days",
        c.days,
        "-extfile",
        c.config,
        "-extensions",
        c.section,
        "-out",
        &pem,
    ];
    args.extend(&serial);
    run(dir, &args)
}

/// Issues `name.pem` for key `name.key` from a CSR, signed by `ca`.
fn issue(dir: &Path, name: &str, subject: &str, ca: &str, ext: &str, days: &str) -> io::Result<()> {
    openssl_sm2_cert(
        dir,
        &Sm2Cert {
            name,
            subject,
            issuer: Some(ca),
            config: "openssl.cnf",
            section: ext,
            days,
            serial: None,
        },
    )
}

/// Makes an SM2 root → SM2 issuing CA → SM2 leaf chain in `dir` with the
/// `openssl` command-line tool (OpenSSL 3).
///
/// Writes `anchor.pem` (self-signed root, CA:TRUE, keyCertSign+cRLSign),
/// `intermediates.pem` (the issuing CA, pathlen 0), `leaf.pem` (keyUsage
/// digitalSignature, critical; certificatePolicies 1.2.156.999001.1.1) and
/// `leaf.key` (the leaf's SM2 private key, PKCS#8 PEM). All signatures are
/// SM2-with-SM3 over the distinguishing ID `1234567812345678`. Keys, serial
/// numbers and validity are OpenSSL's: fresh random keys, validity starting
/// now (root 10 years, CA 5 years, leaf 1 year). Intermediate files are
/// removed.
///
/// # Errors
///
/// Returns an error when `dir` cannot be written or an `openssl` invocation
/// fails (including when `openssl` is not installed).
pub fn make_openssl_sm2_chain(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let work = dir.join(".openssl-sm2-work");
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    fs::create_dir_all(&work)?;
    let result = (|| {
        fs::write(work.join("openssl.cnf"), CONFIG)?;
        gen_key(&work, "root.key")?;
        openssl_sm2_cert(
            &work,
            &Sm2Cert {
                name: "root",
                subject: OPENSSL_SM2_ROOT_SUBJECT,
                issuer: None,
                config: "openssl.cnf",
                section: "v3_root",
                days: "3650",
                serial: None,
            },
        )?;
        gen_key(&work, "ca.key")?;
        issue(&work, "ca", OPENSSL_SM2_CA_SUBJECT, "root", "v3_ca", "1825")?;
        gen_key(&work, "leaf.key")?;
        issue(
            &work,
            "leaf",
            OPENSSL_SM2_LEAF_SUBJECT,
            "ca",
            "v3_leaf",
            "365",
        )?;
        fs::copy(work.join("root.pem"), dir.join("anchor.pem"))?;
        fs::copy(work.join("ca.pem"), dir.join("intermediates.pem"))?;
        fs::copy(work.join("leaf.pem"), dir.join("leaf.pem"))?;
        fs::copy(work.join("leaf.key"), dir.join("leaf.key"))?;
        Ok(())
    })();
    let cleanup = fs::remove_dir_all(&work);
    result.and(cleanup)
}
