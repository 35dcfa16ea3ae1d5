//! The stdlib modules implemented in the runtime (stdlib spec §2–§4, §12–§15): the logic of
//! `IO.read_line`, `String.*`, `Int.*`/`Float.*`/`Math.*`, `Env.*`, `File.*`, `DateTime.*`,
//! `Base64`/`Hex`/`Crypto` ([`codec`]) and `Regex.*` as plain Rust
//! functions over `&str`, `i64` and `f64`, so they are unit-tested without heap objects. The
//! exported `extern "C"` wrappers live in `abi/stdlib_*.rs`; [`option`] builds the `Option` and
//! `Result` values they return.

pub mod codec;
pub mod datetime;
pub mod env;
pub mod file;
pub mod io;
pub mod math;
pub mod option;
pub mod regex;
pub mod string;
