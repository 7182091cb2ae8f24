//! An open-addressing hash index from term ids (primary and alternative) to
//! terms. It stores only term positions and reads the id text from the
//! terms themselves, so building it for the ~50,000 ids of GO copies no
//! strings (a `HashMap<String, _>` would clone every id).

use std::hash::Hasher;

use crate::fast_hash::FxHasher;

/// Where the index reads ids from: term `term`'s primary id (`alt == 0`)
/// or its `alt - 1`-th alternative id.
pub(crate) trait IdSource {
    fn id(&self, term: u32, alt: u32) -> &str;
}

/// The index: slots hold `(term + 1) | alt << 32`, 0 when empty.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdIndex {
    slots: Vec<u64>,
    mask: usize,
    len: usize,
}

fn hash(id: &str) -> usize {
    let mut hasher = FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish() as usize
}

fn unpack(slot: u64) -> (u32, u32) {
    ((slot as u32) - 1, (slot >> 32) as u32)
}

impl IdIndex {
    /// An empty index with room for `capacity` ids at most half full.
    pub(crate) fn with_capacity(capacity: usize) -> IdIndex {
        let size = (capacity * 2).max(16).next_power_of_two();
        IdIndex {
            slots: vec![0; size],
            mask: size - 1,
            len: 0,
        }
    }

    /// The `(term, alt)` an id names.
    pub(crate) fn find<S: IdSource + ?Sized>(&self, source: &S, id: &str) -> Option<(u32, u32)> {
        let mut position = hash(id) & self.mask;
        loop {
            let slot = self.slots[position];
            if slot == 0 {
                return None;
            }
            let (term, alt) = unpack(slot);
            if source.id(term, alt) == id {
                return Some((term, alt));
            }
            position = (position + 1) & self.mask;
        }
    }

    /// Adds the id of `(term, alt)`; when the id is already present, leaves
    /// the index unchanged and returns what it names.
    pub(crate) fn insert<S: IdSource + ?Sized>(
        &mut self,
        source: &S,
        term: u32,
        alt: u32,
    ) -> Result<(), (u32, u32)> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow(source);
        }
        let id = source.id(term, alt);
        let mut position = hash(id) & self.mask;
        loop {
            let slot = self.slots[position];
            if slot == 0 {
                self.slots[position] = (u64::from(term) + 1) | (u64::from(alt) << 32);
                self.len += 1;
                return Ok(());
            }
            let existing = unpack(slot);
            if source.id(existing.0, existing.1) == id {
                return Err(existing);
            }
            position = (position + 1) & self.mask;
        }
    }

    fn grow<S: IdSource + ?Sized>(&mut self, source: &S) {
        let old = std::mem::replace(self, IdIndex::with_capacity(self.slots.len()));
        for slot in old.slots.into_iter().filter(|&s| s != 0) {
            let (term, alt) = unpack(slot);
            let _ = self.insert(source, term, alt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ids(Vec<Vec<&'static str>>);

    impl IdSource for Ids {
        fn id(&self, term: u32, alt: u32) -> &str {
            self.0[term as usize][alt as usize]
        }
    }

    #[test]
    fn finds_primary_and_alternative_ids_and_reports_clashes() {
        let ids = Ids((0..100)
            .map(|i| {
                vec![
                    Box::leak(format!("GO:{i:07}").into_boxed_str()) as &str,
                    Box::leak(format!("ALT:{i}").into_boxed_str()),
                ]
            })
            .collect());
        // start small to exercise growth
        let mut index = IdIndex::with_capacity(1);
        for t in 0..100 {
            index.insert(&ids, t, 0).unwrap();
            index.insert(&ids, t, 1).unwrap();
        }
        assert_eq!(index.find(&ids, "GO:0000042"), Some((42, 0)));
        assert_eq!(index.find(&ids, "ALT:7"), Some((7, 1)));
        assert_eq!(index.find(&ids, "GO:0000100"), None);
        assert_eq!(index.insert(&ids, 42, 0), Err((42, 0)));
    }
}
