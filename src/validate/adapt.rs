//! Which path a record tries first: the typed parse (the fast path) or the schema on the tree
//! (the slow path). Every record gets the same verdict either way — a record the tree judges
//! gets the verdict the typed path would give it, and one the schema finds nothing wrong with
//! still goes to the typed path — so the choice only moves cost: a record that fails its typed
//! parse pays for that parse and then the slow path, while a record that passes it pays for
//! nothing else. Each thread keeps a guess of which records it is seeing from the records it
//! has just judged, and tries the slow path first only while most of them failed their typed
//! parse.

use std::cell::Cell;

/// The guess: a saturating count that a record failing its typed parse raises by
/// [`FAILED_STEP`] and a record passing it lowers by [`TYPED_STEP`]. The count drifts up
/// exactly while more than `TYPED_STEP / (FAILED_STEP + TYPED_STEP)` of the records fail: two
/// in three, about where trying the schema first starts to pay. Measured on the benchmark's
/// records, a record that passes costs about 31,000 instructions more schema-first (the tree
/// and the schema pass, for nothing), while a record of the invalid file costs about 9,000
/// fewer (the doomed parse it skips, less the schema passes of the few it finds nothing
/// wrong with), so the break-even is at about 70 % failing records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Guess(u8);

/// How much a record that failed its typed parse raises the count.
const FAILED_STEP: u8 = 1;
/// How much a record that passed its typed parse lowers the count.
const TYPED_STEP: u8 = 2;
/// The highest count: how long a run of failures the guess remembers.
const MOST: u8 = 32;
/// From this count on, the schema goes first.
const SCHEMA_FIRST: u8 = 16;

impl Guess {
    /// Whether the next record should go to the schema first.
    pub(crate) fn schema_first(self) -> bool {
        self.0 >= SCHEMA_FIRST
    }

    /// The guess after a record that did (`typed`) or did not deserialize into its type.
    pub(crate) fn after(self, typed: bool) -> Guess {
        Guess(if typed {
            self.0.saturating_sub(TYPED_STEP)
        } else {
            self.0.saturating_add(FAILED_STEP).min(MOST)
        })
    }
}

thread_local! {
    /// This thread's guess; it starts on the typed path.
    static GUESS: Cell<Guess> = const { Cell::new(Guess(0)) };
}

/// This thread's guess (the typed path first when there is none to read).
pub(crate) fn guess() -> Guess {
    GUESS.try_with(Cell::get).unwrap_or(Guess(0))
}

/// Remember a record that did (`typed`) or did not deserialize into its type.
pub(crate) fn saw(typed: bool) {
    let _ = GUESS.try_with(|g| g.set(g.get().after(typed)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(guess: Guess, typed: impl IntoIterator<Item = bool>) -> Guess {
        typed.into_iter().fold(guess, Guess::after)
    }

    #[test]
    fn the_schema_goes_first_only_while_most_records_fail() {
        let start = Guess(0);
        assert!(!start.schema_first());
        // Nine in ten fail: the schema goes first soon, and stays first.
        let mostly_failing = (0..200).map(|i| i % 10 == 0);
        let g = run(start, mostly_failing.clone().take(40));
        assert!(g.schema_first(), "{g:?}");
        assert!(run(g, mostly_failing).schema_first());
        // Half fail, or a third: the typed path stays first.
        for share in [2, 3] {
            let g = run(start, (0..300).map(|i| i % share != 0));
            assert!(!g.schema_first(), "{share}: {g:?}");
            let g = run(Guess(MOST), (0..300).map(|i| i % share != 0));
            assert!(!g.schema_first(), "{share}: {g:?}");
        }
        // Valid records bring a thread back to the typed path within a few records.
        let g = run(Guess(MOST), std::iter::repeat(true).take(9));
        assert!(!g.schema_first(), "{g:?}");
        // The count stays in its range.
        assert_eq!(run(start, std::iter::repeat(false).take(1000)), Guess(MOST));
        assert_eq!(run(Guess(MOST), std::iter::repeat(true).take(1000)), start);
    }
}
