//! The document tree the normalizer reads: like `serde_json::Value`, but every node lives
//! in an [`Arena`] (freed at once, not node by node), strings borrow the input where they
//! need no unescaping, and objects are slices, indexed only when large. A node is 24
//! bytes and an object entry 40 (with owned vectors they were 48 and 72): with both sides
//! of a diff loading at once the load is memory-bound, so size is time.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// Where a document tree's nodes are allocated; the tree borrows it and everything
/// is freed when it drops.
#[derive(Default)]
pub struct Arena(bumpalo::Bump);

impl Arena {
    /// An empty arena.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves `stack[start..]` into the arena (one exact-size slice), truncating `stack`.
    fn take_tail<T: Copy>(&self, stack: &mut Vec<T>, start: usize) -> &[T] {
        let slice = self.0.alloc_slice_copy(&stack[start..]);
        stack.truncate(start);
        slice
    }
}

/// One JSON value of a parsed document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(Num),
    /// A string, borrowed from the input when it has no escapes.
    String(&'a str),
    /// An array.
    Array(&'a [Node<'a>]),
    /// An object, keys in document order.
    Object(&'a Obj<'a>),
}

/// A JSON number as serde_json keeps it (`Number` itself is not `Copy`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A non-negative integer.
    Pos(u64),
    /// A negative integer.
    Neg(i64),
    /// Any other (finite) number.
    Float(f64),
}

impl Num {
    /// As serde_json's `Number` (same equality, same text).
    pub fn to_number(self) -> Number {
        match self {
            Num::Pos(n) => n.into(),
            Num::Neg(n) => n.into(),
            Num::Float(f) => Number::from_f64(f).unwrap_or_else(|| 0.into()),
        }
    }

    fn from_i64(n: i64) -> Num {
        if n < 0 {
            Num::Neg(n)
        } else {
            Num::Pos(n as u64)
        }
    }

    /// The number as `f64`.
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Pos(n) => n as f64,
            Num::Neg(n) => n as f64,
            Num::Float(f) => f,
        }
    }
}

impl fmt::Display for Num {
    /// As serde_json prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_number(), f)
    }
}

/// One object entry.
type Entry<'a> = (&'a str, Node<'a>);

/// Objects with more keys than this get a hash index; smaller ones are scanned, which is
/// cheaper than hashing for the handful of keys most spec objects have.
const INDEX_ABOVE: usize = 12;

/// A JSON object: entries in document order, unique keys (the last duplicate's value wins,
/// at the first one's position, as in serde_json's ordered map).
#[derive(Debug)]
pub struct Obj<'a> {
    entries: &'a [Entry<'a>],
    /// Open-addressing table of entry positions + 1 (0 = free), for large objects only.
    index: Option<&'a [u32]>,
    /// The `$ref` string, found while the entries are still in cache: the normalizer
    /// asks every schema object for it, and finding it later touches each key's bytes.
    reference: Option<&'a str>,
}

/// One seed per process, so a crafted document cannot aim for collisions.
static HASHER: std::sync::LazyLock<foldhash::fast::RandomState> =
    std::sync::LazyLock::new(Default::default);

fn hash(key: &str) -> usize {
    use std::hash::BuildHasher;
    HASHER.hash_one(key) as usize
}

impl PartialEq for Obj<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

/// The empty object, shared by every `{}`.
static EMPTY: Obj<'static> = Obj {
    entries: &[],
    index: None,
    reference: None,
};

