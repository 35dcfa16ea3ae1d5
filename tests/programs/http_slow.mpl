# The server of tests/http_server.rs: `/hello` answers at once, `/sleep/:ms` after sleeping
# (and says on stderr when it starts, so a test knows the request is in flight).
fn hello(_req) do
  HTTP.response(200, "hello")
end

fn sleepy(req) do
  let ms = case Request.param(req, "ms") do
    Some(text) ->
      case String.to_int(text) do
        Some(n) -> n
        None -> 0
      end
    None -> 0
  end
  IO.eprintln("started #{Request.path(req)}")
  Timer.sleep(ms)
  HTTP.response(200, "slept #{ms}")
end

fn main() do
  HTTP.router()
  |> HTTP.on_get("/hello", hello)
  |> HTTP.on_get("/sleep/:ms", sleepy)
  |> HTTP.serve(Env.get_int("PORT", 8080))
end
