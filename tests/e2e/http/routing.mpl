# test: server
# Every routing rule of stdlib §18.2: tiers, precedence, methods, 404.
fn says(text) do
  fn(req) -> HTTP.response(200, "#{text} #{Request.method(req)} #{Request.path(req)}") end
end

fn user(req) do
  case Request.param(req, "id") do
    Some(id) -> HTTP.response(200, "user #{id}")
    None -> HTTP.response(500, "no id")
  end
end

fn or_dash(value) do
  case value do
    Some(v) -> v
    None -> "-"
  end
end

fn pair(req) do
  let a = or_dash(Request.param(req, "a"))
  let b = or_dash(Request.param(req, "b"))
  let c = or_dash(Request.param(req, "c"))
  HTTP.response(200, "pair #{a} #{b} #{c}")
end

fn main() do
  HTTP.router()
  |> HTTP.on_get("/users/:id", user)
  |> HTTP.on_get("/users/me", says("me"))
  |> HTTP.on_get("/todos", says("todos"))
  |> HTTP.route("/files/*", says("files wildcard"))
  |> HTTP.on_get("/files/list", says("files exact"))
  |> HTTP.on_get("/pairs/:a/:b", pair)
  |> HTTP.on_get("/pairs/:c/:b", pair)
  |> HTTP.on_post("/items", says("create"))
  |> HTTP.on_put("/items/:id", says("update"))
  |> HTTP.on_delete("/items/:id", says("delete"))
  |> HTTP.route("/any", says("any"))
  |> HTTP.route("/api/*", says("api"))
  |> HTTP.serve(Env.get_int("PORT", 8080))
end
