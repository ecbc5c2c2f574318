//! The interoperability check a foreign CA runs before going live (Art. 47–49): each chain is
//! validated under the trust list (or given anchors) and **every** deviation is reported —
//! each failed RFC 5280 check, each Art. 21 profile rule, each limit of the approval's scope —
//! with the clause or article it rests on and what to change. The same report backs
//! `huren interop check` (text, JSON, HTML) and the service's `/interop` page.

use huren_validator::{
    AnchorSet, Certificate, CheckResult, Code, Report, SignatureMemo, Status, ValidationOptions,
    fmt_time, validate,
};
use serde_json::{Value, json};

/// One chain to check: the end-entity certificate first, then its intermediates.
#[derive(Debug)]
pub struct ChainInput {
    /// A name for the report (the file name, or `chain 1`).
    pub name: String,
    /// The certificates, end entity first.
    pub certs: Vec<Certificate>,
}

/// How the chains are checked.
#[derive(Clone, Debug, Default)]
pub struct InteropOptions {
    /// The validation options (time, policies, usages, profile, revocation).
    pub validation: ValidationOptions,
    /// The approval decision the chains must rest on (`MIIT-XB-2026-007`); `None`: any
    /// anchor of the list.
    pub approval: Option<String>,
    /// What the anchors are (for the report): `MIIT CN #42 (sha256:…)` or `given anchors`.
    pub trust: String,
}

/// Whether a deviation fails the chain or is only worth fixing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The chain does not pass.
    Error,
    /// The chain passes, but this should change.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One deviation: what rule, where, what was found, and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deviation {
    /// Error or warning.
    pub severity: Severity,
    /// The check (`VALIDITY`, `ANCHOR.APPROVAL`, `EE_POLICY_OID`, …).
    pub check: String,
    /// The certificate concerned (0 = end entity), if one.
    pub cert_index: Option<usize>,
    /// The clause or article the rule rests on.
    pub rule: String,
    /// The stable code.
    pub code: Code,
    /// What was found.
    pub message: String,
    /// What to change.
    pub fix: &'static str,
}

/// The result for one chain.
#[derive(Debug)]
pub struct ChainReport {
    /// The chain's name.
    pub name: String,
    /// The validation report.
    pub report: Report,
    /// Every deviation, errors first.
    pub deviations: Vec<Deviation>,
}

