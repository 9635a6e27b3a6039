//! The builtin sinks against real servers on 127.0.0.1: an HTTP receiver for the
//! webhook sink and aiosmtpd (`tests/support/smtp_server.py`) for the email sink.

use crate::support;

use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime};

use specwatch::config::Secret;
use specwatch::config::alerts::{EmailSinkConfig, SmtpTls, WebhookSinkConfig};
use specwatch::notification::AlertPayload;
use specwatch::sinks::email::EmailSink;
use specwatch::sinks::webhook::WebhookSink;
use specwatch::sinks::{Delivery, DeliveryReport, Sink, SinkError};
use support::alert_schema::{signature_time, validate, verify_signature};
use support::payload::{resolved, sample};
use support::smtp::{SmtpMode, SmtpOptions, SmtpServer};
use support::{Reply, Server};

/// The secret parts of every receiver URL in these tests.
const SECRET_PATH: &str = "/hooks/T0KEN-in-the-path";
const SECRET_QUERY: &str = "sig=q5ecret-query-value";
const SECRET: &str = "whsec_test_0123456789";
const HEADER_TOKEN: &str = "Bearer hdr-token-abcdef";

fn hook_cfg(url: String) -> WebhookSinkConfig {
    WebhookSinkConfig {
        url: Secret(url),
        secret: Some(Secret(SECRET.into())),
        headers: vec![
            ("Authorization".into(), Secret(HEADER_TOKEN.into())),
            ("X-Team".into(), Secret("payments".into())),
            // Ours win over configured headers of the same name.
            ("Idempotency-Key".into(), Secret("configured-key".into())),
            ("User-Agent".into(), Secret("not-specwatch".into())),
        ],
    }
}

fn receiver_url(addr: std::net::SocketAddr) -> String {
    format!("http://{addr}{SECRET_PATH}?{SECRET_QUERY}")
}

fn hook(addr: std::net::SocketAddr, timeout: Duration) -> WebhookSink {
    WebhookSink::new("ops-webhook", &hook_cfg(receiver_url(addr)), timeout).unwrap()
}

async fn deliver(
    sink: &dyn Sink,
    p: &AlertPayload,
    attempt: u32,
) -> Result<DeliveryReport, SinkError> {
    let body = serde_json::to_vec(p).unwrap();
    let d = Delivery {
        payload: p,
        body: &body,
        idempotency_key: &p.idempotency_key,
        attempt,
    };
    sink.deliver(&d).await
}

/// No error or report may carry the URL or a header value.
fn assert_no_secrets(text: &str, addr: std::net::SocketAddr) {
    for s in [
        SECRET_PATH,
        "T0KEN-in-the-path",
        SECRET_QUERY,
        "q5ecret-query-value",
        SECRET,
        "hdr-token-abcdef",
        &receiver_url(addr),
    ] {
        assert!(!text.contains(s), "{s:?} leaked into {text:?}");
    }
}

#[tokio::test]
async fn webhook_posts_the_exact_body_signed_with_idempotency_headers() {
    let server = Server::start(|_| Reply::status(202, "queued"));
    let sink = hook(server.addr, Duration::from_secs(5));
    let p = sample();
    let body = serde_json::to_vec(&p).unwrap();
    let report = deliver(&sink, &p, 3).await.unwrap();
    assert_eq!(report.status, Some(202));
    assert!(report.detail.contains("queued"), "{report:?}");

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("{SECRET_PATH}?{SECRET_QUERY}"));
    assert_eq!(r.body, body, "the body is the delivery's bytes, unchanged");
    let h = |k: &str| r.headers.get(k).map(String::as_str);
    assert_eq!(h("content-type"), Some("application/json"));
    assert_eq!(h("idempotency-key"), Some(p.idempotency_key.as_str()));
    assert_eq!(h("x-specwatch-event"), Some("breaking_change"));
    assert_eq!(h("x-specwatch-delivery-attempt"), Some("3"));
    assert_eq!(h("authorization"), Some(HEADER_TOKEN));
    assert_eq!(h("x-team"), Some("payments"));
    assert_eq!(
        h("user-agent"),
        Some(concat!("specwatch/", env!("CARGO_PKG_VERSION")))
    );

    let sig = h("x-specwatch-signature").expect("signed");
    assert!(verify_signature(SECRET.as_bytes(), sig, &r.body), "{sig}");
    assert!(!verify_signature(b"another secret", sig, &r.body));
    let t = signature_time(sig).unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - t).abs() <= 5, "t={t} is the send time (now={now})");
    // What a receiver gets is a valid specwatch.alert.v1 document.
    validate(&serde_json::from_slice(&r.body).unwrap()).unwrap();
}

