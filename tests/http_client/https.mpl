# HTTPS: a local TLS server whose self-signed certificate the test trusts through
# MESH_TLS_EXTRA_ROOTS, and one whose certificate nobody trusts (TLS_ERROR).
fn show(r :: HttpResponse ! String) -> String do
  case r do
    Ok(resp) -> "#{resp.status} #{resp.body}"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let trusted = Env.get("MESH_TEST_HTTPS_URL", "")
  println(show(Http.send(Http.build(:get, trusted <> "/echo") |> Http.header("X-Test", "tls"))))
  let c = Http.client()
  println(show(Http.send_with(c, Http.build(:post, trusted <> "/echo") |> Http.body("one"))))
  println(show(Http.send_with(c, Http.build(:post, trusted <> "/echo") |> Http.body("two"))))
  println(show(Http.send_with(c, Http.build(:get, trusted <> "/count"))))
  case Http.send(Http.build(:get, Env.get("MESH_TEST_UNTRUSTED_URL", "") <> "/echo")) do
    Ok(resp) -> println("unexpected #{resp.status}")
    Err(e) -> println("untrusted: #{String.starts_with(e, "TLS_ERROR: ")}")
  end
end
