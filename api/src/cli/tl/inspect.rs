//! `huren tl show` and `huren tl diff`: reading lists without verifying them.
//!
//! `show` JSON fields: `signatureChecked` (always false), `sha256`, `territory`, `sequence`,
//! `version`, `operator`, `schemeName`, `issued`, `nextUpdate` (null when closed), `closed`,
//! `pointers` [{`territory`, `location`, `mimeType`, `signers` [sha256], `approval`}],
//! `providers` [{`name`, `services` [{`name`, `type`, `status`, `statusSince`,
//! `certificates` [sha256], `licence`, `approval`, `restrictions`, `policyOids`, `cpsUrl`,
//! `successor`, `history` [{`status`, `since`}]}]}].
//!
//! `diff` JSON fields: `identical`, `old` and `new` ({`territory`, `sequence`, `sha256`}),
//! `scheme` [{`field`, `from`, `to`, `text`}], `services` [{`change` (`added`, `removed`,
//! `changed`), `provider`, `name`, `type`, `certificates`, `licence`, `approval`,
//! `changes` [{`kind`, …, `text`}]}], `pointers` [{`change`, `territory`, `location`,
//! `signers`, `changes`}], `text` (the text form).

use super::{Fail, Format, print_json, read, sha256_hex, terminal_safe};
use clap::Args;
use huren_trustlists::diff::{
    self, ApprovalChange, Entry, LicenceChange, PointerChange, SchemeChange, ServiceChange,
    basis_label, scope_values,
};
use huren_trustlists::model::{
    Approval, DigitalIdentity, Licence, MultiLang, Restriction, Service, TrustList,
};
use huren_trustlists::{Limits, read_unverified};
use huren_validator::fmt_time;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Arguments of `huren tl show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The list.
    list: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Arguments of `huren tl diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older list.
    old: PathBuf,
    /// The newer list.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Reads a list without verifying it; anything unreadable is a usage error.
pub(super) fn load_unverified(path: &Path) -> Result<(TrustList, String), Fail> {
    let bytes = read(path, "list")?;
    let list = read_unverified(&bytes, &Limits::default()).map_err(|e| {
        Fail::Usage(format!(
            "{} is not a readable trust list: {e}",
            path.display()
        ))
    })?;
    Ok((list, sha256_hex(&bytes)))
}

/// The English (else first) text; line breaks become spaces so that one name stays on one
/// line of the text forms.
fn name(m: &MultiLang) -> String {
    m.get("en").unwrap_or("").replace(['\n', '\r'], " ")
}

fn names(m: &MultiLang) -> Value {
    Value::Array(
        m.0.iter()
            .map(|(l, t)| json!({"lang": l, "text": t}))
            .collect(),
    )
}

fn cert_hashes(ids: &[DigitalIdentity]) -> Vec<String> {
    ids.iter()
        .filter_map(|i| match i {
            DigitalIdentity::Certificate(c) => Some(sha256_hex(c)),
            _ => None,
        })
        .collect()
}

fn licence_json(l: &Licence) -> Value {
    json!({
        "number": l.number,
        "issuingAuthority": l.issuing_authority,
        "issued": fmt_time(l.issued),
        "expires": fmt_time(l.expires),
    })
}

fn approval_json(a: &Approval) -> Value {
    use huren_trustlists::diff::ScopeItem as S;
    json!({
        "decision": a.decision,
        "decided": fmt_time(a.decided),
        "basis": basis_label(&a.basis),
        "jurisdiction": a.jurisdiction,
        "validFrom": fmt_time(a.valid_from),
        "validUntil": fmt_time(a.valid_until),
        "policyOids": scope_values(a, S::PolicyOids),
        "algorithms": scope_values(a, S::Algorithms),
        "keyUsages": scope_values(a, S::KeyUsages),
        "ekus": scope_values(a, S::Ekus),
    })
}

fn restriction_json(r: &Restriction) -> Value {
    json!({"from": fmt_time(r.from), "until": fmt_time(r.until), "reason": r.reason})
}

