//! The gate in front of each vendor's routes: finds the tenant of the key presented, creates the
//! tenant of an open key on first use, applies fault rules, and records the request in the journal.
//! It wraps each vendor's routes (see `startup.rs`), so every request it sees is that vendor's: a
//! route can only be reached through the vendor's path claims, which are what the gate attributes.

use super::faults::{Answer, Target};
use super::journal::Entry;
use super::{ControlPlane, OPEN_KEY_LABEL};
use actix_web::body::BoxBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::HttpResponse;
use chrono::Utc;
use futures_util::StreamExt;
use patchbay_http::{ErrorCode, Vendor};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

/// The middleware function of one vendor's scope
/// (`from_fn(move |request, next| gate(vendor, request, next))`).
pub async fn gate(
    vendor: &'static Vendor,
    request: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(plane) = request.app_data::<web::Data<ControlPlane>>().cloned() else {
        return next.call(request).await;
    };
    // Nothing to record, create or inject: the request goes straight on.
    if !plane.journal.enabled() && !plane.open_keys && !plane.faults.any() {
        return next.call(request).await;
    }
    let started = Instant::now();
    let key = (vendor.hooks.presented_key)(request.request()).map(str::to_owned);
    // The tenant this request's open key created, taken back if the request turns out not to be
    // served (see `served`).
    let mut created = None;
    let tenant = match &key {
        None => None,
        Some(key) => match plane.store.authenticate(vendor.name, key) {
            Some(found) => {
                if found.label.as_deref() == Some(OPEN_KEY_LABEL) {
                    plane.open_keys_activity.touch(vendor.name, &found.tenant);
                }
                Some(found.tenant.clone())
            }
            None => plane.open_tenant(vendor, key).await.map(|found| {
                let tenant = found.tenant.clone();
                created = Some(found);
                tenant
            }),
        },
    };
    let decision = plane.faults.decide(&Target {
        vendor: vendor.name,
        method: request.method().as_str(),
        path: request.path(),
        tenant: tenant.as_deref(),
        key: key.as_deref(),
    });
    let (request, seen) = if plane.journal.enabled() {
        let line = RequestLine {
            method: request.method().clone(),
            path: request.path().to_string(),
            query: request.query_string().to_string(),
        };
        let (request, tap) = tap_body(request, plane.body_limit);
        (request, Some((line, tap)))
    } else {
        (request, None)
    };
    let mut fault = None;
    let mut dropped = false;
    let response = match decision {
        None => next.call(request).await,
        Some(decision) => {
            if !decision.delay.is_zero() {
                actix_web::rt::time::sleep(decision.delay).await;
            }
            fault = decision.fired.last().cloned();
            dropped = matches!(decision.answer, Some(Answer::Drop));
            match decision.answer {
                None => next.call(request).await,
                Some(answer) => Ok(answer_with(vendor, request, answer)),
            }
        }
    };
    if let Some(created) = &created {
        if !served(&response) {
            plane.withdraw_open_tenant(vendor, created).await;
        }
    }
    if let Some((line, tap)) = seen {
        let (body, body_len) = tap.map_or((None, 0), |tap| {
            let tap = tap.borrow();
            (tap.body(plane.body_limit), tap.len as u64)
        });
        let seen = Seen {
            line,
            tenant,
            body,
            body_len,
            fault,
            dropped,
            started,
        };
        record(&plane, vendor, &response, seen);
    }
    response
}

/// Whether a request passed the vendor's authentication and reached a route the vendor serves: not
/// a 401 or 403, nor a 404 that no resource matched (the vendor's catch-all for paths it owns but
/// does not serve).
fn served(response: &Result<ServiceResponse<BoxBody>, actix_web::Error>) -> bool {
    let Ok(response) = response else {
        return true;
    };
    match response.status() {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => false,
        StatusCode::NOT_FOUND => response.request().match_pattern().is_some(),
        _ => true,
    }
}

