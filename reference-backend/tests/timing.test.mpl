# The timing table and the liveness/status derivation of tooling spec §7.6 and §7.8.
from Jobs.Timing import (
  stale_threshold_ms,
  reclaim_grace_ms,
  tick_step_ms,
  hold_after_claim_ms,
  pause_after_recovery_ms,
  pool_retry_ms,
  tick_is_stale,
  liveness,
  health_status,
  recovery_active
)

# (poll, stale, grace, step, hold, pause)
fn timing_rows() -> List<(Int, Int, Int, Int, Int, Int)> do
  [
    (50, 1000, 500, 50, 1500, 2500),
    (100, 1000, 500, 100, 1500, 2500),
    (500, 1500, 1000, 100, 6000, 9000),
    (2000, 6000, 4000, 100, 24000, 36000)
  ]
end

fn timing_row_ok(row :: (Int, Int, Int, Int, Int, Int)) -> Bool do
  let (poll, stale, grace, step, hold, pause) = row
  stale_threshold_ms(
    poll
  ) == stale and reclaim_grace_ms(poll) == grace and tick_step_ms(poll) == step and hold_after_claim_ms(poll) == hold and pause_after_recovery_ms(poll) == pause
end

# (status, tick age, liveness, health status, recovery_active) at poll 100 (stale above 1000)
fn health_rows() -> List<(String, Int, String, String, Bool)> do
  [
    ("starting", 10, "recovering", "degraded", true),
    ("starting", 5000, "stale", "degraded", false),
    ("starting", -1, "stale", "degraded", false),
    ("idle", 10, "healthy", "ok", false),
    ("idle", 5000, "stale", "degraded", false),
    ("idle", -1, "stale", "degraded", false),
    ("processing", 10, "healthy", "ok", false),
    ("processing", 5000, "stale", "degraded", false),
    ("processing", -1, "stale", "degraded", false),
    ("processed", 10, "healthy", "ok", false),
    ("processed", 5000, "stale", "degraded", false),
    ("processed", -1, "stale", "degraded", false),
    ("failed", 10, "failed", "error", false),
    ("failed", 5000, "failed", "error", false),
    ("failed", -1, "failed", "error", false),
    ("crashing", 10, "recovering", "degraded", true),
    ("crashing", 5000, "stale", "degraded", false),
    ("crashing", -1, "stale", "degraded", false),
    ("recovering", 10, "recovering", "degraded", true),
    ("recovering", 5000, "stale", "degraded", false),
    ("recovering", -1, "stale", "degraded", false)
  ]
end

fn health_row_ok(row :: (String, Int, String, String, Bool)) -> Bool do
  let (status, age, live, overall, active) = row
  let got = liveness(status, age, 100)
  got == live and health_status(got) == overall and recovery_active(status, age, 100) == active
end

describe("Timing table") do
  test("every row for poll 50, 100, 500 and 2000") do
    for row in timing_rows() do
      let (poll, _, _, _, _, _) = row
      if not timing_row_ok(row) do
        println("timing row for poll #{poll} differs")
      end
    end
    assert_eq(List.length(List.filter(timing_rows(), timing_row_ok)), 4)
  end
  test("pool retry waits max(poll, 1000)") do
    assert_eq(pool_retry_ms(100), 1000)
    assert_eq(pool_retry_ms(2000), 2000)
  end
  test("reclaim grace is at least five tick steps") do
    for poll in [1, 50, 100, 500, 2000, 100000] do
      assert(reclaim_grace_ms(poll) >= 5 * tick_step_ms(poll))
    end
  end
end

describe("Health derivation") do
  test("staleness boundaries") do
    assert(tick_is_stale(-1, 100))
    assert(not tick_is_stale(0, 100))
    assert(not tick_is_stale(1000, 100))
    assert(tick_is_stale(1001, 100))
    assert(not tick_is_stale(1500, 500))
    assert(tick_is_stale(1501, 500))
  end
  test("liveness, status and recovery_active for each status and tick") do
    for row in health_rows() do
      let (status, age, _, _, _) = row
      if not health_row_ok(row) do
        println("health row #{status} age=#{age} differs")
      end
    end
    assert_eq(List.length(List.filter(health_rows(), health_row_ok)), 21)
  end
end
