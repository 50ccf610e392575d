//! The black-box suite, one binary: each module drives the real server over HTTP.

mod composio;
mod helpers;
mod nango;
mod server;
