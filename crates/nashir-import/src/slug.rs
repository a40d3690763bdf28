//! Slugs of imported articles and terms: decoded, repaired, normalized, made unique.
//! Owns the fallback order (source slug → title → `post-{id}`) and the `-2`, `-3` suffixes.

use nashir_arabic::{MAX_SLUG_CHARS, slugify};
use percent_encoding::percent_decode_str;

/// Decodes a WordPress slug (`%d8%ab%d9%82…`) to text.
///
/// WordPress stores non-ASCII slugs percent-encoded and cuts them at 200 bytes on a `%xx`
/// boundary, which can leave half of a UTF-8 character at the end; that half, and any
/// other byte sequence that is not UTF-8, is dropped. A `%` not followed by two hex digits
/// stays as it is.
///
/// ```
/// use nashir_import::decode_wp_slug;
/// assert_eq!(decode_wp_slug("%d8%ab%d9%82%d8%a7%d9%81%d8%a9"), "ثقافة");
/// // "ثق" plus the first byte of "ا": the broken character goes.
/// assert_eq!(decode_wp_slug("%d8%ab%d9%82%d8"), "ثق");
/// ```
pub fn decode_wp_slug(raw: &str) -> String {
    let bytes: Vec<u8> = percent_decode_str(raw.trim()).collect();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
    }
    out
}

/// The slug an imported article gets, before uniqueness: the source slug decoded and
/// normalized with [`slugify`] (so it obeys Nashir's rules and is at most
/// [`MAX_SLUG_CHARS`] characters, shortened at a hyphen); when that is empty, or loses
/// every letter of the source slug (a Greek or Cyrillic slug: [`slugify`] keeps Arabic
/// and Latin letters only), the title's slug; when that is empty too, `post-{id}`.
///
/// ```
/// use nashir_import::article_slug;
/// assert_eq!(article_slug("%d8%ae%d8%a8%d8%b1-%d8%b9%d8%a7%d8%ac%d9%84", "عنوان", "7"), "خبر-عاجل");
/// assert_eq!(article_slug("", "خبر مجدول للنشر لاحقاً", "339"), "خبر-مجدول-للنشر-لاحقا");
/// assert_eq!(article_slug("", "", "338"), "post-338");
/// ```
pub fn article_slug(source_slug: &str, title: &str, id: &str) -> String {
    let slug = preferred_slug(source_slug, title);
    if slug.is_empty() {
        slugify(&format!("post-{id}"))
    } else {
        slug
    }
}

/// A category's or tag's slug: like [`article_slug`], with `term` as the last resort
/// (made unique by the caller).
pub(crate) fn term_slug(nicename: &str, name: &str) -> String {
    let slug = preferred_slug(nicename, name);
    if slug.is_empty() {
        "term".to_owned()
    } else {
        slug
    }
}

/// The source slug normalized, or the title's slug when the source slug is empty or kept
/// none of its letters; `""` when neither gives anything.
fn preferred_slug(source_slug: &str, title: &str) -> String {
    let decoded = decode_wp_slug(source_slug);
    let from_source = slugify(&decoded);
    let source_had_letters = decoded.chars().any(char::is_alphabetic);
    let kept_letters = from_source.chars().any(char::is_alphabetic);
    if !from_source.is_empty() && (kept_letters || !source_had_letters) {
        return from_source;
    }
    let from_title = slugify(title);
    if from_title.is_empty() {
        from_source
    } else {
        from_title
    }
}

