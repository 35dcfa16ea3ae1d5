//! The stdlib functions the compiler knows: ONE table (`BUILTINS`) shared by the type checker
//! (each row's signature) and the MIR lowering (each row's runtime function and the type
//! descriptors it needs). Adding a stdlib function is adding a row here and the runtime
//! function it names (`mesh_rt_abi::runtime_functions!`).
//!
//! Signatures are written as in the stdlib spec: `(String, Int) -> String`, `(List<T>) -> T?`,
//! `(Fun(A) -> B) -> ()`. Single capital letters are type variables.

use crate::ty::{AdtId, BuiltinTy, TyId, TyKind, Types};

/// How many trailing arguments of the row with runtime function `symbol` exist only to be
/// type-checked: MIR lowering does not pass them (`__http_clustered`'s handler, whose runtime
/// name and count the runtime gets instead).
pub fn type_only_args(symbol: &str) -> usize {
    usize::from(symbol == "mesh_rt_http_clustered")
}

/// A stdlib function: an index into `BUILTINS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Builtin(pub u16);

/// A type descriptor the runtime function takes before the Mesh arguments, so it can build,
/// compare or print values of types it does not otherwise know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescArg {
    /// The call's result type.
    Ret,
    /// The type of argument i.
    Param(u8),
}

/// One row of the table.
#[derive(Debug)]
pub struct BuiltinDef {
    /// `None` for prelude names (`println`).
    pub module: Option<&'static str>,
    pub name: &'static str,
    pub sig: &'static str,
    /// The `mesh_rt_abi` runtime function implementing it.
    pub symbol: &'static str,
    pub descs: &'static [DescArg],
}

const fn row(
    module: Option<&'static str>,
    name: &'static str,
    sig: &'static str,
    symbol: &'static str,
    descs: &'static [DescArg],
) -> BuiltinDef {
    BuiltinDef {
        module,
        name,
        sig,
        symbol,
        descs,
    }
}

