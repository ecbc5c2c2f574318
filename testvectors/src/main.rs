//! `huren-testvectors generate [--out DIR]` writes the test vectors;
//! `huren-testvectors check [--dir DIR]` fails when the checked-in vectors
//! differ from what the generator produces.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: huren-testvectors generate [--out DIR]\n       huren-testvectors check [--dir DIR]\n\nDIR defaults to the testvectors/ crate directory.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let flag = match command {
        "generate" => "--out",
        "check" => "--dir",
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("unknown command {command:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let dir = match rest {
        [] => huren_testvectors::default_dir(),
        [f, d] if f == flag => PathBuf::from(d),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if command == "generate" {
        match huren_testvectors::generate(&dir) {
            Ok(()) => {
                println!("wrote test vectors to {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    } else {
        match huren_testvectors::check(&dir) {
            Ok(diffs) if diffs.is_empty() => {
                println!("test vectors in {} are up to date", dir.display());
                ExitCode::SUCCESS
            }
            Ok(diffs) => {
                for d in &diffs {
                    println!("{d}");
                }
                println!(
                    "{} file(s) differ; run `cargo run -p huren-testvectors -- generate`",
                    diffs.len()
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
