//! Query variant families of ARABIC.md's known-item evaluation: how readers misspell a query.
//! Owns one pure function per family (query + seed → variant, or `None` when it does not apply).

use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

use nashir_search::analyzer::keyboard_neighbours;

/// A way readers' spelling differs from the author's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// The words as the author wrote them.
    Base,
    /// `أ إ آ ٱ` written as bare `ا`.
    HamzaDropped,
    /// A hamza put on a word-initial bare alef (`الاتحاد` → `الإتحاد`, `انتخابات` → `أنتخابات`).
    HamzaAdded,
    /// Final `ة` written `ه` and final `ه` written `ة`.
    TaMarbuta,
    /// Final `ى` written `ي` and final `ي` written `ى`.
    AlefMaqsura,
    /// Random harakat after letters.
    Harakat,
    /// Tatweel stretching a word between two joining letters.
    Tatweel,
    /// ASCII digits as Arabic-Indic and Arabic-Indic or Persian ones as ASCII.
    Digits,
    /// One of `و ف ب ل ك ال وال بال لل` glued to a word.
    CliticAdded,
    /// A conjunction, preposition or article taken off a word.
    CliticRemoved,
    /// A plural, dual or pronoun suffix (`ات ون ين ان ها ه`) added, or a plural one removed.
    Suffix,
    /// Persian keyboard letters: `ی` for `ي`/`ى`, `ک` for `ك`.
    Persian,
    /// ZWNJ, ZWJ, LRM, RLM or ALM inside words (pasted from other apps).
    Invisible,
    /// Letters in Arabic presentation forms (legacy PDFs, old sites), `لا` ligatures included.
    PresentationForms,
    /// One letter deleted, doubled, swapped with its neighbour or replaced by a key next to it.
    Typo,
    /// A lazy typist: hamza dropped, `ة`→`ه`, `ى`→`ي`, and half the time a clitic changed.
    Mix,
}

impl Family {
    pub const ALL: [Family; 16] = [
        Family::Base,
        Family::HamzaDropped,
        Family::HamzaAdded,
        Family::TaMarbuta,
        Family::AlefMaqsura,
        Family::Harakat,
        Family::Tatweel,
        Family::Digits,
        Family::CliticAdded,
        Family::CliticRemoved,
        Family::Suffix,
        Family::Persian,
        Family::Invisible,
        Family::PresentationForms,
        Family::Typo,
        Family::Mix,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Base => "base (as written)",
            Family::HamzaDropped => "hamza dropped",
            Family::HamzaAdded => "hamza added",
            Family::TaMarbuta => "ة↔ه",
            Family::AlefMaqsura => "ى↔ي",
            Family::Harakat => "harakat sprinkled",
            Family::Tatweel => "tatweel inserted",
            Family::Digits => "digits re-scripted",
            Family::CliticAdded => "clitic prefix added",
            Family::CliticRemoved => "clitic prefix removed",
            Family::Suffix => "plural/dual/pronoun suffix",
            Family::Persian => "Persian letters",
            Family::Invisible => "invisible characters",
            Family::PresentationForms => "presentation forms",
            Family::Typo => "one-letter typo",
            Family::Mix => "realistic mix",
        }
    }

    /// The variant of `query` (words separated by single spaces), deterministic in
    /// `seed`; `None` when the family does not apply (no digit to re-script, no hamza to
    /// drop…) or changes nothing.
    pub fn apply(self, query: &str, seed: u64) -> Option<String> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        let out = match self {
            Family::Base => query.to_owned(),
            Family::HamzaDropped => map_words(&words, drop_hamza),
            Family::HamzaAdded => map_words(&words, |w| add_hamza(w, &mut rng)),
            Family::TaMarbuta => map_words(&words, swap_ta_marbuta),
            Family::AlefMaqsura => map_words(&words, swap_alef_maqsura),
            Family::Harakat => map_words(&words, |w| sprinkle_harakat(w, &mut rng)),
            Family::Tatweel => map_words(&words, |w| insert_tatweel(w, &mut rng)),
            Family::Digits => map_words(&words, rescript_digits),
            Family::CliticAdded => on_one_word(&words, &mut rng, add_clitic),
            Family::CliticRemoved => on_one_word(&words, &mut rng, remove_clitic),
            Family::Suffix => on_one_word(&words, &mut rng, change_suffix),
            Family::Persian => map_words(&words, persian_letters),
            Family::Invisible => map_words(&words, |w| insert_invisible(w, &mut rng)),
            Family::PresentationForms => map_words(&words, presentation_forms),
            Family::Typo => typo_in_longest(&words, &mut rng)?,
            Family::Mix => {
                let lazy = map_words(&words, |w| {
                    swap_alef_maqsura_one_way(&swap_ta_marbuta_one_way(&drop_hamza(w)))
                });
                let lazy_words: Vec<&str> = lazy.split(' ').collect();
                if rng.random_bool(0.5) {
                    let change = if rng.random_bool(0.5) {
                        add_clitic
                    } else {
                        remove_clitic
                    };
                    on_one_word(&lazy_words, &mut rng, change)
                } else {
                    lazy
                }
            }
        };
        (self == Family::Base || out != query).then_some(out)
    }
}

