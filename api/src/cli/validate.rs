//! `huren validate`.

use super::EXIT_USAGE;
use crate::config::RevocationConfig;
use crate::render;
use crate::revocation::{self, EvidenceRequest, FetchedEvidence, OnlineRevocation};
use crate::server::state::{RevocationSource as _, SystemClock};
use clap::{Args, ValueEnum};
use huren_trustlists::pointers::verify_approved;
use huren_trustlists::snapshot::{ListRole, Snapshot, build_snapshot};
use huren_trustlists::verify::{PinnedSigners, VerifiedTrustList, verify};
use huren_validator::{
    AnchorSet, Certificate, Code, Crl, Evidence, KeyUsageBit, OcspResponse, Oid, PolicyInputs,
    Profile, Report, RevocationPolicy, ServerName, SignatureMemo, Status, ValidationOptions,
    Warning, fmt_time, pem, validate_with_evidence,
};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Revocation {
    Require,
    Prefer,
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProfileArg {
    Rfc5280,
    Webpki,
}

/// Arguments of `huren validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The certificate to validate (PEM or DER). Further certificates in the same PEM file
    /// are used as intermediates.
    cert: PathBuf,
    /// A file of untrusted intermediate certificates (PEM with one or more, or DER).
    #[arg(long = "intermediate", value_name = "FILE")]
    intermediates: Vec<PathBuf>,
    /// A file of trust-anchor certificates (PEM with one or more, or DER), trusted without
    /// a regulatory scope.
    #[arg(
        long = "anchor",
        value_name = "FILE",
        required_unless_present = "trust_list"
    )]
    anchors: Vec<PathBuf>,
    /// A signed trust list (ETSI TS 119 612, e.g. MIIT's) as the anchor source: each CA is
    /// trusted only inside its licence or approval, status history and restrictions.
    #[arg(long = "trust-list", value_name = "LIST.xml", requires = "signers")]
    trust_list: Option<PathBuf>,
    /// A certificate pinned as a signer of the --trust-list (PEM with one or more, or DER).
    #[arg(long = "signer", value_name = "CERT", requires = "trust_list")]
    signers: Vec<PathBuf>,
    /// A foreign scheme's list that the --trust-list points to: verified against the signers
    /// that its pointer pins, trusted only inside the approval that pointer carries.
    #[arg(
        long = "foreign-list",
        value_name = "LIST.xml",
        requires = "trust_list"
    )]
    foreign_lists: Vec<PathBuf>,
    /// A file of CRLs (PEM with one or more, or DER) used as revocation evidence.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<PathBuf>,
    /// A file holding an OCSP response (DER, or PEM with one or more "OCSP RESPONSE"
    /// blocks) used as revocation evidence.
    #[arg(long = "ocsp-response", value_name = "FILE")]
    ocsp_responses: Vec<PathBuf>,
    /// Fetch the revocation evidence the chain names (OCSP responders from the
    /// authorityInfoAccess, CRLs from the cRLDistributionPoints; http and https only) for
    /// the certificates the --crl and --ocsp-response files do not cover. Only a chain that
    /// is valid without revocation is asked about. Makes --revocation prefer the default.
    #[arg(long)]
    online: bool,
    /// The validation time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
    /// What to do about revocation (default off; prefer with --online).
    #[arg(long, value_enum)]
    revocation: Option<Revocation>,
    /// An acceptable certificate policy (user-initial-policy-set); default anyPolicy.
    #[arg(long = "policy", value_name = "OID")]
    policies: Vec<String>,
    /// initial-explicit-policy: the path must be valid for a policy.
    #[arg(long)]
    require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    #[arg(long)]
    inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit.
    #[arg(long)]
    inhibit_any_policy: bool,
    /// A key usage the end-entity certificate must allow (digitalSignature,
    /// nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, …).
    #[arg(long = "key-usage", value_name = "NAME")]
    key_usages: Vec<String>,
    /// An extended key usage the end-entity certificate must allow (OID, or serverAuth,
    /// clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning).
    #[arg(long = "eku", value_name = "OID")]
    ekus: Vec<String>,
    /// The expected server DNS name.
    #[arg(long, value_name = "NAME", conflicts_with = "ip")]
    dns_name: Option<String>,
    /// The expected server IP address.
    #[arg(long, value_name = "ADDR")]
    ip: Option<String>,
    /// The most intermediate CA certificates a path may hold (self-issued ones not counted).
    #[arg(long, value_name = "N")]
    max_chain_depth: Option<usize>,
    /// The certificate profile whose conformance rules apply.
    #[arg(long, value_enum, default_value = "rfc5280")]
    profile: ProfileArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// A usage or input problem: printed as one line naming the file and what is wrong.
