//! The `patchbay` server: settings, telemetry, app assembly and the control API. The only crate
//! that knows every vendor.

pub mod control;
pub mod fixtures;
pub mod plane;
pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod vendors;

pub use settings::{Overrides, Settings};
pub use startup::{Application, StartError};
