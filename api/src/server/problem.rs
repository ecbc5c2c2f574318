//! Request problems: RFC 9457 `application/problem+json` with a stable `code`
//! (`../design/api.md`, "Result codes", request problems).
//!
//! A validation *outcome* is never a problem: it is a 200 answer with a status and a code.
//! A problem means the request could not be answered. [`ProblemKind`] lists every kind, and
//! [`ProblemKind::status_and_code`] is the one mapping from kinds to HTTP statuses and codes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Why a request could not be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The body is not a valid request: bad JSON, a field of the wrong type, not a
    /// certificate, a private key (refused, never echoed), a bad parameter.
    InvalidRequest,
    /// The requested policy id is not offered (`/v1/policies`).
    UnknownPolicy,
    /// No such resource (an anchor digest not in the snapshot, an unknown path, a disabled
    /// admin endpoint).
    NotFound,
    /// The path exists, the method does not.
    MethodNotAllowed,
    /// The validation time cannot be answered for (in the future: the trust list for that
    /// time is not known yet).
    ValidationTimeUnsupported,
    /// The body, the chain or the batch is over a configured limit.
    PayloadTooLarge,
    /// Too many requests (answered with `Retry-After`).
    RateLimited,
    /// The admin endpoint was called without a bearer token.
    Unauthorized,
    /// The admin endpoint was called with a wrong token.
    Forbidden,
    /// No usable snapshot: the service cannot answer yet (`/readyz`).
    NotReady,
    /// The request took longer than the configured per-request time.
    Timeout,
    /// A bug or an unexpected failure: details are logged, never echoed.
    Internal,
}

impl ProblemKind {
    /// The one mapping from problem kinds to the HTTP status and the stable code.
    pub fn status_and_code(self) -> (StatusCode, &'static str) {
        match self {
            ProblemKind::InvalidRequest => (StatusCode::BAD_REQUEST, "INVALID_REQUEST"),
            ProblemKind::UnknownPolicy => (StatusCode::NOT_FOUND, "UNKNOWN_POLICY"),
            ProblemKind::NotFound => (StatusCode::NOT_FOUND, "NOT_FOUND"),
            ProblemKind::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
            ProblemKind::ValidationTimeUnsupported => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_TIME_UNSUPPORTED",
            ),
            ProblemKind::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE"),
            ProblemKind::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"),
            ProblemKind::Unauthorized => (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
            ProblemKind::Forbidden => (StatusCode::FORBIDDEN, "FORBIDDEN"),
            ProblemKind::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "NOT_READY"),
            ProblemKind::Timeout => (StatusCode::SERVICE_UNAVAILABLE, "REQUEST_TIMEOUT"),
            ProblemKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"),
        }
    }

    /// A short, human-readable summary of the kind (RFC 9457 `title`).
    pub fn title(self) -> &'static str {
        match self {
            ProblemKind::InvalidRequest => "The request is not valid",
            ProblemKind::UnknownPolicy => "Unknown validation policy",
            ProblemKind::NotFound => "Not found",
            ProblemKind::MethodNotAllowed => "Method not allowed",
            ProblemKind::ValidationTimeUnsupported => "Validation time not supported",
            ProblemKind::PayloadTooLarge => "Over a request limit",
            ProblemKind::RateLimited => "Too many requests",
            ProblemKind::Unauthorized => "Authentication required",
            ProblemKind::Forbidden => "Not allowed",
            ProblemKind::NotReady => "The service is not ready",
            ProblemKind::Timeout => "The request took too long",
            ProblemKind::Internal => "Internal error",
        }
    }
}

/// An RFC 9457 problem, as sent.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type (`urn:huren:problem:<code>`).
    #[serde(rename = "type")]
    pub type_: String,
    /// A short summary of the problem type.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What is wrong with this request. Never echoes a private key or internal details.
    pub detail: String,
    /// The stable code (`INVALID_REQUEST`, `UNKNOWN_POLICY`, …).
    pub code: &'static str,
    /// Seconds after which a retry may succeed (also sent as `Retry-After`).
    #[serde(rename = "retryAfter", skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of `kind` with `detail`.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        let (status, code) = kind.status_and_code();
        Problem {
            type_: format!("urn:huren:problem:{}", code.to_ascii_lowercase()),
            title: kind.title(),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            retry_after: None,
        }
    }

    /// 400 `INVALID_REQUEST`.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::InvalidRequest, detail)
    }

    /// 413 `PAYLOAD_TOO_LARGE`.
    pub fn too_large(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::PayloadTooLarge, detail)
    }

    /// 500 `INTERNAL_ERROR`: `cause` is logged, the answer says only that it happened.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Problem::new(
            ProblemKind::Internal,
            "an internal error occurred; it has been logged",
        )
    }

    /// With a `Retry-After` of `secs`.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// The HTTP status.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem as a JSON value (batch items carry it inline).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == 401 {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// What `serde_json` says about a body that does not deserialize, made safe to echo: quoted
/// input longer than 40 characters is elided (a wrongly placed key or certificate must not
/// come back in the answer), and the message is capped.
pub fn json_error_detail(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io | Category::Eof => "the body ends early",
        Category::Syntax => "the body is not JSON",
        Category::Data => "the body is JSON but not a valid request",
    };
    if e.classify() != Category::Data {
        return format!("{what} (line {}, column {})", e.line(), e.column());
    }
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or("");
    let mut out = String::new();
    let mut quoted = String::new();
    let mut open: Option<char> = None;
    for ch in msg.chars() {
        match open {
            Some(q) if ch == q => {
                if quoted.chars().count() > 40 {
                    out.push('…');
                } else {
                    out.push_str(&quoted);
                }
                out.push(ch);
                quoted.clear();
                open = None;
            }
            Some(_) => quoted.push(ch),
            None => {
                out.push(ch);
                if ch == '"' || ch == '`' {
                    open = Some(ch);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    let out: String = out.chars().take(300).collect();
    format!("{what}: {out} (line {}, column {})", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses() {
        let p = Problem::new(ProblemKind::UnknownPolicy, "x");
        assert_eq!((p.status, p.code), (404, "UNKNOWN_POLICY"));
        assert_eq!(p.type_, "urn:huren:problem:unknown_policy");
        let r = Problem::new(ProblemKind::RateLimited, "slow down")
            .retry_after(3)
            .into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
        assert_eq!(r.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
    }

    #[test]
    fn json_errors_do_not_echo_long_input() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            fresh: bool,
        }
        let secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        let body = format!(r#"{{"fresh": "{secret}"}}"#);
        let e = serde_json::from_str::<T>(&body).unwrap_err();
        let d = json_error_detail(&e);
        assert!(!d.contains(secret), "{d}");
        assert!(d.contains("invalid type"), "{d}");
        let e = serde_json::from_str::<T>("{").unwrap_err();
        assert!(json_error_detail(&e).starts_with("the body ends early"));
    }
}
