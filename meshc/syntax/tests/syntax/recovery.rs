//! Snapshots of files with several syntax errors (spec §5.8): after an error the parser resumes
//! at the next top-level declaration, so independent mistakes are all reported in one run,
//! while an error that leaves a block open (or a stray `end`) costs exactly one report.

#[test]
fn errors_in_two_functions_are_both_reported() {
    check_diags!(
        "fn a() do\n  let x =\nend\n\nfn b() do\n  1 +\nend\n",
        &["2:10", "6:6"]
    );
}

#[test]
fn three_declarations_with_three_errors() {
    check_diags!(
        "from Config import *\n\nstruct Point do\n  x ::\nend\n\nfn main() do\n  println(\"hi\"\nend\n\nfn ok() = 1\n",
        &[
            "glob imports are not allowed; import names explicitly",
            "unexpected newline",
            "unexpected `end`; expected `)`",
        ]
    );
}

#[test]
fn valid_declarations_between_errors_are_skipped_silently() {
    check_diags!(
        "fn one() = 1\nfn bad() = * 2\nfn two() = 2\ntype T do\n  A\nend\nfn worse() = )\nfn three() = 3\n",
        &["2:12", "7:14"]
    );
}

#[test]
fn unclosed_parenthesis_reports_one_error() {
    // Newlines are insignificant inside the open `(`, so no later declaration starts a line.
    check_diags!(
        "fn bad( = 2\nfn two() = 2\nfn worse() = )\n",
        &["expected expression, found `=`"]
    );
}

#[test]
fn missing_end_reports_one_error_for_the_rest_of_the_file() {
    // The unclosed `fn a` swallows what follows, so no declaration is resumed at.
    check_diags!(
        "fn a(x) do\n  if x do\n    1\nend\n\nstruct S do\n  y ::\nend\n\nfn b() do\n  1 +\nend\n",
        &["expected `end` to close `do` block"]
    );
}

#[test]
fn missing_end_at_end_of_file_after_an_earlier_error() {
    check_diags!(
        "fn a() = )\n\nfn b(x) do\n  case x do\n    1 -> 2\n  end\n",
        &["1:10", "expected `end` to close `do` block"]
    );
}

#[test]
fn stray_end_and_statement_at_top_level_cost_one_error() {
    check_diags!(
        "fn a() do\n  1\nend\n  end\n  foo()\nend\n\nfn b() = 2\n",
        &["4:3"]
    );
}

#[test]
fn nested_function_is_not_a_resume_point() {
    // The error is inside `outer`; `fn inner` is nested, so parsing resumes at `fn last`.
    check_diags!(
        "fn outer() do\n  let = 1\nfn inner() = 2\n  inner()\nend\n\nfn last() do\n  [1,\nend\n",
        &["2:7", "9:1"]
    );
}

#[test]
fn action_error_then_syntax_error() {
    check_diags!(
        "actor a() do\n  terminate do 1 end\n  terminate do 2 end\nend\n\nfn main() do\n  1 +\nend\n",
        &[
            "only one `terminate` clause is allowed per actor block",
            "7:6",
        ]
    );
}

#[test]
fn test_file_forms_are_resume_points() {
    check_diags!(
        "test(\"one\") do\n  assert(1 ==)\nend\n\ntest(\"two\") do\n  assert(%{)\nend\n",
        &["2:14", "6:12"]
    );
}

#[test]
fn declarations_after_an_else_if_chain_are_resume_points() {
    check_diags!(
        "fn a(n) do\n  let x = )\n  if n < 0 do\n    1\n  else if n == 0 do\n    2\n  else\n    3\n  end\nend\n\nfn b() = ]\n",
        &["2:11", "12:10"]
    );
}

/// The names of the functions the parser kept after errors, in order.
fn recovered_fns(src: &str) -> Vec<String> {
    let parsed = mesh_syntax::parser::parse_module(mesh_syntax::span::FileId(0), src);
    assert!(parsed.module.is_none(), "expected parse errors for:\n{src}");
    let module = parsed
        .recovered
        .expect("syntax errors leave a recovered module");
    module
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            mesh_syntax::ast::ItemKind::Fn(f) => Some(f.name.name.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn recovered_module_keeps_declarations_around_broken_ones() {
    assert_eq!(
        recovered_fns(
            "fn one() = 1\nfn bad() = * 2\nfn two() = 2\ntype T do\n  A\nend\nfn worse() = )\nfn three() = 3\n"
        ),
        ["one", "two", "three"]
    );
    assert_eq!(
        recovered_fns("fn a() do\n  let x =\nend\n\nfn b() = 2\n\nfn c() do\n  1 +\nend\n"),
        ["b"]
    );
}

#[test]
fn recovered_module_stops_where_a_block_is_left_open() {
    // The unclosed `fn a` swallows the rest; what came before it is kept.
    assert_eq!(
        recovered_fns("fn z() = 0\n\nfn a(x) do\n  if x do\n    1\nend\n\nfn b() = 2\n"),
        ["z"]
    );
}

#[test]
fn lexical_errors_leave_no_module() {
    let parsed = mesh_syntax::parser::parse_module(mesh_syntax::span::FileId(0), "fn a() = \"x\n");
    assert!(parsed.module.is_none() && parsed.recovered.is_none());
}
