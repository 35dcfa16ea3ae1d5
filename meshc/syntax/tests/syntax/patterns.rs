//! AST snapshots of patterns (spec language §4.7, grammar §6: `pattern` … `prim_pat`) as they
//! appear in `case` arms.

#[test]
fn wildcard_and_bindings() {
    check_parse!("fn f(x) do\n  case x do\n    _ -> 0\n    _name -> 1\n    n -> n\n  end\nend\n");
}

#[test]
fn literal_patterns() {
    check_parse!(
        "fn f(x) do\n  case x do\n    0 -> 0\n    -1 -> 1\n    2.5 -> 2\n    -0.5 -> 3\n    \"s\" -> 4\n    \
         true -> 5\n    false -> 6\n    nil -> 7\n  end\nend\n"
    );
}

#[test]
fn tuple_patterns() {
    check_parse!("fn f(x) do\n  case x do\n    (a, (b, _), ()) -> a\n    (a,) -> a\n  end\nend\n");
}

#[test]
fn constructor_patterns() {
    check_parse!(
        "fn f(x) do\n  case x do\n    Some(x) -> x\n    Ok(_) -> 1\n    Err -> 2\n    None -> 3\n    \
         Shape.Circle(r) -> r\n    Shape.Dot -> 4\n    Rect(w, Some((a, b))) -> w\n  end\nend\n"
    );
}

#[test]
fn cons_patterns_are_right_associative() {
    check_parse!("fn f(x) do\n  case x do\n    a :: b :: rest -> a\n    _ -> 0\n  end\nend\n");
}

#[test]
fn or_patterns() {
    check_parse!(
        "fn f(x) do\n  case x do\n    1 | 2 | 3 -> 0\n    Some(1) | None -> 1\n  end\nend\n"
    );
}

#[test]
fn as_patterns() {
    check_parse!("fn f(x) do\n  case x do\n    Some(n) as whole -> whole\n    h :: t as all -> all\n  end\nend\n");
}

#[test]
fn arm_guards() {
    check_parse!(
        "fn f(x) do\n  case x do\n    n when n > 0 and not is_big(n) -> 0\n    n when n == 0 || (n < -5) -> 1\n  end\nend\n"
    );
}
