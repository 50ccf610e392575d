//! The black-box suite, one binary: each module drives the real server over HTTP.

mod helpers;
mod langdock;
mod nango;
mod puretalk;
mod server;
