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

const DISTID: &str = "distid:1234567812345678";

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

fn gen_key(dir: &Path, file: &str) -> io::Result<()> {
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

/// Issues `name.pem` for key `name.key` from a CSR, signed by `ca`.
fn issue(dir: &Path, name: &str, subject: &str, ca: &str, ext: &str, days: &str) -> io::Result<()> {
    let key = format!("{name}.key");
    let csr = format!("{name}.csr");
    let pem = format!("{name}.pem");
    let ca_pem = format!("{ca}.pem");
    let ca_key = format!("{ca}.key");
    run(
        dir,
        &[
            "req",
            "-new",
            "-key",
            &key,
            "-sm3",
            "-sigopt",
            DISTID,
            "-subj",
            subject,
            "-config",
            "openssl.cnf",
            "-out",
            &csr,
        ],
    )?;
    run(
        dir,
        &[
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
            days,
            "-extfile",
            "openssl.cnf",
            "-extensions",
            ext,
            "-out",
            &pem,
        ],
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
        run(
            &work,
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                "root.key",
                "-sm3",
                "-sigopt",
                DISTID,
                "-subj",
                OPENSSL_SM2_ROOT_SUBJECT,
                "-days",
                "3650",
                "-config",
                "openssl.cnf",
                "-extensions",
                "v3_root",
                "-out",
                "root.pem",
            ],
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
