//! The search index from the command line: opened (and rebuilt when new or stale) at
//! start-up, `nashir reindex` with a progress bar, and `nashir eval-search`, the
//! known-item evaluation of ARABIC.md.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use nashir_eval::EvalOptions;
use nashir_search::SearchIndex;
use nashir_store::{IndexScope, Store};

use crate::config::StoreArgs;

/// Where a data folder keeps its index.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// Where a data folder keeps the newsroom's index (every article, drafts included).
pub fn staff_index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search-staff")
}

/// Opens the index of a data folder, rebuilding it from the database when it was missing
/// or made by another analyzer version.
pub async fn open_index(store: &Store, data_dir: &Path) -> anyhow::Result<Arc<SearchIndex>> {
    open_scope(store, &index_dir(data_dir), IndexScope::Public).await
}

/// Opens the newsroom's index the same way.
pub async fn open_staff_index(store: &Store, data_dir: &Path) -> anyhow::Result<Arc<SearchIndex>> {
    open_scope(store, &staff_index_dir(data_dir), IndexScope::Staff).await
}

async fn open_scope(store: &Store, dir: &Path, scope: IndexScope) -> anyhow::Result<Arc<SearchIndex>> {
    let (index, state) = SearchIndex::open(dir).with_context(|| format!("opening the search index in {}", dir.display()))?;
    let index = Arc::new(index);
    let why = if state.needs_reindex() { Some(format!("{state:?}")) } else { behind_the_outbox(store, &index).await? };
    if let Some(why) = why {
        let started = std::time::Instant::now();
        let count = nashir_search::sync::rebuild_scope(store, &index, scope, |_| {}).await?;
        tracing::info!(why, ?scope, count, elapsed_ms = started.elapsed().as_millis() as u64, "search index built from the database");
    }
    Ok(index)
}

/// Why an index that opened fine cannot catch up from the outbox (None: it can, and the
/// outbox subscriber will): it records no position (an older version made it), events it
/// never read were pruned (the instance was away past the retention period), or it is
/// ahead of this database (another database's index, such as after a restore).
async fn behind_the_outbox(store: &Store, index: &SearchIndex) -> anyhow::Result<Option<String>> {
    let Some(position) = index.position() else { return Ok(Some("the index records no outbox position".into())) };
    let head = store.outbox_head().await?;
    if position > head {
        return Ok(Some(format!("the index is ahead of this database's outbox ({position} > {head})")));
    }
    match store.outbox_oldest().await? {
        Some(oldest) if position < head && position + 1 < oldest => {
            Ok(Some(format!("events {}..{} were pruned before this index read them", position + 1, oldest - 1)))
        }
        _ => Ok(None),
    }
}

#[derive(Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    store: StoreArgs,
}

/// `nashir reindex`: rebuilds the search index of a data folder from the database.
pub async fn reindex(args: ReindexArgs) -> anyhow::Result<()> {
    let (data_dir, url) = args.store.database_url()?;
    let store = Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))?;
    let dir = index_dir(&data_dir);
    let (index, _) = SearchIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))?;
    let index = Arc::new(index);
    let total = store.count_published(nashir_store::now_micros(), &nashir_store::ListFilter::All).await?;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} reindexing [{bar:40}] {pos}/{len} articles, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let progress_bar = bar.clone();
    let count = nashir_search::sync::rebuild(&store, &index, move |n| progress_bar.set_position(n)).await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    say!("Reindexed {count} articles in {secs:.2} s ({:.0} articles/s).", count as f64 / secs.max(1e-9));
    let dir = staff_index_dir(&data_dir);
    let (staff, _) = SearchIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))?;
    let all = nashir_search::sync::rebuild_scope(&store, &Arc::new(staff), IndexScope::Staff, |_| {}).await?;
    say!("Reindexed the newsroom's search: {all} articles, drafts included.");
    store.close().await;
    Ok(())
}

#[derive(Args)]
pub struct EvalArgs {
    /// A JSON Lines corpus, such as ../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl
    #[arg(long)]
    corpus: PathBuf,
    /// How many target articles to draw
    #[arg(long, default_value_t = 300)]
    targets: usize,
    /// Seed of the random draw (the same seed gives the same table)
    #[arg(long, default_value_t = 20261129)]
    seed: u64,
    /// Index only the first N articles of the corpus
    #[arg(long)]
    docs: Option<usize>,
    /// Seeds to run, from --seed on: each family's mean and minimum across them are printed
    /// (1: one seed's detailed table)
    #[arg(long, default_value_t = 10)]
    seeds: usize,
    /// Which half of the corpus targets come from: `report` (held out from tuning), `tune`, or `all`
    #[arg(long, default_value = "report", value_parser = ["report", "tune", "all"])]
    part: String,
}

/// `nashir eval-search`: the known-item evaluation, Nashir's analyzer beside a plain one.
pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let part = match args.part.as_str() {
        "tune" => nashir_eval::Part::Tune,
        "all" => nashir_eval::Part::All,
        _ => nashir_eval::Part::Report,
    };
    let options = EvalOptions { targets: args.targets, seed: args.seed, docs_limit: args.docs, part };
    let context = || format!("evaluating on {}", args.corpus.display());
    if args.seeds <= 1 {
        let report = nashir_eval::evaluate(&args.corpus, &options).with_context(context)?;
        say!("{report}");
    } else {
        let report = nashir_eval::evaluate_seeds(&args.corpus, &options, args.seeds).with_context(context)?;
        say!("{report}");
    }
    Ok(())
}
