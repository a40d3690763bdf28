//! The newsroom's URL scheme in one place, as `crate::urls` is the public site's: route
//! patterns for the router and paths for links and redirects. Templates get every newsroom
//! link from here through their view models; none is written out in a template.

use serde::Serialize;

/// Where the newsroom lives.
pub(crate) const ROOT: &str = "/newsroom";

/// A route pattern below the root, for the router (`"/articles/{id}"`).
pub(crate) fn route(pattern: &str) -> String {
    format!("{ROOT}{pattern}")
}

pub(crate) fn home() -> String {
    format!("{ROOT}/")
}

/// The login page, returning to `next` (a newsroom path) afterwards.
pub(crate) fn login(next: Option<&str>) -> String {
    match next {
        Some(next) => format!("{ROOT}/login?next={}", crate::urls::segment(next)),
        None => format!("{ROOT}/login"),
    }
}

pub(crate) fn logged_out() -> String {
    format!("{ROOT}/login?out=1")
}

pub(crate) fn logout() -> String {
    format!("{ROOT}/logout")
}

pub(crate) fn setup() -> String {
    format!("{ROOT}/setup")
}

/// The one-time link that creates the first administrator.
pub fn setup_with(token: &str) -> String {
    format!("{ROOT}/setup?token={}", crate::urls::segment(token))
}

pub(crate) fn password() -> String {
    format!("{ROOT}/password")
}

pub(crate) fn users() -> String {
    format!("{ROOT}/users")
}

/// Admin API keys (administrators).
pub(crate) fn integrations() -> String {
    format!("{ROOT}/integrations")
}

pub(crate) fn revoke_integration(id: i64) -> String {
    format!("{ROOT}/integrations/{id}/revoke")
}

/// Webhooks (administrators).
pub(crate) fn webhooks() -> String {
    format!("{ROOT}/webhooks")
}

pub(crate) fn webhook(id: i64) -> String {
    format!("{ROOT}/webhooks/{id}")
}

pub(crate) fn disable_webhook(id: i64) -> String {
    format!("{ROOT}/webhooks/{id}/disable")
}

/// The audit log (administrators).
pub(crate) fn audit() -> String {
    format!("{ROOT}/audit")
}

pub(crate) fn user(id: i64) -> String {
    format!("{ROOT}/users/{id}")
}

pub(crate) fn articles() -> String {
    format!("{ROOT}/articles")
}

/// The article list with a query string already encoded.
pub(crate) fn articles_query(query: &str) -> String {
    format!("{ROOT}/articles?{query}")
}

pub(crate) fn new_article() -> String {
    format!("{ROOT}/articles/new")
}

pub(crate) fn new_article_autosave() -> String {
    format!("{ROOT}/articles/new/autosave")
}

pub(crate) fn article(id: i64) -> String {
    format!("{ROOT}/articles/{id}")
}

/// The editor after a successful save.
pub(crate) fn article_saved(id: i64) -> String {
    format!("{ROOT}/articles/{id}?saved=1")
}

pub(crate) fn autosave(id: i64) -> String {
    format!("{ROOT}/articles/{id}/autosave")
}

pub(crate) fn discard_autosave(id: i64) -> String {
    format!("{ROOT}/articles/{id}/autosave/discard")
}

pub(crate) fn preview(id: i64) -> String {
    format!("{ROOT}/articles/{id}/preview")
}

pub(crate) fn revisions(id: i64) -> String {
    format!("{ROOT}/articles/{id}/revisions")
}

pub(crate) fn revision(id: i64, revision_id: i64) -> String {
    format!("{ROOT}/articles/{id}/revisions/{revision_id}")
}

pub(crate) fn revision_stale(id: i64, revision_id: i64) -> String {
    format!("{ROOT}/articles/{id}/revisions/{revision_id}?stale=1")
}

pub(crate) fn restore_revision(id: i64, revision_id: i64) -> String {
    format!("{ROOT}/articles/{id}/revisions/{revision_id}/restore")
}

pub(crate) fn categories() -> String {
    format!("{ROOT}/categories")
}

pub(crate) fn category(id: i64) -> String {
    format!("{ROOT}/categories/{id}")
}

pub(crate) fn reset_category_bar() -> String {
    format!("{ROOT}/categories/bar/reset")
}

