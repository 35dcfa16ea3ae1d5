//! TLS over the runtime's sockets: an echo between two processes with a self-signed
//! certificate made here (rcgen), a client that does not trust the certificate (a TLS error,
//! told apart from socket errors), and unreadable or invalid PEM files (setup errors whose text
//! names the file). Each integration test file is its own program (the scheduler is global), so
//! the cases run in one `run_main`.

use mesh_rt::actor;
use mesh_rt::net::tls::{self, TlsStream};
use mesh_rt::net::{TcpListener, TcpStream};
use rustls::pki_types::pem::PemObject;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(line: String) {
    LOG.lock().expect("log lock").push(line);
}

fn soon() -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(20))
}

struct Certs {
    dir: std::path::PathBuf,
    cert_pem: String,
}

fn make_certs() -> Certs {
    let key = rcgen::KeyPair::generate().expect("key");
    let params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("params");
    let cert = params.self_signed(&key).expect("self-signed");
    let dir = std::env::temp_dir().join(format!("mesh_tls_test_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("write cert");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write key");
    std::fs::write(dir.join("garbage.pem"), "not a pem file\n").expect("write garbage");
    Certs {
        dir,
        cert_pem: cert.pem(),
    }
}

fn path(certs: &Certs, name: &str) -> String {
    certs.dir.join(name).to_string_lossy().into_owned()
}

fn echo_server(listener: TcpListener, config: Arc<rustls::ServerConfig>, connections: usize) {
    for _ in 0..connections {
        let (tcp, _) = match listener.accept(soon()) {
            Ok(c) => c,
            Err(e) => return log(format!("accept failed: {e}")),
        };
        let config = config.clone();
        actor::spawn_native("tls-echo", move || {
            let mut conn = match TlsStream::accept(tcp, config, soon()) {
                Ok(c) => c,
                Err(e) => {
                    return log(format!(
                        "server handshake failed: {}",
                        tls::is_tls_error(&e)
                    ))
                }
            };
            let mut buf = [0u8; 4096];
            loop {
                match conn.read(&mut buf, soon()) {
                    Ok(0) => break,
                    Ok(n) => {
                        if let Err(e) = conn.write_all(&buf[..n], soon()) {
                            return log(format!("server write failed: {e}"));
                        }
                    }
                    Err(e) => return log(format!("server read failed: {e}")),
                }
            }
            let _ = conn.shutdown(soon());
        });
    }
}

fn trusting(cert_pem: &str) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(cert_pem.as_bytes()) {
        roots.add(cert.expect("cert")).expect("root");
    }
    tls::client_config_with(roots).expect("client config")
}

extern "C-unwind" fn entry() {
    let certs = make_certs();
    let server = match tls::server_config(&path(&certs, "cert.pem"), &path(&certs, "key.pem")) {
        Ok(c) => c,
        Err(e) => return log(format!("server config failed: {e}")),
    };
    for (cert, key) in [
        ("missing.pem", "key.pem"),
        ("garbage.pem", "key.pem"),
        ("cert.pem", "garbage.pem"),
    ] {
        match tls::server_config(&path(&certs, cert), &path(&certs, key)) {
            Ok(_) => log(format!("{cert}/{key}: accepted")),
            Err(e) => {
                let text = e.to_string();
                let named = text.contains(cert) || text.contains(key);
                log(format!("{cert}/{key}: refused, names the file: {named}"));
            }
        }
    }
    let listener = TcpListener::bind(([127, 0, 0, 1], 0).into()).expect("bind");
    let addr = listener.local_addr().expect("addr");
    actor::spawn_native("tls-acceptor", move || echo_server(listener, server, 2));
    let cert_pem = certs.cert_pem.clone();
    actor::spawn_native("tls-client", move || {
        let tcp = TcpStream::connect(addr, soon()).expect("connect");
        let mut conn = match TlsStream::connect(tcp, "localhost", trusting(&cert_pem), soon()) {
            Ok(c) => c,
            Err(e) => return log(format!("client handshake failed: {e}")),
        };
        // More than one TLS record each way.
        let message = "hello over tls; ".repeat(2000);
        conn.write_all(message.as_bytes(), soon()).expect("write");
        let mut got = Vec::new();
        let mut buf = [0u8; 1000];
        while got.len() < message.len() {
            match conn.read(&mut buf, soon()) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return log(format!("client read failed: {e}")),
            }
        }
        log(format!(
            "echoed {} of {} bytes intact: {}",
            got.len(),
            message.len(),
            got == message.as_bytes()
        ));
        conn.shutdown(soon()).expect("shutdown");
        // A client trusting only the web PKI roots refuses the self-signed certificate.
        let tcp = TcpStream::connect(addr, soon()).expect("connect");
        let web = tls::client_config().expect("web pki config");
        match TlsStream::connect(tcp, "localhost", web, soon()) {
            Ok(_) => log("untrusted certificate accepted".into()),
            Err(e) => log(format!(
                "untrusted certificate refused as a TLS error: {}",
                tls::is_tls_error(&e)
            )),
        }
    });
}

#[test]
fn tls_echo_untrusted_certificates_and_bad_pem_files() {
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    let mut lines = LOG.lock().expect("log lock").clone();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "cert.pem/garbage.pem: refused, names the file: true".to_owned(),
            "echoed 32000 of 32000 bytes intact: true".to_owned(),
            "garbage.pem/key.pem: refused, names the file: true".to_owned(),
            "missing.pem/key.pem: refused, names the file: true".to_owned(),
            "server handshake failed: true".to_owned(),
            "untrusted certificate refused as a TLS error: true".to_owned(),
        ]
    );
}
