//! `huren tl render`: the public directory of licensed and approved CAs (Art. 13, 49) as
//! static HTML files in a directory.
//!
//! With `--signer`, the list is verified first (at `--time`) and refused (exit 1) when it
//! does not verify; without, the pages carry a visible "signature not checked" banner.

use super::inspect::load_unverified;
use super::{Fail, load_certs, read, sha256_hex, subject_of, time_arg, write_atomic};
use clap::{Args, ValueEnum};
use huren_trustlists::render::{Lang, SignatureNote, render_directory};
use huren_trustlists::verify::{PinnedSigners, verify};
use std::path::{Component, Path, PathBuf};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Zh,
    En,
    Both,
}

/// Arguments of `huren tl render`.
#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The list. (Written after `--signer A B`, the last `--signer` value serves as LIST.)
    list: Option<PathBuf>,
    /// The directory to write (created if missing; existing files of the same names are
    /// replaced).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Pinned signer certificates (PEM with one or more, or DER): verify the list first.
    #[arg(long = "signer", value_name = "CERT", num_args = 1..)]
    signers: Vec<PathBuf>,
    /// The language of the pages: zh, en, or both (Chinese first).
    #[arg(long, value_enum, default_value = "both")]
    lang: LangArg,
    /// The time at which "status now" is stated, and the verification time (RFC 3339);
    /// default now.
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
}

/// Runs `huren tl render`.
pub(super) fn run(a: &RenderArgs) -> Result<i32, Fail> {
    let now = time_arg(&a.time)?;
    let lang = match a.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
        LangArg::Both => Lang::Both,
    };
    let (list_path, signers) = super::list_and_signers(&a.list, &a.signers)?;
    let (list, note) = if signers.is_empty() {
        (load_unverified(list_path)?.0, SignatureNote::NotChecked)
    } else {
        let bytes = read(list_path, "list")?;
        let mut certs = Vec::new();
        for p in signers {
            certs.extend(load_certs(p, "signer")?);
        }
        let pinned = PinnedSigners::new(certs).map_err(|e| Fail::Usage(e.to_string()))?;
        let v = verify(&bytes, &pinned, now).map_err(|e| {
            Fail::Invalid(format!(
                "refusing to render {}: it does not verify: {e}",
                list_path.display()
            ))
        })?;
        let note = SignatureNote::Verified {
            signer_subject: subject_of(v.signer()),
            signer_sha256: sha256_hex(v.signer()),
        };
        (v.list().clone(), note)
    };
    let files = render_directory(&list, now, lang, &note);
    let mut pages = 0usize;
    for (rel, html) in &files {
        let path = safe_join(&a.output, rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Fail::Usage(format!("cannot create directory {}: {e}", dir.display()))
            })?;
        }
        write_atomic(&path, html.as_bytes())?;
        pages += usize::from(rel != "index.html");
    }
    println!(
        "rendered {} into {}: index.html and {} CA page{}{}",
        list_path.display(),
        a.output.display(),
        pages,
        if pages == 1 { "" } else { "s" },
        match note {
            SignatureNote::NotChecked => " (signature not checked)",
            SignatureNote::Verified { .. } => " (signature verified)",
        }
    );
    Ok(0)
}

/// `dir/rel`, refusing anything in `rel` but plain names (the renderer makes only
/// `index.html` and `ca/<hex>.html`, but the directory is written from its output).
fn safe_join(dir: &Path, rel: &str) -> Result<PathBuf, Fail> {
    let p = Path::new(rel);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(dir.join(p))
    } else {
        Err(Fail::Usage(format!(
            "refusing to write outside the output directory: {rel}"
        )))
    }
}
