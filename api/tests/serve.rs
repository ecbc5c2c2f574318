//! `huren serve` start-up: the configuration (line and column of a bad value, environment
//! overrides naming the variable), and the binary on an ephemeral port with the bundled
//! demo list answering `/livez` and `/readyz`, stopping gracefully on SIGTERM.
#![allow(clippy::disallowed_methods)] // tests read and write files

use huren::config::{Config, ConfigError, ListRoleConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn tv(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testvectors/trustlists")
        .join(rel)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("huren-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A complete configuration: every section, paths relative to the file's directory.
fn full_example(dir: &Path) -> String {
    std::fs::copy(tv("miit-demo-signer.pem"), dir.join("miit-signer.pem")).unwrap();
    std::fs::copy(tv("miit-demo.xml"), dir.join("miit.xml")).unwrap();
    r#"listen = "127.0.0.1:8443"
state_dir = "state"
admin_token = "change-me-to-a-long-random-token"

[[trust_lists]]
name = "miit"
location = "miit.xml"                 # or "https://…/miit.xml"
signers = ["miit-signer.pem"]
role = "miit"
refresh_secs = 600
grace_secs = 86400
fetch_timeout_ms = 20000
foreign = ["https://tl.xa-demo.example/foreign-scheme.xml"]

[[policies]]
id = "cn-esign"
version = "3"
description = "Electronic signatures under the MIIT list"
profile = "rfc5280"
revocation = "require"
policy_oids = ["1.2.156.999001.1.1"]
key_usages = ["digitalSignature", "nonRepudiation"]
ekus = ["emailProtection", "1.3.6.1.5.5.7.3.4"]

[cache]
results = 50000
signatures = 20000

[revocation]
timeout_ms = 2000
max_bytes = 5242880
max_fetches = 4

[limits]
body_bytes = 262144
chain_length = 10
batch_size = 50
request_timeout_ms = 5000
"#
    .to_string()
}

#[test]
fn a_complete_configuration_loads() {
    let dir = scratch("full");
    let text = full_example(&dir);
    let cfg = Config::from_toml_in(&text, &dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cfg.listen.to_string(), "127.0.0.1:8443");
    assert_eq!(cfg.state_dir, Some(dir.join("state")));
    let s = &cfg.trust_lists[0];
    assert_eq!(s.signers, vec![dir.join("miit-signer.pem")]);
    assert_eq!(s.location, dir.join("miit.xml").to_string_lossy());
    assert_eq!(s.role, ListRoleConfig::Miit);
    assert_eq!(
        (s.refresh_secs, s.grace_secs, s.fetch_timeout_ms),
        (600, 86400, 20000)
    );
    assert_eq!(cfg.policies[0].key_usages.len(), 2);
    assert_eq!(cfg.limits.batch_size, 50);
    assert_eq!(cfg.cache.results, 50000);
    // No file: the defaults (the bundled demo list).
    assert_eq!(Config::from_toml("").unwrap(), Config::default());
}

#[track_caller]
fn refused(text: &str, dir: &Path) -> ConfigError {
    match Config::from_toml_in(text, dir) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[track_caller]
fn at(e: &ConfigError, line: usize, needle: &str) {
    assert_eq!(e.line, Some(line), "{e}");
    assert!(e.message.contains(needle), "{needle:?} not in {e}");
    assert!(
        e.to_string().starts_with(&format!("line {line}, column ")),
        "{e}"
    );
}

#[test]
fn a_bad_configuration_is_refused_with_the_line_and_the_reason() {
    let dir = scratch("bad");
    let good = full_example(&dir);
    let line_of = |needle: &str| good.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let with = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        good.replacen(from, to, 1)
    };

    // Syntax and types, from the TOML parser.
    let e = refused(&with("batch_size = 50", "batch_size = fifty"), &dir);
    assert_eq!(e.line, Some(line_of("batch_size")), "{e}");
    let e = refused(&with("batch_size = 50", "batch_size = \"50\""), &dir);
    at(&e, line_of("batch_size"), "expected usize");
    let e = refused(&with("body_bytes", "body_bites"), &dir);
    at(&e, line_of("body_bytes"), "unknown field `body_bites`");
    let e = refused(&with("\"127.0.0.1:8443\"", "\"localhost-8443\""), &dir);
    at(&e, 1, "address");

    // Meaning, from the validation.
    let e = refused(&with("\"1.2.156.999001.1.1\"", "\"1.2.x\""), &dir);
    at(&e, line_of("policy_oids"), "not an OID");
    let e = refused(&with("\"nonRepudiation\"", "\"nonrepudiatio\""), &dir);
    at(&e, line_of("key_usages"), "not a key usage name");
    let e = refused(&with("\"emailProtection\"", "\"mailProtection\""), &dir);
    at(&e, line_of("ekus"), "not an OID or a purpose name");
    let e = refused(&with("profile = \"rfc5280\"", "profile = \"x509\""), &dir);
    at(&e, line_of("profile ="), "not one of rfc5280, webpki");
    let e = refused(
        &with("revocation = \"require\"", "revocation = \"maybe\""),
        &dir,
    );
    at(
        &e,
        line_of("revocation = \"require\""),
        "require, prefer, off",
    );
    let e = refused(&with("\"miit-signer.pem\"", "\"missing.pem\""), &dir);
    at(&e, line_of("signers"), "missing.pem");
    std::fs::write(dir.join("garbage.pem"), "not a certificate").unwrap();
    let e = refused(&with("\"miit-signer.pem\"", "\"garbage.pem\""), &dir);
    at(&e, line_of("signers"), "garbage.pem");
    let e = refused(
        &with("signers = [\"miit-signer.pem\"]", "signers = []"),
        &dir,
    );
    at(&e, line_of("signers"), "no pinned signer");
    let e = refused(
        &with("location = \"miit.xml\"", "location = \"ftp://x/miit.xml\""),
        &dir,
    );
    at(&e, line_of("location"), "http and https only");
    let e = refused(
        &with("location = \"miit.xml\"", "location = \"nowhere.xml\""),
        &dir,
    );
    at(
        &e,
        line_of("location"),
        "neither an http(s) URL nor a readable file",
    );
    let e = refused(&with("refresh_secs = 600", "refresh_secs = 0"), &dir);
    at(&e, line_of("refresh_secs"), "at least 1");
    let e = refused(&with("chain_length = 10", "chain_length = 0"), &dir);
    at(&e, line_of("chain_length"), "at least 1");
    let e = refused(&with("role = \"miit\"", "role = \"scheme\""), &dir);
    at(&e, line_of("foreign ="), "MIIT list");
    let e = refused(&with("role = \"miit\"", "role = \"ministry\""), &dir);
    assert_eq!(e.line, Some(line_of("role =")), "{e}");
    let e = refused(
        &with("\"change-me-to-a-long-random-token\"", "\"short\""),
        &dir,
    );
    at(&e, 3, "at least 16");

    // A second list with the same name: the line of the second name.
    let twice = format!(
        "{good}\n[[trust_lists]]\nname = \"miit\"\nlocation = \"https://example.org/l.xml\"\nsigners = [\"miit-signer.pem\"]\n"
    );
    let e = refused(&twice, &dir);
    at(&e, twice.lines().count() - 2, "already configured");

    // Through `load`: the file name leads the message.
    let path = dir.join("bad.toml");
    std::fs::write(&path, with("batch_size = 50", "batch_size = -1")).unwrap();
    let e = Config::load(Some(&path), &|_| None).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}:{}:", path.display(), line_of("batch_size"))),
        "{e}"
    );
}

#[test]
fn environment_overrides_apply_and_bad_values_name_the_variable() {
    let dir = scratch("env");
    let path = dir.join("huren.toml");
    std::fs::write(&path, full_example(&dir)).unwrap();
    let env = |k: &str| -> Option<String> {
        match k {
            "HUREN_LISTEN" => Some("[::1]:9000".into()),
            "HUREN_ADMIN_TOKEN" => Some("0123456789abcdef0123".into()),
            "HUREN_CACHE_RESULTS" => Some("7".into()),
            "HUREN_LIMITS_BATCH_SIZE" => Some("3".into()),
            "HUREN_STATE_DIR" => Some("/tmp/huren-state-elsewhere".into()),
            _ => None,
        }
    };
    let cfg = Config::load(Some(&path), &env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cfg.listen.to_string(), "[::1]:9000");
    assert_eq!(cfg.admin_token.as_deref(), Some("0123456789abcdef0123"));
    assert_eq!(cfg.cache.results, 7);
    assert_eq!(cfg.limits.batch_size, 3);
    assert_eq!(
        cfg.state_dir,
        Some(PathBuf::from("/tmp/huren-state-elsewhere"))
    );
    // Untouched values stay the file's.
    assert_eq!(cfg.limits.chain_length, 10);

    for (var, value, needle) in [
        ("HUREN_LISTEN", "not-an-address", "socket address"),
        ("HUREN_CACHE_RESULTS", "many", "whole number"),
        ("HUREN_LIMITS_BATCH_SIZE", "0", "at least 1"),
        ("HUREN_ADMIN_TOKEN", "short", "at least 16"),
    ] {
        let e = Config::load(Some(&path), &|k: &str| {
            (k == var).then(|| value.to_string())
        })
        .unwrap_err();
        assert!(e.to_string().contains(var), "{e}");
        assert!(e.message.contains(needle), "{e}");
    }
}

// ---------------------------------------------------------------------------------------
// The binary.

struct Served {
    child: Child,
    addr: String,
    banner: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str], env: &[(&str, &str)]) -> Served {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huren"));
    cmd.arg("serve")
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run huren serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let mut addr = None;
    // The banner ends with the line naming /v1/trust-lists.
    while !banner.contains("/v1/trust-lists") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(a) = line
            .trim()
            .strip_prefix("huren serve: listening on http://")
        {
            addr = Some(a.to_string());
        }
        banner.push_str(&line);
    }
    let addr = addr.unwrap_or_else(|| panic!("no address in:\n{banner}"));
    Served {
        child,
        addr,
        banner,
    }
}

