//! The public directory of licensed and approved CAs (Art. 13 and 49) as static HTML: a
//! pure function of a list, a time and a language, for `huren tl render` and for the
//! service.
//!
//! [`render_directory`] returns the files to write: `index.html` (the licensed domestic
//! CAs, the approved foreign CAs, other CA services on the list, and the approved foreign
//! schemes reached through pointers) and one page per CA at `ca/<sha256>.html`, named by the
//! SHA-256 of the CA's first certificate ([`ca_page_path`]).
//!
//! The pages stand alone: no external assets, no JavaScript, inline CSS with dark text on a
//! light background, `lang` attributes on the document and on every text in another
//! language, tables with a `<caption>` and `<th scope>`. Every text that comes from the list
//! is escaped ([`escape`]); links are made only from `http:` and `https:` URLs. Whether the
//! list's signature was checked is stated on every page ([`SignatureNote`]).
//!
//! The service's `/directory` renders the same pages inside its site ([`Site`]): links to
//! CA pages under a prefix, a header and a notice around `<main>`, and on the index a plain
//! GET search and filter form whose rows are kept by [`Filter`] ([`render_index`],
//! [`render_ca_page_in`], [`find_ca`]). With the default [`Site`] the output is exactly what
//! `huren tl render` writes.

use crate::diff::algorithm_label;
use crate::model::{
    Approval, DigitalIdentity, Licence, MultiLang, Pointer, Provider, Restriction, Service,
    ServiceStatus, TrustList,
};
use huren_validator::{Certificate, fmt_time};
use sha2::Digest as _;
use std::fmt::Write as _;

/// Which language the pages are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Chinese only (`zh-CN`).
    Zh,
    /// English only (`en`).
    En,
    /// Both, Chinese first (the default).
    #[default]
    Both,
}

/// What the pages say about the list's signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureNote {
    /// The list was verified against a pinned signer (see [`crate::verify`]).
    Verified {
        /// The signer certificate's subject.
        signer_subject: String,
        /// SHA-256 of the signer certificate, hex.
        signer_sha256: String,
    },
    /// The signature was not checked: every page carries a visible warning.
    NotChecked,
}

/// How the pages sit in a site. The default is what `huren tl render` writes: relative
/// links (`ca/<key>.html`, `../index.html`), nothing around `<main>`, no search form.
#[derive(Clone, Copy, Debug, Default)]
pub struct Site<'a> {
    /// Links from the index to CA pages: `prefix`, the page's key ([`ca_page_key`]), then
    /// `suffix` (`("/directory/", "?lang=en")`); `None`: `ca/<key>.html`.
    pub ca_link: Option<(&'a str, &'a str)>,
    /// The link from a CA page back to the directory; `None`: `../index.html`.
    pub index_link: Option<&'a str>,
    /// HTML put at the top of `<body>`, before `<main id="main">` (navigation, language
    /// switch), as given: the caller escapes what it puts in.
    pub header: &'a str,
    /// HTML put after the signature banner (a notice about the list's freshness), as given.
    pub notice: &'a str,
    /// CSS added after the pages' own (for what `header` and `notice` hold), as given.
    pub style: &'a str,
    /// The index's search and filter form, and the rows it keeps; `None`: no form, every
    /// row.
    pub filter: Option<&'a Filter<'a>>,
}

/// The index's search and filter: a plain GET form, and the rows it keeps.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter<'a> {
    /// Where the form is sent (`/directory`).
    pub action: &'a str,
    /// Search text: a row is kept when it occurs (ignoring case) in a provider or service
    /// name (any language), a licence or approval number, or a certificate's SHA-256.
    /// Empty or blank: every row.
    pub query: &'a str,
    /// Which sections.
    pub kind: KindFilter,
    /// Which status now.
    pub status: StatusFilter,
    /// Hidden fields the form carries along (`("lang", "en")`).
    pub hidden: &'a [(&'a str, &'a str)],
}

/// Which sections of the index a [`Filter`] keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KindFilter {
    /// Every section (`all`).
    #[default]
    All,
    /// The licensed domestic CAs (`licensed`).
    Licensed,
    /// The approved foreign CAs and foreign trust lists (`approved`).
    Approved,
}

impl KindFilter {
    /// `all`, `licensed` or `approved`; anything else: `None`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "" | "all" => Some(KindFilter::All),
            "licensed" => Some(KindFilter::Licensed),
            "approved" => Some(KindFilter::Approved),
            _ => None,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            KindFilter::All => "all",
            KindFilter::Licensed => "licensed",
            KindFilter::Approved => "approved",
        }
    }
}

/// Which status now a [`Filter`] keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Any (`all`).
    #[default]
    All,
    /// In force now: granted, licence or approval in force, not restricted (`in-force`).
    InForce,
    /// Anything else (`not-in-force`).
    NotInForce,
}

impl StatusFilter {
    /// `all`, `in-force` or `not-in-force`; anything else: `None`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "" | "all" => Some(StatusFilter::All),
            "in-force" => Some(StatusFilter::InForce),
            "not-in-force" => Some(StatusFilter::NotInForce),
            _ => None,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::InForce => "in-force",
            StatusFilter::NotInForce => "not-in-force",
        }
    }

    fn keeps(self, in_force: bool) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::InForce => in_force,
            StatusFilter::NotInForce => !in_force,
        }
    }
}

/// Escapes text for HTML element content and attribute values (`& < > " '`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which section of the directory a service belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// A domestic CA with an MIIT licence (Art. 11), in its current information or history.
    Licensed,
    /// A foreign CA with an MIIT approval (Art. 47–49), in its current information or
    /// history.
    Approved,
    /// Another CA service (`CA/QC`, `CA/PKC`, `NationalRootCA-QC`) without either.
    OtherCa,
}

