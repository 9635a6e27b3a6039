//! Issue 14, acceptance 3: the optional language-model summary against loopback servers
//! speaking the real OpenAI chat-completions and Anthropic messages shapes: the request
//! (model, auth header, the change list and nothing secret), the answer stored labelled
//! as generated, failures (500, timeout) leaving the deterministic summary with the error
//! recorded, and no key = no request.

use crate::support;

use std::time::Duration;

use serde_json::{Value, json};
use specwatch::config::Secret;
use specwatch::config::summary::{LlmConfig, Provider};
use specwatch::diff::{Change, Level, Report};
use specwatch::explain::llm;
use support::{Daemon, Env, Reply, Server, config_for};

const KEY: &str = "sk-test-0123456789abcdef";

fn cfg(provider: Provider, server: &Server, timeout: Duration) -> LlmConfig {
    LlmConfig {
        provider,
        endpoint: server.url(""),
        model: "test-model".into(),
        api_key: Secret(KEY.into()),
        timeout,
        max_input_changes: 10,
    }
}

fn input() -> Value {
    let report = Report::from_changes(vec![Change::new(
        "response-property-became-nullable",
        Level::Breaking,
        Some("GET /v1/customers".into()),
        "/components/schemas/customer/properties/email".into(),
        "the response property 'email' for status 200 became nullable".into(),
        &[],
    )]);
    let s = specwatch::explain::summarize(&report, None);
    llm::request_input("stripe", 6, 7, &s, 10)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn openai_answer(text: &str, finish: &str) -> Vec<u8> {
    json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1733300000, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
    .to_string()
    .into_bytes()
}

#[test]
fn openai_compatible_request_and_answer() {
    let server = Server::start(|_| Reply::ok(openai_answer("Handle null emails.", "stop")));
    let c = cfg(Provider::OpenAiCompatible, &server, Duration::from_secs(5));
    let g = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap();
    assert_eq!(
        (g.text.as_str(), g.truncated),
        ("Handle null emails.", false)
    );
    assert_eq!(g.model, "test-model");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(r.headers["authorization"], format!("Bearer {KEY}"));
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][0]["role"], "system");
    let user = body["messages"][1]["content"].as_str().unwrap();
    let list: Value = serde_json::from_str(user).unwrap();
    assert_eq!(
        list["changes"][0]["what_to_do"],
        "handle `null` in `email` in GET /v1/customers"
    );
    assert_eq!(list["changes"][0]["level"], "breaking");
    assert!(!String::from_utf8_lossy(&r.body).contains(KEY));
    // A cut answer is kept and marked.
    server.set(|_| Reply::ok(openai_answer("Handle", "length")));
    let g = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap();
    assert!(g.truncated);
}

#[test]
fn anthropic_messages_request_and_answer() {
    let server = Server::start(|_| {
        Reply::ok(
            json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "test-model",
                "content": [{"type": "text", "text": "Emails may be null. "}, {"type": "text", "text": "Check them."}],
                "stop_reason": "end_turn", "stop_sequence": null,
                "usage": {"input_tokens": 10, "output_tokens": 5}})
            .to_string(),
        )
    });
    let c = cfg(Provider::Anthropic, &server, Duration::from_secs(5));
    let g = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap();
    assert_eq!(g.text, "Emails may be null. Check them.");
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.headers["x-api-key"], KEY);
    assert_eq!(r.headers["anthropic-version"], "2023-06-01");
    assert!(!r.headers.contains_key("authorization"));
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["max_tokens"], 800);
    assert!(body["system"].as_str().unwrap().contains("summarize"));
    assert_eq!(body["messages"][0]["role"], "user");
}