#[tokio::test]
async fn webhook_without_a_secret_sends_no_signature() {
    let server = Server::start(|_| Reply::ok(""));
    let mut cfg = hook_cfg(server.url("/plain"));
    cfg.secret = None;
    let sink = WebhookSink::new("plain", &cfg, Duration::from_secs(5)).unwrap();
    deliver(&sink, &sample(), 1).await.unwrap();
    let r = &server.requests()[0];
    assert!(!r.headers.contains_key("x-specwatch-signature"));
    assert!(r.headers.contains_key("idempotency-key"));
}

#[tokio::test]
async fn webhook_503_with_retry_after_is_transient() {
    let server = Server::start(|_| {
        Reply::status(503, "overloaded, come back later").header("Retry-After", "2")
    });
    let sink = hook(server.addr, Duration::from_secs(5));
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    match &err {
        SinkError::Transient {
            message,
            status,
            retry_after,
        } => {
            assert_eq!(*status, Some(503));
            assert_eq!(*retry_after, Some(Duration::from_secs(2)));
            assert!(message.contains("503"), "{message}");
            assert!(message.contains("overloaded, come back later"), "{message}");
        }
        other => panic!("expected transient, got {other:?}"),
    }
    assert_no_secrets(&err.to_string(), server.addr);
}

#[tokio::test]
async fn webhook_429_and_408_are_transient() {
    for status in [429, 408, 500] {
        let server = Server::start(move |_| Reply::status(status, "slow down"));
        let err = deliver(&hook(server.addr, Duration::from_secs(5)), &sample(), 1)
            .await
            .unwrap_err();
        assert!(
            matches!(err, SinkError::Transient { status: Some(s), retry_after: None, .. } if s == status),
            "{status}: {err:?}"
        );
    }
}

#[tokio::test]
async fn webhook_400_is_permanent_and_carries_the_receivers_reply() {
    // A receiver that echoes what it got, including the secret path and token.
    let server = Server::start(|r| {
        Reply::status(
            400,
            format!(
                "{{\"error\":\"unknown field `events`\",\"path\":\"{}\",\"auth\":\"{}\"}}",
                r.path,
                r.headers.get("authorization").cloned().unwrap_or_default()
            ),
        )
    });
    let sink = hook(server.addr, Duration::from_secs(5));
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    let SinkError::Permanent { message, status } = &err else {
        panic!("expected permanent, got {err:?}");
    };
    assert_eq!(*status, Some(400));
    assert!(message.contains("400"), "{message}");
    assert!(message.contains("unknown field `events`"), "{message}");
    assert_no_secrets(&err.to_string(), server.addr);
    assert_no_secrets(&format!("{err:?}"), server.addr);
}

#[tokio::test]
async fn webhook_reply_excerpt_is_bounded() {
    let server = Server::start(|_| Reply::status(422, "x".repeat(10_000)));
    let err = deliver(&hook(server.addr, Duration::from_secs(5)), &sample(), 1)
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&"x".repeat(300)), "{msg}");
    assert!(
        !msg.contains(&"x".repeat(301)),
        "at most ~300 bytes of the reply"
    );
}

#[tokio::test]
async fn webhook_redirect_is_permanent_and_not_followed() {
    let server = Server::start(|r| {
        if r.path.starts_with("/moved") {
            Reply::ok("followed")
        } else {
            Reply::status(301, "").header("Location", "/moved")
        }
    });
    let sink = hook(server.addr, Duration::from_secs(5));
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    let SinkError::Permanent { message, status } = &err else {
        panic!("expected permanent, got {err:?}");
    };
    assert_eq!(*status, Some(301));
    assert!(message.contains("redirect"), "{message}");
    assert_eq!(server.count("/moved"), 0, "the redirect was not followed");
    assert_no_secrets(&err.to_string(), server.addr);
}

