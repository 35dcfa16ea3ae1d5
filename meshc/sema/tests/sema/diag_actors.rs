//! Diagnostics of actors, services and supervisors (spec language §3.7–§3.9, §5.6, §5.8),
//! one snapshot per code.

#[test]
fn e0014_message_type_mismatch() {
    check_diag!(
        r#"actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
end
fn main() do
  let c = spawn(counter, 0)
  send(c, "one")
end
"#,
        E0014
    );
}

#[test]
fn e0015_self_outside_actor() {
    check_diag!("fn helper() do\n  self()\nend\nfn main() do\nend\n", E0015);
}

#[test]
fn e0016_spawn_non_function() {
    check_diag!("fn main() do\n  let _ = spawn(42)\nend\n", E0016);
}

#[test]
fn e0017_receive_outside_actor() {
    check_diag!(
        "fn waiter() do\n  receive do\n    x -> x\n  end\nend\nfn main() do\nend\n",
        E0017
    );
}

#[test]
fn e0018_start_does_not_return_a_pid() {
    check_diag!(
        r#"supervisor AlsoBad do
  child bad do
    start: fn -> 42 end
  end
end
fn main() do
end
"#,
        E0018
    );
}

const WORKER: &str = "actor worker() do\n  receive do _ -> () end\nend\n";

#[test]
fn e0019_unknown_strategy() {
    check_diag!(
        &format!("{WORKER}supervisor Bad do\n  strategy: one_for_some\n  child a do\n    start: fn -> spawn(worker) end\n  end\nend\nfn main() do\nend\n"),
        E0019
    );
}

#[test]
fn e0020_invalid_restart() {
    check_diag!(
        &format!("{WORKER}supervisor Bad do\n  child a do\n    start: fn -> spawn(worker) end\n    restart: sometimes\n  end\nend\nfn main() do\nend\n"),
        E0020
    );
}

#[test]
fn e0021_invalid_shutdown() {
    check_diag!(
        &format!("{WORKER}supervisor Bad do\n  child a do\n    start: fn -> spawn(worker) end\n    shutdown: 0\n  end\nend\nfn main() do\nend\n"),
        E0021
    );
}

#[test]
fn e0054_service_without_init() {
    check_diag!(
        "service Counter do\n  call Get() :: Int do |n|\n    (n, n)\n  end\nend\nfn main() do\nend\n",
        E0054
    );
}

#[test]
fn e0055_unknown_supervisor_setting() {
    check_diag!(
        &format!("{WORKER}supervisor Bad do\n  strategi: one_for_one\n  child a do\n    start: fn -> spawn(worker) end\n  end\nend\nfn main() do\nend\n"),
        E0055
    );
}

#[test]
fn e0056_child_without_start() {
    check_diag!(
        "supervisor Bad do\n  child a do\n    restart: permanent\n  end\nend\nfn main() do\nend\n",
        E0056
    );
}

#[test]
fn a_mismatch_caused_by_an_earlier_receive_points_at_it() {
    check_diag!(
        r##"actor worker() do
  receive do
    n -> println("#{n + 1}")
  end
  receive do
    "stop" -> ()
  end
end
fn main() do
end
"##,
        E0001
    );
}

#[test]
fn e0052_internal_function_named_in_a_program() {
    check_diag!("fn main() do\n  __service_reply(42)\nend\n", E0052);
}

#[test]
fn e0059_receive_whose_message_type_nothing_fixes() {
    check_diag!(
        "actor echo() do\n  receive do\n    v -> println(\"#{v}\")\n  end\nend\nfn main() do\n  let p :: Pid = spawn(echo)\n  send(p, \"hi\")\nend\n",
        E0059
    );
}
