//! `DateTime` (stdlib spec §13). A DateTime is a signed count of milliseconds since
//! 1970-01-01T00:00:00Z, an immediate `Int` word at run time. Every DateTime the runtime
//! hands out lies in the RFC 3339 calendar range (years 0000–9999), so `to_iso8601` always
//! writes `YYYY-MM-DDTHH:MM:SS.mmmZ` and its output parses back.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 0000-01-01T00:00:00.000Z.
pub const MIN_MS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z.
pub const MAX_MS: i64 = 253_402_300_799_999;

/// `DateTime.utc_now`: the wall clock, in milliseconds.
pub fn utc_now() -> i64 {
    let now = OffsetDateTime::now_utc();
    let ms = now.unix_timestamp_nanos().div_euclid(1_000_000);
    (ms as i64).clamp(MIN_MS, MAX_MS)
}

/// `DateTime.to_iso8601`: always three fraction digits and `Z`.
pub fn to_iso8601(ms: i64) -> String {
    let ms = ms.clamp(MIN_MS, MAX_MS);
    let nanos = i128::from(ms) * 1_000_000;
    // In range by the clamp above, which is inside `time`'s supported years.
    let t = OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .expect("DateTime values are within years 0000-9999");
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `DateTime.from_iso8601`: RFC 3339 with a mandatory offset and optional fraction,
/// normalised to UTC; sub-millisecond digits are dropped.
pub fn from_iso8601(s: &str) -> Result<i64, String> {
    let invalid = || "invalid ISO 8601 datetime".to_string();
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| invalid())?;
    let ms = t.unix_timestamp_nanos().div_euclid(1_000_000);
    i64::try_from(ms)
        .ok()
        .filter(|ms| (MIN_MS..=MAX_MS).contains(ms))
        .ok_or_else(invalid)
}

/// `DateTime.from_unix_ms`.
pub fn from_unix_ms(ms: i64) -> Result<i64, String> {
    if (MIN_MS..=MAX_MS).contains(&ms) {
        Ok(ms)
    } else {
        Err("unix timestamp out of range".into())
    }
}

/// `DateTime.from_unix_secs`.
pub fn from_unix_secs(secs: i64) -> Result<i64, String> {
    secs.checked_mul(1000)
        .ok_or_else(|| "unix timestamp out of range".to_string())
        .and_then(from_unix_ms)
}

/// `DateTime.to_unix_secs`: truncated toward zero.
pub fn to_unix_secs(ms: i64) -> i64 {
    ms / 1000
}

/// Milliseconds per unit atom (`:ms`, `:second`, `:minute`, `:hour`, `:day`, `:week`).
pub fn unit_ms(unit: &str) -> Option<i64> {
    Some(match unit {
        "ms" => 1,
        "second" => 1000,
        "minute" => 60_000,
        "hour" => 3_600_000,
        "day" => 86_400_000,
        "week" => 604_800_000,
        _ => return None,
    })
}

/// `DateTime.add(dt, n, unit)`; `Err` is the panic message.
pub fn add(ms: i64, n: i64, unit: &str) -> Result<i64, String> {
    let per = unit_ms(unit).ok_or_else(|| "DateTime.add: unknown unit".to_string())?;
    n.checked_mul(per)
        .and_then(|d| ms.checked_add(d))
        .filter(|r| (MIN_MS..=MAX_MS).contains(r))
        .ok_or_else(|| "DateTime.add: result out of range".to_string())
}

/// `DateTime.diff(a, b, unit)`: `(a - b)` in the unit; `Err` is the panic message.
pub fn diff(a: i64, b: i64, unit: &str) -> Result<f64, String> {
    let per = unit_ms(unit).ok_or_else(|| "DateTime.diff: unknown unit".to_string())?;
    Ok((i128::from(a) - i128::from(b)) as f64 / per as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_round_trips_and_normalises_offsets() {
        assert_eq!(to_iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(to_iso8601(MIN_MS), "0000-01-01T00:00:00.000Z");
        assert_eq!(to_iso8601(MAX_MS), "9999-12-31T23:59:59.999Z");
        assert_eq!(to_iso8601(-1), "1969-12-31T23:59:59.999Z");
        let t = from_iso8601("2024-03-01T10:30:00+05:30").expect("valid");
        assert_eq!(to_iso8601(t), "2024-03-01T05:00:00.000Z");
        let t = from_iso8601("2024-03-01T10:30:00.123987Z").expect("valid");
        assert_eq!(to_iso8601(t), "2024-03-01T10:30:00.123Z");
        assert!(from_iso8601("2024-03-01T10:30:00").is_err());
        assert!(from_iso8601("").is_err());
        assert!(from_iso8601("0000-01-01T00:00:00+01:00").is_err());
    }

    #[test]
    fn ranges_units_and_arithmetic() {
        assert!(from_unix_ms(MAX_MS + 1).is_err());
        assert!(from_unix_secs(i64::MAX).is_err());
        assert_eq!(to_unix_secs(-1500), -1);
        assert_eq!(add(0, 2, "day"), Ok(172_800_000));
        assert!(add(0, 1, "fortnight").is_err());
        assert!(add(MAX_MS, 1, "ms").is_err());
        assert_eq!(diff(604_800_000, 0, "day"), Ok(7.0));
        assert_eq!(diff(0, 90_000, "minute"), Ok(-1.5));
    }
}
