//! Copying values between heaps: how a message (or a spawned actor's start closure) leaves
//! one process and arrives in another without any pointer crossing heaps.
//!
//! `send` deep-copies the value out of the sender's heap into a [`Fragment`], a small bump
//! arena owned by the message envelope; the receiver reads the fragment while it matches
//! `receive` patterns and, when it takes the message, copies it once more into its own heap
//! ([`Fragment::adopt`]) and frees the fragment. Neither side ever touches the other's heap,
//! so no heap needs a lock.
//!
//! A copy walks the object graph from the headers (the same field rules as marking, see
//! `mark::pointer_fields`) with an explicit work list, never recursing on the Rust stack. Words
//! that are not objects of the source space (immediates, static constants) are kept as they
//! are: static objects are immutable and shared by every process. Sharing inside the value is
//! not preserved (a subvalue reachable twice is copied twice), as in Erlang; values are
//! immutable, so this is only a size concern.

use super::mark::pointer_fields;
use mesh_rt_abi::layout::{
    AUX_SHIFT, GC_SHIFT, HEADER_SIZE, KIND_ARRAY, KIND_BYTES, KIND_CLOSURE, KIND_MASK, KIND_NODE,
    KIND_STRING, KIND_TUPLE, KIND_VARIANT,
};

/// Size in bytes of the object at `obj`, from its header.
///
/// # Safety
/// `obj` must be an initialised object.
unsafe fn object_size(obj: usize) -> usize {
    // SAFETY: contract: the two header words are readable.
    let (meta, word1) = unsafe {
        (
            (obj as *const u64).read(),
            (obj as *const u64).add(1).read(),
        )
    };
    let aux = (meta >> AUX_SHIFT) as usize;
    match meta & KIND_MASK {
        KIND_STRING | KIND_BYTES => HEADER_SIZE + word1 as usize,
        KIND_VARIANT | KIND_CLOSURE => HEADER_SIZE + 8 * (aux + 1),
        KIND_TUPLE | KIND_ARRAY | KIND_NODE => HEADER_SIZE + 8 * aux,
        _ => HEADER_SIZE,
    }
}

/// Deep-copies `word`: if `owns(word)` says it is an object of the source space, the object
/// and everything it reaches in that space are copied into memory from `alloc`, and the copy
/// is returned; any other word is returned unchanged.
///
/// # Safety
/// Every object `owns` accepts must be initialised and stay unchanged during the copy;
/// `alloc(n)` must return `n` writable, 8-aligned bytes that no collection frees before the
/// caller roots the result.
pub(crate) unsafe fn deep_copy(
    word: u64,
    owns: &dyn Fn(usize) -> bool,
    alloc: &mut dyn FnMut(usize) -> *mut u8,
) -> u64 {
    let mut root = word;
    let mut work = Slots::default();
    work.push(&mut root);
    while let Some(slot) = work.pop() {
        // SAFETY: slots are `root` or payload words of copies made below.
        let src = unsafe { slot.read() } as usize;
        if !owns(src) {
            continue;
        }
        // SAFETY: `src` is an initialised object of the source (contract).
        let size = unsafe { object_size(src) };
        let dst = alloc(size);
        // SAFETY: `dst` has `size` writable bytes (contract) and does not overlap `src`.
        unsafe {
            std::ptr::copy_nonoverlapping(src as *const u8, dst, size);
            let meta = dst as *mut u64;
            meta.write(meta.read() & !(0xff << GC_SHIFT));
            slot.write(dst as u64);
        }
        let payload = (dst as usize + HEADER_SIZE) as *mut u64;
        // SAFETY: the copy is an initialised object of `size` bytes; the indices are of its
        // payload words.
        unsafe { pointer_fields(dst as usize, size, |i| work.push(payload.add(i))) };
    }
    root
}

/// The slots `deep_copy` still has to fill: the first few inline (most values copied, a
/// message or a handler closure, reach only a handful of objects: no allocation for them),
/// the rest in a vector. The order they are taken in does not matter.
struct Slots {
    inline: [*mut u64; INLINE_SLOTS],
    len: usize,
    more: Vec<*mut u64>,
}

const INLINE_SLOTS: usize = 16;

