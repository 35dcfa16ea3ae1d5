# Http.send against the test's local server (MESH_TEST_URL): methods, headers, query
# encoding, bodies, JSON, statuses, header folding, chunked and close-delimited bodies,
# timeouts, refused connections, names resolved through DNS, and the legacy HTTP.get/post.
fn show(r :: HttpResponse ! String) -> String do
  case r do
    Ok(resp) -> "#{resp.status} #{resp.body}"
    Err(e) -> "error: #{e}"
  end
end

fn legacy(r :: String ! String) -> String do
  case r do
    Ok(body) -> "ok: #{body}"
    Err(e) -> "err: #{e}"
  end
end

fn main() do
  let base = Env.get("MESH_TEST_URL", "")
  let get = Http.build(:get, base <> "/echo") |> Http.header("X-Test", "one")
  println(show(Http.send(get)))
  println(show(Http.send(get)))
  let queried = Http.build(:get, base <> "/echo") |> Http.query("q", "a b&c=é") |> Http.query("n", "1")
  println(show(Http.send(queried)))
  println(show(Http.send(Http.build(:post, base <> "/echo") |> Http.body("hello"))))
  println(show(Http.send(Http.build(:get, base <> "/echo") |> Http.body("get with a body"))))
  println(show(Http.send(Http.build(:put, base <> "/echo") |> Http.json("{\"a\":1}"))))
  println(show(Http.send(Http.build(:brew, base <> "/echo"))))
  println(show(Http.send(Http.build(:delete, base <> "/status/404"))))
  case Http.send(Http.build(:get, base <> "/headers")) do
    Ok(resp) -> println("x-dup=#{Map.get(resp.headers, "x-dup")} mixed=#{Map.get(resp.headers, "x-mixed-case")} missing=[#{Map.get(resp.headers, "X-Mixed-Case")}]")
    Err(e) -> println("error: #{e}")
  end
  println(show(Http.send(Http.build(:get, base <> "/chunked"))))
  println(show(Http.send(Http.build(:get, base <> "/close"))))
  case Http.send(Http.build(:get, base <> "/hang") |> Http.timeout(300)) do
    Ok(resp) -> println("unexpected #{resp.status}")
    Err(e) -> println("timeout: #{String.starts_with(e, "TIMEOUT: ")}")
  end
  println(show(Http.send(Http.build(:get, Env.get("MESH_TEST_REFUSED_URL", "")))))
  println(show(Http.send(Http.build(:get, Env.get("MESH_TEST_LOCALHOST_URL", "") <> "/echo"))))
  println(show(Http.send(Http.build(:get, "ftp://example.invalid/"))))
  println(legacy(HTTP.get(base <> "/echo")))
  println(legacy(HTTP.get(base <> "/status/404")))
  println(legacy(HTTP.post(base <> "/echo", "{\"k\":true}")))
  println(legacy(HTTP.get(Env.get("MESH_TEST_REFUSED_URL", ""))))
end
