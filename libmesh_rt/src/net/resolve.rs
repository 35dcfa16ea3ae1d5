//! Host name resolution for every client of the runtime (HTTP client, PostgreSQL, node
//! connections, DNS discovery).
//!
//! A dynamically linked program asks the system resolver (glibc's getaddrinfo, so
//! `/etc/nsswitch.conf`, mDNS or systemd-resolved apply). A fully static program
//! (`meshc build --static`) cannot: getaddrinfo loads NSS modules (`libnss_dns.so`, …) at run
//! time, and an empty `FROM scratch` container has none, so every name but `localhost` fails.
//! Such a program resolves names itself, the way the files and dns NSS modules would: first
//! `/etc/hosts`, then A and AAAA queries over UDP to each `nameserver` of `/etc/resolv.conf`
//! (the name as given, then with each `search` domain). Docker writes both files into every
//! container, and its embedded server (127.0.0.11) answers for service names and network
//! aliases.
//!
//! `MESH_RESOLVER=builtin|system` forces one of the two (tests; operators who know better).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Per-server wait for an answer; two rounds over the servers.
const QUERY_TIMEOUT: Duration = Duration::from_millis(1500);
const ROUNDS: usize = 2;

/// The addresses of `host` with `port`. Blocks (DNS): call it on the blocking pool.
pub fn lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    if use_builtin() {
        let ips = builtin_lookup(bare)?;
        return Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect());
    }
    (bare, port)
        .to_socket_addrs()
        .map(|a| a.collect())
        .map_err(|e| e.to_string())
}

/// Whether names are resolved without glibc's NSS: forced by `MESH_RESOLVER`, else when
/// this executable is statically linked.
fn use_builtin() -> bool {
    static BUILTIN: OnceLock<bool> = OnceLock::new();
    *BUILTIN.get_or_init(|| match std::env::var("MESH_RESOLVER").as_deref() {
        Ok("builtin") => true,
        Ok("system") => false,
        _ => is_static_executable(),
    })
}

/// True when the running executable has no program interpreter (no `PT_INTERP` program
/// header): it was linked statically and no dynamic loader can bring in NSS modules.
pub fn is_static_executable() -> bool {
    const AT_PHDR: u64 = 3;
    const AT_PHNUM: u64 = 5;
    const PT_INTERP: u32 = 3;
    extern "C" {
        fn getauxval(kind: u64) -> u64;
    }
    // SAFETY: getauxval reads the process's auxiliary vector; it has no preconditions.
    let (phdr, phnum) = unsafe { (getauxval(AT_PHDR), getauxval(AT_PHNUM)) };
    if phdr == 0 || phnum == 0 {
        return false;
    }
    // An ELF64 program header is 56 bytes; p_type is its first 32-bit word.
    (0..phnum).all(|i| {
        let entry = (phdr + i * 56) as *const u32;
        // SAFETY: AT_PHDR/AT_PHNUM describe the program headers the kernel mapped for this
        // process; they stay mapped and readable for its whole life.
        unsafe { entry.read_unaligned() != PT_INTERP }
    })
}

/// `/etc/hosts`, then DNS with the settings of `/etc/resolv.conf`.
fn builtin_lookup(name: &str) -> Result<Vec<IpAddr>, String> {
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    let found = hosts_lookup(&hosts, name);
    if !found.is_empty() {
        return Ok(found);
    }
    if name.eq_ignore_ascii_case("localhost") {
        return Ok(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
    }
    let conf = ResolvConf::parse(&std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default());
    dns_lookup(name, &conf)
}

/// The addresses `/etc/hosts` (its text) gives `name`, in file order.
pub fn hosts_lookup(hosts: &str, name: &str) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(ip) = fields.next().and_then(|a| a.parse::<IpAddr>().ok()) else {
            continue;
        };
        if fields.any(|n| n.eq_ignore_ascii_case(name)) && !out.contains(&ip) {
            out.push(ip);
        }
    }
    out
}

/// The parts of resolv.conf(5) the resolver uses.
#[derive(Debug, Default, PartialEq)]
pub struct ResolvConf {
    pub nameservers: Vec<SocketAddr>,
    pub search: Vec<String>,
    pub ndots: usize,
}

