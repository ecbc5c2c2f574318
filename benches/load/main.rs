//! Service load driver: `huren serve` against peer servers, on loopback, in one run.
//!
//! ```sh
//! cargo build --release -p huren && cargo run --release -p huren-benches --example load
//! ```
//!
//! Generates a P-256 chain and distinct leaves (rcgen), a MIIT-role trust list that licenses
//! the root (and a 5,000-anchor variant), starts the peers (`bare`, `webpki`,
//! `webpki-cached`, see `peers.rs`) and `huren serve --config` as child processes, measures
//! peak throughput with wrk (2 threads, 64 connections), latency at 80 % of each huren peak
//! with a fixed-rate client (`openloop.rs`), and resident memory; measures the distinct
//! leaves again with online revocation required and its caches warm (`huren-revocation`,
//! an `openssl ocsp` responder and a CRL server on loopback, `revocation.rs`); prints the
//! ratios against the issue-4 and issue-5 targets and writes a table and a plot. See
//! benches/README.md, "Service load".
#![forbid(unsafe_code)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]

mod openloop;
mod peers;
mod pki;
mod proc;
mod revocation;
mod wrk;

use proc::Server;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: load [--duration SECS] [--leaves N] [--anchors N] [--out DIR] \
[--plot FILE.png] [--huren PATH | --no-huren] [--connections N] [--threads N] [--rounds N] \
[--no-peer-latency] [--no-revocation] [--revocation-leaves N] [--signatures N]";

struct Args {
    duration: Duration,
    leaves: usize,
    anchors: usize,
    out: PathBuf,
    plot: Option<PathBuf>,
    huren: Option<PathBuf>,
    connections: u32,
    threads: u32,
    rounds: u32,
    peer_latency: bool,
    /// Whether to run `huren-revocation`.
    revocation: bool,
    /// Distinct leaves of the revocation run (the first ones of the distinct workload);
    /// `None`: all of them.
    revocation_leaves: Option<usize>,
    /// `[cache] signatures` of the huren configs (the signature memo; FIFO).
    signatures: usize,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from)
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        duration: Duration::from_secs(10),
        leaves: 20_000,
        anchors: 5_000,
        out: target_dir().join("load"),
        plot: None,
        huren: Some(target_dir().join("release/huren")),
        connections: 64,
        threads: 2,
        rounds: 2,
        peer_latency: true,
        revocation: true,
        revocation_leaves: None,
        signatures: 2048,
    };
    while let Some(flag) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let num = |v: String| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--duration" => a.duration = Duration::from_secs(num(val()?)?),
            "--leaves" => a.leaves = num(val()?)? as usize,
            "--anchors" => a.anchors = (num(val()?)? as usize).max(1),
            "--out" => a.out = PathBuf::from(val()?),
            "--plot" => a.plot = Some(PathBuf::from(val()?)),
            "--huren" => a.huren = Some(PathBuf::from(val()?)),
            "--no-huren" => a.huren = None,
            "--connections" => a.connections = num(val()?)? as u32,
            "--threads" => a.threads = num(val()?)? as u32,
            "--rounds" => a.rounds = (num(val()?)? as u32).max(1),
            "--no-peer-latency" => a.peer_latency = false,
            "--no-revocation" => a.revocation = false,
            "--signatures" => a.signatures = num(val()?)? as usize,
            "--revocation-leaves" => a.revocation_leaves = Some((num(val()?)? as usize).max(1)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(a)
}

/// `load --peer KIND --listen ADDR --root FILE`: run one peer server (a child of the driver).
fn peer_main(args: &[String]) -> i32 {
    let get = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(kind), Some(listen), Some(root)) = (
        get("--peer").as_deref().and_then(peers::Kind::from_name),
        get("--listen").and_then(|l| l.parse::<SocketAddr>().ok()),
        get("--root"),
    ) else {
        eprintln!("usage: load --peer bare|webpki|webpki-cached --listen ADDR --root FILE");
        return 64;
    };
    let root = std::fs::read(&root).unwrap_or_else(|e| panic!("{root}: {e}"));
    peers::serve(kind, listen, root);
    0
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.iter().any(|a| a == "--peer") {
        std::process::exit(peer_main(&argv));
    }
    let args = match parse_args(argv.into_iter()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(64);
        }
    };
    if let Err(e) = drive(&args) {
        eprintln!("load: {e}");
        std::process::exit(1);
    }
}

/// One measured run of one server on one workload.
#[derive(Clone, Debug)]
struct Row {
    server: String,
    workload: &'static str,
    wrk: wrk::Run,
    rss_rest_kib: Option<u64>,
    rss_load_kib: Option<u64>,
    /// Server CPU time (user + system, all threads) per request of the timed run, µs.
    cpu_us: Option<f64>,
}

/// The server measured with online revocation required.
const REVOCATION_SERVER: &str = "huren-revocation";