/// The section `service` belongs to; `None` for a service that is not a CA and carries no
/// licence or approval (OCSP, TSA, …), which the directory leaves out.
pub fn category(service: &Service) -> Option<Category> {
    let exts = std::iter::once(&service.extensions)
        .chain(service.history.iter().map(|h| &h.extensions))
        .filter_map(|e| e.miit.as_ref());
    let (mut lic, mut appr) = (false, false);
    for m in exts {
        lic |= m.licence.is_some();
        appr |= m.approval.is_some();
    }
    if lic {
        Some(Category::Licensed)
    } else if appr {
        Some(Category::Approved)
    } else if service.service_type.is_ca() {
        Some(Category::OtherCa)
    } else {
        None
    }
}

fn sha256_hex(der: &[u8]) -> String {
    huren_validator::cert::hex(&sha2::Sha256::digest(der))
}

/// The page of a service: `ca/<sha256 of its first certificate>.html`, or, for a service
/// with no certificate identity, `ca/name-<sha256 of "provider\0service">.html` (English
/// names, else the first given). [`render_directory`] adds `-2`, `-3`, … when two services
/// would share a page.
pub fn ca_page_path(provider: &Provider, service: &Service) -> String {
    match service.certificates().next() {
        Some(c) => format!("ca/{}.html", sha256_hex(c)),
        None => {
            let key = format!(
                "{}\0{}",
                provider.name.get("en").unwrap_or(""),
                service.name.get("en").unwrap_or("")
            );
            format!("ca/name-{}.html", sha256_hex(key.as_bytes()))
        }
    }
}

/// Renders the directory: `index.html` first, then one page per CA (see the module
/// documentation). `now` (Unix seconds) is the time at which "status now" is stated.
pub fn render_directory(
    list: &TrustList,
    now: i64,
    lang: Lang,
    note: &SignatureNote,
) -> Vec<(String, String)> {
    let entries = entries(list);
    let mut out = Vec::with_capacity(entries.len() + 1);
    out.push((
        "index.html".to_string(),
        render_index_with(list, &entries, now, lang, note, &Site::default()),
    ));
    for e in &entries {
        out.push((
            e.path.clone(),
            render_ca_page(list, e.provider, e.service, now, lang, note),
        ));
    }
    out
}

/// One row of the directory.
struct Row<'a> {
    provider: &'a Provider,
    service: &'a Service,
    category: Category,
    path: String,
}

/// The index page alone, inside `site` (see [`Site`]; with the default it is the
/// `index.html` of [`render_directory`]).
pub fn render_index(
    list: &TrustList,
    now: i64,
    lang: Lang,
    note: &SignatureNote,
    site: &Site<'_>,
) -> String {
    render_index_with(list, &entries(list), now, lang, note, site)
}

/// The key of a CA page: its path ([`render_directory`]) without `ca/` and `.html` — the
/// SHA-256 of the CA's first certificate, hex, or `name-<hex>`, with `-2`, `-3`, … when two
/// services would share a page.
pub fn ca_page_key(path: &str) -> &str {
    let p = path.strip_prefix("ca/").unwrap_or(path);
    p.strip_suffix(".html").unwrap_or(p)
}

/// The CA of the directory whose page key ([`ca_page_key`]) is `key`, else the first one
/// holding a certificate whose SHA-256 is `key` (hex, any case).
pub fn find_ca<'a>(list: &'a TrustList, key: &str) -> Option<(&'a Provider, &'a Service)> {
    let key = key.to_ascii_lowercase();
    let rows = entries(list);
    rows.iter()
        .find(|r| ca_page_key(&r.path) == key)
        .or_else(|| {
            rows.iter()
                .find(|r| r.service.certificates().any(|c| sha256_hex(c) == key))
        })
        .map(|r| (r.provider, r.service))
}

fn entries(list: &TrustList) -> Vec<Row<'_>> {
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (provider, service) in list.services() {
        let Some(category) = category(service) else {
            continue;
        };
        let base = ca_page_path(provider, service);
        let mut path = base.clone();
        let mut n = 1;
        while !used.insert(path.clone()) {
            n += 1;
            path = format!("{}-{n}.html", base.trim_end_matches(".html"));
        }
        out.push(Row {
            provider,
            service,
            category,
            path,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Language.

struct L(Lang);

impl L {
    /// A label in the chosen language(s), as HTML.
    fn t(&self, zh: &str, en: &str) -> String {
        match self.0 {
            Lang::Zh => escape(zh),
            Lang::En => escape(en),
            Lang::Both => format!(
                "{} <span lang=\"en\" class=\"en\">{}</span>",
                escape(zh),
                escape(en)
            ),
        }
    }

    /// Plain text for `<title>`.
    fn plain(&self, zh: &str, en: &str) -> String {
        match self.0 {
            Lang::Zh => escape(zh),
            Lang::En => escape(en),
            Lang::Both => escape(&format!("{zh} / {en}")),
        }
    }

    fn html_lang(&self) -> &'static str {
        match self.0 {
            Lang::En => "en",
            _ => "zh-CN",
        }
    }

    /// A multilingual text from the list, as HTML, with its language marked: the Chinese
    /// text (then the English one when different) for [`Lang::Both`].
    fn name(&self, m: &MultiLang) -> String {
        let wanted: &[&str] = match self.0 {
            Lang::Zh => &["zh"],
            Lang::En => &["en"],
            Lang::Both => &["zh", "en"],
        };
        let mut parts: Vec<(String, String)> = Vec::new();
        for w in wanted {
            if let Some((l, t)) = pick(m, w)
                && !parts.iter().any(|(_, pt)| pt == t)
            {
                parts.push((l.to_string(), t.to_string()));
            }
        }
        if parts.is_empty()
            && let Some((l, t)) = m.0.first()
        {
            parts.push((l.clone(), t.clone()));
        }
        if parts.is_empty() {
            return self.t("（无名称）", "(no name)");
        }
        parts
            .iter()
            .map(|(l, t)| format!("<span lang=\"{}\">{}</span>", escape(l), escape(t)))
            .collect::<Vec<_>>()
            .join("<br>")
    }
}

/// The text in language `lang` (`zh` also matches `zh-CN`, `zh-Hans`, …).
fn pick<'a>(m: &'a MultiLang, lang: &str) -> Option<(&'a str, &'a str)> {
    let exact = m.0.iter().find(|(l, _)| l.eq_ignore_ascii_case(lang));
    let prefix = || {
        m.0.iter().find(|(l, _)| {
            let (l, w) = (l.as_bytes(), lang.as_bytes());
            l.len() > w.len() && l[..w.len()].eq_ignore_ascii_case(w) && l[w.len()] == b'-'
        })
    };
    exact.or_else(prefix).map(|(l, t)| (l.as_str(), t.as_str()))
}

fn plain_name(m: &MultiLang, lang: Lang) -> String {
    let want = if lang == Lang::En { "en" } else { "zh" };
    pick(m, want)
        .map(|(_, t)| t)
        .or_else(|| m.get(want))
        .unwrap_or("")
        .to_string()
}

// ---------------------------------------------------------------------------------------
// Standing at a time.

/// Where a CA stands at a time, all things considered (status, licence or approval,
/// restrictions).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Standing {
    InForce { expiring_soon: Option<i64> },
    NotListed,
    Status(ServiceStatus),
    LicenceNotYet(i64),
    LicenceExpired(i64),
    ApprovalNotYet(i64),
    ApprovalExpired(i64),
    Restricted(i64),
}