impl ResolvConf {
    pub fn parse(text: &str) -> ResolvConf {
        let mut conf = ResolvConf {
            ndots: 1,
            ..ResolvConf::default()
        };
        for line in text.lines() {
            let line = line.split(['#', ';']).next().unwrap_or("");
            let mut fields = line.split_whitespace();
            match fields.next() {
                Some("nameserver") => {
                    if let Some(ip) = fields.next().and_then(|a| a.parse::<IpAddr>().ok()) {
                        conf.nameservers.push(SocketAddr::new(ip, 53));
                    }
                }
                Some("search") | Some("domain") => {
                    conf.search = fields
                        .map(|d| d.trim_end_matches('.').to_string())
                        .collect();
                }
                Some("options") => {
                    for option in fields {
                        if let Some(n) = option.strip_prefix("ndots:") {
                            conf.ndots = n.parse().unwrap_or(1).min(15);
                        }
                    }
                }
                _ => {}
            }
        }
        if conf.nameservers.is_empty() {
            conf.nameservers
                .push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53));
        }
        conf
    }

    /// The names to query for `name`, in order (resolv.conf(5)'s ndots rule).
    pub fn candidates(&self, name: &str) -> Vec<String> {
        let name = name.trim_end_matches('.');
        if name.is_empty() {
            return Vec::new();
        }
        let searched = self.search.iter().map(|d| format!("{name}.{d}"));
        let dots = name.matches('.').count();
        if dots >= self.ndots {
            std::iter::once(name.to_string()).chain(searched).collect()
        } else {
            searched.chain(std::iter::once(name.to_string())).collect()
        }
    }
}

/// A and AAAA records of the first candidate name that has any.
pub fn dns_lookup(name: &str, conf: &ResolvConf) -> Result<Vec<IpAddr>, String> {
    let mut last_error = "no address".to_string();
    for candidate in conf.candidates(name) {
        let mut found = Vec::new();
        for qtype in [TYPE_A, TYPE_AAAA] {
            match query(&candidate, qtype, &conf.nameservers) {
                Ok(ips) => found.extend(ips),
                Err(e) => last_error = e,
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Err(last_error)
}

const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;

/// One question to the servers in turn until one answers. An authoritative "no such name"
/// or an empty answer is an answer (no address), not a reason to ask the next server.
fn query(name: &str, qtype: u16, servers: &[SocketAddr]) -> Result<Vec<IpAddr>, String> {
    let id = query_id();
    let packet = encode_query(id, name, qtype)?;
    let mut last_error = "no name server answered".to_string();
    for _ in 0..ROUNDS {
        for server in servers {
            match ask(server, &packet, id) {
                Ok(reply) => return decode_answer(&reply, qtype),
                Err(e) => last_error = format!("name server {server}: {e}"),
            }
        }
    }
    Err(last_error)
}

fn ask(server: &SocketAddr, packet: &[u8], id: u16) -> Result<Vec<u8>, String> {
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).map_err(|e| e.to_string())?;
    socket.connect(server).map_err(|e| e.to_string())?;
    socket.send(packet).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + QUERY_TIMEOUT;
    let mut buf = vec![0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err("timed out".into());
        }
        socket
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        match socket.recv(&mut buf) {
            // Replies to other queries (or garbage) are ignored.
            Ok(n) if n >= 12 && u16::from_be_bytes([buf[0], buf[1]]) == id => {
                return Ok(buf[..n].to_vec());
            }
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err("timed out".into());
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn query_id() -> u16 {
    let mut bytes = [0u8; 2];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        return nanos as u16;
    }
    u16::from_be_bytes(bytes)
}

/// A standard recursive query for `name` (RFC 1035 §4.1).
pub fn encode_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, String> {
    let mut p = Vec::with_capacity(32 + name.len());
    p.extend_from_slice(&id.to_be_bytes());
    p.extend_from_slice(&[0x01, 0x00]); // RD
    p.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]); // one question
    for label in name.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("invalid host name".into());
        }
        p.push(label.len() as u8);
        p.extend_from_slice(label.as_bytes());
    }
    p.push(0);
    p.extend_from_slice(&qtype.to_be_bytes());
    p.extend_from_slice(&[0, 1]); // IN
    Ok(p)
}

