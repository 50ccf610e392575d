//! Assembling the application: open the store, load fixtures into an empty database, mount every
//! vendor and the control API, bind the listener (port 0 allowed).

use crate::plane::faults::Faults;
use crate::plane::gate::gate;
use crate::plane::journal::Journal;
use crate::plane::{ControlPlane, Fixtures, OpenKeyActivity, OpenKeyBudget};
use crate::settings::Settings;
use crate::telemetry::{self, PatchbayRootSpan};
use crate::vendors::{self, VENDORS};
use crate::{control, fixtures};
use actix_web::body::MessageBody;
use actix_web::body::{BodySize, BoxBody, EitherBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::dev::{Server, ServerHandle};
use actix_web::error::PayloadError;
use actix_web::http::{header, KeepAlive};
use actix_web::middleware::from_fn;
use actix_web::middleware::Next;
use actix_web::middleware::{Condition, DefaultHeaders};
use actix_web::web::Bytes;
use actix_web::{guard, web, App, HttpRequest, HttpServer};
use futures_util::Stream;
use patchbay_core::{Store, StoreConfig};
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::net::TcpListener;
use std::path::Path;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;
use tracing_actix_web::TracingLogger;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {bind}: {source}")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Store {
        path: String,
        source: patchbay_core::CoreError,
    },
    /// `PRAGMA quick_check` found damage: serving from the file would fail the requests that
    /// read the damaged pages, so patchbay does not start (exit code [`StartError::exit_code`]).
    #[error("the database {path} is damaged, not starting ({}); restore it from a copy, or move it away to start afresh", problems.join("; "))]
    Corrupt { path: String, problems: Vec<String> },
    #[error("fixtures: {0}")]
    Fixtures(String),
    #[error("adapter {vendor}: {message}")]
    Adapter {
        vendor: &'static str,
        message: String,
    },
}