fn map_words(words: &[&str], mut f: impl FnMut(&str) -> String) -> String {
    words.iter().map(|w| f(w)).collect::<Vec<_>>().join(" ")
}

/// Applies `f` to one word chosen at random among those it changes.
fn on_one_word(
    words: &[&str],
    rng: &mut Xoshiro256PlusPlus,
    f: fn(&str, &mut Xoshiro256PlusPlus) -> Option<String>,
) -> String {
    let mut candidates: Vec<usize> = (0..words.len()).collect();
    while !candidates.is_empty() {
        let k = rng.random_range(0..candidates.len());
        let i = candidates.swap_remove(k);
        if let Some(changed) = f(words[i], rng) {
            let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            out[i] = changed;
            return out.join(" ");
        }
    }
    words.join(" ")
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

fn letter_count(w: &str) -> usize {
    w.chars().filter(|&c| is_arabic_letter(c)).count()
}

pub(crate) fn drop_hamza(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            c => c,
        })
        .collect()
}

fn add_hamza(w: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let hamza = if rng.random_bool(0.5) { 'أ' } else { 'إ' };
    // The alef of the article ال is a hamzat wasl and never gets one; the next alef can.
    let (prefix, rest) = match w.strip_prefix("ال") {
        Some(rest) => ("ال", rest),
        None => ("", w),
    };
    match rest.strip_prefix('ا') {
        Some(tail) if letter_count(tail) >= 2 => format!("{prefix}{hamza}{tail}"),
        _ => w.to_owned(),
    }
}

fn swap_ta_marbuta(w: &str) -> String {
    if let Some(stem) = w.strip_suffix('ة') {
        format!("{stem}ه")
    } else if let Some(stem) = w.strip_suffix('ه')
        && letter_count(stem) >= 2
    {
        format!("{stem}ة")
    } else {
        w.to_owned()
    }
}

fn swap_ta_marbuta_one_way(w: &str) -> String {
    w.strip_suffix('ة')
        .map_or_else(|| w.to_owned(), |stem| format!("{stem}ه"))
}

fn swap_alef_maqsura(w: &str) -> String {
    if let Some(stem) = w.strip_suffix('ى') {
        format!("{stem}ي")
    } else if let Some(stem) = w.strip_suffix('ي')
        && letter_count(stem) >= 2
    {
        format!("{stem}ى")
    } else {
        w.to_owned()
    }
}

fn swap_alef_maqsura_one_way(w: &str) -> String {
    w.strip_suffix('ى')
        .map_or_else(|| w.to_owned(), |stem| format!("{stem}ي"))
}

const HARAKAT: [char; 8] = [
    '\u{064E}', '\u{064F}', '\u{0650}', '\u{0652}', '\u{0651}', '\u{064B}', '\u{064C}', '\u{064D}',
];

