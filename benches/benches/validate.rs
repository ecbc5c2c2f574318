//! huren-validator against rustls-webpki, in one criterion run so that ratios are meaningful.
//! See `benches/README.md` for the groups, the targets and how to read the summary.
#![forbid(unsafe_code)]

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use huren_benches::{
    HOST, KeyAlg, NOW, Pki, criterion_dir, estimate, limbo_cases, parse, server_options, sm2_demo,
};
use huren_validator::{
    AnchorSet, Certificate, Report, SignatureMemo, Status, ValidationOptions, validate,
};
use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};
use webpki::{ALL_VERIFICATION_ALGS, EndEntityCert, KeyUsage};

/// Leaves in the warm stream.
const STREAM: usize = 256;
/// Unrelated roots beside the real one in `anchors/5000`.
const MANY_ANCHORS: u64 = 4_999;
/// Decoy intermediates sharing the real intermediate's name.
const DECOYS: u64 = 120;

/// A chain as webpki takes it: leaf DER, intermediates DER, trust anchors.
struct WebpkiChain<'a> {
    anchors: Vec<TrustAnchor<'a>>,
    intermediates: Vec<CertificateDer<'a>>,
}

impl<'a> WebpkiChain<'a> {
    fn new(pki: &'a Pki) -> Self {
        let root = CertificateDer::from(pki.root.as_slice());
        let anchor = webpki::anchor_from_trusted_cert(&root)
            .expect("root as webpki anchor")
            .to_owned();
        WebpkiChain {
            anchors: vec![anchor],
            intermediates: vec![CertificateDer::from(pki.intermediate.as_slice())],
        }
    }

    /// Parse the leaf, build and verify the path for serverAuth, check the name.
    fn verify(&self, leaf: &[u8], name: &ServerName<'_>) -> Result<(), webpki::Error> {
        let der = CertificateDer::from(leaf);
        let ee = EndEntityCert::try_from(&der)?;
        ee.verify_for_usage(
            ALL_VERIFICATION_ALGS,
            &self.anchors,
            &self.intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(NOW as u64)),
            KeyUsage::server_auth(),
            None,
            None,
        )?;
        ee.verify_is_valid_for_subject_name(name)
    }
}

/// A chain as huren keeps it in a service: intermediates and anchors parsed once.
struct HurenChain {
    anchors: AnchorSet,
    intermediates: Vec<Certificate>,
    options: ValidationOptions,
}

impl HurenChain {
    fn new(pki: &Pki) -> Self {
        let mut anchors = AnchorSet::new();
        anchors.add_certificate(parse(&pki.root));
        HurenChain {
            anchors,
            intermediates: vec![parse(&pki.intermediate)],
            options: server_options(),
        }
    }

    /// Parse the leaf and validate it.
    fn verify(&self, leaf: &[u8], memo: &SignatureMemo) -> Report {
        let leaf = Certificate::from_der(leaf).expect("leaf parses");
        validate(
            &leaf,
            &self.intermediates,
            &self.anchors,
            &[],
            &self.options,
            memo,
        )
    }
}

fn expect_valid(what: &str, r: &Report) {
    assert!(
        r.is_valid(),
        "{what}: huren says {} {}: {}",
        r.status,
        r.code,
        r.message
    );
}

fn main() {
    let started = SystemTime::now();
    let out_dir = criterion_dir();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(700))
        .measurement_time(Duration::from_secs(3))
        .sample_size(40)
        .output_directory(&out_dir)
        .configure_from_args();

    let t = Instant::now();
    let p256 = Pki::new(KeyAlg::P256, "P-256");
    let rsa = Pki::new(KeyAlg::Rsa2048, "RSA-2048");
    eprintln!("setup: chains generated in {:.2?}", t.elapsed());

    cold(&mut c, &p256, &rsa);
    warm(&mut c, &p256);
    anchors(&mut c, &p256);
    sm2(&mut c);
    pathological(&mut c);

    c.final_summary();
    summary(&out_dir, started);
}

/// 1. Full validation, no memo, one leaf: parse + path + signatures + name.
fn cold(c: &mut Criterion, p256: &Pki, rsa: &Pki) {
    let name = ServerName::try_from(HOST).expect("server name");
    let mut g = c.benchmark_group("cold");
    g.measurement_time(Duration::from_secs(5));
    for (label, pki) in [("p256", p256), ("rsa2048", rsa)] {
        let leaf = pki.leaf(0, true);
        let wp = WebpkiChain::new(pki);
        let hu = HurenChain::new(pki);
        wp.verify(&leaf, &name)
            .expect("webpki accepts the generated chain");
        let r = hu.verify(&leaf, &SignatureMemo::new(0));
        expect_valid(label, &r);
        assert_eq!(r.stats.signatures_verified, 2, "cold: {:?}", r.stats);

        g.bench_function(BenchmarkId::new(label, "webpki"), |b| {
            b.iter(|| wp.verify(black_box(&leaf), &name))
        });
        g.bench_function(BenchmarkId::new(label, "huren"), |b| {
            b.iter(|| hu.verify(black_box(&leaf), &SignatureMemo::new(0)))
        });
    }
    g.finish();
}

