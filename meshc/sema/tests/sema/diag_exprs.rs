//! Diagnostics of expressions, names and patterns (spec language §5.8): one snapshot per
//! code, each input as small as the condition allows.

#[test]
fn e0001_type_mismatch() {
    check_diag!("fn main() do\n  let x = 1 + \"a\"\nend\n", E0001);
}

#[test]
fn e0001_shows_an_unfixed_type_as_underscore() {
    check_diag!(
        "fn main() do\n  let xs = []\n  let n :: Int = xs\nend\n",
        E0001
    );
}

#[test]
fn e0002_infinite_type() {
    check_diag!("fn self_apply(f) = f(f)\nfn main() do\nend\n", E0002);
}

#[test]
fn e0003_arity() {
    check_diag!(
        "fn add(a, b) = a + b\nfn main() do\n  let _ = add(1)\nend\n",
        E0003
    );
}

#[test]
fn e0004_undefined_variable_with_a_suggestion() {
    check_diag!(
        "fn main() do\n  let count = 3\n  let _ = cont * 2\nend\n",
        E0004
    );
}

#[test]
fn e0005_not_callable() {
    check_diag!("fn main() do\n  let n = 3\n  let _ = n(1)\nend\n", E0005);
}

#[test]
fn e0006_missing_trait() {
    check_diag!(
        "struct Point do\n  x :: Int\nend\nfn main() do\n  println(\"#{Point { x: 1 }}\")\nend\n",
        E0006
    );
}

#[test]
fn e0009_missing_field() {
    check_diag!(
        "struct Point do\n  x :: Int\n  y :: Int\nend\nfn main() do\n  let _ = Point { x: 1 }\nend\n",
        E0009
    );
}

#[test]
fn e0009_unknown_field_and_no_field() {
    check_diag!(
        "struct Point do\n  x :: Int\nend\nfn main() do\n  let p = Point { x: 1, z: 2 }\n  let q = Point { x: 1 }\n  let _ = q.z\nend\n",
        E0009
    );
}

#[test]
fn e0010_unknown_variant() {
    check_diag!(
        "type Shape do\n  Dot\nend\nfn main() do\n  let _ = Shape.Square\nend\n",
        E0010
    );
}

#[test]
fn e0011_or_pattern_binding_mismatch() {
    check_diag!(
        r#"fn main() do
  let _ = case (1, 2) do
    (a, 0) | (0, b) -> 1
    _ -> 2
  end
end
"#,
        E0011
    );
}

#[test]
fn e0012_non_exhaustive() {
    check_diag!(
        r#"type Shape do
  Dot
  Circle(Float)
end
fn name(s :: Shape) -> String do
  case s do
    Dot -> "dot"
  end
end
fn main() do
end
"#,
        E0012
    );
}

#[test]
fn w0001_redundant_arm() {
    check_diag!(
        r#"fn main() do
  let _ = case 1 do
    _ -> 1
    2 -> 2
  end
end
"#,
        W0001
    );
}

#[test]
fn e0013_invalid_guard() {
    check_diag!(
        r#"fn main() do
  let _ = case 3 do
    n when (fn -> true end)() -> 1
    _ -> 2
  end
end
"#,
        E0013
    );
}

#[test]
fn e0025_guard_not_bool() {
    check_diag!(
        r#"fn main() do
  let _ = case 3 do
    x when x + 1 -> 1
    _ -> 2
  end
end
"#,
        E0025
    );
}

#[test]
fn e0030_no_method() {
    check_diag!("fn main() do\n  let _ = 1.shout()\nend\n", E0030);
}

#[test]
fn e0032_break_outside_loop() {
    check_diag!("fn main() do\n  break\nend\n", E0032);
}

#[test]
fn e0033_continue_outside_loop() {
    check_diag!(
        "fn main() do\n  while true do\n    let f = fn -> continue end\n  end\nend\n",
        E0033
    );
}

#[test]
fn e0036_question_mark_in_a_function_without_result() {
    check_diag!(
        "fn g(r :: Int ! String) -> Int do\n  let v = r?\n  v\nend\nfn main() do\nend\n",
        E0036
    );
}

#[test]
fn e0037_question_mark_on_a_plain_value() {
    check_diag!(
        "fn f() -> Int ! String do\n  let x = 5?\n  Ok(x)\nend\nfn main() do\nend\n",
        E0037
    );
}

#[test]
fn e0043_slot_conflict() {
    check_diag!(
        "fn add(a :: Int, b :: Int) -> Int = a + b\nfn main() do\n  let _ = 1 |2> add(2, 3)\nend\n",
        E0043
    );
}

#[test]
fn e0044_slot_out_of_range() {
    check_diag!(
        "fn add(a :: Int, b :: Int) -> Int = a + b\nfn main() do\n  let _ = 1 |5> add(2)\nend\n",
        E0044
    );
}

#[test]
fn e0057_integer_literal_too_large() {
    check_diag!("fn main() do\n  let _ = 9223372036854775808\nend\n", E0057);
}

#[test]
fn e0058_undefined_type() {
    check_diag!("fn f(x :: Nope) -> Int = 1\nfn main() do\nend\n", E0058);
}

#[test]
fn c0001_entry_module_without_main() {
    check_diag!("fn helper() = 1\n", C0001);
}
