//! The records the site is made of, as the rest of Nashir sees them. Times are unix
//! microseconds in UTC; they become dates only at the edge (rendering).

use serde::Serialize;

use crate::{CommentStatus, PublishState, Role};

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub role: Role,
    /// Never rendered on a public page; kept here for the newsroom only.
    #[serde(skip)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A whole article, as the article page needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// Sanitized HTML.
    pub body_html: String,
    /// The standfirst: typed by the editor or derived from the body when saved.
    pub excerpt: String,
    pub state: PublishState,
    pub author_id: i64,
    pub primary_category_id: Option<i64>,
    pub published_at: Option<i64>,
    /// Set when a published article was edited in a way readers should be told about.
    pub modified_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
    /// A lead image (an imported featured image); absolute or `/uploads/…`.
    pub featured_image: Option<String>,
}

/// What lists (home, category, tag, author, related) show of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub published_at: i64,
    pub category_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub author_slug: String,
    pub featured_image: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    /// Never rendered; `skip` makes sure no template can reach it by accident.
    #[serde(skip)]
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: i64,
}

/// A comment with its replies, for threaded display.
#[derive(Debug, Clone, Serialize)]
pub struct CommentThread {
    pub comment: Comment,
    pub replies: Vec<CommentThread>,
}

impl CommentThread {
    /// Builds threads from a flat list in display order. Replies whose parent is not in
    /// the list (not approved, deleted) are lifted to the top level rather than lost.
    pub fn build(comments: Vec<Comment>) -> Vec<CommentThread> {
        use std::collections::{HashMap, HashSet};
        let ids: HashSet<i64> = comments.iter().map(|c| c.id).collect();
        let mut children: HashMap<Option<i64>, Vec<Comment>> = HashMap::new();
        for c in comments {
            let parent = c.parent_id.filter(|p| ids.contains(p) && *p != c.id);
            children.entry(parent).or_default().push(c);
        }
        fn attach(
            parent: Option<i64>,
            children: &mut HashMap<Option<i64>, Vec<Comment>>,
            depth: usize,
        ) -> Vec<CommentThread> {
            let list = children.remove(&parent).unwrap_or_default();
            list.into_iter()
                .map(|comment| {
                    // A cycle in stored data must not recurse forever.
                    let replies = if depth < 32 {
                        attach(Some(comment.id), children, depth + 1)
                    } else {
                        Vec::new()
                    };
                    CommentThread { comment, replies }
                })
                .collect()
        }
        attach(None, &mut children, 0)
    }
}

/// An article to write (created by the demo, the newsroom's importers and tests).
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub title: String,
    pub slug: String,
    /// Already sanitized HTML.
    pub body_html: String,
    pub excerpt: String,
    pub featured_image: Option<String>,
    pub state: PublishState,
    pub author_id: i64,
    pub primary_category_id: Option<i64>,
    /// Further categories; the primary one is added to the filing automatically.
    pub other_category_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
    pub published_at: Option<i64>,
    pub modified_at: Option<i64>,
    pub sticky: bool,
}

/// A comment to write (a reader's, or an imported one).
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakingItem {
    pub id: i64,
    pub text: String,
    pub article_id: Option<i64>,
    /// The linked article's slug while it is published; a link to anything else is dropped.
    pub article_slug: Option<String>,
    pub starts_at: i64,
    pub expires_at: i64,
    pub position: i64,
}

impl BreakingItem {
    pub fn is_live(&self, now: i64) -> bool {
        self.starts_at <= now && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: i64, parent: Option<i64>) -> Comment {
        Comment {
            id,
            article_id: 1,
            parent_id: parent,
            author_name: format!("c{id}"),
            author_email: String::new(),
            author_url: None,
            body: String::new(),
            status: CommentStatus::Approved,
            created_at: id,
        }
    }

    #[test]
    fn threads_nest_replies_and_keep_orphans() {
        let threads = CommentThread::build(vec![
            comment(1, None),
            comment(2, Some(1)),
            comment(3, Some(2)),
            comment(4, Some(99)),
        ]);
        assert_eq!(threads.len(), 2);
        assert_eq!(threads[0].replies[0].replies[0].comment.id, 3);
        assert_eq!(threads[1].comment.id, 4);
    }

    #[test]
    fn breaking_items_live_between_start_and_expiry() {
        let item = BreakingItem {
            id: 1,
            text: String::new(),
            article_id: None,
            article_slug: None,
            starts_at: 10,
            expires_at: 20,
            position: 1,
        };
        assert!(!item.is_live(9));
        assert!(item.is_live(10));
        assert!(!item.is_live(20));
    }
}
