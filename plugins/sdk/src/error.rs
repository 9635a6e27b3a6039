//! What a plugin returns: its description, a delivery report or a delivery error.

use std::fmt;

/// Describes a plugin (`describe`).
#[derive(Debug, Clone, PartialEq)]
pub struct PluginInfo {
    /// Plugin name, e.g. `slack`.
    pub name: String,
    /// Plugin version, e.g. `env!("CARGO_PKG_VERSION")`.
    pub version: String,
    /// One line for `specwatch plugin list`.
    pub description: String,
    /// JSON Schema of the config.
    pub config_schema: Option<serde_json::Value>,
}

/// A successful delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// HTTP status of the receiver.
    pub status: u16,
    /// Short detail (the receiver's reply, an id; never a secret).
    pub detail: String,
}

/// Why a delivery failed. The host owns retries: it retries `Transient` with backoff
/// and gives up on the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// The sink's config is wrong; fixing the config is the only cure.
    InvalidConfig(String),
    /// Worth retrying (timeouts, 408 / 429 / 5xx), optionally not before a delay.
    Transient {
        /// What failed.
        message: String,
        /// The receiver's requested delay (`Retry-After`), in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// Retrying cannot help (other 4xx, rejected payload).
    Permanent(String),
}

impl DeliveryError {
    /// A transient error without a requested delay.
    pub fn transient(message: impl Into<String>) -> DeliveryError {
        DeliveryError::Transient {
            message: message.into(),
            retry_after_ms: None,
        }
    }

    /// The message, whatever the kind.
    pub fn message(&self) -> &str {
        match self {
            DeliveryError::InvalidConfig(m) | DeliveryError::Permanent(m) => m,
            DeliveryError::Transient { message, .. } => message,
        }
    }

    /// Replaces every occurrence of `secret` in the message (for secrets that travel in
    /// URLs, such as a Telegram bot token, in case a lower layer quoted the URL).
    pub fn redact(self, secret: &str) -> DeliveryError {
        if secret.is_empty() {
            return self;
        }
        let r = |m: String| m.replace(secret, "<redacted>");
        match self {
            DeliveryError::InvalidConfig(m) => DeliveryError::InvalidConfig(r(m)),
            DeliveryError::Permanent(m) => DeliveryError::Permanent(r(m)),
            DeliveryError::Transient {
                message,
                retry_after_ms,
            } => DeliveryError::Transient {
                message: r(message),
                retry_after_ms,
            },
        }
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryError::InvalidConfig(m) => write!(f, "invalid config: {m}"),
            DeliveryError::Transient { message, .. } => write!(f, "transient: {message}"),
            DeliveryError::Permanent(m) => write!(f, "permanent: {m}"),
        }
    }
}

impl std::error::Error for DeliveryError {}
