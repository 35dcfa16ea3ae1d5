# test: server
# Request accessors (stdlib §18.3) and responses with headers (§18.5).
fn show(value) do
  case value do
    Some(v) -> "[#{v}]"
    None -> "none"
  end
end

fn echo(req) do
  let lines = [
    "method=#{Request.method(req)}",
    "path=#{Request.path(req)}",
    "body=#{Request.body(req)}",
    "header=#{show(Request.header(req, "X-Thing"))}",
    "missing=#{show(Request.header(req, "X-Missing"))}",
    "q=#{show(Request.query(req, "q"))}",
    "empty=#{show(Request.query(req, "e"))}",
    "bare=#{show(Request.query(req, "bare"))}",
    "id=#{show(Request.param(req, "id"))}",
    "other=#{show(Request.param(req, "other"))}"
  ]
  HTTP.response(200, String.join(lines, "\n"))
end

fn typed(_req) do
  HTTP.response_with_headers(201, "<p>hi</p>", %{"content-type" => "text/html", "X-One" => "1"})
end

fn status(req) do
  case Request.param(req, "code") do
    Some(code) ->
      case String.to_int(code) do
        Some(n) -> HTTP.response(n, "custom")
        None -> HTTP.response(400, "bad code")
      end
    None -> HTTP.response(500, "")
  end
end

fn main() do
  HTTP.router()
  |> HTTP.route("/echo/:id", echo)
  |> HTTP.on_get("/typed", typed)
  |> HTTP.on_get("/status/:code", status)
  |> HTTP.on_get("/json", fn(_req) -> HTTP.response(200, json { ok: true, n: 2 }) end)
  |> HTTP.serve(Env.get_int("PORT", 8080))
end