/// The workloads.
struct Work {
    /// One body, `fresh: false`.
    repeated: PathBuf,
    /// `N` bodies, one distinct leaf each, `fresh: true`.
    distinct: PathBuf,
    /// The distinct bodies of the revocation run (the first `--revocation-leaves` of
    /// `distinct`; the same file when that is all of them).
    revocation: PathBuf,
    script: PathBuf,
    repeated_body: String,
    distinct_bodies: Vec<String>,
    /// How many of `distinct_bodies` the revocation run sends.
    revocation_leaves: usize,
}

impl Work {
    fn file(&self, server: &str, workload: &str) -> &Path {
        if workload == "repeated" {
            &self.repeated
        } else if server == REVOCATION_SERVER {
            &self.revocation
        } else {
            &self.distinct
        }
    }

    fn first(&self, workload: &str) -> &str {
        if workload == "repeated" {
            &self.repeated_body
        } else {
            &self.distinct_bodies[0]
        }
    }

    /// The requests of `workload` to `addr`, pre-formatted for the open-loop client.
    fn requests(&self, addr: SocketAddr, workload: &str) -> Arc<Vec<Vec<u8>>> {
        let one = [self.repeated_body.clone()];
        let bodies: &[String] = if workload == "repeated" {
            &one
        } else {
            &self.distinct_bodies
        };
        Arc::new(
            bodies
                .iter()
                .map(|b| openloop::format_request(addr, b))
                .collect(),
        )
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "–".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

/// Checks that `server` answers the first body of `workload` with 200 and a VALID status
/// (the bare endpoint: 200).
fn check(server: &Server, work: &Work, workload: &str) -> Result<(), String> {
    let (code, body) = proc::request(
        server.addr,
        "POST",
        "/v1/validate",
        Some(work.first(workload)),
    )?;
    // The bare endpoint answers without looking at the chain.
    if code == 200 && (server.name == "bare" || body.contains("\"VALID\"")) {
        Ok(())
    } else {
        Err(format!(
            "{} does not accept the {workload} chain: HTTP {code}: {}",
            server.name,
            body.chars().take(600).collect::<String>()
        ))
    }
}

/// wrk for 1 s (warm-up, discarded), then for the duration while sampling the server's RSS.
fn measure(a: &Args, server: &Server, work: &Work, workload: &'static str) -> Result<Row, String> {
    check(server, work, workload)?;
    let file = work.file(&server.name, workload);
    let rest = server.rss_kib();
    wrk::run(
        server.addr,
        &work.script,
        file,
        Duration::from_secs(1),
        a.threads,
        a.connections,
    )?;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let cpu_before = proc::cpu_ticks(server.pid());
    let (run, peak) = std::thread::scope(|s| {
        let sampler = s.spawn(|| {
            let mut peak = None;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(server.rss_kib());
                std::thread::sleep(Duration::from_millis(100));
            }
            peak
        });
        let run = wrk::run(
            server.addr,
            &work.script,
            file,
            a.duration,
            a.threads,
            a.connections,
        );
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (run, sampler.join().unwrap_or(None))
    });
    let run = run?;
    let cpu_us = match (cpu_before, proc::cpu_ticks(server.pid())) {
        (Some(b), Some(e)) if run.requests > 0 => {
            Some((e - b) as f64 * 1e6 / proc::clock_ticks() / run.requests as f64)
        }
        _ => None,
    };
    println!(
        "  {:<22} {:<9} {:>10.0} req/s   p50 {:>6.2} ms  p99 {:>6.2} ms  CPU {:>5.1} µs/req  RSS {} → {} MiB{}",
        server.name,
        workload,
        run.rps,
        run.p50_ms,
        run.p99_ms,
        cpu_us.unwrap_or(f64::NAN),
        mib(rest),
        mib(peak),
        if run.non_2xx + run.socket_errors > 0 {
            format!(
                "  ({} non-2xx, {} socket errors)",
                run.non_2xx, run.socket_errors
            )
        } else {
            String::new()
        }
    );
    Ok(Row {
        server: server.name.clone(),
        workload,
        wrk: run,
        rss_rest_kib: rest,
        rss_load_kib: peak,
        cpu_us,
    })
}

fn open_loop(
    a: &Args,
    server: &Server,
    work: &Work,
    workload: &'static str,
    peak: f64,
) -> Result<openloop::Run, String> {
    let r = openloop::run(
        server.addr,
        &work.requests(server.addr, workload),
        peak * 0.8,
        (Duration::from_secs(1), a.duration),
        a.connections as usize,
        a.threads as usize,
    )?;
    println!(
        "  {:<22} {:<9} {:>10.0} req/s asked, {:.0} answered: p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  p99.9 {:.2} ms  max {:.2} ms  errors {}",
        server.name,
        workload,
        r.target_rps,
        r.achieved_rps,
        r.p50_ms,
        r.p90_ms,
        r.p99_ms,
        r.p999_ms,
        r.max_ms,
        r.errors
    );
    Ok(r)
}

/// Whether `huren serve` exists in the binary at `path`.
fn huren_serves(path: &Path) -> Result<(), String> {
    if !path.exists() {
        return Err(format!(
            "{} does not exist (cargo build --release -p huren)",
            path.display()
        ));
    }
    let out = Command::new(path)
        .args(["serve", "--help"])
        .output()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} has no working `serve` command yet",
            path.display()
        ))
    }
}

