//! `$ref` resolution: internal JSON pointers, relative files next to a local spec
//! (never above its directory), and a clear refusal for everything else.
//!
//! Remote references (`http://…`) are refused outright: following them from a spec
//! fetched by URL is an SSRF risk, and the daemon has no per-watch allowlist yet.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::NormalizeError;
use crate::spec::dom::{Arena, Node};
use crate::spec::load::{LoadOptions, parse_document_with};

/// Index of a document in `Docs`: 0 is the root spec, others are referenced files.
pub type DocId = usize;

/// Most `$ref` hops followed in one chain before calling it a loop.
pub const MAX_REF_HOPS: usize = 64;

/// Most external files one spec may pull in.
const MAX_FILES: usize = 256;

/// The root document plus every file it references (loaded up front, so lookups
/// during normalization borrow immutably).
pub struct Docs<'a> {
    root: &'a Node<'a>,
    /// (path relative to the base dir, using '/', parsed document).
    files: Vec<(String, Node<'a>)>,
    /// Where the referenced files' trees live.
    arena: &'a Arena,
    base_dir: Option<PathBuf>,
}

impl<'a> Docs<'a> {
    /// Loads `root` and, when it was read from a local directory, every file its `$ref`s
    /// name (into `arena`).
    pub fn load(
        root: &'a Node<'a>,
        arena: &'a Arena,
        opts: &LoadOptions,
    ) -> Result<Docs<'a>, NormalizeError> {
        let mut docs = Docs {
            root,
            files: Vec::new(),
            arena,
            base_dir: opts.base_dir.clone(),
        };
        if docs.base_dir.is_some() {
            docs.load_external(opts)?;
        }
        Ok(docs)
    }

    /// The document with this id.
    pub fn get(&self, doc: DocId) -> &Node<'_> {
        if doc == 0 {
            self.root
        } else {
            &self.files[doc - 1].1
        }
    }

    /// The value at `ptr` in `doc` (RFC 6901). This runs once per `$ref`, so it only
    /// unescapes the tokens that need it.
    pub fn lookup(&self, doc: DocId, ptr: &str) -> Option<&Node<'_>> {
        let mut cur = self.get(doc);
        if ptr.is_empty() {
            return Some(cur);
        }
        for token in ptr.strip_prefix('/')?.split('/') {
            let token = if token.contains('~') {
                std::borrow::Cow::Owned(unescape(token))
            } else {
                std::borrow::Cow::Borrowed(token)
            };
            cur = match cur {
                Node::Object(m) => m.get(token.as_ref())?,
                Node::Array(a) => a.get(array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// A location for messages and change pointers: the pointer itself for the root,
    /// `file#pointer` for referenced files.
    pub fn display(&self, doc: DocId, ptr: &str) -> String {
        if doc == 0 {
            ptr.to_string()
        } else {
            format!("{}#{}", self.files[doc - 1].0, ptr)
        }
    }

    fn name(&self, doc: DocId) -> &str {
        if doc == 0 { "" } else { &self.files[doc - 1].0 }
    }

    /// Resolves `reference`, the `$ref` of the object at `holder` in `doc`, to (document,
    /// JSON pointer, the node there). `holder` only goes into error messages.
    pub fn resolve(
        &self,
        doc: DocId,
        reference: &str,
        holder: &str,
    ) -> Result<(DocId, String, &Node<'_>), NormalizeError> {
        let at = || format!("{holder}/$ref");
        let (file, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, frag),
            None => (reference, ""),
        };
        let target_doc = if file.is_empty() {
            doc
        } else {
            let rel = self.relative_path(doc, file, reference, &at())?;
            match self.files.iter().position(|(n, _)| *n == rel) {
                Some(i) => i + 1,
                None => {
                    return Err(NormalizeError::RefusedRef {
                        reference: reference.to_string(),
                        at: self.display(doc, &at()),
                        reason: "external file references are only followed for specs read from a local file"
                            .to_string(),
                    });
                }
            }
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(NormalizeError::UnresolvableRef {
                reference: reference.to_string(),
                at: self.display(doc, &at()),
                reason: "only JSON-pointer fragments (#/…) are supported".to_string(),
            });
        }
        match self.lookup(target_doc, &pointer) {
            Some(node) => Ok((target_doc, pointer, node)),
            None => Err(NormalizeError::UnresolvableRef {
                reference: reference.to_string(),
                at: self.display(doc, &at()),
                reason: "nothing exists at that location".to_string(),
            }),
        }
    }

    /// The '/'-separated path of `file` (as written in a `$ref` in `doc`) relative to
    /// the base directory; refuses URLs, absolute paths and `..` above the base.
    fn relative_path(
        &self,
        doc: DocId,
        file: &str,
        reference: &str,
        at: &str,
    ) -> Result<String, NormalizeError> {
        let refuse = |reason: &str| NormalizeError::RefusedRef {
            reference: reference.to_string(),
            at: self.display(doc, at),
            reason: reason.to_string(),
        };
        if file.contains("://") || file.starts_with("//") {
            return Err(refuse(
                "remote references are not followed (they could reach internal hosts); inline the schema or publish a bundled spec",
            ));
        }
        let file = percent_decode(file);
        if file.starts_with('/') || Path::new(&file).is_absolute() {
            return Err(refuse(
                "absolute file paths are not followed; use a path relative to the spec",
            ));
        }
        let mut parts: Vec<String> = self
            .name(doc)
            .split('/')
            .map(str::to_string)
            .collect::<Vec<_>>();
        parts.pop(); // the referencing file's own name
        for comp in file.split('/') {
            match comp {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(refuse(
                            "the path leaves the spec's directory (`..` above it is not allowed)",
                        ));
                    }
                }
                c => parts.push(c.to_string()),
            }
        }
        Ok(parts.join("/"))
    }

    /// Finds every file `$ref` reachable from the root and loads it (breadth first).
    fn load_external(&mut self, opts: &LoadOptions) -> Result<(), NormalizeError> {
        let Some(base) = self.base_dir.clone() else {
            return Ok(());
        };
        let canon_base = base.canonicalize().unwrap_or_else(|_| base.clone());
        let mut seen: HashSet<String> = HashSet::new();
        let mut next = 0usize; // next document to scan (0 = root)
        while next <= self.files.len() {
            let refs = collect_file_refs(self.get(next));
            for r in refs {
                let file = r.split_once('#').map(|(f, _)| f).unwrap_or(&r);
                if file.is_empty() || file.contains("://") || file.starts_with("//") {
                    continue; // internal, or remote (refused later where used)
                }
                let rel = match self.relative_path(next, file, &r, "") {
                    Ok(rel) => rel,
                    Err(_) => continue, // reported with its location when it is used
                };
                if !seen.insert(rel.clone()) {
                    continue;
                }
                if self.files.len() >= MAX_FILES {
                    return Err(NormalizeError::RefusedRef {
                        reference: r.clone(),
                        at: self.name(next).to_string(),
                        reason: format!("more than {MAX_FILES} referenced files"),
                    });
                }
                let path = base.join(&rel);
                // Symlinks must not lead out of the base directory either.
                let canon = path
                    .canonicalize()
                    .map_err(|e| NormalizeError::RefusedRef {
                        reference: r.clone(),
                        at: self.display(next, ""),
                        reason: format!("cannot read {}: {e}", path.display()),
                    })?;
                if !canon.starts_with(&canon_base) {
                    return Err(NormalizeError::RefusedRef {
                        reference: r.clone(),
                        at: self.display(next, ""),
                        reason: "the file resolves outside the spec's directory".to_string(),
                    });
                }
                let bytes = std::fs::read(&canon).map_err(|e| NormalizeError::RefusedRef {
                    reference: r.clone(),
                    at: self.display(next, ""),
                    reason: format!("cannot read {}: {e}", path.display()),
                })?;
                let value = parse_document_with(&bytes, &rel, opts)?;
                self.files.push((rel, Node::copy_of(&value, self.arena)));
            }
            next += 1;
        }
        Ok(())
    }
}