pub(crate) fn delete_category(id: i64) -> String {
    format!("{ROOT}/categories/{id}/delete")
}

pub(crate) fn tags() -> String {
    format!("{ROOT}/tags")
}

pub(crate) fn tag(id: i64) -> String {
    format!("{ROOT}/tags/{id}")
}

pub(crate) fn merge_tag(id: i64) -> String {
    format!("{ROOT}/tags/{id}/merge")
}

pub(crate) fn breaking() -> String {
    format!("{ROOT}/breaking")
}

pub(crate) fn breaking_item(id: i64) -> String {
    format!("{ROOT}/breaking/{id}")
}

pub(crate) fn delete_breaking(id: i64) -> String {
    format!("{ROOT}/breaking/{id}/delete")
}

/// The comment moderation queue.
pub(crate) fn comments() -> String {
    format!("{ROOT}/comments")
}

/// The queue with a query string already encoded.
pub(crate) fn comments_query(query: &str) -> String {
    format!("{ROOT}/comments?{query}")
}

/// Bulk moderation (approve, spam, trash, restore, delete).
pub(crate) fn moderate_comments() -> String {
    format!("{ROOT}/comments/moderate")
}

pub(crate) fn comment(id: i64) -> String {
    format!("{ROOT}/comments/{id}")
}

pub(crate) fn comment_reply(id: i64) -> String {
    format!("{ROOT}/comments/{id}/reply")
}

/// Erasing a commenter by email (administrators).
pub(crate) fn erase_commenter() -> String {
    format!("{ROOT}/comments/erase")
}

/// Opening or closing an article's comments.
pub(crate) fn article_comments_open(id: i64) -> String {
    format!("{ROOT}/articles/{id}/comments-open")
}

/// Whether a path is inside the newsroom.
pub(crate) fn media() -> String {
    format!("{ROOT}/media")
}

pub(crate) fn media_query(query: &str) -> String {
    let query = query.trim_start_matches('?');
    if query.is_empty() { media() } else { format!("{ROOT}/media?{query}") }
}

pub(crate) fn media_item(id: i64) -> String {
    format!("{ROOT}/media/{id}")
}

pub(crate) fn media_status(id: i64) -> String {
    format!("{ROOT}/media/{id}/status")
}

pub(crate) fn replace_media(id: i64) -> String {
    format!("{ROOT}/media/{id}/replace")
}

pub(crate) fn delete_media(id: i64) -> String {
    format!("{ROOT}/media/{id}/delete")
}

/// Where an article's featured photo is set.
pub(crate) fn article_featured(id: i64) -> String {
    format!("{ROOT}/articles/{id}/featured")
}

pub(crate) fn is_newsroom(path: &str) -> bool {
    path == ROOT || path.starts_with(&format!("{ROOT}/"))
}

/// The links every newsroom page shows, for its templates.
#[derive(Serialize)]
pub(crate) struct Links {
    home: String,
    articles: String,
    new_article: String,
    categories: String,
    tags: String,
    breaking: String,
    media: String,
    comments: String,
    erase_commenter: String,
    users: String,
    integrations: String,
    webhooks: String,
    audit: String,
    password: String,
    login: String,
    logout: String,
    setup: String,
}

impl Links {
    pub(crate) fn new() -> Self {
        Links {
            home: home(),
            articles: articles(),
            new_article: new_article(),
            categories: categories(),
            tags: tags(),
            breaking: breaking(),
            media: media(),
            comments: comments(),
            erase_commenter: erase_commenter(),
            users: users(),
            integrations: integrations(),
            webhooks: webhooks(),
            audit: audit(),
            password: password(),
            login: login(None),
            logout: logout(),
            setup: setup(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsroom_paths_hang_off_one_root() {
        assert_eq!(route("/articles/{id}"), "/newsroom/articles/{id}");
        assert_eq!(article(7), "/newsroom/articles/7");
        assert_eq!(login(Some("/newsroom/articles?x=1")), "/newsroom/login?next=%2Fnewsroom%2Farticles%3Fx%3D1");
        assert!(is_newsroom("/newsroom") && is_newsroom("/newsroom/tags") && !is_newsroom("/newsroomx"));
    }
}
