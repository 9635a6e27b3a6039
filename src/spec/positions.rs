//! Source positions: the line and column of a JSON or YAML document that a JSON pointer
//! names, for annotations (`specwatch diff --format githubactions|sarif`).
//!
//! Built on demand from the YAML event stream (JSON is YAML 1.2 flow syntax), recording
//! only the pointers asked for and their ancestors: a diff that needs no positions pays
//! nothing, and one that does pays one extra scan of the revision, not a map of every node.

use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser};

use crate::spec::normalize::refs::escape;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
}

/// Positions of some JSON pointers in one document.
#[derive(Debug, Clone, Default)]
pub struct LineMap {
    found: HashMap<String, Position>,
}

/// One open container while walking the document.
enum Frame {
    /// A mapping; `key_next` when the next node is a key.
    Map { key_next: bool },
    /// A sequence; `next` is the index of the next item.
    Seq { next: usize },
}

/// A node as the walker sees it.
enum Item<'a> {
    /// A scalar (or alias): a key when a mapping expects one.
    Scalar(&'a str),
    /// The start of a mapping.
    Map,
    /// The start of a sequence.
    Seq,
}

/// Tracks the pointer of the current node and records the wanted ones.
struct Walker<'w> {
    wanted: &'w HashSet<&'w str>,
    frames: Vec<Frame>,
    /// The current pointer; `marks` holds its length before each segment.
    ptr: String,
    marks: Vec<usize>,
    map: LineMap,
}

impl<'w> Walker<'w> {
    fn new(wanted: &'w HashSet<&'w str>) -> Self {
        Walker {
            wanted,
            frames: Vec::new(),
            ptr: String::new(),
            marks: Vec::new(),
            map: LineMap::default(),
        }
    }

    /// A node starting at `at`; false when the document cannot be walked further (a
    /// complex key, which OpenAPI never has).
    fn node(&mut self, item: Item<'_>, at: Position) -> bool {
        match self.frames.last_mut() {
            Some(Frame::Map { key_next }) if *key_next => {
                let Item::Scalar(key) = item else {
                    return false;
                };
                *key_next = false;
                self.marks.push(self.ptr.len());
                self.ptr.push('/');
                self.ptr.push_str(&escape(key));
                self.record(at);
                return true;
            }
            Some(Frame::Seq { next }) => {
                let index = *next;
                *next += 1;
                self.marks.push(self.ptr.len());
                self.ptr.push('/');
                self.ptr.push_str(&index.to_string());
                self.record(at);
            }
            Some(Frame::Map { .. }) => {}
            None => self.record(at),
        }
        match item {
            Item::Map => self.frames.push(Frame::Map { key_next: true }),
            Item::Seq => self.frames.push(Frame::Seq { next: 0 }),
            Item::Scalar(_) => self.end_value(),
        }
        true
    }

    /// The end of a mapping or sequence.
    fn end(&mut self) {
        self.frames.pop();
        self.end_value();
    }

    /// A value (or array item) ended: drop its segment; a mapping now expects a key.
    fn end_value(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map { key_next }) => *key_next = true,
            Some(Frame::Seq { .. }) => {}
            None => return,
        }
        if let Some(len) = self.marks.pop() {
            self.ptr.truncate(len);
        }
    }

    fn record(&mut self, at: Position) {
        if self.wanted.contains(self.ptr.as_str()) {
            self.map.found.entry(self.ptr.clone()).or_insert(at);
        }
    }
}

