//! Who may do what in the newsroom. The web layer asks these for every request; hiding a
//! button is never the only guard.

use crate::{PublishState, Role};

/// Editing an article: editors and administrators edit everything; authors their own;
/// contributors their own while it is not public (a published story is the editors' now).
pub fn can_edit_article(role: Role, person_id: i64, author_id: i64, state: PublishState) -> bool {
    match role {
        Role::Editor | Role::Admin => true,
        Role::Author => person_id == author_id,
        Role::Contributor => {
            person_id == author_id && matches!(state, PublishState::Draft | PublishState::Pending)
        }
    }
}

/// Publishing, scheduling or unpublishing: never contributors; authors their own.
pub fn can_publish(role: Role, person_id: i64, author_id: i64) -> bool {
    match role {
        Role::Editor | Role::Admin => true,
        Role::Author => person_id == author_id,
        Role::Contributor => false,
    }
}

/// The states a role may put an article into (for its own articles; see `can_publish`).
pub fn allowed_states(role: Role) -> &'static [PublishState] {
    match role {
        Role::Contributor => &[PublishState::Draft, PublishState::Pending],
        _ => &[
            PublishState::Draft,
            PublishState::Pending,
            PublishState::Scheduled,
            PublishState::Published,
            PublishState::Unpublished,
        ],
    }
}

/// Choosing another person as the byline.
pub fn can_assign_author(role: Role) -> bool {
    role.at_least(Role::Editor)
}

/// Categories, tags and breaking news.
pub fn can_manage_site_content(role: Role) -> bool {
    role.at_least(Role::Editor)
}

/// Reader comments: the queue, approving, spam, trash, editing, replying as the site.
pub fn can_moderate_comments(role: Role) -> bool {
    role.at_least(Role::Editor)
}

/// Erasing a commenter's comments (a privacy request): administrators.
pub fn can_erase_commenters(role: Role) -> bool {
    role == Role::Admin
}

/// Opening or closing an article's comments: whoever may publish it.
pub fn can_close_comments(role: Role, person_id: i64, author_id: i64) -> bool {
    can_publish(role, person_id, author_id)
}

/// Accounts and settings.
pub fn can_manage_users(role: Role) -> bool {
    role == Role::Admin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributors_write_but_never_publish() {
        assert!(can_edit_article(Role::Contributor, 1, 1, PublishState::Draft));
        assert!(!can_edit_article(Role::Contributor, 1, 1, PublishState::Published));
        assert!(!can_edit_article(Role::Contributor, 1, 2, PublishState::Draft));
        assert!(!can_publish(Role::Contributor, 1, 1));
        assert!(!allowed_states(Role::Contributor).contains(&PublishState::Published));
    }

    #[test]
    fn authors_own_their_articles_and_editors_all() {
        assert!(can_publish(Role::Author, 1, 1));
        assert!(!can_publish(Role::Author, 1, 2));
        assert!(!can_edit_article(Role::Author, 1, 2, PublishState::Draft));
        assert!(can_edit_article(Role::Editor, 1, 2, PublishState::Published));
        assert!(can_manage_site_content(Role::Editor) && !can_manage_site_content(Role::Author));
        assert!(can_manage_users(Role::Admin) && !can_manage_users(Role::Editor));
    }
}