impl ChainReport {
    /// Whether the chain passes: VALID, under the approval asked for, with no error.
    pub fn passed(&self) -> bool {
        self.report.status == Status::Valid
            && !self
                .deviations
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// The report over all chains.
#[derive(Debug)]
pub struct InteropReport {
    /// Each chain, in input order.
    pub chains: Vec<ChainReport>,
    /// The validation time.
    pub time: i64,
    /// The approval asked for.
    pub approval: Option<String>,
    /// What the anchors were.
    pub trust: String,
}

/// Checks every chain against `anchors`.
pub fn check(chains: Vec<ChainInput>, anchors: &AnchorSet, opts: &InteropOptions) -> InteropReport {
    let memo = SignatureMemo::new(1024);
    let mut out = Vec::with_capacity(chains.len());
    for c in chains {
        let mut certs = c.certs.into_iter();
        let report = match certs.next() {
            Some(leaf) => {
                let rest: Vec<Certificate> = certs.collect();
                validate(&leaf, &rest, anchors, &[], &opts.validation, &memo)
            }
            None => Report::decided(
                Code::MalformedCertificate,
                "the chain holds no certificate",
                opts.validation.time,
            ),
        };
        let deviations = deviations(&report, opts.approval.as_deref());
        out.push(ChainReport {
            name: c.name,
            report,
            deviations,
        });
    }
    InteropReport {
        chains: out,
        time: opts.validation.time,
        approval: opts.approval.clone(),
        trust: opts.trust.clone(),
    }
}

/// The deviations of one report: its failed checks, its warnings, the overall failure when
/// no check names it, and the approval asked for when the path rests on another.
fn deviations(r: &Report, approval: Option<&str>) -> Vec<Deviation> {
    let mut out: Vec<Deviation> = Vec::new();
    for c in &r.checks {
        let severity = match c.result {
            CheckResult::Failed => Severity::Error,
            CheckResult::Warning => Severity::Warning,
            CheckResult::Passed | CheckResult::Skipped => continue,
        };
        out.push(Deviation {
            severity,
            check: c.id.to_string(),
            cert_index: c.cert_index,
            rule: c.rule.to_string(),
            code: c.code,
            message: c.message.to_string(),
            fix: fix(c.id, c.code, &c.message),
        });
    }
    for w in &r.warnings {
        // A warning already given as a check is not repeated.
        if out
            .iter()
            .any(|d| d.code == w.code && d.cert_index == w.cert_index && d.message == w.message)
        {
            continue;
        }
        out.push(Deviation {
            severity: Severity::Warning,
            check: "WARNING".into(),
            cert_index: w.cert_index,
            rule: rule_of(w.code).into(),
            code: w.code,
            message: w.message.clone(),
            fix: fix("", w.code, &w.message),
        });
    }
    if r.status != Status::Valid && !out.iter().any(|d| d.severity == Severity::Error) {
        out.push(Deviation {
            severity: Severity::Error,
            check: "RESULT".into(),
            cert_index: None,
            rule: rule_of(r.code).into(),
            code: r.code,
            message: r.message.clone(),
            fix: fix("", r.code, &r.message),
        });
    }
    if let Some(want) = approval
        && r.status == Status::Valid
    {
        let got = r.anchor.as_ref().and_then(|a| a.approval.as_deref());
        if got != Some(want) {
            out.push(Deviation {
                severity: Severity::Error,
                check: "ANCHOR.APPROVAL".into(),
                cert_index: r.path.len().checked_sub(1),
                rule: "Art. 47–49".into(),
                code: Code::OutsideApprovedScope,
                message: match (got, &r.anchor) {
                    (Some(g), _) => {
                        format!("the path rests on approval {g}, not on {want}")
                    }
                    (None, Some(a)) => format!(
                        "the path rests on {} ({}), which is not under approval {want}",
                        a.provenance.service,
                        a.kind.as_str()
                    ),
                    (None, None) => format!(
                        "the path rests on an anchor outside the trust list, not on approval {want}"
                    ),
                },
                fix: "Chain the certificates to the CA certificate listed under this approval in MIIT's trust list.",
            });
        }
    }
    out.sort_by_key(|d| d.severity != Severity::Error);
    out
}

/// The clause a bare code rests on (for warnings and overall failures without a check).
fn rule_of(code: Code) -> &'static str {
    match code {
        Code::NoPathToTrustAnchor => "RFC 5280 §6.1; RFC 4158",
        Code::LicenceExpiringSoon => "Art. 15",
        Code::OutsideApprovedScope => "Art. 47–49",
        Code::AnchorNotTrustedAtTime => "Art. 11, 47–49",
        Code::ProfileViolation | Code::ProfileDeviation => "Art. 21; GM/T 0015",
        Code::TrustListExpired | Code::TrustListNearExpiry => "ETSI TS 119 612 §5.3.14",
        Code::ExpiringSoon => "RFC 5280 §4.1.2.5",
        Code::RevocationSoftFailed | Code::RevocationUnavailable | Code::RevocationStale => {
            "RFC 5280 §6.3; Art. 19 (4)"
        }
        _ => "RFC 5280 §6.1",
    }
}

/// What to change, by check, code and (for the approval's scope) what was found.
fn fix(check: &str, code: Code, message: &str) -> &'static str {
    if check == "ANCHOR.SCOPE" || code == Code::OutsideApprovedScope {
        let m = message.to_ascii_lowercase();
        if m.contains("policy") || m.contains("certificate types") {
            return "Issue under a certificate policy OID that the approval lists as a certificate type (Art. 48).";
        }
        if m.contains("extkeyusage") || m.contains("extended key usage") {
            return "Limit extendedKeyUsage to the application scenarios the approval lists (Art. 48).";
        }
        if m.contains("key usage") || m.contains("keyusage") {
            return "Limit keyUsage to the usages the approval lists (Art. 48).";
        }
        if m.contains("algorithm") || m.contains(" key ") || m.contains("bits") {
            return "Use a key algorithm, curve and size, and a signature algorithm, that the approval lists (Art. 48).";
        }
        if m.contains("valid") || m.contains("until") || m.contains("from") {
            return "Issue within the approval's validity dates (Art. 47, 49).";
        }
    }
    match check {
        "ISSUER_NAME" => {
            return "Put the issuing CA's registered name in the issuer field (Art. 21 (2)).";
        }
        "EE_HOLDER_NAME" => {
            return "Name the certificate holder in the subject (Art. 21 (1)).";
        }
        "EE_POLICY_OID" => {
            return "Assert the certificate policy OID of the certificate type approved (Art. 21 (7)).";
        }
        "SERIAL_POSITIVE" | "SERIAL_LENGTH" => {
            return "Issue a positive serial number of at most 20 octets with at least 64 random bits (RFC 5280 §4.1.2.2, Art. 21 (3)).";
        }
        "ANCHOR.RESTRICTION" => {
            return "The CA is under a restriction for the time the certificate was issued: reissue it after the restriction ends (Art. 39).";
        }
        "ANCHOR.LICENCE" => {
            return "The licence is not in force at that time: have it renewed before issuing (Art. 11, 15).";
        }
        _ => {}
    }
    if message.contains("empty distinguishing ID") {
        return "Sign SM2 with the GM/T 0009 default ID 1234567812345678 (with OpenSSL 3: -sigopt distid:1234567812345678; for OCSP responses OpenSSL has no such option, so sign them with a tool that takes the ID).";
    }
    match code {
        Code::CertExpired | Code::CertNotYetValid => {
            "Use a certificate whose validity covers the time of use, inside its issuer's validity."
        }
        Code::BadSignature => {
            "Sign each certificate with the key of the CA certificate it names as issuer."
        }
        Code::MalformedCertificate => "Encode the certificate in DER as RFC 5280 §4.1 specifies.",
        Code::BasicConstraintsViolation => {
            "Mark CA certificates with basicConstraints cA=TRUE (critical) and end entities without it."
        }
        Code::PathLengthExceeded => {
            "Shorten the chain, or raise pathLenConstraint on the CA that limits it."
        }
        Code::NameConstraintsViolation => {
            "Issue names inside the name constraints of the CAs above, or change the constraints."
        }
        Code::PolicyNotSatisfied => {
            "Assert the required certificate policy OID in every certificate of the path (or map it)."
        }
        Code::KeyUsageNotAllowed => {
            "Assert the key usages the use needs (and the approval allows) in keyUsage."
        }
        Code::EkuNotAllowed => "Include the needed purposes in extendedKeyUsage.",
        Code::ServerNameMismatch => "Put the server's DNS name or IP address in subjectAltName.",
        Code::UnhandledCriticalExtension => {
            "Remove the unknown critical extension, or mark it non-critical."
        }
        Code::AlgorithmNotAllowed | Code::AlgorithmUnsupported => {
            "Use a signature algorithm and key size that the approval lists."
        }
        Code::AnchorNotTrustedAtTime => {
            "The CA's status does not allow trust at that time: check the trust list's status history for the CA."
        }
        Code::OutsideApprovedScope => {
            "Stay inside the approval: its validity dates, certificate types (policy OIDs), algorithms and key sizes, key usages and EKUs."
        }
        Code::ProfileViolation | Code::ProfileDeviation => {
            "Follow the certificate profile of Art. 21 and GM/T 0015 for this field."
        }
        Code::NoPathToTrustAnchor => {
            "Send every intermediate, and chain to a CA certificate that the trust list holds."
        }
        Code::CertRevoked | Code::CaRevoked => "The certificate is revoked: issue a new one.",
        Code::RevocationUnavailable | Code::RevocationStale | Code::RevocationUnknown => {
            "Publish current CRLs or an OCSP responder at the locations the certificates name."
        }
        Code::RevocationSoftFailed => {
            "Publish current CRLs or an OCSP responder at the locations the certificates name."
        }
        Code::ExpiringSoon => "Renew the certificate before it expires.",
        Code::LicenceExpiringSoon => "Have the licence renewed before it expires (Art. 15).",
        Code::TrustListExpired | Code::TrustListNearExpiry | Code::TrustListUnavailable => {
            "Check against the current trust list."
        }
        Code::PathBuildingBudgetExceeded => {
            "Send only the intermediates of the path, without decoys or loops."
        }
        _ => "See the message.",
    }
}

