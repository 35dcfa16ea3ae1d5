//! Collection literals: a list literal evaluates its elements, then builds the list in one
//! runtime call from their words (one leaf, one header), not one list per element.

use mesh_mir::{Rvalue, Stmt};

fn rvalues(src: &str, name: &str) -> Vec<Rvalue> {
    let program = crate::support::lower(src);
    let f = program
        .fns
        .iter()
        .find(|f| f.name == name)
        .expect("function lowered");
    f.blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .map(|Stmt::Assign(_, rv)| rv.clone())
        .collect()
}

#[test]
fn a_list_literal_is_one_runtime_call_with_its_words() {
    let rvs = rvalues(
        "fn three(a :: String, b :: String) -> List<String> = [a, b, \"c\"]\n\nfn main() do\n  println(\"#{List.length(three(\"x\", \"y\"))}\")\nend\n",
        "Main.three",
    );
    let built: Vec<(&str, usize, usize)> = rvs
        .iter()
        .filter_map(|rv| match rv {
            Rvalue::RuntimeWords { func, args, words } => Some((*func, args.len(), words.len())),
            _ => None,
        })
        .collect();
    assert_eq!(built, [("mesh_rt_list_from", 1, 3)]);
    assert!(
        !rvs.iter().any(|rv| matches!(
            rv,
            Rvalue::Runtime("mesh_rt_list_append" | "mesh_rt_list_new", _)
        )),
        "no list is built element by element"
    );
}

#[test]
fn an_empty_list_literal_is_a_new_list() {
    let rvs = rvalues(
        "fn none() -> List<Int> = []\n\nfn main() do\n  println(\"#{List.length(none())}\")\nend\n",
        "Main.none",
    );
    assert!(rvs
        .iter()
        .any(|rv| matches!(rv, Rvalue::Runtime("mesh_rt_list_new", _))));
    assert!(!rvs
        .iter()
        .any(|rv| matches!(rv, Rvalue::RuntimeWords { .. })));
}
