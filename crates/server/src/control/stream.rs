//! `GET /_patchbay/requests/stream`: the request journal live, as server-sent events, with the
//! filters of `GET /_patchbay/requests`. Each entry is an event `request` whose `id` is the entry's
//! id and whose data is the entry as the journal shows it (bodies masked). With `after` (or the
//! `Last-Event-ID` a reconnecting browser sends) the journal's entries past that id come first, so
//! a viewer that reconnects misses nothing the journal still holds.
//!
//! A viewer costs a seat (capped by `ui.stream_viewers`) and a place in the feed's shared ring,
//! never a buffer of its own: one that falls a ring behind gets an event `lagged` saying how many
//! entries it skipped, and recording never waits for it (`plane::feed`).

use super::requests::{filter, JournalEntryView};
use super::{error, ErrorBody};
use crate::plane::feed::Viewer;
use crate::plane::journal::Filter;
use crate::plane::ControlPlane;
use crate::settings::UiSettings;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use wildmatch::WildMatch;

/// How long a browser waits before reconnecting a dropped stream, in milliseconds.
const RECONNECT_MS: u64 = 2_000;

/// The request journal live (server-sent events)
#[utoipa::path(get, path = "/_patchbay/requests/stream", tag = "journal",
    params(
        ("query" = inline(Option<super::openapi::JournalQuerySchema>), Query, style = Form, explode),
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this entry id (as `after`)"),
    ),
    responses(
        (status = 200, description = "Events until the client leaves: `request` (data: a JournalEntry, id: its id), `lagged` (data: `{\"skipped\": N}`), and heartbeat comments", content_type = "text/event-stream", body = String),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 404, description = "No key like that", body = ErrorBody),
        (status = 503, description = "As many viewers as `ui.stream_viewers` allows watch already", body = ErrorBody),
    ))]
pub async fn stream(
    request: HttpRequest,
    plane: web::Data<ControlPlane>,
    settings: web::Data<UiSettings>,
) -> HttpResponse {
    let (mut filter, page) = match filter(&request, &plane) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Some(last) = request
        .headers()
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
    {
        filter.after = Some(filter.after.map_or(last, |after| after.max(last)));
    }
    // Subscribed before the backlog is read, so that nothing recorded in between is missed.
    let Some(viewer) = plane.journal.feed.subscribe(settings.stream_viewers) else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "{} viewers watch the stream already, the most `ui.stream_viewers` allows",
                settings.stream_viewers
            ),
        );
    };
    let (backlog, backlog_more) = if filter.after.is_some() {
        let (entries, more) = plane.journal.query(&filter, page);
        (VecDeque::from(entries), more)
    } else {
        (VecDeque::new(), false)
    };
    let seen_up_to = filter.after;
    let heartbeat = Duration::from_secs(settings.stream_heartbeat_secs.max(1));
    let state = Watch {
        pattern: filter.path.as_deref().map(WildMatch::new),
        filter,
        viewer,
        backlog,
        backlog_more,
        page,
        plane: plane.into_inner(),
        seen_up_to,
        heartbeat: tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat),
        greeted: false,
    };
    let events = futures_util::stream::unfold(state, |mut state| async move {
        let event = state.next_event().await?;
        Some((Ok::<_, Infallible>(event), state))
    });
    let mut response = HttpResponse::Ok()
        .content_type("text/event-stream")
        .streaming(events);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Proxies that buffer responses would hold events back.
    headers.insert(
        header::HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    response
}

/// One viewer's stream.
struct Watch {
    filter: Filter,
    pattern: Option<WildMatch>,
    viewer: Viewer,
    /// Journal entries past `after`, sent before live ones, one page of the journal at a time.
    backlog: VecDeque<crate::plane::journal::Entry>,
    /// Whether the journal holds more of the backlog past the page in `backlog`.
    backlog_more: bool,
    /// The size of one backlog page (the query's `limit`).
    page: usize,
    plane: std::sync::Arc<ControlPlane>,
    /// Live entries up to this id came in the backlog already.
    seen_up_to: Option<u64>,
    heartbeat: tokio::time::Interval,
    greeted: bool,
}

impl Watch {
    /// The next bytes to send; `None` ends the stream (the feed is gone: the server stops).
    async fn next_event(&mut self) -> Option<Bytes> {
        if !self.greeted {
            self.greeted = true;
            return Some(Bytes::from(format!(
                ": patchbay request journal\nretry: {RECONNECT_MS}\n\n"
            )));
        }
        if self.backlog.is_empty() && self.backlog_more {
            // The next page starts past the last entry sent.
            let mut next = self.filter.clone();
            next.after = self.seen_up_to;
            let (entries, more) = self.plane.journal.query(&next, self.page);
            self.backlog = VecDeque::from(entries);
            self.backlog_more = more;
        }
        if let Some(entry) = self.backlog.pop_front() {
            self.seen_up_to = Some(entry.id);
            return Some(request_event(&JournalEntryView::of(&entry)));
        }
        loop {
            tokio::select! {
                received = self.viewer.receiver.recv() => match received {
                    Ok(entry) => {
                        let repeated = self.seen_up_to.is_some_and(|seen| entry.id <= seen);
                        if !repeated && self.filter.matches(&entry, self.pattern.as_ref()) {
                            return Some(request_event(&JournalEntryView::of(&entry)));
                        }
                    }
                    Err(RecvError::Lagged(skipped)) => {
                        return Some(Bytes::from(format!(
                            "event: lagged\ndata: {{\"skipped\":{skipped}}}\n\n"
                        )))
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.heartbeat.tick() => return Some(Bytes::from_static(b": heartbeat\n\n")),
            }
        }
    }
}

/// An event `request`: JSON holds no raw line breaks, so the data is one line.
fn request_event(view: &JournalEntryView) -> Bytes {
    let data = serde_json::to_string(view).unwrap_or_else(|_| "null".into());
    Bytes::from(format!("id: {}\nevent: request\ndata: {data}\n\n", view.id))
}
