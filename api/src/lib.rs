//! huren: the command-line interface and the validation service over the
//! `huren-validator` and `huren-trustlists` engines. This crate reads files, the network and
//! the clock; the engines do not.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
pub mod config;
pub mod interop;
pub mod json;
pub mod refresh;
pub mod render;
pub mod revocation;
pub mod server;
