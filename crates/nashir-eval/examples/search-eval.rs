//! `search-eval` (an example, so `cargo run` at the workspace root stays unambiguous): the known-item evaluation of ARABIC.md as a command.
//! Owns only argument parsing; the evaluation itself is `nashir_eval::evaluate`.

use std::path::PathBuf;
use std::process::ExitCode;

use nashir_eval::{EvalOptions, Part, evaluate, evaluate_seeds};

const USAGE: &str = "usage: search-eval [--corpus FILE.jsonl] [--targets N] [--seed N] [--seeds N] [--part report|tune|all] [--docs N] [--check] [--misses]

Indexes the corpus with Nashir's analyzer and with a plain one, derives variant queries
(ARABIC.md \"Measuring search quality\") and prints Recall@10, MRR@10, loss against the
base query and false-friend rate per variant family; with --seeds N (default 10), each
family's mean and minimum over N seeds. Targets come from --part (default: report, the half
of the corpus held out from tuning). --check exits with status 1 when a
target is missed; --misses lists variant queries Nashir missed. The corpus defaults to $NASHIR_CORPUS, else
shared/data/arabic-news/ant_v1.1_jawharafm.jsonl beside the repository.
Run it in release: cargo run --release -p nashir-eval --example search-eval";

fn default_corpus() -> PathBuf {
    std::env::var_os("NASHIR_CORPUS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl")
        },
        PathBuf::from,
    )
}

fn main() -> ExitCode {
    let mut options = EvalOptions::default();
    let mut corpus = default_corpus();
    let mut check = false;
    let mut misses = false;
    let mut seeds = 10usize;
    options.part = Part::Report;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        let parsed = match arg.as_str() {
            "--corpus" => match args.next() {
                Some(p) => {
                    corpus = PathBuf::from(p);
                    Ok(())
                }
                None => Err("--corpus needs a file".to_owned()),
            },
            "--targets" => number("--targets").map(|n| options.targets = n as usize),
            "--seed" => number("--seed").map(|n| options.seed = n),
            "--docs" => number("--docs").map(|n| options.docs_limit = Some(n as usize)),
            "--seeds" => number("--seeds").map(|n| seeds = n as usize),
            "--part" => match args.next().as_deref() {
                Some("report") => Ok(Part::Report),
                Some("tune") => Ok(Part::Tune),
                Some("all") => Ok(Part::All),
                _ => Err("--part needs report, tune or all".to_owned()),
            }
            .map(|part| options.part = part),
            "--misses" => {
                misses = true;
                Ok(())
            }
            "--check" => {
                check = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument {other}")),
        };
        if let Err(message) = parsed {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if seeds > 1 {
        return match evaluate_seeds(&corpus, &options, seeds) {
            Ok(report) => {
                println!("{report}");
                if misses {
                    report.reports.iter().flat_map(|r| &r.nashir_misses).for_each(|m| println!("{m}"));
                }
                if check && !report.target_misses().is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
            }
            Err(e) => {
                eprintln!("evaluation failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match evaluate(&corpus, &options) {
        Ok(report) => {
            println!("{report}");
            if misses {
                report.nashir_misses.iter().for_each(|m| println!("{m}"));
            }
            if check && !report.target_misses().is_empty() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("evaluation failed: {e}");
            ExitCode::FAILURE
        }
    }
}
