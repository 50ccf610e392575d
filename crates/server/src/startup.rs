//! Assembling the application: open the store, load fixtures into an empty database, mount every
//! vendor and the control API, bind the listener (port 0 allowed).

use crate::plane::faults::Faults;
use crate::plane::gate::gate;
use crate::plane::journal::Journal;
use crate::plane::{ControlPlane, Fixtures, OpenKeyBudget};
use crate::settings::Settings;
use crate::telemetry::PatchbayRootSpan;
use crate::vendors::{self, VENDORS};
use crate::{control, fixtures};
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::middleware::{Condition, DefaultHeaders};
use actix_web::{guard, web, App, HttpRequest, HttpServer};
use patchbay_core::{Store, StoreConfig};
use patchbay_http::{AdapterContext, BodyLimit, Mount, Vendor};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
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
    #[error("fixtures: {0}")]
    Fixtures(String),
    #[error("adapter {vendor}: {message}")]
    Adapter {
        vendor: &'static str,
        message: String,
    },
}

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    store: Store,
    banner: String,
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
            open_keys_budget: OpenKeyBudget::new(settings.control.open_keys_bytes),
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

        let ui_settings = web::Data::new(settings.ui.clone());
        // Request spans are DEBUG: when nothing records them, the middleware is left out entirely.
        let request_spans = tracing::level_filters::LevelFilter::current() >= tracing::Level::DEBUG;
        let mut server = HttpServer::new(move || {
            App::new()
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
        .client_request_timeout(Duration::from_secs(30));
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
