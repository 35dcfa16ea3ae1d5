//! Unit tests of the lexer: one compact rendering of the token stream per input (`kinds`), the
//! error list with spans (`errs`), comments, and robustness (random inputs, deep nesting).

use super::{lex, CommentKind, Lexed};
use crate::token::Token;

/// A compact, unambiguous rendering of one token.
fn show(token: &Token) -> String {
    match token {
        Token::Newline => "NL".into(),
        Token::Int(n) => n.to_string(),
        Token::Float(x) => format!("{x:?}"),
        Token::Str(s) | Token::StrPart(s) => format!("{s:?}"),
        Token::StrBegin => "<str".into(),
        Token::StrEnd => "str>".into(),
        Token::InterpBegin => "#{".into(),
        Token::InterpEnd => "}#".into(),
        Token::JsonBrace => "json{".into(),
        Token::LocalFn => "localfn".into(),
        Token::Ident(s)
            if Token::keyword(s).is_some()
                || matches!(s.as_str(), "from" | "deriving" | "cluster") =>
        {
            format!("ident({s})")
        }
        Token::Regex { pattern, flags } => format!("~r/{pattern}/{flags}"),
        other => other.to_string(),
    }
}

fn render(lexed: &Lexed) -> String {
    lexed
        .tokens
        .iter()
        .map(|(_, t, _)| show(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tokens of an input that must lex without errors.
fn kinds(src: &str) -> String {
    let lexed = lex(src);
    assert!(
        lexed.errors.is_empty(),
        "unexpected errors for {src:?}: {:?}",
        lexed.errors
    );
    render(&lexed)
}

/// The tokens of an input, errors or not.
fn kinds_lossy(src: &str) -> String {
    render(&lex(src))
}

/// Every error as `message @start..end`.
fn errs(src: &str) -> Vec<String> {
    lex(src)
        .errors
        .iter()
        .map(|e| format!("{} @{}..{}", e.message(), e.start, e.end))
        .collect()
}

fn spans(src: &str) -> Vec<(usize, usize)> {
    lex(src).tokens.iter().map(|(s, _, e)| (*s, *e)).collect()
}

/// A single string token's decoded value.
fn str_value(src: &str) -> String {
    let lexed = lex(src);
    assert!(
        lexed.errors.is_empty(),
        "unexpected errors for {src:?}: {:?}",
        lexed.errors
    );
    match lexed.tokens.as_slice() {
        [(_, Token::Str(s), _)] => s.clone(),
        other => panic!("expected one string token for {src:?}, got {other:?}"),
    }
}

// ---- significant newlines (spec §1.2)

#[test]
fn newline_separates_statements_and_runs_collapse() {
    assert_eq!(kinds("a\nb"), "a NL b");
    assert_eq!(kinds("\n\n a\n\n\n b \n\n"), "a NL b");
    assert_eq!(kinds("a\r\nb\rc\n"), "a NL b NL c");
}

#[test]
fn newlines_inside_brackets_are_skipped() {
    assert_eq!(kinds("f(a,\n  b)\nc"), "f ( a , b ) NL c");
    assert_eq!(kinds("[1,\n2,\n]"), "[ 1 , 2 , ]");
    assert_eq!(kinds("%{\n\"a\" => 1\n}"), "%{ \"a\" => 1 }");
    assert_eq!(kinds("% {\n}"), "%{ }");
    assert_eq!(
        kinds("json {\n ok: true,\n n: 2\n}\nx"),
        "json{ ok : true , n : 2 } NL x"
    );
    assert_eq!(kinds("User {\n name: n\n}"), "User { name : n }");
}

#[test]
fn trailing_pipe_continues_the_line() {
    assert_eq!(kinds("x |>\n  f()\ny"), "x |> f ( ) NL y");
    assert_eq!(kinds("x |2>\n  f(1)"), "x |2> f ( 1 )");
    assert_eq!(kinds("x |> # why\n  f"), "x |> f");
}

#[test]
fn leading_pipe_continues_across_blank_and_comment_lines() {
    assert_eq!(
        kinds("x\n  |> f\n  # note\n\n  |3> g(1, 2)\ny"),
        "x |> f |3> g ( 1 , 2 ) NL y"
    );
    assert_eq!(kinds("x\n#= block =#\n|> f"), "x |> f");
}

#[test]
fn newline_after_arm_arrow_is_skipped() {
    let src = "case x do\n  1 ->\n    a\n  _ -> b\nend";
    assert_eq!(kinds(src), "case x do 1 -> a NL _ -> b NL end");
    let src = "receive do\n  m ->\n    m\n  after 50 ->\n    0\nend";
    assert_eq!(kinds(src), "receive do m -> m NL after 50 -> 0 NL end");
}

#[test]
fn no_newline_after_do_or_semicolon() {
    assert_eq!(kinds("if a do\n  b\nend"), "if a do b NL end");
    assert_eq!(kinds("a; b;\n c"), "a ; b ; c");
    assert_eq!(kinds("a\n;b"), "a NL ; b");
    assert_eq!(kinds("if a do b else c end"), "if a do b else c end");
}

#[test]
fn do_block_inside_parentheses_keeps_its_newlines() {
    let src = "List.map(xs, fn x do\n  let y = x * 2\n  y + 1\nend)\nz";
    assert_eq!(
        kinds(src),
        "List . map ( xs , fn x do let y = x * 2 NL y + 1 NL end ) NL z"
    );
    let src = "foo(if c do\n  a\n  -b\nend)";
    assert_eq!(kinds(src), "foo ( if c do a NL - b NL end )");
    let src = "test(\"x\") do\n  assert(a)\n  assert(b)\nend";
    assert_eq!(
        kinds(src),
        "test ( \"x\" ) do assert ( a ) NL assert ( b ) NL end"
    );
}

#[test]
fn arrow_closure_may_span_lines() {
    let src = "let f = fn x ->\n  x +\n  1\nend\nf(1)";
    assert_eq!(kinds(src), "let f = fn x -> x + 1 end NL f ( 1 )");
    let src = "let add = fn a,\n  b -> a + b end\nadd";
    assert_eq!(kinds(src), "let add = fn a , b -> a + b end NL add");
    assert_eq!(
        kinds("let now = fn ->\n 42\nend\nx"),
        "let now = fn -> 42 end NL x"
    );
    let src = "let inc = fn(x :: Int) ->\n x + 1\nend";
    assert_eq!(kinds(src), "let inc = fn ( x :: Int ) -> x + 1 end");
}

#[test]
fn multi_clause_closure_is_one_bracket_context() {
    let src =
        "let sign = fn 0 -> \"zero\"\n  | n when n > 0 -> \"pos\"\n  | _ -> \"neg\"\nend\nsign";
    let expected =
        "let sign = fn 0 -> \"zero\" | n when n > 0 -> \"pos\" | _ -> \"neg\" end NL sign";
    assert_eq!(kinds(src), expected);
    let src = "fn Some(x) ->\n x\n | None -> 0 end\ny";
    assert_eq!(kinds(src), "fn Some ( x ) -> x | None -> 0 end NL y");
}

#[test]
fn do_inside_arrow_closure_body_is_nested() {
    let src = "let f = fn x -> if x do\n  1\nelse\n  2\nend\nend\ny";
    assert_eq!(
        kinds(src),
        "let f = fn x -> if x do 1 NL else NL 2 NL end end NL y"
    );
}

#[test]
fn closure_with_do_body_is_a_block() {
    let src = "let work = fn item do\n  let y = item * 2\n  y + 1\nend\nwork";
    assert_eq!(
        kinds(src),
        "let work = fn item do let y = item * 2 NL y + 1 NL end NL work"
    );
    let src = "let g = fn (a, b) when a > b do\n a\n b\nend";
    assert_eq!(
        kinds(src),
        "let g = fn ( a , b ) when a > b do a NL b NL end"
    );
    assert_eq!(kinds("fn do\n a\n b\nend"), "fn do a NL b NL end");
}

#[test]
fn named_function_at_item_level_is_not_a_closure() {
    // A definition without parameters but with a return type must not open an arrow closure,
    // or the newline after its `end` would be lost.
    let src = "fn tick -> Int do\n  1\nend\nfn other() do 2 end";
    assert_eq!(
        kinds(src),
        "fn tick -> Int do 1 NL end NL fn other ( ) do 2 end"
    );
    let src = "pub fn tick -> Int do 1 end\nx";
    assert_eq!(kinds(src), "pub fn tick -> Int do 1 end NL x");
    let src = "@cluster(2) pub fn add -> Int do 1 end\nx";
    assert_eq!(
        kinds(src),
        "@ cluster ( 2 ) pub fn add -> Int do 1 end NL x"
    );
    let src = "fn tick do\n a\n b\nend\nx";
    assert_eq!(kinds(src), "fn tick do a NL b NL end NL x");
}

#[test]
fn fn_in_item_bodies_are_definitions() {
    let src = "impl Show for Foo do\n  fn show -> String do\n    \"x\"\n  end\n  fn other(self) do 1 end\nend\nx";
    let expected = "impl Show for Foo do fn show -> String do \"x\" NL end NL fn other ( self ) do 1 end NL end NL x";
    assert_eq!(kinds(src), expected);
    let src = "pub module M do\n  fn f -> Int = 1\n  fn g -> Int = 2\nend";
    assert_eq!(
        kinds(src),
        "pub module M do fn f -> Int = 1 NL fn g -> Int = 2 NL end"
    );
    let src = "service S do\n  fn init -> Int do 0 end\n  call Get() :: Int do |n|\n    (n, n)\n  end\nend";
    let expected = "service S do fn init -> Int do 0 end NL call Get ( ) :: Int do | n | NL ( n , n ) NL end NL end";
    assert_eq!(kinds(src), expected);
}

#[test]
fn fn_name_arrow_inside_a_body_is_a_closure() {
    let src = "fn main() do\n  let f = fn x -> x\n  end\n  f(1)\nend";
    assert_eq!(
        kinds(src),
        "fn main ( ) do let f = fn x -> x end NL f ( 1 ) NL end"
    );
    let src = "fn main() do\n  fn helper(x) do\n    x\n  end\n  helper(1)\nend";
    assert_eq!(
        kinds(src),
        "fn main ( ) do localfn helper ( x ) do x NL end NL helper ( 1 ) NL end"
    );
    let src = "x = fn make(n) = fn y -> y +\n n end\nz";
    assert_eq!(kinds(src), "x = fn make ( n ) = fn y -> y + n end NL z");
    let src = "Test.mock_actor(fn msg do\n  a\n  b\nend)";
    assert_eq!(kinds(src), "Test . mock_actor ( fn msg do a NL b NL end )");
}

#[test]
fn else_if_chain_shares_one_block() {
    // Only the chain's first `do` opens a block, so the `end` returns to the top level and the
    // next `fn` is an item (not a nested function).
    let src = "fn f(n) do\n  if n < 0 do\n    1\n  else if (n == 0) do\n    2\n  else if g(fn x do x end) do\n    3\n  else\n    4\n  end\nend\nfn main() = 1";
    let lexed = lex(src);
    assert!(!kinds(src).contains("localfn"));
    let main = src.rfind("fn main").expect("in the source");
    assert_eq!(lexed.top_level_starts, vec![0, main]);
    // `else` ending its line starts an ordinary block holding an `if` with its own `end`.
    let src = "fn f(n) do\n  if n do\n    1\n  else\n    if m do 2 end\n  end\nend\nfn main() = 1";
    assert!(!kinds(src).contains("localfn"));
}

#[test]
fn named_fn_starting_a_block_statement_is_a_local_fn() {
    let src = "fn main() do\n  fn helper(x) = x\n  def two() = 2\n  helper(1)\nend";
    assert_eq!(
        kinds(src),
        "fn main ( ) do localfn helper ( x ) = x NL localfn two ( ) = 2 NL helper ( 1 ) NL end"
    );
    let src = "actor a() do\n  fn step(n) = n\n  step(1)\nend";
    assert_eq!(
        kinds(src),
        "actor a ( ) do localfn step ( n ) = n NL step ( 1 ) NL end"
    );
    // Closures, item-level definitions and `fn` later in a statement or inside brackets stay
    // plain `fn`.
    let src = "fn main() do\n  let f = fn (x) -> x end\n  fn x -> x end\n  f(fn g(x) = 1)\nend";
    assert!(!kinds(src).contains("localfn"));
    let src = "impl Show for Foo do\n  fn show(self) = 1\nend\nfn top() = 1\ndef other() = 2";
    assert!(!kinds(src).contains("localfn"));
}

#[test]
fn closure_heads_are_recognised() {
    for src in [
        "f(fn _ ->\n 1 end)",
        "f(fn -1 ->\n 1 end)",
        "f(fn \"a\" ->\n 1 end)",
        "f(fn true ->\n 1 end)",
        "f(fn x :: Int ->\n 1 end)",
        "f(fn Shape.Dot ->\n 1 end)",
    ] {
        assert!(!kinds(src).contains("NL"), "{src:?}");
    }
    // At the top level a closure statement is also recognised when it cannot be a definition.
    assert_eq!(kinds("fn (x) ->\n x end\ny"), "fn ( x ) -> x end NL y");
}

#[test]
fn supervisor_child_start_closure() {
    let src =
        "child poller do\n  start: fn -> spawn(poll_loop, 250) end\n  restart: transient\nend";
    let expected =
        "child poller do start : fn -> spawn ( poll_loop , 250 ) end NL restart : transient NL end";
    assert_eq!(kinds(src), expected);
}

#[test]
fn unbalanced_closers_are_passed_through() {
    assert_eq!(kinds("end ) ] }\na"), "end ) ] } NL a");
    assert_eq!(kinds("f(a end\nb"), "f ( a end b");
    assert_eq!(kinds("(a\nb"), "( a b");
}

#[test]
fn closer_pops_through_unclosed_inner_frames() {
    // The `]` is missing; `)` still closes the call, so the newline after it counts.
    assert_eq!(kinds("f([a)\nb"), "f ( [ a ) NL b");
    // `end` closes the block even though a parenthesis inside it was left open.
    assert_eq!(kinds("if a do\n f(\nend\nb"), "if a do f ( end NL b");
}

// ---- comments (spec §1.3)

#[test]
fn comments_are_kept_out_of_tokens() {
    let lexed = lex("a # line\n## doc\n##! module\n### banner\nb #= block =# c");
    assert_eq!(render(&lexed), "a NL b c");
    let kinds: Vec<_> = lexed
        .comments
        .iter()
        .map(|c| (c.kind, c.text.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (CommentKind::Line, " line"),
            (CommentKind::Doc, " doc"),
            (CommentKind::ModuleDoc, " module"),
            (CommentKind::Line, "## banner"),
            (CommentKind::Block, " block "),
        ]
    );
    let first = &lexed.comments[0];
    assert_eq!((first.start, first.end), (2, 8));
}

#[test]
fn block_comments_nest_and_do_not_separate_statements() {
    let lexed = lex("a #= x #= y =#\n z =# b");
    assert_eq!(render(&lexed), "a b");
    assert_eq!(lexed.comments.len(), 1);
    assert_eq!(lexed.comments[0].text, " x #= y =#\n z ");
    assert_eq!((lexed.comments[0].start, lexed.comments[0].end), (2, 20));
}

#[test]
fn banner_of_equals_opens_a_block_comment() {
    assert_eq!(kinds("#====\nfoo\n====#\nbar"), "bar");
    assert_eq!(kinds("# ====\nfoo"), "foo");
    assert_eq!(
        errs("#==== title\nfoo"),
        ["unterminated block comment @0..2"]
    );
}

#[test]
fn comments_inside_brackets_are_recorded() {
    let lexed = lex("f(a, # first\n  b)");
    assert_eq!(render(&lexed), "f ( a , b )");
    assert_eq!(lexed.comments[0].text, " first");
}

#[test]
fn hash_inside_string_is_not_a_comment() {
    assert_eq!(
        kinds("\"# not a comment\" # comment"),
        "\"# not a comment\""
    );
}

// ---- identifiers and keywords (spec §1.4, §1.5)

#[test]
fn identifiers_including_unicode() {
    let lexed = lex("foo _ _bar Baz café Ωmega 日本 x1");
    assert!(lexed.errors.is_empty());
    let tokens: Vec<_> = lexed.tokens.into_iter().map(|(_, t, _)| t).collect();
    let ident = |s: &str| Token::Ident(s.into());
    let upper = |s: &str| Token::UpperIdent(s.into());
    assert_eq!(
        tokens,
        [
            ident("foo"),
            ident("_"),
            ident("_bar"),
            upper("Baz"),
            ident("café"),
            upper("Ωmega"),
            ident("日本"),
            ident("x1")
        ]
    );
    assert_eq!(spans("café x"), [(0, 5), (6, 7)]);
}

#[test]
fn reserved_words_are_keywords() {
    assert_eq!(
        kinds("let x = not true and false or nil"),
        "let x = not true and false or nil"
    );
    let lexed = lex("actor self spawn");
    assert_eq!(
        lexed.tokens.iter().map(|t| t.1.clone()).collect::<Vec<_>>(),
        [Token::Actor, Token::SelfKw, Token::Spawn]
    );
}

#[test]
fn keywords_after_dot_are_member_names() {
    assert_eq!(kinds("Node.self()"), "Node . ident(self) ( )");
    assert_eq!(kinds("Process.monitor(p) x.send x.where x.cast x.link x.spawn"),
        "Process . ident(monitor) ( p ) x . ident(send) x . ident(where) x . ident(cast) x . ident(link) x . ident(spawn)");
    // A member named like a block keyword does not open or close a block.
    assert_eq!(
        kinds("x.do\ny.end\nz.fn\nw.json {}"),
        "x . ident(do) NL y . ident(end) NL z . ident(fn) NL w . ident(json) { }"
    );
}

#[test]
fn from_is_a_keyword_only_at_statement_start() {
    assert_eq!(kinds("from Foo import bar"), "from Foo import bar");
    assert_eq!(
        kinds("x\nfrom A import b; from B import c"),
        "x NL from A import b ; from B import c"
    );
    assert_eq!(
        kinds("fn f() do from A import b end"),
        "fn f ( ) do from A import b end"
    );
    assert_eq!(kinds("let x = from"), "let x = ident(from)");
    assert_eq!(kinds("f(from)"), "f ( ident(from) )");
}

#[test]
fn deriving_is_a_keyword_only_after_end_on_the_same_line() {
    assert_eq!(
        kinds("struct A do\n x :: Int\nend deriving(Json)"),
        "struct A do x :: Int NL end deriving ( Json )"
    );
    assert_eq!(
        kinds("end\nderiving(Json)"),
        "end NL ident(deriving) ( Json )"
    );
    assert_eq!(kinds("deriving"), "ident(deriving)");
}

#[test]
fn cluster_is_a_keyword_only_after_at() {
    assert_eq!(
        kinds("@cluster pub fn f() do end"),
        "@ cluster pub fn f ( ) do end"
    );
    assert_eq!(kinds("cluster"), "ident(cluster)");
}

// ---- numbers (spec §1.7)

#[test]
fn integers_in_every_base() {
    assert_eq!(
        kinds("42 1_000_000 0xFF 0xff_ff 0b1010 0o777 0 007"),
        "42 1000000 255 65535 10 511 0 7"
    );
}

#[test]
fn integer_range_is_checked() {
    assert_eq!(kinds("9223372036854775808"), "9223372036854775808");
    assert_eq!(kinds("0x8000000000000000"), "9223372036854775808");
    assert_eq!(
        errs("9223372036854775809"),
        ["integer literal is too large @0..19"]
    );
    assert_eq!(
        errs("x 99999999999999999999999"),
        ["integer literal is too large @2..25"]
    );
    assert_eq!(
        errs("0xFFFFFFFFFFFFFFFFF"),
        ["integer literal is too large @0..19"]
    );
}

#[test]
fn floats() {
    assert_eq!(
        kinds("3.14 2.5e-3 1e6 1E+2 1_0.5"),
        "3.14 0.0025 1000000.0 100.0 10.5"
    );
}

#[test]
fn dot_after_digits_is_a_fraction_only_before_a_digit() {
    assert_eq!(kinds("1..5"), "1 .. 5");
    assert_eq!(kinds("42.to_string()"), "42 . to_string ( )");
    assert_eq!(kinds("1.e5"), "1 . e5");
    assert_eq!(kinds("1.5.abs()"), "1.5 . abs ( )");
}

#[test]
fn malformed_numbers_are_errors() {
    assert_eq!(errs("0x"), ["missing digits after `0x` @0..2"]);
    assert_eq!(errs("0b;"), ["missing digits after `0b` @0..2"]);
    assert_eq!(errs("0b102"), ["invalid digit `2` in binary literal @0..5"]);
    assert_eq!(errs("0o8"), ["invalid digit `8` in octal literal @0..3"]);
    assert_eq!(
        errs("0xFG"),
        ["invalid digit `G` in hexadecimal literal @0..4"]
    );
    assert_eq!(errs("1e"), ["missing digits in float exponent @0..2"]);
    assert_eq!(errs("2.5e+ x"), ["missing digits in float exponent @0..5"]);
    assert_eq!(
        errs("12px"),
        ["invalid suffix `px` on number literal @0..4"]
    );
    assert_eq!(errs("1e999"), ["float literal is too large @0..5"]);
    // Recovery: the literal is still a number token.
    assert_eq!(kinds_lossy("0x + 1"), "0 + 1");
}

// ---- strings (spec §1.7)

#[test]
fn string_escapes() {
    assert_eq!(
        str_value(r#""a\nb\t\"q\" \\ \0 \r \x""#),
        "a\nb\t\"q\" \\ \0 \r x"
    );
    assert_eq!(str_value(r#""\#{no} \${no}""#), "#{no} ${no}");
    assert_eq!(str_value("\"two\nlines\r\n\""), "two\nlines\r\n");
    assert_eq!(str_value("\"$ and # alone, {}\""), "$ and # alone, {}");
    assert_eq!(str_value("\"\""), "");
}

#[test]
fn string_spans_cover_the_quotes() {
    assert_eq!(spans("x \"ab\""), [(0, 1), (2, 6)]);
    assert_eq!(
        spans("x \"a#{b}c\""),
        [
            (0, 1),
            (2, 3),
            (3, 4),
            (4, 6),
            (6, 7),
            (7, 8),
            (8, 9),
            (9, 10)
        ]
    );
}

#[test]
fn interpolation_produces_parts() {
    assert_eq!(kinds("\"a #{b} c\""), "<str \"a \" #{ b }# \" c\" str>");
    assert_eq!(kinds("\"#{x}\""), "<str #{ x }# str>");
    assert_eq!(kinds("\"${x}y${z}\""), "<str #{ x }# \"y\" #{ z }# str>");
    assert_eq!(kinds("\"#{a.b(1, c)}\""), "<str #{ a . b ( 1 , c ) }# str>");
}

#[test]
fn interpolation_with_nested_braces_and_strings() {
    assert_eq!(
        kinds("\"#{%{\"k\" => {1}}}!\""),
        "<str #{ %{ \"k\" => { 1 } } }# \"!\" str>"
    );
    assert_eq!(
        kinds("\"a #{\"b #{c} d\"} e\""),
        "<str \"a \" #{ <str \"b \" #{ c }# \" d\" str> }# \" e\" str>"
    );
    assert_eq!(kinds("\"#{json {a: 1}}\""), "<str #{ json{ a : 1 } }# str>");
}

#[test]
fn newlines_inside_interpolation_are_skipped_except_in_blocks() {
    assert_eq!(kinds("\"#{\n a\n}\"\nb"), "<str #{ a }# str> NL b");
    assert_eq!(
        kinds("\"#{if c do\n a\n b\nend}\""),
        "<str #{ if c do a NL b NL end }# str>"
    );
}

#[test]
fn unterminated_strings() {
    assert_eq!(errs("x = \"abc"), ["unterminated string literal @4..5"]);
    assert_eq!(errs("\"a #{b"), ["unterminated string literal @0..1"]);
    assert_eq!(errs("\"a #{b} c"), ["unterminated string literal @0..1"]);
    assert_eq!(errs("\"a\\"), ["unterminated string literal @0..1"]);
    assert_eq!(errs("\"\"\"abc\"\""), ["unterminated string literal @0..3"]);
    assert_eq!(kinds_lossy("\"abc"), "\"abc\"");
}

// ---- heredocs (spec §1.7)

#[test]
fn heredoc_spec_example() {
    let src = "let sql = \"\"\"\n    SELECT id\n    FROM users\n    \"\"\"";
    assert_eq!(kinds(src), "let sql = \"SELECT id\\nFROM users\"");
}

#[test]
fn single_line_heredoc_is_unchanged() {
    assert_eq!(str_value("\"\"\"{\"a\":1}\"\"\""), "{\"a\":1}");
    assert_eq!(str_value("\"\"\"  x  \"\"\""), "  x  ");
}

#[test]
fn heredoc_quotes_inside_are_content() {
    assert_eq!(
        str_value("\"\"\"say \"hi\" and \"\"x\"\" \"\"\""),
        "say \"hi\" and \"\"x\"\" "
    );
    assert_eq!(str_value("\"\"\"a\"\"\"\""), "a\"");
    assert_eq!(str_value("\"\"\"\"\"\""), "");
}

#[test]
fn heredoc_dedent_keeps_relative_indent_and_blank_lines() {
    assert_eq!(str_value("\"\"\"\n  a\n    b\n  \"\"\""), "a\n  b");
    assert_eq!(str_value("\"\"\"\n    a\n\n    b\n    \"\"\""), "a\n\nb");
    assert_eq!(str_value("\"\"\"\n\ta\n\t\"\"\""), "a");
    assert_eq!(str_value("\"\"\"\r\n  a\r\n  \"\"\""), "a");
    assert_eq!(str_value("\"\"\"\n  a\n\"\"\""), "  a");
    assert_eq!(str_value("\"\"\"\n\"\"\""), "");
}

#[test]
fn heredoc_without_blank_closing_line_is_not_dedented() {
    assert_eq!(str_value("\"\"\"\n  a\n  b\"\"\""), "  a\n  b");
    assert_eq!(str_value("\"\"\"x\n  a\n  \"\"\""), "x\na");
}

#[test]
fn heredoc_escapes_are_literal_text_not_indent() {
    assert_eq!(str_value("\"\"\"\n  \\ta\n  \"\"\""), "\ta");
}

#[test]
fn interpolated_heredoc_dedents_only_literal_text() {
    let src = "\"\"\"\n    Hello #{name}\n      x #{y}\n    \"\"\"";
    assert_eq!(
        kinds(src),
        "<str \"Hello \" #{ name }# \"\\n  x \" #{ y }# str>"
    );
    // The part before the interpolation dedents to nothing and is dropped; the value's own
    // spaces stay.
    let src = "\"\"\"\n  #{\"  a\"}\n  \"\"\"";
    assert_eq!(kinds(src), "<str #{ \"  a\" }# str>");
    let src = "\"\"\"\n  #{a} b\n  c\n  \"\"\"";
    assert_eq!(kinds(src), "<str #{ a }# \" b\\nc\" str>");
}

// ---- atoms (spec §1.7)

#[test]
fn atoms_versus_colons() {
    assert_eq!(kinds(":desc :_x :get"), ":desc :_x :get");
    assert_eq!(kinds("a: b"), "a : b");
    assert_eq!(kinds("{a:b}"), "{ a :b }");
    assert_eq!(kinds("x :: Int"), "x :: Int");
    assert_eq!(kinds("h::t"), "h :: t");
    assert_eq!(kinds(":Foo"), ": Foo");
    assert_eq!(spans(":desc"), [(0, 5)]);
}

// ---- regex (spec §1.7)

#[test]
fn regex_literals() {
    assert_eq!(kinds(r"~r/a\/b/i"), "~r/a/b/i");
    assert_eq!(kinds(r"~r/\d+\s/ims x"), r"~r/\d+\s/ims x");
    assert_eq!(kinds(r"~r/a\\/"), r"~r/a\\/");
    assert_eq!(kinds("~r//"), "~r//");
}

#[test]
fn regex_errors() {
    assert_eq!(errs("~r/ab/ix"), ["invalid regex flag `x` @7..8"]);
    assert_eq!(errs("~r/ab"), ["unterminated regex literal @0..5"]);
    assert_eq!(errs("~r/ab\n/"), ["unterminated regex literal @0..5"]);
    assert_eq!(errs("a ~x"), ["unexpected character `~` @2..3"]);
    assert_eq!(errs("~r"), ["unexpected character `~` @0..1"]);
    assert_eq!(
        errs("x = ~r/(a/i"),
        ["invalid regex: unclosed group at column 1 @4..11"]
    );
    assert_eq!(errs(r"~r/\p{Greek}+|[é-ü]/"), Vec::<String>::new());
}

// ---- operators (spec §1.6)

#[test]
fn operators_longest_match() {
    let src = "+ - * / % == != < > <= >= && || ! <> ++ |> .. ? = -> => :: | , . : ; @ ( ) [ ] { }";
    assert_eq!(kinds(src), src);
    assert_eq!(kinds("a>>b"), "a > > b");
    assert_eq!(kinds("a...b"), "a .. . b");
    assert_eq!(kinds("x!=y!z"), "x != y ! z");
    assert_eq!(kinds("T!E T?"), "T ! E T ?");
    assert_eq!(kinds("%{} %x"), "%{ } % x");
    assert_eq!(kinds("json x"), "json x");
}

#[test]
fn slot_pipes() {
    assert_eq!(kinds("10 |2> sub(100)"), "10 |2> sub ( 100 )");
    assert_eq!(kinds("x |10> f"), "x |10> f");
    assert_eq!(kinds("do |n| n end"), "do | n | n end");
}

#[test]
fn slot_pipe_errors() {
    let small = "slot position must be ≥ 2; use `|>` for the first argument";
    assert_eq!(errs("x |0> f"), [format!("{small} @2..5")]);
    assert_eq!(errs("x |1> f"), [format!("{small} @2..5")]);
    assert_eq!(kinds_lossy("x |1> f"), "x |> f");
    assert_eq!(
        errs("1 |2 -> x"),
        ["expected `>` after slot position @2..4"]
    );
    assert_eq!(kinds_lossy("1 |2 -> x"), "1 | 2 -> x");
    assert_eq!(
        errs("x |99999999999> f"),
        ["slot position is too large @2..15"]
    );
}

#[test]
fn unexpected_characters() {
    assert_eq!(errs("a & b"), ["unexpected character `&` @2..3"]);
    assert_eq!(kinds_lossy("a & b"), "a b");
    assert_eq!(
        errs("a ^ '€"),
        [
            "unexpected character `^` @2..3",
            "unexpected character `'` @4..5",
            "unexpected character `€` @5..8"
        ]
    );
    assert_eq!(
        errs("a\u{7}b\u{0}"),
        [
            "unexpected control character U+0007 @1..2",
            "unexpected control character U+0000 @3..4"
        ]
    );
    assert_eq!(kinds_lossy("a\u{7}b"), "a b");
    assert_eq!(kinds("\u{feff}a"), "a");
}

#[test]
fn several_errors_are_all_reported_in_order() {
    assert_eq!(
        errs("a & 0x\n~q |1> \"x"),
        [
            "unexpected character `&` @2..3",
            "missing digits after `0x` @4..6",
            "unexpected character `~` @7..8",
            "slot position must be ≥ 2; use `|>` for the first argument @10..13",
            "unterminated string literal @14..15",
        ]
    );
}

// ---- whole programs

#[test]
fn service_example_from_the_spec() {
    let src = "service Tally do
  fn init(start :: Int) -> Int do start end
  call AddBy(k :: Int) :: Int do|n|
    (n + k, n + k)                  # (new_state, reply)
  end
  cast Clear() do |_n|
    0
  end
end

let pid = Tally.start(5)";
    let expected = "service Tally do fn init ( start :: Int ) -> Int do start end NL \
        call AddBy ( k :: Int ) :: Int do | n | NL ( n + k , n + k ) NL end NL \
        cast Clear ( ) do | _n | NL 0 NL end NL end NL let pid = Tally . start ( 5 )";
    assert_eq!(kinds(src), expected);
}

#[test]
fn interface_example_from_the_spec() {
    let src = "interface Describe do
  type Out
  fn describe(self) -> Self.Out
  fn tag(self) -> String do \"item\" end          # default body
end";
    let expected = "interface Describe do type Out NL fn describe ( self ) -> Self . Out NL \
        fn tag ( self ) -> String do \"item\" end NL end";
    assert_eq!(kinds(src), expected);
}

#[test]
fn test_file_example_from_the_spec() {
    let src = "describe(\"Config helpers\") do
  setup do
    a
  end
  test(\"keys\") do assert_ne(\"a\", \"b\") end
  test(\"raises\") do
    assert_raises(fn() do
      boom()
      boom()
    end)
    assert_receive Ping, 50
  end
end";
    let expected = "describe ( \"Config helpers\" ) do setup do a NL end NL \
        test ( \"keys\" ) do assert_ne ( \"a\" , \"b\" ) end NL \
        test ( \"raises\" ) do assert_raises ( fn ( ) do boom ( ) NL boom ( ) NL end ) NL \
        assert_receive Ping , 50 NL end NL end";
    assert_eq!(kinds(src), expected);
}

// ---- robustness

/// A deterministic xorshift generator, so failures reproduce without a new dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn check_invariants(src: &str) {
    let lexed = lex(src);
    let mut last_start = 0;
    for (start, token, end) in &lexed.tokens {
        assert!(
            start <= end && *end <= src.len(),
            "span {start}..{end} of {token:?} out of bounds in {src:?}"
        );
        assert!(
            src.is_char_boundary(*start) && src.is_char_boundary(*end),
            "span off a char boundary in {src:?}"
        );
        assert!(
            *start >= last_start,
            "token {token:?} at {start} before {last_start} in {src:?}"
        );
        last_start = *start;
    }
    for error in &lexed.errors {
        assert!(
            error.start <= error.end && error.end <= src.len(),
            "error span out of bounds in {src:?}"
        );
        assert!(src.is_char_boundary(error.start) && src.is_char_boundary(error.end));
        assert!(!error.message().is_empty());
    }
    for comment in &lexed.comments {
        assert!(comment.start <= comment.end && comment.end <= src.len());
        assert!(src.is_char_boundary(comment.start) && src.is_char_boundary(comment.end));
    }
}

#[test]
fn random_inputs_never_panic_and_keep_spans_valid() {
    const PIECES: &[&str] = &[
        "\"", "\"\"\"", "#{", "${", "}", "{", "(", ")", "[", "]", "~r/", "~", "/", "|", "|>",
        "|2>", "|0>", "|9", "0x", "0b", "1", "9", "1e", ".", "..", "e", "\\", "\n", "\r", "\r\n",
        " ", "\t", "do", "end", "fn", "->", "#", "##", "#=", "=#", ":", "::", "a", "X", "_", "é",
        "日", "🙂", "\u{7}", "%", "json", "&", ";", "@", "cluster", "from", "deriving", "when",
        ",", "=", "-", "'", "\u{feff}",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = rng.below(40);
        let src: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        check_invariants(&src);
    }
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 100_000;
    let strings = format!("{}{}", "\"#{".repeat(depth), "}\"".repeat(depth));
    let lexed = lex(&strings);
    assert!(lexed.errors.is_empty());
    assert_eq!(lexed.tokens.len(), depth * 4);
    let heredocs = format!(
        "{}{}",
        "\"\"\"\n  #{".repeat(depth),
        "}\n  \"\"\"".repeat(depth)
    );
    assert!(lex(&heredocs).errors.is_empty());
    let parens = format!("{}{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(lex(&parens).tokens.len(), depth * 2);
    let blocks = format!("{}{}", "do\n".repeat(depth), "end\n".repeat(depth));
    assert!(lex(&blocks).errors.is_empty());
    check_invariants(&format!(
        "{}{}",
        "\"#{(".repeat(depth),
        "end]".repeat(depth)
    ));
    assert_eq!(
        errs(&"#=".repeat(depth)),
        ["unterminated block comment @0..2"]
    );
}

#[test]
fn unbalanced_closers_stay_fast() {
    // Each closer finds its frame in constant time, so this finishes quickly.
    let depth = 100_000;
    let src = format!("{}{}", "(".repeat(depth), "}".repeat(depth));
    assert_eq!(lex(&src).tokens.len(), depth * 2);
    let src = format!("{}{}", "(fn x -> \"#{".repeat(1000), ")".repeat(depth));
    check_invariants(&src);
}