impl<'a> Obj<'a> {
    /// Builds an object in `arena` from the entries `stack[start..]` (in document order),
    /// resolving duplicate keys; leaves `stack` truncated to `start`.
    fn build(arena: &'a Arena, stack: &mut Vec<Entry<'a>>, start: usize) -> &'a Obj<'a> {
        let len = stack.len() - start;
        if len == 0 {
            return &EMPTY;
        }
        let index = if len <= INDEX_ABOVE {
            dedup(stack, start);
            None
        } else {
            let index = match index_of(arena, &stack[start..]) {
                Some(index) => index,
                None => {
                    // Rare: duplicate keys. Resolve them, then index what is left.
                    dedup(stack, start);
                    index_of(arena, &stack[start..]).expect("no duplicates are left")
                }
            };
            Some(&*index)
        };
        let entries = arena.take_tail(stack, start);
        let reference = entries
            .iter()
            .find(|(k, _)| *k == "$ref")
            .and_then(|(_, v)| v.as_str());
        arena.0.alloc(Obj {
            entries,
            index,
            reference,
        })
    }

    /// The `$ref` string, if this object has one.
    pub fn reference(&self) -> Option<&'a str> {
        self.reference
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node<'a>> {
        let entries = self.entries;
        let Some(slots) = self.index else {
            // Length and first byte before `memcmp`: most keys differ there already.
            let first = key.as_bytes().first();
            return entries
                .iter()
                .find(|(k, _)| k.len() == key.len() && k.as_bytes().first() == first && *k == key)
                .map(|(_, v)| v);
        };
        let mask = slots.len() - 1;
        let mut at = hash(key) & mask;
        loop {
            match slots[at] as usize {
                0 => return None,
                i if entries[i - 1].0 == key => return Some(&entries[i - 1].1),
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Entries in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a Node<'a>)> + use<'a> {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    /// Keys in document order.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.entries.iter().map(|(k, _)| *k)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The object as a `serde_json` map.
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.to_value()))
            .collect()
    }
}

impl<'a> IntoIterator for &Obj<'a> {
    type Item = (&'a str, &'a Node<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, Entry<'a>>,
        fn(&'a Entry<'a>) -> (&'a str, &'a Node<'a>),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (*k, v))
    }
}

/// The hash index of `entries`, or None if a key repeats.
fn index_of<'a>(arena: &'a Arena, entries: &[Entry<'_>]) -> Option<&'a mut [u32]> {
    let mask = (entries.len() * 2).next_power_of_two() - 1;
    let slots = arena.0.alloc_slice_fill_copy(mask + 1, 0u32);
    for (i, (key, _)) in entries.iter().enumerate() {
        let mut at = hash(key) & mask;
        loop {
            match slots[at] as usize {
                0 => {
                    slots[at] = i as u32 + 1;
                    break;
                }
                first if entries[first - 1].0 == *key => return None,
                _ => at = (at + 1) & mask,
            }
        }
    }
    Some(slots)
}

/// Resolves duplicate keys in `stack[start..]`: the last value wins, at the first key's
/// position. Large objects find the first position by hash, so this stays linear.
fn dedup(stack: &mut Vec<Entry<'_>>, start: usize) {
    let large = stack.len() - start > INDEX_ABOVE;
    let mut firsts: std::collections::HashMap<&str, usize> = Default::default();
    let mut kept = start;
    for read in start..stack.len() {
        let (key, value) = stack[read];
        let first = if large {
            firsts.get(key).copied()
        } else {
            stack[start..kept]
                .iter()
                .position(|(k, _)| *k == key)
                .map(|i| start + i)
        };
        match first {
            Some(first) => stack[first].1 = value,
            None => {
                if large {
                    firsts.insert(key, kept);
                }
                stack[kept] = (key, value);
                kept += 1;
            }
        }
    }
    stack.truncate(kept);
}

impl<'a> Node<'a> {
    /// `self[key]` when `self` is an object.
    pub fn get(&self, key: &str) -> Option<&'a Node<'a>> {
        self.as_object()?.get(key)
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&'a Obj<'a>> {
        match self {
            Node::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&'a [Node<'a>]> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Node::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// The number as `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(Num::Pos(n)) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is `true`.
    pub fn is_true(&self) -> bool {
        matches!(self, Node::Bool(true))
    }

    /// Whether this is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Node::Bool(_))
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Node::Array(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    /// What kind of value this is, for messages ("an array", …).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Null => "empty (null)",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a plain string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    /// The value as an owned `serde_json::Value` (for the model's literal values).
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.to_number()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            Node::Object(m) => Value::Object(m.to_map()),
        }
    }

    /// A tree of `v` in `arena`, borrowing its strings (the daemon parses into `Value`
    /// for hashing first).
    pub fn from_value(v: &'a Value, arena: &'a Arena) -> Node<'a> {
        Converter::new(arena, |s: &'a str| s).node(v)
    }

    /// A tree of `v` in `arena` with its own copies of the strings (YAML and referenced
    /// files parse into a `Value` that is dropped afterwards).
    pub fn copy_of(v: &Value, arena: &'a Arena) -> Node<'a> {
        Converter::new(arena, |s: &str| &*arena.0.alloc_str(s)).node(v)
    }

    /// Parses JSON into a tree in `arena` (strings without escapes borrow the input).
    pub fn parse<'de: 'a, D: Deserializer<'de>>(
        d: D,
        arena: &'a Arena,
    ) -> Result<Node<'a>, D::Error> {
        Builder {
            arena,
            items: &mut Vec::new(),
            entries: &mut Vec::new(),
        }
        .deserialize(d)
    }
}

impl fmt::Display for Node<'_> {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_value(), f)
    }
}

