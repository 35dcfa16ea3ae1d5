//! AST snapshots of every top-level declaration form of spec language §2.3 and §3 (grammar §6:
//! `item`), one construct per test.

#[test]
fn fn_with_do_body() {
    check_parse!("fn main() do\n  println(\"hi\")\nend\n");
}

#[test]
fn fn_with_expression_body() {
    check_parse!("fn double(x) = x * 2\nfn sq(x :: Int) -> Int = x * x\n");
}

#[test]
fn fn_with_one_line_do_body() {
    check_parse!("fn one() -> Int do 1 end\n");
}

#[test]
fn fn_without_parameter_list() {
    check_parse!("fn tick do\n  1\nend\n");
}

#[test]
fn fn_params_span_lines_with_trailing_comma() {
    check_parse!("fn add(\n  a :: Int,\n  b :: Int,\n) -> Int do\n  a + b\nend\n");
}

#[test]
fn fn_pub_with_result_return_type() {
    check_parse!("pub fn parse(raw :: String) -> Int!String do\n  Ok(1)\nend\n");
}

#[test]
fn fn_result_return_type_with_spaces() {
    check_parse!("fn f() -> Int ! String do\n  Err(\"no\")\nend\n");
}

#[test]
fn fn_option_and_tuple_return_types() {
    check_parse!("fn f() -> String? do None end\nfn g() ->(Int, Bool) do (1, true) end\n");
}

#[test]
fn fn_with_generics() {
    check_parse!("fn id<T>(x :: T) -> T do\n  x\nend\n");
}

#[test]
fn fn_with_where_bounds() {
    check_parse!("fn show<T, U>(x :: T, y :: U) -> String where T: Show, U: Eq do\n  \"\"\nend\n");
}

#[test]
fn def_defines_a_function() {
    check_parse!("def f() do\n  1\nend\n");
}

#[test]
fn fn_with_self_parameter() {
    check_parse!("fn area(self) -> Float do\n  self.w * self.h\nend\n");
}

#[test]
fn cluster_attribute_without_count() {
    check_parse!("@cluster pub fn add() -> Int do\n  1 + 1\nend\n");
}

#[test]
fn cluster_attribute_with_count() {
    check_parse!("@cluster(3) pub fn sync() do\n  nil\nend\n");
}

#[test]
fn cluster_attribute_on_its_own_line() {
    check_parse!("@cluster(2)\npub def work() do\n  nil\nend\n");
}

#[test]
fn multi_clause_fn_with_guard() {
    check_parse!("fn fact(0) = 1\nfn fact(n) when n > 0 = n * fact(n - 1)\n");
}

#[test]
fn fn_clause_literal_parameters() {
    check_parse!(
        "fn f(0, -1, 2.5, -0.5, \"s\", true, false, nil, _) = 0\n\
         fn g((a, b), Some(x), Shape.Dot, None) = a\n"
    );
}

#[test]
fn import_qualified_module() {
    check_parse!("import Api.Router\n");
}

#[test]
fn from_import_names() {
    check_parse!("from Config import port_key, db_url\n");
}

#[test]
fn from_import_parenthesised_multiline_with_trailing_comma() {
    check_parse!("from Jobs.Worker import (\n  start_worker,\n  worker_status,\n)\n");
}

#[test]
fn from_import_type_names() {
    check_parse!("from Types import User, UserId\n");
}

#[test]
fn struct_with_deriving() {
    check_parse!("pub struct Reading do\n  sensor :: String\n  value :: Int\nend deriving(Json)\n");
}

#[test]
fn struct_with_generics() {
    check_parse!("struct Box<T> do\n  value :: T\nend\n");
}

#[test]
fn struct_with_empty_deriving() {
    check_parse!("struct P do\n  x :: Int\nend deriving()\n");
}

#[test]
fn struct_with_orm_clauses() {
    check_parse!(
        "struct User do\n  table \"users\"\n  primary_key :id\n  timestamps true\n  \
         belongs_to :org, Org\n  has_many :posts, Post\n  has_one :profile, Profile\n  \
         id :: Int\nend deriving(Schema)\n"
    );
}

#[test]
fn sum_type_with_all_variant_forms() {
    check_parse!(
        "pub type Shape do\n  Dot\n  Circle(Float)\n  Rect(w :: Float, h :: Float)\nend deriving(Eq, Display)\n"
    );
}

#[test]
fn generic_sum_type() {
    check_parse!("type Tree<T> do\n  Leaf\n  Node(Tree<T>, T, Tree<T>)\nend\n");
}

