//! Search behaviour seen from the public API: snippets, phrases, filters, sorting, paging,
//! query errors and relaxed queries.
#![allow(clippy::unwrap_used)]

mod common;

use common::{DAY, doc, ids, index, search};
use nashir_search::{QueryError, SearchDoc, SearchError, SearchQuery, Sort};

#[test]
fn snippets_highlight_the_authors_spelling() {
    let idx = index(&[doc(
        1,
        "قائد فيلق القدس في بغداد",
        "وصل إسماعيل قاآني، قائد فيلق القدس، إلى بغداد صباح اليوم.",
    )]);
    let r = search(&idx, "قااني");
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    assert!(
        hit.snippet_html.contains("<mark>قاآني</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(!hit.title_html.contains("<mark>"));
    let r = search(&idx, "القدس");
    assert!(r.hits[0].title_html.contains("<mark>القدس</mark>"));
}

#[test]
fn awkward_text_never_breaks_offsets() {
    let body = "\u{200F}قال الـــرئيسُ: «الـــولايات» 👍🏽 ي\u{200C}ذهب ﺍﻷﻣﺮﻳﻜﺎﻥ ﻻ ﷺ مَدْرَسَةٌ 👨‍👩‍👧 ٣٫٥ \u{200E}غداً\u{200E} 🇹🇳";
    let idx = index(&[doc(1, "ﺍﻟﺮﺋﻴﺲ 👍 «عنوان»", body)]);
    for q in [
        "الرئيس",
        "الولايات",
        "يذهب",
        "الامريكان",
        "لا",
        "مدرسة",
        "3.5",
        "غدا",
    ] {
        let r = search(&idx, q);
        assert_eq!(r.total, 1, "{q}");
        let hit = &r.hits[0];
        assert!(
            hit.snippet_html.contains("<mark>"),
            "{q}: {}",
            hit.snippet_html
        );
    }
    let r = search(&idx, "الرئيس");
    assert!(
        r.hits[0].title_html.contains("<mark>ﺍﻟﺮﺋﻴﺲ</mark>"),
        "{}",
        r.hits[0].title_html
    );
}

#[test]
fn snippets_and_titles_are_escaped() {
    let idx = index(&[doc(
        1,
        "<b>تونس</b> & \"الجزائر\"",
        "<script>alert('تونس')</script> نص عن تونس",
    )]);
    let hit = &search(&idx, "تونس").hits[0];
    assert!(!hit.title_html.contains("<b>") && hit.title_html.contains("&lt;b&gt;"));
    assert!(hit.title_html.contains("&amp;") && hit.title_html.contains("&quot;"));
    assert!(
        !hit.snippet_html.contains("<script>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.contains("<mark>تونس</mark>"));
}

#[test]
fn phrases_need_the_words_side_by_side_in_normalized_form() {
    let idx = index(&[
        doc(1, "أ", "زار البيت الأبيض وفد رسمي."),
        doc(2, "ب", "البيت جميل واللون الأبيض."),
    ]);
    assert_eq!(ids(&idx, "\"البيت الابيض\""), [1]);
    assert_eq!(ids(&idx, "“البيت الأبيض”"), [1]);
    let mut both = ids(&idx, "البيت الأبيض");
    assert_eq!(both[0], 1);
    both.sort_unstable();
    assert_eq!(both, [1, 2]);
}

fn dated(id: i64, categories: Vec<i64>, day: i64) -> SearchDoc {
    SearchDoc {
        id,
        title: format!("مباراة رقم {id}"),
        body: "انتهت المباراة بالتعادل.".to_owned(),
        category_ids: categories,
        tag_ids: Vec::new(),
        published_at: day * DAY,
    }
}

#[test]
fn filters_by_category_and_date_range() {
    let idx = index(&[
        dated(1, vec![10], 1),
        dated(2, vec![20], 2),
        dated(3, vec![10, 30], 3),
        dated(4, vec![40], 4),
    ]);
    let run = |q: SearchQuery| {
        let mut found: Vec<i64> = idx.search(&q).unwrap().hits.iter().map(|h| h.id).collect();
        found.sort_unstable();
        found
    };
    let base = SearchQuery::new("مباراة");
    assert_eq!(run(base.clone()), [1, 2, 3, 4]);
    assert_eq!(
        run(SearchQuery {
            category_ids: vec![10],
            ..base.clone()
        }),
        [1, 3]
    );
    assert_eq!(
        run(SearchQuery {
            category_ids: vec![20, 30],
            ..base.clone()
        }),
        [2, 3]
    );
    // Inclusive bounds.
    assert_eq!(
        run(SearchQuery {
            from: Some(2 * DAY),
            to: Some(3 * DAY),
            ..base.clone()
        }),
        [2, 3]
    );
    assert_eq!(
        run(SearchQuery {
            from: Some(3 * DAY),
            ..base.clone()
        }),
        [3, 4]
    );
    assert_eq!(
        run(SearchQuery {
            to: Some(DAY),
            ..base.clone()
        }),
        [1]
    );
    assert_eq!(
        run(SearchQuery {
            category_ids: vec![10],
            from: Some(2 * DAY),
            ..base
        }),
        [3]
    );
}

#[test]
fn sorts_by_relevance_by_default_or_newest() {
    let idx = index(&[
        doc(
            1,
            "الانتخابات البلدية",
            "الانتخابات البلدية في موعدها. الانتخابات.",
        ),
        doc(2, "خبر", "تحدث الوزير عن الانتخابات."),
        doc(3, "خبر آخر", "ذكر التقرير الانتخابات مرة."),
    ]);
    assert_eq!(ids(&idx, "الانتخابات")[0], 1);
    let newest = idx
        .search(&SearchQuery {
            sort: Sort::Newest,
            ..SearchQuery::new("الانتخابات")
        })
        .unwrap();
    let order: Vec<i64> = newest.hits.iter().map(|h| h.id).collect();
    assert_eq!(order, [3, 2, 1]);
    assert_eq!(newest.hits[0].published_at, 3 * DAY);
}

#[test]
fn pages_are_consistent() {
    let docs: Vec<SearchDoc> = (1..=25)
        .map(|i| {
            doc(
                i,
                &format!("تقرير {i}"),
                &"اقتصاد ".repeat(usize::try_from(i).unwrap()),
            )
        })
        .collect();
    let idx = index(&docs);
    let page = |offset, limit| {
        let r = idx
            .search(&SearchQuery {
                offset,
                limit,
                ..SearchQuery::new("اقتصاد")
            })
            .unwrap();
        assert_eq!(r.total, 25);
        r.hits.iter().map(|h| h.id).collect::<Vec<_>>()
    };
    let all = page(0, 25);
    assert_eq!(all.len(), 25);
    assert_eq!(page(0, 10), all[..10]);
    assert_eq!(page(10, 10), all[10..20]);
    assert_eq!(page(20, 10), all[20..]);
    assert!(page(30, 10).is_empty());
    assert_eq!(page(5, 0).len(), 1, "limit 0 is taken as 1");
    assert_eq!(page(0, 1000).len(), 25, "limit is capped, not refused");
}

#[test]
fn unusable_queries_are_typed_errors() {
    let idx = index(&[doc(1, "خبر", "نص")]);
    let err = |text: &str| match idx.search(&SearchQuery::new(text)) {
        Err(SearchError::Query(e)) => e,
        other => panic!("{text:?}: {other:?}"),
    };
    assert_eq!(err(""), QueryError::Empty);
    assert_eq!(err("   \u{00A0}\t"), QueryError::Empty);
    assert_eq!(err("!!!"), QueryError::NoSearchableTerms);
    assert_eq!(err("«» ؟ 👍"), QueryError::NoSearchableTerms);
    assert_eq!(
        err(&"ب".repeat(10_000)),
        QueryError::TooLong { max_chars: 200 }
    );
    assert!(
        idx.search(&SearchQuery::new("!!!"))
            .unwrap_err()
            .is_query_error()
    );
    // A query of SQL or markup is just words.
    let r = search(&idx, "'; DROP TABLE articles; -- <script>");
    assert_eq!(r.total, 0);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let idx = index(&[doc(1, "قديم", "نص قديم عن الزراعة")]);
    idx.upsert(&doc(1, "جديد", "نص جديد عن الصناعة")).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 1);
    assert!(ids(&idx, "الزراعة").is_empty());
    assert_eq!(ids(&idx, "الصناعة"), [1]);
    idx.delete(1).unwrap();
    idx.delete(99).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 0);
}

#[test]
fn rebuild_replaces_everything_and_reports_progress() {
    let idx = index(&[doc(1, "قديم", "نص")]);
    let mut seen = Vec::new();
    let docs = (10..2510).map(|i| doc(i, "عنوان", "نص جديد"));
    let n = idx.rebuild(docs, |p| seen.push(p)).unwrap();
    assert_eq!(n, 2500);
    assert_eq!(idx.doc_count(), 2500);
    assert_eq!(seen, [1000, 2000, 2500]);
    assert!(ids(&idx, "قديم").is_empty());
}

#[test]
fn relaxed_queries_for_empty_results() {
    let idx = index(&[
        doc(1, "المنتخب الوطني", "فاز المنتخب الوطني على منافسه."),
        doc(2, "الاقتصاد", "نمو الاقتصاد الوطني."),
    ]);
    // Quotes dropped.
    assert_eq!(search(&idx, "\"الوطني المنتخب\"").total, 0);
    assert_eq!(
        idx.relaxed_query("\"الوطني المنتخب\"").as_deref(),
        Some("الوطني المنتخب")
    );
    // Words that match nothing dropped.
    assert_eq!(
        idx.relaxed_query("المنتخب زقزقزق").as_deref(),
        Some("المنتخب")
    );
    // A misspelled short word: did you mean.
    assert_eq!(idx.relaxed_query("نمز").as_deref(), Some("نمو"));
    // Nothing better to offer.
    assert_eq!(idx.relaxed_query("المنتخب"), None);
    assert_eq!(idx.relaxed_query("!!!"), None);
    assert_eq!(idx.relaxed_query("قثصفغ"), None);
}

#[test]
fn a_mistyped_word_offers_the_spelling_the_results_use() {
    let idx = index(&[
        doc(1, "زيارة", "وصل الوفد إلى السفارة الأمريكية صباح اليوم."),
        doc(2, "اقتصاد", "ارتفعت أسعار الوقود في السوق."),
    ]);
    let r = search(&idx, "السفارة الأمريكبة");
    assert_eq!(r.hits.first().map(|h| h.id), Some(1));
    assert_eq!(r.did_you_mean.as_deref(), Some("السفارة الأمريكية"));
    let r = search(&idx, "\"السفارة\" الأمريكبة");
    assert_eq!(r.did_you_mean.as_deref(), Some("\"السفارة\" الأمريكية"));
    assert_eq!(search(&idx, "السفارة الأمريكية").did_you_mean, None);
    // A clitic taken off is not a spelling mistake.
    assert_eq!(search(&idx, "فالسفارة").did_you_mean, None);
}

#[test]
fn suggestions_complete_the_word_being_typed() {
    let idx = index(&[
        doc(1, "بغداد تستضيف القمة العربية", "تستضيف العاصمة العراقية القمة."),
        doc(2, "البصرة تفتتح ميناء جديدا", "افتتح الميناء الجديد في البصرة."),
        doc(3, "أمطار غزيرة في بغداد", "هطلت أمطار غزيرة على العاصمة."),
    ]);
    let suggest = |text: &str| idx.suggest(text, 5).unwrap_or_else(|e| panic!("{text}: {e}"));
    let found = suggest("بغد");
    let mut ids: Vec<i64> = found.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [1, 3]);
    assert!(found.iter().all(|s| s.title_html.contains("<mark>بغداد</mark>")), "{found:?}");
    // The words before the last are searched as usual; the last completes.
    assert_eq!(suggest("أمطار بغ").first().map(|s| s.id), Some(3));
    // Two letters after the article: `الب` begins too many words, `البص` begins `البصرة`.
    assert!(suggest("الب").is_empty());
    assert_eq!(suggest("البص").first().map(|s| s.id), Some(2));
    // Any space ends a word, however many bytes it takes.
    assert_eq!(suggest("أمطار\u{a0}بغ").first().map(|s| s.id), Some(3));
    assert_eq!(suggest("أمطار\u{3000}ب").first().map(|s| s.id), Some(3));
    // A finished word (a space after it) is not completed.
    assert!(suggest("بغد ").is_empty());
    // One letter is too little to complete, or to search as a word.
    assert!(suggest("ب").is_empty());
    assert_eq!(suggest("أمطار ب").first().map(|s| s.id), Some(3));
    assert!(suggest("   ").is_empty());
    assert!(idx.suggest("؟؟", 5).is_err());
}
