//! Tests of the heap and collector. Tests that must be exact use heaps without a stack base:
//! only explicit roots count there, so nothing on a test thread's stack (which holds stale
//! pointers in dead slots) can retain an object. Tests of stack scanning run on a fresh thread
//! whose stack base is recorded at its top, and assert bounds rather than exact counts.

use super::block::{BLOCK_SIZE, CELLS_OFFSET};
use super::*;
use mesh_rt_abi::layout::{
    self, KIND_ARRAY, KIND_CLOSURE, KIND_NODE, KIND_STRING, KIND_TUPLE, KIND_VARIANT,
};
use mesh_rt_abi::{StrRef, TypeDesc};
use std::hash::{DefaultHasher, Hasher};

// ---- building objects by hand

/// A leaked descriptor of `kind` with `items` (like the compiler's constant data).
fn ty(kind: u32, items: &[*const TypeDesc]) -> *const TypeDesc {
    let list = if items.is_empty() {
        std::ptr::null()
    } else {
        Box::leak(items.to_vec().into_boxed_slice()).as_ptr()
    };
    Box::leak(Box::new(TypeDesc {
        kind,
        count: items.len() as u32,
        name: StrRef {
            ptr: std::ptr::null(),
            len: 0,
        },
        items: list,
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }))
}

fn int() -> *const TypeDesc {
    ty(layout::TY_INT, &[])
}

fn string_ty() -> *const TypeDesc {
    ty(layout::TY_STRING, &[])
}

/// TUPLE (Int, Self): a linked chain.
fn chain_ty() -> *const TypeDesc {
    let d = ty(layout::TY_TUPLE, &[int(), int()]) as *mut TypeDesc;
    let items = Box::leak(vec![int(), d as *const TypeDesc].into_boxed_slice());
    // SAFETY: `d` was just leaked and is not shared yet.
    unsafe { (*d).items = items.as_ptr() };
    d
}

fn string(heap: &mut Heap, text: &str) -> u64 {
    let obj = heap.alloc(16 + text.len());
    // SAFETY: a fresh allocation of the header plus the bytes.
    unsafe {
        (obj as *mut u64).write(KIND_STRING);
        (obj as *mut u64).add(1).write(text.len() as u64);
        std::ptr::copy_nonoverlapping(text.as_ptr(), obj.add(16), text.len());
    }
    obj as u64
}

fn text(s: u64) -> String {
    // SAFETY: tests pass live strings.
    let bytes = unsafe {
        let len = (s as *const u64).add(1).read() as usize;
        std::slice::from_raw_parts((s as *const u8).add(16), len)
    };
    String::from_utf8_lossy(bytes).into_owned()
}

/// An object of `kind` with `aux`, `raw` prefix, word 1 and payload `words`.
fn object(heap: &mut Heap, kind: u64, aux: usize, raw: u8, word1: u64, words: &[u64]) -> u64 {
    let obj = heap.alloc(16 + 8 * words.len()) as *mut u64;
    // SAFETY: a fresh allocation of the header plus the words.
    unsafe {
        obj.write(layout::meta(kind, aux as u32, raw));
        obj.add(1).write(word1);
        std::ptr::copy_nonoverlapping(words.as_ptr(), obj.add(2), words.len());
    }
    obj as u64
}

fn payload(obj: u64, i: usize) -> u64 {
    // SAFETY: tests read payload words of objects they built.
    unsafe { (obj as *const u64).add(2 + i).read() }
}

fn hash_str(h: &mut DefaultHasher, s: u64) {
    h.write(text(s).as_bytes());
}

