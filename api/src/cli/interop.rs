//! `huren interop check`: a foreign CA's check, before going live, that its chains pass
//! under its approval (Art. 47–49), reporting every deviation. Exit 0 when every chain
//! passes, 1 when one does not, 64 on bad usage or unreadable input.

use super::EXIT_USAGE;
use super::validate::{UsageError, expired, load_certs, load_list, now};
use crate::interop::{ChainInput, InteropOptions, Lang, check};
use clap::{Args, Subcommand, ValueEnum};
use huren_validator::{AnchorSet, KeyUsageBit, Oid, PolicyInputs, Profile, parse_rfc3339};
use std::io::Write;
use std::path::PathBuf;

/// `huren interop ...`.
#[derive(Args, Debug)]
pub struct InteropArgs {
    #[command(subcommand)]
    command: InteropCommand,
}

#[derive(Subcommand, Debug)]
enum InteropCommand {
    /// Check chains under an approval and report every deviation.
    Check(CheckArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

/// Arguments of `huren interop check`.
#[derive(Args, Debug)]
struct CheckArgs {
    /// The chains: one PEM file each, end-entity certificate first, then its intermediates.
    #[arg(value_name = "CHAIN.pem", required = true)]
    chains: Vec<PathBuf>,
    /// MIIT's signed trust list.
    #[arg(long = "trust-list", value_name = "LIST.xml", requires = "signers")]
    trust_list: Option<PathBuf>,
    /// A certificate pinned as a signer of the --trust-list.
    #[arg(long = "signer", value_name = "CERT", requires = "trust_list")]
    signers: Vec<PathBuf>,
    /// A foreign scheme's list that the --trust-list points to.
    #[arg(
        long = "foreign-list",
        value_name = "LIST.xml",
        requires = "trust_list"
    )]
    foreign_lists: Vec<PathBuf>,
    /// Trust-anchor certificates instead of a trust list (no approval scope applies).
    #[arg(
        long = "anchor",
        value_name = "FILE",
        required_unless_present = "trust_list",
        conflicts_with = "trust_list"
    )]
    anchors: Vec<PathBuf>,
    /// The approval decision the chains must rest on (`MIIT-XB-2026-007`).
    #[arg(long, value_name = "DECISION-NO")]
    approval: Option<String>,
    /// A certificate policy OID the chains must be valid for (the certificate type).
    #[arg(long = "policy", value_name = "ID")]
    policies: Vec<String>,
    /// A key usage the end-entity certificates must allow.
    #[arg(long = "key-usage", value_name = "NAME")]
    key_usages: Vec<String>,
    /// An extended key usage the end-entity certificates must allow (OID, or serverAuth,
    /// clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning).
    #[arg(long = "eku", value_name = "OID")]
    ekus: Vec<String>,
    /// The validation time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Language of the HTML report.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `huren interop`.
pub fn run(args: InteropArgs) -> i32 {
    match args.command {
        InteropCommand::Check(a) => match run_check(&a) {
            Ok(code) => code,
            Err(UsageError(msg)) => {
                eprintln!("huren interop check: {msg}");
                EXIT_USAGE
            }
        },
    }
}

fn run_check(a: &CheckArgs) -> Result<i32, UsageError> {
    let time = match &a.time {
        Some(t) => parse_rfc3339(t)
            .ok_or_else(|| UsageError(format!("--time {t:?} is not an RFC 3339 time")))?,
        None => now(),
    };
    let mut opts = huren_validator::ValidationOptions::at(time);
    opts.profile = Profile::Rfc5280;
    if !a.policies.is_empty() {
        let set = a
            .policies
            .iter()
            .map(|p| {
                Oid::parse(p).ok_or_else(|| UsageError(format!("--policy {p:?} is not an OID")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        opts.policy = PolicyInputs {
            initial_policy_set: set,
            require_explicit_policy: true,
            ..PolicyInputs::default()
        };
    }
    for k in &a.key_usages {
        let bit = KeyUsageBit::from_name(k)
            .ok_or_else(|| UsageError(format!("--key-usage {k:?} is not a key usage name")))?;
        opts.key_usage.push(bit);
    }
    for e in &a.ekus {
        let oid = crate::server::policy::eku_oid(e)
            .ok_or_else(|| UsageError(format!("--eku {e:?} is not an OID or a known purpose")))?;
        opts.extended_key_usage.push(oid);
    }
    let mut chains = Vec::with_capacity(a.chains.len());
    for p in &a.chains {
        chains.push(ChainInput {
            name: p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into()),
            certs: load_certs(p, "chain")?,
        });
    }
    let mut anchors = AnchorSet::new();
    let trust = match &a.trust_list {
        Some(list) => {
            let s = load_list(list, &a.signers, &a.foreign_lists)?;
            if let Some(r) = expired(&s, time) {
                return Err(UsageError(r.message));
            }
            for x in s.anchors().iter() {
                anchors.add(x.clone());
            }
            let lists: Vec<String> = s
                .lists()
                .iter()
                .map(|l| format!("{} #{}", l.territory, l.sequence))
                .collect();
            format!("trust list {} ({})", lists.join(", "), s.id())
        }
        None => {
            for p in &a.anchors {
                for c in load_certs(p, "anchor")? {
                    anchors.add_certificate(c);
                }
            }
            format!("{} given anchor certificate(s)", anchors.len())
        }
    };
    let report = check(
        chains,
        &anchors,
        &InteropOptions {
            validation: opts,
            approval: a.approval.clone(),
            trust,
        },
    );
    let lang = match a.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let out = match a.format {
        Format::Text => report.to_text(),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Html => report.to_html(lang),
    };
    match &a.output {
        Some(path) => std::fs::write(path, out.as_bytes())
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
    Ok(if report.passed() { 0 } else { 1 })
}