#[tokio::test]
async fn webhook_receiver_that_never_answers_is_transient_within_the_timeout() {
    // Accepts connections and reads nothing, answers nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let sink = hook(addr, Duration::from_millis(500));
    let start = Instant::now();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(err, SinkError::Transient { status: None, .. }),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(took >= Duration::from_millis(450), "took {took:?}");
    assert_no_secrets(&err.to_string(), addr);
}

#[tokio::test]
async fn webhook_connection_refused_is_transient() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let err = deliver(&hook(addr, Duration::from_secs(2)), &sample(), 1)
        .await
        .unwrap_err();
    let SinkError::Transient { message, .. } = &err else {
        panic!("expected transient, got {err:?}");
    };
    assert!(message.contains("connect"), "{message}");
    assert_no_secrets(&err.to_string(), addr);
}

// ---- email ----

fn mail_cfg(port: u16, tls: SmtpTls, to: &[&str]) -> EmailSinkConfig {
    EmailSinkConfig {
        host: "127.0.0.1".into(),
        port,
        tls,
        username: None,
        password: None,
        from: "Specwatch <alerts@specwatch.example>".into(),
        to: to.iter().map(|s| s.to_string()).collect(),
    }
}

fn fixture_root() -> &'static [u8] {
    include_bytes!("../fixtures/tls/selfsigned.crt")
}

#[tokio::test]
async fn email_sends_a_multipart_message_with_the_changes() {
    let server = SmtpServer::start(SmtpOptions::default());
    let cfg = mail_cfg(
        server.port,
        SmtpTls::None,
        &["ops@example.com", "oncall@example.com"],
    );
    let sink = EmailSink::new("ops-mail", &cfg, Duration::from_secs(5)).unwrap();
    let p = sample();
    let report = deliver(&sink, &p, 1).await.unwrap();
    assert_eq!(report.status, Some(250));
    assert!(report.detail.contains("accepted"), "{report:?}");

    let msgs = server.wait_messages(1, Duration::from_secs(5));
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.mail_from, "alerts@specwatch.example");
    assert_eq!(m.rcpt_tos, ["ops@example.com", "oncall@example.com"]);
    assert_eq!(
        m.header("Subject"),
        Some("[specwatch] BREAKING stripe: 2 breaking changes in v7")
    );
    assert_eq!(
        m.header("From"),
        Some("Specwatch <alerts@specwatch.example>")
    );
    assert_eq!(m.header("To"), Some("ops@example.com, oncall@example.com"));
    assert_eq!(m.content_type, "multipart/alternative");

    let text = m.text.as_deref().expect("a text/plain part");
    for line in [
        "stripe: 2 breaking changes in v7",
        "Watch:    stripe (Stripe, Payments API)",
        "Versions: v6 → v7",
        "Changes:  2 breaking, 1 warning, 1 info",
        "- [breaking] response-required-property-removed GET /v1/charges: removed the response property `amount_captured` <b>(was required)</b>",
        "- [breaking] request-parameter-became-required POST /v1/refunds: the query parameter `reason` became required",
        "- [warning] response-property-enum-value-added GET /v1/charges: added the enum value `blocked` to `status`",
        "- [info] endpoint-added GET /v1/disputes: added the endpoint",
        "- sunset_approaching (warning)",
        "    sunset: 2026-12-20",
        "    error: HTTP 503 Service Unavailable",
        "Changelog: https://specwatch.example/watches/stripe/versions/7",
    ] {
        assert!(text.contains(line), "text part lacks {line:?}:\n{text}");
    }
    let html = m.html.as_deref().expect("a text/html part");
    assert!(
        html.contains("<h2>stripe: 2 breaking changes in v7</h2>"),
        "{html}"
    );
    assert!(
        html.contains(
            "removed the response property `amount_captured` &lt;b&gt;(was required)&lt;/b&gt;"
        ),
        "payload text is escaped in HTML:\n{html}"
    );
    assert!(!html.contains("<b>(was required)"));
    assert!(
        html.contains(
            "<code>response-required-property-removed</code> <code>GET /v1/charges</code>"
        )
    );
    assert!(html.contains("href=\"https://specwatch.example/watches/stripe/versions/7\""));
    assert!(!m.tls && !m.authenticated);
}

