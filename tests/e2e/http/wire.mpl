# test: server
# Wire behaviour (stdlib §18.5): keep-alive, pipelining, closing, limits and bad input. The
# server answers or closes as specified and keeps serving.
fn echo(req) do
  HTTP.response(200, "#{Request.method(req)} #{Request.path(req)} body=#{Request.body(req)}")
end

fn main() do
  HTTP.router()
  |> HTTP.route("/*", echo)
  |> HTTP.serve(Env.get_int("PORT", 8080))
end
