//! The black-box suite, one binary: each module drives the real server over HTTP.

mod composio;
mod control;
mod helpers;
mod langdock;
mod nango;
mod nylas;
mod puretalk;
mod robustness;
mod routing;
mod server;
mod snapshots;
mod ui;
