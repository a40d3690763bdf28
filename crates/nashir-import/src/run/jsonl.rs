//! A JSON Lines file into a sink: one article a line, its author, category path and tags
//! created on the way; bad lines are reported with their number and the good ones imported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use nashir_core::NewArticle;

use super::wordpress::{now_micros, term_slug};
use super::{NewCategory, NewPerson, NewTag, Progress, RunError, Sink, Summary, Upserted};
use crate::{ImportError, JsonlOptions, JsonlReader, JsonlRecord};

#[derive(Debug, Clone)]
pub struct JsonlImport {
    pub file: PathBuf,
    /// The zone of dates without an offset.
    pub time_zone: TimeZone,
    /// Read everything, write nothing.
    pub dry_run: bool,
}

/// The byline of records without an author.
const DEFAULT_AUTHOR: &str = "فريق التحرير";

pub async fn import_jsonl<S: Sink>(options: &JsonlImport, sink: &S, progress: &mut dyn Progress) -> Result<Summary, RunError<S::Error>> {
    let started = std::time::Instant::now();
    let file = options.file.display().to_string();
    let lines = count_lines(&options.file).map_err(|source| ImportError::Io { file: file.clone(), source })?;
    let reader = JsonlReader::open_with(&options.file, JsonlOptions { time_zone: options.time_zone.clone() })?;
    let source = format!(
        "jsonl:{}",
        options.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.clone())
    );
    let mut run = Run {
        sink,
        source,
        now: now_micros(),
        summary: Summary { dry_run: options.dry_run, ..Summary::default() },
        people: HashMap::new(),
        categories: HashMap::new(),
        tags: HashMap::new(),
    };
    progress.start(lines);
    let mut bad = 0u64;
    for record in reader {
        progress.advance(1);
        match record {
            Ok(r) if options.dry_run => {
                let exists = sink.imported_id(&run.source, "post", &r.source_id).await.map_err(RunError::Write)?;
                run.summary.count("articles", if exists.is_some() { Upserted::Updated(0) } else { Upserted::Created(0) });
            }
            Ok(r) => run.record(&r).await?,
            Err(e) => {
                bad += 1;
                progress.warn(&format!("{file}: {e}"));
                if e.fatal {
                    return Err(RunError::Line { file, error: e });
                }
            }
        }
    }
    progress.finish();
    let mut summary = run.summary;
    if bad > 0 {
        summary.skipped.insert("bad lines (reported above)".into(), super::Skip { count: bad, examples: Vec::new() });
    }
    summary.finish();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

struct Run<'a, S> {
    sink: &'a S,
    source: String,
    now: i64,
    summary: Summary,
    people: HashMap<String, i64>,
    categories: HashMap<String, i64>,
    tags: HashMap<String, i64>,
}

impl<S: Sink> Run<'_, S> {
    async fn record(&mut self, r: &JsonlRecord) -> Result<(), RunError<S::Error>> {
        let author_id = self.author(r.author.as_deref()).await?;
        let category_id = self.category_path(&r.category).await?;
        let mut tag_ids = Vec::new();
        for name in &r.tags {
            tag_ids.push(self.tag(name).await?);
        }
        let excerpt = if r.excerpt.trim().is_empty() {
            nashir_arabic::excerpt(&nashir_arabic::strip_html(&r.body_html), 200)
        } else {
            r.excerpt.clone()
        };
        let article = NewArticle {
            title: r.title.clone(),
            slug: r.slug.clone(),
            body_html: r.body_html.clone(),
            excerpt,
            featured_image: None,
            state: r.status,
            author_id,
            primary_category_id: category_id,
            other_category_ids: vec![],
            tag_ids,
            published_at: r.published_at.or(Some(self.now)),
            modified_at: None,
            sticky: false,
            comments_open: true,
        };
        let old_paths: Vec<String> = r.old_path.iter().cloned().collect();
        let outcome = self.sink.article(&self.source, &r.source_id, &article, &old_paths, self.now).await.map_err(RunError::Write)?;
        self.summary.count("articles", outcome);
        Ok(())
    }

    async fn author(&mut self, author: Option<&str>) -> Result<i64, RunError<S::Error>> {
        let name = author.map(str::trim).filter(|a| !a.is_empty()).unwrap_or(DEFAULT_AUTHOR).to_owned();
        if let Some(id) = self.people.get(&name) {
            return Ok(*id);
        }
        let slug = match nashir_arabic::slugify(&name) {
            s if s.is_empty() => "author".to_owned(),
            s => s,
        };
        let person = NewPerson { login: &name, slug: &slug, name: &name, email: None, old_path: None };
        let outcome = self.sink.person(&self.source, &person, self.now).await.map_err(RunError::Write)?;
        self.summary.count("authors", outcome);
        self.people.insert(name, outcome.id());
        Ok(outcome.id())
    }

    /// A category path `parent/child` is created level by level.
    async fn category_path(&mut self, names: &[String]) -> Result<Option<i64>, RunError<S::Error>> {
        let mut parent: Option<i64> = None;
        let mut path = String::new();
        for name in names {
            path = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            let id = match self.categories.get(&path) {
                Some(id) => *id,
                None => {
                    let slug = term_slug(&nashir_arabic::slugify(name));
                    let category = NewCategory { key: &path, parent_id: parent, slug: &slug, name, description: "", old_path: None };
                    let outcome = self.sink.category(&self.source, &category, self.now).await.map_err(RunError::Write)?;
                    self.summary.count("categories", outcome);
                    self.categories.insert(path.clone(), outcome.id());
                    outcome.id()
                }
            };
            parent = Some(id);
        }
        Ok(parent)
    }

    async fn tag(&mut self, name: &str) -> Result<i64, RunError<S::Error>> {
        if let Some(id) = self.tags.get(name) {
            return Ok(*id);
        }
        let slug = term_slug(&nashir_arabic::slugify(name));
        let outcome = self.sink.tag(&NewTag { slug: &slug, name, old_path: None }, self.now).await.map_err(RunError::Write)?;
        self.summary.count("tags", outcome);
        self.tags.insert(name.to_owned(), outcome.id());
        Ok(outcome.id())
    }
}

fn count_lines(path: &Path) -> std::io::Result<u64> {
    use std::io::BufRead;
    let f = std::io::BufReader::new(std::fs::File::open(path)?);
    Ok(f.split(b'\n').count() as u64)
}
