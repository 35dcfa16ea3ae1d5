//! Building blocks of the container tests: the Docker engine (required: without one every test
//! fails with the reason), static Mesh builds, locally built images (scripts/docker/images.sh;
//! nothing is pulled), private networks and containers removed when dropped, and a small HTTP
//! client for ports published on 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory under target/cli-tests/containers/ (one per test, replaced by its next
/// run).
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo_root().join("target/cli-tests/containers").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A name unique to this test process, for images, networks and containers.
pub fn unique(tag: &str) -> String {
    format!("mesh-ct-{tag}-{}", std::process::id())
}

/// Fails the test (never skips) when no Docker engine answers.
pub fn require_engine() {
    static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();
    let checked = CHECKED.get_or_init(|| {
        match Command::new("docker")
            .args(["info", "--format", "{{.ServerVersion}}"])
            .output()
        {
            Err(e) => Err(format!("the docker CLI cannot run: {e}")),
            Ok(out) if !out.status.success() => Err(format!(
                "no Docker engine answers `docker info`: {}",
                text(&out.stderr).trim()
            )),
            Ok(_) => Ok(()),
        }
    });
    if let Err(reason) = checked {
        panic!(
            "the container tests need a running Docker engine (they are never skipped): {reason}"
        );
    }
}

/// `docker ARGS`: the output, whatever the status.
pub fn docker_raw(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("docker runs")
}

/// `docker ARGS`, which must succeed: its trimmed stdout.
pub fn docker(args: &[&str]) -> String {
    let out = docker_raw(args);
    assert!(
        out.status.success(),
        "docker {} failed:\n{}{}",
        args.join(" "),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout).trim().to_string()
}

/// `meshc build --static PROJECT -o OUT`; the binary must be fully static.
pub fn build_static(project: &Path, out: &Path) {
    let started = Instant::now();
    let result = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .env_remove("MESH_RT_LIB_PATH")
        .arg("build")
        .arg("--static")
        .arg(project)
        .arg("-o")
        .arg(out)
        .output()
        .expect("meshc runs");
    assert!(
        result.status.success(),
        "meshc build --static {} failed:\n{}",
        project.display(),
        text(&result.stderr)
    );
    assert_static(out);
    eprintln!(
        "[containers] static build of {} in {:.1}s ({} bytes)",
        project.display(),
        started.elapsed().as_secs_f64(),
        std::fs::metadata(out).expect("binary").len()
    );
}

/// The ELF file has no program interpreter and no dynamic library dependencies.
pub fn assert_static(binary: &Path) {
    let file = Command::new("file")
        .arg(binary)
        .output()
        .expect("file runs");
    let described = text(&file.stdout);
    assert!(
        described.contains("static-pie linked") || described.contains("statically linked"),
        "not a static executable: {described}"
    );
    let ldd = Command::new("ldd").arg(binary).output().expect("ldd runs");
    let said = format!("{}{}", text(&ldd.stdout), text(&ldd.stderr));
    assert!(
        said.contains("statically linked") || said.contains("not a dynamic executable"),
        "ldd lists dependencies: {said}"
    );
}

/// Runs scripts/docker/images.sh with ARGS: the image name it prints.
fn images_sh(args: &[&str]) -> String {
    let started = Instant::now();
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/docker/images.sh"))
        .args(args)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "scripts/docker/images.sh {} failed:\n{}",
        args.join(" "),
        text(&out.stderr)
    );
    eprint!("{}", text(&out.stderr));
    eprintln!(
        "[containers] images.sh {} took {:.1}s",
        args.first().copied().unwrap_or(""),
        started.elapsed().as_secs_f64()
    );
    text(&out.stdout).trim().to_string()
}

/// The debootstrap PostgreSQL image, built once per machine (cached by recipe hash).
pub fn postgres_image() -> String {
    images_sh(&["postgres"])
}

/// A `FROM scratch` image of a static binary (user 65532, binary as entrypoint).
pub fn app_image(tag: &str, binary: &Path, env: &[&str]) -> Image {
    let mut args = vec!["app", tag, binary.to_str().expect("utf-8 path")];
    args.extend_from_slice(env);
    let name = images_sh(&args);
    Image { name }
}

