//! `huren tl`: build, sign, verify, show, compare and publish trust lists.
//!
//! | Command | Synopsis |
//! | --- | --- |
//! | build | `huren tl build SOURCE --key KEY --cert CERT -o LIST.xml [--previous PREV.xml] [--time RFC3339]` |
//! | verify | `huren tl verify LIST.xml --signer CERT... [--via POINTING.xml] [--pivot FILE]... [--time RFC3339] [--format json\|text]` |
//! | show | `huren tl show LIST.xml [--format json\|text]` |
//! | diff | `huren tl diff OLD.xml NEW.xml [--format json\|text]` |
//! | render | `huren tl render LIST.xml -o DIR [--signer CERT...] [--lang zh\|en\|both] [--time RFC3339]` |
//!
//! Exit codes: 64 (EX_USAGE) for bad usage and for input that cannot be read or parsed at
//! all (a missing file, a certificate or key file that is not one, a source that is not
//! TOML, a list given to `show`/`diff`/`render` that is not a trust list), and for output
//! that cannot be written. Otherwise:
//!
//! * `build`: 0 written; 1 the source does not make a valid list (a semantic error in the
//!   source, the issue time not before NextUpdate, the sequence number not above
//!   `--previous`'s, the key not matching the certificate).
//! * `verify`: 0 valid; 1 invalid, with the reason in the report (signature, unpinned signer
//!   with its SHA-256, a list past its NextUpdate at `--time` — "expired since …"; a closed
//!   list is valid —, a pivot or the `--via` list that does not verify, a list that is not
//!   even a trust list).
//! * `show`: 0.
//! * `diff`: as diff(1): 0 no differences, 1 differences.
//! * `render`: 0 written; 1 `--signer` given and the list does not verify.
//!
//! Usage errors print one line on stderr: `huren tl CMD: what is wrong`.

mod build;
mod inspect;
mod publish;
mod verify;

use super::EXIT_USAGE;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `huren tl`.
#[derive(Args, Debug)]
pub struct TlArgs {
    #[command(subcommand)]
    command: TlCommand,
}

#[derive(Subcommand, Debug)]
enum TlCommand {
    /// Build and sign a list from a TOML source; writes LIST.xml and LIST.xml.sha2.
    Build(build::BuildArgs),
    /// Verify a list against pinned signers (directly, through pivots, or via a pointing list).
    Verify(verify::VerifyArgs),
    /// Show a list's content (its signature is not checked).
    Show(inspect::ShowArgs),
    /// Compare two issues of a list (exit 0: none, 1: differences).
    Diff(inspect::DiffArgs),
    /// Write the public directory of licensed and approved CAs as static HTML.
    Render(publish::RenderArgs),
}

/// Runs `huren tl`; returns the exit code.
pub fn run(args: TlArgs) -> i32 {
    let (name, result) = match args.command {
        TlCommand::Build(a) => ("build", build::run(&a)),
        TlCommand::Verify(a) => ("verify", verify::run(&a)),
        TlCommand::Show(a) => ("show", inspect::show(&a)),
        TlCommand::Diff(a) => ("diff", inspect::diff(&a)),
        TlCommand::Render(a) => ("render", publish::run(&a)),
    };
    match result {
        Ok(code) => code,
        Err(Fail::Usage(msg)) => {
            eprintln!(
                "huren tl {name}: {}",
                terminal_safe(&msg).replace('\n', " ")
            );
            EXIT_USAGE
        }
        Err(Fail::Invalid(msg)) => {
            eprintln!(
                "huren tl {name}: {}",
                terminal_safe(&msg).replace('\n', " ")
            );
            1
        }
    }
}

/// Why a command stopped.
#[derive(Debug)]
enum Fail {
    /// Bad usage, unreadable or unparseable input, unwritable output: exit 64.
    Usage(String),
    /// The input is readable but refused: exit 1.
    Invalid(String),
}

/// The LIST positional and the `--signer` files. `--signer` takes several files after one
/// flag (`--signer keystore/*.der`), so a LIST written after it is parsed as one more signer:
/// when LIST is absent, the last `--signer` value is LIST.
fn list_and_signers<'a>(
    list: &'a Option<PathBuf>,
    signers: &'a [PathBuf],
) -> Result<(&'a PathBuf, &'a [PathBuf]), Fail> {
    match (list, signers.split_last()) {
        (Some(l), _) => Ok((l, signers)),
        (None, Some((l, rest))) if !rest.is_empty() => Ok((l, rest)),
        _ => Err(Fail::Usage(
            "the list to work on is missing (usage: huren tl verify LIST.xml --signer CERT...)"
                .into(),
        )),
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, Fail> {
    std::fs::read(path)
        .map_err(|e| Fail::Usage(format!("cannot read {what} file {}: {e}", path.display())))
}

/// DER certificates from a file: PEM with one or more, or one DER certificate. Each must
/// parse.
fn load_certs(path: &Path, what: &str) -> Result<Vec<Vec<u8>>, Fail> {
    let bytes = read(path, what)?;
    let ders = huren_validator::pem::decode_all(&bytes, huren_validator::pem::CERTIFICATE_LABELS)
        .map_err(|e| Fail::Usage(format!("{what} file {}: {e}", path.display())))?;
    if ders.is_empty() {
        return Err(Fail::Usage(format!(
            "{what} file {}: no certificate in it",
            path.display()
        )));
    }
    for (i, d) in ders.iter().enumerate() {
        huren_validator::Certificate::from_der(d).map_err(|e| {
            Fail::Usage(format!(
                "{what} file {}: certificate {} is malformed: {e}",
                path.display(),
                i + 1
            ))
        })?;
    }
    Ok(ders)
}

/// `--time`, else now.
fn time_arg(t: &Option<String>) -> Result<i64, Fail> {
    match t {
        Some(t) => huren_validator::parse_rfc3339(t)
            .ok_or_else(|| Fail::Usage(format!("--time {t:?} is not an RFC 3339 time"))),
        None => Ok(now()),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use aws_lc_rs::digest::{SHA256, digest};
    huren_validator::cert::hex(digest(&SHA256, bytes).as_ref())
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced, then renamed
/// over it. On failure the temporary file is removed and `path` is untouched.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let tmp = temp_beside(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Fail::Usage(format!("cannot write {}: {e}", path.display()))
    })
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = format!(".{name}.tmp-{}", std::process::id());
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

/// Text for a terminal: control characters that list content may carry (escape sequences,
/// carriage returns) are shown as `\u{..}` escapes; line feeds are kept.
fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\n' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn print_json(v: &serde_json::Value) {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    print!("{s}");
}

/// The subject of a DER certificate, for messages.
fn subject_of(der: &[u8]) -> String {
    huren_validator::Certificate::from_der(der)
        .map(|c| c.subject().display().to_string())
        .unwrap_or_else(|_| "(unparseable certificate)".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_safe_escapes_control_characters_but_line_feeds() {
        assert_eq!(
            super::terminal_safe("a\u{1b}[31mb\rc\nd"),
            "a\\u{1b}[31mb\\u{d}c\nd"
        );
    }
}