/// Builds an ARRAY of `n` tuples (Int, String, Shape) where Shape is a variant `Named(String,
/// Int)`, plus a NODE and a CLOSURE reaching more strings; returns a TUPLE of the three.
fn build_graph(heap: &mut Heap, n: usize) -> u64 {
    let named = ty(layout::TY_CASE, &[string_ty(), int()]);
    let shape = ty(layout::TY_SUM, &[ty(layout::TY_CASE, &[]), named]);
    let row = ty(layout::TY_TUPLE, &[int(), string_ty(), shape]);
    let mut rows = Vec::new();
    for i in 0..n {
        let name = string(heap, &format!("row {i}"));
        let label = string(heap, &"x".repeat(i % 50));
        let v = object(
            heap,
            KIND_VARIANT,
            2,
            0,
            shape as u64,
            &[1, label, i as u64 * 3],
        );
        rows.push(object(
            heap,
            KIND_TUPLE,
            3,
            0,
            row as u64,
            &[i as u64, name, v],
        ));
    }
    // `rows` lives in a Vec, so build the array before any collection (none happens here:
    // test heaps collect only when asked).
    let array = object(heap, KIND_ARRAY, n, 0, row as u64, &rows);
    let a = string(heap, "node child a");
    let b = string(heap, "node child b");
    let node = object(heap, KIND_NODE, 4, 2, 0, &[7, 8, a, b]);
    let captured = string(heap, "captured");
    let captures = ty(layout::TY_TUPLE, &[string_ty(), int()]);
    let closure = object(
        heap,
        KIND_CLOSURE,
        2,
        0,
        captures as u64,
        &[0x1234, captured, 42],
    );
    let top = ty(layout::TY_TUPLE, &[string_ty(), string_ty(), string_ty()]);
    object(heap, KIND_TUPLE, 3, 0, top as u64, &[array, node, closure])
}

/// A digest of everything `build_graph` built, read back through the objects.
fn digest(top: u64) -> u64 {
    let mut h = DefaultHasher::new();
    let (array, node, closure) = (payload(top, 0), payload(top, 1), payload(top, 2));
    // SAFETY: `array` is an ARRAY built by `build_graph`.
    let n = (unsafe { (array as *const u64).read() } >> 32) as usize;
    for i in 0..n {
        let row = payload(array, i);
        h.write_u64(payload(row, 0));
        hash_str(&mut h, payload(row, 1));
        let v = payload(row, 2);
        h.write_u64(payload(v, 0));
        hash_str(&mut h, payload(v, 1));
        h.write_u64(payload(v, 2));
    }
    h.write_u64(payload(node, 0) + payload(node, 1));
    hash_str(&mut h, payload(node, 2));
    hash_str(&mut h, payload(node, 3));
    hash_str(&mut h, payload(closure, 1));
    h.write_u64(payload(closure, 2));
    h.finish()
}

/// Allocates `n` strings nobody keeps.
#[inline(never)]
fn garbage(heap: &mut Heap, n: usize) {
    for i in 0..n {
        string(heap, &format!("garbage {i:>30}"));
    }
}

/// Runs `f` on a fresh thread with a heap whose stack base is that thread's top frame.
fn on_stack_heap<R: Send + 'static>(f: impl FnOnce(&mut Heap) -> R + Send + 'static) -> R {
    let thread = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let base = 0u64;
            let mut heap = Heap::new("test");
            heap.set_stack_base(std::ptr::addr_of!(base) as usize);
            // Through a frame that cannot be inlined here: `f`'s locals must lie below `base`.
            let f: Box<dyn FnOnce(&mut Heap) -> R> = Box::new(f);
            let result = run_below(&mut heap, f);
            std::hint::black_box(&base);
            result
        });
    match thread.map(|t| t.join()) {
        Ok(Ok(result)) => result,
        _ => panic!("test thread failed"),
    }
}

#[inline(never)]
fn run_below<R>(heap: &mut Heap, f: Box<dyn FnOnce(&mut Heap) -> R>) -> R {
    std::hint::black_box(f)(heap)
}

/// Whether `obj` is an allocated object of `heap` (test-only view of the bitmaps).
fn is_allocated(heap: &Heap, obj: u64) -> bool {
    let base = obj as usize & !(BLOCK_SIZE - 1);
    if !heap.set.contains(base) {
        return heap
            .large
            .range()
            .is_some_and(|(lo, hi)| (lo..hi).contains(&(obj as usize)));
    }
    // SAFETY: `base` is one of the heap's blocks.
    let block = unsafe { &*(base as *const block::Block) };
    let index = (obj as usize - base - CELLS_OFFSET) / block.cell_size as usize;
    block.alloc[index / 64] & (1 << (index % 64)) != 0
}

