//! Program entry and failure: `mesh_rt_start` runs the Mesh `main`, `mesh_rt_panic` ends it.

use crate::value::string;
use std::io::Write;

/// Entry called by the generated C `main`. Records the program arguments, runs `entry` (the
/// compiled Mesh `main`) and returns the process exit status (0). Later the entry will run as the
/// main actor on the scheduler; for now it runs on the calling thread.
///
/// # Safety
/// `argv` must be the `argv` the C runtime passed to `main` (or null with `argc == 0`); `entry`
/// must point to a compiled `extern "C-unwind" fn()`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_start(argc: i32, argv: *mut u8, entry: *mut u8) -> i32 {
    crate::mem::system::tune();
    // SAFETY: the caller guarantees argc/argv come from the C runtime.
    unsafe { record_args(argc, argv) };
    if entry.is_null() {
        fatal("mesh_rt_start: no entry function");
    }
    // SAFETY: the caller guarantees `entry` is a compiled `extern "C-unwind" fn()`.
    let main: extern "C-unwind" fn() =
        unsafe { std::mem::transmute::<*mut u8, extern "C-unwind" fn()>(entry) };
    let status = crate::actor::run_main_then(main, crate::cluster::runtime::main_returned);
    let _ = std::io::stdout().flush();
    status
}

/// Ends the program with a Mesh panic: prints `panic: <message>` on stderr and exits with
/// status 101 (stdlib spec §0.3). Never returns. `message` is a Mesh string (borrowed).
///
/// # Safety
/// `message` must be a valid Mesh string object or null.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_panic(message: *mut u8) -> ! {
    let text = if message.is_null() {
        String::from("(no message)")
    } else {
        // SAFETY: the caller passes a live Mesh string.
        String::from_utf8_lossy(unsafe { string::bytes(message) }).into_owned()
    };
    panic_with(&text)
}

pub use crate::fail::{fatal, panic_with};

static ARGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// The program's arguments (argv[1..]), for `Env.args`.
pub fn args() -> &'static [String] {
    ARGS.get().map_or(&[], Vec::as_slice)
}

/// # Safety
/// As for [`mesh_rt_start`].
unsafe fn record_args(argc: i32, argv: *mut u8) {
    let mut out = Vec::new();
    let argv = argv as *const *const std::ffi::c_char;
    if !argv.is_null() {
        for i in 1..argc.max(0) as usize {
            // SAFETY: argv has argc entries, each a NUL-terminated C string.
            let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
            out.push(arg.to_string_lossy().into_owned());
        }
    }
    let _ = ARGS.set(out);
}
