//! Inferred types pinned with caret comments (spec language §5): literals, let-polymorphism,
//! closures, generics, Option/Result and `?`, pipes, records, collections, actors and pids.

#[test]
fn literals() {
    check_types!(
        r#"fn main() do
  let i = 42
  #       ^^ Int
  let f = 1.5
  #       ^^^ Float
  let s = "hi #{i}"
  #       ^^^^^^^^^ String
  let b = true
  #       ^^^^ Bool
  let a = :ok
  #       ^^^ Atom
  let u = ()
  #       ^^ ()
  let t = (i, s)
  #       ^^^^^^ (Int, String)
end
"#
    );
}

#[test]
fn arithmetic_defaults_to_int_and_follows_floats() {
    check_types!(
        r#"fn add(a, b) = a + b
fn half(x) = x / 2.0
fn main() do
  let n = add(1, 2)
  #       ^^^^^^^^^ Int
  let h = half(3.0)
  #       ^^^^^^^^^ Float
  let c = 1 < 2
  #       ^^^^^ Bool
end
"#
    );
}

#[test]
fn unannotated_functions_are_polymorphic() {
    check_types!(
        r#"fn id(x) = x
#  ^^ Fun(A) -> A
fn main() do
  let a = id(1)
  #       ^^^^^ Int
  let b = id("s")
  #       ^^^^^^^ String
end
"#
    );
}

#[test]
fn local_let_polymorphism_of_closures() {
    check_types!(
        r#"fn main() do
  let pair = fn x -> (x, x) end
  let a = pair(1)
  #       ^^^^^^^ (Int, Int)
  let b = pair("s")
  #       ^^^^^^^^^ (String, String)
end
"#
    );
}

#[test]
fn closures_capture_and_take_their_parameter_types_from_use() {
    check_types!(
        r#"fn main() do
  let k = 10
  let add_k = fn x -> x + k end
  #           ^^^^^^^^^^^^^^^^^ Fun(Int) -> Int
  let doubled = List.map([1, 2], fn x -> x * 2 end)
  #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ List<Int>
  let lens = List.map(["a"], fn s -> String.length(s) end)
  #                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Fun(String) -> Int
end
"#
    );
}

#[test]
fn declared_generics() {
    check_types!(
        r#"fn first<T>(xs :: List<T>, default :: T) -> T do
  case xs do
    h :: _ -> h
    _ -> default
  end
end
fn main() do
  let x = first([1, 2], 0)
  #       ^^^^^^^^^^^^^^^^ Int
  let y = first(["a"], "")
  #       ^^^^^^^^^^^^^^^^ String
end
"#
    );
}

#[test]
fn generic_structs_and_sum_types() {
    check_types!(
        r#"struct Box<T> do
  value :: T
end
type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end
fn main() do
  let b = Box { value: 3 }
  #       ^^^^^^^^^^^^^^^^ Box<Int>
  let v = b.value
  #       ^^^^^^^ Int
  let t = Node(Leaf, "x", Leaf)
  #       ^^^^^^^^^^^^^^^^^^^^^ Tree<String>
end
"#
    );
}

#[test]
fn option_and_result() {
    check_types!(
        r#"fn parse(s :: String) -> Int!String do
  case String.to_int(s) do
    Some(n) -> Ok(n)
    None -> Err("not a number")
  end
end
fn main() do
  let o = Some(1)
  #       ^^^^^^^ Option<Int>
  let r = parse("4")
  #       ^^^^^^^^^^ Result<Int, String>
  let n = String.to_int("5")
  #       ^^^^^^^^^^^^^^^^^^ Option<Int>
end
"#
    );
}

#[test]
fn question_mark_unwraps_results_and_options() {
    check_types!(
        r#"fn twice(s :: String) -> Int!String do
  let n = case String.to_int(s) do
    Some(v) -> Ok(v)
    None -> Err("bad")
  end
  let m = n?
  #       ^^ Int
  Ok(m * 2)
end
fn head_plus_one(xs :: List<Int>) -> Int? do
  let h = List.find(xs, fn x -> x > 0 end)?
  #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Int
  Some(h + 1)
end
fn main() do
  let _ = twice("2")
  let _ = head_plus_one([1])
end
"#
    );
}

#[test]
fn pipes_pass_the_left_side_as_first_argument() {
    check_types!(
        r#"fn main() do
  let n = [1, 2, 3] |> List.map(fn x -> x * 2 end) |> List.length()
  #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Int
  let s = 5 |> Int.to_string()
  #       ^^^^^^^^^^^^^^^^^^^^ String
end
"#
    );
}

#[test]
fn records_fields_and_updates() {
    check_types!(
        r#"struct Point do
  x :: Int
  y :: Float
end
fn main() do
  let p = Point { x: 1, y: 2.0 }
  #       ^^^^^^^^^^^^^^^^^^^^^^ Point
  let y = p.y
  #       ^^^ Float
  let q = %{p | x: 3}
  #       ^^^^^^^^^^^ Point
end
"#
    );
}

#[test]
fn collections() {
    check_types!(
        r#"fn main() do
  let xs = [1, 2]
  #        ^^^^^^ List<Int>
  let m = %{"a" => 1}
  #       ^^^^^^^^^^^ Map<String, Int>
  let s = Set.from_list(["a"])
  #       ^^^^^^^^^^^^^^^^^^^^ Set<String>
  let squares = for x in xs do x * x end
  #             ^^^^^^^^^^^^^^^^^^^^^^^^ List<Int>
  let got = Map.get(m, "a")
  #         ^^^^^^^^^^^^^^^ Int
end
"#
    );
}

#[test]
fn actors_give_typed_pids() {
    check_types!(
        r#"actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
end
actor echo() do
  receive do
    s -> println(s)
  end
end
fn main() do
  let c = spawn(counter, 0)
  #       ^^^^^^^^^^^^^^^^^ Pid<Int>
  let e = spawn(echo)
  #       ^^^^^^^^^^^ Pid<String>
  let me = self()
  #        ^^^^^^ Pid<String>
  send(e, "hi")
  receive do
    msg -> println(msg)
  end
end
"#
    );
}
