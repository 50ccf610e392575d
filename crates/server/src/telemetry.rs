//! Logging: a `tracing` subscriber on stderr, and the root span of every request with its vendor,
//! tenant and request id. Keys, bodies and credentials are never recorded.
//!
//! Logging must never stop the server: lines go through a bounded queue to a thread of their own,
//! which drops them when stderr does not keep up (a full pipe nobody reads) and ignores write
//! errors (a closed pipe), so no request, and no shutdown, ever waits on stderr or panics on it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::HttpMessage;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tracing::{Level, Metadata, Span};
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Lines waiting for stderr, at most; further lines are dropped until it catches up.
const QUEUED_LINES: usize = 10_000;

/// The log thread's guard: dropping it writes out what is queued (for a bounded time).
static LOG_THREAD: Mutex<Option<WorkerGuard>> = Mutex::new(None);

/// Installs the global subscriber once; later calls (tests start many apps) do nothing.
pub fn init(level: &str, format: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(QUEUED_LINES)
        .thread_name("patchbay-log")
        .finish(Forgiving(std::io::stderr()));
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .log_internal_errors(false);
    let lines = match format {
        "compact" => lines.compact().boxed(),
        "json" => lines.json().with_ansi(false).boxed(),
        _ => lines.boxed(),
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(HttpRejections)
        .with(lines.with_filter(filter_fn(|metadata| !is_http_rejection(metadata))))
        .try_init();
    if installed.is_ok() {
        if let Ok(mut slot) = LOG_THREAD.lock() {
            *slot = Some(guard);
        }
    }
}

/// Writes out the lines still queued (waiting a second at most), before the process exits.
pub fn flush() {
    let guard = LOG_THREAD.lock().ok().and_then(|mut slot| slot.take());
    drop(guard);
}

/// stderr whose failures are ignored: a log line that cannot be written is lost, never an error
/// that the log thread would report on stderr again (and panic doing so).
struct Forgiving(std::io::Stderr);

impl Write for Forgiving {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// actix's ERROR lines for connections it rejects (malformed HTTP, a client gone mid-request): one
/// per request a client chooses to send, so a flood of them is a log flood. They are counted by
/// [`HttpRejections`] instead of written.
fn is_http_rejection(metadata: &Metadata<'_>) -> bool {
    *metadata.level() == Level::ERROR && metadata.target().starts_with("actix_http::h1")
}

/// How often the count of rejections is reported, at most.
const REJECTIONS_EVERY: Duration = Duration::from_secs(60);

/// actix's rejections not reported yet.
static HTTP_REJECTIONS: AtomicU64 = AtomicU64::new(0);

/// Counts actix's connection rejections (see [`is_http_rejection`]). It emits nothing itself: an
/// event emitted while another is being dispatched would upset the per-layer filters.
struct HttpRejections;

impl<S: tracing::Subscriber> Layer<S> for HttpRejections {
    fn on_event(&self, event: &tracing::Event<'_>, _context: Context<'_, S>) {
        if is_http_rejection(event.metadata()) {
            HTTP_REJECTIONS.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Reports the rejections counted, as one WARN line at most every [`REJECTIONS_EVERY`]; runs
/// until aborted.
pub async fn report_http_rejections() {
    loop {
        tokio::time::sleep(REJECTIONS_EVERY).await;
        let rejected = HTTP_REJECTIONS.swap(0, Ordering::AcqRel);
        if rejected > 0 {
            tracing::warn!(
                rejected,
                "malformed or broken HTTP requests rejected in the last minute"
            );
        }
    }
}

/// The request span: `tracing-actix-web`'s fields plus `vendor` and `tenant`, which the adapter
/// records once it has authenticated the key. It is a DEBUG span: at the default INFO level it is
/// never built, so request logging costs nothing unless asked for.
pub struct PatchbayRootSpan;

impl RootSpanBuilder for PatchbayRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        // `tracing_actix_web::root_span!`'s fields, but with the query's secret values masked as
        // the journal masks them: a key sent as `?api_key=` must not reach the log. The field
        // values are only computed when DEBUG is on for this span.
        tracing::debug_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %request.match_pattern().unwrap_or_else(|| "default".into()),
            http.flavor = ?request.version(),
            http.target = %logged_target(request),
            http.status_code = tracing::field::Empty,
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            request_id = %request
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map(ToString::to_string)
                .unwrap_or_default(),
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
            vendor = tracing::field::Empty,
            tenant = tracing::field::Empty
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span.clone(), outcome);
        if let Ok(response) = outcome {
            span.in_scope(|| {
                tracing::debug!(status = response.status().as_u16(), "request served")
            });
        }
    }
}

/// The path and query of a request as logged: the value of every query parameter that is a secret
/// (generic names, and the fields the owning vendor hides) masked.
fn logged_target(request: &ServiceRequest) -> String {
    let path = request.path();
    let query = request.query_string();
    if query.is_empty() {
        return path.to_string();
    }
    let hidden = crate::vendors::owner_of(path)
        .map_or(patchbay_http::HiddenFields::Named(&[]), |vendor| {
            vendor.hidden_fields
        });
    format!(
        "{path}?{}",
        crate::plane::journal::mask_query(query, &hidden)
    )
}

#[cfg(test)]
mod tests {
    use super::logged_target;
    use actix_web::test::TestRequest;

    #[test]
    fn secret_query_values_are_masked_in_the_logged_target() {
        let request = TestRequest::get()
            .uri("/integrations/github?api_key=sk-live-0123456789abcdef&limit=5&token=abc")
            .to_srv_request();
        assert_eq!(
            logged_target(&request),
            "/integrations/github?api_key=****cdef&limit=5&token=****"
        );
        let request = TestRequest::get().uri("/v3/connectors").to_srv_request();
        assert_eq!(logged_target(&request), "/v3/connectors");
    }
}
