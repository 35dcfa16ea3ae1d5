# Bootstrap only: join the cluster the environment describes (or run standalone). The runtime
# starts the declared work in work.mpl itself once main returns.
fn main() do
  case Node.start_from_env() do
    Ok(status) -> report(status)
    Err(reason) -> fail_bootstrap(reason)
  end
end

fn report(status :: BootstrapStatus) -> () do
  let node = "mode=${status.mode} node=${status.node_name}"
  let seed = "cluster_port=${status.cluster_port} discovery_seed=${status.discovery_seed}"
  println("[{{name}}] runtime bootstrap ${node} ${seed}")
end

fn fail_bootstrap(reason :: String) -> () do
  println("[{{name}}] runtime bootstrap failed reason=${reason}")
  Process.exit(1)
end
