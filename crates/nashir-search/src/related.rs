//! Related stories by content: the articles whose words are closest to one article's, by
//! the same analyzer as search (stemmed level, title over body), ranked up when they share
//! its category or tags and when they were published near it, never the article itself nor
//! a near-duplicate of it.
//!
//! The article's most telling words are chosen like a "more like this" query: every stem
//! of its title and body weighted by how often it occurs there (a title word counts
//! several times) and by how rare it is in the index; words in more than a tenth of the
//! articles say nothing about a story and are left out. Those words become one boosted OR
//! over the other articles' titles and bodies, scored by BM25 like a search.
//!
//! Duplicates are told apart in two steps. Each body has a 64-bit similarity fingerprint (a
//! SimHash of its word triples, stored as a fast field); a candidate whose fingerprint is
//! within [`PREFILTER_BITS`] of the article's may be a copy, and only then are the two texts
//! compared: a copy shares at least [`DUPLICATE_SHARE`] of their distinct words (a story
//! sent again with a word or a line changed). On the 10k-article corpus, unrelated texts'
//! fingerprints are at least 15 bits apart (1 % under 22), identical ones 0 to 5.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::analysis::{ArabicTokenizer, Level};
use crate::error::SearchError;
use crate::schema::{CATEGORY, FINGERPRINT, ID, PUBLISHED_AT, TAG};
use crate::SearchIndex;

/// Words of the article the similarity query is made of, at most.
const MAX_QUERY_WORDS: usize = 25;
/// Words in a larger share of the articles are too common to tell stories apart.
const MAX_DOC_SHARE: f32 = 0.1;
/// A word of the title counts as this many words of the body when choosing the words.
const TITLE_WORD_WEIGHT: f32 = 3.0;
/// A word found in another article's title scores this many times one in its body.
const TITLE_MATCH_BOOST: f32 = 2.0;
/// Score multipliers: sharing the primary or another category; each shared tag (up to
/// three); and publication close in time (1 + this at the same moment, half that
/// `RECENCY_DAYS` apart).
const CATEGORY_BOOST: f32 = 0.2;
const TAG_BOOST: f32 = 0.15;
const MAX_SHARED_TAGS: usize = 3;
const RECENCY_BOOST: f32 = 0.5;
const RECENCY_DAYS: f32 = 7.0;
/// Articles that share nothing but a category or tag still fill a short list, after every
/// article that shares words.
const FILLER_SCORE: f32 = 0.001;
/// Fingerprints this close (differing bits) may be of one text: the texts are compared.
pub const PREFILTER_BITS: u32 = 16;
/// Two texts sharing this share of their distinct words (of the two together) are one.
pub const DUPLICATE_SHARE: f32 = 0.8;
/// Word triples make the fingerprint; a body shorter than this many words is
/// fingerprinted with its title.
const SHINGLE_WORDS: usize = 3;
const MIN_FINGERPRINT_WORDS: usize = 12;
const MICROS_PER_DAY: f32 = 86_400_000_000.0;

/// What to find related stories for: an article as it is saved (or being previewed).
#[derive(Debug, Clone, Copy)]
pub struct RelatedQuery<'a> {
    /// Left out of the results; 0 or less for an article not saved yet.
    pub id: i64,
    pub title: &'a str,
    /// Plain text.
    pub body: &'a str,
    pub category_ids: &'a [i64],
    pub tag_ids: &'a [i64],
    /// Unix microseconds.
    pub published_at: i64,
    /// Stories wanted, best first.
    pub limit: usize,
}

/// The related stories of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Related {
    /// Best first, at most the limit asked for, no two of them copies of each other.
    pub ids: Vec<i64>,
    /// Near-duplicates of the article that were found and left out.
    pub duplicates: Vec<i64>,
    /// Every article considered, the ones left out included: when one of them changes,
    /// this list may change.
    pub considered: Vec<i64>,
}

/// The similarity fingerprint of an article's text (0 for no text: never a duplicate).
pub fn fingerprint(title: &str, body: &str) -> u64 {
    let mut words = normalized_words(body);
    if words.len() < MIN_FINGERPRINT_WORDS {
        let mut with_title = normalized_words(title);
        with_title.append(&mut words);
        words = with_title;
    }
    if words.is_empty() {
        return 0;
    }
    let mut votes = [0i32; 64];
    for shingle in words.windows(SHINGLE_WORDS.min(words.len())) {
        let h = fnv1a(shingle);
        for (bit, vote) in votes.iter_mut().enumerate() {
            *vote += if (h >> bit) & 1 == 1 { 1 } else { -1 };
        }
    }
    let print = votes
        .iter()
        .enumerate()
        .fold(0u64, |acc, (bit, &v)| if v > 0 { acc | (1 << bit) } else { acc });
    // 0 means "no text"; a real text that happens to hash to it loses one bit.
    print.max(1)
}

