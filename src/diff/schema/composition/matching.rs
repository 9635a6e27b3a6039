//! Which branches of a composition keyword correspond across versions.
//!
//! Branches match by what they accept — structural equality (the core's memoized,
//! cycle-safe comparison) — then by component name, then by title, then by shape
//! similarity; never by position.

use crate::spec::model::{Api, Schema, SchemaId};

/// A property-name overlap (Jaccard) at least this high pairs two inline branches of
/// the same type that neither structural equality, name nor title matched.
const SIMILARITY_THRESHOLD: f64 = 0.5;

/// How the branches of one keyword correspond across versions (indexes into the lists).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BranchMatch {
    /// (base index, revision index) of matched branches, by base index.
    pub pairs: Vec<(usize, usize)>,
    /// Base branches with no counterpart.
    pub removed: Vec<usize>,
    /// Revision branches with no counterpart.
    pub added: Vec<usize>,
}

/// Matches branch lists: structurally equal branches first (`equal`), then equal
/// component names, then equal titles, then the most similar inline branch of the same type.
pub fn match_branches(
    base_api: &Api,
    base: &[SchemaId],
    rev_api: &Api,
    rev: &[SchemaId],
    mut equal: impl FnMut(SchemaId, SchemaId) -> bool,
) -> BranchMatch {
    let mut state = Greedy {
        base_used: vec![false; base.len()],
        rev_used: vec![false; rev.len()],
        pairs: Vec::new(),
    };
    // Structural equality first, decided once per pair for the whole diff.
    let same: Vec<Vec<bool>> = base
        .iter()
        .map(|&b| rev.iter().map(|&r| equal(b, r)).collect())
        .collect();
    let bs = |i: usize| base_api.schema(base[i]);
    let rs = |j: usize| rev_api.schema(rev[j]);
    let exact = |same: bool| same.then_some(1.0);
    state.pass(|i, j| exact(same[i][j]));
    state.pass(|i, j| exact(bs(i).ref_name.is_some() && bs(i).ref_name == rs(j).ref_name));
    state.pass(|i, j| exact(bs(i).title.is_some() && bs(i).title == rs(j).title));
    state.pass(|i, j| similarity(bs(i), rs(j)).filter(|&s| s >= SIMILARITY_THRESHOLD));
    let Greedy {
        base_used,
        rev_used,
        mut pairs,
    } = state;
    pairs.sort_unstable();
    BranchMatch {
        pairs,
        removed: unused(&base_used),
        added: unused(&rev_used),
    }
}

/// Indexes of the entries still false.
fn unused(used: &[bool]) -> Vec<usize> {
    used.iter()
        .enumerate()
        .filter(|(_, u)| !**u)
        .map(|(i, _)| i)
        .collect()
}

/// Greedy matching state: which branches are taken, and the pairs so far.
struct Greedy {
    base_used: Vec<bool>,
    rev_used: Vec<bool>,
    pairs: Vec<(usize, usize)>,
}

impl Greedy {
    /// Pairs each free base branch with the free revision branch scoring highest
    /// (None = cannot pair), in base order.
    fn pass(&mut self, score: impl Fn(usize, usize) -> Option<f64>) {
        for (i, taken) in self.base_used.iter_mut().enumerate() {
            if *taken {
                continue;
            }
            let best = self
                .rev_used
                .iter()
                .enumerate()
                .filter(|(_, t)| !**t)
                .filter_map(|(j, _)| score(i, j).map(|s| (j, s)))
                // First of equal scores wins: keeps the pairing stable and order-preserving.
                .fold(None::<(usize, f64)>, |acc, (j, s)| match acc {
                    Some((_, best)) if best >= s => acc,
                    _ => Some((j, s)),
                });
            if let Some((j, _)) = best {
                *taken = true;
                self.rev_used[j] = true;
                self.pairs.push((i, j));
            }
        }
    }
}

/// How alike two unmatched branches are, or None when they cannot be the same branch:
/// different types, or two different named components / titles (a renamed component
/// with the same shape was already matched by structural equality).
fn similarity(a: &Schema, b: &Schema) -> Option<f64> {
    let different = |x: &Option<String>, y: &Option<String>| x.is_some() && y.is_some() && x != y;
    if a.types != b.types || different(&a.ref_name, &b.ref_name) || different(&a.title, &b.title) {
        return None;
    }
    if a.properties.is_empty() && b.properties.is_empty() {
        return Some(1.0);
    }
    let common = a
        .properties
        .keys()
        .filter(|k| b.properties.contains_key(*k))
        .count();
    let union = a.properties.len() + b.properties.len() - common;
    Some(common as f64 / union as f64)
}

/// How a branch is named in messages: its component name, its title, or its position.
pub(super) fn label(api: &Api, id: SchemaId, index: usize) -> String {
    let s = api.schema(id);
    match (&s.ref_name, &s.title) {
        (Some(name), _) => format!("'{name}'"),
        (None, Some(title)) => format!("'{title}'"),
        (None, None) => format!("#{index}"),
    }
}
