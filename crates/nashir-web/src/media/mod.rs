//! The media library's files and the work of making them.
//!
//! Files go through one `object_store` interface (a local folder by default). An upload is
//! checked on the request path without decoding its pixels (size, type from content,
//! dimensions) and stored under `incoming/` — never served: it still holds its metadata.
//! A bounded pool of workers (every instance runs one) claims each new photo under a lease,
//! decodes it once, writes every variant under `public/`, records progress, and deletes the
//! incoming file; a crash leaves the lease to run out and the photo to be done again.
//! Public files are named by the upload's hash, width and format, so they never change and
//! are served with a year of immutable caching.

use std::sync::Arc;
use std::time::Duration;

use nashir_core::Photo;
use nashir_media::{Format, Limits};
use nashir_store::{Media, Store};
mod s3;

use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// How photos are taken and made.
#[derive(Debug, Clone)]
pub struct MediaOptions {
    /// Where files live; None keeps them in memory (tests of other things).
    pub dir: Option<std::path::PathBuf>,
    /// An S3-compatible bucket instead of `dir` (`s3://BUCKET[/PREFIX]`, see [`s3`]), so
    /// several instances share the library.
    pub store: Option<String>,
    pub limits: Limits,
    /// JPEG and WebP quality, 1–100.
    pub quality: u8,
    /// Photos processed at once by this instance.
    pub workers: usize,
}

impl Default for MediaOptions {
    fn default() -> Self {
        MediaOptions { dir: None, store: None, limits: Limits::default(), quality: 82, workers: 1 }
    }
}

/// The files of the library: a local folder, or an S3-compatible bucket.
#[derive(Clone)]
pub struct MediaStore(Arc<dyn ObjectStore>);

impl MediaStore {
    pub fn open(options: &MediaOptions) -> std::io::Result<MediaStore> {
        if let Some(url) = &options.store {
            return s3::open(url).map(MediaStore).map_err(std::io::Error::other);
        }
        match &options.dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
                Ok(MediaStore(Arc::new(store)))
            }
            None => Ok(MediaStore(Arc::new(object_store::memory::InMemory::new()))),
        }
    }

    pub async fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), object_store::Error> {
        self.0.put(&StorePath::from(path), PutPayload::from(bytes)).await.map(|_| ())
    }

    /// Keeps a photo's original until the workers make its files (an import's photos).
    pub async fn keep_incoming(&self, hash: &str, bytes: Vec<u8>) -> Result<(), object_store::Error> {
        let path = StorePath::from(format!("incoming/{hash}"));
        match self.0.head(&path).await {
            Ok(_) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => self.0.put(&path, PutPayload::from(bytes)).await.map(|_| ()),
            Err(e) => Err(e),
        }
    }

    /// Deletes a file; one already gone is fine, other failures are logged.
    pub(crate) async fn delete(&self, path: &str) {
        match self.0.delete(&StorePath::from(path)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => tracing::warn!(error = %e, path, "media: cannot delete a file"),
        }
    }

    /// Deletes a deleted photo's public files (every width, both formats).
    pub(crate) async fn delete_photo(&self, hash: &str, format: Format) {
        let widths = std::iter::once(None).chain(nashir_media::WIDTHS.iter().map(|w| Some(*w)));
        for width in widths {
            for f in [format, Format::Webp] {
                self.delete(&format!("public/{}", file_name(hash, width, f))).await;
            }
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Result<axum::body::Bytes, object_store::Error> {
        self.0.get(&StorePath::from(path)).await?.bytes().await
    }
}

/// Characters of the hash in file names (80 bits).
const HASH_CHARS: usize = 20;

/// The public file of a photo: `ab12…/640.webp`, `ab12…/full.jpg`.
pub(crate) fn file_name(hash: &str, width: Option<u32>, format: Format) -> String {
    let label = width.map_or_else(|| "full".to_owned(), |w| w.to_string());
    format!("{}/{label}.{}", &hash[..HASH_CHARS.min(hash.len())], format.extension())
}

/// Its URL on this site.
pub(crate) fn file_url(hash: &str, width: Option<u32>, format: Format) -> String {
    format!("/media/{}", file_name(hash, width, format))
}

/// The format of a stored photo (`jpeg`, `png`, `gif`, `webp`).
pub(crate) fn format_of(name: &str) -> Format {
    Format::from_extension(name).unwrap_or(Format::Jpeg)
}

/// Files of one format: (width, URL), smallest first.
pub(crate) type Files = Vec<(u32, String)>;

/// The files of a photo, for `srcset`s: in its format and in WebP.
pub(crate) fn files(photo: &Photo) -> (Files, Files) {
    let format = format_of(&photo.format);
    let width = u32::try_from(photo.width).unwrap_or(0);
    let mut own = Vec::new();
    let mut webp = Vec::new();
    for (w, f) in nashir_media::plan_for(format, width) {
        let shown = w.unwrap_or(width);
        let url = file_url(&photo.hash, w, f);
        if f == format {
            own.push((shown, url));
        } else {
            webp.push((shown, url));
        }
    }
    own.sort_by_key(|(w, _)| *w);
    webp.sort_by_key(|(w, _)| *w);
    (own, webp)
}

/// The file social cards and structured data use: 1280 px wide (or the photo when it is
/// smaller), in its own format. (width, height, URL, media type)
pub(crate) fn card_file(photo: &Photo) -> (u32, u32, String, &'static str) {
    let format = format_of(&photo.format);
    let width = u32::try_from(photo.width).unwrap_or(0);
    let height = u32::try_from(photo.height).unwrap_or(0);
    if width > 1280 {
        (1280, nashir_media::scaled_height(width, height, 1280), file_url(&photo.hash, Some(1280), format), format.mime())
    } else {
        (width, height, file_url(&photo.hash, None, format), format.mime())
    }
}

/// How long a claimed photo is this worker's (renewed with each file written): a worker that
/// died is replaced after this long. `NASHIR_MEDIA_LEASE_SECONDS` shortens it for tests.
fn lease_micros() -> i64 {
    std::env::var("NASHIR_MEDIA_LEASE_SECONDS").ok().and_then(|s| s.parse::<i64>().ok()).filter(|s| *s > 0).unwrap_or(60) * 1_000_000
}
/// The queue is looked at this often when nothing wakes the workers.
const TICK: Duration = Duration::from_secs(2);

/// Runs `options.workers` workers until the process ends.
pub(crate) fn start_workers(store: &Store, files: &MediaStore, options: &MediaOptions, waiting: &Arc<tokio::sync::Notify>) {
    for _ in 0..options.workers.max(1) {
        tokio::spawn(work(store.clone(), files.clone(), options.clone(), waiting.clone()));
    }
}

async fn work(store: Store, files: MediaStore, options: MediaOptions, waiting: Arc<tokio::sync::Notify>) {
    loop {
        // The server is stopping: the rest is done by the next start.
        if store.is_closed() {
            return;
        }
        let notified = waiting.notified();
        let claimed = match store.claim_media_work(nashir_store::now_micros(), lease_micros()).await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "media: cannot read the queue; will retry");
                None
            }
        };
        let Some(media) = claimed else {
            let _ = tokio::time::timeout(TICK, notified).await;
            continue;
        };
        if let Err((error, permanent)) = make_files(&store, &files, &options, &media).await {
            if store.is_closed() {
                return;
            }
            tracing::warn!(media = media.id, %error, permanent, "media: processing failed");
            let attempts = store.media_attempts(media.id).await.unwrap_or(i64::MAX);
            if let Err(e) = store.media_failed(&media, attempts, &error, permanent, nashir_store::now_micros()).await {
                tracing::warn!(error = %e, "media: cannot record a failure");
            }
        }
    }
}

