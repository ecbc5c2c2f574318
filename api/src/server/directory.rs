//! The read-only directory: `/v1/policies`, `/v1/anchors` and `/v1/trust-lists`.

use super::problem::{Problem, ProblemKind};
use super::state::{AppState, Loaded};
use axum::Json;
use axum::extract::{Path, Query, State};
use huren_validator::{Anchor, AnchorKind, AnchorScope, fmt_time, parse_rfc3339};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// A policy as `/v1/policies` lists it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PolicyInfo {
    /// The id requests name.
    id: String,
    /// Its version (part of the result-cache key).
    version: String,
    /// What it is for.
    description: String,
    /// `rfc5280` or `webpki`.
    profile: String,
    /// `require`, `prefer` or `off`.
    revocation: String,
    /// Acceptable certificate policies (empty: any).
    policy_oids: Vec<String>,
    /// Key usages required of the end entity.
    key_usages: Vec<String>,
    /// Extended key usages required of the end entity.
    ekus: Vec<String>,
}

fn policy_json(p: &super::policy::Policy) -> Value {
    let c = &p.config;
    json!({
        "id": c.id,
        "version": c.version,
        "description": c.description,
        "profile": c.profile,
        "revocation": c.revocation,
        "policyOids": c.policy_oids,
        "keyUsages": c.key_usages,
        "ekus": c.ekus,
    })
}

/// The validation policies offered.
#[utoipa::path(
    get,
    path = "/v1/policies",
    tag = "directory",
    responses((status = 200, description = "Every policy", body = Vec<PolicyInfo>))
)]
pub async fn policies(State(state): State<AppState>) -> Json<Value> {
    Json(Value::Array(
        state.policies.iter().map(|p| policy_json(p)).collect(),
    ))
}

/// One validation policy.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}",
    tag = "directory",
    params(("id" = String, Path, description = "The policy id")),
    responses(
        (status = 200, description = "The policy", body = PolicyInfo),
        (status = 404, description = "UNKNOWN_POLICY", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn policy(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    state
        .policies
        .get(&id)
        .map(|p| Json(policy_json(p)))
        .ok_or_else(|| {
            Problem::new(
                ProblemKind::UnknownPolicy,
                format!("no policy {:?}", id.chars().take(64).collect::<String>()),
            )
        })
}

/// `?at=` and `?all=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnchorQuery {
    /// The time (RFC 3339) at which anchors are judged in force; default now.
    pub at: Option<String>,
    /// List every anchor of the snapshot, in force or not (`inForce` says which).
    #[serde(default)]
    pub all: bool,
}

/// An anchor as the directory shows it.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct AnchorInfo {
    /// SHA-256 of the certificate, hex.
    sha256: String,
    /// The subject.
    subject: String,
    /// The certificate's notBefore.
    not_before: String,
    /// The certificate's notAfter.
    not_after: String,
    /// `domestic`, `foreign-approved`, `foreign-scheme`, or `configured` (no scope).
    kind: String,
    /// The anchor's label.
    label: Option<String>,
    /// The trust-list entry it comes from.
    #[schema(value_type = Option<Object>)]
    provenance: Option<Value>,
    /// The MIIT licence (domestic CAs, Art. 11).
    #[schema(value_type = Option<Object>)]
    licence: Option<Value>,
    /// The MIIT approval (foreign CAs and schemes, Art. 47–49).
    #[schema(value_type = Option<Object>)]
    approval: Option<Value>,
    /// The status at the requested time.
    #[schema(value_type = Object)]
    status_at: Value,
    /// The status history.
    #[schema(value_type = Vec<Object>)]
    history: Vec<Value>,
    /// Restriction periods (Art. 39).
    #[schema(value_type = Vec<Object>)]
    restrictions: Vec<Value>,
    /// The CA that took over the business (Art. 31).
    successor: Option<String>,
    /// Whether the anchor is trusted at the requested time.
    in_force: bool,
}

/// The anchor directory answer.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct AnchorList {
    /// The time anchors were judged at.
    at: String,
    /// The snapshot id.
    snapshot_id: String,
    /// The anchors.
    anchors: Vec<AnchorInfo>,
}

