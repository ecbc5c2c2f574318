//! `huren tl verify`: is this list valid, signed by a pinned signer, and current at a time?
//!
//! The chain of trust, in order:
//!
//! 1. The `--signer` certificates (each file: one or more PEM certificates, or one DER
//!    certificate) are the starting signer set (e.g. an Official Journal set).
//! 2. With `--pivot` files, the pivot lists are followed in the order given, from that set
//!    (each verified at its own ListIssueDateTime; each one's self-pointer names the
//!    signers of the next), and the signers the last one names replace the set.
//! 3. With `--via POINTING.xml`, the pointing list is verified against the set at `--time`
//!    and must be current then (not past its NextUpdate; a closed list is current); LIST is
//!    then verified against the certificates it pins for LIST's territory. Without `--via`,
//!    LIST is verified against the set.
//! 4. LIST must be current at `--time`: past its NextUpdate it is INVALID ("expired since
//!    …"); a closed list (no NextUpdate) stays valid.
//!
//! JSON report fields (camelCase, stable): `valid`, `reason` (null when valid), `territory`,
//! `sequence`, `version`, `issued`, `nextUpdate` (null when closed), `closed`, `signer`
//! ({`sha256`, `subject`}, or null), `signatureAlgorithm` (the XMLDSig URI), `sha256` (of the
//! file), `via` ({`territory`, `sequence`} of the pointing list, or null), `pivots`
//! ([{`sequence`, `issued`}]), `providers`, `services` (counts), `verificationTime`. The list
//! facts are null unless the signature verified (an expired list still reports them).

