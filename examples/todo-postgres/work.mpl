# Clustered work, declared in source (runtime name `Work.sync_todos`). The runtime runs it once
# per cluster at start-up, on the primary with the standby as replica, and records it as
# `startup::Work.sync_todos`; nothing calls it by name. Replace the body with real start-up work
# (a cache warm-up, a sync with another system…).
@cluster pub fn sync_todos() -> Int do
  1 + 1
end
