//! The known-item evaluation of ARABIC.md "Measuring search quality": targets, base queries,
//! variant families, and Recall@10 / MRR@10 / false-friend rates for Nashir beside a plain analyzer.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::time::Instant;

use nashir_arabic::{normalize, strip_marks, tokenize};
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use crate::corpus::load_corpus;
use nashir_search::SearchError;
use nashir_search::analyzer::{fuzzy_candidates, fuzzy_score, stem_term};

use crate::error::EvalError;
use crate::plain::PlainIndex;
use crate::variants::Family;
use nashir_search::SearchDoc;
use nashir_search::SearchIndex;

/// How to run [`evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalOptions {
    /// Target articles drawn (each gives at most one multi-word and one single-word query).
    pub targets: usize,
    pub seed: u64,
    /// Index only the first N articles of the corpus (quick runs).
    pub docs_limit: Option<usize>,
    /// Which articles targets are drawn from.
    pub part: Part,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            targets: 300,
            seed: 20_240_101,
            docs_limit: None,
            part: Part::All,
        }
    }
}

/// The corpus split in two by a hash of each article's id (about half each, the same split
/// whatever the seed or the corpus order): tune the analyzer on one part, report on the
/// other, whose articles the tuning never looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    Tune,
    Report,
    #[default]
    All,
}

impl Part {
    pub fn holds(self, id: i64) -> bool {
        // SplitMix64's finalizer: a well-mixed bit for any id sequence.
        let mut z = (id as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let report = (z ^ (z >> 31)) & 1 == 1;
        match self {
            Part::Tune => !report,
            Part::Report => report,
            Part::All => true,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Tune => "tuning part",
            Part::Report => "held-out part",
            Part::All => "whole corpus",
        }
    }
}

/// The two query shapes of ARABIC.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryKind {
    /// 2–4 discriminative words of the target; OR semantics forgive one unmatched word.
    MultiWord,
    /// One rare word of the target's title: shows what the analyzer itself does.
    SingleWord,
}

impl QueryKind {
    pub const ALL: [QueryKind; 2] = [QueryKind::MultiWord, QueryKind::SingleWord];

    fn title(self) -> &'static str {
        match self {
            QueryKind::MultiWord => "multi-word queries",
            QueryKind::SingleWord => "single-word queries",
        }
    }
}

/// Measures of one analyzer on one family of variant queries.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    pub recall_at_10: f64,
    pub mrr_at_10: f64,
    /// Recall@10 of the unmodified queries (same queries) minus this recall.
    pub loss_vs_base: f64,
    /// Share of returned top-10 results that contain none of the base words.
    pub false_friend_rate: f64,
    pub mean_latency_micros: f64,
}

/// One line of the report: a query kind and a family (`None`: every variant pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyRow {
    pub kind: QueryKind,
    pub family: Option<Family>,
    /// A subset of the family's queries shown for context (not a target), e.g. typos in
    /// words long enough for fuzzy matching.
    pub subset: Option<&'static str>,
    /// Variant queries measured (the family applied to them).
    pub queries: usize,
    pub nashir: Measures,
    pub plain: Measures,
}

/// The outcome of [`evaluate`]; `Display` prints the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    pub docs: usize,
    pub targets: usize,
    pub seed: u64,
    /// Where the targets came from.
    pub part: Part,
    /// Base queries kept per kind (the exact search found the target in the top 10).
    pub kept: Vec<(QueryKind, usize)>,
    pub rows: Vec<FamilyRow>,
    pub nashir_index_seconds: f64,
    pub plain_index_seconds: f64,
    /// Variant queries where Nashir missed the target (a few per family), for diagnosis.
    pub nashir_misses: Vec<String>,
    /// What any analyzer could do with the single-word typos of this run.
    pub typo_ceiling: TypoCeiling,
}

/// The single-word one-letter typos of a run, by what the corpus lets a search engine
/// know about them. A typo that makes another word of the corpus cannot be told from a
/// search for that word; ARABIC.md fuzzes only words of 5+ letters; and for the rest the
/// question is whether the intended word is the most plausible existing spelling one edit
/// away (under Nashir's slip model), or only one of several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypoCeiling {
    pub queries: usize,
    /// The typed word occurs in the corpus (as a normalized word).
    pub real_word: usize,
    /// Not a word of the corpus, and under 5 letters: never fuzzed.
    pub short: usize,
    /// Not a word of the corpus, 5+ letters: fuzzed.
    pub fuzzed: usize,
    /// Of `fuzzed`: the intended word is among the existing spellings one edit away…
    pub intended_nearby: usize,
    /// …and the most plausible of them.
    pub intended_best: usize,
}

