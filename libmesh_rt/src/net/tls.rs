//! TLS over [`TcpStream`]: rustls's sans-I/O connection (`read_tls`/`write_tls`,
//! `process_new_packets`) driven by our own loop over the non-blocking socket, so a TLS
//! operation that would block parks only the calling process, with the same deadlines as TCP.
//!
//! Client side: [`client_config`] trusts the bundled web PKI roots (`webpki-roots`), plus the
//! PEM certificates named by `MESH_TLS_EXTRA_ROOTS` (a test hook: a local HTTPS server with a
//! self-signed certificate; the bundled roots stay trusted). Server side: [`server_config`]
//! loads a PEM certificate chain and private key (`HTTP.serve_tls`); unreadable or invalid files
//! are a [`TlsSetupError`] whose text the server logs.
//!
//! Errors keep [`NetError`]: a protocol or certificate failure is `NetError::Io` with kind
//! `InvalidData` wrapping the `rustls::Error` ([`is_tls_error`] tells them apart, for the
//! client's `TLS_ERROR: …`).

use super::tcp::{NetError, TcpStream};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The environment variable naming a PEM file of extra trusted roots for the client.
pub const EXTRA_ROOTS_VAR: &str = "MESH_TLS_EXTRA_ROOTS";

/// A certificate or key file that could not be used (`HTTP.serve_tls`, extra roots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSetupError(pub String);

impl std::fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsSetupError {}

/// The `ring` crypto provider (builds with a C compiler only; rustls deprecates it for lacking
/// post-quantum key exchange, which our peers do not need).
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The client configuration: web PKI roots (+ `MESH_TLS_EXTRA_ROOTS`), built once.
pub fn client_config() -> Result<Arc<rustls::ClientConfig>, TlsSetupError> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, TlsSetupError>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            if let Ok(path) = std::env::var(EXTRA_ROOTS_VAR) {
                for cert in load_certs(&path)? {
                    roots
                        .add(cert)
                        .map_err(|e| TlsSetupError(format!("{path}: {e}")))?;
                }
            }
            client_config_with(roots)
        })
        .clone()
}

/// A client configuration trusting exactly `roots`.
pub fn client_config_with(
    roots: rustls::RootCertStore,
) -> Result<Arc<rustls::ClientConfig>, TlsSetupError> {
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The PEM certificates of file `path` (at least one).
pub fn load_certs(path: &str) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let bytes = std::fs::read(path).map_err(|e| TlsSetupError(format!("{path}: {e}")))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| TlsSetupError(format!("{path}: invalid PEM certificate: {e}")))?;
    if certs.is_empty() {
        return Err(TlsSetupError(format!("{path}: no PEM certificate found")));
    }
    Ok(certs)
}

/// The server configuration of a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1
/// or SEC1).
pub fn server_config(
    cert_path: &str,
    key_path: &str,
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let certs = load_certs(cert_path)?;
    let key_bytes =
        std::fs::read(key_path).map_err(|e| TlsSetupError(format!("{key_path}: {e}")))?;
    let key = PrivateKeyDer::from_pem_slice(&key_bytes)
        .map_err(|e| TlsSetupError(format!("{key_path}: invalid PEM private key: {e}")))?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => TlsSetupError(format!(
                "{cert_path}, {key_path}: the private key does not belong to the certificate"
            )),
            e => TlsSetupError(format!("{cert_path}, {key_path}: {e}")),
        })?;
    Ok(Arc::new(config))
}

/// Whether `e` is a TLS failure (handshake, certificate, protocol) rather than a socket one.
pub fn is_tls_error(e: &NetError) -> bool {
    match e {
        NetError::Io(io) => io
            .get_ref()
            .is_some_and(|inner| inner.is::<rustls::Error>()),
        _ => false,
    }
}

fn tls_error(e: rustls::Error) -> NetError {
    NetError::Io(io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The socket as `io::Read`/`io::Write` for rustls, waiting (parking the process) until the
/// deadline; a `NetError` travels inside the `io::Error` and is recovered by [`unwrap_net`].
struct Socket<'a> {
    tcp: &'a mut TcpStream,
    deadline: Option<Instant>,
}

#[derive(Debug)]
struct Carried(NetError);

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Carried {}

fn carry(e: NetError) -> io::Error {
    match e {
        NetError::Io(io) => io,
        other => io::Error::new(other.kind(), Carried(other)),
    }
}

fn unwrap_net(e: io::Error) -> NetError {
    if !e.get_ref().is_some_and(|inner| inner.is::<Carried>()) {
        return NetError::Io(e);
    }
    let kind = e.kind();
    match e.into_inner().map(|inner| inner.downcast::<Carried>()) {
        Some(Ok(carried)) => carried.0,
        _ => NetError::Io(kind.into()),
    }
}

impl Read for Socket<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tcp.read(buf, self.deadline).map_err(carry)
    }
}

