//! Trust lists: parse + verify the genuine EU lists (against `xmlsec1 --verify` in the same
//! run), build the anchor index from LOTL 390 and its member lists, and the memory of an
//! index of 5,000 anchors. See `benches/README.md` ("Trust lists") for what each step does
//! and how to read the closing summary.
#![forbid(unsafe_code)]

use criterion::{BenchmarkId, Criterion, Throughput};
use huren_benches::{criterion_dir, estimate, testdata_dir};
use huren_trustlists::dsig::{self, AwsLc};
use huren_trustlists::model::{
    DigitalIdentity, MultiLang, Provider, Service, ServiceStatus, ServiceType, TrustList,
};
use huren_trustlists::pointers::{pinned_for, verify_via};
use huren_trustlists::sign::{ListSigner, SigningKey, sign_list};
use huren_trustlists::snapshot::{ListRole, Snapshot, build_snapshot};
use huren_trustlists::verify::{At, PinnedSigners, VerifiedTrustList, verify, verify_with};
use huren_trustlists::{Limits, read_unverified, write_list};
use huren_validator::fmt_time;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Anchors in the synthetic list whose index memory is measured.
const SYNTHETIC_ANCHORS: usize = 5_000;
/// Services per provider in the synthetic list.
const SERVICES_PER_PROVIDER: usize = 20;
/// Indexes built and kept alive while measuring memory (the first absorbs memory the
/// allocator kept from earlier work; the median of the others is reported).
const MEMORY_COPIES: usize = 4;
/// xmlsec1 processes timed per file (the median is reported).
const XMLSEC_RUNS: usize = 15;
/// The LOTL the index is built from.
const LOTL: &str = "eu-lotl-390.xml";
/// XAdES 1.3.2, whose `SignedProperties/@Id` xmlsec1 must be told is an ID.
const XADES_ID_ATTR: &str = "http://uri.etsi.org/01903/v1.3.2#:SignedProperties";

/// One genuine list of `eu-tl/current/`, with what verifying it needs.
struct EuList {
    /// File name.
    file: String,
    /// Criterion id part (the file stem).
    id: String,
    path: PathBuf,
    bytes: Vec<u8>,
    /// SchemeTerritory.
    territory: String,
    /// ListIssueDateTime: each list is verified at its own issue time (they expire).
    issued: i64,
    /// The signers it is verified against: OJ 2026 for the LOTL, what LOTL 390 pins for
    /// each member, the list's own KeyInfo signer for HR (which LOTL 390 does not pin).
    pinned: PinnedSigners,
    /// Where `pinned` comes from, for the summary.
    pinned_by: &'static str,
    /// The certificate that signed it (DER), from its KeyInfo: xmlsec1's key.
    signer: Vec<u8>,
}

/// xmlsec1's times for one file.
struct XmlsecTimes {
    /// Median wall time of one `xmlsec1 --verify` process.
    process: Duration,
}

fn main() {
    let started = SystemTime::now();
    let out_dir = criterion_dir();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
        .output_directory(&out_dir)
        .configure_from_args();

    // Memory first, on a heap that criterion has not yet churned.
    let (synthetic, memory) = synthetic_index();

    let eu = eu_lists();
    let mut xmlsec = Vec::new();
    let mut floors = None;
    if let Some(lists) = &eu {
        match xmlsec1_times(lists) {
            Ok((times, f)) => {
                xmlsec = times;
                floors = Some(f);
            }
            Err(why) => eprintln!("SKIPPED the xmlsec1 comparison: {why}"),
        }
        verify_lists(&mut c, lists);
    }
    let anchors = eu.as_deref().and_then(|l| eu_index(&mut c, l));
    synthetic_build(&mut c, &synthetic);

    c.final_summary();
    summary(
        &out_dir,
        started,
        Measured {
            lists: eu.as_deref().unwrap_or_default(),
            xmlsec: &xmlsec,
            floors,
            index: anchors,
            synthetic: &synthetic,
            memory,
        },
    );
}

// ---------------------------------------------------------------------------------------
// 1. Parse + verify each genuine list, and xmlsec1 on the same files.

