//! The search index itself: its folder (version file, wipe and rebuild), writes, and searches.
//! Owns the one tantivy writer, the reader reload after commits, filters, sorting and fuzzy fallback.

use std::collections::HashMap;
use std::fs;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use nashir_arabic::ANALYZER_VERSION;
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Schema, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyDocument,
    TantivyError, Term,
};

use crate::analysis::{self, Level};
use crate::error::SearchError;
use crate::highlight::Marker;
use crate::query::{
    Compiled, Expansion, ParsedQuery, QueryPart, QueryWord, compile, edits, fuzzy_candidates,
    fuzzy_score, parse_query, plain_words,
};
use crate::schema::{self, Fields, PUBLISHED_AT, SCHEMA_VERSION};
use crate::types::{Hit, OpenState, SearchDoc, SearchQuery, SearchResults, Sort, Suggestion};

/// Most results one page may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start: collecting offset + limit documents costs memory and time, and no
/// reader pages through 10,000 results.
pub const MAX_OFFSET: usize = 10_000;

/// Letters a word being typed needs before it is completed.
const MIN_COMPLETION_PREFIX: usize = 2;
/// Completions searched for a word being typed.
const MAX_COMPLETIONS: usize = 12;
/// Title words read per segment to find them (a two-letter prefix may begin thousands).
const MAX_COMPLETION_SCAN: usize = 5_000;

/// Fuzzy spellings kept per query word, most plausible first.
const MAX_FUZZY_TERMS: usize = 6;
/// Fuzzy spellings scoring under this share of the best one are not searched.
const FUZZY_KEEP_SHARE: f32 = 0.5;

/// Words of 3–4 letters matching nothing at all are fuzzed too, keeping fewer spellings: on
/// the tuning half of the corpus (10 seeds) this took single-word non-word typos from 0.705
/// to 0.803 Recall@10, keeping one spelling 0.782, none of this 0.705.
const MIN_SHORT_FUZZY_LETTERS: usize = 3;
const MAX_SHORT_FUZZY_TERMS: usize = 2;
const SHORT_FUZZY_KEEP_SHARE: f32 = 0.7;

/// Titles and bodies that must write a word without its first letter before a word
/// written nowhere, whose stem is found elsewhere, is read with that letter as a clitic.
const RESCUE_MIN_WRITTEN: u64 = 2;

/// A normalized word without a leading `و ف ب ل ك`, when at least 3 letters remain.
fn strip_single_proclitic(normalized: &str) -> Option<&str> {
    let rest = normalized.strip_prefix(['و', 'ف', 'ب', 'ل', 'ك'])?;
    (rest.chars().count() >= 3).then_some(rest)
}

const VERSION_FILE: &str = "nashir-search.version";
const LOCK_FILE: &str = "nashir-search.lock";
/// Indexing memory per writer thread. tantivy flushes a segment when it is reached, so
/// larger means fewer segments to merge after a full rebuild.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
const MAX_WRITER_THREADS: usize = 4;

/// A full-text index of articles. Cheap to share in an `Arc`: searches run concurrently,
/// writes serialize on an internal lock.
pub struct SearchIndex {
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    /// The on-disk folder, to mark the index complete after a rebuild; `None` in memory.
    dir: Option<PathBuf>,
    /// Held (locked) as long as the index is open; see `lock_dir`.
    _lock: Option<fs::File>,
    /// The newest outbox event the committed index reflects, kept in each commit's
    /// payload: an instance that was stopped resumes the outbox after it.
    position: Mutex<Option<i64>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("docs", &self.doc_count())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, PartialEq, Eq)]
struct VersionInfo {
    analyzer: String,
    schema: u32,
    complete: bool,
}

impl VersionInfo {
    fn current(complete: bool) -> VersionInfo {
        VersionInfo {
            analyzer: ANALYZER_VERSION.to_owned(),
            schema: SCHEMA_VERSION,
            complete,
        }
    }