fn sprinkle_harakat(w: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let mut out = String::with_capacity(w.len() * 2);
    for c in w.chars() {
        out.push(c);
        if is_arabic_letter(c) && rng.random_bool(0.6) {
            out.push(*HARAKAT.choose(rng).unwrap_or(&'\u{064E}'));
        }
    }
    out
}

/// Letters that connect to the following letter; tatweel can only follow these.
fn joins_next(c: char) -> bool {
    is_arabic_letter(c)
        && !matches!(
            c,
            'ء' | 'آ' | 'أ' | 'ؤ' | 'إ' | 'ا' | 'ة' | 'د' | 'ذ' | 'ر' | 'ز' | 'و' | 'ى'
        )
}

fn insert_tatweel(w: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let chars: Vec<char> = w.chars().collect();
    let spots: Vec<usize> = (1..chars.len())
        .filter(|&i| joins_next(chars[i - 1]) && is_arabic_letter(chars[i]))
        .collect();
    let Some(&at) = spots.choose(rng) else {
        return w.to_owned();
    };
    let n = rng.random_range(1..=3);
    let mut out: String = chars[..at].iter().collect();
    out.extend(std::iter::repeat_n('ـ', n));
    out.extend(&chars[at..]);
    out
}

fn rescript_digits(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
            '\u{0660}'..='\u{0669}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x0660)).unwrap_or(c)
            }
            '\u{06F0}'..='\u{06F9}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x06F0)).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

const CLITICS_BEFORE_ARTICLE: [&str; 4] = ["و", "ف", "ب", "ك"];
const CLITICS_ON_BARE_WORD: [&str; 9] = ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل"];
const CONJUNCTIONS: [&str; 2] = ["و", "ف"];

/// Adds a clitic the way Arabic stacks them: a conjunction (`و ف`) may precede a
/// preposition (`ب ك ل`), which may precede the article; nothing goes before a conjunction.
fn add_clitic(w: &str, rng: &mut Xoshiro256PlusPlus) -> Option<String> {
    if letter_count(w) < 3 || letter_count(w) != w.chars().count() {
        return None;
    }
    if ["وال", "فال"].iter().any(|p| w.starts_with(p)) {
        return None;
    }
    if ["بال", "كال", "لل"].iter().any(|p| w.starts_with(p)) {
        let c = CONJUNCTIONS.choose(rng)?;
        return Some(format!("{c}{w}"));
    }
    if let Some(rest) = w.strip_prefix("ال") {
        // ل + ال is written لل.
        if rng.random_bool(0.2) {
            return Some(format!("لل{rest}"));
        }
        let c = CLITICS_BEFORE_ARTICLE.choose(rng)?;
        return Some(format!("{c}{w}"));
    }
    if w.starts_with(['و', 'ف']) {
        // Already a conjunction, or a root letter: either way nothing stacks before it.
        return None;
    }
    if w.starts_with(['ب', 'ل', 'ك']) {
        // Maybe already a preposition: only a conjunction may come before it.
        let c = CONJUNCTIONS.choose(rng)?;
        return Some(format!("{c}{w}"));
    }
    let c = CLITICS_ON_BARE_WORD.choose(rng)?;
    Some(format!("{c}{w}"))
}

fn remove_clitic(w: &str, rng: &mut Xoshiro256PlusPlus) -> Option<String> {
    for compound in ["وال", "بال", "فال", "كال"] {
        if let Some(rest) = w.strip_prefix(compound)
            && letter_count(rest) >= 2
        {
            // Drop only the conjunction/preposition, or the article with it.
            return Some(if rng.random_bool(0.5) {
                format!("ال{rest}")
            } else {
                rest.to_owned()
            });
        }
    }
    if let Some(rest) = w.strip_prefix("لل")
        && letter_count(rest) >= 2
    {
        return Some(format!("ال{rest}"));
    }
    if let Some(rest) = w.strip_prefix("ال")
        && letter_count(rest) >= 2
    {
        return Some(rest.to_owned());
    }
    if let Some(rest) = w.strip_prefix('و')
        && letter_count(rest) >= 3
    {
        return Some(rest.to_owned());
    }
    None
}