const THIRTY_DAYS: i64 = 30 * 86_400;

fn standing(service: &Service, now: i64) -> Standing {
    let Some(iv) = service.interval_at(now) else {
        return Standing::NotListed;
    };
    if !iv.status.is_granted_like() {
        return Standing::Status(iv.status.clone());
    }
    let mut expiring = None;
    if let Some(m) = &iv.extensions.miit {
        if let Some(l) = &m.licence {
            if now < l.issued {
                return Standing::LicenceNotYet(l.issued);
            }
            if now >= l.expires {
                return Standing::LicenceExpired(l.expires);
            }
            if l.expires - now <= THIRTY_DAYS {
                expiring = Some(l.expires);
            }
        }
        if let Some(a) = &m.approval {
            if now < a.valid_from {
                return Standing::ApprovalNotYet(a.valid_from);
            }
            if now >= a.valid_until {
                return Standing::ApprovalExpired(a.valid_until);
            }
        }
        if let Some(r) = m.restrictions.iter().find(|r| r.covers(now)) {
            return Standing::Restricted(r.until);
        }
    }
    Standing::InForce {
        expiring_soon: expiring,
    }
}

fn date(t: i64) -> String {
    let full = fmt_time(t);
    format!(
        "<time datetime=\"{full}\">{}</time>",
        full.get(..10).unwrap_or(&full)
    )
}

fn datetime(t: i64) -> String {
    let full = fmt_time(t);
    format!("<time datetime=\"{full}\">{full}</time>")
}

fn status_label(l: &L, s: &ServiceStatus) -> String {
    match s {
        ServiceStatus::Granted => l.t("已授予", "granted"),
        ServiceStatus::Suspended => l.t("暂停", "suspended"),
        ServiceStatus::Withdrawn => l.t("撤销", "withdrawn"),
        ServiceStatus::RecognisedAtNationalLevel => {
            l.t("国家层面认可", "recognised at national level")
        }
        ServiceStatus::SetByNationalLaw => l.t("依国家法律设立", "set by national law"),
        ServiceStatus::DeprecatedAtNationalLevel | ServiceStatus::DeprecatedByNationalLaw => {
            l.t("已废止", "deprecated")
        }
        other => {
            let label = escape(other.label());
            if other.is_unknown() {
                format!("{} <code>{label}</code>", l.t("未知状态", "unknown status"))
            } else {
                format!("<code>{label}</code>")
            }
        }
    }
}

fn standing_html(l: &L, s: &Standing) -> String {
    // Not in force, with a label and the date it speaks of.
    let dated = |zh: &str, en: &str, t: i64| (false, format!("{} {}", l.t(zh, en), date(t)));
    let (ok, text) = match s {
        Standing::InForce { expiring_soon } => {
            let mut t = l.t("有效", "in force");
            if let Some(e) = expiring_soon {
                let _ = write!(
                    t,
                    "（{} {}）",
                    l.t("许可证即将到期", "licence expires"),
                    date(*e)
                );
            }
            (true, t)
        }
        Standing::NotListed => (false, l.t("尚未列入", "not yet listed")),
        Standing::Status(st) => (false, status_label(l, st)),
        Standing::LicenceNotYet(t) => dated("许可证生效于", "licence in force from", *t),
        Standing::LicenceExpired(t) => dated("许可证已过期", "licence expired", *t),
        Standing::ApprovalNotYet(t) => dated("批准生效于", "approval in force from", *t),
        Standing::ApprovalExpired(t) => dated("批准已过期", "approval expired", *t),
        Standing::Restricted(t) => dated(
            "失信名单限制期内，至",
            "restricted (dishonesty list) until",
            *t,
        ),
    };
    format!(
        "<span class=\"{}\">{text}</span>",
        if ok { "st-ok" } else { "st-bad" }
    )
}

// ---------------------------------------------------------------------------------------
// Page frame.

/// The pages' style sheet (inline in every page): system fonts, dark text on white.
pub const CSS: &str = "body{font-family:system-ui,\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;color:#111;background:#fff;max-width:80rem;margin:0 auto;padding:1rem;line-height:1.5}\
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0}\
caption{text-align:left;font-weight:bold;font-size:1.15rem;padding:.5rem 0}\
th,td{border:1px solid #555;padding:.4rem .5rem;text-align:left;vertical-align:top}\
thead th{background:#e6e6e6}\
a{color:#0645ad}a:visited{color:#551a8b}a:focus{outline:3px solid #b35c00;outline-offset:2px}\
.en{color:#333}\
.banner{padding:.6rem 1rem;border:2px solid;margin:1rem 0}\
.warn{background:#fff4e5;border-color:#8a4500;color:#2e1700}\
.ok{background:#e9f6ec;border-color:#1e6b30;color:#0b2e14}\
.st-ok{color:#145222;font-weight:bold}.st-bad{color:#9e0000;font-weight:bold}\
code{word-break:break-all;font-size:.9em}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:bold}dd{margin:0}\
footer{margin-top:2rem;font-size:.9rem;color:#333}";