#[tokio::test]
async fn email_retry_is_the_same_message_and_resolve_threads_to_the_trigger() {
    let server = SmtpServer::start(SmtpOptions::default());
    let cfg = mail_cfg(server.port, SmtpTls::None, &["ops@example.com"]);
    let sink = EmailSink::new("ops-mail", &cfg, Duration::from_secs(5)).unwrap();
    let mut firing = resolved();
    firing.status = specwatch::notification::AlertStatus::Firing;
    firing.event = specwatch::notification::EventKind::PollFailing;
    firing.level = specwatch::diff::Level::Warning;
    firing.title = "stripe: 3 polls failed".into();
    firing.idempotency_key = "n-firing/ops-mail".into();
    firing.events[0].kind = firing.event;
    firing.events[0].level = firing.level;
    deliver(&sink, &firing, 1).await.unwrap();
    deliver(&sink, &firing, 2).await.unwrap();
    deliver(&sink, &resolved(), 1).await.unwrap();
    let msgs = server.wait_messages(3, Duration::from_secs(5));
    assert_eq!(msgs.len(), 3);
    let id = |i: usize, h: &str| msgs[i].header(h).map(str::to_string);
    assert_eq!(
        id(0, "Message-ID"),
        id(1, "Message-ID"),
        "a retry is the same message"
    );
    assert_ne!(id(0, "Message-ID"), id(2, "Message-ID"));
    let thread = id(0, "References").expect("the trigger references its condition");
    assert_eq!(id(2, "In-Reply-To").as_ref(), Some(&thread));
    assert_eq!(id(2, "References").as_ref(), Some(&thread));
    assert_eq!(id(0, "In-Reply-To"), None);
    assert_eq!(
        msgs[2].header("Subject"),
        Some("[specwatch] RESOLVED stripe: polling works again")
    );
}