// ---- tests

#[test]
fn allocations_are_aligned_and_distinct() {
    let a = alloc(3) as usize;
    let b = alloc(17) as usize;
    let big = alloc(1 << 20) as usize;
    assert_eq!((a % 8, b % 8, big % 8), (0, 0, 0));
    assert!(a != b && b != big);
}

#[test]
fn freed_cells_are_reused_without_growing() {
    let mut heap = Heap::new("test");
    let first: Vec<u64> = (0..2000)
        .map(|i| string(&mut heap, &format!("{i:>20}")))
        .collect();
    let footprint = heap.footprint();
    heap.collect();
    assert_eq!(heap.stats().freed, heap.stats().allocated);
    let second: Vec<u64> = (0..2000)
        .map(|i| string(&mut heap, &format!("{i:>20}")))
        .collect();
    assert_eq!(heap.footprint(), footprint);
    let mut a = first.clone();
    let mut b = second.clone();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "the second round reuses exactly the freed cells");
}

#[test]
fn rooted_values_keep_their_contents_across_many_collections() {
    let mut heap = Heap::new("test");
    let top = build_graph(&mut heap, 300);
    let before = digest(top);
    let root = heap.add_root(top);
    heap.collect();
    let live = heap.stats().live;
    for round in 0..100 {
        garbage(&mut heap, 500);
        let _churn = build_graph(&mut heap, round % 7);
        heap.collect();
        assert_eq!(
            heap.stats().live,
            live,
            "precise tracing keeps exactly the graph"
        );
    }
    assert_eq!(digest(heap.root(root)), before);
    assert_eq!(heap.stats().collections, 101);
    heap.remove_root(root);
    heap.collect();
    assert_eq!(heap.stats().live, 0);
    assert_eq!(heap.stats().freed, heap.stats().allocated);
}

#[test]
fn int_fields_that_look_like_pointers_retain_nothing() {
    let mut heap = Heap::new("test");
    let victim = string(&mut heap, "looks referenced");
    let pair = ty(layout::TY_TUPLE, &[int(), int()]);
    let holder = object(
        &mut heap,
        KIND_TUPLE,
        2,
        0,
        pair as u64,
        &[victim, victim + 8],
    );
    let raw = object(&mut heap, KIND_NODE, 2, 2, 0, &[victim, 0]);
    let a = heap.add_root(holder);
    let b = heap.add_root(raw);
    heap.collect();
    assert!(is_allocated(&heap, holder) && is_allocated(&heap, raw));
    assert!(!is_allocated(&heap, victim));
    heap.remove_root(a);
    heap.remove_root(b);
}

#[test]
fn a_million_deep_chain_is_marked_without_recursion() {
    // A small stack: marking must not recurse per link.
    let thread = std::thread::Builder::new().stack_size(256 << 10).spawn(|| {
        let mut heap = Heap::new("test");
        let link = chain_ty();
        let mut head = 0u64;
        for i in 0..1_000_000u64 {
            head = object(&mut heap, KIND_TUPLE, 2, 0, link as u64, &[i, head]);
        }
        let root = heap.add_root(head);
        garbage(&mut heap, 1000);
        heap.collect();
        let stats = heap.stats();
        let (mut sum, mut at) = (0u64, heap.root(root));
        while at != 0 {
            sum += payload(at, 0);
            at = payload(at, 1);
        }
        (stats.live, sum)
    });
    let (live, sum) = match thread.map(|t| t.join()) {
        Ok(Ok(result)) => result,
        _ => panic!("marking thread failed"),
    };
    assert_eq!(live, 1_000_000 * 32);
    assert_eq!(sum, 999_999 * 1_000_000 / 2);
}

#[test]
fn explicit_roots_keep_values_until_removed() {
    let mut heap = Heap::new("test");
    let s = string(&mut heap, "rooted");
    let root = heap.add_root(s);
    heap.collect();
    assert!(is_allocated(&heap, s));
    heap.set_root(root, 17);
    heap.collect();
    assert!(!is_allocated(&heap, s));
    heap.remove_root(root);
    let again = heap.add_root(0);
    assert_eq!(again, root, "freed root slots are reused");
}