impl StartError {
    /// The process exit code for this error: 3 for a damaged database (so that a supervisor can
    /// tell it from a passing failure, and not restart in a loop), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartError::Corrupt { .. } => 3,
            _ => 1,
        }
    }
}

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    store: Store,
    banner: String,
    /// Tasks that run beside the server (idle open tenants, the log of rejected requests), stopped
    /// with it.
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        let store_config = StoreConfig {
            path: settings.store.db.clone(),
            readers: settings.store.readers,
            batch_max: settings.store.batch_max,
            synchronous: settings.store.synchronous.clone(),
            cache_records: settings.store.cache_records,
            cache_bytes: settings.store.cache_bytes,
        };
        if settings.store.quick_check {
            let problems =
                Store::check_integrity(&settings.store.db).map_err(|source| StartError::Store {
                    path: settings.store.db.clone(),
                    source,
                })?;
            if !problems.is_empty() {
                return Err(StartError::Corrupt {
                    path: settings.store.db.clone(),
                    problems,
                });
            }
        }
        let store = Store::open(store_config).map_err(|source| StartError::Store {
            path: settings.store.db.clone(),
            source,
        })?;
        let fixtures = read_fixtures(&settings.fixtures.dir)?;
        if settings.fixtures.load {
            load_fixtures(&store, &fixtures).await?;
        }

        let listener =
            TcpListener::bind(&settings.server.bind).map_err(|source| StartError::Bind {
                bind: settings.server.bind.clone(),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            bind: settings.server.bind.clone(),
            source,
        })?;
        let port = address.port();
        let public_url = if settings.server.public_url.is_empty() {
            let host = if address.ip().is_unspecified() {
                "127.0.0.1".to_string()
            } else {
                address.ip().to_string()
            };
            let host = if address.is_ipv6() && !address.ip().is_unspecified() {
                format!("[{host}]")
            } else {
                host
            };
            format!("http://{host}:{port}")
        } else {
            settings.server.public_url.trim_end_matches('/').to_string()
        };
        let context = AdapterContext {
            store: store.clone(),
            public_url: public_url.clone(),
            body_limit: BodyLimit(settings.server.body_limit),
        };
        let mut mounts = Vec::with_capacity(VENDORS.len());
        for vendor in VENDORS.iter().copied() {
            let mount = (vendor.mount)(&context).map_err(|message| StartError::Adapter {
                vendor: vendor.name,
                message,
            })?;
            mounts.push((vendor, mount));
        }

        let plane = web::Data::new(ControlPlane {
            store: store.clone(),
            fixtures,
            open_keys: settings.control.open_keys,
            open_keys_budget: OpenKeyBudget::new(
                settings.control.open_keys_bytes,
                settings.control.open_keys_max,
            ),
            open_keys_activity: OpenKeyActivity::default(),
            journal: Journal::new(
                settings.control.journal_capacity,
                settings.control.journal_bytes,
                settings.control.journal_entry_bytes,
            ),
            faults: Faults::new(settings.control.fault_rules),
            body_limit: settings.server.body_limit,
            control_body_bytes: settings.control.control_body_bytes,
            seed_bytes: settings.control.seed_bytes,
            admin_token: Some(settings.control.admin_token.clone())
                .filter(|token| !token.is_empty()),
            control_networks: settings.control.allow_networks.clone(),
            public_url: public_url.clone(),
        });
        // Open tenants reloaded from the file count against the budget and start their idle clock.
        plane.recount_open_tenants();
        let mut background = vec![tokio::spawn(telemetry::report_http_rejections())];
        if settings.control.open_keys && settings.control.open_keys_idle_expiry > 0 {
            let idle = Duration::from_secs(settings.control.open_keys_idle_expiry);
            background.push(tokio::spawn(expire_open_tenants(plane.clone(), idle)));
        }
        let body_timeout = Duration::from_secs(settings.server.body_timeout);

        let ui_settings = web::Data::new(settings.ui.clone());
        // Request spans are DEBUG: when nothing records them, the middleware is left out entirely.
        let request_spans = tracing::level_filters::LevelFilter::current() >= tracing::Level::DEBUG;
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(move |request, next| {
                    body_deadline(body_timeout, request, next)
                }))
                .wrap(DefaultHeaders::new().add(("x-patchbay-version", env!("CARGO_PKG_VERSION"))))
                .wrap(Condition::new(
                    request_spans,
                    TracingLogger::<PatchbayRootSpan>::new(),
                ))
                .app_data(plane.clone())
                .app_data(ui_settings.clone())
                .configure(control::configure)
                .configure(|config| {
                    for (vendor, mount) in &mounts {
                        config.service(vendor_scope(vendor, mount));
                    }
                })
                .default_service(web::to(control::unknown_route))
        })
        // Signals are handled by `serve` (see main.rs), registered before the banner is printed.
        .disable_signals()
        .shutdown_timeout(settings.server.shutdown_timeout)
        .client_request_timeout(Duration::from_secs(settings.server.head_timeout))
        .client_disconnect_timeout(Duration::from_secs(1))
        .keep_alive(match settings.server.keep_alive {
            0 => KeepAlive::Disabled,
            seconds => KeepAlive::Timeout(Duration::from_secs(seconds)),
        })
        .max_connections(settings.server.max_connections.max(1));
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartError::Bind {
                bind: settings.server.bind.clone(),
                source,
            })?
            .run();

        let mut banner = format!(
            "patchbay {} listening on {public_url}\n  database  {}\n",
            env!("CARGO_PKG_VERSION"),
            settings.store.db
        );
        for vendor in VENDORS.iter().copied() {
            let keys = store.keys(vendor.name);
            let demo = keys
                .iter()
                .find(|key| key.scopes.is_none())
                .or(keys.first());
            let demo = demo
                .map(|key| key.key.as_str())
                .unwrap_or("(no keys: add some to the fixtures)");
            banner.push_str(&format!(
                "  {:<9} SDK base URL {:<32} demo key {demo}\n",
                vendor.name,
                (vendor.sdk_base_url)(&public_url)
            ));
        }
        banner.push_str(&format!(
            "  control   {public_url}/_patchbay/openapi.json  open keys {}\n",
            if settings.control.open_keys {
                "on"
            } else {
                "off"
            }
        ));
        Ok(Application {
            port,
            public_url,
            server,
            store,
            banner,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://HOST:PORT`, no trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// What `serve` prints at start: the address, and each vendor's SDK base URL and a demo key.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGINT/SIGTERM or the handle), then lets the writer finish its queue.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        for task in self.background {
            task.abort();
        }
        let store = self.store;
        let _ = tokio::task::spawn_blocking(move || store.close()).await;
        result
    }
}

/// One vendor's routes, reachable only for the paths it owns ([`vendors::owns`]), behind the
/// gate, with the vendor's 404 for every owned path or method it does not serve.
fn vendor_scope(
    vendor: &'static Vendor,
    mount: &Mount,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::scope("")
        .guard(guard::fn_guard(move |context| {
            vendors::owns(context, vendor)
        }))
        .wrap(from_fn(move |request, next| gate(vendor, request, next)))
        .configure(|config| mount(config))
        .default_service(web::to(move |request: HttpRequest| async move {
            (vendor.not_found)(&request)
        }))
}

/// The default `fixtures.dir`: relative, so it is found only when started in the checkout.
const DEFAULT_FIXTURES_DIR: &str = "fixtures";

