//! The `huren` command.
#![forbid(unsafe_code)]

/// mimalloc: the service allocates and frees many small objects per request (the JSON body,
/// parsed certificates, the report and its rendering) from several threads; glibc's malloc
/// spent a quarter of the CPU of a validation under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(huren::cli::run(std::env::args_os()));
}
