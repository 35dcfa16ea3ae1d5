//! AST snapshots of the code blocks of spec language that are whole programs or items, copied
//! verbatim (statement-only blocks are wrapped in `fn main() do … end`; `…` placeholders are
//! replaced by a call). One test per block, named after its section.

#[test]
fn spec_1_7_heredoc() {
    check_parse!(
        r#"fn main() do
let sql = """
    SELECT id
    FROM users
    """
# sql == "SELECT id\nFROM users"   (no trailing newline)
end
"#
    );
}

#[test]
fn spec_2_3_imports() {
    check_parse!(
        r#"import Api.Router                  # qualified access via the LAST segment: Router.build()
from Config import port_key, db_url
from Jobs.Worker import (
  start_worker,
  worker_status,                   # trailing comma allowed in the parenthesised form
)
"#
    );
}

#[test]
fn spec_3_1_parse_port() {
    check_parse!(
        r#"pub fn parse_port(raw :: String) -> Int ! String do
  case String.to_int(raw) do
    Some( n) -> if n > 0 do Ok(n) else Err("bad port") end
    None -> Err("not a number")
  end
end
"#
    );
}

#[test]
fn spec_3_1_2_multi_clause_functions() {
    check_parse!(
        r#"fn fact(0) = 1
fn fact(n) when n > 0 = n * fact(n - 1)

fn label(true) = "on"
fn label(false) = "off"
"#
    );
}

#[test]
fn spec_3_2_struct() {
    check_parse!(
        r#"pub struct Reading do
  sensor :: String
  value :: Int
end deriving(Json)
"#
    );
}

#[test]
fn spec_3_3_sum_type() {
    check_parse!(
        r#"pub type Shape do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end deriving(Eq, Display)
"#
    );
}

#[test]
fn spec_3_6_interface_and_impl() {
    check_parse!(
        r##"interface Describe do
  type Out
  fn describe(self) -> Self.Out
  fn tag(self) -> String do "item" end          # default body
end

impl Describe for Reading do            # Reading from §3.2
  type Out = String
  fn describe(self) -> String do "#{self.sensor}=#{self.value}" end
end
"##
    );
}

#[test]
fn spec_3_7_actors() {
    check_parse!(
        r#"actor ticker(target, every_ms :: Int) do
  Timer.sleep(every_ms)
  Counter.reset(target)
  ticker(target, every_ms)          # tail self-call = loop
end

actor echo() do
  receive do
    msg -> println("got #{msg}")
  after 1000 -> println("idle")
  end
  terminate do println("bye") end
end
"#
    );
}

#[test]
fn spec_3_8_service() {
    check_parse!(
        r#"service Tally do
  fn init(start :: Int) -> Int do start end
  call AddBy(k :: Int) :: Int do|n|
    (n + k, n + k)                  # (new_state, reply)
  end
  cast Clear() do |_n|
    0                               # new_state
  end
end

fn main() do
let pid = Tally.start(5)
let v = Tally.add_by(pid, 2)      # 7
Tally.clear(pid)
end
"#
    );
}

#[test]
fn spec_3_9_supervisor() {
    check_parse!(
        r#"supervisor Fetchers do
  strategy: rest_for_one
  max_restarts: 10
  max_seconds: 60
  child poller do
    start: fn -> spawn(poll_loop, 250) end
    restart: transient
    shutdown: brutal_kill
  end
end
# started with: let sup = spawn(Fetchers)
"#
    );
}

#[test]
fn spec_4_6_closures() {
    check_parse!(
        r#"fn main() do
let inc = fn(x :: Int) -> x + 1 end
let add = fn a, b -> a + b end
let now = fn -> 42 end
let work = fn item do
  let y = item * 2
  y + 1
end
let sign = fn 0 -> "zero" | n when n > 0 -> "pos" | _ -> "neg" end
end
"#
    );
}

#[test]
fn spec_4_8_loops() {
    check_parse!(
        r##"fn main() do
while keep_going() do step() end                # value ()
for i in 0..5 do println("#{i}") end      # half-open Int range; 5..5 and 9..0 run zero times
let sq = for x in [1, 2, 3] do x * x end  # comprehension: List<Int>
let big = for x in xs when x > 10 do x end
for {k, v} in counts do println("#{k}=#{v}") end
end
"##
    );
}

#[test]
fn spec_4_13_test_file() {
    check_parse!(
        r#"test("adds") do
  assert_eq(add(2, 2), 4)
end
describe("Config helpers") do
  setup do reset() end             # optional, before each test of the group; teardown do … end after
  test("keys") do assert_ne("a", "b") end
end
"#
    );
}

#[test]
fn spec_5_5_try_with_from() {
    check_parse!(
        r#"struct ParseFailure do
  reason :: String
end
impl From<String> for ParseFailure do
  fn from(text :: String) -> ParseFailure do ParseFailure { reason: text } end
end
fn doubled(raw :: String) -> Int!ParseFailure do
  let n = read_count(raw)?        # read_count : Int!String; its String error is converted
  Ok(n * 2)
end
"#
    );
}
