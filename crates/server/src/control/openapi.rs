//! The control API's OpenAPI document, derived from the handlers (`#[utoipa::path]`) and the types
//! they read and send (`ToSchema`), so that the document and the answers cannot drift apart. What
//! depends on the running server is filled in when the document is served: the vendor names from
//! the server's vendor table, and the address the client reached.
//!
//! A few schemas are written here rather than derived, each built from the code it describes: a
//! fault rule is one shape per kind (from the kinds' field tables in `plane::faults`), a listed rule
//! is the posted rule plus its counters, and seed documents are keyed by vendor name.

use super::{faults, requests, state, stream, ui, ErrorBody, CONTENT_TYPE};
use crate::plane::faults::{FaultKind, FaultSpec, RuleView, ACTION_FIELDS, MAX_RULES};
use crate::plane::ControlPlane;
use crate::vendors;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use std::borrow::Cow;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Schema,
    SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{ContentBuilder, OpenApi as Document, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "patchbay control API",
        description = "Reset, seed and inspect patchbay's state, read the request journal and \
            inject faults. Answers loopback clients only, unless patchbay runs with \
            --admin-token: then every client must send `Authorization: Bearer <token>` (401 \
            without it, 403 from another address without a token configured). Clients of the \
            networks in `control.allow_networks` need no token, and /_patchbay/health answers \
            every client. Every error is \
            `{\"error\":{\"message\"}}`: a path under /_patchbay that is not listed here gets a \
            404, and a method a path does not list gets a 405 with an `Allow` header.",
    ),
    paths(
        super::health,
        serve,
        state::state,
        state::reset,
        state::seed,
        requests::list,
        requests::clear,
        stream::stream,
        faults::list,
        faults::add,
        faults::clear,
        faults::remove,
        ui::page,
        ui::script,
        ui::style,
    ),
    components(schemas(ErrorBody)),
    modifiers(&AccessAndEmptyBodies),
)]
struct ControlApi;

/// The document for a client that reached the server at `server_url`.
pub fn document(server_url: &str) -> Document {
    let mut document = ControlApi::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").to_string();
    document.servers = Some(vec![Server::new(server_url)]);
    document
}

/// This document
#[utoipa::path(get, path = "/_patchbay/openapi.json", tag = "server",
    responses((status = 200, description = "OpenAPI 3.1", body = Object, content_type = "application/json")))]
pub async fn serve(plane: web::Data<ControlPlane>) -> HttpResponse {
    // The address the server is served at (the bound one, or `--public-url`), never the request's
    // `Host`, so the document cannot be made to point elsewhere.
    super::ok(&document(&plane.public_url))
}

/// What the derive cannot say of the operations: any of them may be refused by the access guard
/// (`access.rs`), and reset takes no body at all.
struct AccessAndEmptyBodies;

impl Modify for AccessAndEmptyBodies {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "adminToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Needed only when patchbay runs with --admin-token."))
                    .build(),
            ),
        );
        let error = |description: &str| -> RefOr<Response> {
            ResponseBuilder::new()
                .description(description)
                .content(
                    CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            ErrorBody::name(),
                        ))))
                        .build(),
                )
                .build()
                .into()
        };
        let unauthorized =
            error("An admin token is configured and the request does not present it");
        let forbidden =
            error("No admin token is configured and the client is not on the loopback interface");
        // Without a token configured the API needs none: either requirement will do.
        document.security = Some(vec![
            SecurityRequirement::default(),
            SecurityRequirement::new("adminToken", Vec::<String>::new()),
        ]);
        // No body reads as `{}`, which resets everything.
        if let Some(RefOr::T(body)) = document
            .paths
            .paths
            .get_mut("/_patchbay/reset")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.request_body.as_mut())
        {
            body.required = Some(utoipa::openapi::Required::False);
        }
        for item in document.paths.paths.values_mut() {
            for operation in operations(item) {
                let responses = &mut operation.responses.responses;
                responses.insert("401".into(), unauthorized.clone());
                responses.insert("403".into(), forbidden.clone());
            }
        }
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// The name of a vendor of the server's vendor table (the `Vendor` enum of the document), read
/// when the document is built, so that a new vendor needs no change here.
pub struct VendorName;

impl PartialSchema for VendorName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A vendor patchbay serves"))
            .enum_values(Some(vendors::names()))
            .into()
    }
}

impl ToSchema for VendorName {
    fn name() -> Cow<'static, str> {
        "Vendor".into()
    }
}

