//! Fault rules over HTTP: `GET`, `POST` and `DELETE /_patchbay/faults`, `DELETE /_patchbay/faults/{id}`.

use super::{body, error, ok, read_body, Cleared, ErrorBody};
use crate::plane::faults::{parse_rules, RuleView};
use crate::plane::ControlPlane;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// The rules in force, or the ones just added.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultList {
    pub faults: Vec<RuleView>,
}

/// `DELETE /_patchbay/faults/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    /// The id of the rule removed.
    pub removed: String,
}

/// The fault rules in force
#[utoipa::path(get, path = "/_patchbay/faults", tag = "faults",
    responses((status = 200, description = "The rules, in the order they are tried", body = FaultList)))]
pub async fn list(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&FaultList {
        faults: plane.faults.list(),
    })
}

/// Add one rule, or an array of rules (all or none)
#[utoipa::path(post, path = "/_patchbay/faults", tag = "faults",
    request_body(content = super::openapi::FaultRules, description = "A rule, or an array of rules"),
    responses(
        (status = 201, description = "The rules added, in order", body = FaultList),
        (status = 400, description = "A rule is not valid: the message names the rule and the field", body = ErrorBody),
        (status = 413, description = "The body is over `control.control_body_bytes`, or the rule set would outgrow its limits (`control.fault_rules` rules, 1 MiB of rules): the message names the limit", body = ErrorBody),
    ))]
pub async fn add(
    request: HttpRequest,
    payload: web::Payload,
    plane: web::Data<ControlPlane>,
) -> HttpResponse {
    // The body is capped before it is parsed: a JSON document takes several times its size in
    // memory once parsed, and the rule set could not hold a much larger one anyway.
    let bytes = match read_body(
        &request,
        payload,
        plane.control_body_bytes,
        "control_body_bytes",
    )
    .await
    {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let value: serde_json::Value = match body(&bytes) {
        Ok(value) => value,
        Err(response) => return response,
    };
    let parsed = match parse_rules(value, &crate::vendors::names()) {
        Ok(parsed) => parsed,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    match plane.faults.add(parsed) {
        Ok(added) => patchbay_http::json(
            StatusCode::CREATED,
            super::CONTENT_TYPE,
            &FaultList { faults: added },
        ),
        Err(full) => error(StatusCode::PAYLOAD_TOO_LARGE, full.to_string()),
    }
}

/// Remove every rule
#[utoipa::path(delete, path = "/_patchbay/faults", tag = "faults",
    responses((status = 200, description = "How many rules went", body = Cleared)))]
pub async fn clear(plane: web::Data<ControlPlane>) -> HttpResponse {
    ok(&Cleared {
        cleared: plane.faults.clear(),
    })
}

/// Remove one rule
#[utoipa::path(delete, path = "/_patchbay/faults/{id}", tag = "faults",
    params(("id" = String, Path, description = "The rule's id (`fault_1`...)")),
    responses(
        (status = 200, description = "Removed", body = Removed),
        (status = 404, description = "No rule has this id", body = ErrorBody),
    ))]
pub async fn remove(path: web::Path<String>, plane: web::Data<ControlPlane>) -> HttpResponse {
    if plane.faults.remove(&path) {
        ok(&Removed {
            removed: path.into_inner(),
        })
    } else {
        error(
            StatusCode::NOT_FOUND,
            format!("no fault rule {:?}", path.as_str()),
        )
    }
}
