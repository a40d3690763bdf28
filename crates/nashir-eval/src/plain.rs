//! The reference "plain" index: tantivy's default tokenizer and lower-casing over title and
//! body, no Arabic folding. Owns nothing Nashir serves; it is the baseline of evaluations and benchmarks.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, INDEXED, IndexRecordOption, NumericOptions, Schema, TEXT};
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::error::EvalError;
use nashir_search::analyzer::TITLE_BOOST;
use nashir_search::SearchDoc;

/// What most sites get today: whitespace/punctuation tokens, lower case, nothing else.
/// Same title boost and OR semantics as [`nashir_search::SearchIndex`], so a comparison isolates
/// the analyzer.
pub struct PlainIndex {
    index: Index,
    reader: IndexReader,
    title: Field,
    body: Field,
}

impl std::fmt::Debug for PlainIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlainIndex").finish_non_exhaustive()
    }
}

const ID: &str = "id";
const MAX_WORDS: usize = 16;

impl PlainIndex {
    /// Indexes `docs` in memory with `threads` indexing threads and commits.
    pub fn build<'a>(
        docs: impl IntoIterator<Item = &'a SearchDoc>,
        threads: usize,
    ) -> Result<PlainIndex, EvalError> {
        let mut builder = Schema::builder();
        let id = builder.add_i64_field(ID, NumericOptions::default().set_fast() | INDEXED);
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let threads = threads.max(1);
        let mut writer = index.writer_with_num_threads(threads, threads * (64 << 20))?;
        for doc in docs {
            let mut d = TantivyDocument::default();
            d.add_i64(id, doc.id);
            d.add_text(title, &doc.title);
            d.add_text(body, &doc.body);
            writer.add_document(d)?;
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(PlainIndex {
            index,
            reader,
            title,
            body,
        })
    }

    /// Ids of the top `limit` documents for `text` (OR of its words, title boosted).
    pub fn search_ids(&self, text: &str, limit: usize) -> Result<Vec<i64>, EvalError> {
        let mut analyzer = self.index.tokenizer_for_field(self.body)?;
        let mut words = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if words.len() == MAX_WORDS {
                break;
            }
            if !words.contains(&token.text) {
                words.push(token.text.clone());
            }
        }
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            for (field, boost) in [(self.title, TITLE_BOOST), (self.body, 1.0)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        top.into_iter()
            .map(|(_, address)| {
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .i64(ID)?
                    .first(address.doc_id)
                    .ok_or_else(|| EvalError::Plain(tantivy::TantivyError::InternalError("document without id".to_owned())))
            })
            .collect()
    }
}