fn banner(l: &L, note: &SignatureNote) -> String {
    match note {
        SignatureNote::NotChecked => format!(
            "<p class=\"banner warn\" role=\"note\"><strong>{}</strong> {}</p>",
            l.t("签名未验证。", "Signature not checked."),
            l.t(
                "本目录根据未经验证的信任列表生成，请使用 huren tl verify 验证列表签名。",
                "This directory was made from a trust list whose signature was not verified; verify it with huren tl verify."
            )
        ),
        SignatureNote::Verified {
            signer_subject,
            signer_sha256,
        } => format!(
            "<p class=\"banner ok\" role=\"note\"><strong>{}</strong> {}: {} (SHA-256 <code>{}</code>)</p>",
            l.t("签名已验证。", "Signature verified."),
            l.t("签名者", "Signer"),
            escape(signer_subject),
            escape(signer_sha256)
        ),
    }
}

fn page(
    l: &L,
    title: &str,
    heading: &str,
    body: &str,
    note: &SignatureNote,
    site: &Site<'_>,
) -> String {
    // The default site adds nothing, so `huren tl render` writes what it always wrote.
    let main = if site.header.is_empty() {
        "<main>"
    } else {
        "<main id=\"main\">"
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}{style}</style>\n</head>\n<body>\n{header}{main}\n<h1>{heading}</h1>\n{banner}\n{notice}{body}</main>\n</body>\n</html>\n",
        lang = l.html_lang(),
        banner = banner(l, note),
        style = site.style,
        header = site.header,
        notice = site.notice,
    )
}

fn link(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!("<a href=\"{0}\">{0}</a>", escape(url.trim()))
    } else {
        format!("<code>{}</code>", escape(url))
    }
}

fn none(l: &L) -> String {
    l.t("无", "none")
}

/// The licence, approval and restrictions in force now, else the newest ones in the
/// history (a withdrawn CA's licence is still worth showing).
struct Facts<'a> {
    licence: Option<&'a Licence>,
    approval: Option<&'a Approval>,
    restrictions: &'a [Restriction],
    policies: Vec<String>,
    cps: Option<&'a str>,
    successor: Option<String>,
}

fn facts(service: &Service, now: i64) -> Facts<'_> {
    let current = service.interval_at(now).map(|i| i.extensions);
    let all = current
        .into_iter()
        .chain(std::iter::once(&service.extensions))
        .chain(service.history.iter().map(|h| &h.extensions))
        .filter_map(|e| e.miit.as_ref())
        .collect::<Vec<_>>();
    let first = all.first().copied();
    Facts {
        licence: all.iter().find_map(|m| m.licence.as_ref()),
        approval: all.iter().find_map(|m| m.approval.as_ref()),
        restrictions: first.map_or(&[][..], |m| m.restrictions.as_slice()),
        policies: first
            .map(|m| m.policy_oids.iter().map(|o| o.to_string()).collect())
            .unwrap_or_default(),
        cps: first.and_then(|m| m.cps_url.as_deref()),
        successor: first.and_then(|m| m.successor.clone()).or_else(|| {
            service
                .extensions
                .taken_over_by
                .as_ref()
                .and_then(|t| t.tsp_name.get("zh").map(str::to_string))
        }),
    }
}

/// Text from the list as code.
fn code(s: &str) -> String {
    format!("<code>{}</code>", escape(s))
}

fn code_list(v: &[String]) -> String {
    v.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
}

fn scope_html(l: &L, a: &Approval) -> String {
    let mut parts = Vec::new();
    let pol: Vec<String> = a.policy_oids.iter().map(|o| o.to_string()).collect();
    let alg: Vec<String> = a.algorithms.iter().map(algorithm_label).collect();
    let eku: Vec<String> = a.ekus.iter().map(|o| o.to_string()).collect();
    for (zh, en, v) in [
        ("证书类型（策略）", "certificate types (policies)", &pol),
        ("算法与最小密钥长度", "algorithms, minimum key sizes", &alg),
        ("密钥用途", "key usages", &a.key_usages),
        ("扩展密钥用途", "extended key usages", &eku),
    ] {
        if !v.is_empty() {
            parts.push(format!("{}: {}", l.t(zh, en), code_list(v)));
        }
    }
    if parts.is_empty() {
        none(l)
    } else {
        parts.join("<br>")
    }
}

fn basis_html(l: &L, a: &Approval) -> String {
    let basis = match &a.basis {
        crate::model::Basis::Agreement(n) => format!("{} {}", l.t("协议", "agreement"), escape(n)),
        crate::model::Basis::Reciprocity => l.t("对等原则", "reciprocity"),
    };
    format!("{basis}<br>{}", escape(&a.jurisdiction))
}

// ---------------------------------------------------------------------------------------
// Tables and description lists.

/// Opens a table: its caption and one column header per `cols` (all HTML).
fn table_start(b: &mut String, caption: &str, cols: &[String]) {
    let _ = write!(b, "<table>\n<caption>{caption}</caption>\n<thead><tr>");
    for c in cols {
        let _ = write!(b, "<th scope=\"col\">{c}</th>");
    }
    b.push_str("</tr></thead>\n<tbody>\n");
}

/// A body row: the row header `head`, then one cell per `cells` (all HTML).
fn table_row(b: &mut String, head: &str, cells: &[String]) {
    let _ = write!(b, "<tr><th scope=\"row\">{head}</th>");
    for c in cells {
        let _ = write!(b, "<td>{c}</td>");
    }
    b.push_str("</tr>\n");
}

/// The one row of a table of `cols` columns that has nothing to show.
fn none_row(b: &mut String, l: &L, cols: usize) {
    let _ = writeln!(b, "<tr><td colspan=\"{cols}\">{}</td></tr>", none(l));
}

/// Closes a table opened with [`table_start`].
fn table_end(b: &mut String) {
    b.push_str("</tbody>\n</table>\n");
}

