//! One exact-output case (or more) per rule of spec tooling §5.2.

use super::{check, check_with};
use mesh_syntax::fmt::{format_source, FmtError, FmtOptions};

// ---- rule 1: whitespace

#[test]
fn crlf_tabs_trailing_spaces_and_final_newline_are_normalised() {
    check(
        "fn main() do\r\n\tprintln(\"a  \")   \r\n\t\tx()\r\nend",
        "fn main() do\n  println(\"a  \")\n  x()\nend\n",
    );
}

#[test]
fn an_empty_or_blank_file_becomes_empty() {
    check("", "");
    check("  \n\n\t\n", "");
}

#[test]
fn heredoc_text_is_left_alone() {
    let src = "fn main() do\n  let s = \"\"\"\n    keep   \n      these\n    \"\"\"\n  s\nend\n";
    check(src, src);
}

// ---- rule 2: indentation

#[test]
fn blocks_are_indented_one_level_and_else_aligns_with_if() {
    check(
        "fn f(x :: Int) -> Int do\nif x > 0 do\nx\n    else if x < 0 do\n-x\n        else\n0\n  end\nend\n",
        "fn f(x :: Int) -> Int do\n  if x > 0 do\n    x\n  else if x < 0 do\n    -x\n  else\n    0\n  end\nend\n",
    );
}

#[test]
fn indent_size_is_configurable() {
    let opts = FmtOptions {
        line_width: 100,
        indent_size: 4,
    };
    check_with(
        &opts,
        "fn f() do\n  case 1 do\n    1 -> 2\n  end\nend\n",
        "fn f() do\n    case 1 do\n        1 -> 2\n    end\nend\n",
    );
}

#[test]
fn broken_brackets_closures_and_arm_bodies_are_indented() {
    check(
        "fn main() do\nlet xs = [\n1,\n2\n]\nlet f = fn x ->\nx + 1\nend\ncase xs do\n0 ->\n0\n_ -> 1\nend\nend\n",
        "fn main() do\n  let xs = [\n    1,\n    2\n  ]\n  let f = fn x ->\n    x + 1\n  end\n  case xs do\n    0 ->\n      0\n    _ -> 1\n  end\nend\n",
    );
}

#[test]
fn pipe_continuations_are_indented_once() {
    check(
        "fn main() do\nxs\n|> List.map(fn x -> x end)\n|> List.sum()\nend\n",
        "fn main() do\n  xs\n    |> List.map(fn x -> x end)\n    |> List.sum()\nend\n",
    );
}

#[test]
fn receive_after_aligns_with_the_arms() {
    check(
        "fn main() do\nreceive do\nx -> x\nafter 10 -> 0\nend\nend\n",
        "fn main() do\n  receive do\n    x -> x\n  after 10 -> 0\n  end\nend\n",
    );
}

// ---- rule 3: blank lines

#[test]
fn top_level_items_get_exactly_one_blank_line() {
    check(
        "fn a() = 1\nfn b() = 2\n\n\n\nstruct P do\n  x :: Int\nend\n",
        "fn a() = 1\n\nfn b() = 2\n\nstruct P do\n  x :: Int\nend\n",
    );
}

#[test]
fn imports_stay_together_with_one_blank_line_after() {
    check(
        "import A\n\nimport B\nfrom C import d\nfn main() = 1\n",
        "import A\nimport B\nfrom C import d\n\nfn main() = 1\n",
    );
}

#[test]
fn clauses_of_one_function_may_stay_together() {
    let src = "fn fact(0) = 1\nfn fact(n) = n * fact(n - 1)\n";
    check(src, src);
}

#[test]
fn blank_lines_in_blocks_collapse_and_vanish_at_the_edges() {
    check(
        "fn main() do\n\n  a()\n\n\n\n  b()\n  if c do\n\n    d()\n\n  else\n    e()\n\n  end\n\nend\n",
        "fn main() do\n  a()\n\n  b()\n  if c do\n    d()\n  else\n    e()\n  end\nend\n",
    );
}

// ---- rule 4: comments

#[test]
fn comments_are_kept_reindented_and_attached() {
    check(
        "##! Module doc.\n\n# about a\nfn a() do\n      # inside\n  x()    # trailing   \nend\n## doc of b\nfn b() = 2\n# last\n",
        "##! Module doc.\n\n# about a\nfn a() do\n  # inside\n  x() # trailing\nend\n\n## doc of b\nfn b() = 2\n# last\n",
    );
}

#[test]
fn block_comments_survive() {
    check(
        "fn main() do\n  #= a\n     b =# x()\nend\n",
        "fn main() do\n  #= a\n     b =# x()\nend\n",
    );
}

// ---- rule 5: spacing

#[test]
fn operators_commas_and_colons_are_spaced() {
    check(
        "fn f( a::Int,b :: Int )->Int!String do\n  let x=a+b*2-(-a)\n  let y=x<>\"s\"\n  Ok(x==y and not x!=y||!true)\nend\n",
        "fn f(a :: Int, b :: Int) -> Int ! String do\n  let x = a + b * 2 - (-a)\n  let y = x <> \"s\"\n  Ok(x == y and not x != y || !true)\nend\n",
    );
}

#[test]
fn generics_hug_their_angle_brackets() {
    check(
        "fn f(x :: List< String >, m :: Map<String,List<Int>>) -> Int? = 1\n",
        "fn f(x :: List<String>, m :: Map<String, List<Int>>) -> Int? = 1\n",
    );
}

