//! The deterministic change summary of a version: a headline, then one item per root
//! cause (breaking first), each saying what a client must do. Built from the diff's
//! root-cause groups; compound patterns (a rename, an endpoint moved, a removal after
//! deprecation) become one item. With both normalized models at hand, renames are
//! checked by type and component schema renames are recognised too.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::diff::{ChangeGroup, Level, Report};
use crate::spec::model::{Api, Schema};

use super::actions;

/// Most operations an item keeps (the count says how many there are).
const MAX_ITEM_OPERATIONS: usize = 20;

/// What kind of root cause an item stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// One root cause of the diff.
    Change,
    /// A property or parameter removed and a same-typed one added in the same place.
    Rename,
    /// A property or parameter removed and a differently typed one added in its place.
    Replaced,
    /// An endpoint removed and the same operation added under another path.
    Moved,
    /// A component schema removed and an equal one added under another name.
    SchemaRenamed,
    /// Something removed after it had been deprecated.
    RemovedAfterDeprecation,
    /// An endpoint added.
    EndpointAdded,
}

/// One entry of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryItem {
    /// Severity (the highest of its root causes).
    pub level: Level,
    /// The pattern it stands for.
    pub kind: ItemKind,
    /// What a client must do, in one line (names in backticks).
    pub text: String,
    /// The rule ids of its root causes.
    pub rules: Vec<String>,
    /// The operations it reaches, sorted (at most [`MAX_ITEM_OPERATIONS`]).
    pub operations: Vec<String>,
    /// How many operations it reaches.
    pub operation_count: usize,
}

/// A version's summary: stored with the version, shown in alerts, pages and feeds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VersionSummary {
    /// One line: "2 breaking changes in 355 operations, 5 endpoints added, 12 other changes".
    pub headline: String,
    /// The items, breaking first.
    pub items: Vec<SummaryItem>,
}

impl VersionSummary {
    /// Items at `level`.
    pub fn at(&self, level: Level) -> impl Iterator<Item = &SummaryItem> {
        self.items.iter().filter(move |i| i.level == level)
    }
}

/// The two normalized models of a diff, for the checks a group alone cannot answer.
#[derive(Clone, Copy)]
pub struct Models<'a> {
    /// The base.
    pub base: &'a Api,
    /// The revision.
    pub rev: &'a Api,
}

/// Summarizes `report` (and, when given, looks into the models for renames).
pub fn summarize(report: &Report, models: Option<Models<'_>>) -> VersionSummary {
    let mut used = vec![false; report.groups.len()];
    let mut items: Vec<Draft> = Vec::new();
    pair_renames(report, models, &mut used, &mut items);
    pair_moves(report, models, &mut used, &mut items);
    if let Some(m) = models {
        schema_renames(report, m, &mut used, &mut items);
    }
    for (i, g) in report.groups.iter().enumerate() {
        if !used[i] {
            items.push(single(g));
        }
    }
    let mut items = finish(merge(items));
    // Breaking first, then the widest reach; stable for equal keys (groups are sorted).
    items.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| b.operation_count.cmp(&a.operation_count))
    });
    VersionSummary {
        headline: headline(report, &items),
        items,
    }
}

/// "2 breaking changes in 355 operations, 5 endpoints added, 12 other changes".
fn headline(report: &Report, items: &[SummaryItem]) -> String {
    if items.is_empty() {
        return "No API changes.".into();
    }
    let breaking: Vec<&SummaryItem> = items
        .iter()
        .filter(|i| i.level == Level::Breaking)
        .collect();
    let added = items
        .iter()
        .filter(|i| i.kind == ItemKind::EndpointAdded)
        .count();
    let other = items.len() - breaking.len() - added;
    let mut parts = Vec::new();
    if breaking.is_empty() {
        parts.push("no breaking changes".to_string());
    } else {
        let reached: std::collections::HashSet<&str> = report
            .changes
            .iter()
            .filter(|c| c.level == Level::Breaking)
            .filter_map(|c| c.operation.as_deref())
            .collect();
        let mut p = count(breaking.len(), "breaking change");
        if !reached.is_empty() {
            p.push_str(&format!(" in {}", count(reached.len(), "operation")));
        }
        parts.push(p);
    }
    if added > 0 {
        parts.push(format!("{} added", count(added, "endpoint")));
    }
    if other > 0 {
        parts.push(count(other, "other change"));
    }
    let mut line = parts.join(", ");
    if let Some(first) = line.get(..1) {
        line = first.to_uppercase() + &line[1..];
    }
    line
}

fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// An item for one group on its own.
fn single(g: &ChangeGroup) -> Draft {
    let kind = if g.id == "endpoint-added" {
        ItemKind::EndpointAdded
    } else if g.id.contains("removed-with-deprecation") || g.id.contains("removed-before-sunset") {
        ItemKind::RemovedAfterDeprecation
    } else {
        ItemKind::Change
    };
    if let (ItemKind::EndpointAdded, [op]) = (kind, g.operations.as_slice()) {
        return item_with(g.level, kind, format!("new endpoint {op}"), &[g], false);
    }
    item(g.level, kind, actions::action(g), &[g])
}

/// An item being built: its text does not name its operations yet.
struct Draft {
    item: SummaryItem,
    /// Append the operations it reaches to the text.
    with_reach: bool,
}

/// An item whose text will end with the operations it reaches.
fn item(level: Level, kind: ItemKind, what: String, groups: &[&ChangeGroup]) -> Draft {
    item_with(level, kind, what, groups, true)
}

fn item_with(
    level: Level,
    kind: ItemKind,
    what: String,
    groups: &[&ChangeGroup],
    with_reach: bool,
) -> Draft {
    let mut operations: Vec<String> = groups
        .iter()
        .flat_map(|g| g.operations.iter().cloned())
        .collect();
    operations.sort_unstable();
    operations.dedup();
    let operation_count = groups
        .iter()
        .map(|g| g.operation_count)
        .max()
        .unwrap_or(0)
        .max(operations.len());
    let mut rules: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    rules.dedup();
    Draft {
        item: SummaryItem {
            level,
            kind,
            text: what,
            rules,
            operations,
            operation_count,
        },
        with_reach,
    }
}

/// One item for the same change made in several places (a parameter removed from two
/// operations that each declare it): same level, kind, rules and words.
fn merge(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::with_capacity(drafts.len());
    let mut index: HashMap<(Level, String, String), usize> = HashMap::new();
    for d in drafts {
        if !d.with_reach || d.item.operations.is_empty() {
            out.push(d);
            continue;
        }
        let key = (d.item.level, d.item.rules.join(","), d.item.text.clone());
        match index.get(&key) {
            Some(&at) => {
                let into = &mut out[at].item;
                let known = into.operations.len();
                into.operations.extend(d.item.operations);
                into.operations.sort_unstable();
                into.operations.dedup();
                into.operation_count += into.operations.len() - known;
            }
            None => {
                index.insert(key, out.len());
                out.push(d);
            }
        }
    }
    out
}

/// Appends each item's reach to its text and bounds its operation list.
fn finish(drafts: Vec<Draft>) -> Vec<SummaryItem> {
    drafts
        .into_iter()
        .map(|d| {
            let mut i = d.item;
            if let Some(r) = reach(&i.operations, i.operation_count).filter(|_| d.with_reach) {
                i.text.push_str(&r);
            }
            i.operations.truncate(MAX_ITEM_OPERATIONS);
            i
        })
        .collect()
}

/// " in POST /v1/x", " in A and B", " — reached from 355 operations (GET /a and 354 more)".
fn reach(ops: &[String], count: usize) -> Option<String> {
    Some(match (ops, count) {
        ([], _) => return None,
        ([one], 1) => format!(" in {one}"),
        ([a, b], 2) => format!(" in {a} and {b}"),
        ([first, ..], n) => format!(
            " — reached from {n} operations ({first} and {} more)",
            n - 1
        ),
    })
}

