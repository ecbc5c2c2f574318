//! The revocation run (`huren-revocation`): the loopback OCSP responder (`openssl ocsp`, a
//! child process) and CRL server (axum, in the driver) the certificates name, the warm-up
//! that fills huren's revocation caches, and the checks that the timed run is served from
//! them.

use crate::pki::Chain;
use crate::proc;
use axum::Router;
use axum::http::header;
use axum::routing::get;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest the OCSP responder lives (it is stopped as soon as the driver is done).
const RESPONDER_LIFETIME: Duration = Duration::from_secs(2 * 3600);

/// The path of the CRL on the CRL server.
pub const CRL_PATH: &str = "/load-issuing-ca.crl";

/// The OCSP responder and the CRL server; both stop when dropped.
pub struct Responders {
    ocsp: Child,
    /// Kills the responder after [`RESPONDER_LIFETIME`] should `Drop` not run.
    watchdog: Option<Child>,
    /// CRL downloads served.
    crl_served: Arc<AtomicU64>,
    /// Serves the CRL; dropping it stops the server.
    rt: Option<tokio::runtime::Runtime>,
}

impl Responders {
    /// Writes the responder's files into `dir` (`index.txt`: one "V" line per leaf serial,
    /// `inter.pem`, `inter.key`), starts `openssl ocsp -port OCSP_PORT -multi 4` (responses
    /// signed by the intermediate itself, nextUpdate in 7 days) and waits until it accepts
    /// connections; serves the root's CRL on `crl` at [`CRL_PATH`].
    pub fn start(
        dir: &Path,
        chain: &Chain,
        ocsp_port: u16,
        crl: TcpListener,
    ) -> Result<Responders, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let write = |name: &str, data: &str| {
            let p = dir.join(name);
            std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))
        };
        write("index.txt", &chain.ocsp_index)?;
        write("inter.pem", &crate::pki::pem(&chain.intermediate))?;
        write(
            "inter.key",
            &pem_rfc7468::encode_string(
                "PRIVATE KEY",
                pem_rfc7468::LineEnding::LF,
                &chain.intermediate_key,
            )
            .map_err(|e| e.to_string())?,
        )?;
        let log_path = dir.join("openssl-ocsp.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        // With `-multi`, openssl makes its own process group (the parent and its workers,
        // which ignore SIGINT and SIGTERM): `Drop` kills that group. Should the driver die
        // without dropping it, a watchdog in a group of its own kills it after
        // RESPONDER_LIFETIME, if it is still this responder.
        let mut cmd = Command::new("openssl");
        cmd.current_dir(dir)
            .args(["ocsp", "-index", "index.txt", "-port"])
            .arg(ocsp_port.to_string())
            .args([
                "-rsigner",
                "inter.pem",
                "-rkey",
                "inter.key",
                "-CA",
                "inter.pem",
                "-ndays",
                "7",
            ])
            // Workers: one process answers one connection at a time, too few for the
            // warm-up's concurrent fetches (huren gives up after `timeout_ms`).
            .args(["-multi", "4"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let ocsp = cmd
            .spawn()
            .map_err(|e| format!("cannot run openssl ocsp ({e}); install openssl"))?;
        let pid = ocsp.id().to_string();
        let mut watchdog = Command::new("sh");
        watchdog
            .args([
                "-c",
                r#"sleep "$1"; grep -q ocsp "/proc/$2/cmdline" 2>/dev/null && kill -s KILL -- "-$2""#,
                "load-ocsp-watchdog",
            ])
            .arg(RESPONDER_LIFETIME.as_secs().to_string())
            .arg(&pid)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut watchdog, 0);
        let watchdog = watchdog.spawn().ok();
        // From here on, dropping `r` stops the responder.
        let mut r = Responders {
            ocsp,
            watchdog,
            crl_served: Arc::new(AtomicU64::new(0)),
            rt: None,
        };
        let addr: SocketAddr = ([127, 0, 0, 1], ocsp_port).into();
        let t = Instant::now();
        loop {
            if let Ok(Some(status)) = r.ocsp.try_wait() {
                return Err(format!(
                    "openssl ocsp exited ({status}); see {}",
                    log_path.display()
                ));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                return Err(format!(
                    "openssl ocsp does not accept connections on {addr} after 10 s; see {}",
                    log_path.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        crl.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = {
            let _guard = rt.enter();
            tokio::net::TcpListener::from_std(crl).map_err(|e| e.to_string())?
        };
        let body = axum::body::Bytes::from(chain.crl.clone());
        let served = r.crl_served.clone();
        let app = Router::new().route(
            CRL_PATH,
            get(move || {
                served.fetch_add(1, Ordering::Relaxed);
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, "application/pkix-crl")], body) }
            }),
        );
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        r.rt = Some(rt);
        Ok(r)
    }

    /// CRL downloads served so far.
    pub fn crl_served(&self) -> u64 {
        self.crl_served.load(Ordering::Relaxed)
    }
}

impl Responders {
    /// Stops the OCSP responder (the CRL server stays). Called once the caches are warm:
    /// the timed runs fetch nothing, and an idle `openssl ocsp -multi` keeps one of its
    /// processes spinning on a core (measured: 50–100 % of a core for the whole run), which
    /// would slow every server measured after it.
    pub fn stop_ocsp(&mut self) {
        // The responder's process group (openssl and its `-multi` workers), then the
        // watchdog's (sh and its sleep), each by its id: both groups were made at spawn.
        let kill_group = |pid: u32| {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        };
        kill_group(self.ocsp.id());
        if let Some(mut w) = self.watchdog.take() {
            kill_group(w.id());
            let _ = w.wait();
        }
        let _ = self.ocsp.kill();
        let _ = self.ocsp.wait();
    }
}

