//! The committed starter examples are exactly what `meshc init` generates (tooling spec §8's
//! parity rule): runs `scripts/check-examples.sh` with this build's meshc.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_examples_are_what_meshc_init_generates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new("bash")
        .arg(root.join("scripts/check-examples.sh"))
        .env("MESHC", env!("CARGO_BIN_EXE_meshc"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for example in ["todo-sqlite", "todo-postgres"] {
        assert!(
            stdout.lines().any(|l| l == format!("{example}: ok")),
            "{stdout}"
        );
    }
}