impl Write for Socket<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp.write(buf, self.deadline).map_err(carry)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A TLS connection over a TCP stream (client or server side), with the read/write API of
/// [`TcpStream`].
pub struct TlsStream {
    tcp: TcpStream,
    conn: rustls::Connection,
    /// The peer sent close_notify or closed the socket.
    eof: bool,
}

impl TlsStream {
    /// Starts TLS as a client of `server_name` (a DNS name or an IP address) and completes
    /// the handshake before `deadline`.
    pub fn connect(
        tcp: TcpStream,
        server_name: &str,
        config: Arc<rustls::ClientConfig>,
        deadline: Option<Instant>,
    ) -> Result<TlsStream, NetError> {
        let name = ServerName::try_from(server_name.to_owned())
            .map_err(|e| tls_error(rustls::Error::General(e.to_string())))?;
        let conn = rustls::ClientConnection::new(config, name).map_err(tls_error)?;
        let mut stream = TlsStream {
            tcp,
            conn: conn.into(),
            eof: false,
        };
        stream.handshake(deadline)?;
        Ok(stream)
    }

    /// Accepts TLS as a server on an accepted connection, completing the handshake before
    /// `deadline`.
    pub fn accept(
        tcp: TcpStream,
        config: Arc<rustls::ServerConfig>,
        deadline: Option<Instant>,
    ) -> Result<TlsStream, NetError> {
        let conn = rustls::ServerConnection::new(config).map_err(tls_error)?;
        let mut stream = TlsStream {
            tcp,
            conn: conn.into(),
            eof: false,
        };
        stream.handshake(deadline)?;
        Ok(stream)
    }

    fn handshake(&mut self, deadline: Option<Instant>) -> Result<(), NetError> {
        while self.conn.is_handshaking() {
            self.flush(deadline)?;
            if self.conn.is_handshaking() && self.conn.wants_read() && self.fill(deadline)? == 0 {
                return Err(NetError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed during the TLS handshake",
                )));
            }
        }
        self.flush(deadline)
    }

    /// Sends every pending TLS record.
    fn flush(&mut self, deadline: Option<Instant>) -> Result<(), NetError> {
        while self.conn.wants_write() {
            let mut socket = Socket {
                tcp: &mut self.tcp,
                deadline,
            };
            self.conn.write_tls(&mut socket).map_err(unwrap_net)?;
        }
        Ok(())
    }

    /// Reads TLS records from the socket and processes them: the bytes read (0 at the end of
    /// the socket's stream).
    fn fill(&mut self, deadline: Option<Instant>) -> Result<usize, NetError> {
        let mut socket = Socket {
            tcp: &mut self.tcp,
            deadline,
        };
        let n = self.conn.read_tls(&mut socket).map_err(unwrap_net)?;
        if n == 0 {
            self.eof = true;
        }
        let processed = self.conn.process_new_packets();
        if let Err(e) = processed {
            // Tell the peer why (an alert) before failing.
            let _ = self.flush(deadline);
            return Err(tls_error(e));
        }
        Ok(n)
    }

    /// Reads decrypted bytes into `buf` (waiting for some until `deadline`): the number read,
    /// 0 at the end of the stream.
    pub fn read(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        loop {
            match self.conn.reader().read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                // The peer closed the socket without close_notify: treat as the end (HTTP
                // framing tells a truncated body apart).
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) => return Err(NetError::Io(e)),
            }
            if self.eof {
                return Ok(0);
            }
            self.flush(deadline)?;
            self.fill(deadline)?;
        }
    }

    /// Writes all of `buf` (encrypted) before `deadline`.
    pub fn write_all(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError> {
        self.conn.writer().write_all(buf).map_err(NetError::Io)?;
        self.flush(deadline)
    }

    /// Writes `buf` (all of it, see [`write_all`](Self::write_all)): the number of bytes.
    pub fn write(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        self.write_all(buf, deadline)?;
        Ok(buf.len())
    }

    /// Sends close_notify and shuts down the socket's writing half.
    pub fn shutdown(&mut self, deadline: Option<Instant>) -> Result<(), NetError> {
        self.conn.send_close_notify();
        self.flush(deadline)?;
        self.tcp.shutdown(Shutdown::Write)
    }

    /// The underlying TCP stream (addresses, nodelay).
    pub fn tcp(&self) -> &TcpStream {
        &self.tcp
    }
}