/// Every `$ref` string value in `v` (iterative walk).
fn collect_file_refs(v: &Node<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Node::Object(m) => {
                for (k, child) in m.iter() {
                    if k == "$ref" {
                        if let Node::String(s) = child
                            && !s.starts_with('#')
                        {
                            out.push(s.to_string());
                        }
                    } else {
                        stack.push(child);
                    }
                }
            }
            Node::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// An RFC 6901 array index: digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) || token.starts_with('+') {
        return None;
    }
    token.parse().ok()
}

/// Escapes one JSON-pointer token (`~` → `~0`, `/` → `~1`); borrows when nothing needs escaping.
pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Unescapes one JSON-pointer token.
pub fn unescape(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_and_percent_escapes() {
        assert_eq!(escape("/pets/{id}"), "~1pets~1{id}");
        assert_eq!(unescape("~1a~0b"), "/a~b");
        assert_eq!(percent_decode("a%20b%7e%zz"), "a b~%zz");
        assert_eq!(percent_decode("%2"), "%2");
    }

    #[test]
    fn lookup_follows_rfc_6901_like_value_pointer() {
        let root = serde_json::json!({
            "a/b": {"m~n": [10, {"x": true}]},
            "": {"0": "empty key"},
        });
        let arena = Arena::new();
        let tree = Node::from_value(&root, &arena);
        let docs = Docs::load(&tree, &arena, &LoadOptions::default()).unwrap();
        for ptr in [
            "",
            "/a~1b",
            "/a~1b/m~0n/1/x",
            "/a~1b/m~0n/0",
            "//0",
            "/a~1b/m~0n/01",
            "/nope",
            "x",
        ] {
            assert_eq!(
                docs.lookup(0, ptr).map(Node::to_value).as_ref(),
                root.pointer(ptr),
                "{ptr}"
            );
        }
        assert_eq!(docs.lookup(0, "/a~1b/m~0n/1/x"), Some(&Node::Bool(true)));
    }
}
