//! `[alerts]`, `[plugins]`, `[[sink]]`, `[[route]]` and `[[silence]]`: where alerts go.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ranges;
use super::reader::{At, Ctx, TableReader};
use super::watch::Secret;
use crate::diff::Level;
use crate::notification::EventKind;
use crate::notification::template::{self, MessageTemplates};

/// `[alerts]`: alerting-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertsConfig {
    /// Consecutive failed polls that raise `poll_failing` (0 = never).
    pub poll_failing_after: u32,
    /// `sunset_approaching` fires once per operation when its `x-sunset` date is this close.
    pub sunset_horizon: Duration,
    /// Sent and failed alerts older than this are deleted from history.
    pub retention: Duration,
    /// A delivery is marked failed after this many attempts…
    pub max_attempts: u32,
    /// …or once it is this old, whichever comes first.
    pub max_age: Duration,
    /// First retry delay; doubles per attempt (with jitter) up to `backoff_max`.
    pub backoff_initial: Duration,
    /// Longest retry delay.
    pub backoff_max: Duration,
    /// Public base URL of the status page, for links in alerts ("https://specwatch.example").
    pub public_url: Option<String>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            poll_failing_after: 3,
            sunset_horizon: Duration::from_secs(30 * 86_400),
            retention: Duration::from_secs(90 * 86_400),
            max_attempts: 12,
            max_age: Duration::from_secs(86_400),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(600),
            public_url: None,
        }
    }
}

/// `[plugins]`: the drop-in directory of WASM sink plugins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginsConfig {
    /// Directory watched for `*.wasm` files (relative to the config file).
    pub dir: PathBuf,
    /// Directory of the compiled-artifact cache (default: `<storage.path>/plugin-cache`).
    pub cache_dir: Option<PathBuf>,
}

/// One `[[sink]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkConfig {
    /// Unique name, referenced by routes.
    pub name: String,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// What kind of sink, with its settings.
    pub kind: SinkKind,
    /// `title` / `body` message templates (today's messages when unset).
    pub templates: MessageTemplates,
    /// `rate_limit`: at most this many notifications per interval; the rest are held
    /// and sent as one summary.
    pub rate_limit: Option<RateLimit>,
    /// `digest`: non-breaking notifications gathered into one message a day.
    pub digest: Option<Digest>,
}

/// `rate_limit = "5/1m"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Notifications per interval.
    pub count: u32,
    /// The interval.
    pub per: Duration,
}

impl RateLimit {
    /// Parses `"N/interval"` ("5/1m", "20 / 1h").
    pub fn parse(text: &str) -> Result<RateLimit, String> {
        let hint = "use \"N/interval\", e.g. \"5/1m\" (at most 5 notifications a minute)";
        let (n, per) = text
            .split_once('/')
            .ok_or_else(|| format!("expected N/interval; {hint}"))?;
        let count: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|c| (1..=10_000).contains(c))
            .ok_or_else(|| format!("N must be a whole number from 1 to 10000; {hint}"))?;
        let per = crate::units::parse_duration(per)?;
        if per < Duration::from_secs(1) || per > Duration::from_secs(86_400) {
            return Err(format!("the interval must be from 1s to 1d; {hint}"));
        }
        Ok(RateLimit { count, per })
    }
}

/// `digest = "daily 09:00"` with `digest_timezone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    /// Time of day the digest is sent.
    pub at: chrono::NaiveTime,
    /// Its time zone (`digest_timezone`, default UTC).
    pub tz: chrono_tz::Tz,
}

impl Digest {
    /// Parses `"daily HH:MM"`.
    pub fn parse(text: &str, tz: chrono_tz::Tz) -> Result<Digest, String> {
        let hint = "use \"daily HH:MM\", e.g. \"daily 09:00\"";
        let time = text
            .trim()
            .strip_prefix("daily ")
            .ok_or_else(|| format!("expected \"daily HH:MM\"; {hint}"))?;
        let at = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
            .map_err(|_| format!("invalid time of day; {hint}"))?;
        Ok(Digest { at, tz })
    }