/// Whether an anchor is trusted at `t` as far as its own scope says (the checks that do
/// not depend on a chain: status granted, licence and approval in force, a foreign anchor
/// approved at all). An anchor without a scope is trusted as configured.
pub fn in_force(scope: Option<&AnchorScope>, t: i64) -> bool {
    let Some(s) = scope else { return true };
    let granted = s.status_at(t).is_some_and(|i| i.status.is_granted());
    let licence = s.licence.as_ref().is_none_or(|l| l.in_force(t));
    let approval = match (&s.approval, s.kind) {
        (Some(a), _) => a.in_force(t),
        (None, AnchorKind::Domestic) => true,
        (None, _) => false,
    };
    granted && licence && approval
}

fn anchor_json(a: &Anchor, t: i64) -> Value {
    let c = a.certificate();
    let scope = a.scope();
    let status = scope.and_then(|s| s.status_at(t));
    json!({
        "sha256": c.sha256_hex(),
        "subject": c.subject().display(),
        "notBefore": fmt_time(c.not_before()),
        "notAfter": fmt_time(c.not_after()),
        "kind": scope.map_or("configured", |s| s.kind.as_str()),
        "label": a.label(),
        "provenance": scope.map(|s| json!({
            "list": s.provenance.list,
            "territory": s.provenance.territory,
            "sequence": s.provenance.sequence,
            "service": s.provenance.service,
            "reference": s.provenance.reference,
        })),
        "licence": scope.and_then(|s| s.licence.as_ref()).map(|l| json!({
            "number": l.number,
            "issuingAuthority": l.issuing_authority,
            "issued": fmt_time(l.issued),
            "expires": fmt_time(l.expires),
            "inForce": l.in_force(t),
        })),
        "approval": scope.and_then(|s| s.approval.as_ref()).map(|p| json!({
            "decision": p.decision,
            "decided": fmt_time(p.decided),
            "validFrom": fmt_time(p.valid_from),
            "validUntil": fmt_time(p.valid_until),
            "inForce": p.in_force(t),
            "policyOids": p.policy_oids.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
            "algorithms": p.algorithms.iter().map(|r| json!({"family": r.family.as_str(), "minBits": r.min_bits})).collect::<Vec<_>>(),
            "keyUsages": p.key_usages.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "ekus": p.extended_key_usages.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
        })),
        "statusAt": match (scope, status) {
            (None, _) => json!({"status": "configured"}),
            (Some(_), None) => json!({"status": "not-listed"}),
            (Some(_), Some(i)) => json!({
                "status": i.status.as_str(),
                "since": fmt_time(i.from),
                "until": i.until.map(fmt_time),
            }),
        },
        "history": scope.map_or_else(Vec::new, |s| {
            let mut h: Vec<_> = s.history.iter().collect();
            h.sort_by_key(|i| i.from);
            h.iter().map(|i| json!({
                "from": fmt_time(i.from),
                "until": i.until.map(fmt_time),
                "status": i.status.as_str(),
            })).collect()
        }),
        "restrictions": scope.map_or_else(Vec::new, |s| s.restrictions.iter().map(|(f, u)| json!({
            "from": fmt_time(*f),
            "until": fmt_time(*u),
        })).collect()),
        "successor": scope.and_then(|s| s.successor.clone()),
        "inForce": in_force(scope, t),
    })
}

fn loaded(state: &AppState) -> Result<std::sync::Arc<Loaded>, Problem> {
    state.trust.load_full().ok_or_else(|| {
        Problem::new(
            ProblemKind::NotReady,
            "no verified trust list is loaded yet",
        )
        .retry_after(5)
    })
}

fn query_time(state: &AppState, q: &AnchorQuery) -> Result<i64, Problem> {
    match &q.at {
        None => Ok(state.clock.now()),
        Some(t) => parse_rfc3339(t).ok_or_else(|| {
            Problem::invalid(format!(
                "at {:?} is not an RFC 3339 time",
                t.chars().take(40).collect::<String>()
            ))
        }),
    }
}