/// The lists of `eu-tl/current/` with their pinned signers, or `None` (said) when the corpus
/// is absent.
fn eu_lists() -> Option<Vec<EuList>> {
    let dir = testdata_dir().join("eu-tl");
    let current = dir.join("current");
    if !current.is_dir() {
        eprintln!(
            "SKIPPED the genuine-list benchmarks: {} not found (set HUREN_TESTDATA)",
            current.display()
        );
        return None;
    }
    let oj2026 = PinnedSigners::new(keystore(&dir.join("keystores/oj-2026")))
        .expect("the OJ 2026 certificates parse");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&current)
        .expect("eu-tl/current")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let limits = Limits::default();
    let mut lists: Vec<EuList> = files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read a list");
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let claimed = read_unverified(&bytes, &limits)
                .unwrap_or_else(|e| panic!("{file} does not read: {e}"));
            let signer = keyinfo_signer(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
            EuList {
                id: file.trim_end_matches(".xml").to_string(),
                file,
                path,
                bytes,
                territory: claimed.scheme_territory.clone().unwrap_or_default(),
                issued: claimed.issued,
                pinned: PinnedSigners::default(),
                pinned_by: "",
                signer,
            }
        })
        .collect();
    let Some(lotl) = lists.iter_mut().find(|l| l.file == LOTL) else {
        eprintln!("SKIPPED the genuine-list benchmarks: current/{LOTL} not found");
        return None;
    };
    lotl.pinned = oj2026.clone();
    lotl.pinned_by = "OJ 2026";
    let lotl = verify(&lotl.bytes, &oj2026, lotl.issued).expect("LOTL 390 verifies");
    for l in lists.iter_mut().filter(|l| l.file != LOTL) {
        match pinned_for(lotl.list(), &l.territory) {
            Ok(p) if p.contains(&l.signer) => {
                l.pinned = p;
                l.pinned_by = "LOTL 390";
            }
            // HR: a stale copy whose signer LOTL 390 does not pin. Its own signer is pinned
            // here so that its signature is timed too (it is not part of the index).
            _ => {
                l.pinned = PinnedSigners::new(vec![l.signer.clone()]).expect("signer parses");
                l.pinned_by = "own signer";
            }
        }
    }
    for l in &lists {
        let v = verify(&l.bytes, &l.pinned, l.issued)
            .unwrap_or_else(|e| panic!("{} does not verify: {e}", l.file));
        assert_eq!(v.signer(), l.signer.as_slice());
    }
    Some(lists)
}

/// Every certificate (DER) in a key-store directory.
fn keystore(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read(f).expect("key store"))
        .collect()
}

/// The certificate the list's KeyInfo carries, as our own signature check finds it.
fn keyinfo_signer(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| e.to_string())?;
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    dsig::verify_signature(&doc, &AwsLc)
        .map(|i| i.signer)
        .map_err(|e| e.to_string())
}

fn verify_lists(c: &mut Criterion, lists: &[EuList]) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("verify");
    for l in lists {
        g.throughput(Throughput::Bytes(l.bytes.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(&l.id), |b| {
            b.iter(|| {
                verify_with(
                    black_box(&l.bytes),
                    &l.pinned,
                    At::Time(l.issued),
                    &limits,
                    &AwsLc,
                )
                .expect("verifies")
            })
        });
    }
    g.finish();
}

