//! Bootstrap decisions (runtime-cluster §2.1–§2.2, §2.4): what `Node.start_from_env()` does,
//! decided from the environment alone (no sockets), so every rule and error text is a unit
//! test. `node.rs` then starts the node the plan describes.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The default cluster port.
pub const DEFAULT_PORT: u16 = 4370;
/// The default discovery period (ms).
pub const DEFAULT_DISCOVERY_INTERVAL_MS: u64 = 5_000;
/// The default silence after which a peer is lost (ms).
pub const DEFAULT_DOWN_AFTER_MS: u64 = 5_000;
/// The default retention bound of continuity records.
pub const DEFAULT_MAX_RECORDS: u64 = 10_000;

/// Reads one variable: `Ok(None)` when unset, `Err(())` when not valid UTF-8.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Result<Option<String>, ()>;

/// The continuity role a node starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Primary,
    Standby,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Standby => "standby",
        }
    }
}

/// Tunables read from the environment (§2.4; non-positive or malformed values fall back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub role: Role,
    pub epoch: u64,
    /// `MESH_STARTUP_WORK_DELAY_MS` (None: unset or ignored).
    pub startup_work_delay_ms: Option<u64>,
    /// `MESH_DISCOVERY_INTERVAL_MS`: Ok(period) or Err(why discovery is disabled).
    pub discovery_interval_ms: Result<u64, String>,
    pub max_records: u64,
    /// `MESH_NODE_DOWN_AFTER_MS`.
    pub down_after_ms: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            role: Role::Primary,
            epoch: 0,
            startup_work_delay_ms: None,
            discovery_interval_ms: Ok(DEFAULT_DISCOVERY_INTERVAL_MS),
            max_records: DEFAULT_MAX_RECORDS,
            down_after_ms: DEFAULT_DOWN_AFTER_MS,
        }
    }
}

/// What `Node.start_from_env()` is to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    Standalone {
        port: u16,
    },
    Cluster {
        /// The identity `name@host:port`.
        name: String,
        /// The host part as written in the identity (bracketed for IPv6).
        host: String,
        port: u16,
        seed: String,
        cookie: Secret,
        settings: Settings,
    },
}

/// The cluster cookie: its `Debug` form never shows it (no output ever contains it).
#[derive(PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A variable trimmed, blank as `None`; invalid UTF-8 is its error.
fn read(env: Lookup, name: &str) -> Result<Option<String>, String> {
    match env(name) {
        Ok(v) => Ok(v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())),
        Err(()) => Err(format!("{name} must be valid UTF-8")),
    }
}

/// The positive integer of a tunable (None: unset, non-positive or malformed).
fn positive(env: Lookup, name: &str) -> Result<Option<u64>, String> {
    Ok(read(env, name)?
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|n| u64::try_from(n).ok())
        .filter(|&n| n > 0))
}

/// The decision procedure of runtime-cluster §2.1 (steps 1–7; step 8, starting, is
/// `node.rs`'s). `hostname` gives the system host name (read only when identity needs it).
pub fn plan(env: Lookup, hostname: &dyn Fn() -> String) -> Result<Plan, String> {
    // Step 1.
    let port_var = read(env, "MESH_CLUSTER_PORT")?;
    let configured_port = match &port_var {
        None => None,
        Some(v) => match v.parse::<u16>() {
            Ok(p) if p > 0 => Some(p),
            _ => return Err("Invalid MESH_CLUSTER_PORT: expected a positive integer".into()),
        },
    };
    let cookie = read(env, "MESH_CLUSTER_COOKIE")?;
    let seed = read(env, "MESH_DISCOVERY_SEED")?;
    let node_name = read(env, "MESH_NODE_NAME")?;
    let node_host = read(env, "MESH_NODE_HOST")?;
    let mut fly = Vec::new();
    for var in FLY_VARS {
        fly.push(read(env, var)?);
    }
    let hint = seed.is_some()
        || node_name.is_some()
        || node_host.is_some()
        || fly.iter().any(Option::is_some);
    // Steps 2–3.
    let Some(cookie) = cookie else {
        if hint {
            return Err(
                "MESH_CLUSTER_COOKIE is required when discovery or identity env is set".into(),
            );
        }
        return Ok(Plan::Standalone {
            port: configured_port.unwrap_or(DEFAULT_PORT),
        });
    };
    // Step 4.
    let Some(seed) = seed else {
        return Err("Missing required environment variable MESH_DISCOVERY_SEED".into());
    };
    // Steps 5–6.
    let role = match read(env, "MESH_CONTINUITY_ROLE")?.as_deref() {
        None | Some("primary") => Role::Primary,
        Some("standby") => Role::Standby,
        Some(_) => return Err("Invalid MESH_CONTINUITY_ROLE: expected primary or standby".into()),
    };
    let epoch = match read(env, "MESH_CONTINUITY_PROMOTION_EPOCH")? {
        None => 0,
        Some(v) => match v.parse::<u64>() {
            Ok(e) if !v.starts_with('+') => e,
            _ => {
                return Err(
                    "Invalid MESH_CONTINUITY_PROMOTION_EPOCH: expected a non-negative integer"
                        .into(),
                )
            }
        },
    };
    // Step 7.
    let (name, host, port) = identity(node_name, node_host, &fly, configured_port, hostname)?;
    let discovery_interval_ms = match read(env, "MESH_DISCOVERY_INTERVAL_MS")? {
        None => Ok(DEFAULT_DISCOVERY_INTERVAL_MS),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n > 0 => Ok(n as u64),
            Ok(_) => Err("MESH_DISCOVERY_INTERVAL_MS is not positive".to_string()),
            Err(_) => Err("MESH_DISCOVERY_INTERVAL_MS is not an integer".to_string()),
        },
    };
    let settings = Settings {
        role,
        epoch,
        startup_work_delay_ms: positive(env, "MESH_STARTUP_WORK_DELAY_MS")?,
        discovery_interval_ms,
        max_records: positive(env, "MESH_CONTINUITY_MAX_RECORDS")?.unwrap_or(DEFAULT_MAX_RECORDS),
        down_after_ms: positive(env, "MESH_NODE_DOWN_AFTER_MS")?.unwrap_or(DEFAULT_DOWN_AFTER_MS),
    };
    Ok(Plan::Cluster {
        name,
        host,
        port,
        seed,
        cookie: Secret(cookie),
        settings,
    })
}

