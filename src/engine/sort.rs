//! A stable sort that costs one copy of code for the whole program.
//!
//! `slice::sort_by` is generic over the element and the comparator: every call site
//! instantiates driftsort, quicksort, small-sorts and merges — about 4 KB of wasm each,
//! ~160 KB of the worker before this. Here the generic part is a thin shim: it sorts the
//! positions `0..n` with one non-generic merge sort behind a `dyn` comparator, then moves
//! the elements into that order. Same results as `sort_by` (stable), O(n log n).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `sort`, `sort_by` and `sort_by_key` for slices, through [`sort_positions`].
pub trait SortLean<T> {
    fn sort_lean(&mut self)
    where
        T: Ord;
    fn sort_lean_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    fn sort_lean_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
}

impl<T> SortLean<T> for [T] {
    fn sort_lean(&mut self)
    where
        T: Ord,
    {
        self.sort_lean_by(T::cmp);
    }

    fn sort_lean_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let items: &[T] = self;
            sort_positions(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
        };
        permute(self, &order);
    }

    fn sort_lean_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_lean_by(|a, b| key(a).cmp(&key(b)));
    }
}

/// `collect()` into a `BTreeMap`/`BTreeSet` by inserting: std's `FromIterator` sorts
/// the items first (a stable sort instantiated per item type, see above).
pub trait CollectLean: Iterator + Sized {
    fn collect_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut map = BTreeMap::new();
        for (k, v) in self {
            map.insert(k, v);
        }
        map
    }

    fn collect_set<T: Ord>(self) -> BTreeSet<T>
    where
        Self: Iterator<Item = T>,
    {
        let mut set = BTreeSet::new();
        for item in self {
            set.insert(item);
        }
        set
    }
}

impl<I: Iterator> CollectLean for I {}

/// The positions `0..n` in stable sorted order (top-down merge sort).
#[inline(never)]
fn sort_positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut buf = order.clone();
    merge_sort(&mut order, &mut buf, cmp);
    order
}

fn merge_sort(v: &mut [usize], buf: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    let n = v.len();
    if n <= 8 {
        // Insertion sort: stable, and quickest for short runs.
        for i in 1..n {
            let mut j = i;
            while j > 0 && cmp(v[j - 1], v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], &mut buf[..mid], cmp);
    merge_sort(&mut v[mid..], &mut buf[mid..], cmp);
    if cmp(v[mid - 1], v[mid]) != Ordering::Greater {
        return; // already in order
    }
    buf[..n].copy_from_slice(v);
    let (mut i, mut j) = (0, mid);
    for slot in v.iter_mut() {
        // Take from the left run unless the right one's head is strictly smaller.
        let left = j >= n || (i < mid && cmp(buf[i], buf[j]) != Ordering::Greater);
        if left {
            *slot = buf[i];
            i += 1;
        } else {
            *slot = buf[j];
            j += 1;
        }
    }
}

/// Moves `v[order[i]]` to position `i`, by swaps.
fn permute<T>(v: &mut [T], order: &[usize]) {
    // at[p]: which original element sits at p now; place[x]: where original x sits now.
    let mut at: Vec<usize> = (0..v.len()).collect();
    let mut place = at.clone();
    for (i, &x) in order.iter().enumerate() {
        let p = place[x];
        if p != i {
            v.swap(i, p);
            let y = at[i];
            at[p] = y;
            place[y] = p;
            at[i] = x;
            place[x] = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SortLean;
    use crate::engine::rng::Rng;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut rng = Rng::new(7);
        for n in [0usize, 1, 2, 7, 8, 9, 31, 100, 1000] {
            let items: Vec<(u64, usize)> = (0..n).map(|i| (rng.below(10), i)).collect();
            let mut ours = items.clone();
            let mut std = items.clone();
            // By the first part only: equal keys must keep their input order.
            ours.sort_lean_by_key(|p| p.0);
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "n = {n}");
            let mut ours = items.clone();
            ours.sort_lean();
            let mut std = items;
            std.sort();
            assert_eq!(ours, std);
        }
    }
}
