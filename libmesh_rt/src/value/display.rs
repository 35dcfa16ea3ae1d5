//! Display forms shared by interpolation, `to_string` and `String.from` (stdlib spec §0.5).

/// Float Display: the shortest text that round-trips, no exponent, integral values without
/// `.0`, `NaN`, `inf`, `-inf`. Rust's `{}` for f64 already prints the shortest round-trip digits
/// without exponent; only the integral `.0` rule and infinities need care.
pub fn float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{x}");
    match s.strip_suffix(".0") {
        Some(int) => int.to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::float;

    #[test]
    fn float_display_follows_the_spec_table() {
        assert_eq!(float(2.5), "2.5");
        assert_eq!(float(1.25e-3), "0.00125");
        assert_eq!(float(7.0), "7");
        assert_eq!(float(-3.5), "-3.5");
        assert_eq!(float(1e-7), "0.0000001");
        assert_eq!(float(1e21), "1000000000000000000000");
        assert_eq!(float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(float(-0.0), "-0");
        assert_eq!(float(f64::NAN), "NaN");
        assert_eq!(float(f64::NEG_INFINITY), "-inf");
    }
}