impl LineMap {
    /// Scans `text` (JSON or YAML) for `pointers` and their ancestors. A member's
    /// position is its key's; an array item's is the item's. Malformed input yields the
    /// positions found before the error (the diff has already parsed it, so this is rare).
    pub fn build<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> LineMap {
        let mut wanted: HashSet<&str> = HashSet::new();
        for p in pointers {
            wanted.insert(p);
            for (i, _) in p.match_indices('/') {
                wanted.insert(&p[..i]);
            }
        }
        // JSON by its own scanner (several times faster than a YAML parser); a document
        // that starts like JSON but is flow-style YAML goes to the YAML parser.
        if text.trim_start().starts_with(['{', '[']) {
            let mut w = Walker::new(&wanted);
            if scan_json(text, &mut w).is_some() {
                return w.map;
            }
        }
        let mut w = Walker::new(&wanted);
        for next in Parser::new_from_str(text) {
            let Ok((event, span)) = next else { break };
            let at = Position {
                line: span.start.line() as u32,
                column: span.start.col() as u32 + 1,
            };
            let item = match &event {
                Event::Scalar(s, ..) => Item::Scalar(s),
                Event::Alias(_) => Item::Scalar(""),
                Event::MappingStart(..) => Item::Map,
                Event::SequenceStart(..) => Item::Seq,
                Event::MappingEnd | Event::SequenceEnd => {
                    w.end();
                    continue;
                }
                _ => continue,
            };
            if !w.node(item, at) {
                break;
            }
        }
        w.map
    }

    /// The position of `pointer`, or of its deepest ancestor present in the document
    /// (a removed member points at its parent); `None` only when nothing was found.
    pub fn get(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(at) = self.found.get(p) {
                return Some(*at);
            }
            p = &p[..p.rfind('/')?];
        }
    }
}

/// Line and column of byte offsets visited in increasing order, in O(length) overall
/// (a minified document is one long line).
struct Cursor<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u32,
    column: u32,
}

impl Cursor<'_> {
    fn position(&mut self, offset: usize) -> Position {
        while self.at < offset {
            let b = self.bytes[self.at];
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.at += 1;
        }
        Position {
            line: self.line,
            column: self.column,
        }
    }
}

/// Walks a JSON document; `None` when it is not JSON (an unquoted key: flow-style YAML).
/// Structure is taken from brackets and quotes only, as the document already parsed.
fn scan_json(text: &str, w: &mut Walker<'_>) -> Option<()> {
    let bytes = text.as_bytes();
    let mut cursor = Cursor {
        bytes,
        at: 0,
        line: 1,
        column: 1,
    };
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let item_end = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => {
                i += 1;
                continue;
            }
            b'}' | b']' => {
                w.end();
                i += 1;
                continue;
            }
            b'{' => (Item::Map, i + 1),
            b'[' => (Item::Seq, i + 1),
            b'"' => {
                let mut end = i + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let raw = text.get(i..=end)?;
                let key = if raw.contains('\\') {
                    std::borrow::Cow::Owned(serde_json::from_str::<String>(raw).ok()?)
                } else {
                    std::borrow::Cow::Borrowed(&raw[1..raw.len() - 1])
                };
                let at = cursor.position(start);
                if !w.node(Item::Scalar(&key), at) {
                    return None;
                }
                i = end + 1;
                continue;
            }
            _ => {
                // A number or literal; in a key's place it is YAML.
                if matches!(w.frames.last(), Some(Frame::Map { key_next: true })) {
                    return None;
                }
                let mut end = i;
                while end < bytes.len() && !b",}] \t\r\n".contains(&bytes[end]) {
                    end += 1;
                }
                (Item::Scalar(""), end)
            }
        };
        let (item, end) = item_end;
        let at = cursor.position(start);
        if !w.node(item, at) {
            return None;
        }
        i = end;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - {name: q, in: query}
      responses:
        '200': {description: ok}
