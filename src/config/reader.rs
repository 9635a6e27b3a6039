//! Walks the spanned TOML tree, reading typed values and collecting every problem
//! (with its line and key path) instead of stopping at the first one.

use std::collections::BTreeSet;
use std::ops::Range;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, Locator};
use super::{interp, ranges};
use crate::units::{DurationRange, SizeRange};

/// Values shorter than this are not masked in messages by [`Ctx::error`]'s safety net: they
/// are not secrets, and masking them would garble ordinary words. Messages that quote a value
/// show its source through [`At::shown`] whatever its length.
const MIN_MASKED_LEN: usize = 4;

/// Shared state of one config read: the locator, the environment and the problems so far.
pub(crate) struct Ctx<'a> {
    pub(crate) loc: Locator<'a>,
    pub(crate) env: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) errors: Vec<ConfigError>,
    /// `(value, NAME)` of every `${NAME}` interpolated so far, longest value first.
    pub(crate) from_env: Vec<(String, String)>,
}

impl<'a> Ctx<'a> {
    /// A context for reading one file's text.
    pub(crate) fn new(loc: Locator<'a>, env: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Ctx {
            loc,
            env,
            errors: Vec::new(),
            from_env: Vec::new(),
        }
    }

    /// Records a problem at `span`. Any value that came from the environment is shown as
    /// `${NAME}` (its source), whoever wrote the message (schedule, URL, address checks …).
    pub(crate) fn error(&mut self, span: &Range<usize>, key: &str, message: impl Into<String>) {
        let mut message = message.into();
        for (value, name) in &self.from_env {
            if value.len() >= MIN_MASKED_LEN && message.contains(value.as_str()) {
                message = message.replace(value.as_str(), &format!("${{{name}}}"));
            }
        }
        let e = self.loc.error(span.start, key, message);
        self.errors.push(e);
    }

    /// Interpolates `${NAME}` references in `raw`, remembering each value for [`Ctx::error`].
    fn interpolate(&mut self, raw: &str) -> Result<String, Vec<String>> {
        let seen = std::cell::RefCell::new(Vec::new());
        let env = self.env;
        let out = interp::interpolate(raw, &|name| {
            let v = env(name);
            if let Some(v) = &v {
                seen.borrow_mut().push((v.clone(), name.to_string()));
            }
            v
        });
        for pair in seen.into_inner() {
            if !self.from_env.contains(&pair) {
                self.from_env.push(pair);
            }
        }
        self.from_env
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        out
    }

    /// A string value read at `span`: interpolated, or the missing variables reported.
    fn string_at(&mut self, raw: &str, span: Range<usize>, key: &str) -> Option<At<String>> {
        match self.interpolate(raw) {
            Ok(value) => Some(At {
                from_env: interp::has_reference(raw).then(|| raw.to_string()),
                value,
                span,
            }),
            Err(missing) => {
                let names = missing.join(", ");
                self.error(
                    &span,
                    key,
                    format!(
                        "environment variable{} {names} not set (referenced as ${{…}}); set it in the service environment or remove the reference",
                        if missing.len() > 1 { "s" } else { "" }
                    ),
                );
                None
            }
        }
    }
}

/// A value read from the config with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct At<T> {
    pub(crate) value: T,
    pub(crate) span: Range<usize>,
    /// The text as written when it referenced `${…}`: the value may be a secret.
    pub(crate) from_env: Option<String>,
}

impl At<String> {
    /// The value quoted for a message: as written (`"${NAME}"`) when it came from the
    /// environment, so no error ever echoes a secret.
    pub(crate) fn shown(&self) -> String {
        format!("{:?}", self.from_env.as_ref().unwrap_or(&self.value))
    }
}

