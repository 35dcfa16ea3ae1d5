# The background worker (tooling spec §7.6): the worker-state service holding everything
# /health shows, a watcher that hands each incarnation's exit reason to that service (and
# ends the program when the supervisor gives up), the supervisor, and the worker itself.
from Jobs.Timing import (
  tick_is_stale,
  reclaim_grace_ms,
  tick_step_ms,
  hold_after_claim_ms,
  pause_after_recovery_ms,
  pool_retry_ms
)
from Runtime.Registry import registry_settings
from Storage.Jobs import (
  claim_next_job,
  touch_job,
  mark_processed,
  mark_failed,
  reclaim_stale_jobs
)
from Types.Job import Job

pub fn worker_state_name() -> String = "reference_backend_worker_state"

pub fn worker_watcher_name() -> String = "reference_backend_worker_watcher"

pub fn crash_reason() -> String = "worker_crash_after_claim"

pub fn now_ms() -> Int = DateTime.to_unix_ms(DateTime.utc_now())

fn log(line :: String) -> () do
  println("[reference-backend] #{line}")
end

# Everything /health reports about the worker. Empty strings and -1 mean "none".
pub struct WorkerInfo do
  status :: String
  poll_ms :: Int
  boot_id :: String
  started_at_ms :: Int
  last_tick_ms :: Int
  booted :: Bool
  restart_count :: Int
  last_exit_reason :: String
  pending_exit_reason :: String
  last_job_id :: String
  last_error :: String
  processed_jobs :: Int
  failed_jobs :: Int
  recovered_jobs :: Int
  last_recovery_ms :: Int
  last_recovery_job_id :: String
  last_recovery_count :: Int
  worker_pool :: Option<PoolHandle>
end

fn initial_info(poll_ms :: Int) -> WorkerInfo do
  WorkerInfo {
    status: "starting",
    poll_ms: poll_ms,
    boot_id: "",
    started_at_ms: -1,
    last_tick_ms: -1,
    booted: false,
    restart_count: 0,
    last_exit_reason: "",
    pending_exit_reason: "",
    last_job_id: "",
    last_error: "",
    processed_jobs: 0,
    failed_jobs: 0,
    recovered_jobs: 0,
    last_recovery_ms: -1,
    last_recovery_job_id: "",
    last_recovery_count: 0,
    worker_pool: None
  }
end

# Started before, and outliving, every worker incarnation.
service WorkerState do
  fn init(poll_ms :: Int) -> WorkerInfo do
    initial_info(poll_ms)
  end
  # A new incarnation: the first one starts, later ones recover and count a restart.
  call Boot(boot_id :: String, now :: Int) :: Int do |s|
    let restarts = if s.booted do s.restart_count + 1 else s.restart_count end
    let status = if s.booted do "recovering" else "starting" end
    let reason = if s.booted do s.pending_exit_reason else s.last_exit_reason end
    let next = %{
      s | booted: true,
      boot_id: boot_id,
      started_at_ms: now,
      last_tick_ms: now,
      status: status,
      restart_count: restarts,
      last_exit_reason: reason,
      pending_exit_reason: "",
      last_error: ""
    }
    (next, restarts)
  end
  # The exit reason of the incarnation that just ended abnormally.
  call RecordExit(reason :: String) :: Int do |s|
    (%{s | pending_exit_reason: reason}, 0)
  end
  cast Tick(now :: Int) do |s|
    %{s | last_tick_ms: now}
  end
  # Records idle; true when the worker entered idle from another status.
  call Idle(now :: Int) :: Bool do |s|
    let entered = s.status != "idle"
    (%{s | status: "idle", last_error: "", last_tick_ms: now}, entered)
  end
  cast Claimed(id :: String, now :: Int) do |s|
    %{s | status: "processing", last_job_id: id, last_tick_ms: now}
  end
  cast Processed(id :: String) do |s|
    %{
      s | status: "processed",
      last_job_id: id,
      last_error: "",
      processed_jobs: s.processed_jobs + 1
    }
  end
  cast Failed(id :: String, reason :: String) do |s|
    let job = if id == "" do s.last_job_id else id end
    %{s | status: "failed", last_job_id: job, last_error: reason, failed_jobs: s.failed_jobs + 1}
  end
  cast PoolFailed(reason :: String) do |s|
    %{s | status: "failed", last_error: reason}
  end
  call Crashing(reason :: String) :: Int do |s|
    (%{s | status: "crashing", last_error: reason}, 0)
  end
  call Recovered(count :: Int, last_id :: String, now :: Int) :: Int do |s|
    let next = if count > 0 do
      %{
        s | status: "recovering",
        recovered_jobs: s.recovered_jobs + count,
        last_recovery_count: count,
        last_recovery_ms: now,
        last_recovery_job_id: last_id
      }
    else
      %{s | last_recovery_count: 0}
    end
    (next, count)
  end
  # Records the pool of the current incarnation; returns the previous incarnation's, which
  # nothing uses any more (its worker has ended), so the caller can close it.
  call SwapPool(pool :: PoolHandle) :: Option<PoolHandle> do |s|
    (%{s | worker_pool: Some(pool)}, s.worker_pool)
  end
  call Snapshot() :: WorkerInfo do |s|
    (s, s)
  end
