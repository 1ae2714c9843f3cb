//! libphonenumber's region rule for one shared calling code and one national-number length, compiled into
//! a digit automaton: a number's region costs one table step per digit, until the digits read settle it.
//!
//! Why: the rule runs a handful of regexes per number. A cache keyed by leading digits made that rare on
//! real traffic (a few thousand prefixes), but random numbers (a sign-up surge, an SMS pumping run) are
//! each a new key: there every number paid for the regexes and a cache miss. Here the regexes' lazy DFAs
//! are stepped together, once, over every digit string the patterns can tell apart; a state of this
//! automaton is what the digits read so far leave of each region's test (settled true, settled false, or
//! the DFA states still running). Two prefixes that leave the same is one state, which keeps the
//! automaton to some thousands of states. `region_of_national` stays the reference it is tested against.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, MatchKind};

use super::{allows, anchored, Region};

/// Beyond this many states the automaton is not worth its memory: the caller runs the regexes instead.
/// (The largest the metadata gives, +1 at 10 digits, has some thousands.)
const MAX_STATES: usize = 1 << 18;

/// Room for the lazy DFAs' transitions while building. They must never be cleared mid-build (a clear
/// would reuse the state ids this automaton is keyed by), which the build checks.
const DFA_CACHE_BYTES: usize = 64 << 20;

pub(super) struct Automaton {
    states: Vec<State>,
}

enum State {
    Settled(Option<&'static str>),
    /// The next state for each digit 0-9.
    Open([u32; 10]),
}

impl Automaton {
    /// The region of `national`, which must have the length the automaton was built for and be ASCII
    /// digits; None when no region's test accepts it (or for input not meeting that contract).
    pub(super) fn region(&self, national: &[u8]) -> Option<&'static str> {
        let mut state = self.states.first()?;
        for &digit in national {
            match state {
                State::Settled(region) => return *region,
                State::Open(next) => {
                    let next = next.get(usize::from(digit.wrapping_sub(b'0')))?;
                    state = self.states.get(*next as usize)?;
                }
            }
        }
        match state {
            State::Settled(region) => *region,
            State::Open(_) => None,
        }
    }

    /// For national numbers of `len` digits of a calling code shared by `regions` (in libphonenumber's
    /// order). None if a pattern does not compile or the automaton would be too big.
    pub(super) fn build(regions: &[&'static Region], len: usize) -> Option<Automaton> {
        let tests = regions
            .iter()
            .map(|region| Test::of(region, len))
            .collect::<Option<Vec<Test>>>()?;
        Builder::new(tests, len).run()
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.states.len()
    }
}

/// One region's test at one length: every one of its patterns must match at the start of the number (its
/// leading digits; or its general pattern and the alternation of its number types that allow the length).
/// No patterns: the test fails whatever the digits.
struct Test {
    id: &'static str,
    patterns: Vec<(DFA, Cache)>,
}

impl Test {
    fn of(region: &'static Region, len: usize) -> Option<Test> {
        let patterns: Vec<String> = match (region.leading_digits, region.descriptors) {
            (Some(leading), _) => vec![anchored([leading])],
            (None, [general, ..]) => {
                let types = region.types_of_length(len);
                if allows(general.lengths, len) && !types.is_empty() {
                    vec![anchored([general.regex]), anchored(types)]
                } else {
                    Vec::new()
                }
            }
            (None, []) => Vec::new(),
        };
        let patterns = patterns
            .iter()
            .map(|pattern| {
                let dfa = DFA::builder()
                    .configure(
                        DFA::config()
                            .match_kind(MatchKind::All)
                            .cache_capacity(DFA_CACHE_BYTES)
                            .minimum_cache_clear_count(Some(0)),
                    )
                    // As `super::compile`: phonenumber's verbose mode, ASCII digits.
                    .syntax(syntax::Config::new().ignore_whitespace(true).unicode(false))
                    .build(pattern)
                    .ok()?;
                let cache = dfa.create_cache();
                Some((dfa, cache))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Test {
            id: region.id,
            patterns,
        })
    }
}

/// How far the digits read settle one pattern of a test.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Matched,
    Failed,
    Running(LazyStateID),
}

struct Builder {
    tests: Vec<Test>,
    len: usize,
    states: Vec<State>,
    /// Open states by (depth, parts), settled ones by answer: the keys that make equal prefixes one state.
    open: HashMap<(usize, Vec<Part>), u32>,
    settled: HashMap<Option<&'static str>, u32>,
    /// Open states still to expand: (index, depth, parts).
    queue: Vec<(u32, usize, Vec<Part>)>,
}

impl Builder {
    fn new(tests: Vec<Test>, len: usize) -> Builder {
        Builder {
            tests,
            len,
            states: Vec::new(),
            open: HashMap::new(),
            settled: HashMap::new(),
            queue: Vec::new(),
        }
    }

