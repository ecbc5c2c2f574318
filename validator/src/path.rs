//! Path building (depth-first, backtracking, budgeted) and RFC 5280 §6.1 on each complete
//! path, then §6.3 revocation (OCSP, RFC 6960, before CRLs).

use crate::algorithms::{self, SignatureError};
use crate::anchors::{Anchor, AnchorSet};
use crate::cert::{Certificate, KeyUsageBit};
use crate::crl::{self, Crl, CrlSignatureCheck, CrlStatus};
use crate::memo::SignatureMemo;
use crate::names::{self, ConstrainedNames, GeneralSubtree, NameCheck};
use crate::ocsp::{self, OcspCertStatus, OcspResponse};
use crate::oid::{self, Oid};
use crate::policy_tree::{PolicyError, PolicyState};
use crate::profile::{self, Profile, Role, Severity};
use crate::report::{
    AnchorOutcome, Check, CheckResult, Code, PathEntry, Report, RevocationEntry, Source, Status,
    Warning, WorkStats,
};
use crate::scope;
use crate::time::fmt_time;
use crate::{RevocationPolicy, ValidationOptions};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// How close to the validation time a notAfter triggers `EXPIRING_SOON` (30 days).
const EXPIRING_SOON_SECS: i64 = 30 * 86_400;

#[derive(Clone, Copy)]
struct Node<'a> {
    cert: &'a Certificate,
    source: Source,
    anchor: Option<&'a Anchor>,
}

struct Failure<'a> {
    complete: bool,
    depth: usize,
    key_id_match: bool,
    code: Code,
    message: String,
    path: Vec<Node<'a>>,
    checks: Vec<Check>,
    /// The revocation evidence found before the path failed (a revoked certificate's entry
    /// says where the answer came from).
    revocation: Vec<RevocationEntry>,
}

impl Failure<'_> {
    fn score(&self) -> (bool, u8, usize, bool) {
        if self.complete {
            (true, self.code.specificity(), self.depth, self.key_id_match)
        } else {
            (
                false,
                self.depth.min(255) as u8,
                self.code.specificity() as usize,
                self.key_id_match,
            )
        }
    }
}

struct Success<'a> {
    path: Vec<Node<'a>>,
    checks: Vec<Check>,
    warnings: Vec<Warning>,
    policies: crate::PolicyOutcome,
    revocation: Vec<RevocationEntry>,
    valid_until: Option<i64>,
}

struct Search<'a> {
    opts: &'a ValidationOptions,
    anchors: &'a AnchorSet,
    intermediates: &'a [&'a Certificate],
    by_subject: NameIndex<'a>,
    /// Per intermediate: whether an anchor can be reached from it by issuer names at all.
    reachable: Vec<bool>,
    crls: &'a [Crl],
    ocsp: &'a [OcspResponse],
    memo: &'a SignatureMemo,
    stats: Cell<WorkStats>,
    signatures_left: Cell<u32>,
    candidates_left: u32,
    exhausted: Cell<bool>,
    best: RefCell<Option<Failure<'a>>>,
    /// The anchor of the path whose revocation is being checked (RFC 5280 §6.3.3 (f): a CRL
    /// issuer's own path must end at the same anchor).
    current_anchor: Cell<Option<&'a Certificate>>,
    /// Name-constraint comparisons left for the whole search.
    name_budget: Cell<u64>,
    /// Whether the target is a delegated CRL signer (RFC 5280 §6.3.3 (f)) rather than the
    /// caller's certificate: an approval's certificate types and usages do not apply to it.
    crl_signer: bool,
}

/// The revocation evidence a validation may use (RFC 5280 §6.3, RFC 6960), supplied by the
/// caller (fetching belongs to the service). For each certificate of the path below the
/// anchor, a current response from an authorised OCSP responder is used first; else the
/// CRLs in scope.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence<'a> {
    /// CRLs (complete and delta).
    pub crls: &'a [Crl],
    /// OCSP responses.
    pub ocsp: &'a [OcspResponse],
}

/// Validates `target` against `anchors`, using `intermediates` as untrusted path-building
/// hints and `crls` as revocation evidence, under `options`. Signatures verified before (per
/// `memo`) are not verified again. [`validate_with_evidence`] with CRLs only.
pub fn validate(
    target: &Certificate,
    intermediates: &[Certificate],
    anchors: &AnchorSet,
    crls: &[Crl],
    options: &ValidationOptions,
    memo: &SignatureMemo,
) -> Report {
    let refs: Vec<&Certificate> = intermediates.iter().collect();
    let evidence = Evidence { crls, ocsp: &[] };
    run(target, &refs, anchors, &evidence, options, memo, false)
}

/// [`validate`] with the intermediates borrowed, for a caller that keeps parsed
/// intermediates shared between validations (a service's cache of known CA certificates).
pub fn validate_borrowed(
    target: &Certificate,
    intermediates: &[&Certificate],
    anchors: &AnchorSet,
    crls: &[Crl],
    options: &ValidationOptions,
    memo: &SignatureMemo,
) -> Report {
    let evidence = Evidence { crls, ocsp: &[] };
    run(
        target,
        intermediates,
        anchors,
        &evidence,
        options,
        memo,
        false,
    )
}

/// Validates `target` against `anchors`, with `intermediates` as untrusted path-building
/// hints and `evidence` (OCSP responses and CRLs) for revocation, under `options`.
/// Signatures verified before (per `memo`) are not verified again; OCSP response and
/// responder-certificate signatures count in the signature budget like the others.
pub fn validate_with_evidence(
    target: &Certificate,
    intermediates: &[&Certificate],
    anchors: &AnchorSet,
    evidence: &Evidence<'_>,
    options: &ValidationOptions,
    memo: &SignatureMemo,
) -> Report {
    run(
        target,
        intermediates,
        anchors,
        evidence,
        options,
        memo,
        false,
    )
}