pub(super) struct UsageError(pub(super) String);

pub(super) fn read(path: &Path, what: &str) -> Result<Vec<u8>, UsageError> {
    std::fs::read(path)
        .map_err(|e| UsageError(format!("cannot read {what} file {}: {e}", path.display())))
}

pub(super) fn load_certs(path: &Path, what: &str) -> Result<Vec<Certificate>, UsageError> {
    let bytes = read(path, what)?;
    let ders = pem::decode_all(&bytes, pem::CERTIFICATE_LABELS)
        .map_err(|e| UsageError(format!("{what} file {}: {e}", path.display())))?;
    if ders.is_empty() {
        return Err(UsageError(format!(
            "{what} file {}: no certificate in it",
            path.display()
        )));
    }
    ders.iter()
        .enumerate()
        .map(|(i, d)| {
            Certificate::from_der(d).map_err(|e| {
                UsageError(format!(
                    "{what} file {}: certificate {} is malformed: {e}",
                    path.display(),
                    i + 1
                ))
            })
        })
        .collect()
}

fn load_crls(path: &Path) -> Result<Vec<Crl>, UsageError> {
    let bytes = read(path, "CRL")?;
    let ders = pem::decode_all(&bytes, pem::CRL_LABELS)
        .map_err(|e| UsageError(format!("CRL file {}: {e}", path.display())))?;
    if ders.is_empty() {
        return Err(UsageError(format!(
            "CRL file {}: no CRL in it",
            path.display()
        )));
    }
    ders.iter()
        .enumerate()
        .map(|(i, d)| {
            Crl::from_der(d).map_err(|e| {
                UsageError(format!(
                    "CRL file {}: CRL {} is malformed: {e}",
                    path.display(),
                    i + 1
                ))
            })
        })
        .collect()
}

fn load_ocsp(path: &Path) -> Result<Vec<OcspResponse>, UsageError> {
    let bytes = read(path, "OCSP response")?;
    revocation::read_ocsp_responses(&bytes)
        .map_err(|e| UsageError(format!("OCSP response file {}: {e}", path.display())))
}

fn eku_oid(s: &str) -> Option<Oid> {
    Oid::from_purpose_name(s).or_else(|| Oid::parse(s))
}