    fn run(mut self) -> Option<Automaton> {
        let anchored = start::Config::new().anchored(Anchored::Yes);
        let mut first = Vec::new();
        for test in &mut self.tests {
            for (dfa, cache) in &mut test.patterns {
                first.push(Part::Running(dfa.start_state(cache, &anchored).ok()?));
            }
        }
        self.state(0, first)?;
        while let Some((index, depth, parts)) = self.queue.pop() {
            let mut next = [0u32; 10];
            for (digit, slot) in (b'0'..=b'9').zip(&mut next) {
                let stepped = self.step(&parts, Some(digit))?;
                *slot = self.state(depth + 1, stepped)?;
            }
            *self.states.get_mut(index as usize)? = State::Open(next);
        }
        let cleared = (self.tests.iter())
            .flat_map(|test| &test.patterns)
            .any(|(_, cache)| cache.clear_count() > 0);
        (!cleared).then_some(Automaton {
            states: self.states,
        })
    }

    /// The parts after one more digit, or after the end of the number (None).
    fn step(&mut self, parts: &[Part], digit: Option<u8>) -> Option<Vec<Part>> {
        let patterns = self.tests.iter_mut().flat_map(|test| &mut test.patterns);
        parts
            .iter()
            .zip(patterns)
            .map(|(&part, (dfa, cache))| {
                let Part::Running(id) = part else {
                    return Some(part);
                };
                let id = match digit {
                    Some(digit) => dfa.next_state(cache, id, digit).ok()?,
                    None => dfa.next_eoi_state(cache, id).ok()?,
                };
                // Matches are reported one byte late: a match state after this byte means the digits
                // before it matched, and a match at the start is all the rule asks for.
                Some(if id.is_match() {
                    Part::Matched
                } else if id.is_dead() || id.is_quit() {
                    Part::Failed
                } else {
                    Part::Running(id)
                })
            })
            .collect()
    }

    /// The state for `parts` after `depth` digits, made (and queued) if new.
    fn state(&mut self, depth: usize, mut parts: Vec<Part>) -> Option<u32> {
        if depth == self.len {
            parts = self.step(&parts, None)?;
        }
        let answer = self.settle(&mut parts);
        let index = u32::try_from(self.states.len())
            .ok()
            .filter(|&i| (i as usize) < MAX_STATES);
        match answer {
            Some(region) => match self.settled.entry(region) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    let index = index?;
                    self.states.push(State::Settled(region));
                    Some(*e.insert(index))
                }
            },
            None => match self.open.entry((depth, parts)) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    let index = index?;
                    self.states.push(State::Open([0; 10]));
                    self.queue.push((index, depth, e.key().1.clone()));
                    Some(*e.insert(index))
                }
            },
        }
    }

    /// The answer the parts settle (Some(None): no region), or None while it is open. A failed test's
    /// other parts no longer matter: they are marked failed too, so that prefixes differing only there
    /// make one state.
    fn settle(&self, parts: &mut [Part]) -> Option<Option<&'static str>> {
        let mut open = false;
        let mut at = 0;
        let mut answer = None;
        for test in &self.tests {
            let mine = parts.get_mut(at..at + test.patterns.len())?;
            at += test.patterns.len();
            let failed = mine.is_empty() || mine.contains(&Part::Failed);
            if failed {
                mine.fill(Part::Failed);
            } else if !open && answer.is_none() && mine.iter().all(|&p| p == Part::Matched) {
                answer = Some(test.id);
            } else if answer.is_none() {
                open = true;
            }
        }
        match (answer, open) {
            (Some(region), _) => Some(Some(region)),
            (None, true) => None,
            (None, false) => Some(None),
        }
    }
}
