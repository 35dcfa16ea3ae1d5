//! Snapshots of parse and lexical diagnostics (spec language §5.8, §1.6, §2.3, §3.1.1, §4.3):
//! each input is invalid and its rendering must contain the spec's message.

#[test]
fn missing_end_of_do_block() {
    check_diag!("fn main() do\n  1\n", "expected `end` to close `do` block");
}

#[test]
fn missing_end_is_reported_at_the_block_the_indentation_shows() {
    // The file runs out at `main`'s `end`; the `if` block is the one left open.
    check_diag!(
        "fn f(x) do\n  if x > 1 do\n    1\n  else\n    2\n\nfn main() do\n  println(\"hi\")\nend\n",
        "expected `end` to close `do` block"
    );
}

#[test]
fn missing_end_of_a_struct_is_reported_at_the_struct() {
    check_diag!(
        "struct P do\n  x :: Int\n\nfn main() do\n  1\nend\n",
        "expected `end` to close `do` block"
    );
}

#[test]
fn missing_end_of_a_case_inside_a_function() {
    check_diag!(
        "fn main() do\n  case 1 do\n    _ -> 1\n\nfn other() = 2\n",
        "expected `end` to close `case` block"
    );
}

#[test]
fn missing_end_of_case_block() {
    check_diag!(
        "fn main() do\n  case x do\n    _ -> 1\n",
        "expected `end` to close `case` block"
    );
}

#[test]
fn missing_expression_after_equals() {
    check_diag!("fn main() do\n  let x =\nend\n", "expected expression");
}

#[test]
fn binary_operator_does_not_continue_a_line() {
    check_diag!(
        "fn main() do\n  let a = 1 +\n    2\nend\n",
        "expected expression"
    );
}

#[test]
fn return_is_not_an_arm_expression() {
    check_diag!(
        "fn f(x) do\n  case x do\n    _ -> return 1\n  end\nend\n",
        "expected expression"
    );
}

#[test]
fn missing_function_body() {
    check_diag!(
        "fn main()\n  1\nend\n",
        "expected `=` or `do` for function body"
    );
}

#[test]
fn unclosed_arrow_closure() {
    check_diag!(
        "fn main() do\n  let f = fn x -> x + 1\n  f(1)\nend\n",
        "unclosed closure -- expected `end`"
    );
}

#[test]
fn second_terminate_clause() {
    check_diag!(
        "actor a() do\n  terminate do 1 end\n  terminate do 2 end\nend\n",
        "only one `terminate` clause is allowed per actor block"
    );
}

#[test]
fn glob_import() {
    check_diag!(
        "from Config import *\n",
        "glob imports are not allowed; import names explicitly"
    );
}

#[test]
fn at_without_cluster() {
    check_diag!("@clust pub fn f() = 1\n", "expected `cluster` after `@`");
}

#[test]
fn cluster_count_not_an_integer() {
    check_diag!(
        "@cluster(x) pub fn f() = 1\n",
        "expected integer replication count inside `@cluster(...)`"
    );
}

#[test]
fn cluster_with_two_counts() {
    check_diag!(
        "@cluster(1, 2) pub fn f() = 1\n",
        "expected exactly one replication count in `@cluster(N)`"
    );
}

#[test]
fn cluster_count_unclosed() {
    check_diag!(
        "@cluster(2 pub fn f() = 1\n",
        "expected `)` to close `@cluster(...)`"
    );
}

#[test]
fn cluster_not_before_fn() {
    check_diag!(
        "@cluster struct S do\n  x :: Int\nend\n",
        "expected `fn` or `def` after `@cluster`"
    );
}

#[test]
fn legacy_clustered_declaration() {
    check_diag!(
        "clustered(work) pub fn f() = 1\n",
        "legacy `clustered(work)` declarations are no longer supported; migrate to `@cluster` or `@cluster(N)` before `fn`/`def`"
    );
}

#[test]
fn json_key_must_be_an_identifier() {
    check_diag!(
        "fn main() do\n  json { \"a\": 1 }\nend\n",
        "expected identifier key in json literal"
    );
}

#[test]
fn do_must_be_on_the_header_line() {
    check_diag!(
        "fn main() do\n  if ok\n  do\n    1\n  end\nend\n",
        "Parse error"
    );
}

#[test]
fn keyword_is_not_an_identifier() {
    check_diag!(
        "fn main() do\n  let end = 1\nend\n",
        "`end` is a reserved word and cannot be used as a name"
    );
}

#[test]
fn lone_ampersand() {
    check_diag!("fn main() do\n  a & b\nend\n", "unexpected character `&`");
}

#[test]
fn tilde_without_regex() {
    check_diag!("fn main() do\n  ~x\nend\n", "unexpected character `~`");
}

#[test]
fn slot_pipe_below_two() {
    check_diag!(
        "fn main() do\n  1 |0> f()\n  1 |1> f()\nend\n",
        "slot position must be ≥ 2; use `|>` for the first argument"
    );
}

#[test]
fn bar_digits_without_closing_angle() {
    check_diag!(
        "fn f(x) do\n  case x do\n    1 |2 -> 0\n  end\nend\n",
        "expected `>` after slot position"
    );
}

#[test]
fn unterminated_string() {
    check_diag!(
        "fn main() do\n  \"abc\nend\n",
        "unterminated string literal"
    );
}

#[test]
fn unterminated_block_comment() {
    check_diag!(
        "#= open\n#= nested =#\nfn f() = 1\n",
        "unterminated block comment"
    );
}

#[test]
fn block_comment_hazard() {
    check_diag!("#==== section\nfn f() = 1\n", "unterminated block comment");
}

#[test]
fn regex_flags_and_termination() {
    check_diag!(
        "fn main() do\n  ~r/a/x\n  ~r/b\nend\n",
        "invalid regex flag `x`"
    );
}

#[test]
fn control_character_outside_string() {
    check_diag!(
        "fn main() do\u{7}\n  1\nend\n",
        "unexpected control character U+0007"
    );
}

#[test]
fn integer_literal_too_large() {
    check_diag!(
        "fn main() do\n  99999999999999999999\nend\n",
        "integer literal is too large"
    );
}

#[test]
fn bad_digits_in_based_literal() {
    check_diag!("fn main() do\n  0b102\n  0x\nend\n", "Parse error");
}

#[test]
fn top_level_statement_is_not_an_item() {
    check_diag!("let x = 1\n", "Parse error");
}

#[test]
fn unexpected_closing_end() {
    check_diag!("fn main() do\n  1\nend\nend\n", "Parse error");
}

#[test]
fn unbalanced_paren_at_eof() {
    check_diag!("fn main() do\n  f(1, 2\nend\n", "Parse error");
}

#[test]
fn pub_on_nested_function() {
    check_diag!(
        "fn main() do\n  pub fn helper() = 1\n  helper()\nend\n",
        "`pub` is not allowed on a declaration inside a block"
    );
}

#[test]
fn reserved_word_as_a_function_name() {
    check_diag!(
        "fn type() do\n  1\nend\n",
        "`type` is a reserved word and cannot be used as a name"
    );
}

#[test]
fn list_literal_pattern_gets_a_hint() {
    check_diag!(
        "fn main() do\n  case [1, 2] do\n    [a, b] -> a\n    _ -> 0\n  end\nend\n",
        "there are no list-literal patterns"
    );
}

#[test]
fn expected_tokens_are_described_not_named() {
    // `~r/b/` cannot follow a complete expression; the expected list names no internal token.
    check_diag!(
        "fn main() do\n  let y = ~r/a/ ~r/b/\nend\n",
        "unexpected regex literal"
    );
}
