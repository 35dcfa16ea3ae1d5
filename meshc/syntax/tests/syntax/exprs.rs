//! AST snapshots of statements and expressions (spec language §4, grammar §6: `block`, `stmt`,
//! `expr` … `primary`), one construct per test. Each input is a function body.

#[test]
fn let_forms() {
    check_parse!(
        "fn main() do\n  let x = 1\n  let y :: Int = 2\n  let (a, b) = (1, 2)\n  let _ = f()\n  let _unused = 3\nend\n"
    );
}

#[test]
fn let_with_generic_annotation() {
    check_parse!("fn main() do\n  let r :: Result<Pos, String> = 5.try_into()\nend\n");
}

#[test]
fn return_with_and_without_value() {
    check_parse!("fn f(x) do\n  if x do\n    return 1\n  end\n  return\nend\n");
}

#[test]
fn semicolons_separate_statements() {
    check_parse!("fn main() do let a = 1; let b = 2; a + b end\n");
}

#[test]
fn integer_literals_in_every_base() {
    check_parse!(
        "fn main() do\n  [42, 1_000_000, 0xFF, 0b1010, 0o777, 9223372036854775807]\nend\n"
    );
}

#[test]
fn float_literals() {
    check_parse!("fn main() do\n  [3.14, 2.5e-3, 1e6, 1.5E+2]\nend\n");
}

#[test]
fn bool_nil_atom_and_regex_literals() {
    check_parse!("fn main() do\n  (true, false, nil, :desc, ~r/a\\/b+/im)\nend\n");
}

#[test]
fn string_escapes() {
    check_parse!("fn main() do\n  \"a\\nb\\t\\r\\0\\\\\\\"\\$\\#{x}\"\nend\n");
}

#[test]
fn string_interpolation_both_forms() {
    check_parse!("fn main() do\n  \"x=#{x + 1}, y=${f(\"s\", [1])}!\"\nend\n");
}

#[test]
fn nested_interpolation() {
    check_parse!("fn main() do\n  \"a #{\"b #{c} d\"} e\"\nend\n");
}

#[test]
fn heredoc_is_dedented() {
    check_parse!(
        "fn main() do\n  let sql = \"\"\"\n    SELECT id\n    FROM #{table}\n    \"\"\"\n  \"\"\"{\"a\":1}\"\"\"\nend\n"
    );
}

#[test]
fn list_map_tuple_unit_and_grouping() {
    check_parse!(
        "fn main() do\n  ([1, 2, 3,], [], %{\"a\" => 1, \"b\" => 2,}, %{}, (1, \"a\"), (), (1 + 2) * 3)\nend\n"
    );
}

#[test]
fn struct_literals() {
    check_parse!(
        "fn main() do\n  let p = Point { x: 1, y: 2 }\n  let q = Geo.Point { x : 1, y : 2, }\n  \
         let r = Point {\n    x: 1\n    y: 2\n  }\n  Box { value: 1 }\nend\n"
    );
}

#[test]
fn struct_update() {
    check_parse!("fn main() do\n  let a = %{p | x: 3}\n  % {p | x: 1, y: 2}\nend\n");
}

#[test]
fn json_literals() {
    check_parse!("fn main() do\n  let j = json { ok: true, n: 2, user: u, }\n  json {}\nend\n");
}

#[test]
fn calls_multiline_with_trailing_comma() {
    check_parse!("fn main() do\n  f()\n  g(1, 2)\n  h(\n    1,\n    2,\n  )\nend\n");
}

#[test]
fn functions_are_values() {
    check_parse!(
        "fn main() do\n  List.map(xs, double)\n  HTTP.on_get(\"/h\", handle_health)\nend\n"
    );
}

#[test]
fn keyword_arguments() {
    check_parse!("fn main() do\n  q(\"t\", limit: \"5\", order: :desc)\nend\n");
}

#[test]
fn trailing_closures() {
    check_parse!(
        "fn main() do\n  each(xs) do |x|\n    println(x)\n  end\n  run() do\n    1\n  end\nend\n"
    );
}

#[test]
fn member_access_and_method_calls() {
    check_parse!(
        "fn main() do\n  String.length(s)\n  r.sensor\n  \"abc\".length()\n  42.to_string()\n  a.b.c(1).d\nend\n"
    );
}

#[test]
fn keyword_named_members() {
    check_parse!(
        "fn main() do\n  Node.self()\n  Process.monitor(p)\n  Node.spawn(n, f)\n  Process.link(p)\n  \
         Node.send(p, m)\n  Q.where(x)\n  S.cast(p)\nend\n"
    );
}

#[test]
fn index_expression() {
    check_parse!("fn main() do\n  xs[0]\n  m[\"k\"][1]\nend\n");
}

#[test]
fn try_operator_with_and_without_space() {
    check_parse!("fn main() do\n  let n = read(raw)?\n  Repo.all(pool, q) ?\nend\n");
}

#[test]
fn operator_precedence_levels() {
    check_parse!(
        "fn main() do\n  a or b and c == d < e .. f <> g + h * -i\n  a || b && !c\n  x ++ y\n  a != b\n  \
         a <= b\n  a >= b\n  a > b\n  a / b % c - d\nend\n"
    );
}

