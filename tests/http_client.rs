//! End-to-end tests of the HTTP client (stdlib §19): the Mesh programs in `tests/http_client/`
//! run against local servers started here (loopback only; std::net threads, rustls for HTTPS
//! with a self-signed certificate made here with rcgen and trusted through
//! `MESH_TLS_EXTRA_ROOTS`). A program learns its server's URL from environment variables and
//! its stdout is compared with the expectation below.
//!
//! The server's routes: `/echo` (method, target, `X-Test`, `Content-Type` and body echoed),
//! `/count` (connections accepted so far), `/status/404`, `/headers` (repeated and mixed-case
//! names), `/chunked`, `/close` (body delimited by closing), `/hang` (never answers), `/big`
//! (20 000 bytes), `/utf8` (a two-byte character across the 8 KiB chunk boundary), `/drip` (a
//! chunk every 50 ms).

use mesh_tests::locate;
use mesh_tests::process::{run_with_timeout, Status};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

struct Server {
    url: String,
    port: u16,
}

/// Starts a server on a free loopback port (TLS when `tls` is given).
fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let connections = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { continue };
            let count = connections.fetch_add(1, Ordering::SeqCst) + 1;
            let connections = connections.clone();
            let tls = tls.clone();
            std::thread::spawn(move || match tls {
                Some(config) => {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    serve(rustls::StreamOwned::new(conn, tcp), &connections, count);
                }
                None => serve(tcp, &connections, count),
            });
        }
    });
    Server {
        url: format!("{scheme}://127.0.0.1:{port}"),
        port,
    }
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request<S: Read>(reader: &mut BufReader<S>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: String::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    request.body = String::from_utf8_lossy(&body).into_owned();
    Some(request)
}

fn respond<S: Write>(out: &mut S, status: &str, headers: &[(&str, &str)], body: &[u8]) -> bool {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes()).is_ok() && out.write_all(body).is_ok() && out.flush().is_ok()
}

fn chunked<S: Write>(out: &mut S, pieces: &[&str], pause: Duration) -> bool {
    let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    if out.write_all(head.as_bytes()).is_err() {
        return false;
    }
    for piece in pieces {
        let frame = format!("{:x}\r\n{piece}\r\n", piece.len());
        if out.write_all(frame.as_bytes()).is_err() || out.flush().is_err() {
            return false;
        }
        // The drip route paces its chunks (a peer's behaviour, not synchronisation).
        std::thread::sleep(pause);
    }
    out.write_all(b"0\r\n\r\n").is_ok() && out.flush().is_ok()
}

/// Serves requests on one connection until the client closes it or a route closes it.
fn serve<S: Read + Write>(stream: S, connections: &AtomicUsize, _count: usize) {
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let out = reader.get_mut();
        let path = request.target.split('?').next().unwrap_or("").to_owned();
        let kept = match path.as_str() {
            "/echo" => {
                let body = format!(
                    "{} {} x-test={} type={} body={}",
                    request.method,
                    request.target,
                    request.header("x-test").unwrap_or("-"),
                    request.header("content-type").unwrap_or("-"),
                    request.body
                );
                respond(out, "200 OK", &[], body.as_bytes())
            }
            "/count" => {
                let body = connections.load(Ordering::SeqCst).to_string();
                respond(out, "200 OK", &[], body.as_bytes())
            }
            "/status/404" => respond(out, "404 Not Found", &[], b"nope"),
            "/headers" => respond(
                out,
                "200 OK",
                &[("X-Dup", "a"), ("X-Dup", "b"), ("X-Mixed-Case", "yes")],
                b"h",
            ),
            "/chunked" => chunked(out, &["hel", "lo ", "chunks"], Duration::ZERO),
            "/close" => {
                let _ = out.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close");
                let _ = out.flush();
                return;
            }
            "/hang" => {
                // Never answers: waits for the client to give up and close.
                let mut rest = Vec::new();
                let _ = reader.read_to_end(&mut rest);
                return;
            }
            "/big" => {
                let body: Vec<u8> = (0..20_000).map(|i| b'0' + (i % 10) as u8).collect();
                respond(out, "200 OK", &[], &body)
            }
            "/utf8" => {
                let body = format!("{}é{}", "a".repeat(8191), "b".repeat(100));
                respond(out, "200 OK", &[], body.as_bytes())
            }
            "/drip" => chunked(out, &["drip"; 40], Duration::from_millis(50)),
            _ => respond(out, "404 Not Found", &[], b"no route"),
        };
        if !kept || request.header("connection") == Some("close") {
            return;
        }
    }
}

/// A URL on a loopback port where nothing listens.
fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/")
}

struct Certs {
    trusted: Arc<rustls::ServerConfig>,
    untrusted: Arc<rustls::ServerConfig>,
    trusted_pem: PathBuf,
}

fn server_config(cert: &rcgen::CertifiedKey) -> Arc<rustls::ServerConfig> {
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .expect("server config");
    Arc::new(config)
}

#[allow(deprecated)]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn certs(dir: &Path) -> Certs {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let trusted = rcgen::generate_simple_self_signed(names.clone()).expect("cert");
    let untrusted = rcgen::generate_simple_self_signed(names).expect("cert");
    let trusted_pem = dir.join("trusted.pem");
    std::fs::write(&trusted_pem, trusted.cert.pem()).expect("write pem");
    Certs {
        trusted: server_config(&trusted),
        untrusted: server_config(&untrusted),
        trusted_pem,
    }
}