/// Reads the keys of one table; `finish` reports the keys nobody asked for.
pub(crate) struct TableReader<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    path: String,
    used: BTreeSet<String>,
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// Starts reading `table` found at `span`, named `path` in messages.
    pub(crate) fn new(table: &'t DeTable<'i>, span: Range<usize>, path: impl Into<String>) -> Self {
        TableReader {
            table,
            span,
            path: path.into(),
            used: BTreeSet::new(),
        }
    }

    /// Key path of `key` inside this table.
    pub(crate) fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Where this table starts.
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    fn get(&mut self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.used.insert(key.to_string());
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn wrong_type(&self, cx: &mut Ctx<'_>, key: &str, v: &Spanned<DeValue<'_>>, want: &str) {
        cx.error(
            &v.span(),
            &self.key_path(key),
            format!("expected {want}, found {}", v.get_ref().type_str()),
        );
    }

    /// A string with `${VAR}` interpolated.
    pub(crate) fn string(&mut self, cx: &mut Ctx<'_>, key: &str) -> Option<At<String>> {
        let v = self.get(key)?;
        let Some(s) = v.get_ref().as_str() else {
            self.wrong_type(cx, key, v, "a string");
            return None;
        };
        cx.string_at(s, v.span(), &self.key_path(key))
    }

    /// A string that must be one of `allowed`.
    pub(crate) fn choice(
        &mut self,
        cx: &mut Ctx<'_>,
        key: &str,
        allowed: &[&str],
    ) -> Option<String> {
        let at = self.string(cx, key)?;
        if allowed.contains(&at.value.as_str()) {
            Some(at.value)
        } else {
            cx.error(
                &at.span,
                &self.key_path(key),
                format!(
                    "invalid value {}; allowed: {}",
                    at.shown(),
                    allowed.join(", ")
                ),
            );
            None
        }
    }

    /// A boolean.
    pub(crate) fn bool(&mut self, cx: &mut Ctx<'_>, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(cx, key, v, "true or false");
        }
        b
    }

    /// An integer in `min..=max` (see [`ranges`](super::ranges)).
    pub(crate) fn uint(
        &mut self,
        cx: &mut Ctx<'_>,
        key: &str,
        (min, max): ranges::CountRange,
    ) -> Option<u64> {
        let v = self.get(key)?;
        let Some(i) = v.get_ref().as_integer() else {
            self.wrong_type(cx, key, v, "an integer");
            return None;
        };
        match integer(i) {
            Some(n) if (i128::from(min)..=i128::from(max)).contains(&n) => u64::try_from(n).ok(),
            _ => {
                cx.error(
                    &v.span(),
                    &self.key_path(key),
                    format!("{i} is out of range; allowed: {min} to {max}"),
                );
                None
            }
        }
    }

    /// A human-readable duration ("30s", "15m") within `range`.
    pub(crate) fn duration(
        &mut self,
        cx: &mut Ctx<'_>,
        key: &str,
        range: DurationRange,
    ) -> Option<Duration> {
        let at = self.string(cx, key)?;
        match range.parse(&at.value) {
            Ok(d) => Some(d),
            Err(e) => {
                cx.error(
                    &at.span,
                    &self.key_path(key),
                    format!("{}: {e}", at.shown()),
                );
                None
            }
        }
    }

    /// A size within `range`: a byte count or a human-readable string ("50MiB").
    pub(crate) fn size(&mut self, cx: &mut Ctx<'_>, key: &str, range: SizeRange) -> Option<u64> {
        let v = self.get(key)?;
        if let Some(i) = v.get_ref().as_integer() {
            let checked = integer(i)
                .ok_or_else(|| format!("out of range; allowed: {range}"))
                .and_then(|n| range.check(n));
            return match checked {
                Ok(n) => Some(n),
                Err(e) => {
                    cx.error(&v.span(), &self.key_path(key), format!("{i}: {e}"));
                    None
                }
            };
        }
        let at = self.string(cx, key)?;
        match range.parse(&at.value) {
            Ok(n) => Some(n),
            Err(e) => {
                cx.error(
                    &at.span,
                    &self.key_path(key),
                    format!("{}: {e}", at.shown()),
                );
                None
            }
        }
    }

    /// A sub-table (`[section]` or inline `{ … }`).
    pub(crate) fn table(&mut self, cx: &mut Ctx<'_>, key: &str) -> Option<TableReader<'t, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(TableReader::new(t, v.span(), self.key_path(key))),
            _ => {
                self.wrong_type(cx, key, v, "a table");
                None
            }
        }
    }

    /// A table of string values (`headers = { A = "b" }`), interpolated, in file order.
    pub(crate) fn string_map(&mut self, cx: &mut Ctx<'_>, key: &str) -> Vec<(String, At<String>)> {
        let Some(mut t) = self.table(cx, key) else {
            return Vec::new();
        };
        let keys: Vec<(String, usize)> = t
            .table
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span().start))
            .collect();
        let mut out: Vec<(String, At<String>)> = keys
            .into_iter()
            .filter_map(|(k, _)| t.string(cx, &k).map(|v| (k, v)))
            .collect();
        out.sort_by_key(|(_, v)| v.span.start);
        out
    }

    /// A string or an array of strings (`to = ["a@x", "b@x"]`), each interpolated.
    pub(crate) fn string_list(&mut self, cx: &mut Ctx<'_>, key: &str) -> Option<Vec<At<String>>> {
        let v = self.get(key)?;
        let items: Vec<&Spanned<DeValue<'i>>> = match v.get_ref() {
            DeValue::String(_) => vec![v],
            DeValue::Array(a) => a.iter().collect(),
            _ => {
                self.wrong_type(cx, key, v, "a string or an array of strings");
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            let Some(s) = item.get_ref().as_str() else {
                self.wrong_type(cx, key, item, "a string");
                continue;
            };
            out.extend(cx.string_at(s, item.span(), &self.key_path(key)));
        }
        Some(out)
    }

    /// Any table, as JSON with every string interpolated (plugin `config = { … }`);
    /// the strings that came from a `${…}` reference are added to `interpolated`.
    pub(crate) fn json_table(
        &mut self,
        cx: &mut Ctx<'_>,
        key: &str,
        interpolated: &mut Vec<String>,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        let v = self.get(key)?;
        let path = self.key_path(key);
        match to_json(cx, v, &path, interpolated) {
            serde_json::Value::Object(m) => Some(m),
            _ => {
                self.wrong_type(cx, key, v, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[watch]]`); each with its index.
    pub(crate) fn tables(&mut self, cx: &mut Ctx<'_>, key: &str) -> Vec<TableReader<'t, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(cx, key, v, "an array of tables ([[…]])");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    out.push(TableReader::new(t, item.span(), format!("{key}[{i}]")))
                }
                other => cx.error(
                    &item.span(),
                    &format!("{}[{i}]", self.key_path(key)),
                    format!("expected a table, found {}", other.type_str()),
                ),
            }
        }
        out
    }

    /// Reports every key of this table that was never read, listing the allowed ones.
    pub(crate) fn finish(self, cx: &mut Ctx<'_>) {
        for (k, _) in self.table.iter() {
            let name = k.get_ref().as_ref();
            if !self.used.contains(name) {
                let allowed: Vec<&str> = self.used.iter().map(String::as_str).collect();
                let what = if self.path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in {}", self.path)
                };
                cx.error(
                    &k.span(),
                    &self.key_path(name),
                    format!(
                        "unknown key `{name}` {what}; allowed: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}

/// Converts a TOML value to JSON, interpolating strings (those with a `${…}` reference
/// are added to `interpolated`); problems go to `cx`.
fn to_json(
    cx: &mut Ctx<'_>,
    v: &Spanned<DeValue<'_>>,
    path: &str,
    interpolated: &mut Vec<String>,
) -> serde_json::Value {
    use serde_json::Value;
    match v.get_ref() {
        DeValue::String(s) => cx.string_at(s, v.span(), path).map_or(Value::Null, |a| {
            if a.from_env.is_some() {
                interpolated.push(a.value.clone());
            }
            Value::String(a.value)
        }),
        DeValue::Integer(i) => match integer(i).and_then(|n| i64::try_from(n).ok()) {
            Some(n) => Value::from(n),
            None => {
                cx.error(
                    &v.span(),
                    path,
                    format!("{i} is out of range; allowed: {} to {}", i64::MIN, i64::MAX),
                );
                Value::Null
            }
        },
        DeValue::Float(f) => f
            .as_str()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| to_json(cx, x, &format!("{path}[{i}]"), interpolated))
                .collect(),
        ),
        DeValue::Table(t) => Value::Object(
            t.iter()
                .map(|(k, x)| {
                    let k = k.get_ref().to_string();
                    let value = to_json(cx, x, &format!("{path}.{k}"), interpolated);
                    (k, value)
                })
                .collect(),
        ),
    }
}

/// A TOML integer's value; `None` only when it does not fit 128 bits.
fn integer(i: &toml::de::DeInteger<'_>) -> Option<i128> {
    i128::from_str_radix(i.as_str(), i.radix()).ok()
}
