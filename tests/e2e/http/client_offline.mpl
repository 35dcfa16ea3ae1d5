# spec: stdlib §19 — the HTTP client without a server: requests are immutable values (a
# builder returns a copy, compared as values), HttpResponse fields are read with field access,
# bad URLs and refused connections are Err values, a closed client says so whatever the
# request, and an inert stream handle can be cancelled. (Servers: tests/http_client.rs.)
fn show(r :: HttpResponse ! String) -> String do
  case r do
    Ok(resp) -> "#{resp.status} #{resp.body} #{Map.size(resp.headers)}"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let base = Http.build(:get, "ftp://example.invalid/")
  let with_header = Http.header(base, "X-A", "1")
  println("a builder returns a copy: #{base == with_header} #{base == Http.build(:get, "ftp://example.invalid/")}")
  println(show(Http.send(with_header)))
  println(show(Http.send(Http.build(:post, "http://127.0.0.1:1/") |> Http.json("{}") |> Http.timeout(2000))))
  case HTTP.post("not a url", "{}") do
    Ok(b) -> println(b)
    Err(e) -> println("legacy: #{e}")
  end
  let c = Http.client()
  Http.client_close(c)
  println(show(Http.send_with(c, base)))
  let h = Http.stream(base, fn chunk do chunk end)
  Http.cancel(h)
  println("done")
end
