//! Command-line parsing and dispatch. Exit codes: 0 VALID, 1 INVALID, 2 INDETERMINATE,
//! 64 bad usage or unreadable input (EX_USAGE of sysexits.h). `huren tl` (trust lists) uses
//! 0, 1 and 64 per command, documented in `cli/tl.rs`; `huren interop check` 0 (every chain
//! passes), 1 (one does not) and 64.

mod interop;
mod serve;
mod tl;
mod validate;

pub use serve::demo_curl as serve_demo_curl;

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// Exit code for bad usage or unreadable input.
pub const EXIT_USAGE: i32 = 64;

/// huren: certificate-chain validation under trust lists (RFC 5280, SM2, policies).
#[derive(Parser, Debug)]
#[command(name = "huren", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate a certificate chain and explain the result.
    Validate(validate::ValidateArgs),
    /// Trust lists: build and sign, verify, show, diff, render the public directory.
    Tl(tl::TlArgs),
    /// Foreign CAs' interoperability check: every deviation of their chains from the
    /// approval, RFC 5280 and the Art. 21 profile, with what to change.
    Interop(interop::InteropArgs),
    /// Run the validation service (HTTP API); with no argument, on 127.0.0.1:8080 with the
    /// bundled demo trust list.
    Serve(serve::ServeArgs),
}

/// Runs the CLI with `args` (program name first) and returns the process exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => EXIT_USAGE,
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Tl(args) => tl::run(args),
        Command::Interop(args) => interop::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
