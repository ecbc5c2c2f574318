//! Rendering a validation [`Report`] as JSON (the API's result shape) or as text.

use huren_validator::{AnchorOutcome, PolicyOutcome, Report, fmt_time};
use serde_json::{Value, json};

/// The JSON form of a report: `status`, `code`, `message`, `validationTime`, `path`,
/// `checks`, `warnings`, `policies`, `revocation`, `validUntil`, `stats`, `anchor` (the
/// trust-list facts about the anchor, `null` when it has no regulatory scope).
pub fn report_json(r: &Report) -> Value {
    json!({
        "status": r.status.as_str(),
        "code": r.code.as_str(),
        "message": r.message,
        "validationTime": fmt_time(r.validation_time),
        "path": r.path.iter().map(|p| json!({
            "index": p.index,
            "sha256": &*p.sha256,
            "subject": &*p.subject,
            "issuer": &*p.issuer,
            "serial": p.serial,
            "notBefore": fmt_time(p.not_before),
            "notAfter": fmt_time(p.not_after),
            "source": p.source.as_str(),
        })).collect::<Vec<_>>(),
        "checks": r.checks.iter().map(|c| json!({
            "id": c.id,
            "certIndex": c.cert_index,
            "result": c.result.as_str(),
            "rule": c.rule,
            "code": c.code.as_str(),
            "message": c.message,
        })).collect::<Vec<_>>(),
        "warnings": r.warnings.iter().map(|w| json!({
            "code": w.code.as_str(),
            "certIndex": w.cert_index,
            "message": w.message,
        })).collect::<Vec<_>>(),
        "policies": match &r.policies {
            None => Value::Null,
            Some(PolicyOutcome::Any) => json!({"kind": "any"}),
            Some(PolicyOutcome::NoneRequired) => json!({"kind": "none-required"}),
            Some(PolicyOutcome::Policies(v)) => json!({"kind": "policies", "oids": v.iter().map(|o| o.to_string()).collect::<Vec<_>>()}),
        },
        "revocation": r.revocation.iter().map(|e| json!({
            "certIndex": e.cert_index,
            "outcome": e.outcome,
            "source": e.source,
            "thisUpdate": e.this_update.map(fmt_time),
            "nextUpdate": e.next_update.map(fmt_time),
            "detail": e.detail,
        })).collect::<Vec<_>>(),
        "validUntil": r.valid_until.map(fmt_time),
        "stats": {
            "signaturesVerified": r.stats.signatures_verified,
            "memoHits": r.stats.memo_hits,
            "candidatesTried": r.stats.candidates_tried,
            "pathsEvaluated": r.stats.paths_evaluated,
        },
        "anchor": r.anchor.as_ref().map_or(Value::Null, anchor_json),
    })
}

/// The `anchor` object: which trust-list entry the anchor is and its status at the
/// validation time and at the end entity's issuance.
fn anchor_json(a: &AnchorOutcome) -> Value {
    json!({
        "sha256": &*a.sha256,
        "kind": a.kind.as_str(),
        "label": a.label,
        "list": a.provenance.list,
        "territory": a.provenance.territory,
        "sequence": a.provenance.sequence,
        "service": a.provenance.service,
        "reference": a.provenance.reference,
        "licence": a.licence,
        "licenceExpires": a.licence_expires.map(fmt_time),
        "approval": a.approval,
        "approvalValidUntil": a.approval_valid_until.map(fmt_time),
        "statusAtValidationTime": a.status_at_validation_time,
        "statusSince": a.status_since.map(fmt_time),
        "statusAtIssuance": a.status_at_issuance,
        "leafIssued": fmt_time(a.leaf_issued),
        "successor": a.successor,
    })
}

