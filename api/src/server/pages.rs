//! Server-rendered pages for people: `/` (what is here), `/directory` and
//! `/directory/{sha256}` (the licensed and approved CAs of the verified list, the same
//! templates as `huren tl render`: [`huren_trustlists::render`]), and `/interop` (the
//! interoperability check of `huren interop check`, on a pasted or uploaded chain:
//! [`crate::interop`]).
//!
//! The pages need no external asset and no script: inline CSS, plain links and forms (the
//! directory's search is a GET form, the check a multipart POST). Every text from a list or
//! from the user is escaped. Language: `?lang=zh|en`, else `Accept-Language` (English by
//! default); every page links to itself in the other language. Dates are ISO 8601.
//!
//! Outcomes: no snapshot loaded → a 503 page saying so (never an empty or stale directory
//! without saying so); past the snapshot's `usable_until` the directory is shown under a
//! warning and the check refuses (503), as the API answers `TRUST_LIST_EXPIRED`. Bad input
//! on the check's form → the form again with the reason (400; 413 over
//! `limits.body_bytes`); a private key is refused, never echoed nor logged.
//!
//! These routes are HTML, so they stay out of the OpenAPI document; they get the same
//! layers as the API (request id, tracing, metrics, time limit, body limit).

use super::directory::in_force;
use super::state::{AppState, Loaded};
use crate::interop::{self, ChainInput, InteropOptions, esc};
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use huren_trustlists::VerifiedTrustList;
use huren_trustlists::render::{self as tl, Filter, KindFilter, SignatureNote, Site, StatusFilter};
use huren_validator::{
    AnchorKind, Certificate, Oid, PolicyInputs, Profile, ValidationOptions, fmt_time, pem,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The page language (the interoperability report's).
pub use crate::interop::Lang;

/// The pages' routes (merged into [`super::app`] before its layers).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/directory", get(directory))
        .route("/directory/{key}", get(ca))
        .route("/interop", get(interop_form).post(interop_check))
        .route("/interop/report", post(interop_download))
}

/// Whether a matched route is one of these pages' form posts (the body limit is answered
/// by the page, in HTML, rather than by the API's problem).
pub fn is_form_post(route: &str) -> bool {
    route == "/interop" || route == "/interop/report"
}

// ---------------------------------------------------------------------------------------
// Language and frame.

/// `?lang=` and the directory's search.
#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
    q: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    list: Option<String>,
}

fn query(q: Result<Query<PageQuery>, QueryRejection>) -> PageQuery {
    q.map(|Query(q)| q).unwrap_or_default()
}

/// `?lang=zh|en` if given, else the `Accept-Language` header's preference.
fn page_lang(param: Option<&str>, headers: &HeaderMap) -> Lang {
    match param.map(str::trim) {
        Some(p) if p.eq_ignore_ascii_case("zh") || p.to_ascii_lowercase().starts_with("zh-") => {
            Lang::Zh
        }
        Some(p) if p.eq_ignore_ascii_case("en") || p.to_ascii_lowercase().starts_with("en-") => {
            Lang::En
        }
        _ => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::En, Lang::from_accept_language),
    }
}

fn short(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

fn tl_lang(lang: Lang) -> tl::Lang {
    match lang {
        Lang::En => tl::Lang::En,
        Lang::Zh => tl::Lang::Zh,
    }
}

/// A text in the page's language.
fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Percent-encodes a query value (`application/x-www-form-urlencoded`).
fn enc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            b' ' => o.push('+'),
            _ => {
                let _ = write!(o, "%{b:02X}");
            }
        }
    }
    o
}

/// `path?k=v&…&lang=L` from the pairs with a value.
fn href(path: &str, params: &[(&str, &str)], lang: Lang) -> String {
    let mut h = format!("{path}?");
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        let _ = write!(h, "{k}={}&", enc(v));
    }
    let _ = write!(h, "lang={}", short(lang));
    h
}

/// Which page of the site a page is (for `aria-current` in the navigation).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Here {
    Home,
    Directory,
    Interop,
}