impl TypoCeiling {
    fn measure(bases: &[BaseQuery], stats: &CorpusStats, seed: u64) -> TypoCeiling {
        let mut c = TypoCeiling::default();
        for b in bases {
            let variant_seed = variant_seed(seed, b.target, Family::Typo, QueryKind::SingleWord);
            let Some(typed) = Family::Typo.apply(&b.text, variant_seed) else {
                continue;
            };
            c.queries += 1;
            let typed = normalize(&typed);
            let intended = normalize(&b.text);
            if stats.word_df(&typed) > 0 {
                c.real_word += 1;
                continue;
            }
            let spellings = fuzzy_candidates(&typed);
            if spellings.is_empty() {
                c.short += 1;
                continue;
            }
            c.fuzzed += 1;
            let mut existing: Vec<(f32, String)> = spellings
                .into_iter()
                .filter_map(|(w, plausibility)| {
                    let df = stats.word_df(&w);
                    (df > 0).then(|| (fuzzy_score(plausibility, u64::from(df)), w))
                })
                .collect();
            existing.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            if existing.iter().any(|(_, w)| *w == intended) {
                c.intended_nearby += 1;
            }
            if existing.first().is_some_and(|(_, w)| *w == intended) {
                c.intended_best += 1;
            }
        }
        c
    }
}

impl EvalReport {
    pub fn row(&self, kind: QueryKind, family: Option<Family>) -> Option<&FamilyRow> {
        self.rows
            .iter()
            .find(|r| r.kind == kind && r.family == family && r.subset.is_none())
    }

    /// The ARABIC.md targets for Nashir's analyzer: Recall@10 ≥ 0.97 per family (≥ 0.85
    /// for typos) and false-friend rate ≤ 5 %, for both kinds. Lists the misses.
    pub fn target_misses(&self) -> Vec<String> {
        let mut misses = Vec::new();
        for r in self.target_rows() {
            let Some(family) = r.family else { continue };
            let want = if family == Family::Typo { 0.85 } else { 0.97 };
            if r.nashir.recall_at_10 < want {
                misses.push(format!(
                    "{:?} {}: Recall@10 {:.3} < {want}",
                    r.kind,
                    family.name(),
                    r.nashir.recall_at_10
                ));
            }
            if r.nashir.false_friend_rate > 0.05 {
                misses.push(format!(
                    "{:?} {}: false friends {:.1} % > 5 %",
                    r.kind,
                    family.name(),
                    r.nashir.false_friend_rate * 100.0
                ));
            }
        }
        misses
    }

    /// The rows targets apply to: every family's, the typos' on non-words only.
    pub fn target_rows(&self) -> impl Iterator<Item = &FamilyRow> {
        self.rows.iter().filter(|r| {
            r.family.is_some()
                && r.queries > 0
                && match (r.family, r.subset) {
                    (Some(Family::Typo), subset) => subset == Some(NON_WORD_TYPOS),
                    (_, subset) => subset.is_none(),
                }
        })
    }
}

struct BaseQuery {
    target: i64,
    text: String,
    /// The base words by the independent judge ([`crate::judge::light10`]), to judge
    /// false friends.
    stems: Vec<String>,
}

/// Per-query outcome of one analyzer.
#[derive(Default, Clone, Copy)]
struct Outcome {
    /// 1-based rank of the target in the top 10.
    rank: Option<usize>,
    results: usize,
    false_friends: usize,
    micros: f64,
}

/// Runs the known-item evaluation of ARABIC.md on a JSON Lines corpus (see
/// [`load_corpus`]):
///
/// 1. Index the corpus with Nashir's analyzer and with a plain one (tantivy's default
///    tokenizer, lower case), same fields, boosts and OR semantics.
/// 2. Draw `targets` articles with a seeded RNG. For each, a multi-word base query (2–4 of
///    its most discriminative words: each in at most 1 % of articles, in its title or
///    repeated in its body, and together in at most 3 articles) and a single-word one (a
///    title word found in at most 20 articles), written as the author wrote them,
///    harakat removed. Targets without such words give no query of that kind. A base query is kept only if the *plain* (exact) search finds
///    the target in its top 10: then both analyzers are measured on the same queries, and
///    any drop on the unmodified query is the analyzer's own cost.
/// 3. Derive every [`Family`] of variants (pure functions, seeded), search them with both
///    analyzers, and report Recall@10, MRR@10, the loss against the same base queries, the
///    false-friend rate (top-10 results containing none of the base words: no word sharing
///    a light10 stem with one — the judge is a frozen reference stemmer, not the analyzer
///    it judges —, i.e. results only a fuzzy or accidental match brought), and the mean
///    latency. One-letter typos are reported for non-words (the typed word occurs nowhere
///    in the corpus: the target) and real words (no target) apart.
/// 4. Targets come from one [`Part`] of the corpus (the index holds all of it): tune on
///    one part, report on the other.
pub fn evaluate(corpus: &Path, options: &EvalOptions) -> Result<EvalReport, EvalError> {
    let mut docs = load_corpus(corpus)?;
    if let Some(limit) = options.docs_limit {
        docs.truncate(limit);
    }
    evaluate_docs(&docs, options)
}

pub(crate) fn evaluate_docs(
    docs: &[SearchDoc],
    options: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    Prepared::new(docs)?.run(options)
}

