//! Decision trees (`mir/src/lower/decision.rs`): a `case` tests each position of its value
//! once, with one switch per sum-type tag or Int position, and emits each arm body once.

use crate::support::count_terminators;
use mesh_mir::{Rvalue, Stmt, Terminator};

const OPS: &str = "type Op do
  Nop
  Push(Int)
  Pop
  Add
  Sub
  Mul
  Jump(Int)
  JumpIf(Int, Int)
  Print(String)
  Halt
end
";

#[test]
fn case_over_ten_constructors_is_one_tag_switch() {
    let src = format!(
        "{OPS}
fn cost(op) do
  case op do
    Nop -> 0
    Push(n) -> n
    Pop -> 1
    Add -> 2
    Sub -> 2
    Mul -> 3
    Jump(t) -> t
    JumpIf(c, t) -> c + t
    Print(_) -> 5
    Halt -> 9
  end
end

fn main() do
  println(\"#{{cost(Halt)}}\")
end
"
    );
    let f = check_mir!(&src, "Main.cost");
    let switches: Vec<_> = f
        .blocks
        .iter()
        .filter_map(|b| match &b.terminator {
            Terminator::Switch { cases, .. } => Some(cases.len()),
            _ => None,
        })
        .collect();
    // Nine compared tags; the tenth is the default (the constructors are complete).
    assert_eq!(switches, vec![9]);
    assert_eq!(
        count_terminators(&f, |t| matches!(t, Terminator::Branch { .. })),
        0
    );
    // The tag is loaded once.
    let loads_of_tag = f
        .blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .filter(|Stmt::Assign(_, rv)| matches!(rv, Rvalue::Load { index: 0, .. }))
        .count();
    assert_eq!(loads_of_tag, 1);
}

#[test]
fn wildcard_rows_join_the_cases_they_cover() {
    let src = format!(
        "{OPS}
fn arity(op) do
  case op do
    JumpIf(_, _) -> 2
    Push(_) | Jump(_) | Print(_) -> 1
    _ -> 0
  end
end

fn main() do
  println(\"#{{arity(Halt)}}\")
end
"
    );
    let f = check_mir!(&src, "Main.arity");
    assert_eq!(
        count_terminators(&f, |t| matches!(t, Terminator::Switch { .. })),
        1
    );
}

#[test]
fn tuple_of_options_tests_each_component_once_per_path() {
    let f = check_mir!(
        "fn merge(a, b) do
  case (a, b) do
    (Some(x), None) -> x
    (None, Some(y)) -> y
    (Some(x), Some(y)) -> x + y
    (None, None) -> 0
  end
end

fn main() do
  println(\"#{merge(Some(1), None)}\")
end
",
        "Main.merge"
    );
    // One switch on `a`, then one on `b` in each of its cases; no tuple is allocated.
    assert_eq!(
        count_terminators(&f, |t| matches!(t, Terminator::Switch { .. })),
        3
    );
    let allocs = f
        .blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .filter(|Stmt::Assign(_, rv)| matches!(rv, Rvalue::Alloc { .. }))
        .count();
    assert_eq!(allocs, 0);
}

#[test]
fn a_guard_reached_from_several_paths_is_emitted_once() {
    let f = check_mir!(
        "fn check(b :: Bool) -> Bool = b

fn name(c) do
  case c do
    (0, 0) -> \"origin\"
    (x, _) when check(x > 100) -> \"far\"
    (_, y) -> \"y #{y}\"
  end
end

fn main() do
  println(name((1, 2)))
end
",
        "Main.name"
    );
    let guard_calls = f
        .blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .filter(|Stmt::Assign(_, rv)| matches!(rv, Rvalue::Call(..)))
        .count();
    assert_eq!(guard_calls, 1);
}

#[test]
fn int_literals_switch_and_self_tail_calls_jump() {
    let f = check_mir!(
        "fn count(n, acc) do
  case n do
    0 -> acc
    1 | 2 -> count(n - 1, acc + 10)
    _ -> count(n - 1, acc + 1)
  end
end

fn main() do
  println(\"#{count(5, 0)}\")
end
",
        "Main.count"
    );
    assert!(f.blocks.iter().any(|b| matches!(
        &b.terminator,
        Terminator::Switch { cases, .. } if cases.len() == 3
    )));
    // Both recursive arms jump back to the entry; no call remains.
    assert_eq!(
        count_terminators(&f, |t| matches!(t, Terminator::Goto(b) if b.0 == 0)),
        2
    );
}

/// Each of ten guarded rows needs another column, and wildcards below them are copied into
/// every case: one tree would have tens of thousands of blocks. Split into chunks of arms,
/// the function stays small (and the whole tree still switches, never tests one row at a time).
#[test]
fn a_matrix_that_would_blow_up_is_split_into_chunks() {
    let n = 10;
    let params: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
    let params = params.join(", ");
    let mut rows = String::new();
    for i in 0..n {
        let mut pats = vec!["_"; n];
        pats[n - 1 - i] = "0";
        rows += &format!("    ({}) when check({i}) -> {i}\n", pats.join(", "));
    }
    for i in 0..n {
        let mut pats = vec!["_"; n];
        pats[i] = "1";
        rows += &format!("    ({}) -> {}\n", pats.join(", "), 100 + i);
    }
    let zeros = vec!["0"; n].join(", ");
    let src = format!(
        "fn check(i :: Int) -> Bool = i > 5

fn f({params}) do
  case ({params}) do
{rows}    _ -> -1
  end
end

fn main() do
  println(\"#{{f({zeros})}}\")
end
"
    );
    let program = crate::support::lower(&src);
    let f = program
        .fns
        .iter()
        .find(|f| f.name == "Main.f")
        .expect("f is lowered");
    assert!(f.blocks.len() < 400, "{} blocks", f.blocks.len());
    assert!(count_terminators(f, |t| matches!(t, Terminator::Switch { .. })) > 0);
}