/// The site's header: a skip link, the navigation, and the language switch (links to this
/// page, `path` with `params`, in each language).
fn site_header(lang: Lang, here: Here, path: &str, params: &[(&str, &str)]) -> String {
    let mut h = String::with_capacity(1024);
    let _ = write!(
        h,
        "<a class=\"skip\" href=\"#main\">{}</a>\n<header class=\"site\">\n<nav aria-label=\"{}\"><ul>",
        t(lang, "Skip to the content", "跳到正文"),
        t(lang, "Site", "网站导航"),
    );
    for (page, to, en, zh) in [
        (Some(Here::Home), "/", "Home", "首页"),
        (
            Some(Here::Directory),
            "/directory",
            "CA directory",
            "电子认证服务机构目录",
        ),
        (
            Some(Here::Interop),
            "/interop",
            "Interoperability check",
            "互认检测",
        ),
        (None, "/openapi.json", "API (OpenAPI)", "接口文档 (OpenAPI)"),
    ] {
        let link = if page.is_some() {
            href(to, &[], lang)
        } else {
            to.to_string()
        };
        let current = if page == Some(here) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li><a href=\"{}\"{current}>{}</a></li>",
            esc(&link),
            t(lang, en, zh)
        );
    }
    h.push_str("</ul></nav>\n");
    let _ = write!(
        h,
        "<p class=\"langs\"><span id=\"lang-switch\">{}</span>: ",
        t(lang, "Language", "语言")
    );
    for (i, (l, name, code)) in [(Lang::Zh, "中文", "zh-CN"), (Lang::En, "English", "en")]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            h.push_str(" | ");
        }
        let current = if l == lang {
            " aria-current=\"true\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<a href=\"{}\" lang=\"{code}\" hreflang=\"{code}\" aria-describedby=\"lang-switch\"{current}>{name}</a>",
            esc(&href(path, params, l))
        );
    }
    h.push_str("</p>\n</header>\n");
    h
}

