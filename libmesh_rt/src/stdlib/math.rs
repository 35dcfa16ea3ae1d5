//! `Int`, `Float` and `Math` logic (stdlib spec §4). Conversions from Float to Int truncate
//! toward zero, saturate at the Int limits and map NaN to 0 (Rust's `as` cast does exactly
//! that); Int arithmetic wraps, like the language's operators.

/// `Int.to_float` / `Float.from`: the nearest Float.
pub fn int_to_float(n: i64) -> f64 {
    n as f64
}

/// `Float.to_int`: truncates toward zero; out of range saturates; NaN → 0.
pub fn float_to_int(f: f64) -> i64 {
    // `as` from f64 to i64 saturates and maps NaN to 0 (Rust reference, "Numeric cast").
    f as i64
}

/// `Math.abs` on Int: the minimum wraps to itself.
pub fn abs_int(n: i64) -> i64 {
    n.wrapping_abs()
}

/// `Math.min` on Float: a NaN argument yields the other argument (`f64::min` does).
pub fn min_float(a: f64, b: f64) -> f64 {
    a.min(b)
}

/// `Math.max` on Float: a NaN argument yields the other argument (`f64::max` does).
pub fn max_float(a: f64, b: f64) -> f64 {
    a.max(b)
}

/// `Math.floor`: rounds down, then converts as `Float.to_int`.
pub fn floor(x: f64) -> i64 {
    float_to_int(x.floor())
}

/// `Math.ceil`: rounds up, then converts as `Float.to_int`.
pub fn ceil(x: f64) -> i64 {
    float_to_int(x.ceil())
}

/// `Math.round`: half away from zero (`2.5` → 3, `-2.5` → -3), then converts as
/// `Float.to_int`.
pub fn round(x: f64) -> i64 {
    float_to_int(x.round())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_to_int_truncates_and_saturates() {
        assert_eq!(float_to_int(2.9), 2);
        assert_eq!(float_to_int(-2.9), -2);
        assert_eq!(float_to_int(1e300), i64::MAX);
        assert_eq!(float_to_int(-1e300), i64::MIN);
        assert_eq!(float_to_int(f64::INFINITY), i64::MAX);
        assert_eq!(float_to_int(f64::NAN), 0);
    }

    #[test]
    fn int_to_float_is_nearest() {
        assert_eq!(int_to_float(42), 42.0);
        assert_eq!(int_to_float(i64::MAX), 9_223_372_036_854_775_808.0);
        assert_eq!(int_to_float(9_007_199_254_740_993), 9_007_199_254_740_992.0);
    }

    #[test]
    fn abs_min_max() {
        assert_eq!(abs_int(-5), 5);
        assert_eq!(abs_int(i64::MIN), i64::MIN);
        assert_eq!(min_float(f64::NAN, 2.0), 2.0);
        assert_eq!(max_float(1.0, f64::NAN), 1.0);
        assert_eq!(min_float(-0.5, 3.0), -0.5);
        assert_eq!(max_float(-0.5, 3.0), 3.0);
    }

    #[test]
    fn rounding_goes_through_float_to_int() {
        assert_eq!(floor(-1.5), -2);
        assert_eq!(ceil(-1.5), -1);
        assert_eq!(floor(2.0), 2);
        assert_eq!(ceil(2.1), 3);
        assert_eq!(round(2.5), 3);
        assert_eq!(round(-2.5), -3);
        assert_eq!(round(2.4999), 2);
        assert_eq!(round(f64::NAN), 0);
        assert_eq!(ceil(1e30), i64::MAX);
    }
}