fn start_huren(
    bin: &Path,
    name: &str,
    files: &pki::HurenFiles,
    addr: SocketAddr,
    out: &Path,
) -> Result<(Server, Duration), String> {
    let mut cmd = Command::new(bin);
    // The configuration file alone decides (no HUREN_* override from the caller's shell).
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("HUREN_") {
            cmd.env_remove(k);
        }
    }
    cmd.arg("serve").arg("--config").arg(&files.config).env(
        "RUST_LOG",
        std::env::var("HUREN_LOAD_RUST_LOG").unwrap_or_else(|_| "warn".into()),
    );
    let (s, t) = Server::start(
        name,
        cmd,
        addr,
        &out.join(format!("{name}.log")),
        Duration::from_secs(120),
    )?;
    println!(
        "  {name}: ready in {t:.2?} ({} anchors on the list)",
        files.anchors
    );
    Ok((s, t))
}

/// The result-cache and memo lines of `/metrics`, to show what the workloads hit.
fn cache_metrics(server: &Server) -> Vec<String> {
    match proc::request(server.addr, "GET", "/metrics", None) {
        Ok((200, body)) => body
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter(|l| l.contains("cache") || l.contains("memo") || l.contains("held_answers"))
            .filter(|l| !l.contains("_bucket"))
            .take(32)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// What the revocation run did besides its timed runs.
struct RevocationFacts {
    leaves: usize,
    warm: revocation::WarmUp,
    /// Network fetches (OCSP, CRL) made during the warm-up.
    warm_fetches: (f64, f64),
    /// Cache entries after the warm-up (OCSP, CRL; moka counts lazily).
    entries: (f64, f64),
    /// OCSP cache entries at the end of the timed runs.
    entries_end: Option<f64>,
    /// Network fetches made during the timed runs (all rounds, wrk's warm-ups included).
    timed_fetches: Option<f64>,
    /// CRL downloads the CRL server served.
    crl_served: u64,
    /// A sample answer's revocation entries (`index outcome source`).
    sample: Vec<String>,
    /// huren's resident memory before and after the warm-up, KiB.
    rss: (Option<u64>, Option<u64>),
}

/// Resident memory of the many-anchor instance.
struct Memory {
    anchors: usize,
    ready: Duration,
    rest: Option<u64>,
    /// Peak under the repeated-chain load.
    repeated: Option<u64>,
    /// Peak under the distinct-leaves load (result cache filling).
    distinct: Option<u64>,
    /// Result-cache entries at the end.
    result_entries: Option<f64>,
}

struct Results {
    rows: Vec<Row>,
    open: Vec<(String, &'static str, openloop::Run)>,
    memory: Option<Memory>,
    revocation: Option<RevocationFacts>,
    huren_missing: Option<String>,
}

impl Results {
    fn row(&self, server: &str, workload: &str) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.server == server && r.workload == workload)
    }

    fn rps(&self, server: &str, workload: &str) -> Option<f64> {
        self.row(server, workload).map(|r| r.wrk.rps)
    }
}

#[allow(clippy::too_many_lines)]
fn drive(a: &Args) -> Result<(), String> {
    let t_all = Instant::now();
    if Command::new("wrk").arg("-v").output().is_err() {
        return Err("wrk is not installed (apt-get install -y wrk)".into());
    }
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;

    // ---- Workload ---------------------------------------------------------------------
    let t = Instant::now();
    // The loopback OCSP responder and CRL server the certificates name: the CRL server's
    // socket is bound now, the responder's port chosen now (both serve from after the
    // servers under test are up, for `huren-revocation` only).
    let crl_listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let crl_port = crl_listener.local_addr().map_err(|e| e.to_string())?.port();
    let ocsp_port = proc::free_port();
    let urls = pki::RevocationUrls {
        ocsp: format!("http://127.0.0.1:{ocsp_port}/"),
        crl: format!("http://127.0.0.1:{crl_port}{}", revocation::CRL_PATH),
    };
    let chain = pki::chain(a.leaves, &urls);
    let revocation_leaves = a.revocation_leaves.unwrap_or(a.leaves).min(a.leaves);
    let work = Work {
        repeated: a.out.join("repeated.jsonl"),
        distinct: a.out.join("distinct.jsonl"),
        revocation: if revocation_leaves < a.leaves {
            a.out.join("distinct-revocation.jsonl")
        } else {
            a.out.join("distinct.jsonl")
        },
        script: a.out.join("load.lua"),
        repeated_body: pki::body(&chain.leaf, &chain.intermediate, false),
        distinct_bodies: chain
            .leaves
            .iter()
            .map(|l| pki::body(l, &chain.intermediate, true))
            .collect(),
        revocation_leaves,
    };
    let write =
        |p: &Path, s: &str| std::fs::write(p, s).map_err(|e| format!("{}: {e}", p.display()));
    write(&work.repeated, &format!("{}\n", work.repeated_body))?;
    write(&work.distinct, &(work.distinct_bodies.join("\n") + "\n"))?;
    if work.revocation != work.distinct {
        write(
            &work.revocation,
            &(work.distinct_bodies[..revocation_leaves].join("\n") + "\n"),
        )?;
    }
    write(&work.script, wrk::SCRIPT)?;
    let root_file = a.out.join("root.der");
    std::fs::write(&root_file, &chain.root).map_err(|e| e.to_string())?;
    println!(
        "workload: P-256 root → intermediate → leaf, {} distinct leaves, bodies of {} bytes ({:.1?})",
        a.leaves,
        work.repeated_body.len(),
        t.elapsed()
    );
    println!(
        "  the leaves name OCSP {}, the intermediate CRL {}",
        urls.ocsp, urls.crl
    );
    let huren_bin = match &a.huren {
        None => Err("skipped (--no-huren)".to_string()),
        Some(p) => huren_serves(p).map(|()| p.clone()),
    };
    // Lists and configs before any server runs (the 5,000 roots take a moment).
    let huren_files = match &huren_bin {
        Ok(_) => {
            let t = Instant::now();
            let one = pki::huren_files(
                &a.out.join("huren-1"),
                &chain,
                0,
                proc::free_port(),
                a.signatures,
                ONLINE_OFF,
            );
            let many = pki::huren_files(
                &a.out.join(format!("huren-{}", a.anchors)),
                &chain,
                a.anchors - 1,
                proc::free_port(),
                a.signatures,
                ONLINE_OFF,
            );
            let openssl = Command::new("openssl")
                .arg("version")
                .output()
                .is_ok_and(|o| o.status.success());
            if a.revocation && !openssl {
                println!(
                    "huren-revocation: skipped, openssl (its ocsp responder) is not installed"
                );
            }
            let rev = (a.revocation && openssl).then(|| {
                pki::huren_files(
                    &a.out.join(REVOCATION_SERVER),
                    &chain,
                    0,
                    proc::free_port(),
                    a.signatures,
                    REVOCATION_TOML,
                )
            });
            println!(
                "trust lists: 1 and {} anchors, signed ({:.1?})",
                a.anchors,
                t.elapsed()
            );
            Some((one, many, rev))
        }
        Err(_) => None,
    };

    let mut res = Results {
        rows: Vec::new(),
        open: Vec::new(),
        memory: None,
        revocation: None,
        huren_missing: huren_bin.as_ref().err().cloned(),
    };

    // ---- Servers: the three peers and huren (1 anchor), all up at once ---------------------
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut servers: Vec<(Server, Vec<&'static str>)> = Vec::new();
    for (kind, workloads) in [
        (peers::Kind::Bare, vec!["repeated"]),
        (peers::Kind::Webpki, vec!["distinct"]),
        (peers::Kind::WebpkiCached, vec!["repeated"]),
    ] {
        let addr: SocketAddr = ([127, 0, 0, 1], proc::free_port()).into();
        let mut cmd = Command::new(&exe);
        cmd.args(["--peer", kind.name(), "--listen"])
            .arg(addr.to_string())
            .arg("--root")
            .arg(&root_file);
        let (server, _) = Server::start(
            kind.name(),
            cmd,
            addr,
            &a.out.join(format!("{}.log", kind.name())),
            Duration::from_secs(10),
        )?;
        servers.push((server, workloads));
    }
    if let (Ok(bin), Some((one, _, _))) = (&huren_bin, &huren_files) {
        let (server, _) = start_huren(bin, "huren", one, config_addr(&one.config)?, &a.out)?;
        servers.push((server, vec!["repeated", "distinct"]));
    }

    // ---- huren with online revocation required: responders up, caches warmed -------------
    let mut responders = None;
    if let (Ok(bin), Some((_, _, Some(rev)))) = (&huren_bin, &huren_files) {
        let r =
            revocation::Responders::start(&a.out.join("ocsp"), &chain, ocsp_port, crl_listener)?;
        let (server, _) = start_huren(
            bin,
            REVOCATION_SERVER,
            rev,
            config_addr(&rev.config)?,
            &a.out,
        )?;
        let facts = warm_revocation(&server, &work, &r)?;
        let mut r = r;
        r.stop_ocsp();
        responders = Some(r);
        res.revocation = Some(facts);
        servers.push((server, vec!["distinct"]));
    }
    let fetches_before = servers
        .iter()
        .find(|(s, _)| s.name == REVOCATION_SERVER)
        .and_then(|(s, _)| revocation::metrics(s.addr).ok())
        .map(|m| revocation::sum(&m, "huren_revocation_fetches_total"));

    // ---- Peak throughput: every (server, workload) once per round; the best round counts --
    println!(
        "\npeak throughput: wrk -t{} -c{} -d{}s --latency (1 s warm-up first), {} round(s)",
        a.threads,
        a.connections,
        a.duration.as_secs(),
        a.rounds
    );
    for round in 1..=a.rounds {
        if a.rounds > 1 {
            println!(" round {round}");
        }
        for (server, workloads) in &servers {
            for &w in workloads {
                let row = measure(a, server, &work, w)?;
                match res
                    .rows
                    .iter_mut()
                    .find(|r| r.server == row.server && r.workload == w)
                {
                    Some(best) => {
                        let rest = best.rss_rest_kib.min(row.rss_rest_kib);
                        let load = best.rss_load_kib.max(row.rss_load_kib);
                        if row.wrk.rps > best.wrk.rps {
                            *best = row;
                        }
                        best.rss_rest_kib = rest;
                        best.rss_load_kib = load;
                    }
                    None => res.rows.push(row),
                }
            }
        }
    }

    if let (Some(before), Some((server, _))) = (
        fetches_before,
        servers.iter().find(|(s, _)| s.name == REVOCATION_SERVER),
    ) {
        let after = revocation::metrics(server.addr).ok();
        if let Some(f) = res.revocation.as_mut() {
            f.timed_fetches = after
                .as_ref()
                .map(|m| revocation::sum(m, "huren_revocation_fetches_total") - before);
            f.entries_end = after
                .as_ref()
                .map(|m| revocation::sum(m, "huren_revocation_cache_ocsp_entries"));
            f.crl_served = responders
                .as_ref()
                .map_or(0, revocation::Responders::crl_served);
        }
    }

    // ---- Latency at 80 % of peak ------------------------------------------------------------
    let open_targets: Vec<&(Server, Vec<&'static str>)> = servers
        .iter()
        .filter(|(s, _)| s.name != REVOCATION_SERVER && (s.name == "huren" || a.peer_latency))
        .collect();
    if !open_targets.is_empty() {
        println!(
            "\nlatency at 80 % of peak: fixed-rate client, {} connections, 1 s warm-up, {} s measured",
            a.connections,
            a.duration.as_secs()
        );
    }
    for (server, workloads) in open_targets {
        for &w in workloads {
            let peak = res.rps(&server.name, w).unwrap_or(0.0);
            let r = open_loop(a, server, &work, w, peak)?;
            res.open.push((server.name.clone(), w, r));
        }
    }
    for (server, _) in servers.iter().filter(|(s, _)| s.name.starts_with("huren")) {
        let m = cache_metrics(server);
        if !m.is_empty() {
            println!("\n{} /metrics (cache and memo):", server.name);
            for l in m {
                println!("  {l}");
            }
        }
    }
    drop(servers);
    drop(responders);

    // ---- Memory with many anchors: huren alone -----------------------------------------------
    match (&huren_bin, &huren_files) {
        (Ok(bin), Some((_, many, _))) => {
            println!();
            let name = format!("huren-{}", many.anchors);
            let (server, ready) =
                start_huren(bin, &name, many, config_addr(&many.config)?, &a.out)?;
            check(&server, &work, "distinct")?;
            std::thread::sleep(Duration::from_secs(2));
            let rest = server.rss_kib();
            let repeated = measure(a, &server, &work, "repeated")?;
            let distinct = measure(a, &server, &work, "distinct")?;
            let hwm = server.hwm_kib();
            let entries = cache_metrics(&server)
                .iter()
                .find_map(|l| l.strip_prefix("huren_result_cache_entries "))
                .and_then(|v| v.trim().parse::<f64>().ok());
            res.memory = Some(Memory {
                anchors: many.anchors,
                ready,
                rest,
                repeated: repeated.rss_load_kib,
                distinct: distinct.rss_load_kib.max(hwm),
                result_entries: entries,
            });
            res.rows.push(repeated);
            res.rows.push(distinct);
        }
        _ => {
            let why = res.huren_missing.clone().unwrap_or_default();
            println!("\nhuren: not measured: {why}");
        }
    }

    let summary = summary(a, &res);
    println!("\n{summary}");
    std::fs::write(a.out.join("results.md"), &summary).map_err(|e| e.to_string())?;
    plot(a, &res)?;
    println!("whole run: {:.0?}", t_all.elapsed());
    Ok(())
}

/// The `[revocation]` of the configs without revocation: the certificates name an OCSP
/// responder and a CRL, which these servers must not fetch (the built-in `default` policy,
/// revocation `prefer`, stays as it was: there is nothing to check it with).
const ONLINE_OFF: &str = r#"
# The certificates name a loopback OCSP responder and CRL: not fetched here (see
# huren-revocation).
[revocation]
online = false
"#;

/// The configuration tail of `huren-revocation`: the `default` policy (the one the bodies
/// name) as the built-in one but with revocation required, fetched online and cached.
const REVOCATION_TOML: &str = r#"
[[policies]]
id = "default"
version = "1"
description = "RFC 5280 path validation; revocation required (load bench)"
revocation = "require"

[revocation]
online = true
timeout_ms = 3000
max_fetches = 8
max_cache_secs = 3600
# A failed fetch is tried again after a second (the warm-up retries what failed).
negative_cache_secs = 1
cache_mib = 256
"#;

/// Fills `huren-revocation`'s caches: every distinct body of the revocation run once, then
/// `/metrics` (an OCSP entry per leaf, one CRL) and a sample answer served from the caches.
fn warm_revocation(
    server: &Server,
    work: &Work,
    responders: &revocation::Responders,
) -> Result<RevocationFacts, String> {
    let bodies = &work.distinct_bodies[..work.revocation_leaves];
    let before = revocation::metrics(server.addr)?;
    let rss_before = server.rss_kib();
    let warm = revocation::warm(server.addr, bodies, 16)?;
    let rss = (rss_before, server.rss_kib());
    let after = revocation::metrics(server.addr)?;
    let fetched = |kind: &str| {
        let name = "huren_revocation_fetches_total";
        let by_kind = |m: &[(String, f64)]| {
            m.iter()
                .filter(|(k, _)| k.starts_with(name) && k.contains(&format!("kind=\"{kind}\"")))
                .map(|(_, v)| v)
                .sum::<f64>()
        };
        by_kind(&after) - by_kind(&before)
    };
    let warm_fetches = (fetched("ocsp"), fetched("crl"));
    let entries = (
        revocation::sum(&after, "huren_revocation_cache_ocsp_entries"),
        revocation::sum(&after, "huren_revocation_cache_crl_entries"),
    );
    println!(
        "  {REVOCATION_SERVER}: warm-up: {} bodies in {:.1?} ({} VALID at once, {} after a retry); fetched {} OCSP responses and {} CRL; cache: {} OCSP entries, {} CRL; CRL served {} times; RSS {} → {} MiB",
        warm.sent,
        warm.elapsed,
        warm.valid_first,
        warm.retried,
        warm_fetches.0,
        warm_fetches.1,
        entries.0,
        entries.1,
        responders.crl_served(),
        mib(rss.0),
        mib(rss.1)
    );
    for l in revocation::metric_lines(&after) {
        println!("    {l}");
    }
    // moka counts entries lazily (a few dozen short right after the warm-up): a shortfall
    // is reported, not fatal; the fetch count of the timed runs, reported at the end, is the
    // proof that the caches answered.
    if entries.0 < bodies.len() as f64 * 0.95 || entries.1 < 1.0 {
        println!(
            "  warning: the revocation caches hold fewer entries than the warm-up fetched ({} OCSP for {} leaves, {} CRL)",
            entries.0,
            bodies.len(),
            entries.1
        );
    }
    let sample = revocation::check_cached(server.addr, &bodies[bodies.len() / 2])?;
    println!(
        "  sample answer's revocation entries: {}",
        sample.join("; ")
    );
    Ok(RevocationFacts {
        leaves: bodies.len(),
        warm,
        warm_fetches,
        entries,
        entries_end: None,
        timed_fetches: None,
        crl_served: responders.crl_served(),
        sample,
        rss,
    })
}

/// The `listen` address of a config written by [`pki::huren_files`].
fn config_addr(config: &Path) -> Result<SocketAddr, String> {
    let text = std::fs::read_to_string(config).map_err(|e| e.to_string())?;
    text.lines()
        .find_map(|l| l.strip_prefix("listen = "))
        .and_then(|v| v.trim_matches('"').parse().ok())
        .ok_or_else(|| format!("no listen address in {}", config.display()))
}

/// A throughput target: `server`'s req/s over the peer's, against `goal`; beside it the
/// same ratio computed from server CPU time per request (less sensitive to other load).
fn ratio_line(
    s: &mut String,
    res: &Results,
    what: &str,
    (server, peer, workload): (&str, &str, &str),
    (goal, goal_text): (f64, &str),
) {
    let h = res.row(server, workload);
    let p = res.row(peer, workload);
    let cpu = match (h.and_then(|r| r.cpu_us), p.and_then(|r| r.cpu_us)) {
        (Some(hc), Some(pc)) if hc > 0.0 => {
            format!("{hc:.1} vs {pc:.1} µs → {:.2}×", pc / hc)
        }
        _ => "–".into(),
    };
    match (h, p) {
        (Some(h), Some(p)) if p.wrk.rps > 0.0 => {
            let (n, d) = (h.wrk.rps, p.wrk.rps);
            let r = n / d;
            let _ = writeln!(
                s,
                "| {what} | {n:.0} req/s | {d:.0} req/s | {r:.2}× | {goal_text} | {} | {cpu} |",
                if r >= goal { "met" } else { "**not met**" }
            );
        }
        (_, Some(p)) => {
            let _ = writeln!(
                s,
                "| {what} | – | {:.0} req/s | – | {goal_text} | not measured | – |",
                p.wrk.rps
            );
        }
        _ => {
            let _ = writeln!(s, "| {what} | – | – | – | {goal_text} | not measured | – |");
        }
    }
}

fn summary(a: &Args, res: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Peak throughput (wrk -t{} -c{} -d{}s, loopback, {} CPUs shared by client and server; huren's signature memo {} entries):\n",
        a.threads,
        a.connections,
        a.duration.as_secs(),
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        a.signatures
    );
    let _ = writeln!(
        s,
        "| Server | Workload | req/s | p50 (ms) | p99 (ms) | server CPU (µs/req) | RSS at rest (MiB) | RSS under load (MiB) |"
    );
    let _ = writeln!(s, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in &res.rows {
        let _ = writeln!(
            s,
            "| {} | {} | {:.0} | {:.2} | {:.2} | {} | {} | {} |",
            r.server,
            r.workload,
            r.wrk.rps,
            r.wrk.p50_ms,
            r.wrk.p99_ms,
            r.cpu_us.map_or_else(|| "–".into(), |c| format!("{c:.1}")),
            mib(r.rss_rest_kib),
            mib(r.rss_load_kib)
        );
    }
    if !res.open.is_empty() {
        let _ = writeln!(
            s,
            "\nLatency at 80 % of peak (fixed-rate client, {} connections, {} s):\n",
            a.connections,
            a.duration.as_secs()
        );
        let _ = writeln!(
            s,
            "| Server | Workload | rate asked | answered | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors |"
        );
        let _ = writeln!(
            s,
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for (name, w, r) in &res.open {
            let _ = writeln!(
                s,
                "| {name} | {w} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
                r.target_rps,
                r.achieved_rps,
                r.p50_ms,
                r.p90_ms,
                r.p99_ms,
                r.p999_ms,
                r.max_ms,
                r.errors
            );
        }
    }
    let _ = writeln!(
        s,
        "\nTargets (issues 4 and 5), each against a peer measured in this run:\n"
    );
    let _ = writeln!(
        s,
        "| Target | huren | peer | ratio / figure | goal | | server CPU per request (huren vs peer → ratio) |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | --- | --- | --- |");
    ratio_line(
        &mut s,
        res,
        "repeated chain vs bare endpoint",
        ("huren", "bare", "repeated"),
        (0.6, "≥ 0.60×"),
    );
    ratio_line(
        &mut s,
        res,
        "repeated chain vs cached webpki",
        ("huren", "webpki-cached", "repeated"),
        (1.0, "> 1× (implied)"),
    );
    ratio_line(
        &mut s,
        res,
        "distinct leaves vs verifying webpki",
        ("huren", "webpki", "distinct"),
        (1.7, "≥ 1.7×"),
    );
    if res.revocation.is_some() || res.row(REVOCATION_SERVER, "distinct").is_some() {
        ratio_line(
            &mut s,
            res,
            "distinct leaves with revocation (cache warm) vs without",
            (REVOCATION_SERVER, "huren", "distinct"),
            (0.9, "≥ 0.9×"),
        );
    }
    for (_, w, r) in res.open.iter().filter(|(n, _, _)| n == "huren") {
        let peers: Vec<String> = res
            .open
            .iter()
            .filter(|(n, pw, _)| n != "huren" && pw == w)
            .map(|(n, _, p)| format!("{n} {:.2} ms", p.p99_ms))
            .collect();
        let _ = writeln!(
            s,
            "| p99 at 80 % of peak, {w} | {:.2} ms | {} | at {:.0} req/s | < 5 ms | {} | |",
            r.p99_ms,
            peers.join(", "),
            r.target_rps,
            if r.p99_ms < 5.0 && r.errors == 0 {
                "met"
            } else {
                "**not met**"
            }
        );
    }
    if let Some(m) = &res.memory {
        let _ = writeln!(
            s,
            "| memory with {} anchors (ready in {:.2?}) | {} MiB at rest; {} MiB under repeated-chain load; {} MiB under distinct-leaves load ({} result-cache entries) | | | report | | |",
            m.anchors,
            m.ready,
            mib(m.rest),
            mib(m.repeated),
            mib(m.distinct),
            m.result_entries
                .map_or_else(|| "?".into(), |e| format!("{e:.0}"))
        );
    }
    if let Some(f) = &res.revocation {
        let _ = writeln!(
            s,
            "\nRevocation run ({REVOCATION_SERVER}: policy `default` with revocation `require`, online, the same distinct bodies{}): warm-up {} bodies in {:.1?} ({} VALID at once, {} after a retry), {} OCSP and {} CRL fetches; caches then {} OCSP entries ({} at the end), {} CRL; fetches during the timed runs: {}; CRL served {} times; huren's RSS {} → {} MiB over the warm-up; a sample answer's revocation entries: {}.",
            if f.leaves < a.leaves {
                format!(", the first {} leaves", f.leaves)
            } else {
                String::new()
            },
            f.warm.sent,
            f.warm.elapsed,
            f.warm.valid_first,
            f.warm.retried,
            f.warm_fetches.0,
            f.warm_fetches.1,
            f.entries.0,
            f.entries_end
                .map_or_else(|| "?".into(), |n| format!("{n:.0}")),
            f.entries.1,
            f.timed_fetches
                .map_or_else(|| "?".into(), |n| format!("{n:.0}")),
            f.crl_served,
            mib(f.rss.0),
            mib(f.rss.1),
            f.sample.join("; ")
        );
    }
    if let Some(why) = &res.huren_missing {
        let _ = writeln!(s, "\nhuren not measured: {why}");
    }
    s
}

/// Writes `throughput.tsv`, `latency.tsv` and `load.gp` into the output directory and
/// renders the PNG with gnuplot when it is installed: peak req/s (left) and p50/p99 at 80 %
/// of peak (right).
fn plot(a: &Args, res: &Results) -> Result<(), String> {
    let mut tsv = String::new();
    for r in &res.rows {
        let colour = if r.server.starts_with("huren") {
            "0xc0504d"
        } else {
            "0x4472c4"
        };
        // `huren-revocation` → `huren-` / `revocation`: long names on two lines.
        let _ = writeln!(
            tsv,
            "\"{}\\n{}\"\t{:.0}\t{colour}",
            r.server.replace('-', "-\\n"),
            r.workload,
            r.wrk.rps
        );
    }
    let tsv_path = a.out.join("throughput.tsv");
    std::fs::write(&tsv_path, tsv).map_err(|e| e.to_string())?;
    let mut lat = String::new();
    for (name, w, r) in &res.open {
        let _ = writeln!(
            lat,
            "\"{name}\\n{w}\\n{:.0}/s\"\t{:.3}\t{:.3}",
            r.target_rps, r.p50_ms, r.p99_ms
        );
    }
    let lat_path = a.out.join("latency.tsv");
    std::fs::write(&lat_path, &lat).map_err(|e| e.to_string())?;
    let png = a.plot.clone().unwrap_or_else(|| a.out.join("load.png"));
    let gp_path = a.out.join("load.gp");
    let mut gp = format!(
        r##"# Written by the huren load driver; gnuplot {gp}
set terminal pngcairo size 1280,560 font ",10"
set output "{png}"
set multiplot layout 1,2 title "POST /v1/validate, P-256 chain, loopback, {cpus} CPUs shared by client and server"
set style fill solid 0.8 border -1
set bmargin 6
set grid ytics
set xtics nomirror font ",9"
set title "peak throughput (wrk -t{t} -c{c} -d{d}s), best of {rounds}"
set ylabel "requests / s"
set yrange [0:*]
set boxwidth 0.6
unset key
set xrange [-0.6:{xmax}]
plot "{tsv}" using 0:2:3:xticlabels(1) with boxes linecolor rgb variable, \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.8
"##,
        gp = gp_path.display(),
        png = png.display(),
        cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        tsv = tsv_path.display(),
        t = a.threads,
        c = a.connections,
        d = a.duration.as_secs(),
        rounds = a.rounds,
        xmax = res.rows.len() as f64 - 0.4,
    );
    if lat.is_empty() {
        gp.push_str("unset multiplot\n");
    } else {
        let _ = write!(
            gp,
            r##"set title "latency at 80 % of peak (fixed rate, {c} connections, {d} s); dashed: 5 ms"
set ylabel "ms (log scale)"
set logscale y
set yrange [0.1:*]
set xrange [-0.6:{lmax}]
set key top left
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set arrow 1 from graph 0, first 5 to graph 1, first 5 nohead dashtype 2 linecolor rgb "#333333"
plot "{lat}" using 2:xticlabels(1) title "p50" linecolor rgb "#9bbb59", \
     "" using 3 title "p99" linecolor rgb "#c0504d"
unset multiplot
"##,
            c = a.connections,
            d = a.duration.as_secs(),
            lat = lat_path.display(),
            lmax = res.open.len() as f64 - 0.4,
        );
    }
    std::fs::write(&gp_path, gp).map_err(|e| e.to_string())?;
    match Command::new("gnuplot").arg(&gp_path).output() {
        Ok(o) if o.status.success() => println!("plot: {}", png.display()),
        Ok(o) => println!(
            "plot: gnuplot failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(_) => println!(
            "plot: gnuplot is not installed; {} is ready for it",
            gp_path.display()
        ),
    }
    Ok(())
}
