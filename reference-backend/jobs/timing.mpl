# Pure timing and health-derivation rules of the worker (tooling spec §7.6, §7.8), all in
# milliseconds; `poll` is JOB_POLL_MS.

pub fn stale_threshold_ms(poll :: Int) -> Int = Math.max(3 * poll, 1000)

pub fn reclaim_grace_ms(poll :: Int) -> Int = Math.max(2 * poll, 500)

pub fn tick_step_ms(poll :: Int) -> Int = Math.min(poll, 100)

pub fn hold_after_claim_ms(poll :: Int) -> Int = Math.max(12 * poll, 1500)

pub fn pause_after_recovery_ms(poll :: Int) -> Int do
  Math.max(reclaim_grace_ms(poll) + 16 * poll, 2500)
end

# How long a worker whose pool could not open waits before trying again.
pub fn pool_retry_ms(poll :: Int) -> Int = Math.max(poll, 1000)

# A tick is stale when there has been none (age -1) or it is older than the threshold.
pub fn tick_is_stale(tick_age_ms :: Int, poll :: Int) -> Bool do
  tick_age_ms < 0 or tick_age_ms > stale_threshold_ms(poll)
end

pub fn is_recovering_status(status :: String) -> Bool do
  status == "starting" or status == "crashing" or status == "recovering"
end

pub fn liveness(status :: String, tick_age_ms :: Int, poll :: Int) -> String do
  if status == "failed" do
    "failed"
  else
    if tick_is_stale(tick_age_ms, poll) do
      "stale"
    else
      if is_recovering_status(status) do "recovering" else "healthy" end
    end
  end
end

pub fn health_status(liveness :: String) -> String do
  if liveness == "healthy" do
    "ok"
  else
    if liveness == "failed" do "error" else "degraded" end
  end
end

pub fn recovery_active(status :: String, tick_age_ms :: Int, poll :: Int) -> Bool do
  is_recovering_status(status) and not tick_is_stale(tick_age_ms, poll)
end
