//! Files of the old site's `wp-content/uploads` folder: the ones content points at are
//! copied into the data folder's `uploads/` and their URLs rewritten to `/uploads/…`.

use std::path::PathBuf;

use super::Summary;

pub(crate) struct Uploads {
    pub(crate) from: Option<PathBuf>,
    pub(crate) to: PathBuf,
}

impl Uploads {
    /// The part of a WordPress upload URL below `uploads/`, decoded; None when it is not an
    /// upload URL or tries to leave the folder.
    fn relative(url: &str) -> Option<String> {
        let at = url.find("/uploads/")?;
        let rest = url[at + "/uploads/".len()..].split(['?', '#']).next()?;
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy().into_owned();
        (!decoded.split('/').any(|s| s == ".." || s.is_empty() || s.contains('\\'))).then_some(decoded)
    }

    /// A WordPress.com file URL (`https://site.files.wordpress.com/2008/06/a.jpg`) names the
    /// file below the uploads folder by its year and month alone.
    fn dated(url: &str) -> Option<String> {
        let rest = url.split("://").nth(1)?;
        let (host, path) = rest.split_once('/')?;
        if !host.ends_with(".files.wordpress.com") {
            return None;
        }
        let path = path.split(['?', '#']).next()?;
        let parts: Vec<&str> = path.split('/').collect();
        let dated = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[..2].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && !parts[2].is_empty();
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
        (dated && !decoded.contains("..") && !decoded.contains('\\')).then_some(decoded)
    }

    /// Copies the file an upload URL names (unless `dry_run`); returns the new URL when the
    /// file was found.
    pub(crate) fn copy(&self, url: &str, dry_run: bool, summary: &mut Summary) -> Option<String> {
        let rel = Self::relative(url).or_else(|| Self::dated(url))?;
        self.copy_relative(&rel, dry_run, summary)
    }

    /// Copies the file at `rel` below the uploads folder (an attachment's `_wp_attached_file`,
    /// for exports whose URLs name another host, as WordPress.com's do).
    pub(crate) fn copy_relative(&self, rel: &str, dry_run: bool, summary: &mut Summary) -> Option<String> {
        let from = self.from.as_ref()?;
        if rel.split('/').any(|s| s == ".." || s.is_empty() || s.contains('\\')) {
            return None;
        }
        let rel = rel.to_owned();
        let source = from.join(&rel);
        if !source.is_file() {
            return None;
        }
        if !dry_run {
            let target = self.to.join(&rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).ok()?;
            }
            if !target.exists() {
                std::fs::copy(&source, &target).ok()?;
                summary.copied_files += 1;
            }
        }
        let encoded: Vec<String> = rel
            .split('/')
            .map(|s| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string())
            .collect();
        Some(format!("/uploads/{}", encoded.join("/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_below_uploads_are_taken() {
        assert_eq!(Uploads::relative("https://x.example/wp-content/uploads/2024/05/a%20b.jpg?v=1"), Some("2024/05/a b.jpg".into()));
        assert_eq!(Uploads::relative("https://x.example/wp-content/uploads/../../etc/passwd"), None);
        assert_eq!(Uploads::relative("https://x.example/image.jpg"), None);
        assert_eq!(Uploads::dated("https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg"), Some("2008/06/canola2.jpg".into()));
        assert_eq!(Uploads::dated("https://x.example/2008/06/canola2.jpg"), None);
        assert_eq!(Uploads::dated("https://a.files.wordpress.com/2008/06/../x.jpg"), None);
    }
}