const ADDED_SUFFIXES: [&str; 6] = ["ات", "ون", "ين", "ان", "ها", "ه"];

fn change_suffix(w: &str, rng: &mut Xoshiro256PlusPlus) -> Option<String> {
    if letter_count(w) < 3 || letter_count(w) != w.chars().count() {
        return None;
    }
    // A plural or dual the title used becomes the singular a reader types…
    for plural in ["ون", "ين", "ات"] {
        if let Some(stem) = w.strip_suffix(plural)
            && letter_count(stem) >= 3
            && rng.random_bool(0.5)
        {
            return Some(stem.to_owned());
        }
    }
    // …or a suffix is added: a feminine noun takes ات in place of its ة.
    if let Some(stem) = w.strip_suffix('ة') {
        return Some(format!("{stem}ات"));
    }
    // Nothing stacks on a word that already ends in a suffix or pronoun (no تتزعمهاات).
    if ["ه", "ها", "هم", "ات", "ون", "ين", "ان", "ى", "ا"]
        .iter()
        .any(|s| w.ends_with(s))
    {
        return None;
    }
    let suffix = ADDED_SUFFIXES.choose(rng)?;
    Some(format!("{w}{suffix}"))
}

fn persian_letters(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            c => c,
        })
        .collect()
}

const INVISIBLES: [char; 5] = ['\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}'];

fn insert_invisible(w: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 2 {
        return w.to_owned();
    }
    let at = rng.random_range(1..chars.len());
    let c = *INVISIBLES.choose(rng).unwrap_or(&'\u{200C}');
    let mut out: String = chars[..at].iter().collect();
    out.push(c);
    out.extend(&chars[at..]);
    out
}

/// Isolated, final, initial and medial presentation forms (initial/medial 0 for letters
/// that never connect to the next one).
fn forms(c: char) -> Option<[u32; 4]> {
    let two = |i: u32| [i, i + 1, 0, 0];
    let four = |i: u32| [i, i + 1, i + 2, i + 3];
    Some(match c {
        'ء' => [0xFE80, 0, 0, 0],
        'آ' => two(0xFE81),
        'أ' => two(0xFE83),
        'ؤ' => two(0xFE85),
        'إ' => two(0xFE87),
        'ئ' => four(0xFE89),
        'ا' => two(0xFE8D),
        'ب' => four(0xFE8F),
        'ة' => two(0xFE93),
        'ت' => four(0xFE95),
        'ث' => four(0xFE99),
        'ج' => four(0xFE9D),
        'ح' => four(0xFEA1),
        'خ' => four(0xFEA5),
        'د' => two(0xFEA9),
        'ذ' => two(0xFEAB),
        'ر' => two(0xFEAD),
        'ز' => two(0xFEAF),
        'س' => four(0xFEB1),
        'ش' => four(0xFEB5),
        'ص' => four(0xFEB9),
        'ض' => four(0xFEBD),
        'ط' => four(0xFEC1),
        'ظ' => four(0xFEC5),
        'ع' => four(0xFEC9),
        'غ' => four(0xFECD),
        'ف' => four(0xFED1),
        'ق' => four(0xFED5),
        'ك' => four(0xFED9),
        'ل' => four(0xFEDD),
        'م' => four(0xFEE1),
        'ن' => four(0xFEE5),
        'ه' => four(0xFEE9),
        'و' => two(0xFEED),
        'ى' => two(0xFEEF),
        'ي' => four(0xFEF1),
        _ => return None,
    })
}

fn lam_alef(next: char) -> Option<u32> {
    Some(match next {
        'آ' => 0xFEF5,
        'أ' => 0xFEF7,
        'إ' => 0xFEF9,
        'ا' => 0xFEFB,
        _ => return None,
    })
}

