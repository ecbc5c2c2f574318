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

/// An error with its causes, `top: cause: cause…` (a reqwest error's own message says
/// little), each cause once.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}