/// A plain HTTP/1.1 GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// A plain HTTP/1.1 POST of JSON: (status, body).
fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// The JSON body the printed curl line sends (curl replaced by a shell function printing
/// its last argument), run from the repository root.
fn curl_body(line: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = format!("curl() {{ printf '%s' \"${{@: -1}}\"; }}; {line}");
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&root)
        .output()
        .expect("bash");
    String::from_utf8(out.stdout).unwrap()
}

fn sigterm_and_wait(served: &mut Served) -> Option<i32> {
    let pid = served.child.id().to_string();
    let ok = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(st) = served.child.try_wait().unwrap() {
            return st.code();
        }
        assert!(Instant::now() < deadline, "no graceful exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_with_no_argument_serves_the_bundled_demo() {
    // From a directory without the test vectors: the demo list is built in.
    let mut served = serve(&["--listen", "127.0.0.1:0"], &[]);
    let b = &served.banner;
    assert!(b.contains("DEMO ONLY"), "{b}");
    assert!(b.contains("trust list demo: CN #1"), "{b}");
    assert!(b.contains("next update 2030-12-31T23:59:59Z"), "{b}");
    assert!(
        b.contains(&format!("curl -s http://{}/v1/validate", served.addr))
            && b.contains("testvectors/demo/leaf.pem")
            && b.contains("testvectors/demo/intermediates.pem"),
        "{b}"
    );
    let (status, _) = get(&served.addr, "/livez");
    assert_eq!(status, 200);
    let (status, _) = get(&served.addr, "/readyz");
    assert_eq!(status, 200, "the demo list is verified and current");
    // The printed curl line's request: the demo chain is VALID (until 2030-12-31).
    let line = b
        .lines()
        .find(|l| l.trim_start().starts_with("curl -s") && l.contains("/v1/validate"))
        .unwrap();
    let (status, answer) = post(&served.addr, "/v1/validate", &curl_body(line));
    assert_eq!(status, 200, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["status"], "VALID", "{answer}");
    assert_eq!(sigterm_and_wait(&mut served), Some(0));
}

#[test]
fn the_printed_curl_line_builds_the_demo_request() {
    let line = huren::cli::serve_demo_curl("127.0.0.1:8080");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let body = curl_body(&line);
    let body: serde_json::Value =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let b64 = |p: &str| -> String {
        std::fs::read_to_string(root.join(p))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect()
    };
    assert_eq!(body["certificate"], b64("testvectors/demo/leaf.pem"));
    assert_eq!(
        body["intermediates"][0],
        b64("testvectors/demo/intermediates.pem")
    );
}

#[test]
fn serve_refuses_a_bad_configuration_with_exit_64() {
    let dir = scratch("cli-bad");
    let path = dir.join("huren.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:0\"\n\n[limits]\nbatch_size = 0\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(["serve", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:4:", path.display())), "{err}");
    assert!(err.contains("batch_size must be at least 1"), "{err}");

    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(["serve"])
        .env("HUREN_LISTEN", "nowhere")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HUREN_LISTEN"), "{err}");

    let out = Command::new(env!("CARGO_BIN_EXE_huren"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("HUREN_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HUREN_LOG_FORMAT"));
}

