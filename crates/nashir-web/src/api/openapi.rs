//! The API described by OpenAPI 3.1, generated from the handlers and their types
//! (`utoipa`): `/api/v1/openapi.json`, and a reference page made from the same document
//! (`/api/v1/docs`), whose last section lists every problem code (`/api/v1/problems`
//! is where each problem's `type` points).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::OpenApi;
use serde_json::Value;
use utoipa::openapi::Server;

use super::{admin, content, search};
use crate::error::WebResult;
use crate::http::PageResponse;
use crate::state::AppState;

/// An error: RFC 9457 problem details with a stable `code`. `detail` is a sentence in
/// Arabic, for people.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub(crate) struct ProblemDoc {
    /// The problem's description: this API's reference, at the code's anchor.
    #[serde(rename = "type")]
    kind: String,
    /// A short title, in Arabic.
    title: String,
    /// The HTTP status.
    status: u16,
    /// A stable code programs can rely on (see the list in the reference).
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nashir API",
        version = "1",
        description = "The published content of a Nashir news site as JSON: articles, categories, tags, authors, \
            breaking news, most read, comments, and search. Read-only and public; answers carry an ETag (send \
            If-None-Match for a 304) and may be cached by shared caches for the seconds `Cache-Control` gives. \
            Every error is `application/problem+json` with a stable `code`."
    ),
    paths(
        content::articles,
        content::article,
        content::article_by_slug,
        content::comments,
        content::categories,
        content::tags,
        content::authors,
        content::breaking,
        content::most_read,
        search::search,
        search::suggest,
        search::opensearch,
        admin::create_article,
        admin::get_article,
        admin::update_article,
        admin::publish_article,
        admin::unpublish_article,
        admin::submit_article,
        admin::schedule_article,
        admin::upload_image,
        admin::create_breaking,
        admin::delete_breaking,
    ),
    components(schemas(ProblemDoc)),
    modifiers(&KeyScheme),
    tags(
        (name = "content", description = "Published articles and what they are filed under."),
        (name = "search", description = "Search with the site's Arabic analyzer."),
        (name = "admin", description = "Writing through an integration key an administrator created in the newsroom \
            (`Authorization: Bearer nsr_…`). A key acts with its role (contributor, author or editor) under exactly the \
            newsroom's rules; every change writes a revision, an outbox event and an audit record."),
    )
)]
struct ApiDoc;

/// The bearer scheme of integration keys.
struct KeyScheme;

impl utoipa::Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("nsr_<prefix>_<secret>")
            .description(Some("An integration key from the newsroom's Integrations page."))
            .build();
        components.add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

/// The OpenAPI document, its server set to the site's address.
pub(crate) fn document(state: &AppState) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![Server::new(state.site.public_url.clone())]);
    doc
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi_json(State(state): State<AppState>) -> WebResult<Response> {
    let body = serde_json::to_string_pretty(&document(&state)).map_err(|e| crate::error::WebError::Internal(e.into()))?;
    Ok(PageResponse { status: StatusCode::OK, html: body, fresh_for_secs: None, surrogate_keys: vec!["api".into()], content_type: "application/json" }
        .into_response())
}

