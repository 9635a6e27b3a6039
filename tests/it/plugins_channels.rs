//! The first-party channel plugins (`plugins/channels/*`), built for real and run in
//! the real plugin host against loopback servers that check each service's request
//! shape and answer like the service does.

use crate::support;
use crate::support::plugin_host;

use std::path::PathBuf;
use std::time::Duration;

use plugin_host::{install, sample_payload, sink_cfg};
use serde_json::{Value, json};
use specwatch::diff::{Change, Level};
use specwatch::notification::{AlertPayload, AlertStatus, Counts, EventKind, EventPayload};
use specwatch::plugin_host::{PluginError, Plugins, PluginsOptions};
use specwatch::sinks::{Delivery, DeliveryReport, SharedSink, SinkError};
use support::{Reply, SeenRequest, Server};

const LINK: &str = "https://status.example.com/watches/stripe";
const PD_KEY: &str = "R0UT1NGKEY0123456789abcdefABCDEF";

/// Compiled artifacts shared by every host in this binary (keyed by file hash and
/// engine): each plugin compiles once instead of once per test and check.
fn cache_dir() -> Option<PathBuf> {
    Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plugins-channels-cache"))
}

/// A host serving one plugin through one sink named `sink`.
struct Rig {
    _dir: tempfile::TempDir,
    plugins: Plugins,
    sink: SharedSink,
}

async fn rig(plugin: &str, config: Value) -> Rig {
    rig_with_hosts(plugin, config, &["127.0.0.1"], &["127.0.0.1"]).await
}

async fn rig_with_hosts(plugin: &str, config: Value, allowed: &[&str], http: &[&str]) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), plugin, plugin);
    let plugins = Plugins::new(PluginsOptions {
        dir: dir.path().to_path_buf(),
        cache_dir: cache_dir(),
        ..Default::default()
    })
    .expect("plugin host starts");
    let cfg = sink_cfg(plugin, allowed, http, &config.to_string());
    plugins.set_sinks(vec![("sink".to_string(), cfg.clone())]);
    for (name, r) in plugins.load_all().await {
        r.unwrap_or_else(|e| panic!("{name} must load: {e}"));
    }
    let sink = plugins.sink("sink", &cfg, Duration::from_secs(5));
    Rig {
        _dir: dir,
        plugins,
        sink,
    }
}

async fn send(sink: &SharedSink, payload: &AlertPayload) -> Result<DeliveryReport, SinkError> {
    let body = serde_json::to_vec(payload).unwrap();
    let d = Delivery {
        payload,
        body: &body,
        idempotency_key: &payload.idempotency_key,
        attempt: 1,
    };
    sink.deliver(&d).await
}

/// The sample breaking change, with a status-page link and a second, warning change.
fn breaking() -> AlertPayload {
    let mut p = sample_payload();
    p.links.watch = Some(LINK.into());
    p.title = "stripe: 1 breaking change in v7 <&>".into();
    p.events[0].changes.push(Change::new(
        "request-parameter-became-required",
        Level::Warning,
        Some("POST /v1/refunds".into()),
        "/paths/~1v1~1refunds/post".into(),
        "the parameter `reason` became required".into(),
        &["reason"],
    ));
    p.events[0].counts.warning = 1;
    p.events[0].changes_total = 2;
    p
}

/// An endpoint outage (`firing`) or its recovery (`resolved`), same fingerprint.
fn endpoint(status: AlertStatus) -> AlertPayload {
    let mut p = sample_payload();
    let (kind, title) = match status {
        AlertStatus::Firing => (EventKind::EndpointDown, "stripe: GET /v1/charges is down"),
        AlertStatus::Resolved => (
            EventKind::EndpointRecovered,
            "stripe: GET /v1/charges recovered",
        ),
    };
    p.fingerprint = "endpoint/stripe/GET /v1/charges".into();
    p.status = status;
    p.event = kind;
    p.title = title.into();
    p.summary = "HTTP 503 three times in a row".into();
    p.events = vec![EventPayload {
        kind,
        level: Level::Breaking,
        fingerprint: p.fingerprint.clone(),
        occurred_at: "2026-12-01T08:00:00.000Z".into(),
        summary: title.into(),
        versions: None,
        counts: Counts::default(),
        changes_total: 0,
        changes: vec![],
        root_causes: Counts::default(),
        groups: vec![],
        operations_affected: 0,
        operation: Some("GET /v1/charges".into()),
        error: Some("HTTP 503".into()),
        sunset: None,
        headline: None,
        actions: vec![],
    }];
    p
}

