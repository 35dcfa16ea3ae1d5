# test: exit=1
# HTTP.serve cannot bind: the spec's line on stderr and exit status 1 (stdlib §18.1).
fn main() do
  println("before")
  HTTP.router()
  |> HTTP.on_get("/", fn(_req) -> HTTP.response(200, "") end)
  |> HTTP.serve(70000)
  println("never")
end