    /// The first digest time strictly after `ms` (Unix ms): today's or tomorrow's
    /// `at` in `tz` (a time a DST change skips is taken at the next valid instant).
    pub fn next_after(&self, ms: i64) -> i64 {
        use chrono::{Duration as D, TimeZone};
        let Some(utc) = chrono::DateTime::from_timestamp_millis(ms) else {
            return ms;
        };
        let local = utc.with_timezone(&self.tz);
        let mut day = local.date_naive();
        for _ in 0..3 {
            let naive = day.and_time(self.at);
            let candidate = match self.tz.from_local_datetime(&naive) {
                chrono::LocalResult::Single(t) => Some(t),
                chrono::LocalResult::Ambiguous(t, _) => Some(t),
                chrono::LocalResult::None => self
                    .tz
                    .from_local_datetime(&(naive + D::hours(1)))
                    .earliest(),
            };
            if let Some(t) = candidate.filter(|t| t.timestamp_millis() > ms) {
                return t.timestamp_millis();
            }
            day = day.succ_opt().unwrap_or(day);
        }
        ms + 86_400_000
    }
}

/// The kinds of sink.
#[derive(Debug, Clone, PartialEq)]
pub enum SinkKind {
    /// Signed JSON POST.
    Webhook(WebhookSinkConfig),
    /// SMTP.
    Email(EmailSinkConfig),
    /// A WASM plugin from the drop-in directory.
    Plugin(PluginSinkConfig),
}

impl SinkKind {
    /// `webhook`, `email` or `plugin`.
    pub fn type_name(&self) -> &'static str {
        match self {
            SinkKind::Webhook(_) => "webhook",
            SinkKind::Email(_) => "email",
            SinkKind::Plugin(_) => "plugin",
        }
    }
}

/// `type = "webhook"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSinkConfig {
    /// Where to POST (may hold a token: never logged).
    pub url: Secret,
    /// HMAC-SHA256 key for `X-Specwatch-Signature`; unsigned when absent.
    pub secret: Option<Secret>,
    /// Extra request headers.
    pub headers: Vec<(String, Secret)>,
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Implicit TLS (`smtps://`, port 465).
    Tls,
    /// STARTTLS, required (`smtp://`, port 587).
    StartTls,
    /// Plain text (`smtp://…?tls=none`): only for a relay on localhost.
    None,
}

/// `type = "email"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSinkConfig {
    /// SMTP host.
    pub host: String,
    /// SMTP port.
    pub port: u16,
    /// Transport security.
    pub tls: SmtpTls,
    /// AUTH user name, if any.
    pub username: Option<Secret>,
    /// AUTH password, if any.
    pub password: Option<Secret>,
    /// Sender address.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
}

/// `type = "plugin"`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginSinkConfig {
    /// Plugin name: `<plugins.dir>/<plugin>.wasm`.
    pub plugin: String,
    /// Hosts the plugin may reach over https: exact names or `*.suffix`.
    pub allowed_hosts: Vec<String>,
    /// Hosts the plugin may also reach over plain http (tests, internal relays).
    pub allow_http_hosts: Vec<String>,
    /// The plugin's own config as a JSON object (may hold secrets: never logged).
    pub config: Secret,
    /// Config strings that came from a `${…}` reference: scrubbed from all plugin output.
    pub interpolated: Vec<Secret>,
}

/// What an event must look like for a route or silence to apply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matcher {
    /// Watch name globs (`*` matches any run of characters); any when empty.
    pub watch: Vec<String>,
    /// Event kinds; any when empty.
    pub event: Vec<EventKind>,
    /// Levels; any when empty.
    pub level: Vec<Level>,
    /// Label globs that must all match.
    pub labels: BTreeMap<String, String>,
}

impl Matcher {
    /// True when the event matches every condition.
    pub fn matches(
        &self,
        watch: &str,
        kind: EventKind,
        level: Level,
        labels: &BTreeMap<String, String>,
    ) -> bool {
        (self.watch.is_empty() || self.watch.iter().any(|g| glob(g, watch)))
            && (self.event.is_empty() || self.event.contains(&kind))
            && (self.level.is_empty() || self.level.contains(&level))
            && self
                .labels
                .iter()
                .all(|(k, g)| labels.get(k).is_some_and(|v| glob(g, v)))
    }
}