/// Writes every file of a photo; the error says whether trying again could help.
async fn make_files(store: &Store, files: &MediaStore, options: &MediaOptions, media: &Media) -> Result<(), (String, bool)> {
    let incoming = format!("incoming/{}", media.hash);
    let bytes = files.get(&incoming).await.map_err(|e| (e.to_string(), false))?;
    let limits = options.limits;
    let prepared = tokio::task::spawn_blocking(move || nashir_media::prepare(&bytes, &limits))
        .await
        .map_err(|e| (e.to_string(), false))?
        .map_err(|e| (e.to_string(), true))?;
    let prepared = Arc::new(prepared);
    let plan = nashir_media::plan(&prepared);
    for (done, (width, format)) in plan.into_iter().enumerate() {
        let p = prepared.clone();
        let quality = options.quality;
        let variant = tokio::task::spawn_blocking(move || nashir_media::render(&p, width, format, quality))
            .await
            .map_err(|e| (e.to_string(), false))?
            .map_err(|e| (e.to_string(), true))?;
        files.put(&format!("public/{}", file_name(&media.hash, width, format)), variant.bytes).await.map_err(|e| (e.to_string(), false))?;
        let done = i64::try_from(done + 1).unwrap_or(i64::MAX);
        store.media_progress(media.id, done, nashir_store::now_micros(), lease_micros()).await.map_err(|e| (e.to_string(), false))?;
    }
    store.media_ready(media.id, nashir_store::now_micros()).await.map_err(|e| (e.to_string(), false))?;
    // The upload held the photo's metadata: it goes once every variant is written.
    if let Err(e) = files.0.delete(&StorePath::from(incoming.as_str())).await {
        tracing::warn!(error = %e, "media: cannot delete an incoming file");
    }
    Ok(())
}