/// Whether two fingerprints are close enough for their texts to be compared.
fn could_be_copies(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= PREFILTER_BITS
}

/// Whether two texts are one: their distinct normalized words, as fingerprinted (the body,
/// with the title when it is short), mostly the same.
pub fn same_text(a: (&str, &str), b: (&str, &str)) -> bool {
    shared_share(&text_words(a.0, a.1), &text_words(b.0, b.1)) >= DUPLICATE_SHARE
}

fn text_words(title: &str, body: &str) -> HashSet<String> {
    let mut words = normalized_words(body);
    if words.len() < MIN_FINGERPRINT_WORDS {
        words.extend(normalized_words(title));
    }
    words.into_iter().collect()
}

fn shared_share(a: &HashSet<String>, b: &HashSet<String>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

fn normalized_words(text: &str) -> Vec<String> {
    nashir_arabic::tokenize(text)
        .map(|w| Level::Normalized.term(w.text))
        .filter(|w| !w.is_empty())
        .collect()
}

/// FNV-1a over the words of a shingle, a separator between them: stable across Rust
/// versions and platforms, since fingerprints are kept in the index.
fn fnv1a(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Per segment: what the ranking reads of each candidate.
struct Columns {
    category: Option<Column<i64>>,
    tag: Option<Column<i64>>,
    published_at: Option<Column<i64>>,
}

impl Columns {
    fn of(segment: &SegmentReader) -> Columns {
        let fast = segment.fast_fields();
        Columns {
            category: fast.i64(CATEGORY).ok(),
            tag: fast.i64(TAG).ok(),
            published_at: fast.i64(PUBLISHED_AT).ok(),
        }
    }
}

impl SearchIndex {
    /// Related stories of an article, by content (see the module documentation).
    pub fn related(&self, q: &RelatedQuery<'_>) -> Result<Related, SearchError> {
        let searcher = self.reader.searcher();
        let total = searcher.num_docs();
        if total == 0 || q.limit == 0 {
            return Ok(Related::default());
        }
        let own_print = fingerprint(q.title, q.body);
        let words = self.telling_words(&searcher, q, total)?;
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len() * 2 + 8);
        for (word, weight) in &words {
            for (field, boost) in [(f.title_at(Level::Stemmed), TITLE_MATCH_BOOST), (f.body_at(Level::Stemmed), 1.0)] {
                let term = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), weight * boost))));
            }
        }
        let filed = q
            .category_ids
            .iter()
            .map(|&c| Term::from_field_i64(f.category, c))
            .chain(q.tag_ids.iter().map(|&t| Term::from_field_i64(f.tag, t)));
        for term in filed {
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(query), FILLER_SCORE))));
        }
        if clauses.is_empty() {
            return Ok(Related::default());
        }
        clauses.push((Occur::MustNot, Box::new(TermQuery::new(Term::from_field_i64(f.id, q.id), IndexRecordOption::Basic))));
        let query = BooleanQuery::new(clauses);
        // Room for the duplicates and near-copies of each other that are left out.
        let wanted = q.limit * 3 + 10;
        let categories = q.category_ids.to_vec();
        let tags = q.tag_ids.to_vec();
        let published_at = q.published_at;
        let collector = TopDocs::with_limit(wanted).tweak_score(move |segment: &SegmentReader| {
            let columns = Columns::of(segment);
            let (categories, tags) = (categories.clone(), tags.clone());
            move |doc: DocId, score: Score| {
                let mut boost = 1.0;
                if let Some(c) = &columns.category
                    && c.values_for_doc(doc).any(|v| categories.contains(&v))
                {
                    boost *= 1.0 + CATEGORY_BOOST;
                }
                if let Some(t) = &columns.tag {
                    let shared = t.values_for_doc(doc).filter(|v| tags.contains(v)).count();
                    boost *= 1.0 + TAG_BOOST * shared.min(MAX_SHARED_TAGS) as f32;
                }
                if let Some(p) = columns.published_at.as_ref().and_then(|p| p.first(doc)) {
                    let days = (p - published_at).unsigned_abs() as f32 / MICROS_PER_DAY;
                    boost *= 1.0 + RECENCY_BOOST / (1.0 + days / RECENCY_DAYS);
                }
                score * boost
            }
        });
        let top = searcher.search(&query, &collector)?;
        let mut own_words: Option<HashSet<String>> = None;
        let mut related = Related::default();
        // The stories kept: fingerprint, address, and words once read.
        let mut kept: Vec<(u64, DocAddress, Option<HashSet<String>>)> = Vec::new();
        for (_, address) in top {
            let (id, print) = id_and_print(&searcher, address)?;
            related.considered.push(id);
            let mut words: Option<HashSet<String>> = None;
            if could_be_copies(own_print, print) {
                let own = own_words.get_or_insert_with(|| text_words(q.title, q.body));
                let theirs = words.insert(self.stored_words(&searcher, address)?);
                if shared_share(own, theirs) >= DUPLICATE_SHARE {
                    related.duplicates.push(id);
                    continue;
                }
            }
            if related.ids.len() >= q.limit {
                continue;
            }
            let mut copy_of_kept = false;
            for (kept_print, kept_address, kept_words) in &mut kept {
                if !could_be_copies(*kept_print, print) {
                    continue;
                }
                let theirs = match &words {
                    Some(w) => w,
                    None => words.insert(self.stored_words(&searcher, address)?),
                };
                let mine = match kept_words {
                    Some(w) => w,
                    None => kept_words.insert(self.stored_words(&searcher, *kept_address)?),
                };
                if shared_share(mine, theirs) >= DUPLICATE_SHARE {
                    copy_of_kept = true;
                    break;
                }
            }
            if !copy_of_kept {
                related.ids.push(id);
                kept.push((print, address, words));
            }
        }
        Ok(related)
    }

    /// The words of a stored article, as [`same_text`] compares them.
    fn stored_words(&self, searcher: &Searcher, address: DocAddress) -> Result<HashSet<String>, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        Ok(text_words(&text(self.fields.stored_title()), &text(self.fields.stored_body())))
    }

    /// [`SearchIndex::related`] for an article as the index holds it (its stored title and
    /// body, categories, tags and date); None when the index does not hold it.
    pub fn related_to_indexed(&self, id: i64, limit: usize) -> Result<Option<Related>, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_i64(self.fields.id, id), IndexRecordOption::Basic);
        let Some((_, address)) = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?.pop() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let (title, body) = (text(self.fields.stored_title()), text(self.fields.stored_body()));
        let columns = Columns::of(searcher.segment_reader(address.segment_ord));
        let all = |c: &Option<Column<i64>>| c.as_ref().map(|c| c.values_for_doc(address.doc_id).collect::<Vec<_>>()).unwrap_or_default();
        let (category_ids, tag_ids) = (all(&columns.category), all(&columns.tag));
        let published_at = columns.published_at.as_ref().and_then(|p| p.first(address.doc_id)).unwrap_or(0);
        self.related(&RelatedQuery { id, title: &title, body: &body, category_ids: &category_ids, tag_ids: &tag_ids, published_at, limit })
            .map(Some)
    }

    /// The article's stems, weighted by frequency in it and rarity in the index, best
    /// first, each weight relative to the best one.
    fn telling_words(&self, searcher: &Searcher, q: &RelatedQuery<'_>, total: u64) -> Result<Vec<(String, f32)>, SearchError> {
        let mut counts: HashMap<String, f32> = HashMap::new();
        let mut tokenizer = ArabicTokenizer::new(Level::Stemmed);
        for (text, weight) in [(q.title, TITLE_WORD_WEIGHT), (q.body, 1.0)] {
            let mut stream = tokenizer.token_stream(text);
            while stream.advance() {
                *counts.entry(stream.token().text.clone()).or_default() += weight;
            }
        }
        let body = self.fields.body_at(Level::Stemmed);
        let title = self.fields.title_at(Level::Stemmed);
        let max_docs = (total as f32 * MAX_DOC_SHARE).max(2.0);
        let mut weighted = Vec::with_capacity(counts.len());
        for (word, count) in counts {
            let docs = searcher
                .doc_freq(&Term::from_field_text(body, &word))?
                .max(searcher.doc_freq(&Term::from_field_text(title, &word))?);
            if docs == 0 || docs as f32 > max_docs {
                continue;
            }
            let rarity = (total as f32 / docs as f32).ln().max(0.0) + 1.0;
            weighted.push((word, (1.0 + count.ln()) * rarity));
        }
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighted.truncate(MAX_QUERY_WORDS);
        let best = weighted.first().map_or(1.0, |w| w.1);
        for w in &mut weighted {
            w.1 /= best;
        }
        Ok(weighted)
    }
}