#[test]
fn prefix_operators_bind_tighter_than_binary() {
    check_parse!("fn main() do\n  not a == b\n  -x.f()\n  not f(x)\n  - - 1\nend\n");
}

#[test]
fn pipes_and_slot_pipes() {
    check_parse!(
        "fn main() do\n  a + b |> f\n  x |> f(a, b)\n  x |> Mod.f(a)\n  10 |2> sub(100)\n  \
         5 |2> add(10) |> show\nend\n"
    );
}

#[test]
fn multiline_pipes() {
    check_parse!(
        "fn main() do\n  xs |>\n    List.map(double)\n  ys\n    |> List.filter(odd)\n    # a comment\n\n    |> List.sum()\nend\n"
    );
}

#[test]
fn closures_arrow_forms() {
    check_parse!(
        "fn main() do\n  let inc = fn(x :: Int) -> x + 1 end\n  let add = fn a, b -> a + b end\n  \
         let now = fn -> 42 end\n  let unit = fn() -> 1 end\n  let spaced = fn (a) -> a end\nend\n"
    );
}

#[test]
fn closures_do_forms() {
    check_parse!(
        "fn main() do\n  let work = fn item do\n    let y = item * 2\n    y + 1\n  end\n  \
         let none = fn do\n    1\n  end\n  let paren = fn(a, b) do a end\nend\n"
    );
}

#[test]
fn multi_clause_closure() {
    check_parse!(
        "fn main() do\n  let sign = fn 0 -> \"zero\" | n when n > 0 -> \"pos\" | _ -> \"neg\" end\n  \
         let m = fn Some(x) -> x | None -> 0 end\nend\n"
    );
}

#[test]
fn closure_spanning_lines() {
    check_parse!("fn main() do\n  let f = fn x ->\n    x + 1\n  end\n  f(1)\nend\n");
}

#[test]
fn if_else_and_else_if_chain() {
    check_parse!(
        "fn main() do\n  if a do\n    1\n  end\n  if a do 1 else 2 end\n  \
         if a do\n    1\n  else if b do\n    2\n  else\n    3\n  end\n  let m = if a > b do a else b end\nend\n"
    );
}

#[test]
fn case_arms() {
    check_parse!(
        "fn main() do\n  case x do\n    0 -> \"zero\"\n    n when n > 0 -> \"pos\"\n    _ -> do\n      return \"neg\"\n    end\n  end\nend\n"
    );
}

#[test]
fn case_arm_body_on_next_line() {
    check_parse!("fn main() do\n  case x do\n    Some(n) ->\n      n\n    None -> 0\n  end\nend\n");
}

#[test]
fn match_is_case() {
    check_parse!("fn main() do\n  match x do\n    _ -> 1\n  end\nend\n");
}

#[test]
fn control_headers_do_not_take_trailing_closures() {
    check_parse!(
        "fn main() do\n  if ok(x) do\n    1\n  end\n  while more(q) do\n    next(q)\n  end\n  \
         case get(m) do\n    _ -> 1\n  end\n  for x in items(l) do\n    x\n  end\nend\n"
    );
}

#[test]
fn while_loop() {
    check_parse!("fn main() do\n  while keep_going() do\n    step()\n  end\nend\n");
}

#[test]
fn for_loops() {
    check_parse!(
        "fn main() do\n  for i in 0..5 do println(\"#{i}\") end\n  let sq = for x in [1, 2, 3] do x * x end\n  \
         let big = for x in xs when x > 10 do x end\n  for {k, v} in counts do println(\"#{k}=#{v}\") end\n  \
         for _ in xs do break end\nend\n"
    );
}

#[test]
fn break_and_continue() {
    check_parse!(
        "fn main() do\n  while true do\n    if a do\n      break\n    else\n      continue\n    end\n  end\nend\n"
    );
}

#[test]
fn concurrency_expressions() {
    check_parse!(
        "fn main() do\n  let p = spawn(worker, 1, 2)\n  send(p, Ping(self()))\n  link(p)\n  let me = self()\n  self\nend\n"
    );
}

#[test]
fn receive_with_after() {
    check_parse!(
        "fn main() do\n  receive do\n    Ping(from) when ok(from) -> send(from, Pong)\n    Stop -> do\n      0\n    end\n  after 50 ->\n    1\n  end\nend\n"
    );
}

#[test]
fn receive_on_one_line() {
    check_parse!("fn main() do\n  receive do m -> m after 50 -> 0 end\nend\n");
}

#[test]
fn iterator_pipeline() {
    check_parse!(
        "fn main() do\n  Iter.from(xs) |> Iter.filter(f) |> Iter.take(3) |> List.collect()\nend\n"
    );
}

#[test]
fn string_method_on_interpolation_and_concat() {
    check_parse!("fn main() do\n  \"a\" <> \"#{b}\" <> c.to_string()\nend\n");
}

#[test]
fn case_arms_on_one_line() {
    check_parse!("fn main() do\n  case x do Some(n) -> n None -> 0 end\nend\n");
}
