//! The fingerprint of a descriptor: a 64-bit hash of what `desc_compatible` compares (kind,
//! item count, name, items; recursive types by the position of the descriptor they point
//! back to), so two nodes running the same program agree on it, and a message whose sender's
//! type is not the receiver's is dropped as a local one is.

use crate::value::typedesc::Desc;
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// Fingerprints by descriptor address (descriptors are constants of the executable).
    static CACHE: RefCell<HashMap<usize, u64>> = RefCell::new(HashMap::new());
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn mix(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(FNV_PRIME);
    }
}

/// The fingerprint of `desc` (cached per thread).
#[inline(never)] // reads a thread-local: see `sched::current`
pub fn of(desc: Desc) -> u64 {
    let key = desc.as_ptr() as usize;
    if let Ok(Some(h)) = CACHE.try_with(|c| c.borrow().get(&key).copied()) {
        return h;
    }
    let h = compute(desc);
    let _ = CACHE.try_with(|c| c.borrow_mut().insert(key, h));
    h
}

/// Hashes the descriptor graph depth-first without recursion: a descriptor already on the
/// path from the root is written as a back reference (its distance up the path).
fn compute(root: Desc) -> u64 {
    enum Step {
        Enter(Desc),
        Leave,
    }
    let mut h = FNV_OFFSET;
    let mut path: Vec<*const mesh_rt_abi::TypeDesc> = Vec::new();
    let mut work = vec![Step::Enter(root)];
    while let Some(step) = work.pop() {
        match step {
            Step::Leave => {
                path.pop();
            }
            Step::Enter(d) => {
                if let Some(at) = path.iter().rposition(|&p| p == d.as_ptr()) {
                    mix(&mut h, &[0xff]);
                    mix(&mut h, &((path.len() - at) as u64).to_be_bytes());
                    continue;
                }
                mix(&mut h, &d.kind().to_be_bytes());
                mix(&mut h, &(d.count() as u64).to_be_bytes());
                mix(&mut h, &(d.name().len() as u64).to_be_bytes());
                mix(&mut h, d.name().as_bytes());
                path.push(d.as_ptr());
                work.push(Step::Leave);
                for i in (0..d.count()).rev() {
                    work.push(Step::Enter(d.item(i)));
                }
            }
        }
    }
    h
}
