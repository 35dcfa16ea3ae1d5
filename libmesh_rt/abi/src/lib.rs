//! mesh_rt_abi: the single source of truth for the boundary between generated code and the
//! runtime. `runtime_functions!` lists every exported runtime function once, with the facts the
//! compiler relies on ([`Attrs`]: leaf, allocator, suspends, internal, LLVM intrinsic); the code
//! generator expands it into LLVM declarations (through [`RUNTIME_FNS`]) and the runtime expands
//! it into compile-time checks that each function exists with exactly that signature, so drift
//! fails the build instead of programs. Layout constants for heap objects, the numbering of
//! enums that cross the boundary as integers ([`supervisor`], [`receive`]), the ABI version and
//! the stack-limit symbol live here too.
#![forbid(unsafe_code)]

/// The ABI version as a literal (`abi_version!(number)`) or the symbol generated code
/// references (`abi_version!(symbol)`, `mesh_rt_abi_v<N>`), so that an executable linked
/// against a mismatched runtime fails at link time. A macro because the runtime names its
/// static with `#[export_name = …]`, which takes a literal.
#[macro_export]
macro_rules! abi_version {
    (number) => {
        1
    };
    (symbol) => {
        concat!("mesh_rt_abi_v", $crate::abi_version!(number))
    };
}

/// Version of the ABI: bump it when a row's signature or meaning changes.
pub const ABI_VERSION: u32 = abi_version!(number);
/// The symbol generated code references (`mesh_rt_abi_v<ABI_VERSION>`).
pub const ABI_VERSION_SYMBOL: &str = abi_version!(symbol);

/// The name of the runtime's thread-local stack limit, which generated code compares the stack
/// pointer with (ARCHITECTURE.md "Stacks"). A macro so the runtime's `global_asm!` can
/// `concat!` it into its templates.
#[macro_export]
macro_rules! stack_limit_symbol {
    () => {
        "mesh_rt_stack_limit"
    };
}

/// The thread-local stack limit's symbol (see [`stack_limit_symbol!`]).
pub const STACK_LIMIT_SYMBOL: &str = stack_limit_symbol!();

/// The C-level types that cross the boundary (STYLE §1.3: only C values cross).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbiTy {
    /// `i32` (only `argc` and the process exit status).
    I32,
    /// `i64`: Mesh `Int`, lengths, handles.
    I64,
    /// `f64`: Mesh `Float`.
    F64,
    /// `u8` holding 0 or 1: Mesh `Bool`.
    Bool,
    /// A pointer: heap objects, code pointers, raw bytes.
    Ptr,
    /// No result.
    Void,
    /// Never returns.
    Never,
}

/// What the compiler may assume about a runtime function beyond its signature. A row of
/// `runtime_functions!` lists them after its result type (`-> F64 [leaf, intrinsic("llvm.sqrt")]`);
/// each name is one of the `const fn` setters below, so a misspelt attribute fails the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attrs {
    /// Runs no Mesh code (takes no closure, reaches no user impl through a descriptor), never
    /// suspends and uses little stack: a call needs no stack check before it (its frames fit in
    /// the red zone below the limit; MIR `analysis::stack_checks`).
    pub leaf: bool,
    /// The heap allocator: returns fresh, unaliased, uninitialised memory of the size in
    /// argument 0 (codegen gives it LLVM's allocator attributes, so objects that never escape
    /// are not allocated at all).
    pub alloc: bool,
    /// May park the calling process (receive, service calls, timers, jobs, blocking I/O,
    /// preemption): it may resume on another thread. Functions that run Mesh code (closures,
    /// user impls) may suspend through it as well; those are never `leaf`.
    pub suspends: bool,
    /// Called only by code the compiler generates: no stdlib function of Mesh source names
    /// it, except a compiler-internal `__name` (sema rejects those when written in a program,
    /// E0052).
    pub internal: bool,
    /// Emitted as this LLVM intrinsic, overloaded on the result type, whose behaviour is
    /// exactly the function's (`Math.sqrt` becomes one instruction).
    pub intrinsic: Option<&'static str>,
}

impl Attrs {
    /// No attribute: an ordinary call that may do anything.
    pub const NONE: Attrs = Attrs {
        leaf: false,
        alloc: false,
        suspends: false,
        internal: false,
        intrinsic: None,
    };

    pub const fn leaf(self) -> Attrs {
        Attrs { leaf: true, ..self }
    }

    pub const fn alloc(self) -> Attrs {
        Attrs {
            alloc: true,
            ..self
        }
    }

    pub const fn suspends(self) -> Attrs {
        Attrs {
            suspends: true,
            ..self
        }
    }

    pub const fn internal(self) -> Attrs {
        Attrs {
            internal: true,
            ..self
        }
    }

    pub const fn intrinsic(self, name: &'static str) -> Attrs {
        Attrs {
            intrinsic: Some(name),
            ..self
        }
    }
}

/// One runtime function: its symbol, parameter types, result type and attributes.
#[derive(Debug, Clone, Copy)]
pub struct RuntimeFn {
    pub name: &'static str,
    pub params: &'static [AbiTy],
    pub ret: AbiTy,
    pub attrs: Attrs,
}

