//! An open-addressing hash index from term ids (primary and alternative) to
//! terms. Ids shorter than 16 bytes (every GO id) are stored packed into
//! the index itself, so a lookup compares integers and never reads the
//! terms; longer ids are stored as a hash and confirmed against the id
//! text of the terms. Building it for the ~50,000 ids of GO copies no
//! strings (a `HashMap<String, _>` would clone every id).

use std::hash::Hasher;

use crate::fast_hash::FxHasher;

/// Where the index reads ids from: term `term`'s primary id (`alt == 0`)
/// or its `alt - 1`-th alternative id.
pub(crate) trait IdSource {
    fn id(&self, term: u32, alt: u32) -> &str;
}

/// The index: `entries` hold `(term + 1) | alt << 32`, 0 when empty;
/// `keys` the [`key_of`] of the id in the same slot.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdIndex {
    keys: Vec<u128>,
    entries: Vec<u64>,
    mask: usize,
    len: usize,
}

/// The top byte of the key of an id of 16 bytes or more.
const LONG_ID: u8 = 0xFF;

/// An id's key: an id shorter than 16 bytes packed whole, with its length
/// in the top byte (so equal keys mean equal ids); a longer one as its
/// 64-bit hash under a top byte of [`LONG_ID`] (equal keys must then be
/// confirmed against the text).
fn key_of(id: &str) -> u128 {
    let bytes = id.as_bytes();
    if bytes.len() < 16 {
        let mut word = [0u8; 16];
        word[..bytes.len()].copy_from_slice(bytes);
        word[15] = bytes.len() as u8;
        u128::from_le_bytes(word)
    } else {
        let mut hasher = FxHasher::default();
        hasher.write(bytes);
        (u128::from(LONG_ID) << 120) | u128::from(hasher.finish())
    }
}

fn is_long(key: u128) -> bool {
    (key >> 120) as u8 == LONG_ID
}

/// The home slot of a key: both halves mixed (splitmix64's finaliser), so
/// ids differing only in a few digits spread over the table.
fn home(key: u128, mask: usize) -> usize {
    let mut h = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (h ^ (h >> 31)) as usize & mask
}

fn unpack(entry: u64) -> (u32, u32) {
    ((entry as u32) - 1, (entry >> 32) as u32)
}

impl IdIndex {
    /// An empty index with room for `capacity` ids at most half full.
    pub(crate) fn with_capacity(capacity: usize) -> IdIndex {
        let size = (capacity * 2).max(16).next_power_of_two();
        IdIndex {
            keys: vec![0; size],
            entries: vec![0; size],
            mask: size - 1,
            len: 0,
        }
    }

    /// The slot holding `id` (`Ok`), or the empty slot where it would go
    /// (`Err`).
    fn slot_of<S: IdSource + ?Sized>(
        &self,
        source: &S,
        id: &str,
        key: u128,
    ) -> Result<usize, usize> {
        let mut position = home(key, self.mask);
        loop {
            let entry = self.entries[position];
            if entry == 0 {
                return Err(position);
            }
            if self.keys[position] == key {
                let (term, alt) = unpack(entry);
                if !is_long(key) || source.id(term, alt) == id {
                    return Ok(position);
                }
            }
            position = (position + 1) & self.mask;
        }
    }

    /// The `(term, alt)` an id names.
    pub(crate) fn find<S: IdSource + ?Sized>(&self, source: &S, id: &str) -> Option<(u32, u32)> {
        self.slot_of(source, id, key_of(id))
            .ok()
            .map(|position| unpack(self.entries[position]))
    }

    /// Adds the id of `(term, alt)`; when the id is already present, leaves
    /// the index unchanged and returns what it names.
    pub(crate) fn insert<S: IdSource + ?Sized>(
        &mut self,
        source: &S,
        term: u32,
        alt: u32,
    ) -> Result<(), (u32, u32)> {
        if (self.len + 1) * 2 > self.entries.len() {
            self.grow();
        }
        let id = source.id(term, alt);
        let key = key_of(id);
        match self.slot_of(source, id, key) {
            Ok(position) => Err(unpack(self.entries[position])),
            Err(position) => {
                self.keys[position] = key;
                self.entries[position] = (u64::from(term) + 1) | (u64::from(alt) << 32);
                self.len += 1;
                Ok(())
            }
        }
    }

    /// Doubles the table, re-placing every entry by its stored key (ids
    /// are unique in the index, so no text is compared).
    fn grow(&mut self) {
        let old = std::mem::replace(self, IdIndex::with_capacity(self.entries.len()));
        self.len = old.len;
        for (key, entry) in old.keys.into_iter().zip(old.entries) {
            if entry != 0 {
                let mut position = home(key, self.mask);
                while self.entries[position] != 0 {
                    position = (position + 1) & self.mask;
                }
                self.keys[position] = key;
                self.entries[position] = entry;
            }
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

    #[test]
    fn long_ids_are_confirmed_against_their_text() {
        let ids = Ids(vec![
            vec!["http://purl.obolibrary.org/obo/GO_0000001"],
            vec!["http://purl.obolibrary.org/obo/GO_0000002"],
            vec!["exactly-16-bytes"],
            vec!["fifteen-bytes!!"],
        ]);
        let mut index = IdIndex::with_capacity(1);
        for t in 0..4 {
            index.insert(&ids, t, 0).unwrap();
        }
        assert_eq!(
            index.find(&ids, "http://purl.obolibrary.org/obo/GO_0000002"),
            Some((1, 0))
        );
        assert_eq!(index.find(&ids, "exactly-16-bytes"), Some((2, 0)));
        assert_eq!(index.find(&ids, "fifteen-bytes!!"), Some((3, 0)));
        assert_eq!(
            index.find(&ids, "http://purl.obolibrary.org/obo/GO_0000003"),
            None
        );
        assert_eq!(index.find(&ids, "fifteen-bytes!"), None);
        assert_eq!(index.insert(&ids, 1, 0), Err((1, 0)));
    }
}
