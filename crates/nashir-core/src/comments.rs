//! Reader comments: what a submitted comment must hold, which comments wait for a
//! moderator, what each moderation action does, and how plain comment text becomes HTML.
//!
//! ```
//! use nashir_core::comments::{CommentInput, CommentRules, check_comment};
//! let rules = CommentRules::default();
//! let typed = CommentInput { name: " سلمى ", email: "Salma@Example.com", website: "", body: "مقال مفيد" };
//! let clean = check_comment(&typed, &rules).expect("valid");
//! assert_eq!((clean.name.as_str(), clean.email.as_str()), ("سلمى", "salma@example.com"));
//! ```

use crate::CommentStatus;

/// Default longest name, in characters.
pub const DEFAULT_MAX_NAME_CHARS: usize = 100;
/// Default longest comment, in characters.
pub const DEFAULT_MAX_BODY_CHARS: usize = 5_000;
/// Links a comment may hold before it waits for a moderator.
pub const DEFAULT_MAX_LINKS: usize = 2;
/// Longest email address (RFC 5321).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest website address.
pub const MAX_WEBSITE_CHARS: usize = 200;
/// Threads are shown this deep; deeper replies are shown at this level.
pub const MAX_DEPTH: usize = 4;
/// Top-level comments per page of an article's comments.
pub const PER_PAGE: usize = 50;

/// The site's comment settings that checking and flagging need.
#[derive(Debug, Clone)]
pub struct CommentRules {
    pub max_name_chars: usize,
    pub max_body_chars: usize,
    pub max_links: usize,
    /// Words and phrases that send a comment to the moderators, already normalized
    /// (`normalize_for_matching`).
    blocklist: Vec<String>,
}

impl Default for CommentRules {
    fn default() -> Self {
        CommentRules {
            max_name_chars: DEFAULT_MAX_NAME_CHARS,
            max_body_chars: DEFAULT_MAX_BODY_CHARS,
            max_links: DEFAULT_MAX_LINKS,
            blocklist: Vec::new(),
        }
    }
}

impl CommentRules {
    /// Rules with a blocklist of words or phrases (in any spelling: they are matched after
    /// Arabic normalization, so diacritics, tatweel and hamza seats do not matter).
    pub fn with_blocklist<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, words: I) -> Self {
        self.blocklist =
            words.into_iter().map(|w| normalize_for_matching(w.as_ref())).filter(|w| !w.trim().is_empty()).collect();
        self
    }
}

/// What a reader typed into the form, untouched.
#[derive(Debug, Clone, Copy)]
pub struct CommentInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub website: &'a str,
    pub body: &'a str,
}

/// A comment that passed the checks: trimmed, line endings made `\n`, the email in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanComment {
    pub name: String,
    pub email: String,
    pub website: Option<String>,
    pub body: String,
}

/// A field of the comment form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentField {
    Name,
    Email,
    Website,
    Body,
}