/// The indexes and statistics of a corpus, built once for any number of seeds.
pub(crate) struct Prepared<'a> {
    docs: &'a [SearchDoc],
    nashir: SearchIndex,
    plain: PlainIndex,
    stats: CorpusStats,
    nashir_index_seconds: f64,
    plain_index_seconds: f64,
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(docs: &'a [SearchDoc]) -> Result<Prepared<'a>, EvalError> {
        // One indexing thread: with several, which thread takes which article decides the
        // order of documents, and so how equal scores are ordered, and the same seed would not
        // always give the same table.
        let threads = 1;
        let started = Instant::now();
        let nashir = SearchIndex::in_memory_with_threads(threads)?;
        nashir.rebuild(docs.iter().cloned(), |_| {})?;
        let nashir_index_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let plain = PlainIndex::build(docs, threads)?;
        let plain_index_seconds = started.elapsed().as_secs_f64();
        Ok(Prepared {
            docs,
            nashir,
            plain,
            stats: CorpusStats::new(docs),
            nashir_index_seconds,
            plain_index_seconds,
        })
    }

    pub(crate) fn run(&self, options: &EvalOptions) -> Result<EvalReport, EvalError> {
        let (docs, nashir, plain, stats) = (self.docs, &self.nashir, &self.plain, &self.stats);
        let (nashir_index_seconds, plain_index_seconds) =
            (self.nashir_index_seconds, self.plain_index_seconds);
        let by_id: HashMap<i64, &SearchDoc> = docs.iter().map(|d| (d.id, d)).collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
        let order = draw_targets(docs, options, &mut rng);

        let mut stems_cache: HashMap<i64, HashSet<String>> = HashMap::new();
        let mut rows = Vec::new();
        let mut kept = Vec::new();
        let mut nashir_misses = Vec::new();
        let mut typo_ceiling = TypoCeiling::default();
        for kind in QueryKind::ALL {
            let mut bases = Vec::new();
            for &i in &order {
                let doc = &docs[i];
                let words = match kind {
                    QueryKind::MultiWord => multi_word_base(doc, stats, &mut rng),
                    QueryKind::SingleWord => single_word_base(doc, stats, &mut rng),
                };
                let Some(words) = words else { continue };
                let text = words.join(" ");
                if !plain.search_ids(&text, 10)?.contains(&doc.id) {
                    continue;
                }
                bases.push(BaseQuery {
                    target: doc.id,
                    stems: words.iter().map(|w| crate::judge::light10(w)).collect(),
                    text,
                });
            }
            kept.push((kind, bases.len()));
            if kind == QueryKind::SingleWord {
                typo_ceiling = TypoCeiling::measure(&bases, stats, options.seed);
            }
            let base_outcomes: Vec<[Outcome; 2]> = bases
                .iter()
                .map(|b| run_both(nashir, plain, b, &b.text, &by_id, &mut stems_cache))
                .collect::<Result<_, _>>()?;
            let mut pooled: Vec<([Outcome; 2], [Outcome; 2])> = Vec::new();
            for family in Family::ALL {
                let mut pairs = Vec::new();
                let mut long_word_pairs = Vec::new();
                let (mut non_word_pairs, mut real_word_pairs) = (Vec::new(), Vec::new());
                for (qi, b) in bases.iter().enumerate() {
                    let seed = variant_seed(options.seed, b.target, family, kind);
                    let Some(variant) = family.apply(&b.text, seed) else {
                        continue;
                    };
                    let outcome = if family == Family::Base {
                        base_outcomes[qi]
                    } else {
                        run_both(nashir, plain, b, &variant, &by_id, &mut stems_cache)?
                    };
                    if outcome[0].rank.is_none()
                        && pairs
                            .iter()
                            .filter(|(o, _): &&([Outcome; 2], [Outcome; 2])| o[0].rank.is_none())
                            .count()
                            < MISSES_PER_FAMILY
                    {
                        let title = by_id.get(&b.target).map_or("", |d| d.title.as_str());
                        nashir_misses.push(format!(
                            "{kind:?} / {}: «{}» → «{variant}» missed #{} «{title}»",
                            family.name(),
                            b.text,
                            b.target
                        ));
                    }
                    if longest_word_letters(&b.text) >= 5 {
                        long_word_pairs.push((outcome, base_outcomes[qi]));
                    }
                    if family == Family::Typo {
                        if typed_real_word(&b.text, &variant, stats) {
                            real_word_pairs.push((outcome, base_outcomes[qi]));
                        } else {
                            non_word_pairs.push((outcome, base_outcomes[qi]));
                        }
                    }
                    pairs.push((outcome, base_outcomes[qi]));
                }
                if family != Family::Base {
                    pooled.extend(pairs.iter().copied());
                }
                rows.push(row(kind, Some(family), &pairs));
                if family == Family::Typo {
                    let mut subset = row(kind, Some(family), &long_word_pairs);
                    subset.subset = Some(LONG_TYPOS);
                    rows.push(subset);
                    let mut subset = row(kind, Some(family), &non_word_pairs);
                    subset.subset = Some(NON_WORD_TYPOS);
                    rows.push(subset);
                    let mut subset = row(kind, Some(family), &real_word_pairs);
                    subset.subset = Some(REAL_WORD_TYPOS);
                    rows.push(subset);
                }
            }
            rows.push(row(kind, None, &pooled));
        }
        Ok(EvalReport {
            docs: docs.len(),
            targets: options.targets.min(docs.len()),
            seed: options.seed,
            part: options.part,
            kept,
            rows,
            nashir_index_seconds,
            plain_index_seconds,
            nashir_misses,
            typo_ceiling,
        })
    }
}

