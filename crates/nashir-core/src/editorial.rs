//! The article lifecycle as the newsroom drives it: which state a submitted action leads to
//! for a given person, and the checks on an article's fields. Everything here answers with
//! codes; the web layer words them in the site's language.

use std::str::FromStr;

use crate::permissions::{allowed_states, can_edit_article, can_publish};
use crate::{CategoryTree, PublishState, Role};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest standfirst, in characters.
pub const MAX_EXCERPT_CHARS: usize = 1000;
/// Largest body, in bytes of HTML.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What the editor's buttons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditAction {
    /// Keep the article in its state.
    Save,
    /// Send it to the editors for review.
    Submit,
    Publish,
    Schedule,
    Unpublish,
    /// Show it as readers would see it; nothing is written.
    Preview,
}

impl FromStr for EditAction {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Refusal> {
        Ok(match s {
            "save" | "" => EditAction::Save,
            "submit" => EditAction::Submit,
            "publish" => EditAction::Publish,
            "schedule" => EditAction::Schedule,
            "unpublish" => EditAction::Unpublish,
            "preview" => EditAction::Preview,
            _ => return Err(Refusal::UnknownAction),
        })
    }
}

/// Why an action is refused outright (the web layer answers 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this person may not edit this article")]
    MayNotEdit,
    #[error("this person may not publish, schedule or unpublish this article")]
    MayNotPublish,
    #[error("this role may not put an article in that state")]
    StateNotAllowed,
    #[error("unknown editor action")]
    UnknownAction,
}

/// Who is acting.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub person_id: i64,
    pub role: Role,
}

/// The stored article an action applies to (None for a new one).
#[derive(Debug, Clone, Copy)]
pub struct Current {
    pub author_id: i64,
    pub state: PublishState,
}

/// The state an article moves to when `actor` applies `action`, with `author_id` the byline
/// it will carry. Publishing rights are checked here, whatever buttons the page showed.
pub fn next_state(
    actor: Actor,
    current: Option<Current>,
    author_id: i64,
    action: EditAction,
) -> Result<PublishState, Refusal> {
    let current_state = current.map_or(PublishState::Draft, |c| c.state);
    if let Some(c) = current
        && !can_edit_article(actor.role, actor.person_id, c.author_id, c.state)
    {
        return Err(Refusal::MayNotEdit);
    }
    let target = match action {
        EditAction::Save | EditAction::Preview => current_state,
        EditAction::Submit => PublishState::Pending,
        EditAction::Publish => PublishState::Published,
        EditAction::Schedule => PublishState::Scheduled,
        EditAction::Unpublish => PublishState::Unpublished,
    };
    // A preview writes nothing: editing rights are enough.
    if action == EditAction::Preview {
        return Ok(target);
    }
    let touches_publication =
        matches!(target, PublishState::Published | PublishState::Scheduled | PublishState::Unpublished)
            && (target != current_state || action != EditAction::Save);
    // Editing a live story is a publication too: readers see the change at once.
    let edits_live = current_state == PublishState::Published;
    if (touches_publication || edits_live) && !can_publish(actor.role, actor.person_id, author_id) {
        return Err(Refusal::MayNotPublish);
    }
    if !allowed_states(actor.role).contains(&target) {
        return Err(Refusal::StateNotAllowed);
    }
    Ok(target)
}

/// A publication time as typed in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishAt {
    Unset,
    /// Something was typed that is not a time.
    Unreadable,
    At(i64),
}

impl PublishAt {
    pub fn time(self) -> Option<i64> {
        match self {
            PublishAt::At(t) => Some(t),
            _ => None,
        }
    }
}

/// An article's fields as submitted (trimmed by the caller).
#[derive(Debug, Clone, Copy)]
pub struct ArticleFields<'a> {
    pub title: &'a str,
    /// As typed; empty means "make one from the title".
    pub slug: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub primary_category_id: Option<i64>,
    pub other_category_ids: &'a [i64],
    pub publish_at: PublishAt,
}

/// A field of the article form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArticleField {
    Title,
    Slug,
    Body,
    Excerpt,
    PrimaryCategory,
    OtherCategories,
    Author,
    PublishAt,
}

impl ArticleField {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            ArticleField::Title => "title",
            ArticleField::Slug => "slug",
            ArticleField::Body => "body",
            ArticleField::Excerpt => "excerpt",
            ArticleField::PrimaryCategory => "primary_category_id",
            ArticleField::OtherCategories => "other_category_ids",
            ArticleField::Author => "author_id",
            ArticleField::PublishAt => "publish_at",
        }
    }
}

/// What is wrong with one field; `code` is stable for API clients and translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    TitleMissing,
    TitleTooLong,
    SlugMalformed,
    BodyTooLong,
    ExcerptTooLong,
    CategoryUnknown,
    OtherCategoryUnknown,
    AuthorUnknown,
    PublishAtUnreadable,
    PublishAtMissing,
    PublishAtNotInFuture,
}