#[test]
fn literals_maps_structs_and_json_have_their_canonical_spacing() {
    check(
        "fn main() do\n  let p = Point{x:1,y:2}\n  let q = %{ p | x : 3 }\n  let m = %{ \"a\"=>1 }\n  let j = json {a:1}\n  let e = Point {}\n  let r = 0..10\n  Some( p )\nend\n",
        "fn main() do\n  let p = Point { x: 1, y: 2 }\n  let q = %{p | x: 3}\n  let m = %{\"a\" => 1}\n  let j = json { a: 1 }\n  let e = Point {}\n  let r = 0..10\n  Some(p)\nend\n",
    );
}

#[test]
fn patterns_and_handler_state_are_spaced() {
    check(
        "fn f(x) do\n  case x do\n    Some( h::t ) when h>0 -> h\n    Down { ref: r, .. } -> 0\n    _ -> -1\n  end\nend\n",
        "fn f(x) do\n  case x do\n    Some(h :: t) when h > 0 -> h\n    Down { ref: r, .. } -> 0\n    _ -> -1\n  end\nend\n",
    );
    check(
        "service Counter do\n  fn init(n :: Int) -> Int do\n    n\n  end\n  call Get() :: Int do|n|\n    (n, n)\n  end\nend\n",
        "service Counter do\n  fn init(n :: Int) -> Int do\n    n\n  end\n  call Get() :: Int do |n|\n    (n, n)\n  end\nend\n",
    );
}

#[test]
fn a_decorator_stays_on_the_declaration_line_and_paths_have_no_spaces() {
    check(
        "@cluster\npub fn add() -> Int do\n  Api . Router.x()\nend\n",
        "@cluster pub fn add() -> Int do\n  Api.Router.x()\nend\n",
    );
}

// ---- rule 6: line breaking

#[test]
fn long_calls_break_one_argument_per_line_without_trailing_comma() {
    check(
        "fn main() do\n  some_function(first_argument_value, second_argument_value, third_argument_value, fourth_value, fifth_value, 4,)\nend\n",
        "fn main() do\n  some_function(\n    first_argument_value,\n    second_argument_value,\n    third_argument_value,\n    fourth_value,\n    fifth_value,\n    4\n  )\nend\n",
    );
}

#[test]
fn trailing_commas_go_but_a_one_tuple_keeps_its_comma() {
    check(
        "fn main() do\n  let xs = [\n    1,\n    2,\n  ]\n  (xs,)\nend\n",
        "fn main() do\n  let xs = [\n    1,\n    2\n  ]\n  (xs,)\nend\n",
    );
}

#[test]
fn line_width_is_configurable() {
    let opts = FmtOptions {
        line_width: 20,
        indent_size: 2,
    };
    check_with(
        &opts,
        "fn main() do\n  let p = Point { x: 1, y: 2 }\nend\n",
        "fn main() do\n  let p = Point {\n    x: 1,\n    y: 2\n  }\nend\n",
    );
}

#[test]
fn pipe_chains_of_two_or_more_put_each_stage_on_its_own_line() {
    check(
        "fn main() do\n  let a = xs |> f()\n  let b = xs |> f() |> g(1)\nend\n",
        "fn main() do\n  let a = xs |> f()\n  let b = xs\n    |> f()\n    |> g(1)\nend\n",
    );
}

#[test]
fn strings_are_never_split() {
    let long = "x".repeat(120);
    let src = format!("fn main() do\n  let s = \"{long}\"\nend\n");
    check(&src, &src);
}

#[test]
fn imports_break_into_the_parenthesised_form() {
    check(
        "from Api.Router import (a, b)\nfrom A import alpha_alpha_alpha, beta_beta_beta_beta, gamma_gamma_gamma_gamma, delta_delta_delta, epsilon\n",
        "from Api.Router import (\n  a,\n  b\n)\nfrom A import (\n  alpha_alpha_alpha,\n  beta_beta_beta_beta,\n  gamma_gamma_gamma_gamma,\n  delta_delta_delta,\n  epsilon\n)\n",
    );
    check("from A import a, b\n", "from A import a, b\n");
}

// ---- rule 7: block forms

#[test]
fn headers_arms_and_one_line_functions_keep_their_form() {
    let src = "pub fn double(x :: Int) -> Int = x * 2\n\nfn loop_it(xs :: List<Int>, n :: Int) do\n  for x in xs when x > 1 do\n    println(\"#{x}\")\n  end\n  while false do\n    break\n  end\n  case n do\n    0 -> 0\n    _ -> 1\n  end\nend\n";
    check(src, src);
}

// ---- the safety net

#[test]
fn input_that_does_not_parse_is_refused() {
    let result = format_source("fn main( do\nend\n", &FmtOptions::default());
    assert!(matches!(result, Err(FmtError::Parse(d)) if !d.is_empty()));
}

#[test]
fn span_stripping_ignores_only_span_atoms() {
    use mesh_syntax::fmt::strip_spans;
    assert_eq!(
        strip_spans("(fn f@3..4 @0..10!\n  (int 1 @9..10))"),
        "(fn f \n  (int 1 ))"
    );
    assert_eq!(strip_spans("(str \"a@1..x\")"), "(str \"a@1..x\")");
}