/// The pages' CSS beyond the directory's (header, forms, the report).
const PAGE_CSS: &str = ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem;z-index:1}\
header.site{border-bottom:2px solid #555;margin-bottom:1rem}header.site ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.5rem}\
header.site a[aria-current=page]{font-weight:bold;color:#111}.langs{margin:.3rem 0 .6rem}.langs a[aria-current=true]{font-weight:bold;color:#111}\
form p{margin:.6rem 0}label{font-weight:bold;margin-right:.5rem}input,select,textarea,button{font:inherit;color:#111;background:#fff;border:1px solid #555;padding:.25rem .4rem}\
textarea{width:100%;box-sizing:border-box;font-family:monospace;font-size:.9rem}button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;padding:.35rem 1rem;cursor:pointer}\
input:focus,select:focus,textarea:focus,button:focus{outline:3px solid #b35c00;outline-offset:2px}.hint{color:#333;font-size:.95rem;margin:.2rem 0}\
form.filter{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:end;border:1px solid #999;padding:0 1rem;background:#f6f6f6}.count{font-weight:bold}\
.pass{color:#0b5d1e}.fail{color:#a00000}.summary{font-size:1.15rem}tr.error td:first-child{color:#a00000;font-weight:bold}tr.warning td:first-child{color:#7a4d00;font-weight:bold}\
.bad{background:#fdecea;border-color:#9e0000;color:#3d0000}td time{white-space:nowrap}.report td code{word-break:keep-all}";

/// A page of this module (not one of the directory's): the same frame and style.
fn frame(lang: Lang, title: &str, header: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}{}</style>\n</head>\n<body>\n{header}<main id=\"main\">\n{body}</main>\n</body>\n</html>\n",
        lang.code(),
        esc(title),
        tl::CSS,
        PAGE_CSS
    )
}

/// An HTML answer with the pages' headers: no script, no external asset, no framing.
fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, Html(body)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-language"));
    r
}

/// A page that only says something (no list, not found): a heading and a paragraph.
fn message_page(
    status: StatusCode,
    lang: Lang,
    here: Here,
    path: &str,
    title: &str,
    message: &str,
) -> Response {
    let header = site_header(lang, here, path, &[]);
    let (to, back) = match here {
        Here::Directory => ("/directory", t(lang, "Back to the directory", "返回目录")),
        _ => ("/", t(lang, "Back to the home page", "返回首页")),
    };
    let body = format!(
        "<h1>{}</h1>\n<p class=\"banner warn\" role=\"alert\">{}</p>\n<p><a href=\"{}\">{back}</a></p>\n",
        esc(title),
        esc(message),
        esc(&href(to, &[], lang)),
    );
    let mut r = html(status, frame(lang, title, &header, &body));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    r
}

fn no_list(lang: Lang, here: Here, path: &str) -> Response {
    message_page(
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        here,
        path,
        t(lang, "No trust list loaded", "尚未加载信任列表"),
        t(
            lang,
            "No verified trust list is loaded yet, so there is nothing to show or check against. Try again in a moment; /v1/trust-lists says why each configured list did not load.",
            "尚未加载经验证的信任列表，因此无可显示或检测的内容。请稍后再试；/v1/trust-lists 说明了每个配置的列表未能加载的原因。",
        ),
    )
}

/// The warning shown over a directory from a snapshot past its `usable_until`.
fn stale_notice(lang: Lang, l: &Loaded) -> String {
    format!(
        "<p class=\"banner bad\" role=\"alert\"><strong>{}</strong> {} {}</p>\n",
        t(
            lang,
            "This trust list is out of date.",
            "此信任列表已过期。"
        ),
        t(
            lang,
            "It is past its next update plus the grace period, since",
            "已超过下次更新时间及宽限期，自",
        ),
        esc(&l.usable_until.map(fmt_time).unwrap_or_default()),
    ) + t(
        lang,
        "<p>It is shown for reference only; validations answer INDETERMINATE (TRUST_LIST_EXPIRED) until a current list verifies.</p>\n",
        "<p>仅供参考；在新的列表验证通过之前，验证结果均为 INDETERMINATE（TRUST_LIST_EXPIRED）。</p>\n",
    )
}

/// What the pages say about a verified list's signature.
fn signature_note(v: &VerifiedTrustList) -> SignatureNote {
    let (subject, sha) = match Certificate::from_der(v.signer()) {
        Ok(c) => (
            c.subject().display().to_string(),
            c.sha256_hex().to_string(),
        ),
        Err(_) => (
            String::new(),
            huren_validator::cert::hex(
                aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, v.signer()).as_ref(),
            ),
        ),
    };
    SignatureNote::Verified {
        signer_subject: subject,
        signer_sha256: sha,
    }
}

// ---------------------------------------------------------------------------------------
// Home.

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let q = query(q);
    let lang = page_lang(q.lang.as_deref(), &headers);
    let now = state.clock.now();
    let header = site_header(lang, Here::Home, "/", &[]);
    let mut b = String::with_capacity(4096);
    let _ = write!(
        b,
        "<h1>{}</h1>\n<p>{}</p>\n",
        t(
            lang,
            "huren: certificate validation under MIIT's trust list",
            "huren：依据工业和信息化部信任列表的证书验证"
        ),
        t(
            lang,
            "Chains are validated against the licensed domestic CAs and the approved foreign CAs of MIIT's signed trust list, each trusted only inside its licence or approval.",
            "证书链依据工业和信息化部签名信任列表中许可的境内电子认证服务机构和经批准的境外电子认证服务机构进行验证，每个机构仅在其许可或批准范围内受信任。"
        ),
    );
    let _ = write!(
        b,
        "<h2>{}</h2>\n<ul>\n<li><a href=\"{}\">{}</a>: {}</li>\n<li><a href=\"{}\">{}</a>: {}</li>\n</ul>\n",
        t(lang, "Pages", "页面"),
        esc(&href("/directory", &[], lang)),
        t(lang, "CA directory", "电子认证服务机构目录"),
        t(
            lang,
            "the licensed and approved CAs of the loaded list, with their licences, approvals, status and history.",
            "已加载列表中许可和批准的机构，及其许可证、批准、状态和历史。"
        ),
        esc(&href("/interop", &[], lang)),
        t(lang, "Interoperability check", "互认检测"),
        t(
            lang,
            "paste or upload a foreign CA's chain and see every deviation from its approval.",
            "粘贴或上传境外机构的证书链，查看与其批准范围的所有偏差。"
        ),
    );
    let _ = write!(
        b,
        "<h2>{}</h2>\n<ul>\n<li><a href=\"/openapi.json\">{}</a></li>\n<li><code>POST /v1/validate</code>, <code>POST /v1/validate/batch</code>: {}</li>\n<li><code>GET /v1/anchors</code>, <code>GET /v1/trust-lists</code>, <code>GET /v1/policies</code>: {}</li>\n<li><code>GET /livez</code>, <code>GET /readyz</code>, <code>GET /metrics</code>: {}</li>\n</ul>\n",
        t(lang, "API", "接口"),
        t(
            lang,
            "The OpenAPI 3.1 document (/openapi.json)",
            "OpenAPI 3.1 文档 (/openapi.json)"
        ),
        t(lang, "validate chains (JSON)", "验证证书链（JSON）"),
        t(
            lang,
            "the anchor directory and the loaded lists (JSON)",
            "信任锚目录和已加载的列表（JSON）"
        ),
        t(lang, "health and metrics", "健康检查和指标"),
    );
    let _ = writeln!(b, "<h2>{}</h2>", t(lang, "Trust list", "信任列表"));
    match state.trust.load_full() {
        None => {
            let _ = writeln!(
                b,
                "<p class=\"banner warn\" role=\"note\">{}</p>",
                t(
                    lang,
                    "No verified trust list is loaded yet.",
                    "尚未加载经验证的信任列表。"
                )
            );
        }
        Some(l) => {
            let lists: Vec<String> = l
                .snapshot
                .lists()
                .iter()
                .map(|s| format!("{} #{}", s.territory, s.sequence))
                .collect();
            let _ = write!(
                b,
                "<dl>\n<dt>{}</dt><dd><code>{}</code></dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
                t(lang, "Snapshot", "快照"),
                esc(l.snapshot.id()),
                t(lang, "Lists", "列表"),
                esc(&lists.join(", ")),
                t(lang, "Anchors", "信任锚数"),
                l.snapshot.anchors().len(),
                t(lang, "Loaded", "加载时间"),
                time_html(l.loaded_at),
                t(lang, "Usable until", "可用至"),
                l.usable_until.map_or_else(
                    || t(lang, "no limit (closed lists)", "无期限（已关闭的列表）").to_string(),
                    time_html
                ),
            );
            if !l.usable_at(now) {
                b.push_str(&stale_notice(lang, &l));
            }
        }
    }
    html(
        StatusCode::OK,
        frame(lang, t(lang, "huren", "huren"), &header, &b),
    )
}

fn time_html(t: i64) -> String {
    let s = fmt_time(t);
    format!("<time datetime=\"{s}\">{s}</time>")
}

// ---------------------------------------------------------------------------------------
// Directory.

async fn directory(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let q = query(q);
    let lang = page_lang(q.lang.as_deref(), &headers);
    let search = q.q.as_deref().unwrap_or("").trim();
    // At most 200 characters of search text: enough for any name or number.
    let search: String = search.chars().take(200).collect();
    let kind = q
        .kind
        .as_deref()
        .and_then(KindFilter::parse)
        .unwrap_or_default();
    let status = q
        .status
        .as_deref()
        .and_then(StatusFilter::parse)
        .unwrap_or_default();
    let index = q
        .list
        .as_deref()
        .and_then(|l| l.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let list_param = if index > 0 {
        index.to_string()
    } else {
        String::new()
    };
    let params = [
        ("q", search.as_str()),
        (
            "kind",
            if kind == KindFilter::All {
                ""
            } else {
                kind.as_str()
            },
        ),
        (
            "status",
            if status == StatusFilter::All {
                ""
            } else {
                status.as_str()
            },
        ),
        ("list", list_param.as_str()),
    ];
    let Some(l) = state.trust.load_full() else {
        return no_list(lang, Here::Directory, "/directory");
    };
    let Some(v) = l.directory.get(index) else {
        return message_page(
            StatusCode::NOT_FOUND,
            lang,
            Here::Directory,
            "/directory",
            t(lang, "No such list", "没有该列表"),
            t(
                lang,
                "The loaded snapshot has no list of that number.",
                "已加载的快照中没有该编号的列表。",
            ),
        );
    };
    let now = state.clock.now();
    let header = site_header(lang, Here::Directory, "/directory", &params);
    let mut notice = String::new();
    if !l.usable_at(now) {
        notice.push_str(&stale_notice(lang, &l));
    }
    if l.directory.len() > 1 {
        let _ = write!(
            notice,
            "<nav aria-label=\"{0}\"><p>{0}: ",
            t(lang, "Lists", "列表")
        );
        for (i, d) in l.directory.iter().enumerate() {
            let name = format!(
                "{} #{}",
                d.list().scheme_territory.as_deref().unwrap_or("?"),
                d.list().sequence
            );
            let current = if i == index {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                notice,
                "<a href=\"{}\"{current}>{}</a> ",
                esc(&href("/directory", &[("list", &i.to_string())], lang)),
                esc(&name)
            );
        }
        notice.push_str("</p></nav>\n");
    }
    let suffix = format!("?lang={}", short(lang));
    let mut hidden: Vec<(&str, &str)> = vec![("lang", short(lang))];
    if index > 0 {
        hidden.push(("list", &list_param));
    }
    let filter = Filter {
        action: "/directory",
        query: &search,
        kind,
        status,
        hidden: &hidden,
    };
    let site = Site {
        ca_link: Some(("/directory/", &suffix)),
        index_link: None,
        header: &header,
        notice: &notice,
        style: PAGE_CSS,
        filter: Some(&filter),
    };
    html(
        StatusCode::OK,
        tl::render_index(v.list(), now, tl_lang(lang), &signature_note(v), &site),
    )
}

async fn ca(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let q = query(q);
    let lang = page_lang(q.lang.as_deref(), &headers);
    let Some(l) = state.trust.load_full() else {
        return no_list(lang, Here::Directory, "/directory");
    };
    let valid_key = !key.is_empty()
        && key.len() <= 80
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let found = if valid_key {
        l.directory
            .iter()
            .find_map(|v| tl::find_ca(v.list(), &key).map(|(p, s)| (v, p, s)))
    } else {
        None
    };
    let path = if valid_key {
        format!("/directory/{key}")
    } else {
        "/directory".to_string()
    };
    let Some((v, provider, service)) = found else {
        return message_page(
            StatusCode::NOT_FOUND,
            lang,
            Here::Directory,
            &path,
            t(lang, "No such CA", "没有该机构"),
            t(
                lang,
                "No CA of the loaded trust list has this SHA-256. The directory lists them all.",
                "已加载信任列表中没有此 SHA-256 的机构。目录列出了所有机构。",
            ),
        );
    };
    let now = state.clock.now();
    let header = site_header(lang, Here::Directory, &path, &[]);
    let notice = if l.usable_at(now) {
        String::new()
    } else {
        stale_notice(lang, &l)
    };
    let back = href("/directory", &[], lang);
    let site = Site {
        ca_link: None,
        index_link: Some(&back),
        header: &header,
        notice: &notice,
        style: PAGE_CSS,
        filter: None,
    };
    html(
        StatusCode::OK,
        tl::render_ca_page_in(
            v.list(),
            provider,
            service,
            now,
            tl_lang(lang),
            &signature_note(v),
            &site,
        ),
    )
}

// ---------------------------------------------------------------------------------------
// Interoperability check.

/// What the check's form sent.
#[derive(Debug, Default)]
struct FormInput {
    /// The pasted text.
    chain: String,
    /// The uploaded file's name and bytes (empty when none was chosen).
    file_name: String,
    file: Vec<u8>,
    /// The approval decision (empty: any).
    approval: String,
    /// A certificate policy OID (empty: none).
    policy: String,
    lang: Option<String>,
}

/// Why the form could not be checked: the message, the status, and whether the input may
/// be shown again (never when it held a private key).
struct FormError {
    status: StatusCode,
    message: String,
    echo: bool,
}

impl FormError {
    fn bad(message: impl Into<String>) -> Self {
        FormError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            echo: true,
        }
    }
}

fn too_large(lang: Lang, limit: usize) -> FormError {
    FormError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: match lang {
            Lang::En => format!(
                "The form is too large: at most {limit} bytes are accepted. A certificate chain is a few kilobytes; check that the file is the chain."
            ),
            Lang::Zh => format!(
                "提交的内容过大：最多接受 {limit} 字节。证书链通常只有几千字节，请确认文件是证书链。"
            ),
        },
        echo: false,
    }
}

