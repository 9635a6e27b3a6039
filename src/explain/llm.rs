//! The optional language-model summary: after a version is committed, the structured
//! change list (never the spec, never a secret) goes to an OpenAI-compatible chat
//! completions or an Anthropic messages endpoint; the answer is stored beside the
//! deterministic summary, labelled as generated. Transient failures (timeouts, 429,
//! 5xx, 529) are retried with backoff; on any final failure the deterministic summary
//! stands and the error (scrubbed of the key) is recorded with the version.

use std::time::Duration;

use serde_json::{Value, json};

use super::{Generated, StoredSummary, VersionSummary};
use crate::config::summary::{LlmConfig, Provider};
use crate::store::Store;

/// Attempts per version (the first and two retries).
const ATTEMPTS: u32 = 3;
/// Wait before the first retry; doubled each time, or the server's `Retry-After`.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Tokens the model may answer with.
const MAX_TOKENS: u32 = 800;
/// Bytes of an error body quoted in the recorded error.
const ERROR_EXCERPT: usize = 300;

/// The instructions sent with every request.
const SYSTEM_PROMPT: &str = "You summarize changes between two versions of a third-party HTTP API \
for the engineers whose code calls it. You get the changes as JSON, most severe first, each with \
what a client must do. Answer in at most 8 short plain-text lines: first the impact in one \
sentence, then what to change in client code, breaking changes first. Do not invent changes.";

/// Why no generated summary was stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LlmError(pub String);

