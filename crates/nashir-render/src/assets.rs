//! The theme's static files, ready to serve: each read once (the site folder's copy first,
//! then the built-in one), named by its content (`style.3f2a1b9c0d.css`, so a browser may
//! keep it for a year and a change is a new name), and compressed once with brotli and gzip
//! when that makes it smaller. Templates ask `asset("style.css")` for the current name.
//! Files of a site folder are looked at again (at most once a second while pages render,
//! at once when asked for by their plain name), so a theme designer's edit shows without a
//! restart; the names of earlier versions keep answering.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::theme::{BuiltinTheme, RenderError};

/// One static file with its stored codings.
#[derive(Debug)]
pub struct Asset {
    /// The name templates use, such as `newsroom/editor.js`.
    pub name: String,
    /// The name with the content hash, such as `newsroom/editor.3f2a1b9c0d.js`.
    pub fingerprinted: String,
    pub mime: String,
    pub identity: Bytes,
    pub brotli: Option<Bytes>,
    pub gzip: Option<Bytes>,
    /// The first hex digits of the content's SHA-256.
    pub hash: String,
}

/// A static file as requested: by its fingerprinted name (cacheable forever) or its plain
/// name (for old links and hand-written references).
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub asset: Arc<Asset>,
    pub immutable: bool,
}

/// What is known of the files at one moment.
#[derive(Debug, Default)]
struct Known {
    by_name: HashMap<String, Arc<Asset>>,
    by_fingerprint: HashMap<String, Arc<Asset>>,
    /// Size and modification time of each site-folder file, to notice edits.
    seen: HashMap<PathBuf, (u64, Option<SystemTime>)>,
}

/// Every static file of the theme.
#[derive(Debug, Default)]
pub struct Assets {
    site_static: Option<PathBuf>,
    known: RwLock<Known>,
    /// When the site folder was last looked at (unix seconds).
    checked_at: AtomicI64,
}

/// Hex digits of the content hash kept in a name.
const HASH_CHARS: usize = 10;

fn fingerprinted(name: &str, hash: &str) -> String {
    let (dir, file) = match name.rsplit_once('/') {
        Some((dir, file)) => (format!("{dir}/"), file),
        None => (String::new(), name),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}.{hash}.{ext}"),
        _ => format!("{dir}{file}.{hash}"),
    }
}

fn compressible(mime: &str) -> bool {
    mime.starts_with("text/") || matches!(mime, "application/javascript" | "application/json" | "image/svg+xml" | "application/xml")
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        let _ = w.write_all(bytes);
    }
    Bytes::from(out)
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    Bytes::from(e.finish().unwrap_or_default())
}

impl Asset {
    fn new(name: &str, identity: Vec<u8>) -> Asset {
        let hash: String = hex_prefix(&Sha256::digest(&identity));
        let mime = mime_guess::from_path(name).first_or_octet_stream().essence_str().to_owned();
        let (brotli, gzip) = if compressible(&mime) {
            let b = brotli(&identity);
            let g = gzip(&identity);
            ((b.len() < identity.len()).then_some(b), (g.len() < identity.len()).then_some(g))
        } else {
            (None, None)
        };
        Asset { fingerprinted: fingerprinted(name, &hash), name: name.to_owned(), mime, identity: Bytes::from(identity), brotli, gzip, hash }
    }
}

fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect::<String>()[..HASH_CHARS].to_owned()
}

fn unix_seconds() -> i64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Every file below `dir`, by its path relative to it.
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| RenderError::Io { path: current.clone(), source })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push((rel.to_string_lossy().replace('\\', "/"), path));
            }
        }
    }
    Ok(out)
}

impl Known {
    fn add(&mut self, name: &str, bytes: Vec<u8>) {
        let asset = Arc::new(Asset::new(name, bytes));
        self.by_fingerprint.insert(asset.fingerprinted.clone(), asset.clone());
        self.by_name.insert(name.to_owned(), asset);
    }
}

impl Assets {
    /// Reads every static file: the built-in theme's, replaced file by file by the site
    /// folder's `static/`.
    pub fn load(theme_dir: Option<&Path>) -> Result<Assets, RenderError> {
        let mut known = Known::default();
        for path in BuiltinTheme::iter() {
            if let Some(name) = path.strip_prefix("static/")
                && let Some(file) = BuiltinTheme::get(&path)
            {
                known.add(name, file.data.into_owned());
            }
        }
        let assets = Assets {
            site_static: theme_dir.map(|d| d.join("static")).filter(|d| d.is_dir()),
            known: RwLock::new(known),
            checked_at: AtomicI64::new(0),
        };
        assets.refresh()?;
        Ok(assets)
    }

