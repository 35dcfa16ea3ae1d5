//! `meshc cluster status|continuity|diagnostics` (tooling spec §1.8, runtime-cluster §8.1):
//! read-only queries against a running node. This file checks the arguments (target, cookie,
//! `--limit`, `--connect`) with the spec's error texts and prints the answer; the protocol
//! (handshake with purpose `operator`, one query, one reply) is the runtime's
//! `mesh_rt::dist::operator::query`, and the node renders both the JSON and the human form.
//!
//! The cookie is only handed to the handshake as an HMAC key: no message here contains it.

use crate::driver::CliError;
use mesh_rt::dist::env::parse_name;
use mesh_rt::dist::operator::{self, Answer, Deadline, Query, QueryError, QueryKind};
use std::process::ExitCode;

/// Options every subcommand shares.
#[derive(clap::Args, Clone, Debug)]
pub struct Common {
    /// Node identity name@host:port (IPv6 hosts bracketed: standby@[::1]:4370)
    pub target: String,
    /// Shared cluster cookie (default: MESH_CLUSTER_COOKIE)
    #[arg(long)]
    pub cookie: Option<String>,
    /// Query deadline in milliseconds (values below 1 count as 1)
    #[arg(long, default_value_t = 5000, allow_negative_numbers = true)]
    pub timeout_ms: i64,
    /// Pretty-printed JSON instead of key: value lines
    #[arg(long)]
    pub json: bool,
    /// Dial HOST:PORT instead of the target's host (the node is still addressed as TARGET)
    #[arg(long, value_name = "HOST:PORT")]
    pub connect: Option<String>,
}

#[derive(clap::Subcommand, Clone, Debug)]
pub enum ClusterCommand {
    /// Membership and continuity authority of a node
    Status {
        #[command(flatten)]
        common: Common,
    },
    /// Recent continuity records (newest first), or one record by request key
    Continuity {
        #[command(flatten)]
        common: Common,
        /// The request key of one record
        request_key: Option<String>,
        /// At most N records
        #[arg(long, value_name = "N")]
        limit: Option<u64>,
    },
    /// Recent runtime transitions (the diagnostics ring buffer)
    Diagnostics {
        #[command(flatten)]
        common: Common,
        /// At most N entries
        #[arg(long, value_name = "N")]
        limit: Option<u64>,
    },
}

/// The cookie from `--cookie` or `MESH_CLUSTER_COOKIE` (trimmed, as the node trims its own).
fn resolve_cookie(flag: Option<&str>, env: Option<&str>) -> Result<String, String> {
    if let Some(c) = flag {
        let c = c.trim();
        if c.is_empty() {
            return Err("--cookie must not be blank".into());
        }
        return Ok(c.to_string());
    }
    match env {
        None => Err("MESH_CLUSTER_COOKIE is required unless --cookie is given".into()),
        Some(c) if c.trim().is_empty() => Err("MESH_CLUSTER_COOKIE must not be blank".into()),
        Some(c) => Ok(c.trim().to_string()),
    }
}

/// `TARGET` as (host without brackets, port).
fn parse_target(target: &str) -> Result<(String, u16), String> {
    match parse_name(target, true) {
        Ok((_, host, Some(port))) => Ok((unbracket(&host), port)),
        _ => Err(format!(
            "invalid node target '{target}': expected name@host:port"
        )),
    }
}

fn unbracket(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_string()
}

/// `--connect HOST:PORT` (IPv6 bracketed).
fn parse_connect(value: &str) -> Result<(String, u16), String> {
    let bad = || format!("invalid --connect address '{value}': expected HOST:PORT");
    let (host, port) = value.rsplit_once(':').ok_or_else(bad)?;
    let unbracketed = unbracket(host);
    let bracketed = host.starts_with('[') && host.ends_with(']');
    if unbracketed.is_empty()
        || (unbracketed.contains(':') && !bracketed)
        || (bracketed && unbracketed.parse::<std::net::Ipv6Addr>().is_err())
        || unbracketed.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.chars().all(|c| c.is_ascii_digit()) => Ok((unbracketed, p)),
        _ => Err(bad()),
    }
}

