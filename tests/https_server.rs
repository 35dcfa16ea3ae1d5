//! `HTTP.serve_tls` (stdlib §18.1) against a real Mesh program (`tests/programs/https_hello.mpl`,
//! built with the `meshc` under test) and a real TLS client (rustls over std sockets), with a
//! self-signed certificate made here (rcgen): requests over TLS 1.2 and 1.3 with keep-alive; a
//! client that sends garbage instead of a TLS hello, one that sends nothing and one that hangs
//! up mid-handshake end only their own connections; unreadable or invalid certificate and key
//! files log the failure to start (naming the file) and exit with status 1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::{mpsc, Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use mesh_tests::locate;

const TIMEOUT: Duration = Duration::from_secs(30);

/// The built server, once per test binary.
fn binary() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let meshc = locate::meshc(&profile()).expect("meshc is built");
        let out = scratch().join("https_hello");
        let source = locate::repo_root().join("tests/programs/https_hello.mpl");
        let status = Command::new(meshc)
            .arg("build")
            .arg(&source)
            .arg("-o")
            .arg(&out)
            .status()
            .expect("meshc runs");
        assert!(status.success(), "meshc build {} failed", source.display());
        out
    })
}

fn profile() -> PathBuf {
    locate::profile_dir().expect("cargo profile directory")
}

/// This test process's scratch directory (nextest runs each test in a process of its own).
fn scratch() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            locate::scratch_root(&profile()).join(format!("https_server_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
    .clone()
}

/// A self-signed certificate for `localhost` and 127.0.0.1, written as PEM files named after
/// `name` (unique per test: tests run in parallel in one process).
struct Cert {
    cert: PathBuf,
    key: PathBuf,
    der: rustls::pki_types::CertificateDer<'static>,
}

fn make_cert(name: &str) -> Cert {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let made = rcgen::generate_simple_self_signed(names).expect("certificate");
    let cert = scratch().join(format!("{name}-cert.pem"));
    let key = scratch().join(format!("{name}-key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write certificate");
    std::fs::write(&key, made.key_pair.serialize_pem()).expect("write key");
    Cert {
        cert,
        key,
        der: made.cert.der().clone(),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A running server and the lines of its stderr.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn spawn(cert: &Path, key: &Path) -> Server {
        let port = free_port();
        let mut child = Command::new(binary())
            .env("PORT", port.to_string())
            .env("CERT", cert)
            .env("KEY", key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let lines = forward(child.stderr.take().expect("piped stderr"));
        Server { child, port, lines }
    }

    fn start(cert: &Cert) -> Server {
        let mut server = Server::spawn(&cert.cert, &cert.key);
        let listening = format!("[mesh-rt] HTTP server listening on [::]:{}", server.port);
        assert_eq!(server.next_line(), listening);
        server
    }

    fn next_line(&mut self) -> String {
        self.lines
            .recv_timeout(TIMEOUT)
            .expect("a line on the server's stderr")
    }

    fn exit_code(&mut self) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return status.code();
            }
            assert!(start.elapsed() < TIMEOUT, "server did not exit");
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn tcp(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        stream
    }

    /// A TLS connection trusting `cert` only, limited to `version`; handshake done.
    fn tls(
        &self,
        cert: &Cert,
        version: &'static rustls::SupportedProtocolVersion,
    ) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.der.clone()).expect("root");
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider()))
            .with_protocol_versions(&[version])
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
        let conn = rustls::ClientConnection::new(Arc::new(config), name).expect("client");
        let mut stream = rustls::StreamOwned::new(conn, self.tcp());
        while stream.conn.is_handshaking() {
            stream
                .conn
                .complete_io(&mut stream.sock)
                .expect("TLS handshake");
        }
        assert_eq!(stream.conn.protocol_version(), Some(version.version));
        stream
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[allow(deprecated)]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn forward(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads one response: its head and its body.
fn read_response(stream: &mut impl Read) -> (String, String) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("reads the head");
        assert_eq!(n, 1, "closed inside the head: {:?}", head);
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).expect("ASCII head");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("Content-Length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("reads the body");
    (head, String::from_utf8(body).expect("UTF-8 body"))
}

fn get_hello(stream: &mut (impl Read + Write)) {
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sends");
    let (head, body) = read_response(stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body, "hello over TLS");
}

/// Reads until the server closes the connection (what it sent, e.g. a TLS alert).
fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return all,
            Ok(n) => all.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return all,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
    }
}