#[test]
fn large_objects_are_kept_by_interior_pointers_and_freed() {
    let mut heap = Heap::new("test");
    let big = string(&mut heap, &"y".repeat(100_000));
    let root = heap.add_root(big + 50_000);
    heap.collect();
    assert_eq!(text(big).len(), 100_000);
    assert!(heap.stats().live >= 100_000);
    heap.remove_root(root);
    heap.collect();
    assert_eq!(heap.stats().live, 0);
    assert!(heap.footprint() < 100_000);
}

#[test]
fn stack_values_survive_and_unreachable_ones_are_freed() {
    let (freed, allocated, intact) = on_stack_heap(|heap| {
        // Same size class as the garbage, so freed cells would be reused and overwritten.
        let mut kept = [0u64; 64];
        for (i, k) in kept.iter_mut().enumerate() {
            *k = string(heap, &format!("kept {i:>33}"));
        }
        // An interior pointer only: keeps its whole object.
        let inner = string(heap, &format!("{:>38}", "held by an interior pointer")) + 20;
        std::hint::black_box((&kept, &inner));
        garbage(heap, 20_000);
        heap.collect();
        garbage(heap, 20_000);
        heap.collect();
        garbage(heap, 20_000);
        let intact = kept
            .iter()
            .enumerate()
            .all(|(i, &k)| is_allocated(heap, k) && text(k) == format!("kept {i:>33}"))
            && is_allocated(heap, inner - 20)
            && text(inner - 20) == format!("{:>38}", "held by an interior pointer");
        std::hint::black_box((&kept, &inner));
        let stats = heap.stats();
        (stats.freed, stats.allocated, intact)
    });
    assert!(intact);
    // 40,000 garbage strings of 56 bytes; a few may be retained by stale stack words.
    assert!(freed >= 39_000 * 56, "freed {freed} of {allocated}");
}

#[test]
fn automatic_collection_bounds_the_footprint() {
    let (allocated, peak) = on_stack_heap(|heap| {
        garbage(heap, 2_000_000);
        let stats = heap.stats();
        (stats.allocated, stats.peak_footprint)
    });
    assert!(allocated > 90 << 20, "allocated {allocated}");
    assert!(
        peak <= 2 * MIN_BUDGET as u64 + 4 * BLOCK_SIZE as u64,
        "peak {peak}"
    );
}

#[test]
fn stress_mode_collects_at_every_allocation() {
    let (collections, intact, live) = on_stack_heap(|heap| {
        heap.set_stress(true);
        let kept = string(heap, "survivor");
        std::hint::black_box(&kept);
        garbage(heap, 1000);
        let intact = text(kept) == "survivor";
        std::hint::black_box(&kept);
        let stats = heap.stats();
        (stats.collections, intact, stats.live)
    });
    assert!(collections >= 1000, "{collections}");
    assert!(intact);
    assert!(live < 100 * 64, "live {live}");
}

#[test]
fn free_all_releases_every_block() {
    let mut heap = Heap::new("test");
    let top = build_graph(&mut heap, 100);
    let _root = heap.add_root(top);
    let _big = string(&mut heap, &"z".repeat(50_000));
    assert!(heap.footprint() > 0);
    heap.free_all();
    assert_eq!(heap.footprint(), 0);
    let s = string(&mut heap, "usable after free_all");
    assert_eq!(text(s), "usable after free_all");
}

