//! Puretalk's JSON, byte for byte: the PATCH request after validation and the
//! `{msg, err, results: RuthConnectIntegration}` answer in the OpenAPI document's key order.

use crate::record;
use chrono::{DateTime, Timelike, Utc};
use serde::Serialize;
use serde_json::Value;

/// The 200 `msg` of PATCH.
pub const UPDATED: &str = "Integration updated successfully";
/// The 200 `msg` of GET (the OpenAPI document's example text).
pub const RETRIEVED: &str = "Integrations retrieved successfully";

/// A validated PATCH body: `{"data": {"api_key": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateIntegration {
    pub api_key: String,
}

/// `{"msg", "err": false, "results"}`
#[derive(Debug, Serialize)]
pub struct Envelope<T> {
    pub msg: &'static str,
    pub err: bool,
    pub results: T,
}

/// `RuthConnectIntegration`, keys in the schema's order. `data.api_key` is returned in clear, as
/// the schema shows.
#[derive(Debug, Serialize)]
pub struct RuthConnectIntegration {
    pub integration_id: String,
    pub app_name: String,
    pub friendly_app_name: String,
    pub logo: Value,
    pub data: Value,
    pub tools: Value,
    pub is_custom_tool: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A datetime as Django REST framework renders it: ISO 8601, `Z` for UTC, microseconds only when
/// there are any (`2025-01-06T09:00:00Z`, `2025-01-06T09:00:00.250000Z`).
pub fn drf_datetime(time: DateTime<Utc>) -> String {
    if time.nanosecond() == 0 {
        time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

pub fn ruth_connect_integration(record: &patchbay_core::Integration) -> RuthConnectIntegration {
    RuthConnectIntegration {
        integration_id: record.id.clone(),
        app_name: record.kind.clone(),
        friendly_app_name: record::friendly_app_name(record).to_string(),
        logo: record::logo(record),
        data: record::data(record),
        tools: record::tools(record),
        is_custom_tool: record::is_custom_tool(record),
        created_at: drf_datetime(record.created_at),
        updated_at: drf_datetime(record.updated_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_render_as_django_rest_framework_does() {
        let whole = DateTime::from_timestamp_millis(1_736_154_000_000).expect("valid");
        assert_eq!(drf_datetime(whole), "2025-01-06T09:00:00Z");
        let fraction = DateTime::from_timestamp_millis(1_736_154_000_250).expect("valid");
        assert_eq!(drf_datetime(fraction), "2025-01-06T09:00:00.250000Z");
    }
}