/// A readable, multi-line explanation.
pub fn report_text(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", r.status, r.code);
    let _ = writeln!(s, "  {}", r.message);
    let _ = writeln!(s, "  validation time: {}", fmt_time(r.validation_time));
    if !r.path.is_empty() {
        let _ = writeln!(s, "path:");
        for p in &r.path {
            let _ = writeln!(
                s,
                "  [{}] {} ({}; serial {}; {} .. {}; sha256 {})",
                p.index,
                p.subject,
                p.source.as_str(),
                p.serial,
                fmt_time(p.not_before),
                fmt_time(p.not_after),
                &p.sha256[..16]
            );
        }
    }
    if !r.checks.is_empty() {
        let _ = writeln!(s, "checks:");
        for c in &r.checks {
            let at = c
                .cert_index
                .map_or("path".to_string(), |i| format!("[{i}]"));
            let _ = writeln!(
                s,
                "  {:<7} {:<18} {:<5} {} ({})",
                c.result.as_str(),
                c.id,
                at,
                c.message,
                c.rule
            );
        }
    }
    if let Some(a) = &r.anchor {
        let _ = writeln!(
            s,
            "anchor: {} {} on {} ({}){}{}; {} at the validation time{}, {} when the end entity was issued ({})",
            a.kind.as_str(),
            a.provenance.service,
            a.provenance.list,
            &a.sha256[..a.sha256.len().min(16)],
            a.licence.as_ref().map_or(String::new(), |l| format!(
                "; licence {l}{}",
                a.licence_expires
                    .map_or(String::new(), |e| format!(" until {}", fmt_time(e)))
            )),
            a.approval.as_ref().map_or(String::new(), |d| format!(
                "; approval {d}{}",
                a.approval_valid_until
                    .map_or(String::new(), |e| format!(" until {}", fmt_time(e)))
            )),
            a.status_at_validation_time,
            a.status_since
                .map_or(String::new(), |t| format!(" (since {})", fmt_time(t))),
            a.status_at_issuance,
            fmt_time(a.leaf_issued),
        );
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning {}: {}", w.code, w.message);
    }
    for e in &r.revocation {
        let _ = writeln!(
            s,
            "revocation [{}]: {} from {}{}",
            e.cert_index,
            e.outcome,
            e.source,
            e.detail
                .as_ref()
                .map_or(String::new(), |d| format!(" ({d})"))
        );
    }
    s
}

/// The `trustSnapshot` object: the snapshot id and each list it was built from.
pub fn snapshot_json(s: &huren_trustlists::snapshot::Snapshot) -> Value {
    json!({
        "id": s.id(),
        "lists": s.lists().iter().map(|l| json!({
            "territory": l.territory,
            "sequence": l.sequence,
            "issued": fmt_time(l.issued),
            "nextUpdate": l.next_update.map(fmt_time),
            "sha256": l.sha256,
            "signerSha256": l.signer_sha256,
            "anchors": l.anchors,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use huren_validator::{AnchorKind, Code, Provenance};

    fn report(anchor: Option<AnchorOutcome>) -> Report {
        Report {
            anchor,
            ..Report::decided(Code::AnchorNotTrustedAtTime, "withdrawn", 1_780_272_000)
        }
    }

    #[test]
    fn anchor_object() {
        assert_eq!(report_json(&report(None))["anchor"], Value::Null);
        let a = AnchorOutcome {
            sha256: "ab".repeat(32).into(),
            kind: AnchorKind::ForeignApproved,
            label: Some("entry".into()),
            provenance: Provenance {
                list: "CN #42".into(),
                territory: "CN".into(),
                sequence: 42,
                service: "Example CA".into(),
                reference: Some("MIIT-XB-2026-007".into()),
            },
            licence: None,
            licence_expires: None,
            approval: Some("MIIT-XB-2026-007".into()),
            approval_valid_until: Some(1_861_919_999),
            status_at_validation_time: "withdrawn".into(),
            status_since: Some(1_772_323_200),
            status_at_issuance: "granted".into(),
            leaf_issued: 1_768_003_200,
            successor: None,
        };
        let r = report(Some(a));
        let j = report_json(&r);
        let o = &j["anchor"];
        assert_eq!(o["kind"], "foreign-approved");
        assert_eq!(o["sha256"], "ab".repeat(32));
        assert_eq!(o["list"], "CN #42");
        assert_eq!(o["territory"], "CN");
        assert_eq!(o["sequence"], 42);
        assert_eq!(o["service"], "Example CA");
        assert_eq!(o["licence"], Value::Null);
        assert_eq!(o["approval"], "MIIT-XB-2026-007");
        assert_eq!(o["approvalValidUntil"], "2028-12-31T23:59:59Z");
        assert_eq!(o["statusAtValidationTime"], "withdrawn");
        assert_eq!(o["statusAtIssuance"], "granted");
        assert_eq!(o["statusSince"], "2026-03-01T00:00:00Z");
        let text = report_text(&r);
        assert!(
            text.contains("anchor: foreign-approved Example CA on CN #42"),
            "{text}"
        );
        assert!(text.contains("approval MIIT-XB-2026-007"), "{text}");
        assert!(
            text.contains("withdrawn at the validation time (since 2026-03-01T00:00:00Z), granted when the end entity was issued"),
            "{text}"
        );
    }
}