impl PartialEq<&str> for Node<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// Builds trees from `Value`s, with `text` deciding where strings live.
struct Converter<'a, F> {
    arena: &'a Arena,
    text: F,
    items: Vec<Node<'a>>,
    entries: Vec<Entry<'a>>,
}

impl<'a, 'v, F: Fn(&'v str) -> &'a str> Converter<'a, F> {
    fn new(arena: &'a Arena, text: F) -> Self {
        Converter {
            arena,
            text,
            items: Vec::new(),
            entries: Vec::new(),
        }
    }

    fn node(&mut self, v: &'v Value) -> Node<'a> {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(num_of(n)),
            Value::String(s) => Node::String((self.text)(s)),
            Value::Array(a) => {
                let start = self.items.len();
                for x in a {
                    let x = self.node(x);
                    self.items.push(x);
                }
                Node::Array(self.arena.take_tail(&mut self.items, start))
            }
            Value::Object(m) => {
                let start = self.entries.len();
                for (k, x) in m {
                    let x = self.node(x);
                    let k = (self.text)(k);
                    self.entries.push((k, x));
                }
                Node::Object(Obj::build(self.arena, &mut self.entries, start))
            }
        }
    }
}

fn num_of(n: &Number) -> Num {
    if let Some(u) = n.as_u64() {
        Num::Pos(u)
    } else if let Some(i) = n.as_i64() {
        Num::Neg(i)
    } else {
        Num::Float(n.as_f64().unwrap_or(0.0))
    }
}