/// Every stdlib function, grouped by module. One row per line (not reformatted) so the table
/// reads like the spec's tables.
#[rustfmt::skip]
pub static BUILTINS: &[BuiltinDef] = &[
    // ---- prelude and IO (stdlib spec §1, §2)
    row(None, "println", "(String) -> ()", "mesh_rt_io_println", &[]),
    row(None, "print", "(String) -> ()", "mesh_rt_io_print", &[]),
    row(None, "compare", "(T, T) -> Ordering", COMPARE, &[]),
    row(Some("Any"), "to_string", "(T) -> String", TO_STRING, &[]),
    row(Some("Any"), "inspect", "(T) -> String", INSPECT, &[]),
    row(Some("IO"), "eprintln", "(String) -> ()", "mesh_rt_io_eprintln", &[]),
    // Ends the current process like a runtime panic (spec §0.3); `Never` unifies with anything.
    row(None, "panic", "(String) -> Never", "mesh_rt_panic", &[]),
    // ---- concurrency (stdlib spec §16); `spawn`, `self()` and `receive` are language forms.
    // The `__` names are what actors and services are rewritten into (sema lower/actors.rs).
    row(None, "send", "(Pid<M>, M) -> ()", "mesh_rt_send", &[DescArg::Param(1)]),
    row(None, "link", "(Pid) -> ()", "mesh_rt_link", &[]),
    row(None, "__on_terminate", "(Fun() -> T) -> ()", "mesh_rt_on_terminate", &[]),
    row(None, "__service_call", "(Pid<M>, M) -> R", "mesh_rt_service_call", &[DescArg::Param(1)]),
        row(None, "__service_reply", "(T) -> ()", "mesh_rt_service_reply", &[DescArg::Param(0)]),
    row(None, "__supervisor_child", "(String, Fun() -> Pid, Int, Int) -> ()", "mesh_rt_supervisor_child", &[]),
    row(None, "__supervisor_run", "(String, Int, Int, Int) -> ()", "mesh_rt_supervisor_run", &[]),
    row(Some("Process"), "register", "(String, Pid) -> Int", "mesh_rt_process_register", &[]),
        row(Some("Process"), "whereis", "(String) -> Pid", "mesh_rt_process_whereis", &[]),
    row(Some("Process"), "monitor", "(Pid) -> Int", "mesh_rt_process_monitor", &[]),
        row(Some("Process"), "demonitor", "(Int) -> Int", "mesh_rt_process_demonitor", &[]),
    row(Some("Process"), "trap_exit", "(Bool) -> ()", "mesh_rt_process_trap_exit", &[]),
    // Ends the whole program with an exit status (runtime-cluster §11 "Process.exit(n)").
    row(Some("Process"), "exit", "(Int) -> Never", "mesh_rt_process_exit", &[]),
    // Ends another process with an exit reason, as a crash (tooling §7.6 stall watchdog).
    row(Some("Process"), "kill", "(Pid, String) -> ()", "mesh_rt_process_kill", &[]),
    // Node distribution (stdlib §17.1–§17.2; runtime dist/, abi/node.rs).
    row(Some("Node"), "start_from_env", "() -> BootstrapStatus ! String", "mesh_rt_node_start_from_env", &[DescArg::Ret]),
    row(Some("Node"), "start", "(String, String) -> Int", "mesh_rt_node_start", &[]),
    row(Some("Node"), "connect", "(String) -> Int", "mesh_rt_node_connect", &[]),
    row(Some("Node"), "self", "() -> String", "mesh_rt_node_self", &[]),
    row(Some("Node"), "list", "() -> List<String>", "mesh_rt_node_list", &[DescArg::Ret]),
    row(Some("Node"), "monitor", "(String) -> Int", "mesh_rt_node_monitor", &[]),
    // Continuity records (stdlib §17.4, P2; runtime cluster/runtime.rs, abi/continuity.rs).
    row(Some("Continuity"), "submit", "(String, String, String, String, String, Int, Bool, Bool) -> ContinuitySubmitDecision ! String", "mesh_rt_continuity_submit", &[DescArg::Ret]),
    row(Some("Continuity"), "submit_declared_work", "(String, String, String, Int) -> ContinuitySubmitDecision ! String", "mesh_rt_continuity_submit_declared_work", &[DescArg::Ret]),
    row(Some("Continuity"), "status", "(String) -> ContinuityRecord ! String", "mesh_rt_continuity_status", &[DescArg::Ret]),
    row(Some("Continuity"), "authority_status", "() -> ContinuityAuthorityStatus ! String", "mesh_rt_continuity_authority_status", &[DescArg::Ret]),
    row(Some("Continuity"), "mark_completed", "(String, String, String) -> ContinuityRecord ! String", "mesh_rt_continuity_mark_completed", &[DescArg::Ret]),
    row(Some("Continuity"), "acknowledge_replica", "(String, String) -> ContinuityRecord ! String", "mesh_rt_continuity_acknowledge_replica", &[DescArg::Ret]),
    row(Some("Global"), "register", "(String, Pid) -> Int", "mesh_rt_global_register", &[]),
    row(Some("Global"), "whereis", "(String) -> Pid", "mesh_rt_global_whereis", &[]),
    row(Some("Global"), "unregister", "(String) -> Int", "mesh_rt_global_unregister", &[]),
    row(Some("Timer"), "sleep", "(Int) -> ()", "mesh_rt_timer_sleep", &[]),
    row(Some("Timer"), "send_after", "(Pid<T>, Int, T) -> ()", "mesh_rt_timer_send_after", &[DescArg::Param(2)]),
    row(Some("Job"), "async", "(Fun() -> T) -> Pid<T>", "mesh_rt_job_async", &[DescArg::Ret]),
    row(Some("Job"), "await", "(Pid<T>) -> T ! String", "mesh_rt_job_await", &[DescArg::Ret]),
    row(Some("Job"), "await_timeout", "(Pid<T>, Int) -> T ! String", "mesh_rt_job_await_timeout", &[DescArg::Ret]),
    // ---- stdlib: IO (spec §2)
    row(Some("IO"), "read_line", "() -> String ! String", "mesh_rt_io_read_line", &[DescArg::Ret]),
    // ---- stdlib: String (spec §3); `String.from` is the Display intrinsic (Int, Float, Bool,
    // String, and any other type with Display)
    row(Some("String"), "length", "(String) -> Int", "mesh_rt_string_length", &[]),
    row(Some("String"), "slice", "(String, Int, Int) -> String", "mesh_rt_string_slice", &[]),
    row(Some("String"), "contains", "(String, String) -> Bool", "mesh_rt_string_contains", &[]),
    row(Some("String"), "starts_with", "(String, String) -> Bool", "mesh_rt_string_starts_with", &[]),
    row(Some("String"), "ends_with", "(String, String) -> Bool", "mesh_rt_string_ends_with", &[]),
    row(Some("String"), "trim", "(String) -> String", "mesh_rt_string_trim", &[]),
    row(Some("String"), "to_upper", "(String) -> String", "mesh_rt_string_to_upper", &[]),
    row(Some("String"), "to_lower", "(String) -> String", "mesh_rt_string_to_lower", &[]),
    row(Some("String"), "replace", "(String, String, String) -> String", "mesh_rt_string_replace", &[]),
    row(Some("String"), "to_int", "(String) -> Int?", "mesh_rt_string_to_int", &[DescArg::Ret]),
    row(Some("String"), "to_float", "(String) -> Float?", "mesh_rt_string_to_float", &[DescArg::Ret]),
    row(Some("String"), "from", "(T) -> String", TO_STRING, &[]),
    row(Some("String"), "split", "(String, String) -> List<String>", "mesh_rt_string_split", &[DescArg::Ret]),
    row(Some("String"), "join", "(List<String>, String) -> String", "mesh_rt_list_join", &[]),
    row(Some("String"), "collect", "(Iter<String>) -> String", "mesh_rt_iter_collect_string", &[]),
    // ---- stdlib: Int, Float, Math (spec §4); abs/min/max take Int or Float (checked at run time)
    row(Some("Int"), "to_string", "(Int) -> String", "mesh_rt_string_from_int", &[]),
    row(Some("Int"), "to_float", "(Int) -> Float", "mesh_rt_int_to_float", &[]),
    row(Some("Float"), "from", "(Int) -> Float", "mesh_rt_int_to_float", &[]),
    row(Some("Float"), "to_int", "(Float) -> Int", "mesh_rt_float_to_int", &[]),
    row(Some("Math"), "abs", "(T) -> T", "mesh_rt_math_abs", &[DescArg::Param(0)]),
    row(Some("Math"), "min", "(T, T) -> T", "mesh_rt_math_min", &[DescArg::Param(0)]),
    row(Some("Math"), "max", "(T, T) -> T", "mesh_rt_math_max", &[DescArg::Param(0)]),
    row(Some("Math"), "pow", "(Float, Float) -> Float", "mesh_rt_math_pow", &[]),
    row(Some("Math"), "sqrt", "(Float) -> Float", "mesh_rt_math_sqrt", &[]),
    row(Some("Math"), "floor", "(Float) -> Int", "mesh_rt_math_floor", &[]),
    row(Some("Math"), "ceil", "(Float) -> Int", "mesh_rt_math_ceil", &[]),
    row(Some("Math"), "round", "(Float) -> Int", "mesh_rt_math_round", &[]),
    // ---- stdlib: Env, File (spec §12); the flat form of `Env.get` is `env_get_with_default`
    row(Some("Env"), "get", "(String, String) -> String", "mesh_rt_env_get", &[]),
    row(Some("Env"), "get_int", "(String, Int) -> Int", "mesh_rt_env_get_int", &[]),
    row(Some("Env"), "args", "() -> List<String>", "mesh_rt_env_args", &[DescArg::Ret]),
    row(Some("File"), "read", "(String) -> String ! String", "mesh_rt_file_read", &[DescArg::Ret]),
    row(Some("File"), "write", "(String, String) -> () ! String", "mesh_rt_file_write", &[DescArg::Ret]),
    row(Some("File"), "append", "(String, String) -> () ! String", "mesh_rt_file_append", &[DescArg::Ret]),
    row(Some("File"), "exists", "(String) -> Bool", "mesh_rt_file_exists", &[]),
    row(Some("File"), "delete", "(String) -> () ! String", "mesh_rt_file_delete", &[DescArg::Ret]),
    // ---- JSON (spec §11); `JSON` is the legacy name of the same functions
    row(Some("Json"), "encode", "(T) -> String", JSON_ENCODE, &[]),
    row(Some("Json"), "get", "(String, String) -> String", "mesh_rt_json_get", &[]),
    row(Some("Json"), "encode_string", "(String) -> String", "mesh_rt_json_string", &[]),
    row(Some("Json"), "encode_int", "(Int) -> String", "mesh_rt_string_from_int", &[]),
    row(Some("Json"), "encode_bool", "(Bool) -> String", "mesh_rt_string_from_bool", &[]),
    row(Some("JSON"), "encode", "(Json) -> String", JSON_ENCODE, &[]),
    row(Some("JSON"), "get", "(String, String) -> String", "mesh_rt_json_get", &[]),
    row(Some("JSON"), "encode_string", "(String) -> String", "mesh_rt_json_string", &[]),
    row(Some("JSON"), "encode_int", "(Int) -> String", "mesh_rt_string_from_int", &[]),
    row(Some("JSON"), "encode_bool", "(Bool) -> String", "mesh_rt_string_from_bool", &[]),
    row(Some("Json"), "get_nested", "(String, String, String) -> String", "mesh_rt_json_get_nested", &[]),
    row(Some("Json"), "parse", "(String) -> Json ! String", "mesh_rt_json_parse", &[DescArg::Ret]),
    row(Some("Json"), "encode_map", "(Map<String, String>) -> String", "mesh_rt_json_encode_map", &[DescArg::Param(0)]),
    row(Some("Json"), "encode_list", "(List<String>) -> String", "mesh_rt_json_encode_list", &[]),
    // `T.from_json` (spec §11.4) of every `deriving(Json)` type calls this (sema lower/from_json.rs).
    row(None, "__json_decode", "(String) -> T ! String", "mesh_rt_json_decode", &[DescArg::Ret]),
    row(None, "__row_decode", "(Map<String, String>) -> T ! String", "mesh_rt_row_decode", &[DescArg::Ret, DescArg::Param(0)]),
    row(Some("JSON"), "get_nested", "(String, String, String) -> String", "mesh_rt_json_get_nested", &[]),
    row(Some("JSON"), "parse", "(String) -> Json ! String", "mesh_rt_json_parse", &[DescArg::Ret]),
    row(Some("JSON"), "encode_map", "(Map<String, String>) -> String", "mesh_rt_json_encode_map", &[DescArg::Param(0)]),
    row(Some("JSON"), "encode_list", "(List<String>) -> String", "mesh_rt_json_encode_list", &[]),
    // ---- Tuple, Range, Queue (spec §9). Tuple functions take any tuple: the checker adds what
    // the signature cannot say (typeck `tuple_call`) and the runtime checks the descriptors. A
    // Queue is a List at run time, so its simple functions are the list's.
    row(Some("Tuple"), "first", "(T) -> U", "mesh_rt_tuple_first", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Tuple"), "second", "(T) -> U", "mesh_rt_tuple_second", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Tuple"), "nth", "(T, Int) -> U", "mesh_rt_tuple_nth", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Tuple"), "size", "(T) -> Int", "mesh_rt_tuple_size", &[DescArg::Param(0)]),
    row(Some("Range"), "new", "(Int, Int) -> Range", "mesh_rt_range_new", &[DescArg::Ret]),
    row(Some("Range"), "length", "(Range) -> Int", "mesh_rt_range_length", &[]),
    row(Some("Range"), "to_list", "(Range) -> List<Int>", "mesh_rt_range_to_list", &[DescArg::Ret]),
    row(Some("Range"), "map", "(Range, Fun(Int) -> Int) -> List<Int>", "mesh_rt_range_map", &[DescArg::Ret]),
    row(Some("Range"), "filter", "(Range, Fun(Int) -> Bool) -> List<Int>", "mesh_rt_range_filter", &[DescArg::Ret]),
    row(Some("Queue"), "new", "() -> Queue<T>", "mesh_rt_list_new", &[DescArg::Ret]),
    row(Some("Queue"), "push", "(Queue<T>, T) -> Queue<T>", "mesh_rt_list_append", &[DescArg::Ret]),
    row(Some("Queue"), "pop", "(Queue<T>) -> (T, Queue<T>)", "mesh_rt_queue_pop", &[DescArg::Ret]),
    row(Some("Queue"), "peek", "(Queue<T>) -> T", "mesh_rt_queue_peek", &[]),
    row(Some("Queue"), "size", "(Queue<T>) -> Int", "mesh_rt_list_length", &[]),
    row(Some("Queue"), "is_empty", "(Queue<T>) -> Bool", "mesh_rt_list_is_empty", &[]),
    // ---- DateTime (spec §13); a DateTime is its Unix milliseconds, unit atoms their names
    row(Some("DateTime"), "utc_now", "() -> DateTime", "mesh_rt_datetime_utc_now", &[]),
    row(Some("DateTime"), "to_iso8601", "(DateTime) -> String", "mesh_rt_datetime_to_iso8601", &[]),
    row(Some("DateTime"), "from_iso8601", "(String) -> DateTime ! String", "mesh_rt_datetime_from_iso8601", &[DescArg::Ret]),
    row(Some("DateTime"), "to_unix_ms", "(DateTime) -> Int", "mesh_rt_datetime_to_unix_ms", &[]),
    row(Some("DateTime"), "from_unix_ms", "(Int) -> DateTime ! String", "mesh_rt_datetime_from_unix_ms", &[DescArg::Ret]),
    row(Some("DateTime"), "to_unix_secs", "(DateTime) -> Int", "mesh_rt_datetime_to_unix_secs", &[]),
    row(Some("DateTime"), "from_unix_secs", "(Int) -> DateTime ! String", "mesh_rt_datetime_from_unix_secs", &[DescArg::Ret]),
    row(Some("DateTime"), "add", "(DateTime, Int, Atom) -> DateTime", "mesh_rt_datetime_add", &[]),
    row(Some("DateTime"), "diff", "(DateTime, DateTime, Atom) -> Float", "mesh_rt_datetime_diff", &[]),
    row(Some("DateTime"), "is_before", "(DateTime, DateTime) -> Bool", "mesh_rt_datetime_is_before", &[]),
    row(Some("DateTime"), "is_after", "(DateTime, DateTime) -> Bool", "mesh_rt_datetime_is_after", &[]),
    // ---- Crypto, Base64, Hex (spec §14), over the UTF-8 bytes of strings
    row(Some("Crypto"), "sha256", "(String) -> String", "mesh_rt_crypto_sha256", &[]),
    row(Some("Crypto"), "sha512", "(String) -> String", "mesh_rt_crypto_sha512", &[]),
    row(Some("Crypto"), "hmac_sha256", "(String, String) -> String", "mesh_rt_crypto_hmac_sha256", &[]),
    row(Some("Crypto"), "hmac_sha512", "(String, String) -> String", "mesh_rt_crypto_hmac_sha512", &[]),
    row(Some("Crypto"), "secure_compare", "(String, String) -> Bool", "mesh_rt_crypto_secure_compare", &[]),
    row(Some("Crypto"), "uuid4", "() -> String", "mesh_rt_crypto_uuid4", &[]),
    row(Some("Base64"), "encode", "(String) -> String", "mesh_rt_base64_encode", &[]),
    row(Some("Base64"), "decode", "(String) -> String ! String", "mesh_rt_base64_decode", &[DescArg::Ret]),
    row(Some("Base64"), "encode_url", "(String) -> String", "mesh_rt_base64_encode_url", &[]),
    row(Some("Base64"), "decode_url", "(String) -> String ! String", "mesh_rt_base64_decode_url", &[DescArg::Ret]),
    row(Some("Hex"), "encode", "(String) -> String", "mesh_rt_hex_encode", &[]),
    row(Some("Hex"), "decode", "(String) -> String ! String", "mesh_rt_hex_decode", &[DescArg::Ret]),
    // ---- Regex (spec §15); a Regex is the string of its source (literals: `Lit::Regex`)
    row(Some("Regex"), "compile", "(String) -> Regex ! String", "mesh_rt_regex_compile", &[DescArg::Ret]),
    row(Some("Regex"), "is_match", "(Regex, String) -> Bool", "mesh_rt_regex_is_match", &[]),
    row(Some("Regex"), "captures", "(Regex, String) -> List<String>?", "mesh_rt_regex_captures", &[DescArg::Ret]),
    row(Some("Regex"), "replace", "(Regex, String, String) -> String", "mesh_rt_regex_replace", &[]),
    row(Some("Regex"), "split", "(Regex, String) -> List<String>", "mesh_rt_regex_split", &[DescArg::Ret]),
    // ---- HTTP client (spec §19); HttpRequest/HttpClient/StreamHandle are opaque strings,
    // HttpResponse the pre-declared struct `{ status, body, headers }`
    row(Some("Http"), "build", "(Atom, String) -> HttpRequest", "mesh_rt_http_build", &[]),
    row(Some("Http"), "header", "(HttpRequest, String, String) -> HttpRequest", "mesh_rt_http_header", &[]),
    row(Some("Http"), "body", "(HttpRequest, String) -> HttpRequest", "mesh_rt_http_body", &[]),
    row(Some("Http"), "json", "(HttpRequest, String) -> HttpRequest", "mesh_rt_http_json", &[]),
    row(Some("Http"), "query", "(HttpRequest, String, String) -> HttpRequest", "mesh_rt_http_query", &[]),
    row(Some("Http"), "timeout", "(HttpRequest, Int) -> HttpRequest", "mesh_rt_http_timeout", &[]),
    row(Some("Http"), "send", "(HttpRequest) -> HttpResponse ! String", "mesh_rt_http_send", &[DescArg::Ret]),
    row(Some("Http"), "client", "() -> HttpClient", "mesh_rt_http_client", &[]),
    row(Some("Http"), "send_with", "(HttpClient, HttpRequest) -> HttpResponse ! String", "mesh_rt_http_send_with", &[DescArg::Ret]),
    row(Some("Http"), "client_close", "(HttpClient) -> ()", "mesh_rt_http_client_close", &[]),
    row(Some("Http"), "stream", "(HttpRequest, Fun(String) -> String) -> StreamHandle", "mesh_rt_http_stream", &[]),
    row(Some("Http"), "stream_bytes", "(HttpRequest, Fun(String) -> String) -> StreamHandle", "mesh_rt_http_stream_bytes", &[]),
    row(Some("Http"), "cancel", "(StreamHandle) -> ()", "mesh_rt_http_cancel", &[]),
    row(Some("HTTP"), "get", "(String) -> String ! String", "mesh_rt_http_get", &[DescArg::Ret]),
    row(Some("HTTP"), "post", "(String, String) -> String ! String", "mesh_rt_http_post", &[DescArg::Ret]),
    // ---- List (spec §6); descriptors first, elements as words
    row(Some("List"), "new", "() -> List<T>", "mesh_rt_list_new", &[DescArg::Ret]),
    row(Some("List"), "length", "(List<T>) -> Int", "mesh_rt_list_length", &[]),
    row(Some("List"), "is_empty", "(List<T>) -> Bool", "mesh_rt_list_is_empty", &[]),
    row(Some("List"), "append", "(List<T>, T) -> List<T>", "mesh_rt_list_append", &[DescArg::Ret]),
    row(Some("List"), "prepend", "(List<T>, T) -> List<T>", "mesh_rt_list_prepend", &[DescArg::Ret]),
    row(Some("List"), "get", "(List<T>, Int) -> T", "mesh_rt_list_get", &[]),
    row(Some("List"), "nth", "(List<T>, Int) -> T", "mesh_rt_list_get", &[]),
    row(Some("List"), "head", "(List<T>) -> T", "mesh_rt_list_head", &[]),
    row(Some("List"), "last", "(List<T>) -> T", "mesh_rt_list_last", &[]),
    row(Some("List"), "tail", "(List<T>) -> List<T>", "mesh_rt_list_tail", &[DescArg::Ret]),
    row(Some("List"), "concat", "(List<T>, List<T>) -> List<T>", "mesh_rt_list_concat", &[DescArg::Ret]),
    row(Some("List"), "reverse", "(List<T>) -> List<T>", "mesh_rt_list_reverse", &[DescArg::Ret]),
    row(Some("List"), "map", "(List<T>, Fun(T) -> U) -> List<U>", "mesh_rt_list_map", &[DescArg::Ret]),
    row(Some("List"), "filter", "(List<T>, Fun(T) -> Bool) -> List<T>", "mesh_rt_list_filter", &[DescArg::Ret]),
    row(Some("List"), "reduce", "(List<T>, U, Fun(U, T) -> U) -> U", "mesh_rt_list_reduce", &[]),
    row(Some("List"), "each", "(List<T>, Fun(T) -> U) -> ()", "mesh_rt_list_each", &[]),
    row(Some("List"), "sort", "(List<T>, Fun(T, T) -> Int) -> List<T>", "mesh_rt_list_sort", &[DescArg::Ret]),
    row(Some("List"), "find", "(List<T>, Fun(T) -> Bool) -> T?", "mesh_rt_list_find", &[DescArg::Ret]),
    row(Some("List"), "any", "(List<T>, Fun(T) -> Bool) -> Bool", "mesh_rt_list_any", &[]),
    row(Some("List"), "all", "(List<T>, Fun(T) -> Bool) -> Bool", "mesh_rt_list_all", &[]),
    row(Some("List"), "contains", "(List<T>, T) -> Bool", "mesh_rt_list_contains", &[DescArg::Param(0)]),
    row(Some("List"), "zip", "(List<T>, List<U>) -> List<(T, U)>", "mesh_rt_list_zip", &[DescArg::Ret]),
    row(Some("List"), "flat_map", "(List<T>, Fun(T) -> List<U>) -> List<U>", "mesh_rt_list_flat_map", &[DescArg::Ret]),
    row(Some("List"), "flatten", "(List<List<T>>) -> List<T>", "mesh_rt_list_flatten", &[DescArg::Ret]),
    row(Some("List"), "enumerate", "(List<T>) -> List<(Int, T)>", "mesh_rt_list_enumerate", &[DescArg::Ret]),
    row(Some("List"), "take", "(List<T>, Int) -> List<T>", "mesh_rt_list_take", &[DescArg::Ret]),
    row(Some("List"), "drop", "(List<T>, Int) -> List<T>", "mesh_rt_list_drop", &[DescArg::Ret]),
    row(Some("List"), "collect", "(Iter<T>) -> List<T>", "mesh_rt_iter_collect_list", &[DescArg::Ret]),
    row(None, "map", "(List<T>, Fun(T) -> U) -> List<U>", "mesh_rt_list_map", &[DescArg::Ret]),
    row(None, "filter", "(List<T>, Fun(T) -> Bool) -> List<T>", "mesh_rt_list_filter", &[DescArg::Ret]),
    row(None, "reduce", "(List<T>, U, Fun(U, T) -> U) -> U", "mesh_rt_list_reduce", &[]),
    row(None, "head", "(List<T>) -> T", "mesh_rt_list_head", &[]),
    row(None, "tail", "(List<T>) -> List<T>", "mesh_rt_list_tail", &[DescArg::Ret]),
    // ---- Map (spec §7)
    row(Some("Map"), "new", "() -> Map<K, V>", "mesh_rt_map_new", &[DescArg::Ret]),
    row(Some("Map"), "put", "(Map<K, V>, K, V) -> Map<K, V>", "mesh_rt_map_put", &[DescArg::Ret]),
    row(Some("Map"), "get", "(Map<K, V>, K) -> V", "mesh_rt_map_get", &[DescArg::Param(0)]),
    row(Some("Map"), "has_key", "(Map<K, V>, K) -> Bool", "mesh_rt_map_has_key", &[DescArg::Param(0)]),
    row(Some("Map"), "delete", "(Map<K, V>, K) -> Map<K, V>", "mesh_rt_map_delete", &[DescArg::Ret]),
    row(Some("Map"), "size", "(Map<K, V>) -> Int", "mesh_rt_map_size", &[]),
    row(Some("Map"), "keys", "(Map<K, V>) -> List<K>", "mesh_rt_map_keys", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Map"), "values", "(Map<K, V>) -> List<V>", "mesh_rt_map_values", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Map"), "merge", "(Map<K, V>, Map<K, V>) -> Map<K, V>", "mesh_rt_map_merge", &[DescArg::Ret]),
    row(Some("Map"), "to_list", "(Map<K, V>) -> List<(K, V)>", "mesh_rt_map_to_list", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Map"), "from_list", "(List<(K, V)>) -> Map<K, V>", "mesh_rt_map_from_list", &[DescArg::Ret]),
    row(Some("Map"), "collect", "(Iter<(K, V)>) -> Map<K, V>", "mesh_rt_iter_collect_map", &[DescArg::Ret]),
    // ---- Set (spec §8)
    row(Some("Set"), "new", "() -> Set<T>", "mesh_rt_set_new", &[DescArg::Ret]),
    row(Some("Set"), "add", "(Set<T>, T) -> Set<T>", "mesh_rt_set_add", &[DescArg::Ret]),
    row(Some("Set"), "remove", "(Set<T>, T) -> Set<T>", "mesh_rt_set_remove", &[DescArg::Ret]),
    row(Some("Set"), "contains", "(Set<T>, T) -> Bool", "mesh_rt_set_contains", &[DescArg::Param(0)]),
    row(Some("Set"), "size", "(Set<T>) -> Int", "mesh_rt_set_size", &[]),
    row(Some("Set"), "union", "(Set<T>, Set<T>) -> Set<T>", "mesh_rt_set_union", &[DescArg::Ret]),
    row(Some("Set"), "intersection", "(Set<T>, Set<T>) -> Set<T>", "mesh_rt_set_intersection", &[DescArg::Ret]),
    row(Some("Set"), "difference", "(Set<T>, Set<T>) -> Set<T>", "mesh_rt_set_difference", &[DescArg::Ret]),
    row(Some("Set"), "to_list", "(Set<T>) -> List<T>", "mesh_rt_set_to_list", &[DescArg::Param(0), DescArg::Ret]),
    row(Some("Set"), "from_list", "(List<T>) -> Set<T>", "mesh_rt_set_from_list", &[DescArg::Ret]),
    row(Some("Set"), "collect", "(Iter<T>) -> Set<T>", "mesh_rt_iter_collect_set", &[DescArg::Ret]),
    // ---- Iter (spec §10): adapters build nodes (the result's Iter desc first), terminals and
    // collectors pull them. `Iter.from` returns a `ListIterator`, which is an `Iter<T>`.
    row(Some("Iter"), "from", "(List<T>) -> Iter<T>", "mesh_rt_iter_from", &[DescArg::Ret]),
    row(Some("Iter"), "map", "(Iter<T>, Fun(T) -> U) -> Iter<U>", "mesh_rt_iter_map", &[DescArg::Ret]),
    row(Some("Iter"), "filter", "(Iter<T>, Fun(T) -> Bool) -> Iter<T>", "mesh_rt_iter_filter", &[DescArg::Ret]),
    row(Some("Iter"), "take", "(Iter<T>, Int) -> Iter<T>", "mesh_rt_iter_take", &[DescArg::Ret]),
    row(Some("Iter"), "skip", "(Iter<T>, Int) -> Iter<T>", "mesh_rt_iter_skip", &[DescArg::Ret]),
    row(Some("Iter"), "enumerate", "(Iter<T>) -> Iter<(Int, T)>", "mesh_rt_iter_enumerate", &[DescArg::Ret]),
    row(Some("Iter"), "zip", "(Iter<T>, Iter<U>) -> Iter<(T, U)>", "mesh_rt_iter_zip", &[DescArg::Ret]),
    row(Some("Iter"), "count", "(Iter<T>) -> Int", "mesh_rt_iter_count", &[]),
    row(Some("Iter"), "sum", "(Iter<Int>) -> Int", "mesh_rt_iter_sum", &[]),
    row(Some("Iter"), "any", "(Iter<T>, Fun(T) -> Bool) -> Bool", "mesh_rt_iter_any", &[]),
    row(Some("Iter"), "all", "(Iter<T>, Fun(T) -> Bool) -> Bool", "mesh_rt_iter_all", &[]),
    row(Some("Iter"), "find", "(Iter<T>, Fun(T) -> Bool) -> T?", "mesh_rt_iter_find", &[DescArg::Ret]),
    row(Some("Iter"), "reduce", "(Iter<T>, T, Fun(T, T) -> T) -> T", "mesh_rt_iter_reduce", &[]),
    // ---- HTTP server (spec §18): `Router`, `Request`, `Response` are runtime tuples
    // (libmesh_rt/src/abi/http.rs). `HTTP.serve` never returns (it serves until shutdown).
    row(Some("HTTP"), "router", "() -> Router", "mesh_rt_http_router", &[]),
    row(Some("HTTP"), "route", "(Router, String, Fun(Request) -> Response) -> Router", "mesh_rt_http_route", &[]),
    row(Some("HTTP"), "on_get", "(Router, String, Fun(Request) -> Response) -> Router", "mesh_rt_http_on_get", &[]),
    row(Some("HTTP"), "on_post", "(Router, String, Fun(Request) -> Response) -> Router", "mesh_rt_http_on_post", &[]),
    row(Some("HTTP"), "on_put", "(Router, String, Fun(Request) -> Response) -> Router", "mesh_rt_http_on_put", &[]),
    row(Some("HTTP"), "on_delete", "(Router, String, Fun(Request) -> Response) -> Router", "mesh_rt_http_on_delete", &[]),
    // `HTTP.clustered(n, h)` (stdlib §18.4) lowers to this (sema lower/cluster.rs): runtime
    // name and count; the handler is a TYPE-ONLY argument (checked, never passed: MIR drops it).
    row(None, "__http_clustered", "(String, Int, Fun(Request) -> Response) -> Fun(Request) -> Response", "mesh_rt_http_clustered", &[]),
    row(Some("HTTP"), "use", "(Router, Fun(Request, Fun(Request) -> Response) -> Response) -> Router", "mesh_rt_http_use", &[]),
    row(Some("HTTP"), "response", "(Int, String) -> Response", "mesh_rt_http_response", &[]),
    row(Some("HTTP"), "response_with_headers", "(Int, String, Map<String, String>) -> Response", "mesh_rt_http_response_with_headers", &[DescArg::Param(2)]),
    row(Some("HTTP"), "serve", "(Router, Int) -> ()", "mesh_rt_http_serve", &[]),
    row(Some("HTTP"), "serve_tls", "(Router, Int, String, String) -> ()", "mesh_rt_http_serve_tls", &[]),
    row(Some("Request"), "method", "(Request) -> String", "mesh_rt_request_method", &[]),
    row(Some("Request"), "path", "(Request) -> String", "mesh_rt_request_path", &[]),
    row(Some("Request"), "body", "(Request) -> String", "mesh_rt_request_body", &[]),
    row(Some("Request"), "header", "(Request, String) -> String?", "mesh_rt_request_header", &[DescArg::Ret]),
    row(Some("Request"), "query", "(Request, String) -> String?", "mesh_rt_request_query", &[DescArg::Ret]),
    row(Some("Request"), "param", "(Request, String) -> String?", "mesh_rt_request_param", &[DescArg::Ret]),
    // sqlite (spec §21–§22): a SqliteConn is an Int handle into the runtime's table
    row(Some("Sqlite"), "open", "(String) -> SqliteConn ! String", "mesh_rt_sqlite_open", &[DescArg::Ret]),
    row(Some("Sqlite"), "close", "(SqliteConn) -> ()", "mesh_rt_sqlite_close", &[]),
    row(Some("Sqlite"), "execute", "(SqliteConn, String, List<String>) -> Int ! String", "mesh_rt_sqlite_execute", &[DescArg::Ret]),
    row(Some("Sqlite"), "query", "(SqliteConn, String, List<String>) -> List<Map<String, String>> ! String", "mesh_rt_sqlite_query", &[DescArg::Ret]),
    row(Some("Sqlite"), "begin", "(SqliteConn) -> () ! String", "mesh_rt_sqlite_begin", &[DescArg::Ret]),
    row(Some("Sqlite"), "commit", "(SqliteConn) -> () ! String", "mesh_rt_sqlite_commit", &[DescArg::Ret]),
    row(Some("Sqlite"), "rollback", "(SqliteConn) -> () ! String", "mesh_rt_sqlite_rollback", &[DescArg::Ret]),
    // ---- postgresql (stdlib spec §21, §23): PgConn and PoolHandle are Int ids (abi/pg.rs)
    row(Some("Pg"), "connect", "(String) -> PgConn ! String", "mesh_rt_pg_connect", &[DescArg::Ret]),
    row(Some("Pg"), "close", "(PgConn) -> ()", "mesh_rt_pg_close", &[]),
    row(Some("Pg"), "execute", "(PgConn, String, List<String>) -> Int ! String", "mesh_rt_pg_execute", &[DescArg::Ret]),
    row(Some("Pg"), "query", "(PgConn, String, List<String>) -> List<Map<String, String>> ! String", "mesh_rt_pg_query", &[DescArg::Ret]),
    row(Some("Pg"), "query_as", "(PgConn, String, List<String>, Fun(Map<String, String>) -> T ! String) -> List<T ! String> ! String", "mesh_rt_pg_query_as", &[DescArg::Ret]),
    row(Some("Pg"), "begin", "(PgConn) -> () ! String", "mesh_rt_pg_begin", &[DescArg::Ret]),
    row(Some("Pg"), "commit", "(PgConn) -> () ! String", "mesh_rt_pg_commit", &[DescArg::Ret]),
    row(Some("Pg"), "rollback", "(PgConn) -> () ! String", "mesh_rt_pg_rollback", &[DescArg::Ret]),
    row(Some("Pg"), "transaction", "(PgConn, Fun(PgConn) -> T ! String) -> T ! String", "mesh_rt_pg_transaction", &[DescArg::Ret]),
    row(Some("Pool"), "open", "(String, Int, Int, Int) -> PoolHandle ! String", "mesh_rt_pool_open", &[DescArg::Ret]),
    row(Some("Pool"), "execute", "(PoolHandle, String, List<String>) -> Int ! String", "mesh_rt_pool_execute", &[DescArg::Ret]),
    row(Some("Pool"), "query", "(PoolHandle, String, List<String>) -> List<Map<String, String>> ! String", "mesh_rt_pool_query", &[DescArg::Ret]),
    row(Some("Pool"), "query_as", "(PoolHandle, String, List<String>, Fun(Map<String, String>) -> T ! String) -> List<T ! String> ! String", "mesh_rt_pool_query_as", &[DescArg::Ret]),
    row(Some("Pool"), "checkout", "(PoolHandle) -> PgConn ! String", "mesh_rt_pool_checkout", &[DescArg::Ret]),
    row(Some("Pool"), "checkin", "(PoolHandle, PgConn) -> ()", "mesh_rt_pool_checkin", &[]),
    row(Some("Pool"), "close", "(PoolHandle) -> ()", "mesh_rt_pool_close", &[]),
    // ---- query builder (stdlib spec §24–§26): Query and Expr are strings of builder calls
    row(Some("Query"), "from", "(String) -> Query", "mesh_rt_query_from", &[]),
    row(Some("Query"), "select", "(Query, List<String>) -> Query", "mesh_rt_query_select", &[]),
    row(Some("Query"), "select_raw", "(Query, List<String>) -> Query", "mesh_rt_query_select_raw", &[]),
    row(Some("Query"), "select_expr", "(Query, Expr) -> Query", "mesh_rt_query_select_expr", &[]),
    row(Some("Query"), "select_exprs", "(Query, List<Expr>) -> Query", "mesh_rt_query_select_exprs", &[]),
    row(Some("Query"), "select_count", "(Query) -> Query", "mesh_rt_query_select_count", &[]),
    row(Some("Query"), "select_count_field", "(Query, Atom) -> Query", "mesh_rt_query_select_count_field", &[]),
    row(Some("Query"), "select_sum", "(Query, Atom) -> Query", "mesh_rt_query_select_sum", &[]),
    row(Some("Query"), "select_avg", "(Query, Atom) -> Query", "mesh_rt_query_select_avg", &[]),
    row(Some("Query"), "select_min", "(Query, Atom) -> Query", "mesh_rt_query_select_min", &[]),
    row(Some("Query"), "select_max", "(Query, Atom) -> Query", "mesh_rt_query_select_max", &[]),
    row(Some("Query"), "where", "(Query, Atom, String) -> Query", "mesh_rt_query_where", &[]),
    row(Some("Query"), "where_op", "(Query, Atom, Atom, String) -> Query", "mesh_rt_query_where_op", &[]),
    row(Some("Query"), "where_in", "(Query, Atom, List<String>) -> Query", "mesh_rt_query_where_in", &[]),
    row(Some("Query"), "where_not_in", "(Query, Atom, List<String>) -> Query", "mesh_rt_query_where_not_in", &[]),
    row(Some("Query"), "where_between", "(Query, Atom, String, String) -> Query", "mesh_rt_query_where_between", &[]),
    row(Some("Query"), "where_null", "(Query, Atom) -> Query", "mesh_rt_query_where_null", &[]),
    row(Some("Query"), "where_not_null", "(Query, Atom) -> Query", "mesh_rt_query_where_not_null", &[]),
    row(Some("Query"), "where_or", "(Query, List<Atom>, List<String>) -> Query", "mesh_rt_query_where_or", &[]),
    row(Some("Query"), "where_expr", "(Query, Expr) -> Query", "mesh_rt_query_where_expr", &[]),
    row(Some("Query"), "where_raw", "(Query, String, List<String>) -> Query", "mesh_rt_query_where_raw", &[]),
    row(Some("Query"), "where_sub", "(Query, Atom, Query) -> Query", "mesh_rt_query_where_sub", &[]),
    row(Some("Query"), "order_by", "(Query, Atom, Atom) -> Query", "mesh_rt_query_order_by", &[]),
    row(Some("Query"), "order_by_raw", "(Query, String) -> Query", "mesh_rt_query_order_by_raw", &[]),
    row(Some("Query"), "limit", "(Query, Int) -> Query", "mesh_rt_query_limit", &[]),
    row(Some("Query"), "offset", "(Query, Int) -> Query", "mesh_rt_query_offset", &[]),
    row(Some("Query"), "join", "(Query, Atom, String, String) -> Query", "mesh_rt_query_join", &[]),
    row(Some("Query"), "join_as", "(Query, Atom, String, String, String) -> Query", "mesh_rt_query_join_as", &[]),
    row(Some("Query"), "group_by", "(Query, Atom) -> Query", "mesh_rt_query_group_by", &[]),
    row(Some("Query"), "group_by_raw", "(Query, String) -> Query", "mesh_rt_query_group_by_raw", &[]),
    row(Some("Query"), "having", "(Query, String, String) -> Query", "mesh_rt_query_having", &[]),
    row(Some("Query"), "fragment", "(Query, String, List<String>) -> Query", "mesh_rt_query_fragment", &[]),
    row(Some("Expr"), "column", "(String) -> Expr", "mesh_rt_expr_column", &[]),
    row(Some("Expr"), "value", "(String) -> Expr", "mesh_rt_expr_value", &[]),
    row(Some("Expr"), "null", "() -> Expr", "mesh_rt_expr_null", &[]),
    row(Some("Expr"), "fn_call", "(String, List<Expr>) -> Expr", "mesh_rt_expr_call", &[]),
    row(Some("Expr"), "call", "(String, List<Expr>) -> Expr", "mesh_rt_expr_call", &[]),
    row(Some("Expr"), "add", "(Expr, Expr) -> Expr", "mesh_rt_expr_add", &[]),
    row(Some("Expr"), "sub", "(Expr, Expr) -> Expr", "mesh_rt_expr_sub", &[]),
    row(Some("Expr"), "mul", "(Expr, Expr) -> Expr", "mesh_rt_expr_mul", &[]),
    row(Some("Expr"), "div", "(Expr, Expr) -> Expr", "mesh_rt_expr_div", &[]),
    row(Some("Expr"), "eq", "(Expr, Expr) -> Expr", "mesh_rt_expr_eq", &[]),
    row(Some("Expr"), "neq", "(Expr, Expr) -> Expr", "mesh_rt_expr_neq", &[]),
    row(Some("Expr"), "lt", "(Expr, Expr) -> Expr", "mesh_rt_expr_lt", &[]),
    row(Some("Expr"), "lte", "(Expr, Expr) -> Expr", "mesh_rt_expr_lte", &[]),
    row(Some("Expr"), "gt", "(Expr, Expr) -> Expr", "mesh_rt_expr_gt", &[]),
    row(Some("Expr"), "gte", "(Expr, Expr) -> Expr", "mesh_rt_expr_gte", &[]),
    row(Some("Expr"), "case_when", "(List<Expr>, List<Expr>, Expr) -> Expr", "mesh_rt_expr_case", &[]),
    row(Some("Expr"), "case", "(List<Expr>, List<Expr>, Expr) -> Expr", "mesh_rt_expr_case", &[]),
    row(Some("Expr"), "coalesce", "(List<Expr>) -> Expr", "mesh_rt_expr_coalesce", &[]),
    row(Some("Expr"), "excluded", "(String) -> Expr", "mesh_rt_expr_excluded", &[]),
    row(Some("Expr"), "label", "(Expr, String) -> Expr", "mesh_rt_expr_label", &[]),
    row(Some("Expr"), "alias", "(Expr, String) -> Expr", "mesh_rt_expr_label", &[]),
    row(Some("Pg"), "cast", "(Expr, String) -> Expr", "mesh_rt_expr_cast", &[]),
    row(Some("Pg"), "text", "(Expr) -> Expr", "mesh_rt_expr_text", &[]),
    row(Some("Pg"), "uuid", "(Expr) -> Expr", "mesh_rt_expr_uuid", &[]),
    row(Some("Pg"), "int", "(Expr) -> Expr", "mesh_rt_expr_int", &[]),
    row(Some("Pg"), "jsonb", "(Expr) -> Expr", "mesh_rt_expr_jsonb", &[]),
    row(Some("Pg"), "timestamptz", "(Expr) -> Expr", "mesh_rt_expr_timestamptz", &[]),
    row(Some("Pg"), "gen_salt", "(String, Int) -> Expr", "mesh_rt_expr_gen_salt", &[]),
    row(Some("Pg"), "crypt", "(Expr, Expr) -> Expr", "mesh_rt_expr_crypt", &[]),
    row(Some("Pg"), "to_tsvector", "(String, Expr) -> Expr", "mesh_rt_expr_to_tsvector", &[]),
    row(Some("Pg"), "plainto_tsquery", "(String, Expr) -> Expr", "mesh_rt_expr_plainto_tsquery", &[]),
    row(Some("Pg"), "ts_rank", "(Expr, Expr) -> Expr", "mesh_rt_expr_ts_rank", &[]),
    row(Some("Pg"), "tsvector_matches", "(Expr, Expr) -> Expr", "mesh_rt_expr_tsvector_matches", &[]),
    row(Some("Pg"), "jsonb_contains", "(Expr, Expr) -> Expr", "mesh_rt_expr_jsonb_contains", &[]),
    row(Some("Repo"), "all", "(PoolHandle, Query) -> List<Map<String, String>> ! String", "mesh_rt_repo_all", &[DescArg::Ret]),
    row(Some("Repo"), "one", "(PoolHandle, Query) -> Map<String, String> ! String", "mesh_rt_repo_one", &[DescArg::Ret]),
    row(Some("Repo"), "get", "(PoolHandle, String, String) -> Map<String, String> ! String", "mesh_rt_repo_get", &[DescArg::Ret]),
    row(Some("Repo"), "get_by", "(PoolHandle, String, String, String) -> Map<String, String> ! String", "mesh_rt_repo_get_by", &[DescArg::Ret]),
    row(Some("Repo"), "count", "(PoolHandle, Query) -> Int ! String", "mesh_rt_repo_count", &[DescArg::Ret]),
    row(Some("Repo"), "exists", "(PoolHandle, Query) -> Bool ! String", "mesh_rt_repo_exists", &[DescArg::Ret]),
    row(Some("Repo"), "insert", "(PoolHandle, String, Map<String, String>) -> Map<String, String> ! String", "mesh_rt_repo_insert", &[DescArg::Ret, DescArg::Param(2)]),
    row(Some("Repo"), "insert_expr", "(PoolHandle, String, Map<String, Expr>) -> Map<String, String> ! String", "mesh_rt_repo_insert_expr", &[DescArg::Ret, DescArg::Param(2)]),
    row(Some("Repo"), "update", "(PoolHandle, String, String, Map<String, String>) -> Map<String, String> ! String", "mesh_rt_repo_update", &[DescArg::Ret, DescArg::Param(3)]),
    row(Some("Repo"), "update_where", "(PoolHandle, String, Map<String, String>, Query) -> Map<String, String> ! String", "mesh_rt_repo_update_where", &[DescArg::Ret, DescArg::Param(2)]),
    row(Some("Repo"), "update_where_expr", "(PoolHandle, String, Map<String, Expr>, Query) -> Map<String, String> ! String", "mesh_rt_repo_update_where_expr", &[DescArg::Ret, DescArg::Param(2)]),
    row(Some("Repo"), "delete", "(PoolHandle, String, String) -> Map<String, String> ! String", "mesh_rt_repo_delete", &[DescArg::Ret]),
    row(Some("Repo"), "delete_where", "(PoolHandle, String, Query) -> Int ! String", "mesh_rt_repo_delete_where", &[DescArg::Ret]),
    row(Some("Repo"), "delete_where_returning", "(PoolHandle, String, Query) -> List<Map<String, String>> ! String", "mesh_rt_repo_delete_where_returning", &[DescArg::Ret]),
    row(Some("Repo"), "insert_or_update", "(PoolHandle, String, Map<String, String>, List<String>, List<String>) -> Map<String, String> ! String", "mesh_rt_repo_insert_or_update", &[DescArg::Ret, DescArg::Param(2)]),
    row(Some("Repo"), "insert_or_update_expr", "(PoolHandle, String, Map<String, String>, List<String>, Map<String, Expr>) -> Map<String, String> ! String", "mesh_rt_repo_insert_or_update_expr", &[DescArg::Ret, DescArg::Param(2), DescArg::Param(4)]),
    row(Some("Repo"), "query_raw", "(PoolHandle, String, List<String>) -> List<Map<String, String>> ! String", "mesh_rt_repo_query_raw", &[DescArg::Ret]),
    row(Some("Repo"), "execute_raw", "(PoolHandle, String, List<String>) -> Int ! String", "mesh_rt_repo_execute_raw", &[DescArg::Ret]),
    row(Some("Repo"), "transaction", "(PoolHandle, Fun(PgConn) -> T ! String) -> T ! String", "mesh_rt_repo_transaction", &[DescArg::Ret]),
    // ---- migrations (stdlib spec §27.1; tooling §6.2 for the generated entry's `__migrate_run`)
    row(Some("Migration"), "create_table", "(PoolHandle, String, List<String>) -> Int ! String", "mesh_rt_migration_create_table", &[DescArg::Ret]),
    row(Some("Migration"), "drop_table", "(PoolHandle, String) -> Int ! String", "mesh_rt_migration_drop_table", &[DescArg::Ret]),
    row(Some("Migration"), "add_column", "(PoolHandle, String, String) -> Int ! String", "mesh_rt_migration_add_column", &[DescArg::Ret]),
    row(Some("Migration"), "drop_column", "(PoolHandle, String, String) -> Int ! String", "mesh_rt_migration_drop_column", &[DescArg::Ret]),
    row(Some("Migration"), "rename_column", "(PoolHandle, String, String, String) -> Int ! String", "mesh_rt_migration_rename_column", &[DescArg::Ret]),
    row(Some("Migration"), "create_index", "(PoolHandle, String, List<String>, String) -> Int ! String", "mesh_rt_migration_create_index", &[DescArg::Ret]),
    row(Some("Migration"), "drop_index", "(PoolHandle, String, List<String>) -> Int ! String", "mesh_rt_migration_drop_index", &[DescArg::Ret]),
    row(Some("Migration"), "execute", "(PoolHandle, String) -> Int ! String", "mesh_rt_migration_execute", &[DescArg::Ret]),
    row(Some("Pg"), "create_extension", "(PoolHandle, String) -> Int ! String", "mesh_rt_pg_create_extension", &[DescArg::Ret]),
    row(Some("Pg"), "create_gin_index", "(PoolHandle, String, String, String, String) -> Int ! String", "mesh_rt_pg_create_gin_index", &[DescArg::Ret]),
    row(Some("Pg"), "create_range_partitioned_table", "(PoolHandle, String, List<String>, String) -> Int ! String", "mesh_rt_pg_create_range_partitioned_table", &[DescArg::Ret]),
    row(Some("Pg"), "create_daily_partitions_ahead", "(PoolHandle, String, Int) -> Int ! String", "mesh_rt_pg_create_daily_partitions_ahead", &[DescArg::Ret]),
    row(Some("Pg"), "list_daily_partitions_before", "(PoolHandle, String, Int) -> List<String> ! String", "mesh_rt_pg_list_daily_partitions_before", &[DescArg::Ret]),
    row(Some("Pg"), "drop_partition", "(PoolHandle, String) -> Int ! String", "mesh_rt_pg_drop_partition", &[DescArg::Ret]),
    row(None, "__migrate_run", "(Int, String, Bool, Bool, Fun(PoolHandle) -> Int ! String) -> ()", "mesh_rt_migrate_run", &[]),
    // ---- changesets and SQL builders (stdlib spec §28.3–§28.4); the Repo rows that need them
    // (§26). A Changeset is a string at run time (libmesh_rt abi/changeset.rs).
    row(Some("Changeset"), "cast", "(Map<String, String>, Map<String, String>, List<Atom>) -> Changeset", "mesh_rt_changeset_cast", &[DescArg::Param(0), DescArg::Param(1)]),
    row(Some("Changeset"), "cast_with_types", "(Map<String, String>, Map<String, String>, List<Atom>, List<String>) -> Changeset", "mesh_rt_changeset_cast_with_types", &[DescArg::Param(0), DescArg::Param(1)]),
    row(Some("Changeset"), "validate_required", "(Changeset, List<Atom>) -> Changeset", "mesh_rt_changeset_validate_required", &[]),
    row(Some("Changeset"), "validate_length", "(Changeset, Atom, Int, Int) -> Changeset", "mesh_rt_changeset_validate_length", &[]),
    row(Some("Changeset"), "validate_format", "(Changeset, Atom, String) -> Changeset", "mesh_rt_changeset_validate_format", &[]),
    row(Some("Changeset"), "validate_inclusion", "(Changeset, Atom, List<String>) -> Changeset", "mesh_rt_changeset_validate_inclusion", &[]),
    row(Some("Changeset"), "validate_number", "(Changeset, Atom, Int, Int, Int, Int) -> Changeset", "mesh_rt_changeset_validate_number", &[]),
    row(Some("Changeset"), "valid", "(Changeset) -> Bool", "mesh_rt_changeset_valid", &[]),
    row(Some("Changeset"), "errors", "(Changeset) -> Map<String, String>", "mesh_rt_changeset_errors", &[DescArg::Ret]),
    row(Some("Changeset"), "changes", "(Changeset) -> Map<String, String>", "mesh_rt_changeset_changes", &[DescArg::Ret]),
    row(Some("Changeset"), "get_change", "(Changeset, Atom) -> String", "mesh_rt_changeset_get_change", &[]),
    row(Some("Changeset"), "get_error", "(Changeset, Atom) -> String", "mesh_rt_changeset_get_error", &[]),
    row(Some("Orm"), "build_select", "(String, List<String>, List<String>, List<String>, Int, Int) -> String", "mesh_rt_orm_build_select", &[]),
    row(Some("Orm"), "build_insert", "(String, List<String>, List<String>) -> String", "mesh_rt_orm_build_insert", &[]),
    row(Some("Orm"), "build_update", "(String, List<String>, List<String>, List<String>) -> String", "mesh_rt_orm_build_update", &[]),
    row(Some("Orm"), "build_delete", "(String, List<String>, List<String>) -> String", "mesh_rt_orm_build_delete", &[]),
    row(Some("Repo"), "insert_changeset", "(PoolHandle, String, Changeset) -> Map<String, String> ! Changeset", "mesh_rt_repo_insert_changeset", &[DescArg::Ret]),
    row(Some("Repo"), "update_changeset", "(PoolHandle, String, String, Changeset) -> Map<String, String> ! Changeset", "mesh_rt_repo_update_changeset", &[DescArg::Ret]),
    row(Some("Repo"), "preload", "(PoolHandle, List<Map<String, String>>, List<String>, List<String>) -> List<Map<String, String>> ! String", "mesh_rt_repo_preload", &[DescArg::Ret, DescArg::Param(1)]),
];