pub(super) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn options(args: &ValidateArgs) -> Result<ValidationOptions, UsageError> {
    let time = match &args.time {
        Some(t) => huren_validator::parse_rfc3339(t)
            .ok_or_else(|| UsageError(format!("--time {t:?} is not an RFC 3339 time")))?,
        None => now(),
    };
    let mut o = ValidationOptions::at(time);
    o.revocation = match args.revocation {
        Some(Revocation::Require) => RevocationPolicy::Require,
        Some(Revocation::Prefer) => RevocationPolicy::Prefer,
        Some(Revocation::Off) => RevocationPolicy::Off,
        None if args.online => RevocationPolicy::Prefer,
        None => RevocationPolicy::Off,
    };
    o.policy = PolicyInputs {
        initial_policy_set: args
            .policies
            .iter()
            .map(|p| {
                Oid::parse(p).ok_or_else(|| UsageError(format!("--policy {p:?} is not an OID")))
            })
            .collect::<Result<_, _>>()?,
        require_explicit_policy: args.require_explicit_policy,
        inhibit_policy_mapping: args.inhibit_policy_mapping,
        inhibit_any_policy: args.inhibit_any_policy,
    };
    o.key_usage = args
        .key_usages
        .iter()
        .map(|k| {
            KeyUsageBit::from_name(k).ok_or_else(|| {
                UsageError(format!(
                    "--key-usage {k:?} is not a key usage name (one of {})",
                    KeyUsageBit::ALL
                        .iter()
                        .map(|b| b.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    o.extended_key_usage = args
        .ekus
        .iter()
        .map(|e| {
            eku_oid(e)
                .ok_or_else(|| UsageError(format!("--eku {e:?} is not an OID or a known purpose")))
        })
        .collect::<Result<_, _>>()?;
    if let Some(d) = &args.dns_name {
        if !huren_validator::names::valid_dns(d, false) {
            return Err(UsageError(format!("--dns-name {d:?} is not a DNS name")));
        }
        o.server_name = Some(ServerName::Dns(d.clone()));
    }
    if let Some(ip) = &args.ip {
        let addr: IpAddr = ip
            .parse()
            .map_err(|_| UsageError(format!("--ip {ip:?} is not an IP address")))?;
        o.server_name = Some(ServerName::Ip(addr));
    }
    o.max_chain_depth = args.max_chain_depth;
    o.profile = match args.profile {
        ProfileArg::Rfc5280 => Profile::Rfc5280,
        ProfileArg::Webpki => Profile::WebPki,
    };
    Ok(o)
}

/// Runs `huren validate`; returns the exit code.
pub fn run(args: ValidateArgs) -> i32 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(UsageError(msg)) => {
            eprintln!("huren validate: {msg}");
            EXIT_USAGE
        }
    }
}

fn run_inner(args: &ValidateArgs) -> Result<i32, UsageError> {
    let opts = options(args)?;
    let mut target_file = load_certs(&args.cert, "certificate")?;
    let target = target_file.remove(0);
    let mut intermediates = target_file;
    for p in &args.intermediates {
        intermediates.extend(load_certs(p, "intermediate")?);
    }
    let mut anchors = AnchorSet::new();
    for p in &args.anchors {
        for c in load_certs(p, "anchor")? {
            anchors.add_certificate(c);
        }
    }
    let snapshot = match &args.trust_list {
        Some(list) => Some(load_snapshot(args, list)?),
        None => None,
    };
    if let Some(s) = &snapshot {
        for a in s.anchors().iter() {
            anchors.add(a.clone());
        }
    }
    let mut crls = Vec::new();
    for p in &args.crls {
        crls.extend(load_crls(p)?);
    }
    let mut ocsp = Vec::new();
    for p in &args.ocsp_responses {
        ocsp.extend(load_ocsp(p)?);
    }
    let report = match snapshot.as_ref().and_then(|s| expired(s, opts.time)) {
        Some(r) => r,
        None => {
            let memo = SignatureMemo::new(256);
            let refs: Vec<&Certificate> = intermediates.iter().collect();
            let fetched = if args.online {
                fetch(
                    &target,
                    &intermediates,
                    &anchors,
                    (&crls, &ocsp),
                    &opts,
                    &memo,
                )?
            } else {
                FetchedEvidence::default()
            };
            crls.extend(fetched.crls.iter().cloned());
            ocsp.extend(fetched.ocsp.iter().cloned());
            let evidence = Evidence {
                crls: &crls,
                ocsp: &ocsp,
            };
            let mut r = validate_with_evidence(&target, &refs, &anchors, &evidence, &opts, &memo);
            revocation::annotate(&mut r, &fetched);
            if let Some(s) = &snapshot {
                near_expiry(s, opts.time, &mut r);
            }
            r
        }
    };
    let out = match args.format {
        Format::Json => {
            let mut v = render::report_json(&report);
            if let (Some(s), Some(obj)) = (&snapshot, v.as_object_mut()) {
                obj.insert("trustSnapshot".into(), render::snapshot_json(s));
            }
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let mut t = render::report_text(&report);
            if let Some(s) = &snapshot {
                for l in s.lists() {
                    t.push_str(&format!(
                        "trust list: {} #{} (sha256 {}), next update {}\n",
                        l.territory,
                        l.sequence,
                        l.sha256,
                        l.next_update.map_or("none (closed list)".into(), fmt_time)
                    ));
                }
            }
            t
        }
    };
    print!("{out}");
    Ok(match report.status {
        Status::Valid => 0,
        Status::Invalid => 1,
        Status::Indeterminate => 2,
    })
}

/// `--online`: the evidence the chain names, fetched for the path of a chain valid without
/// revocation (the same rule as the service's: see [`crate::revocation`]), with the
/// default `[revocation]` limits.
fn fetch(
    target: &Certificate,
    intermediates: &[Certificate],
    anchors: &AnchorSet,
    supplied: (&[Crl], &[OcspResponse]),
    opts: &ValidationOptions,
    memo: &SignatureMemo,
) -> Result<FetchedEvidence, UsageError> {
    let chain: Vec<Arc<Certificate>> = std::iter::once(target)
        .chain(intermediates)
        .map(|c| Arc::new(c.clone()))
        .collect();
    if opts.revocation == RevocationPolicy::Off
        || !(revocation::has_endpoints(&chain) || revocation::any_successor_endpoints(anchors))
    {
        return Ok(FetchedEvidence::default());
    }
    let mut off = opts.clone();
    off.revocation = RevocationPolicy::Off;
    let refs: Vec<&Certificate> = intermediates.iter().collect();
    let pre = validate_with_evidence(target, &refs, anchors, &Evidence::default(), &off, memo);
    if !pre.is_valid() {
        return Ok(FetchedEvidence::default());
    }
    let Some(path) = revocation::path_of(&pre, &chain, anchors) else {
        return Ok(FetchedEvidence::default());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("--online: cannot start the runtime: {e}")))?;
    let cfg = RevocationConfig::default();
    let source = OnlineRevocation::new(&cfg, Arc::new(SystemClock))
        .map_err(|e| UsageError(format!("--online: {e}")))?;
    let successor = revocation::successor_endpoints(&path, anchors);
    Ok(runtime.block_on(source.evidence_for(EvidenceRequest {
        path: &path,
        policy: opts.revocation,
        time: opts.time,
        supplied_crls: supplied.0,
        supplied_ocsp: supplied.1,
        successor_endpoints: &successor,
        deadline: std::time::Duration::from_millis(cfg.deadline_ms),
    })))
}

/// Verifies the trust list (and the foreign lists it points to) and builds the anchor index.
/// A list that does not verify is an input the command cannot use: exit 64 with the reason.
fn load_snapshot(args: &ValidateArgs, list: &Path) -> Result<Snapshot, UsageError> {
    load_list(list, &args.signers, &args.foreign_lists)
}

/// [`load_snapshot`] for `list` pinned to the certificates in `signers`, with the foreign
/// lists it points to.
pub(super) fn load_list(
    list: &Path,
    signers: &[PathBuf],
    foreign_lists: &[PathBuf],
) -> Result<Snapshot, UsageError> {
    let mut pinned = Vec::new();
    for p in signers {
        pinned.extend(load_certs(p, "signer")?.iter().map(|c| c.der().to_vec()));
    }
    let pinned = PinnedSigners::new(pinned).map_err(|e| UsageError(e.to_string()))?;
    // Lists are verified now (the signature and its signer as of today); their status
    // history then answers for the validation time, and their freshness is checked
    // against it.
    let t = now();
    let bytes = read(list, "trust list")?;
    let miit = verify(&bytes, &pinned, t)
        .map_err(|e| UsageError(format!("trust list {}: {e}", list.display())))?;
    let mut foreign: Vec<(VerifiedTrustList, ListRole)> = Vec::new();
    for f in foreign_lists {
        let bytes = read(f, "foreign list")?;
        let (v, approval) = verify_approved(&bytes, &miit, t)
            .map_err(|e| UsageError(format!("foreign list {}: {e}", f.display())))?;
        foreign.push((v, ListRole::ForeignScheme(approval)));
    }
    let mut inputs: Vec<(&VerifiedTrustList, ListRole)> = vec![(&miit, ListRole::Miit)];
    inputs.extend(foreign.iter().map(|(v, r)| (v, r.clone())));
    Ok(build_snapshot(&inputs))
}

/// Past its NextUpdate a list may be out of date: the answer is INDETERMINATE
/// TRUST_LIST_EXPIRED, never VALID on stale trust.
pub(super) fn expired(s: &Snapshot, t: i64) -> Option<Report> {
    let l = s
        .lists()
        .iter()
        .find(|l| l.next_update.is_some_and(|n| t > n))?;
    Some(Report::decided(
        Code::TrustListExpired,
        format!(
            "the trust list {} #{} was due to be replaced on {}; at {} it may be out of date",
            l.territory,
            l.sequence,
            l.next_update.map(fmt_time).unwrap_or_default(),
            fmt_time(t)
        ),
        t,
    ))
}

/// A warning when a list's NextUpdate is within 7 days of the validation time.
fn near_expiry(s: &Snapshot, t: i64, r: &mut Report) {
    for l in s.lists() {
        if let Some(n) = l.next_update
            && n >= t
            && n - t < 7 * 86_400
        {
            r.warnings.push(Warning {
                code: Code::TrustListNearExpiry,
                cert_index: None,
                message: format!(
                    "the trust list {} #{} is due to be replaced on {}",
                    l.territory,
                    l.sequence,
                    fmt_time(n)
                ),
            });
        }
    }
}
