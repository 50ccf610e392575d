//! Nango: `PATCH` and `GET /integrations/{uniqueKey}` as Nango's server answers them.

mod auth;
mod concurrency;
mod read;
mod robustness;
mod tenancy;
mod update;
mod validation;
