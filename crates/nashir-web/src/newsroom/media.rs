//! The media library: a grid searched by title, alt text, caption and credit; uploads (a
//! plain file input that works without JavaScript; drag and drop and paste with it); each
//! photo's page (alt text, caption, credit, where it is used, progress while its variants
//! are made, delete when unused); and an article's featured photo.
//!
//! Every staff member sees and uses the library and uploads to it; editors manage it (edit
//! any photo's text, delete); others edit the text of their own uploads.

use std::collections::BTreeMap;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use nashir_core::permissions::{can_edit_article, can_manage_site_content};
use nashir_media::MediaError;
use nashir_render::{FluentValue, Renderer};
use nashir_store::{Media, MediaText};
use serde::{Deserialize, Serialize};

use super::extract::{Editor, Staff, StaffForm};
use super::{auth, page, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{OptionalId, PageNumber, Path, Query};
use crate::http::see_other;
use crate::media::files;
use nashir_store::NewMedia;
use crate::state::AppState;

type Errors = BTreeMap<&'static str, String>;

const PER_PAGE: u32 = 24;
/// Longest title, caption and credit; alt text.
const MAX_TEXT: usize = 300;
const MAX_ALT: usize = 250;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LibraryQuery {
    q: String,
    page: PageNumber,
    /// Choosing the featured photo of this article.
    pick: OptionalId,
}

#[derive(Serialize)]
struct Tile {
    id: i64,
    url: String,
    thumb: Option<String>,
    title: String,
    alt: String,
    credit: String,
    status: String,
    progress: String,
}

#[derive(Serialize, Default)]
struct LibraryPage {
    q: String,
    tiles: Vec<Tile>,
    next_url: Option<String>,
    prev_url: Option<String>,
    pick: Option<PickTarget>,
    upload_url: String,
    errors: Errors,
    typed: BTreeMap<&'static str, String>,
    max_mb: usize,
}

#[derive(Serialize)]
struct PickTarget {
    article_id: i64,
    title: String,
    action: String,
    back_url: String,
}

fn thumb(m: &Media) -> Option<String> {
    (m.status == "ready").then(|| {
        let (own, webp) = files(&photo_of(m));
        let small = webp.first().or(own.first()).map(|(_, u)| u.clone());
        small.unwrap_or_default()
    })
}

pub(crate) fn photo_of(m: &Media) -> nashir_core::Photo {
    nashir_core::Photo {
        id: m.id,
        hash: m.hash.clone(),
        format: m.format.clone(),
        width: m.width,
        height: m.height,
        alt: m.alt.clone(),
        caption: m.caption.clone(),
        credit: m.credit.clone(),
    }
}

fn tile(m: Media) -> Tile {
    Tile {
        url: urls::media_item(m.id),
        thumb: thumb(&m),
        progress: format!("{}/{}", m.variants_done, m.variants_total),
        id: m.id,
        title: if m.title.is_empty() { m.original_name.clone() } else { m.title.clone() },
        alt: m.alt,
        credit: m.credit,
        status: m.status,
    }
}

async fn library_page(state: &AppState, staff: &Staff, q: LibraryQuery, mut content: LibraryPage, status: StatusCode) -> WebResult {
    let page_no = q.page.get();
    let offset = u64::from(page_no - 1) * u64::from(PER_PAGE);
    let mut list = state.store.media_list(&q.q, PER_PAGE + 1, offset).await?;
    let more = list.len() > PER_PAGE as usize;
    list.truncate(PER_PAGE as usize);
    let query = |n: u32| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !q.q.is_empty() {
            s.append_pair("q", &q.q);
        }
        if let Some(a) = q.pick.0 {
            s.append_pair("pick", &a.to_string());
        }
        if n > 1 {
            s.append_pair("page", &n.to_string());
        }
        urls::media_query(&s.finish())
    };
    content.next_url = more.then(|| query(page_no + 1));
    content.prev_url = (page_no > 1).then(|| query(page_no - 1));
    content.tiles = list.into_iter().map(tile).collect();
    content.q = q.q.clone();
    content.upload_url = urls::media();
    content.max_mb = state.media.limits.max_bytes / (1024 * 1024);
    if let Some(article_id) = q.pick.0 {
        let a = state.store.editable_article(article_id).await?.ok_or(WebError::NotFound)?;
        staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, a.state))?;
        content.pick = Some(PickTarget { article_id, title: a.title.clone(), action: urls::article_featured(article_id), back_url: urls::article(article_id) });
    }
    page(state, status, "newsroom/media.html", Some(staff), &content)
}

