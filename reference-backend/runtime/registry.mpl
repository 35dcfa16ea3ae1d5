# The registered service that holds the HTTP side's pool and the validated settings, so
# request processes and worker incarnations find them by name.
from Config import Settings

pub fn registry_name() -> String = "reference_backend_registry"

service Registry do
  fn init(pool :: PoolHandle, settings :: Settings) -> (PoolHandle, Settings) do
    (pool, settings)
  end
  call GetPool() :: PoolHandle do |state|
    let (pool, _) = state
    (state, pool)
  end
  call GetSettings() :: Settings do |state|
    let (_, settings) = state
    (state, settings)
  end
end

pub fn registry_pool() -> PoolHandle do
  Registry.get_pool(Process.whereis(registry_name()))
end

pub fn registry_settings() -> Settings do
  Registry.get_settings(Process.whereis(registry_name()))
end