const FLY_VARS: [&str; 4] = [
    "FLY_APP_NAME",
    "FLY_REGION",
    "FLY_MACHINE_ID",
    "FLY_PRIVATE_IP",
];

/// Identity resolution (§2.2): (name, host, port).
fn identity(
    node_name: Option<String>,
    node_host: Option<String>,
    fly: &[Option<String>],
    configured_port: Option<u16>,
    hostname: &dyn Fn() -> String,
) -> Result<(String, String, u16), String> {
    if let Some(explicit) = node_name {
        let (_, host, port) =
            parse_name(&explicit, true).map_err(|e| format!("Invalid MESH_NODE_NAME: {e}"))?;
        let port = port.unwrap_or(DEFAULT_PORT);
        // Decision: without MESH_CLUSTER_PORT the name's port is the cluster port.
        if configured_port.is_some_and(|c| c != port) {
            return Err("Invalid MESH_NODE_NAME: port must match MESH_CLUSTER_PORT".into());
        }
        return Ok((explicit, host, port));
    }
    let port = configured_port.unwrap_or(DEFAULT_PORT);
    if fly.iter().any(Option::is_some) {
        let [Some(app), Some(region), Some(machine), Some(ip)] = fly else {
            return Err("Invalid cluster identity: Fly cluster identity requires FLY_APP_NAME, FLY_REGION, FLY_MACHINE_ID, and FLY_PRIVATE_IP".into());
        };
        let host = normalise_host(ip);
        return Ok((
            format!("{app}-{region}-{machine}@{host}:{port}"),
            host,
            port,
        ));
    }
    let system = hostname().trim().to_string();
    if system.is_empty() {
        return Err("Invalid cluster identity: system hostname is blank".into());
    }
    if !system
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        return Err("Invalid cluster identity: system hostname contains invalid characters".into());
    }
    let host = match node_host {
        None => system.clone(),
        Some(h) => {
            if h.contains('@') {
                return Err("Invalid cluster identity: advertised host cannot contain @".into());
            }
            if h.starts_with('[') != h.ends_with(']')
                || h.matches('[').count() > 1
                || h.matches(']').count() > 1
            {
                return Err(
                    "Invalid cluster identity: advertised host has unbalanced brackets".into(),
                );
            }
            if h == "[]"
                || h.contains(char::is_whitespace) && h.trim_matches(['[', ']', ' ']).is_empty()
            {
                return Err("Invalid cluster identity: advertised host cannot be blank".into());
            }
            normalise_host(&h)
        }
    };
    Ok((format!("{system}@{host}:{port}"), host, port))
}

/// Brackets an IPv6 host that is not bracketed yet.
fn normalise_host(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Parses `name@host:port` (`name@host` when `port_required` is false) into (name, host as
/// written, port). The error is the text after `Invalid MESH_NODE_NAME: `.
pub fn parse_name(
    value: &str,
    port_required: bool,
) -> Result<(String, String, Option<u16>), &'static str> {
    if value.chars().any(char::is_whitespace) {
        return Err("value cannot contain spaces");
    }
    let mut parts = value.split('@');
    let (Some(name), Some(rest), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected name@host:port");
    };
    if name.is_empty() {
        return Err("node name cannot be blank");
    }
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err("expected name@host:port");
        };
        let (addr, after) = (&inner[..close], &inner[close + 1..]);
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() && !port_required => None,
            None => return Err("expected name@host:port"),
        };
        if addr.is_empty() {
            return Err("host cannot be blank");
        }
        if addr.parse::<Ipv6Addr>().is_err() {
            return Err("host is invalid");
        }
        (format!("[{addr}]"), port)
    } else {
        let colons = rest.matches(':').count();
        let (host, port) = match colons {
            0 if !port_required => (rest, None),
            1 => rest
                .split_once(':')
                .map(|(h, p)| (h, Some(p)))
                .ok_or("expected name@host:port")?,
            _ if rest
                .rsplit_once(':')
                .is_some_and(|(h, _)| h.parse::<Ipv6Addr>().is_ok())
                || rest.parse::<Ipv6Addr>().is_ok() =>
            {
                return Err("IPv6 host must use [addr]:port")
            }
            _ => return Err("expected name@host:port"),
        };
        if host.is_empty() {
            return Err("host cannot be blank");
        }
        let dns = host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !l.starts_with('-')
        });
        if !(dns || host.parse::<Ipv4Addr>().is_ok()) || host.len() > 253 {
            return Err("host is invalid");
        }
        (host.to_string(), port)
    };
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err("port must be a positive integer"),
        },
    };
    Ok((name.to_string(), host, port))
}

/// Whether `name` is a valid node identity `name@host:port` (§1).
pub fn valid_identity(name: &str) -> bool {
    matches!(parse_name(name, true), Ok((_, _, Some(_))))
}

/// The system host name (`/proc/sys/kernel/hostname`, else `/etc/hostname`).
pub fn system_hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
