# spec: stdlib §12 — Env.get returns the value when set, else the default; Env.get_int parses
# a base-10 Int and falls back to the default when unset or unparsable. The e2e harness runs
# programs with MESH_TEST=1.
fn main() do
  println(Env.get("MESH_TEST", "unset"))
  println(Env.get("MESH_E2E_SURELY_UNSET_VARIABLE", "the default"))
  println("[#{Env.get("MESH_E2E_SURELY_UNSET_VARIABLE", "")}]")
  println(Env.get("", "empty name"))
  println(env_get_with_default("MESH_TEST", "unset"))
  println("#{Env.get_int("MESH_TEST", 0)}")
  println("#{Env.get_int("MESH_E2E_SURELY_UNSET_VARIABLE", -1)}")
  println("#{Env.get_int("PATH", 42)}")
  println("#{env_get_int("MESH_TEST", 0) + 1}")
end