impl Default for Slots {
    fn default() -> Slots {
        Slots {
            inline: [std::ptr::null_mut(); INLINE_SLOTS],
            len: 0,
            more: Vec::new(),
        }
    }
}

impl Slots {
    fn push(&mut self, slot: *mut u64) {
        match self.inline.get_mut(self.len) {
            Some(free) => {
                *free = slot;
                self.len += 1;
            }
            None => self.more.push(slot),
        }
    }

    fn pop(&mut self) -> Option<*mut u64> {
        if let Some(slot) = self.more.pop() {
            return Some(slot);
        }
        self.len = self.len.checked_sub(1)?;
        self.inline.get(self.len).copied()
    }
}

/// A message's private arena: the copied objects, outside every heap, until the receiver
/// adopts them. Sendable between threads (it owns its memory and nothing points into it from
/// a heap). Two words, so a mailbox entry stays small: the objects live in a boxed `Store`,
/// absent for an immediate value.
pub struct Fragment {
    /// The copied value (an immediate word, or a pointer into the store's chunks).
    word: u64,
    store: Option<Box<Store>>,
}

/// The memory of a fragment's objects.
#[derive(Default)]
struct Store {
    chunks: Vec<Box<[u64]>>,
    /// Words used in the last chunk.
    used: usize,
    /// Start address of every copied object, sorted.
    objects: Vec<usize>,
}

// SAFETY: a fragment owns its chunks; the raw addresses it holds point only into them.
unsafe impl Send for Fragment {}

/// Words in a fragment's first chunk, then in its second (doubling after that); bigger
/// objects get a chunk of their own size.
const FIRST_CHUNK_WORDS: usize = 16;
const CHUNK_WORDS: usize = 64;

/// Stores recycled on this thread, each with its first chunk (zeroed again) and its vectors'
/// buffers. A message usually fits its first chunk, so without this every send would cost
/// four allocations and four frees.
const SPARE_MAX: usize = 64;

thread_local! {
    // Boxed on purpose: the box is what a fragment holds, so recycling it saves its
    // allocation too.
    #[allow(clippy::vec_box)]
    static SPARE: std::cell::RefCell<Vec<Box<Store>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A store for a new fragment: a recycled one when this thread has one. Never inlined (nor
/// is [`keep_store`]): it reads a thread-local, and its caller may have suspended and moved
/// to another thread since it last computed that address (see `sched::current`).
#[inline(never)]
fn new_store() -> Box<Store> {
    SPARE
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default()
}

impl Drop for Fragment {
    fn drop(&mut self) {
        let Some(mut store) = self.store.take() else {
            return;
        };
        if store.chunks.len() != 1 || store.chunks[0].len() != FIRST_CHUNK_WORDS {
            return;
        }
        let used = store.used;
        store.chunks[0][..used].fill(0);
        store.used = 0;
        store.objects.clear();
        keep_store(store);
    }
}

/// Keeps an emptied store for this thread's next fragment (or frees it).
#[inline(never)]
fn keep_store(store: Box<Store>) {
    let _ = SPARE.try_with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < SPARE_MAX {
            spare.push(store);
        }
    });
}

impl Fragment {
    /// Copies `word` (a value of the current heap; `heap_value` tells whether values of its
    /// type are pointers) into a new fragment.
    pub fn from_current(word: u64, heap_value: bool) -> Fragment {
        let mut frag = Fragment { word, store: None };
        if !heap_value {
            return frag;
        }
        frag.store = Some(new_store());
        super::with_slot(|slot| {
            let owns = |a: usize| slot.owns(a);
            // SAFETY: the current heap's objects are initialised and nothing runs during the
            // copy; fragment memory is never collected.
            let copied = unsafe { deep_copy(word, &owns, &mut |n| frag.bump(n)) };
            frag.word = copied;
        });
        frag.sort_objects();
        frag
    }

