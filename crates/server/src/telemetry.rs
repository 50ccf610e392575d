//! Logging: a `tracing` subscriber on stderr, and the root span of every request with its vendor,
//! tenant and request id. Keys, bodies and credentials are never recorded.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests start many apps) do nothing.
pub fn init(level: &str, format: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        "compact" => builder.compact().try_init(),
        "json" => builder.json().with_ansi(false).try_init(),
        _ => builder.try_init(),
    };
}

/// The request span: `tracing-actix-web`'s fields plus `vendor` and `tenant`, which the adapter
/// records once it has authenticated the key. It is a DEBUG span: at the default INFO level it is
/// never built, so request logging costs nothing unless asked for.
pub struct PatchbayRootSpan;

impl RootSpanBuilder for PatchbayRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing_actix_web::root_span!(
            level = tracing::Level::DEBUG,
            request,
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