/// `meshc cluster …`.
pub fn run(command: &ClusterCommand) -> Result<ExitCode, CliError> {
    let (common, kind, key, limit) = match command {
        ClusterCommand::Status { common } => (common, QueryKind::Status, None, None),
        ClusterCommand::Continuity {
            common,
            request_key,
            limit,
        } => match request_key {
            Some(key) => (
                common,
                QueryKind::ContinuityLookup,
                Some(key.clone()),
                *limit,
            ),
            None => (common, QueryKind::ContinuityList, None, *limit),
        },
        ClusterCommand::Diagnostics { common, limit } => {
            (common, QueryKind::Diagnostics, None, *limit)
        }
    };
    let target = common.target.as_str();
    let (host, port) = parse_target(target).map_err(CliError::new)?;
    if kind == QueryKind::ContinuityLookup && limit.is_some() {
        return Err(CliError::new("--limit cannot be used with a request key"));
    }
    let env_cookie = std::env::var("MESH_CLUSTER_COOKIE").ok();
    let cookie =
        resolve_cookie(common.cookie.as_deref(), env_cookie.as_deref()).map_err(CliError::new)?;
    let (host, port) = match &common.connect {
        Some(c) => parse_connect(c).map_err(CliError::new)?,
        None => (host, port),
    };
    let failed =
        |reason: &str| CliError::new(format!("cluster query to {target} failed: {reason}"));
    let deadline = Deadline::after_ms(u64::try_from(common.timeout_ms.max(1)).unwrap_or(1));
    let query = Query::new(kind, key.clone(), limit);
    let answer = operator::resolve(&host, port, &deadline)
        .and_then(|addrs| operator::query(target, &addrs, cookie.as_bytes(), &query, &deadline));
    match answer {
        Ok(Answer::Ok { json, human }) => {
            let text = if common.json { json } else { human };
            // The human forms end with a newline; the JSON text does not.
            if text.ends_with('\n') {
                print!("{text}");
            } else {
                println!("{text}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Ok(Answer::Err(reason)) | Err(QueryError::Remote(reason)) => {
            if reason == "request_key_not_found" {
                Err(CliError::new(format!(
                    "no continuity record '{}' on {target}",
                    key.unwrap_or_default()
                )))
            } else {
                Err(failed(&format!("the node refused the query: {reason}")))
            }
        }
        Err(QueryError::Failed(reason)) => Err(failed(&reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_resolution_texts() {
        assert_eq!(resolve_cookie(Some(" c "), None), Ok("c".into()));
        assert_eq!(resolve_cookie(Some("c"), Some("other")), Ok("c".into()));
        assert_eq!(
            resolve_cookie(Some("  "), Some("env")),
            Err("--cookie must not be blank".into())
        );
        assert_eq!(
            resolve_cookie(None, None),
            Err("MESH_CLUSTER_COOKIE is required unless --cookie is given".into())
        );
        assert_eq!(
            resolve_cookie(None, Some(" \t")),
            Err("MESH_CLUSTER_COOKIE must not be blank".into())
        );
        assert_eq!(resolve_cookie(None, Some("env")), Ok("env".into()));
    }

    #[test]
    fn targets() {
        assert_eq!(
            parse_target("a@127.0.0.1:4370"),
            Ok(("127.0.0.1".into(), 4370))
        );
        assert_eq!(parse_target("standby@[::1]:4370"), Ok(("::1".into(), 4370)));
        assert_eq!(
            parse_target("a@node-1.internal:9"),
            Ok(("node-1.internal".into(), 9))
        );
        for bad in [
            "a@127.0.0.1",
            "127.0.0.1:4370",
            "a@::1:4370",
            "a@h:0",
            "@h:1",
            "a@h:x",
            "",
        ] {
            assert_eq!(
                parse_target(bad),
                Err(format!(
                    "invalid node target '{bad}': expected name@host:port"
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn connect_addresses() {
        assert_eq!(parse_connect("127.0.0.1:1"), Ok(("127.0.0.1".into(), 1)));
        assert_eq!(parse_connect("[::1]:4370"), Ok(("::1".into(), 4370)));
        assert_eq!(parse_connect("db:5"), Ok(("db".into(), 5)));
        for bad in ["::1:4370", "h", "h:0", ":5", "[zz]:1", "h:+1"] {
            assert!(parse_connect(bad).is_err(), "{bad}");
        }
    }
}