/// `Json.encode` is compiled by the compiler (a generated encoder per type), not a runtime call.
pub const JSON_ENCODE: &str = "mesh_rt_intrinsic_json_encode";
/// `compare(a, b)`, `x.to_string()` and `x.inspect()` are compiled from the type's derived or
/// implemented Ord, Display and Debug (spec §3.5, §3.6). `Any` is the pseudo-module of methods
/// every type has.
pub const COMPARE: &str = "mesh_rt_intrinsic_compare";
pub const TO_STRING: &str = "mesh_rt_intrinsic_to_string";
pub const INSPECT: &str = "mesh_rt_intrinsic_inspect";

/// The stdlib's constants (values, not functions): `Math.pi :: Float` (stdlib spec §4).
pub fn float_constant(module: &str, name: &str) -> Option<f64> {
    match (module, name) {
        ("Math", "pi") => Some(std::f64::consts::PI),
        _ => None,
    }
}

/// The name under which code that sema generates (services, supervisors) refers to the stdlib
/// function `name` in the AST it builds: `@` cannot start a Mesh identifier, so no program can
/// write it, and name resolution takes it to the function even when that is internal
/// ([`Builtin::generated`]).
pub fn generated_name(name: &str) -> String {
    format!("@{name}")
}

/// Whether a row is compiled by the compiler rather than calling the runtime.
pub fn is_intrinsic(symbol: &str) -> bool {
    symbol.starts_with("mesh_rt_intrinsic_")
}