impl InteropReport {
    /// Whether every chain passes.
    pub fn passed(&self) -> bool {
        self.chains.iter().all(ChainReport::passed)
    }

    /// The report as JSON: `passed`, `validationTime`, `approval`, `trust`, and per chain
    /// `name`, `passed`, the validation result (`report`) and `deviations`.
    pub fn to_json(&self) -> Value {
        json!({
            "passed": self.passed(),
            "validationTime": fmt_time(self.time),
            "approval": self.approval,
            "trust": self.trust,
            "chains": self.chains.iter().map(|c| json!({
                "name": c.name,
                "passed": c.passed(),
                "status": c.report.status.as_str(),
                "code": c.report.code.as_str(),
                "message": c.report.message,
                "deviations": c.deviations.iter().map(|d| json!({
                    "severity": d.severity.as_str(),
                    "check": d.check,
                    "certIndex": d.cert_index,
                    "rule": d.rule,
                    "code": d.code.as_str(),
                    "message": d.message,
                    "fix": d.fix,
                })).collect::<Vec<_>>(),
                "report": crate::render::report_json(&c.report),
            })).collect::<Vec<_>>(),
        })
    }

    /// The report as text.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "huren interop check: {} of {} chains pass ({}{})",
            self.chains.iter().filter(|c| c.passed()).count(),
            self.chains.len(),
            fmt_time(self.time),
            self.approval
                .as_ref()
                .map_or(String::new(), |a| format!(", approval {a}"))
        );
        let _ = writeln!(s, "trust: {}", self.trust);
        for c in &self.chains {
            let _ = writeln!(
                s,
                "\n== {}: {} ({} {})",
                c.name,
                if c.passed() { "PASS" } else { "FAIL" },
                c.report.status,
                c.report.code
            );
            let _ = writeln!(s, "   {}", c.report.message);
            for p in &c.report.path {
                let _ = writeln!(s, "   [{}] {}", p.index, p.subject);
            }
            if let Some(a) = &c.report.anchor {
                let _ = writeln!(
                    s,
                    "   anchor: {} ({}){}{}",
                    a.provenance.service,
                    a.kind.as_str(),
                    a.approval
                        .as_ref()
                        .map_or(String::new(), |d| format!(", approval {d}")),
                    a.licence
                        .as_ref()
                        .map_or(String::new(), |l| format!(", licence {l}"))
                );
            }
            if c.deviations.is_empty() {
                let _ = writeln!(s, "   no deviation");
            }
            for d in &c.deviations {
                let at = d
                    .cert_index
                    .map_or("path".to_string(), |i| format!("[{i}]"));
                let _ = writeln!(
                    s,
                    "   {:<7} {} {} {} — {}\n           rule: {}\n           change: {}",
                    d.severity.as_str(),
                    d.check,
                    at,
                    d.code,
                    d.message,
                    d.rule,
                    d.fix
                );
            }
        }
        s
    }

    /// The report as one self-contained HTML page (no external assets, no script) in `lang`.
    pub fn to_html(&self, lang: Lang) -> String {
        let mut h = String::with_capacity(16 * 1024);
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
            lang.code(),
            esc(lang.t("title")),
            STYLE
        ));
        self.html_body(&mut h, lang);
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }

    /// The report's content (a `<section>`), for embedding in a page.
    pub fn html_body(&self, h: &mut String, lang: Lang) {
        use std::fmt::Write;
        let passed = self.chains.iter().filter(|c| c.passed()).count();
        let _ = write!(
            h,
            "<section class=\"report\" aria-labelledby=\"report-title\">\n<h1 id=\"report-title\">{}</h1>\n<p class=\"summary {}\"><strong>{}</strong></p>\n<dl>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
            esc(lang.t("title")),
            if self.passed() { "pass" } else { "fail" },
            esc(&lang
                .t("summary")
                .replace("{p}", &passed.to_string())
                .replace("{n}", &self.chains.len().to_string())),
            esc(lang.t("time")),
            esc(&fmt_time(self.time)),
            esc(lang.t("approval")),
            esc(self.approval.as_deref().unwrap_or(lang.t("any"))),
            esc(lang.t("trust")),
            esc(&self.trust),
        );
        for (i, c) in self.chains.iter().enumerate() {
            let verdict = if c.passed() {
                lang.t("pass")
            } else {
                lang.t("fail")
            };
            let _ = write!(
                h,
                "<article class=\"chain\" aria-labelledby=\"chain-{i}\">\n<h2 id=\"chain-{i}\">{} — <span class=\"{}\">{}</span></h2>\n<p><code>{} {}</code>: {}</p>\n",
                esc(&c.name),
                if c.passed() { "pass" } else { "fail" },
                esc(verdict),
                c.report.status,
                c.report.code,
                esc(&c.report.message)
            );
            if !c.report.path.is_empty() {
                let _ = write!(h, "<h3>{}</h3>\n<ol start=\"0\">\n", esc(lang.t("path")));
                for p in &c.report.path {
                    let _ = writeln!(
                        h,
                        "<li>{} <small>({} {} – {})</small></li>",
                        esc(&p.subject),
                        esc(lang.t("valid")),
                        esc(&fmt_time(p.not_before)),
                        esc(&fmt_time(p.not_after))
                    );
                }
                h.push_str("</ol>\n");
            }
            if let Some(a) = &c.report.anchor {
                let _ = writeln!(
                    h,
                    "<p>{}: {} ({}){}{}</p>",
                    esc(lang.t("anchor")),
                    esc(&a.provenance.service),
                    esc(a.kind.as_str()),
                    a.approval.as_ref().map_or(String::new(), |d| format!(
                        ", {} {}",
                        esc(lang.t("approval")),
                        esc(d)
                    )),
                    a.licence.as_ref().map_or(String::new(), |l| format!(
                        ", {} {}",
                        esc(lang.t("licence")),
                        esc(l)
                    ))
                );
            }
            let _ = writeln!(h, "<h3>{}</h3>", esc(lang.t("deviations")));
            if c.deviations.is_empty() {
                let _ = writeln!(h, "<p>{}</p>", esc(lang.t("none")));
                h.push_str("</article>\n");
                continue;
            }
            let _ = write!(
                h,
                "<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
                esc(lang.t("severity")),
                esc(lang.t("check")),
                esc(lang.t("certificate")),
                esc(lang.t("found")),
                esc(lang.t("rule")),
                esc(lang.t("fix")),
            );
            for d in &c.deviations {
                let _ = writeln!(
                    h,
                    "<tr class=\"{}\"><td>{}</td><td><code>{}</code><br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    d.severity.as_str(),
                    esc(match d.severity {
                        Severity::Error => lang.t("error"),
                        Severity::Warning => lang.t("warning"),
                    }),
                    esc(&d.check),
                    d.code,
                    d.cert_index
                        .map_or_else(|| esc(lang.t("whole")), |i| i.to_string()),
                    esc(&d.message),
                    esc(&d.rule),
                    esc(d.fix)
                );
            }
            h.push_str("</tbody>\n</table>\n</article>\n");
        }
        h.push_str("</section>\n");
    }
}

