//! The builtin email sink: one multipart (text + HTML) message per notification over
//! SMTP (lettre, rustls), threaded per condition, classified by the SMTP reply.

mod render;

use std::fmt;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::EXCERPT_BYTES;
use super::{Delivery, DeliveryReport, Sink, SinkError};
use crate::config::alerts::{EmailSinkConfig, SmtpTls};
use crate::notification::AlertStatus;
use crate::redact::{excerpt, scrub};

/// Sends notifications as email through one SMTP server.
pub struct EmailSink {
    name: String,
    from: Mailbox,
    to: Vec<Mailbox>,
    /// Right-hand side of our Message-IDs (the sender's domain).
    id_domain: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
    /// User name and password, scrubbed from every message.
    secrets: Vec<String>,
}

impl fmt::Debug for EmailSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The transport holds the credentials: leave it out.
        f.debug_struct("EmailSink")
            .field("name", &self.name)
            .field("from", &self.from.to_string())
            .field("to", &self.to.len())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl EmailSink {
    /// Builds the sink from its config; `timeout` bounds each attempt.
    pub fn new(
        name: &str,
        cfg: &EmailSinkConfig,
        timeout: Duration,
    ) -> Result<EmailSink, SinkError> {
        Self::with_extra_roots(name, cfg, timeout, None)
    }

    /// Like [`EmailSink::new`], also trusting the root certificates of a PEM bundle
    /// (a private CA or a test certificate) besides the system roots.
    pub fn with_extra_roots(
        name: &str,
        cfg: &EmailSinkConfig,
        timeout: Duration,
        extra_roots_pem: Option<&[u8]>,
    ) -> Result<EmailSink, SinkError> {
        let invalid = |what: String| SinkError::InvalidConfig(format!("sink {name:?}: {what}"));
        let mailbox = |key: &str, a: &str| {
            a.parse::<Mailbox>().map_err(|e| {
                // The value is not echoed: it may come from `${…}`.
                invalid(format!(
                    "`{key}` is not an email address ({e}); use \"alerts@example.com\" or \"Specwatch <alerts@example.com>\""
                ))
            })
        };
        let from = mailbox("from", &cfg.from)?;
        let to = cfg
            .to
            .iter()
            .map(|a| mailbox("to", a))
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err(invalid("`to` lists no recipient".into()));
        }
        let tls_params = || {
            let mut b = TlsParameters::builder(cfg.host.clone());
            if let Some(pem) = extra_roots_pem {
                let cert = Certificate::from_pem(pem).map_err(|_| {
                    invalid("the extra root certificates are not a valid PEM bundle".into())
                })?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls()
                .map_err(|e| invalid(format!("cannot set up TLS for {:?}: {e}", cfg.host)))
        };
        let tls = match cfg.tls {
            SmtpTls::Tls => Tls::Wrapper(tls_params()?),
            SmtpTls::StartTls => Tls::Required(tls_params()?),
            SmtpTls::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
            .port(cfg.port)
            .tls(tls)
            .timeout(Some(timeout));
        let mut secrets = Vec::new();
        // AUTH only with both halves; a user name alone means an open relay.
        if let (Some(user), Some(pass)) = (&cfg.username, &cfg.password) {
            secrets.extend([user.expose().to_string(), pass.expose().to_string()]);
            builder = builder.credentials(Credentials::new(
                user.expose().to_string(),
                pass.expose().to_string(),
            ));
        }
        Ok(EmailSink {
            name: name.to_string(),
            id_domain: from.email.domain().to_string(),
            from,
            to,
            transport: builder.build(),
            timeout,
            secrets,
        })
    }

    /// The message for one delivery: the same on every retry (same Message-ID).
    fn message(&self, d: &Delivery<'_>) -> Result<Message, SinkError> {
        let p = d.payload;
        let own_id = render::message_id("alert", d.idempotency_key, &self.id_domain);
        // Every notification of one condition references one (virtual) root message,
        // so clients thread its trigger, repeats and resolve together.
        let thread_id = render::message_id("condition", &p.fingerprint, &self.id_domain);
        let mut b = Message::builder()
            .from(self.from.clone())
            .subject(render::subject(p))
            .message_id(Some(own_id))
            .references(thread_id.clone())
            .date_now();
        if p.status == AlertStatus::Resolved {
            b = b.in_reply_to(thread_id);
        }
        for to in &self.to {
            b = b.to(to.clone());
        }
        let body = MultiPart::alternative()
            .singlepart(SinglePart::plain(render::text_body(p)))
            .singlepart(SinglePart::html(render::html_body(p)));
        b.multipart(body).map_err(|e| SinkError::Permanent {
            message: format!("cannot build the email: {e}"),
            status: None,
        })
    }

    async fn send(&self, d: &Delivery<'_>) -> Result<DeliveryReport, SinkError> {
        let msg = self.message(d)?;
        match self.transport.send(msg).await {
            Ok(resp) => {
                let reply: Vec<&str> = resp.message().collect();
                let code = u16::from(resp.code());
                Ok(DeliveryReport {
                    status: Some(code),
                    detail: format!(
                        "SMTP {code} {}",
                        excerpt(reply.join(" ").as_bytes(), EXCERPT_BYTES, &self.secrets)
                    )
                    .trim_end()
                    .to_string(),
                })
            }
            Err(e) => Err(classify(
                Failure::of(&e),
                &scrub(&crate::error_chain::describe(&e), &self.secrets),
            )),
        }
    }
}

/// What went wrong in an SMTP conversation, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// The server replied with this 4xx / 5xx code.
    Reply(u16),
    /// lettre could not go on, e.g. STARTTLS required but not offered.
    Client,
    /// TLS handshake or certificate.
    Tls,
    /// No answer in time.
    Timeout,
    /// Connecting or talking failed (refused, reset, garbled reply).
    Connection,
}