/// `*` matches any run of characters (including none); everything else literally.
pub fn glob(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// One `[[route]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteConfig {
    /// `route[i]` or the route's `name`.
    pub name: String,
    /// Which events it takes (an empty matcher takes all: a default route).
    pub matcher: Matcher,
    /// Sink names.
    pub sinks: Vec<String>,
    /// Events for the same watch arriving within this window are one notification.
    pub group_wait: Duration,
    /// A still-firing condition is notified again after this long (0 = never).
    pub repeat_interval: Duration,
    /// Also notify when a condition resolves.
    pub send_resolved: bool,
    /// Keep evaluating later routes after this one matched.
    pub continue_: bool,
    /// A breaking-change incident resolves this long after it opened (0 = only on ack
    /// or revert).
    pub resolve_after: Duration,
    /// Breaking changes wait for a sink's digest too (by default they bypass it).
    pub digest_breaking: bool,
}

/// One `[[silence]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceConfig {
    /// What it silences.
    pub matcher: Matcher,
    /// Start (ms since epoch); always active before `ends` when absent.
    pub starts: Option<i64>,
    /// End (ms since epoch); open-ended when absent.
    pub ends: Option<i64>,
    /// Why.
    pub comment: String,
}

impl SilenceConfig {
    /// True when the silence is in force at `now` (ms).
    pub fn active(&self, now: i64) -> bool {
        self.starts.is_none_or(|s| now >= s) && self.ends.is_none_or(|e| now < e)
    }
}

/// One `[[inhibit]]` (Alertmanager's sense): while an alert matching `source` is
/// firing, alerts matching `target` that agree with it on every `equal` key are held
/// back (they are delivered if they still hold once the source resolves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InhibitConfig {
    /// The alerts that inhibit (`[inhibit.source]`).
    pub source: Matcher,
    /// The alerts held back (`[inhibit.target]`).
    pub target: Matcher,
    /// `"watch"` and label names whose values must be the same (default: `["watch"]`).
    pub equal: Vec<String>,
}

impl InhibitConfig {
    /// True when `source` and `target` agree on every `equal` key.
    pub fn equal_holds(
        &self,
        source: (&str, &BTreeMap<String, String>),
        target: (&str, &BTreeMap<String, String>),
    ) -> bool {
        self.equal.iter().all(|k| {
            if k == "watch" {
                source.0 == target.0
            } else {
                source.1.get(k) == target.1.get(k)
            }
        })
    }
}

/// Everything about alerting read from one file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alerting {
    /// `[alerts]`.
    pub alerts: AlertsConfig,
    /// `[plugins]`, if configured.
    pub plugins: Option<PluginsConfig>,
    /// `[[sink]]`.
    pub sinks: Vec<SinkConfig>,
    /// `[[route]]`, in file order.
    pub routes: Vec<RouteConfig>,
    /// `[[silence]]`.
    pub silences: Vec<SilenceConfig>,
    /// `[[inhibit]]`.
    pub inhibits: Vec<InhibitConfig>,
}

impl Alerting {
    /// The sink with this name.
    pub fn sink(&self, name: &str) -> Option<&SinkConfig> {
        self.sinks.iter().find(|s| s.name == name)
    }
}