/// The name a message is about: the quoted property or parameter name ("added the anyOf
/// subschema 'x' to the response property 'a/b'" → "a/b"), else the first quoted name.
pub(crate) fn subject(message: &str) -> Option<&str> {
    let quoted_after = |at: usize| -> Option<&str> {
        let start = message[at..].find('\'')? + at + 1;
        let len = message[start..].find('\'')?;
        Some(&message[start..start + len])
    };
    ["property '", "parameter '"]
        .iter()
        .find_map(|k| message.find(k).and_then(quoted_after))
        .or_else(|| quoted_after(0))
}

/// A property path as clients write it: `a/b` → `a.b`.
pub(crate) fn dotted(path: &str) -> String {
    path.replace('/', ".")
}

/// The pointer one level up (`…/properties/x` → `…/properties`).
fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Which side of a rename pattern a rule id is, and of what.
fn rename_side(id: &str) -> Option<(bool, &'static str)> {
    Some(match id {
        "request-property-removed" => (false, "request-property"),
        "new-optional-request-property" | "new-required-request-property" => {
            (true, "request-property")
        }
        "request-parameter-removed" => (false, "request-parameter"),
        "new-optional-request-parameter" | "new-required-request-parameter" => {
            (true, "request-parameter")
        }
        "response-optional-property-removed" | "response-required-property-removed" => {
            (false, "response-property")
        }
        "response-optional-property-added" | "response-required-property-added" => {
            (true, "response-property")
        }
        _ => return None,
    })
}

/// Pointer → schema of a model for the `wanted` pointers only (one pass, no map of the
/// whole arena: a Stripe model has ~12,000 schemas).
fn by_pointer<'a>(api: &'a Api, wanted: &HashSet<&str>) -> HashMap<&'a str, &'a Schema> {
    api.schemas
        .iter()
        .filter(|s| wanted.contains(s.pointer.as_str()))
        .map(|s| (s.pointer.as_str(), s))
        .collect()
}

/// Removed + added in the same place (same parent, same operations) → one item.
fn pair_renames(
    report: &Report,
    models: Option<Models<'_>>,
    used: &mut [bool],
    items: &mut Vec<Draft>,
) {
    let groups = &report.groups;
    let sides: Vec<Option<(bool, &str)>> = groups.iter().map(|g| rename_side(&g.id)).collect();
    let removed: Vec<usize> = (0..groups.len())
        .filter(|&i| matches!(sides[i], Some((false, _))))
        .collect();
    if removed.is_empty() || !sides.iter().any(|s| matches!(s, Some((true, _)))) {
        return;
    }
    let wanted: HashSet<&str> = (0..groups.len())
        .filter(|&i| sides[i].is_some())
        .map(|i| groups[i].pointer.as_str())
        .collect();
    let index = models.map(|m| (by_pointer(m.base, &wanted), by_pointer(m.rev, &wanted)));
    // Types, nullability and, for arrays, the items' types and component name.
    type Typed = (Vec<String>, bool, Option<(Vec<String>, Option<String>)>);
    let type_of = |api: &Api, map: &HashMap<&str, &Schema>, p: &str| -> Option<Typed> {
        map.get(p).map(|s| {
            let items = s.items.map(|i| {
                let i = api.schema(i);
                (i.types.clone(), i.ref_name.clone())
            });
            (s.types.clone(), s.nullable, items)
        })
    };
    for r in removed {
        let (_, what) = sides[r].unwrap_or((false, ""));
        let gr = &groups[r];
        let candidates: Vec<usize> = (0..groups.len())
            .filter(|&a| !used[a] && sides[a] == Some((true, what)))
            .filter(|&a| {
                parent(&groups[a].pointer) == parent(&gr.pointer)
                    && groups[a].operations == gr.operations
            })
            .collect();
        let same_type = |a: usize| -> Option<bool> {
            let ((base, rev), m) = (index.as_ref()?, models?);
            Some(type_of(m.base, base, &gr.pointer)? == type_of(m.rev, rev, &groups[a].pointer)?)
        };
        let typed: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&a| same_type(a) == Some(true))
            .collect();
        let (a, kind) = match (typed.as_slice(), candidates.as_slice()) {
            ([a], _) => (*a, ItemKind::Rename),
            (_, [a]) if same_type(*a) == Some(true) || index.is_none() => (*a, ItemKind::Rename),
            (_, [a]) => (*a, ItemKind::Replaced),
            _ => {
                let names: Vec<&str> = candidates
                    .iter()
                    .map(|&a| subject(&groups[a].message).unwrap_or(""))
                    .collect();
                let Some(i) = closest(subject(&gr.message).unwrap_or(""), &names) else {
                    continue;
                };
                let a = candidates[i];
                let kind = if same_type(a) == Some(true) {
                    ItemKind::Rename
                } else {
                    ItemKind::Replaced
                };
                (a, kind)
            }
        };
        used[r] = true;
        used[a] = true;
        let ga = &groups[a];
        let old = dotted(subject(&gr.message).unwrap_or(""));
        let new = dotted(subject(&ga.message).unwrap_or(""));
        let level = gr.level.max(ga.level);
        let verb = if kind == ItemKind::Rename {
            "renamed"
        } else {
            "replaced"
        };
        let text = if what.starts_with("request") {
            format!("stop sending `{old}`; use `{new}` ({what} {verb})")
        } else {
            format!("read `{new}` instead of `{old}` ({what} {verb})")
        };
        items.push(item(level, kind, text, &[gr, ga]));
    }
}