/// The target articles of a run: `options.targets` of the part's articles, in seeded order.
fn draw_targets(docs: &[SearchDoc], options: &EvalOptions, rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).filter(|&i| options.part.holds(docs[i].id)).collect();
    order.shuffle(rng);
    order.truncate(options.targets);
    order
}

const MISSES_PER_FAMILY: usize = 12;

const LONG_TYPOS: &str = "  … in words of 5+ letters";
/// The typo row the target applies to (ARABIC.md decision: non-words only).
pub const NON_WORD_TYPOS: &str = "  … non-words (target)";
const REAL_WORD_TYPOS: &str = "  … real words (no target)";

/// Whether the typo made another word of the corpus: the changed word of the variant
/// (a word not among the base's) occurs in some article.
fn typed_real_word(base: &str, variant: &str, stats: &CorpusStats) -> bool {
    let base_words: HashSet<String> = base.split(' ').map(normalize).collect();
    variant
        .split(' ')
        .map(normalize)
        .filter(|w| !base_words.contains(w))
        .any(|w| stats.word_df(&w) > 0)
}

/// Letters of the longest word (normalized): the one the typo family changes.
fn longest_word_letters(query: &str) -> usize {
    query
        .split(' ')
        .map(|w| normalize(w).chars().count())
        .max()
        .unwrap_or(0)
}