pub(crate) async fn library(State(state): State<AppState>, staff: Staff, Query(q): Query<LibraryQuery>) -> WebResult {
    library_page(&state, &staff, q, LibraryPage::default(), StatusCode::OK).await
}

/// The message for a refused upload, in the site's language. Sizes are passed as text, so
/// they are written as before whatever the site's digits.
pub(crate) fn refusal_text(r: &Renderer, e: &MediaError, max_mb: usize) -> String {
    match e {
        MediaError::TooLarge { .. } => r.t_with("nr-msg-media-too-large", [("megabytes", FluentValue::from(max_mb.to_string()))]),
        MediaError::TooManyPixels { width, height, .. } => r.t_with(
            "nr-msg-media-too-many-pixels",
            [("width", FluentValue::from(width.to_string())), ("height", FluentValue::from(height.to_string()))],
        ),
        MediaError::NotAnImage => r.t("nr-msg-media-not-an-image"),
        MediaError::Unsupported(kind) => r.t_with("nr-msg-media-unsupported", [("format", FluentValue::from(*kind))]),
        MediaError::Corrupt(_) | MediaError::Encode(_) => r.t("nr-msg-media-unreadable"),
    }
}

/// A multipart form's file (when one was sent and fits) and its text fields.
struct Posted {
    file: Option<(String, Vec<u8>)>,
    fields: BTreeMap<String, String>,
    errors: Errors,
}

async fn read_posted(state: &AppState, mut multipart: Multipart) -> WebResult<Posted> {
    let mut posted = Posted { file: None, fields: BTreeMap::new(), errors: Errors::new() };
    let max = state.media.limits.max_bytes;
    let max_mb = max / (1024 * 1024);
    while let Some(mut field) = multipart.next_field().await.map_err(|_| WebError::BadRequest("multipart"))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("photo").to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| WebError::BadRequest("multipart"))? {
                if bytes.len() + chunk.len() > max {
                    posted.errors.insert("file", refusal_text(&state.renderer, &MediaError::TooLarge { size: bytes.len() + chunk.len(), max }, max_mb));
                    bytes.clear();
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            if !bytes.is_empty() {
                posted.file = Some((file_name, bytes));
            }
        } else if ["csrf_token", "title", "alt", "caption", "credit", "pick"].contains(&name.as_str()) {
            let text = field.text().await.map_err(|_| WebError::BadRequest("multipart"))?;
            posted.fields.insert(name, text.chars().take(MAX_TEXT * 2).collect());
        }
    }
    Ok(posted)
}

/// `POST /newsroom/media` (multipart): the file and, optionally, its texts.
pub(crate) async fn upload(State(state): State<AppState>, staff: Staff, multipart: Multipart) -> WebResult<Response> {
    let Posted { file, fields, mut errors } = read_posted(&state, multipart).await?;
    let max_mb = state.media.limits.max_bytes / (1024 * 1024);
    if !auth::same_token(fields.get("csrf_token").map_or("", String::as_str), &staff.csrf_token) {
        return Err(WebError::Csrf);
    }
    let text = checked_texts(&state.renderer, |k| fields.get(k).map_or("", String::as_str), &mut errors);
    if file.is_none() && errors.is_empty() {
        errors.insert("file", state.renderer.t("nr-msg-media-file-missing"));
    }
    if errors.is_empty()
        && let Some((name, bytes)) = file
    {
        match store_upload(&state, bytes, &name, text.clone(), Some(staff.person.id)).await {
            Ok(id) => return Ok(see_other(&urls::media_item(id))),
            Err(UploadError::Refused(e)) => {
                errors.insert("file", refusal_text(&state.renderer, &e, max_mb));
            }
            Err(UploadError::Storage(e)) => return Err(WebError::internal(e)),
        }
    }
    let typed = [("title", text.title), ("alt", text.alt), ("caption", text.caption), ("credit", text.credit)].into_iter().collect();
    let q = LibraryQuery { pick: OptionalId(fields.get("pick").and_then(|p| p.parse().ok())), ..Default::default() };
    Ok(library_page(&state, &staff, q, LibraryPage { errors, typed, ..Default::default() }, StatusCode::UNPROCESSABLE_ENTITY).await?.into_response())
}