fn service_json(s: &Service) -> Value {
    let m = s.extensions.miit.clone().unwrap_or_default();
    json!({
        "name": name(&s.name),
        "names": names(&s.name),
        "type": s.service_type.label(),
        "status": s.status.label(),
        "statusSince": fmt_time(s.status_start),
        "certificates": cert_hashes(&s.identities),
        "licence": m.licence.as_ref().map(licence_json),
        "approval": m.approval.as_ref().map(approval_json),
        "restrictions": m.restrictions.iter().map(restriction_json).collect::<Vec<_>>(),
        "policyOids": m.policy_oids.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
        "cpsUrl": m.cps_url,
        "successor": diff::successor(s, name),
        "history": s.history.iter().map(|h| json!({
            "status": h.status.label(),
            "since": fmt_time(h.status_start),
        })).collect::<Vec<_>>(),
    })
}

fn show_json(l: &TrustList, sha: &str) -> Value {
    json!({
        "signatureChecked": false,
        "sha256": sha,
        "territory": l.scheme_territory,
        "sequence": l.sequence,
        "version": l.version,
        "operator": name(&l.operator),
        "schemeName": name(&l.scheme_name),
        "issued": fmt_time(l.issued),
        "nextUpdate": l.next_update.map(fmt_time),
        "closed": l.next_update.is_none(),
        "pointers": l.pointers.iter().map(|p| json!({
            "territory": p.territory,
            "location": p.location,
            "mimeType": p.mime_type,
            "signers": p.signers.iter().map(|c| sha256_hex(c)).collect::<Vec<_>>(),
            "approval": p.approval.as_ref().map(approval_json),
        })).collect::<Vec<_>>(),
        "providers": l.providers.iter().map(|p| json!({
            "name": name(&p.name),
            "names": names(&p.name),
            "services": p.services.iter().map(service_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn date(t: i64) -> String {
    let s = fmt_time(t);
    s.get(..10).unwrap_or(&s).to_string()
}

fn show_text(l: &TrustList, sha: &str) -> String {
    let mut s = String::new();
    let mut line = |x: String| {
        s.push_str(&x);
        s.push('\n');
    };
    line("trust list (signature not checked; use tl verify)".into());
    line(format!("  operator: {}", name(&l.operator)));
    line(format!(
        "  territory: {}   sequence: {}   version: {}",
        l.scheme_territory.as_deref().unwrap_or("?"),
        l.sequence,
        l.version
    ));
    line(format!(
        "  issued: {}   next update: {}",
        fmt_time(l.issued),
        l.next_update
            .map_or_else(|| "none (closed list)".to_string(), fmt_time)
    ));
    line(format!("  file sha256: {sha}"));
    line(format!("pointers ({}):", l.pointers.len()));
    for p in &l.pointers {
        let mut x = format!(
            "  {} {} ({} pinned signer{})",
            p.territory.as_deref().unwrap_or("?"),
            p.location,
            p.signers.len(),
            if p.signers.len() == 1 { "" } else { "s" }
        );
        if let Some(a) = &p.approval {
            x.push_str(&format!(
                "; approval {} valid {} to {}",
                a.decision,
                date(a.valid_from),
                date(a.valid_until)
            ));
        }
        line(x);
    }
    line(format!(
        "providers ({}), services ({}):",
        l.providers.len(),
        l.services().count()
    ));
    for p in &l.providers {
        line(format!("  {}", name(&p.name)));
        for sv in &p.services {
            line(format!(
                "    - {} [{}] {} since {}",
                name(&sv.name),
                sv.service_type.label(),
                sv.status.label(),
                fmt_time(sv.status_start)
            ));
            if let Some(c) = cert_hashes(&sv.identities).first() {
                line(format!("      certificate sha256 {c}"));
            }
            let Some(m) = &sv.extensions.miit else {
                if let Some(t) = &sv.extensions.taken_over_by {
                    line(format!("      taken over by {}", name(&t.tsp_name)));
                }
                continue;
            };
            if let Some(lc) = &m.licence {
                line(format!(
                    "      licence {} by {}, {} to {}",
                    lc.number,
                    lc.issuing_authority,
                    date(lc.issued),
                    date(lc.expires)
                ));
            }
            if let Some(a) = &m.approval {
                line(format!(
                    "      approval {} of {} ({}, {}), valid {} to {}",
                    a.decision,
                    date(a.decided),
                    basis_label(&a.basis),
                    a.jurisdiction,
                    date(a.valid_from),
                    date(a.valid_until)
                ));
                use huren_trustlists::diff::ScopeItem as S;
                for (label, item) in [
                    ("policies", S::PolicyOids),
                    ("algorithms", S::Algorithms),
                    ("key usages", S::KeyUsages),
                    ("EKUs", S::Ekus),
                ] {
                    let v = scope_values(a, item);
                    if !v.is_empty() {
                        line(format!("        {label}: {}", v.join(", ")));
                    }
                }
            }
            for r in &m.restrictions {
                line(format!(
                    "      restricted {} to {} ({})",
                    date(r.from),
                    date(r.until),
                    r.reason
                ));
            }
            if !m.policy_oids.is_empty() {
                let v: Vec<String> = m.policy_oids.iter().map(|o| o.to_string()).collect();
                line(format!("      filed policies: {}", v.join(", ")));
            }
            if let Some(c) = &m.cps_url {
                line(format!("      CPS: {c}"));
            }
            if let Some(su) = diff::successor(sv, name) {
                line(format!("      successor: {su}"));
            }
        }
    }
    s
}

/// Runs `huren tl show`.
pub(super) fn show(a: &ShowArgs) -> Result<i32, Fail> {
    let (list, sha) = load_unverified(&a.list)?;
    match a.format {
        Format::Json => print_json(&show_json(&list, &sha)),
        Format::Text => print!("{}", terminal_safe(&show_text(&list, &sha))),
    }
    Ok(0)
}

// ---------------------------------------------------------------------------------------
// diff

fn approval_change_json(c: &ApprovalChange) -> Value {
    let text = c.to_string();
    match c {
        ApprovalChange::Granted(a) => {
            json!({"kind": "approval", "change": "granted", "from": null, "to": approval_json(a), "text": text})
        }
        ApprovalChange::Withdrawn(a) => {
            json!({"kind": "approval", "change": "withdrawn", "from": approval_json(a), "to": null, "text": text})
        }
        ApprovalChange::Changed { from, to } => {
            json!({"kind": "approval", "change": "changed", "from": approval_json(from), "to": approval_json(to), "text": text})
        }
        ApprovalChange::Scope {
            item,
            added,
            removed,
        } => {
            json!({"kind": "scope", "item": item.name(), "added": added, "removed": removed, "text": text})
        }
    }
}

fn service_change_json(c: &ServiceChange) -> Value {
    let text = c.to_string();
    match c {
        ServiceChange::Type { from, to } => {
            json!({"kind": "type", "from": from.label(), "to": to.label(), "text": text})
        }
        ServiceChange::Name { from, to } => {
            json!({"kind": "name", "from": from, "to": to, "text": text})
        }
        ServiceChange::Certificates { added, removed } => {
            json!({"kind": "certificates", "added": added, "removed": removed, "text": text})
        }
        ServiceChange::Status { from, to, since } => {
            json!({"kind": "status", "from": from.label(), "to": to.label(), "since": fmt_time(*since), "text": text})
        }
        ServiceChange::Licence(l) => {
            let (change, from, to) = match l {
                LicenceChange::Granted(x) => ("granted", None, Some(x)),
                LicenceChange::Changed { from, to } => ("changed", Some(from), Some(to)),
                LicenceChange::Removed(x) => ("removed", Some(x), None),
            };
            json!({"kind": "licence", "change": change, "from": from.map(licence_json), "to": to.map(licence_json), "text": text})
        }
        ServiceChange::Approval(a) => approval_change_json(a),
        ServiceChange::Restrictions { added, removed } => json!({
            "kind": "restrictions",
            "added": added.iter().map(restriction_json).collect::<Vec<_>>(),
            "removed": removed.iter().map(restriction_json).collect::<Vec<_>>(),
            "text": text,
        }),
        ServiceChange::FiledPolicies { added, removed } => {
            json!({"kind": "filedPolicies", "added": added, "removed": removed, "text": text})
        }
        ServiceChange::Cps { from, to } => {
            json!({"kind": "cps", "from": from, "to": to, "text": text})
        }
        ServiceChange::Successor { from, to } => {
            json!({"kind": "successor", "from": from, "to": to, "text": text})
        }
        other => json!({"kind": "other", "text": other.to_string()}),
    }
}

fn pointer_change_json(c: &PointerChange) -> Value {
    let text = c.to_string();
    match c {
        PointerChange::Location { from, to } => {
            json!({"kind": "location", "from": from, "to": to, "text": text})
        }
        PointerChange::Signers { added, removed } => {
            json!({"kind": "signers", "added": added, "removed": removed, "text": text})
        }
        PointerChange::Approval(a) => approval_change_json(a),
        other => json!({"kind": "other", "text": other.to_string()}),
    }
}

fn scheme_change_json(c: &SchemeChange) -> Value {
    let text = c.to_string();
    let t = |x: &i64| Value::String(fmt_time(*x));
    let ot = |x: &Option<i64>| x.map_or(Value::Null, |x| Value::String(fmt_time(x)));
    let (field, from, to) = match c {
        SchemeChange::Version { from, to } => ("version", json!(from), json!(to)),
        SchemeChange::Sequence { from, to } => ("sequence", json!(from), json!(to)),
        SchemeChange::Issued { from, to } => ("issued", t(from), t(to)),
        SchemeChange::NextUpdate { from, to } => ("nextUpdate", ot(from), ot(to)),
        SchemeChange::Territory { from, to } => ("territory", json!(from), json!(to)),
        SchemeChange::Operator { from, to } => ("operator", json!(from), json!(to)),
        _ => ("other", Value::Null, Value::Null),
    };
    json!({"field": field, "from": from, "to": to, "text": text})
}

fn entry_name<C>(e: &Entry<C>) -> &'static str {
    match e {
        Entry::Added => "added",
        Entry::Removed => "removed",
        Entry::Changed(_) => "changed",
    }
}

/// The changes of a changed entry as JSON; none for an added or removed one.
fn entry_changes<C>(e: &Entry<C>, change_json: fn(&C) -> Value) -> Vec<Value> {
    match e {
        Entry::Changed(cs) => cs.iter().map(change_json).collect(),
        _ => Vec::new(),
    }
}

fn diff_json(
    d: &diff::Diff,
    (old, old_sha): (&TrustList, &str),
    (new, new_sha): (&TrustList, &str),
) -> Value {
    let side = |l: &TrustList, sha: &str| json!({"territory": l.scheme_territory, "sequence": l.sequence, "sha256": sha});
    json!({
        "identical": d.is_empty(),
        "old": side(old, old_sha),
        "new": side(new, new_sha),
        "scheme": d.scheme.iter().map(scheme_change_json).collect::<Vec<_>>(),
        "services": d.services.iter().map(|s| json!({
            "change": entry_name(&s.entry),
            "provider": s.service.provider,
            "name": s.service.name,
            "type": s.service.service_type.label(),
            "certificates": s.service.certificates,
            "licence": s.service.licence,
            "approval": s.service.approval,
            "changes": entry_changes(&s.entry, service_change_json),
        })).collect::<Vec<_>>(),
        "pointers": d.pointers.iter().map(|p| json!({
            "change": entry_name(&p.entry),
            "territory": p.pointer.territory,
            "location": p.pointer.location,
            "signers": p.pointer.signers,
            "changes": entry_changes(&p.entry, pointer_change_json),
        })).collect::<Vec<_>>(),
        "text": d.to_string(),
    })
}

/// Runs `huren tl diff`: 0 no differences, 1 differences.
pub(super) fn diff(a: &DiffArgs) -> Result<i32, Fail> {
    let (old, old_sha) = load_unverified(&a.old)?;
    let (new, new_sha) = load_unverified(&a.new)?;
    let d = diff::diff(&old, &new);
    match a.format {
        Format::Json => print_json(&diff_json(&d, (&old, &old_sha), (&new, &new_sha))),
        Format::Text => {
            println!(
                "{} sequence {} → {} sequence {} (signatures not checked)",
                a.old.display(),
                old.sequence,
                a.new.display(),
                new.sequence
            );
            print!("{}", terminal_safe(&d.to_string()));
        }
    }
    Ok(if d.is_empty() { 0 } else { 1 })
}