/// Modules that exist in the stdlib (always reachable qualified, spec §2.3).
const STDLIB_MODULES: &[&str] = &[
    "IO",
    "String",
    "Int",
    "Float",
    "Math",
    "Option",
    "Result",
    "List",
    "Map",
    "Set",
    "Tuple",
    "Range",
    "Queue",
    "Iter",
    "Json",
    "JSON",
    "Env",
    "File",
    "DateTime",
    "Crypto",
    "Base64",
    "Hex",
    "Regex",
    "Process",
    "Timer",
    "Job",
    "Node",
    "Global",
    "Continuity",
    "Http",
    "HTTP",
    "Request",
    "Sqlite",
    // ---- databases (stdlib spec §23–§26)
    "Pg",
    "Pool",
    "Query",
    "Expr",
    "Repo",
    "Migration",
    // ---- changesets and SQL builders (stdlib spec §28.3–§28.4)
    "Changeset",
    "Orm",
];

impl Builtin {
    pub fn def(self) -> &'static BuiltinDef {
        &BUILTINS[self.0 as usize]
    }

    /// Resolves `name` (unqualified: prelude or a flat legacy alias like `string_length`) or
    /// `Module.name`.
    pub fn lookup(module: Option<&str>, name: &str) -> Option<Builtin> {
        let found = match module {
            Some(m) => BUILTINS
                .iter()
                .position(|b| b.module == Some(m) && b.name == name),
            None => BUILTINS
                .iter()
                .position(|b| b.module.is_none() && b.name == name)
                .or_else(|| {
                    BUILTINS
                        .iter()
                        .position(|b| b.module.is_some_and(|m| flat_name(m, b.name) == name))
                }),
        };
        found.map(|i| Builtin(i as u16))
    }

    /// The stdlib function a name made by [`generated_name`] refers to.
    pub fn generated(name: &str) -> Option<Builtin> {
        Builtin::lookup(None, name.strip_prefix('@')?)
    }

    /// Whether the row calls a runtime function that the ABI table marks `internal`: only
    /// generated code may use it (E0052 when a program names it).
    pub fn is_internal(self) -> bool {
        mesh_rt_abi::lookup(self.def().symbol).is_some_and(|f| f.attrs.internal)
    }

    /// Whether `name` is a stdlib module.
    pub fn is_stdlib_module(name: &str) -> bool {
        STDLIB_MODULES.contains(&name)
    }

    /// The names of the stdlib modules (for "did you mean" notes).
    pub fn stdlib_modules() -> &'static [&'static str] {
        STDLIB_MODULES
    }

    /// The builtin's type, with fresh inference variables for its type variables.
    pub fn fn_type(self, types: &mut Types) -> TyId {
        let scheme = self.scheme(types);
        let n = count_vars(self.def().sig);
        let args: Vec<TyId> = (0..n).map(|_| types.fresh_var()).collect();
        types.instantiate(scheme, &args)
    }

    /// The builtin's type with its type variables as `Gen(i)`.
    pub fn scheme(self, types: &mut Types) -> TyId {
        let sig = self.def().sig;
        let mut parser = SigParser {
            chars: sig.chars().collect(),
            at: 0,
            vars: Vec::new(),
        };
        parser
            .fn_type(types)
            .unwrap_or_else(|| panic!("malformed builtin signature {sig:?}"))
    }
}