impl FieldError {
    pub fn field(self) -> ArticleField {
        match self {
            FieldError::TitleMissing | FieldError::TitleTooLong => ArticleField::Title,
            FieldError::SlugMalformed => ArticleField::Slug,
            FieldError::BodyTooLong => ArticleField::Body,
            FieldError::ExcerptTooLong => ArticleField::Excerpt,
            FieldError::CategoryUnknown => ArticleField::PrimaryCategory,
            FieldError::OtherCategoryUnknown => ArticleField::OtherCategories,
            FieldError::AuthorUnknown => ArticleField::Author,
            FieldError::PublishAtUnreadable | FieldError::PublishAtMissing | FieldError::PublishAtNotInFuture => {
                ArticleField::PublishAt
            }
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FieldError::TitleMissing => "title_missing",
            FieldError::TitleTooLong => "title_too_long",
            FieldError::SlugMalformed => "slug_malformed",
            FieldError::BodyTooLong => "body_too_long",
            FieldError::ExcerptTooLong => "excerpt_too_long",
            FieldError::CategoryUnknown => "category_unknown",
            FieldError::OtherCategoryUnknown => "other_category_unknown",
            FieldError::AuthorUnknown => "author_unknown",
            FieldError::PublishAtUnreadable => "publish_at_unreadable",
            FieldError::PublishAtMissing => "publish_at_missing",
            FieldError::PublishAtNotInFuture => "publish_at_not_in_future",
        }
    }
}

/// A slug an editor typed is kept only when it is already in the form `slugify` makes.
pub fn slug_is_acceptable(typed: &str) -> bool {
    nashir_arabic::is_valid_slug(typed) && nashir_arabic::slugify(typed) == typed
}