/// Reads every vendor's fixtures once (loaded into an empty database, and kept for reset and open
/// keys): from `dir`, or, when the default directory is not there (the binary started outside the
/// checkout), the demo data built into the binary.
fn read_fixtures(dir: &str) -> Result<Fixtures, StartError> {
    let path = Path::new(dir);
    let built_in = !path.is_dir() && dir == DEFAULT_FIXTURES_DIR;
    if built_in {
        tracing::info!("no fixtures directory here: loading the demo data built into the binary");
    } else if !path.is_dir() {
        tracing::warn!(dir = %path.display(), "fixtures directory not found: starting without demo data");
        return Ok(Fixtures::default());
    }
    let mut by_vendor = HashMap::new();
    for vendor in VENDORS {
        let data = if built_in {
            fixtures::read_embedded(vendor)
        } else {
            fixtures::read(path, vendor)
        };
        if let Some(data) = data.map_err(StartError::Fixtures)? {
            by_vendor.insert(vendor.name, data);
        }
    }
    Ok(Fixtures::new(by_vendor))
}

async fn load_fixtures(store: &Store, fixtures: &Fixtures) -> Result<(), StartError> {
    for vendor in VENDORS {
        let Some(data) = fixtures.of(vendor.name) else {
            continue;
        };
        let (keys, records) = (data.keys.len(), data.records.len());
        let loaded = store
            .seed_if_empty(vendor.name, data.clone())
            .await
            .map_err(|error| StartError::Fixtures(error.to_string()))?;
        if loaded {
            tracing::info!(vendor = vendor.name, keys, records, "fixtures loaded");
        }
    }
    Ok(())
}

/// Removes idle open tenants, checking a few times per expiry period (at least once a minute).
async fn expire_open_tenants(plane: web::Data<ControlPlane>, idle: Duration) {
    let every = (idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
    loop {
        tokio::time::sleep(every).await;
        if let Err(error) = plane.expire_idle_open_tenants(idle).await {
            tracing::warn!(%error, "open keys: idle tenants not removed; retrying later");
        }
    }
}

/// Gives a request's body a deadline, counted from its head (`server.body_timeout`): a body that
/// never finishes (a chunked upload that stalls) then fails as an unreadable one, which the
/// handler answers in its vendor's envelope, and the connection is closed. actix's own request
/// timeout covers the head only.
async fn body_deadline<B: MessageBody + 'static>(
    timeout: Duration,
    request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B, BoxBody>>, actix_web::Error> {
    if timeout.is_zero() || !has_body(&request) {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let (http_request, payload) = request.into_parts();
    let cut_off = Rc::new(RefCell::new(None));
    let bounded = BodyDeadline {
        payload: Some(payload),
        deadline: Box::pin(tokio::time::sleep(timeout)),
        cut_off: Rc::clone(&cut_off),
    };
    let bounded: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(bounded);
    let payload = Payload::Stream { payload: bounded };
    let response = next
        .call(ServiceRequest::from_parts(http_request, payload))
        .await?;
    let Some(unread) = cut_off.borrow_mut().take() else {
        return Ok(response.map_into_left_body());
    };
    // actix drains an unread chunked body after the response, for as long as it takes: a body
    // that never ends would hold the connection for ever. An unread body that is still held when
    // the response ends makes actix close the connection instead.
    Ok(response.map_body(|_, body| {
        EitherBody::right(BoxBody::new(HeldUntilSent {
            body: BoxBody::new(body),
            _unread: unread,
        }))
    }))
}

/// A response body that keeps the request's unread payload alive until it is sent.
struct HeldUntilSent {
    body: BoxBody,
    _unread: Payload,
}

impl MessageBody for HeldUntilSent {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(context)
    }
}

/// Whether the request announces a body (a length other than 0, or a transfer encoding).
fn has_body(request: &ServiceRequest) -> bool {
    match request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
    {
        Some(length) => length.trim() != "0",
        None => request.headers().contains_key(header::TRANSFER_ENCODING),
    }
}

/// A payload that fails with a timeout once its deadline passes.
struct BodyDeadline {
    /// `None` once cut off.
    payload: Option<Payload>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    /// Where the payload goes when the deadline passes (see `body_deadline`).
    cut_off: Rc<RefCell<Option<Payload>>>,
}

impl Stream for BodyDeadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(payload) = self.payload.as_mut() else {
            return Poll::Ready(None);
        };
        if let Poll::Ready(item) = Pin::new(payload).poll_next(context) {
            return Poll::Ready(item);
        }
        match self.deadline.as_mut().poll(context) {
            Poll::Ready(()) => {
                let payload = self.payload.take();
                *self.cut_off.borrow_mut() = payload;
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body did not arrive in time",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
