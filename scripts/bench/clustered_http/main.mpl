# scripts/bench/clustered_http.sh's server: `/plain`, `/one` (HTTP.clustered(1, …)) and `/two`
# (HTTP.clustered(2, …)) on a node started from the cluster environment.
from Api.Bench import handle_plain, handle_one, handle_two

fn main() do
  case Node.start_from_env() do
    Ok(s) -> println("[bench] bootstrap mode=#{s.mode} node=#{s.node_name}")
    Err(e) -> println("[bench] bootstrap error: #{e}")
  end
  HTTP.router()
    |> HTTP.on_get("/plain", handle_plain)
    |> HTTP.on_get("/one", HTTP.clustered(1, handle_one))
    |> HTTP.on_get("/two", HTTP.clustered(2, handle_two))
    |> HTTP.serve(Env.get_int("PORT", 8080))
end