/// 2. A stream of distinct leaves under one intermediate.
fn warm(c: &mut Criterion, p256: &Pki) {
    let name = ServerName::try_from(HOST).expect("server name");
    let leaves: Vec<Vec<u8>> = (1..=STREAM as u64).map(|i| p256.leaf(i, true)).collect();
    let primer = p256.leaf(10_000, true);
    let wp = WebpkiChain::new(p256);
    let hu = HurenChain::new(p256);

    let mut g = c.benchmark_group("warm");
    g.throughput(Throughput::Elements(STREAM as u64));
    g.measurement_time(Duration::from_secs(5));
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("p256", "webpki"), |b| {
        b.iter(|| {
            for leaf in &leaves {
                wp.verify(black_box(leaf), &name).expect("webpki");
            }
        })
    });
    // As specified: one SignatureMemo::default() shared by every iteration. After the first
    // pass every leaf's own signature is in the memo too, so this is a stream of *repeated*
    // leaves (zero signature verifications per validation).
    let shared = SignatureMemo::default();
    for leaf in &leaves {
        expect_valid("warm", &hu.verify(leaf, &shared));
    }
    g.bench_function(BenchmarkId::new("p256", "huren"), |b| {
        b.iter(|| {
            for leaf in &leaves {
                black_box(hu.verify(black_box(leaf), &shared));
            }
        })
    });
    // Each leaf seen for the first time: a fresh memo primed with the intermediate's
    // signature (through another leaf), so each validation verifies exactly the leaf's.
    let fresh = || {
        let memo = SignatureMemo::default();
        expect_valid("primer", &hu.verify(&primer, &memo));
        memo
    };
    let memo = fresh();
    let r = hu.verify(&leaves[0], &memo);
    assert_eq!(r.stats.signatures_verified, 1, "unseen leaf: {:?}", r.stats);
    g.bench_function(BenchmarkId::new("p256", "huren-unseen"), |b| {
        b.iter_batched_ref(
            fresh,
            |memo| {
                for leaf in &leaves {
                    black_box(hu.verify(black_box(leaf), memo));
                }
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// 3. Anchor-set size: 1 anchor against 5,000 (4,999 unrelated roots + the real one).
fn anchors(c: &mut Criterion, p256: &Pki) {
    let t = Instant::now();
    let unrelated = huren_benches::unrelated_roots(MANY_ANCHORS);
    eprintln!(
        "setup: {MANY_ANCHORS} unrelated roots generated in {:.2?}",
        t.elapsed()
    );
    let leaf = parse(&p256.leaf(0, true));
    let one = HurenChain::new(p256);
    let mut many = HurenChain::new(p256);
    many.anchors = AnchorSet::new();
    for der in &unrelated {
        many.anchors.add_certificate(parse(der));
    }
    many.anchors.add_certificate(parse(&p256.root));
    assert_eq!(many.anchors.len(), MANY_ANCHORS as usize + 1);

    let mut g = c.benchmark_group("anchors");
    for (n, chain) in [(1, &one), (MANY_ANCHORS + 1, &many)] {
        let memo = SignatureMemo::default();
        let run = || {
            validate(
                &leaf,
                &chain.intermediates,
                &chain.anchors,
                &[],
                &chain.options,
                &memo,
            )
        };
        expect_valid("anchors", &run());
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(run()))
        });
    }
    g.finish();
}

/// 4. The SM2 demo chain (testvectors/demo), memo warm; cold for reference.
fn sm2(c: &mut Criterion) {
    let Some((leaf, intermediates, anchors, options)) = sm2_demo() else {
        eprintln!("SKIPPED sm2: testvectors/demo/leaf.pem not found");
        return;
    };
    let run = |memo: &SignatureMemo| {
        let leaf = Certificate::from_der(&leaf).expect("SM2 leaf parses");
        validate(&leaf, &intermediates, &anchors, &[], &options, memo)
    };
    let memo = SignatureMemo::default();
    expect_valid("sm2", &run(&memo));
    let mut g = c.benchmark_group("sm2");
    g.throughput(Throughput::Elements(1));
    g.bench_function("warm", |b| b.iter(|| black_box(run(&memo))));
    g.bench_function("cold", |b| {
        b.iter(|| black_box(run(&SignatureMemo::new(0))))
    });
    // A leaf seen for the first time under the known intermediate: the memo holds the
    // intermediate's signature only, so each validation verifies exactly one SM2 signature.
    let primed = || {
        let memo = SignatureMemo::default();
        let inter = &intermediates[0];
        let mut issuers = AnchorSet::new();
        for a in anchors.iter() {
            issuers.add(a.clone());
        }
        let mut o = options.clone();
        o.key_usage.clear();
        let r = validate(inter, &[], &issuers, &[], &o, &memo);
        assert!(r.is_valid(), "SM2 intermediate: {} {}", r.code, r.message);
        memo
    };
    let memo = primed();
    assert_eq!(
        run(&memo).stats.signatures_verified,
        1,
        "one SM2 signature per new leaf"
    );
    g.bench_function("leaf-unseen", |b| {
        b.iter_batched_ref(primed, |memo| black_box(run(memo)), BatchSize::PerIteration)
    });
    g.finish();
}

/// 5. Adversarial path building: decoys, and the x509-limbo pathological cases.
///
/// Each validation starts with an empty memo (an attacker's certificates are new).
fn pathological(c: &mut Criterion) {
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(2));
    g.warm_up_time(Duration::from_millis(300));

    let pki = Pki::new(KeyAlg::P256, "Decoy");
    let real = parse(&pki.intermediate);
    let mut intermediates: Vec<Certificate> = pki
        .decoy_intermediates(DECOYS)
        .iter()
        .map(|d| parse(d))
        .collect();
    intermediates.push(real); // the real one last: the worst position
    let mut anchors = AnchorSet::new();
    anchors.add_certificate(parse(&pki.root));
    let options = server_options();
    // With an authorityKeyIdentifier in the leaf (how every public CA issues), and without
    // one (the engine cannot rank the 121 candidates by key identifier).
    for (label, aki) in [("decoys", true), ("decoys-no-aki", false)] {
        let leaf = parse(&pki.leaf(0, aki));
        let run = || {
            validate(
                &leaf,
                &intermediates,
                &anchors,
                &[],
                &options,
                &SignatureMemo::default(),
            )
        };
        let r = run();
        eprintln!(
            "pathological/{label}: {} {} ({} signatures, {} candidates, {} paths)",
            r.status,
            r.code,
            r.stats.signatures_verified,
            r.stats.candidates_tried,
            r.stats.paths_evaluated
        );
        let webpki = webpki_reference(&leaf, &intermediates, &anchors, &options);
        eprintln!("  webpki for reference: {webpki}");
        g.bench_function(label, |b| b.iter(|| black_box(run())));
    }

    match limbo_cases("pathological::") {
        Err(why) => eprintln!("SKIPPED limbo pathological cases: {why}"),
        Ok(cases) => {
            for case in &cases {
                let run = || {
                    validate(
                        &case.leaf,
                        &case.intermediates,
                        &case.anchors,
                        &[],
                        &case.options,
                        &SignatureMemo::default(),
                    )
                };
                let r = run();
                let got = if r.status == Status::Valid {
                    "SUCCESS"
                } else {
                    "FAILURE"
                };
                eprintln!(
                    "{}: expected {}, got {got} ({} {}; {} signatures, {} candidates, {} paths)",
                    case.id,
                    case.expected,
                    r.status,
                    r.code,
                    r.stats.signatures_verified,
                    r.stats.candidates_tried,
                    r.stats.paths_evaluated
                );
                let webpki = webpki_reference(
                    &case.leaf,
                    &case.intermediates,
                    &case.anchors,
                    &case.options,
                );
                eprintln!("  webpki for reference: {webpki}");
                let id = BenchmarkId::new("limbo", case.id.trim_start_matches("pathological::"));
                g.bench_function(id, |b| b.iter(|| black_box(run())));
            }
        }
    }
    g.finish();
}