    /// A fragment holding a new struct value: `words` as its first fields, then a string
    /// field holding `text` (runtime-built messages such as monitors' `Down`).
    pub fn build_struct(desc: *const mesh_rt_abi::TypeDesc, words: &[u64], text: &str) -> Fragment {
        use mesh_rt_abi::layout::{meta, KIND_STRING, KIND_TUPLE};
        let mut frag = Fragment {
            word: 0,
            store: Some(new_store()),
        };
        let s = frag.bump(HEADER_SIZE + text.len());
        // SAFETY: `s` has room for the header and the bytes.
        unsafe {
            (s as *mut u64).write(KIND_STRING);
            (s as *mut u64).add(1).write(text.len() as u64);
            std::ptr::copy_nonoverlapping(text.as_ptr(), s.add(HEADER_SIZE), text.len());
        }
        let fields = words.len() + 1;
        let t = frag.bump(HEADER_SIZE + 8 * fields);
        // SAFETY: `t` has room for the header and `fields` words.
        unsafe {
            (t as *mut u64).write(meta(KIND_TUPLE, fields as u32, 0));
            (t as *mut u64).add(1).write(desc as u64);
            let payload = (t as *mut u64).add(2);
            for (i, &w) in words.iter().enumerate() {
                payload.add(i).write(w);
            }
            payload.add(words.len()).write(s as u64);
        }
        frag.word = t as u64;
        frag.sort_objects();
        frag
    }

    /// A fragment holding one `KIND_BYTES` object of `parts` concatenated (a remote message
    /// waiting in a mailbox as its bytes until a receive decodes it, `dist::codec`).
    pub fn from_bytes(parts: &[&[u8]]) -> Fragment {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut frag = Fragment {
            word: 0,
            store: Some(new_store()),
        };
        let b = frag.bump(HEADER_SIZE + len);
        // SAFETY: `b` has room for the header and `len` bytes.
        unsafe {
            (b as *mut u64).write(KIND_BYTES);
            (b as *mut u64).add(1).write(len as u64);
            let mut at = b.add(HEADER_SIZE);
            for p in parts {
                std::ptr::copy_nonoverlapping(p.as_ptr(), at, p.len());
                at = at.add(p.len());
            }
        }
        frag.word = b as u64;
        frag
    }

    fn sort_objects(&mut self) {
        if let Some(store) = &mut self.store {
            store.objects.sort_unstable();
        }
    }

    /// Whether an object of this fragment starts at `addr`.
    pub(crate) fn contains(&self, addr: usize) -> bool {
        self.store
            .as_ref()
            .is_some_and(|s| s.objects.binary_search(&addr).is_ok())
    }

    /// The value as it sits in the fragment (readable while the fragment lives).
    pub fn word(&self) -> u64 {
        self.word
    }

    /// Copies the value into the current heap and frees the fragment.
    pub fn adopt(self) -> u64 {
        self.copy_out()
    }

    /// Copies the value into the current heap, keeping the fragment (a value shared by many
    /// processes, such as an HTTP server's handler closures, is copied into each).
    pub fn copy_out(&self) -> u64 {
        if self.store.as_ref().is_none_or(|s| s.objects.is_empty()) {
            return self.word;
        }
        let owns = |a: usize| self.contains(a);
        super::with_current(|heap| {
            heap.collect_if_due();
            heap.inhibit(true);
            // SAFETY: the fragment's objects are initialised and immutable; collection is
            // held off until the copy is complete (the caller then keeps it in a local).
            let word = unsafe { deep_copy(self.word, &owns, &mut |n| heap.alloc(n)) };
            heap.inhibit(false);
            word
        })
    }

    fn bump(&mut self, bytes: usize) -> *mut u8 {
        let words = bytes.div_ceil(8);
        let store = self.store.get_or_insert_with(new_store);
        let fits = store
            .chunks
            .last()
            .is_some_and(|c| c.len() - store.used >= words);
        if !fits {
            // Small first chunk (most messages and start closures are a few words; a spawned
            // process keeps its start fragment for life), then doubling.
            let grow = if store.chunks.is_empty() {
                FIRST_CHUNK_WORDS
            } else {
                CHUNK_WORDS << store.chunks.len().min(8)
            };
            let size = words.max(grow);
            store.chunks.push(vec![0u64; size].into_boxed_slice());
            store.used = 0;
        }
        let chunk = store.chunks.last_mut().expect("a chunk was just ensured");
        let at = chunk[store.used..].as_mut_ptr() as *mut u8;
        store.used += words;
        store.objects.push(at as usize);
        at
    }
}