fn variant_seed(seed: u64, target: i64, family: Family, kind: QueryKind) -> u64 {
    let f = Family::ALL.iter().position(|&x| x == family).unwrap_or(0) as u64;
    let k = u64::from(kind == QueryKind::SingleWord);
    seed ^ (target as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (f << 40) ^ (k << 56)
}

fn run_both(
    nashir: &SearchIndex,
    plain: &PlainIndex,
    base: &BaseQuery,
    text: &str,
    by_id: &HashMap<i64, &SearchDoc>,
    stems_cache: &mut HashMap<i64, HashSet<String>>,
) -> Result<[Outcome; 2], EvalError> {
    let started = Instant::now();
    let n = match nashir.search_ids(text, 10) {
        Ok(ids) => ids,
        Err(SearchError::Query(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let n_micros = started.elapsed().as_secs_f64() * 1e6;
    let started = Instant::now();
    let p = plain.search_ids(text, 10)?;
    let p_micros = started.elapsed().as_secs_f64() * 1e6;
    let mut outcome = |ids: &[i64], micros: f64| Outcome {
        rank: ids.iter().position(|&id| id == base.target).map(|r| r + 1),
        results: ids.len(),
        false_friends: ids
            .iter()
            .filter(|id| !contains_any(**id, &base.stems, by_id, stems_cache))
            .count(),
        micros,
    };
    Ok([outcome(&n, n_micros), outcome(&p, p_micros)])
}

fn contains_any(
    id: i64,
    stems: &[String],
    by_id: &HashMap<i64, &SearchDoc>,
    cache: &mut HashMap<i64, HashSet<String>>,
) -> bool {
    let set = cache.entry(id).or_insert_with(|| {
        by_id.get(&id).map_or_else(HashSet::new, |d| {
            crate::judge::words(&d.title)
                .chain(crate::judge::words(&d.body))
                .map(crate::judge::light10)
                .collect()
        })
    });
    stems.iter().any(|s| set.contains(s))
}

fn word_stem(word: &str) -> String {
    stem_term(&normalize(word)).into_owned()
}

fn measures(pairs: &[([Outcome; 2], [Outcome; 2])], which: usize) -> Measures {
    let n = pairs.len().max(1) as f64;
    let found = pairs
        .iter()
        .filter(|(o, _)| o[which].rank.is_some())
        .count() as f64;
    let base_found = pairs
        .iter()
        .filter(|(_, b)| b[which].rank.is_some())
        .count() as f64;
    let mrr: f64 = pairs
        .iter()
        .filter_map(|(o, _)| o[which].rank)
        .map(|r| 1.0 / r as f64)
        .sum();
    let results: usize = pairs.iter().map(|(o, _)| o[which].results).sum();
    let ff: usize = pairs.iter().map(|(o, _)| o[which].false_friends).sum();
    let micros: f64 = pairs.iter().map(|(o, _)| o[which].micros).sum();
    Measures {
        recall_at_10: found / n,
        mrr_at_10: mrr / n,
        loss_vs_base: (base_found - found) / n,
        false_friend_rate: if results == 0 {
            0.0
        } else {
            ff as f64 / results as f64
        },
        mean_latency_micros: micros / n,
    }
}

fn row(
    kind: QueryKind,
    family: Option<Family>,
    pairs: &[([Outcome; 2], [Outcome; 2])],
) -> FamilyRow {
    FamilyRow {
        kind,
        family,
        subset: None,
        queries: pairs.len(),
        nashir: measures(pairs, 0),
        plain: measures(pairs, 1),
    }
}

/// Words of a text as a reader would copy them: marks, tatweel and invisibles removed,
/// letters as written. Only words of 3+ letters that are not mostly digits-and-letters mixes.
fn candidate_words(text: &str) -> Vec<String> {
    tokenize(text)
        .map(|t| strip_marks(t.text))
        .filter(|w| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            let digits = w.chars().filter(|c| c.is_numeric()).count();
            (letters >= 3 && digits == 0) || (digits >= 2 && letters == 0)
        })
        .collect()
}

/// Normalized words of every article, and in how many articles each lexeme (all its
/// spellings and inflections: normalized and light-stemmed) occurs. Rarity is judged per
/// lexeme: `كوكايين` is not a rare word if fifteen titles say `الكوكايين`, and a query
/// for it cannot single out one article, whatever the analyzer.
struct CorpusStats {
    df: HashMap<String, u32>,
    /// Articles containing each normalized word (not lexeme).
    word_df: HashMap<String, u32>,
    doc_words: Vec<HashSet<String>>,
}

impl CorpusStats {
    fn new(docs: &[SearchDoc]) -> CorpusStats {
        let mut df: HashMap<String, u32> = HashMap::new();
        let doc_words: Vec<HashSet<String>> = docs
            .iter()
            .map(|d| {
                tokenize(&d.title)
                    .chain(tokenize(&d.body))
                    .map(|t| normalize(t.text))
                    .collect()
            })
            .collect();
        let mut word_df: HashMap<String, u32> = HashMap::new();
        for words in &doc_words {
            for w in words {
                *word_df.entry(w.clone()).or_default() += 1;
            }
            let lexemes: HashSet<String> =
                words.iter().map(|w| stem_term(w).into_owned()).collect();
            for w in lexemes {
                *df.entry(w).or_default() += 1;
            }
        }
        CorpusStats {
            df,
            word_df,
            doc_words,
        }
    }

    fn word_df(&self, normalized: &str) -> u32 {
        self.word_df.get(normalized).copied().unwrap_or(0)
    }

    fn frequency(&self, word: &str) -> u32 {
        self.df.get(&word_stem(word)).copied().unwrap_or(1).max(1)
    }

    /// Articles containing every one of `words` (normalized, as whole words).
    fn containing_all(&self, words: &[String]) -> usize {
        let normalized: Vec<String> = words.iter().map(|w| normalize(w)).collect();
        self.doc_words
            .iter()
            .filter(|set| normalized.iter().all(|w| set.contains(w)))
            .count()
    }
}

/// A multi-word base query must single its target out: at most this many articles
/// contain all its words. The corpus has near-duplicates (daily weather reports with the
/// same wording) that no query can tell apart; they would measure luck, not analysis.
const MAX_ARTICLES_WITH_ALL_WORDS: usize = 3;
/// Words in more than this share of articles are not discriminative.
const MAX_WORD_SHARE: f64 = 0.01;
/// A single-word base query is a title word found in at most this many articles.
const MAX_RARE_WORD_ARTICLES: u32 = 20;

/// 2–4 words among the target's most discriminative: title words and words repeated in
/// the body, weighted by rarity; chosen at random among the best six, in text order.
fn multi_word_base(
    doc: &SearchDoc,
    stats: &CorpusStats,
    rng: &mut Xoshiro256PlusPlus,
) -> Option<Vec<String>> {
    let n_docs = stats.doc_words.len().max(1) as f64;
    let title = candidate_words(&doc.title);
    let body = candidate_words(&doc.body);
    let mut tf: HashMap<String, u32> = HashMap::new();
    for w in &body {
        *tf.entry(normalize(w)).or_default() += 1;
    }
    let mut seen = HashSet::new();
    let mut scored: Vec<(f64, usize, String)> = Vec::new();
    let in_title = title.iter().map(|w| (w, true));
    let repeated = body
        .iter()
        .filter(|w| tf.get(&normalize(w)).copied().unwrap_or(0) >= 2)
        .map(|w| (w, false));
    for (position, (word, from_title)) in in_title.chain(repeated).enumerate() {
        let key = normalize(word);
        if !seen.insert(key.clone()) {
            continue;
        }
        let f = stats.frequency(word);
        if f64::from(f) > n_docs * MAX_WORD_SHARE {
            continue;
        }
        let idf = (n_docs / f64::from(f)).ln();
        let recurrence = 1.0 + f64::from(tf.get(&key).copied().unwrap_or(0)).ln_1p();
        let place = if from_title { 1.5 } else { 1.0 };
        scored.push((idf * recurrence * place, position, word.clone()));
    }
    if scored.len() < 2 {
        return None;
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(6);
    let k = rng.random_range(2..=4).min(scored.len());
    scored.shuffle(rng);
    let mut picked: Vec<(usize, String)> = scored
        .into_iter()
        .take(k)
        .map(|(_, position, w)| (position, w))
        .collect();
    picked.sort();
    let words: Vec<String> = picked.into_iter().map(|(_, w)| w).collect();
    (stats.containing_all(&words) <= MAX_ARTICLES_WITH_ALL_WORDS).then_some(words)
}

/// One rare word of the title, at random among those in at most 20 articles.
fn single_word_base(
    doc: &SearchDoc,
    stats: &CorpusStats,
    rng: &mut Xoshiro256PlusPlus,
) -> Option<Vec<String>> {
    let rare: Vec<String> = candidate_words(&doc.title)
        .into_iter()
        .filter(|w| stats.frequency(w) <= MAX_RARE_WORD_ARTICLES)
        .collect();
    if rare.is_empty() {
        return None;
    }
    Some(vec![rare[rng.random_range(0..rare.len())].clone()])
}

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Known-item evaluation (ARABIC.md): {} articles, {} targets, seed {}; indexing {:.1} s (Nashir) / {:.1} s (plain)",
            self.docs, self.targets, self.seed, self.nashir_index_seconds, self.plain_index_seconds
        )?;
        writeln!(
            f,
            "R@10 and MRR in %, loss = base R@10 − variant R@10 on the same queries (points), FF = false-friend rate (% of top-10 results), µs = mean latency"
        )?;
        for kind in QueryKind::ALL {
            let kept = self
                .kept
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0, |(_, n)| *n);
            writeln!(f)?;
            writeln!(
                f,
                "{} — {kept} base queries kept (plain search finds the target in its top 10)",
                self.kind_title(kind)
            )?;
            writeln!(
                f,
                "{:<28} {:>4} │ {:>21} {:>5} {:>5} {:>6} │ {:>20} {:>5} {:>5} {:>6}",
                "family",
                "n",
                "Nashir R@10   MRR",
                "loss",
                "FF",
                "µs",
                "plain R@10   MRR",
                "loss",
                "FF",
                "µs"
            )?;
            for r in self.rows.iter().filter(|r| r.kind == kind) {
                let name = r
                    .subset
                    .unwrap_or_else(|| r.family.map_or("all variants", Family::name));
                let cell = |m: &Measures| {
                    format!(
                        "{:>14} {} {} {} {:>6.0}",
                        pct(m.recall_at_10),
                        pct(m.mrr_at_10),
                        pct(m.loss_vs_base),
                        pct(m.false_friend_rate),
                        m.mean_latency_micros
                    )
                };
                writeln!(
                    f,
                    "{:<28} {:>4} │ {} │ {}",
                    name,
                    r.queries,
                    cell(&r.nashir),
                    cell(&r.plain)
                )?;
            }
        }
        let c = &self.typo_ceiling;
        let share = |n: usize| 100.0 * n as f64 / c.queries.max(1) as f64;
        writeln!(f)?;
        writeln!(
            f,
            "single-word one-letter typos ({} queries), by what the corpus tells a search engine:",
            c.queries
        )?;
        writeln!(
            f,
            "  {:>3} ({:.1} %) are another word of the corpus: indistinguishable from a search for it",
            c.real_word,
            share(c.real_word)
        )?;
        writeln!(
            f,
            "  {:>3} ({:.1} %) are non-words under 5 letters (3–4 letters: fuzzed, the two most plausible spellings)",
            c.short,
            share(c.short)
        )?;
        writeln!(
            f,
            "  {:>3} ({:.1} %) are non-words of 5+ letters: the intended word is one edit away in {}, and the most plausible such spelling in {} ({:.1} % of all typos)",
            c.fuzzed,
            share(c.fuzzed),
            c.intended_nearby,
            c.intended_best,
            share(c.intended_best)
        )?;
        let misses = self.target_misses();
        writeln!(f)?;
        if misses.is_empty() {
            writeln!(
                f,
                "Targets met: Recall@10 ≥ 0.97 per family (typos ≥ 0.85), false friends ≤ 5 %, both query kinds."
            )
        } else {
            writeln!(f, "Targets missed:")?;
            misses.iter().try_for_each(|m| writeln!(f, "  {m}"))
        }
    }
}