/// The one name sharing the most leading words (`shipping_rates` ~ `shipping_options`)
/// with `old`, if it shares at least one and no other shares as many.
fn closest(old: &str, names: &[&str]) -> Option<usize> {
    let words = |s: &str| -> Vec<String> {
        s.split(['_', '.', '/', '-'])
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let old = words(old);
    let scores: Vec<usize> = names
        .iter()
        .map(|n| {
            words(n)
                .iter()
                .zip(&old)
                .take_while(|(a, b)| a == b)
                .count()
        })
        .collect();
    let best = *scores.iter().max()?;
    let mut at = scores.iter().enumerate().filter(|(_, s)| **s == best);
    match (best, at.next(), at.next()) {
        (1.., Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Ids of a removed endpoint.
fn endpoint_removed(id: &str) -> bool {
    id.starts_with("api-path-removed-") || id.starts_with("api-removed-")
}

/// An endpoint removed and one added with the same method and operationId (or, without
/// the models, the same last path segment) → one "moved" item.
fn pair_moves(
    report: &Report,
    models: Option<Models<'_>>,
    used: &mut [bool],
    items: &mut Vec<Draft>,
) {
    let groups = &report.groups;
    let op_id = |api: &Api, label: &str| -> Option<String> {
        api.operations
            .values()
            .find(|o| o.label() == label)
            .and_then(|o| o.operation_id.clone())
    };
    let method_last = |label: &str| -> Option<(String, String)> {
        let (m, p) = label.split_once(' ')?;
        Some((m.to_string(), p.rsplit('/').next()?.to_string()))
    };
    for r in 0..groups.len() {
        let gr = &groups[r];
        let [old] = gr.operations.as_slice() else {
            continue;
        };
        if used[r] || !endpoint_removed(&gr.id) {
            continue;
        }
        let matches = |a: usize| -> bool {
            let ga = &groups[a];
            let [new] = ga.operations.as_slice() else {
                return false;
            };
            if used[a] || ga.id != "endpoint-added" {
                return false;
            }
            match models {
                Some(m) => {
                    method_last(old).map(|x| x.0) == method_last(new).map(|x| x.0)
                        && op_id(m.base, old).is_some()
                        && op_id(m.base, old) == op_id(m.rev, new)
                }
                None => method_last(old) == method_last(new),
            }
        };
        let found: Vec<usize> = (0..groups.len()).filter(|&a| matches(a)).collect();
        let [a] = found.as_slice() else { continue };
        used[r] = true;
        used[*a] = true;
        let new = &groups[*a].operations[0];
        let text = format!("call {new} instead of {old} (endpoint moved)");
        // The text names both endpoints: no reach after it.
        items.push(item_with(
            gr.level,
            ItemKind::Moved,
            text,
            &[gr, &groups[*a]],
            false,
        ));
    }
}

/// A schema's property names with their types, sorted.
type Shape = Vec<(String, Vec<String>)>;

/// A component schema removed whose properties reappear, unchanged in name and type, in
/// exactly one component added under another name.
fn schema_renames(report: &Report, m: Models<'_>, used: &mut [bool], items: &mut Vec<Draft>) {
    let shape = |api: &Api, s: &Schema| -> Shape {
        let mut v: Shape = s
            .properties
            .iter()
            .map(|(k, id)| (k.clone(), api.schema(*id).types.clone()))
            .collect();
        v.sort();
        v
    };
    let added: Vec<(&String, Shape)> = m
        .rev
        .components
        .iter()
        .filter(|(name, _)| !m.base.components.contains_key(*name))
        .map(|(name, id)| (name, shape(m.rev, m.rev.schema(*id))))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    for (i, g) in report.groups.iter().enumerate() {
        if used[i] || g.id != "api-schema-removed" {
            continue;
        }
        let Some(old) = subject(&g.message) else {
            continue;
        };
        let Some(id) = m.base.components.get(old) else {
            continue;
        };
        let old_shape = shape(m.base, m.base.schema(*id));
        let found: Vec<&&String> = added
            .iter()
            .filter(|(_, s)| !old_shape.is_empty() && *s == old_shape)
            .map(|(n, _)| n)
            .collect();
        let [new] = found.as_slice() else { continue };
        used[i] = true;
        let text = format!(
            "component schema `{old}` renamed to `{new}` (same properties); update generated type names"
        );
        items.push(item(g.level, ItemKind::SchemaRenamed, text, &[g]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Change;

    fn ch(id: &str, level: Level, op: &str, ptr: &str, msg: &str) -> Change {
        Change::new(id, level, Some(op.into()), ptr.into(), msg.into(), &[])
    }

    #[test]
    fn a_removed_and_an_added_property_in_one_place_are_one_rename_item() {
        let body = "/paths/~1v1~1s/post/requestBody/content/application~1json/schema/properties";
        let report = Report::from_changes(vec![
            ch(
                "request-property-removed",
                Level::Warning,
                "POST /v1/s",
                &format!("{body}/shipping_rates"),
                "the request property 'shipping_rates' was removed",
            ),
            ch(
                "new-optional-request-property",
                Level::Info,
                "POST /v1/s",
                &format!("{body}/shipping_options"),
                "the request property 'shipping_options' was added as optional",
            ),
            ch(
                "endpoint-added",
                Level::Info,
                "GET /v1/r",
                "/paths/~1v1~1r/get",
                "endpoint added",
            ),
        ]);
        let s = summarize(&report, None);
        assert_eq!(s.items.len(), 2, "{s:#?}");
        assert_eq!(s.items[0].kind, ItemKind::Rename);
        assert_eq!(
            s.items[0].text,
            "stop sending `shipping_rates`; use `shipping_options` (request-property renamed) in POST /v1/s"
        );
        assert_eq!(
            s.headline,
            "No breaking changes, 1 endpoint added, 1 other change"
        );
    }

    #[test]
    fn the_headline_counts_breaking_items_and_their_reach() {
        let s = summarize(&crate::diff::output::tests::sample(), None);
        assert_eq!(
            s.headline,
            "2 breaking changes in 2 operations, 1 endpoint added, 2 other changes"
        );
        assert_eq!(s.items[0].level, Level::Breaking);
        assert_eq!(
            summarize(&Report::default(), None).headline,
            "No API changes."
        );
    }

    #[test]
    fn an_endpoint_removed_and_added_under_another_path_is_moved() {
        let report = Report::from_changes(vec![
            ch(
                "api-path-removed-without-deprecation",
                Level::Breaking,
                "POST /v1/a/verify",
                "/paths/~1v1~1a~1verify/post",
                "api path removed without deprecation",
            ),
            ch(
                "endpoint-added",
                Level::Info,
                "POST /v2/a/verify",
                "/paths/~1v2~1a~1verify/post",
                "endpoint added",
            ),
        ]);
        let s = summarize(&report, None);
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.items[0].kind, ItemKind::Moved);
        assert_eq!(
            s.items[0].text,
            "call POST /v2/a/verify instead of POST /v1/a/verify (endpoint moved)"
        );
        assert_eq!(s.items[0].level, Level::Breaking);
    }
}
