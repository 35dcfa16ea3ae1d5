# test: server
# Middleware (stdlib §18.2 rule 4): first added is outermost, `next` continues the chain,
# returning without `next` short-circuits, middleware also wraps unmatched requests, and a
# panic in a middleware is a 500 for that request only. `HTTP.use` after the routes still
# applies to them.
fn first(req, next) do
  case Request.header(req, "x-stop") do
    Some("1") -> HTTP.response(403, "stopped by first")
    _ -> next(req)
  end
end

fn second(req, next) do
  case Request.header(req, "x-stop") do
    Some(_) -> HTTP.response(403, "stopped by second")
    None -> next(req)
  end
end

fn wrapper(req, next) do
  let inner = next(req)
  case Request.header(req, "x-replace") do
    Some(text) -> HTTP.response_with_headers(200, text, %{"X-Wrapped" => "yes"})
    None -> inner
  end
end

fn exploding(req, next) do
  case Request.header(req, "x-panic") do
    Some(_) -> HTTP.response(200, "#{List.get([1], 3)}")
    None -> next(req)
  end
end

fn main() do
  HTTP.router()
  |> HTTP.use(first)
  |> HTTP.on_get("/hello", fn(_req) -> HTTP.response(200, "hello") end)
  |> HTTP.use(second)
  |> HTTP.use(wrapper)
  |> HTTP.use(exploding)
  |> HTTP.serve(Env.get_int("PORT", 8080))
end