impl CommentField {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentField::Name => "name",
            CommentField::Email => "email",
            CommentField::Website => "website",
            CommentField::Body => "body",
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentFieldError {
    Missing,
    TooLong,
    /// Not an email address, or a website that is not an http(s) address.
    Malformed,
    /// Bytes that are not text (invalid UTF-8 arrives as U+FFFD) or control characters.
    Unreadable,
}

/// Checks what a reader typed; every field's problem at once.
pub fn check_comment(input: &CommentInput<'_>, rules: &CommentRules) -> Result<CleanComment, Vec<(CommentField, CommentFieldError)>> {
    let mut errors = Vec::new();
    let name = one_line(input.name);
    let email = input.email.trim().to_lowercase();
    let website = input.website.trim().to_owned();
    let body = clean_body(input.body);

    let check = |field, text: &str, max: usize, required: bool| -> Option<(CommentField, CommentFieldError)> {
        if required && text.is_empty() {
            Some((field, CommentFieldError::Missing))
        } else if unreadable(text) {
            Some((field, CommentFieldError::Unreadable))
        } else if text.chars().count() > max {
            Some((field, CommentFieldError::TooLong))
        } else {
            None
        }
    };
    errors.extend(check(CommentField::Name, &name, rules.max_name_chars, true));
    match check(CommentField::Email, &email, MAX_EMAIL_CHARS, true) {
        Some(e) => errors.push(e),
        None if !crate::valid_email(&email) => errors.push((CommentField::Email, CommentFieldError::Malformed)),
        None => {}
    }
    match check(CommentField::Website, &website, MAX_WEBSITE_CHARS, false) {
        Some(e) => errors.push(e),
        None if !website.is_empty() && normalize_website(&website).is_none() => {
            errors.push((CommentField::Website, CommentFieldError::Malformed));
        }
        None => {}
    }
    errors.extend(check(CommentField::Body, &body, rules.max_body_chars, true));
    if !errors.is_empty() {
        return Err(errors);
    }
    let website = if website.is_empty() { None } else { normalize_website(&website) };
    Ok(CleanComment { name, email, website, body })
}

/// A website as it will be linked: `http`/`https` with a host; `www.example.com` gains
/// `https://`. Anything else (`javascript:`, `data:`, relative paths) is refused.
pub fn normalize_website(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let candidate =
        if lower.starts_with("http://") || lower.starts_with("https://") { text.to_owned() } else { format!("https://{text}") };
    let rest = candidate.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host_ok = !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let clean = !candidate.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '\\'));
    (host_ok && clean).then_some(candidate)
}

/// Names are one line: inner runs of white space become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line endings become `\n`, trailing spaces of lines and blank lines at both ends go.
fn clean_body(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').trim().to_owned()
}

/// Replacement characters (what invalid UTF-8 decodes to) and control characters other
/// than line breaks and tabs.
fn unreadable(text: &str) -> bool {
    text.chars().any(|c| c == '\u{FFFD}' || (c.is_control() && c != '\n' && c != '\t'))
}

/// Text folded for matching words and repeats: Arabic normalization (diacritics, tatweel,
/// hamza seats, alef forms), lower case, one space between words.
pub fn normalize_for_matching(text: &str) -> String {
    let normalized = nashir_arabic::normalize(&text.to_lowercase());
    normalized.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a comment from a known commenter still waits for a moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    TooManyLinks,
    Blocklisted,
    /// The same text was posted in the last day.
    Repeated,
}

/// The links in a text, as comment rendering finds them.
pub fn count_links(text: &str) -> usize {
    link_finder().links(text).count()
}

/// The flags a clean comment raises. `repeated` says whether the same text (by
/// `normalize_for_matching`) was posted in the last day.
pub fn flags(comment: &CleanComment, rules: &CommentRules, repeated: bool) -> Vec<Flag> {
    let mut flags = Vec::new();
    if count_links(&comment.body) + count_links(&comment.name) > rules.max_links {
        flags.push(Flag::TooManyLinks);
    }
    let haystack = format!(
        " {} {} {} ",
        normalize_for_matching(&comment.name),
        normalize_for_matching(&comment.body),
        comment.website.as_deref().map(normalize_for_matching).unwrap_or_default()
    );
    let words = words_of(&haystack);
    if rules.blocklist.iter().any(|entry| blocked(entry, &haystack, &words)) {
        flags.push(Flag::Blocklisted);
    }
    if repeated {
        flags.push(Flag::Repeated);
    }
    flags
}

fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// A one-word entry matches a whole word, or a word with Arabic's attached prefixes
/// (و، ف، ب، ك، ل، ال); a phrase matches as written.
fn blocked(entry: &str, haystack: &str, words: &[&str]) -> bool {
    if entry.contains(' ') {
        return haystack.contains(entry);
    }
    const PREFIXES: [&str; 9] = ["", "و", "ف", "ب", "ك", "ل", "ال", "وال", "بال"];
    words.iter().any(|w| PREFIXES.iter().any(|p| w.strip_prefix(p).is_some_and(|rest| rest == entry)))
}

/// What is known about a commenter and a text when a comment arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// The email has an approved comment (imported ones count).
    pub email_approved_before: bool,
}