fn id_and_print(searcher: &Searcher, address: DocAddress) -> Result<(i64, u64), SearchError> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let id = fast.i64(ID)?.first(address.doc_id).unwrap_or(0);
    let print = fast.u64(FINGERPRINT)?.first(address.doc_id).unwrap_or(0);
    Ok((id, print))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short news story (the corpus averages about 110 words).
    const STORY: &str = "أعلنت وزارة الصحة التونسية اليوم عن حملة تلقيح جديدة ضد الحصبة في ولايات الجنوب \
        تشمل الأطفال دون سن الخامسة، وقالت إن الفرق الطبية ستزور المدارس والقرى النائية طيلة أسبوعين. \
        وأوضح المدير الجهوي للصحة بقابس أن الحملة تأتي بعد تسجيل عشرات الإصابات في الأسابيع الأخيرة، \
        داعيا الأولياء إلى الإقبال على مراكز الصحة الأساسية وحمل دفاتر التلقيح. وأضاف أن الوزارة وفرت \
        كميات كافية من التلاقيح وأن الفرق ستعمل أيام السبت والأحد في المناطق التي يصعب الوصول إليها، \
        وأن حملة تحسيسية عبر الإذاعات الجهوية سترافق التلقيح طيلة الشهر.";

    #[test]
    fn one_text_has_one_fingerprint_and_an_edited_copy_is_compared_and_found() {
        let a = fingerprint("حملة تلقيح", STORY);
        assert_eq!(a, fingerprint("عنوان آخر", STORY), "a long body is fingerprinted alone");
        let edited = STORY.replace("أسبوعين", "ثلاثة أسابيع").replace("عشرات", "مئات");
        assert!(could_be_copies(a, fingerprint("حملة تلقيح", &edited)));
        assert!(same_text(("حملة تلقيح", STORY), ("تلقيح", &edited)));
        let other = "فاز النادي الإفريقي على الترجي الرياضي بهدفين دون رد في دربي العاصمة مساء الأحد \
            أمام جمهور غفير ملأ مدارج الملعب الأولمبي برادس، وتصدر بذلك ترتيب البطولة.";
        assert!(!could_be_copies(a, fingerprint("دربي", other)));
        assert!(!same_text(("حملة تلقيح", STORY), ("دربي", other)));
        // Half the story told again is a follow-up, not a copy.
        let half: String = STORY.split(". ").take(2).collect::<Vec<_>>().join(". ");
        assert!(!same_text(("حملة تلقيح", STORY), ("حملة تلقيح", &half)));
        assert_eq!(fingerprint("", ""), 0);
        assert!(!could_be_copies(0, 0), "no text is nobody's copy");
    }

    #[test]
    fn related_stories_leave_out_the_article_its_copies_and_copies_of_each_other() {
        let index = SearchIndex::in_memory().expect("index");
        let doc = |id: i64, title: &str, body: &str| crate::SearchDoc {
            id,
            title: title.into(),
            body: body.into(),
            category_ids: vec![1],
            tag_ids: vec![],
            published_at: id,
        };
        let edited = STORY.replace("عشرات", "مئات");
        let follow_up = "بدأت اليوم حملة التلقيح ضد الحصبة في ولايات الجنوب، وأقبل الأولياء على مراكز الصحة الأساسية \
            بقابس ومدنين وتطاوين، وقال المدير الجهوي للصحة إن الفرق الطبية لقحت آلاف الأطفال في اليوم الأول.";
        for d in [
            doc(1, "حملة تلقيح ضد الحصبة", STORY),
            doc(2, "الصحة: حملة تلقيح", &edited),
            doc(3, "انطلاق حملة التلقيح ضد الحصبة", follow_up),
            doc(4, "إقبال على التلقيح ضد الحصبة", follow_up),
            doc(5, "فوز الإفريقي", "فاز النادي الإفريقي على الترجي الرياضي بهدفين دون رد."),
        ] {
            index.upsert(&d).expect("upsert");
        }
        index.commit().expect("commit");
        let r = index.related_to_indexed(1, 5).expect("related").expect("indexed");
        assert_eq!(r.duplicates, vec![2], "the edited copy");
        // The follow-up, told twice, comes first and once.
        assert!(matches!(r.ids.first(), Some(3 | 4)), "{r:?}");
        assert_eq!(r.ids.iter().filter(|&&i| i == 3 || i == 4).count(), 1, "{r:?}");
        assert!(!r.ids.contains(&1) && !r.ids.contains(&2), "{r:?}");
        assert!(r.ids.contains(&5), "the rest of the category fills the list");
        assert!(r.considered.contains(&3) && r.considered.contains(&4));
        assert_eq!(index.related_to_indexed(99, 5).expect("related"), None);
    }
}
