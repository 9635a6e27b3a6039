//! `[summary.llm]`: the optional language-model summary of each new version. Off unless
//! an `api_key` is configured (normally `"${ENV}"`).

use std::time::Duration;

use super::reader::{Ctx, TableReader};
use super::watch::Secret;
use crate::units::DurationRange;

/// `[summary.llm] timeout`: one request.
pub const LLM_TIMEOUT: DurationRange = DurationRange::millis(1000, 10 * 60 * 1000);
/// `[summary.llm] max_input_changes`.
pub const MAX_INPUT_CHANGES: (u64, u64) = (1, 1000);

/// Which API shape the endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// OpenAI chat completions (also Ollama, vLLM, llama.cpp, LocalAI).
    OpenAiCompatible,
    /// Anthropic messages.
    Anthropic,
}

impl Provider {
    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::OpenAiCompatible => "openai-compatible",
            Provider::Anthropic => "anthropic",
        }
    }
}

/// `[summary.llm]`, present only when a key is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// API shape.
    pub provider: Provider,
    /// Base URL (`https://api.openai.com/v1`, `http://127.0.0.1:11434`, …) or the full
    /// endpoint URL.
    pub endpoint: String,
    /// Model name.
    pub model: String,
    /// The key (never logged or shown).
    pub api_key: Secret,
    /// One request's timeout.
    pub timeout: Duration,
    /// Most root causes sent (breaking first).
    pub max_input_changes: usize,
}

impl LlmConfig {
    /// The URL requests go to: the base with the API's path appended unless given.
    pub fn url(&self) -> String {
        let base = self.endpoint.trim_end_matches('/');
        let (full, v1) = match self.provider {
            Provider::OpenAiCompatible => ("/chat/completions", "/v1/chat/completions"),
            Provider::Anthropic => ("/messages", "/v1/messages"),
        };
        if base.ends_with(v1) {
            base.to_string()
        } else if base.ends_with("/v1") {
            format!("{base}{full}")
        } else {
            format!("{base}{v1}")
        }
    }
}

/// `[summary]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SummaryConfig {
    /// The language-model summary; None = off.
    pub llm: Option<LlmConfig>,
}

/// Reads `[summary]` from the top-level table.
pub(crate) fn read(cx: &mut Ctx<'_>, top: &mut TableReader<'_, '_>) -> SummaryConfig {
    let Some(mut t) = top.table(cx, "summary") else {
        return SummaryConfig::default();
    };
    let llm = t.table(cx, "llm").and_then(|mut l| {
        let provider = match l
            .choice(cx, "provider", &["openai-compatible", "anthropic"])
            .as_deref()
        {
            Some("anthropic") => Provider::Anthropic,
            _ => Provider::OpenAiCompatible,
        };
        let endpoint = l.string(cx, "endpoint").map(|e| e.value);
        let model = l.string(cx, "model").map(|m| m.value);
        let api_key = l
            .string(cx, "api_key")
            .map(|k| k.value)
            .filter(|k| !k.is_empty());
        let timeout = l
            .duration(cx, "timeout", LLM_TIMEOUT)
            .unwrap_or(Duration::from_secs(60));
        let max_input_changes = l
            .uint(cx, "max_input_changes", MAX_INPUT_CHANGES)
            .unwrap_or(50) as usize;
        let span = l.span();
        let path = l.key_path("model");
        l.finish(cx);
        // No key: the feature is off (a local server without auth takes any key).
        let api_key = api_key?;
        let Some(model) = model else {
            cx.error(
                &span,
                &path,
                "[summary.llm] needs a model, e.g. model = \"gpt-4o-mini\"",
            );
            return None;
        };
        let endpoint = endpoint.unwrap_or_else(|| {
            match provider {
                Provider::OpenAiCompatible => "https://api.openai.com/v1",
                Provider::Anthropic => "https://api.anthropic.com",
            }
            .to_string()
        });
        Some(LlmConfig {
            provider,
            endpoint,
            model,
            api_key: Secret(api_key),
            timeout,
            max_input_changes,
        })
    });
    t.finish(cx);
    SummaryConfig { llm }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(provider: Provider, endpoint: &str) -> LlmConfig {
        LlmConfig {
            provider,
            endpoint: endpoint.into(),
            model: "m".into(),
            api_key: Secret("k".into()),
            timeout: Duration::from_secs(1),
            max_input_changes: 1,
        }
    }

    #[test]
    fn the_endpoint_takes_a_base_with_or_without_v1() {
        let o = Provider::OpenAiCompatible;
        assert_eq!(cfg(o, "http://h:1").url(), "http://h:1/v1/chat/completions");
        assert_eq!(
            cfg(o, "http://h:1/v1/").url(),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(
            cfg(o, "http://h/v1/chat/completions").url(),
            "http://h/v1/chat/completions"
        );
        let a = Provider::Anthropic;
        assert_eq!(
            cfg(a, "https://api.anthropic.com").url(),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(cfg(a, "http://h/v1").url(), "http://h/v1/messages");
    }
}