/// A description list of (term, description) pairs (all HTML).
fn dl(items: &[(String, String)]) -> String {
    let mut b = String::from("<dl>\n");
    for (term, description) in items {
        let _ = writeln!(b, "<dt>{term}</dt><dd>{description}</dd>");
    }
    b.push_str("</dl>\n");
    b
}

/// A validity period, from and until dates.
fn period(from: i64, until: i64) -> String {
    format!("{} – {}", date(from), date(until))
}

/// A directory row's heading: the provider's name linking to the CA's page, then the
/// service's name.
fn ca_heading(l: &L, r: &Row<'_>, site: &Site<'_>) -> String {
    let href = match site.ca_link {
        None => r.path.clone(),
        Some((prefix, suffix)) => format!("{prefix}{}{suffix}", ca_page_key(&r.path)),
    };
    format!(
        "<a href=\"{}\">{}</a><br>{}",
        escape(&href),
        l.name(&r.provider.name),
        l.name(&r.service.name)
    )
}

// ---------------------------------------------------------------------------------------
// Index.

/// A table of the directory's CAs of `category`: a row per CA, headed by its names and
/// link, with the `cells` of it (none: no row); one "none" row when there is no such CA.
#[allow(clippy::too_many_arguments)]
fn ca_table(
    b: &mut String,
    l: &L,
    rows: &[Row<'_>],
    category: Category,
    caption: &str,
    cols: &[String],
    view: &View<'_>,
    cells: impl Fn(&Row<'_>) -> Option<Vec<String>>,
) {
    table_start(b, caption, cols);
    let mut n = 0;
    for r in rows
        .iter()
        .filter(|r| r.category == category && view.keeps(r))
    {
        n += 1;
        if let Some(cells) = cells(r) {
            table_row(b, &ca_heading(l, r, view.site), &cells);
        }
    }
    if n == 0 {
        none_row(b, l, cols.len());
    }
    table_end(b);
}

/// What the index shows: the site, and the rows its filter keeps.
struct View<'a> {
    site: &'a Site<'a>,
    now: i64,
}

impl View<'_> {
    fn shows(&self, kind: KindFilter) -> bool {
        self.site
            .filter
            .is_none_or(|f| f.kind == KindFilter::All || f.kind == kind)
    }

    fn keeps(&self, r: &Row<'_>) -> bool {
        let Some(f) = self.site.filter else {
            return true;
        };
        let kind = match r.category {
            Category::Licensed => KindFilter::Licensed,
            Category::Approved => KindFilter::Approved,
            Category::OtherCa => KindFilter::All,
        };
        if f.kind != KindFilter::All && f.kind != kind {
            return false;
        }
        let in_force = matches!(standing(r.service, self.now), Standing::InForce { .. });
        if !f.status.keeps(in_force) {
            return false;
        }
        let q = f.query.trim().to_lowercase();
        if q.is_empty() {
            return true;
        }
        let has = |t: &str| t.to_lowercase().contains(&q);
        let names = r.provider.name.0.iter().chain(&r.provider.trade_names.0);
        let names = names.chain(&r.service.name.0);
        let numbers = std::iter::once(&r.service.extensions)
            .chain(r.service.history.iter().map(|h| &h.extensions))
            .filter_map(|e| e.miit.as_ref())
            .flat_map(|m| {
                let lic = m.licence.as_ref().map(|l| l.number.as_str());
                let appr = m.approval.as_ref().map(|a| a.decision.as_str());
                lic.into_iter().chain(appr)
            });
        names.map(|(_, t)| t.as_str()).chain(numbers).any(has)
            || r.service.certificates().any(|c| sha256_hex(c).contains(&q))
    }

    fn keeps_scheme(&self, p: &Pointer, a: &Approval) -> bool {
        let Some(f) = self.site.filter else {
            return true;
        };
        let in_force = a.valid_from <= self.now && self.now < a.valid_until;
        let q = f.query.trim().to_lowercase();
        let has = |t: &str| t.to_lowercase().contains(&q);
        f.status.keeps(in_force)
            && (q.is_empty()
                || has(&a.decision)
                || has(p.territory.as_deref().unwrap_or(""))
                || has(&p.location))
    }
}

/// The search and filter form, and how many entries it keeps of how many.
fn filter_form(b: &mut String, l: &L, f: &Filter<'_>, kept: usize, total: usize) {
    let _ = writeln!(
        b,
        "<form class=\"filter\" method=\"get\" action=\"{}\" role=\"search\" aria-label=\"{}\">",
        escape(f.action),
        l.plain("搜索目录", "Search the directory")
    );
    let _ = writeln!(
        b,
        "<p><label for=\"q\">{}</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" size=\"30\"></p>",
        l.t("名称或编号", "Name or number"),
        escape(f.query)
    );
    let select =
        |b: &mut String, id: &str, label: String, options: &[(&str, String)], chosen: &str| {
            let _ = write!(
                b,
                "<p><label for=\"{id}\">{label}</label> <select id=\"{id}\" name=\"{id}\">"
            );
            for (value, text) in options {
                let sel = if *value == chosen { " selected" } else { "" };
                let _ = write!(b, "<option value=\"{value}\"{sel}>{text}</option>");
            }
            b.push_str("</select></p>\n");
        };
    select(
        b,
        "kind",
        l.t("类别", "Kind"),
        &[
            ("all", l.plain("全部", "all")),
            ("licensed", l.plain("许可的境内机构", "licensed domestic")),
            ("approved", l.plain("经批准的境外机构", "approved foreign")),
        ],
        f.kind.as_str(),
    );
    select(
        b,
        "status",
        l.t("当前状态", "Status now"),
        &[
            ("all", l.plain("全部", "any")),
            ("in-force", l.plain("有效", "in force")),
            ("not-in-force", l.plain("无效", "not in force")),
        ],
        f.status.as_str(),
    );
    for (name, value) in f.hidden {
        let _ = writeln!(
            b,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        );
    }
    let _ = writeln!(
        b,
        "<p><button type=\"submit\">{}</button></p>\n</form>",
        l.t("筛选", "Filter")
    );
    let _ = writeln!(
        b,
        "<p class=\"count\" role=\"status\">{}</p>",
        match l.0 {
            Lang::Zh => format!("显示 {kept} 条，共 {total} 条。"),
            Lang::En => format!("{kept} of {total} entries shown."),
            Lang::Both => format!(
                "显示 {kept} 条，共 {total} 条。 <span lang=\"en\" class=\"en\">{kept} of {total} entries shown.</span>"
            ),
        }
    );
}