fn private_key(lang: Lang) -> FormError {
    FormError {
        status: StatusCode::BAD_REQUEST,
        message: t(
            lang,
            "This input holds a private key. It was refused and not kept: never send a private key to any service. Paste or upload the certificates only.",
            "输入内容包含私钥，已被拒绝且未保存：切勿向任何服务发送私钥。请只粘贴或上传证书。",
        )
        .to_string(),
        echo: false,
    }
}

/// Reads the form: multipart (the page's form, with a file) or URL-encoded (the download's
/// form, scripts). Size and private keys are checked here; nothing of the input is logged.
async fn read_form(state: &AppState, lang: Lang, req: Request) -> Result<FormInput, FormError> {
    let limit = state.config.limits.body_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(lang, limit));
    }
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let mut input = FormInput::default();
    if multipart {
        let mut m = Multipart::from_request(req, state)
            .await
            .map_err(|e| FormError::bad(e.body_text()))?;
        loop {
            let field = match m.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(lang, limit));
                }
                Err(e) => return Err(FormError::bad(e.body_text())),
            };
            let name = field.name().unwrap_or("").to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(lang, limit));
                }
                Err(e) => return Err(FormError::bad(e.body_text())),
            };
            if memchr::memmem::find(&bytes, b"PRIVATE KEY").is_some() {
                return Err(private_key(lang));
            }
            let text = || String::from_utf8_lossy(&bytes).into_owned();
            match name.as_str() {
                "chain" => input.chain = text(),
                "file" => {
                    input.file_name = file_name.unwrap_or_default();
                    input.file = bytes.to_vec();
                }
                "approval" => input.approval = text(),
                "policy" => input.policy = text(),
                "lang" => input.lang = Some(text()),
                _ => {}
            }
        }
    } else {
        #[derive(Deserialize)]
        struct Fields {
            #[serde(default)]
            chain: String,
            #[serde(default)]
            approval: String,
            #[serde(default)]
            policy: String,
            lang: Option<String>,
        }
        let f = match axum::Form::<Fields>::from_request(req, state).await {
            Ok(axum::Form(f)) => f,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large(lang, limit));
            }
            Err(e) => return Err(FormError::bad(e.body_text())),
        };
        if [&f.chain, &f.approval, &f.policy]
            .iter()
            .any(|v| v.contains("PRIVATE KEY"))
        {
            return Err(private_key(lang));
        }
        input.chain = f.chain;
        input.approval = f.approval;
        input.policy = f.policy;
        input.lang = f.lang;
    }
    Ok(input)
}