/// Shapes a word as a legacy renderer would store it: each letter in its contextual
/// presentation form, `ل` + alef as one ligature.
fn presentation_forms(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(w.len() * 2);
    let mut i = 0;
    let mut prev_joins = false;
    while i < chars.len() {
        let c = chars[i];
        if c == 'ل'
            && let Some(lig) = chars.get(i + 1).and_then(|&n| lam_alef(n))
        {
            let code = if prev_joins { lig + 1 } else { lig };
            out.push(char::from_u32(code).unwrap_or(c));
            prev_joins = false;
            i += 2;
            continue;
        }
        let Some(f) = forms(c) else {
            out.push(c);
            prev_joins = false;
            i += 1;
            continue;
        };
        let next_is_letter = chars.get(i + 1).is_some_and(|&n| forms(n).is_some());
        let next_joins = f[2] != 0 && next_is_letter;
        let code = match (prev_joins, next_joins) {
            (false, false) => f[0],
            (true, false) => f[1].max(f[0]),
            (false, true) => f[2],
            (true, true) => f[3],
        };
        out.push(char::from_u32(code).unwrap_or(c));
        prev_joins = next_joins;
        i += 1;
    }
    out
}

fn typo_in_longest(words: &[&str], rng: &mut Xoshiro256PlusPlus) -> Option<String> {
    let (index, word) = words
        .iter()
        .enumerate()
        .filter(|(_, w)| letter_count(w) == w.chars().count())
        .max_by_key(|(i, w)| (letter_count(w), std::cmp::Reverse(*i)))?;
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return None;
    }
    // The first letter is the one people get right most often; the typo goes after it.
    let at = rng.random_range(1..chars.len());
    let mut v = chars.clone();
    match rng.random_range(0..4) {
        0 => {
            v.remove(at);
        }
        1 => v.insert(at, chars[at]),
        2 if at + 1 < chars.len() && chars[at] != chars[at + 1] => v.swap(at, at + 1),
        _ => {
            let options = keyboard_neighbours(chars[at]);
            v[at] = *options.choose(rng).unwrap_or(&'ت');
        }
    }
    let typo: String = v.into_iter().collect();
    if typo == *word {
        return None;
    }
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[index] = typo;
    Some(out.join(" "))
}

#[cfg(test)]
mod tests {
    use nashir_arabic::{analyze, normalize, strip_marks};

    use super::*;

    fn apply(f: Family, q: &str) -> Option<String> {
        f.apply(q, 7)
    }

    #[test]
    fn base_is_identity_and_families_are_deterministic() {
        assert_eq!(apply(Family::Base, "تونس اليوم"), Some("تونس اليوم".into()));
        for f in Family::ALL {
            assert_eq!(
                f.apply("الأمريكان في مدرسة 2024", 3),
                f.apply("الأمريكان في مدرسة 2024", 3)
            );
        }
    }

    #[test]
    fn hamza_families() {
        assert_eq!(
            apply(Family::HamzaDropped, "الأمريكان إسرائيل"),
            Some("الامريكان اسرائيل".into())
        );
        assert_eq!(apply(Family::HamzaDropped, "تونس"), None);
        let added = apply(Family::HamzaAdded, "الاتحاد انتخابات").unwrap_or_default();
        assert!(
            added.starts_with("الأتحاد") || added.starts_with("الإتحاد"),
            "{added}"
        );
        assert!(
            added.ends_with("أنتخابات") || added.ends_with("إنتخابات"),
            "{added}"
        );
        assert_eq!(apply(Family::HamzaAdded, "تونس الرئيس"), None);
    }

    #[test]
    fn final_letter_families() {
        assert_eq!(
            apply(Family::TaMarbuta, "مدرسة وجه"),
            Some("مدرسه وجة".into())
        );
        assert_eq!(
            apply(Family::AlefMaqsura, "مستشفى علي"),
            Some("مستشفي على".into())
        );
        assert_eq!(apply(Family::TaMarbuta, "تونس"), None);
    }

    #[test]
    fn marks_and_invisibles_leave_the_surface_form_intact() {
        for f in [Family::Harakat, Family::Tatweel, Family::Invisible] {
            let v = apply(f, "الرئيس الجديد").unwrap_or_default();
            assert_ne!(v, "الرئيس الجديد");
            assert_eq!(strip_marks(&v), "الرئيس الجديد", "{f:?} {v}");
        }
    }

