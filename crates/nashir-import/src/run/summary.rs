//! What an import did, for the operator to check that nothing important was dropped:
//! counts of records created and updated, every skip reason with its count and examples,
//! shortcodes removed, files copied and images left pointing at the old site.

use std::collections::BTreeMap;
use std::fmt;

use super::Upserted;

/// Examples kept per skip reason.
const EXAMPLES: usize = 10;

/// One skip reason: how often, and a few records it hit (source id and title).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skip {
    pub count: u64,
    pub examples: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub dry_run: bool,
    pub seconds: f64,
    pub created: BTreeMap<&'static str, u64>,
    pub updated: BTreeMap<&'static str, u64>,
    pub skipped: BTreeMap<String, Skip>,
    pub shortcodes: BTreeMap<String, usize>,
    pub external_images: Vec<String>,
    pub copied_files: u64,
    /// What the export says of each image attachment it copied, by its new `/uploads/…`
    /// URL: (title, alt text, caption), for the media library.
    pub photo_texts: BTreeMap<String, (String, String, String)>,
    /// Posts whose author was missing from the export, given to the default author.
    pub default_author: Option<Skip>,
    /// `[gallery]`s made into galleries, and the photos they show.
    pub galleries: (u64, u64),
    /// When the export has menus: what became of the category bar, in words.
    pub menu: Option<String>,
}

impl Summary {
    pub(crate) fn count(&mut self, what: &'static str, outcome: Upserted) {
        let map = match outcome {
            Upserted::Created(_) => &mut self.created,
            Upserted::Updated(_) => &mut self.updated,
        };
        *map.entry(what).or_default() += 1;
    }

    /// Counts a skipped record; `example` names it (source id, title) when there is one.
    pub(crate) fn skip(&mut self, reason: impl Into<String>, example: Option<(String, String)>) {
        let entry = self.skipped.entry(reason.into()).or_default();
        entry.count += 1;
        if let Some(e) = example
            && entry.examples.len() < EXAMPLES
        {
            entry.examples.push(e);
        }
    }

    /// How many records were skipped for `reason` (0 when none).
    pub fn skipped_for(&self, reason: &str) -> u64 {
        self.skipped.get(reason).map_or(0, |s| s.count)
    }

    pub fn created(&self, what: &str) -> u64 {
        self.created.get(what).copied().unwrap_or(0)
    }

    pub fn updated(&self, what: &str) -> u64 {
        self.updated.get(what).copied().unwrap_or(0)
    }

    pub(crate) fn finish(&mut self) {
        self.external_images.sort();
        self.external_images.dedup();
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run { "Would import" } else { "Imported" };
        let list = |m: &BTreeMap<&'static str, u64>| {
            if m.is_empty() { "nothing".to_owned() } else { m.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ") }
        };
        writeln!(f, "{verb} in {:.1} s.", self.seconds)?;
        writeln!(f, "  created: {}", list(&self.created))?;
        writeln!(f, "  updated: {}", list(&self.updated))?;
        if !self.skipped.is_empty() {
            writeln!(f, "  skipped: {}", self.skipped.iter().map(|(k, v)| format!("{} {k}", v.count)).collect::<Vec<_>>().join(", "))?;
            for (reason, skip) in &self.skipped {
                if skip.examples.is_empty() {
                    continue;
                }
                writeln!(f, "    {reason}, for example:")?;
                for (id, title) in &skip.examples {
                    writeln!(f, "      {id}: {title}")?;
                }
            }
        }
        if let Some(given) = &self.default_author {
            writeln!(f, "  given to the default author (their author is not in the export): {} posts", given.count)?;
            for (id, title) in &given.examples {
                writeln!(f, "      {id}: {title}")?;
            }
        }
        if self.galleries.0 > 0 {
            writeln!(f, "  galleries: {} ({} photos)", self.galleries.0, self.galleries.1)?;
        }
        if let Some(menu) = &self.menu {
            writeln!(f, "  category bar: {menu}")?;
        }
        if !self.shortcodes.is_empty() {
            writeln!(f, "  shortcodes removed: {}", self.shortcodes.iter().map(|(k, v)| format!("[{k}] ×{v}")).collect::<Vec<_>>().join(", "))?;
        }
        if self.copied_files > 0 {
            writeln!(f, "  files copied from --uploads: {}", self.copied_files)?;
        }
        if !self.external_images.is_empty() {
            writeln!(f, "  images kept as absolute URLs ({}; give --uploads to copy them):", self.external_images.len())?;
            for url in self.external_images.iter().take(20) {
                writeln!(f, "    {url}")?;
            }
            if self.external_images.len() > 20 {
                writeln!(f, "    … and {} more", self.external_images.len() - 20)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_keep_ten_examples_and_every_count() {
        let mut s = Summary::default();
        for i in 0..15 {
            s.skip("posts by nobody", Some((i.to_string(), format!("t{i}"))));
        }
        s.skip("pingbacks", None);
        assert_eq!(s.skipped_for("posts by nobody"), 15);
        assert_eq!(s.skipped["posts by nobody"].examples.len(), 10);
        let text = s.to_string();
        assert!(text.contains("skipped: 1 pingbacks, 15 posts by nobody"), "{text}");
        assert!(text.contains("      9: t9") && !text.contains("10: t10"), "{text}");
    }
}