/// The approvals on the list: decision → a label (the CA, or the foreign list) and whether
/// it is in force now.
fn approvals(l: &Loaded, now: i64, lang: Lang) -> BTreeMap<String, (String, bool)> {
    let mut out: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for a in l.snapshot.anchors().iter() {
        let Some(s) = a.scope() else { continue };
        let Some(ap) = &s.approval else { continue };
        let label = match (s.kind, lang) {
            (AnchorKind::ForeignScheme, Lang::En) => {
                format!("the {} trust list", s.provenance.territory)
            }
            (AnchorKind::ForeignScheme, Lang::Zh) => {
                format!("{} 信任列表", s.provenance.territory)
            }
            _ => s.provenance.service.clone(),
        };
        let entry = out
            .entry(ap.decision.clone())
            .or_insert_with(|| (label, false));
        entry.1 |= in_force(Some(s), now);
    }
    out
}

/// The chain of the form: the uploaded file, or the pasted text (not both), PEM or DER,
/// each certificate parsed.
fn chain_of(
    input: &FormInput,
    lang: Lang,
    max: usize,
) -> Result<(String, Vec<Certificate>), FormError> {
    let pasted = input.chain.trim();
    let (name, bytes): (String, &[u8]) = match (pasted.is_empty(), input.file.is_empty()) {
        (true, true) => {
            return Err(FormError::bad(t(
                lang,
                "Paste a chain or choose a file: the form had neither.",
                "请粘贴证书链或选择文件：表单中两者都没有。",
            )));
        }
        (false, false) => {
            return Err(FormError::bad(t(
                lang,
                "Paste a chain or choose a file, not both: clear one of them.",
                "请粘贴证书链或选择文件，二者只能选其一：请清除其中之一。",
            )));
        }
        (false, true) => (
            t(lang, "pasted chain", "粘贴的证书链").to_string(),
            pasted.as_bytes(),
        ),
        (true, false) => (
            if input.file_name.is_empty() {
                t(lang, "uploaded file", "上传的文件").to_string()
            } else {
                input.file_name.chars().take(100).collect()
            },
            &input.file,
        ),
    };
    let ders = match pem::decode_all(bytes, pem::CERTIFICATE_LABELS) {
        Ok(d) => d,
        Err(huren_validator::Error::PrivateKey) => return Err(private_key(lang)),
        Err(_) => {
            return Err(FormError::bad(t(
                lang,
                "This is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) or one DER certificate.",
                "这不是证书：应为 PEM（-----BEGIN CERTIFICATE-----）或一个 DER 证书。",
            )));
        }
    };
    if ders.is_empty() {
        return Err(FormError::bad(t(
            lang,
            "No certificate in it: the PEM blocks are of another kind.",
            "其中没有证书：PEM 块属于其他类型。",
        )));
    }
    if ders.len() > max {
        return Err(FormError::bad(match lang {
            Lang::En => format!(
                "The chain holds {} certificates; at most {max} are accepted.",
                ders.len()
            ),
            Lang::Zh => format!("证书链包含 {} 个证书；最多接受 {max} 个。", ders.len()),
        }));
    }
    let mut certs = Vec::with_capacity(ders.len());
    for (i, d) in ders.iter().enumerate() {
        match Certificate::from_der(d) {
            Ok(c) => certs.push(c),
            Err(e) => {
                return Err(FormError::bad(match lang {
                    Lang::En => {
                        format!("Certificate {} is not a valid certificate: {e}.", i + 1)
                    }
                    Lang::Zh => format!("第 {} 个证书不是有效的证书：{e}。", i + 1),
                }));
            }
        }
    }
    Ok((name, certs))
}