/// The schema of a query given as `?name=value` pairs, any of them: the properties of `query`, each
/// given or not (never `null`), with `tenant` and `key` never together.
fn tenant_or_key(query: RefOr<Schema>) -> RefOr<Schema> {
    match query {
        RefOr::T(Schema::Object(mut query)) => {
            for schema in query.properties.values_mut() {
                *schema = without_null(schema.clone());
            }
            let query = with_keywords(query, vec![("not", json!({"required": ["tenant", "key"]}))]);
            RefOr::T(Schema::Object(query))
        }
        other => other,
    }
}

/// The query of `GET /_patchbay/state/{vendor}`.
pub struct StateQuerySchema;

impl PartialSchema for StateQuerySchema {
    fn schema() -> RefOr<Schema> {
        tenant_or_key(state::StateQuery::schema())
    }
}

impl ToSchema for StateQuerySchema {}

/// The query of `GET /_patchbay/requests`.
pub struct JournalQuerySchema;

impl PartialSchema for JournalQuerySchema {
    fn schema() -> RefOr<Schema> {
        tenant_or_key(requests::JournalQuery::schema())
    }
}

impl ToSchema for JournalQuerySchema {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <requests::JournalQuery as ToSchema>::schemas(schemas);
    }
}

/// The body of `POST /_patchbay/faults`: one rule, or several.
pub struct FaultRules;

impl PartialSchema for FaultRules {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(reference::<FaultSpec>())
            .item(
                ArrayBuilder::new()
                    .items(reference::<FaultSpec>())
                    .max_items(Some(MAX_RULES)),
            )
            .into()
    }
}

impl ToSchema for FaultRules {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((FaultSpec::name().into(), fault_rule()));
        <FaultSpec as ToSchema>::schemas(schemas);
    }
}

fn reference<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// The properties of [`FaultSpec`] as derived from it, in order.
fn spec_properties() -> Vec<(String, RefOr<Schema>)> {
    match <FaultSpec as PartialSchema>::schema() {
        RefOr::T(Schema::Object(object)) => object.properties.into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A rule as posted: one shape per kind, each with the filters, the kind's own fields
/// ([`FaultKind::action_fields`]) and nothing else; how often it fires goes with every kind. A field
/// given as `null` reads as absent, so the conditions between fields speak of fields present and
/// not `null`.
fn fault_rule() -> RefOr<Schema> {
    let properties = spec_properties();
    let mut shapes = OneOfBuilder::new().description(Some(
        "A fault rule. `kind` says what it does, and which other fields it takes; the filters \
         (`vendor`, `method`, `path`, `tenant`, `key`) must all match a request. A field that is \
         `null` is taken as absent.",
    ));
    for kind in FaultKind::ALL {
        let name = json!(kind);
        let mut shape = ObjectBuilder::new()
            .schema_type(Type::Object)
            .title(name.as_str().map(str::to_string))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .required("kind");
        for (field, schema) in &properties {
            let field = field.as_str();
            if field == "kind" {
                shape = shape.property(
                    "kind",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([name.clone()])),
                );
            } else if kind.required_fields().contains(&field) {
                shape = shape
                    .property(field, without_null(schema.clone()))
                    .required(field);
            } else if !ACTION_FIELDS.contains(&field) || kind.action_fields().contains(&field) {
                shape = shape.property(field, schema.clone());
            }
        }
        let mut conditions =
            vec![json!({"if": present(&["seed"]), "then": present(&["probability"])})];
        if kind == FaultKind::RateLimit {
            conditions.push(json!({"if": present(&["window_secs"]), "then": present(&["limit"])}));
            conditions.push(json!({"not": present(&["limit", "retry_after"])}));
        }
        shapes = shapes.item(with_keywords(
            shape.build(),
            vec![("allOf", json!(conditions))],
        ));
    }
    shapes.into()
}

/// A schema matching objects where each of `fields` is present and not `null`.
fn present(fields: &[&str]) -> Value {
    let not_null: serde_json::Map<String, Value> = fields
        .iter()
        .map(|field| (field.to_string(), json!({"not": {"type": "null"}})))
        .collect();
    json!({"required": fields, "properties": not_null})
}

/// The schema of an optional field when it is given: `null` taken out of what it allows.
fn without_null(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut object)) => {
            if let SchemaType::Array(types) = &object.schema_type {
                let mut kept: Vec<Type> = types
                    .iter()
                    .filter(|kind| **kind != Type::Null)
                    .cloned()
                    .collect();
                object.schema_type = match kept.len() {
                    1 => SchemaType::Type(kept.remove(0)),
                    _ => SchemaType::Array(kept),
                };
            }
            RefOr::T(Schema::Object(object))
        }
        RefOr::T(Schema::OneOf(one_of)) => {
            let is_null = |item: &RefOr<Schema>| {
                matches!(item, RefOr::T(Schema::Object(object))
                    if object.schema_type == SchemaType::Type(Type::Null))
            };
            let mut kept: Vec<RefOr<Schema>> = one_of
                .items
                .iter()
                .filter(|item| !is_null(item))
                .cloned()
                .collect();
            if kept.len() == 1 {
                kept.remove(0)
            } else {
                RefOr::T(Schema::OneOf(one_of))
            }
        }
        other => other,
    }
}