    /// Reads the site folder's files that are new or changed since last time.
    fn refresh(&self) -> Result<(), RenderError> {
        let Some(dir) = &self.site_static else { return Ok(()) };
        self.checked_at.store(unix_seconds(), Ordering::Relaxed);
        for (name, path) in walk(dir)? {
            let meta = std::fs::metadata(&path).map_err(|source| RenderError::Io { path: path.clone(), source })?;
            let stamp = (meta.len(), meta.modified().ok());
            let unchanged = self.known.read().unwrap_or_else(PoisonError::into_inner).seen.get(&path) == Some(&stamp);
            if unchanged {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| RenderError::Io { path: path.clone(), source })?;
            let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
            known.add(&name, bytes);
            known.seen.insert(path, stamp);
        }
        Ok(())
    }

    /// Looks at the site folder again when it was last looked at over a second ago.
    fn refresh_now_and_then(&self) {
        if self.site_static.is_some() && unix_seconds() > self.checked_at.load(Ordering::Relaxed)
            && let Err(e) = self.refresh()
        {
            tracing::warn!(error = %e, "reading the theme's static files");
        }
    }

    /// The URL of a static file by the name templates use: fingerprinted when the file
    /// exists, else the plain path (so a typo shows as a 404, not a broken template).
    pub fn url(&self, name: &str) -> String {
        self.refresh_now_and_then();
        match self.known.read().unwrap_or_else(PoisonError::into_inner).by_name.get(name) {
            Some(asset) => format!("/static/{}", asset.fingerprinted),
            None => format!("/static/{name}"),
        }
    }

    /// A requested path below `/static/`.
    pub fn get(&self, path: &str) -> Option<StaticFile> {
        if let Some(asset) = self.known.read().unwrap_or_else(PoisonError::into_inner).by_fingerprint.get(path) {
            return Some(StaticFile { asset: asset.clone(), immutable: true });
        }
        // A plain name is how people (and old pages) ask: give them the file as it is now.
        if self.site_static.is_some()
            && let Err(e) = self.refresh()
        {
            tracing::warn!(error = %e, "reading the theme's static files");
        }
        self.known.read().unwrap_or_else(PoisonError::into_inner).by_name.get(path).map(|asset| StaticFile { asset: asset.clone(), immutable: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash_before_the_extension() {
        assert_eq!(fingerprinted("style.css", "0123456789"), "style.0123456789.css");
        assert_eq!(fingerprinted("newsroom/editor.js", "ab"), "newsroom/editor.ab.js");
        assert_eq!(fingerprinted("LICENSE", "ab"), "LICENSE.ab");
    }

    #[test]
    fn the_built_in_files_are_fingerprinted_and_compressed_once() {
        let assets = Assets::load(None).expect("assets");
        let url = assets.url("style.css");
        assert!(url.starts_with("/static/style.") && url.ends_with(".css") && url.len() == "/static/style..css".len() + HASH_CHARS, "{url}");
        let file = assets.get(url.trim_start_matches("/static/")).expect("by fingerprint");
        assert!(file.immutable);
        assert_eq!(file.asset.mime, "text/css");
        let br = file.asset.brotli.as_ref().expect("css compresses");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("brotli");
        assert_eq!(decoded, file.asset.identity.to_vec());
        assert!(!assets.get("style.css").expect("by name").immutable, "the plain name is not kept forever");
        assert_eq!(assets.url("missing.css"), "/static/missing.css");
    }

    #[test]
    fn a_site_folder_replaces_a_file_and_changes_its_name() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("static")).expect("mkdir");
        std::fs::write(dir.path().join("static/style.css"), "body { color: red; }").expect("write");
        let builtin = Assets::load(None).expect("assets");
        let site = Assets::load(Some(dir.path())).expect("assets");
        let red = site.url("style.css");
        assert_ne!(builtin.url("style.css"), red);
        assert_eq!(site.get("style.css").expect("file").asset.identity.as_ref(), b"body { color: red; }");
        assert_eq!(site.url("suggest.js"), builtin.url("suggest.js"), "other files stay built-in");
        // An edit is a new name; the old name still answers with the old bytes.
        std::fs::write(dir.path().join("static/style.css"), "body { color: blue; }").expect("write");
        assert_eq!(site.get("style.css").expect("file").asset.identity.as_ref(), b"body { color: blue; }");
        assert_ne!(site.url("style.css"), red);
        let old = site.get(red.trim_start_matches("/static/")).expect("the old name");
        assert_eq!(old.asset.identity.as_ref(), b"body { color: red; }");
    }
}