/// The chain as PEM (what the download form sends back).
fn to_pem(certs: &[Certificate]) -> String {
    use base64ct::Encoding as _;
    let mut out = String::new();
    for c in certs {
        let b64 = base64ct::Base64::encode_string(c.der());
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or(""));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

/// The check's form: the chain (pasted or a file), the approval, a policy OID.
fn form_html(
    b: &mut String,
    lang: Lang,
    approvals: &BTreeMap<String, (String, bool)>,
    input: Option<&FormInput>,
    error: Option<&str>,
) {
    let chosen = input.map_or("", |i| i.approval.as_str());
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/interop\" enctype=\"multipart/form-data\" aria-describedby=\"form-help\">\n<p id=\"form-help\" class=\"hint\">{}</p>\n",
        t(
            lang,
            "The chain is validated now under the loaded trust list, and every deviation is reported with the rule it breaks and what to change. Nothing is kept.",
            "证书链将依据已加载的信任列表以当前时间进行验证，并报告每项偏差、其依据和修改建议。不保存任何内容。"
        )
    );
    if let Some(e) = error {
        let _ = writeln!(
            b,
            "<p class=\"banner bad\" role=\"alert\" id=\"form-error\"><strong>{}</strong> {}</p>",
            t(lang, "Not checked:", "未检测："),
            esc(e)
        );
    }
    let _ = write!(
        b,
        "<p><label for=\"chain\">{}</label></p>\n<p class=\"hint\" id=\"chain-hint\">{}</p>\n<textarea id=\"chain\" name=\"chain\" rows=\"12\" spellcheck=\"false\" aria-describedby=\"chain-hint\">{}</textarea>\n",
        t(lang, "Paste the chain", "粘贴证书链"),
        t(
            lang,
            "PEM, the end-entity certificate first, then its intermediates. Certificates only: a private key is refused.",
            "PEM 格式，终端实体证书在前，其后是中间证书。只需证书：私钥会被拒绝。"
        ),
        esc(input.map_or("", |i| i.chain.as_str()))
    );
    let _ = write!(
        b,
        "<p><label for=\"file\">{}</label> <input type=\"file\" id=\"file\" name=\"file\" accept=\".pem,.crt,.cer,.der,application/x-pem-file,application/pkix-cert\" aria-describedby=\"file-hint\"></p>\n<p class=\"hint\" id=\"file-hint\">{}</p>\n",
        t(lang, "Or upload a file", "或上传文件"),
        t(
            lang,
            "A PEM file with the chain, or one DER certificate.",
            "包含证书链的 PEM 文件，或一个 DER 证书。"
        ),
    );
    let _ = write!(
        b,
        "<p><label for=\"approval\">{}</label> <select id=\"approval\" name=\"approval\"><option value=\"\">{}</option>",
        t(lang, "Approval", "认可决定"),
        esc(lang.t("any"))
    );
    for (decision, (label, now)) in approvals {
        let sel = if decision == chosen { " selected" } else { "" };
        let _ = write!(
            b,
            "<option value=\"{0}\"{sel}>{0} — {1}{2}</option>",
            esc(decision),
            esc(label),
            if *now {
                ""
            } else {
                t(lang, " (not in force now)", "（当前无效）")
            }
        );
    }
    b.push_str("</select></p>\n");
    let _ = write!(
        b,
        "<p><label for=\"policy\">{}</label> <input type=\"text\" id=\"policy\" name=\"policy\" value=\"{}\" size=\"30\" inputmode=\"decimal\" autocomplete=\"off\" aria-describedby=\"policy-hint\"></p>\n<p class=\"hint\" id=\"policy-hint\">{}</p>\n",
        t(
            lang,
            "Certificate policy OID (optional)",
            "证书策略 OID（可选）"
        ),
        esc(input.map_or("", |i| i.policy.as_str())),
        t(
            lang,
            "The certificate type the chain must be valid for, such as 1.3.6.1.4.1.99999.70.1.",
            "证书链必须适用的证书类型，例如 1.3.6.1.4.1.99999.70.1。"
        ),
    );
    let _ = write!(
        b,
        "<input type=\"hidden\" name=\"lang\" value=\"{}\">\n<p><button type=\"submit\">{}</button></p>\n</form>\n",
        short(lang),
        t(lang, "Check the chain", "检测证书链")
    );
}

