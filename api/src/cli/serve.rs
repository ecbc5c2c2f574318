//! `huren serve`: the validation service.
//!
//! With no argument it listens on 127.0.0.1:8080 with the bundled demo trust list (DEMO
//! ONLY) and prints how to query it. `--config FILE` takes the TOML configuration
//! (`crate::config`), the `HUREN_*` environment variables override it, and `--listen`
//! overrides both. Exit codes: 0 after a graceful shutdown (SIGINT, SIGTERM), 64 for a bad
//! configuration (the file's line and the reason, or the environment variable, on stderr),
//! 1 when the address cannot be bound or the service fails.
//!
//! The first line on stdout is `huren serve: listening on http://ADDR` with the address
//! actually bound (so `--listen 127.0.0.1:0` can be used by scripts and tests). Logs go to
//! stderr: text, or JSON lines with `HUREN_LOG_FORMAT=json`; the level comes from
//! `RUST_LOG` (default `info`).

use super::EXIT_USAGE;
use crate::config::{Config, ENV_VARS};
use crate::refresh::Refresher;
use crate::revocation::OnlineRevocation;
use crate::server::state::{
    AppState, Clock, NoRevocationSource, RevocationSource, SystemClock, TrustHandle,
};
use clap::Args;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `huren serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on (overrides the configuration and HUREN_LISTEN); default
    /// 127.0.0.1:8080. Port 0 picks a free port (printed on stdout).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// The configuration file (TOML): listen address, trust-list sources, policies, cache
    /// sizes, revocation timeouts, request limits. Without it the bundled DEMO list is
    /// served.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// How long start-up waits for the first refresh before it listens anyway (`/readyz`
/// then fails until a list verified).
const FIRST_REFRESH_WAIT: Duration = Duration::from_secs(10);

/// The curl line printed for the demo: posts the bundled demo chain (base64 DER built
/// from the PEM files with grep and tr), run from the repository root.
pub fn demo_curl(addr: &str) -> String {
    format!(
        "curl -s http://{addr}/v1/validate -H 'content-type: application/json' -d \"{{\\\"certificate\\\":\\\"$(grep -v -- ----- testvectors/demo/leaf.pem | tr -d '\\n')\\\",\\\"intermediates\\\":[\\\"$(grep -v -- ----- testvectors/demo/intermediates.pem | tr -d '\\n')\\\"]}}\""
    )
}

fn env_var(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "environment variable {name}: the value is not valid UTF-8"
        )),
    }
}

fn init_logging() -> Result<(), String> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let format = env_var("HUREN_LOG_FORMAT")?;
    // A subscriber may already be set (the CLI run twice in one process): keep it.
    match format.as_deref().map(str::trim) {
        Some("json") => {
            let _ = builder.json().flatten_event(true).try_init();
        }
        None | Some("text" | "") => {
            let _ = builder.try_init();
        }
        Some(other) => {
            return Err(format!(
                "environment variable HUREN_LOG_FORMAT: {other:?} is not json or text"
            ));
        }
    }
    Ok(())
}

/// Runs `huren serve`; returns the exit code.
pub fn run(args: ServeArgs) -> i32 {
    // The environment, read once; a value that is not UTF-8 is refused by name.
    let mut env = Vec::new();
    for (name, _) in ENV_VARS {
        match env_var(name) {
            Ok(Some(v)) => env.push((*name, v)),
            Ok(None) => {}
            Err(e) => {
                eprintln!("huren serve: {e}");
                return EXIT_USAGE;
            }
        }
    }
    let lookup = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let mut config = match Config::load(args.config.as_deref(), &lookup) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("huren serve: bad configuration: {e}");
            return EXIT_USAGE;
        }
    };
    if let Some(l) = args.listen {
        config.listen = l;
    }
    if let Err(e) = init_logging() {
        eprintln!("huren serve: {e}");
        return EXIT_USAGE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("huren serve: cannot start the runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> i32 {
    let trust: TrustHandle = Arc::new(arc_swap::ArcSwapOption::empty());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let demo = config.trust_lists.is_empty();
    let listen = config.listen;
    if !demo && config.state_dir.is_none() {
        tracing::warn!(
            "no state_dir: the last good lists are not kept on disk, so a restart without network starts with none"
        );
    }
    let refresher = match Refresher::from_config(&config, trust.clone(), clock.clone()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("huren serve: {e}");
            return EXIT_USAGE;
        }
    };
    let app = match router(config, trust.clone(), clock.clone(), refresher.clone()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("huren serve: bad configuration: {e}");
            return EXIT_USAGE;
        }
    };
    // The last good lists first, before any network; then the first refresh.
    let from_disk = refresher.load_from_disk().await;
    if from_disk > 0 {
        tracing::info!(
            lists = from_disk,
            "serving the last good lists from the state directory until the first refresh"
        );
    }
    let task = refresher.spawn();
    if tokio::time::timeout(FIRST_REFRESH_WAIT, refresher.wait_rounds(1))
        .await
        .is_err()
    {
        tracing::warn!(
            "the first refresh is taking long; listening anyway (readyz fails until a list verified)"
        );
    }

    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("huren serve: cannot listen on {listen}: {e}");
            task.abort();
            return 1;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| listen.to_string(), |a| a.to_string());
    print_banner(&addr, demo, &trust, clock.now());
    tracing::info!(%addr, "listening");

    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    task.abort();
    match result {
        Ok(()) => {
            tracing::info!("stopped");
            0
        }
        Err(e) => {
            eprintln!("huren serve: {e}");
            1
        }
    }
}

fn print_banner(addr: &str, demo: bool, trust: &TrustHandle, now: i64) {
    let mut out = String::new();
    out.push_str(&format!("huren serve: listening on http://{addr}\n"));
    match trust.load_full() {
        Some(l) => {
            for s in &l.lists {
                out.push_str(&format!(
                    "trust list {}: {} #{}, {} anchors, next update {}\n",
                    s.name,
                    s.territory,
                    s.sequence,
                    s.anchors,
                    s.next_update
                        .map_or("none (closed list)".into(), huren_validator::fmt_time)
                ));
            }
            if !l.usable_at(now) {
                out.push_str("the trust snapshot is past NextUpdate + grace: answers are INDETERMINATE TRUST_LIST_EXPIRED until a fresh list verifies\n");
            }
        }
        None => out.push_str(&format!(
            "no trust list verified yet: /readyz fails until one does (see http://{addr}/v1/trust-lists)\n"
        )),
    }
    if demo {
        out.push_str(
            "DEMO ONLY: the bundled demo trust list (its signer's key is published); give --config FILE for real lists.\n",
        );
        out.push_str("Validate the demo chain (run from the repository root):\n  ");
        out.push_str(&demo_curl(addr));
        out.push('\n');
    }
    out.push_str(&format!(
        "Trust lists: curl -s http://{addr}/v1/trust-lists   Ready: curl -s http://{addr}/readyz\n"
    ));
    out.push_str(&format!(
        "Pages: http://{addr}/ (the CA directory at /directory, the interoperability check at /interop)\n"
    ));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutdown requested; finishing the requests in flight");
}

/// The service's router: the HTTP API of `crate::server` over this state.
fn router(
    config: Config,
    trust: TrustHandle,
    clock: Arc<dyn Clock>,
    refresh: Arc<Refresher>,
) -> Result<axum::Router, String> {
    // Online revocation for the policies whose revocation is require or prefer (unless
    // revocation.online = false): CRLs and OCSP the certificates name, fetched and cached.
    let revocation: Arc<dyn RevocationSource> = if config.revocation.online {
        Arc::new(OnlineRevocation::new(&config.revocation, clock.clone())?)
    } else {
        Arc::new(NoRevocationSource)
    };
    let state = AppState::new(config, trust, clock, revocation, refresh)?;
    Ok(crate::server::app(state))
}