#[test]
fn a_recycled_heap_reuses_its_blocks_empty_and_starts_over() {
    let mut heap = Heap::new("test");
    heap.set_stress(true);
    let small: Vec<u64> = (0..10)
        .map(|i| string(&mut heap, &format!("{i}")))
        .collect();
    let _big = string(&mut heap, &"z".repeat(50_000));
    let _root = heap.add_root(small[0]);
    let blocks = heap.footprint() - heap.large.bytes;
    assert!(heap.recycle());
    assert_eq!(
        heap.footprint(),
        blocks,
        "blocks kept, the large object freed"
    );
    assert!(small.iter().all(|&obj| !is_allocated(&heap, obj)));
    assert!(heap.roots.is_empty() && heap.stress.is_none() && heap.stack.is_none());
    assert_eq!(heap.budget, isize::MAX);
    assert_eq!((heap.stats().allocated, heap.stats().collections), (0, 0));
    // The same allocations take the same cells again, from the kept blocks.
    let again: Vec<u64> = (0..10)
        .map(|i| string(&mut heap, &format!("{i}")))
        .collect();
    assert_eq!(again, small);
    assert_eq!(heap.footprint(), blocks);
    assert_eq!(text(again[9]), "9");
    heap.collect();
    assert_eq!(heap.stats().live, 0);
}

#[test]
fn recycling_clears_every_bitmap_word_a_cursor_reached_and_readies_the_cursors() {
    let mut heap = Heap::new("test");
    // Several bitmap words of one class, some cells surviving a collection (a sweep rewrites
    // the bits of every word reached so far).
    let objects: Vec<u64> = (0..300)
        .map(|i| string(&mut heap, &format!("{i}")))
        .collect();
    let kept = heap.add_root(objects[250]);
    heap.collect();
    assert!(is_allocated(&heap, objects[250]));
    heap.remove_root(kept);
    assert!(heap.recycle());
    assert!(objects.iter().all(|&obj| !is_allocated(&heap, obj)));
    let class = crate::mem::block::class_of(16 + "250".len());
    assert_ne!(
        heap.cursors[class].free, 0,
        "the cursor is ready at the first block"
    );
    let again: Vec<u64> = (0..300)
        .map(|i| string(&mut heap, &format!("{i}")))
        .collect();
    assert_eq!(again, objects, "the same cells, from the first one on");
}

#[test]
fn a_heap_holding_many_blocks_is_not_recycled() {
    let mut heap = Heap::new("test");
    // Twelve size classes, a block each.
    let lengths = [
        10, 40, 100, 200, 400, 700, 1000, 1500, 2200, 3500, 5000, 7000,
    ];
    let _objects: Vec<u64> = lengths
        .iter()
        .map(|&n| string(&mut heap, &"x".repeat(n)))
        .collect();
    assert_eq!(heap.large.bytes, 0);
    let footprint = heap.footprint();
    assert!(!heap.recycle());
    assert_eq!(heap.footprint(), footprint, "left as it was");
}

#[test]
fn a_process_heap_is_recycled_on_its_thread_when_the_process_ends() {
    let mut slot = super::HeapSlot::for_process(0);
    let first = std::ptr::from_mut(slot.heap());
    let obj = slot.heap().alloc(24) as u64;
    slot.finish(|| unreachable!("no statistics line without MESH_GC_STATS"));
    let mut next = super::HeapSlot::for_process(0);
    assert_eq!(std::ptr::from_mut(next.heap()), first, "the same heap");
    assert!(!is_allocated(next.heap(), obj), "emptied");
    assert_eq!(next.heap().alloc(24) as u64, obj, "its first cell again");
    next.finish(String::new);
}

#[test]
fn root_guards_use_the_current_heap() {
    let mut slot = super::HeapSlot::with(Heap::new("test"));
    // SAFETY: the slot outlives its time as current and stays on this thread.
    let previous = unsafe { set_current(&mut slot) };
    let s = string_via_alloc("guarded");
    let guard = Root::new(s);
    with_current(Heap::collect);
    assert_eq!(text(guard.get()), "guarded");
    drop(guard);
    with_current(Heap::collect);
    assert_eq!(with_current(|h| h.stats().live), 0);
    // SAFETY: restores the thread's previous heap.
    unsafe { set_current(previous) };
}

fn string_via_alloc(s: &str) -> u64 {
    crate::value::string::alloc_str(s) as u64
}

#[test]
fn stats_line_reports_counts_and_pauses() {
    let mut heap = Heap::new("worker");
    garbage(&mut heap, 10);
    heap.collect();
    let line = heap.stats().line(heap.name());
    let expected = "[gc] heap worker: collections=1 allocated=560 freed=560 live=0 heap=262144 \
                    peak_heap=262144 max_pause_us=";
    assert!(line.starts_with(expected), "{line}");
    assert!(line.contains(" total_pause_us="), "{line}");
}

