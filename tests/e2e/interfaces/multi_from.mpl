# spec: language §3.6, §4.9, §5.5 — one type with several `From` impls (`From<Int>`,
# `From<String>`, `From<Bool>`): `W.from`, `.into()` and `?` pick the impl by the source type.
struct W do
  text :: String
end

impl From<Int> for W do
  fn from(n :: Int) -> W do W { text: "int #{n}" } end
end

impl From<String> for W do
  fn from(s :: String) -> W do W { text: "string #{s}" } end
end

impl From<Bool> for W do
  fn from(b :: Bool) -> W do W { text: "bool #{b}" } end
end

struct ParseError do
  line :: Int
end

struct IoError do
  path :: String
end

struct AppError do
  message :: String
end

impl From<ParseError> for AppError do
  fn from(e :: ParseError) -> AppError do AppError { message: "parse error at line #{e.line}" } end
end

impl From<IoError> for AppError do
  fn from(e :: IoError) -> AppError do AppError { message: "cannot read #{e.path}" } end
end

fn read(path :: String) -> String ! IoError do
  if path == "missing" do Err(IoError { path: path }) else Ok("7") end
end

fn parse(text :: String) -> Int ! ParseError do
  if text == "7" do Ok(7) else Err(ParseError { line: 3 }) end
end

fn load(path :: String, check :: Bool) -> Int ! AppError do
  let text = read(path)?
  let n = parse(if check do text else "x" end)?
  Ok(n * 6)
end

fn show(r :: Int ! AppError) -> String do
  case r do
    Ok(n) -> "ok #{n}"
    Err(e) -> "error: #{e.message}"
  end
end

fn wrap_all(ns :: List<Int>) -> List<W> do
  List.map(ns, W.from)
end

fn main() do
  println(W.from(1).text)
  println(W.from("two").text)
  println(W.from(true).text)
  let a :: W = 4.into()
  let b :: W = "five".into()
  let c :: W = false.into()
  println("#{a.text}, #{b.text}, #{c.text}")
  let n = 6
  println(W.from(n + 1).text)
  for w in wrap_all([8, 9]) do
    println(w.text)
  end
  println(show(load("data.txt", true)))
  println(show(load("missing", true)))
  println(show(load("data.txt", false)))
end
