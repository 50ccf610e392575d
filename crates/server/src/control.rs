//! The control API under `/_patchbay/`: health, and the admin view of stored state.

use crate::vendors;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use patchbay_core::Store;
use serde::Deserialize;
use serde_json::{json, Value};

const CONTENT_TYPE: &str = "application/json";

pub fn configure(config: &mut web::ServiceConfig) {
    config.service(
        web::scope("/_patchbay")
            .route("/health", web::get().to(health))
            .route("/state/{vendor}", web::get().to(state))
            .default_service(web::to(not_found)),
    );
}

fn error(status: StatusCode, message: String) -> HttpResponse {
    patchbay_http::json(
        status,
        CONTENT_TYPE,
        &json!({"error": {"message": message}}),
    )
}

async fn health() -> HttpResponse {
    patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}),
    )
}

#[derive(Deserialize)]
struct StateQuery {
    tenant: Option<String>,
}

/// `GET /_patchbay/state/{vendor}?tenant=`: keys and records in the fixture format, secrets included.
async fn state(
    path: web::Path<String>,
    query: Result<web::Query<StateQuery>, actix_web::Error>,
    store: web::Data<Store>,
) -> HttpResponse {
    let Some(vendor) = vendors::find(&path) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("unknown vendor {:?}", path.as_str()),
        );
    };
    let Ok(query) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "the only query parameter is `tenant`".into(),
        );
    };
    let tenant = query.into_inner().tenant;
    let records = match store.list(vendor.name, tenant.clone()).await {
        Ok(records) => records,
        Err(failure) => return error(StatusCode::INTERNAL_SERVER_ERROR, failure.to_string()),
    };
    let keys: Vec<Value> = store
        .keys(vendor.name)
        .iter()
        .filter(|key| tenant.as_ref().is_none_or(|tenant| *tenant == key.tenant))
        .map(|key| json!({"key": key.key, "tenant": key.tenant, "scopes": key.scopes, "label": key.label}))
        .collect();
    let records: Vec<Value> = records.iter().map(vendor.record_view).collect();
    patchbay_http::json(
        StatusCode::OK,
        CONTENT_TYPE,
        &json!({"vendor": vendor.name, "keys": keys, "records": records}),
    )
}

async fn not_found(request: actix_web::HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no control route {} {}", request.method(), request.path()),
    )
}

/// Paths that belong to no vendor and no control route.
pub async fn unknown_route(request: actix_web::HttpRequest) -> HttpResponse {
    error(
        StatusCode::NOT_FOUND,
        format!("no route {} {}", request.method(), request.path()),
    )
}
