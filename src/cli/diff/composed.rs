//! `--composed`: one side of the diff is a service split into several spec files (a
//! directory, or a glob such as `specs/*/openapi.yaml`), merged into one document.
//!
//! Merging: `paths` and `webhooks` are merged by operation, and an operation (method +
//! path, parameter names ignored) defined in two files is an error naming both; named
//! components (`components.*`, Swagger's `definitions`, `parameters`, `responses`,
//! `securityDefinitions`) merge by name, identical copies allowed, differing ones an
//! error; `tags` are united by name; any other top-level member (`info`, `servers`, …)
//! comes from the first file in path order. Files without a top-level `openapi` or
//! `swagger` are fragments that the others `$ref` and are not merged. Relative `$ref`s
//! resolve from the directory (or the glob's fixed leading directories).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::spec::dom::{Arena, Node};
use crate::spec::load::{LoadOptions, detect_in, parse_document_with};
use crate::spec::model::Flavor;
use crate::spec::normalize::normalize_path;
use crate::spec::normalize::refs::escape as esc;

/// Spec files are at most this many per side (a guard against a glob of `/`).
const MAX_FILES: usize = 10_000;

/// Path-item members that are operations.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Top-level members holding named definitions (Swagger 2.0).
const NAMED_SECTIONS: &[&str] = &[
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
];

/// The files of one side: the directory refs resolve from, and the files, sorted.
pub fn files(arg: &str) -> Result<(PathBuf, Vec<PathBuf>), String> {
    let as_dir = Path::new(arg);
    if as_dir.is_dir() {
        let mut out = Vec::new();
        walk(
            as_dir,
            &mut |p| {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                matches!(ext, "yaml" | "yml" | "json")
            },
            &mut out,
        )?;
        return finish(arg, as_dir.to_path_buf(), out);
    }
    if !arg.contains(['*', '?', '[']) {
        return Err(format!(
            "{arg}: --composed takes a directory or a glob (e.g. 'specs/*.yaml'), and this is neither"
        ));
    }
    // The fixed leading directories, then a regex for the rest of the path.
    let wild = arg.find(['*', '?', '[']).unwrap_or(0);
    let root_len = arg[..wild].rfind('/').map_or(0, |i| i + 1);
    let root = if root_len == 0 {
        PathBuf::from(".")
    } else {
        PathBuf::from(&arg[..root_len])
    };
    let re = glob_regex(&arg[root_len..])?;
    let mut out = Vec::new();
    walk(
        &root,
        &mut |p| {
            p.strip_prefix(&root)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(|rel| re.is_match(rel))
        },
        &mut out,
    )?;
    finish(arg, root, out)
}

fn finish(
    arg: &str,
    root: PathBuf,
    mut out: Vec<PathBuf>,
) -> Result<(PathBuf, Vec<PathBuf>), String> {
    if out.is_empty() {
        return Err(format!(
            "{arg}: --composed found no spec files (.yaml, .yml, .json) there"
        ));
    }
    out.sort();
    Ok((root, out))
}

/// `*` and `?` within a path segment, `**/` any number of directories, `[…]` a class.
fn glob_regex(glob: &str) -> Result<regex::Regex, String> {
    let mut re = String::from("^");
    let mut rest = glob;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("**/") {
            re.push_str("(?:[^/]+/)*");
            rest = r;
            continue;
        }
        match c {
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => match rest.find(']') {
                Some(end) => {
                    re.push_str(&rest[..=end].replacen("[!", "[^", 1));
                    rest = &rest[end + 1..];
                    continue;
                }
                None => re.push_str("\\["),
            },
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        rest = &rest[c.len_utf8()..];
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|e| format!("invalid glob {glob:?}: {e}"))
}