/// `String.length` → `string_length` (stdlib spec §0.7); `Env.get` is `env_get_with_default`.
fn flat_name(module: &str, name: &str) -> String {
    if module == "Env" && name == "get" {
        return "env_get_with_default".into();
    }
    let mut out = String::new();
    let mut previous_lower = false;
    for c in module.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase();
        out.extend(c.to_lowercase());
    }
    format!("{out}_{name}")
}

fn count_vars(sig: &str) -> usize {
    let mut seen = Vec::new();
    let chars: Vec<char> = sig.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let alone = c.is_ascii_uppercase()
            && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
            && !(i > 0 && chars[i - 1].is_alphanumeric());
        if alone && !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.len()
}

/// A small recursive-descent parser for the signature strings above.
struct SigParser {
    chars: Vec<char>,
    at: usize,
    vars: Vec<char>,
}

impl SigParser {
    fn skip_ws(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        let want: Vec<char> = s.chars().collect();
        if self.chars[self.at..].starts_with(&want) {
            self.at += want.len();
            true
        } else {
            false
        }
    }

    fn fn_type(&mut self, types: &mut Types) -> Option<TyId> {
        let params = self.list(types, "(", ")")?;
        if !self.eat("->") {
            return None;
        }
        let ret = self.ty(types)?;
        Some(types.intern(TyKind::Fun(params, ret)))
    }

