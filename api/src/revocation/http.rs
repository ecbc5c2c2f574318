//! Fetching CRLs and OCSP responses over http(s) with reqwest: one timeout over connect and
//! the whole body, a size cap, redirects only to http(s) and never from https down to http.

use crate::config::RevocationConfig;
use crate::error_chain;
use std::time::Duration;

/// The most redirects followed.
const MAX_REDIRECTS: usize = 3;

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FetchError {
    /// The timeout passed (connect or body).
    Timeout(u64),
    /// No connection (refused, DNS, TLS).
    Connect(String),
    /// A status other than 200.
    Status(u16),
    /// Over the size cap.
    TooLarge(usize),
    /// A redirect that was refused.
    Redirect(String),
    /// Not an http(s) URL.
    Scheme(String),
    /// Anything else (the body broke off, …).
    Other(String),
}

impl FetchError {
    /// A short label for metrics.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            FetchError::Timeout(_) => "timeout",
            FetchError::Connect(_) => "connect",
            FetchError::Status(_) => "http_status",
            FetchError::TooLarge(_) => "too_large",
            FetchError::Redirect(_) => "redirect",
            FetchError::Scheme(_) => "scheme",
            FetchError::Other(_) => "transport",
        }
    }

    /// Whether the server is unreachable or overloaded (then it is not asked again for any
    /// certificate until the negative-cache time passes).
    pub(crate) fn server_down(&self) -> bool {
        match self {
            FetchError::Timeout(_) | FetchError::Connect(_) => true,
            FetchError::Status(s) => *s >= 500,
            _ => false,
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Timeout(ms) => write!(f, "no complete answer within {ms} ms"),
            FetchError::Connect(e) => write!(f, "cannot connect: {e}"),
            FetchError::Status(s) => write!(f, "HTTP {s}"),
            FetchError::TooLarge(max) => {
                write!(f, "the response is larger than the {max} bytes accepted")
            }
            FetchError::Redirect(e) => write!(f, "redirect refused: {e}"),
            FetchError::Scheme(e) => f.write_str(e),
            FetchError::Other(e) => f.write_str(e),
        }
    }
}

/// The HTTP side of online revocation.
#[derive(Clone, Debug)]
pub(crate) struct Http {
    client: reqwest::Client,
    timeout: Duration,
    timeout_ms: u64,
    max_bytes: usize,
}

