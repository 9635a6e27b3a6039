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

/// One open container while walking the events.
enum Frame {
    /// A mapping; `key_next` when the next node is a key.
    Map { key_next: bool },
    /// A sequence; `next` is the index of the next item.
    Seq { next: usize },
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
        let mut map = LineMap::default();
        let mut frames: Vec<Frame> = Vec::new();
        // `ptr` is the current pointer; `marks` the length of `ptr` before each segment.
        let mut ptr = String::new();
        let mut marks: Vec<usize> = Vec::new();
        for next in Parser::new_from_str(text) {
            let Ok((event, span)) = next else { break };
            let at = Position {
                line: span.start.line() as u32,
                column: span.start.col() as u32 + 1,
            };
            let is_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::Alias(_)
                    | Event::SequenceStart(..)
                    | Event::MappingStart(..)
            );
            if is_node {
                match frames.last_mut() {
                    Some(Frame::Map { key_next }) if *key_next => {
                        // Complex (non-scalar) keys do not occur in OpenAPI; stop there.
                        let Event::Scalar(key, ..) = &event else {
                            break;
                        };
                        *key_next = false;
                        marks.push(ptr.len());
                        ptr.push('/');
                        ptr.push_str(&escape(key));
                        map.record(&wanted, &ptr, at);
                        continue;
                    }
                    Some(Frame::Seq { next }) => {
                        marks.push(ptr.len());
                        ptr.push('/');
                        ptr.push_str(&next.to_string());
                        *next += 1;
                        map.record(&wanted, &ptr, at);
                    }
                    Some(Frame::Map { .. }) => {}
                    None => map.record(&wanted, &ptr, at),
                }
            }
            match event {
                Event::MappingStart(..) => frames.push(Frame::Map { key_next: true }),
                Event::SequenceStart(..) => frames.push(Frame::Seq { next: 0 }),
                Event::Scalar(..) | Event::Alias(_) => {
                    end_value(&mut frames, &mut ptr, &mut marks);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    frames.pop();
                    end_value(&mut frames, &mut ptr, &mut marks);
                }
                _ => {}
            }
        }
        map
    }

    fn record(&mut self, wanted: &HashSet<&str>, ptr: &str, at: Position) {
        if wanted.contains(ptr) {
            self.found.entry(ptr.to_string()).or_insert(at);
        }
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

/// A value (or array item) ended: drop its segment; a mapping now expects a key.
fn end_value(frames: &mut [Frame], ptr: &mut String, marks: &mut Vec<usize>) {
    match frames.last_mut() {
        Some(Frame::Map { key_next }) => *key_next = true,
        Some(Frame::Seq { .. }) => {}
        None => return,
    }
    if let Some(len) = marks.pop() {
        ptr.truncate(len);
    }
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

    #[test]
    fn malformed_input_keeps_what_was_found() {
        let m = LineMap::build("a:\n  b: 1\nc: [\n", ["/a/b", "/c"]);
        assert_eq!(m.get("/a/b"), at(2, 3));
    }
}