/// The anchors in force (or, with `all=true`, every anchor) at a time.
#[utoipa::path(
    get,
    path = "/v1/anchors",
    tag = "directory",
    params(AnchorQuery),
    responses(
        (status = 200, description = "The anchors", body = AnchorList),
        (status = 400, description = "INVALID_REQUEST (a bad `at`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "NOT_READY", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn anchors(
    State(state): State<AppState>,
    q: Result<Query<AnchorQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, Problem> {
    let Query(q) = q.map_err(|e| Problem::invalid(format!("query: {}", e.body_text())))?;
    let t = query_time(&state, &q)?;
    let l = loaded(&state)?;
    let list: Vec<Value> = l
        .snapshot
        .anchors()
        .iter()
        .filter(|a| q.all || in_force(a.scope(), t))
        .map(|a| anchor_json(a, t))
        .collect();
    Ok(Json(json!({
        "at": fmt_time(t),
        "snapshotId": l.snapshot.id(),
        "anchors": list,
    })))
}

/// One anchor by the SHA-256 of its certificate.
#[utoipa::path(
    get,
    path = "/v1/anchors/{sha256}",
    tag = "directory",
    params(("sha256" = String, Path, description = "SHA-256 of the anchor certificate, hex"), AnchorQuery),
    responses(
        (status = 200, description = "The anchor", body = AnchorInfo),
        (status = 400, description = "INVALID_REQUEST", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "NOT_FOUND", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "NOT_READY", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn anchor(
    State(state): State<AppState>,
    Path(sha): Path<String>,
    q: Result<Query<AnchorQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, Problem> {
    let Query(q) = q.map_err(|e| Problem::invalid(format!("query: {}", e.body_text())))?;
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Problem::invalid(
            "the anchor is named by the SHA-256 of its certificate: 64 hex digits",
        ));
    }
    let sha = sha.to_ascii_lowercase();
    let t = query_time(&state, &q)?;
    let l = loaded(&state)?;
    l.snapshot
        .anchors()
        .iter()
        .find(|a| a.certificate().sha256_hex() == sha)
        .map(|a| Json(anchor_json(a, t)))
        .ok_or_else(|| {
            Problem::new(
                ProblemKind::NotFound,
                format!("no anchor {sha} in snapshot {}", l.snapshot.id()),
            )
        })
}

/// The loaded trust lists.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct TrustListsInfo {
    /// The snapshot (`null` until a list verified).
    #[schema(value_type = Option<Object>)]
    snapshot: Option<Value>,
    /// Each source: operator, territory, sequence, issued, NextUpdate, anchors, digests,
    /// last fetch and its error.
    #[schema(value_type = Vec<Object>)]
    lists: Vec<Value>,
    /// Every configured list, verified or not, with its last fetch and error (so that a
    /// service that never loaded a list says why).
    #[schema(value_type = Vec<Object>)]
    sources: Vec<Value>,
}

/// Each loaded list and the snapshot built from them.
#[utoipa::path(
    get,
    path = "/v1/trust-lists",
    tag = "directory",
    responses((status = 200, description = "The lists", body = TrustListsInfo))
)]
pub async fn trust_lists(State(state): State<AppState>) -> Json<Value> {
    let now = state.clock.now();
    let sources: Vec<Value> = state
        .refresh
        .sources()
        .into_iter()
        .map(|s| {
            json!({
                "name": s.name,
                "location": s.location,
                "verified": s.sequence.is_some(),
                "sequence": s.sequence,
                "lastFetch": s.last_fetch.map(fmt_time),
                "lastError": s.last_error,
            })
        })
        .collect();
    let Some(l) = state.trust.load_full() else {
        return Json(json!({"snapshot": null, "lists": [], "sources": sources}));
    };
    let id = l.snapshot.id();
    let lists: Vec<Value> = l
        .lists
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "location": s.location,
                "operator": s.operator,
                "territory": s.territory,
                "sequence": s.sequence,
                "issued": fmt_time(s.issued),
                "nextUpdate": s.next_update.map(fmt_time),
                "anchors": s.anchors,
                "sha256": s.sha256,
                "signerSha256": s.signer_sha256,
                "signature": "verified",
                "lastFetch": s.last_fetch.map(fmt_time),
                "lastError": s.last_error,
                "snapshotId": id,
            })
        })
        .collect();
    Json(json!({
        "snapshot": {
            "id": id,
            "loadedAt": fmt_time(l.loaded_at),
            "usableUntil": l.usable_until.map(fmt_time),
            "usable": l.usable_at(now),
            "anchors": l.snapshot.anchors().len(),
            "lists": render_lists(&l),
        },
        "lists": lists,
        "sources": sources,
    }))
}

fn render_lists(l: &Loaded) -> Value {
    crate::render::snapshot_json(&l.snapshot)["lists"].clone()
}