/// Reads the alerting sections of the top-level table.
pub(crate) fn read(cx: &mut Ctx<'_>, top: &mut TableReader<'_, '_>, base_dir: &Path) -> Alerting {
    let mut out = Alerting::default();
    if let Some(mut t) = top.table(cx, "alerts") {
        read_alerts(cx, &mut t, &mut out.alerts);
        t.finish(cx);
    }
    if let Some(mut t) = top.table(cx, "plugins") {
        let dir = t.string(cx, "dir").map(|a| base_dir.join(a.value));
        let cache_dir = t.string(cx, "cache_dir").map(|a| base_dir.join(a.value));
        match dir {
            Some(dir) => out.plugins = Some(PluginsConfig { dir, cache_dir }),
            None => cx.error(&t.span(), &t.key_path("dir"), "missing required key `dir`"),
        }
        t.finish(cx);
    }
    let mut sink_names: BTreeMap<String, usize> = BTreeMap::new();
    for mut t in top.tables(cx, "sink") {
        if let Some(s) = read_sink(cx, &mut t, &mut sink_names, out.plugins.is_some()) {
            out.sinks.push(s);
        }
        t.finish(cx);
    }
    let known: BTreeSet<&str> = sink_names.keys().map(String::as_str).collect();
    for (i, mut t) in top.tables(cx, "route").into_iter().enumerate() {
        if let Some(r) = read_route(cx, &mut t, i, &known) {
            out.routes.push(r);
        }
        t.finish(cx);
    }
    for mut t in top.tables(cx, "silence") {
        if let Some(s) = read_silence(cx, &mut t) {
            out.silences.push(s);
        }
        t.finish(cx);
    }
    for mut t in top.tables(cx, "inhibit") {
        if let Some(i) = read_inhibit(cx, &mut t) {
            out.inhibits.push(i);
        }
        t.finish(cx);
    }
    out
}

fn read_inhibit(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<InhibitConfig> {
    let start = cx.errors.len();
    let source = read_matcher_at(cx, t, "source");
    let target = read_matcher_at(cx, t, "target");
    for (m, key) in [(&source, "source"), (&target, "target")] {
        if *m == Matcher::default() {
            cx.error(
                &t.span(),
                &t.key_path(key),
                format!("an inhibit rule needs a non-empty `[inhibit.{key}]` (e.g. event = [\"poll_failing\"])"),
            );
        }
    }
    let equal = t
        .string_list(cx, "equal")
        .map(|l| l.into_iter().map(|a| a.value).collect())
        .unwrap_or_else(|| vec!["watch".to_string()]);
    (cx.errors.len() == start).then_some(InhibitConfig {
        source,
        target,
        equal,
    })
}

fn read_alerts(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, a: &mut AlertsConfig) {
    if let Some(n) = t.uint(cx, "poll_failing_after", ranges::POLL_FAILING_AFTER) {
        a.poll_failing_after = n as u32;
    }
    if let Some(d) = t.duration(cx, "sunset_horizon", ranges::SUNSET_HORIZON) {
        a.sunset_horizon = d;
    }
    if let Some(d) = t.duration(cx, "retention", ranges::RETENTION) {
        a.retention = d;
    }
    if let Some(n) = t.uint(cx, "max_attempts", ranges::MAX_ATTEMPTS) {
        a.max_attempts = n as u32;
    }
    if let Some(d) = t.duration(cx, "max_age", ranges::MAX_AGE) {
        a.max_age = d;
    }
    if let Some(d) = t.duration(cx, "backoff_initial", ranges::BACKOFF_INITIAL) {
        a.backoff_initial = d;
    }
    if let Some(d) = t.duration(cx, "backoff_max", ranges::BACKOFF_MAX) {
        a.backoff_max = d;
    }
    if let Some(u) = t.string(cx, "public_url") {
        match url::Url::parse(&u.value) {
            Ok(p) if matches!(p.scheme(), "http" | "https") => {
                a.public_url = Some(u.value.trim_end_matches('/').to_string());
            }
            _ => cx.error(
                &u.span,
                &t.key_path("public_url"),
                "expected an http(s) URL such as \"https://specwatch.example\"",
            ),
        }
    }
}

fn read_sink(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    names: &mut BTreeMap<String, usize>,
    has_plugins: bool,
) -> Option<SinkConfig> {
    let start = cx.errors.len();
    let span = t.span();
    let name = t.string(cx, "name");
    let kind = t.choice(cx, "type", &["webhook", "email", "plugin"]);
    let timeout = t
        .duration(cx, "timeout", ranges::SINK_TIMEOUT)
        .unwrap_or(Duration::from_secs(10));
    let templates = MessageTemplates {
        title: read_template(cx, t, "title"),
        body: read_template(cx, t, "body"),
    };
    let rate_limit = t
        .string(cx, "rate_limit")
        .and_then(|a| match RateLimit::parse(&a.value) {
            Ok(r) => Some(r),
            Err(e) => {
                cx.error(
                    &a.span,
                    &t.key_path("rate_limit"),
                    format!("{}: {e}", a.shown()),
                );
                None
            }
        });
    let tz = t
        .string(cx, "digest_timezone")
        .and_then(|a| match a.value.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                cx.error(
                    &a.span,
                    &t.key_path("digest_timezone"),
                    format!(
                        "unknown time zone {}; use an IANA name such as \"Europe/Berlin\" or \"UTC\"",
                        a.shown()
                    ),
                );
                None
            }
        })
        .unwrap_or(chrono_tz::UTC);
    let digest = t
        .string(cx, "digest")
        .and_then(|a| match Digest::parse(&a.value, tz) {
            Ok(d) => Some(d),
            Err(e) => {
                cx.error(
                    &a.span,
                    &t.key_path("digest"),
                    format!("{}: {e}", a.shown()),
                );
                None
            }
        });
    let Some(name) = name else {
        cx.error(&span, &t.key_path("name"), "missing required key `name`");
        return None;
    };
    if let Some(&line) = names.get(&name.value) {
        cx.error(
            &name.span,
            &t.key_path("name"),
            format!(
                "duplicate sink name {} (first defined on line {line})",
                name.shown()
            ),
        );
        return None;
    }
    names.insert(name.value.clone(), cx.loc.position(name.span.start).0);
    let kind = match kind.as_deref() {
        Some("webhook") => read_webhook(cx, t).map(SinkKind::Webhook),
        Some("email") => read_email(cx, t).map(SinkKind::Email),
        Some("plugin") => {
            if !has_plugins {
                cx.error(
                    &span,
                    &t.key_path("type"),
                    "a plugin sink needs a [plugins] section with `dir` (the drop-in directory)",
                );
            }
            read_plugin(cx, t).map(SinkKind::Plugin)
        }
        _ => {
            if cx.errors.len() == start {
                cx.error(
                    &span,
                    &t.key_path("type"),
                    "missing required key `type`; allowed: webhook, email, plugin",
                );
            }
            None
        }
    }?;
    (cx.errors.len() == start).then_some(SinkConfig {
        name: name.value,
        timeout,
        kind,
        templates,
        rate_limit,
        digest,
    })
}

