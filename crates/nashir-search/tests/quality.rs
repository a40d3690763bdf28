//! The must-match / must-rank-first table of ARABIC.md, at the index level: each spelling
//! pair indexed one way and searched the other.
#![allow(clippy::unwrap_used)]

mod common;

use common::{doc, ids, index, search};

/// Filler so each article is a realistic sentence and not just the word under test.
fn article(id: i64, word: &str) -> nashir_search::SearchDoc {
    doc(
        id,
        "خبر اليوم",
        &format!("قالت مصادر مطلعة إن {word} كان حاضرا في الاجتماع الذي عقد صباح اليوم."),
    )
}

const MUST_MATCH: &[&[&str]] = &[
    &["قاآني", "قااني"],
    &["أصدقاء", "اصدقاء", "والأصدقاء"],
    &["الأمريكان", "الامريكان", "والأمريكان"],
    &["مستشفى", "مستشفي"],
    &["مَدْرَسَة", "مدرسة"],
    &["الـــرئيس", "الرئيس"],
    &["٢٠٢٤", "2024", "۲۰۲۴"],
    &["کتاب", "كتاب"],
    &["المعلمون", "المعلمين"],
    &["الر\u{200C}ئيس", "الرئيس", "الرئ\u{200F}يس"],
    // Extensions measured by the known-item evaluation.
    &["ﺍﻷﻣﺮﻳﻜﺎﻥ", "الأمريكان"],
    &["إسرائيل", "اسرائيل"],
    &["الولايات", "الولاية"],
    &["وبالجنوب", "الجنوب"],
    &["سكين", "سكينها"],
    &["توقعات", "توقعاته"],
    &["سورية", "سوريات"],
    &["الوهاب", "وهاب"],
    &["٣٫٥", "3.5"],
    &["COVID", "covid"],
];

#[test]
fn every_spelling_finds_every_other() {
    for group in MUST_MATCH {
        for (i, indexed) in group.iter().enumerate() {
            let idx = index(&[article(1, indexed), article(2, "شخص آخر")]);
            for (j, query) in group.iter().enumerate() {
                if i == j {
                    continue;
                }
                let found = ids(&idx, query);
                assert_eq!(
                    found.first(),
                    Some(&1),
                    "indexed {indexed:?}, searched {query:?}: {found:?}"
                );
            }
        }
    }
}

#[test]
fn ali_the_man_ranks_above_ala_the_preposition() {
    let idx = index(&[
        doc(
            1,
            "جلسة البرلمان",
            "صادق المجلس على القانون وعلى الميزانية، وعلى الحكومة أن تنفذه.",
        ),
        doc(
            2,
            "تكريم",
            "كرمت الجمعية الفنان علي في حفل حضره علي وأصدقاؤه.",
        ),
        doc(3, "الطقس", "أمطار على الشمال وعلى الوسط."),
    ]);
    let found = ids(&idx, "علي");
    assert_eq!(found.first(), Some(&2), "{found:?}");
    // Folding still finds the others for readers who typed ي for ى.
    assert!(found.contains(&1) && found.contains(&3), "{found:?}");
}

#[test]
fn the_phrase_al_wilayat_al_muttahida_ranks_first() {
    let idx = index(&[
        doc(
            1,
            "قمة",
            "اجتمع قادة الولايات في المكسيك، وقالت الدول المتحدة في بيان إن الحوار مستمر.",
        ),
        doc(
            2,
            "زيارة",
            "يزور وزير الخارجية الولايات المتحدة الأسبوع المقبل.",
        ),
        doc(
            3,
            "ولايات",
            "الولايات الشمالية تشهد أمطارا. الولايات الجنوبية تشهد جفافا. الولايات كلها.",
        ),
        doc(
            4,
            "أمم",
            "الأمم المتحدة تدعو إلى وقف إطلاق النار. المتحدة المتحدة.",
        ),
    ]);
    for q in ["الولايات المتحدة", "\"الولايات المتحدة\""] {
        let found = ids(&idx, q);
        assert_eq!(found.first(), Some(&2), "{q}: {found:?}");
    }
    // Quoted: only the article with the words side by side.
    assert_eq!(ids(&idx, "«الولايات المتحدة»"), [2]);
}

#[test]
fn exact_spelling_ranks_above_stem_matches() {
    // School / teacher merge when stemmed; the normalized level keeps the school first.
    let idx = index(&[
        doc(1, "تعليم", "المدرس يشرح الدرس للتلاميذ. المدرس صبور."),
        doc(2, "تعليم", "المدرسة الابتدائية في القرية جديدة."),
    ]);
    assert_eq!(ids(&idx, "المدرسة").first(), Some(&2));
    assert_eq!(ids(&idx, "المدرس").first(), Some(&1));
    assert_eq!(ids(&idx, "مدرسة").len(), 2, "both still match when stemmed");
}

