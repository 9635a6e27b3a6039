//! A realistic `specwatch.alert.v1` notification for sink and schema tests: three events,
//! changes at every level, labels, and every optional field set.

use std::collections::BTreeMap;

use specwatch::diff::{Change, Level};
use specwatch::notification::{
    AlertPayload, AlertStatus, Counts, EventKind, EventPayload, Links, SCHEMA, VersionPair,
    WatchRef,
};

fn change(id: &str, level: Level, op: Option<&str>, pointer: &str, msg: &str) -> Change {
    Change::new(
        id,
        level,
        op.map(str::to_string),
        pointer.to_string(),
        msg.to_string(),
        &[msg],
    )
}

/// A firing breaking-change notification for watch `stripe`, v6 → v7.
pub fn sample() -> AlertPayload {
    let labels = BTreeMap::from([
        ("team".to_string(), "payments".to_string()),
        ("tier".to_string(), "critical".to_string()),
    ]);
    let changes = vec![
        change(
            "response-required-property-removed",
            Level::Breaking,
            Some("GET /v1/charges"),
            "/paths/~1v1~1charges/get/responses/200",
            "removed the response property `amount_captured` <b>(was required)</b>",
        ),
        change(
            "request-parameter-became-required",
            Level::Breaking,
            Some("POST /v1/refunds"),
            "/paths/~1v1~1refunds/post/parameters/0",
            "the query parameter `reason` became required",
        ),
        change(
            "response-property-enum-value-added",
            Level::Warning,
            Some("GET /v1/charges"),
            "/paths/~1v1~1charges/get/responses/200/status",
            "added the enum value `blocked` to `status`",
        ),
        change(
            "endpoint-added",
            Level::Info,
            Some("GET /v1/disputes"),
            "/paths/~1v1~1disputes/get",
            "added the endpoint",
        ),
    ];
    let fp = "breaking_change/stripe/9f2c41d07a3b".to_string();
    let groups = specwatch::diff::Report::from_changes(changes.clone()).groups;
    AlertPayload {
        schema: SCHEMA.to_string(),
        id: "01JF8Z6Q7W4Y0B3C2D1E0F9G8H".to_string(),
        idempotency_key: "01JF8Z6Q7W4Y0B3C2D1E0F9G8H/ops-webhook".to_string(),
        fingerprint: fp.clone(),
        group_key: "default/stripe".to_string(),
        status: AlertStatus::Firing,
        event: EventKind::BreakingChange,
        level: Level::Breaking,
        title: "stripe: 2 breaking changes in v7".to_string(),
        summary: "2 breaking, 1 warning, 1 info change between v6 and v7.\nAlso: GET /v1/sources is sunset on 2026-12-20.".to_string(),
        watch: WatchRef {
            name: "stripe".to_string(),
            provider: Some("Stripe".to_string()),
            product: Some("Payments API".to_string()),
            labels,
        },
        created_at: "2026-12-01T08:00:01.250Z".to_string(),
        repeat: false,
        links: Links {
            watch: Some("https://specwatch.example/watches/stripe".to_string()),
            version: Some("https://specwatch.example/watches/stripe/versions/7".to_string()),
        },
        events: vec![
            EventPayload {
                kind: EventKind::BreakingChange,
                level: Level::Breaking,
                fingerprint: fp,
                occurred_at: "2026-12-01T08:00:00.000Z".to_string(),
                summary: "2 breaking, 1 warning, 1 info change between v6 and v7".to_string(),
                versions: Some(VersionPair { from: 6, to: 7 }),
                counts: Counts {
                    breaking: 2,
                    warning: 1,
                    info: 1,
                },
                changes_total: 4,
                changes,
                root_causes: Counts {
                    breaking: 2,
                    warning: 1,
                    info: 1,
                },
                groups,
                operations_affected: 2,
                operation: None,
                error: None,
                sunset: None,
                headline: None,
                actions: vec![],
            },
            EventPayload {
                kind: EventKind::SunsetApproaching,
                level: Level::Warning,
                fingerprint: "sunset_approaching/stripe/GET /v1/sources".to_string(),
                occurred_at: "2026-12-01T08:00:00.000Z".to_string(),
                summary: "GET /v1/sources is sunset on 2026-12-20".to_string(),
                versions: None,
                counts: Counts::default(),
                changes_total: 0,
                changes: vec![],
                root_causes: Counts::default(),
                groups: vec![],
                operations_affected: 0,
                operation: Some("GET /v1/sources".to_string()),
                error: None,
                sunset: Some("2026-12-20".to_string()),
                headline: None,
                actions: vec![],
            },
            EventPayload {
                kind: EventKind::EndpointDown,
                level: Level::Breaking,
                fingerprint: "endpoint_down/stripe/GET /v1/charges".to_string(),
                occurred_at: "2026-12-01T07:59:30.000Z".to_string(),
                summary: "GET /v1/charges answers HTTP 503".to_string(),
                versions: None,
                counts: Counts::default(),
                changes_total: 0,
                changes: vec![],
                root_causes: Counts::default(),
                groups: vec![],
                operations_affected: 0,
                operation: Some("GET /v1/charges".to_string()),
                error: Some("HTTP 503 Service Unavailable".to_string()),
                sunset: None,
                headline: None,
                actions: vec![],
            },
        ],
    }
}

/// The same payload as a resolved poll failure (no changes at all).
pub fn resolved() -> AlertPayload {
    let mut p = sample();
    p.status = AlertStatus::Resolved;
    p.event = EventKind::PollRecovered;
    p.level = Level::Info;
    p.title = "stripe: polling works again".to_string();
    p.summary = "The spec was fetched successfully after 3 failures.".to_string();
    p.fingerprint = "poll_failing/stripe".to_string();
    p.idempotency_key = "01JF900000000000000000000R/ops-mail".to_string();
    p.events = vec![EventPayload {
        kind: EventKind::PollRecovered,
        level: Level::Info,
        fingerprint: "poll_failing/stripe".to_string(),
        occurred_at: "2026-12-01T09:00:00.000Z".to_string(),
        summary: "polled successfully".to_string(),
        versions: None,
        counts: Counts::default(),
        changes_total: 0,
        changes: vec![],
        root_causes: Counts::default(),
        groups: vec![],
        operations_affected: 0,
        operation: None,
        error: None,
        sunset: None,
        headline: None,
        actions: vec![],
    }];
    p
}