#[test]
fn serve_with_a_config_file_and_env_overrides() {
    let dir = scratch("cli-config");
    std::fs::copy(tv("miit-demo-signer.pem"), dir.join("signer.pem")).unwrap();
    std::fs::copy(tv("miit-demo.xml"), dir.join("miit.xml")).unwrap();
    let path = dir.join("huren.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:1\"\nstate_dir = \"state\"\n\n[[trust_lists]]\nname = \"local\"\nlocation = \"miit.xml\"\nsigners = [\"signer.pem\"]\n",
    )
    .unwrap();
    // HUREN_LISTEN overrides the file; JSON logs.
    let mut served = serve(
        &["--config", &path.to_string_lossy()],
        &[
            ("HUREN_LISTEN", "127.0.0.1:0"),
            ("HUREN_LOG_FORMAT", "json"),
        ],
    );
    assert!(
        served.banner.contains("trust list local: CN #1"),
        "{}",
        served.banner
    );
    assert!(!served.banner.contains("DEMO ONLY"), "{}", served.banner);
    assert_eq!(get(&served.addr, "/readyz").0, 200);
    // The list is kept in the state directory.
    let kept = std::fs::read_dir(dir.join("state")).unwrap().count();
    assert!(kept >= 1);
    assert_eq!(sigterm_and_wait(&mut served), Some(0));
}
