//! After a WordPress import with `--uploads`: the photos it copied become photos of the media
//! library (their files made by the server's workers, without metadata), articles whose
//! featured image was one of them take the library photo, and the copied originals — which
//! still held their EXIF and GPS — are deleted; their old URLs answer 301 with the new files.
//! Other files (PDFs, audio) stay in `uploads/` as they were. Running it again adds nothing.

use std::path::{Path, PathBuf};

use anyhow::Context;
use nashir_store::{NewMedia, Store};

/// What the step did, for the summary.
#[derive(Debug, Default)]
pub struct Adopted {
    pub photos: u64,
    pub already: u64,
    pub featured: u64,
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_below(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// `texts`: what the export says of a photo (title, alt text, caption) by its `/uploads/…` URL.
pub async fn adopt_uploads(
    store: &Store,
    uploads: &Path,
    library: &nashir_web::MediaStore,
    texts: &std::collections::BTreeMap<String, (String, String, String)>,
) -> anyhow::Result<Adopted> {
    let mut files = Vec::new();
    files_below(uploads, &mut files);
    files.sort();
    let mut done = Adopted::default();
    let limits = nashir_media::Limits::default();
    for file in files {
        let Ok(rel) = file.strip_prefix(uploads) else { continue };
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let rel = rel.join("/");
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        // Not a photo the library takes: it stays where it is.
        let Ok((format, width, height)) = nashir_media::inspect(&bytes, &limits) else { continue };
        let hash = nashir_media::content_hash(&bytes);
        let size = i64::try_from(bytes.len()).unwrap_or(0);
        library.keep_incoming(&hash, bytes).await.context("keeping a photo for the library")?;
        let stem = Path::new(&rel).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let encoded: Vec<String> =
            rel.split('/').map(|s| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()).collect();
        let url = format!("/uploads/{}", encoded.join("/"));
        let (title, alt, caption) = texts.get(&url).cloned().unwrap_or_default();
        // WordPress writes a photographer's credit into the caption as often as not; it is kept there.
        let photo = NewMedia {
            hash,
            format: format.name().into(),
            original_name: Path::new(&rel).file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            width: i64::from(width),
            height: i64::from(height),
            bytes: size,
            title: if title.is_empty() { stem } else { title },
            alt,
            caption,
            credit: String::new(),
            variants_total: i64::try_from(nashir_media::plan_len(format, width)).unwrap_or(0),
            uploaded_by: None,
        };
        let now = nashir_store::now_micros();
        let (id, new) = store.add_media(&photo, now).await?;
        if new { done.photos += 1 } else { done.already += 1 }
        store.add_media_source(&rel, id).await?;
        done.featured += store.adopt_featured_image(&url, id, now).await?;
        std::fs::remove_file(&file).with_context(|| format!("removing the copied original {}", file.display()))?;
    }
    Ok(done)
}