/// Every file under `dir` (recursively, not following hidden directories) that `keep` accepts.
fn walk(
    dir: &Path,
    keep: &mut dyn FnMut(&Path) -> bool,
    out: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read directory: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: cannot read directory: {e}", dir.display()))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && !hidden {
            walk(&path, keep, out)?;
        } else if kind.is_file() && keep(&path) {
            out.push(path);
            if out.len() > MAX_FILES {
                return Err(format!(
                    "{}: more than {MAX_FILES} spec files; narrow the directory or glob",
                    dir.display()
                ));
            }
        }
    }
    Ok(())
}

/// A merged document and which file each part came from.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged document.
    pub doc: Value,
    /// Pointer prefixes (`/paths/~1pets`, `/paths/~1pets/get`, `/components/schemas/Pet`)
    /// → index of the file that defined them.
    owners: HashMap<String, usize>,
}

impl Merged {
    /// The file (index) a pointer of the merged document is in: the owner of its
    /// longest known prefix, else the first file.
    pub fn owner(&self, pointer: &str) -> usize {
        let mut p = pointer;
        loop {
            if let Some(i) = self.owners.get(p) {
                return *i;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0,
            }
        }
    }
}

/// Parses and merges `files` (name, bytes) in order; errors name the file(s).
pub fn merge(files: &[(String, Vec<u8>)], opts: &LoadOptions) -> Result<Merged, String> {
    let mut m = Merger::default();
    let mut flavor: Option<(Flavor, &str)> = None;
    for (i, (name, bytes)) in files.iter().enumerate() {
        let doc = parse_document_with(bytes, name, opts).map_err(|e| e.to_string())?;
        // Without `openapi` / `swagger` it is a fragment other files `$ref` (a schema,
        // shared parameters): read through those references, not merged.
        if doc.get("openapi").is_none() && doc.get("swagger").is_none() {
            continue;
        }
        let (f, _) =
            detect_in(&Node::from_value(&doc, &Arena::new()), name).map_err(|e| e.to_string())?;
        match flavor {
            Some((first, first_name)) if (first == Flavor::Swagger2) != (f == Flavor::Swagger2) => {
                return Err(format!(
                    "{name}: --composed cannot merge Swagger 2.0 and OpenAPI 3 files ({first_name} is the other kind)"
                ));
            }
            None => flavor = Some((f, name)),
            _ => {}
        }
        m.add(i, name, doc, files)?;
    }
    if flavor.is_none() {
        return Err(format!(
            "--composed: none of the {} files is an OpenAPI or Swagger document (no top-level `openapi` or `swagger`)",
            files.len()
        ));
    }
    Ok(m.finish())
}

/// The merged parts so far, by section.
#[derive(Default)]
struct Merger {
    /// First-file-wins members (`openapi`, `info`, `servers`, …).
    rest: Map<String, Value>,
    /// `paths` / `webhooks` → merged path items.
    operations: IndexMap<&'static str, Map<String, Value>>,
    /// `components` sections by name.
    components: IndexMap<String, Map<String, Value>>,
    /// Swagger 2.0 named sections.
    named: IndexMap<String, Map<String, Value>>,
    tags: Option<Vec<Value>>,
    owners: HashMap<String, usize>,
    /// (METHOD, normalized path or webhook name, section) → file index.
    ops: HashMap<(String, String, &'static str), usize>,
}

impl Merger {
    fn add(
        &mut self,
        i: usize,
        name: &str,
        doc: Value,
        files: &[(String, Vec<u8>)],
    ) -> Result<(), String> {
        let Value::Object(top) = doc else {
            return Ok(());
        };
        for (key, value) in top {
            match (key.as_str(), value) {
                ("paths", Value::Object(items)) => self.add_operations(i, "paths", items, files)?,
                ("webhooks", Value::Object(items)) => {
                    self.add_operations(i, "webhooks", items, files)?
                }
                ("components", Value::Object(sections)) => {
                    for (section, v) in sections {
                        let Value::Object(named) = v else { continue };
                        let prefix = format!("/components/{}", esc(&section));
                        let target = self.components.entry(section).or_default();
                        named_into(target, named, i, &prefix, &mut self.owners, files, name)?;
                    }
                }
                (k, Value::Object(named)) if NAMED_SECTIONS.contains(&k) => {
                    let prefix = format!("/{}", esc(k));
                    let target = self.named.entry(key).or_default();
                    named_into(target, named, i, &prefix, &mut self.owners, files, name)?;
                }
                ("tags", Value::Array(tags)) => {
                    let all = self.tags.get_or_insert_with(Vec::new);
                    for t in tags {
                        if !all.iter().any(|x| x.get("name") == t.get("name")) {
                            all.push(t);
                        }
                    }
                }
                (_, value) => {
                    if !self.rest.contains_key(&key) {
                        self.owners.insert(format!("/{}", esc(&key)), i);
                        self.rest.insert(key, value);
                    }
                }
            }
        }
        Ok(())
    }

