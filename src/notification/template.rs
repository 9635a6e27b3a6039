//! Per-sink message templates (minijinja): a sink's `title` and `body` replace the
//! document's `title` and `summary` before it is delivered, so every sink kind (the
//! webhook's JSON, the email's subject and text, a plugin's `title` / `summary` and
//! `payload-json`) carries the custom message. The context is the `specwatch.alert.v1`
//! document itself (docs/alerts.md); without a template a sink gets today's message.

use minijinja::{Environment, UndefinedBehavior};

use super::{
    AlertPayload, AlertStatus, Counts, EventKind, EventPayload, Links, SCHEMA, VersionPair,
    WatchRef, rfc3339,
};
use crate::diff::Level;

/// A sink's `title` / `body` templates (their source text, checked when the config is read).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageTemplates {
    /// Replaces the document's `title`.
    pub title: Option<String>,
    /// Replaces the document's `summary` (the message body).
    pub body: Option<String>,
}

impl MessageTemplates {
    /// True when neither template is set (the sink sends today's messages).
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.body.is_none()
    }
}

/// A template that does not compile or render, with its 1-based line in the template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Line inside the template (1 when minijinja does not say).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        let message = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        TemplateError {
            line: e.line().unwrap_or(1),
            message,
        }
    }
}

/// Instructions a template may run per render.
const FUEL: u64 = 1_000_000;

/// Longest rendered title kept (characters); titles are one line.
const MAX_TITLE_CHARS: usize = 1000;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Plain text: receivers (Slack, e-mail text, JSON) escape for themselves.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // A field absent for this kind of event (`versions` of a poll failure) renders empty.
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    // `null` fields (a document-level change's `operation`) print nothing, not "none".
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    // Bounds a runaway loop in a template (each delivery renders it).
    env.set_fuel(Some(FUEL));
    env
}

/// Renders one template source with `payload` as the context.
pub fn render(source: &str, payload: &AlertPayload) -> Result<String, TemplateError> {
    let env = environment();
    let tmpl = env.template_from_str(source)?;
    Ok(tmpl.render(minijinja::Value::from_serialize(payload))?)
}

/// Checks a template: it must compile and render against sample documents of each
/// shape (a spec change, a poll failure, a resolution), so a typo in a filter name or
/// a bad expression is a validation error, not a failed delivery.
pub fn check(source: &str) -> Result<(), TemplateError> {
    for sample in samples() {
        render(source, &sample)?;
    }
    Ok(())
}

/// The document with the sink's templates applied; a render failure (which `check`
/// makes unlikely) keeps the default text and is returned beside it for the log.
pub fn apply(t: &MessageTemplates, p: &AlertPayload) -> (AlertPayload, Option<TemplateError>) {
    let mut out = p.clone();
    let mut failed = None;
    if let Some(src) = &t.title {
        match render(src, p) {
            Ok(s) => {
                let line = s.trim().lines().next().unwrap_or_default();
                out.title = line.chars().take(MAX_TITLE_CHARS).collect();
            }
            Err(e) => failed = Some(e),
        }
    }
    if let Some(src) = &t.body {
        match render(src, p) {
            Ok(s) => out.summary = s.trim_end().to_string(),
            Err(e) => failed = Some(e),
        }
    }
    (out, failed)
}