/// JSON Schema keywords utoipa has no field for, added to an object schema.
fn with_keywords(mut object: Object, keywords: Vec<(&str, Value)>) -> Object {
    let extensions = object.extensions.get_or_insert_with(Extensions::default);
    for (keyword, value) in keywords {
        extensions.insert(keyword.to_string(), value);
    }
    object
}

impl PartialSchema for RuleView {
    /// The rule as posted, flattened, with its id and counters.
    fn schema() -> RefOr<Schema> {
        let mut view = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A rule in force: the rule as posted, its id and its counters",
            ))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .property("id", ObjectBuilder::new().schema_type(Type::String))
            .required("id")
            .required("kind")
            .required("fired");
        // A listed rule shows only the fields that were given, never as `null`.
        for (field, schema) in spec_properties() {
            view = view.property(field, without_null(schema));
        }
        view.property(
            "remaining",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .description(Some("Matching requests still to fire on (`times` rules)")),
        )
        .property(
            "fired",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .description(Some("How often the rule fired")),
        )
        .into()
    }
}

impl ToSchema for RuleView {
    fn name() -> Cow<'static, str> {
        "FaultRuleView".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <FaultSpec as ToSchema>::schemas(schemas);
    }
}

/// The body of `POST /_patchbay/reset` (see `state::ResetRequest`): which fields go together.
pub struct ResetRequestSchema;

impl PartialSchema for ResetRequestSchema {
    fn schema() -> RefOr<Schema> {
        // The fields of a shape are required; the others may be given as `null` (absent).
        let shape = |fields: &[&str]| {
            let mut shape = ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)));
            for field in ["vendor", "tenant", "key"] {
                if fields.contains(&field) {
                    let schema = match field {
                        "vendor" => reference::<VendorName>(),
                        _ => ObjectBuilder::new().schema_type(Type::String).into(),
                    };
                    shape = shape.property(field, schema).required(field);
                } else {
                    shape = shape.property(field, ObjectBuilder::new().schema_type(Type::Null));
                }
            }
            shape
        };
        AnyOfBuilder::new()
            .description(Some(
                "`{}`: everything. `{vendor}`: one vendor, every tenant, keys included. \
                 `{vendor, tenant}` or `{key}` (the key's tenant, of whichever vendor holds it, \
                 or of `vendor`): one tenant.",
            ))
            .item(shape(&[]))
            .item(shape(&["vendor"]))
            .item(shape(&["vendor", "tenant"]))
            .item(shape(&["key"]))
            .item(shape(&["vendor", "key"]))
            .into()
    }
}

impl ToSchema for ResetRequestSchema {
    fn name() -> Cow<'static, str> {
        "ResetRequest".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((VendorName::name().into(), VendorName::schema()));
    }
}

/// The body of `POST /_patchbay/seed`: a fixture document for each of some vendors.
pub struct SeedRequest;

impl PartialSchema for SeedRequest {
    fn schema() -> RefOr<Schema> {
        let mut documents = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("Keyed by vendor name; at least one"))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .min_properties(Some(1));
        for vendor in vendors::names() {
            documents = documents.property(vendor, reference::<FixtureDocument>());
        }
        documents.into()
    }
}

impl ToSchema for SeedRequest {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((FixtureDocument::name().into(), FixtureDocument::schema()));
        <FixtureDocument as ToSchema>::schemas(schemas);
    }
}

/// One vendor's fixture document (see fixtures/README.md), as `patchbay_core::fixtures` reads it.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FixtureDocument {
    #[schema(nullable = false)]
    keys: Option<Vec<FixtureKey>>,
    /// Each record in the vendor's own field names as its GET returns them, plus `tenant` and the
    /// secret fields the GET hides; unknown fields are refused.
    #[schema(value_type = Option<Vec<Object>>, nullable = false)]
    records: Option<Vec<Value>>,
}

