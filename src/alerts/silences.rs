//! Silences added at run time: the request the API and the status page accept, checked
//! into a [`SilenceRecord`] for the store, and each record's [`SilenceConfig`] for the
//! routing pass (which treats them like `[[silence]]` entries).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::config::alerts::{Matcher, SilenceConfig};
use crate::diff::Level;
use crate::notification::EventKind;
use crate::store::{Millis, SilenceRecord};

/// The longest silence one request may add: longer ones belong in the config file.
const MAX_SILENCE_MS: i64 = 90 * 86_400_000;

/// A new silence as the API takes it (JSON body or form fields).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SilenceRequest {
    /// Watch name globs (`*`); a form sends one, comma-separated.
    #[serde(default, deserialize_with = "list")]
    pub watch: Vec<String>,
    /// Event kinds.
    #[serde(default, deserialize_with = "list")]
    pub event: Vec<String>,
    /// Levels.
    #[serde(default, deserialize_with = "list")]
    pub level: Vec<String>,
    /// Labels that must match (globs).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// How long from now, e.g. "2h" (at most 90 days).
    pub duration: Option<String>,
    /// Why (required: the alert history shows it).
    #[serde(default)]
    pub comment: String,
}

/// A list, or one comma-separated string (what an HTML form sends).
fn list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        OneOrMany::Many(v) => v,
    })
}

impl SilenceRequest {
    /// Checks the request; the record starts now. The error says what to fix.
    pub fn into_record(self, now: Millis) -> Result<SilenceRecord, String> {
        for e in &self.event {
            if EventKind::parse(e).is_none() {
                let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(format!("unknown event {e:?}; allowed: {}", all.join(", ")));
            }
        }
        for l in &self.level {
            if Level::parse(l).is_none() {
                return Err(format!(
                    "unknown level {l:?}; allowed: breaking, warning, info"
                ));
            }
        }
        if self.watch.is_empty()
            && self.event.is_empty()
            && self.level.is_empty()
            && self.labels.is_empty()
        {
            return Err(
                "a silence needs a watch, event, level or label to match (an empty one would silence everything)"
                    .into(),
            );
        }
        if self.comment.trim().is_empty() {
            return Err("a silence needs a comment saying why".into());
        }
        let text = self
            .duration
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .ok_or("a silence needs a duration, e.g. \"2h\"")?;
        let d = crate::units::parse_duration(text).map_err(|e| format!("duration: {e}"))?;
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        if ms <= 0 || ms > MAX_SILENCE_MS {
            return Err(
                "duration must be more than 0 and at most 90d; put longer silences in the config file"
                    .into(),
            );
        }
        Ok(SilenceRecord {
            id: 0,
            watch: self.watch,
            event: self.event,
            level: self.level,
            labels: self.labels,
            starts: now,
            ends: Some(now + ms),
            comment: self.comment.trim().to_string(),
            created_at: now,
            expired_at: None,
        })
    }
}

/// The record as the routing pass uses it (None if it names an event or level this
/// build does not know, which only an older or newer build could have stored).
pub fn to_config(r: &SilenceRecord) -> Option<SilenceConfig> {
    Some(SilenceConfig {
        matcher: Matcher {
            watch: r.watch.clone(),
            event: r
                .event
                .iter()
                .map(|e| EventKind::parse(e))
                .collect::<Option<_>>()?,
            level: r
                .level
                .iter()
                .map(|l| Level::parse(l))
                .collect::<Option<_>>()?,
            labels: r.labels.clone(),
        },
        starts: Some(r.starts),
        ends: r.ends,
        comment: format!("silence {}: {}", r.id, r.comment),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: &str) -> Result<SilenceRecord, String> {
        serde_json::from_str::<SilenceRequest>(json)
            .unwrap()
            .into_record(1_000)
    }

    #[test]
    fn requests_are_checked_and_become_matchers() {
        let r = req(r#"{"watch":"stripe*, acme","event":["endpoint_down"],"duration":"2h","comment":"deploy"}"#).unwrap();
        assert_eq!(r.watch, ["stripe*", "acme"]);
        assert_eq!(r.ends, Some(1_000 + 7_200_000));
        let c = to_config(&r).unwrap();
        assert!(c.active(2_000) && !c.active(1_000 + 7_200_000));
        assert!(c.matcher.matches(
            "stripe-v1",
            EventKind::EndpointDown,
            Level::Breaking,
            &BTreeMap::new()
        ));
        assert!(!c.matcher.matches(
            "other",
            EventKind::EndpointDown,
            Level::Breaking,
            &BTreeMap::new()
        ));
        for (bad, why) in [
            (r#"{"duration":"1h","comment":"x"}"#, "silence everything"),
            (r#"{"watch":"a","duration":"1h"}"#, "comment"),
            (r#"{"watch":"a","comment":"x"}"#, "duration"),
            (r#"{"watch":"a","comment":"x","duration":"100d"}"#, "90d"),
            (
                r#"{"watch":"a","comment":"x","duration":"soon"}"#,
                "duration",
            ),
            (
                r#"{"event":"nope","comment":"x","duration":"1h"}"#,
                "unknown event",
            ),
            (
                r#"{"level":"nope","comment":"x","duration":"1h"}"#,
                "unknown level",
            ),
        ] {
            let e = req(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
