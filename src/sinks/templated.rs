//! A sink with `title` / `body` templates: renders them into the document, then hands
//! the new document (and its JSON, so a webhook signs what it sends) to the sink.

use futures_util::future::BoxFuture;

use super::{Delivery, DeliveryReport, SharedSink, Sink, SinkError};
use crate::notification::template::{self, MessageTemplates};

/// Wraps a sink so its messages come from its templates.
pub struct Templated {
    /// The sink that delivers.
    pub inner: SharedSink,
    /// Its templates (checked when the config was read).
    pub templates: MessageTemplates,
}

impl Sink for Templated {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn kind(&self) -> String {
        self.inner.kind()
    }

    fn deliver<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> BoxFuture<'a, Result<DeliveryReport, SinkError>> {
        Box::pin(async move {
            let (payload, failed) = template::apply(&self.templates, delivery.payload);
            if let Some(e) = failed {
                tracing::warn!(
                    sink = self.inner.name(),
                    error = %e,
                    line = e.line,
                    "message template failed to render; this delivery uses the default text"
                );
            }
            let body = serde_json::to_vec(&payload).map_err(|e| SinkError::Permanent {
                message: format!("the alert document does not serialize: {e}"),
                status: None,
            })?;
            let d = Delivery {
                payload: &payload,
                body: &body,
                idempotency_key: delivery.idempotency_key,
                attempt: delivery.attempt,
            };
            self.inner.deliver(&d).await
        })
    }
}
