//! Real node processes for the `Node.spawn` tests: a compiled Mesh program per fixture,
//! started with the cluster variables, its stdout and stderr collected as they come (the
//! `NodeProc` of `support/node.rs`).

#[path = "../support/node.rs"]
mod node;

pub use node::{cluster_env, cookie, dial_each_other, seeded_env, NodeProc as Node};
use node::{free_port_on, name_in, repo_root, tests_dir};
use std::path::{Path, PathBuf};

/// Builds `tests/fixtures/dist/<name>.mpl` into the scratch directory.
pub fn build(name: &str) -> PathBuf {
    let exe = tests_dir("dist_spawn").join(name);
    node::build(
        &repo_root().join(format!("tests/fixtures/dist/{name}.mpl")),
        &exe,
    );
    exe
}

/// A port free on 127.0.0.1, 127.0.0.2 and 127.0.0.3.
pub fn free_port() -> u16 {
    free_port_on(&["127.0.0.2", "127.0.0.3"])
}

/// Starts `exe` with only `env`'s cluster variables (named after its `MESH_NODE_NAME`).
pub fn start(exe: &Path, env: &[(&str, String)]) -> Node {
    Node::start(exe, &name_in(env), env)
}
