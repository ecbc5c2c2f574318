//! Rendering a validation [`Report`] as JSON (the API's result shape) or as text.
//!
//! The JSON is written by [`ReportFields`] straight from the report into one buffer (no
//! intermediate `serde_json::Value`, no per-field strings): the service renders every fresh
//! answer, and that cost is on the path of every new certificate.

use crate::json::{Obj, Out, Time};
use huren_validator::{PolicyOutcome, Report, fmt_time};
use serde_json::{Value, json};

/// The JSON form of a report: `status`, `code`, `message`, `validationTime`, `path`,
/// `anchor`, `checks`, `revocation`, `warnings`, `policies`, `validUntil`, `stats` (`anchor`:
/// the trust-list facts about the anchor, `null` when it has no regulatory scope).
pub fn report_json(r: &Report) -> Value {
    let mut out = Out::with_capacity(8192);
    out.object(|o| {
        let f = ReportFields(r);
        f.head(o);
        f.body(o, Sections::ALL);
    });
    serde_json::from_slice(&out.into_bytes()).unwrap_or(Value::Null)
}

/// Which of a report's sections an answer carries (`include` in a request).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sections(u8);

impl Sections {
    /// The section names, in answer order.
    pub const NAMES: [&'static str; 7] = [
        "path",
        "anchor",
        "checks",
        "revocation",
        "warnings",
        "policies",
        "stats",
    ];

    /// Every section.
    pub const ALL: Sections = Sections(0x7f);

    /// The sections named (each one of [`Sections::NAMES`]); an unknown name is an error
    /// naming it.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Sections, String> {
        let mut bits = 0u8;
        for n in names {
            let n = n.as_ref();
            let i = Self::NAMES.iter().position(|k| *k == n).ok_or_else(|| {
                format!(
                    "unknown section {:?}; one of {}",
                    n.chars().take(40).collect::<String>(),
                    Self::NAMES.join(", ")
                )
            })?;
            bits |= 1 << i;
        }
        Ok(Sections(bits))
    }

    /// Whether section `name` is included.
    pub fn has(self, name: &str) -> bool {
        Self::NAMES
            .iter()
            .position(|k| *k == name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// The set as one byte (for cache keys).
    pub fn bits(self) -> u8 {
        self.0
    }
}

/// Writes a report's fields into a JSON object that a caller is building (the service adds
/// its own fields between the head and the body).
pub struct ReportFields<'a>(pub &'a Report);

impl ReportFields<'_> {
    /// `status`, `code`, `message`, `validationTime`.
    pub fn head(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.field("status", r.status.as_str())
            .field("code", r.code.as_str())
            .field("message", r.message.as_str())
            .field("validationTime", Time(r.validation_time));
    }

    /// `path`, `anchor`, `checks`, `revocation`, `warnings`, `policies`, `validUntil`,
    /// `stats`: the sections in `include` (`validUntil` always).
    pub fn body(&self, o: &mut Obj<'_>, include: Sections) {
        let r = self.0;
        let has = |i: usize| include.0 & (1 << i) != 0;
        if has(0) {
            self.path(o);
        }
        if has(1) {
            self.anchor(o);
        }
        if has(2) {
            self.checks(o);
        }
        if has(3) {
            self.revocation(o);
        }
        if has(4) {
            self.warnings(o);
        }
        if has(5) {
            self.policies(o);
        }
        o.field("validUntil", r.valid_until.map(Time));
        if has(6) {
            self.stats(o);
        }
    }

    fn path(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("path", |out| {
            out.array(r.path.iter().map(|p| {
                move |out: &mut Out| {
                    out.object(|e| {
                        e.field("index", p.index)
                            .field("sha256", &*p.sha256)
                            .field("subject", &*p.subject)
                            .field("issuer", &*p.issuer)
                            .field("serial", p.serial.as_str())
                            .field("notBefore", Time(p.not_before))
                            .field("notAfter", Time(p.not_after))
                            .field("source", p.source.as_str());
                    })
                }
            }))
        });
    }

    fn anchor(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("anchor", |out| match &r.anchor {
            None => out.raw("null"),
            Some(a) => out.object(|e| {
                e.field("sha256", &*a.sha256)
                    .field("kind", a.kind.as_str())
                    .field("label", a.label.as_deref())
                    .field("list", a.provenance.list.as_str())
                    .field("territory", a.provenance.territory.as_str())
                    .field("sequence", a.provenance.sequence)
                    .field("service", a.provenance.service.as_str())
                    .field("reference", a.provenance.reference.as_deref())
                    .field("licence", a.licence.as_deref())
                    .field("licenceExpires", a.licence_expires.map(Time))
                    .field("approval", a.approval.as_deref())
                    .field("approvalValidUntil", a.approval_valid_until.map(Time))
                    .field(
                        "statusAtValidationTime",
                        a.status_at_validation_time.as_str(),
                    )
                    .field("statusSince", a.status_since.map(Time))
                    .field("statusAtIssuance", a.status_at_issuance.as_str())
                    .field("leafIssued", Time(a.leaf_issued))
                    .field("successor", a.successor.as_deref());
            }),
        });
    }

    fn checks(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("checks", |out| {
            out.array(r.checks.iter().map(|c| {
                move |out: &mut Out| {
                    out.object(|e| {
                        e.field("id", c.id)
                            .field("certIndex", c.cert_index)
                            .field("result", c.result.as_str())
                            .field("rule", c.rule)
                            .field("code", c.code.as_str())
                            .field("message", &*c.message);
                    })
                }
            }))
        });
    }

    fn revocation(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("revocation", |out| {
            out.array(r.revocation.iter().map(|e| {
                move |out: &mut Out| {
                    out.object(|o| {
                        o.field("certIndex", e.cert_index)
                            .field("outcome", e.outcome)
                            .field("source", e.source.as_str())
                            .field("thisUpdate", e.this_update.map(Time))
                            .field("nextUpdate", e.next_update.map(Time))
                            .field("detail", e.detail.as_deref());
                    })
                }
            }))
        });
    }

    fn warnings(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("warnings", |out| {
            out.array(r.warnings.iter().map(|w| {
                move |out: &mut Out| {
                    out.object(|o| {
                        o.field("code", w.code.as_str())
                            .field("certIndex", w.cert_index)
                            .field("message", w.message.as_str());
                    })
                }
            }))
        });
    }

    fn policies(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("policies", |out| match &r.policies {
            None => out.raw("null"),
            Some(PolicyOutcome::Any) => out.object(|o| {
                o.field("kind", "any");
            }),
            Some(PolicyOutcome::NoneRequired) => out.object(|o| {
                o.field("kind", "none-required");
            }),
            Some(PolicyOutcome::Policies(v)) => out.object(|o| {
                o.field("kind", "policies").with("oids", |out| {
                    let oids: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                    out.array(oids.iter().map(String::as_str));
                });
            }),
        });
    }

    fn stats(&self, o: &mut Obj<'_>) {
        let r = self.0;
        o.with("stats", |out| {
            out.object(|o| {
                o.field("signaturesVerified", r.stats.signatures_verified)
                    .field("memoHits", r.stats.memo_hits)
                    .field("candidatesTried", r.stats.candidates_tried)
                    .field("pathsEvaluated", r.stats.paths_evaluated);
            })
        });
    }
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
    use huren_validator::{AnchorKind, AnchorOutcome, Code, Provenance};

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
