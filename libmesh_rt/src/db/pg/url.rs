//! PostgreSQL connection URLs (stdlib spec §23):
//! `postgres://user[:password]@host[:port][/database][?sslmode=disable|prefer|require]`.
//! The error texts are the spec's. The password never appears in `Debug` output or errors.

use std::fmt;

/// Whether to use TLS (`prefer`: if the server offers it; unknown values mean `prefer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
}

/// A parsed connection URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub database: String,
    pub sslmode: SslMode,
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Url")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("sslmode", &self.sslmode)
            .finish()
    }
}

impl Url {
    /// Parses `text` or returns the spec's error sentence.
    pub fn parse(text: &str) -> Result<Url, String> {
        let rest = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
            .ok_or("URL must start with postgres:// or postgresql://")?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        // The user info ends at the last '@' (an unencoded '@' in a password still works).
        let at = rest.rfind('@').ok_or("URL missing '@' separator")?;
        let (userinfo, hostpart) = (&rest[..at], &rest[at + 1..]);
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (decode(u)?, Some(decode(p)?)),
            None => (decode(userinfo)?, None),
        };
        let (hostport, database) = match hostpart.split_once('/') {
            Some((h, d)) => (h, decode(d)?),
            None => (hostpart, String::new()),
        };
        let (host, port) = split_host_port(hostport)?;
        if host.is_empty() {
            return Err("URL missing host".to_string());
        }
        let mut sslmode = SslMode::Prefer;
        for pair in query.unwrap_or("").split('&') {
            if let Some(v) = pair.strip_prefix("sslmode=") {
                sslmode = match v {
                    "disable" => SslMode::Disable,
                    "require" => SslMode::Require,
                    _ => SslMode::Prefer,
                };
            }
        }
        let database = if database.is_empty() {
            user.clone()
        } else {
            database
        };
        Ok(Url {
            user,
            password,
            host,
            port,
            database,
            sslmode,
        })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to 5432.
fn split_host_port(s: &str) -> Result<(String, u16), String> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, rest)) => (h, rest.strip_prefix(':')),
            None => (v6, None),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port = match port {
        None => 5432,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|n| *n != 0)
            .ok_or_else(|| format!("invalid port: {p}"))?,
    };
    Ok((host.to_string(), port))
}

/// Percent-decoding of one URL component (UTF-8 required).
fn decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "URL contains invalid percent-encoding".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_parts_and_defaults() {
        let u = Url::parse("postgres://al%40ice:p%3Ass@db.example:6543/my%20db?sslmode=require")
            .expect("parses");
        assert_eq!(u.user, "al@ice");
        assert_eq!(u.password.as_deref(), Some("p:ss"));
        assert_eq!((u.host.as_str(), u.port), ("db.example", 6543));
        assert_eq!(u.database, "my db");
        assert_eq!(u.sslmode, SslMode::Require);
        let d = Url::parse("postgresql://bob@localhost").expect("parses");
        assert_eq!((d.port, d.database.as_str()), (5432, "bob"));
        assert_eq!((d.password, d.sslmode), (None, SslMode::Prefer));
        let v6 = Url::parse("postgres://u@[::1]:7/x?sslmode=bogus").expect("parses");
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.sslmode),
            ("::1", 7, SslMode::Prefer)
        );
        let raw_at = Url::parse("postgres://u:p@ss@h/d").expect("parses");
        assert_eq!(raw_at.password.as_deref(), Some("p@ss"));
    }

    #[test]
    fn errors_are_the_spec_sentences() {
        let e = |s: &str| Url::parse(s).expect_err("fails");
        assert_eq!(
            e("mysql://u@h/d"),
            "URL must start with postgres:// or postgresql://"
        );
        assert_eq!(e("postgres://localhost/db"), "URL missing '@' separator");
        assert_eq!(e("postgres://u@h:99999/d"), "invalid port: 99999");
        assert_eq!(e("postgres://u@h:abc/d"), "invalid port: abc");
    }

    #[test]
    fn debug_hides_the_password() {
        let u = Url::parse("postgres://u:hunter2@h/d").expect("parses");
        assert!(!format!("{u:?}").contains("hunter2"));
    }
}
