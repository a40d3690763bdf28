//! The index schema: which fields exist, how each is analyzed and what is stored.
//! Owns `SCHEMA_VERSION`; bump it with any change here or in the search-side analysis.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis::Level;

/// Written next to [`nashir_arabic::ANALYZER_VERSION`] in the version file. Bump it when a
/// field, its options, or the analysis done in this crate (e.g. the surface level's
/// presentation-form expansion) change: the index is then rebuilt on the next start.
/// 2: text stored in 4 KB blocks (an index keeps the block size it was created with).
/// 3: tags, categories as fast fields, and each article's fingerprint (related stories).
pub(crate) const SCHEMA_VERSION: u32 = 3;

/// Handles to every field, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) published_at: Field,
    pub(crate) category: Field,
    pub(crate) tag: Field,
    /// The body's similarity fingerprint ([`crate::related::fingerprint`]).
    pub(crate) fingerprint: Field,
    /// Indexed per level; `[Surface, Normalized, Stemmed]`, same order as [`Level::ALL`].
    pub(crate) title: [Field; 3],
    pub(crate) body: [Field; 3],
}

impl Fields {
    pub(crate) fn title_at(&self, level: Level) -> Field {
        self.title[level_index(level)]
    }

    pub(crate) fn body_at(&self, level: Level) -> Field {
        self.body[level_index(level)]
    }

    /// The original title and body are stored once, on the surface fields.
    pub(crate) fn stored_title(&self) -> Field {
        self.title_at(Level::Surface)
    }

    pub(crate) fn stored_body(&self) -> Field {
        self.body_at(Level::Surface)
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Surface => 0,
        Level::Normalized => 1,
        Level::Stemmed => 2,
    }
}

pub(crate) const ID: &str = "id";
pub(crate) const PUBLISHED_AT: &str = "published_at";
pub(crate) const CATEGORY: &str = "category";
pub(crate) const TAG: &str = "tag";
pub(crate) const FINGERPRINT: &str = "fingerprint";

pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let numeric = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let id = builder.add_i64_field(ID, numeric.clone());
    let published_at = builder.add_i64_field(PUBLISHED_AT, numeric);
    // Multi-valued: an article may sit in several categories and carry several tags.
    // Filtered on, and read per document when related stories are ranked.
    let category = builder.add_i64_field(CATEGORY, INDEXED | FAST);
    let tag = builder.add_i64_field(TAG, INDEXED | FAST);
    let fingerprint = builder.add_u64_field(FINGERPRINT, FAST);
    let mut text_field = |name: &str, level: Level| {
        // Only the normalized level serves phrases (ARABIC.md), so only it pays for
        // positions; the others need term frequencies for BM25.
        let record = if level == Level::Normalized {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(&level.analyzer_name())
            .set_index_option(record);
        let mut options = TextOptions::default().set_indexing_options(indexing);
        if level == Level::Surface {
            options = options | STORED;
        }
        builder.add_text_field(name, options)
    };
    let title = [
        text_field("title_surface", Level::Surface),
        text_field("title_norm", Level::Normalized),
        text_field("title_stem", Level::Stemmed),
    ];
    let body = [
        text_field("body_surface", Level::Surface),
        text_field("body_norm", Level::Normalized),
        text_field("body_stem", Level::Stemmed),
    ];
    let fields = Fields {
        id,
        published_at,
        category,
        tag,
        fingerprint,
        title,
        body,
    };
    (builder.build(), fields)
}