end

fn state_pid() -> Pid do
  Process.whereis(worker_state_name())
end

pub fn worker_snapshot() -> WorkerInfo do
  WorkerState.snapshot(state_pid())
end

pub type WatchRequest do
  WatchSupervisor(Pid)
  WatchWorker(Pid)
end

# Monitors the supervisor and each worker incarnation. A monitor's Down arrives before the
# supervisor hears of the same end, and an incarnation registers here (and waits for the
# answer) before it boots, so the exit reason is recorded before the next boot reads it.
# Every `poll` ms without a message it is also the stall watchdog (§7.6).
actor worker_watcher(sup_pid :: Pid, worker :: Pid, poll :: Int) do
  receive do
    Down { pid, reason, .. } -> do
      if pid == sup_pid do
        log("Job worker supervisor gave up: #{reason}")
        Process.exit(1)
      else
        if reason != "normal" do
          WorkerState.record_exit(state_pid(), reason)
        end
        worker_watcher(sup_pid, worker, poll)
      end
    end
    WatchSupervisor(sup) -> do
      Process.monitor(sup)
      worker_watcher(sup, worker, poll)
    end
    WatchWorker(next) -> do
      Process.monitor(next)
      send(next, 1)
      worker_watcher(sup_pid, next, poll)
    end
  after poll -> do
    check_stall(worker, poll)
    worker_watcher(sup_pid, worker, poll)
  end
  end
end

# Kills the worker with reason `worker_stalled` when it is processing (or crashing) and its
# tick is older than the stale threshold; the supervisor restarts it and recovery follows.
fn check_stall(worker :: Pid, poll :: Int) -> () do
  let info = worker_snapshot()
  let busy = info.status == "processing" or info.status == "crashing"
  let age = if info.last_tick_ms < 0 do -1 else now_ms() - info.last_tick_ms end
  if busy and tick_is_stale(age, poll) and worker != Process.whereis("") do
    log("Job worker stalled id=#{info.last_job_id} tick_age_ms=#{age}")
    Process.kill(worker, "worker_stalled")
  end
end

supervisor JobWorkerSupervisor do
  strategy: one_for_one
  max_restarts: 10
  max_seconds: 60
  child worker do
    start: fn -> spawn(job_worker) end
    restart: permanent
    shutdown: 5000
  end
end

struct WorkerCtx do
  pool :: PoolHandle
  poll :: Int
  fault :: Bool
  restart_count :: Int
end

# One incarnation: register with the watcher, boot, open the pool, recover, loop.
actor job_worker() do
  send(Process.whereis(worker_watcher_name()), WatchWorker(self()))
  let _ack :: Int = receive do
    n -> n
  after 5000 -> 0
  end
  let settings = registry_settings()
  let boot_id = Crypto.uuid4()
  let restarts = WorkerState.boot(state_pid(), boot_id, now_ms())
  log("Job worker boot id=#{boot_id} restart_count=#{restarts}")
  let pool = open_worker_pool(settings.database_url, settings.job_poll_ms)
  case WorkerState.swap_pool(state_pid(), pool) do
    Some(previous) -> Pool.close(previous)
    None -> ()
  end
  let ctx = WorkerCtx {
    pool: pool,
    poll: settings.job_poll_ms,
    fault: settings.fault_injection,
    restart_count: restarts
  }
  recover_jobs(ctx)
  work_loop(ctx)
end

fn open_worker_pool(url :: String, poll :: Int) -> PoolHandle do
  case Pool.open(url, 1, 4, 5000) do
    Ok(pool) -> pool
    Err(reason) -> do
      WorkerState.pool_failed(state_pid(), reason)
      log("Job worker failed: #{reason}")
      Timer.sleep(pool_retry_ms(poll))
      open_worker_pool(url, poll)
    end
  end
