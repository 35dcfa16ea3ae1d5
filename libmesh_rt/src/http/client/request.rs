//! The immutable `HttpRequest` of stdlib §19: each builder returns an updated copy, and
//! `encode` turns it into request bytes for one connection.

use super::url::{Url, UrlError};
use crate::http::percent;
use crate::http::response::is_safe_field;

/// The method a request was built with (`Http.build`'s atom, case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    /// Any other atom: sent as `GET` without a body, `POST` with one.
    Other,
}

/// A request value (`Http.build` and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// Headers in the order added; repeats allowed.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Whole-request deadline (`Http.timeout`).
    pub timeout_ms: u64,
}

/// `Http.timeout`'s default.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;

/// The `User-Agent` sent unless the request names one.
pub const USER_AGENT: &str = concat!("mesh/", env!("CARGO_PKG_VERSION"));

impl Method {
    /// The method named by an atom (`:get`, `:POST`, …).
    pub fn from_atom(name: &str) -> Method {
        match name.to_ascii_lowercase().as_str() {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "patch" => Method::Patch,
            "delete" => Method::Delete,
            "head" => Method::Head,
            "options" => Method::Options,
            _ => Method::Other,
        }
    }

    /// A name that `from_atom` maps back to this method.
    fn name(self) -> &'static str {
        match self {
            Method::Other => "other",
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
        }
    }

    fn token(self) -> &'static str {
        match self {
            Method::Get | Method::Other => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    fn takes_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

impl HttpRequest {
    /// `Http.build(method, url)`.
    pub fn build(method_atom: &str, url: &str) -> HttpRequest {
        HttpRequest {
            method: Method::from_atom(method_atom),
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// The legacy `HTTP.post(url, body)`: a POST with `Content-Type: application/json`.
    pub fn legacy_post(url: &str, body: &str) -> HttpRequest {
        HttpRequest::build("post", url).json(body)
    }

    /// `Http.header`: appends a header.
    pub fn header(&self, name: &str, value: &str) -> HttpRequest {
        let mut next = self.clone();
        next.headers.push((name.to_owned(), value.to_owned()));
        next
    }

    /// `Http.body`: sets the body.
    pub fn body(&self, body: &str) -> HttpRequest {
        HttpRequest {
            body: Some(body.to_owned()),
            ..self.clone()
        }
    }

    /// `Http.json`: sets the body and `Content-Type: application/json` (replacing an earlier
    /// `Content-Type`).
    pub fn json(&self, body: &str) -> HttpRequest {
        let mut next = self.body(body);
        next.headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        next.headers
            .push(("Content-Type".to_owned(), "application/json".to_owned()));
        next
    }

    /// `Http.query`: appends `name=value`, both percent-encoded, before any fragment.
    pub fn query(&self, name: &str, value: &str) -> HttpRequest {
        let (base, fragment) = match self.url.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (self.url.as_str(), None),
        };
        let separator = if base.contains('?') { '&' } else { '?' };
        let mut url = format!(
            "{base}{separator}{}={}",
            percent::encode(name),
            percent::encode(value)
        );
        if let Some(fragment) = fragment {
            url.push('#');
            url.push_str(fragment);
        }
        HttpRequest {
            url,
            ..self.clone()
        }
    }

    /// `Http.timeout`.
    pub fn timeout(&self, ms: u64) -> HttpRequest {
        HttpRequest {
            timeout_ms: ms,
            ..self.clone()
        }
    }

    /// The method token sent: a body turns GET/DELETE/HEAD/OPTIONS (and unknown methods) into
    /// POST; an unknown method without a body is GET.
    pub fn effective_method(&self) -> &'static str {
        match (&self.body, self.method) {
            (Some(_), method) if !method.takes_body() => "POST",
            (_, method) => method.token(),
        }
    }

    /// The URL and the request bytes: request line, `Host`, `User-Agent` and `Accept` unless
    /// given, the request's headers in order, `Content-Length` for a body (and `0` for a
    /// bodiless POST/PUT/PATCH), `Connection: close` unless the connection is to be kept.
    /// Headers that cannot be written safely, and `Content-Length`/`Transfer-Encoding`/
    /// `Connection` (framing is ours), are skipped.
    pub fn encode(&self, keep_alive: bool) -> Result<(Url, Vec<u8>), UrlError> {
        let url = Url::parse(&self.url)?;
        let method = self.effective_method();
        let has = |wanted: &str| {
            self.headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case(wanted))
        };
        let mut text = format!("{method} {} HTTP/1.1\r\n", url.target);
        if !has("host") {
            text.push_str(&format!("Host: {}\r\n", url.host_header()));
        }
        if !has("user-agent") {
            text.push_str(&format!("User-Agent: {USER_AGENT}\r\n"));
        }
        if !has("accept") {
            text.push_str("Accept: */*\r\n");
        }
        for (name, value) in &self.headers {
            let framing = ["content-length", "transfer-encoding", "connection"]
                .iter()
                .any(|owned| name.eq_ignore_ascii_case(owned));
            if !framing && is_safe_field(name, value) {
                text.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        let body = self.body.as_deref().unwrap_or("");
        if self.body.is_some() || matches!(method, "POST" | "PUT" | "PATCH") {
            text.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        if !keep_alive {
            text.push_str("Connection: close\r\n");
        }
        text.push_str("\r\n");
        text.push_str(body);
        Ok((url, text.into_bytes()))
    }

    /// The request as the text of a Mesh `HttpRequest` value (a JSON object: an opaque string
    /// like a `Regex`, so it is copied between processes, compared and hashed as text).
    pub fn to_value_text(&self) -> String {
        let headers: Vec<[&str; 2]> = self
            .headers
            .iter()
            .map(|(n, v)| [n.as_str(), v.as_str()])
            .collect();
        serde_json::json!({
            "method": self.method.name(),
            "url": self.url,
            "headers": headers,
            "body": self.body,
            "timeout_ms": self.timeout_ms,
        })
        .to_string()
    }

    /// The request of a text made by [`to_value_text`](Self::to_value_text).
    pub fn from_value_text(text: &str) -> Option<HttpRequest> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let headers = v
            .get("headers")?
            .as_array()?
            .iter()
            .map(|pair| {
                Some((
                    pair.get(0)?.as_str()?.to_owned(),
                    pair.get(1)?.as_str()?.to_owned(),
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(HttpRequest {
            method: Method::from_atom(v.get("method")?.as_str()?),
            url: v.get("url")?.as_str()?.to_owned(),
            headers,
            body: v.get("body")?.as_str().map(str::to_owned),
            timeout_ms: v.get("timeout_ms")?.as_u64()?,
        })
    }

    /// Whether the response to this request has no body whatever its headers say (`HEAD`).
    pub fn is_head(&self) -> bool {
        self.effective_method() == "HEAD"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_text_round_trips_every_field() {
        let request = HttpRequest::build("PATCH", "http://h/x?a=1")
            .header("X-A", "1")
            .header("X-A", "2 \"q\"")
            .json("{\"k\": [1]}")
            .timeout(1234);
        let text = request.to_value_text();
        assert_eq!(HttpRequest::from_value_text(&text), Some(request));
        let other = HttpRequest::build("brew", "http://h/");
        assert_eq!(
            HttpRequest::from_value_text(&other.to_value_text()),
            Some(other)
        );
        assert_eq!(HttpRequest::from_value_text("not json"), None);
    }

    fn wire(request: &HttpRequest) -> String {
        let (_, bytes) = request.encode(false).expect("valid URL");
        String::from_utf8(bytes).expect("requests are text")
    }

    #[test]
    fn a_get_has_host_agent_accept_and_close() {
        let request = HttpRequest::build("get", "http://example.com:8080/items?x=1");
        assert_eq!(
            wire(&request),
            format!("GET /items?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: {USER_AGENT}\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        );
        let (url, bytes) = request.encode(true).expect("valid URL");
        assert_eq!((url.host.as_str(), url.port), ("example.com", 8080));
        assert!(!String::from_utf8_lossy(&bytes).contains("Connection"));
    }

    #[test]
    fn methods_are_case_insensitive_atoms() {
        for (atom, token) in [
            ("GET", "GET"),
            ("Post", "POST"),
            ("put", "PUT"),
            ("patch", "PATCH"),
            ("delete", "DELETE"),
            ("head", "HEAD"),
            ("OPTIONS", "OPTIONS"),
            ("brew", "GET"),
        ] {
            assert_eq!(
                HttpRequest::build(atom, "http://h/").effective_method(),
                token,
                "{atom}"
            );
        }
        assert_eq!(
            HttpRequest::build("brew", "http://h/")
                .body("x")
                .effective_method(),
            "POST"
        );
    }

    #[test]
    fn a_body_turns_bodiless_methods_into_post() {
        for atom in ["get", "delete", "head", "options"] {
            assert_eq!(
                HttpRequest::build(atom, "http://h/")
                    .body("b")
                    .effective_method(),
                "POST",
                "{atom}"
            );
        }
        for (atom, token) in [("post", "POST"), ("put", "PUT"), ("patch", "PATCH")] {
            assert_eq!(
                HttpRequest::build(atom, "http://h/")
                    .body("b")
                    .effective_method(),
                token
            );
        }
    }

    #[test]
    fn bodies_get_a_length_and_json_a_content_type() {
        let request = HttpRequest::build("post", "http://h/")
            .header("content-type", "text/plain")
            .json("{\"a\":1}");
        assert_eq!(
            wire(&request),
            format!("POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: {USER_AGENT}\r\nAccept: */*\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{{\"a\":1}}")
        );
        let empty_post = wire(&HttpRequest::build("post", "http://h/"));
        assert!(
            empty_post.contains("\r\nContent-Length: 0\r\n"),
            "{empty_post}"
        );
    }

    #[test]
    fn user_headers_are_kept_in_order_and_replace_the_defaults() {
        let request = HttpRequest::build("get", "http://h/")
            .header("X-A", "1")
            .header("Host", "other")
            .header("x-a", "2")
            .header("User-Agent", "me")
            .header("Accept", "text/html")
            .header("Content-Length", "5")
            .header("X-Bad", "a\r\nb");
        assert_eq!(wire(&request), "GET / HTTP/1.1\r\nX-A: 1\r\nHost: other\r\nx-a: 2\r\nUser-Agent: me\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    }

    #[test]
    fn query_appends_encoded_pairs() {
        let request = HttpRequest::build("get", "http://h/s")
            .query("q", "a b&c")
            .query("ü", "~x.y_z-");
        assert_eq!(request.url, "http://h/s?q=a%20b%26c&%C3%BC=~x.y_z-");
        assert_eq!(
            HttpRequest::build("get", "http://h/p#top")
                .query("a", "1")
                .url,
            "http://h/p?a=1#top"
        );
        assert_eq!(
            HttpRequest::build("get", "http://h/?").query("a", "1").url,
            "http://h/?&a=1"
        );
    }

    #[test]
    fn builders_return_copies_and_leave_the_original_alone() {
        let base = HttpRequest::build("get", "http://h/");
        let changed = base.header("a", "b").body("x").timeout(5);
        assert_eq!(base, HttpRequest::build("get", "http://h/"));
        assert_eq!(base.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(changed.timeout_ms, 5);
        assert_eq!(changed.body.as_deref(), Some("x"));
    }

    #[test]
    fn invalid_urls_fail_to_encode() {
        let error = HttpRequest::build("get", "nope")
            .encode(false)
            .map(|_| ())
            .map_err(|error| error.to_string());
        assert_eq!(
            error,
            Err("invalid URL: only http:// and https:// URLs are supported".to_owned())
        );
    }

    #[test]
    fn legacy_post_sends_json() {
        let request = HttpRequest::legacy_post("http://h/p", "{}");
        assert_eq!(request.effective_method(), "POST");
        assert_eq!(
            request.headers,
            [("Content-Type".to_owned(), "application/json".to_owned())]
        );
        assert_eq!(request.body.as_deref(), Some("{}"));
    }

    #[test]
    fn head_requests_are_recognised() {
        assert!(HttpRequest::build("HEAD", "http://h/").is_head());
        assert!(!HttpRequest::build("HEAD", "http://h/").body("x").is_head());
    }
}