impl Failure {
    fn of(e: &lettre::transport::smtp::Error) -> Failure {
        if let Some(code) = e.status() {
            Failure::Reply(u16::from(code))
        } else if e.is_client() {
            Failure::Client
        } else if crate::error_chain::is_tls(e) {
            Failure::Tls
        } else if e.is_timeout() {
            Failure::Timeout
        } else {
            Failure::Connection
        }
    }
}

/// 5xx replies and client errors are permanent; 4xx replies, TLS, timeouts and
/// connection errors are worth retrying. `text` is the (scrubbed) error.
fn classify(failure: Failure, text: &str) -> SinkError {
    let transient = |message: String, status: Option<u16>| SinkError::Transient {
        message,
        status,
        retry_after: None,
    };
    match failure {
        Failure::Reply(code) if code >= 500 => SinkError::Permanent {
            message: format!(
                "the SMTP server refused the message: {text}; retrying will not help, check the sink's `from` / `to` and the server's policy"
            ),
            status: Some(code),
        },
        Failure::Reply(code) => transient(
            format!("the SMTP server deferred the message: {text}"),
            Some(code),
        ),
        Failure::Client => SinkError::Permanent {
            message: format!(
                "the SMTP session cannot go on: {text}; check the sink's `smtp` URL (TLS mode, port) and credentials"
            ),
            status: None,
        },
        Failure::Tls => transient(
            format!(
                "the TLS handshake with the SMTP server failed: {text}; check that its certificate is valid for the host and signed by a trusted CA"
            ),
            None,
        ),
        Failure::Timeout => transient(
            format!("the SMTP server did not answer in time: {text}"),
            None,
        ),
        Failure::Connection => {
            transient(format!("could not talk to the SMTP server: {text}"), None)
        }
    }
}

