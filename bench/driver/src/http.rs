//! The few plain HTTP requests the driver sends itself: readiness polls, the demo key look-up and
//! each row's single request before its load.

use crate::rows::{RequestTemplate, CAPTURED_PLACEHOLDER, COUNTER_PLACEHOLDER};
use crate::BenchError;
use serde_json::Value;
use std::time::Duration;

pub struct Http {
    client: reqwest::blocking::Client,
}

/// What a row's single request got: the first answer that was not a 2xx, else the last answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smoke {
    /// `None`: no answer at all.
    pub status: Option<u16>,
    pub body: String,
}

impl Smoke {
    pub fn is_success(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }

    /// The status for the table: the number, or `none` when nothing answered.
    pub fn status_text(&self) -> String {
        self.status
            .map_or_else(|| "none".to_string(), |status| status.to_string())
    }
}

impl Http {
    pub fn new() -> Result<Http, BenchError> {
        let client = reqwest::blocking::Client::builder()
            // Every server is on the loopback: a proxy from the environment must not be asked.
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|error| BenchError::Failed(format!("cannot build an HTTP client: {error}")))?;
        Ok(Http { client })
    }

    /// The status of a GET, `None` if nothing answered.
    pub fn status(&self, url: &str) -> Option<u16> {
        self.client
            .get(url)
            .send()
            .ok()
            .map(|response| response.status().as_u16())
    }

    /// The vendor's demo key, as the banner picks it, from `GET /_patchbay/state/<vendor>`.
    pub fn demo_key(&self, base_url: &str, vendor: &str) -> Result<String, BenchError> {
        let url = format!("{base_url}/_patchbay/state/{vendor}");
        let failed = |message: String| BenchError::Failed(format!("GET {url}: {message}"));
        let response = self
            .client
            .get(&url)
            .send()
            .map_err(|error| failed(error.to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .map_err(|error| failed(error.to_string()))?;
        if !status.is_success() {
            return Err(failed(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        let state: Value =
            serde_json::from_slice(&body).map_err(|error| failed(error.to_string()))?;
        let keys = state
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| failed("no `keys` list in the answer".into()))?;
        pick_demo_key(keys).ok_or_else(|| failed(format!("{vendor} has no keys in its fixtures")))
    }

    /// Sends a row's requests once, in turn, with `{n}` replaced by `counter`.
    pub fn smoke(&self, base_url: &str, requests: &[RequestTemplate], counter: u64) -> Smoke {
        let mut last = Smoke {
            status: None,
            body: "no request sent".into(),
        };
        let mut captured: Option<String> = None;
        for request in requests {
            let mut request = with_counter(request, counter);
            if let Some(value) = &captured {
                request = with_captured(&request, value);
            }
            last = self.send_once(base_url, &request);
            if !last.is_success() {
                return last;
            }
            if let Some(field) = &request.capture {
                match captured_field(&last.body, field) {
                    Some(value) => captured = Some(value),
                    None => {
                        return Smoke {
                            status: last.status,
                            body: format!("no {field:?} to capture in: {}", last.body),
                        }
                    }
                }
            }
        }
        last
    }

    fn send_once(&self, base_url: &str, request: &RequestTemplate) -> Smoke {
        let no_answer = |message: String| Smoke {
            status: None,
            body: message,
        };
        let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
            Ok(method) => method,
            Err(error) => return no_answer(error.to_string()),
        };
        let mut builder = self
            .client
            .request(method, format!("{base_url}{}", request.path));
        for header in &request.headers {
            if let Some((name, value)) = header.split_once(':') {
                builder = builder.header(name.trim(), value.trim());
            }
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body.clone());
        }
        match builder.send() {
            Ok(response) => {
                let status = response.status().as_u16();
                Smoke {
                    status: Some(status),
                    body: response.text().unwrap_or_default(),
                }
            }
            Err(error) => no_answer(error.to_string()),
        }
    }
}

/// The banner's rule: the first key without scopes, else the first key.
pub fn pick_demo_key(keys: &[Value]) -> Option<String> {
    let without_scopes = keys
        .iter()
        .find(|key| key.get("scopes").is_none_or(Value::is_null));
    without_scopes
        .or(keys.first())
        .and_then(|key| key.get("key"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// A request with `{n}` replaced, as `request.lua` does it.
pub fn with_counter(request: &RequestTemplate, counter: u64) -> RequestTemplate {
    let counter = counter.to_string();
    let fill = |text: &str| text.replace(COUNTER_PLACEHOLDER, &counter);
    RequestTemplate {
        method: request.method.clone(),
        path: fill(&request.path),
        body: fill(&request.body),
        headers: request.headers.iter().map(|header| fill(header)).collect(),
        capture: request.capture.clone(),
    }
}

/// The request with `{id}` replaced by a value captured from an earlier answer.
pub fn with_captured(request: &RequestTemplate, value: &str) -> RequestTemplate {
    let fill = |text: &str| text.replace(CAPTURED_PLACEHOLDER, value);
    RequestTemplate {
        path: fill(&request.path),
        body: fill(&request.body),
        headers: request.headers.iter().map(|header| fill(header)).collect(),
        ..request.clone()
    }
}

/// The text value of the first `field` in a JSON body, in document order, as `request.lua` finds it.
pub fn captured_field(body: &str, field: &str) -> Option<String> {
    fn find(value: &Value, field: &str) -> Option<String> {
        match value {
            Value::Object(map) => map.iter().find_map(|(name, value)| match value {
                Value::String(text) if name == field => Some(text.clone()),
                other => find(other, field),
            }),
            Value::Array(items) => items.iter().find_map(|item| find(item, field)),
            _ => None,
        }
    }
    find(&serde_json::from_str(body).ok()?, field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_demo_key_is_the_first_without_scopes_else_the_first() {
        let keys = [
            json!({"key": "read-only", "tenant": "a", "scopes": ["read"]}),
            json!({"key": "full", "tenant": "a", "scopes": null}),
            json!({"key": "also-full", "tenant": "b", "scopes": null}),
        ];
        assert_eq!(pick_demo_key(&keys), Some("full".to_string()));
        let scoped = [
            json!({"key": "first", "scopes": []}),
            json!({"key": "second", "scopes": ["x"]}),
        ];
        assert_eq!(
            pick_demo_key(&scoped),
            Some("first".to_string()),
            "an empty list is a scope list"
        );
        assert_eq!(pick_demo_key(&[]), None);
    }

    #[test]
    fn the_counter_fills_path_body_and_headers() {
        let request = RequestTemplate {
            method: "POST".into(),
            path: "/x/{n}".into(),
            body: "{\"id\":\"r-{n}\"}".into(),
            headers: vec!["X-Id: {n}".into()],
            capture: None,
        };
        let filled = with_counter(&request, 42);
        assert_eq!(filled.path, "/x/42");
        assert_eq!(filled.body, "{\"id\":\"r-42\"}");
        assert_eq!(filled.headers, ["X-Id: 42"]);
    }

    #[test]
    fn a_smoke_result_reads_as_the_table_shows_it() {
        let ok = Smoke {
            status: Some(204),
            body: String::new(),
        };
        assert!(ok.is_success());
        let refused = Smoke {
            status: None,
            body: "connection refused".into(),
        };
        assert!(!refused.is_success());
        assert_eq!(refused.status_text(), "none");
        assert_eq!(
            Smoke {
                status: Some(401),
                body: String::new()
            }
            .status_text(),
            "401"
        );
    }
}
