# Http.client keeps connections alive: three requests through one client use one
# connection (the server counts them); a plain Http.send opens its own; after
# Http.client_close the client fails with "client closed".
fn show(r :: HttpResponse ! String) -> String do
  case r do
    Ok(resp) -> "#{resp.status} #{resp.body}"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let base = Env.get("MESH_TEST_URL", "")
  let c = Http.client()
  let before = show(Http.send(Http.build(:get, base <> "/count")))
  println("before: #{before}")
  println(show(Http.send_with(c, Http.build(:get, base <> "/echo"))))
  println(show(Http.send_with(c, Http.build(:post, base <> "/echo") |> Http.body("again"))))
  println(show(Http.send_with(c, Http.build(:get, base <> "/chunked"))))
  println("through the client: #{show(Http.send_with(c, Http.build(:get, base <> "/count")))}")
  println(show(Http.send_with(c, Http.build(:get, base <> "/hang") |> Http.timeout(200))))
  Http.client_close(c)
  println(show(Http.send_with(c, Http.build(:get, base <> "/echo"))))
  Http.client_close(c)
end