/// A slug not yet `taken`: `base` itself, else `base-2`, `base-3`… Each candidate stays
/// within [`MAX_SLUG_CHARS`] characters: `base` is shortened (at a hyphen when it can be)
/// to make room for the suffix. An empty `base` is treated as `post`.
///
/// ```
/// use nashir_import::unique_slug;
/// let taken = ["خبر", "خبر-2"];
/// assert_eq!(unique_slug("خبر", |s| taken.contains(&s)), "خبر-3");
/// assert_eq!(unique_slug("رأي", |s| taken.contains(&s)), "رأي");
/// ```
pub fn unique_slug(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "post" } else { base };
    if !taken(base) {
        return base.to_owned();
    }
    let mut n: u64 = 2;
    loop {
        let suffix = format!("-{n}");
        let stem = shorten(base, MAX_SLUG_CHARS.saturating_sub(suffix.len()));
        let candidate = format!("{stem}{suffix}");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// At most `max` characters of a slug, cut after the last whole word that fits; a single
/// word longer than `max` is cut inside. Never ends with `-`.
fn shorten(slug: &str, max: usize) -> &str {
    let Some((cut, _)) = slug.char_indices().nth(max) else {
        return slug.trim_end_matches('-');
    };
    let end = if slug[cut..].starts_with('-') {
        cut
    } else {
        slug[..cut].rfind('-').filter(|&i| i > 0).unwrap_or(cut)
    };
    slug[..end].trim_end_matches('-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use nashir_arabic::is_valid_slug;

    #[test]
    fn percent_decoding_is_case_insensitive_and_lenient() {
        assert_eq!(decode_wp_slug("%D8%AB%d9%82"), "ثق");
        assert_eq!(decode_wp_slug("100%-sure"), "100%-sure");
        assert_eq!(decode_wp_slug("hello-world"), "hello-world");
        assert_eq!(decode_wp_slug("%ce%b5%cf%80"), "επ");
    }

    #[test]
    fn a_slug_cut_inside_a_character_is_repaired() {
        // WordPress cut "…-تو" after the first byte of "و".
        let cut = "%d8%a7%d9%84%d8%a8%d9%86%d9%83-%d8%aa%d9";
        assert_eq!(decode_wp_slug(cut), "البنك-ت");
        assert_eq!(article_slug(cut, "عنوان", "1"), "البنك-ت");
        // A three-byte character cut after two bytes.
        assert_eq!(decode_wp_slug("a%e2%80"), "a");
        // A stray continuation byte in the middle is dropped too.
        assert_eq!(decode_wp_slug("a%80b"), "ab");
    }

    #[test]
    fn long_slugs_are_shortened_at_a_hyphen() {
        let word = "%d9%83%d9%84%d9%85%d8%a9"; // "كلمة", 4 letters
        let source = vec![word; 30].join("-");
        let slug = article_slug(&source, "", "1");
        assert!(slug.chars().count() <= MAX_SLUG_CHARS, "{slug}");
        assert!(is_valid_slug(&slug));
        // 16 words of 4 letters and 15 hyphens = 79 characters.
        assert_eq!(slug, vec!["كلمة"; 16].join("-"));
    }

    #[test]
    fn source_slug_is_normalized_to_nashir_rules() {
        assert_eq!(article_slug("Hello_World", "", "1"), "hello-world");
        assert_eq!(
            article_slug("%d8%aa%d9%8f%d8%ad%d9%82%d9%82", "", "1"),
            "تحقق"
        );
        assert_eq!(article_slug("2024", "عنوان", "1"), "2024");
    }

    #[test]
    fn slug_falls_back_to_title_then_id() {
        assert_eq!(
            article_slug("", "Template: Sticky", "1241"),
            "template-sticky"
        );
        assert_eq!(
            article_slug(
                "%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2",
                "Επίπεδο 2 -Second Greek level",
                "1811"
            ),
            "2-second-greek-level"
        );
        assert_eq!(article_slug("---", "!!!", "9"), "post-9");
        assert_eq!(article_slug("%ce%b5%cf%80", "", "9"), "post-9");
    }

    #[test]
    fn terms_fall_back_to_term() {
        assert_eq!(
            term_slug("%d8%b1%d9%8a%d8%a7%d8%b6%d8%a9", "رياضة"),
            "رياضة"
        );
        assert_eq!(term_slug("", "كرة القدم"), "كرة-القدم");
        assert_eq!(term_slug("", ""), "term");
    }

    #[test]
    fn unique_slug_counts_up_and_stays_within_the_limit() {
        let base = vec!["كلمة"; 16].join("-");
        assert_eq!(base.chars().count(), 79);
        let taken = |s: &str| s == base || s.ends_with("-2");
        let slug = unique_slug(&base, taken);
        assert_eq!(slug, format!("{}-3", vec!["كلمة"; 15].join("-")));
        assert!(slug.chars().count() <= MAX_SLUG_CHARS);
        assert!(is_valid_slug(&slug));

        let long_word = "ك".repeat(MAX_SLUG_CHARS);
        let slug = unique_slug(&long_word, |s| s == long_word);
        assert_eq!(slug.chars().count(), MAX_SLUG_CHARS);
        assert!(slug.ends_with("-2"));

        assert_eq!(unique_slug("", |_| false), "post");
        let many: Vec<String> = (2..=11)
            .map(|n| format!("x-{n}"))
            .chain(["x".to_owned()])
            .collect();
        assert_eq!(unique_slug("x", |s| many.iter().any(|t| t == s)), "x-12");
    }
}