/// The runtime function table. Invoke as `runtime_functions!(callback)`; the callback receives
/// rows `fn name(arg: Ty, …) -> Ty [attr, …];` where `Ty` is an [`AbiTy`] variant name and the
/// optional bracket lists [`Attrs`] setters (`leaf`, `alloc`, `suspends`, `internal`,
/// `intrinsic("llvm.x")`). The compiler reads the attributes from [`RUNTIME_FNS`] and never
/// lists runtime functions by name; the unit tests below check that they are consistent.
///
/// Adding a runtime function is three edits: its row here, its `#[no_mangle]` definition in
/// `libmesh_rt/src/abi/<area>.rs`, and its caller (a `BUILTINS` row in
/// `meshc/sema/src/builtins.rs` for a stdlib function, or the MIR lowering that emits the
/// call for compiler-generated code).
///
/// Each row's doc in the runtime (`libmesh_rt/src/abi/`) states ownership, whether the call can
/// suspend the current actor, and what panics it.
#[macro_export]
macro_rules! runtime_functions {
    ($callback:ident) => {
        $callback! {
            // ---- process entry and failure
            fn mesh_rt_start(argc: I32, argv: Ptr, entry: Ptr) -> I32 [internal];
            fn mesh_rt_panic(message: Ptr) -> Never;
            // ---- processes, messages, services, timers, jobs
            fn mesh_rt_spawn(closure: Ptr, name: Ptr) -> I64 [internal];
            fn mesh_rt_send(desc: Ptr, pid: I64, msg: I64) -> Void;
            fn mesh_rt_self() -> I64 [internal];
            fn mesh_rt_receive_deadline(ms: I64) -> I64 [internal];
            fn mesh_rt_receive_wait(index: I64, deadline: I64, desc: Ptr) -> Bool [suspends, internal];
            fn mesh_rt_receive_wait_system(index: I64, deadline: I64, desc: Ptr, accept: I64) -> I64 [suspends, internal];
            fn mesh_rt_receive_peek(index: I64) -> I64 [internal];
            fn mesh_rt_receive_take(index: I64) -> I64 [internal];
            fn mesh_rt_receive_next(desc: Ptr) -> I64 [suspends, internal];
            fn mesh_rt_service_call(desc: Ptr, pid: I64, msg: I64) -> I64 [suspends, internal];
            fn mesh_rt_service_reply(desc: Ptr, value: I64) -> Void [internal];
            fn mesh_rt_process_register(name: Ptr, pid: I64) -> I64;
            fn mesh_rt_process_whereis(name: Ptr) -> I64;
            fn mesh_rt_process_monitor(pid: I64) -> I64;
            fn mesh_rt_process_demonitor(reference: I64) -> I64;
            fn mesh_rt_process_trap_exit(on: Bool) -> Void;
            fn mesh_rt_process_exit(status: I64) -> Never;
            fn mesh_rt_process_kill(pid: I64, reason: Ptr) -> Void;
            // ---- node distribution (stdlib §17.1–§17.2)
            fn mesh_rt_node_start_from_env(desc: Ptr) -> Ptr [suspends];
            fn mesh_rt_node_start(name: Ptr, cookie: Ptr) -> I64 [suspends];
            fn mesh_rt_node_connect(name: Ptr) -> I64 [suspends];
            fn mesh_rt_node_self() -> Ptr;
            fn mesh_rt_node_list(desc: Ptr) -> Ptr;
            fn mesh_rt_node_monitor(name: Ptr) -> I64;
            // ---- clustered work (runtime-cluster §4.1, §7; runtime abi/cluster.rs): generated
            // at the start of `main`, one declare per `@cluster` function and clustered route
            // handler (kind 0 startup, 1 route handler, 2 other); `HTTP.clustered(n, h)`
            fn mesh_rt_cluster_declare(name: Ptr, entry: Ptr, count: I64, kind: I64) -> Void [internal];
            fn mesh_rt_cluster_test_build() -> Void [internal];
            fn mesh_rt_http_clustered(name: Ptr, count: I64) -> Ptr [internal];
            // ---- continuity records (stdlib §17.4; runtime abi/continuity.rs): writes park the
            // caller until the continuity actor answers
            fn mesh_rt_continuity_submit(desc: Ptr, key: Ptr, hash: Ptr, ingress: Ptr, owner: Ptr, replica: Ptr, required: I64, remote: Bool, local: Bool) -> Ptr [suspends];
            fn mesh_rt_continuity_submit_declared_work(desc: Ptr, name: Ptr, key: Ptr, hash: Ptr, required: I64) -> Ptr [suspends];
            fn mesh_rt_continuity_status(desc: Ptr, key: Ptr) -> Ptr;
            fn mesh_rt_continuity_authority_status(desc: Ptr) -> Ptr;
            fn mesh_rt_continuity_mark_completed(desc: Ptr, key: Ptr, attempt: Ptr, node: Ptr) -> Ptr [suspends];
            fn mesh_rt_continuity_acknowledge_replica(desc: Ptr, key: Ptr, attempt: Ptr) -> Ptr [suspends];
            fn mesh_rt_node_spawn(node: Ptr, args: Ptr, name: Ptr, link: Bool) -> I64 [suspends, internal];
            fn mesh_rt_spawn_table(entries: Ptr, count: I64) -> Void [internal];
            fn mesh_rt_global_register(name: Ptr, pid: I64) -> I64;
            fn mesh_rt_global_whereis(name: Ptr) -> I64;
            fn mesh_rt_global_unregister(name: Ptr) -> I64;
            fn mesh_rt_link(pid: I64) -> Void;
            fn mesh_rt_on_terminate(closure: Ptr) -> Void [internal];
            fn mesh_rt_timer_sleep(ms: I64) -> Void [suspends];
            fn mesh_rt_timer_send_after(desc: Ptr, pid: I64, ms: I64, msg: I64) -> Void;
            fn mesh_rt_job_async(desc: Ptr, closure: Ptr) -> I64;
            fn mesh_rt_job_await(desc: Ptr, job: I64) -> Ptr [suspends];
            fn mesh_rt_job_await_timeout(desc: Ptr, job: I64, ms: I64) -> Ptr [suspends];
            fn mesh_rt_stack_check() -> Void [suspends, internal];
            fn mesh_rt_supervisor_child(name: Ptr, start: Ptr, restart: I64, shutdown: I64) -> Void [internal];
            fn mesh_rt_supervisor_run(name: Ptr, strategy: I64, max_restarts: I64, max_seconds: I64) -> Void [suspends, internal];
            fn mesh_rt_pid_to_string(pid: I64) -> Ptr;
            // ---- memory
            fn mesh_rt_alloc(size: I64) -> Ptr [leaf, alloc, internal];
            // ---- strings
            fn mesh_rt_string_concat(a: Ptr, b: Ptr) -> Ptr [leaf, internal];
            fn mesh_rt_string_from_int(value: I64) -> Ptr [leaf];
            fn mesh_rt_string_from_float(value: F64) -> Ptr [leaf, internal];
            fn mesh_rt_string_from_bool(value: Bool) -> Ptr;
            fn mesh_rt_string_eq(a: Ptr, b: Ptr) -> Bool [internal];
            fn mesh_rt_string_compare(a: Ptr, b: Ptr) -> I64 [internal];
            // ---- console IO
            fn mesh_rt_io_print(text: Ptr) -> Void;
            fn mesh_rt_io_println(text: Ptr) -> Void;
            fn mesh_rt_io_eprintln(text: Ptr) -> Void;
            // ---- json
            fn mesh_rt_json_string(text: Ptr) -> Ptr;
            fn mesh_rt_json_float(value: F64) -> Ptr [internal];
            fn mesh_rt_json_get(text: Ptr, key: Ptr) -> Ptr;
            // ---- stdlib: String (stdlib spec §3)
            fn mesh_rt_string_length(s: Ptr) -> I64;
            fn mesh_rt_string_slice(s: Ptr, start: I64, end: I64) -> Ptr;
            fn mesh_rt_string_contains(s: Ptr, needle: Ptr) -> Bool;
            fn mesh_rt_string_starts_with(s: Ptr, prefix: Ptr) -> Bool;
            fn mesh_rt_string_ends_with(s: Ptr, suffix: Ptr) -> Bool;
            fn mesh_rt_string_trim(s: Ptr) -> Ptr;
            fn mesh_rt_string_to_upper(s: Ptr) -> Ptr;
            fn mesh_rt_string_to_lower(s: Ptr) -> Ptr;
            fn mesh_rt_string_replace(s: Ptr, from: Ptr, to: Ptr) -> Ptr;
            fn mesh_rt_string_to_int(desc: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_string_to_float(desc: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_string_split(desc: Ptr, s: Ptr, sep: Ptr) -> Ptr;
            // ---- stdlib: Int, Float, Math (stdlib spec §4)
            fn mesh_rt_int_to_float(n: I64) -> F64;
            fn mesh_rt_float_to_int(f: F64) -> I64;
            fn mesh_rt_math_abs(desc: Ptr, x: I64) -> I64 [leaf];
            fn mesh_rt_math_min(desc: Ptr, a: I64, b: I64) -> I64 [leaf];
            fn mesh_rt_math_max(desc: Ptr, a: I64, b: I64) -> I64 [leaf];
            fn mesh_rt_math_pow(base: F64, exp: F64) -> F64 [leaf, intrinsic("llvm.pow")];
            fn mesh_rt_math_sqrt(x: F64) -> F64 [leaf, intrinsic("llvm.sqrt")];
            fn mesh_rt_math_floor(x: F64) -> I64 [leaf];
            fn mesh_rt_math_ceil(x: F64) -> I64 [leaf];
            fn mesh_rt_math_round(x: F64) -> I64 [leaf];
            // ---- stdlib: IO.read_line, Env, File (stdlib spec §2, §12)
            fn mesh_rt_io_read_line(desc: Ptr) -> Ptr [suspends];
            fn mesh_rt_env_get(key: Ptr, default: Ptr) -> Ptr;
            fn mesh_rt_env_get_int(key: Ptr, default: I64) -> I64;
            fn mesh_rt_env_args(desc: Ptr) -> Ptr;
            fn mesh_rt_file_read(desc: Ptr, path: Ptr) -> Ptr [suspends];
            fn mesh_rt_file_write(desc: Ptr, path: Ptr, contents: Ptr) -> Ptr [suspends];
            fn mesh_rt_file_append(desc: Ptr, path: Ptr, contents: Ptr) -> Ptr [suspends];
            fn mesh_rt_file_exists(path: Ptr) -> Bool;
            fn mesh_rt_file_delete(desc: Ptr, path: Ptr) -> Ptr;
            // ---- stdlib: Json decoding and string collections (stdlib spec §11.1)
            fn mesh_rt_json_get_nested(text: Ptr, k1: Ptr, k2: Ptr) -> Ptr;
            fn mesh_rt_json_parse(desc: Ptr, text: Ptr) -> Ptr;
            fn mesh_rt_json_encode_map(desc: Ptr, map: Ptr) -> Ptr;
            fn mesh_rt_json_encode_list(list: Ptr) -> Ptr;
            fn mesh_rt_json_decode(desc: Ptr, text: Ptr) -> Ptr [internal];
            fn mesh_rt_row_decode(desc: Ptr, map_desc: Ptr, row: Ptr) -> Ptr [internal];
            // ---- stdlib: DateTime (stdlib spec §13); a DateTime is Unix milliseconds
            fn mesh_rt_datetime_utc_now() -> I64;
            fn mesh_rt_datetime_to_iso8601(dt: I64) -> Ptr;
            fn mesh_rt_datetime_from_iso8601(desc: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_datetime_to_unix_ms(dt: I64) -> I64;
            fn mesh_rt_datetime_from_unix_ms(desc: Ptr, ms: I64) -> Ptr;
            fn mesh_rt_datetime_to_unix_secs(dt: I64) -> I64;
            fn mesh_rt_datetime_from_unix_secs(desc: Ptr, secs: I64) -> Ptr;
            fn mesh_rt_datetime_add(dt: I64, n: I64, unit: Ptr) -> I64;
            fn mesh_rt_datetime_diff(a: I64, b: I64, unit: Ptr) -> F64;
            fn mesh_rt_datetime_is_before(a: I64, b: I64) -> Bool;
            fn mesh_rt_datetime_is_after(a: I64, b: I64) -> Bool;
            // ---- stdlib: Crypto, Base64, Hex (stdlib spec §14)
            fn mesh_rt_crypto_sha256(s: Ptr) -> Ptr;
            fn mesh_rt_crypto_sha512(s: Ptr) -> Ptr;
            fn mesh_rt_crypto_hmac_sha256(key: Ptr, msg: Ptr) -> Ptr;
            fn mesh_rt_crypto_hmac_sha512(key: Ptr, msg: Ptr) -> Ptr;
            fn mesh_rt_crypto_secure_compare(a: Ptr, b: Ptr) -> Bool;
            fn mesh_rt_crypto_uuid4() -> Ptr;
            fn mesh_rt_base64_encode(s: Ptr) -> Ptr;
            fn mesh_rt_base64_decode(desc: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_base64_encode_url(s: Ptr) -> Ptr;
            fn mesh_rt_base64_decode_url(desc: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_hex_encode(s: Ptr) -> Ptr;
            fn mesh_rt_hex_decode(desc: Ptr, s: Ptr) -> Ptr;
            // ---- stdlib: Regex (stdlib spec §15); a Regex is the string of its source
            fn mesh_rt_regex_compile(desc: Ptr, pattern: Ptr) -> Ptr;
            fn mesh_rt_regex_is_match(regex: Ptr, s: Ptr) -> Bool;
            fn mesh_rt_regex_captures(desc: Ptr, regex: Ptr, s: Ptr) -> Ptr;
            fn mesh_rt_regex_replace(regex: Ptr, s: Ptr, replacement: Ptr) -> Ptr;
            fn mesh_rt_regex_split(desc: Ptr, regex: Ptr, s: Ptr) -> Ptr;
            // ---- HTTP client (stdlib spec §19); HttpRequest, HttpClient and StreamHandle are
            // opaque strings, HttpResponse a pre-declared struct. send, send_with, get and post
            // park the calling process while the request is in flight (attribute `suspends`).
            fn mesh_rt_http_build(method: Ptr, url: Ptr) -> Ptr;
            fn mesh_rt_http_header(req: Ptr, name: Ptr, value: Ptr) -> Ptr;
            fn mesh_rt_http_body(req: Ptr, body: Ptr) -> Ptr;
            fn mesh_rt_http_json(req: Ptr, body: Ptr) -> Ptr;
            fn mesh_rt_http_query(req: Ptr, name: Ptr, value: Ptr) -> Ptr;
            fn mesh_rt_http_timeout(req: Ptr, ms: I64) -> Ptr;
            fn mesh_rt_http_send(desc: Ptr, req: Ptr) -> Ptr [suspends];
            fn mesh_rt_http_client() -> Ptr;
            fn mesh_rt_http_send_with(desc: Ptr, client: Ptr, req: Ptr) -> Ptr [suspends];
            fn mesh_rt_http_client_close(client: Ptr) -> Void;
            fn mesh_rt_http_stream(req: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_http_stream_bytes(req: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_http_cancel(handle: Ptr) -> Void;
            fn mesh_rt_http_get(desc: Ptr, url: Ptr) -> Ptr [suspends];
            fn mesh_rt_http_post(desc: Ptr, url: Ptr, body: Ptr) -> Ptr [suspends];
            // ---- stdlib: Tuple, Range, Queue (stdlib spec §9); a Queue is a List
            fn mesh_rt_tuple_first(desc: Ptr, ret_desc: Ptr, t: I64) -> I64;
            fn mesh_rt_tuple_second(desc: Ptr, ret_desc: Ptr, t: I64) -> I64;
            fn mesh_rt_tuple_nth(desc: Ptr, ret_desc: Ptr, t: I64, i: I64) -> I64;
            fn mesh_rt_tuple_size(desc: Ptr, t: I64) -> I64;
            fn mesh_rt_range_new(desc: Ptr, start: I64, end: I64) -> Ptr;
            fn mesh_rt_range_length(r: Ptr) -> I64;
            fn mesh_rt_range_to_list(desc: Ptr, r: Ptr) -> Ptr;
            fn mesh_rt_range_map(desc: Ptr, r: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_range_filter(desc: Ptr, r: Ptr, pred: Ptr) -> Ptr;
            fn mesh_rt_queue_peek(q: Ptr) -> I64;
            fn mesh_rt_queue_pop(desc: Ptr, q: Ptr) -> Ptr;
            // ---- lists (stdlib spec §6; descriptors first, value words as I64)
            fn mesh_rt_list_new(desc: Ptr) -> Ptr;
            fn mesh_rt_list_from(desc: Ptr, words: Ptr, len: I64) -> Ptr [internal];
            fn mesh_rt_list_range(desc: Ptr, start: I64, end: I64) -> Ptr;
            fn mesh_rt_list_length(list: Ptr) -> I64;
            fn mesh_rt_list_is_empty(list: Ptr) -> Bool;
            fn mesh_rt_list_get(list: Ptr, index: I64) -> I64;
            fn mesh_rt_list_get_opt(option_desc: Ptr, list: Ptr, index: I64) -> Ptr;
            fn mesh_rt_list_head(list: Ptr) -> I64;
            fn mesh_rt_list_last(list: Ptr) -> I64;
            fn mesh_rt_list_tail(desc: Ptr, list: Ptr) -> Ptr;
            fn mesh_rt_list_append(desc: Ptr, list: Ptr, value: I64) -> Ptr;
            fn mesh_rt_list_prepend(desc: Ptr, list: Ptr, value: I64) -> Ptr;
            fn mesh_rt_list_concat(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_list_reverse(desc: Ptr, list: Ptr) -> Ptr;
            fn mesh_rt_list_slice(desc: Ptr, list: Ptr, start: I64, end: I64) -> Ptr;
            fn mesh_rt_list_take(desc: Ptr, list: Ptr, n: I64) -> Ptr;
            fn mesh_rt_list_drop(desc: Ptr, list: Ptr, n: I64) -> Ptr;
            fn mesh_rt_list_contains(desc: Ptr, list: Ptr, value: I64) -> Bool;
            fn mesh_rt_list_index_of(desc: Ptr, list: Ptr, value: I64) -> I64;
            fn mesh_rt_list_sort(desc: Ptr, list: Ptr, cmp: Ptr) -> Ptr;
            fn mesh_rt_list_sort_natural(desc: Ptr, list: Ptr) -> Ptr [internal];
            fn mesh_rt_list_map(desc: Ptr, list: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_list_filter(desc: Ptr, list: Ptr, pred: Ptr) -> Ptr;
            fn mesh_rt_list_reduce(list: Ptr, init: I64, f: Ptr) -> I64;
            fn mesh_rt_list_each(list: Ptr, f: Ptr) -> Void;
            fn mesh_rt_list_any(list: Ptr, pred: Ptr) -> Bool;
            fn mesh_rt_list_all(list: Ptr, pred: Ptr) -> Bool;
            fn mesh_rt_list_find(option_desc: Ptr, list: Ptr, pred: Ptr) -> Ptr;
            fn mesh_rt_list_flat_map(desc: Ptr, list: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_list_flatten(desc: Ptr, lists: Ptr) -> Ptr;
            fn mesh_rt_list_zip(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_list_enumerate(desc: Ptr, list: Ptr) -> Ptr;
            fn mesh_rt_list_join(list: Ptr, sep: Ptr) -> Ptr;
            // ---- lazy iterators and collectors (stdlib spec §10; descriptors first)
            fn mesh_rt_iter_from(desc: Ptr, list: Ptr) -> Ptr;
            fn mesh_rt_iter_map(desc: Ptr, it: Ptr, f: Ptr) -> Ptr;
            fn mesh_rt_iter_filter(desc: Ptr, it: Ptr, pred: Ptr) -> Ptr;
            fn mesh_rt_iter_take(desc: Ptr, it: Ptr, n: I64) -> Ptr;
            fn mesh_rt_iter_skip(desc: Ptr, it: Ptr, n: I64) -> Ptr;
            fn mesh_rt_iter_enumerate(desc: Ptr, it: Ptr) -> Ptr;
            fn mesh_rt_iter_zip(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_iter_count(it: Ptr) -> I64;
            fn mesh_rt_iter_sum(it: Ptr) -> I64;
            fn mesh_rt_iter_any(it: Ptr, pred: Ptr) -> Bool;
            fn mesh_rt_iter_all(it: Ptr, pred: Ptr) -> Bool;
            fn mesh_rt_iter_find(option_desc: Ptr, it: Ptr, pred: Ptr) -> Ptr;
            fn mesh_rt_iter_reduce(it: Ptr, init: I64, f: Ptr) -> I64;
            fn mesh_rt_iter_collect_list(desc: Ptr, it: Ptr) -> Ptr;
            fn mesh_rt_iter_collect_map(desc: Ptr, it: Ptr) -> Ptr;
            fn mesh_rt_iter_collect_set(desc: Ptr, it: Ptr) -> Ptr;
            fn mesh_rt_iter_collect_string(it: Ptr) -> Ptr;
            // `for x in it`: pull, then test whether that pull found nothing
            fn mesh_rt_iter_next(it: Ptr) -> I64 [internal];
            fn mesh_rt_iter_is_done(it: Ptr) -> Bool [internal];
            // ---- maps (stdlib spec §7); slots also iterate sets
            fn mesh_rt_map_new(desc: Ptr) -> Ptr;
            fn mesh_rt_map_from(desc: Ptr, keys: Ptr, values: Ptr, len: I64) -> Ptr [internal];
            fn mesh_rt_map_from_list(desc: Ptr, pairs: Ptr) -> Ptr;
            fn mesh_rt_map_put(desc: Ptr, map: Ptr, key: I64, value: I64) -> Ptr;
            fn mesh_rt_map_get(desc: Ptr, map: Ptr, key: I64) -> I64;
            fn mesh_rt_map_get_opt(desc: Ptr, option_desc: Ptr, map: Ptr, key: I64) -> Ptr;
            fn mesh_rt_map_has_key(desc: Ptr, map: Ptr, key: I64) -> Bool;
            fn mesh_rt_map_delete(desc: Ptr, map: Ptr, key: I64) -> Ptr;
            fn mesh_rt_map_size(map: Ptr) -> I64;
            fn mesh_rt_map_keys(desc: Ptr, list_desc: Ptr, map: Ptr) -> Ptr;
            fn mesh_rt_map_values(desc: Ptr, list_desc: Ptr, map: Ptr) -> Ptr;
            fn mesh_rt_map_to_list(desc: Ptr, list_desc: Ptr, map: Ptr) -> Ptr;
            fn mesh_rt_map_merge(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_map_slots(map: Ptr) -> I64 [internal];
            fn mesh_rt_map_slot_live(map: Ptr, slot: I64) -> Bool [internal];
            fn mesh_rt_map_slot_key(desc: Ptr, map: Ptr, slot: I64) -> I64 [internal];
            fn mesh_rt_map_slot_value(desc: Ptr, map: Ptr, slot: I64) -> I64 [internal];
            // ---- sets (stdlib spec §8)
            fn mesh_rt_set_new(desc: Ptr) -> Ptr;
            fn mesh_rt_set_from(desc: Ptr, words: Ptr, len: I64) -> Ptr [internal];
            fn mesh_rt_set_from_list(desc: Ptr, list: Ptr) -> Ptr;
            fn mesh_rt_set_add(desc: Ptr, set: Ptr, value: I64) -> Ptr;
            fn mesh_rt_set_remove(desc: Ptr, set: Ptr, value: I64) -> Ptr;
            fn mesh_rt_set_contains(desc: Ptr, set: Ptr, value: I64) -> Bool;
            fn mesh_rt_set_size(set: Ptr) -> I64;
            fn mesh_rt_set_union(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_set_intersection(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_set_difference(desc: Ptr, a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_set_to_list(desc: Ptr, list_desc: Ptr, set: Ptr) -> Ptr;
            fn mesh_rt_set_slot_value(desc: Ptr, set: Ptr, slot: I64) -> I64 [internal];
            // ---- generic values (any type, by its descriptor)
            fn mesh_rt_value_eq(desc: Ptr, a: I64, b: I64) -> Bool [internal];
            fn mesh_rt_value_compare(desc: Ptr, a: I64, b: I64) -> I64 [internal];
            fn mesh_rt_value_hash(desc: Ptr, value: I64) -> I64 [internal];
            fn mesh_rt_value_to_string(desc: Ptr, value: I64) -> Ptr [internal];
            fn mesh_rt_value_inspect(desc: Ptr, value: I64) -> Ptr [internal];
            // ---- HTTP server (stdlib spec §18; libmesh_rt/src/abi/http.rs). Only
            // mesh_rt_http_serve(_tls) suspends (it runs the accept loop on the calling process),
            // and only serve calls back into Mesh code (in other processes).
            fn mesh_rt_http_router() -> Ptr;
            fn mesh_rt_http_route(router: Ptr, pattern: Ptr, handler: Ptr) -> Ptr;
            fn mesh_rt_http_on_get(router: Ptr, pattern: Ptr, handler: Ptr) -> Ptr;
            fn mesh_rt_http_on_post(router: Ptr, pattern: Ptr, handler: Ptr) -> Ptr;
            fn mesh_rt_http_on_put(router: Ptr, pattern: Ptr, handler: Ptr) -> Ptr;
            fn mesh_rt_http_on_delete(router: Ptr, pattern: Ptr, handler: Ptr) -> Ptr;
            fn mesh_rt_http_use(router: Ptr, mw: Ptr) -> Ptr;
            fn mesh_rt_http_response(status: I64, body: Ptr) -> Ptr;
            fn mesh_rt_http_response_with_headers(desc: Ptr, status: I64, body: Ptr, headers: Ptr) -> Ptr;
            fn mesh_rt_http_serve(router: Ptr, port: I64) -> Void [suspends];
            fn mesh_rt_http_serve_tls(router: Ptr, port: I64, cert_pem_path: Ptr, key_pem_path: Ptr) -> Void [suspends];
            fn mesh_rt_request_method(req: Ptr) -> Ptr;
            fn mesh_rt_request_path(req: Ptr) -> Ptr;
            fn mesh_rt_request_body(req: Ptr) -> Ptr;
            fn mesh_rt_request_header(desc: Ptr, req: Ptr, name: Ptr) -> Ptr;
            fn mesh_rt_request_query(desc: Ptr, req: Ptr, name: Ptr) -> Ptr;
            fn mesh_rt_request_param(desc: Ptr, req: Ptr, name: Ptr) -> Ptr;
            // ---- sqlite (stdlib spec §21–§22): a SqliteConn is an Int handle
            fn mesh_rt_sqlite_open(desc: Ptr, path: Ptr) -> Ptr [suspends];
            fn mesh_rt_sqlite_close(db: I64) -> Void [suspends];
            fn mesh_rt_sqlite_execute(desc: Ptr, db: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_sqlite_query(desc: Ptr, db: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_sqlite_begin(desc: Ptr, db: I64) -> Ptr [suspends];
            fn mesh_rt_sqlite_commit(desc: Ptr, db: I64) -> Ptr [suspends];
            fn mesh_rt_sqlite_rollback(desc: Ptr, db: I64) -> Ptr [suspends];
            // ---- postgresql (stdlib spec §21, §23; libmesh_rt/src/abi/pg.rs). Handles are Int ids.
            fn mesh_rt_pg_connect(desc: Ptr, url: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_close(conn: I64) -> Void [suspends];
            fn mesh_rt_pg_execute(desc: Ptr, conn: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_query(desc: Ptr, conn: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_query_as(desc: Ptr, conn: I64, sql: Ptr, params: Ptr, from_row: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_begin(desc: Ptr, conn: I64) -> Ptr [suspends];
            fn mesh_rt_pg_commit(desc: Ptr, conn: I64) -> Ptr [suspends];
            fn mesh_rt_pg_rollback(desc: Ptr, conn: I64) -> Ptr [suspends];
            fn mesh_rt_pg_transaction(desc: Ptr, conn: I64, f: Ptr) -> Ptr [suspends];
            fn mesh_rt_pool_open(desc: Ptr, url: Ptr, min: I64, max: I64, timeout_ms: I64) -> Ptr [suspends];
            fn mesh_rt_pool_execute(desc: Ptr, pool: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_pool_query(desc: Ptr, pool: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_pool_query_as(desc: Ptr, pool: I64, sql: Ptr, params: Ptr, from_row: Ptr) -> Ptr [suspends];
            fn mesh_rt_pool_checkout(desc: Ptr, pool: I64) -> Ptr [suspends];
            fn mesh_rt_pool_checkin(pool: I64, conn: I64) -> Void [suspends];
            fn mesh_rt_pool_close(pool: I64) -> Void [suspends];
            // ---- query builder (stdlib spec §24–§26; libmesh_rt/src/abi/query.rs). Query and
            // Expr are strings encoding their builder calls (ARCHITECTURE.md "Databases").
            fn mesh_rt_query_from(table: Ptr) -> Ptr;
            fn mesh_rt_query_select(q: Ptr, fields: Ptr) -> Ptr;
            fn mesh_rt_query_select_raw(q: Ptr, exprs: Ptr) -> Ptr;
            fn mesh_rt_query_select_expr(q: Ptr, e: Ptr) -> Ptr;
            fn mesh_rt_query_select_exprs(q: Ptr, es: Ptr) -> Ptr;
            fn mesh_rt_query_select_count(q: Ptr) -> Ptr;
            fn mesh_rt_query_select_count_field(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_select_sum(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_select_avg(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_select_min(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_select_max(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_where(q: Ptr, field: Ptr, value: Ptr) -> Ptr;
            fn mesh_rt_query_where_op(q: Ptr, field: Ptr, op: Ptr, value: Ptr) -> Ptr;
            fn mesh_rt_query_where_in(q: Ptr, field: Ptr, values: Ptr) -> Ptr;
            fn mesh_rt_query_where_not_in(q: Ptr, field: Ptr, values: Ptr) -> Ptr;
            fn mesh_rt_query_where_between(q: Ptr, field: Ptr, low: Ptr, high: Ptr) -> Ptr;
            fn mesh_rt_query_where_null(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_where_not_null(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_where_or(q: Ptr, fields: Ptr, values: Ptr) -> Ptr;
            fn mesh_rt_query_where_expr(q: Ptr, e: Ptr) -> Ptr;
            fn mesh_rt_query_where_raw(q: Ptr, clause: Ptr, params: Ptr) -> Ptr;
            fn mesh_rt_query_where_sub(q: Ptr, field: Ptr, sub: Ptr) -> Ptr;
            fn mesh_rt_query_order_by(q: Ptr, field: Ptr, dir: Ptr) -> Ptr;
            fn mesh_rt_query_order_by_raw(q: Ptr, expr: Ptr) -> Ptr;
            fn mesh_rt_query_limit(q: Ptr, n: I64) -> Ptr;
            fn mesh_rt_query_offset(q: Ptr, n: I64) -> Ptr;
            fn mesh_rt_query_join(q: Ptr, kind: Ptr, table: Ptr, on: Ptr) -> Ptr;
            fn mesh_rt_query_join_as(q: Ptr, kind: Ptr, table: Ptr, alias: Ptr, on: Ptr) -> Ptr;
            fn mesh_rt_query_group_by(q: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_query_group_by_raw(q: Ptr, expr: Ptr) -> Ptr;
            fn mesh_rt_query_having(q: Ptr, clause: Ptr, value: Ptr) -> Ptr;
            fn mesh_rt_query_fragment(q: Ptr, sql: Ptr, params: Ptr) -> Ptr;
            fn mesh_rt_expr_column(name: Ptr) -> Ptr;
            fn mesh_rt_expr_value(v: Ptr) -> Ptr;
            fn mesh_rt_expr_null() -> Ptr;
            fn mesh_rt_expr_call(name: Ptr, args: Ptr) -> Ptr;
            fn mesh_rt_expr_add(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_sub(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_mul(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_div(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_eq(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_neq(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_lt(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_lte(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_gt(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_gte(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_expr_case(conds: Ptr, results: Ptr, else_: Ptr) -> Ptr;
            fn mesh_rt_expr_coalesce(es: Ptr) -> Ptr;
            fn mesh_rt_expr_excluded(column: Ptr) -> Ptr;
            fn mesh_rt_expr_label(e: Ptr, name: Ptr) -> Ptr;
            fn mesh_rt_expr_cast(e: Ptr, sql_type: Ptr) -> Ptr;
            fn mesh_rt_expr_text(e: Ptr) -> Ptr;
            fn mesh_rt_expr_uuid(e: Ptr) -> Ptr;
            fn mesh_rt_expr_int(e: Ptr) -> Ptr;
            fn mesh_rt_expr_jsonb(e: Ptr) -> Ptr;
            fn mesh_rt_expr_timestamptz(e: Ptr) -> Ptr;
            fn mesh_rt_expr_gen_salt(algorithm: Ptr, rounds: I64) -> Ptr;
            fn mesh_rt_expr_crypt(password: Ptr, salt: Ptr) -> Ptr;
            fn mesh_rt_expr_to_tsvector(config: Ptr, e: Ptr) -> Ptr;
            fn mesh_rt_expr_plainto_tsquery(config: Ptr, e: Ptr) -> Ptr;
            fn mesh_rt_expr_ts_rank(vector: Ptr, query: Ptr) -> Ptr;
            fn mesh_rt_expr_tsvector_matches(vector: Ptr, query: Ptr) -> Ptr;
            fn mesh_rt_expr_jsonb_contains(a: Ptr, b: Ptr) -> Ptr;
            // ---- Repo (stdlib spec §26; libmesh_rt/src/abi/repo.rs, transaction in abi/pg.rs)
            fn mesh_rt_repo_all(desc: Ptr, pool: I64, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_one(desc: Ptr, pool: I64, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_get(desc: Ptr, pool: I64, table: Ptr, id: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_get_by(desc: Ptr, pool: I64, table: Ptr, field: Ptr, value: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_count(desc: Ptr, pool: I64, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_exists(desc: Ptr, pool: I64, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_insert(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, fields: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_insert_expr(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, fields: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_update(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, id: Ptr, fields: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_update_where(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, fields: Ptr, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_update_where_expr(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, fields: Ptr, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_delete(desc: Ptr, pool: I64, table: Ptr, id: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_delete_where(desc: Ptr, pool: I64, table: Ptr, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_delete_where_returning(desc: Ptr, pool: I64, table: Ptr, q: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_insert_or_update(desc: Ptr, map_desc: Ptr, pool: I64, table: Ptr, fields: Ptr, conflict: Ptr, update: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_insert_or_update_expr(desc: Ptr, map_desc: Ptr, update_desc: Ptr, pool: I64, table: Ptr, fields: Ptr, conflict: Ptr, update: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_query_raw(desc: Ptr, pool: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_execute_raw(desc: Ptr, pool: I64, sql: Ptr, params: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_transaction(desc: Ptr, pool: I64, f: Ptr) -> Ptr [suspends];
            // ---- migrations (stdlib spec §27, tooling §6.2; libmesh_rt/src/abi/migration.rs)
            fn mesh_rt_migration_create_table(desc: Ptr, pool: I64, table: Ptr, columns: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_drop_table(desc: Ptr, pool: I64, table: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_add_column(desc: Ptr, pool: I64, table: Ptr, def: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_drop_column(desc: Ptr, pool: I64, table: Ptr, column: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_rename_column(desc: Ptr, pool: I64, table: Ptr, old: Ptr, new: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_create_index(desc: Ptr, pool: I64, table: Ptr, columns: Ptr, options: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_drop_index(desc: Ptr, pool: I64, table: Ptr, columns: Ptr) -> Ptr [suspends];
            fn mesh_rt_migration_execute(desc: Ptr, pool: I64, sql: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_create_extension(desc: Ptr, pool: I64, name: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_create_gin_index(desc: Ptr, pool: I64, table: Ptr, index: Ptr, column: Ptr, opclass: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_create_range_partitioned_table(desc: Ptr, pool: I64, table: Ptr, columns: Ptr, partition_column: Ptr) -> Ptr [suspends];
            fn mesh_rt_pg_create_daily_partitions_ahead(desc: Ptr, pool: I64, parent: Ptr, days: I64) -> Ptr [suspends];
            fn mesh_rt_pg_list_daily_partitions_before(desc: Ptr, pool: I64, parent: Ptr, max_days: I64) -> Ptr [suspends];
            fn mesh_rt_pg_drop_partition(desc: Ptr, pool: I64, name: Ptr) -> Ptr [suspends];
            // The generated `main` of a migration program (meshc/driver/src/migration.rs).
            fn mesh_rt_migrate_run(version: I64, name: Ptr, no_transaction: Bool, up: Bool, f: Ptr) -> Void [suspends, internal];
            // ---- Changeset (stdlib spec §28.3; libmesh_rt/src/abi/changeset.rs): a Changeset is
            // a string holding its encoded data, changes and errors
            fn mesh_rt_changeset_cast(data_desc: Ptr, params_desc: Ptr, data: Ptr, params: Ptr, allowed: Ptr) -> Ptr;
            fn mesh_rt_changeset_cast_with_types(data_desc: Ptr, params_desc: Ptr, data: Ptr, params: Ptr, allowed: Ptr, field_types: Ptr) -> Ptr;
            fn mesh_rt_changeset_validate_required(cs: Ptr, fields: Ptr) -> Ptr;
            fn mesh_rt_changeset_validate_length(cs: Ptr, field: Ptr, min: I64, max: I64) -> Ptr;
            fn mesh_rt_changeset_validate_format(cs: Ptr, field: Ptr, needle: Ptr) -> Ptr;
            fn mesh_rt_changeset_validate_inclusion(cs: Ptr, field: Ptr, allowed: Ptr) -> Ptr;
            fn mesh_rt_changeset_validate_number(cs: Ptr, field: Ptr, gt: I64, lt: I64, gte: I64, lte: I64) -> Ptr;
            fn mesh_rt_changeset_valid(cs: Ptr) -> Bool;
            fn mesh_rt_changeset_errors(desc: Ptr, cs: Ptr) -> Ptr;
            fn mesh_rt_changeset_changes(desc: Ptr, cs: Ptr) -> Ptr;
            fn mesh_rt_changeset_get_change(cs: Ptr, field: Ptr) -> Ptr;
            fn mesh_rt_changeset_get_error(cs: Ptr, field: Ptr) -> Ptr;
            // ---- Orm (stdlib spec §28.4; libmesh_rt/src/abi/orm.rs): SQL text only
            fn mesh_rt_orm_build_select(table: Ptr, columns: Ptr, wheres: Ptr, order_by: Ptr, limit: I64, offset: I64) -> Ptr;
            fn mesh_rt_orm_build_insert(table: Ptr, columns: Ptr, returning: Ptr) -> Ptr;
            fn mesh_rt_orm_build_update(table: Ptr, set_columns: Ptr, wheres: Ptr, returning: Ptr) -> Ptr;
            fn mesh_rt_orm_build_delete(table: Ptr, wheres: Ptr, returning: Ptr) -> Ptr;
            // ---- Repo rows that need §28 (stdlib spec §26; libmesh_rt/src/abi/repo.rs)
            fn mesh_rt_repo_insert_changeset(desc: Ptr, pool: I64, table: Ptr, cs: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_update_changeset(desc: Ptr, pool: I64, table: Ptr, id: Ptr, cs: Ptr) -> Ptr [suspends];
            fn mesh_rt_repo_preload(desc: Ptr, rows_desc: Ptr, pool: I64, rows: Ptr, assocs: Ptr, relationships: Ptr) -> Ptr [suspends];
        }
    };
}

macro_rules! build_table {
    ($(
        fn $name:ident($($arg:ident: $ty:ident),*) -> $ret:ident
            $([$($attr:ident $(($value:literal))?),*])?;
    )*) => {
        /// Every runtime function, in table order.
        pub const RUNTIME_FNS: &[RuntimeFn] = &[
            $(RuntimeFn {
                name: stringify!($name),
                params: &[$(AbiTy::$ty),*],
                ret: AbiTy::$ret,
                attrs: Attrs::NONE $($(.$attr($($value)?))*)?,
            },)*
        ];

        /// Symbol names as constants, so the code generator cannot misspell one.
        #[allow(non_upper_case_globals)]
        pub mod names {
            $(pub const $name: &str = stringify!($name);)*
        }
    };
}
runtime_functions!(build_table);

/// Looks a runtime function up by symbol.
pub fn lookup(name: &str) -> Option<&'static RuntimeFn> {
    RUNTIME_FNS.iter().find(|f| f.name == name)
}

/// Supervisor settings as the integers `mesh_rt_supervisor_child` and `mesh_rt_supervisor_run`
/// take (language spec §3.9): sema lowers the written words to them, the runtime reads them
/// back.
pub mod supervisor {
    /// `strategy: one_for_one` (and `simple_one_for_one`): restart the child that ended.
    pub const STRATEGY_ONE_FOR_ONE: i64 = 0;
    /// `strategy: one_for_all`: restart every child.
    pub const STRATEGY_ONE_FOR_ALL: i64 = 1;
    /// `strategy: rest_for_one`: restart the child and those started after it.
    pub const STRATEGY_REST_FOR_ONE: i64 = 2;
    /// `restart: permanent`: always restarted.
    pub const RESTART_PERMANENT: i64 = 0;
    /// `restart: transient`: restarted after a crash only.
    pub const RESTART_TRANSIENT: i64 = 1;
    /// `restart: temporary`: never restarted.
    pub const RESTART_TEMPORARY: i64 = 2;
    /// `shutdown: brutal_kill` (any negative shutdown): killed without a grace period; other
    /// values are the grace period in milliseconds.
    pub const SHUTDOWN_BRUTAL_KILL: i64 = -1;
}

/// Receive deadlines as `mesh_rt_receive_wait` takes them.
pub mod receive {
    /// A `receive` without `after` (any negative deadline): wait forever.
    pub const NO_DEADLINE: i64 = -1;
}

/// Value and heap-object layout shared by codegen and the runtime (ARCHITECTURE.md "Values").
///
/// Every Mesh value is one 64-bit word: `Int` as i64, `Float` as the f64's bits, `Bool` 0/1,
/// `()` 0, every other type a pointer to a heap object. Every heap object starts with a 16-byte
/// header:
///
/// ```text
/// word 0 (meta): bits 0..8 kind | 8..16 flags | 16..24 gc | 24..32 raw-prefix | 32..64 aux (u32)
/// word 1:        STRING and BYTES: the byte length; every other kind: a *const TypeDesc
/// ```
///
/// The kind alone tells the collector which payload words are pointers, so every object is
/// traceable from its header (with its TypeDesc where the kind says so).
pub mod layout {
    pub const HEADER_SIZE: usize = 16;
    pub const KIND_MASK: u64 = 0xff;
    pub const FLAGS_SHIFT: u32 = 8;
    pub const GC_SHIFT: u32 = 16;
    pub const RAW_PREFIX_SHIFT: u32 = 24;
    pub const AUX_SHIFT: u32 = 32;

    /// UTF-8 text: word 1 = byte length, then the bytes. No pointers.
    pub const KIND_STRING: u64 = 1;
    /// Raw bytes: word 1 = byte length, then the bytes. No pointers.
    pub const KIND_BYTES: u64 = 2;
    /// Tuples and structs: aux = field count, word 1 = the TUPLE/STRUCT TypeDesc, then one word
    /// per field; field i is a pointer iff `items[i]` is a heap type.
    pub const KIND_TUPLE: u64 = 3;
    /// A sum-type value: aux = payload field count, word 1 = the SUM TypeDesc, payload word 0 =
    /// the variant tag (index into the SUM's items), then the variant's fields as for tuples
    /// using the CASE desc `items[tag]`.
    pub const KIND_VARIANT: u64 = 4;
    /// A closure: aux = capture count, word 1 = a TUPLE TypeDesc of the captures, payload word
    /// 0 = the code pointer (not traced), then the captured values.
    pub const KIND_CLOSURE: u64 = 5;
    /// An array of values of one type: aux = element count, word 1 = the element TypeDesc,
    /// then the elements (pointers iff the element type is a heap type).
    pub const KIND_ARRAY: u64 = 6;
    /// A runtime-internal node (collections): aux = payload word count, raw-prefix = number of
    /// leading non-pointer words, word 1 = the TypeDesc of the collection it belongs to; every
    /// payload word after the raw prefix is null or a pointer to a heap object.
    pub const KIND_NODE: u64 = 7;

    /// The object is part of the executable's constant data: never freed, never moved.
    pub const FLAG_STATIC: u64 = 1 << FLAGS_SHIFT;

    /// Offset of a string's byte length.
    pub const STRING_LEN_OFFSET: usize = 8;
    /// Offset of a string's first byte.
    pub const STRING_DATA_OFFSET: usize = HEADER_SIZE;
    /// Offset of the first payload word of every other kind.
    pub const PAYLOAD_OFFSET: usize = HEADER_SIZE;

    /// The meta word for an object of `kind` with `aux` and `raw_prefix`.
    pub const fn meta(kind: u64, aux: u32, raw_prefix: u8) -> u64 {
        kind | ((raw_prefix as u64) << RAW_PREFIX_SHIFT) | ((aux as u64) << AUX_SHIFT)
    }

    /// The header word of a string constant emitted by the compiler.
    pub const fn static_string_header() -> u64 {
        KIND_STRING | FLAG_STATIC
    }

    // ---- TypeDesc kinds (`TypeDesc::kind`)
    pub const TY_INT: u32 = 1;
    pub const TY_FLOAT: u32 = 2;
    pub const TY_BOOL: u32 = 3;
    pub const TY_UNIT: u32 = 4;
    pub const TY_STRING: u32 = 5;
    pub const TY_ATOM: u32 = 6;
    pub const TY_PID: u32 = 7;
    /// items = element types.
    pub const TY_TUPLE: u32 = 8;
    /// name = struct name; items = field types; names = field names.
    pub const TY_STRUCT: u32 = 9;
    /// name = type name (`Option`, `Shape`); items = one CASE desc per variant, in order.
    pub const TY_SUM: u32 = 10;
    /// name = variant name; items = payload field types; names = field names or null.
    pub const TY_CASE: u32 = 11;
    /// items[0] = element type.
    pub const TY_LIST: u32 = 12;
    /// items = [key type, value type].
    pub const TY_MAP: u32 = 13;
    /// items[0] = element type.
    pub const TY_SET: u32 = 14;
    /// A closure; not comparable or printable.
    pub const TY_FUN: u32 = 15;
    /// Opaque runtime values (Json, Regex, DateTime, handles); name says which.
    pub const TY_OPAQUE: u32 = 16;

    /// Whether values of a TypeDesc kind are heap pointers (rather than immediate words).
    /// ATOM is an interned string pointer; PID an immediate id; OPAQUE a pointer.
    pub const fn is_heap_kind(kind: u32) -> bool {
        !matches!(kind, TY_INT | TY_FLOAT | TY_BOOL | TY_UNIT | TY_PID)
    }
}

/// A run-time type descriptor, emitted by the compiler as constant data for every type whose
/// values the runtime must compare, hash, print, copy between heaps or serialise
/// (see `layout::TY_*` for what each field means per kind).
#[repr(C)]
#[derive(Debug)]
pub struct TypeDesc {
    pub kind: u32,
    /// Number of entries in `items` (and in `names` when it is not null).
    pub count: u32,
    pub name: StrRef,
    pub items: *const *const TypeDesc,
    pub names: *const StrRef,
    /// The type's user impls, for structs and sum types; all null for other kinds.
    pub user: UserFns,
}

/// The functions generated for a struct's or sum type's user impls (`impl Display`, `Eq`,
/// `Ord`, `Hash`), so the runtime's generic operations use them for values of the type at any
/// depth inside collections. Each is generated code of the C convention taking and returning
/// 64-bit words, or null when the type has no such impl (the structural form is used).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct UserFns {
    /// `fn(value) -> Mesh string`: `Display.to_string`.
    pub display: *const u8,
    /// `fn(a, b) -> Int` (1 when equal, else 0): `Eq.eq`.
    pub eq: *const u8,
    /// `fn(a, b) -> Int` (-1, 0 or 1): `Ord.compare`.
    pub compare: *const u8,
    /// `fn(value) -> Int`: `Hash.hash`.
    pub hash: *const u8,
}

impl UserFns {
    /// No user impls: every operation is structural.
    pub const NONE: UserFns = UserFns {
        display: std::ptr::null(),
        eq: std::ptr::null(),
        compare: std::ptr::null(),
        hash: std::ptr::null(),
    };
}

/// A borrowed UTF-8 string in constant data.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct StrRef {
    pub ptr: *const u8,
    pub len: u64,
}

// SAFETY-free assertions that the layout codegen emits matches these structs.
const _: () = assert!(std::mem::size_of::<TypeDesc>() == 72);
const _: () = assert!(std::mem::size_of::<UserFns>() == 32);
const _: () = assert!(std::mem::size_of::<StrRef>() == 16);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_unique_prefixed_names() {
        let mut seen = std::collections::BTreeSet::new();
        for f in RUNTIME_FNS {
            assert!(f.name.starts_with("mesh_rt_"), "{}", f.name);
            assert!(seen.insert(f.name), "duplicate {}", f.name);
        }
        assert_eq!(
            lookup(names::mesh_rt_string_concat).map(|f| f.params.len()),
            Some(2)
        );
    }

    #[test]
    fn attributes_are_consistent() {
        for f in RUNTIME_FNS {
            let a = f.attrs;
            // A leaf is called without a stack check, so it must return to its caller soon.
            assert!(
                !(a.leaf && a.suspends),
                "{} is a leaf that suspends",
                f.name
            );
            assert!(f.ret != AbiTy::Never || !a.leaf, "{} never returns", f.name);
            // The allocator is called between any two instructions of generated code.
            assert!(!a.alloc || (a.leaf && a.internal), "{} allocates", f.name);
            if let Some(intrinsic) = a.intrinsic {
                assert!(intrinsic.starts_with("llvm."), "{}: {intrinsic}", f.name);
                // Intrinsics are overloaded on one float type: every value is that type.
                assert!(a.leaf && !a.internal, "{} as an intrinsic", f.name);
                assert!(f.params.iter().all(|&p| p == f.ret), "{}", f.name);
                assert_eq!(f.ret, AbiTy::F64, "{}", f.name);
            }
        }
        assert_eq!(
            RUNTIME_FNS.iter().filter(|f| f.attrs.alloc).count(),
            1,
            "one allocator"
        );
    }

    #[test]
    fn attributes_read_from_rows() {
        let sqrt = lookup(names::mesh_rt_math_sqrt).map(|f| f.attrs);
        assert_eq!(
            sqrt,
            Some(Attrs::NONE.leaf().intrinsic("llvm.sqrt")),
            "{sqrt:?}"
        );
        let reply = lookup(names::mesh_rt_service_reply).map(|f| f.attrs);
        assert_eq!(reply, Some(Attrs::NONE.internal()));
        let wait = lookup(names::mesh_rt_receive_wait).map(|f| f.attrs);
        assert_eq!(wait, Some(Attrs::NONE.suspends().internal()));
        assert_eq!(
            lookup(names::mesh_rt_list_map).map(|f| f.attrs),
            Some(Attrs::NONE)
        );
    }

    #[test]
    fn version_symbol_names_the_version() {
        assert_eq!(ABI_VERSION_SYMBOL, format!("mesh_rt_abi_v{ABI_VERSION}"));
        assert_eq!(STACK_LIMIT_SYMBOL, "mesh_rt_stack_limit");
    }
}
