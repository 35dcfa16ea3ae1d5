//! The `IO.read_line`, `Env` and `File` functions (stdlib spec §2, §12): thin wrappers over
//! `stdlib::{io, env, file}`. Arguments are borrowed Mesh strings; results are new objects
//! owned by the current heap. Failures are returned as `Err(<OS error text>)`, never panics.
//!
//! `IO.read_line` and the `File` reads and writes run on the scheduler's blocking pool
//! (`sched::blocking`): the calling actor is parked, the worker runs others.

use crate::abi::stdlib_string::string_list;
use crate::stdlib::{env, file, io, option};
use crate::value::string::{alloc_str, as_str};
use mesh_rt_abi::TypeDesc;

/// Builds `Ok(())` or `Err(text)` of the `() ! String` type `desc`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
unsafe fn unit_result(desc: *mut u8, result: Result<(), String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract; `()` is the word 0.
    unsafe {
        match result {
            Ok(()) => option::ok(desc, 0),
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// Builds `Ok(text)` or `Err(text)` of the `String ! String` type `desc`.
///
/// # Safety
/// `desc` must be the `Result<String, String>` descriptor.
pub(crate) unsafe fn string_result(desc: *mut u8, result: Result<String, String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract.
    unsafe {
        match result {
            Ok(text) => option::ok(desc, alloc_str(&text) as u64),
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// `IO.read_line()`: one line of stdin without `\n` / `\r\n`; `Ok("")` at end of input;
/// `Err(<OS error text>)` on a read error. Blocks the thread until a line or end of input.
///
/// # Safety
/// `desc` must be the `Result<String, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_io_read_line(desc: *mut u8) -> *mut u8 {
    let line = crate::sched::blocking(|| io::read_line(&mut std::io::stdin().lock()));
    // SAFETY: forwarded contract.
    unsafe { string_result(desc, line) }
}

/// `Env.get(key, default)`: the variable's value if set (even to `""`), else `default`
/// (a new string).
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_env_get(key: *mut u8, default: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (key, default) = unsafe { (as_str(key), as_str(default)) };
    alloc_str(&env::get(key, default))
}

/// `Env.get_int(key, default)`: the variable parsed as a base-10 Int (optional sign, no
/// surrounding space); unset, unparsable or out of range → `default`.
///
/// # Safety
/// `key` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_env_get_int(key: *mut u8, default: i64) -> i64 {
    // SAFETY: forwarded contract.
    env::get_int(unsafe { as_str(key) }, default)
}

/// `Env.args()`: the command-line arguments, element 0 being the program path (a new
/// `List<String>`).
///
/// # Safety
/// `desc` must be the `List<String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_env_args(desc: *mut u8) -> *mut u8 {
    let args = env::args();
    // SAFETY: forwarded contract.
    unsafe { string_list(desc, args.iter().map(String::as_str)) }
}

/// `File.read(path)`: the whole file as UTF-8, or `Err(<OS error text>)`.
///
/// # Safety
/// `desc` must be the `Result<String, String>` descriptor and `path` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_file_read(desc: *mut u8, path: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let path = unsafe { as_str(path) }.to_string();
    let r = crate::sched::blocking(move || file::read(&path));
    // SAFETY: forwarded contract.
    unsafe { string_result(desc, r) }
}

/// `File.write(path, contents)`: creates or truncates, or `Err(<OS error text>)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor; `path` and `contents` live Mesh
/// strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_file_write(
    desc: *mut u8,
    path: *mut u8,
    contents: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (path, contents) = unsafe { (as_str(path).to_string(), as_str(contents).to_string()) };
    let r = crate::sched::blocking(move || file::write(&path, &contents));
    // SAFETY: forwarded contract.
    unsafe { unit_result(desc, r) }
}

/// `File.append(path, contents)`: creates if missing, appends otherwise, or
/// `Err(<OS error text>)`.
///
/// # Safety
/// As for [`mesh_rt_file_write`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_file_append(
    desc: *mut u8,
    path: *mut u8,
    contents: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (path, contents) = unsafe { (as_str(path).to_string(), as_str(contents).to_string()) };
    let r = crate::sched::blocking(move || file::append(&path, &contents));
    // SAFETY: forwarded contract.
    unsafe { unit_result(desc, r) }
}

/// `File.exists(path)`: true for files and directories.
///
/// # Safety
/// `path` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_file_exists(path: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(file::exists(unsafe { as_str(path) }))
}

/// `File.delete(path)`: removes a file; a missing file is `Err(<OS error text>)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor and `path` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_file_delete(desc: *mut u8, path: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { unit_result(desc, file::delete(as_str(path))) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::option::testing::{read, sum_desc, text};

    #[test]
    fn file_results_carry_unit_or_the_error_text() {
        let desc = sum_desc("Result", &["Ok", "Err"]) as *mut u8;
        let path = alloc_str("/nonexistent-mesh-dir/x.txt");
        // SAFETY: `desc` is a Result desc and `path` a fresh Mesh string.
        let (read_missing, deleted) = unsafe {
            (
                read(mesh_rt_file_read(desc, path)),
                read(mesh_rt_file_delete(desc, path)),
            )
        };
        assert_eq!(read_missing.2, 1);
        assert_eq!(
            text(read_missing.3.expect("Err has a payload")),
            "No such file or directory (os error 2)"
        );
        assert_eq!(deleted.2, 1);
        // SAFETY: as above.
        assert_eq!(unsafe { mesh_rt_file_exists(path) }, 0);
    }

    #[test]
    fn args_are_a_list_starting_with_the_program() {
        use crate::abi::stdlib_string::tests::{string_list_desc, strings};
        // SAFETY: a List<String> descriptor.
        let args = strings(unsafe { mesh_rt_env_args(string_list_desc()) });
        assert_eq!(args, env::args());
    }

    #[test]
    fn env_wrappers_fall_back_to_defaults() {
        let key = alloc_str("MESH_RT_TEST_SURELY_UNSET_VARIABLE");
        // SAFETY: fresh Mesh strings.
        unsafe {
            assert_eq!(text(mesh_rt_env_get(key, alloc_str("d")) as u64), "d");
            assert_eq!(mesh_rt_env_get_int(key, -1), -1);
        }
    }
}