#[test]
fn serves_requests_over_tls_1_2_and_1_3_with_keep_alive() {
    let cert = make_cert("versions");
    let server = Server::start(&cert);
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let mut stream = server.tls(&cert, version);
        get_hello(&mut stream);
        // The same connection again (keep-alive), then a request with a body.
        get_hello(&mut stream);
        let body = "x".repeat(40_000);
        write!(
            stream,
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("sends");
        let (head, echoed) = read_response(&mut stream);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert_eq!(echoed, body);
        // `Connection: close` ends with close_notify: the client reads a clean end.
        stream
            .write_all(b"GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n")
            .expect("sends");
        let (head, _) = read_response(&mut stream);
        assert!(head.contains("Connection: close\r\n"), "{head}");
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).expect("a clean close");
        assert!(rest.is_empty());
    }
}

#[test]
fn garbage_silent_and_truncated_clients_end_only_their_own_connections() {
    let cert = make_cert("garbage");
    let server = Server::start(&cert);
    let mut before = server.tls(&cert, &rustls::version::TLS13);
    get_hello(&mut before);
    // Sends nothing at all: holds only its own process (until the idle timeout).
    let _silent = server.tcp();
    // Hangs up in the middle of a ClientHello.
    let mut truncated = server.tcp();
    truncated
        .write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00])
        .expect("sends");
    drop(truncated);
    // Plain HTTP instead of a TLS hello: the server answers with an alert at most and closes.
    let mut garbage = server.tcp();
    garbage
        .write_all(b"GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sends");
    let started = Instant::now();
    let answer = read_to_close(&mut garbage);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        answer.is_empty() || answer[0] == 0x15,
        "not a TLS alert: {answer:?}"
    );
    // Random bytes too.
    let mut noise = server.tcp();
    noise
        .write_all(&[0x9c, 0x01, 0xff, 0x00, 0x42, 0x13, 0x37, 0x80, 0x16, 0x03])
        .expect("sends");
    read_to_close(&mut noise);
    // The connection made before still works, and so do new ones.
    get_hello(&mut before);
    let mut after = server.tls(&cert, &rustls::version::TLS12);
    get_hello(&mut after);
}

#[test]
fn unreadable_or_invalid_files_fail_to_start_with_status_1() {
    let good = make_cert("files");
    let other = make_cert("files-other");
    let missing = scratch().join("missing.pem");
    let garbage = scratch().join("garbage.pem");
    std::fs::write(&garbage, "not a PEM file\n").expect("write garbage");
    let cases: [(&Path, &Path, &Path, &str); 4] = [
        (&missing, &good.key, &missing, "No such file or directory"),
        (&good.cert, &missing, &missing, "No such file or directory"),
        (&garbage, &good.key, &garbage, "no PEM certificate found"),
        (&good.cert, &garbage, &garbage, "invalid PEM private key"),
    ];
    for (cert, key, named, reason) in cases {
        let mut server = Server::spawn(cert, key);
        let prefix = format!(
            "[mesh-rt] Failed to start HTTP server on [::]:{}: {}: ",
            server.port,
            named.display()
        );
        let line = server.next_line();
        assert!(line.starts_with(&prefix) && line.contains(reason), "{line}");
        assert_eq!(server.exit_code(), Some(1));
    }
    // A key that does not belong to the certificate.
    let mut server = Server::spawn(&good.cert, &other.key);
    let prefix = format!(
        "[mesh-rt] Failed to start HTTP server on [::]:{}: {}, {}: ",
        server.port,
        good.cert.display(),
        other.key.display()
    );
    let line = server.next_line();
    assert_eq!(
        line,
        format!("{prefix}the private key does not belong to the certificate")
    );
    assert_eq!(server.exit_code(), Some(1));
}