    fn list(&mut self, types: &mut Types, open: &str, close: &str) -> Option<Vec<TyId>> {
        if !self.eat(open) {
            return None;
        }
        let mut out = Vec::new();
        if self.eat(close) {
            return Some(out);
        }
        loop {
            out.push(self.ty(types)?);
            if self.eat(close) {
                return Some(out);
            }
            if !self.eat(",") {
                return None;
            }
        }
    }

    fn ty(&mut self, types: &mut Types) -> Option<TyId> {
        let base = self.base(types)?;
        if self.eat("?") {
            return Some(types.option(base));
        }
        if self.eat("!") {
            let err = self.ty(types)?;
            return Some(types.result(base, err));
        }
        Some(base)
    }

    fn base(&mut self, types: &mut Types) -> Option<TyId> {
        self.skip_ws();
        if self.chars.get(self.at) == Some(&'(') {
            let elems = self.list(types, "(", ")")?;
            return Some(if elems.is_empty() {
                types.unit()
            } else {
                types.intern(TyKind::Tuple(elems))
            });
        }
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|c| c.is_alphanumeric()) {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if name == "Fun" {
            self.at = start + 3;
            return self.fn_type(types);
        }
        let args = if self.chars.get(self.at) == Some(&'<') {
            self.list(types, "<", ">")?
        } else {
            vec![]
        };
        Some(match name.as_str() {
            "Int" => types.int(),
            "Float" => types.float(),
            "Bool" => types.bool(),
            "String" => types.string(),
            "Never" => types.never(),
            v if v.len() == 1 => {
                let c = v.chars().next()?;
                let i = match self.vars.iter().position(|x| *x == c) {
                    Some(i) => i,
                    None => {
                        self.vars.push(c);
                        self.vars.len() - 1
                    }
                };
                types.intern(TyKind::Gen(i as u32))
            }
            "Option" => types.adt(AdtId::OPTION, args),
            "Result" => types.adt(AdtId::RESULT, args),
            "Ordering" => types.adt(AdtId::ORDERING, args),
            "HttpResponse" => types.adt(AdtId::HTTP_RESPONSE, args),
            "BootstrapStatus" => types.adt(AdtId::BOOTSTRAP_STATUS, args),
            "ContinuityRecord" => types.adt(AdtId::CONTINUITY_RECORD, args),
            "ContinuityAuthorityStatus" => types.adt(AdtId::CONTINUITY_AUTHORITY_STATUS, args),
            "ContinuitySubmitDecision" => types.adt(AdtId::CONTINUITY_SUBMIT_DECISION, args),
            _ => types.builtin(BuiltinTy::from_name(&name)?, args),
        })
    }
}