/// An image this test built; removed when dropped.
pub struct Image {
    pub name: String,
}

impl Image {
    /// `docker build -t TAG DIR` with the directory's own Dockerfile.
    pub fn build(tag: &str, dir: &Path) -> Image {
        let started = Instant::now();
        docker(&["build", "-q", "-t", tag, dir.to_str().expect("utf-8 path")]);
        eprintln!(
            "[containers] docker build {tag} in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        Image {
            name: tag.to_string(),
        }
    }

    pub fn size(&self) -> u64 {
        docker(&["image", "inspect", "-f", "{{.Size}}", &self.name])
            .parse()
            .expect("an image size")
    }
}

impl Drop for Image {
    fn drop(&mut self) {
        let _ = docker_raw(&["image", "rm", "-f", &self.name]);
    }
}

/// A private bridge network; removed (after its containers) when dropped.
pub struct Network {
    pub name: String,
}

impl Network {
    pub fn new(tag: &str) -> Network {
        let name = unique(tag);
        let _ = docker_raw(&["network", "rm", &name]);
        docker(&["network", "create", &name]);
        Network { name }
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        let _ = docker_raw(&["network", "rm", &self.name]);
    }
}

/// A detached container; its logs are printed if the test fails, and it is removed when
/// dropped.
pub struct Container {
    pub name: String,
}

impl Container {
    /// `docker run -d --name NAME ARGS…` (ARGS: options, image, command).
    pub fn run(name: &str, args: &[&str]) -> Container {
        let _ = docker_raw(&["rm", "-f", name]);
        let mut all = vec!["run", "-d", "--name", name];
        all.extend_from_slice(args);
        docker(&all);
        Container {
            name: name.to_string(),
        }
    }

    /// stdout and stderr of the container so far.
    pub fn logs(&self) -> String {
        let out = docker_raw(&["logs", &self.name]);
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    }

