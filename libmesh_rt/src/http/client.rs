//! The pure part of the HTTP client (stdlib §19): URLs, the immutable `HttpRequest` builder and
//! its encoding, and the incremental response parser (Content-Length, chunked and
//! close-delimited bodies, delivered in chunks of at most 8 KiB for `Http.stream`). Sockets,
//! DNS, TLS, timeouts and the connection pool are the runtime's, on top of this.

mod chunked;
pub mod error;
pub mod request;
pub mod response;
pub mod url;

pub use error::{legacy_result, TransportError};
pub use request::{HttpRequest, Method};
pub use response::{
    parse_response, ClientEvent, ClientResponse, ResponseError, ResponseHead, ResponseParser,
};
pub use url::{Scheme, Url, UrlError};
