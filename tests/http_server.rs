//! The HTTP server under load and at shutdown (issue 13), against a real Mesh program
//! (`tests/programs/http_slow.mpl`, built with the `meshc` under test): 1 000 concurrent
//! connections each with a request in flight at once; graceful shutdown letting a request in
//! flight finish (runtime-cluster §11), bounded by `MESH_SHUTDOWN_GRACE_MS`; a second signal
//! exiting at once with 128 + signal.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use mesh_tests::locate;

const TIMEOUT: Duration = Duration::from_secs(30);

/// The built server, once per test binary.
fn binary() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let profile = locate::profile_dir().expect("cargo profile directory");
        let meshc = locate::meshc(&profile).expect("meshc is built");
        let out_dir = locate::scratch_root(&profile).join("http_server");
        std::fs::create_dir_all(&out_dir).expect("scratch directory");
        // One build per test process (nextest runs each test in its own).
        let out = out_dir.join(format!("http_slow-{}", std::process::id()));
        let source = locate::repo_root().join("tests/programs/http_slow.mpl");
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

/// A running server and the lines of its stderr.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(binary())
            .env("PORT", port.to_string())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let lines = forward(child.stderr.take().expect("piped stderr"));
        let mut server = Server { child, port, lines };
        server.expect_line(&format!("[mesh-rt] HTTP server listening on [::]:{port}"));
        server
    }

    fn expect_line(&mut self, wanted: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line == wanted => return,
                Ok(_) => {}
                Err(e) => panic!("no `{wanted}` on the server's stderr: {e}"),
            }
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        stream
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    fn wait(&mut self) -> (ExitStatus, Duration) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return (status, start.elapsed());
            }
            assert!(start.elapsed() < TIMEOUT, "server did not exit");
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
fn read_response(stream: &mut TcpStream) -> (String, String) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("reads the head");
        assert_eq!(
            n,
            1,
            "closed inside the head: {:?}",
            String::from_utf8_lossy(&head)
        );
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

#[test]
fn a_thousand_concurrent_connections_each_with_a_request_in_flight() {
    let mut server = Server::start(&[]);
    let mut streams: Vec<TcpStream> = (0..1000).map(|_| server.connect()).collect();
    let started = Instant::now();
    for (i, stream) in streams.iter_mut().enumerate() {
        let path = if i % 2 == 0 { "/sleep/300" } else { "/hello" };
        write!(stream, "GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").expect("sends");
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let (head, body) = read_response(stream);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        let want = if i % 2 == 0 { "slept 300" } else { "hello" };
        assert_eq!(body, want);
    }
    // 500 requests sleeping 300 ms each: concurrent, not one after the other.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // Every connection is still usable (keep-alive).
    for stream in streams.iter_mut().take(10) {
        write!(stream, "GET /hello HTTP/1.1\r\n\r\n").expect("sends");
        assert_eq!(read_response(stream).1, "hello");
    }
    server.signal("TERM");
    let (status, _) = server.wait();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_0() {
    let mut server = Server::start(&[]);
    let mut stream = server.connect();
    write!(stream, "GET /sleep/500 HTTP/1.1\r\n\r\n").expect("sends");
    server.expect_line("started /sleep/500");
    server.signal("TERM");
    let (head, body) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Connection: close\r\n"), "{head}");
    assert_eq!(body, "slept 500");
    let (status, _) = server.wait();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn shutdown_waits_at_most_the_grace_period() {
    let mut server = Server::start(&[("MESH_SHUTDOWN_GRACE_MS", "200")]);
    let mut stream = server.connect();
    write!(stream, "GET /sleep/20000 HTTP/1.1\r\n\r\n").expect("sends");
    server.expect_line("started /sleep/20000");
    server.signal("TERM");
    let (status, waited) = server.wait();
    assert_eq!(status.code(), Some(0));
    assert!(waited < Duration::from_secs(10), "{waited:?}");
}

#[test]
fn a_second_signal_exits_at_once_with_128_plus_the_signal() {
    let mut server = Server::start(&[]);
    let mut stream = server.connect();
    write!(stream, "GET /sleep/20000 HTTP/1.1\r\n\r\n").expect("sends");
    server.expect_line("started /sleep/20000");
    server.signal("TERM");
    server.signal("INT");
    let (status, waited) = server.wait();
    assert_eq!(status.code(), Some(130));
    assert!(waited < Duration::from_secs(4), "{waited:?}");
}