/// Every code an API answer's problem may carry, with when it comes.
pub(crate) const PROBLEMS: &[(&str, u16, &str)] = &[
    ("bad_request", 400, "The query string or body cannot be read at all."),
    ("bad_limit", 400, "`limit` is not a number in the allowed range."),
    ("bad_cursor", 400, "`cursor` is not one this API gave (pass `next_cursor` as it came)."),
    ("bad_date", 400, "`from` or `to` is not a day (`YYYY-MM-DD`)."),
    ("unknown_field", 400, "`fields` names a property articles do not have."),
    ("unknown_include", 400, "`include` names something that cannot be included (`body`, `tags`)."),
    ("unknown_category", 400, "No category has this slug or id."),
    ("unknown_tag", 400, "No tag has this slug."),
    ("unknown_author", 400, "No author has this slug."),
    ("empty_query", 400, "The search query is empty."),
    ("query_too_long", 400, "The search query is longer than allowed."),
    ("no_searchable_terms", 400, "The search query has no word that can be searched (punctuation only)."),
    ("page_too_deep", 400, "The page of results asked for is beyond the last one served."),
    ("bad_json", 400, "The request body is not the JSON this operation takes (the detail says where)."),
    ("bad_status", 400, "`status` is not one of draft, pending, published, scheduled, unpublished."),
    ("bad_idempotency_key", 400, "`Idempotency-Key` is longer than 200 characters."),
    ("api_key_required", 401, "The Admin API needs `Authorization: Bearer` with an integration key."),
    ("invalid_api_key", 401, "The key is not one the newsroom made."),
    ("api_key_revoked", 401, "The key was revoked by an administrator."),
    ("forbidden", 403, "The key's role may not do this (the newsroom's own rules)."),
    ("not_found", 404, "Nothing public lives at this address (drafts and unpublished articles are not found)."),
    ("method_not_allowed", 405, "This address does not take this method (the content API is read-only)."),
    ("stale_version", 409, "The article changed since the `version` sent: read it again."),
    ("request_in_progress", 409, "The first request with this `Idempotency-Key` has not finished."),
    ("payload_too_large", 413, "The body is larger than the site allows."),
    ("invalid_article", 422, "Fields to correct; the detail names each one."),
    ("invalid_image", 422, "Not an image the library takes, or its texts are too long."),
    ("invalid_breaking", 422, "A breaking item's fields to correct."),
    ("idempotency_key_reused", 422, "This `Idempotency-Key` was used for another request."),
    ("rate_limited", 429, "Too many requests from this address in a minute; wait the seconds of `Retry-After`."),
    ("internal", 500, "The server failed; the failure is in its log."),
    ("unavailable", 503, "A part of the site cannot answer now."),
    ("search_unavailable", 503, "The search index is not available now."),
    ("overloaded", 503, "The server is too busy now; retry after `Retry-After`."),
];

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Code spans written with backticks in the descriptions.
fn prose(s: &str) -> String {
    esc(s).split('`').enumerate().map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { part.to_owned() }).collect()
}

/// The name of a schema (`#/components/schemas/X` is X), or what kind of value it is.
fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or("").to_owned();
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", schema_name(items));
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
        _ => schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|all| all.iter().map(schema_name).collect::<Vec<_>>().join(" or "))
            .unwrap_or_else(|| "value".into()),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The reference page: every operation with its parameters and answers, every schema with
