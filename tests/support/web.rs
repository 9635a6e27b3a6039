//! An HTTP client for the status page and API of a daemon under test: whole responses
//! (status, headers, body), bearer tokens, RFC 7807 problem checks.

use std::time::{Duration, Instant};

use serde_json::Value;

/// A response: status, headers (lowercased names) and body.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// Asserts an RFC 7807 problem with this status.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text()
        );
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["type"].is_string() && p["title"].is_string() && p["detail"].is_string());
        p
    }
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub rt: tokio::runtime::Runtime,
}

impl Client {
    pub fn new(port: u16) -> Client {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let http = {
            let _in_runtime = rt.enter();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap()
        };
        Client {
            base: format!("http://127.0.0.1:{port}"),
            http,
            rt,
        }
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    /// Sends a prepared request and reads the whole response.
    pub fn run(&self, req: reqwest::RequestBuilder) -> Resp {
        self.rt.block_on(async {
            let r = req.send().await.unwrap();
            Resp {
                status: r.status().as_u16(),
                headers: r
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect(),
                body: r.bytes().await.unwrap().to_vec(),
            }
        })
    }
    pub fn send(&self, method: &str, path: &str, token: Option<&str>) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(m, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.run(req)
    }
    /// POSTs `body` as JSON, with the bearer token if given.
    pub fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        let mut req = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.run(req)
    }
    /// POSTs a page form with the login cookie `session` (`name=value`).
    pub fn post_form(&self, path: &str, session: &str, pairs: &[(&str, &str)]) -> Resp {
        self.run(
            self.http
                .post(self.url(path))
                .header("cookie", session)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(pairs)),
        )
    }
    /// GETs a page with the login cookie.
    pub fn get_with(&self, path: &str, session: &str) -> Resp {
        self.run(self.http.get(self.url(path)).header("cookie", session))
    }
    /// Logs in with the token; returns the session cookie (`name=value`).
    pub fn login(&self, token: &str) -> String {
        let r = self.run(
            self.http
                .post(self.url("/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(&[("token", token), ("next", "/")])),
        );
        assert_eq!(r.status, 303, "login: {}", r.text());
        let cookie = r.header("set-cookie").expect("a session cookie");
        cookie.split(';').next().unwrap().to_string()
    }
    pub fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None)
    }
    pub fn wait_ready(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if self
                .rt
                .block_on(async { self.http.get(self.url("/readyz")).send().await })
                .is_ok_and(|r| r.status() == 200)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("daemon not ready within 30s");
    }
}

/// A urlencoded form body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Asserts that none of `secrets` appears in the response's body or headers.
pub fn assert_no_secret(what: &str, r: &Resp, secrets: &[&str]) {
    let body = String::from_utf8_lossy(&r.body);
    for s in secrets {
        assert!(!body.contains(s), "secret {s:?} in the body of {what}");
        for (k, v) in &r.headers {
            assert!(!v.contains(s), "secret {s:?} in header {k} of {what}");
        }
    }
}
