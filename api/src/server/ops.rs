//! Operations: `/livez`, `/readyz`, `/metrics`, `POST /v1/admin/refresh`.

use super::problem::{Problem, ProblemKind};
use super::state::AppState;
use aws_lc_rs::digest;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use huren_validator::fmt_time;
use serde_json::{Value, json};

/// Alive: the process answers.
#[utoipa::path(
    get,
    path = "/livez",
    tag = "operations",
    responses((status = 200, description = "Alive", body = Object))
)]
pub async fn livez() -> Json<Value> {
    Json(json!({"status": "alive"}))
}

/// Ready: a verified snapshot is loaded and usable now (not past NextUpdate + grace).
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Object),
        (status = 503, description = "NOT_READY", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    let now = state.clock.now();
    match state.trust.load().as_ref() {
        None => Err(
            Problem::new(ProblemKind::NotReady, "no verified trust list is loaded yet")
                .retry_after(5),
        ),
        Some(l) if !l.usable_at(now) => Err(Problem::new(
            ProblemKind::NotReady,
            format!(
                "the trust snapshot {} was usable until {}; every answer is INDETERMINATE TRUST_LIST_EXPIRED until a newer list verifies",
                l.snapshot.id(),
                l.usable_until.map(fmt_time).unwrap_or_default()
            ),
        )
        .retry_after(60)),
        Some(l) => Ok(Json(json!({
            "status": "ready",
            "snapshotId": l.snapshot.id(),
            "usableUntil": l.usable_until.map(fmt_time),
        }))),
    }
}

/// Prometheus metrics (OpenMetrics text).
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Metrics", body = String, content_type = "application/openmetrics-text"))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render();
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

/// Starts a refresh of every trust-list source (`Authorization: Bearer <admin_token>`).
/// Without a configured token the endpoint does not exist (404).
#[utoipa::path(
    post,
    path = "/v1/admin/refresh",
    tag = "operations",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Refresh started", body = Object),
        (status = 401, description = "UNAUTHORIZED (no bearer token)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "FORBIDDEN (wrong token)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "NOT_FOUND (no admin token configured)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn admin_refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let Some(expected) = state
        .config
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return Err(Problem::new(
            ProblemKind::NotFound,
            "the admin endpoint is disabled (no admin_token is configured)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(given) = given else {
        return Err(Problem::new(
            ProblemKind::Unauthorized,
            "send Authorization: Bearer <admin token>",
        ));
    };
    // Compare digests, so that the comparison's time says nothing about the token.
    let a = digest::digest(&digest::SHA256, given.as_bytes());
    let b = digest::digest(&digest::SHA256, expected.as_bytes());
    if a.as_ref() != b.as_ref() {
        tracing::warn!("admin refresh refused: wrong token");
        return Err(Problem::new(
            ProblemKind::Forbidden,
            "the token is not valid",
        ));
    }
    state.refresh.trigger();
    tracing::info!("admin refresh started");
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"status": "refresh started"})),
    )
        .into_response())
}