end

# Waits `remaining` ms in tick steps, recording a tick (and refreshing the heartbeat of
# `job_id`, when there is one) after each step.
fn wait_ticking(ctx :: WorkerCtx, remaining :: Int, job_id :: String) -> () do
  if remaining > 0 do
    let step = Math.min(tick_step_ms(ctx.poll), remaining)
    Timer.sleep(step)
    WorkerState.tick(state_pid(), now_ms())
    if job_id != "" do
      let _ = touch_job(ctx.pool, job_id)
    end
    wait_ticking(ctx, remaining - step, job_id)
  end
end

fn recovery_hint(restart_count :: Int) -> String do
  if restart_count > 0 do
    "requeued after worker restart"
  else
    "requeued abandoned processing job during boot recovery"
  end
end

fn recover_jobs(ctx :: WorkerCtx) -> () do
  let grace = reclaim_grace_ms(ctx.poll)
  wait_ticking(ctx, grace, "")
  case reclaim_stale_jobs(ctx.pool, grace, recovery_hint(ctx.restart_count)) do
    Ok((count, last_id)) -> do
      WorkerState.recovered(state_pid(), count, last_id, now_ms())
      if count > 0 do
        log("Job worker recovered jobs=#{count} last_job_id=#{last_id}")
        wait_ticking(ctx, pause_after_recovery_ms(ctx.poll), "")
      end
    end
    Err(reason) -> do
      WorkerState.failed(state_pid(), "", reason)
      log("Job worker failed: #{reason}")
    end
  end
end

fn work_loop(ctx :: WorkerCtx) -> () do
  WorkerState.tick(state_pid(), now_ms())
  case claim_next_job(ctx.pool) do
    Ok(Some(job)) -> process_job(ctx, job)
    Ok(None) -> do
      if WorkerState.idle(state_pid(), now_ms()) do
        log("Job worker idle")
      end
    end
    Err(reason) -> do
      WorkerState.failed(state_pid(), "", reason)
      log("Job worker failed: #{reason}")
    end
  end
  Timer.sleep(ctx.poll)
  work_loop(ctx)
end

fn knob(ctx :: WorkerCtx, job :: Job) -> String do
  if ctx.fault and job.attempts == 1 do Json.get(job.payload, "kind") else "" end
end

fn process_job(ctx :: WorkerCtx, job :: Job) -> () do
  WorkerState.claimed(state_pid(), job.id, now_ms())
  log("Job worker claimed id=#{job.id} attempts=#{job.attempts}")
  let kind = knob(ctx, job)
  if kind == "hold_after_claim_once" do
    let hold = hold_after_claim_ms(ctx.poll)
    log("Job worker hold-after-claim id=#{job.id} attempts=#{job.attempts} hold_ms=#{hold}")
    wait_ticking(ctx, hold, job.id)
  end
  if kind == "crash_after_claim_once" do
    WorkerState.crashing(state_pid(), crash_reason())
    log("Job worker crash injected id=#{job.id} attempts=#{job.attempts}")
    panic(crash_reason())
  end
  finish_job(ctx, job)
end

fn finish_job(ctx :: WorkerCtx, job :: Job) -> () do
  case mark_processed(ctx.pool, job.id) do
    Ok(Some(done)) -> do
      WorkerState.processed(state_pid(), job.id)
      log("Job worker processed id=#{job.id} status=processed attempts=#{done.attempts}")
    end
    Ok(None) -> do
      let reason = "job is no longer processing"
      WorkerState.failed(state_pid(), job.id, reason)
      log("Job worker failed id=#{job.id}: #{reason}")
    end
    Err(reason) -> do
      let _ = mark_failed(ctx.pool, job.id, reason)
      WorkerState.failed(state_pid(), job.id, reason)
      log("Job worker failed id=#{job.id}: #{reason}")
    end
  end
end

# Starts the worker-state service, the watcher, the supervisor and (through it) the worker.
pub fn start_job_worker(poll_ms :: Int) -> () do
  let state = WorkerState.start(poll_ms)
  Process.register(worker_state_name(), state)
  let watcher = spawn(worker_watcher, Process.whereis(""), Process.whereis(""), poll_ms)
  Process.register(worker_watcher_name(), watcher)
  let sup = spawn(JobWorkerSupervisor)
  send(watcher, WatchSupervisor(sup))
end