impl Drop for Responders {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
        self.stop_ocsp();
    }
}

/// What the warm-up did.
pub struct WarmUp {
    /// Bodies sent.
    pub sent: usize,
    /// Answered 200 VALID at the first try.
    pub valid_first: usize,
    /// Sent again after a failed fetch was forgotten (`negative_cache_secs`), and valid then.
    pub retried: usize,
    /// How long it took.
    pub elapsed: Duration,
}

/// Whether an answer is 200 VALID.
fn valid(r: &Result<(u16, String), String>) -> bool {
    matches!(r, Ok((200, b)) if b.contains("\"status\":\"VALID\""))
}

fn describe(r: &Result<(u16, String), String>) -> String {
    match r {
        Ok((code, b)) => format!("HTTP {code}: {}", b.chars().take(600).collect::<String>()),
        Err(e) => e.clone(),
    }
}

/// Sends every body once (`threads` at a time, one connection each), so that huren fetches
/// and caches the OCSP response of every leaf and the intermediate's CRL; an answer that is
/// not VALID (a fetch failed, remembered for the config's 1 s `negative_cache_secs`) is sent
/// again after that second, at most three times. Every body must end VALID.
pub fn warm(addr: SocketAddr, bodies: &[String], threads: usize) -> Result<WarmUp, String> {
    let t = Instant::now();
    let next = AtomicU64::new(0);
    let failed: Vec<usize> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some(body) = bodies.get(i) else { break };
                        if !valid(&proc::request(addr, "POST", "/v1/validate", Some(body))) {
                            failed.push(i);
                        }
                    }
                    failed
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    // Up to three more tries, each after the failures were forgotten.
    let mut pending = failed.clone();
    let mut last = String::new();
    for _ in 0..3 {
        if pending.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1500));
        pending.retain(|&i| {
            let r = proc::request(addr, "POST", "/v1/validate", Some(&bodies[i]));
            if valid(&r) {
                return false;
            }
            last = format!("body {i}: {}", describe(&r));
            true
        });
    }
    if !pending.is_empty() {
        return Err(format!(
            "warm-up: {} of {} bodies are not VALID after three retries; the last: {last}",
            pending.len(),
            bodies.len()
        ));
    }
    Ok(WarmUp {
        sent: bodies.len(),
        valid_first: bodies.len() - failed.len(),
        retried: failed.len(),
        elapsed: t.elapsed(),
    })
}

/// `/metrics` as (name with labels, value) pairs.
pub fn metrics(addr: SocketAddr) -> Result<Vec<(String, f64)>, String> {
    match proc::request(addr, "GET", "/metrics", None)? {
        (200, body) => Ok(body
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (k, v) = l.rsplit_once(' ')?;
                Some((k.to_string(), v.trim().parse().ok()?))
            })
            .collect()),
        (code, _) => Err(format!("GET /metrics: HTTP {code}")),
    }
}

/// The sum of metric `name` over its labels (`name` or `name{…}`).
pub fn sum(metrics: &[(String, f64)], name: &str) -> f64 {
    metrics
        .iter()
        .filter(|(k, _)| k == name || k.strip_prefix(name).is_some_and(|r| r.starts_with('{')))
        .map(|(_, v)| v)
        .sum()
}

/// The revocation lines of `/metrics` (for the log).
pub fn metric_lines(metrics: &[(String, f64)]) -> Vec<String> {
    metrics
        .iter()
        .filter(|(k, _)| k.starts_with("huren_revocation_") && !k.contains("_bucket"))
        .map(|(k, v)| format!("{k} {v}"))
        .collect()
}

/// Sends `body` once and checks that the answer is VALID with revocation entries for the
/// leaf and the intermediate, each `good` and from the cache (`source` starting with
/// `cache `); returns the entries as `index outcome source`.
pub fn check_cached(addr: SocketAddr, body: &str) -> Result<Vec<String>, String> {
    let r = proc::request(addr, "POST", "/v1/validate", Some(body));
    let Ok((200, text)) = &r else {
        return Err(format!("sample request: {}", describe(&r)));
    };
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("sample request: the answer is not JSON ({e}): {text:.300}"))?;
    if v["status"] != "VALID" {
        return Err(format!("sample request: not VALID: {}", describe(&r)));
    }
    let entries = v["revocation"].as_array().cloned().unwrap_or_default();
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e.get("certIndex")
                    .or_else(|| e.get("index"))
                    .map_or_else(|| "?".into(), ToString::to_string),
                e["outcome"].as_str().unwrap_or("?"),
                e["source"].as_str().unwrap_or("?")
            )
        })
        .collect();
    let good_cached = entries
        .iter()
        .filter(|e| {
            e["outcome"] == "good"
                && e["source"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("cache "))
        })
        .count();
    if entries.len() < 2 || good_cached != entries.len() {
        return Err(format!(
            "sample request: expected the leaf's and the intermediate's status good from the cache, got {lines:?}"
        ));
    }
    Ok(lines)
}
