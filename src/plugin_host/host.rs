//! The `specwatch:sink/host` imports: `http-send` (through the sink's policy), `log`
//! (bounded, tagged with plugin and sink) and `now-ms`.

use super::bindings::specwatch::sink::host::{
    self, HttpError, HttpRequest, HttpResponse, LogLevel,
};
use super::bindings::specwatch::sink::types;
use super::sandbox::{HostState, MAX_LINE};

impl types::Host for HostState {}

impl host::Host for HostState {
    async fn http_send(&mut self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        match self.call.http.clone() {
            Some(policy) => {
                let r = policy.send(req).await;
                if let Ok(resp) = &r {
                    self.call
                        .last_status
                        .store(resp.status, std::sync::atomic::Ordering::Relaxed);
                }
                r
            }
            None => Err(HttpError::Denied(
                "http-send is not available while the plugin is being loaded (describe / validate-config)"
                    .into(),
            )),
        }
    }

    async fn log(&mut self, level: LogLevel, msg: String) {
        if self.log_budget == 0 {
            return;
        }
        self.log_budget -= 1;
        let (plugin, sink) = (&*self.call.plugin, &*self.call.sink);
        let msg = self.call.clean(&msg, MAX_LINE);
        match level {
            LogLevel::Trace => tracing::trace!(plugin, sink, "plugin: {msg}"),
            LogLevel::Debug => tracing::debug!(plugin, sink, "plugin: {msg}"),
            LogLevel::Info => tracing::info!(plugin, sink, "plugin: {msg}"),
            LogLevel::Warn => tracing::warn!(plugin, sink, "plugin: {msg}"),
            LogLevel::Error => tracing::error!(plugin, sink, "plugin: {msg}"),
        }
        if self.log_budget == 0 {
            tracing::warn!(
                plugin,
                sink,
                "plugin log limit reached ({} lines per call); further lines are dropped",
                super::sandbox::LOG_LINES_PER_CALL
            );
        }
    }

    async fn now_ms(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }
}