/// `POST /newsroom/media/{id}/replace` (multipart): a new file for the same photo. Its files
/// are made again; the old files answer 301 with the new ones, so pages and feeds that
/// named them keep working.
pub(crate) async fn replace(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, multipart: Multipart) -> WebResult<Response> {
    let Posted { file, fields, mut errors } = read_posted(&state, multipart).await?;
    if !auth::same_token(fields.get("csrf_token").map_or("", String::as_str), &staff.csrf_token) {
        return Err(WebError::Csrf);
    }
    let m = state.store.media(id).await?.ok_or(WebError::NotFound)?;
    staff.require(can_manage_site_content(staff.role()) || m.uploaded_by == Some(staff.person.id))?;
    let max_mb = state.media.limits.max_bytes / (1024 * 1024);
    if file.is_none() && errors.is_empty() {
        errors.insert("file", state.renderer.t("nr-msg-media-file-missing"));
    }
    if errors.is_empty()
        && let Some((name, bytes)) = file
    {
        match prepare_upload(&state, bytes, &name, MediaText::default(), Some(staff.person.id)).await {
            Ok(new) => {
                let old_format = crate::media::format_of(&m.format);
                state.store.replace_media_file(id, &new, nashir_store::now_micros()).await?;
                // The old files go: their names now lead to the new ones.
                if m.hash != new.hash {
                    for (w, f) in nashir_media::plan_for(old_format, u32::try_from(m.width).unwrap_or(0)) {
                        state.media_store.delete(&format!("public/{}", crate::media::file_name(&m.hash, w, f))).await;
                    }
                }
                state.media_waiting.notify_waiters();
                return Ok(see_other(&urls::media_item(id)));
            }
            Err(UploadError::Refused(e)) => {
                errors.insert("file", refusal_text(&state.renderer, &e, max_mb));
            }
            Err(UploadError::Storage(e)) => return Err(WebError::internal(e)),
        }
    }
    Ok(item_page(&state, &staff, m, errors, false, StatusCode::UNPROCESSABLE_ENTITY).await?.into_response())
}

/// Why an upload is refused, for the newsroom's message.
#[derive(Debug)]
pub(crate) enum UploadError {
    Refused(MediaError),
    Storage(String),
}

/// Takes an upload: checks it, keeps it for the workers, adds its row. Returns the photo's
/// id (the existing one when the same file was uploaded before).
pub(crate) async fn store_upload(state: &AppState, bytes: Vec<u8>, name: &str, text: nashir_store::MediaText, by: Option<i64>) -> Result<i64, UploadError> {
    let new = prepare_upload(state, bytes, name, text, by).await?;
    let (id, _) = state.store.add_media(&new, nashir_store::now_micros()).await.map_err(|e| UploadError::Storage(e.to_string()))?;
    state.media_waiting.notify_waiters();
    Ok(id)
}

/// Checks an upload and keeps it for the workers; the row to write.
async fn prepare_upload(state: &AppState, bytes: Vec<u8>, name: &str, text: nashir_store::MediaText, by: Option<i64>) -> Result<NewMedia, UploadError> {
    let limits = state.media.limits;
    let inspected = {
        let probe = bytes.clone();
        tokio::task::spawn_blocking(move || nashir_media::inspect(&probe, &limits)).await.map_err(|e| UploadError::Storage(e.to_string()))?
    };
    let (format, width, height) = inspected.map_err(UploadError::Refused)?;
    let hash = nashir_media::content_hash(&bytes);
    let size = bytes.len();
    state.media_store.put(&format!("incoming/{hash}"), bytes).await.map_err(|e| UploadError::Storage(e.to_string()))?;
    let new = NewMedia {
        hash,
        format: format.name().to_owned(),
        original_name: name.chars().take(200).collect(),
        width: i64::from(width),
        height: i64::from(height),
        bytes: i64::try_from(size).unwrap_or(i64::MAX),
        title: text.title,
        alt: text.alt,
        caption: text.caption,
        credit: text.credit,
        variants_total: i64::try_from(nashir_media::plan_len(format, width)).unwrap_or(0),
        uploaded_by: by,
    };
    Ok(new)
}

