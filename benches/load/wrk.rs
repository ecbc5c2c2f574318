//! Closed-loop peak throughput with wrk (2 threads, 64 connections by default), a Lua script
//! that POSTs pre-formatted requests, rotating through a file of bodies (one per line).

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The Lua script: each thread reads every body of `args[1]` once, pre-formats the requests,
/// and starts its rotation at its own offset.
pub const SCRIPT: &str = r#"-- Written by the huren load driver (benches/load/wrk.rs).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local reqs = {}
local n = 0
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    n = n + 1
    reqs[n] = wrk.format(nil, "/v1/validate", nil, line)
  end
  i = math.floor((id or 0) * n / 2)
end
function request()
  i = i % n + 1
  return reqs[i]
end
"#;

/// What one wrk run measured.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Requests per second (wrk's `Requests/sec`).
    pub rps: f64,
    /// Latency percentiles (closed loop), milliseconds: p50, p99.
    pub p50_ms: f64,
    /// p99, milliseconds.
    pub p99_ms: f64,
    /// Responses other than 2xx/3xx.
    pub non_2xx: u64,
    /// Socket errors (connect, read, write, timeout), summed.
    pub socket_errors: u64,
    /// Requests completed (`N requests in …`).
    pub requests: u64,
}

/// Runs wrk against `addr` for `duration` with `bodies` (a file, one body per line).
pub fn run(
    addr: SocketAddr,
    script: &Path,
    bodies: &Path,
    duration: Duration,
    threads: u32,
    connections: u32,
) -> Result<Run, String> {
    let out = Command::new("wrk")
        .args([
            format!("-t{threads}"),
            format!("-c{connections}"),
            format!("-d{}s", duration.as_secs().max(1)),
            "--latency".into(),
            "-s".into(),
            script.display().to_string(),
            format!("http://{addr}/v1/validate"),
            "--".into(),
            bodies.display().to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot run wrk ({e}); install it: apt-get install -y wrk"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    parse(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
}

/// `1.23ms`, `456.00us`, `1.02s` → milliseconds.
fn ms(v: &str) -> Option<f64> {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

fn parse(text: &str) -> Option<Run> {
    let mut r = Run::default();
    let mut rps = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some((n, _)) = t.split_once(" requests in ") {
            r.requests = n.trim().parse().unwrap_or(0);
        } else if let Some(v) = t.strip_prefix("Requests/sec:") {
            rps = v.trim().parse().ok();
        } else if let Some(v) = t.strip_prefix("50%") {
            r.p50_ms = ms(v.trim())?;
        } else if let Some(v) = t.strip_prefix("99%") {
            r.p99_ms = ms(v.trim())?;
        } else if let Some(v) = t.strip_prefix("Non-2xx or 3xx responses:") {
            r.non_2xx = v.trim().parse().ok()?;
        } else if let Some(v) = t.strip_prefix("Socket errors:") {
            // connect 0, read 0, write 0, timeout 0
            r.socket_errors = v
                .split(',')
                .filter_map(|p| p.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
        }
    }
    r.rps = rps?;
    Some(r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_wrk_output() {
        let r = super::parse(
            "Running 10s test\n  Latency Distribution\n     50%  412.00us\n     99%    2.10ms\n  Socket errors: connect 0, read 3, write 0, timeout 1\n  123457 requests in 10.00s, 1.2MB read\nRequests/sec:  12345.67\n",
        )
        .unwrap();
        assert!((r.rps - 12345.67).abs() < 1e-6);
        assert!((r.p50_ms - 0.412).abs() < 1e-9);
        assert!((r.p99_ms - 2.1).abs() < 1e-9);
        assert_eq!(r.socket_errors, 4);
        assert_eq!(r.requests, 123_457);
    }
}