/// Checks an article's fields for the state it is going to; at most one error per field,
/// in field order.
pub fn check_article(
    fields: &ArticleFields<'_>,
    tree: &CategoryTree,
    target: PublishState,
    now: i64,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if fields.title.is_empty() {
        errors.push(FieldError::TitleMissing);
    } else if fields.title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::TitleTooLong);
    }
    if !fields.slug.is_empty() && !slug_is_acceptable(fields.slug) {
        errors.push(FieldError::SlugMalformed);
    }
    if fields.body_html.len() > MAX_BODY_BYTES {
        errors.push(FieldError::BodyTooLong);
    }
    if fields.excerpt.chars().count() > MAX_EXCERPT_CHARS {
        errors.push(FieldError::ExcerptTooLong);
    }
    if fields.primary_category_id.is_some_and(|c| tree.get(c).is_none()) {
        errors.push(FieldError::CategoryUnknown);
    }
    if fields.other_category_ids.iter().any(|c| tree.get(*c).is_none()) {
        errors.push(FieldError::OtherCategoryUnknown);
    }
    match (fields.publish_at, target) {
        (PublishAt::Unreadable, _) => errors.push(FieldError::PublishAtUnreadable),
        (PublishAt::Unset, PublishState::Scheduled) => errors.push(FieldError::PublishAtMissing),
        (PublishAt::At(t), PublishState::Scheduled) if t <= now => errors.push(FieldError::PublishAtNotInFuture),
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;

    const ME: i64 = 1;
    const OTHER: i64 = 2;

    fn actor(role: Role) -> Actor {
        Actor { person_id: ME, role }
    }

    fn current(author_id: i64, state: PublishState) -> Option<Current> {
        Some(Current { author_id, state })
    }

    #[test]
    fn actions_parse_strictly() {
        assert_eq!("".parse::<EditAction>(), Ok(EditAction::Save));
        assert_eq!("publish".parse::<EditAction>(), Ok(EditAction::Publish));
        assert_eq!("Publish".parse::<EditAction>(), Err(Refusal::UnknownAction));
    }

    #[test]
    fn contributors_draft_and_submit_but_never_publish() {
        let c = actor(Role::Contributor);
        assert_eq!(next_state(c, None, ME, EditAction::Save), Ok(PublishState::Draft));
        assert_eq!(next_state(c, current(ME, PublishState::Draft), ME, EditAction::Submit), Ok(PublishState::Pending));
        assert_eq!(next_state(c, None, ME, EditAction::Publish), Err(Refusal::MayNotPublish));
        assert_eq!(next_state(c, None, ME, EditAction::Schedule), Err(Refusal::MayNotPublish));
        assert_eq!(next_state(c, current(ME, PublishState::Published), ME, EditAction::Save), Err(Refusal::MayNotEdit));
        assert_eq!(next_state(c, current(OTHER, PublishState::Draft), OTHER, EditAction::Save), Err(Refusal::MayNotEdit));
    }

    #[test]
    fn authors_publish_their_own_and_only_their_own() {
        let a = actor(Role::Author);
        assert_eq!(next_state(a, current(ME, PublishState::Draft), ME, EditAction::Publish), Ok(PublishState::Published));
        assert_eq!(next_state(a, current(ME, PublishState::Published), ME, EditAction::Unpublish), Ok(PublishState::Unpublished));
        assert_eq!(next_state(a, current(OTHER, PublishState::Draft), OTHER, EditAction::Save), Err(Refusal::MayNotEdit));
    }

    #[test]
    fn editing_a_live_story_needs_publishing_rights_but_a_preview_does_not() {
        // An editor may edit everything; an author reassigned away from a story may not.
        let e = actor(Role::Editor);
        assert_eq!(next_state(e, current(OTHER, PublishState::Published), OTHER, EditAction::Save), Ok(PublishState::Published));
        assert_eq!(next_state(e, current(OTHER, PublishState::Scheduled), OTHER, EditAction::Schedule), Ok(PublishState::Scheduled));
        // (An author cannot reassign a byline, but the rule does not rely on that.)
        let a = actor(Role::Author);
        assert_eq!(next_state(a, current(ME, PublishState::Published), OTHER, EditAction::Save), Err(Refusal::MayNotPublish));
        assert_eq!(next_state(a, current(ME, PublishState::Published), OTHER, EditAction::Preview), Ok(PublishState::Published));
        // A contributor previews their own draft; a preview writes nothing.
        let c = actor(Role::Contributor);
        assert_eq!(next_state(c, current(ME, PublishState::Pending), ME, EditAction::Preview), Ok(PublishState::Pending));
    }

    #[test]
    fn saving_a_scheduled_article_keeps_its_schedule_without_republishing() {
        let a = actor(Role::Author);
        assert_eq!(next_state(a, current(ME, PublishState::Scheduled), ME, EditAction::Save), Ok(PublishState::Scheduled));
    }

    fn tree() -> CategoryTree {
        CategoryTree::new(vec![Category {
            id: 7,
            parent_id: None,
            slug: "s".into(),
            name: "n".into(),
            description: String::new(),
            position: 0,
        }])
    }

    fn fields<'a>() -> ArticleFields<'a> {
        ArticleFields {
            title: "عنوان",
            slug: "",
            body_html: "<p>نص</p>",
            excerpt: "",
            primary_category_id: Some(7),
            other_category_ids: &[],
            publish_at: PublishAt::Unset,
        }
    }

    #[test]
    fn a_good_article_passes() {
        assert!(check_article(&fields(), &tree(), PublishState::Published, 0).is_empty());
    }

    #[test]
    fn each_field_reports_its_own_code() {
        let long_title = "ع".repeat(MAX_TITLE_CHARS + 1);
        let long_excerpt = "ع".repeat(MAX_EXCERPT_CHARS + 1);
        let body = "x".repeat(MAX_BODY_BYTES + 1);
        let bad = ArticleFields {
            title: &long_title,
            slug: "Not A Slug",
            body_html: &body,
            excerpt: &long_excerpt,
            primary_category_id: Some(99),
            other_category_ids: &[7, 98],
            publish_at: PublishAt::Unreadable,
        };
        let codes: Vec<&str> = check_article(&bad, &tree(), PublishState::Draft, 0).iter().map(|e| e.code()).collect();
        assert_eq!(
            codes,
            [
                "title_too_long",
                "slug_malformed",
                "body_too_long",
                "excerpt_too_long",
                "category_unknown",
                "other_category_unknown",
                "publish_at_unreadable"
            ]
        );
        let empty = ArticleFields { title: "", ..fields() };
        assert_eq!(check_article(&empty, &tree(), PublishState::Draft, 0), [FieldError::TitleMissing]);
        assert_eq!(FieldError::TitleMissing.field().name(), "title");
    }

    #[test]
    fn a_schedule_needs_a_time_in_the_future() {
        let t = tree();
        assert_eq!(check_article(&fields(), &t, PublishState::Scheduled, 10), [FieldError::PublishAtMissing]);
        let past = ArticleFields { publish_at: PublishAt::At(10), ..fields() };
        assert_eq!(check_article(&past, &t, PublishState::Scheduled, 10), [FieldError::PublishAtNotInFuture]);
        let future = ArticleFields { publish_at: PublishAt::At(11), ..fields() };
        assert!(check_article(&future, &t, PublishState::Scheduled, 10).is_empty());
        // A time typed for a draft is kept but not required to be in the future.
        assert!(check_article(&past, &t, PublishState::Draft, 10).is_empty());
    }

    #[test]
    fn typed_slugs_must_already_be_slugs() {
        assert!(slug_is_acceptable("خبر-عاجل"));
        assert!(!slug_is_acceptable("خبر عاجل"));
        assert!(!slug_is_acceptable(""));
    }
}
