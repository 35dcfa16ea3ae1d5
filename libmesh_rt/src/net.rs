//! Networking: the poller (`poller.rs`: epoll through mio; readiness wakes parked processes,
//! and an idle worker sleeps in it) and TCP (`tcp.rs`: listen, accept, connect, read, write
//! with deadlines; `tls.rs`: rustls over it, client and server), for the HTTP server now and node distribution later.

pub mod poller;
pub mod resolve;
pub mod tcp;
pub mod tls;

pub use tcp::{NetError, TcpListener, TcpStream};
