//! The document tree the normalizer reads: like `serde_json::Value`, but strings borrow
//! the input where they need no unescaping and objects are vectors, indexed only when
//! large. Parsing Stripe's 3.8 MB spec into it takes about half the time of `Value`
//! (whose maps own and hash every key), and freeing it about a sixth.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// One JSON value of a parsed document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string, borrowed from the input when it has no escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object, keys in document order.
    Object(Obj<'a>),
}

/// Objects with more keys than this get a hash index; smaller ones are scanned, which is
/// cheaper than hashing for the handful of keys most spec objects have.
const INDEX_ABOVE: usize = 12;

/// A JSON object: entries in document order, unique keys (the last duplicate's value wins,
/// at the first one's position, as in serde_json's ordered map).
#[derive(Debug, Clone, Default)]
pub struct Obj<'a> {
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// Open-addressing table of entry positions + 1 (0 = free), for large objects only.
    index: Option<Box<[u32]>>,
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

impl<'a> Obj<'a> {
    /// Builds an object from entries in document order, resolving duplicate keys.
    pub fn from_entries(mut entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Self {
        if entries.len() <= INDEX_ABOVE {
            dedup_small(&mut entries);
            return Obj {
                entries,
                index: None,
            };
        }
        let mask = (entries.len() * 2).next_power_of_two() - 1;
        let mut slots = vec![0u32; mask + 1];
        let mut duplicates = Vec::new();
        for (i, (key, _)) in entries.iter().enumerate() {
            let mut at = hash(key) & mask;
            loop {
                match slots[at] as usize {
                    0 => {
                        slots[at] = i as u32 + 1;
                        break;
                    }
                    first if entries[first - 1].0 == *key => {
                        duplicates.push((first - 1, i));
                        break;
                    }
                    _ => at = (at + 1) & mask,
                }
            }
        }
        if !duplicates.is_empty() {
            // Rare: move each later value to its key's first position, drop the later entries
            // and index again (no duplicates are left).
            for &(first, later) in &duplicates {
                entries[first].1 = std::mem::replace(&mut entries[later].1, Node::Null);
            }
            let later: std::collections::HashSet<usize> =
                duplicates.iter().map(|&(_, later)| later).collect();
            let mut i = 0;
            entries.retain(|_| {
                i += 1;
                !later.contains(&(i - 1))
            });
            return Obj::from_entries(entries);
        }
        Obj {
            entries,
            index: Some(slots.into_boxed_slice()),
        }
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        let Some(slots) = &self.index else {
            // Length and first byte before `memcmp`: most keys differ there already.
            let first = key.as_bytes().first();
            return self
                .entries
                .iter()
                .find(|(k, _)| k.len() == key.len() && k.as_bytes().first() == first && k == key)
                .map(|(_, v)| v);
        };
        let mask = slots.len() - 1;
        let mut at = hash(key) & mask;
        loop {
            match slots[at] as usize {
                0 => return None,
                i if self.entries[i - 1].0 == key => return Some(&self.entries[i - 1].1),
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Entries in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node<'a>)> {
        self.into_iter()
    }

    /// Keys in document order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
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

impl<'s, 'a> IntoIterator for &'s Obj<'a> {
    type Item = (&'s str, &'s Node<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'s, (Cow<'a, str>, Node<'a>)>,
        fn(&'s (Cow<'a, str>, Node<'a>)) -> (&'s str, &'s Node<'a>),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// Last value wins, at the first key's position.
fn dedup_small(entries: &mut Vec<(Cow<'_, str>, Node<'_>)>) {
    let mut i = 1;
    while i < entries.len() {
        let key = &entries[i].0;
        match entries[..i].iter().position(|(k, _)| k == key) {
            Some(first) => {
                let (_, v) = entries.remove(i);
                entries[first].1 = v;
            }
            None => i += 1,
        }
    }
}

impl<'a> Node<'a> {
    /// `self[key]` when `self` is an object.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_object()?.get(key)
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Obj<'a>> {
        match self {
            Node::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Node<'a>>> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
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
            Node::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(n) => n.as_u64(),
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
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            Node::Object(m) => Value::Object(m.to_map()),
        }
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

/// Borrows every string of a `Value` (the daemon parses into `Value` for hashing first).
impl<'a> From<&'a Value> for Node<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::String(Cow::Borrowed(s)),
            Value::Array(a) => Node::Array(a.iter().map(Node::from).collect()),
            Value::Object(m) => Node::Object(Obj::from_entries(
                m.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::from(v)))
                    .collect(),
            )),
        }
    }
}

/// Moves a `Value`'s strings into an owned tree (YAML and referenced files parse into `Value`).
impl From<Value> for Node<'static> {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(b),
            Value::Number(n) => Node::Number(n),
            Value::String(s) => Node::String(Cow::Owned(s)),
            Value::Array(a) => Node::Array(a.into_iter().map(Node::from).collect()),
            Value::Object(m) => Node::Object(Obj::from_entries(
                m.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Node::from(v)))
                    .collect(),
            )),
        }
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node<'de>, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
                Ok(Node::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Node<'de>, E> {
                Ok(Node::Number(n.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Node<'de>, E> {
                Ok(Node::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node<'de>, E> {
                // What serde_json's `Value` does with a non-finite number.
                Ok(Number::from_f64(n).map_or(Node::Null, Node::Number))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
                Ok(Node::String(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
                Ok(Node::String(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Node<'de>, E> {
                Ok(Node::String(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node<'de>, A::Error> {
                let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0).min(1024));
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Node::Array(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node<'de>, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<Key, Node>()? {
                    v.push((k.0, x));
                }
                Ok(Node::Object(Obj::from_entries(v)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Node<'_> {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn matches_serde_json_value_for_every_kind_and_escape() {
        let text = r#"{"a": [1, -2, 2.5, 18446744073709551615, true, null, "x\"y", "plain"], "b\n": {"c": {}}}"#;
        assert_eq!(
            parse(text).to_value(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let n = parse(r#"{"s": "plain", "e": "a\u00e9"}"#);
        assert!(matches!(
            n.get("s"),
            Some(Node::String(Cow::Borrowed("plain")))
        ));
        assert_eq!(n.get("e").and_then(Node::as_str), Some("aé"));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_at_the_first_position_like_value() {
        for n in [3, 40] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            keys.insert(1, "\"k5\": \"dup\"".into());
            keys.push("\"k0\": \"last\"".into());
            let text = format!("{{{}}}", keys.join(", "));
            let ours = parse(&text);
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
        let n = parse(&text);
        for i in 0..500 {
            assert_eq!(n.get(&format!("p{i}")).and_then(Node::as_u64), Some(i));
        }
        assert_eq!(n.as_object().unwrap().keys().next(), Some("p499"));
    }

    #[test]
    fn converts_from_value_both_ways() {
        let v: Value =
            serde_json::from_str(r#"{"a": {"b": [1, "two", null]}, "c": false}"#).unwrap();
        assert_eq!(Node::from(&v).to_value(), v);
        assert_eq!(Node::from(v.clone()).to_value(), v);
        assert_eq!(Node::from(&v), Node::from(v.clone()));
    }
}