impl Http {
    /// A client with the limits of `cfg`.
    pub(crate) fn new(cfg: &RevocationConfig) -> Result<Http, String> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let next = attempt.url().scheme().to_string();
            let downgrade = attempt
                .previous()
                .last()
                .is_some_and(|p| p.scheme() == "https")
                && next == "http";
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if next != "http" && next != "https" {
                attempt.error(format!("a redirect to a {next}: URL (http and https only)"))
            } else if downgrade {
                attempt.error("a redirect from https to http")
            } else {
                attempt.follow()
            }
        });
        let timeout_ms = cfg.timeout_ms.max(1);
        let timeout = Duration::from_millis(timeout_ms);
        let client = reqwest::Client::builder()
            .redirect(policy)
            .user_agent(concat!("huren/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout)
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Http {
            client,
            timeout,
            timeout_ms,
            max_bytes: cfg.max_bytes.max(1),
        })
    }

    fn parse(url: &str) -> Result<reqwest::Url, FetchError> {
        let u =
            reqwest::Url::parse(url).map_err(|e| FetchError::Scheme(format!("not a URL: {e}")))?;
        if u.scheme() != "http" && u.scheme() != "https" {
            return Err(FetchError::Scheme(format!(
                "a {}: URL (http and https only)",
                u.scheme()
            )));
        }
        if u.host_str().is_none_or(str::is_empty) {
            return Err(FetchError::Scheme("the URL names no host".into()));
        }
        Ok(u)
    }

    fn classify(&self, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.timeout_ms)
        } else if e.is_redirect() {
            FetchError::Redirect(error_chain(e))
        } else if e.is_connect() {
            FetchError::Connect(error_chain(e))
        } else {
            FetchError::Other(error_chain(e))
        }
    }

    /// GET `url` (a CRL).
    pub(crate) async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let u = Self::parse(url)?;
        let req = self
            .client
            .get(u)
            .header(reqwest::header::ACCEPT, "application/pkix-crl, */*");
        self.send(req).await
    }

    /// The GET URL of an OCSP request (RFC 6960 Appendix A.1): `url`, a `/` when it does
    /// not end with one, then the URL-encoded base64 of the request's DER.
    pub(crate) fn ocsp_get_url(url: &str, request: &[u8]) -> String {
        use base64ct::Encoding as _;
        let b64 = base64ct::Base64::encode_string(request);
        let mut out = String::with_capacity(url.len() + 1 + b64.len() * 3 / 2);
        out.push_str(url);
        if !url.ends_with('/') {
            out.push('/');
        }
        for c in b64.chars() {
            match c {
                '+' => out.push_str("%2B"),
                '/' => out.push_str("%2F"),
                '=' => out.push_str("%3D"),
                c => out.push(c),
            }
        }
        out
    }

    /// GETs an OCSP response at `url` as made by [`Http::ocsp_get_url`] (RFC 5019 §5: what
    /// HTTP caches between the service and the responder can keep).
    pub(crate) async fn get_ocsp(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let u = Self::parse(url)?;
        let req = self
            .client
            .get(u)
            .header(reqwest::header::ACCEPT, "application/ocsp-response");
        self.send(req).await
    }

    /// POSTs an OCSP request to `url` (RFC 6960 Appendix A.1).
    pub(crate) async fn post_ocsp(&self, url: &str, body: Vec<u8>) -> Result<Vec<u8>, FetchError> {
        let u = Self::parse(url)?;
        let req = self
            .client
            .post(u)
            .header(reqwest::header::CONTENT_TYPE, "application/ocsp-request")
            .header(reqwest::header::ACCEPT, "application/ocsp-response")
            .body(body);
        self.send(req).await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>, FetchError> {
        let work = async {
            let resp = req
                .timeout(self.timeout)
                .send()
                .await
                .map_err(|e| self.classify(&e))?;
            let status = resp.status();
            if status != reqwest::StatusCode::OK {
                return Err(FetchError::Status(status.as_u16()));
            }
            self.read_capped(resp).await
        };
        // reqwest's timeout covers the body too; this one bounds everything else.
        match tokio::time::timeout(self.timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout(self.timeout_ms)),
        }
    }

    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let max = self.max_bytes;
        if let Some(n) = resp.content_length()
            && n > max as u64
        {
            return Err(FetchError::TooLarge(max));
        }
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.classify(&e))? {
            if out.len() + chunk.len() > max {
                return Err(FetchError::TooLarge(max));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocsp_get_urls() {
        // Base64 "+/=" are escaped; a `/` joins the responder URL and the request.
        let req = [0xfb, 0xff, 0xfe];
        assert_eq!(
            Http::ocsp_get_url("http://ocsp.example", &req),
            "http://ocsp.example/%2B%2F%2F%2B"
        );
        assert_eq!(
            Http::ocsp_get_url("http://ocsp.example/ca/", &[0x30, 0x00]),
            "http://ocsp.example/ca/MAA%3D"
        );
    }

    #[test]
    fn only_http_and_https() {
        assert!(Http::parse("http://crl.example/ca.crl").is_ok());
        assert!(Http::parse("https://ocsp.example/").is_ok());
        assert!(matches!(
            Http::parse("ldap://ldap.example/cn=CA?certificateRevocationList"),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(
            Http::parse("file:///etc/passwd"),
            Err(FetchError::Scheme(_))
        ));
        assert!(FetchError::Timeout(5).server_down());
        assert!(FetchError::Status(503).server_down());
        assert!(!FetchError::Status(404).server_down());
        assert!(!FetchError::TooLarge(5).server_down());
    }
}