/// The texts of a photo from a form, checked; a problem is worded in the site's language.
pub(crate) fn checked_texts<'a>(r: &Renderer, get: impl Fn(&str) -> &'a str, errors: &mut Errors) -> MediaText {
    let clean = |s: &str| s.trim().replace(['\r', '\n'], " ");
    let t = MediaText { title: clean(get("title")), alt: clean(get("alt")), caption: clean(get("caption")), credit: clean(get("credit")) };
    for (key, value, max) in [("title", &t.title, MAX_TEXT), ("alt", &t.alt, MAX_ALT), ("caption", &t.caption, MAX_TEXT), ("credit", &t.credit, MAX_TEXT)] {
        if value.chars().count() > max {
            errors.insert(key, r.t_with("nr-msg-media-text-too-long", [("max", FluentValue::from(max))]));
        }
    }
    t
}

#[derive(Serialize)]
struct FileRow {
    width: u32,
    format: &'static str,
    url: String,
}

#[derive(Serialize)]
struct ItemPage {
    id: i64,
    media: Media,
    preview: Option<String>,
    files: Vec<FileRow>,
    usage: Vec<(String, String)>,
    can_edit: bool,
    can_delete: bool,
    save_url: String,
    replace_url: String,
    delete_url: String,
    status_url: String,
    errors: Errors,
    saved: bool,
}

fn may_edit(staff: &Staff, m: &Media) -> bool {
    can_manage_site_content(staff.role()) || m.uploaded_by == Some(staff.person.id)
}

