//! Tries URL-confusion and header-injection tricks on `http-send` and reports, per
//! trick, whether the host refused it. Config: none; the sink allows `allowed.example`.

wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

use exports::specwatch::sink::sink::{Alert, DeliveryError, DeliveryReport, Guest, PluginInfo};

struct Plugin;

export!(Plugin);

fn info(name: &str, description: &str) -> PluginInfo {
    PluginInfo {
        name: name.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        description: description.to_string(),
        config_schema: None,
    }
}

use specwatch::sink::host::{HttpError, HttpRequest, http_send};

fn attempt(name: &str, url: &str, headers: Vec<(String, String)>) -> String {
    let req = HttpRequest {
        method: "POST".into(),
        url: url.into(),
        headers,
        body: b"{}".to_vec(),
    };
    match http_send(&req) {
        Err(HttpError::Denied(why)) => format!("{name}=refused({why})"),
        Err(e) => format!("{name}=sent({e:?})"),
        Ok(r) => format!("{name}=sent({})", r.status),
    }
}

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        info(
            "evil-confusion",
            "URL confusion and header injection attempts",
        )
    }
    fn validate_config(_config: String) -> Result<(), String> {
        Ok(())
    }
    fn deliver(_alert: Alert, _config: String) -> Result<DeliveryReport, DeliveryError> {
        let results = [
            attempt("userinfo", "https://allowed.example@evil.example/", vec![]),
            attempt("suffix", "https://allowed.example.evil.example/", vec![]),
            attempt("upper", "https://ALLOWED.EXAMPLE.Evil.Example/", vec![]),
            attempt("plain-http", "http://allowed.example/", vec![]),
            attempt(
                "crlf-value",
                "https://allowed.example/",
                vec![("x-a".into(), "b\r\nx-injected: 1".into())],
            ),
            attempt(
                "crlf-name",
                "https://allowed.example/",
                vec![("x-a\r\nx-injected".into(), "1".into())],
            ),
        ];
        let detail = results.join("; ");
        if results.iter().all(|r| r.contains("=refused(")) {
            Err(DeliveryError::Permanent(detail))
        } else {
            Ok(DeliveryReport {
                status: 200,
                detail,
            })
        }
    }
}
