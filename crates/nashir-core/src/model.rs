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

/// A photo of the media library as pages show it: its files follow from the hash, format
/// and size (see `nashir_media::WIDTHS`), the rest is what the newsroom wrote about it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Photo {
    pub id: i64,
    pub hash: String,
    /// `jpeg`, `png`, `gif` or `webp`.
    pub format: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
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
    /// The featured photo from the media library, once its files are written.
    pub photo: Option<Photo>,
    /// Whether readers may comment (the site may also close comments after some days).
    pub comments_open: bool,
    /// Approved comments.
    pub comment_count: i64,
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
    /// The featured photo from the media library, once its files are written.
    pub photo: Option<Photo>,
    /// Approved comments.
    pub comment_count: i64,
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
    /// Written by staff in the newsroom: shown as the site's reply.
    pub staff_reply: bool,
}

/// A comment with its replies, for threaded display.
#[derive(Debug, Clone, Serialize)]
pub struct CommentThread {
    pub comment: Comment,
    pub replies: Vec<CommentThread>,
}

impl CommentThread {
    /// Builds threads from a flat list in display order, `max_depth` levels deep: replies
    /// below the last level are shown at it, after the comment they descend from, oldest
    /// first. Replies whose parent is not in the list (not approved, deleted) and comments
    /// caught in a reply cycle are lifted to the top level rather than lost.
    pub fn build(comments: Vec<Comment>, max_depth: usize) -> Vec<CommentThread> {
        use std::collections::{HashMap, HashSet};
        type Children = HashMap<Option<i64>, Vec<Comment>>;
        let ids: HashSet<i64> = comments.iter().map(|c| c.id).collect();
        let order: Vec<i64> = comments.iter().map(|c| c.id).collect();
        let mut children: Children = HashMap::new();
        for c in comments {
            let parent = c.parent_id.filter(|p| ids.contains(p) && *p != c.id);
            children.entry(parent).or_default().push(c);
        }
        fn descendants(id: i64, children: &mut Children, out: &mut Vec<Comment>) {
            let mut stack = vec![id];
            while let Some(next) = stack.pop() {
                for c in children.remove(&Some(next)).unwrap_or_default() {
                    stack.push(c.id);
                    out.push(c);
                }
            }
        }
        fn attach(parent: Option<i64>, children: &mut Children, depth: usize, max_depth: usize) -> Vec<CommentThread> {
            let list = children.remove(&parent).unwrap_or_default();
            let mut out = Vec::with_capacity(list.len());
            for comment in list {
                if depth + 1 < max_depth {
                    let replies = attach(Some(comment.id), children, depth + 1, max_depth);
                    out.push(CommentThread { comment, replies });
                } else {
                    let mut deeper = Vec::new();
                    descendants(comment.id, children, &mut deeper);
                    deeper.sort_by_key(|c| (c.created_at, c.id));
                    out.push(CommentThread { comment, replies: Vec::new() });
                    out.extend(deeper.into_iter().map(|comment| CommentThread { comment, replies: Vec::new() }));
                }
            }
            out
        }
        let mut threads = attach(None, &mut children, 0, max_depth.max(1));
        // What is left hangs in a cycle of replies: shown at the top level, in list order.
        let mut stranded: Vec<Comment> = children.into_values().flatten().collect();
        stranded.sort_by_key(|c| order.iter().position(|id| *id == c.id));
        threads.extend(stranded.into_iter().map(|comment| CommentThread { comment, replies: Vec::new() }));
        threads
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
    /// Whether readers may comment.
    pub comments_open: bool,
}

/// A comment to write (a reader's, or an imported one).
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    /// Stored in lower case; never shown.
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: i64,
    /// The writer's network address, kept for moderation and erased after a while.
    pub author_ip: Option<String>,
    /// The staff member who wrote it in the newsroom (a reply as the site).
    pub staff_id: Option<i64>,
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
            staff_reply: false,
        }
    }

    #[test]
    fn threads_nest_replies_and_keep_orphans() {
        let threads = CommentThread::build(vec![
            comment(1, None),
            comment(2, Some(1)),
            comment(3, Some(2)),
            comment(4, Some(99)),
        ], 4);
        assert_eq!(threads.len(), 2);
        assert_eq!(threads[0].replies[0].replies[0].comment.id, 3);
        assert_eq!(threads[1].comment.id, 4);
    }

    fn depth_of(threads: &[CommentThread], id: i64, depth: usize) -> Option<usize> {
        threads.iter().find_map(|t| if t.comment.id == id { Some(depth) } else { depth_of(&t.replies, id, depth + 1) })
    }

    #[test]
    fn replies_below_the_last_level_are_shown_at_it_in_order() {
        // 1 ← 2 ← 3 ← 4 ← 5 ← 6, and 7 answers 5: everything below level 4 shows at level 4.
        let mut list: Vec<Comment> = (1..=6).map(|i| comment(i, (i > 1).then_some(i - 1))).collect();
        list.push(comment(7, Some(5)));
        list.push(comment(8, Some(3)));
        let threads = CommentThread::build(list, 4);
        assert_eq!(depth_of(&threads, 4, 1), Some(4));
        assert_eq!(depth_of(&threads, 5, 1), Some(4), "a fifth level is shown at the fourth");
        assert_eq!(depth_of(&threads, 7, 1), Some(4));
        let level4: Vec<i64> = threads[0].replies[0].replies[0].replies.iter().map(|t| t.comment.id).collect();
        assert_eq!(level4, vec![4, 5, 6, 7, 8], "after their ancestor, oldest first, then the next branch");
        assert!(threads[0].replies[0].replies[0].replies.iter().all(|t| t.replies.is_empty()));
    }

    #[test]
    fn comments_in_a_reply_cycle_are_not_lost() {
        let threads = CommentThread::build(vec![comment(1, None), comment(2, Some(3)), comment(3, Some(2))], 4);
        let mut ids: Vec<i64> = threads.iter().map(|t| t.comment.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![1, 2, 3]);
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