#[test]
fn failures_are_retried_then_recorded_without_the_key() {
    // 500 echoing the key: retried, then reported with the key scrubbed.
    let server = Server::start(|_| {
        Reply::status(
            500,
            format!(
                "{{\"error\": {{\"message\": \"boom for {KEY}\", \"type\": \"server_error\"}}}}"
            ),
        )
    });
    let c = cfg(Provider::OpenAiCompatible, &server, Duration::from_secs(5));
    let e = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        3,
        "two retries after the first attempt"
    );
    assert!(e.0.contains("HTTP 500"), "{e}");
    assert!(!e.0.contains(KEY), "{e}");
    // A bad key is permanent: one request.
    server.set(|_| {
        Reply::status(
            401,
            r#"{"error": {"message": "bad key", "type": "invalid_request_error"}}"#,
        )
    });
    let before = server.requests().len();
    let e = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap_err();
    assert_eq!(server.requests().len(), before + 1);
    assert!(e.0.contains("HTTP 401"), "{e}");
    // A hang past the timeout.
    server.set(|_| {
        std::thread::sleep(Duration::from_secs(3));
        Reply::ok(openai_answer("late", "stop"))
    });
    let c = cfg(
        Provider::OpenAiCompatible,
        &server,
        Duration::from_millis(1000),
    );
    let e = runtime()
        .block_on(llm::generate(&reqwest::Client::new(), &c, &input()))
        .unwrap_err();
    assert!(e.0.contains("no answer within"), "{e}");
}

fn spec(field: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Shop, version: '1'}}\npaths:\n  /items:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [{field}]\n                properties:\n                  {field}: {{type: string}}\n"
    )
}

/// The daemon asks after committing a version and stores the answer beside the
/// deterministic summary; without a key it asks nothing.
#[test]
fn the_daemon_stores_a_generated_summary_and_without_a_key_asks_nothing() {
    for with_key in [true, false] {
        let server =
            Server::start(|_| Reply::ok(openai_answer("Clients must read `name`.", "stop")));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("shop.yaml");
        std::fs::write(&file, spec("title")).unwrap();
        let key_line = if with_key {
            "api_key = \"${SW_TEST_LLM_KEY}\"\n"
        } else {
            ""
        };
        let extra = format!(
            "[server]\nlisten = \"127.0.0.1:0\"\n[summary.llm]\nprovider = \"openai-compatible\"\nendpoint = \"{}\"\nmodel = \"test-model\"\n{key_line}timeout = \"5s\"\n",
            server.url("/v1")
        );
        let env = Env::new(&config_for(
            &dir.path().join("store"),
            &[("shop", file.to_str().unwrap())],
            &extra,
        ));
        let mut d = Daemon::start(&env.config, &[("SW_TEST_LLM_KEY", KEY)]);
        assert!(
            d.wait_line("new version", Duration::from_secs(20))
                .is_some(),
            "{}",
            d.log()
        );
        std::fs::write(&file, spec("name")).unwrap();
        // The CLI reads the same config, so it needs the variable too.
        let run = |args: &[&str]| {
            std::process::Command::new(support::bin())
                .args(args)
                .args(["--config", env.config_str()])
                .env("SW_TEST_LLM_KEY", KEY)
                .output()
                .unwrap()
        };
        let out = run(&["poll", "shop"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if with_key {
            assert!(
                server
                    .wait_for("/v1/chat/completions", 1, Duration::from_secs(20))
                    .is_some(),
                "{}",
                d.log()
            );
            assert!(
                d.wait_line("stored the generated summary", Duration::from_secs(20))
                    .is_some(),
                "{}",
                d.log()
            );
            let json = run(&["changelog", "shop", "--format", "json"]);
            let v: Value = serde_json::from_slice(&json.stdout).unwrap();
            let s = &v["versions"][1]["summary"];
            assert_eq!(s["generated"]["text"], "Clients must read `name`.");
            assert_eq!(s["generated"]["model"], "test-model");
            assert!(s["headline"].as_str().unwrap().contains("breaking"), "{s}");
            let text = String::from_utf8_lossy(&run(&["changelog", "shop"]).stdout).into_owned();
            assert!(
                text.contains("Generated summary (openai-compatible, test-model; may be wrong)"),
                "{text}"
            );
        } else {
            std::thread::sleep(Duration::from_secs(2));
            assert_eq!(server.requests().len(), 0);
        }
        d.stop();
        assert!(!d.log().contains(KEY), "the key leaked into the log");
    }
}
