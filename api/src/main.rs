//! The `huren` command.
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(huren::cli::run(std::env::args_os()));
}