async fn item_page(state: &AppState, staff: &Staff, m: Media, errors: Errors, saved: bool, status: StatusCode) -> WebResult {
    let usage: Vec<(String, String)> = state.store.media_usage(m.id).await?.into_iter().map(|(id, title)| (urls::article(id), title)).collect();
    let photo = photo_of(&m);
    let (own, webp) = files(&photo);
    let list = if m.status == "ready" {
        own.iter().map(|(w, u)| FileRow { width: *w, format: "original", url: u.clone() }).chain(webp.iter().map(|(w, u)| FileRow { width: *w, format: "webp", url: u.clone() })).collect()
    } else {
        Vec::new()
    };
    let content = ItemPage {
        id: m.id,
        preview: (m.status == "ready").then(|| own.iter().rfind(|(w, _)| *w <= 960).or(own.first()).map(|(_, u)| u.clone()).unwrap_or_default()),
        files: list,
        can_edit: may_edit(staff, &m),
        can_delete: can_manage_site_content(staff.role()) && usage.is_empty(),
        usage,
        save_url: urls::media_item(m.id),
        replace_url: urls::replace_media(m.id),
        delete_url: urls::delete_media(m.id),
        status_url: urls::media_status(m.id),
        errors,
        saved,
        media: m,
    };
    page(state, status, "newsroom/media_item.html", Some(staff), &content)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ItemQuery {
    saved: String,
}

pub(crate) async fn item(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Query(q): Query<ItemQuery>) -> WebResult {
    let m = state.store.media(id).await?.ok_or(WebError::NotFound)?;
    item_page(&state, &staff, m, Errors::new(), !q.saved.is_empty(), StatusCode::OK).await
}

pub(crate) async fn save(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    let mut m = state.store.media(id).await?.ok_or(WebError::NotFound)?;
    staff.require(may_edit(&staff, &m))?;
    let mut errors = Errors::new();
    let t = checked_texts(&state.renderer, |k| form.get(k), &mut errors);
    if errors.is_empty() {
        state.store.update_media_text(id, &t, nashir_store::now_micros()).await?;
        return Ok(see_other(&format!("{}?saved=1", urls::media_item(id))));
    }
    (m.title, m.alt, m.caption, m.credit) = (t.title, t.alt, t.caption, t.credit);
    item_page(&state, &staff, m, errors, false, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(crate) async fn delete(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, .. }: StaffForm<Editor>) -> WebResult {
    let m = state.store.media(id).await?.ok_or(WebError::NotFound)?;
    if state.store.delete_unused_media(id).await? {
        // Another photo may share the file (the same upload again is the same photo, so
        // only a replaced one could): its files stay.
        if !state.store.media_hash_in_use(&m.hash).await? {
            state.media_store.delete_photo(&m.hash, crate::media::format_of(&m.format)).await;
        }
        return Ok(see_other(&urls::media()));
    }
    let mut errors = Errors::new();
    errors.insert("delete", state.renderer.t("nr-msg-media-in-use"));
    item_page(&state, &staff, m, errors, false, StatusCode::CONFLICT).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PickerQuery {
    q: String,
}

/// `GET /newsroom/media.json?q=`: ready photos for the editor's library dialog — a small
/// file to show, the file the text links (1280 px or the photo), and the alt text.
pub(crate) async fn picker(State(state): State<AppState>, _staff: Staff, Query(q): Query<PickerQuery>) -> WebResult<Response> {
    let list = state.store.media_list(&q.q, 60, 0).await?;
    let photos: Vec<serde_json::Value> = list
        .into_iter()
        .filter(|m| m.status == "ready")
        .take(PER_PAGE as usize)
        .map(|m| {
            let photo = photo_of(&m);
            let (_, _, src, _) = crate::media::card_file(&photo);
            serde_json::json!({ "id": m.id, "title": if m.title.is_empty() { &m.original_name } else { &m.title }, "alt": m.alt, "thumb": thumb(&m), "src": src })
        })
        .collect();
    let mut r = Json(photos).into_response();
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Progress while variants are made, for the page's script.
pub(crate) async fn status(State(state): State<AppState>, _staff: Staff, Path(id): Path<i64>) -> WebResult<Response> {
    let m = state.store.media(id).await?.ok_or(WebError::NotFound)?;
    let mut r = Json(serde_json::json!({ "status": m.status, "done": m.variants_done, "total": m.variants_total })).into_response();
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}

/// `POST /newsroom/articles/{id}/featured`: `media_id` (empty clears it).
pub(crate) async fn set_featured(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    let a = state.store.editable_article(id).await?.ok_or(WebError::NotFound)?;
    staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, a.state))?;
    let media_id = match form.trimmed("media_id") {
        "" => None,
        v => {
            let mid: i64 = v.parse().map_err(|_| WebError::BadRequest("media_id"))?;
            let m = state.store.media(mid).await?.ok_or(WebError::NotFound)?;
            if m.status == "failed" {
                return Err(WebError::BadRequest("media_id"));
            }
            Some(mid)
        }
    };
    state.store.set_featured_media(id, media_id, nashir_store::now_micros()).await?;
    Ok(see_other(&urls::article(id)))
}

/// What the editor shows of an article's featured photo.
#[derive(Serialize)]
pub(crate) struct FeaturedBox {
    pub action: String,
    pub pick_url: String,
    pub media: Option<FeaturedMedia>,
}

#[derive(Serialize)]
pub(crate) struct FeaturedMedia {
    pub id: i64,
    pub url: String,
    pub thumb: Option<String>,
    pub alt: String,
    pub status: String,
}

pub(crate) async fn featured_box(state: &AppState, article_id: i64) -> WebResult<FeaturedBox> {
    let m = state.store.featured_media_of(article_id).await?;
    Ok(FeaturedBox {
        action: urls::article_featured(article_id),
        pick_url: urls::media_query(&format!("pick={article_id}")),
        media: m.map(|m| FeaturedMedia { id: m.id, url: urls::media_item(m.id), thumb: thumb(&m), alt: m.alt.clone(), status: m.status }),
    })
}

/// The publish check: a featured photo without alt text keeps the article from going out.
pub(crate) async fn missing_alt(state: &AppState, article_id: i64) -> WebResult<bool> {
    Ok(state.store.featured_media_of(article_id).await?.is_some_and(|m| m.alt.trim().is_empty()))
}
