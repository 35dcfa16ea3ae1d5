# The Mesh side of scripts/bench/http.sh: GET /text and GET /json (stdlib spec §18), on the
# port in the PORT environment variable.
fn text(_request) do
  HTTP.response(200, "Hello, World!")
end

fn json_body(_request) do
  HTTP.response(200, json { message: "Hello, World!" })
end

fn main() do
  HTTP.router()
    |> HTTP.on_get("/text", text)
    |> HTTP.on_get("/json", json_body)
    |> HTTP.serve(Env.get_int("PORT", 8080))
end
