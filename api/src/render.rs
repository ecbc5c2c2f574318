//! Rendering a validation [`Report`] as JSON (the API's result shape) or as text.

use huren_validator::{PolicyOutcome, Report, fmt_time};
use serde_json::{Value, json};

/// The JSON form of a report: `status`, `code`, `message`, `validationTime`, `path`,
/// `checks`, `warnings`, `policies`, `revocation`, `validUntil`, `stats`.
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
