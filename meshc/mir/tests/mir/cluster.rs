//! Clustered declarations in MIR (runtime-cluster §4.1, §7): the registration table, the
//! entry thunk of each kind, and `HTTP.clustered` passing only its runtime name and count.

use mesh_mir::{Rvalue, Stmt, Ty};

const SRC: &str = "@cluster pub fn add() -> Int do
  1 + 1
end

@cluster(3) pub fn sum(a :: Int, b :: Int) -> Int = a + b

pub fn list(req :: Request) -> Response = HTTP.response(200, Request.path(req))

fn main() do
  let r = HTTP.router() |> HTTP.on_get(\"/todos\", HTTP.clustered(1, list))
  HTTP.serve(r, 8080)
end
";

#[test]
fn the_table_names_each_declaration_with_its_thunk() {
    let program = crate::support::lower(SRC);
    let rows: Vec<(String, String, i64, i64)> = program
        .clustered
        .iter()
        .map(|c| {
            let f = &program.fns[c.entry.0 as usize];
            (c.name.clone(), f.name.clone(), c.count, c.kind)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Main.add".into(), "cluster.startup.Main.add".into(), 2, 0),
            ("Main.sum".into(), "cluster.work.Main.sum".into(), 3, 2),
            ("Main.list".into(), "cluster.route.Main.list".into(), 1, 1),
        ]
    );
    assert!(!program.test_build);
    insta::assert_snapshot!(program.to_string());
}

#[test]
fn thunks_follow_the_entry_conventions() {
    let program = crate::support::lower(SRC);
    let thunk = |name: &str| {
        program
            .fns
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // kind 0: `fn() -> ()` with the C convention.
    let startup = thunk("cluster.startup.Main.add");
    assert!(startup.is_closure_code && startup.params.is_empty() && startup.ret == Ty::Unit);
    // kinds 1 and 2: closure code, `fn(closure, words…) -> word`.
    let route = thunk("cluster.route.Main.list");
    let params: Vec<Ty> = route.params.iter().map(|p| route.local_ty(*p)).collect();
    assert!(route.is_closure_code && route.ret == Ty::Int);
    assert_eq!(params, [Ty::Ptr, Ty::Int]);
    let work = thunk("cluster.work.Main.sum");
    assert_eq!(work.params.len(), 3);
    // `HTTP.clustered(1, list)` passes the runtime name and the count, not the handler.
    let main = thunk("Main.main");
    let clustered: Vec<&Rvalue> = main
        .blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .map(|Stmt::Assign(_, rv)| rv)
        .filter(|rv| matches!(rv, Rvalue::Runtime("mesh_rt_http_clustered", _)))
        .collect();
    assert_eq!(clustered.len(), 1);
    let Rvalue::Runtime(_, args) = clustered[0] else {
        unreachable!()
    };
    assert_eq!(
        args,
        &[
            mesh_mir::Operand::Const(mesh_mir::Const::Str("Main.list".into())),
            mesh_mir::Operand::Const(mesh_mir::Const::Int(1)),
        ]
    );
}

#[test]
fn a_program_without_declarations_registers_nothing() {
    let program = crate::support::lower("fn main() do\n  println(\"hi\")\nend\n");
    assert!(program.clustered.is_empty());
    assert!(!program.to_string().starts_with("cluster"));
}