use super::{
    Fail, Format, load_certs, print_json, read, sha256_hex, subject_of, terminal_safe, time_arg,
};
use clap::Args;
use huren_trustlists::Error;
use huren_trustlists::pointers::{MAX_PIVOTS, follow_pivots, verify_via};
use huren_trustlists::verify::{Freshness, PinnedSigners, VerifiedTrustList, verify};
use huren_validator::fmt_time;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Arguments of `huren tl verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The list to verify. (Written after `--signer A B`, it would be taken for a signer by
    /// the option parser; the last `--signer` value then serves as LIST.)
    list: Option<PathBuf>,
    /// Files of pinned signer certificates (each PEM with one or more, or DER): one or more
    /// after one --signer, and --signer may be repeated.
    #[arg(long = "signer", value_name = "CERT", num_args = 1.., required = true)]
    signers: Vec<PathBuf>,
    /// A list pointing to LIST (e.g. the EU LOTL): verified first, then LIST against the
    /// signers it pins for LIST's territory.
    #[arg(long, value_name = "POINTING.xml")]
    via: Option<PathBuf>,
    /// A pivot list, followed from the --signer set; repeat in sequence order.
    #[arg(long = "pivot", value_name = "FILE")]
    pivots: Vec<PathBuf>,
    /// The verification time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// What was found.
struct Outcome {
    reason: Option<String>,
    list: Option<VerifiedTrustList>,
    signer: Option<(String, String)>,
    via: Option<(String, u64)>,
    pivots: Vec<(u64, i64)>,
}

/// Runs `huren tl verify`.
pub(super) fn run(a: &VerifyArgs) -> Result<i32, Fail> {
    let time = time_arg(&a.time)?;
    if a.pivots.len() > MAX_PIVOTS {
        return Err(Fail::Usage(format!(
            "{} --pivot files; at most {MAX_PIVOTS} are followed",
            a.pivots.len()
        )));
    }
    let (list, signers) = super::list_and_signers(&a.list, &a.signers)?;
    // Read everything first: unreadable input is a usage error whatever the verdict.
    let bytes = read(list, "list")?;
    let mut start = Vec::new();
    for p in signers {
        start.extend(load_certs(p, "signer")?);
    }
    let pivots = a
        .pivots
        .iter()
        .map(|p| read(p, "pivot"))
        .collect::<Result<Vec<_>, _>>()?;
    let via = a
        .via
        .as_ref()
        .map(|p| read(p, "pointing list"))
        .transpose()?;
    let start = PinnedSigners::new(start).map_err(|e| Fail::Usage(e.to_string()))?;

    let outcome = check(a, &bytes, start, &pivots, via.as_deref(), time);
    let sha = sha256_hex(&bytes);
    match a.format {
        Format::Json => print_json(&json_report(&outcome, &sha, time)),
        Format::Text => print!("{}", terminal_safe(&text_report(&outcome, &sha, time))),
    }
    Ok(if outcome.reason.is_none() { 0 } else { 1 })
}

fn signer_of(e: &Error) -> Option<(String, String)> {
    match e {
        Error::SignerNotPinned {
            signer_sha256,
            subject,
        } => Some((signer_sha256.clone(), subject.clone())),
        _ => None,
    }
}

fn check(
    a: &VerifyArgs,
    bytes: &[u8],
    start: PinnedSigners,
    pivots: &[Vec<u8>],
    via: Option<&[u8]>,
    time: i64,
) -> Outcome {
    let mut out = Outcome {
        reason: None,
        list: None,
        signer: None,
        via: None,
        pivots: Vec::new(),
    };
    let mut signers = start;
    if !pivots.is_empty() {
        let refs: Vec<&[u8]> = pivots.iter().map(Vec::as_slice).collect();
        match follow_pivots(&signers, &refs) {
            Ok((verified, next)) => {
                out.pivots = verified
                    .iter()
                    .map(|v| (v.list().sequence, v.list().issued))
                    .collect();
                signers = next;
            }
            Err(e) => {
                out.reason = Some(format!("the pivot chain does not hold: {e}"));
                return out;
            }
        }
    }
    let result = match (via, &a.via) {
        (Some(vb), Some(vp)) => {
            let pointing = match verify(vb, &signers, time) {
                Ok(p) => p,
                Err(e) => {
                    out.reason = Some(format!(
                        "the pointing list {} does not verify: {e}",
                        vp.display()
                    ));
                    return out;
                }
            };
            out.via = Some((
                pointing.list().scheme_territory.clone().unwrap_or_default(),
                pointing.list().sequence,
            ));
            if let Freshness::Expired { next_update } = pointing.freshness(time) {
                out.reason = Some(format!(
                    "the pointing list {} expired since {} (its NextUpdate), before {}: the signers it pins may be out of date",
                    vp.display(),
                    fmt_time(next_update),
                    fmt_time(time)
                ));
                return out;
            }
            verify_via(bytes, &pointing, time)
        }
        _ => verify(bytes, &signers, time),
    };
    match result {
        Ok(v) => {
            out.signer = Some((sha256_hex(v.signer()), subject_of(v.signer())));
            if let Freshness::Expired { next_update } = v.freshness(time) {
                out.reason = Some(format!(
                    "expired since {} (its NextUpdate), before the verification time {}",
                    fmt_time(next_update),
                    fmt_time(time)
                ));
            }
            out.list = Some(v);
        }
        Err(e) => {
            out.signer = signer_of(&e);
            out.reason = Some(e.to_string());
        }
    }
    out
}

fn json_report(o: &Outcome, sha: &str, time: i64) -> Value {
    let l = o.list.as_ref().map(|v| v.list());
    json!({
        "valid": o.reason.is_none(),
        "reason": o.reason,
        "territory": l.and_then(|l| l.scheme_territory.clone()),
        "sequence": l.map(|l| l.sequence),
        "version": l.map(|l| l.version),
        "issued": l.map(|l| fmt_time(l.issued)),
        "nextUpdate": l.and_then(|l| l.next_update).map(fmt_time),
        "closed": l.is_some_and(|l| l.next_update.is_none()),
        "signer": o.signer.as_ref().map(|(s, subj)| json!({"sha256": s, "subject": subj})),
        "signatureAlgorithm": o.list.as_ref().map(|v| v.algorithm().uri()),
        "sha256": sha,
        "via": o.via.as_ref().map(|(t, s)| json!({"territory": t, "sequence": s})),
        "pivots": o.pivots.iter().map(|(s, i)| json!({"sequence": s, "issued": fmt_time(*i)})).collect::<Vec<_>>(),
        "providers": l.map(|l| l.providers.len()),
        "services": l.map(|l| l.services().count()),
        "verificationTime": fmt_time(time),
    })
}

fn text_report(o: &Outcome, sha: &str, time: i64) -> String {
    let mut s = String::new();
    match &o.reason {
        None => s.push_str("VALID"),
        Some(r) => {
            s.push_str("INVALID: ");
            s.push_str(r);
        }
    }
    s.push('\n');
    if let Some(v) = &o.list {
        let l = v.list();
        s.push_str(&format!(
            "  list: {} sequence {} (TSL version {}), issued {}, {}\n",
            l.scheme_territory.as_deref().unwrap_or("?"),
            l.sequence,
            l.version,
            fmt_time(l.issued),
            match l.next_update {
                Some(n) => format!("next update {}", fmt_time(n)),
                None => "closed (no further update)".to_string(),
            }
        ));
        s.push_str(&format!(
            "  content: {} providers, {} services\n",
            l.providers.len(),
            l.services().count()
        ));
    }
    if let Some((sha, subj)) = &o.signer {
        s.push_str(&format!("  signer: {subj} (sha256 {sha})\n"));
    }
    if let Some(v) = &o.list {
        s.push_str(&format!("  signature: {}\n", v.algorithm().uri()));
    }
    if let Some((t, seq)) = &o.via {
        s.push_str(&format!("  via: {t} sequence {seq}\n"));
    }
    if !o.pivots.is_empty() {
        let p: Vec<String> = o
            .pivots
            .iter()
            .map(|(q, i)| format!("{q} ({})", fmt_time(*i)))
            .collect();
        s.push_str(&format!("  pivots: {}\n", p.join(" → ")));
    }
    s.push_str(&format!("  file sha256: {sha}\n  at: {}\n", fmt_time(time)));
    s
}