/// The status a new reader comment starts in: the first comment of an email waits, and so
/// does any flagged comment; the rest appear at once.
pub fn initial_status(history: History, flags: &[Flag]) -> CommentStatus {
    if history.email_approved_before && flags.is_empty() { CommentStatus::Approved } else { CommentStatus::Pending }
}

/// A moderator's action on comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    Approve,
    /// Back to the queue.
    Unapprove,
    Spam,
    Trash,
    /// Out of spam or trash, back to the status it had.
    Restore,
    /// Gone for good (only from spam or trash).
    Delete,
}

impl Moderation {
    pub const ALL: [Moderation; 6] =
        [Moderation::Approve, Moderation::Unapprove, Moderation::Spam, Moderation::Trash, Moderation::Restore, Moderation::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::Approve => "approve",
            Moderation::Unapprove => "unapprove",
            Moderation::Spam => "spam",
            Moderation::Trash => "trash",
            Moderation::Restore => "restore",
            Moderation::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Moderation> {
        Moderation::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// What an action does to a comment in `current` status (`before`: the status it had before
/// spam or trash): the new status and the `before` to keep, `Ok(None)` to delete it, or
/// `Err(())` when the action does not apply (approving an approved comment, deleting one
/// that is not in spam or trash).
#[allow(clippy::result_unit_err)]
pub fn moderate(
    action: Moderation,
    current: CommentStatus,
    before: Option<CommentStatus>,
) -> Result<Option<(CommentStatus, Option<CommentStatus>)>, ()> {
    use CommentStatus::*;
    let set_aside = |to| if current == to { Err(()) } else { Ok(Some((to, Some(current)))) };
    match (action, current) {
        (Moderation::Approve, Approved) | (Moderation::Unapprove, Pending | Spam | Trash) => Err(()),
        (Moderation::Approve, _) => Ok(Some((Approved, None))),
        (Moderation::Unapprove, Approved) => Ok(Some((Pending, None))),
        (Moderation::Spam, _) => set_aside(Spam),
        (Moderation::Trash, _) => set_aside(Trash),
        (Moderation::Restore, Spam | Trash) => {
            // Restoring spam never approves it again by itself.
            let back = match before {
                Some(Approved) if current == Trash => Approved,
                _ => Pending,
            };
            Ok(Some((back, None)))
        }
        (Moderation::Restore, _) => Err(()),
        (Moderation::Delete, Spam | Trash) => Ok(None),
        (Moderation::Delete, _) => Err(()),
    }
}

fn link_finder() -> linkify::LinkFinder {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]).url_must_have_scheme(false);
    finder
}

/// Plain comment text as HTML: escaped, paragraphs at blank lines, line breaks kept, web
/// addresses made links that pass no ranking and no opener (`rel="nofollow ugc noopener"`).
/// Only `http`/`https` addresses become links; anything else stays text.
pub fn comment_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let finder = link_finder();
    for paragraph in text.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for (i, line) in paragraph.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            for span in finder.spans(line) {
                let href = span.kind().and_then(|_| normalize_website(span.as_str()));
                match href {
                    Some(href) => {
                        out.push_str("<a href=\"");
                        crate::escape_html_into(&href, &mut out);
                        out.push_str("\" rel=\"nofollow ugc noopener\" dir=\"ltr\">");
                        crate::escape_html_into(span.as_str(), &mut out);
                        out.push_str("</a>");
                    }
                    None => crate::escape_html_into(span.as_str(), &mut out),
                }
            }
        }
        out.push_str("</p>");
    }
    out
}

/// Initials for a generated avatar: the first letter of the first two words. Arabic letters
/// are kept apart by a zero-width non-joiner so they do not join into a word.
pub fn initials(name: &str) -> String {
    // "العلي" is known by its ع: the attached article is skipped.
    let first_letter = |w: &str| {
        let w = w.strip_prefix("ال").filter(|rest| rest.chars().count() >= 2).unwrap_or(w);
        w.chars().find(|c| c.is_alphanumeric())
    };
    let letters: Vec<char> = name.split_whitespace().filter_map(first_letter).take(2).collect();
    match letters.as_slice() {
        [] => "؟".into(),
        [a] => a.to_uppercase().collect(),
        [a, b] => format!("{}\u{200C}{}", a.to_uppercase(), b.to_uppercase()),
        _ => unreachable!("take(2)"),
    }
}