/// webpki's answer and time (best of up to 5 runs) on a limbo case, for the set-up log.
fn webpki_reference(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &AnchorSet,
    options: &ValidationOptions,
) -> String {
    let Some(huren_validator::ServerName::Dns(host)) = &options.server_name else {
        return "n/a (no DNS name)".into();
    };
    let Ok(name) = ServerName::try_from(host.as_str()) else {
        return "n/a (name)".into();
    };
    let anchors: Vec<TrustAnchor<'_>> = anchors
        .iter()
        .filter_map(|a| {
            webpki::anchor_from_trusted_cert(&CertificateDer::from(a.certificate().der()))
                .ok()
                .map(|t| t.to_owned())
        })
        .collect();
    let intermediates: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|c| CertificateDer::from(c.der()))
        .collect();
    let leaf = CertificateDer::from(leaf.der());
    let time = UnixTime::since_unix_epoch(Duration::from_secs(options.time as u64));
    let run = || -> Result<(), webpki::Error> {
        let ee = EndEntityCert::try_from(&leaf)?;
        ee.verify_for_usage(
            ALL_VERIFICATION_ALGS,
            &anchors,
            &intermediates,
            time,
            KeyUsage::server_auth(),
            None,
            None,
        )?;
        ee.verify_is_valid_for_subject_name(&name)
    };
    let mut best = Duration::MAX;
    let mut result = Ok(());
    let start = Instant::now();
    for _ in 0..5 {
        let t = Instant::now();
        result = run();
        best = best.min(t.elapsed());
        if start.elapsed() > Duration::from_secs(2) {
            break;
        }
    }
    format!("{result:?} in {best:.2?}")
}

