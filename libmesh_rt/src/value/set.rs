//! Mesh sets (stdlib spec §8): immutable sets with structural element equality that iterate in
//! first-insertion order. A set is the ordered hash table of `map.rs` without values, so every
//! complexity there applies: `add`/`remove`/`contains` O(log32 n); `union` O(|b| log n);
//! `intersection` and `difference` O(|a| log |b|).

use crate::value::list::List;
use crate::value::map::{from_pairs, Kind, Table};

/// A set of `words` in order; duplicates dropped.
///
/// # Safety
/// Every word must be a value of the element type of `kind`.
pub unsafe fn from_words(kind: Kind, words: impl Iterator<Item = u64>) -> Table {
    // SAFETY: forwarded contract.
    unsafe { from_pairs(kind, words.map(|w| (w, 0))) }
}

/// A set of the elements of `list` in order; duplicates dropped.
///
/// # Safety
/// `list` must hold values of the element type of `kind`.
pub unsafe fn from_list(kind: Kind, list: List) -> Table {
    // SAFETY: forwarded contract.
    unsafe { from_words(kind, list.iter()) }
}

/// `a`'s elements in order, then the new elements of `b`.
///
/// # Safety
/// Both must be sets of `kind`.
pub unsafe fn union(kind: Kind, a: Table, b: Table) -> Table {
    // SAFETY: elements of `b` are values of the element type (contract).
    b.entries(kind)
        .fold(a, |s, (x, _)| unsafe { s.put(kind, x, 0) })
}

/// Elements of `a` also in `b`, in `a`'s order.
///
/// # Safety
/// Both must be sets of `kind`.
pub unsafe fn intersection(kind: Kind, a: Table, b: Table) -> Table {
    // SAFETY: elements of both sets are values of the element type (contract).
    unsafe { filter(kind, a, |x| b.find(kind, x).is_some()) }
}

/// Elements of `a` not in `b`, in `a`'s order.
///
/// # Safety
/// Both must be sets of `kind`.
pub unsafe fn difference(kind: Kind, a: Table, b: Table) -> Table {
    // SAFETY: elements of both sets are values of the element type (contract).
    unsafe { filter(kind, a, |x| b.find(kind, x).is_none()) }
}

/// # Safety
/// `a` must be a set of `kind`; `keep` is called with its elements.
unsafe fn filter(kind: Kind, a: Table, keep: impl Fn(u64) -> bool) -> Table {
    let mut out = Table::empty(kind);
    for (x, _) in a.entries(kind) {
        if keep(x) {
            // SAFETY: `x` is an element of `a` (contract).
            out = unsafe { out.put(kind, x, 0) };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::generic;
    use crate::value::string::alloc_str;
    use crate::value::typedesc::testing::{int, set, string};
    use crate::value::typedesc::Desc;

    fn ints(kind: Kind, xs: &[i64]) -> Table {
        // SAFETY: Int words.
        unsafe { from_words(kind, xs.iter().map(|&x| x as u64)) }
    }

    fn show(t: Table, desc: Desc) -> String {
        let mut out = String::new();
        // SAFETY: `t` is a set of `desc`.
        unsafe { generic::display(t.as_word(), desc, &mut out) };
        out
    }

    #[test]
    fn sets_drop_duplicates_and_keep_first_insertion_order() {
        let desc = set(int());
        let kind = Kind::of(desc);
        let s = ints(kind, &[3, 1, 3, 2, 1]);
        assert_eq!(s.size(), 3);
        assert_eq!(show(s, desc), "#{3, 1, 2}");
        // SAFETY: Int words.
        let (s2, s3) = unsafe { (s.put(kind, 1, 0), s.remove(kind, 1).put(kind, 1, 0)) };
        assert_eq!(s2, s, "adding a present element is a no-op");
        assert_eq!(show(s3, desc), "#{3, 2, 1}");
        assert_eq!(show(s, desc), "#{3, 1, 2}", "the original is unchanged");
        assert_eq!(show(Table::empty(kind), desc), "#{}");
    }

    #[test]
    fn union_intersection_difference_follow_the_spec_order() {
        let desc = set(int());
        let kind = Kind::of(desc);
        let (a, b) = (ints(kind, &[1, 2, 3, 4]), ints(kind, &[5, 4, 2, 6]));
        // SAFETY: sets of `kind`.
        unsafe {
            assert_eq!(show(union(kind, a, b), desc), "#{1, 2, 3, 4, 5, 6}");
            assert_eq!(show(intersection(kind, a, b), desc), "#{2, 4}");
            assert_eq!(show(difference(kind, a, b), desc), "#{1, 3}");
        }
    }

    #[test]
    fn string_elements_compare_by_content_and_sets_compare_ignoring_order() {
        let desc = set(string());
        let kind = Kind::of(desc);
        let words = |xs: &[&str]| xs.iter().map(|s| alloc_str(s) as u64).collect::<Vec<_>>();
        // SAFETY: String words.
        let (a, b) = unsafe {
            (
                from_words(kind, words(&["x", "y", "x"]).into_iter()),
                from_words(kind, words(&["y", "x"]).into_iter()),
            )
        };
        assert_eq!(a.size(), 2);
        // SAFETY: sets of `desc`; a fresh "y" string.
        unsafe {
            assert!(a.find(kind, alloc_str("y") as u64).is_some());
            assert!(generic::eq(a.as_word(), b.as_word(), desc));
            assert_eq!(
                generic::hash(a.as_word(), desc),
                generic::hash(b.as_word(), desc)
            );
        }
        assert_eq!(show(a, desc), "#{x, y}");
    }
}