/// Renders a fault's answer as the vendor would.
fn answer_with(
    vendor: &'static Vendor,
    request: ServiceRequest,
    answer: Answer,
) -> ServiceResponse<BoxBody> {
    let (http_request, _payload) = request.into_parts();
    let response = match answer {
        Answer::Status(status) => (vendor.hooks.fault_response)(&http_request, status),
        Answer::RateLimited(limit) => (vendor.hooks.rate_limited)(&http_request, &limit),
        Answer::Drop => dropped_connection(),
    };
    ServiceResponse::new(http_request, response)
}

/// A response whose body fails before a byte is written: the server closes the connection and the
/// client sees it cut off with no response at all.
fn dropped_connection() -> HttpResponse {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by a fault rule",
        ))
    });
    let mut response = HttpResponse::Ok().streaming(failing);
    patchbay_http::tag_error_code(&mut response, "connection_dropped");
    response
}

/// What the handler read of the body, seen on its way through (chunks are shared, not copied).
#[derive(Default)]
struct Tap {
    chunks: Vec<Bytes>,
    len: usize,
}

impl Tap {
    /// The body, if the handler read one no larger than `limit`.
    fn body(&self, limit: usize) -> Option<Bytes> {
        match self.chunks.as_slice() {
            _ if self.len == 0 || self.len > limit => None,
            [only] => Some(only.clone()),
            chunks => {
                let mut whole = BytesMut::with_capacity(self.len);
                chunks
                    .iter()
                    .for_each(|chunk| whole.extend_from_slice(chunk));
                Some(whole.freeze())
            }
        }
    }
}

/// Lets the journal see the body as the handler reads it, without reading it first: the payload
/// is wrapped in a stream that keeps a reference to each chunk it hands on. A request without a
/// body is left alone. A body larger than `limit` is not kept (the handler answers 413).
fn tap_body(request: ServiceRequest, limit: usize) -> (ServiceRequest, Option<Rc<RefCell<Tap>>>) {
    let has_body = match request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
    {
        Some(length) => length.trim() != "0",
        None => request.headers().contains_key(header::TRANSFER_ENCODING),
    };
    if !has_body {
        return (request, None);
    }
    let (http_request, payload) = request.into_parts();
    let tap = Rc::new(RefCell::new(Tap::default()));
    let seen = Rc::clone(&tap);
    let stream = payload.inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            let mut seen = seen.borrow_mut();
            seen.len += chunk.len();
            if seen.len <= limit {
                seen.chunks.push(chunk.clone());
            } else {
                seen.chunks.clear();
            }
        }
    });
    let stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(stream);
    (
        ServiceRequest::from_parts(http_request, Payload::Stream { payload: stream }),
        Some(tap),
    )
}

/// The request line as received.
struct RequestLine {
    method: actix_web::http::Method,
    path: String,
    query: String,
}

/// What the gate noted of a request before it was served.
struct Seen {
    line: RequestLine,
    tenant: Option<String>,
    body: Option<Bytes>,
    /// Bytes of body the handler read, kept or not.
    body_len: u64,
    fault: Option<String>,
    /// Cut off by a fault: no status was sent.
    dropped: bool,
    started: Instant,
}

fn record(
    plane: &ControlPlane,
    vendor: &'static Vendor,
    response: &Result<ServiceResponse<BoxBody>, actix_web::Error>,
    seen: Seen,
) {
    let (status, error_code, request_id) = match response {
        Ok(response) => (
            response.status(),
            response
                .response()
                .extensions()
                .get::<ErrorCode>()
                .map(|code| code.0.clone()),
            response
                .headers()
                .get("x-request-id")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
        ),
        Err(error) => (error.as_response_error().status_code(), None, None),
    };
    let status = (!seen.dropped).then_some(status);
    let RequestLine {
        method,
        path,
        query,
    } = seen.line;
    plane.journal.record(Entry {
        id: 0,
        time: Utc::now(),
        vendor: vendor.name,
        tenant: seen.tenant,
        method,
        path,
        query,
        status,
        error_code,
        duration_micros: u64::try_from(seen.started.elapsed().as_micros()).unwrap_or(u64::MAX),
        request_id,
        body_len: seen.body_len,
        body: seen.body,
        truncated: false,
        fault: seen.fault,
    });
}
