//! A fixed-rate (open-loop) client: requests are scheduled at a constant rate, whatever the
//! server's answers, and sent over a fixed set of keep-alive HTTP/1.1 connections.
//!
//! The client is as lean as wrk, so that at 80 % of wrk's peak it leaves the server the CPU
//! wrk left it: like wrk, 2 threads (each a single-threaded tokio runtime) share the
//! connections, every request is pre-formatted (head and body in one buffer, written with
//! one call), and a response is read with its `Content-Length` (or chunked) framing, nothing
//! more.
//!
//! Request `i` is due at `t0 + i / rate`; a connection takes the next due request as soon
//! as it is free. Latency is measured from the moment the request was due when the
//! connection was busy past that moment (the wait for a free connection counts: no
//! coordinated omission), and from the moment it was sent when the connection was idle and
//! waited for the schedule (tokio's 1 ms timer granularity is not charged to the server).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What an open-loop run measured (after the warm-up).
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// The rate asked for, requests per second.
    pub target_rps: f64,
    /// Responses received per second of the measured window.
    pub achieved_rps: f64,
    /// Latency percentiles, milliseconds.
    pub p50_ms: f64,
    /// p90.
    pub p90_ms: f64,
    /// p99.
    pub p99_ms: f64,
    /// p99.9.
    pub p999_ms: f64,
    /// The slowest.
    pub max_ms: f64,
    /// Non-2xx answers, transport errors and requests never sent.
    pub errors: u64,
}

/// `POST /v1/validate` with `body`, pre-formatted.
pub fn format_request(addr: SocketAddr, body: &str) -> Vec<u8> {
    let mut r = format!(
        "POST /v1/validate HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body.as_bytes());
    r
}

/// The schedule shared by all connections.
struct Schedule {
    next: AtomicU64,
    total: u64,
    skip: u64,
    t0: Instant,
    nanos_per: f64,
}

/// Sends `rate` requests per second to `addr` for `warmup + duration` over `connections`
/// connections on `threads` threads, rotating through `requests` (pre-formatted); measures
/// the requests due after the warm-up.
pub fn run(
    addr: SocketAddr,
    requests: &Arc<Vec<Vec<u8>>>,
    rate: f64,
    (warmup, duration): (Duration, Duration),
    connections: usize,
    threads: usize,
) -> Result<Run, String> {
    let threads = threads.clamp(1, connections.max(1));
    let sched = Arc::new(Schedule {
        next: AtomicU64::new(0),
        total: ((warmup + duration).as_secs_f64() * rate) as u64,
        skip: (warmup.as_secs_f64() * rate) as u64,
        // Time to connect before the first request is due.
        t0: Instant::now() + Duration::from_millis(200),
        nanos_per: 1e9 / rate,
    });
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let n = connections / threads + usize::from(t < connections % threads);
            let sched = Arc::clone(&sched);
            let requests = Arc::clone(requests);
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?;
                rt.block_on(async move {
                    let mut tasks = Vec::with_capacity(n);
                    for _ in 0..n {
                        let stream = TcpStream::connect(addr)
                            .await
                            .map_err(|e| format!("connect {addr}: {e}"))?;
                        stream.set_nodelay(true).map_err(|e| e.to_string())?;
                        tasks.push(tokio::spawn(connection(
                            stream,
                            Arc::clone(&sched),
                            Arc::clone(&requests),
                        )));
                    }
                    let mut lat = Vec::new();
                    let mut errors = 0;
                    for t in tasks {
                        let (l, e) = t.await.map_err(|e| e.to_string())?;
                        lat.extend(l);
                        errors += e;
                    }
                    Ok::<_, String>((lat, errors))
                })
            })
        })
        .collect();
    let mut all: Vec<u32> = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (lat, e) = h
            .join()
            .map_err(|_| "a client thread panicked".to_string())??;
        all.extend(lat);
        errors += e;
    }
    let window = Instant::now().saturating_duration_since(sched.t0 + warmup);
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        let k = ((p / 100.0) * (all.len() - 1) as f64).round() as usize;
        f64::from(all[k]) / 1000.0
    };
    let missing = (sched.total - sched.skip).saturating_sub(all.len() as u64);
    Ok(Run {
        target_rps: rate,
        achieved_rps: all.len() as f64 / window.as_secs_f64(),
        p50_ms: pct(50.0),
        p90_ms: pct(90.0),
        p99_ms: pct(99.0),
        p999_ms: pct(99.9),
        max_ms: all.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0),
        errors: errors + missing,
    })
}

/// One connection: takes due requests until the schedule is done; returns the latencies
/// (µs) of the measured requests and the number of failures.
async fn connection(
    mut stream: TcpStream,
    sched: Arc<Schedule>,
    requests: Arc<Vec<Vec<u8>>>,
) -> (Vec<u32>, u64) {
    let mut lat = Vec::new();
    let mut errors = 0;
    let mut buf = Vec::with_capacity(16 * 1024);
    loop {
        let i = sched.next.fetch_add(1, Ordering::Relaxed);
        if i >= sched.total {
            break;
        }
        let due = sched.t0 + Duration::from_nanos((i as f64 * sched.nanos_per) as u64);
        let start = if Instant::now() < due {
            tokio::time::sleep_until(due.into()).await;
            Instant::now()
        } else {
            due
        };
        let req = &requests[(i as usize) % requests.len()];
        let ok = match stream.write_all(req).await {
            Ok(()) => read_response(&mut stream, &mut buf).await,
            Err(_) => Err(()),
        };
        match ok {
            Ok(true) => {}
            Ok(false) => errors += 1,
            Err(()) => {
                // The connection is gone: this request failed, the rest go to the others.
                errors += 1;
                break;
            }
        }
        if i >= sched.skip {
            lat.push(u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX));
        }
    }
    (lat, errors)
}

/// Reads one response; `Ok(true)` for a 2xx, `Ok(false)` for another status, `Err` when the
/// connection failed or the response is not HTTP/1.1 this reader understands.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<bool, ()> {
    buf.clear();
    let head_end = loop {
        if let Some(p) = find(buf, b"\r\n\r\n") {
            break p + 4;
        }
        read_more(stream, buf).await?;
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| ())?;
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(())?;
    let mut length = None;
    let mut chunked = false;
    for line in head.split("\r\n").skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<usize>().ok();
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    if chunked {
        // Chunks until the zero-size one and its terminating CRLF.
        let mut pos = head_end;
        loop {
            let line_end = loop {
                if let Some(p) = find(&buf[pos..], b"\r\n") {
                    break pos + p;
                }
                read_more(stream, buf).await?;
            };
            let size_text = std::str::from_utf8(&buf[pos..line_end]).map_err(|_| ())?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| ())?;
            let need = line_end + 2 + size + 2;
            while buf.len() < need {
                read_more(stream, buf).await?;
            }
            pos = need;
            if size == 0 {
                break;
            }
        }
    } else {
        let need = head_end + length.unwrap_or(0);
        while buf.len() < need {
            read_more(stream, buf).await?;
        }
    }
    Ok((200..300).contains(&status))
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), ()> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => Err(()),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