    #[test]
    fn tatweel_only_between_joining_letters() {
        for seed in 0..50 {
            let v = Family::Tatweel.apply("دار", seed);
            // د and ا never join the next letter, ر ends the word: nowhere to stretch.
            assert_eq!(v, None);
        }
    }

    #[test]
    fn digits_are_rescripted_both_ways() {
        assert_eq!(apply(Family::Digits, "عام 2024"), Some("عام ٢٠٢٤".into()));
        assert_eq!(apply(Family::Digits, "٢٠٢٤ ۱۹"), Some("2024 19".into()));
        assert_eq!(apply(Family::Digits, "تونس"), None);
    }

    #[test]
    fn clitics_meet_under_the_stemmer() {
        for seed in 0..30 {
            let v = Family::CliticAdded
                .apply("الأمريكان", seed)
                .unwrap_or_default();
            assert_eq!(analyze(&v), analyze("الأمريكان"), "{v}");
            let v = Family::CliticRemoved
                .apply("والأمريكان", seed)
                .unwrap_or_default();
            assert!(v == "الأمريكان" || v == "أمريكان", "{v}");
        }
        assert_eq!(apply(Family::CliticRemoved, "تونس"), None);
        assert_eq!(
            apply(Family::CliticRemoved, "الرئيس").as_deref(),
            Some("رئيس")
        );
    }

    #[test]
    fn suffixes_change_the_word_end() {
        assert_eq!(apply(Family::Suffix, "مدرسة").as_deref(), Some("مدرسات"));
        assert_eq!(apply(Family::Suffix, "تتزعمها"), None);
        let v = apply(Family::Suffix, "معلم").unwrap_or_default();
        assert!(
            ADDED_SUFFIXES.iter().any(|s| v == format!("معلم{s}")),
            "{v}"
        );
        let seen: Vec<String> = (0..20)
            .filter_map(|s| Family::Suffix.apply("المعلمون", s))
            .collect();
        assert!(seen.iter().any(|v| v == "المعلم"), "{seen:?}");
    }

    #[test]
    fn persian_letters_fold_back() {
        let v = apply(Family::Persian, "كتاب علي").unwrap_or_default();
        assert_eq!(v, "کتاب علی");
        assert_eq!(normalize(&v), normalize("كتاب علي"));
    }

    #[test]
    fn presentation_forms_normalize_back() {
        for w in [
            "الأمريكان",
            "لا",
            "مستشفى",
            "قاآني",
            "إسلام",
            "سلام",
            "ؤ",
            "جيء",
        ] {
            let v = presentation_forms(w);
            assert!(
                v.chars().all(|c| ('\u{FE70}'..='\u{FEFF}').contains(&c)),
                "{w} {v}"
            );
            assert_eq!(normalize(&v), normalize(w), "{w}");
        }
        // ﺍﻟﻤﻠﻚ: initial lam-medial? No: alef isolated, lam initial, meem medial, lam medial, kaf final.
        assert_eq!(
            presentation_forms("الملك"),
            "\u{FE8D}\u{FEDF}\u{FEE4}\u{FEE0}\u{FEDA}"
        );
    }

    #[test]
    fn typos_change_one_letter_of_the_longest_word() {
        for seed in 0..40 {
            let v = Family::Typo.apply("في الأمريكان", seed).unwrap_or_default();
            let (first, second) = v.split_once(' ').unwrap_or_default();
            assert_eq!(first, "في");
            assert_ne!(second, "الأمريكان");
            let diff = second.chars().count().abs_diff("الأمريكان".chars().count());
            assert!(diff <= 1, "{v}");
        }
    }

    #[test]
    fn mix_is_lazy_typing() {
        let v = Family::Mix.apply("مستشفى الأطفال", 1).unwrap_or_default();
        assert!(!v.contains('أ') && !v.contains('ى'), "{v}");
    }
}