/// A key of a fixture document: unique within the document.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FixtureKey {
    #[schema(min_length = 1)]
    key: String,
    #[schema(min_length = 1)]
    tenant: String,
    /// Absent: the vendor's default for a key without scopes.
    #[schema(nullable = false)]
    scopes: Option<Vec<String>>,
    label: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::super::{PREFIX, ROUTES};
    use super::*;

    fn document_json() -> Value {
        serde_json::to_value(document("http://127.0.0.1:9")).expect("JSON")
    }

    #[test]
    fn every_control_route_is_in_the_document_and_nothing_else() {
        let document = document_json();
        let paths = document["paths"].as_object().expect("paths");
        let mut described = 0;
        for (path, item) in paths {
            for (method, _) in item.as_object().expect("a path item") {
                described += 1;
                assert!(
                    ROUTES
                        .iter()
                        .any(|route| format!("{PREFIX}{}", route.path) == *path
                            && route.method.as_str().eq_ignore_ascii_case(method)),
                    "{method} {path} is described but not served"
                );
            }
        }
        for route in ROUTES {
            let path = format!("{PREFIX}{}", route.path);
            let method = route.method.as_str().to_ascii_lowercase();
            assert!(
                document["paths"][&path][&method].is_object(),
                "{method} {path} is served but not described"
            );
        }
        assert_eq!(described, ROUTES.len());
    }

    #[test]
    fn the_vendor_enum_is_the_vendor_table_and_the_version_is_the_crates() {
        let document = document_json();
        assert_eq!(
            document["components"]["schemas"]["Vendor"]["enum"],
            json!(vendors::names())
        );
        assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(document["servers"], json!([{"url": "http://127.0.0.1:9"}]));
        assert_eq!(document["openapi"], "3.1.0");
    }

    #[test]
    fn every_operation_answers_errors_in_the_envelope() {
        let document = document_json();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                let responses = operation["responses"].as_object().expect("responses");
                for status in ["401", "403"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(
                            response["content"][CONTENT_TYPE]["schema"]["$ref"],
                            "#/components/schemas/Error",
                            "{method} {path}: {status}"
                        );
                    }
                }
            }
            if let Some(post) = item.get("post") {
                assert!(post["responses"].get("413").is_some(), "post {path}: 413");
            }
        }
    }

    #[test]
    fn each_kind_of_fault_rule_takes_its_own_fields() {
        let document = document_json();
        let shapes = document["components"]["schemas"]["FaultRule"]["oneOf"]
            .as_array()
            .expect("a shape per kind");
        assert_eq!(shapes.len(), FaultKind::ALL.len());
        for (kind, shape) in FaultKind::ALL.into_iter().zip(shapes) {
            assert_eq!(shape["properties"]["kind"]["enum"], json!([kind]));
            for field in ACTION_FIELDS {
                assert_eq!(
                    shape["properties"].get(field).is_some(),
                    kind.action_fields().contains(&field),
                    "{kind:?} {field}"
                );
            }
            for filter in [
                "vendor",
                "method",
                "path",
                "tenant",
                "key",
                "times",
                "probability",
                "seed",
            ] {
                assert!(
                    shape["properties"].get(filter).is_some(),
                    "{kind:?} {filter}"
                );
            }
        }
    }

    /// A listed rule, as the engine renders it, fits the schema's properties.
    #[test]
    fn a_listed_rule_has_only_the_fields_of_its_schema() {
        let document = document_json();
        let schema = &document["components"]["schemas"]["FaultRuleView"];
        let properties = schema["properties"].as_object().expect("properties");
        let faults = crate::plane::faults::Faults::default();
        let parsed = crate::plane::faults::parse_rules(
            json!({"kind": "rate_limit", "limit": 3, "window_secs": 9, "vendor": vendors::names()[0],
                   "method": "GET", "path": "/x/*", "tenant": "t", "key": "k", "times": 2,
                   "probability": 0.5, "seed": 1}),
            &vendors::names(),
        )
        .expect("valid");
        let view = serde_json::to_value(faults.add(parsed).expect("room")).expect("JSON");
        for field in view[0].as_object().expect("a rule").keys() {
            assert!(properties.contains_key(field), "{field}");
        }
        for required in schema["required"].as_array().expect("required") {
            assert!(view[0].get(required.as_str().expect("a name")).is_some());
        }
    }
}
