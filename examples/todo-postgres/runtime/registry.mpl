# The registered service "todo_api_registry": what the handlers need, set once at start-up.
pub struct Runtime do
  pool :: PoolHandle
  limiter :: Pid
  window_seconds :: Int
  max_requests :: Int
end

service TodoApiRegistry do
  fn init(runtime :: Runtime) -> Runtime do
    runtime
  end

  call Get() :: Runtime do |runtime|
    (runtime, runtime)
  end
end

pub fn registry_name() -> String do
  "todo_api_registry"
end

pub fn start_registry(runtime :: Runtime) -> Pid do
  let pid = TodoApiRegistry.start(runtime)
  let _ = Process.register(registry_name(), pid)
  pid
end

# The runtime values, from any process of this node.
pub fn current() -> Runtime do
  TodoApiRegistry.get(Process.whereis(registry_name()))
end