impl Sink for EmailSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> String {
        "email".to_string()
    }

    fn deliver<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> futures_util::future::BoxFuture<'a, Result<DeliveryReport, SinkError>> {
        Box::pin(async move {
            // lettre's timeout is per read/write; this bounds the whole conversation.
            match tokio::time::timeout(self.timeout, self.send(delivery)).await {
                Ok(r) => r,
                Err(_) => Err(SinkError::Transient {
                    message: format!(
                        "the SMTP conversation did not finish within {:?}",
                        self.timeout
                    ),
                    status: None,
                    retry_after: None,
                }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn cfg() -> EmailSinkConfig {
        EmailSinkConfig {
            host: "127.0.0.1".into(),
            port: 2525,
            tls: SmtpTls::None,
            username: Some(Secret("mailuser".into())),
            password: Some(Secret("hunter2-password".into())),
            from: "Specwatch <alerts@specwatch.example>".into(),
            to: vec!["ops@example.com".into()],
        }
    }

    fn formatted(sink: &EmailSink, p: &crate::notification::AlertPayload) -> String {
        let body = serde_json::to_vec(p).unwrap();
        let d = Delivery {
            payload: p,
            body: &body,
            idempotency_key: &p.idempotency_key,
            attempt: 1,
        };
        String::from_utf8(sink.message(&d).unwrap().formatted()).unwrap()
    }

    fn header<'a>(msg: &'a str, name: &str) -> Option<&'a str> {
        msg.lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
    }

    #[test]
    fn retries_are_the_same_message_and_resolve_threads_to_the_trigger() {
        let sink = EmailSink::new("mail", &cfg(), Duration::from_secs(1)).unwrap();
        let mut p = render::tests::payload();
        let first = formatted(&sink, &p);
        let again = formatted(&sink, &p);
        let id = header(&first, "Message-ID").unwrap();
        assert_eq!(Some(id), header(&again, "Message-ID"));
        assert!(id.ends_with("@specwatch.example>"), "{id}");
        let thread = header(&first, "References").unwrap();
        assert!(thread.starts_with("<condition."), "{thread}");
        assert_eq!(header(&first, "In-Reply-To"), None);

        p.status = AlertStatus::Resolved;
        p.idempotency_key = "n-2/mail".into();
        let resolved = formatted(&sink, &p);
        assert_ne!(header(&resolved, "Message-ID"), Some(id));
        assert_eq!(header(&resolved, "In-Reply-To"), Some(thread));
        assert_eq!(header(&resolved, "References"), Some(thread));
    }

    #[test]
    fn failures_classify_by_reply_code_and_kind() {
        let permanent = |f| matches!(classify(f, "x"), SinkError::Permanent { .. });
        assert!(permanent(Failure::Reply(550)));
        assert!(permanent(Failure::Reply(535)));
        assert!(permanent(Failure::Reply(554)));
        assert!(permanent(Failure::Client));
        for f in [
            Failure::Reply(421),
            Failure::Reply(451),
            Failure::Reply(452),
            Failure::Tls,
            Failure::Timeout,
            Failure::Connection,
        ] {
            assert!(
                matches!(
                    classify(f, "x"),
                    SinkError::Transient {
                        retry_after: None,
                        ..
                    }
                ),
                "{f:?}"
            );
        }
        assert_eq!(classify(Failure::Reply(451), "x").status(), Some(451));
        assert_eq!(classify(Failure::Reply(550), "x").status(), Some(550));
        assert_eq!(classify(Failure::Timeout, "x").status(), None);
    }

    #[test]
    fn debug_hides_credentials() {
        let sink = EmailSink::new("mail", &cfg(), Duration::from_secs(1)).unwrap();
        let dbg = format!("{sink:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("mailuser"),
            "{dbg}"
        );
        assert!(dbg.contains("mail"));
    }

    #[test]
    fn bad_addresses_are_config_errors() {
        let mut c = cfg();
        c.to = vec!["not an address".into()];
        let err = EmailSink::new("mail", &c, Duration::from_secs(1)).unwrap_err();
        assert!(
            matches!(err, SinkError::InvalidConfig(ref m) if m.contains("`to`")),
            "{err}"
        );
        let mut c = cfg();
        c.from = "s3cret-from-env".into();
        let err = EmailSink::new("mail", &c, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("`from`"), "{err}");
        assert!(!err.to_string().contains("s3cret-from-env"), "{err}");
    }
}
