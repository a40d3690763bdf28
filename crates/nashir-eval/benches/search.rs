//! Benchmarks of ARABIC.md's speed targets: full rebuild rate, and query latency p50/p99 on
//! the 10k corpus and on it replicated to 100k, beside a plain tantivy index measured in the same run.
//!
//! A plain `harness = false` main rather than divan: the targets are percentiles (p50, p99)
//! of a mixed query set and ratios against a reference, which a per-function timer does not
//! report. Run: `cargo bench -p nashir-eval --bench search` (release profile).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Instant;

use nashir_eval::{Family, PlainIndex, load_corpus};
use nashir_search::{SearchDoc, SearchIndex, SearchQuery, Sort};

fn corpus_path() -> PathBuf {
    std::env::var_os("NASHIR_CORPUS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl")
        },
        PathBuf::from,
    )
}

/// A deterministic mix of what readers type: one word, two or three title words, a
/// quoted phrase, the same with a lazy spelling or a typo, a common word, some with a
/// category filter or newest-first.
fn query_set(docs: &[SearchDoc], n: usize) -> Vec<SearchQuery> {
    let mut out = Vec::with_capacity(n);
    let step = docs.len() / n.max(1);
    for (k, doc) in docs.iter().step_by(step.max(1)).take(n).enumerate() {
        let words: Vec<&str> = doc
            .title
            .split_whitespace()
            .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
            .collect();
        if words.is_empty() {
            continue;
        }
        let pick = |i: usize| words[i % words.len()];
        let text = match k % 8 {
            0 => pick(k).to_owned(),
            1 => format!("{} {}", pick(k), pick(k + 1)),
            2 => format!("{} {} {}", pick(k), pick(k + 1), pick(k + 2)),
            3 => format!("\"{} {}\"", pick(0), pick(1)),
            4 => Family::Mix
                .apply(&format!("{} {}", pick(k), pick(k + 1)), k as u64)
                .unwrap_or_else(|| pick(k).to_owned()),
            5 => Family::Typo
                .apply(pick(k), k as u64)
                .unwrap_or_else(|| pick(k).to_owned()),
            6 => ["تونس", "الرئيس", "الحكومة", "كرة القدم", "وزارة الداخلية"][k % 5].to_owned(),
            _ => format!("في {}", pick(k)),
        };
        let mut q = SearchQuery::new(text);
        if k % 10 == 3 {
            q.category_ids = doc.category_ids.clone();
        }
        if k % 10 == 7 {
            q.sort = Sort::Newest;
        }
        out.push(q);
    }
    out
}

struct Latency {
    p50: f64,
    p99: f64,
    mean: f64,
}

fn measure(queries: &[SearchQuery], mut run: impl FnMut(&SearchQuery)) -> Latency {
    for q in queries {
        run(q); // warm caches
    }
    let mut micros: Vec<f64> = Vec::with_capacity(queries.len() * 3);
    for _ in 0..3 {
        for q in queries {
            let t = Instant::now();
            run(q);
            micros.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);
    let at = |p: f64| micros[((micros.len() - 1) as f64 * p).round() as usize];
    Latency {
        p50: at(0.50),
        p99: at(0.99),
        mean: micros.iter().sum::<f64>() / micros.len() as f64,
    }
}

fn replicate(docs: &[SearchDoc], times: i64) -> Vec<SearchDoc> {
    (0..times)
        .flat_map(|copy| {
            docs.iter().map(move |d| SearchDoc {
                id: copy * 1_000_000 + d.id,
                published_at: d.published_at + copy,
                ..d.clone()
            })
        })
        .collect()
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(4)
}

fn bench_size(label: &str, docs: &[SearchDoc], queries: &[SearchQuery]) {
    let tmp = tempfile::tempdir().unwrap();
    let (nashir, _) = SearchIndex::open(&tmp.path().join("search")).unwrap();
    let t = Instant::now();
    nashir.rebuild(docs.iter().cloned(), |_| {}).unwrap();
    let nashir_rate = docs.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let plain = PlainIndex::build(docs, threads()).unwrap();
    let plain_rate = docs.len() as f64 / t.elapsed().as_secs_f64();
    println!(
        "{label:>5} docs {:>7} │ rebuild: Nashir {:>7.0} docs/s, plain {:>7.0} docs/s, ratio {:.2}",
        docs.len(),
        nashir_rate,
        plain_rate,
        nashir_rate / plain_rate
    );
    let full = measure(queries, |q| {
        let _ = nashir.search(q);
    });
    let ids = measure(queries, |q| {
        let _ = nashir.search_ids(&q.text, 10);
    });
    let reference = measure(queries, |q| {
        let _ = plain.search_ids(&q.text, 10);
    });
    for (name, l) in [
        ("Nashir search (snippets)", &full),
        ("Nashir ids only", &ids),
        ("plain ids (reference)", &reference),
    ] {
        println!(
            "{label:>5} {name:<26} p50 {:>7.0} µs  p99 {:>7.0} µs  mean {:>7.0} µs │ p50 ×{:.1} p99 ×{:.1} of plain",
            l.p50,
            l.p99,
            l.mean,
            l.p50 / reference.p50,
            l.p99 / reference.p99
        );
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; only measure when asked.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let docs = load_corpus(&corpus_path()).unwrap();
    let queries = query_set(&docs, 400);
    println!(
        "{} queries, {} indexing threads; targets: p50 ≤ 2,000 µs, p99 ≤ 10,000 µs, rebuild ≥ 3,000 docs/s",
        queries.len(),
        threads()
    );
    bench_size("10k", &docs, &queries);
    bench_size("100k", &replicate(&docs, 10), &queries);
}
