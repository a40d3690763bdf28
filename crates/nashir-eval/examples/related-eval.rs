//! `related-eval`: related stories measured on the corpus (duplicates left out, follow-ups
//! found), beside the newest articles of the same category. See `nashir_eval::related`.
//! Run it in release: `cargo run --release -p nashir-eval --example related-eval [CORPUS.jsonl]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let corpus = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("NASHIR_CORPUS").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl"),
            PathBuf::from,
        )
    });
    match nashir_eval::related::evaluate_related(&corpus) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("related-eval: {e}");
            ExitCode::FAILURE
        }
    }
}
