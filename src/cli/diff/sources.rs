//! One run's inputs: each side read (one file, or several merged with `--composed`),
//! selected and diffed, plus what the CI formats need besides the report (source
//! locations, built only for the formats that print them, and the operations compared).

use std::collections::{BTreeSet, HashMap};

use super::composed::{self, Merged};
use super::config::Settings;
use super::input::{self, DiffInput};
use super::select::Side as Which;
use crate::diff::output::Format;
use crate::diff::output::source::{Context, Location};
use crate::diff::{Input, Report, filter};
use crate::spec::LoadOptions;
use crate::spec::dom::{Arena, Node};
use crate::spec::model::Api;
use crate::spec::positions::LineMap;

/// One side of the diff, read.
struct Side {
    /// Its name in messages: the argument as given (URLs without secrets).
    name: String,
    /// Its files: (name for annotations, bytes); one unless composed.
    files: Vec<(String, Vec<u8>)>,
    /// How to load it.
    opts: LoadOptions,
    /// The merged document of a composed side.
    merged: Option<Merged>,
}

impl Side {
    fn read(arg: &str, composed: bool) -> Result<Side, String> {
        if !composed {
            let source = DiffInput::parse(arg);
            let (bytes, opts) = super::read(&source)?;
            return Ok(Side {
                name: source.display_name(),
                files: vec![(source.file_name(), bytes)],
                opts,
                merged: None,
            });
        }
        let (root, paths) = composed::files(arg)?;
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let source = DiffInput::File(path);
            let bytes = input::read_source(&source).map_err(|e| e.to_string())?;
            files.push((source.file_name(), bytes));
        }
        let opts = composed::options(&root);
        let merged = composed::merge(&files, &opts)?;
        Ok(Side {
            name: arg.to_string(),
            files,
            opts,
            merged: Some(merged),
        })
    }

    fn api(&self) -> Result<Api, String> {
        match &self.merged {
            Some(m) => {
                let arena = Arena::new();
                crate::spec::normalize(&Node::from_value(&m.doc, &arena), &self.opts)
                    .map_err(|e| format!("{}: {e}", self.name))
            }
            None => crate::spec::load_api(&self.files[0].1, &self.name, &self.opts),
        }
    }

    fn input(&self) -> Input<'_> {
        Input {
            bytes: &self.files[0].1,
            origin: &self.name,
            opts: &self.opts,
        }
    }

    /// Where each change's pointer is in this side's file(s).
    fn locations(&self, report: &Report) -> HashMap<String, Location> {
        let mut by_file: Vec<Vec<&str>> = vec![Vec::new(); self.files.len()];
        for c in &report.changes {
            let i = self.merged.as_ref().map_or(0, |m| m.owner(&c.pointer));
            by_file[i].push(&c.pointer);
        }
        let mut out = HashMap::new();
        for ((file, bytes), pointers) in self.files.iter().zip(by_file) {
            if pointers.is_empty() {
                continue;
            }
            let map = LineMap::build(&String::from_utf8_lossy(bytes), pointers.iter().copied());
            for p in pointers {
                if let Some(at) = map.get(p) {
                    let file = file.clone();
                    out.insert(p.to_string(), Location { file, at });
                }
            }
        }
        out
    }
}

/// Reads, selects and diffs BASE and REVISION as `settings` say, applying the severity
/// overrides and the ignore list.
pub(super) fn diff(
    base: &str,
    rev: &str,
    settings: &Settings,
) -> Result<(Report, Context), String> {
    let composed = settings.composed;
    if !composed && base == "-" && rev == "-" {
        return Err("only one of BASE and REVISION can be `-` (stdin)".to_string());
    }
    let (b, r) = crate::diff::both(|| Side::read(base, composed), || Side::read(rev, composed));
    let (b, r) = (b?, r?);
    let sel = &settings.selection;
    let want_ops = settings.format == Format::Junit;
    let (report, operations) = if !composed && sel.is_empty() && !want_ops {
        // Nothing to do between loading and diffing: the engine's path, which loads
        // identical inputs once.
        (crate::diff::diff_inputs(b.input(), r.input())?, Vec::new())
    } else {
        let (ba, ra) = crate::diff::both(|| b.api(), || r.api());
        let (mut ba, mut ra) = (ba?, ra?);
        sel.apply(&mut ba, Which::Base);
        sel.apply(&mut ra, Which::Revision);
        let operations = if want_ops {
            operations(&ba, &ra)
        } else {
            Vec::new()
        };
        (crate::diff::diff_and_drop(ba, ra), operations)
    };
    let report = filter::apply(report, &settings.severity, &settings.ignore);
    let locations = if settings.format.needs_locations() {
        r.locations(&report)
    } else {
        HashMap::new()
    };
    let revision = match &r.merged {
        Some(_) => r.name.clone(),
        None => r.files[0].0.clone(),
    };
    let cx = Context {
        revision,
        locations,
        operations,
    };
    Ok((report, cx))
}

/// Labels of every operation on either side (the revision's spelling when both have it), sorted.
fn operations(base: &Api, rev: &Api) -> Vec<String> {
    let mut all: BTreeSet<String> = rev.operations.values().map(|op| op.label()).collect();
    for (key, op) in &base.operations {
        if !rev.operations.contains_key(key) {
            all.insert(op.label());
        }
    }
    all.into_iter().collect()
}