// ---------------------------------------------------------------------------------------
// Summary: ratios and targets, from the estimates criterion wrote in this run.

fn fmt_ns(ns: f64) -> String {
    match ns {
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.1} µs", n / 1e3),
        n => format!("{n:.0} ns"),
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "MISSED" }
}

fn summary(dir: &Path, since: SystemTime) {
    let est = |id: &str| estimate(dir, id, since);
    println!("\n== huren vs webpki summary (times per iteration; targets from benches/README.md)");
    for alg in ["p256", "rsa2048"] {
        if let (Some(w), Some(h)) = (
            est(&format!("cold/{alg}/webpki")),
            est(&format!("cold/{alg}/huren")),
        ) {
            let ratio = h / w;
            println!(
                "cold/{alg:<8} webpki {:>10}  huren {:>10}  huren/webpki time {ratio:.2}x  (target <= 1.10x: {})",
                fmt_ns(w),
                fmt_ns(h),
                verdict(ratio <= 1.10)
            );
        }
    }
    if let Some(w) = est("warm/p256/webpki") {
        let per_s = |ns: f64| STREAM as f64 / (ns / 1e9);
        println!("warm/p256    webpki {:>8.0} leaves/s", per_s(w));
        for variant in ["huren", "huren-unseen"] {
            if let Some(h) = est(&format!("warm/p256/{variant}")) {
                let ratio = w / h;
                println!(
                    "warm/p256    {variant:<13} {:>8.0} leaves/s  {ratio:.2}x webpki throughput  (target >= 1.8x: {})",
                    per_s(h),
                    verdict(ratio >= 1.8)
                );
            }
        }
    }
    let many = format!("anchors/{}", MANY_ANCHORS + 1);
    if let (Some(one), Some(n)) = (est("anchors/1"), est(&many)) {
        let slower = (n / one - 1.0) * 100.0;
        println!(
            "anchors      1: {:>10}  {}: {:>10}  {slower:+.1}%  (target <= +2%: {})",
            fmt_ns(one),
            MANY_ANCHORS + 1,
            fmt_ns(n),
            verdict(slower <= 2.0)
        );
    }
    if let Some(ns) = est("sm2/leaf-unseen") {
        println!(
            "sm2/unseen   {:>10}  {:.0} validations/s (a new leaf under a known intermediate: one SM2 verification)  (target >= 5000/s: {})",
            fmt_ns(ns),
            1e9 / ns,
            verdict(1e9 / ns >= 5000.0)
        );
    }
    if let Some(ns) = est("sm2/warm") {
        let per_s = 1e9 / ns;
        let cold = est("sm2/cold").map(|c| format!(" (cold {:.0}/s)", 1e9 / c));
        println!(
            "sm2/warm     {:>10}  {per_s:.0} validations/s{}  (target >= 5000/s: {})",
            fmt_ns(ns),
            cold.unwrap_or_default(),
            verdict(per_s >= 5000.0)
        );
    }
    let patho: Vec<(String, f64)> = std::fs::read_dir(dir.join("pathological"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == "limbo" {
                std::fs::read_dir(e.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|l| format!("pathological/limbo/{}", l.file_name().to_string_lossy()))
                    .collect()
            } else {
                vec![format!("pathological/{name}")]
            }
        })
        .filter_map(|id| est(&id).map(|ns| (id, ns)))
        .collect();
    if let Some((worst, ns)) = patho.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        println!(
            "pathological {} cases, worst {worst}: {}  (target < 2 ms: {})",
            patho.len(),
            fmt_ns(*ns),
            verdict(*ns < 2e6)
        );
    }
}