/// A colour (0–7) for a generated avatar, from the name (never the email).
pub fn avatar_hue(name: &str) -> u8 {
    let hash = name.bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    (hash % 8) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(name: &'a str, email: &'a str, website: &'a str, body: &'a str) -> CommentInput<'a> {
        CommentInput { name, email, website, body }
    }

    #[test]
    fn every_field_problem_is_reported_at_once() {
        let rules = CommentRules::default();
        let errors = check_comment(&input("", "not-an-email", "javascript:alert(1)", "  \n "), &rules).expect_err("invalid");
        assert_eq!(
            errors,
            vec![
                (CommentField::Name, CommentFieldError::Missing),
                (CommentField::Email, CommentFieldError::Malformed),
                (CommentField::Website, CommentFieldError::Malformed),
                (CommentField::Body, CommentFieldError::Missing),
            ]
        );
    }

    #[test]
    fn limits_count_characters_and_are_configurable() {
        let rules = CommentRules { max_name_chars: 5, max_body_chars: 10, ..CommentRules::default() };
        assert!(check_comment(&input("سلمى", "a@b.co", "", "عشرة حروف!"), &rules).is_ok(), "10 Arabic characters fit");
        let errors = check_comment(&input("سلمى علي", "a@b.co", "", "أحد عشر حرفاً"), &rules).expect_err("too long");
        assert_eq!(errors, vec![(CommentField::Name, CommentFieldError::TooLong), (CommentField::Body, CommentFieldError::TooLong)]);
        let long = "a".repeat(250) + "@example.com";
        assert_eq!(
            check_comment(&input("x", &long, "", "y"), &rules).expect_err("long email"),
            vec![(CommentField::Email, CommentFieldError::TooLong)]
        );
    }

    #[test]
    fn unreadable_bytes_and_control_characters_are_refused() {
        let rules = CommentRules::default();
        let errors = check_comment(&input("a\u{FFFD}b", "a@b.co", "", "نص\u{0000}"), &rules).expect_err("bad");
        assert_eq!(errors, vec![(CommentField::Name, CommentFieldError::Unreadable), (CommentField::Body, CommentFieldError::Unreadable)]);
        assert!(check_comment(&input("a", "a@b.co", "", "سطر\r\nسطر\tآخر"), &rules).is_ok(), "line breaks and tabs are text");
    }

    #[test]
    fn text_is_cleaned_but_kept_as_typed() {
        let clean = check_comment(&input("  سلمى   علي ", " A@B.Co ", "www.example.com/x", "\r\n سطر أول  \r\n\r\nفقرة <b>ثانية</b>\r\n"), &CommentRules::default())
            .expect("valid");
        assert_eq!(clean.name, "سلمى علي");
        assert_eq!(clean.email, "a@b.co");
        assert_eq!(clean.website.as_deref(), Some("https://www.example.com/x"));
        assert_eq!(clean.body, "سطر أول\n\nفقرة <b>ثانية</b>");
    }

    #[test]
    fn websites_are_http_addresses_with_a_host() {
        for bad in ["javascript:alert(1)", "data:text/html,x", "//evil", "http://", "ftp://x.com", "http://x.com/\"onmouseover=", "مرحبا"] {
            assert_eq!(normalize_website(bad), None, "{bad}");
        }
        assert_eq!(normalize_website("HTTP://Example.com").as_deref(), Some("HTTP://Example.com"));
        assert_eq!(normalize_website("مثال.com/صفحة").as_deref(), Some("https://مثال.com/صفحة"));
    }

    #[test]
    fn first_comments_and_flagged_ones_wait() {
        let known = History { email_approved_before: true };
        let new = History { email_approved_before: false };
        assert_eq!(initial_status(new, &[]), CommentStatus::Pending);
        assert_eq!(initial_status(known, &[]), CommentStatus::Approved);
        assert_eq!(initial_status(known, &[Flag::Repeated]), CommentStatus::Pending);
    }

    #[test]
    fn flags_links_blocklisted_words_and_repeats() {
        let rules = CommentRules::default().with_blocklist(["كازينو", "ربح سريع"]);
        let clean = |body: &str| check_comment(&input("قارئ", "a@b.co", "", body), &rules).expect("valid");
        assert!(flags(&clean("رأيي أن المقال جيد"), &rules, false).is_empty());
        assert_eq!(flags(&clean("http://a.com http://b.com www.c.com"), &rules, false), vec![Flag::TooManyLinks]);
        assert!(flags(&clean("http://a.com و https://b.com"), &rules, false).is_empty(), "two links are allowed");
        assert_eq!(flags(&clean("زوروا الكازينو"), &rules, false), vec![Flag::Blocklisted], "with the article attached");
        assert_eq!(flags(&clean("كَازِينُو"), &rules, false), vec![Flag::Blocklisted], "diacritics do not hide a word");
        assert_eq!(flags(&clean("طريقة ربح  سريع"), &rules, false), vec![Flag::Blocklisted], "a phrase");
        assert!(flags(&clean("الربح السريع"), &rules, false).is_empty(), "a phrase matches as written");
        assert_eq!(flags(&clean("نص"), &rules, true), vec![Flag::Repeated]);
    }

    #[test]
    fn moderation_moves_between_statuses_and_restores_what_was() {
        use CommentStatus::*;
        assert_eq!(moderate(Moderation::Approve, Pending, None), Ok(Some((Approved, None))));
        assert_eq!(moderate(Moderation::Approve, Approved, None), Err(()));
        assert_eq!(moderate(Moderation::Trash, Approved, None), Ok(Some((Trash, Some(Approved)))));
        assert_eq!(moderate(Moderation::Restore, Trash, Some(Approved)), Ok(Some((Approved, None))));
        assert_eq!(moderate(Moderation::Restore, Spam, Some(Approved)), Ok(Some((Pending, None))), "spam comes back to the queue");
        assert_eq!(moderate(Moderation::Restore, Pending, None), Err(()));
        assert_eq!(moderate(Moderation::Delete, Approved, None), Err(()), "only spam and trash are deleted");
        assert_eq!(moderate(Moderation::Delete, Trash, None), Ok(None));
        assert_eq!(moderate(Moderation::Unapprove, Approved, None), Ok(Some((Pending, None))));
        for m in Moderation::ALL {
            assert_eq!(Moderation::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn comment_text_becomes_safe_html() {
        assert_eq!(comment_html("سطر\nسطر ثان\n\n\nفقرة"), "<p>سطر<br>سطر ثان</p><p>فقرة</p>");
        assert_eq!(
            comment_html("انظر https://example.com/a?b=1&c=2 و www.x.org"),
            "<p>انظر <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\" dir=\"ltr\">https://example.com/a?b=1&amp;c=2</a> و \
             <a href=\"https://www.x.org\" rel=\"nofollow ugc noopener\" dir=\"ltr\">www.x.org</a></p>"
        );
        let hostile = comment_html("<script>alert(1)</script> javascript:alert(1) <img src=x onerror=alert(1)> &lt;b&gt;");
        assert!(!hostile.contains("<script") && !hostile.contains("<img") && !hostile.contains("href=\"javascript"), "{hostile}");
        assert!(hostile.contains("&amp;lt;b&amp;gt;"), "entities are shown as typed: {hostile}");
    }

    #[test]
    fn initials_do_not_join_and_hues_come_from_names() {
        assert_eq!(initials("سلمى علي"), "س\u{200C}ع");
        assert_eq!(initials("كريم العلي"), "ك\u{200C}ع", "the article is skipped");
        assert_eq!(initials("ال"), "ا");
        assert_eq!(initials("john"), "J");
        assert_eq!(initials("  "), "؟");
        assert_eq!(avatar_hue("سلمى"), avatar_hue("سلمى"));
        assert!(avatar_hue("x") < 8);
    }
}
