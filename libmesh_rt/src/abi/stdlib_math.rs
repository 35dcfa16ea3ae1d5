//! The `Int`, `Float` and `Math` modules (stdlib spec §4): thin wrappers over
//! `stdlib::math`. `Math.abs`, `Math.min` and `Math.max` are generic over Int and Float: they
//! take the argument type's descriptor and the values as words, and dispatch on the desc kind.
//! None of these allocate or suspend.

use crate::abi::process::panic_with;
use crate::stdlib::math as logic;
use mesh_rt_abi::layout::{TY_FLOAT, TY_INT};
use mesh_rt_abi::TypeDesc;

/// `Int.to_float(n)` and `Float.from(n)`: the nearest Float.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_int_to_float(n: i64) -> f64 {
    logic::int_to_float(n)
}

/// `Float.to_int(f)`: truncates toward zero; saturates out of range; NaN → 0.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_float_to_int(f: f64) -> i64 {
    logic::float_to_int(f)
}

/// A numeric argument of a generic Math function, read from its word.
enum Number {
    Int(i64),
    Float(f64),
}

/// Reads `word` as the Int or Float `desc` describes; any other type panics naming `op`.
///
/// # Safety
/// `desc` must be a live TypeDesc.
unsafe fn number(op: &str, desc: *mut u8, word: i64) -> Number {
    // SAFETY: forwarded contract.
    let kind = unsafe { (*(desc as *const TypeDesc)).kind };
    match kind {
        TY_INT => Number::Int(word),
        TY_FLOAT => Number::Float(f64::from_bits(word as u64)),
        _ => panic_with(&format!("{op}: expected an Int or a Float argument")),
    }
}

fn float_word(x: f64) -> i64 {
    x.to_bits() as i64
}

/// `Math.abs(x)` for `x :: T`, T ∈ {Int, Float}; the Int minimum wraps to itself.
/// Panics when T is another type.
///
/// # Safety
/// `desc` must be the descriptor of `x`'s type and `x` a value of it as a word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_math_abs(desc: *mut u8, x: i64) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { number("Math.abs", desc, x) } {
        Number::Int(n) => logic::abs_int(n),
        Number::Float(f) => float_word(f.abs()),
    }
}

/// `Math.min(a, b)` for T ∈ {Int, Float}; for Float a NaN argument yields the other one.
/// Panics when T is another type.
///
/// # Safety
/// `desc` must be the descriptor of the arguments' type and `a`, `b` values of it as words.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_math_min(desc: *mut u8, a: i64, b: i64) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { (number("Math.min", desc, a), number("Math.min", desc, b)) } {
        (Number::Float(a), Number::Float(b)) => float_word(logic::min_float(a, b)),
        _ => a.min(b),
    }
}

/// `Math.max(a, b)` for T ∈ {Int, Float}; for Float a NaN argument yields the other one.
/// Panics when T is another type.
///
/// # Safety
/// As for [`mesh_rt_math_min`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_math_max(desc: *mut u8, a: i64, b: i64) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { (number("Math.max", desc, a), number("Math.max", desc, b)) } {
        (Number::Float(a), Number::Float(b)) => float_word(logic::max_float(a, b)),
        _ => a.max(b),
    }
}

/// `Math.pow(base, exp)`: IEEE `pow`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_math_pow(base: f64, exp: f64) -> f64 {
    base.powf(exp)
}

/// `Math.sqrt(x)`: negative input → NaN.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_math_sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// `Math.floor(x)`: rounds down, then converts as `Float.to_int`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_math_floor(x: f64) -> i64 {
    logic::floor(x)
}

/// `Math.ceil(x)`: rounds up, then converts as `Float.to_int`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_math_ceil(x: f64) -> i64 {
    logic::ceil(x)
}

/// `Math.round(x)`: half away from zero, then converts as `Float.to_int`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_math_round(x: f64) -> i64 {
    logic::round(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mesh_rt_abi::StrRef;

    fn desc(kind: u32) -> *mut u8 {
        Box::into_raw(Box::new(TypeDesc {
            kind,
            count: 0,
            name: StrRef {
                ptr: std::ptr::null(),
                len: 0,
            },
            items: std::ptr::null(),
            names: std::ptr::null(),
            user: mesh_rt_abi::UserFns::NONE,
        })) as *mut u8
    }

    #[test]
    fn generic_functions_dispatch_on_the_desc_kind() {
        let (int, float) = (desc(TY_INT), desc(TY_FLOAT));
        let f = |x: f64| float_word(x);
        let back = |w: i64| f64::from_bits(w as u64);
        // SAFETY: the descs are live and the words hold values of their types.
        unsafe {
            assert_eq!(mesh_rt_math_abs(int, -3), 3);
            assert_eq!(mesh_rt_math_abs(int, i64::MIN), i64::MIN);
            assert_eq!(back(mesh_rt_math_abs(float, f(-2.5))), 2.5);
            assert_eq!(mesh_rt_math_min(int, -1, 4), -1);
            assert_eq!(mesh_rt_math_max(int, -1, 4), 4);
            assert_eq!(back(mesh_rt_math_min(float, f(f64::NAN), f(1.5))), 1.5);
            assert_eq!(back(mesh_rt_math_max(float, f(-0.5), f(-1.5))), -0.5);
            // The words of -1.0 and -2.0 compare the other way round as Ints.
            assert_eq!(back(mesh_rt_math_min(float, f(-1.0), f(-2.0))), -2.0);
        }
    }

    #[test]
    fn float_wrappers() {
        assert_eq!(mesh_rt_math_pow(2.0, 10.0), 1024.0);
        assert!(mesh_rt_math_sqrt(-1.0).is_nan());
        assert_eq!(mesh_rt_math_floor(-0.5), -1);
        assert_eq!(mesh_rt_math_ceil(-0.5), 0);
        assert_eq!(mesh_rt_math_round(0.5), 1);
        assert_eq!(mesh_rt_int_to_float(3), 3.0);
        assert_eq!(mesh_rt_float_to_int(-3.7), -3);
    }
}