/// The user message: the structured change list, cut to `max` items.
pub fn request_input(watch: &str, from: u64, to: u64, s: &VersionSummary, max: usize) -> Value {
    let changes: Vec<Value> = s
        .items
        .iter()
        .take(max)
        .map(|i| {
            json!({
                "level": i.level.as_str(),
                "what_to_do": i.text,
                "rules": i.rules,
                "operations": i.operation_count,
                "examples": i.operations.iter().take(3).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "api": watch,
        "from_version": from,
        "to_version": to,
        "headline": s.headline,
        "changes": changes,
        "changes_omitted": s.items.len().saturating_sub(max),
    })
}

/// The request body for `cfg`'s provider.
pub fn request_body(cfg: &LlmConfig, input: &Value) -> Value {
    let user = input.to_string();
    match cfg.provider {
        Provider::OpenAiCompatible => json!({
            "model": cfg.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": user},
            ],
            "temperature": 0.2,
            "max_tokens": MAX_TOKENS,
        }),
        Provider::Anthropic => json!({
            "model": cfg.model,
            "max_tokens": MAX_TOKENS,
            "system": SYSTEM_PROMPT,
            "messages": [{"role": "user", "content": user}],
        }),
    }
}

/// The text of a 200 answer and whether it was cut at the token limit.
pub fn parse_answer(provider: Provider, body: &Value) -> Result<(String, bool), LlmError> {
    let (text, cut) = match provider {
        Provider::OpenAiCompatible => {
            let choice = &body["choices"][0];
            (
                choice["message"]["content"].as_str().map(str::to_string),
                choice["finish_reason"] == "length",
            )
        }
        Provider::Anthropic => {
            let text: Vec<&str> = body["content"]
                .as_array()
                .map(|blocks| {
                    blocks
                        .iter()
                        .filter(|b| b["type"] == "text")
                        .filter_map(|b| b["text"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            (
                (!text.is_empty()).then(|| text.concat()),
                body["stop_reason"] == "max_tokens",
            )
        }
    };
    match text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        Some(t) => Ok((t, cut)),
        None => Err(LlmError("the answer holds no text".into())),
    }
}

/// Asks the model once per attempt until one succeeds or a permanent error.
pub async fn generate(
    client: &reqwest::Client,
    cfg: &LlmConfig,
    input: &Value,
) -> Result<Generated, LlmError> {
    let key = cfg.api_key.expose();
    let scrub = |s: String| crate::redact::scrub(&s, &[key]);
    let body = request_body(cfg, input).to_string();
    let url = cfg.url();
    let mut wait = FIRST_BACKOFF;
    let mut last = LlmError("not attempted".into());
    for attempt in 1..=ATTEMPTS {
        let mut req = client
            .post(&url)
            .timeout(cfg.timeout)
            .header("content-type", "application/json")
            .body(body.clone());
        req = match cfg.provider {
            Provider::OpenAiCompatible => req.bearer_auth(key),
            Provider::Anthropic => req
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01"),
        };
        let (retry, retry_after) = match req.send().await {
            Err(e) => {
                let what = if e.is_timeout() {
                    format!("no answer within {:?}", cfg.timeout)
                } else {
                    crate::error_chain::describe(&e)
                };
                last = LlmError(scrub(format!("{url}: {what}")));
                (true, None)
            }
            Ok(resp) => {
                let status = resp.status();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
                let bytes = resp.bytes().await.unwrap_or_default();
                if status.is_success() {
                    let parsed: Value = serde_json::from_slice(&bytes)
                        .map_err(|e| LlmError(format!("{url}: the answer is not JSON: {e}")))?;
                    let (text, truncated) = parse_answer(cfg.provider, &parsed)
                        .map_err(|e| LlmError(format!("{url}: {e}")))?;
                    return Ok(Generated {
                        provider: cfg.provider.as_str().to_string(),
                        model: cfg.model.clone(),
                        text: scrub(text),
                        at: crate::clock::now_millis(),
                        truncated,
                    });
                }
                let code = status.as_u16();
                last = LlmError(format!(
                    "{url}: HTTP {code}: {}",
                    crate::redact::excerpt(&bytes, ERROR_EXCERPT, &[key])
                ));
                (
                    code == 429 || code == 529 || status.is_server_error(),
                    retry_after,
                )
            }
        };
        if !retry || attempt == ATTEMPTS {
            break;
        }
        tokio::time::sleep(retry_after.unwrap_or(wait)).await;
        wait *= 2;
    }
    Err(last)
}

/// Generates the summary of version `to` of `watch` and stores it beside the
/// deterministic one (or records why it failed). Never fails the caller: it runs after
/// the version is committed, detached from polling and alerting.
pub async fn summarize_version(
    store: std::sync::Arc<Store>,
    client: reqwest::Client,
    cfg: LlmConfig,
    watch: String,
    to: u64,
    summary: VersionSummary,
) {
    if summary.items.is_empty() {
        return;
    }
    let input = request_input(
        &watch,
        to.saturating_sub(1),
        to,
        &summary,
        cfg.max_input_changes,
    );
    let result = generate(&client, &cfg, &input).await;
    let store2 = store;
    let w = watch.clone();
    let stored = tokio::task::spawn_blocking(move || -> Result<(), String> {
        let current = store2
            .version_summary(&w, to)
            .map_err(|e| e.to_string())?
            .and_then(|j| serde_json::from_slice::<StoredSummary>(&j).ok());
        let mut s = current.unwrap_or_else(|| StoredSummary::new(summary));
        match &result {
            Ok(g) => {
                s.generated = Some(g.clone());
                s.generated_error = None;
            }
            Err(e) => s.generated_error = Some(e.0.clone()),
        }
        let json = serde_json::to_vec(&s).map_err(|e| e.to_string())?;
        store2
            .put_version_summary(&w, to, &json)
            .map_err(|e| e.to_string())?;
        match result {
            Ok(_) => tracing::info!(watch = %w, version = to, "stored the generated summary"),
            Err(e) => tracing::warn!(watch = %w, version = to, error = %e, "no generated summary; the deterministic one stands"),
        }
        Ok(())
    })
    .await;
    match stored {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(watch = %watch, version = to, error = %e, "could not store the generated summary")
        }
        Err(e) => {
            tracing::warn!(watch = %watch, version = to, error = %e, "the generated summary task failed")
        }
    }
}