fn interop_page(
    status: StatusCode,
    lang: Lang,
    l: &Loaded,
    now: i64,
    input: Option<&FormInput>,
    error: Option<&str>,
) -> Response {
    let header = site_header(lang, Here::Interop, "/interop", &[]);
    let mut b = String::with_capacity(8192);
    let _ = writeln!(
        b,
        "<h1>{}</h1>",
        t(lang, "Interoperability check", "互认检测")
    );
    form_html(&mut b, lang, &approvals(l, now, lang), input, error);
    html(
        status,
        frame(
            lang,
            t(lang, "Interoperability check", "互认检测"),
            &header,
            &b,
        ),
    )
}

async fn interop_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let q = query(q);
    let lang = page_lang(q.lang.as_deref(), &headers);
    let Some(l) = state.trust.load_full() else {
        return no_list(lang, Here::Interop, "/interop");
    };
    interop_page(StatusCode::OK, lang, &l, state.clock.now(), None, None)
}

/// The checked form: the report, or the reason it was not made.
enum Checked {
    Report(Box<interop::InteropReport>, FormInput, String, Lang),
    Refused(Response),
}

async fn run_check(state: &AppState, headers: &HeaderMap, q: PageQuery, req: Request) -> Checked {
    let mut lang = page_lang(q.lang.as_deref(), headers);
    let Some(l) = state.trust.load_full() else {
        return Checked::Refused(no_list(lang, Here::Interop, "/interop"));
    };
    let now = state.clock.now();
    let input = match read_form(state, lang, req).await {
        Ok(i) => i,
        Err(e) => {
            return Checked::Refused(interop_page(
                e.status,
                lang,
                &l,
                now,
                None,
                Some(&e.message),
            ));
        }
    };
    if q.lang.is_none() && input.lang.is_some() {
        lang = page_lang(input.lang.as_deref(), headers);
    }
    let refuse = |e: FormError, input: &FormInput| {
        Checked::Refused(interop_page(
            e.status,
            lang,
            &l,
            now,
            e.echo.then_some(input),
            Some(&e.message),
        ))
    };
    if !l.usable_at(now) {
        return Checked::Refused(message_page(
            StatusCode::SERVICE_UNAVAILABLE,
            lang,
            Here::Interop,
            "/interop",
            t(lang, "The trust list is out of date", "信任列表已过期"),
            t(
                lang,
                "The loaded trust list is past its next update plus the grace period; no chain is checked against it until a current list verifies.",
                "已加载的信任列表已超过下次更新时间及宽限期；在新的列表验证通过之前，不依据其检测任何证书链。",
            ),
        ));
    }
    let (name, certs) = match chain_of(&input, lang, state.config.limits.chain_length.max(1)) {
        Ok(c) => c,
        Err(e) => return refuse(e, &input),
    };
    let approval = input.approval.trim().to_string();
    if !approval.is_empty() && !approvals(&l, now, lang).contains_key(&approval) {
        return refuse(
            FormError::bad(t(
                lang,
                "There is no such approval on the trust list: choose one from the list.",
                "信任列表中没有该认可决定：请从列表中选择。",
            )),
            &input,
        );
    }
    let mut opts = ValidationOptions::at(now);
    opts.profile = Profile::Rfc5280;
    let policy = input.policy.trim();
    if !policy.is_empty() {
        let Some(oid) = Oid::parse(policy) else {
            return refuse(
                FormError::bad(t(
                    lang,
                    "The certificate policy is not an OID (dotted numbers such as 1.3.6.1.4.1.99999.70.1).",
                    "证书策略不是 OID（以点分隔的数字，例如 1.3.6.1.4.1.99999.70.1）。",
                )),
                &input,
            );
        };
        opts.policy = PolicyInputs {
            initial_policy_set: vec![oid],
            require_explicit_policy: true,
            ..PolicyInputs::default()
        };
    }
    let lists: Vec<String> = l
        .snapshot
        .lists()
        .iter()
        .map(|s| format!("{} #{}", s.territory, s.sequence))
        .collect();
    let options = InteropOptions {
        validation: opts,
        approval: (!approval.is_empty()).then_some(approval),
        trust: format!("trust list {} ({})", lists.join(", "), l.snapshot.id()),
    };
    let pem = to_pem(&certs);
    let chains = vec![ChainInput { name, certs }];
    let loaded = l.clone();
    let report = match tokio::task::spawn_blocking(move || {
        interop::check(chains, loaded.snapshot.anchors(), &options)
    })
    .await
    {
        Ok(r) => r,
        Err(_) => {
            return Checked::Refused(
                super::problem::Problem::internal(&"the check failed").into_response(),
            );
        }
    };
    Checked::Report(Box::new(report), input, pem, lang)
}

