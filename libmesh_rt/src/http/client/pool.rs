//! `Http.client` (stdlib §19): keep-alive connection pools, one per client, in a process-wide
//! table so a client value (an id) can be shared between processes. `send_with` takes an idle
//! connection to the request's origin (or opens one), and gives it back when the response
//! allowed reuse; a pooled connection that the server closed meanwhile (the request fails
//! before any response byte) is retried once on a new connection. Idle connections older than
//! 30 s are dropped. `client_close` drops the idle connections and makes later use fail with
//! `client closed`; a connection in use when the client closes is closed after its response.

use super::engine::{Conn, Exchange};
use super::error::TransportError;
use super::request::HttpRequest;
use super::response::ClientResponse;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an idle pooled connection is kept.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Most idle connections kept per origin.
const MAX_IDLE_PER_ORIGIN: usize = 8;

struct Pool {
    closed: bool,
    idle: Vec<(String, Instant, Conn)>,
    /// Connections opened (for tests: keep-alive reuse is observable).
    opened: u64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static CLIENTS: Mutex<Option<HashMap<u64, Pool>>> = Mutex::new(None);

fn with_clients<R>(f: impl FnOnce(&mut HashMap<u64, Pool>) -> R) -> R {
    let mut guard = CLIENTS.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// `Http.client()`: a new pool's id.
pub fn client() -> u64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    with_clients(|clients| {
        clients.insert(
            id,
            Pool {
                closed: false,
                idle: Vec::new(),
                opened: 0,
            },
        )
    });
    id
}

/// `Http.client_close(c)`: drops the idle connections; later use fails.
pub fn close(id: u64) {
    let idle = with_clients(|clients| match clients.get_mut(&id) {
        Some(pool) => {
            pool.closed = true;
            std::mem::take(&mut pool.idle)
        }
        None => Vec::new(),
    });
    // Closed outside the table's lock.
    drop(idle);
}

/// Connections the client has opened so far.
pub fn opened(id: u64) -> u64 {
    with_clients(|clients| clients.get(&id).map_or(0, |pool| pool.opened))
}

/// An idle connection to `origin`, `Err` if the client is closed or unknown.
fn take(id: u64, origin: &str) -> Result<Option<Conn>, String> {
    let expired = Instant::now() - IDLE_TIMEOUT;
    let (found, dropped) = with_clients(|clients| {
        let pool = match clients.get_mut(&id) {
            Some(pool) if !pool.closed => pool,
            _ => return Err(TransportError::ClientClosed.to_string()),
        };
        let (keep, dropped): (Vec<_>, Vec<_>) = std::mem::take(&mut pool.idle)
            .into_iter()
            .partition(|(_, since, _)| *since > expired);
        pool.idle = keep;
        let found = pool
            .idle
            .iter()
            .rposition(|(o, _, _)| o == origin)
            .map(|i| pool.idle.remove(i).2);
        Ok((found, dropped))
    })?;
    drop(dropped);
    Ok(found)
}

fn count_open(id: u64) {
    with_clients(|clients| {
        if let Some(pool) = clients.get_mut(&id) {
            pool.opened += 1;
        }
    });
}

fn give_back(id: u64, origin: String, conn: Conn) {
    let refused = with_clients(|clients| match clients.get_mut(&id) {
        Some(pool) if !pool.closed => {
            if pool.idle.iter().filter(|(o, _, _)| *o == origin).count() >= MAX_IDLE_PER_ORIGIN {
                return Some(conn);
            }
            pool.idle.push((origin, Instant::now(), conn));
            None
        }
        _ => Some(conn),
    });
    drop(refused);
}

/// `Http.send_with(c, req)`.
pub fn send_with(id: u64, req: &HttpRequest) -> Result<ClientResponse, String> {
    let open = with_clients(|clients| clients.get(&id).is_some_and(|pool| !pool.closed));
    if !open {
        return Err(TransportError::ClientClosed.to_string());
    }
    let exchange = Exchange::new(req, true)?;
    let origin = exchange.origin();
    if let Some(mut conn) = take(id, &origin)? {
        match exchange.collect(&mut conn) {
            Ok((response, reusable)) => {
                if reusable {
                    give_back(id, origin, conn);
                }
                return Ok(response);
            }
            Err(failure) if !failure.stale => return Err(failure.text),
            // The server closed the idle connection: try a new one.
            Err(_) => {}
        }
    }
    let mut conn = exchange.connect()?;
    count_open(id);
    let (response, reusable) = exchange.collect(&mut conn).map_err(|f| f.text)?;
    if reusable {
        give_back(id, origin, conn);
    }
    Ok(response)
}