/// The xmlsec1 command that verifies a genuine list with its signer's key: references to
/// the document and to the XAdES SignedProperties (an ID attribute xmlsec1 has to be told
/// about), the key from the given certificate (`key-name` only: xmlsec1 does not try to
/// build a chain for the KeyInfo certificate, which would fail and cost time).
fn xmlsec1_verify(signer_der: &Path, list: &Path) -> Command {
    let mut cmd = Command::new("xmlsec1");
    cmd.args(["--verify", "--enabled-key-data", "key-name"])
        .args(["--enabled-reference-uris", "empty,same-doc"])
        .args(["--id-attr:Id", XADES_ID_ATTR, "--pubkey-cert-der"])
        .arg(signer_der)
        .arg(list)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// xmlsec1's fixed costs.
#[derive(Clone, Copy)]
struct Floors {
    /// `xmlsec1 --version`: starting the process.
    version: Duration,
    /// `xmlsec1 --verify` with a signer key on `<a/>` (which fails: nothing is signed):
    /// starting the process, initialising its crypto back end and loading the key — what
    /// every verification pays whatever the size.
    startup: Duration,
}

/// Runs `cmd` once and returns its wall time, checking its exit status is `expect_ok`.
fn run_once(mut cmd: Command, expect_ok: bool) -> Result<Duration, String> {
    let t = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run xmlsec1: {e}"))?;
    let elapsed = t.elapsed();
    if status.success() != expect_ok {
        return Err(format!("xmlsec1 exited with {status}"));
    }
    Ok(elapsed)
}

/// xmlsec1 on each list and its fixed costs: [`XMLSEC_RUNS`] rounds, each running every
/// command once (so that a busy moment of the machine is shared by all), medians reported.
fn xmlsec1_times(lists: &[EuList]) -> Result<(Vec<XmlsecTimes>, Floors), String> {
    let version = Command::new("xmlsec1")
        .arg("--version")
        .output()
        .map_err(|e| format!("xmlsec1 not found ({e}); apt-get install xmlsec1"))?;
    eprintln!(
        "setup: {} against huren, {XMLSEC_RUNS} processes per file",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let tmp = std::env::temp_dir().join(format!("huren-bench-xmlsec1-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let result = (|| {
        let mut ders = Vec::with_capacity(lists.len());
        for l in lists {
            let der = tmp.join(format!("{}.signer.der", l.id));
            std::fs::write(&der, &l.signer).map_err(|e| e.to_string())?;
            ders.push(der);
        }
        let unsigned = tmp.join("unsigned.xml");
        std::fs::write(&unsigned, "<a/>").map_err(|e| e.to_string())?;
        let mut version = Vec::with_capacity(XMLSEC_RUNS);
        let mut startup = Vec::with_capacity(XMLSEC_RUNS);
        let mut per_file: Vec<Vec<Duration>> = vec![Vec::with_capacity(XMLSEC_RUNS); lists.len()];
        for _ in 0..XMLSEC_RUNS {
            let mut v = Command::new("xmlsec1");
            v.arg("--version").stdout(Stdio::null());
            version.push(run_once(v, true)?);
            startup.push(
                run_once(xmlsec1_verify(&ders[0], &unsigned), false)
                    .map_err(|e| format!("an unsigned document: {e}"))?,
            );
            for ((l, der), times) in lists.iter().zip(&ders).zip(&mut per_file) {
                times.push(
                    run_once(xmlsec1_verify(der, &l.path), true)
                        .map_err(|e| format!("{}: {e}", l.file))?,
                );
            }
        }
        let floors = Floors {
            version: median(version),
            startup: median(startup),
        };
        let out = per_file
            .into_iter()
            .map(|t| XmlsecTimes { process: median(t) })
            .collect();
        Ok((out, floors))
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

// ---------------------------------------------------------------------------------------
// 2. The anchor index from LOTL 390 and its member lists.

/// The member lists LOTL 390 pins (all of `current/` but the LOTL and HR).
fn members(lists: &[EuList]) -> Vec<&EuList> {
    lists
        .iter()
        .filter(|l| l.file != LOTL && l.pinned_by == "LOTL 390")
        .collect()
}

/// Verifies LOTL 390 at its issue time against OJ 2026, each member through the LOTL's
/// pointer at the member's issue time, and builds the index.
fn index_from_bytes(lotl: &EuList, members: &[&EuList]) -> (Snapshot, Vec<VerifiedTrustList>) {
    let v = verify(&lotl.bytes, &lotl.pinned, lotl.issued).expect("LOTL verifies");
    let verified: Vec<VerifiedTrustList> = members
        .iter()
        .map(|m| verify_via(&m.bytes, &v, m.issued).expect("member verifies via the LOTL"))
        .collect();
    let roles: Vec<(&VerifiedTrustList, ListRole)> =
        verified.iter().map(|v| (v, ListRole::Scheme)).collect();
    (build_snapshot(&roles), verified)
}

/// What the summary says about the index.
struct IndexFacts {
    lists: usize,
    anchors: usize,
    per_list: Vec<(String, usize)>,
    cold: Duration,
}

fn eu_index(c: &mut Criterion, lists: &[EuList]) -> Option<IndexFacts> {
    let lotl = lists.iter().find(|l| l.file == LOTL)?;
    let members = members(lists);
    let t = Instant::now();
    let (snapshot, verified) = index_from_bytes(lotl, &members);
    let cold = t.elapsed();
    let facts = IndexFacts {
        lists: verified.len(),
        anchors: snapshot.anchors().len(),
        per_list: snapshot
            .lists()
            .iter()
            .map(|l| (l.territory.clone(), l.anchors))
            .collect(),
        cold,
    };
    let roles: Vec<(&VerifiedTrustList, ListRole)> =
        verified.iter().map(|v| (v, ListRole::Scheme)).collect();

    let mut g = c.benchmark_group("index");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("lotl390+members", |b| {
        b.iter(|| black_box(index_from_bytes(lotl, &members)))
    });
    g.bench_function("build_snapshot", |b| {
        b.iter(|| black_box(build_snapshot(black_box(&roles))))
    });
    g.finish();
    Some(facts)
}

// ---------------------------------------------------------------------------------------
// 3. An index of 5,000 anchors: a synthetic list, signed and verified, and its memory.

/// The synthetic list, verified.
struct Synthetic {
    verified: VerifiedTrustList,
    xml_bytes: usize,
}

/// Memory of the index, from the resident set size.
struct Memory {
    anchors: usize,
    /// RSS growth for each index built and kept.
    deltas: Vec<u64>,
}

impl Memory {
    /// The median growth of the copies after the first (which can reuse memory freed by
    /// the set-up instead of growing the RSS).
    fn median(&self) -> u64 {
        let mut d: Vec<u64> = self.deltas.iter().skip(1).copied().collect();
        d.sort_unstable();
        d[d.len() / 2]
    }
}

/// Resident set size in bytes (`/proc/self/statm`; Linux). Page size 4 KiB.
fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A list of `roots` (one CA service each, [`SERVICES_PER_PROVIDER`] per provider), issued
/// at `issued`, unsigned.
fn synthetic_list(roots: &[Vec<u8>], issued: i64) -> String {
    let mut list = TrustList::default();
    list.version = 6;
    list.sequence = 1;
    list.tsl_type = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into();
    list.operator = MultiLang::single("en", "Huren Bench Scheme Operator");
    list.scheme_name = MultiLang::single("en", "ZZ: Huren bench list");
    list.status_determination =
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate".into();
    list.scheme_territory = Some("ZZ".into());
    list.issued = issued;
    list.next_update = Some(issued + 180 * 86_400);
    for (p, chunk) in roots.chunks(SERVICES_PER_PROVIDER).enumerate() {
        let mut provider = Provider::default();
        provider.name = MultiLang::single("en", format!("Bench TSP {p:04}"));
        for (s, der) in chunk.iter().enumerate() {
            let mut service = Service::default();
            service.service_type = ServiceType::CaQc;
            service.name = MultiLang::single("en", format!("Bench CA {p:04}-{s:02}"));
            service.identities = vec![DigitalIdentity::Certificate(der.clone())];
            service.status = ServiceStatus::Granted;
            service.status_start = issued - 365 * 86_400;
            provider.services.push(service);
        }
        list.providers.push(provider);
    }
    write_list(&list).expect("the synthetic list writes")
}

/// Signs `unsigned` with a fresh P-256 key at `issued`: the signed XML and the signer
/// certificate (DER).
fn sign_synthetic(unsigned: &str, issued: i64) -> (String, Vec<u8>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Huren Bench List Signer");
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let cert = params.self_signed(&key).expect("signer certificate");
    let signing_key = SigningKey::from_der(&key.serialize_der()).expect("signing key");
    let signer = ListSigner::new(signing_key, cert.der().to_vec()).expect("signer");
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let signed = sign_list(unsigned, &signer, issued, &rng).expect("the list signs");
    (signed, cert.der().to_vec())
}

fn synthetic_index() -> (Synthetic, Option<Memory>) {
    let t = Instant::now();
    let roots = huren_benches::unrelated_roots(SYNTHETIC_ANCHORS as u64);
    let issued = huren_benches::NOW - 86_400;
    let unsigned = synthetic_list(&roots, issued);
    let (signed, signer) = sign_synthetic(&unsigned, issued);
    let pinned = PinnedSigners::new(vec![signer]).expect("pinned");
    let verified = verify(signed.as_bytes(), &pinned, huren_benches::NOW).expect("verifies");
    let xml_bytes = signed.len();
    drop((unsigned, signed, roots));
    eprintln!(
        "setup: synthetic list of {SYNTHETIC_ANCHORS} CA certificates (P-256), {:.1} MB signed, verified at {}, in {:.2?}",
        xml_bytes as f64 / 1e6,
        fmt_time(huren_benches::NOW),
        t.elapsed()
    );
    let s = build_snapshot(&[(&verified, ListRole::Scheme)]);
    assert_eq!(s.anchors().len(), SYNTHETIC_ANCHORS, "one anchor per CA");
    let anchors = s.anchors().len();
    drop(s);
    let synthetic = Synthetic {
        verified,
        xml_bytes,
    };

    let Some(mut before) = rss() else {
        eprintln!("SKIPPED the index memory: /proc/self/statm is not readable");
        return (synthetic, None);
    };
    let mut kept: Vec<Snapshot> = Vec::with_capacity(MEMORY_COPIES);
    let mut deltas = Vec::with_capacity(MEMORY_COPIES);
    for _ in 0..MEMORY_COPIES {
        kept.push(build_snapshot(&[(&synthetic.verified, ListRole::Scheme)]));
        let after = rss().unwrap_or(before);
        deltas.push(after.saturating_sub(before));
        before = after;
    }
    black_box(&kept);
    // Each anchor holds its parsed certificate (with its DER) and its scope.
    let der: usize = kept[0]
        .anchors()
        .iter()
        .map(|a| a.certificate().der().len())
        .sum();
    eprintln!(
        "setup: index of {anchors} anchors: RSS growth per index {} (certificate DER alone {:.2} MB)",
        deltas
            .iter()
            .map(|d| format!("{:.2} MB", *d as f64 / 1e6))
            .collect::<Vec<_>>()
            .join(", "),
        der as f64 / 1e6
    );
    drop(kept);
    (synthetic, Some(Memory { anchors, deltas }))
}

fn synthetic_build(c: &mut Criterion, s: &Synthetic) {
    let mut g = c.benchmark_group("index");
    g.bench_function(
        BenchmarkId::new("build_snapshot", format!("synthetic-{SYNTHETIC_ANCHORS}")),
        |b| b.iter(|| black_box(build_snapshot(&[(&s.verified, ListRole::Scheme)]))),
    );
    g.finish();
}

// ---------------------------------------------------------------------------------------
// Summary, from the estimates criterion wrote in this run.

/// Least-squares slope of y over x.
fn slope(pts: &[(f64, f64)]) -> Option<f64> {
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let sxy: f64 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = pts.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

fn ms(d: f64) -> String {
    format!("{:.2}", d / 1e6)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "MISSED" }
}

/// What the set-up measured, for the summary.
struct Measured<'a> {
    lists: &'a [EuList],
    xmlsec: &'a [XmlsecTimes],
    floors: Option<Floors>,
    index: Option<IndexFacts>,
    synthetic: &'a Synthetic,
    memory: Option<Memory>,
}

fn summary(dir: &Path, since: SystemTime, m: Measured<'_>) {
    let Measured {
        lists,
        xmlsec,
        floors,
        index,
        synthetic,
        memory,
    } = m;
    let est = |id: &str| estimate(dir, id, since);
    // (size, huren ns, xmlsec1 process ns) of each list measured in this run.
    let rows: Vec<(&EuList, f64, Option<f64>)> = lists
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let h = est(&format!("verify/{}", l.id))?;
            Some((l, h, xmlsec.get(i).map(|x| x.process.as_nanos() as f64)))
        })
        .collect();
    if !rows.is_empty() {
        println!(
            "\n== trust lists: parse + verify, huren in-process vs xmlsec1 --verify (same files, same run)"
        );
        let startup = floors.map(|f| f.startup.as_nanos() as f64);
        if let Some(f) = floors {
            println!(
                "xmlsec1 fixed cost: {} ms a bare process (xmlsec1 --version); start-up {} ms (xmlsec1 --verify with a key on an unsigned <a/>: process, crypto back end, key), taken off in the -start-up columns",
                ms(f.version.as_nanos() as f64),
                ms(f.startup.as_nanos() as f64),
            );
        }
        println!(
            "{:<16} {:>8} {:>9} {:>7} {:>11} {:>10} {:>8} {:>10}  pinned",
            "file", "size MB", "huren ms", "MB/s", "xmlsec1 ms", "-start-up", "ratio", "-start-up"
        );
        let x = |v: f64| format!("{v:.1}x");
        let mut total = (0f64, 0usize, 0f64, 0f64);
        for (l, h, p) in &rows {
            let size = l.bytes.len();
            total.0 += h;
            total.1 += size;
            let (xp, xs, r, rs) = match (p, startup) {
                (Some(p), Some(su)) => {
                    let minus = (p - su).max(0.0);
                    total.2 += p;
                    total.3 += minus;
                    if minus > 0.0 {
                        (ms(*p), ms(minus), x(p / h), x(minus / h))
                    } else {
                        // Within the noise of the start-up itself.
                        (ms(*p), "~0".into(), x(p / h), "-".into())
                    }
                }
                _ => Default::default(),
            };
            println!(
                "{:<16} {:>8.3} {:>9} {:>7.1} {:>11} {:>10} {:>8} {:>10}  {}",
                l.id,
                size as f64 / 1e6,
                ms(*h),
                size as f64 / (h / 1e9) / 1e6,
                xp,
                xs,
                r,
                rs,
                l.pinned_by
            );
        }
        let (xp, xs, r, rs) = if total.2 > 0.0 {
            (
                ms(total.2),
                ms(total.3),
                x(total.2 / total.0),
                x(total.3 / total.0),
            )
        } else {
            Default::default()
        };
        println!(
            "{:<16} {:>8.3} {:>9} {:>7.1} {:>11} {:>10} {:>8} {:>10}",
            "all",
            total.1 as f64 / 1e6,
            ms(total.0),
            total.1 as f64 / (total.0 / 1e9) / 1e6,
            xp,
            xs,
            r,
            rs
        );
        // The cost of one more megabyte: least-squares slope of time against size.
        let huren: Vec<(f64, f64)> = rows
            .iter()
            .map(|(l, h, _)| (l.bytes.len() as f64, *h))
            .collect();
        let xml: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|(l, _, p)| Some((l.bytes.len() as f64, (*p)?)))
            .collect();
        let rate = |pts: &[(f64, f64)]| slope(pts).map(|ns_per_byte| 1e3 / ns_per_byte);
        if let Some(hr) = rate(&huren) {
            let xr = rate(&xml)
                .map(|xr| format!("; xmlsec1 {xr:.1} MB/s ({:.1}x)", hr / xr))
                .unwrap_or_default();
            println!("marginal throughput (slope of time over size): huren {hr:.1} MB/s{xr}");
        }
        if total.2 > 0.0 {
            println!(
                "ratio = xmlsec1 time / huren time (above 1: huren faster)  (goal: faster than xmlsec1, start-up taken off: {})",
                verdict(total.3 > total.0)
            );
        }
    }
    if let Some(ix) = index {
        let per: Vec<String> = ix
            .per_list
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        println!(
            "\n== anchor index from LOTL 390 + {} member lists: {} anchors ({})",
            ix.lists,
            ix.anchors,
            per.join(", ")
        );
        println!(
            "first build (cold caches, in set-up): {} ms",
            ms(ix.cold.as_nanos() as f64)
        );
        if let Some(all) = est("index/lotl390+members") {
            println!(
                "verify LOTL + members + build_snapshot: {} ms on one core  (target < 1000 ms: {})",
                ms(all),
                verdict(all < 1e9)
            );
        }
        if let Some(b) = est("index/build_snapshot") {
            println!("build_snapshot alone: {} ms", ms(b));
        }
    }
    println!(
        "\n== synthetic list of {SYNTHETIC_ANCHORS} CA certificates ({:.1} MB signed XML)",
        synthetic.xml_bytes as f64 / 1e6
    );
    if let Some(b) = est(&format!(
        "index/build_snapshot/synthetic-{SYNTHETIC_ANCHORS}"
    )) {
        println!("build_snapshot: {} ms", ms(b));
    }
    if let Some(m) = &memory {
        let med = m.median();
        println!(
            "memory of an index of {} anchors: {:.1} MB (RSS growth, median of {} indexes kept alive; each: {})  (target < 50 MB: {})",
            m.anchors,
            med as f64 / 1e6,
            m.deltas.len() - 1,
            m.deltas
                .iter()
                .map(|d| format!("{:.1}", *d as f64 / 1e6))
                .collect::<Vec<_>>()
                .join(" / "),
            verdict(med < 50_000_000)
        );
    }
}