    fn parse(text: &str) -> Option<VersionInfo> {
        let mut analyzer = None;
        let mut schema = None;
        let mut complete = None;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (key, value) = line.split_once('=')?;
            match key.trim() {
                "analyzer" => analyzer = Some(value.trim().to_owned()),
                "schema" => schema = value.trim().parse().ok(),
                "complete" => complete = Some(value.trim() == "true"),
                _ => {}
            }
        }
        Some(VersionInfo {
            analyzer: analyzer?,
            schema: schema?,
            complete: complete?,
        })
    }

    fn render(&self) -> String {
        format!(
            "# Nashir search index. Derived data: deleting this folder loses nothing, it is\n\
             # rebuilt from the database on the next start.\n\
             analyzer={}\nschema={}\ncomplete={}\n",
            self.analyzer, self.schema, self.complete
        )
    }
}

fn write_version(dir: &Path, complete: bool) -> Result<(), SearchError> {
    let path = dir.join(VERSION_FILE);
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    // Write then rename, so a crash never leaves a half-written file that reads as valid.
    fs::write(&tmp, VersionInfo::current(complete).render())
        .map_err(|e| SearchError::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| SearchError::io(&path, e))
}

/// Files tantivy or this crate put in an index folder; a folder with anything else is
/// not wiped.
fn looks_like_index(dir: &Path) -> Result<bool, SearchError> {
    let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SearchError::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name == "meta.json"
            || name == LOCK_FILE
            || name == ".managed.json"
            || name.starts_with(VERSION_FILE)
            || name.starts_with(".tantivy-")
            || name.ends_with(".lock")
            || matches!(
                Path::new(name.as_ref())
                    .extension()
                    .and_then(|e| e.to_str()),
                Some("idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del")
            );
        if !ours {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether the folder holds nothing but our lock file.
fn is_empty_dir(dir: &Path) -> Result<bool, SearchError> {
    let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SearchError::io(dir, e))?;
        if entry.file_name() != LOCK_FILE {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Deletes everything in the folder but the lock file, which must stay: it is what
/// keeps a second process from wiping the folder under the first one.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    if !looks_like_index(dir)? {
        return Err(SearchError::NotAnIndex(dir.to_owned()));
    }
    let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SearchError::io(dir, e))?;
        if entry.file_name() == LOCK_FILE {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| SearchError::io(&path, e))?;
    }
    Ok(())
}

/// Takes the folder's lock for the life of the returned file, before anything in the
/// folder is read or wiped.
fn lock_dir(dir: &Path) -> Result<fs::File, SearchError> {
    let path = dir.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| SearchError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(SearchError::Locked(dir.to_owned())),
        Err(fs::TryLockError::Error(e)) => Err(SearchError::io(&path, e)),
    }
}

/// Why an existing folder cannot be used as is, or `None` when it can.
fn stale_reason(dir: &Path) -> Result<Option<String>, SearchError> {
    let path = dir.join(VERSION_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Some("no version file".to_owned()));
        }
        Err(e) => return Err(SearchError::io(&path, e)),
    };
    let Some(found) = VersionInfo::parse(&text) else {
        return Ok(Some("unreadable version file".to_owned()));
    };
    let want = VersionInfo::current(true);
    Ok(if found.analyzer != want.analyzer {
        Some(format!(
            "analyzer changed from {} to {}",
            found.analyzer, want.analyzer
        ))
    } else if found.schema != want.schema {
        Some(format!(
            "schema changed from {} to {}",
            found.schema, want.schema
        ))
    } else if !found.complete {
        Some("the previous rebuild did not finish".to_owned())
    } else {
        None
    })
}

fn open_existing(dir: &Path, schema: &Schema) -> Result<Index, String> {
    let index = Index::open_in_dir(dir).map_err(|e| format!("index unreadable: {e}"))?;
    if index.schema() != *schema {
        return Err("index schema differs".to_owned());
    }
    Ok(index)
}

/// Stored text is read one compressed block at a time, and a result page reads ten
/// articles from ten blocks: small blocks (a few articles each) mean little is decompressed
/// for nothing.
const DOC_STORE_BLOCK_BYTES: usize = 4096;
/// Decompressed blocks kept per segment (at most 4 MB each): the articles people search
/// for again skip decompression.
const DOC_STORE_CACHE_BLOCKS: usize = 1000;

fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOC_STORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` (`<data folder>/search`), creating it if missing and
    /// wiping and recreating it when its analyzer or schema version differs, a rebuild
    /// was interrupted, or it cannot be read. `Created` and `Rebuilt` mean the caller must
    /// [`rebuild`](Self::rebuild) it from the database; nothing is lost by the wipe.
    ///
    /// A non-empty folder that does not look like an index is never wiped
    /// ([`SearchError::NotAnIndex`]).
    pub fn open(dir: &Path) -> Result<(SearchIndex, OpenState), SearchError> {
        let (schema, fields) = schema::build();
        fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        if !looks_like_index(dir)? {
            return Err(SearchError::NotAnIndex(dir.to_owned()));
        }
        let lock = lock_dir(dir)?;
        let mut state = if is_empty_dir(dir)? {
            OpenState::Created
        } else {
            match stale_reason(dir)? {
                None => OpenState::Ready,
                Some(reason) => OpenState::Rebuilt { reason },
            }
        };
        let index = match state {
            OpenState::Ready => match open_existing(dir, &schema) {
                Ok(index) => Some(index),
                Err(reason) => {
                    state = OpenState::Rebuilt { reason };
                    None
                }
            },
            _ => None,
        };
        let index = match index {
            Some(index) => index,
            None => {
                if !is_empty_dir(dir)? {
                    wipe(dir)?;
                }
                let index = Index::builder()
                    .schema(schema)
                    .settings(index_settings())
                    .create_in_dir(dir)?;
                write_version(dir, false)?;
                index
            }
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_WRITER_THREADS);
        match SearchIndex::with_index(index, fields, threads, Some(dir.to_owned())) {
            Ok(mut search) => {
                search._lock = Some(lock);
                Ok((search, state))
            }
            Err(SearchError::Locked(_)) => Err(SearchError::Locked(dir.to_owned())),
            // Opened but unusable (a segment file missing or corrupt): start over once.
            Err(e) if state == OpenState::Ready => {
                wipe(dir)?;
                let (schema, fields) = schema::build();
                let index = Index::builder()
                    .schema(schema)
                    .settings(index_settings())
                    .create_in_dir(dir)?;
                write_version(dir, false)?;
                let mut search =
                    SearchIndex::with_index(index, fields, threads, Some(dir.to_owned()))?;
                search._lock = Some(lock);
                Ok((
                    search,
                    OpenState::Rebuilt {
                        reason: format!("index unreadable: {e}"),
                    },
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// An index in memory, for tests and evaluations.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        SearchIndex::with_index(index, fields, 1, None)
    }

    /// An in-memory index whose writer uses `threads` indexing threads (for bulk loads).
    pub fn in_memory_with_threads(threads: usize) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        SearchIndex::with_index(index, fields, threads.max(1), None)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        threads: usize,
        dir: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        analysis::register(index.tokenizers());
        let writer = index
            .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => {
                    SearchError::Locked(dir.clone().unwrap_or_default())
                }
                e => e.into(),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let position = index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| p.parse().ok());
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            dir,
            _lock: None,
            position: Mutex::new(position),
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves tantivy's writer usable: its state is
        // only committed by `commit`, which either completes or returns an error.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn to_document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_i64(f.id, doc.id);
        d.add_i64(f.published_at, doc.published_at);
        for &c in &doc.category_ids {
            d.add_i64(f.category, c);
        }
        for &t in &doc.tag_ids {
            d.add_i64(f.tag, t);
        }
        d.add_u64(f.fingerprint, crate::related::fingerprint(&doc.title, &doc.body));
        for field in f.title {
            d.add_text(field, &doc.title);
        }
        for field in f.body {
            d.add_text(field, &doc.body);
        }
        d
    }

    /// Adds or replaces (by id) one article. Visible to searches after [`commit`](Self::commit).
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        let document = self.to_document(doc);
        let writer = self.writer();
        writer.delete_term(Term::from_field_i64(self.fields.id, doc.id));
        writer.add_document(document)?;
        Ok(())
    }

    /// Removes one article (no error if absent). Visible after [`commit`](Self::commit).
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        self.writer()
            .delete_term(Term::from_field_i64(self.fields.id, id));
        Ok(())
    }

    /// Makes every write so far durable and visible to the next search (the outbox
    /// position stays what it was).
    pub fn commit(&self) -> Result<(), SearchError> {
        let position = *self.position.lock().unwrap_or_else(PoisonError::into_inner);
        self.commit_with(position)
    }

    /// [`commit`](Self::commit), recording that the index now reflects the outbox up to
    /// event `position`.
    pub fn commit_at(&self, position: i64) -> Result<(), SearchError> {
        self.commit_with(Some(position))
    }

    fn commit_with(&self, position: Option<i64>) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        if let Some(p) = position {
            prepared.set_payload(&p.to_string());
        }
        prepared.commit()?;
        *self.position.lock().unwrap_or_else(PoisonError::into_inner) = position;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The newest outbox event the committed index reflects (None: unknown, such as an
    /// index made by an older version).
    pub fn position(&self) -> Option<i64> {
        *self.position.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the whole index with `docs` and commits. `progress` is called with the
    /// number of documents added so far, every 1,000 and at the end. Searches see the old
    /// index until the final commit. Returns the number of documents indexed.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = SearchDoc>,
        progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        self.try_rebuild(docs.map(Ok::<_, std::convert::Infallible>), progress)
    }

    /// Like [`SearchIndex::rebuild`], for documents read from a source that can fail (the
    /// database, a page at a time). On the first error nothing is committed: searches keep
    /// the old index, and it stays marked incomplete, so the next `open` asks for a rebuild.
    pub fn try_rebuild<E: std::fmt::Display>(
        &self,
        docs: impl Iterator<Item = Result<SearchDoc, E>>,
        progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let position = self.position();
        self.try_rebuild_at(docs, progress, position)
    }

    /// [`try_rebuild`](Self::try_rebuild) of the database as it was at outbox event
    /// `position` (read before the first document): the outbox is resumed after it.
    pub fn try_rebuild_at<E: std::fmt::Display>(
        &self,
        docs: impl Iterator<Item = Result<SearchDoc, E>>,
        mut progress: impl FnMut(u64),
        position: Option<i64>,
    ) -> Result<u64, SearchError> {
        let mut writer = self.writer();
        if let Some(dir) = &self.dir {
            write_version(dir, false)?;
        }
        // No background merges while rebuilding: the one below would race them.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        writer.delete_all_documents()?;
        let mut count = 0u64;
        for doc in docs {
            let doc = match doc {
                Ok(doc) => doc,
                Err(e) => {
                    writer.set_merge_policy(Box::new(LogMergePolicy::default()));
                    writer.rollback()?;
                    return Err(SearchError::Index(format!("rebuild abandoned, reading documents failed: {e}")));
                }
            };
            writer.add_document(self.to_document(&doc))?;
            count += 1;
            if count.is_multiple_of(1000) {
                progress(count);
            }
        }
        let mut prepared = writer.prepare_commit()?;
        if let Some(p) = position {
            prepared.set_payload(&p.to_string());
        }
        prepared.commit()?;
        *self.position.lock().unwrap_or_else(PoisonError::into_inner) = position;
        // Each indexing thread leaves a segment; every query term is looked up and scored
        // per segment, so a fresh index is merged into one.
        // A failed merge leaves a complete index of several segments: slower, not wrong.
        let segments = writer.index().searchable_segment_ids()?;
        if segments.len() > 1 {
            let _ = writer.merge(&segments).wait();
        }
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        drop(writer);
        self.reader.reload()?;
        if let Some(dir) = &self.dir {
            write_version(dir, true)?;
        }
        progress(count);
        Ok(count)
    }

    /// Documents visible to searches.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs a query. Reader errors (empty, too long, nothing searchable) come back as
    /// [`SearchError::Query`], which deserves a friendly page, not an error status.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let parsed = parse_query(&q.text)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let offset = q.offset.min(MAX_OFFSET);
        let filters = self.filters(q);
        let expansions = self.expansions(&searcher, &parsed, None)?;
        let compiled = compile(&parsed, &self.fields, &expansions);
        let (top, total) = self.run(&searcher, &compiled, &filters, q.sort, offset, limit)?;
        let mut hits = Vec::with_capacity(top.len());
        let mut marker = Marker::new(&compiled.highlight);
        for (score, address) in top {
            hits.push(self.hit(&searcher, address, score, &mut marker)?);
        }
        Ok(SearchResults {
            total,
            hits,
            did_you_mean: did_you_mean(&parsed, &expansions, &marker),
            took_micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        })
    }

    /// Search as you type: the articles a query is heading for, while its last word is
    /// still being typed. The last word (unless the text ends with a space) also stands
    /// for the most common words of titles it begins, at the normalized level, so `بغد`
    /// already finds `بغداد`; the words before it are searched as usual. Titles only, the
    /// matched words marked; no snippets, so it is cheap enough for every keystroke.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        // A last fragment too short to complete is not searched as a word either.
        let mut typing = !text.ends_with(char::is_whitespace);
        let fragment_at = text
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let text = if typing && text[fragment_at..].chars().count() < MIN_COMPLETION_PREFIX {
            typing = false;
            &text[..fragment_at]
        } else {
            text
        };
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let parsed = parse_query(text)?;
        let searcher = self.reader.searcher();
        let words = plain_words(&parsed);
        let completing = match (parsed.parts.last(), words.last()) {
            (Some(QueryPart::Word(_)), Some(last)) if typing => {
                Some((words.len() - 1, self.completions(&searcher, &last.normalized)?))
            }
            _ => None,
        }
        .filter(|(_, completions)| !completions.is_empty());
        // The word being typed is completed, not fuzzed or rescued.
        let mut expansions = self.expansions(&searcher, &parsed, completing.as_ref().map(|(at, _)| *at))?;
        if let Some((at, completions)) = completing {
            expansions.push(Expansion {
                word: at,
                spellings: completions,
                ..Expansion::default()
            });
        }
        let compiled = compile(&parsed, &self.fields, &expansions);
        let limit = limit.clamp(1, MAX_LIMIT);
        let (top, _) = self.run(&searcher, &compiled, &[], Sort::Relevance, 0, limit)?;
        let mut marker = Marker::new(&compiled.highlight);
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let title = doc
                .get_first(self.fields.stored_title())
                .and_then(|v| v.as_str())
                .unwrap_or("");
            out.push(Suggestion {
                id: doc.get_first(self.fields.id).and_then(|v| v.as_i64()).unwrap_or(0),
                title_html: marker.mark_all(title),
            });
        }
        Ok(out)
    }

    /// The most common normalized title words beginning with `prefix` (2+ letters),
    /// longer than it, most common first.
    fn completions(&self, searcher: &Searcher, prefix: &str) -> Result<Vec<String>, SearchError> {
        // The article alone begins most title words: count the letters after it.
        let own = prefix.strip_prefix("ال").unwrap_or(prefix);
        if own.chars().count() < MIN_COMPLETION_PREFIX {
            return Ok(Vec::new());
        }
        let field = self.fields.title_at(Level::Normalized);
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xFF);
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&upper)
                .into_stream()
                .map_err(|e| SearchError::Index(e.to_string()))?;
            let mut scanned = 0;
            while scanned < MAX_COMPLETION_SCAN && stream.advance() {
                scanned += 1;
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && term.len() > prefix.len()
                {
                    *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut found: Vec<(String, u64)> = found.into_iter().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(found
            .into_iter()
            .take(MAX_COMPLETIONS)
            .map(|(term, _)| term)
            .collect())
    }

    /// Only the ids of the top `limit` results, without snippets: what the evaluation
    /// measures (and a cheap "related articles" lookup).
    pub fn search_ids(&self, text: &str, limit: usize) -> Result<Vec<i64>, SearchError> {
        let parsed = parse_query(text)?;
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, MAX_LIMIT);
        let expansions = self.expansions(&searcher, &parsed, None)?;
        let compiled = compile(&parsed, &self.fields, &expansions);
        let (top, _) = self.run(&searcher, &compiled, &[], Sort::Relevance, 0, limit)?;
        top.into_iter()
            .map(|(_, address)| self.id_of(&searcher, address))
            .collect()
    }

    fn id_of(&self, searcher: &Searcher, address: DocAddress) -> Result<i64, SearchError> {
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .i64(schema::ID)?;
        column
            .first(address.doc_id)
            .ok_or_else(|| SearchError::Index("document without id".to_owned()))
    }

    fn filters(&self, q: &SearchQuery) -> Vec<Box<dyn Query>> {
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if !q.category_ids.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = q
                .category_ids
                .iter()
                .map(|&c| {
                    let term = Term::from_field_i64(self.fields.category, c);
                    let tq: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, tq)
                })
                .collect();
            filters.push(Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(any)),
                0.0,
            )));
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(v) => Bound::Included(Term::from_field_i64(self.fields.published_at, v)),
                None => Bound::Unbounded,
            };
            filters.push(Box::new(ConstScoreQuery::new(
                Box::new(RangeQuery::new(bound(q.from), bound(q.to))),
                0.0,
            )));
        }
        filters
    }

    fn run(
        &self,
        searcher: &Searcher,
        compiled: &Compiled,
        filters: &[Box<dyn Query>],
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize), SearchError> {
        let query: Box<dyn Query> = if filters.is_empty() {
            compiled.query.box_clone()
        } else {
            let mut clauses = vec![(Occur::Must, compiled.query.box_clone())];
            clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
            Box::new(BooleanQuery::new(clauses))
        };
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let stats = SharedIdf::new(searcher, &compiled.shared_idf)?;
        Ok(match sort {
            Sort::Relevance => searcher.search_with_statistics_provider(
                &query,
                &(top.order_by_score(), Count),
                &stats,
            )?,
            Sort::Newest => {
                let (docs, total) = searcher.search(
                    &query,
                    &(
                        top.order_by_fast_field::<i64>(PUBLISHED_AT, Order::Desc),
                        Count,
                    ),
                )?;
                (docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
            }
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        marker: &mut Marker<'_>,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.fields;
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        Ok(Hit {
            id: int(f.id),
            score,
            title_html: marker.mark_all(text(f.stored_title())),
            snippet_html: marker.snippet(text(f.stored_body())),
            published_at: int(f.published_at),
        })
    }

    /// Documents containing `term` in the title or body field of its level.
    fn doc_freq(&self, searcher: &Searcher, level: Level, term: &str) -> Result<u64, SearchError> {
        let mut n = 0;
        for field in [self.fields.title_at(level), self.fields.body_at(level)] {
            n += searcher.doc_freq(&Term::from_field_text(field, term))?;
        }
        Ok(n)
    }

    /// Documents in which a query word matches at any level, title or body.
    fn word_doc_freq(&self, searcher: &Searcher, word: &QueryWord) -> Result<u64, SearchError> {
        let mut n = 0;
        for level in Level::ALL {
            for term in word.terms(level) {
                n += self.doc_freq(searcher, level, term)?;
            }
        }
        Ok(n)
    }

    /// Extra terms for plain words written nowhere, decided per word: ARABIC.md allows
    /// fuzzy matching "only after exact matching found little", and a word found in even
    /// one article is more likely spelled as meant than mistyped (fuzzing or rescuing words
    /// in under 3 or 10 results instead filled 6–10 % of single-word results with
    /// look-alikes, and fuzzing words whose stem is found 10–21 % of inflected ones).
    ///
    /// 1. Clitic rescue: a one-letter proclitic (`و ف ب ل ك`) that light10 does not strip
    ///    is taken off (`فطعن`, `لثروة`, `كأسير`). Only as a fallback: on words that exist
    ///    the letter is usually part of the root (`لجنة`, `بيونغ`). A word whose stem is
    ///    found elsewhere (`لسلال` meets `لسلالة`) is rescued only when the rest is written
    ///    in two or more articles (`سلال`).
    /// 2. Fuzzy matching, for words of 3+ letters that match nothing at any level and
    ///    were not rescued: existing spellings one edit away, weighed by how plausible the
    ///    slip (see `fuzzy_score`); for words of 3–4 letters, only the two most plausible.
    fn expansions(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        leave: Option<usize>,
    ) -> Result<Vec<Expansion>, SearchError> {
        let mut out = Vec::new();
        for (i, word) in plain_words(parsed).iter().enumerate() {
            if word.stop || leave == Some(i) {
                continue;
            }
            let written = self.doc_freq(searcher, Level::Surface, &word.surface)?
                + self.doc_freq(searcher, Level::Normalized, &word.normalized)?;
            if written > 0 {
                continue;
            }
            let mut stemmed = false;
            for stem in &word.stems {
                stemmed |= self.doc_freq(searcher, Level::Stemmed, stem)? > 0;
            }
            // A word written nowhere whose stem is found elsewhere is read with a clitic
            // only when, without it, it is a word written somewhere (`لسلال`: `سلال`).
            let mut clitic = strip_single_proclitic(&word.normalized);
            if stemmed
                && let Some(rest) = clitic
                && self.doc_freq(searcher, Level::Normalized, rest)? < RESCUE_MIN_WRITTEN
            {
                clitic = None;
            }
            let mut rescued = Vec::new();
            if let Some(rest) = clitic {
                let mut stems = Vec::new();
                analysis::stems_into(rest, &mut stems);
                for stem in stems {
                    if self.doc_freq(searcher, Level::Stemmed, &stem)? > 0 {
                        rescued.push(stem);
                    }
                }
            }
            if !rescued.is_empty() {
                out.push(Expansion {
                    word: i,
                    stems: rescued,
                    ..Expansion::default()
                });
                continue;
            }
            if stemmed {
                continue;
            }
            // Words of 3–4 letters have many neighbours one edit away: only the few most
            // plausible are searched (ARABIC.md decision: short words matching nothing).
            let letters = word.normalized.chars().count();
            let short = (MIN_SHORT_FUZZY_LETTERS..5).contains(&letters);
            let candidates = if short { edits(&word.normalized) } else { fuzzy_candidates(&word.normalized) };
            // Noisy channel (see `fuzzy_score`). Spellings far less likely than the best
            // one are dropped: each fills result slots with look-alikes.
            let mut found = Vec::new();
            for (candidate, plausibility) in candidates {
                let df = self.doc_freq(searcher, Level::Normalized, &candidate)?;
                if df > 0 {
                    found.push((fuzzy_score(plausibility, df), candidate));
                }
            }
            found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let best = found.first().map_or(0.0, |f| f.0);
            let (share, most) = if short { (SHORT_FUZZY_KEEP_SHARE, MAX_SHORT_FUZZY_TERMS) } else { (FUZZY_KEEP_SHARE, MAX_FUZZY_TERMS) };
            found.retain(|f| f.0 >= best * share);
            found.truncate(most);
            if !found.is_empty() {
                out.push(Expansion {
                    word: i,
                    weights: found.iter().map(|(score, _)| score / best.max(f32::EPSILON)).collect(),
                    spellings: found.into_iter().map(|(_, t)| t).collect(),
                    ..Expansion::default()
                });
            }
        }
        Ok(out)
    }

    /// A broader query to offer when `text` found nothing: quotes dropped; else the words
    /// that match something (dropping those that match nothing); else each unmatched word
    /// replaced by its most frequent spelling one edit away ("did you mean"). `None` when
    /// nothing better exists (the query is unusable, or every word matches and the filters
    /// are what excluded everything).
    pub fn relaxed_query(&self, text: &str) -> Option<String> {
        let parsed = parse_query(text).ok()?;
        if parsed.has_phrases() {
            return Some(parsed.unquoted());
        }
        let searcher = self.reader.searcher();
        let words: Vec<&str> = parsed
            .parts
            .iter()
            .filter_map(|p| match p {
                QueryPart::Word(w) => Some(w.as_str()),
                QueryPart::Phrase(_) => None,
            })
            .collect();
        let analyzed = plain_words(&parsed);
        let mut matched = Vec::new();
        for (word, a) in words.iter().zip(&analyzed) {
            let df = self.word_doc_freq(&searcher, a).unwrap_or(0);
            matched.push((*word, a, df > 0));
        }
        if matched.iter().any(|(_, _, m)| *m) {
            if matched.iter().all(|(_, _, m)| *m) {
                return None;
            }
            let kept: Vec<&str> = matched
                .iter()
                .filter(|(_, _, m)| *m)
                .map(|(w, _, _)| *w)
                .collect();
            return Some(kept.join(" "));
        }
        let mut changed = false;
        let mut suggestion = Vec::new();
        for (word, a, _) in &matched {
            let best = fuzzy_candidates_any_length(&a.normalized)
                .into_iter()
                .filter_map(|(c, _)| {
                    let df = self.doc_freq(&searcher, Level::Normalized, &c).ok()?;
                    (df > 0).then_some((df, c))
                })
                .max_by(|x, y| x.0.cmp(&y.0).then_with(|| y.1.cmp(&x.1)));
            match best {
                Some((_, c)) => {
                    changed = true;
                    suggestion.push(c);
                }
                None => suggestion.push((*word).to_owned()),
            }
        }
        changed.then(|| suggestion.join(" "))
    }
}

/// The query with each fuzzed word replaced by its most plausible existing spelling, as
/// the results write it (else normalized); `None` when no word was fuzzed.
fn did_you_mean(parsed: &ParsedQuery, expansions: &[Expansion], marker: &Marker<'_>) -> Option<String> {
    let mut changed = false;
    let mut out = Vec::with_capacity(parsed.parts.len());
    let mut word_index = 0;
    for part in &parsed.parts {
        match part {
            QueryPart::Word(w) => {
                let best = expansions
                    .iter()
                    .find(|e| e.word == word_index)
                    .and_then(|e| e.spellings.first());
                word_index += 1;
                match best {
                    Some(spelling) => {
                        changed = true;
                        out.push(marker.written(spelling).unwrap_or(spelling).to_owned());
                    }
                    None => out.push(w.clone()),
                }
            }
            QueryPart::Phrase(words) => out.push(format!("\"{}\"", words.join(" "))),
        }
    }
    changed.then(|| out.join(" "))
}

/// BM25 statistics where every spelling level of a query word shares the idf of its
/// stemmed term. A rare spelling (`بالمقابلة`) would otherwise weigh far more than the
/// author's common one (`المقابلة`) and push the articles that happen to use the reader's
/// spelling above the one that matches the word; with one idf per word, exact spelling
/// is a bonus proportional to the word's weight, not a weight of its own.
struct SharedIdf<'a> {
    searcher: &'a Searcher,
    overrides: HashMap<Term, u64>,
}

impl<'a> SharedIdf<'a> {
    fn new(searcher: &'a Searcher, links: &[(Term, Term)]) -> Result<SharedIdf<'a>, SearchError> {
        let mut overrides = HashMap::with_capacity(links.len());
        for (term, stem) in links {
            let df = searcher.doc_freq(stem)?.max(searcher.doc_freq(term)?);
            overrides.insert(term.clone(), df);
        }
        Ok(SharedIdf {
            searcher,
            overrides,
        })
    }
}

impl Bm25StatisticsProvider for SharedIdf<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.overrides.get(term) {
            Some(&df) => Ok(df),
            None => self.searcher.doc_freq(term),
        }
    }
}

/// "Did you mean" may look one edit away from shorter words too (3+ letters): it is only
/// offered to the reader, never silently searched.
fn fuzzy_candidates_any_length(normalized: &str) -> Vec<(String, f32)> {
    if normalized.chars().count() < 3 {
        return Vec::new();
    }
    edits(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_file_round_trips() {
        let v = VersionInfo::current(true);
        assert_eq!(VersionInfo::parse(&v.render()), Some(v));
        assert_eq!(VersionInfo::parse("analyzer=ar_v1\n"), None);
    }

    #[test]
    fn search_index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SearchIndex>();
    }
}