/// Sample documents a template is checked against (and the docs test renders).
pub fn samples() -> Vec<AlertPayload> {
    let watch = WatchRef {
        name: "stripe".into(),
        provider: Some("Stripe".into()),
        product: Some("Payments API".into()),
        labels: [("team".to_string(), "payments".to_string())].into(),
    };
    let mut change = EventPayload::plain(
        EventKind::BreakingChange,
        Level::Breaking,
        "fp-change".into(),
        "v6 → v7: 1 breaking change".into(),
        0,
    );
    change.versions = Some(VersionPair { from: 6, to: 7 });
    change.counts = Counts {
        breaking: 1,
        warning: 0,
        info: 0,
    };
    change.root_causes = change.counts;
    change.changes_total = 1;
    change.operations_affected = 1;
    change.changes = vec![crate::diff::Change::with_cause(
        "request-parameter-removed",
        Level::Breaking,
        Some("GET /v1/charges".into()),
        "/paths/~1v1~1charges/get/parameters/0".into(),
        "the query parameter 'limit' was removed".into(),
        &["GET /v1/charges"],
        &[],
    )];
    let mut failing = EventPayload::plain(
        EventKind::PollFailing,
        Level::Warning,
        "fp-poll".into(),
        "polls have failed 3 times".into(),
        0,
    );
    failing.error = Some("connection refused".into());
    let mut sunset = EventPayload::plain(
        EventKind::SunsetApproaching,
        Level::Warning,
        "fp-sunset".into(),
        "GET /v1/legacy is sunset on 2027-01-01".into(),
        0,
    );
    sunset.operation = Some("GET /v1/legacy".into());
    sunset.sunset = Some("2027-01-01".into());
    // Shaped like the alerts stage builds them (title, group key, links); the
    // templates see the same fields.
    let doc = |events: Vec<EventPayload>, status: AlertStatus| {
        let first = &events[0];
        let resolved = if status == AlertStatus::Resolved {
            "RESOLVED "
        } else {
            ""
        };
        let base = "https://specwatch.example/watches/stripe";
        AlertPayload {
            schema: SCHEMA.to_string(),
            id: "1".into(),
            idempotency_key: "1-sink".into(),
            fingerprint: first.fingerprint.clone(),
            group_key: "r/stripe".into(),
            status,
            event: first.kind,
            level: first.level,
            title: format!("{resolved}stripe: {}", first.summary),
            summary: first.summary.clone(),
            watch: watch.clone(),
            created_at: rfc3339(0),
            repeat: false,
            links: Links {
                watch: Some(base.into()),
                version: first.versions.map(|v| format!("{base}/versions/{}", v.to)),
            },
            events,
        }
    };
    vec![
        doc(vec![change], AlertStatus::Firing),
        doc(vec![failing.clone()], AlertStatus::Firing),
        doc(vec![failing], AlertStatus::Resolved),
        doc(vec![sunset], AlertStatus::Firing),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_see_the_document_and_absent_fields_render_empty() {
        let [change, failing, ..] = &samples()[..] else {
            panic!()
        };
        let t = MessageTemplates {
            title: Some("[{{ level | upper }}] {{ watch.name }} v{{ events[0].versions.to }}".into()),
            body: Some(
                "{% for c in events[0].changes %}- {{ c.operation }}: {{ c.message }}\n{% endfor %}".into(),
            ),
        };
        let (p, err) = apply(&t, change);
        assert_eq!(err, None);
        assert_eq!(p.title, "[BREAKING] stripe v7");
        assert_eq!(
            p.summary,
            "- GET /v1/charges: the query parameter 'limit' was removed"
        );
        let (p, err) = apply(&t, failing);
        assert_eq!(err, None);
        assert_eq!(p.title, "[WARNING] stripe v", "absent fields are empty");
        assert_eq!(p.summary, "");
    }

    #[test]
    fn errors_carry_the_line_of_the_template() {
        let e = check("line one\n{{ title | no_such_filter }}").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("no_such_filter"), "{e}");
        let e = check("a\nb\n{% if %}").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(check("{{ title }} — {{ summary }}").is_ok());
        assert_eq!(
            render("[{{ watch.provider }}]", &samples()[1]).unwrap(),
            "[Stripe]"
        );
        let mut p = samples()[0].clone();
        p.watch.provider = None;
        assert_eq!(
            render("[{{ watch.provider }}]", &p).unwrap(),
            "[]",
            "null prints nothing"
        );
    }

    #[test]
    fn without_templates_the_message_is_unchanged() {
        let p = &samples()[0];
        let (out, err) = apply(&MessageTemplates::default(), p);
        assert_eq!((&out, err), (p, None));
    }
}
