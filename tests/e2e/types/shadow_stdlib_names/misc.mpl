# Own types named Pid, Atom, Regex, Option, Ordering, Request, Response, and like the stdlib
# modules Math and Process; a service beside them.
pub struct Pid do
  node :: String
  serial :: Int
end deriving(Display, Eq)

pub type Atom do
  Hydrogen
  Helium
end deriving(Display, Eq, Ord)

pub struct Regex do
  source :: String
end deriving(Display)

pub type Option do
  Some(String)
  None
end deriving(Display, Eq)

pub struct Request do
  path :: String
end deriving(Display)

pub struct Response do
  status :: Int
  body :: String
end deriving(Display, Eq)

pub struct Math do
  value :: Float
end deriving(Display)

pub type Ordering do
  Before
  After
end deriving(Display, Eq)

pub type Process do
  Running(Int)
  Stopped
end deriving(Display, Eq)

pub fn order(a :: Int, b :: Int) -> Ordering = if a < b do Before else After end

pub fn more() -> String do
  let p = Process.Running(2)
  let stopped = case p do
    Running(_) -> false
    Stopped -> true
  end
  "#{p} #{stopped} #{order(1, 2)} #{order(2, 1) == After} #{compare(2, 1)} #{compare(1, 1)}"
end

# A service beside the own Pid and Request: its generated start returns the stdlib
# `Pid<Ticker.Request>`, its messages are its own `Ticker.Request`.
service Ticker do
  fn init(start :: Int) -> Int do start end
  call Tick(by :: Int) :: Int do |n|
    (n + by, n + by)
  end
end

pub fn ticks() -> Int do
  let t = Ticker.start(10)
  Ticker.tick(t, 1)
  Ticker.tick(t, 5)
end

pub fn handle(r :: Request) -> Response do
  case r.path do
    "/" -> Response { status: 200, body: "home" }
    _ -> Response { status: 404, body: "missing #{r.path}" }
  end
end

pub fn lighter(a :: Atom, b :: Atom) -> Atom = if a < b do a else b end

pub fn label(o :: Option) -> String do
  case o do
    Some(s) -> "some #{s}"
    None -> "none"
  end
end

pub fn demo() -> String do
  let p = Pid { node: "n1", serial: 3 }
  let re = Regex { source: "a+" }
  let m = Math { value: 2.0 }
  let ok = handle(Request { path: "/" })
  let missing = handle(Request { path: "/x" })
  let stdlib_regex = Regex.is_match(~r/a+/, "caat")
  let stdlib_atom = :ready
  let own = "#{p} #{p == Pid { node: "n1", serial: 3 }} #{lighter(Helium, Hydrogen)} #{re} #{m} #{Math.sqrt(m.value * 8.0)}"
  own <> "\n#{ok} #{missing} #{ok == Response { status: 200, body: "home" }} #{label(Some("x"))} #{label(None)} #{stdlib_regex} #{stdlib_atom}"
end