/// [`validate`], for the caller's certificate or (`crl_signer`) for a CRL signer's own path.
fn run<'a>(
    target: &'a Certificate,
    intermediates: &'a [&'a Certificate],
    anchors: &AnchorSet,
    evidence: &Evidence<'_>,
    options: &ValidationOptions,
    memo: &SignatureMemo,
    crl_signer: bool,
) -> Report {
    let by_subject = NameIndex::new(intermediates, |c| c.subject());
    let reachable = name_reachable(intermediates, anchors);
    let mut search = Search {
        opts: options,
        anchors,
        intermediates,
        by_subject,
        reachable,
        crls: evidence.crls,
        ocsp: evidence.ocsp,
        memo,
        stats: Cell::new(WorkStats::default()),
        signatures_left: Cell::new(options.budget.signatures),
        candidates_left: options.budget.candidates,
        exhausted: Cell::new(false),
        best: RefCell::new(None),
        current_anchor: Cell::new(None),
        name_budget: Cell::new(options.budget.name_comparisons),
        crl_signer,
    };
    let target_node = Node {
        cert: target,
        source: Source::Target,
        anchor: None,
    };
    let mut path = vec![target_node];
    let found = search.extend(&mut path);
    let mut stats = search.stats.get();
    stats.budget_exhausted |= search.exhausted.get();
    let time = options.time;
    match found {
        Some(s) => Report {
            status: Status::Valid,
            code: Code::Ok,
            message: format!(
                "valid: a path of {} certificates to the anchor {}",
                s.path.len(),
                s.path
                    .last()
                    .map(|n| n.cert.subject().display())
                    .unwrap_or_default()
            ),
            validation_time: time,
            anchor: anchor_outcome(&s.path, time),
            path: entries(&s.path),
            checks: s.checks,
            warnings: s.warnings,
            policies: Some(s.policies),
            revocation: s.revocation,
            valid_until: s.valid_until,
            stats,
        },
        None => {
            let best = search.best.take();
            if search.exhausted.get() && best.as_ref().is_none_or(|b| !b.complete) {
                return Report {
                    status: Status::Indeterminate,
                    code: Code::PathBuildingBudgetExceeded,
                    message: "path building stopped: its work budget ran out before a valid path was found"
                        .into(),
                    validation_time: time,
                    path: best.as_ref().map(|b| entries(&b.path)).unwrap_or_else(|| entries(&[target_node])),
                    checks: best.map(|b| b.checks).unwrap_or_default(),
                    warnings: Vec::new(),
                    policies: None,
                    revocation: Vec::new(),
                    valid_until: None,
                    stats,
                    anchor: None,
                };
            }
            match best {
                Some(b) => Report {
                    status: b.code.status(),
                    code: b.code,
                    message: b.message,
                    validation_time: time,
                    anchor: if b.complete {
                        anchor_outcome(&b.path, time)
                    } else {
                        None
                    },
                    path: entries(&b.path),
                    checks: b.checks,
                    warnings: Vec::new(),
                    policies: None,
                    revocation: b.revocation,
                    valid_until: None,
                    stats,
                },
                None => Report {
                    status: Status::Indeterminate,
                    code: Code::NoPathToTrustAnchor,
                    message: if search
                        .by_subject
                        .any(intermediates, target.issuer().normalized())
                    {
                        format!(
                            "the intermediates named {} lead to no trust anchor",
                            target.issuer().display()
                        )
                    } else {
                        format!(
                            "no issuer named {} among the intermediates and anchors",
                            target.issuer().display()
                        )
                    },
                    validation_time: time,
                    path: entries(&[target_node]),
                    checks: Vec::new(),
                    warnings: Vec::new(),
                    policies: None,
                    revocation: Vec::new(),
                    valid_until: None,
                    stats,
                    anchor: None,
                },
            }
        }
    }
}

/// Which intermediates can reach an anchor through issuer-name links (RFC 4158 §3.5: a
/// candidate that cannot is a dead end, whatever its signatures). Breadth-first from the
/// intermediates issued under an anchor's name; linear in the number of intermediates.
fn name_reachable(intermediates: &[&Certificate], anchors: &AnchorSet) -> Vec<bool> {
    let by_issuer = NameIndex::new(intermediates, |c| c.issuer());
    let mut reachable = vec![false; intermediates.len()];
    let mut queue: Vec<usize> = Vec::new();
    for (i, c) in intermediates.iter().enumerate() {
        if anchors.by_subject(c.issuer()).next().is_some() {
            reachable[i] = true;
            queue.push(i);
        }
    }
    while let Some(i) = queue.pop() {
        by_issuer.for_each(
            intermediates,
            intermediates[i].subject().normalized(),
            |j| {
                if !reachable[j] {
                    reachable[j] = true;
                    queue.push(j);
                }
            },
        );
    }
    reachable
}

/// Intermediates by a normalised name (subject or issuer). A request carries a handful of
/// certificates, which a scan finds faster than a hash map is built; many are indexed.
enum NameIndex<'a> {
    Scan(fn(&Certificate) -> &crate::names::Name),
    Map(HashMap<&'a [u8], Vec<usize>>),
}

impl<'a> NameIndex<'a> {
    const SCAN_LIMIT: usize = 8;

    fn new(certs: &'a [&'a Certificate], key: fn(&Certificate) -> &crate::names::Name) -> Self {
        if certs.len() <= Self::SCAN_LIMIT {
            return NameIndex::Scan(key);
        }
        let mut map: HashMap<&[u8], Vec<usize>> = HashMap::new();
        for (i, c) in certs.iter().enumerate() {
            map.entry(key(c).normalized()).or_default().push(i);
        }
        NameIndex::Map(map)
    }

    /// Calls `f` with the index of every certificate whose name is `name`, in input order.
    fn for_each(&self, certs: &[&Certificate], name: &[u8], mut f: impl FnMut(usize)) {
        match self {
            NameIndex::Scan(key) => {
                for (i, c) in certs.iter().enumerate() {
                    if key(c).normalized() == name {
                        f(i);
                    }
                }
            }
            NameIndex::Map(map) => {
                for i in map.get(name).into_iter().flatten() {
                    f(*i);
                }
            }
        }
    }

    fn any(&self, certs: &[&Certificate], name: &[u8]) -> bool {
        let mut found = false;
        self.for_each(certs, name, |_| found = true);
        found
    }
}