/// A message template: it must compile and render against sample alerts; an error
/// points at its line in the file.
fn read_template(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, key: &str) -> Option<String> {
    let src = t.string(cx, key)?;
    match template::check(&src.value) {
        Ok(()) => Some(src.value),
        Err(e) => {
            let err = cx.loc.error_in_string(
                src.span.start,
                e.line,
                &t.key_path(key),
                format!(
                    "template error on line {} of the template: {}; the context is the specwatch.alert.v1 document (docs/alerts.md)",
                    e.line, e.message
                ),
            );
            cx.errors.push(err);
            None
        }
    }
}

/// A required string key.
fn required(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    key: &str,
    what: &str,
) -> Option<String> {
    required_at(cx, t, key, what).map(|a| a.value)
}

/// A required string key, with where it was written.
fn required_at(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    key: &str,
    what: &str,
) -> Option<At<String>> {
    let before = cx.errors.len();
    let v = t.string(cx, key);
    if v.is_none() && cx.errors.len() == before {
        cx.error(
            &t.span(),
            &t.key_path(key),
            format!("missing required key `{key}` ({what})"),
        );
    }
    v
}

fn read_webhook(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<WebhookSinkConfig> {
    let url = t.string(cx, "url");
    let secret = t.string(cx, "secret").map(|a| Secret(a.value));
    let headers = t
        .string_map(cx, "headers")
        .into_iter()
        .map(|(k, v)| (k, Secret(v.value)))
        .collect();
    let Some(url) = url else {
        cx.error(&t.span(), &t.key_path("url"), "missing required key `url`");
        return None;
    };
    match url::Url::parse(&url.value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        // Never echo the URL: it may carry a token.
        _ => {
            cx.error(
                &url.span,
                &t.key_path("url"),
                "expected an http(s) URL (the value is not shown: it may hold a secret)",
            );
            return None;
        }
    }
    Some(WebhookSinkConfig {
        url: Secret(url.value),
        secret,
        headers,
    })
}

fn read_email(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<EmailSinkConfig> {
    let smtp = t.string(cx, "smtp");
    let from = required_at(cx, t, "from", "the sender address");
    let to = t.string_list(cx, "to").unwrap_or_default();
    let username = t.string(cx, "username").map(|a| Secret(a.value));
    let password = t.string(cx, "password").map(|a| Secret(a.value));
    let Some(smtp) = smtp else {
        cx.error(
            &t.span(),
            &t.key_path("smtp"),
            "missing required key `smtp` (e.g. \"smtp://mail.example:587\" or \"smtps://mail.example:465\")",
        );
        return None;
    };
    if to.is_empty() {
        cx.error(
            &t.span(),
            &t.key_path("to"),
            "missing required key `to` (one address or a list)",
        );
    }
    // Checked here, not when the sink is built, so a bad address is a validation error that
    // shows `${VAR}` rather than a daemon log line echoing the value.
    for (key, a) in from
        .iter()
        .map(|a| ("from", a))
        .chain(to.iter().map(|a| ("to", a)))
    {
        if let Err(e) = a.value.parse::<lettre::message::Mailbox>() {
            cx.error(
                &a.span,
                &t.key_path(key),
                format!(
                    "{} is not an email address ({e}); use \"alerts@example.com\" or \"Specwatch <alerts@example.com>\"",
                    a.shown()
                ),
            );
        }
    }
    let parsed = match url::Url::parse(&smtp.value) {
        Ok(u) if matches!(u.scheme(), "smtp" | "smtps") && u.host_str().is_some() => u,
        _ => {
            cx.error(
                &smtp.span,
                &t.key_path("smtp"),
                "expected smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS); add ?tls=none for a plain local relay",
            );
            return None;
        }
    };
    let plain = parsed.query_pairs().any(|(k, v)| k == "tls" && v == "none");
    let tls = match (parsed.scheme(), plain) {
        ("smtps", _) => SmtpTls::Tls,
        (_, true) => SmtpTls::None,
        _ => SmtpTls::StartTls,
    };
    // AUTH and every alert would cross the network in clear text otherwise.
    if tls == SmtpTls::None && !is_loopback(&parsed) {
        cx.error(
            &smtp.span,
            &t.key_path("smtp"),
            "?tls=none (plain text) is allowed only for a relay on this machine (localhost, 127.0.0.1, ::1); use smtp:// (STARTTLS) or smtps:// (TLS) for any other host",
        );
        return None;
    }
    let port = parsed.port().unwrap_or(match tls {
        SmtpTls::Tls => 465,
        SmtpTls::StartTls => 587,
        SmtpTls::None => 25,
    });
    // Credentials in the URL (smtp://user:pass@host) work too; explicit keys win.
    let url_user = (!parsed.username().is_empty()).then(|| Secret(parsed.username().to_string()));
    let url_pass = parsed.password().map(|p| Secret(p.to_string()));
    Some(EmailSinkConfig {
        host: parsed.host_str().unwrap_or_default().to_string(),
        port,
        tls,
        username: username.or(url_user),
        password: password.or(url_pass),
        from: from?.value,
        to: to.into_iter().map(|a| a.value).collect(),
    })
}

/// True when the URL's host is this machine (`localhost`, 127.0.0.0/8 or `::1`).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        // smtp:// is not a "special" URL scheme, so an IPv4 address arrives as a domain.
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An allowlist entry's host and port: `"a.example:8443"` → (`"a.example"`, 8443).
pub fn split_port(entry: &str) -> (&str, Option<u16>) {
    match entry.rsplit_once(':') {
        // `::1` alone is an IPv6 address without a port (entries write ports as `[::1]:8080`).
        Some((h, p)) if !h.contains(':') || h.ends_with(']') => match p.parse::<u16>() {
            Ok(port) if port > 0 => (h, Some(port)),
            _ => (entry, None),
        },
        _ => (entry, None),
    }
}

fn read_plugin(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<PluginSinkConfig> {
    let plugin = required(cx, t, "plugin", "the plugin's file name without .wasm");
    let hosts = |cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, key: &str| -> Vec<String> {
        let list = t.string_list(cx, key).unwrap_or_default();
        let mut out = Vec::new();
        for h in list {
            let v = h.value.trim().to_ascii_lowercase();
            let (name, _) = split_port(&v);
            let bare = name.strip_prefix("*.").unwrap_or(name);
            let ipv6 = bare.starts_with('[') && bare.ends_with(']');
            if bare.is_empty() || (!ipv6 && bare.contains(['/', ':', '@', '*', ' ', '[', ']'])) {
                cx.error(
                    &h.span,
                    &t.key_path(key),
                    format!(
                        "{} is not a host name; use \"hooks.slack.com\", \"*.example.com\" or \"host:port\" (\"127.0.0.1:8443\", \"[::1]:8080\")",
                        h.shown()
                    ),
                );
            } else {
                out.push(v);
            }
        }
        out
    };
    let allowed_hosts = hosts(cx, t, "allowed_hosts");
    let allow_http_hosts = hosts(cx, t, "allow_http_hosts");
    let mut interpolated = Vec::new();
    let config = t
        .json_table(cx, "config", &mut interpolated)
        .unwrap_or_default();
    Some(PluginSinkConfig {
        plugin: plugin?,
        allowed_hosts,
        allow_http_hosts,
        config: Secret(serde_json::Value::Object(config).to_string()),
        interpolated: interpolated.into_iter().map(Secret).collect(),
    })
}

fn read_matcher(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Matcher {
    read_matcher_at(cx, t, "match")
}

/// The matcher table under `key` (empty when absent).
fn read_matcher_at(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, key: &str) -> Matcher {
    let Some(mut m) = t.table(cx, key) else {
        return Matcher::default();
    };
    let mut out = Matcher {
        watch: m
            .string_list(cx, "watch")
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.value)
            .collect(),
        ..Matcher::default()
    };
    for e in m.string_list(cx, "event").unwrap_or_default() {
        match EventKind::parse(&e.value) {
            Some(k) => out.event.push(k),
            None => {
                let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                cx.error(
                    &e.span,
                    &m.key_path("event"),
                    format!("unknown event {}; allowed: {}", e.shown(), all.join(", ")),
                );
            }
        }
    }
    for l in m.string_list(cx, "level").unwrap_or_default() {
        match Level::parse(&l.value) {
            Some(v) => out.level.push(v),
            None => cx.error(
                &l.span,
                &m.key_path("level"),
                format!(
                    "unknown level {}; allowed: breaking, warning, info",
                    l.shown()
                ),
            ),
        }
    }
    out.labels = m
        .string_map(cx, "labels")
        .into_iter()
        .map(|(k, v)| (k, v.value))
        .collect();
    m.finish(cx);
    out
}

fn read_route(
    cx: &mut Ctx<'_>,
    t: &mut TableReader<'_, '_>,
    index: usize,
    known: &BTreeSet<&str>,
) -> Option<RouteConfig> {
    let start = cx.errors.len();
    let name = t
        .string(cx, "name")
        .map_or_else(|| format!("route[{index}]"), |a| a.value);
    let matcher = read_matcher(cx, t);
    let sinks = t.string_list(cx, "sinks").unwrap_or_default();
    if sinks.is_empty() {
        cx.error(
            &t.span(),
            &t.key_path("sinks"),
            "missing required key `sinks` (sink names)",
        );
    }
    for s in &sinks {
        if !known.contains(s.value.as_str()) {
            let list: Vec<&str> = known.iter().copied().collect();
            cx.error(
                &s.span,
                &t.key_path("sinks"),
                format!(
                    "unknown sink {}; defined sinks: {}",
                    s.shown(),
                    if list.is_empty() {
                        "none".to_string()
                    } else {
                        list.join(", ")
                    }
                ),
            );
        }
    }
    let route = RouteConfig {
        name,
        matcher,
        sinks: sinks.into_iter().map(|a| a.value).collect(),
        group_wait: t
            .duration(cx, "group_wait", ranges::GROUP_WAIT)
            .unwrap_or(Duration::ZERO),
        repeat_interval: t
            .duration(cx, "repeat_interval", ranges::REPEAT_INTERVAL)
            .unwrap_or(Duration::from_secs(4 * 3600)),
        send_resolved: t.bool(cx, "send_resolved").unwrap_or(true),
        continue_: t.bool(cx, "continue").unwrap_or(false),
        resolve_after: t
            .duration(cx, "resolve_after", ranges::REPEAT_INTERVAL)
            .unwrap_or(Duration::ZERO),
        digest_breaking: t.bool(cx, "digest_breaking").unwrap_or(false),
    };
    (cx.errors.len() == start).then_some(route)
}

fn read_silence(cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>) -> Option<SilenceConfig> {
    let start = cx.errors.len();
    let matcher = read_matcher(cx, t);
    let time = |cx: &mut Ctx<'_>, t: &mut TableReader<'_, '_>, key: &str| {
        let at = t.string(cx, key)?;
        match chrono::DateTime::parse_from_rfc3339(&at.value) {
            Ok(d) => Some(d.timestamp_millis()),
            Err(e) => {
                cx.error(
                    &at.span,
                    &t.key_path(key),
                    format!(
                        "invalid time {} ({e}); use RFC 3339, e.g. \"2026-12-01T00:00:00Z\"",
                        at.shown()
                    ),
                );
                None
            }
        }
    };
    let starts = time(cx, t, "starts");
    let ends = time(cx, t, "ends");
    let comment = t.string(cx, "comment").map(|a| a.value).unwrap_or_default();
    if matcher == Matcher::default() {
        cx.error(
            &t.span(),
            &t.key_path("match"),
            "a silence needs a `match` (an empty one would silence everything)",
        );
    }
    (cx.errors.len() == start).then_some(SilenceConfig {
        matcher,
        starts,
        ends,
        comment,
    })
}

#[cfg(test)]
mod tests {
    use super::{Digest, RateLimit, glob};

    #[test]
    fn rate_limits_and_digests_parse_and_digests_fall_at_local_time() {
        assert_eq!(
            RateLimit::parse("5/1m"),
            Ok(RateLimit {
                count: 5,
                per: std::time::Duration::from_secs(60)
            })
        );
        assert!(RateLimit::parse("0/1m").is_err());
        assert!(RateLimit::parse("5").is_err());
        assert!(RateLimit::parse("5/2d").is_err());
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let d = Digest::parse("daily 09:00", berlin).unwrap();
        assert!(Digest::parse("weekly 09:00", berlin).is_err());
        assert!(Digest::parse("daily 25:00", berlin).is_err());
        let ms = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis()
        };
        // 07:59 UTC is 08:59 in Berlin (winter): the digest is a minute away.
        assert_eq!(
            d.next_after(ms("2026-12-02T07:59:00Z")),
            ms("2026-12-02T08:00:00Z")
        );
        // Just after: tomorrow's.
        assert_eq!(
            d.next_after(ms("2026-12-02T08:00:00Z")),
            ms("2026-12-03T08:00:00Z")
        );
        // Summer time: 09:00 Berlin is 07:00 UTC.
        assert_eq!(
            d.next_after(ms("2026-07-01T12:00:00Z")),
            ms("2026-07-02T07:00:00Z")
        );
    }

    #[test]
    fn globs_match_like_shell_stars() {
        assert!(glob("stripe*", "stripe-eu"));
        assert!(glob("stripe*", "stripe"));
        assert!(!glob("stripe*", "xstripe"));
        assert!(glob("*-eu", "stripe-eu"));
        assert!(glob("a*b*c", "a--b--c"));
        assert!(!glob("a*b*c", "a--c"));
        assert!(glob("*", ""));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
        assert!(!glob("ab*ba", "aba"));
    }
}