/// its properties, and the problem codes. Made from the OpenAPI document as JSON.
pub(crate) fn reference_html(doc: &Value) -> String {
    let empty = serde_json::Map::new();
    let object = |v: Option<&Value>| v.and_then(Value::as_object).unwrap_or(&empty).clone();
    let mut h = String::from(
        "<!doctype html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Nashir API reference</title>\n</head>\n<body>\n<main>\n",
    );
    let info = doc.get("info").cloned().unwrap_or_default();
    h += &format!("<h1>{} <small>v{}</small></h1>\n<p>{}</p>\n", esc(text(&info, "title")), esc(text(&info, "version")), prose(text(&info, "description")));
    h += "<p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>\n<h2 id=\"operations\">Operations</h2>\n";
    let operations = object(doc.get("paths"))
        .into_iter()
        .flat_map(|(path, item)| ["get", "post", "patch", "put", "delete"].into_iter().filter_map(move |m| item.get(m).map(|op| (path.clone(), m, op.clone()))));
    for (path, method, op) in operations {
        let op = &op;
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or(&path).to_owned();
        h += &format!("<section>\n<h3 id=\"{}\"><code>{} {}</code></h3>\n", esc(&id), method.to_uppercase(), esc(&path));
        if op.get("security").is_some() {
            h += "<p>Needs an integration key: <code>Authorization: Bearer nsr_…</code>.</p>\n";
        }
        if let Some(body) = op.get("requestBody").and_then(|b| b.get("content")).and_then(Value::as_object) {
            for (media, content) in body {
                let name = content.get("schema").map(schema_name).unwrap_or_default();
                let named = content.get("schema").and_then(|s| s.get("$ref")).is_some();
                let shown = if named { format!("<a href=\"#schema-{0}\">{0}</a>", esc(&name)) } else { esc(&name) };
                h += &format!("<p>Body: <code>{}</code> {shown}</p>\n", esc(media));
            }
        }
        let about = if text(op, "description").is_empty() { text(op, "summary") } else { text(op, "description") };
        h += &format!("<p>{}</p>\n", prose(about));
        if let Some(params) = op.get("parameters").and_then(Value::as_array).filter(|p| !p.is_empty()) {
            h += "<table>\n<caption>Parameters</caption>\n<thead><tr><th scope=\"col\">name</th><th scope=\"col\">in</th><th scope=\"col\">required</th><th scope=\"col\">type</th><th scope=\"col\">description</th></tr></thead>\n<tbody>\n";
            for p in params {
                let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                let kind = p.get("schema").map(schema_name).unwrap_or_default();
                h += &format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(text(p, "name")),
                    esc(text(p, "in")),
                    if required { "yes" } else { "no" },
                    esc(&kind),
                    prose(text(p, "description"))
                );
            }
            h += "</tbody>\n</table>\n";
        }
        h += "<table>\n<caption>Answers</caption>\n<thead><tr><th scope=\"col\">status</th><th scope=\"col\">type</th><th scope=\"col\">body</th><th scope=\"col\">when</th></tr></thead>\n<tbody>\n";
        for (status, response) in object(op.get("responses")) {
            for (media, content) in object(response.get("content")) {
                let body = content.get("schema").map(schema_name).unwrap_or_default();
                let link = if content.get("schema").and_then(|s| s.get("$ref")).is_some() {
                    format!("<a href=\"#schema-{0}\">{0}</a>", esc(&body))
                } else {
                    esc(&body)
                };
                h += &format!(
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                    esc(&status),
                    esc(&media),
                    link,
                    prose(text(&response, "description"))
                );
            }
        }
        h += "</tbody>\n</table>\n</section>\n";
    }
    h += "<h2 id=\"schemas\">Schemas</h2>\n";
    for (name, schema) in object(doc.get("components").and_then(|c| c.get("schemas"))) {
        h += &format!("<section>\n<h3 id=\"schema-{0}\">{0}</h3>\n<p>{1}</p>\n", esc(&name), prose(text(&schema, "description")));
        let required: Vec<&str> = schema.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let properties = object(schema.get("properties"));
        if !properties.is_empty() {
            h += "<table>\n<thead><tr><th scope=\"col\">property</th><th scope=\"col\">required</th><th scope=\"col\">type</th><th scope=\"col\">description</th></tr></thead>\n<tbody>\n";
            for (property, value) in &properties {
                h += &format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(property),
                    if required.contains(&property.as_str()) { "yes" } else { "no" },
                    esc(&schema_name(value)),
                    prose(text(value, "description"))
                );
            }
            h += "</tbody>\n</table>\n";
        }
        h += "</section>\n";
    }
    h += "<h2 id=\"problems\">Problem codes</h2>\n<p>Each error's <code>type</code> is this page at its code.</p>\n<dl>\n";
    for &(code, status, when) in PROBLEMS {
        h += &format!("<dt id=\"{code}\"><code>{code}</code> ({status})</dt><dd>{}</dd>\n", prose(when));
    }
    h += "</dl>\n</main>\n</body>\n</html>\n";
    h
}

/// `GET /api/v1/docs` (and `/api/v1/problems`).
pub(crate) async fn reference(State(state): State<AppState>) -> WebResult<Response> {
    let doc = serde_json::to_value(document(&state)).map_err(|e| crate::error::WebError::Internal(e.into()))?;
    let html = reference_html(&doc);
    Ok(PageResponse { status: StatusCode::OK, html, fresh_for_secs: None, surrogate_keys: vec!["api".into()], content_type: crate::http::HTML }.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_and_lists_every_route() {
        let doc = ApiDoc::openapi();
        let json = serde_json::to_value(&doc).expect("json");
        assert_eq!(json["openapi"], "3.1.0");
        for path in ["/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/search", "/api/v1/most-read"] {
            assert!(json["paths"][path]["get"].is_object(), "{path}");
        }
        let page = reference_html(&json);
        assert!(page.contains("<code>GET /api/v1/articles</code>") && page.contains("id=\"schema-ArticleOut\"") && page.contains("id=\"bad_cursor\""));
    }
}