/// The addresses of type `qtype` in a reply's answer section (CNAME records before them are
/// the chain the server already followed).
pub fn decode_answer(reply: &[u8], qtype: u16) -> Result<Vec<IpAddr>, String> {
    let short = || "truncated DNS reply".to_string();
    if reply.len() < 12 {
        return Err(short());
    }
    let rcode = reply[3] & 0x0f;
    match rcode {
        0 | 3 => {}
        2 => return Err("name server failure".into()),
        5 => return Err("query refused".into()),
        other => return Err(format!("name server error {other}")),
    }
    let questions = u16::from_be_bytes([reply[4], reply[5]]);
    let answers = u16::from_be_bytes([reply[6], reply[7]]);
    let mut at = 12;
    for _ in 0..questions {
        at = skip_name(reply, at).ok_or_else(short)? + 4;
    }
    let mut out = Vec::new();
    for _ in 0..answers {
        at = skip_name(reply, at).ok_or_else(short)?;
        let head = reply.get(at..at + 10).ok_or_else(short)?;
        let rtype = u16::from_be_bytes([head[0], head[1]]);
        let len = u16::from_be_bytes([head[8], head[9]]) as usize;
        let data = reply.get(at + 10..at + 10 + len).ok_or_else(short)?;
        at += 10 + len;
        if rtype != qtype {
            continue;
        }
        match (rtype, len) {
            (TYPE_A, 4) => out.push(IpAddr::V4(Ipv4Addr::new(
                data[0], data[1], data[2], data[3],
            ))),
            (TYPE_AAAA, 16) => {
                let mut octets = [0u8; 16];
                octets.copy_from_slice(data);
                out.push(IpAddr::V6(Ipv6Addr::from(octets)));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The offset just past the (possibly compressed) name at `at`.
fn skip_name(p: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = *p.get(at)? as usize;
        if len == 0 {
            return Some(at + 1);
        }
        if len & 0xc0 == 0xc0 {
            p.get(at + 1)?;
            return Some(at + 2);
        }
        at += 1 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_file_lines() {
        let hosts = "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n# 10.0.0.9 db\n172.18.0.3\tabc123 node1 # alias\nbogus line\n";
        assert_eq!(
            hosts_lookup(hosts, "LOCALHOST"),
            vec![
                "127.0.0.1".parse::<IpAddr>().expect("test setup"),
                "::1".parse().expect("test setup")
            ]
        );
        assert_eq!(
            hosts_lookup(hosts, "node1"),
            vec!["172.18.0.3".parse::<IpAddr>().expect("test setup")]
        );
        assert!(hosts_lookup(hosts, "db").is_empty());
    }

    #[test]
    fn resolv_conf_and_search_order() {
        let conf = ResolvConf::parse(
            "# Docker\nnameserver 127.0.0.11\nnameserver fe80::1\nsearch corp.example lan\noptions ndots:2 edns0\n",
        );
        assert_eq!(conf.nameservers.len(), 2);
        assert_eq!(
            conf.nameservers[0],
            "127.0.0.11:53".parse().expect("test setup")
        );
        assert_eq!(conf.ndots, 2);
        assert_eq!(
            conf.candidates("db"),
            vec!["db.corp.example", "db.lan", "db"]
        );
        assert_eq!(
            conf.candidates("a.b.c"),
            vec!["a.b.c", "a.b.c.corp.example", "a.b.c.lan"]
        );
        let empty = ResolvConf::parse("");
        assert_eq!(
            empty.nameservers,
            vec!["127.0.0.1:53".parse().expect("test setup")]
        );
        assert_eq!(empty.candidates("x"), vec!["x"]);
    }

    /// A one-shot UDP name server on loopback: answers A queries for `mesh-cluster` with two
    /// addresses (behind a CNAME), NXDOMAIN for anything else.
    #[test]
    fn queries_a_name_server() {
        let server = UdpSocket::bind("127.0.0.1:0").expect("test setup");
        let addr = server.local_addr().expect("test setup");
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            for _ in 0..4 {
                let (n, from) = server.recv_from(&mut buf).expect("test setup");
                let q = &buf[..n];
                let qname_end = skip_name(q, 12).expect("test setup");
                let qtype = u16::from_be_bytes([q[qname_end], q[qname_end + 1]]);
                let known = &q[12..qname_end] == b"\x0cmesh-cluster\x00";
                let mut r = q[..qname_end + 4].to_vec();
                r[2] = 0x81;
                r[3] = if known { 0x80 } else { 0x83 };
                let mut answers = 0u16;
                if known && qtype == TYPE_A {
                    // CNAME mesh-cluster -> n.x, then two A records for n.x.
                    r.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 5]);
                    r.extend_from_slice(b"\x01n\x01x\x00");
                    for last in [3u8, 4] {
                        r.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
                        r.extend_from_slice(&[172, 18, 0, last]);
                    }
                    answers = 3;
                }
                r[6..8].copy_from_slice(&answers.to_be_bytes());
                server.send_to(&r, from).expect("test setup");
            }
        });
        let conf = ResolvConf {
            nameservers: vec![addr],
            search: Vec::new(),
            ndots: 1,
        };
        let ips = dns_lookup("mesh-cluster", &conf).expect("test setup");
        assert_eq!(
            ips,
            vec![
                "172.18.0.3".parse::<IpAddr>().expect("test setup"),
                "172.18.0.4".parse().expect("test setup")
            ]
        );
        let err = dns_lookup("nowhere", &conf).expect_err("an error");
        assert!(err.contains("no address"), "{err}");
        handle.join().expect("test setup");
    }

    #[test]
    fn malformed_replies_are_errors_not_panics() {
        for reply in [
            &b""[..],
            &[0u8; 11][..],
            &[0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 5, b'a'][..],
            &[
                0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 9, 1,
            ][..],
        ] {
            let _ = decode_answer(reply, TYPE_A);
        }
        assert!(decode_answer(&[0, 1, 0x81, 0x82, 0, 0, 0, 0, 0, 0, 0, 0], TYPE_A).is_err());
        assert!(encode_query(1, "a..b", TYPE_A).is_err());
    }
}