#[cfg(test)]
mod spec_tiers;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_parses_and_names_a_runtime_function() {
        let mut types = Types::new();
        for (i, def) in BUILTINS.iter().enumerate() {
            let b = Builtin(i as u16);
            let ty = b.scheme(&mut types);
            assert!(matches!(types.kind(ty), TyKind::Fun(..)), "{}", def.sig);
            assert!(def.symbol.starts_with("mesh_rt_"), "{}", def.symbol);
        }
    }

    #[test]
    fn internal_runtime_functions_have_only_internal_names() {
        for (i, def) in BUILTINS.iter().enumerate() {
            let b = Builtin(i as u16);
            if is_intrinsic(def.symbol) {
                continue;
            }
            assert!(mesh_rt_abi::lookup(def.symbol).is_some(), "{}", def.symbol);
            // A program can name every row but the `__` ones, so only those reach internal
            // runtime functions.
            let internal_name = def.module.is_none() && def.name.starts_with("__");
            assert_eq!(
                b.is_internal(),
                internal_name,
                "{} -> {}",
                def.name,
                def.symbol
            );
        }
        let reply = Builtin::generated(&generated_name("__service_reply"));
        assert_eq!(reply, Builtin::lookup(None, "__service_reply"));
        assert!(reply.is_some_and(Builtin::is_internal));
        assert_eq!(Builtin::generated("__service_reply"), None);
    }

    #[test]
    fn signatures_with_generics_and_sugar() {
        let mut types = Types::new();
        let mut p = SigParser {
            chars: "(List<T>, Fun(T) -> U) -> Map<K, U>?".chars().collect(),
            at: 0,
            vars: vec![],
        };
        let ty = p.fn_type(&mut types).expect("parses");
        assert_eq!(
            types.display(ty),
            "Fun(List<A>, Fun(A) -> B) -> Option<Map<C, B>>"
        );
        assert_eq!(flat_name("String", "length"), "string_length");
        assert_eq!(flat_name("DateTime", "now"), "date_time_now");
        assert_eq!(
            Builtin::lookup(None, "io_eprintln"),
            Builtin::lookup(Some("IO"), "eprintln")
        );
    }
}