fn render_index_with(
    list: &TrustList,
    rows: &[Row<'_>],
    now: i64,
    lang: Lang,
    note: &SignatureNote,
    site: &Site<'_>,
) -> String {
    let l = L(lang);
    let view = View { site, now };
    let mut b = String::new();
    list_facts(&mut b, &l, list, now);
    let schemes: Vec<(&Pointer, &Approval)> = list
        .pointers
        .iter()
        .filter_map(|p| p.approval.as_ref().map(|a| (p, a)))
        .collect();
    if let Some(f) = site.filter {
        let shown = |c: Category| match c {
            Category::Licensed => view.shows(KindFilter::Licensed),
            Category::Approved => view.shows(KindFilter::Approved),
            Category::OtherCa => f.kind == KindFilter::All,
        };
        let kept = rows
            .iter()
            .filter(|r| shown(r.category) && view.keeps(r))
            .count()
            + if view.shows(KindFilter::Approved) {
                schemes
                    .iter()
                    .filter(|(p, a)| view.keeps_scheme(p, a))
                    .count()
            } else {
                0
            };
        filter_form(&mut b, &l, f, kept, rows.len() + schemes.len());
    }

    // Licensed domestic CAs (Art. 11, 13).
    let caption = l.t(
        "许可的境内电子认证服务机构（第十一条、第十三条）",
        "Licensed domestic certification service providers (Art. 11, 13)",
    );
    let cols = [
        l.t("机构", "Provider"),
        l.t("许可证编号", "Licence number"),
        l.t("发证机关", "Issuing authority"),
        l.t("发证日期", "Issued"),
        l.t("有效期至", "Valid until"),
        l.t("当前状态", "Status now"),
        l.t("证书策略", "Certificate policies"),
    ];
    if view.shows(KindFilter::Licensed) {
        ca_table(
            &mut b,
            &l,
            rows,
            Category::Licensed,
            &caption,
            &cols,
            &view,
            |r| {
                let f = facts(r.service, now);
                let lic = f.licence;
                Some(vec![
                    code(lic.map_or("", |x| x.number.as_str())),
                    lic.map_or(String::new(), |x| escape(&x.issuing_authority)),
                    lic.map_or(String::new(), |x| date(x.issued)),
                    lic.map_or(String::new(), |x| date(x.expires)),
                    standing_html(&l, &standing(r.service, now)),
                    if f.policies.is_empty() {
                        none(&l)
                    } else {
                        code_list(&f.policies)
                    },
                ])
            },
        );
    }

    // Approved foreign CAs (Art. 47–49).
    let caption = l.t(
        "经批准的境外电子认证服务机构（第四十七条至第四十九条）",
        "Approved foreign certification service providers (Art. 47–49)",
    );
    let cols = [
        l.t("机构", "Provider"),
        l.t("批准文号", "Decision number"),
        l.t("批准日期", "Decided"),
        l.t("依据与对方法域", "Basis and jurisdiction"),
        l.t("有效期", "Valid"),
        l.t("当前状态", "Status now"),
        l.t("批准范围", "Approved scope"),
    ];
    if view.shows(KindFilter::Approved) {
        ca_table(
            &mut b,
            &l,
            rows,
            Category::Approved,
            &caption,
            &cols,
            &view,
            |r| {
                let a = facts(r.service, now).approval?;
                Some(vec![
                    code(&a.decision),
                    date(a.decided),
                    basis_html(&l, a),
                    period(a.valid_from, a.valid_until),
                    standing_html(&l, &standing(r.service, now)),
                    scope_html(&l, a),
                ])
            },
        );
    }

    // Approved foreign schemes (pointers carrying an approval).
    if !schemes.is_empty() && view.shows(KindFilter::Approved) {
        let caption = l.t("经批准的境外信任列表", "Approved foreign trust lists");
        let cols = [
            l.t("法域", "Territory"),
            l.t("列表位置", "Location"),
            l.t("批准文号", "Decision number"),
            l.t("有效期", "Valid"),
            l.t("签名证书数", "Pinned signers"),
            l.t("批准范围", "Approved scope"),
        ];
        table_start(&mut b, &caption, &cols);
        let mut n = 0;
        for (p, a) in schemes.iter().filter(|(p, a)| view.keeps_scheme(p, a)) {
            n += 1;
            table_row(
                &mut b,
                &escape(p.territory.as_deref().unwrap_or("?")),
                &[
                    link(&p.location),
                    code(&a.decision),
                    period(a.valid_from, a.valid_until),
                    p.signers.len().to_string(),
                    scope_html(&l, a),
                ],
            );
        }
        if n == 0 {
            none_row(&mut b, &l, cols.len());
        }
        table_end(&mut b);
    }

    // Other CA services (the table only when there are some).
    let others = site.filter.is_none_or(|f| f.kind == KindFilter::All);
    if others && rows.iter().any(|r| r.category == Category::OtherCa) {
        let caption = l.t(
            "列表中的其他认证服务",
            "Other certification services on the list",
        );
        let cols = [
            l.t("机构", "Provider"),
            l.t("服务类型", "Service type"),
            l.t("当前状态", "Status now"),
        ];
        ca_table(
            &mut b,
            &l,
            rows,
            Category::OtherCa,
            &caption,
            &cols,
            &view,
            |r| {
                Some(vec![
                    code(r.service.service_type.label()),
                    standing_html(&l, &standing(r.service, now)),
                ])
            },
        );
    }
    page(
        &l,
        &l.plain(
            "电子认证服务机构目录",
            "Directory of certification service providers",
        ),
        &l.t(
            "电子认证服务机构目录",
            "Directory of certification service providers",
        ),
        &b,
        note,
        site,
    )
}

fn list_facts(b: &mut String, l: &L, list: &TrustList, now: i64) {
    let next = list
        .next_update
        .map_or_else(|| l.t("无（列表已关闭）", "none (closed list)"), datetime);
    b.push_str(&dl(&[
        (l.t("发布者", "Scheme operator"), l.name(&list.operator)),
        (
            l.t("法域", "Territory"),
            escape(list.scheme_territory.as_deref().unwrap_or("?")),
        ),
        (l.t("序号", "Sequence number"), list.sequence.to_string()),
        (l.t("发布时间", "Issued"), datetime(list.issued)),
        (l.t("下次更新", "Next update"), next),
        (l.t("状态时点", "Status as of"), datetime(now)),
    ]));
}

// ---------------------------------------------------------------------------------------
// One CA.

/// Renders the page of one CA service of `list` (see the module documentation). Links back
/// to `../index.html`.
pub fn render_ca_page(
    list: &TrustList,
    provider: &Provider,
    service: &Service,
    now: i64,
    lang: Lang,
    note: &SignatureNote,
) -> String {
    render_ca_page_in(list, provider, service, now, lang, note, &Site::default())
}

/// [`render_ca_page`] inside `site` (its link back to the directory, header, notice and
/// style; see [`Site`]).
pub fn render_ca_page_in(
    list: &TrustList,
    provider: &Provider,
    service: &Service,
    now: i64,
    lang: Lang,
    note: &SignatureNote,
    site: &Site<'_>,
) -> String {
    let l = L(lang);
    let f = facts(service, now);
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p><a href=\"{}\">{}</a></p>",
        escape(site.index_link.unwrap_or("../index.html")),
        l.t("← 返回目录", "← Back to the directory")
    );
    let status = format!(
        "{} ({} {})",
        standing_html(&l, &standing(service, now)),
        l.t("时点", "as of"),
        datetime(now)
    );
    let mut items = vec![
        (l.t("机构", "Provider"), l.name(&provider.name)),
        (l.t("服务名称", "Service name"), l.name(&service.name)),
        (
            l.t("服务类型", "Service type"),
            code(service.service_type.label()),
        ),
        (l.t("当前状态", "Status now"), status),
    ];
    if let Some(x) = f.licence {
        items.extend([
            (l.t("许可证编号", "Licence number"), code(&x.number)),
            (
                l.t("发证机关", "Issuing authority"),
                escape(&x.issuing_authority),
            ),
            (
                l.t("许可证有效期", "Licence valid"),
                period(x.issued, x.expires),
            ),
        ]);
    }
    if let Some(a) = f.approval {
        items.extend([
            (
                l.t("批准文号", "Approval decision"),
                format!("{} ({})", code(&a.decision), date(a.decided)),
            ),
            (
                l.t("依据与对方法域", "Basis and jurisdiction"),
                basis_html(&l, a),
            ),
            (
                l.t("批准有效期", "Approval valid"),
                period(a.valid_from, a.valid_until),
            ),
            (l.t("批准范围", "Approved scope"), scope_html(&l, a)),
        ]);
    }
    if !f.policies.is_empty() {
        items.push((
            l.t("备案的证书策略", "Filed certificate policies"),
            code_list(&f.policies),
        ));
    }
    if let Some(c) = f.cps {
        items.push((
            l.t("电子认证业务规则", "Certification practice statement"),
            link(c),
        ));
    }
    if let Some(s) = &f.successor {
        items.push((l.t("承接机构", "Successor"), escape(s)));
    }
    items.push((
        l.t("所在列表", "On the list"),
        format!(
            "{} {}",
            escape(list.scheme_territory.as_deref().unwrap_or("?")),
            list.sequence
        ),
    ));
    b.push_str(&dl(&items));

    // Certificates.
    table_start(
        &mut b,
        &l.t("证书", "Certificates"),
        &[
            l.t("主题", "Subject"),
            "SHA-256".to_string(),
            l.t("生效", "Not before"),
            l.t("失效", "Not after"),
        ],
    );
    let mut n = 0;
    for id in &service.identities {
        match id {
            DigitalIdentity::Certificate(der) => {
                n += 1;
                match Certificate::from_der(der) {
                    Ok(c) => table_row(
                        &mut b,
                        &escape(c.subject().display()),
                        &[
                            code(c.sha256_hex()),
                            date(c.not_before()),
                            date(c.not_after()),
                        ],
                    ),
                    Err(_) => table_row(
                        &mut b,
                        &l.t("（证书无法解析）", "(the certificate does not parse)"),
                        &[code(&sha256_hex(der)), String::new(), String::new()],
                    ),
                }
            }
            DigitalIdentity::SubjectName(s) => {
                n += 1;
                let _ = writeln!(
                    b,
                    "<tr><th scope=\"row\">{}</th><td colspan=\"3\">{}</td></tr>",
                    escape(s),
                    l.t("仅主题名称", "subject name only")
                );
            }
            _ => {}
        }
    }
    if n == 0 {
        none_row(&mut b, &l, 4);
    }
    table_end(&mut b);

    // Status history.
    table_start(
        &mut b,
        &l.t("状态历史", "Status history"),
        &[l.t("状态", "Status"), l.t("起", "From"), l.t("止", "Until")],
    );
    for iv in service.intervals() {
        table_row(
            &mut b,
            &status_label(&l, iv.status),
            &[
                datetime(iv.from),
                iv.until.map_or_else(|| l.t("至今", "now"), datetime),
            ],
        );
    }
    table_end(&mut b);

    // Restrictions.
    table_start(
        &mut b,
        &l.t(
            "失信名单限制（第三十九条）",
            "Dishonesty-list restrictions (Art. 39)",
        ),
        &[
            l.t("起", "From"),
            l.t("止", "Until"),
            l.t("决定", "Decision"),
        ],
    );
    for r in f.restrictions {
        let in_force = if r.covers(now) {
            format!(" ({})", l.t("生效中", "in force"))
        } else {
            String::new()
        };
        table_row(
            &mut b,
            &format!("{}{in_force}", date(r.from)),
            &[date(r.until), escape(&r.reason)],
        );
    }
    if f.restrictions.is_empty() {
        none_row(&mut b, &l, 3);
    }
    table_end(&mut b);

    let title = escape(&plain_name(&service.name, lang));
    let heading = l.name(&service.name);
    page(&l, &title, &heading, &b, note, site)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MiitServiceExtension;

    fn sample() -> TrustList {
        let mut s = Service {
            service_type: crate::model::ServiceType::CaPkc,
            name: MultiLang::single("zh", "<script>alert(1)</script>").with("en", "Evil & Co"),
            identities: vec![DigitalIdentity::Certificate(b"not a cert".to_vec())],
            status: ServiceStatus::Granted,
            status_start: 0,
            ..Default::default()
        };
        s.extensions.miit = Some(MiitServiceExtension {
            licence: Some(Licence {
                number: "ECP-1\"".into(),
                issuing_authority: "MIIT".into(),
                issued: 0,
                expires: 1_000_000,
            }),
            ..Default::default()
        });
        TrustList {
            sequence: 7,
            scheme_territory: Some("CN".into()),
            providers: vec![Provider {
                name: MultiLang::single("zh", "甲公司"),
                services: vec![s],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn escapes_everything_from_the_list() {
        let files = render_directory(&sample(), 10, Lang::Both, &SignatureNote::NotChecked);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].0, "index.html");
        assert!(files[1].0.starts_with("ca/") && files[1].0.ends_with(".html"));
        for (_, html) in &files {
            assert!(!html.contains("<script>"), "{html}");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            assert!(html.contains("lang=\"zh-CN\""));
            assert!(html.contains("Signature not checked"));
        }
        assert!(files[0].1.contains("ECP-1&quot;"));
        assert!(files[0].1.contains("<th scope=\"col\">"));
        assert!(files[0].1.contains("<caption>"));
    }

    #[test]
    fn standing_follows_licence_and_restrictions() {
        let l = sample();
        let s = &l.providers[0].services[0];
        assert!(matches!(standing(s, 10), Standing::InForce { .. }));
        assert_eq!(standing(s, 1_000_000), Standing::LicenceExpired(1_000_000));
        assert_eq!(standing(s, -5), Standing::NotListed);
    }

    #[test]
    fn languages_match_by_prefix_without_slicing_characters() {
        let m = MultiLang::single("中文", "x")
            .with("zh-CN", "甲")
            .with("en", "A");
        assert_eq!(pick(&m, "zh"), Some(("zh-CN", "甲")));
        assert_eq!(pick(&m, "en"), Some(("en", "A")));
        assert_eq!(pick(&MultiLang::single("中", "x"), "zh"), None);
    }

    #[test]
    fn a_site_links_its_own_way_and_filters_rows() {
        let mut list = sample();
        let mut other = list.providers[0].services[0].clone();
        other.name = MultiLang::single("en", "Second CA");
        other.identities = vec![DigitalIdentity::Certificate(b"another".to_vec())];
        if let Some(m) = other.extensions.miit.as_mut()
            && let Some(l) = m.licence.as_mut()
        {
            l.number = "ECS-2".into();
        }
        list.providers[0].services.push(other);
        let note = SignatureNote::NotChecked;
        // The default site is what `huren tl render` writes.
        let files = render_directory(&list, 10, Lang::En, &note);
        assert_eq!(
            render_index(&list, 10, Lang::En, &note, &Site::default()),
            files[0].1
        );
        let key = ca_page_key(&files[1].0).to_string();
        assert_eq!(key.len(), 64);
        assert_eq!(
            find_ca(&list, &key.to_ascii_uppercase()).map(|(_, s)| s.name.get("en")),
            Some(Some("Evil & Co"))
        );
        assert!(find_ca(&list, "00").is_none());
        let hidden = [("lang", "en")];
        let filter = Filter {
            action: "/directory",
            query: "ecs-2",
            hidden: &hidden,
            ..Filter::default()
        };
        let site = Site {
            ca_link: Some(("/directory/", "?lang=en")),
            header: "<nav>N</nav>\n",
            filter: Some(&filter),
            ..Site::default()
        };
        let html = render_index(&list, 10, Lang::En, &note, &site);
        assert!(html.contains("<nav>N</nav>\n<main id=\"main\">"));
        assert!(html.contains("<label for=\"q\">Name or number</label>"));
        assert!(html.contains("value=\"ecs-2\""));
        assert!(html.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"));
        assert!(html.contains("1 of 2 entries shown."), "{html}");
        assert!(html.contains("Second CA") && !html.contains("Evil &amp; Co"));
        assert!(html.contains("href=\"/directory/") && html.contains("?lang=en\""));
        // Not in force at 1_000_000 (the licence expired): the status filter drops both.
        let f = Filter {
            status: StatusFilter::InForce,
            ..filter
        };
        let site = Site {
            filter: Some(&f),
            ..site
        };
        let html = render_index(&list, 1_000_000, Lang::En, &note, &site);
        assert!(html.contains("0 of 2 entries shown."), "{html}");
        // The CA page links back where the site says.
        let (p, s) = find_ca(&list, &key).unwrap();
        let site = Site {
            index_link: Some("/directory?lang=en"),
            ..Site::default()
        };
        let page = render_ca_page_in(&list, p, s, 10, Lang::En, &note, &site);
        assert!(page.contains("<a href=\"/directory?lang=en\">"));
        assert_eq!(render_ca_page(&list, p, s, 10, Lang::En, &note), files[1].1);
    }

    #[test]
    fn one_language_only() {
        let files = render_directory(&sample(), 10, Lang::En, &SignatureNote::NotChecked);
        assert!(files[0].1.contains("<html lang=\"en\">"));
        assert!(!files[0].1.contains("许可证编号"));
        let files = render_directory(&sample(), 10, Lang::Zh, &SignatureNote::NotChecked);
        assert!(files[0].1.contains("许可证编号"));
        assert!(!files[0].1.contains("Licence number"));
    }
}