impl EvalReport {
    fn kind_title(&self, kind: QueryKind) -> &'static str {
        kind.title()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id,
            title: title.into(),
            body: body.into(),
            category_ids: vec![1],
            tag_ids: Vec::new(),
            published_at: id,
        }
    }

    #[test]
    fn the_split_is_stable_disjoint_and_about_half() {
        let ids: Vec<i64> = (1..=20_000).collect();
        let report = ids.iter().filter(|&&id| Part::Report.holds(id)).count();
        assert!((9_500..=10_500).contains(&report), "{report}");
        for &id in &ids {
            assert_ne!(Part::Report.holds(id), Part::Tune.holds(id), "{id}");
            assert!(Part::All.holds(id));
        }
        // The same split whatever the order or the neighbours.
        assert_eq!(Part::Report.holds(12_345), Part::Report.holds(12_345));
    }

    #[test]
    fn targets_come_from_the_chosen_part_only_and_seeds_differ() {
        let docs: Vec<SearchDoc> = (1..=400).map(|id| doc(id, "عنوان", "نص")).collect();
        for part in [Part::Tune, Part::Report] {
            let options = EvalOptions { targets: 50, seed: 7, part, ..EvalOptions::default() };
            let drawn = draw_targets(&docs, &options, &mut Xoshiro256PlusPlus::seed_from_u64(7));
            assert_eq!(drawn.len(), 50);
            assert!(drawn.iter().all(|&i| part.holds(docs[i].id)), "{part:?}");
        }
        let options = EvalOptions { targets: 50, part: Part::Report, ..EvalOptions::default() };
        let a = draw_targets(&docs, &options, &mut Xoshiro256PlusPlus::seed_from_u64(1));
        let b = draw_targets(&docs, &options, &mut Xoshiro256PlusPlus::seed_from_u64(2));
        assert_ne!(a, b, "another seed, other targets");
    }

    #[test]
    fn several_seeds_report_each_familys_mean_and_minimum() -> Result<(), EvalError> {
        let docs = vec![
            doc(1, "قاآني يزور بغداد", "قاآني قائد فيلق القدس. قاآني في بغداد"),
            doc(2, "مستشفى الأطفال في صفاقس", "افتتاح مستشفى الأطفال الجديد في صفاقس"),
            doc(3, "الأمريكان ينسحبون", "انسحب الأمريكان من القاعدة الأمريكان"),
            doc(4, "مباراة الترجي والنجم", "فاز الترجي على النجم الساحلي"),
        ];
        let options = EvalOptions { targets: 4, seed: 5, ..EvalOptions::default() };
        let report = evaluate_seeds_docs(&docs, &options, 3)?;
        let seeds: Vec<u64> = report.reports.iter().map(|r| r.seed).collect();
        assert_eq!(seeds, [5, 6, 7]);
        let spreads = report.spreads();
        let base = spreads
            .iter()
            .find(|s| s.kind == QueryKind::SingleWord && s.family == Some(Family::Base) && s.subset.is_none())
            .expect("base row");
        assert_eq!((base.seeds, base.mean, base.min), (3, 1.0, 1.0));
        assert!(spreads.iter().all(|s| s.seeds == 0 || s.min <= s.mean + 1e-9));
        assert!(spreads.iter().any(|s| s.subset == Some(NON_WORD_TYPOS) && s.has_target()));
        let text = report.to_string();
        assert!(text.contains("over 3 seeds (5–7)") && text.contains("light10"), "{text}");
        Ok(())
    }

    #[test]
    fn a_tiny_corpus_evaluates_end_to_end() -> Result<(), EvalError> {
        let docs = vec![
            doc(
                1,
                "قاآني يزور بغداد",
                "قاآني قائد فيلق القدس. قاآني في بغداد",
            ),
            doc(
                2,
                "مستشفى الأطفال في صفاقس",
                "افتتاح مستشفى الأطفال الجديد في صفاقس",
            ),
            doc(3, "الأمريكان ينسحبون", "انسحب الأمريكان من القاعدة الأمريكان"),
            doc(4, "مباراة الترجي والنجم", "فاز الترجي على النجم الساحلي"),
        ];
        let report = evaluate_docs(
            &docs,
            &EvalOptions {
                targets: 4,
                seed: 1,
                ..EvalOptions::default()
            },
        )?;
        let base = report
            .row(QueryKind::SingleWord, Some(Family::Base))
            .map(|r| r.nashir.recall_at_10);
        assert_eq!(base, Some(1.0));
        let text = report.to_string();
        assert!(text.contains("single-word queries") && text.contains("hamza dropped"));
        Ok(())
    }
}

