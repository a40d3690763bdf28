//! What is kept in memory below whole pages: one value (the chrome every page shows) and
//! values by id (search-result cards). Both are tied to the page cache's generation: a value
//! read in an older generation is never used, and a value read while a change came in is
//! used once but never kept. They stay on with `--no-page-cache`, so an uncached page still
//! costs only what is particular to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; it is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One kept value.
pub(crate) struct Memo<T> {
    slot: Mutex<Option<(u64, Arc<T>)>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { slot: Mutex::new(None) }
    }
}

impl<T> Memo<T> {
    /// The value kept in `generation`, if `fresh` still holds for it.
    pub(crate) fn get(&self, generation: u64, fresh: impl FnOnce(&T) -> bool) -> Option<Arc<T>> {
        let slot = lock(&self.slot);
        let (kept_in, value) = slot.as_ref()?;
        (*kept_in == generation && fresh(value)).then(|| value.clone())
    }

    /// Keeps a value read in `read_in`, unless the generation moved on since (`current`).
    pub(crate) fn keep(&self, read_in: u64, current: u64, value: Arc<T>) {
        if read_in == current {
            *lock(&self.slot) = Some((read_in, value));
        }
    }
}

/// Values by id with when each was read (unix micros).
type ById<V> = HashMap<i64, (i64, V)>;

/// Values by id, each with when it was read; bounded in count and age.
pub(crate) struct MemoMap<V> {
    kept: Mutex<(u64, ById<V>)>,
    max_entries: usize,
    max_age_micros: i64,
}

impl<V: Clone> MemoMap<V> {
    pub(crate) fn new(max_entries: usize, max_age_micros: i64) -> Self {
        Self { kept: Mutex::new((0, HashMap::new())), max_entries, max_age_micros }
    }

    /// The kept values of `ids` in order (None where not kept, too old, or from another
    /// generation).
    pub(crate) fn get(&self, generation: u64, ids: &[i64], now: i64) -> Vec<Option<V>> {
        let kept = lock(&self.kept);
        let current = kept.0 == generation;
        ids.iter()
            .map(|id| {
                let (read_at, value) = kept.1.get(id).filter(|_| current)?;
                (now - read_at < self.max_age_micros).then(|| value.clone())
            })
            .collect()
    }

    /// Keeps values read at `now` in `read_in`, unless the generation moved on since.
    pub(crate) fn keep(&self, read_in: u64, current: u64, values: impl IntoIterator<Item = (i64, V)>, now: i64) {
        if read_in != current {
            return;
        }
        let mut kept = lock(&self.kept);
        if kept.0 != read_in || kept.1.len() >= self.max_entries {
            *kept = (read_in, HashMap::new());
        }
        for (id, value) in values {
            kept.1.insert(id, (now, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_is_used_only_in_its_generation_and_while_fresh() {
        let m: Memo<i32> = Memo::default();
        m.keep(1, 1, Arc::new(5));
        assert_eq!(m.get(1, |_| true).as_deref(), Some(&5));
        assert!(m.get(1, |_| false).is_none());
        assert!(m.get(2, |_| true).is_none(), "a change came in");
        m.keep(2, 3, Arc::new(6));
        assert!(m.get(3, |_| true).is_none(), "read while a change came in: not kept");
    }

    #[test]
    fn memo_maps_forget_old_values_and_other_generations() {
        let m: MemoMap<&str> = MemoMap::new(2, 100);
        m.keep(1, 1, [(10, "a"), (11, "b")], 0);
        assert_eq!(m.get(1, &[11, 10, 12], 50), vec![Some("b"), Some("a"), None]);
        assert_eq!(m.get(1, &[10], 100), vec![None], "too old");
        assert_eq!(m.get(2, &[10], 50), vec![None], "another generation");
        m.keep(1, 1, [(12, "c")], 0);
        assert_eq!(m.get(1, &[10, 12], 50), vec![None, Some("c")], "full: started over");
    }
}

/// Texts made from other texts at some cost (a feed item's body with absolute URLs), kept
/// by an id and a hash of what they were made from, so a changed input makes a new one.
/// Bounded: past `max_entries` it starts over.
pub(crate) struct TextMemo {
    kept: std::sync::Mutex<std::collections::HashMap<(i64, u64), Arc<str>>>,
    max_entries: usize,
}

impl Default for TextMemo {
    fn default() -> Self {
        TextMemo { kept: Default::default(), max_entries: 2_000 }
    }
}

impl TextMemo {
    pub(crate) fn get_or_make(&self, id: i64, inputs: &[&str], make: impl FnOnce() -> String) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        inputs.hash(&mut h);
        let key = (id, h.finish());
        if let Some(kept) = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key) {
            return kept.to_string();
        }
        let made = make();
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= self.max_entries {
            kept.clear();
        }
        kept.insert(key, made.as_str().into());
        made
    }
}

#[cfg(test)]
mod text_memo_tests {
    use super::TextMemo;

    #[test]
    fn a_text_is_made_once_per_input_and_again_when_the_input_changes() {
        let memo = TextMemo::default();
        let made = std::cell::Cell::new(0);
        let make = |s: &str| {
            made.set(made.get() + 1);
            s.to_uppercase()
        };
        assert_eq!(memo.get_or_make(1, &["a"], || make("a")), "A");
        assert_eq!(memo.get_or_make(1, &["a"], || make("a")), "A");
        assert_eq!(made.get(), 1);
        assert_eq!(memo.get_or_make(1, &["b"], || make("b")), "B", "a changed body is made again");
        assert_eq!(memo.get_or_make(2, &["a"], || make("a")), "A");
        assert_eq!(made.get(), 3);
    }
}
