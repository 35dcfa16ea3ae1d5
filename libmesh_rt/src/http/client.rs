//! The pure part of the HTTP client (stdlib §19): URLs, the immutable `HttpRequest` builder and
//! its encoding, and the incremental response parser (Content-Length, chunked and
//! close-delimited bodies, delivered in chunks of at most 8 KiB for `Http.stream`) are pure;
//! `engine.rs` (DNS, sockets, TLS, deadlines over `net/`) and `pool.rs` (`Http.client`'s
//! keep-alive pools) do the I/O, parking only the calling process.

mod chunked;
pub mod engine;
pub mod error;
pub mod pool;
pub mod request;
pub mod response;
pub mod stream;
pub mod url;

pub use error::{legacy_result, TransportError};
pub use request::{HttpRequest, Method};
pub use response::{
    parse_response, ClientEvent, ClientResponse, ResponseError, ResponseHead, ResponseParser,
};
pub use url::{Scheme, Url, UrlError};