    /// Merges path items (or webhooks) by operation; a duplicate operation is an error.
    /// Path-item members other than operations (`parameters`, `summary`) come from the
    /// first file that has the item.
    fn add_operations(
        &mut self,
        i: usize,
        section: &'static str,
        items: Map<String, Value>,
        files: &[(String, Vec<u8>)],
    ) -> Result<(), String> {
        for (path, item) in items {
            let Value::Object(item) = item else { continue };
            let norm = if section == "paths" {
                normalize_path(&path)
            } else {
                path.clone()
            };
            let item_ptr = format!("/{section}/{}", esc(&path));
            for member in item.keys() {
                if !METHODS.contains(&member.as_str()) {
                    continue;
                }
                let method = member.to_ascii_uppercase();
                let key = (method, norm.clone(), section);
                if let Some(&first) = self.ops.get(&key) {
                    return Err(format!(
                        "--composed: duplicate operation {} {path}: defined in both {} and {}",
                        key.0, files[first].0, files[i].0
                    ));
                }
                self.ops.insert(key, i);
                self.owners.insert(format!("{item_ptr}/{member}"), i);
            }
            self.owners.entry(item_ptr).or_insert(i);
            let target = self.operations.entry(section).or_default();
            match target.get_mut(&path) {
                Some(Value::Object(existing)) => {
                    for (member, v) in item {
                        existing.entry(member).or_insert(v);
                    }
                }
                _ => {
                    target.insert(path, Value::Object(item));
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Merged {
        let mut out = self.rest;
        for (section, items) in self.operations {
            out.insert(section.to_string(), Value::Object(items));
        }
        if !self.components.is_empty() {
            let sections = self
                .components
                .into_iter()
                .map(|(k, v)| (k, Value::Object(v)))
                .collect();
            out.insert("components".into(), Value::Object(sections));
        }
        for (k, v) in self.named {
            out.insert(k, Value::Object(v));
        }
        if let Some(tags) = self.tags {
            out.insert("tags".into(), Value::Array(tags));
        }
        Merged {
            doc: Value::Object(out),
            owners: self.owners,
        }
    }
}

/// Adds named definitions to `target`; a name defined differently in two files is an error.
fn named_into(
    target: &mut Map<String, Value>,
    named: Map<String, Value>,
    i: usize,
    prefix: &str,
    owners: &mut HashMap<String, usize>,
    files: &[(String, Vec<u8>)],
    name: &str,
) -> Result<(), String> {
    for (key, v) in named {
        let ptr = format!("{prefix}/{}", esc(&key));
        match target.get(&key) {
            Some(existing) if *existing == v => {}
            Some(_) => {
                let first = owners
                    .get(&ptr)
                    .map_or("another file", |&f| files[f].0.as_str());
                return Err(format!(
                    "--composed: {} is defined differently in {first} and {name}",
                    ptr.trim_start_matches('/')
                ));
            }
            None => {
                owners.insert(ptr, i);
                target.insert(key, v);
            }
        }
    }
    Ok(())
}

/// The options to load a composed side with: relative `$ref`s from `root`.
pub fn options(root: &Path) -> LoadOptions {
    LoadOptions {
        base_dir: Some(root.to_path_buf()),
        ..LoadOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(docs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        docs.iter()
            .map(|(n, d)| (n.to_string(), d.as_bytes().to_vec()))
            .collect()
    }

    const PETS: &str = "openapi: 3.0.3\ninfo: {title: pets, version: '1'}\npaths:\n  /pets/{id}:\n    get: {responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    Id: {type: string}\ntags: [{name: pets}]\n";
    const OWNERS: &str = "openapi: 3.0.3\ninfo: {title: owners, version: '2'}\npaths:\n  /pets/{petId}:\n    delete: {responses: {'204': {description: ok}}}\n  /owners:\n    get: {responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    Id: {type: string}\ntags: [{name: pets}, {name: owners}]\n";

    #[test]
    fn merges_operations_components_and_tags() {
        let files = parts(&[("a.yaml", PETS), ("b.yaml", OWNERS)]);
        let m = merge(&files, &LoadOptions::default()).unwrap();
        assert_eq!(m.doc["info"]["title"], "pets");
        assert_eq!(m.doc["paths"].as_object().unwrap().len(), 3);
        assert_eq!(m.doc["tags"].as_array().unwrap().len(), 2);
        assert_eq!(m.owner("/paths/~1owners/get/responses"), 1);
        assert_eq!(m.owner("/paths/~1pets~1{petId}/delete"), 1);
        assert_eq!(m.owner("/components/schemas/Id/type"), 0);
        assert_eq!(m.owner("/info"), 0);
    }

    #[test]
    fn duplicate_operations_and_conflicting_components_name_both_files() {
        let dup = PETS.replace("title: pets", "title: dup");
        let e = merge(
            &parts(&[("a.yaml", PETS), ("b.yaml", &dup)]),
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            "--composed: duplicate operation GET /pets/{id}: defined in both a.yaml and b.yaml"
        );
        let other = OWNERS.replace("Id: {type: string}", "Id: {type: integer}");
        let e = merge(
            &parts(&[("a.yaml", PETS), ("b.yaml", &other)]),
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.contains("components/schemas/Id is defined differently in a.yaml and b.yaml"),
            "{e}"
        );
        let fragment = "type: object\nproperties: {id: {type: string}}\n";
        let m = merge(
            &parts(&[("a.yaml", PETS), ("pet.yaml", fragment)]),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(m.doc["paths"].as_object().unwrap().len(), 1);
        let e = merge(&parts(&[("pet.yaml", fragment)]), &LoadOptions::default()).unwrap_err();
        assert!(e.contains("none of the 1 files is an OpenAPI"), "{e}");
        let swagger = "swagger: '2.0'\ninfo: {title: s, version: '1'}\npaths: {}\n";
        let e = merge(
            &parts(&[("a.yaml", PETS), ("s.yaml", swagger)]),
            &LoadOptions::default(),
        )
        .unwrap_err();
        assert!(e.starts_with("s.yaml: --composed cannot merge"), "{e}");
    }

    #[test]
    fn directories_and_globs_list_spec_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("svc/a")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "svc/a/openapi.yaml",
            "svc/b.json",
            "svc/notes.txt",
            ".git/x.yaml",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let (root, found) = files(&d.display().to_string()).unwrap();
        assert_eq!(root, d);
        assert_eq!(found, [d.join("svc/a/openapi.yaml"), d.join("svc/b.json")]);
        let (root, found) = files(&format!("{}/svc/*/*.yaml", d.display())).unwrap();
        assert_eq!(root, d.join("svc/"));
        assert_eq!(found, [d.join("svc/a/openapi.yaml")]);
        let (_, found) = files(&format!("{}/**/*.json", d.display())).unwrap();
        assert_eq!(found, [d.join("svc/b.json")]);
        assert!(
            files(&format!("{}/svc/*.xml", d.display()))
                .unwrap_err()
                .contains("found no spec files")
        );
        assert!(files("no/such/file.yaml").unwrap_err().contains("neither"));
    }
}
