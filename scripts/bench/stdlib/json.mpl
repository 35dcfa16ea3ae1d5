# JSON: a document of RECORDS records (BENCH_N, default 5,000; about 1 MB of text) encoded
# REPS times (BENCH_REPS, default 5) with Json.encode, and that text parsed REPS times with
# Json.parse. Prints the text's length, the parsed (canonical) length, and the milliseconds
# of each phase.
struct Record do
  id :: Int
  name :: String
  email :: String
  active :: Bool
  score :: Float
  tags :: List<String>
  parent :: Int?
end deriving(Json)

fn record(i :: Int) -> Record do
  Record {
    id: i,
    name: "user number #{i} with a \"quoted\" nickname",
    email: "user#{i}@example.com",
    active: i % 3 == 0,
    score: Int.to_float(i) * 0.25,
    tags: ["alpha", "beta-#{i % 7}", "gamma été", "delta"],
    parent: if i % 2 == 0 do Some(i / 2) else None end
  }
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn encode_times(doc :: List<Record>, left :: Int, last :: String) -> String do
  if left == 0 do last else encode_times(doc, left - 1, Json.encode(doc)) end
end

fn parse_times(text :: String, left :: Int, last :: Int) -> Int do
  if left == 0 do
    last
  else
    let n = case Json.parse(text) do
      Ok(j) -> String.length(Json.encode(j))
      Err(e) -> do
        println("parse error: #{e}")
        -1
      end
    end
    parse_times(text, left - 1, n)
  end
end

fn main() do
  let n = Env.get_int("BENCH_N", 5000)
  let reps = Env.get_int("BENCH_REPS", 5)
  let doc = for i in 0..n do
    record(i)
  end
  let t0 = now_ms()
  let text = encode_times(doc, reps, "")
  let t1 = now_ms()
  let parsed = parse_times(text, reps, 0)
  let t2 = now_ms()
  println("encoded_bytes #{String.length(text)}")
  println("parsed_bytes #{parsed}")
  println("ms_json_encode #{t1 - t0}")
  println("ms_json_parse #{t2 - t1}")
end