#[tokio::test]
async fn email_451_is_transient_and_550_is_permanent() {
    let server = SmtpServer::start(SmtpOptions {
        fail: vec![
            (451, "busy@example.com".into()),
            (550, "gone@example.com".into()),
        ],
        ..SmtpOptions::default()
    });
    let sink = |to: &str| {
        EmailSink::new(
            "ops-mail",
            &mail_cfg(server.port, SmtpTls::None, &[to]),
            Duration::from_secs(5),
        )
        .unwrap()
    };
    let err = deliver(&sink("busy@example.com"), &sample(), 1)
        .await
        .unwrap_err();
    let SinkError::Transient {
        message, status, ..
    } = &err
    else {
        panic!("expected transient, got {err:?}");
    };
    assert_eq!(*status, Some(451));
    assert!(message.contains("temporarily unavailable"), "{message}");

    let err = deliver(&sink("gone@example.com"), &sample(), 1)
        .await
        .unwrap_err();
    let SinkError::Permanent { message, status } = &err else {
        panic!("expected permanent, got {err:?}");
    };
    assert_eq!(*status, Some(550));
    assert!(message.contains("No such user"), "{message}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn email_server_that_never_greets_is_transient_within_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let sink = EmailSink::new(
        "ops-mail",
        &mail_cfg(port, SmtpTls::None, &["ops@example.com"]),
        Duration::from_millis(500),
    )
    .unwrap();
    let start = Instant::now();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    assert!(matches!(err, SinkError::Transient { .. }), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn email_connection_refused_is_transient() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sink = EmailSink::new(
        "ops-mail",
        &mail_cfg(port, SmtpTls::None, &["ops@example.com"]),
        Duration::from_secs(2),
    )
    .unwrap();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    assert!(
        matches!(err, SinkError::Transient { status: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn email_starttls_with_auth_against_the_fixture_certificate() {
    let server = SmtpServer::start(SmtpOptions {
        mode: SmtpMode::StartTls,
        auth: Some(("mailer".into(), "s3cret-mail-pass".into())),
        ..SmtpOptions::default()
    });
    let mut cfg = mail_cfg(server.port, SmtpTls::StartTls, &["ops@example.com"]);
    cfg.username = Some(Secret("mailer".into()));
    cfg.password = Some(Secret("s3cret-mail-pass".into()));
    let sink = EmailSink::with_extra_roots(
        "ops-mail",
        &cfg,
        Duration::from_secs(5),
        Some(fixture_root()),
    )
    .unwrap();
    deliver(&sink, &sample(), 1).await.unwrap();
    let msgs = server.wait_messages(1, Duration::from_secs(5));
    assert_eq!(msgs.len(), 1);
    assert!(msgs[0].tls, "the message crossed STARTTLS");
    assert!(msgs[0].authenticated);

    // Wrong password: refused (535), permanent, and the password is not echoed.
    cfg.password = Some(Secret("wrong-mail-pass".into()));
    let sink = EmailSink::with_extra_roots(
        "ops-mail",
        &cfg,
        Duration::from_secs(5),
        Some(fixture_root()),
    )
    .unwrap();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    assert!(matches!(err, SinkError::Permanent { .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong-mail-pass"), "{err}");
}

#[tokio::test]
async fn email_starttls_rejects_an_untrusted_certificate() {
    let server = SmtpServer::start(SmtpOptions {
        mode: SmtpMode::StartTls,
        ..SmtpOptions::default()
    });
    let cfg = mail_cfg(server.port, SmtpTls::StartTls, &["ops@example.com"]);
    // No extra root: the self-signed certificate must not be accepted.
    let sink = EmailSink::new("ops-mail", &cfg, Duration::from_secs(5)).unwrap();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    assert!(matches!(err, SinkError::Transient { .. }), "{err:?}");
    assert!(err.to_string().contains("TLS handshake"), "{err}");
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn email_implicit_tls_against_the_fixture_certificate() {
    let server = SmtpServer::start(SmtpOptions {
        mode: SmtpMode::Tls,
        ..SmtpOptions::default()
    });
    let cfg = mail_cfg(server.port, SmtpTls::Tls, &["ops@example.com"]);
    let sink = EmailSink::with_extra_roots(
        "ops-mail",
        &cfg,
        Duration::from_secs(5),
        Some(fixture_root()),
    )
    .unwrap();
    deliver(&sink, &sample(), 1).await.unwrap();
    let msgs = server.wait_messages(1, Duration::from_secs(5));
    assert_eq!(msgs.len(), 1);
    assert!(msgs[0].tls, "the message crossed implicit TLS");
}

#[tokio::test]
async fn email_starttls_required_fails_against_a_plain_server() {
    let server = SmtpServer::start(SmtpOptions::default());
    let cfg = mail_cfg(server.port, SmtpTls::StartTls, &["ops@example.com"]);
    let sink = EmailSink::with_extra_roots(
        "ops-mail",
        &cfg,
        Duration::from_secs(5),
        Some(fixture_root()),
    )
    .unwrap();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    assert!(server.messages().is_empty(), "nothing sent in clear: {err}");
    let SinkError::Permanent { message, .. } = &err else {
        panic!("a server without STARTTLS stays that way: expected permanent, got {err:?}");
    };
    assert!(message.contains("STARTTLS"), "{message}");
}

/// An https receiver on 127.0.0.1 with the fixture certificate.
async fn https_receiver() -> std::net::SocketAddr {
    support::tls::https_server(
        fixture_root(),
        include_bytes!("../fixtures/tls/selfsigned.key"),
    )
    .await
}

#[tokio::test]
async fn webhook_over_https_verifies_the_receivers_certificate() {
    let addr = https_receiver().await;
    let url = format!("https://{addr}{SECRET_PATH}?{SECRET_QUERY}");
    // Trusted through the extra root: delivered.
    let sink = WebhookSink::with_extra_roots(
        "ops-webhook",
        &hook_cfg(url.clone()),
        Duration::from_secs(5),
        Some(fixture_root()),
    )
    .unwrap();
    let report = deliver(&sink, &sample(), 1).await.unwrap();
    assert_eq!(report.status, Some(200));
    // Not trusted: a transient TLS failure that names the problem, not the URL.
    let sink = WebhookSink::new("ops-webhook", &hook_cfg(url), Duration::from_secs(5)).unwrap();
    let err = deliver(&sink, &sample(), 1).await.unwrap_err();
    let SinkError::Transient { message, .. } = &err else {
        panic!("expected transient, got {err:?}");
    };
    assert!(message.contains("TLS handshake"), "{message}");
    assert!(message.contains("UnknownIssuer"), "{message}");
    assert_no_secrets(&err.to_string(), addr);
}
