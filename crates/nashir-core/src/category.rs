//! The category tree: categories nest, URLs carry the whole path, and a category page
//! includes its subcategories' articles.

use std::collections::HashMap;

use crate::Category;

/// Slugs that would collide with path suffixes parsed by hand (`/feed`, `/page/N`, `/amp`).
pub const RESERVED_SLUGS: &[&str] = &["feed", "page", "amp"];

pub fn is_reserved_slug(slug: &str) -> bool {
    RESERVED_SLUGS.contains(&slug)
}

/// All categories of the site, indexed for walking up and down.
#[derive(Debug, Clone, Default)]
pub struct CategoryTree {
    categories: Vec<Category>,
    by_id: HashMap<i64, usize>,
}

impl CategoryTree {
    pub fn new(mut categories: Vec<Category>) -> Self {
        categories.sort_by(|a, b| a.position.cmp(&b.position).then(a.id.cmp(&b.id)));
        let by_id = categories.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        Self { categories, by_id }
    }

    pub fn get(&self, id: i64) -> Option<&Category> {
        self.by_id.get(&id).map(|&i| &self.categories[i])
    }

    pub fn roots(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.parent_id.is_none())
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(move |c| c.parent_id == Some(id))
    }

    /// The category and its ancestors, root first. Stops on a cycle in stored data.
    pub fn path(&self, id: i64) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut next = self.get(id);
        while let Some(c) = next {
            if path.iter().any(|p: &&Category| p.id == c.id) {
                break;
            }
            path.push(c);
            next = c.parent_id.and_then(|p| self.get(p));
        }
        path.reverse();
        path
    }

    /// Slugs of the path joined with `/`, as in `/category/{parent}/{child}/`.
    pub fn slug_path(&self, id: i64) -> String {
        self.path(id).iter().map(|c| c.slug.as_str()).collect::<Vec<_>>().join("/")
    }

    /// Finds the category at the end of a slug path, checking every step's parent.
    pub fn find_by_path<'a>(&self, slugs: impl IntoIterator<Item = &'a str>) -> Option<&Category> {
        let mut parent: Option<i64> = None;
        let mut found = None;
        for slug in slugs {
            let c = self.categories.iter().find(|c| c.parent_id == parent && c.slug == slug)?;
            parent = Some(c.id);
            found = Some(c);
        }
        found
    }

    /// The category and all categories below it.
    pub fn descendants_and_self(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let current = out[i];
            for child in self.children(current) {
                if !out.contains(&child.id) {
                    out.push(child.id);
                }
            }
            i += 1;
        }
        out
    }

    pub fn all(&self) -> &[Category] {
        &self.categories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, parent: Option<i64>, slug: &str) -> Category {
        Category {
            id,
            parent_id: parent,
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            position: id,
        }
    }

    fn tree() -> CategoryTree {
        CategoryTree::new(vec![
            cat(1, None, "دولي"),
            cat(2, Some(1), "أوروبا"),
            cat(3, Some(2), "فرنسا"),
            cat(4, None, "اقتصاد"),
        ])
    }

    #[test]
    fn paths_run_root_first() {
        let t = tree();
        assert_eq!(t.slug_path(3), "دولي/أوروبا/فرنسا");
        assert_eq!(t.find_by_path(["دولي", "أوروبا"]).map(|c| c.id), Some(2));
        assert!(t.find_by_path(["أوروبا"]).is_none(), "a child is not found without its parent");
    }

    #[test]
    fn descendants_include_grandchildren() {
        let mut d = tree().descendants_and_self(1);
        d.sort();
        assert_eq!(d, vec![1, 2, 3]);
    }

    #[test]
    fn reserved_slugs() {
        assert!(is_reserved_slug("feed"));
        assert!(!is_reserved_slug("feeds"));
    }
}