/// The regulatory facts about the anchor of a complete path, when it has a scope.
fn anchor_outcome(path: &[Node<'_>], time: i64) -> Option<AnchorOutcome> {
    let anchor = path.last()?.anchor?;
    scope::outcome(anchor, path.first()?.cert, time)
}

fn entries(path: &[Node<'_>]) -> Vec<PathEntry> {
    path.iter()
        .enumerate()
        .map(|(i, n)| PathEntry {
            index: i,
            sha256: n.cert.sha256_hex_shared(),
            subject: n.cert.subject().display_shared(),
            issuer: n.cert.issuer().display_shared(),
            serial: n.cert.serial_hex(),
            not_before: n.cert.not_before(),
            not_after: n.cert.not_after(),
            source: n.source,
        })
        .collect()
}

fn check(
    id: &'static str,
    idx: Option<usize>,
    rule: &'static str,
    code: Code,
    message: Cow<'static, str>,
) -> Check {
    Check {
        id,
        cert_index: idx,
        result: CheckResult::Passed,
        rule,
        message,
        code,
    }
}

/// Collects checks on one path; the first failure decides the path's code.
struct Checks {
    list: Vec<Check>,
    first_failure: Option<(Code, String)>,
}

impl Checks {
    fn pass(
        &mut self,
        id: &'static str,
        idx: Option<usize>,
        rule: &'static str,
        code: Code,
        msg: impl Into<Cow<'static, str>>,
    ) {
        self.list.push(check(id, idx, rule, code, msg.into()));
    }
    fn fail(
        &mut self,
        id: &'static str,
        idx: Option<usize>,
        rule: &'static str,
        code: Code,
        msg: String,
    ) {
        if self.first_failure.is_none() {
            self.first_failure = Some((code, msg.clone()));
        }
        let mut c = check(id, idx, rule, code, msg.into());
        c.result = CheckResult::Failed;
        self.list.push(c);
    }
    fn warn(
        &mut self,
        id: &'static str,
        idx: Option<usize>,
        rule: &'static str,
        code: Code,
        msg: impl Into<Cow<'static, str>>,
    ) {
        let mut c = check(id, idx, rule, code, msg.into());
        c.result = CheckResult::Warning;
        self.list.push(c);
    }
    fn failed(&self) -> bool {
        self.first_failure.is_some()
    }
    /// Adds a check built elsewhere; a failed one counts as [`Checks::fail`] does.
    fn push(&mut self, c: Check) {
        if c.result == CheckResult::Failed && self.first_failure.is_none() {
            self.first_failure = Some((c.code, c.message.to_string()));
        }
        self.list.push(c);
    }
}

fn same_identity(a: &Certificate, b: &Certificate) -> bool {
    a.spki() == b.spki() && a.subject() == b.subject()
}

impl<'a> Search<'a> {
    fn record(&self, f: Failure<'a>) {
        let mut best = self.best.borrow_mut();
        if best.as_ref().is_none_or(|b| f.score() > b.score()) {
            *best = Some(f);
        }
    }

    fn bump(&self, f: impl FnOnce(&mut WorkStats)) {
        let mut s = self.stats.get();
        f(&mut s);
        self.stats.set(s);
    }

    /// Verifies that `issuer`'s key signed (`alg`, `tbs`, `sig`), through the memo.
    fn verify_signed(
        &self,
        issuer: &Certificate,
        alg: &[u8],
        tbs: &[u8],
        sig: &[u8],
        signed_digest: &[u8; 32],
        inherited_dsa: Option<&[u8]>,
    ) -> Result<(), SignatureError> {
        let key = self.memo.enabled().then(|| {
            SignatureMemo::key(&[
                issuer.spki_digest(),
                inherited_dsa.unwrap_or(&[]),
                signed_digest,
            ])
        });
        if let Some(key) = &key
            && self.memo.contains(key)
        {
            self.bump(|s| s.memo_hits += 1);
            return Ok(());
        }
        let left = self.signatures_left.get();
        if left == 0 {
            self.exhausted.set(true);
            return Err(SignatureError::Disallowed(
                "signature budget exhausted".into(),
            ));
        }
        self.signatures_left.set(left - 1);
        self.bump(|s| s.signatures_verified += 1);
        algorithms::verify_cached(
            issuer.prepared_key(),
            issuer.spki_algorithm(),
            issuer.public_key(),
            alg,
            tbs,
            sig,
            inherited_dsa,
        )?;
        if let Some(key) = key {
            self.memo.insert(key);
        }
        Ok(())
    }

    fn candidates(&self, child: &'a Certificate) -> Vec<(Node<'a>, bool)> {
        let aki = child.extensions().authority_key_id.as_deref();
        let mut out: Vec<(Node<'a>, bool, u8)> = Vec::new();
        let rank = |c: &Certificate| -> (bool, u8) {
            match (aki, c.extensions().subject_key_id.as_deref()) {
                (Some(a), Some(s)) if a == s => (true, 0),
                (Some(_), Some(_)) => (false, 2),
                _ => (false, 1),
            }
        };
        for a in self.anchors.by_subject(child.issuer()) {
            let (m, r) = rank(a.certificate());
            out.push((
                Node {
                    cert: a.certificate(),
                    source: Source::Anchor,
                    anchor: Some(a),
                },
                m,
                r,
            ));
        }
        self.by_subject
            .for_each(self.intermediates, child.issuer().normalized(), |i| {
                if !self.reachable[i] {
                    return;
                }
                let c = self.intermediates[i];
                let (m, r) = rank(c);
                out.push((
                    Node {
                        cert: c,
                        source: Source::Intermediate,
                        anchor: None,
                    },
                    m,
                    r + 3,
                ));
            });
        out.sort_by_key(|(_, _, r)| *r);
        out.into_iter().map(|(n, m, _)| (n, m)).collect()
    }

    fn extend(&mut self, path: &mut Vec<Node<'a>>) -> Option<Success<'a>> {
        let child = path.last()?.cert;
        let depth = path.len();
        for (cand, key_id_match) in self.candidates(child) {
            if self.candidates_left == 0 {
                self.exhausted.set(true);
                return None;
            }
            self.candidates_left -= 1;
            self.bump(|s| s.candidates_tried += 1);
            // RFC 4158 §2.4.2: a (subject, key) pair appears at most once in a path.
            if path.iter().any(|n| same_identity(n.cert, cand.cert)) {
                continue;
            }
            let logical = path[1..]
                .iter()
                .chain(std::iter::once(&cand))
                .filter(|n| n.anchor.is_none() && !n.cert.is_self_issued())
                .count();
            if let Some(max) = self.opts.max_chain_depth
                && logical > max
            {
                self.record(Failure {
                    complete: false,
                    depth,
                    key_id_match,
                    code: Code::PathLengthExceeded,
                    message: format!(
                        "the path would hold more than {max} intermediate certificates"
                    ),
                    path: path.clone(),
                    checks: vec![failed_check(
                        Code::PathLengthExceeded,
                        None,
                        format!("more than {max} intermediate certificates (--max-chain-depth)"),
                    )],
                    revocation: Vec::new(),
                });
                continue;
            }
            // Cheap, path-independent checks on an intermediate issuer before its signature.
            if cand.anchor.is_none()
                && let Some((code, msg)) = self.issuer_precheck(cand.cert)
            {
                let mut p = path.clone();
                p.push(cand);
                self.record(Failure {
                    complete: false,
                    depth: depth + 1,
                    key_id_match,
                    code,
                    checks: vec![failed_check(code, Some(depth), msg.clone())],
                    message: msg,
                    path: p,
                    revocation: Vec::new(),
                });
                continue;
            }
            // RFC 5280 §6.1.3 (a)(1): the signature, with the candidate's key. A DSA key
            // without parameters is verified once the path above it is known.
            let deferred = matches!(
                algorithms::dsa_parameters(cand.cert.spki_algorithm()),
                Some(None)
            );
            if !deferred
                && let Err(e) = self.verify_signed(
                    cand.cert,
                    child.signature_algorithm(),
                    child.tbs(),
                    child.signature(),
                    child.sha256(),
                    None,
                )
            {
                if self.exhausted.get() {
                    return None;
                }
                let (code, msg) = sig_failure(&e, child, cand.cert);
                let mut p = path.clone();
                p.push(cand);
                self.record(Failure {
                    complete: false,
                    depth: depth + 1,
                    key_id_match,
                    code,
                    checks: vec![failed_check(code, Some(depth - 1), msg.clone())],
                    message: msg,
                    path: p,
                    revocation: Vec::new(),
                });
                continue;
            }
            path.push(cand);
            if cand.anchor.is_some() {
                self.bump(|s| s.paths_evaluated += 1);
                match self.check_path(path) {
                    Ok(s) => return Some(s),
                    Err(f) => self.record(f),
                }
            } else if let Some(s) = self.extend(path) {
                return Some(s);
            }
            path.pop();
            if self.exhausted.get() {
                return None;
            }
        }
        None
    }

    fn issuer_precheck(&self, c: &Certificate) -> Option<(Code, String)> {
        let t = self.opts.time;
        if !c.is_ca() {
            return Some((
                Code::BasicConstraintsViolation,
                format!(
                    "{} is used as an issuer but is not a CA (basicConstraints cA absent)",
                    c.subject().display()
                ),
            ));
        }
        if let Some(ku) = c.extensions().key_usage
            && !ku.has(KeyUsageBit::KeyCertSign)
        {
            return Some((
                Code::KeyUsageNotAllowed,
                format!(
                    "{} is used as an issuer but its keyUsage lacks keyCertSign",
                    c.subject().display()
                ),
            ));
        }
        if t > c.not_after() {
            return Some((
                Code::CertExpired,
                format!(
                    "{} expired at {}",
                    c.subject().display(),
                    fmt_time(c.not_after())
                ),
            ));
        }
        if t < c.not_before() {
            return Some((
                Code::CertNotYetValid,
                format!(
                    "{} is not valid before {}",
                    c.subject().display(),
                    fmt_time(c.not_before())
                ),
            ));
        }
        None
    }

    /// RFC 5280 §6.1.2–§6.1.5 on a complete path (target first, anchor last), then §6.3.
    fn check_path(&self, path: &[Node<'a>]) -> Result<Success<'a>, Failure<'a>> {
        let opts = self.opts;
        let t = opts.time;
        let k = path.len() - 1; // index of the anchor
        let n = k; // certificates below the anchor
        let mut cx = Checks {
            list: Vec::new(),
            first_failure: None,
        };
        let mut warnings = Vec::new();
        let anchor = path[k].cert;
        let mut valid_until = i64::MAX;
        // The regulatory scope of the anchor, if any (applied after §6.1, below).
        let anchor_scope = path[k].anchor.and_then(|a| a.scope());
        let regulated = anchor_scope.is_some() && !self.crl_signer;

        // §6.1.2 initialisation; the anchor certificate's own constraints apply (RFC 5937).
        let mut permitted: Vec<Vec<GeneralSubtree>> = Vec::new();
        let mut excluded: Vec<GeneralSubtree> = Vec::new();
        let mut max_path_length: u64 = n as u64;
        if let Some(nc) = &anchor.extensions().name_constraints {
            if let Some(p) = &nc.permitted {
                permitted.push(p.clone());
            }
            if let Some(e) = &nc.excluded {
                excluded.extend(e.iter().cloned());
            }
        }
        if let Some(bc) = anchor.extensions().basic_constraints
            && let Some(p) = bc.path_len
            && p < max_path_length
        {
            max_path_length = p;
        }
        if t > anchor.not_after() || t < anchor.not_before() {
            let code = if t > anchor.not_after() {
                Code::CertExpired
            } else {
                Code::CertNotYetValid
            };
            cx.fail(
                "VALIDITY",
                Some(k),
                "RFC 5280 §6.1.3 (a)(2); RFC 5937 §3",
                code,
                format!(
                    "the anchor {} is valid from {} to {}",
                    anchor.subject().display(),
                    fmt_time(anchor.not_before()),
                    fmt_time(anchor.not_after())
                ),
            );
        } else {
            valid_until = valid_until.min(anchor.not_after());
        }
        // Conformance rules of the profile in force, for every certificate of the path.
        for (idx, node) in path.iter().enumerate() {
            let role = if idx == 0 {
                Role::Leaf
            } else if idx == k {
                Role::Anchor
            } else {
                Role::Intermediate
            };
            for viol in profile::check(node.cert, role, opts.profile, regulated) {
                match profile::severity(opts.profile, &viol) {
                    Severity::Fail => cx.fail(
                        "PROFILE",
                        Some(idx),
                        viol.source,
                        viol.code,
                        format!(
                            "{} ({}, rule {})",
                            viol.message,
                            if viol.regulatory {
                                Cow::Borrowed("the Measures")
                            } else {
                                Cow::Owned(format!("{} profile", opts.profile.name()))
                            },
                            viol.rule
                        ),
                    ),
                    Severity::Warn => {
                        cx.warn(
                            "PROFILE",
                            Some(idx),
                            viol.source,
                            Code::ProfileDeviation,
                            format!("{} (rule {})", viol.message, viol.rule),
                        );
                        warnings.push(Warning {
                            code: Code::ProfileDeviation,
                            cert_index: Some(idx),
                            message: format!("{} ({})", viol.message, viol.source),
                        });
                    }
                    Severity::Ignore => {}
                }
            }
        }
        let mut policy = PolicyState::new(n, &opts.policy, opts.budget.policy_work);
        let mut policy_failed = false;
        let mut policy_outcome: Option<crate::PolicyOutcome> = None;
        let mut dsa_params: Option<&[u8]> =
            algorithms::dsa_parameters(anchor.spki_algorithm()).unwrap_or_default();

        for i in 1..=n {
            let idx = n - i;
            let cert = path[idx].cert;
            let issuer = path[idx + 1].cert;
            let leaf = i == n;
            let self_issued = cert.is_self_issued();
            let subj = cert.subject().display();

            // (a)(1) deferred DSA signatures (parameters inherited, §6.1.4 (f)).
            if matches!(
                algorithms::dsa_parameters(issuer.spki_algorithm()),
                Some(None)
            ) {
                if let Err(e) = self.verify_signed(
                    issuer,
                    cert.signature_algorithm(),
                    cert.tbs(),
                    cert.signature(),
                    cert.sha256(),
                    dsa_params,
                ) {
                    let (code, msg) = sig_failure(&e, cert, issuer);
                    cx.fail(
                        "SIGNATURE",
                        Some(idx),
                        "RFC 5280 §6.1.3 (a)(1), §6.1.4 (f)",
                        code,
                        msg,
                    );
                }
            } else {
                cx.pass(
                    "SIGNATURE",
                    Some(idx),
                    "RFC 5280 §6.1.3 (a)(1)",
                    Code::BadSignature,
                    signature_passed(algorithms::family(cert.signature_algorithm())),
                );
            }
            if let Some(p) = algorithms::dsa_parameters(cert.spki_algorithm()) {
                if p.is_some() {
                    dsa_params = p;
                }
            } else {
                dsa_params = None;
            }

            // (a)(2) validity.
            if t > cert.not_after() {
                cx.fail(
                    "VALIDITY",
                    Some(idx),
                    "RFC 5280 §6.1.3 (a)(2)",
                    Code::CertExpired,
                    format!("{subj} expired at {}", fmt_time(cert.not_after())),
                );
            } else if t < cert.not_before() {
                cx.fail(
                    "VALIDITY",
                    Some(idx),
                    "RFC 5280 §6.1.3 (a)(2)",
                    Code::CertNotYetValid,
                    format!("{subj} is not valid before {}", fmt_time(cert.not_before())),
                );
            } else {
                valid_until = valid_until.min(cert.not_after());
                cx.pass(
                    "VALIDITY",
                    Some(idx),
                    "RFC 5280 §6.1.3 (a)(2)",
                    Code::CertExpired,
                    "within its validity period (notBefore, notAfter in the path)",
                );
                if cert.not_after() - t < EXPIRING_SOON_SECS {
                    warnings.push(Warning {
                        code: Code::ExpiringSoon,
                        cert_index: Some(idx),
                        message: format!("{subj} expires at {}", fmt_time(cert.not_after())),
                    });
                }
            }

            // (b), (c) name constraints: every certificate but a self-issued intermediate.
            if (leaf || !self_issued) && (!permitted.is_empty() || !excluded.is_empty()) {
                let empty = Vec::new();
                let names = ConstrainedNames {
                    subject: cert.subject(),
                    san: cert
                        .extensions()
                        .subject_alt_name
                        .as_deref()
                        .unwrap_or(&empty),
                };
                let mut extra_dns = Vec::new();
                // A leaf without a subjectAltName is a Web PKI server certificate only through
                // its CN: constrain it as a DNS name so that name constraints cannot be evaded.
                if leaf
                    && cert.extensions().subject_alt_name.is_none()
                    && opts.server_name.is_some()
                {
                    for cn in cert.subject().attributes(oid::AT_COMMON_NAME) {
                        if let Ok(s) = std::str::from_utf8(&cn.value)
                            && names::valid_dns(s, true)
                        {
                            extra_dns.push(names::GeneralName::Dns(s.to_string()));
                        }
                    }
                }
                let combined: Vec<names::GeneralName>;
                let names = if extra_dns.is_empty() {
                    names
                } else {
                    combined = names.san.iter().cloned().chain(extra_dns).collect();
                    ConstrainedNames {
                        subject: names.subject,
                        san: &combined,
                    }
                };
                let strict = opts.profile == Profile::WebPki;
                let mut name_budget = self.name_budget.get();
                let outcome =
                    names::check_names(&names, &permitted, &excluded, strict, &mut name_budget);
                self.name_budget.set(name_budget);
                match outcome {
                    NameCheck::BudgetExceeded => {
                        self.bump(|s| s.budget_exhausted = true);
                        cx.fail(
                            "NAME_CONSTRAINTS",
                            Some(idx),
                            "RFC 5280 §6.1.3 (b), (c)",
                            Code::PathBuildingBudgetExceeded,
                            format!(
                                "checking the names of {subj} against the name constraints would take more than the {} comparisons allowed",
                                opts.budget.name_comparisons
                            ),
                        );
                    }
                    NameCheck::Ok => cx.pass(
                        "NAME_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.3 (b), (c)",
                        Code::NameConstraintsViolation,
                        "every name is within the permitted subtrees",
                    ),
                    NameCheck::NotPermitted(name) => cx.fail(
                        "NAME_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.3 (b)",
                        Code::NameConstraintsViolation,
                        format!("{name} of {subj} is outside the permitted subtrees"),
                    ),
                    NameCheck::Excluded(name) => cx.fail(
                        "NAME_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.3 (c)",
                        Code::NameConstraintsViolation,
                        format!("{name} of {subj} is inside an excluded subtree"),
                    ),
                    NameCheck::Unsupported(why) => cx.fail(
                        "NAME_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.3 (b), (c)",
                        Code::NameConstraintsViolation,
                        why,
                    ),
                }
            }

            // (d)–(f) policies.
            let ext = cert.extensions();
            if !policy_failed
                && let Err(e) =
                    policy.process_certificate(i, n, ext.policies.as_deref(), self_issued)
            {
                policy_failed = true;
                self.policy_failure(&mut cx, e, path, n);
            }

            if !leaf {
                // §6.1.4 (a), (b) policy mappings.
                if !policy_failed
                    && let Err(e) = policy.process_mappings(i, ext.policy_mappings.as_deref())
                {
                    policy_failed = true;
                    self.policy_failure(&mut cx, e, path, n);
                }
                // (g) name constraints.
                if let Some(nc) = &ext.name_constraints {
                    if let Some(p) = &nc.permitted {
                        permitted.push(p.clone());
                    }
                    if let Some(e) = &nc.excluded {
                        excluded.extend(e.iter().cloned());
                    }
                }
                // (h)–(j)
                let pc = ext.policy_constraints.unwrap_or_default();
                policy.update_intermediate(
                    self_issued,
                    pc.require_explicit,
                    pc.inhibit_mapping,
                    ext.inhibit_any_policy,
                );
                // (k) basic constraints.
                if cert.version() != 2 || !cert.is_ca() {
                    cx.fail(
                        "BASIC_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.4 (k)",
                        Code::BasicConstraintsViolation,
                        format!(
                            "{subj} issues certificates but is not a v3 CA certificate with cA TRUE"
                        ),
                    );
                } else {
                    cx.pass(
                        "BASIC_CONSTRAINTS",
                        Some(idx),
                        "RFC 5280 §6.1.4 (k)",
                        Code::BasicConstraintsViolation,
                        "cA TRUE",
                    );
                }
                // (l), (m) path length.
                if !self_issued {
                    if max_path_length == 0 {
                        cx.fail(
                            "PATH_LENGTH",
                            Some(idx),
                            "RFC 5280 §6.1.4 (l)",
                            Code::PathLengthExceeded,
                            format!("{subj} exceeds a pathLenConstraint above it"),
                        );
                    } else {
                        max_path_length -= 1;
                    }
                }
                if let Some(bc) = ext.basic_constraints
                    && let Some(p) = bc.path_len
                    && p < max_path_length
                {
                    max_path_length = p;
                }
                // (n) key usage.
                if let Some(ku) = ext.key_usage
                    && !ku.has(KeyUsageBit::KeyCertSign)
                {
                    cx.fail(
                        "KEY_USAGE",
                        Some(idx),
                        "RFC 5280 §6.1.4 (n)",
                        Code::KeyUsageNotAllowed,
                        format!("{subj} lacks keyCertSign"),
                    );
                }
                // Extended key usage, where an intermediate constrains it (CA/Browser Forum
                // practice, followed by every Web PKI validator).
                if let Some(eku) = &ext.ext_key_usage {
                    for want in &opts.extended_key_usage {
                        if !eku.contains(want) && !eku.iter().any(|e| e.as_bytes() == oid::ANY_EKU)
                        {
                            cx.fail(
                                "EKU",
                                Some(idx),
                                "RFC 5280 §4.2.1.12",
                                Code::EkuNotAllowed,
                                format!(
                                    "{subj} restricts extended key usage and does not allow {want}"
                                ),
                            );
                        }
                    }
                }
                // (o) critical extensions.
                self.critical_extensions(&mut cx, cert, idx);
            } else {
                // §6.1.5 (a), (b), (g)
                if !policy_failed {
                    let pc = ext.policy_constraints.unwrap_or_default();
                    match std::mem::replace(&mut policy, PolicyState::new(0, &opts.policy, 0))
                        .finish(n, pc.require_explicit)
                    {
                        Ok(outcome) => {
                            cx.pass(
                                "POLICY",
                                None,
                                "RFC 5280 §6.1.5 (g)",
                                Code::PolicyNotSatisfied,
                                describe_policies(&outcome),
                            );
                            policy_outcome = Some(outcome);
                        }
                        Err(e) => self.policy_failure(&mut cx, e, path, n),
                    }
                }
                self.leaf_checks(&mut cx, cert);
                self.critical_extensions(&mut cx, cert, idx);
            }
        }

        // The regulation, on a complete path through an anchor with a scope: after §6.1
        // (whose failures come first) and before §6.3 (no revocation work for a chain the
        // anchor's status already refuses).
        if let Some(sc) = anchor_scope
            && let Some(u) =
                self.regulation(sc, path, policy_outcome.as_ref(), &mut cx, &mut warnings)
        {
            valid_until = valid_until.min(u);
        }
        let Some(outcome) = policy_outcome else {
            return Err(self.path_failure(path, cx));
        };
        if cx.failed() {
            return Err(self.path_failure(path, cx));
        }
        let (revocation, rwarn, until) = match self.revocation(path, &mut cx) {
            Ok(v) => v,
            Err(entries) => {
                let mut f = self.path_failure(path, cx);
                f.revocation = entries;
                return Err(f);
            }
        };
        warnings.extend(rwarn);
        if let Some(u) = until {
            valid_until = valid_until.min(u);
        }
        Ok(Success {
            path: path.to_vec(),
            checks: cx.list,
            warnings,
            policies: outcome,
            revocation,
            valid_until: Some(valid_until),
        })
    }

    /// The draft Measures on a complete path whose anchor has a regulatory scope — the one
    /// place they are applied ([`scope::evaluate`]): Art. 5, 31, 34 (status at the validation
    /// time, `ANCHOR.STATUS`), Art. 11, 15 (licence in force, renewal warning,
    /// `ANCHOR.LICENCE`), Art. 39 (dishonesty-list restriction, `ANCHOR.RESTRICTION`),
    /// Art. 47, 49 (approval in force, `ANCHOR.APPROVAL`) and Art. 48 (certificate types,
    /// technical specifications and application scenarios of the approval, `ANCHOR.SCOPE`).
    /// Art. 21 (7) (an end entity under a trust-list anchor carries a policy OID) is a
    /// profile rule ([`profile::check`]). Returns when the scope's verdict next changes.
    fn regulation(
        &self,
        sc: &scope::AnchorScope,
        path: &[Node<'a>],
        policies: Option<&crate::PolicyOutcome>,
        cx: &mut Checks,
        warnings: &mut Vec<Warning>,
    ) -> Option<i64> {
        let certs: Vec<&Certificate> = path.iter().map(|n| n.cert).collect();
        let out = scope::evaluate(sc, &certs, policies, self.opts, self.crl_signer);
        for c in out.checks {
            cx.push(c);
        }
        warnings.extend(out.warnings);
        out.until
    }

    fn path_failure(&self, path: &[Node<'a>], cx: Checks) -> Failure<'a> {
        let (code, message) = cx
            .first_failure
            .clone()
            .unwrap_or((Code::NoPathToTrustAnchor, "path rejected".into()));
        Failure {
            complete: true,
            depth: path.len(),
            key_id_match: true,
            code,
            message,
            path: path.to_vec(),
            checks: cx.list,
            revocation: Vec::new(),
        }
    }

    fn policy_failure(&self, cx: &mut Checks, e: PolicyError, path: &[Node<'_>], n: usize) {
        let (code, msg) = match e {
            PolicyError::NoAcceptablePolicy { at } => (
                Code::PolicyNotSatisfied,
                format!(
                    "no acceptable certificate policy at {} (explicit policy required)",
                    path[n - at.min(n)].cert.subject().display()
                ),
            ),
            PolicyError::MapsAnyPolicy { at } => (
                Code::PolicyNotSatisfied,
                format!(
                    "{} maps anyPolicy in policyMappings",
                    path[n - at.min(n)].cert.subject().display()
                ),
            ),
            PolicyError::BudgetExceeded => (
                {
                    self.bump(|s| s.budget_exhausted = true);
                    Code::PathBuildingBudgetExceeded
                },
                "policy processing exceeded its budget".into(),
            ),
        };
        cx.fail(
            "POLICY",
            None,
            "RFC 5280 §6.1.3 (d)–(f), §6.1.4 (a)–(b), §6.1.5 (g)",
            code,
            msg,
        );
    }

    fn critical_extensions(&self, cx: &mut Checks, cert: &Certificate, idx: usize) {
        if let Some(o) = cert.extensions().unhandled_critical.first() {
            cx.fail(
                "CRITICAL_EXTENSIONS",
                Some(idx),
                "RFC 5280 §6.1.4 (o), §6.1.5 (f)",
                Code::UnhandledCriticalExtension,
                format!(
                    "{} has a critical extension {o} that is not processed",
                    cert.subject().display()
                ),
            );
        }
    }

    /// The caller's requirements on the end-entity certificate.
    fn leaf_checks(&self, cx: &mut Checks, leaf: &Certificate) {
        let opts = self.opts;
        let ext = leaf.extensions();
        if !opts.key_usage.is_empty() {
            match ext.key_usage {
                Some(ku) => {
                    let missing: Vec<&str> = opts
                        .key_usage
                        .iter()
                        .filter(|b| !ku.has(**b))
                        .map(|b| b.name())
                        .collect();
                    if missing.is_empty() {
                        cx.pass(
                            "KEY_USAGE",
                            Some(0),
                            "RFC 5280 §4.2.1.3",
                            Code::KeyUsageNotAllowed,
                            "keyUsage allows the requested use",
                        );
                    } else {
                        cx.fail(
                            "KEY_USAGE",
                            Some(0),
                            "RFC 5280 §4.2.1.3; GM/T 0015 Annex C",
                            Code::KeyUsageNotAllowed,
                            format!(
                                "keyUsage {} does not allow {}",
                                ku.names().join(", "),
                                missing.join(", ")
                            ),
                        );
                    }
                }
                None => cx.pass(
                    "KEY_USAGE",
                    Some(0),
                    "RFC 5280 §4.2.1.3",
                    Code::KeyUsageNotAllowed,
                    "no keyUsage extension: the key is not restricted",
                ),
            }
        }
        if !opts.extended_key_usage.is_empty()
            && let Some(eku) = &ext.ext_key_usage
        {
            for want in &opts.extended_key_usage {
                if eku.contains(want) || eku.iter().any(|e| e.as_bytes() == oid::ANY_EKU) {
                    cx.pass(
                        "EKU",
                        Some(0),
                        "RFC 5280 §4.2.1.12",
                        Code::EkuNotAllowed,
                        "extKeyUsage allows the requested purpose",
                    );
                } else {
                    cx.fail(
                        "EKU",
                        Some(0),
                        "RFC 5280 §4.2.1.12",
                        Code::EkuNotAllowed,
                        format!(
                            "extKeyUsage {} does not allow {want}",
                            eku.iter()
                                .map(|o| o.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
        if let Some(name) = &opts.server_name {
            let want = match name {
                crate::ServerName::Dns(d) => d.clone(),
                crate::ServerName::Ip(ip) => ip.to_string(),
            };
            if names::server_name_matches(ext.subject_alt_name.as_deref(), name) {
                cx.pass(
                    "SERVER_NAME",
                    Some(0),
                    "RFC 6125 §6; RFC 5280 §4.2.1.6",
                    Code::ServerNameMismatch,
                    "subjectAltName presents the expected name",
                );
            } else {
                cx.fail(
                    "SERVER_NAME",
                    Some(0),
                    "RFC 6125 §6; RFC 5280 §4.2.1.6",
                    Code::ServerNameMismatch,
                    format!("the certificate does not present {want} in subjectAltName"),
                );
            }
        }
    }

    /// RFC 5280 §6.3 for each certificate below the anchor: a current answer from an
    /// authorised OCSP responder (RFC 6960 §3.2, §4.2.2.2) when one decides, else the CRLs.
    /// An OCSP `unknown` does not decide: the CRLs still may.
    #[allow(clippy::type_complexity)]
    fn revocation(
        &self,
        path: &[Node<'a>],
        cx: &mut Checks,
    ) -> Result<(Vec<RevocationEntry>, Vec<Warning>, Option<i64>), Vec<RevocationEntry>> {
        let mut o = RevocationOut::default();
        if self.opts.revocation == RevocationPolicy::Off {
            return Ok((o.entries, o.warnings, None));
        }
        let t = self.opts.time;
        self.current_anchor.set(path.last().map(|n| n.cert));
        // Art. 31: the successor of a CA taken over answers for its certificates.
        let successors: Vec<Certificate> = if self.ocsp.is_empty() {
            Vec::new()
        } else {
            path.last()
                .and_then(|n| n.anchor)
                .and_then(|a| a.scope())
                .map(|sc| {
                    sc.successor_certificates
                        .iter()
                        .filter_map(|d| Certificate::from_der(d).ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        for idx in 0..path.len() - 1 {
            let cert = path[idx].cert;
            let issuer = path[idx + 1].cert;
            let subj = cert.subject().display();
            let oc = ocsp::evaluate(cert, issuer, self.ocsp, t, self, &successors);
            // A response or CRL left unverified because the work budget ran out says
            // nothing: never let that become a soft failure (fail closed whatever the
            // revocation policy).
            if self.exhausted.get() {
                budget_failure(cx, idx, subj);
                return Err(o.entries);
            }
            if let Some(a) = &oc.decided {
                let entry = RevocationEntry {
                    cert_index: idx,
                    outcome: "good",
                    source: a.source.to_string(),
                    this_update: Some(a.this_update),
                    next_update: a.next_update,
                    detail: None,
                };
                match a.status {
                    OcspCertStatus::Revoked { time, reason } => {
                        if time > t {
                            o.until(a.current_until());
                        }
                        revoked(
                            cx,
                            &mut o,
                            entry,
                            subj,
                            (time, reason, t),
                            ("RFC 6960 §4.2.1", "RFC 6960 §4.2.1; RFC 5280 §6.3"),
                            &format!(" (OCSP, signed by {})", a.signer),
                        );
                    }
                    _ => {
                        o.until(a.current_until());
                        cx.pass(
                            "REVOCATION",
                            Some(idx),
                            "RFC 6960 §4.2.1",
                            Code::CertRevoked,
                            format!(
                                "good: a current OCSP response from {} signed by {}",
                                a.source, a.signer
                            ),
                        );
                        o.entries.push(entry);
                    }
                }
                continue;
            }
            let st = crl::status(cert, issuer, self.crls, t, self);
            if self.exhausted.get() {
                budget_failure(cx, idx, subj);
                return Err(o.entries);
            }
            let stale = matches!(st, CrlStatus::Stale(_));
            match st {
                CrlStatus::Good {
                    this_update,
                    next_update,
                    source,
                } => {
                    if let Some(n) = next_update {
                        o.until(n);
                    }
                    cx.pass(
                        "REVOCATION",
                        Some(idx),
                        "RFC 5280 §6.3",
                        Code::CertRevoked,
                        "not listed on a current CRL in scope",
                    );
                    o.entries.push(RevocationEntry {
                        cert_index: idx,
                        outcome: "good",
                        source,
                        this_update: Some(this_update),
                        next_update,
                        detail: None,
                    });
                }
                CrlStatus::Revoked {
                    date,
                    reason,
                    this_update,
                    next_update,
                    source,
                } => {
                    let entry = RevocationEntry {
                        cert_index: idx,
                        outcome: "good",
                        source,
                        this_update: Some(this_update),
                        next_update,
                        detail: None,
                    };
                    revoked(
                        cx,
                        &mut o,
                        entry,
                        subj,
                        (date, reason, t),
                        ("RFC 5280 §6.3", "RFC 5280 §6.3.3 (i)"),
                        "",
                    );
                }
                CrlStatus::Stale(why) | CrlStatus::Unavailable(why) => {
                    let mut reasons: Vec<String> = Vec::new();
                    if oc.none_matched {
                        reasons.push(format!(
                            "none of the {} OCSP responses supplied answers for serial {} of {}",
                            self.ocsp.len(),
                            cert.serial_hex(),
                            cert.issuer().display()
                        ));
                    }
                    if oc.none_matched && !oc.unsupported_hashes.is_empty() {
                        reasons.push(format!(
                            "OCSP answers with CertID hash algorithms {} were not read",
                            oc.unsupported_hashes.join(", ")
                        ));
                    }
                    reasons.extend(oc.refused.iter().cloned());
                    reasons.extend(oc.stale.iter().cloned());
                    reasons.push(why);
                    let mut sources: Vec<&str> = oc.sources.clone();
                    for s in crl::sources_in_scope(cert, self.crls) {
                        if !sources.contains(&s) {
                            sources.push(s);
                        }
                    }
                    let mut entry = RevocationEntry {
                        cert_index: idx,
                        outcome: "unavailable",
                        source: if sources.is_empty() {
                            "none".into()
                        } else {
                            sources.join(", ")
                        },
                        this_update: None,
                        next_update: None,
                        detail: None,
                    };
                    let (code, rule, message) = if let Some(u) = &oc.unknown {
                        entry.outcome = "unknown";
                        entry.source = u.source.to_string();
                        entry.this_update = Some(u.this_update);
                        entry.next_update = u.next_update;
                        (
                            Code::RevocationUnknown,
                            "RFC 6960 §2.2",
                            format!(
                                "{subj}: the OCSP responder ({}, signed by {}) does not know the certificate; {}",
                                u.source,
                                u.signer,
                                reasons.join("; ")
                            ),
                        )
                    } else if stale || !oc.stale.is_empty() {
                        entry.outcome = "stale";
                        (
                            Code::RevocationStale,
                            if oc.stale.is_empty() {
                                "RFC 5280 §6.3"
                            } else {
                                "RFC 5280 §6.3; RFC 6960 §4.2.2.1"
                            },
                            format!("{subj}: {}", reasons.join("; ")),
                        )
                    } else {
                        (
                            Code::RevocationUnavailable,
                            "RFC 5280 §6.3",
                            format!("{subj}: {}", reasons.join("; ")),
                        )
                    };
                    entry.detail = Some(reasons.join("; "));
                    o.entries.push(entry);
                    if self.opts.revocation == RevocationPolicy::Require {
                        cx.fail("REVOCATION", Some(idx), rule, code, message);
                    } else {
                        o.warnings.push(Warning {
                            code: Code::RevocationSoftFailed,
                            cert_index: Some(idx),
                            message: message.clone(),
                        });
                        cx.warn(
                            "REVOCATION",
                            Some(idx),
                            rule,
                            Code::RevocationSoftFailed,
                            message,
                        );
                    }
                }
            }
        }
        if cx.failed() {
            Err(o.entries)
        } else {
            Ok((o.entries, o.warnings, o.until))
        }
    }
}

/// What the revocation checks of a path produce.
#[derive(Default)]
struct RevocationOut {
    entries: Vec<RevocationEntry>,
    warnings: Vec<Warning>,
    /// The earliest time the revocation evidence stops being current.
    until: Option<i64>,
}

impl RevocationOut {
    fn until(&mut self, t: i64) {
        self.until = Some(self.until.map_or(t, |u| u.min(t)));
    }
}

/// The work budget ran out before the revocation status of certificate `idx` was decided.
fn budget_failure(cx: &mut Checks, idx: usize, subj: &str) {
    cx.fail(
        "REVOCATION",
        Some(idx),
        "RFC 5280 §6.3",
        Code::PathBuildingBudgetExceeded,
        format!("{subj}: the work budget ran out before its revocation status was decided"),
    );
}

/// Records a revocation (`when`: revocation time, reason, validation time): a failure
/// (`CERT_REVOKED` for the end entity, `CA_REVOKED` above it, under `rules.1`) when it took
/// effect at or before the validation time, else a warning (`REVOKED_AFTER_VALIDATION_TIME`,
/// under `rules.0`).
fn revoked(
    cx: &mut Checks,
    o: &mut RevocationOut,
    mut entry: RevocationEntry,
    subj: &str,
    when: (i64, Option<u8>, i64),
    rules: (&'static str, &'static str),
    evidence: &str,
) {
    let (warn_rule, fail_rule) = rules;
    let (date, reason, t) = when;
    let idx = entry.cert_index;
    let why = format!(
        "revoked at {} ({})",
        fmt_time(date),
        reason.map_or("no reason given", crl::reason_name)
    );
    entry.outcome = "revoked";
    entry.detail = Some(why.clone());
    o.entries.push(entry);
    if date > t {
        let message = format!("{subj} was {why}, after the validation time{evidence}");
        o.warnings.push(Warning {
            code: Code::RevokedAfterValidationTime,
            cert_index: Some(idx),
            message: message.clone(),
        });
        cx.warn(
            "REVOCATION",
            Some(idx),
            warn_rule,
            Code::RevokedAfterValidationTime,
            message,
        );
    } else {
        let code = if idx == 0 {
            Code::CertRevoked
        } else {
            Code::CaRevoked
        };
        cx.fail(
            "REVOCATION",
            Some(idx),
            fail_rule,
            code,
            format!("{subj} was {why}{evidence}"),
        );
    }
}

impl Search<'_> {
    /// RFC 5280 §6.3.3 (f): a CRL signer other than the certificate's issuer needs a valid
    /// path of its own, for cRLSign, to the anchor of the certificate's path. Revocation of
    /// the signer itself is not checked (that would recurse without bound).
    fn crl_signer_path(&self, signer: &Certificate) -> Result<(), String> {
        let mut opts = ValidationOptions::at(self.opts.time);
        opts.key_usage = vec![KeyUsageBit::CrlSign];
        opts.profile = self.opts.profile;
        opts.budget = self.opts.budget;
        let report = run(
            signer,
            self.intermediates,
            self.anchors,
            &Evidence::default(),
            &opts,
            self.memo,
            true,
        );
        if !report.is_valid() {
            return Err(format!(
                "the CRL signer {} has no valid path: {}",
                signer.subject().display(),
                report.message
            ));
        }
        let same_anchor = match (self.current_anchor.get(), report.path.last()) {
            (Some(a), Some(p)) => a.sha256_hex() == &*p.sha256,
            _ => false,
        };
        if !same_anchor {
            return Err(format!(
                "the CRL signer {} chains to another anchor than the certificate",
                signer.subject().display()
            ));
        }
        Ok(())
    }
}

impl ocsp::OcspSignatureCheck for Search<'_> {
    fn verify_by(
        &self,
        signer: &Certificate,
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        signed_digest: &[u8; 32],
    ) -> Result<(), String> {
        self.verify_signed(signer, algorithm, message, signature, signed_digest, None)
            .map_err(|e| e.describe())
    }
}

impl CrlSignatureCheck for Search<'_> {
    fn verify_crl(&self, crl: &Crl, issuer: &Certificate) -> Result<(), String> {
        // RFC 5280 §6.3.3 (f): the CRL issuer's key; here the certificate issuer's own, or
        // for an indirect CRL a certificate among the inputs with the CRL issuer's name.
        let mut signers: Vec<&Certificate> = Vec::new();
        if crl.issuer() == issuer.subject() {
            signers.push(issuer);
        }
        for c in self
            .intermediates
            .iter()
            .copied()
            .chain(self.anchors.iter().map(|a| &**a.certificate()))
        {
            if c.subject() == crl.issuer() && !signers.iter().any(|s| std::ptr::eq(*s, c)) {
                signers.push(c);
            }
        }
        let mut last = format!(
            "no certificate named {} to verify its CRL",
            crl.issuer().display()
        );
        for s in signers {
            if let Err(e) = crl::issuer_may_sign_crls(s) {
                last = e;
                continue;
            }
            match self.verify_signed(
                s,
                crl.signature_algorithm(),
                crl.tbs(),
                crl.signature(),
                crl.signed_digest(),
                None,
            ) {
                Ok(()) => {
                    // A signer other than the certificate's issuer must itself be trusted: it
                    // must share the issuer's key (re-issued CA certificate) or be an anchor.
                    let is_path_anchor = self
                        .current_anchor
                        .get()
                        .is_some_and(|a| a.spki() == s.spki() && a.subject() == s.subject());
                    if std::ptr::eq(s, issuer) || s.spki() == issuer.spki() || is_path_anchor {
                        return Ok(());
                    }
                    match self.crl_signer_path(s) {
                        Ok(()) => return Ok(()),
                        Err(why) => last = why,
                    }
                }
                Err(_) => last = format!("the CRL of {} does not verify", crl.issuer().display()),
            }
        }
        Err(last)
    }
}

/// The message of a passed signature check.
fn signature_passed(family: &str) -> &'static str {
    match family {
        "SM2-SM3" => "verifies with the issuer's key (SM2 with SM3)",
        "ECDSA" => "verifies with the issuer's key (ECDSA)",
        "RSA-PKCS1" => "verifies with the issuer's key (RSA PKCS#1 v1.5)",
        "RSA-PSS" => "verifies with the issuer's key (RSA-PSS)",
        "Ed25519" => "verifies with the issuer's key (Ed25519)",
        "DSA" => "verifies with the issuer's key (DSA)",
        _ => "verifies with the issuer's key",
    }
}

/// The failed check behind a failure found while building (before a path was complete).
fn failed_check(code: Code, cert_index: Option<usize>, message: String) -> Check {
    let (id, rule) = match code {
        Code::BasicConstraintsViolation => ("BASIC_CONSTRAINTS", "RFC 5280 §6.1.4 (k)"),
        Code::KeyUsageNotAllowed => ("KEY_USAGE", "RFC 5280 §6.1.4 (n)"),
        Code::CertExpired | Code::CertNotYetValid => ("VALIDITY", "RFC 5280 §6.1.3 (a)(2)"),
        Code::PathLengthExceeded => ("PATH_LENGTH", "caller's maximum chain depth"),
        _ => ("SIGNATURE", "RFC 5280 §6.1.3 (a)(1)"),
    };
    Check {
        id,
        cert_index,
        result: CheckResult::Failed,
        rule,
        message: message.into(),
        code,
    }
}

fn sig_failure(e: &SignatureError, child: &Certificate, issuer: &Certificate) -> (Code, String) {
    match e {
        SignatureError::Invalid => (
            Code::BadSignature,
            format!(
                "the signature on {} does not verify with the key of {}",
                child.subject().display(),
                issuer.subject().display()
            ),
        ),
        SignatureError::Sm2EmptyId => (
            Code::BadSignature,
            format!(
                "the signature on {} does not verify with the key of {}: {}",
                child.subject().display(),
                issuer.subject().display(),
                e.describe()
            ),
        ),
        SignatureError::Unsupported {
            signature_algorithm,
            key_algorithm,
        } => (
            Code::AlgorithmUnsupported,
            format!(
                "signature algorithm {signature_algorithm} with key algorithm {key_algorithm} is not supported"
            ),
        ),
        SignatureError::Disallowed(why) => (Code::AlgorithmNotAllowed, why.clone()),
    }
}

fn describe_policies(p: &crate::PolicyOutcome) -> String {
    match p {
        crate::PolicyOutcome::Any => "valid for any policy".into(),
        crate::PolicyOutcome::NoneRequired => "no certificate policy required".into(),
        crate::PolicyOutcome::Policies(v) => format!(
            "valid for policies {}",
            v.iter().map(Oid::to_string).collect::<Vec<_>>().join(", ")
        ),
    }
}