async fn interop_check(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
    req: Request,
) -> Response {
    let (report, input, pem, lang) = match run_check(&state, &headers, query(q), req).await {
        Checked::Report(r, i, p, l) => (r, i, p, l),
        Checked::Refused(r) => return r,
    };
    let header = site_header(lang, Here::Interop, "/interop", &[]);
    let mut b = String::with_capacity(16 * 1024);
    report.html_body(&mut b, lang);
    let _ = write!(
        b,
        "<h2>{}</h2>\n<form method=\"post\" action=\"/interop/report\">\n<input type=\"hidden\" name=\"chain\" value=\"{}\">\n<input type=\"hidden\" name=\"approval\" value=\"{}\">\n<input type=\"hidden\" name=\"policy\" value=\"{}\">\n<input type=\"hidden\" name=\"lang\" value=\"{}\">\n<p><button type=\"submit\">{}</button> <span class=\"hint\">{}</span></p>\n</form>\n",
        t(lang, "Keep the report", "保存报告"),
        esc(&pem),
        esc(&input.approval),
        esc(&input.policy),
        short(lang),
        t(lang, "Download the report (HTML)", "下载报告（HTML）"),
        t(
            lang,
            "One self-contained file, as huren interop check --format html writes it (checked again now).",
            "一个独立的文件，与 huren interop check --format html 的输出相同（下载时重新检测）。"
        ),
    );
    let _ = writeln!(
        b,
        "<h2>{}</h2>\n<p><a href=\"{}\">{}</a></p>",
        t(lang, "Check another chain", "检测其他证书链"),
        esc(&href("/interop", &[], lang)),
        t(lang, "Back to the form", "返回表单")
    );
    let mut r = html(StatusCode::OK, frame(lang, lang.t("title"), &header, &b));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn interop_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
    req: Request,
) -> Response {
    let (report, _, _, lang) = match run_check(&state, &headers, query(q), req).await {
        Checked::Report(r, i, p, l) => (r, i, p, l),
        Checked::Refused(r) => return r,
    };
    let mut r = html(StatusCode::OK, report.to_html(lang));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"interop-report.html\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