/// A non-breaking spec change.
fn api_changed() -> AlertPayload {
    let mut p = sample_payload();
    p.event = EventKind::ApiChanged;
    p.level = Level::Info;
    p.fingerprint = "changed/stripe/8".into();
    p.title = "stripe: 1 change in v8".into();
    p.events[0].kind = EventKind::ApiChanged;
    p.events[0].level = Level::Info;
    p.events[0].changes[0].level = Level::Info;
    p.events[0].counts = Counts {
        breaking: 0,
        warning: 0,
        info: 1,
    };
    p
}

fn json_of(r: &SeenRequest) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("{} sent non-JSON ({e}): {:?}", r.path, r.body))
}

fn only_request(server: &Server) -> SeenRequest {
    let seen = server.requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let r = seen.into_iter().next().unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.headers.get("content-type").map(String::as_str),
        Some("application/json"),
        "{r:?}"
    );
    r
}

fn assert_transient(r: Result<DeliveryReport, SinkError>, retry_after: Option<Duration>) {
    match r {
        Err(SinkError::Transient {
            retry_after: got, ..
        }) => assert_eq!(got, retry_after),
        other => panic!("expected a transient error, got {other:?}"),
    }
}

fn assert_permanent(r: Result<DeliveryReport, SinkError>, needle: &str) {
    match r {
        Err(SinkError::Permanent { message, .. }) => {
            assert!(message.contains(needle), "{message:?} lacks {needle:?}")
        }
        other => panic!("expected a permanent error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_posts_block_kit_with_a_text_fallback() {
    let server = Server::start(|_| Reply::ok("ok"));
    let url = server.url("/services/T000/B000/XXXX");
    let rig = rig("slack", json!({ "webhook_url": url })).await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.status, Some(200));

    let r = only_request(&server);
    assert_eq!(r.path, "/services/T000/B000/XXXX");
    let b = json_of(&r);
    assert_eq!(
        b["text"],
        "BREAKING stripe: 1 breaking change in v7 &lt;&amp;&gt;"
    );
    let blocks = b["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[0]["text"]["text"], "🔴 BREAKING · stripe");
    assert_eq!(blocks[1]["type"], "section");
    let section = blocks[1]["text"]["text"].as_str().unwrap();
    assert!(
        section.starts_with("*stripe: 1 breaking change in v7 &lt;&amp;&gt;*\n"),
        "{section}"
    );
    let changes = blocks[2]["text"]["text"].as_str().unwrap();
    assert!(
        changes.starts_with("• *breaking* `GET /v1/charges` removed the response property `amount`\n• *warning* `POST /v1/refunds`"),
        "{changes}"
    );
    let actions = blocks
        .iter()
        .find(|b| b["type"] == "actions")
        .expect("a link button");
    assert_eq!(actions["elements"][0]["type"], "button");
    assert_eq!(actions["elements"][0]["url"], LINK);

    // The summary's change lines are the changes block: the message lists them once.
    let mut listed = breaking();
    listed.summary = "v6 → v7: 1 breaking, 1 warning change\n- breaking GET /v1/charges: removed the response property `amount`\n- warning POST /v1/refunds: `reason` became required".into();
    send(&rig.sink, &listed).await.expect("delivered");
    let b = json_of(&server.requests()[1]);
    let section = b["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(
        section,
        "*stripe: 1 breaking change in v7 &lt;&amp;&gt;*\nv6 → v7: 1 breaking, 1 warning change"
    );
    let all = b.to_string();
    assert_eq!(all.matches("became required").count(), 1, "{b:#}");

    server.set(|_| Reply::status(429, "rate_limited").header("Retry-After", "2"));
    assert_transient(
        send(&rig.sink, &breaking()).await,
        Some(Duration::from_secs(2)),
    );
    // The receiver's status is recorded even though the plugin's error carries none.
    server.set(|_| Reply::status(500, "oops"));
    match send(&rig.sink, &breaking()).await {
        Err(e @ SinkError::Transient { .. }) => assert_eq!(e.status(), Some(500), "{e:?}"),
        other => panic!("expected a transient error, got {other:?}"),
    }
    server.set(|_| Reply::status(404, "no_service"));
    assert_permanent(send(&rig.sink, &breaking()).await, "no_service");
}

/// Replies like PagerDuty's Events API: 202 with the event's dedup key.
fn pagerduty_reply(r: &SeenRequest) -> Reply {
    let b: Value = serde_json::from_slice(&r.body).unwrap_or_default();
    let key = b["dedup_key"].as_str().unwrap_or("generated-by-pagerduty");
    Reply::status(
        202,
        json!({"status": "success", "message": "Event processed", "dedup_key": key}).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_triggers_then_resolves_with_the_same_dedup_key() {
    let server = Server::start(pagerduty_reply);
    let cfg = json!({ "routing_key": PD_KEY, "events_url": server.url("") });
    let rig = rig("pagerduty", cfg).await;

    let down = endpoint(AlertStatus::Firing);
    let rep = send(&rig.sink, &down).await.expect("triggered");
    assert_eq!(rep.status, Some(202));
    assert_eq!(
        rep.detail,
        format!("triggered, dedup_key {}", down.fingerprint)
    );
    let rep = send(&rig.sink, &endpoint(AlertStatus::Resolved))
        .await
        .expect("resolved");
    assert_eq!(rep.status, Some(202));

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let (t, r) = (json_of(&seen[0]), json_of(&seen[1]));
    assert_eq!(seen[0].path, "/v2/enqueue");
    assert_eq!(seen[1].path, "/v2/enqueue");
    assert_eq!(t["routing_key"], PD_KEY);
    assert_eq!(t["event_action"], "trigger");
    assert_eq!(t["dedup_key"], down.fingerprint.as_str());
    assert_eq!(t["payload"]["severity"], "critical");
    assert_eq!(t["payload"]["summary"], "stripe: GET /v1/charges is down");
    assert_eq!(t["payload"]["source"], "specwatch/stripe");
    assert_eq!(t["payload"]["component"], "stripe");
    assert_eq!(t["payload"]["class"], "endpoint_down");
    assert_eq!(t["payload"]["timestamp"], "2026-12-01T08:00:00.000Z");
    assert_eq!(r["routing_key"], PD_KEY);
    assert_eq!(r["event_action"], "resolve");
    assert_eq!(
        r["dedup_key"], t["dedup_key"],
        "resolve must reuse the trigger's key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_breaking_changes_page_and_other_changes_are_change_events() {
    let server = Server::start(pagerduty_reply);
    let cfg = json!({ "routing_key": PD_KEY, "events_url": server.url("/") });
    let rig = rig("pagerduty", cfg).await;
    send(&rig.sink, &breaking()).await.expect("triggered");
    let rep = send(&rig.sink, &api_changed()).await.expect("change event");
    assert_eq!(rep.status, Some(202));

    let seen = server.requests();
    let t = json_of(&seen[0]);
    assert_eq!(seen[0].path, "/v2/enqueue");
    assert_eq!(t["event_action"], "trigger");
    assert_eq!(t["dedup_key"], "fp-stripe-7");
    assert_eq!(t["payload"]["custom_details"]["to_version"], 7);
    assert_eq!(t["links"][0]["href"], LINK);
    let c = json_of(&seen[1]);
    assert_eq!(seen[1].path, "/v2/change/enqueue");
    assert_eq!(c["routing_key"], PD_KEY);
    assert!(c.get("event_action").is_none(), "{c}");
    assert_eq!(c["payload"]["summary"], "stripe: 1 change in v8");
    assert_eq!(c["payload"]["source"], "specwatch/stripe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_429_is_transient_and_400_is_permanent() {
    let server = Server::start(|_| {
        Reply::status(429, r#"{"status":"throttle event","message":"Requests for this service are arriving too quickly."}"#)
            .header("Retry-After", "30")
    });
    let cfg = json!({ "routing_key": PD_KEY, "events_url": server.url("") });
    let rig = rig("pagerduty", cfg).await;
    assert_transient(
        send(&rig.sink, &breaking()).await,
        Some(Duration::from_secs(30)),
    );
    server.set(|_| Reply::status(503, ""));
    assert_transient(send(&rig.sink, &breaking()).await, None);
    server.set(|_| {
        Reply::status(400, r#"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"#)
    });
    assert_permanent(send(&rig.sink, &breaking()).await, "invalid event");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teams_posts_an_adaptive_card_in_the_attachments_envelope() {
    let server = Server::start(|_| Reply::status(202, ""));
    let url =
        server.url("/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET");
    let rig = rig("teams", json!({ "webhook_url": url })).await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.status, Some(202));

    let r = only_request(&server);
    assert!(
        r.path.starts_with("/workflows/abc/") && r.path.ends_with("&sig=SECRET"),
        "{}",
        r.path
    );
    let b = json_of(&r);
    assert_eq!(b["type"], "message");
    let att = &b["attachments"][0];
    assert_eq!(
        att["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert!(att["contentUrl"].is_null());
    let card = &att["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(card["version"], "1.4");
    assert_eq!(card["body"][0]["type"], "TextBlock");
    assert_eq!(card["body"][0]["color"], "Attention");
    assert_eq!(
        card["body"][0]["text"],
        "BREAKING stripe: 1 breaking change in v7 <&>"
    );
    let facts = card["body"][2]["facts"].as_array().unwrap();
    assert!(
        facts.contains(&json!({"title": "Version", "value": "v6 → v7"})),
        "{facts:?}"
    );
    assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");
    assert_eq!(card["actions"][0]["url"], LINK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_posts_a_coloured_embed_and_waits_for_the_message() {
    let server = Server::start(|_| Reply::ok(r#"{"id":"1180000000000000001","type":0}"#));
    let url = server.url("/api/webhooks/123/tok");
    let rig = rig(
        "discord",
        json!({ "webhook_url": url, "username": "specwatch" }),
    )
    .await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.status, Some(200));
    assert_eq!(rep.detail, "message 1180000000000000001");

    let r = only_request(&server);
    assert_eq!(r.path, "/api/webhooks/123/tok?wait=true");
    let b = json_of(&r);
    assert_eq!(b["username"], "specwatch");
    assert_eq!(b["allowed_mentions"]["parse"], json!([]));
    let e = &b["embeds"][0];
    assert_eq!(e["color"], 0xD32F2F);
    assert_eq!(e["title"], "🔴 stripe: 1 breaking change in v7 <&>");
    assert_eq!(e["url"], LINK);
    assert_eq!(e["timestamp"], "2026-12-01T08:00:00.000Z");
    let top = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Top changes")
        .unwrap();
    assert!(
        top["value"].as_str().unwrap().starts_with(
            "**breaking** GET /v1/charges: removed the response property \\`amount\\`"
        ),
        "{top}"
    );

    send(&rig.sink, &endpoint(AlertStatus::Resolved))
        .await
        .expect("delivered");
    let resolved = json_of(&server.requests()[1]);
    assert_eq!(
        resolved["embeds"][0]["color"], 0x2E7D32,
        "green when resolved"
    );
    assert!(
        resolved["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("✅ ")
    );

    // Discord's 429 gives the delay (seconds, fractional) in the body.
    server.set(|_| {
        Reply::status(
            429,
            r#"{"message":"You are being rate limited.","retry_after":1.5,"global":false}"#,
        )
    });
    assert_transient(
        send(&rig.sink, &breaking()).await,
        Some(Duration::from_millis(1500)),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_chat_threads_by_fingerprint() {
    let server = Server::start(|_| Reply::ok(r#"{"name":"spaces/AAAA/messages/m1.m1"}"#));
    let url = server.url("/v1/spaces/AAAA/messages?key=KEY&token=TOKEN");
    let rig = rig("google-chat", json!({ "webhook_url": url })).await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.detail, "spaces/AAAA/messages/m1.m1");

    let r = only_request(&server);
    assert_eq!(
        r.path,
        "/v1/spaces/AAAA/messages?key=KEY&token=TOKEN&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
    );
    let b = json_of(&r);
    assert_eq!(b["thread"]["threadKey"], "fp-stripe-7");
    assert_eq!(b["text"], "🔴 stripe: 1 breaking change in v7 <&>");
    let card = &b["cardsV2"][0]["card"];
    assert_eq!(
        card["header"]["subtitle"],
        "BREAKING · stripe · breaking_change"
    );
    let widgets = card["sections"][0]["widgets"].as_array().unwrap();
    let changes = widgets[2]["textParagraph"]["text"].as_str().unwrap();
    assert!(
        changes.starts_with("<b>breaking</b> GET /v1/charges:"),
        "{changes}"
    );
    let button = &widgets.last().unwrap()["buttonList"]["buttons"][0];
    assert_eq!(button["onClick"]["openLink"]["url"], LINK);

    // Text only: the whole message goes into `text`.
    let plain = self::rig("google-chat", json!({ "webhook_url": url, "cards": false })).await;
    send(&plain.sink, &breaking()).await.expect("delivered");
    let b = json_of(&server.requests()[1]);
    assert!(b.get("cardsV2").is_none(), "{b}");
    let text = b["text"].as_str().unwrap();
    assert!(
        text.contains("\n• breaking GET /v1/charges: removed the response property `amount`"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("<{LINK}|Open in specwatch>")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mattermost_posts_slack_compatible_attachments() {
    let server = Server::start(|_| Reply::ok("ok"));
    let url = server.url("/hooks/xyz");
    let rig = rig(
        "mattermost",
        json!({ "webhook_url": url, "channel": "api-changes" }),
    )
    .await;
    send(&rig.sink, &breaking()).await.expect("delivered");

    let r = only_request(&server);
    assert_eq!(r.path, "/hooks/xyz");
    let b = json_of(&r);
    assert_eq!(b["channel"], "api-changes");
    let a = &b["attachments"][0];
    assert_eq!(a["color"], "#D32F2F");
    assert_eq!(
        a["fallback"],
        "BREAKING stripe: 1 breaking change in v7 <&>"
    );
    assert_eq!(a["title_link"], LINK);
    let text = a["text"].as_str().unwrap();
    assert!(
        text.contains("- **breaking** GET /v1/charges: removed the response property \\`amount\\`"),
        "{text}"
    );
    assert!(
        a["fields"]
            .as_array()
            .unwrap()
            .contains(&json!({"short": true, "title": "Watch", "value": "stripe"}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntfy_publishes_json_to_the_server_root() {
    let server = Server::start(|_| {
        Reply::ok(
            r#"{"id":"sPs71M8A2T","time":1764576000,"event":"message","topic":"api-changes"}"#,
        )
    });
    let cfg = json!({ "server_url": server.url(""), "topic": "api-changes", "token": "tk_secret" });
    let rig = rig("ntfy", cfg).await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.detail, "message sPs71M8A2T");
    send(&rig.sink, &endpoint(AlertStatus::Resolved))
        .await
        .expect("delivered");

    let seen = server.requests();
    assert_eq!(seen[0].path, "/");
    assert_eq!(
        seen[0].headers.get("authorization").map(String::as_str),
        Some("Bearer tk_secret")
    );
    let b = json_of(&seen[0]);
    assert_eq!(b["topic"], "api-changes");
    assert_eq!(b["title"], "stripe: 1 breaking change in v7 <&>");
    assert_eq!(b["priority"], 5);
    assert_eq!(b["click"], LINK);
    assert_eq!(b["tags"][0], "rotating_light");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("• breaking GET /v1/charges: removed")
    );
    let resolved = json_of(&seen[1]);
    assert_eq!(resolved["priority"], 3);
    assert_eq!(resolved["tags"][0], "white_check_mark");

    // No token configured: no Authorization header at all.
    let open = self::rig(
        "ntfy",
        json!({ "server_url": server.url(""), "topic": "public" }),
    )
    .await;
    send(&open.sink, &breaking()).await.expect("delivered");
    let r = &server.requests()[2];
    assert!(!r.headers.contains_key("authorization"), "{r:?}");
    assert_eq!(json_of(r)["topic"], "public");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opsgenie_creates_and_closes_by_alias() {
    let server = Server::start(|_| {
        Reply::status(
            202,
            r#"{"result":"Request will be processed","took":0.302,"requestId":"43a29c5c-3dbf"}"#,
        )
    });
    let cfg =
        json!({ "api_key": "eb243592-faa2-4ba2-a551q-1afdf565c889", "api_url": server.url("") });
    let rig = rig("opsgenie", cfg).await;
    let rep = send(&rig.sink, &endpoint(AlertStatus::Firing))
        .await
        .expect("created");
    assert_eq!(
        (rep.status, rep.detail.as_str()),
        (Some(202), "created (request 43a29c5c-3dbf)")
    );
    send(&rig.sink, &endpoint(AlertStatus::Resolved))
        .await
        .expect("closed");

    let seen = server.requests();
    for r in &seen {
        assert_eq!(
            r.headers.get("authorization").map(String::as_str),
            Some("GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889")
        );
    }
    assert_eq!(seen[0].path, "/v2/alerts");
    let c = json_of(&seen[0]);
    assert_eq!(c["alias"], "endpoint/stripe/GET /v1/charges");
    assert_eq!(c["message"], "stripe: GET /v1/charges is down");
    assert_eq!(c["priority"], "P2");
    assert_eq!(c["entity"], "stripe");
    assert_eq!(c["source"], "specwatch");
    assert_eq!(
        seen[1].path,
        "/v2/alerts/endpoint%2Fstripe%2FGET%20%2Fv1%2Fcharges/close?identifierType=alias"
    );
    assert_eq!(json_of(&seen[1])["source"], "specwatch");

    server.set(|_| {
        Reply::status(
            422,
            r#"{"message":"Request body is not processable","took":0.0}"#,
        )
    });
    assert_permanent(send(&rig.sink, &breaking()).await, "not processable");
    server.set(|_| Reply::status(429, "").header("Retry-After", "5"));
    assert_transient(
        send(&rig.sink, &breaking()).await,
        Some(Duration::from_secs(5)),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_sends_escaped_html_within_4096_characters() {
    let server = Server::start(|_| {
        Reply::ok(r#"{"ok":true,"result":{"message_id":42,"chat":{"id":-1001}}}"#)
    });
    let cfg = json!({ "bot_token": "123456:ABC-DEF", "chat_id": -1001, "api_url": server.url("") });
    let rig = rig("telegram", cfg).await;
    let rep = send(&rig.sink, &breaking()).await.expect("delivered");
    assert_eq!(rep.detail, "message 42");

    // 40 long changes would make a far longer message than Telegram accepts.
    let mut big = breaking();
    big.events[0].changes = (0..40)
        .map(|i| {
            Change::new(
                "response-property-removed",
                Level::Breaking,
                Some(format!("GET /v1/things/{i}")),
                format!("/paths/{i}"),
                format!("removed <{i}> & {}", "x".repeat(450)),
                &[&i.to_string()],
            )
        })
        .collect();
    send(&rig.sink, &big).await.expect("delivered");

    let seen = server.requests();
    assert_eq!(seen[0].path, "/bot123456:ABC-DEF/sendMessage");
    let b = json_of(&seen[0]);
    assert_eq!(b["chat_id"], -1001);
    assert_eq!(b["parse_mode"], "HTML");
    let text = b["text"].as_str().unwrap();
    assert!(
        text.starts_with("🔴 <b>stripe: 1 breaking change in v7 &lt;&amp;&gt;</b>\n"),
        "{text}"
    );
    assert!(
        text.contains("• <b>breaking</b> <code>GET /v1/charges</code> removed"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("<a href=\"{LINK}\">Open in specwatch</a>")),
        "{text}"
    );
    let long = json_of(&seen[1])["text"].as_str().unwrap().to_string();
    // Telegram counts UTF-16 code units.
    let units = long.encode_utf16().count();
    assert!(units <= 4096, "{units} UTF-16 units");
    assert!(long.contains("&lt;0&gt; &amp;"), "entities stay whole");
    assert!(long.contains(" more\n"), "says that changes were left out");
    assert_eq!(long.matches("<b>").count(), long.matches("</b>").count());

    server.set(|_| Reply::status(429, r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#));
    assert_transient(
        send(&rig.sink, &breaking()).await,
        Some(Duration::from_secs(7)),
    );
    server.set(|_| {
        Reply::status(
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
        )
    });
    let e = send(&rig.sink, &breaking()).await;
    assert!(
        !format!("{e:?}").contains("ABC-DEF"),
        "the token must not leak: {e:?}"
    );
    assert_permanent(e, "chat not found");
}

/// Plugin, its required keys, and a config with one key of the wrong type.
const PLUGINS: &[(&str, &[&str], &str, &str)] = &[
    (
        "slack",
        &["webhook_url"],
        r#"{"webhook_url": 5}"#,
        "webhook_url",
    ),
    (
        "pagerduty",
        &["routing_key"],
        r#"{"routing_key": "R0UT1NGKEY0123456789abcdefABCDEF", "change_events": "yes"}"#,
        "change_events",
    ),
    (
        "teams",
        &["webhook_url"],
        r#"{"webhook_url": "https://x.logic.azure.com/w", "max_changes": -1}"#,
        "max_changes",
    ),
    (
        "discord",
        &["webhook_url"],
        r#"{"webhook_url": "https://discord.com/api/webhooks/1/t", "thread_id": "abc"}"#,
        "thread_id",
    ),
    (
        "google-chat",
        &["webhook_url"],
        r#"{"webhook_url": "https://chat.googleapis.com/v1/spaces/A/messages", "cards": 1}"#,
        "cards",
    ),
    (
        "mattermost",
        &["webhook_url"],
        r#"{"webhook_url": "chat.example.com/hooks/x"}"#,
        "webhook_url",
    ),
    ("ntfy", &["topic"], r#"{"topic": "a/b"}"#, "topic"),
    (
        "opsgenie",
        &["api_key"],
        r#"{"api_key": "k", "tags": "one"}"#,
        "tags",
    ),
    (
        "telegram",
        &["bot_token", "chat_id"],
        r#"{"bot_token": "123:abc", "chat_id": true}"#,
        "chat_id",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_plugin_describes_its_config_and_rejects_bad_configs_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let host = Plugins::new(PluginsOptions {
        dir: dir.path().to_path_buf(),
        cache_dir: cache_dir(),
        ..Default::default()
    })
    .unwrap();
    for &(plugin, required, bad, key) in PLUGINS {
        let file = install(dir.path(), plugin, plugin);
        let info = host
            .check_file(&file, None)
            .await
            .unwrap_or_else(|e| panic!("{plugin}: {e}"));
        assert_eq!(info.display_name, plugin);
        assert_eq!(info.wit_version, "0.1.1", "{plugin}");
        let schema: Value = serde_json::from_str(info.config_schema.as_deref().unwrap()).unwrap();
        assert_eq!(schema["type"], "object", "{plugin}");
        assert_eq!(schema["additionalProperties"], false, "{plugin}");
        let req: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(req, required, "{plugin}");
        for k in required {
            assert!(
                schema["properties"].get(k).is_some(),
                "{plugin}: {k} in schema"
            );
        }

        let rejected = |config: &'static str| {
            let host = host.clone();
            let file = file.clone();
            async move {
                match host.check_file(&file, Some(config)).await {
                    Err(PluginError::InvalidConfig { message, .. }) => message,
                    other => panic!("{plugin} accepted {config}: {other:?}"),
                }
            }
        };
        let m = rejected("{}").await;
        assert!(
            m.contains(&format!("missing field `{}`", required[0])),
            "{plugin}: {m}"
        );
        let m = rejected(bad).await;
        assert!(m.contains(&format!("\"{key}\"")), "{plugin}: {m}");
        let m = rejected(r#"{"unknown_key": 1}"#).await;
        assert!(m.contains("unknown_key"), "{plugin}: {m}");
        let m = rejected("[1, 2]").await;
        assert!(m.contains("must be a JSON object"), "{plugin}: {m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_outside_allowed_hosts_is_a_permanent_error() {
    let server = Server::start(|_| Reply::ok("ok"));
    let url = server.url("/services/T/B/X");
    let rig = rig_with_hosts(
        "slack",
        json!({ "webhook_url": url }),
        &["hooks.slack.com"],
        &[],
    )
    .await;
    assert_permanent(send(&rig.sink, &breaking()).await, "denied");
    assert!(server.requests().is_empty());
    assert_eq!(rig.plugins.list()[0].sinks, vec!["sink".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_hands_plugins_the_typed_alert_and_the_whole_payload() {
    let server = Server::start(|_| Reply::ok("thanks"));
    let rig = rig("sdk-echo", json!({ "url": server.url("/echo") })).await;
    let payload = breaking();
    let rep = send(&rig.sink, &payload).await.expect("delivered");
    assert_eq!((rep.status, rep.detail.as_str()), (Some(200), "thanks"));

    let r = only_request(&server);
    assert_eq!(r.headers.get("x-echo").map(String::as_str), Some("1"));
    let b = json_of(&r);
    let t = &b["typed"];
    assert_eq!(b["payload"], serde_json::to_value(&payload).unwrap());
    assert_eq!(t["id"], "n-42");
    assert_eq!(t["idempotency_key"], payload.idempotency_key.as_str());
    assert_eq!(t["fingerprint"], "fp-stripe-7");
    assert_eq!(t["event"], "breaking_change");
    assert_eq!(t["status"], "firing");
    assert_eq!(t["level"], "breaking");
    assert_eq!(t["watch"], "stripe");
    assert_eq!(t["provider"], "Stripe");
    assert_eq!(t["labels"], json!([["team", "payments"]]));
    assert_eq!(
        (t["from_version"].as_u64(), t["to_version"].as_u64()),
        (Some(6), Some(7))
    );
    assert_eq!(t["counts"], json!({"breaking": 1, "warning": 1, "info": 0}));
    assert_eq!(t["top_changes"][0]["level"], "breaking");
    assert_eq!(t["top_changes"][1]["operation"], "POST /v1/refunds");
    assert_eq!(t["link"], LINK);
    assert_eq!(t["occurred_at"], "2026-12-01T08:00:00.000Z");

    // The SDK's classify: Retry-After → retry delay; other 4xx permanent.
    server.set(|_| Reply::status(503, "maintenance").header("Retry-After", "7"));
    assert_transient(
        send(&rig.sink, &payload).await,
        Some(Duration::from_secs(7)),
    );
    server.set(|_| Reply::status(408, ""));
    assert_transient(send(&rig.sink, &payload).await, None);
    server.set(|_| Reply::status(410, "gone"));
    assert_permanent(send(&rig.sink, &payload).await, "HTTP 410: gone");
}