/// The language of a page or report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language an `Accept-Language` header prefers among ours (English by default).
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best = (Lang::En, -1.0f32);
        for part in header.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::Zh
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if q > best.1 {
                best = (lang, q);
            }
        }
        best.0
    }

    /// A label in this language.
    pub fn t(self, key: &str) -> &'static str {
        let (en, zh) = match key {
            "title" => ("Interoperability check", "互认检测报告"),
            "summary" => ("{p} of {n} chains pass", "{n} 条证书链中 {p} 条通过"),
            "time" => ("Validation time", "验证时间"),
            "approval" => ("Approval", "认可决定"),
            "licence" => ("Licence", "许可证"),
            "any" => (
                "any approval or licence on the list",
                "信任列表中的任一认可或许可",
            ),
            "trust" => ("Trust anchors", "信任锚"),
            "pass" => ("passes", "通过"),
            "fail" => ("does not pass", "未通过"),
            "path" => ("Path (end entity first)", "证书路径（从终端实体开始）"),
            "valid" => ("valid", "有效期"),
            "anchor" => ("Anchor", "信任锚"),
            "deviations" => ("Deviations", "偏差"),
            "none" => ("No deviation.", "无偏差。"),
            "severity" => ("Severity", "级别"),
            "check" => ("Check", "检查项"),
            "certificate" => ("Certificate", "证书"),
            "found" => ("Found", "发现"),
            "rule" => ("Rule", "依据"),
            "fix" => ("What to change", "修改建议"),
            "error" => ("error", "错误"),
            "warning" => ("warning", "警告"),
            "whole" => ("whole path", "整条路径"),
            _ => ("", ""),
        };
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Escapes text for HTML element content and attribute values (the directory's escaping).
pub use huren_trustlists::render::escape as esc;

/// The report's style: system fonts, high contrast, no external assets.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#111;background:#fff;margin:0;line-height:1.5}main{max-width:72rem;margin:0 auto;padding:1rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.3rem .5rem;text-align:left;vertical-align:top}thead{background:#e8e8e8}.pass{color:#0b5d1e}.fail{color:#a00000}tr.error td:first-child{color:#a00000;font-weight:bold}tr.warning td:first-child{color:#7a4d00}code{font-size:.9em}a{color:#0645ad}a:focus,button:focus,input:focus,textarea:focus,select:focus{outline:3px solid #1a73e8;outline-offset:2px}";