";

    fn at(line: u32, column: u32) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn yaml_keys_items_and_flow_members_have_their_lines() {
        let ptrs = [
            "/paths/~1pets~1{id}/get",
            "/paths/~1pets~1{id}/get/parameters/1/in",
            "/paths/~1pets~1{id}/get/responses/200/description",
            "/openapi",
        ];
        let m = LineMap::build(YAML, ptrs);
        assert_eq!(m.get(ptrs[0]), at(4, 5));
        assert_eq!(m.get(ptrs[1]), at(8, 21));
        assert_eq!(m.get(ptrs[2]), at(10, 17));
        assert_eq!(m.get(ptrs[3]), at(1, 1));
        // Not asked for: only asked pointers and their ancestors are kept.
        assert_eq!(m.get("/paths/~1pets~1{id}/get/parameters/0/in"), at(5, 7));
        let item = "/paths/~1pets~1{id}/get/parameters/0";
        assert_eq!(LineMap::build(YAML, [item]).get(item), at(6, 11));
    }

    #[test]
    fn missing_members_fall_back_to_the_nearest_ancestor() {
        let p = "/paths/~1pets~1{id}/delete/responses/404";
        let m = LineMap::build(YAML, [p]);
        assert_eq!(m.get(p), at(3, 3));
        assert_eq!(LineMap::build(YAML, ["/nope"]).get("/nope"), at(1, 1));
        assert_eq!(LineMap::default().get("/paths"), None);
    }

    #[test]
    fn json_members_have_their_lines() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a~b\": {\n      \"post\": {\"responses\": {}}\n    }\n  }\n}\n";
        let p = "/paths/~1a~0b/post/responses";
        let m = LineMap::build(json, [p]);
        assert_eq!(m.get(p), at(5, 16));
        assert_eq!(m.get("/paths/~1a~0b"), at(4, 5));
    }

    /// Positions by the YAML parser alone (the reference for the JSON scanner).
    fn by_yaml(text: &str, pointers: &[&str]) -> Vec<Option<Position>> {
        let wanted: HashSet<&str> = pointers.iter().copied().collect();
        let mut w = Walker::new(&wanted);
        for next in Parser::new_from_str(text) {
            let (event, span) = next.unwrap();
            let at = Position {
                line: span.start.line() as u32,
                column: span.start.col() as u32 + 1,
            };
            let item = match &event {
                Event::Scalar(s, ..) => Item::Scalar(s),
                Event::MappingStart(..) => Item::Map,
                Event::SequenceStart(..) => Item::Seq,
                Event::MappingEnd | Event::SequenceEnd => {
                    w.end();
                    continue;
                }
                _ => continue,
            };
            assert!(w.node(item, at));
        }
        pointers
            .iter()
            .map(|p| w.map.found.get(*p).copied())
            .collect()
    }

    #[test]
    fn the_json_scanner_agrees_with_the_yaml_parser() {
        let json = std::fs::read_to_string("tests/fixtures/ci/revision.json").unwrap();
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        // Every pointer of the document.
        fn all(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, x) in m {
                        all(x, format!("{at}/{}", escape(k)), out)
                    }
                }
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        all(x, format!("{at}/{i}"), out)
                    }
                }
                _ => {}
            }
            out.push(at);
        }
        let mut pointers = Vec::new();
        all(&doc, String::new(), &mut pointers);
        assert!(pointers.len() > 50);
        let ptrs: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let map = LineMap::build(&json, ptrs.iter().copied());
        let scanned: Vec<Option<Position>> =
            ptrs.iter().map(|p| map.found.get(*p).copied()).collect();
        assert_eq!(scanned, by_yaml(&json, &ptrs));
        assert!(scanned.iter().all(Option::is_some));
    }

    #[test]
    fn json_escapes_multibyte_columns_and_minified_lines() {
        let json = "{\"a\\\"b\": {\"é\": [1, {\"c/d\": true}]}, \"x\": \"\\u00e9\"}";
        let p = "/a\"b/é/1/c~1d";
        let m = LineMap::build(json, [p, "/x"]);
        assert_eq!(m.get(p), at(1, 21));
        assert_eq!(m.get("/x"), at(1, 37));
        // Flow-style YAML that starts like JSON goes to the YAML parser.
        let flow = "{openapi: 3.0.0, paths: {/a: {get: {}}}}";
        let m = LineMap::build(flow, ["/paths/~1a/get"]);
        assert_eq!(m.get("/paths/~1a/get"), at(1, 31));
    }

    #[test]
    fn malformed_input_keeps_what_was_found() {
        let m = LineMap::build("a:\n  b: 1\nc: [\n", ["/a/b", "/c"]);
        assert_eq!(m.get("/a/b"), at(2, 3));
    }
}