#[test]
fn type_aliases() {
    check_parse!("pub type JobId = String\ntype Pair<T> = (T, T)\n");
}

#[test]
fn interface_with_assoc_type_and_default_body() {
    check_parse!(
        "interface Describe do\n  type Out\n  fn describe(self) -> Self.Out\n  \
         fn tag(self) -> String do \"item\" end\nend\n"
    );
}

#[test]
fn generic_pub_interface() {
    check_parse!("pub interface Conv<T> do\n  fn conv(self, x :: T) -> T\nend\n");
}

#[test]
fn impl_with_assoc_type() {
    check_parse!(
        "impl Describe for Reading do\n  type Out = String\n  \
         fn describe(self) -> String do \"#{self.sensor}=#{self.value}\" end\nend\n"
    );
}

#[test]
fn impl_with_type_args_qualified_target_and_where() {
    check_parse!(
        "impl From<String> for Errors.ParseFailure where T: Show do\n  \
         pub fn from(text :: String) -> ParseFailure do ParseFailure { reason: text } end\nend\n"
    );
}

#[test]
fn actor_with_params() {
    check_parse!(
        "actor ticker(target, every_ms :: Int) do\n  Timer.sleep(every_ms)\n  \
         Counter.reset(target)\n  ticker(target, every_ms)\nend\n"
    );
}

#[test]
fn actor_with_receive_and_terminate() {
    check_parse!(
        "actor echo() do\n  receive do\n    msg -> println(\"got #{msg}\")\n  \
         after 1000 -> println(\"idle\")\n  end\n  terminate do println(\"bye\") end\nend\n"
    );
}

#[test]
fn actor_without_parameter_list() {
    check_parse!("actor idle do\n  nil\nend\n");
}

#[test]
fn service_with_call_and_cast() {
    check_parse!(
        "service Tally do\n  fn init(start :: Int) -> Int do start end\n  \
         call AddBy(k :: Int) :: Int do|n|\n    (n + k, n + k)\n  end\n  \
         cast Clear() do |_n|\n    0\n  end\nend\n"
    );
}

#[test]
fn service_handler_without_state_or_params() {
    check_parse!("service S do\n  cast Ping do\n    0\n  end\nend\n");
}

#[test]
fn supervisor_with_child() {
    check_parse!(
        "supervisor Fetchers do\n  strategy: rest_for_one\n  max_restarts: 10\n  max_seconds: 60\n  \
         child poller do\n    start: fn -> spawn(poll_loop, 250) end\n    restart: transient\n    \
         shutdown: brutal_kill\n  end\nend\n"
    );
}

#[test]
fn pub_supervisor() {
    check_parse!("pub supervisor Top do\n  strategy: one_for_one\nend\n");
}

#[test]
fn inline_module() {
    check_parse!("pub module Geometry do\n  pub fn area(w, h) = w * h\n  struct P do\n    x :: Int\n  end\nend\n");
}

#[test]
fn test_file_forms() {
    check_parse!(
        "test(\"adds\") do\n  assert_eq(add(2, 2), 4)\nend\n\
         describe(\"Config helpers\") do\n  setup do\n    nil\n  end\n  teardown do\n    nil\n  end\n  \
         test(\"keys\") do assert_ne(\"a\", \"b\") end\nend\n"
    );
}

#[test]
fn assert_receive_statement() {
    check_parse!(
        "test(\"gets\") do\n  send(self(), Ping(1))\n  assert_receive Ping(n)\n  assert_receive Done, 500\nend\n"
    );
}

#[test]
fn items_separated_by_semicolons_and_blank_lines() {
    check_parse!("\n\nimport A; import B\n\n\nfn f() = 1;\n");
}

#[test]
fn empty_file() {
    check_parse!("");
}

#[test]
fn comments_only() {
    check_parse!("# a comment\n## doc\n##! module doc\n#= block\n #= nested =# \n=#\n");
}

#[test]
fn nested_function_declarations() {
    check_parse!(
        "fn main() do\n  fn double(x :: Int) -> Int = x * 2\n  def fact(0) = 1\n  fn fact(n) when n > 0 do\n    n * fact(n - 1)\n  end\n  let f = fn (x) -> double(x) end\n  f(fact(3))\nend\n"
    );
}

#[test]
fn nested_function_in_closure_and_actor_bodies() {
    check_parse!(
        "actor a(n) do\n  fn step(k) = k + n\n  step(1)\nend\nfn main() do\n  let g = fn x do\n    fn inner() = x\n    inner()\n  end\n  g(1)\nend\n"
    );
}