/// The environment variable that turns [`rss_child_concatenates_gigabytes_of_strings`] on.
const RSS_CHILD: &str = "MESH_RT_RSS_CHILD";

#[test]
fn peak_rss_stays_bounded_while_allocating_gigabytes() {
    if peak_rss().is_none() {
        return; // No VmHWM on this system.
    }
    // The loop runs in a child process (this test binary, filtered to the child test) so the
    // peak resident size is its own, not that of tests running beside it.
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let output = std::process::Command::new(exe)
        .args([
            "--exact",
            "mem::tests::rss_child_concatenates_gigabytes_of_strings",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env(RSS_CHILD, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> u64 {
        // libtest prints the test's name on the same line, before its output.
        let report = stdout.split_once("rss-child ").map(|(_, rest)| rest);
        let value = report.and_then(|r| r.split_whitespace().find_map(|kv| kv.strip_prefix(name)));
        value.and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    let (allocated, rss) = (field("allocated="), field("peak_rss="));
    assert!(output.status.success(), "{stdout}");
    assert!(allocated > 2 << 30, "allocated {allocated}: {stdout}");
    assert!(
        rss < 64 << 20,
        "peak RSS {rss} while allocating {allocated}"
    );
}

/// The child of [`peak_rss_stays_bounded_while_allocating_gigabytes`] (does nothing unless
/// started by it): 2.2 GB of strings through `mesh_rt_string_concat` with 8 kept alive.
#[test]
fn rss_child_concatenates_gigabytes_of_strings() {
    if std::env::var_os(RSS_CHILD).is_none() {
        return;
    }
    let (allocated, intact) = on_stack_heap(|heap| {
        let mut slot = super::HeapSlot::with(std::mem::replace(heap, Heap::new("moved")));
        // SAFETY: the slot outlives its time as current and stays on this thread.
        let previous = unsafe { set_current(&mut slot) };
        let a = string_via_alloc(&"a".repeat(1000));
        let b = string_via_alloc(&"b".repeat(1000));
        let mut ring = [0u64; 8];
        for i in 0..1_100_000 {
            // SAFETY: `a` and `b` are live strings (on this stack).
            ring[i % 8] =
                unsafe { crate::abi::string::mesh_rt_string_concat(a as _, b as _) } as u64;
        }
        let expected = "a".repeat(1000) + &"b".repeat(1000);
        let intact = ring.iter().all(|&s| text(s) == expected);
        // SAFETY: restores the thread's previous heap.
        unsafe { set_current(previous) };
        (slot.heap().stats().allocated, intact)
    });
    assert!(intact);
    let rss = peak_rss().unwrap_or(0);
    println!("rss-child allocated={allocated} peak_rss={rss}");
}

/// A heap that only ever allocates with collection held off (a process that does nothing but
/// receive large messages: every copy-in holds collection off) still collects: 2,000
/// messages of 64 KiB (125 MiB) stay within a few budgets.
#[test]
fn a_heap_that_only_receives_still_collects() {
    let (collections, peak) = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let base = 0u64;
            let mut heap = Heap::new("test");
            heap.set_stack_base(std::ptr::addr_of!(base) as usize);
            let mut slot = super::HeapSlot::with(heap);
            // SAFETY: the slot outlives its time as current and stays on this thread.
            let previous = unsafe { set_current(&mut slot) };
            let bytes = vec![b'x'; 64 * 1024];
            for _ in 0..2000 {
                let message = Fragment::from_bytes(&[&bytes]);
                std::hint::black_box(message.copy_out());
            }
            let stats = with_current(|h| h.stats());
            // SAFETY: restores the thread's previous heap.
            unsafe { set_current(previous) };
            std::hint::black_box(&base);
            (stats.collections, stats.peak_footprint)
        })
        .expect("thread")
        .join()
        .expect("test thread");
    assert!(collections > 0, "never collected");
    assert!(peak <= 3 * MIN_BUDGET as u64, "peak footprint {peak}");
}
