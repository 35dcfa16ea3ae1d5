# The server of tests/https_server.rs: HTTP.serve_tls on PORT with the certificate chain and
# key named by CERT and KEY; `/hello` answers at once, `/echo` answers the request body.
fn hello(_req) do
  HTTP.response(200, "hello over TLS")
end

fn echo(req) do
  HTTP.response(200, Request.body(req))
end

fn main() do
  HTTP.router()
  |> HTTP.on_get("/hello", hello)
  |> HTTP.on_post("/echo", echo)
  |> HTTP.serve_tls(Env.get_int("PORT", 8443), Env.get("CERT", "cert.pem"), Env.get("KEY", "key.pem"))
end
