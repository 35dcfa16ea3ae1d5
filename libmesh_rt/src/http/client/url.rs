//! Absolute `http://` and `https://` URLs as the client needs them: where to connect, what to
//! send as `Host`, and the request target.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// A parsed URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    /// Host name or address to connect to (IPv6 without brackets).
    pub host: String,
    pub port: u16,
    /// Path and query (`/a?b`), starting with `/`; the fragment is dropped. Bytes not allowed
    /// in a request target (spaces, controls, non-ASCII, `"<>\^`{|}`) are percent-encoded.
    pub target: String,
}

/// Why a URL cannot be requested; shown as the `Err` text of `Http.send`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError {
    pub reason: &'static str,
}

impl fmt::Display for UrlError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "invalid URL: {}", self.reason)
    }
}

impl std::error::Error for UrlError {}

impl Url {
    /// Parses `http[s]://host[:port][/path][?query][#fragment]` (scheme case-insensitive).
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let text = text.trim();
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
            (Scheme::Http, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
            (Scheme::Https, rest)
        } else {
            return Err(error("only http:// and https:// URLs are supported"));
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(error("user information in URLs is not supported"));
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            Some(port) => port,
            None if scheme == Scheme::Https => 443,
            None => 80,
        };
        let without_fragment = rest.split('#').next().unwrap_or("");
        let target = match without_fragment.chars().next() {
            Some('/') => encode_target(without_fragment),
            _ => format!("/{}", encode_target(without_fragment)),
        };
        Ok(Url {
            scheme,
            host,
            port,
            target,
        })
    }

    /// The `Host` header: the host (bracketed if IPv6) and the port unless it is the default.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default_port = match self.scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        };
        if self.port == default_port {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

fn error(reason: &'static str) -> UrlError {
    UrlError { reason }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn split_host_port(authority: &str) -> Result<(String, Option<u16>), UrlError> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or(error("unclosed [ in the host"))?;
        if host.is_empty()
            || !host
                .bytes()
                .all(|byte| byte.is_ascii_hexdigit() || matches!(byte, b':' | b'.'))
        {
            return Err(error("invalid IPv6 address"));
        }
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(after.strip_prefix(':').ok_or(error("invalid port"))?),
            ),
        }
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(error("missing host"));
        }
        if !host
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_'))
        {
            return Err(error("invalid host"));
        }
        (host, port)
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|byte| byte.is_ascii_digit()) => Some(
            digits
                .parse::<u16>()
                .ok()
                .filter(|&port| port != 0)
                .ok_or(error("invalid port"))?,
        ),
        Some(_) => return Err(error("invalid port")),
    };
    Ok((host.to_owned(), port))
}

/// Percent-encodes the bytes a request target may not hold; `%` itself is kept, so existing
/// escapes pass through.
fn encode_target(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        let allowed = character.is_ascii_graphic()
            && !matches!(
                character,
                '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            );
        if allowed {
            out.push(character);
        } else {
            let mut bytes = [0; 4];
            for byte in character.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("valid URL")
    }

    #[test]
    fn urls_split_into_scheme_host_port_and_target() {
        assert_eq!(
            url("http://example.com/a/b?c=d#frag"),
            Url {
                scheme: Scheme::Http,
                host: "example.com".into(),
                port: 80,
                target: "/a/b?c=d".into()
            }
        );
        assert_eq!(url("HTTPS://Example.com").target, "/");
        assert_eq!(url("https://example.com").port, 443);
        assert_eq!(url("http://localhost:8080?x=1").target, "/?x=1");
        assert_eq!(url("http://127.0.0.1:9/").port, 9);
        assert_eq!(url("http://h:/p").port, 80);
        let v6 = url("http://[::1]:3000/x");
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.target.as_str()),
            ("::1", 3000, "/x")
        );
    }

    #[test]
    fn host_headers_omit_default_ports_and_bracket_ipv6() {
        assert_eq!(url("http://a.b/").host_header(), "a.b");
        assert_eq!(url("http://a.b:81/").host_header(), "a.b:81");
        assert_eq!(url("https://a.b:443/").host_header(), "a.b");
        assert_eq!(url("https://a.b:80/").host_header(), "a.b:80");
        assert_eq!(url("http://[::1]/").host_header(), "[::1]");
        assert_eq!(url("http://[::1]:8/").host_header(), "[::1]:8");
    }

    #[test]
    fn targets_are_percent_encoded_where_needed() {
        assert_eq!(
            url("http://h/a b/ü?q=x y&r=%41").target,
            "/a%20b/%C3%BC?q=x%20y&r=%41"
        );
        assert_eq!(url("http://h/{x}|").target, "/%7Bx%7D%7C");
    }

    #[test]
    fn bad_urls_are_errors() {
        for (text, reason) in [
            ("ftp://h/", "only http:// and https:// URLs are supported"),
            (
                "example.com",
                "only http:// and https:// URLs are supported",
            ),
            ("http:///x", "missing host"),
            ("http://u:p@h/", "user information in URLs is not supported"),
            ("http://h:99999/", "invalid port"),
            ("http://h:0/", "invalid port"),
            ("http://h:8a/", "invalid port"),
            ("http://h h/", "invalid host"),
            ("http://[::1/", "unclosed [ in the host"),
            ("http://[zz]/", "invalid IPv6 address"),
            ("http://[::1]x/", "invalid port"),
        ] {
            assert_eq!(Url::parse(text), Err(UrlError { reason }), "{text}");
        }
        assert_eq!(
            Url::parse("gopher://x").map_err(|error| error.to_string()),
            Err("invalid URL: only http:// and https:// URLs are supported".into())
        );
    }
}