#[test]
fn must_not_match_unrelated_words() {
    let idx = index(&[
        doc(1, "سماء", "السماء صافية اليوم."),
        doc(2, "ولا", "لا هذا ولا ذاك."),
        doc(3, "فنانة", "غنّت سما في الحفل."),
    ]);
    // Hamza is not folded into nothing: سما is not سماء (and, being a word of the site,
    // is not read as a typo of it either).
    assert_eq!(ids(&idx, "سما"), [3]);
    // الولايات never stems to ولا ("nor").
    assert!(!ids(&idx, "الولايات").contains(&2));
}

#[test]
fn one_letter_typos_are_forgiven_only_when_nothing_matches() {
    let idx = index(&[
        doc(1, "الاستثمار", "ندوة حول الاستثمار في الجهات الداخلية."),
        doc(2, "أخرى", "خبر عن موضوع مختلف تماما."),
        doc(3, "سوق الخضر", "ارتفاع الأسعار في سوق الخضر."),
        doc(4, "موعد", "سوف يعلن الموعد لاحقا."),
    ]);
    assert_eq!(ids(&idx, "الاستتمار"), [1]);
    assert!(ids(&idx, "ندوه").contains(&1)); // folded, not fuzzy
    // A word of 3–4 letters that matches nothing is searched by its likeliest spellings
    // (ز is the key next to و).
    assert_eq!(ids(&idx, "ندزة"), [1]);
    // One that matches something is never fuzzed: سوف is not read as سوق.
    assert_eq!(ids(&idx, "سوف"), [4]);
    // Two letters are too few to guess from.
    assert_eq!(search(&idx, "نز").total, 0);
}

#[test]
fn a_one_letter_clitic_is_taken_off_when_the_word_matches_nothing() {
    let idx = index(&[doc(1, "أمن", "عملية طعن في الشارع الرئيسي.")]);
    assert_eq!(ids(&idx, "فطعن"), [1]);
    assert_eq!(ids(&idx, "وطعن"), [1]);
}

/// `المات` reads as the article on `مات` first; its other reading (`الم`, pain) only
/// widens the stemmed level and must not outrank the primary one.
#[test]
fn a_words_main_reading_outranks_its_other_readings() {
    let idx = index(&[
        doc(1, "حديقة الحيوان", "تمساح مات في الحديقة بعد مرض قصير."),
        doc(2, "الم الظهر", "الألم في الظهر. ألم مزمن. الم شديد يرافقه ألم في الرقبة."),
        doc(3, "الم المفاصل", "ألم المفاصل والألم العضلي. ألم ثم ألم."),
    ]);
    assert_eq!(ids(&idx, "المات").first(), Some(&1));
}

/// A mistyped word is searched by the existing spellings one slip away; the articles of
/// the likelier slip (two letters swapped) come before those of a less likely one (a
/// letter dropped).
#[test]
fn the_likelier_spelling_of_a_typo_ranks_first() {
    let idx = index(&[
        doc(1, "وصول المسافرين", "وصل المسافرين إلى المطار صباح اليوم بعد تأخر الرحلة."),
        doc(2, "المسفرين", "المسفرين"),
    ]);
    assert_eq!(ids(&idx, "المسفارين"), [1, 2]);
}

/// `لسلال` is written nowhere; its stem meets `لسلالة` (for a lineage), but without its
/// first letter it is `سلال`, a name several articles write: the `ل` is read as a clitic.
#[test]
fn a_clitic_is_taken_off_a_word_written_nowhere_when_the_rest_is_written() {
    let idx = index(&[
        doc(1, "عبد المالك سلال يزور وهران", "وصل سلال إلى وهران صباح اليوم."),
        doc(2, "سلال يترشح", "أعلن سلال ترشحه."),
        doc(3, "حكومة سلال", "اجتمعت حكومة سلال."),
        doc(4, "تاريخ", "كتاب لسلالة الملوك القدامى."),
    ]);
    let found = ids(&idx, "لسلال");
    assert!(found.contains(&1) && found.contains(&2) && found.contains(&3), "{found:?}");
    // Not when the rest is written too rarely to be sure.
    let idx = index(&[
        doc(1, "زيارة إلى وهران", "وصل سلال إلى وهران صباح اليوم."),
        doc(4, "تاريخ", "كتاب لسلالة الملوك القدامى."),
    ]);
    assert_eq!(ids(&idx, "لسلال"), [4]);
}