/// Parses one value into the arena. Children are gathered on two stacks shared by the
/// whole parse and copied into the arena once complete, so each array or object is one
/// exact-size allocation.
struct Builder<'s, 'a> {
    arena: &'a Arena,
    items: &'s mut Vec<Node<'a>>,
    entries: &'s mut Vec<Entry<'a>>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Builder<'_, 'a> {
    type Value = Node<'a>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node<'a>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Builder<'_, 'a> {
    type Value = Node<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node<'a>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Node<'a>, E> {
        Ok(Node::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Node<'a>, E> {
        Ok(Node::Number(Num::Pos(n)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Node<'a>, E> {
        Ok(Node::Number(Num::from_i64(n)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Node<'a>, E> {
        // What serde_json's `Value` does with a non-finite number.
        Ok(if n.is_finite() {
            Node::Number(Num::Float(n))
        } else {
            Node::Null
        })
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'a>, E> {
        Ok(Node::String(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Node<'a>, E> {
        Ok(Node::String(self.arena.0.alloc_str(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node<'a>, A::Error> {
        let start = self.items.len();
        while let Some(x) = a.next_element_seed(Builder {
            arena: self.arena,
            items: &mut *self.items,
            entries: &mut *self.entries,
        })? {
            self.items.push(x);
        }
        Ok(Node::Array(self.arena.take_tail(self.items, start)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node<'a>, A::Error> {
        let start = self.entries.len();
        while let Some(k) = a.next_key_seed(KeySeed(self.arena))? {
            let x = a.next_value_seed(Builder {
                arena: self.arena,
                items: &mut *self.items,
                entries: &mut *self.entries,
            })?;
            self.entries.push((k, x));
        }
        Ok(Node::Object(Obj::build(self.arena, self.entries, start)))
    }
}

/// An object key: borrowed when it has no escapes, else copied into the arena.
struct KeySeed<'a>(&'a Arena);

impl<'de: 'a, 'a> DeserializeSeed<'de> for KeySeed<'a> {
    type Value = &'a str;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'a str, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for KeySeed<'a> {
    type Value = &'a str;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<&'a str, E> {
        Ok(s)
    }
    fn visit_str<E>(self, s: &str) -> Result<&'a str, E> {
        Ok(self.0.0.alloc_str(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<'a>(s: &'a str, arena: &'a Arena) -> Node<'a> {
        Node::parse(&mut serde_json::Deserializer::from_str(s), arena).unwrap()
    }

    #[test]
    fn matches_serde_json_value_for_every_kind_and_escape() {
        let text = r#"{"a": [1, -2, 2.5, 18446744073709551615, true, null, "x\"y", "plain", [], -0, 1e300], "b\n": {"c": {}}}"#;
        let arena = Arena::new();
        assert_eq!(
            parse(text, &arena).to_value(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let input = r#"{"s": "plain", "e": "a\u00e9"}"#;
        let n = parse(input, &arena);
        let plain = n.get("s").and_then(Node::as_str).unwrap();
        assert!(
            input.as_bytes().as_ptr_range().contains(&plain.as_ptr()),
            "an unescaped string borrows the input"
        );
        assert_eq!(n.get("e").and_then(Node::as_str), Some("aé"));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_at_the_first_position_like_value() {
        for n in [3, 40] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            keys.insert(1, "\"k5\": \"dup\"".into());
            keys.push("\"k0\": \"last\"".into());
            let text = format!("{{{}}}", keys.join(", "));
            let arena = Arena::new();
            let ours = parse(&text, &arena);
            assert_eq!(
                ours.to_value(),
                serde_json::from_str::<Value>(&text).unwrap(),
                "{n} keys"
            );
            let obj = ours.as_object().unwrap();
            assert_eq!(obj.len(), if n > 5 { n } else { n + 1 });
            assert_eq!(obj.get("k0").and_then(Node::as_str), Some("last"));
            assert!(obj.get("k-missing").is_none());
        }
    }

    #[test]
    fn large_objects_find_every_key() {
        let text = format!(
            "{{{}}}",
            (0..500)
                .rev()
                .map(|i| format!("\"p{i}\": {i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let arena = Arena::new();
        let n = parse(&text, &arena);
        for i in 0..500 {
            assert_eq!(n.get(&format!("p{i}")).and_then(Node::as_u64), Some(i));
        }
        assert_eq!(n.as_object().unwrap().keys().next(), Some("p499"));
    }

    #[test]
    fn nodes_and_entries_stay_small() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
        assert_eq!(std::mem::size_of::<Entry>(), 40);
    }

    #[test]
    fn converts_from_value_both_ways() {
        let v: Value =
            serde_json::from_str(r#"{"a": {"b": [1, "two", null]}, "c": false}"#).unwrap();
        let arena = Arena::new();
        assert_eq!(Node::from_value(&v, &arena).to_value(), v);
        assert_eq!(Node::copy_of(&v.clone(), &arena).to_value(), v);
        assert_eq!(Node::from_value(&v, &arena), Node::copy_of(&v, &arena));
    }
}