fn scratch() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let profile = locate::profile_dir().expect("profile dir");
        let dir =
            locate::scratch_root(&profile).join(format!("http_client_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    })
    .clone()
}

/// Builds `tests/http_client/<name>.mpl` and runs it with `env`: its stdout.
fn run(name: &str, env: &[(&str, String)]) -> String {
    let profile = locate::profile_dir().expect("profile dir");
    let meshc = locate::meshc(&profile).expect("meshc");
    let source = locate::repo_root()
        .join("tests/http_client")
        .join(format!("{name}.mpl"));
    let binary = scratch().join(name);
    let built = run_with_timeout(
        Command::new(&meshc)
            .arg("build")
            .arg(&source)
            .arg("-o")
            .arg(&binary),
        Duration::from_secs(120),
    )
    .expect("meshc runs");
    assert_eq!(
        built.status,
        Status::Exited(0),
        "meshc build {name} failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut command = Command::new(&binary);
    for (key, value) in env {
        command.env(key, value);
    }
    let ran = run_with_timeout(&mut command, Duration::from_secs(60)).expect("program runs");
    let stdout = String::from_utf8_lossy(&ran.stdout).into_owned();
    assert_eq!(
        ran.status,
        Status::Exited(0),
        "{name} failed; stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    stdout
}

/// `127.0.0.1:<port>` in `text` as `127.0.0.1:PORT` (ports are chosen at run time).
fn without_ports(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        let after = &rest[at + "127.0.0.1:".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(&rest[..at]);
        out.push_str(if digits > 0 {
            "127.0.0.1:PORT"
        } else {
            "127.0.0.1:"
        });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn check(actual: &str, expected: &[&str]) {
    let actual = without_ports(actual);
    let lines: Vec<&str> = actual.lines().collect();
    assert_eq!(lines, expected, "whole output:\n{actual}");
}

#[test]
fn requests_responses_errors_and_the_legacy_functions() {
    let server = start(None);
    let base = server.url.clone();
    let out = run(
        "basics",
        &[
            ("MESH_TEST_URL", base.clone()),
            ("MESH_TEST_REFUSED_URL", refused_url()),
            (
                "MESH_TEST_LOCALHOST_URL",
                format!("http://localhost:{}", server.port),
            ),
        ],
    );
    check(
        &out,
        &[
            "200 GET /echo x-test=one type=- body=",
            "200 GET /echo x-test=one type=- body=",
            "200 GET /echo?q=a%20b%26c%3D%C3%A9&n=1 x-test=- type=- body=",
            "200 POST /echo x-test=- type=- body=hello",
            "200 POST /echo x-test=- type=- body=get with a body",
            "200 PUT /echo x-test=- type=application/json body={\"a\":1}",
            "200 GET /echo x-test=- type=- body=",
            "404 nope",
            "x-dup=b mixed=yes missing=[]",
            "200 hello chunks",
            "200 until close",
            "timeout: true",
            "error: connection refused: 127.0.0.1:PORT",
            "200 GET /echo x-test=- type=- body=",
            "error: invalid URL: only http:// and https:// URLs are supported",
            "ok: GET /echo x-test=- type=- body=",
            "err: http status: 404",
            "ok: POST /echo x-test=- type=application/json body={\"k\":true}",
            "err: connection refused: 127.0.0.1:PORT",
        ],
    );
}

#[test]
fn a_client_keeps_its_connection_alive_until_closed() {
    let server = start(None);
    let out = run("client", &[("MESH_TEST_URL", server.url.clone())]);
    check(
        &out,
        &[
            "before: 200 1",
            "200 GET /echo x-test=- type=- body=",
            "200 POST /echo x-test=- type=- body=again",
            "200 hello chunks",
            "through the client: 200 2",
            "error: TIMEOUT: no complete response within 200 ms",
            "error: client closed",
        ],
    );
}

#[test]
fn streams_deliver_chunks_stop_and_cancel() {
    let server = start(None);
    let out = run(
        "stream",
        &[
            ("MESH_TEST_URL", server.url.clone()),
            ("MESH_TEST_REFUSED_URL", refused_url()),
        ],
    );
    check(
        &out,
        &[
            "streamed 20000 chars in at least 3 chunks: true",
            "stopped after 1 chunks, the first true",
            "cancelled after a drip: 1 chunks, the first true",
            "a failed stream: 0 chunks, the first true",
            "stream_bytes: 8292 chars in at least 2 chunks: true",
        ],
    );
}

#[test]
fn https_with_a_trusted_and_an_untrusted_certificate() {
    let certs = certs(&scratch());
    let trusted = start(Some(certs.trusted.clone()));
    let untrusted = start(Some(certs.untrusted.clone()));
    let out = run(
        "https",
        &[
            ("MESH_TEST_HTTPS_URL", trusted.url.clone()),
            ("MESH_TEST_UNTRUSTED_URL", untrusted.url.clone()),
            (
                "MESH_TLS_EXTRA_ROOTS",
                certs.trusted_pem.to_string_lossy().into_owned(),
            ),
        ],
    );
    check(
        &out,
        &[
            "200 GET /echo x-test=tls type=- body=",
            "200 POST /echo x-test=- type=- body=one",
            "200 POST /echo x-test=- type=- body=two",
            "200 2",
            "untrusted: true",
        ],
    );
}