/// [`evaluate`] over `seeds` consecutive seeds from `options.seed`, the corpus indexed once:
/// one figure per seed is luck, the spread across seeds is what generalizes.
pub fn evaluate_seeds(
    corpus: &Path,
    options: &EvalOptions,
    seeds: usize,
) -> Result<SeedsReport, EvalError> {
    let mut docs = load_corpus(corpus)?;
    if let Some(limit) = options.docs_limit {
        docs.truncate(limit);
    }
    evaluate_seeds_docs(&docs, options, seeds)
}

pub(crate) fn evaluate_seeds_docs(
    docs: &[SearchDoc],
    options: &EvalOptions,
    seeds: usize,
) -> Result<SeedsReport, EvalError> {
    let prepared = Prepared::new(docs)?;
    let reports = (0..seeds.max(1) as u64)
        .map(|i| {
            prepared.run(&EvalOptions {
                seed: options.seed.wrapping_add(i),
                ..options.clone()
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SeedsReport { reports })
}

/// Several seeds' reports and their spread.
#[derive(Debug, Clone)]
pub struct SeedsReport {
    pub reports: Vec<EvalReport>,
}

/// One family's figures across seeds (seeds where it had no query are left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub kind: QueryKind,
    pub family: Option<Family>,
    pub subset: Option<&'static str>,
    /// Queries over all seeds.
    pub queries: usize,
    pub seeds: usize,
    pub mean: f64,
    pub min: f64,
    pub ff_mean: f64,
    pub ff_max: f64,
    pub plain_mean: f64,
}

impl Spread {
    /// Whether the targets of the issue apply (every family; typos on non-words only).
    pub fn has_target(&self) -> bool {
        match (self.family, self.subset) {
            (Some(Family::Typo), s) => s == Some(NON_WORD_TYPOS),
            (Some(_), None) => true,
            _ => false,
        }
    }
}

impl SeedsReport {
    pub fn spreads(&self) -> Vec<Spread> {
        let Some(first) = self.reports.first() else {
            return Vec::new();
        };
        first
            .rows
            .iter()
            .map(|template| {
                let rows: Vec<&FamilyRow> = self
                    .reports
                    .iter()
                    .filter_map(|r| {
                        r.rows.iter().find(|x| {
                            x.kind == template.kind
                                && x.family == template.family
                                && x.subset == template.subset
                        })
                    })
                    .filter(|x| x.queries > 0)
                    .collect();
                let n = rows.len().max(1) as f64;
                let recall = rows.iter().map(|r| r.nashir.recall_at_10);
                Spread {
                    kind: template.kind,
                    family: template.family,
                    subset: template.subset,
                    queries: rows.iter().map(|r| r.queries).sum(),
                    seeds: rows.len(),
                    mean: recall.clone().sum::<f64>() / n,
                    min: recall.fold(f64::INFINITY, f64::min),
                    ff_mean: rows.iter().map(|r| r.nashir.false_friend_rate).sum::<f64>() / n,
                    ff_max: rows
                        .iter()
                        .map(|r| r.nashir.false_friend_rate)
                        .fold(0.0, f64::max),
                    plain_mean: rows.iter().map(|r| r.plain.recall_at_10).sum::<f64>() / n,
                }
            })
            .collect()
    }

    /// The targets: every family's minimum ≥ 0.95 and mean ≥ 0.97, false friends
    /// ≤ 5 % (mean); non-word typos mean ≥ 0.85 with false friends ≤ 5 %.
    pub fn target_misses(&self) -> Vec<String> {
        let mut misses = Vec::new();
        for s in self.spreads().iter().filter(|s| s.has_target() && s.seeds > 0) {
            let name = s.family.map_or("all", Family::name);
            if s.family == Some(Family::Typo) {
                if s.mean < 0.85 {
                    misses.push(format!("{:?} {name} (non-words): mean {:.3} < 0.85", s.kind, s.mean));
                }
            } else {
                if s.mean < 0.97 {
                    misses.push(format!("{:?} {name}: mean {:.3} < 0.97", s.kind, s.mean));
                }
                if s.min < 0.95 {
                    misses.push(format!("{:?} {name}: minimum {:.3} < 0.95", s.kind, s.min));
                }
            }
            if s.ff_mean > 0.05 {
                misses.push(format!("{:?} {name}: false friends {:.1} % > 5 %", s.kind, s.ff_mean * 100.0));
            }
        }
        misses
    }
}

impl fmt::Display for SeedsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.reports.first() else {
            return writeln!(f, "no seed was run");
        };
        let last = self.reports.last().map_or(first.seed, |r| r.seed);
        writeln!(
            f,
            "Known-item evaluation (ARABIC.md) over {} seeds ({}–{}): {} articles indexed, {} targets per seed from the {}; indexing {:.1} s",
            self.reports.len(),
            first.seed,
            last,
            first.docs,
            first.targets,
            first.part.name(),
            first.nashir_index_seconds
        )?;
        writeln!(
            f,
            "Nashir's Recall@10 across seeds (mean, minimum), false friends by an independent judge (light10; mean, maximum), the plain analyzer's mean R@10"
        )?;
        let spreads = self.spreads();
        for kind in QueryKind::ALL {
            writeln!(f)?;
            writeln!(f, "{}", kind.title())?;
            writeln!(
                f,
                "{:<28} {:>6} │ {:>6} {:>6} │ {:>6} {:>6} │ {:>6}",
                "family", "n", "mean", "min", "FF", "FF max", "plain"
            )?;
            for s in spreads.iter().filter(|s| s.kind == kind) {
                let name = s.subset.unwrap_or_else(|| s.family.map_or("all variants", Family::name));
                writeln!(
                    f,
                    "{:<28} {:>6} │ {} {} │ {} {} │ {}",
                    name,
                    s.queries,
                    pct(s.mean),
                    pct(s.min.min(1.0)),
                    pct(s.ff_mean),
                    pct(s.ff_max),
                    pct(s.plain_mean)
                )?;
            }
        }
        let misses = self.target_misses();
        writeln!(f)?;
        if misses.is_empty() {
            writeln!(
                f,
                "Targets met: every family's minimum ≥ 0.95 and mean ≥ 0.97, non-word typos' mean ≥ 0.85, false friends ≤ 5 %."
            )
        } else {
            writeln!(f, "Targets missed:")?;
            misses.iter().try_for_each(|m| writeln!(f, "  {m}"))
        }
    }
}
