//! AST snapshots of type syntax (spec language §5.1, grammar §6: `type`, `base`) as annotations.

#[test]
fn named_and_generic_types() {
    check_parse!(
        "fn f(a :: Int, b :: List<String>, c :: Map<String, Int>, d :: Pid<Msg>, e :: Pid) do\n  a\nend\n"
    );
}

#[test]
fn qualified_type_names() {
    check_parse!("fn f(a :: Geometry.Point, b :: Types.UserId) -> Api.Result<Int> do\n  a\nend\n");
}

#[test]
fn whitespace_inside_generic_brackets() {
    check_parse!("fn f(a :: List < String >) do\n  a\nend\n");
}

#[test]
fn option_and_result_sugar() {
    check_parse!("fn f(a :: Int?, b :: Int!String, c :: A!B!C, d :: List<Int>?) do\n  a\nend\n");
}

#[test]
fn tuple_and_unit_types() {
    check_parse!("fn f(a :: (Int, String), b :: ()) -> (Int, (Bool, Float)) do\n  a\nend\n");
}

#[test]
fn function_types() {
    check_parse!(
        "fn f(g :: Fun(Int, String) -> Bool, h :: Fun() -> ()) -> Fun(Int) -> Int do\n  g\nend\n"
    );
}

#[test]
fn self_associated_type() {
    check_parse!("interface It do\n  type Item\n  fn next(self) -> Self.Item?\nend\n");
}

#[test]
fn nested_generic_closing_brackets() {
    check_parse!("fn f(a :: Map<String, List<Option<Int>>>) do\n  a\nend\n");
}
