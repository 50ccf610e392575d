//! Fault rules over HTTP: `GET`, `POST` and `DELETE /_patchbay/faults`, `DELETE /_patchbay/faults/{id}`.

use super::{body, error, ok};
use crate::plane::faults::FaultSpec;
use crate::plane::ControlPlane;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub async fn list(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&json!({"faults": plane.faults.list()}))
}

/// Adds one rule (`{...}`) or several (`[{...}, ...]`, all or none); answers 201 with them.
pub async fn add(
    bytes: Result<web::Bytes, actix_web::Error>,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    let value: serde_json::Value = match body(bytes) {
        Ok(value) => value,
        Err(response) => return response,
    };
    let (items, many) = match value {
        serde_json::Value::Array(items) => (items, true),
        single => (vec![single], false),
    };
    let mut specs = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<FaultSpec>(item) {
            Ok(spec) => specs.push(spec),
            Err(failure) => {
                let at = if many {
                    format!("rule {index}: ")
                } else {
                    String::new()
                };
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("{at}invalid rule: {failure}"),
                );
            }
        }
    }
    let names = crate::vendors::names();
    for (index, spec) in specs.iter().enumerate() {
        if let Err(message) = spec.validate(&names) {
            let at = if many {
                format!("rule {index}: ")
            } else {
                String::new()
            };
            return error(StatusCode::BAD_REQUEST, format!("{at}{message}"));
        }
    }
    let added: Vec<_> = specs
        .into_iter()
        .map(|spec| plane.faults.add(spec))
        .collect();
    patchbay_http::json(
        StatusCode::CREATED,
        super::CONTENT_TYPE,
        &json!({"faults": added}),
    )
}

pub async fn clear(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&json!({"cleared": plane.faults.clear()}))
}

pub async fn remove(path: web::Path<String>, plane: web::Data<ControlPlane>) -> HttpResponse {
    if plane.faults.remove(&path) {
        ok(&json!({"removed": path.as_str()}))
    } else {
        error(
            StatusCode::NOT_FOUND,
            format!("no fault rule {:?}", path.as_str()),
        )
    }
}
