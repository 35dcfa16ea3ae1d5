# Clustered work, declared in source (runtime name `Work.add`). The runtime runs it once per
# cluster at start-up and records it as `startup::Work.add`; nothing calls it by name.
@cluster pub fn add() -> Int do
  1 + 1
end