    /// Waits until the logs contain `needle`.
    pub fn wait_log(&self, needle: &str, secs: u64) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let logs = self.logs();
            if logs.contains(needle) {
                return logs;
            }
            if Instant::now() > end {
                panic!(
                    "container {} never logged {needle:?} within {secs}s; logs:\n{logs}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The 127.0.0.1 port Docker published for the container's `port`/tcp.
    pub fn host_port(&self, port: u16) -> u16 {
        let mapping = docker(&["port", &self.name, &format!("{port}/tcp")]);
        mapping
            .lines()
            .find_map(|l| l.rsplit(':').next().and_then(|p| p.parse().ok()))
            .unwrap_or_else(|| panic!("no published port in {mapping:?}"))
    }

    pub fn exec(&self, args: &[&str]) -> Output {
        let mut all = vec!["exec", &self.name];
        all.extend_from_slice(args);
        docker_raw(&all)
    }

    /// `docker exec -i NAME ARGS…` with `input` on stdin; must succeed.
    pub fn exec_stdin(&self, args: &[&str], input: &[u8]) -> String {
        let mut child = Command::new("docker")
            .args(["exec", "-i", &self.name])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker exec runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("input written");
        let out = child.wait_with_output().expect("docker exec ends");
        assert!(
            out.status.success(),
            "docker exec {} {} failed:\n{}{}",
            self.name,
            args.join(" "),
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    pub fn kill(&self) {
        docker(&["kill", &self.name]);
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- logs of {}\n{}", self.name, self.logs());
        }
        let _ = docker_raw(&["rm", "-f", "-v", &self.name]);
    }
}

/// A PostgreSQL container from the debootstrap image on `network` (alias `alias`), ready to
/// accept connections; the URL that reaches it from that network.
pub fn start_postgres(
    network: &Network,
    name: &str,
    alias: &str,
    db: &str,
    password: &str,
) -> (Container, String) {
    let image = postgres_image();
    let started = Instant::now();
    let pg = Container::run(
        name,
        &[
            "--network",
            &network.name,
            "--network-alias",
            alias,
            "-e",
            &format!("POSTGRES_PASSWORD={password}"),
            "-e",
            &format!("POSTGRES_DB={db}"),
            // A disposable test database: no fsync at initdb or at run time.
            "-e",
            "POSTGRES_INITDB_ARGS=--no-sync",
            &image,
            "postgres",
            "-c",
            "fsync=off",
        ],
    );
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = pg.exec(&["pg_isready", "-h", "127.0.0.1", "-U", "postgres", "-d", db]);
        if ready.status.success() {
            break;
        }
        assert!(
            Instant::now() < end,
            "PostgreSQL never became ready; logs:\n{}",
            pg.logs()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    eprintln!(
        "[containers] PostgreSQL ready in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let url = format!("postgres://postgres:{password}@{alias}:5432/{db}");
    (pg, url)
}

/// One HTTP/1.1 exchange with 127.0.0.1:`port` on a fresh connection: status and body text.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("write");
    stream.write_all(body.as_bytes()).expect("write");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = text(&raw);
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {raw:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, body.to_string())
}

/// `http` with the body parsed as JSON.
pub fn http_json(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let (status, text) = http(port, method, path, body);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    (status, json)
}

/// Polls `GET path` until it answers 200 (a server in a fresh container takes a moment).
pub fn wait_http_ok(port: u16, path: &str, secs: u64) -> String {
    let end = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut raw = Vec::new();
            if stream.write_all(req.as_bytes()).is_ok() && stream.read_to_end(&mut raw).is_ok() {
                let raw = text(&raw);
                if raw.starts_with("HTTP/1.1 200") {
                    return raw
                        .split_once("\r\n\r\n")
                        .map(|(_, b)| b.to_string())
                        .unwrap_or_default();
                }
            }
        }
        assert!(
            Instant::now() < end,
            "GET {path} on :{port} never answered 200 within {secs}s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `docker compose` (v2 plugin) when installed, else `docker-compose` (v1): both read the
/// same file format for what the starters use.
pub fn compose_command() -> Vec<String> {
    static CMD: OnceLock<Vec<String>> = OnceLock::new();
    CMD.get_or_init(|| {
        let v2 = Command::new("docker").args(["compose", "version"]).output();
        if v2.map(|o| o.status.success()).unwrap_or(false) {
            vec!["docker".into(), "compose".into()]
        } else {
            vec!["docker-compose".into()]
        }
    })
    .clone()
}

/// A compose project in `dir` (its docker-compose.yml) under a unique project name; `down -v`
/// when dropped.
pub struct Compose {
    pub dir: PathBuf,
    pub project: String,
    pub env: Vec<(String, String)>,
}

impl Compose {
    pub fn new(dir: &Path, tag: &str, env: &[(&str, &str)]) -> Compose {
        Compose {
            dir: dir.to_path_buf(),
            project: unique(tag),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Runs a compose subcommand: the output, whatever the status.
    pub fn raw(&self, args: &[&str]) -> Output {
        let cmd = compose_command();
        let mut command = Command::new(&cmd[0]);
        command
            .args(&cmd[1..])
            .args(["-p", &self.project])
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            command.env(k, v);
        }
        command.output().expect("compose runs")
    }

    /// A compose subcommand that must succeed: its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.raw(args);
        assert!(
            out.status.success(),
            "{} {} failed:\n{}{}",
            compose_command().join(" "),
            args.join(" "),
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// The container of `service` as a `Container` (not removed on drop: `down` does that).
    pub fn container(&self, service: &str) -> std::mem::ManuallyDrop<Container> {
        let id = self.run(&["ps", "-q", service]).trim().to_string();
        assert!(!id.is_empty(), "no container for service {service}");
        std::mem::ManuallyDrop::new(Container { name: id })
    }
}

impl Drop for Compose {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let logs = self.raw(&["logs", "--no-color"]);
            eprintln!(
                "--- compose logs\n{}{}",
                text(&logs.stdout),
                text(&logs.stderr)
            );
        }
        let _ = self.raw(&["down", "-v", "--rmi", "local", "--remove-orphans"]);
    }
}
