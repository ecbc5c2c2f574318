//! huren: the command-line interface (and, later, the validation service) over the
//! `huren-validator` engine. This crate reads files and the clock; the engine does not.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
pub mod render;
