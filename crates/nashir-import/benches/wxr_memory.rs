//! Peak memory and speed of the WXR reader on a large export generated from the corpus.
//! Owns the proof that the reader streams: RSS must not grow with the file.
//!
//! ```text
//! cargo bench -p nashir-import --bench wxr_memory            # 200 MB export
//! NASHIR_WXR_BENCH_MB=1000 cargo bench -p nashir-import --bench wxr_memory
//! ```
//!
//! The export is written to a temporary folder under the target directory and deleted
//! afterwards. Each pass (validation, then the full import conversion) runs in a child
//! process of its own, so the peak resident size it reports (`VmHWM`) is the reader's and
//! not the generator's. Without `--bench` (a plain `cargo test --benches`) it does nothing.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use nashir_import::{WxrOptions, WxrReader, WxrRecord, validate_wxr};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        if let (Some(mode), Some(path)) = (args.get(2), args.get(3)) {
            child(mode, Path::new(path));
        }
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        println!("wxr_memory: skipped (run it with `cargo bench`)");
        return;
    }
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl");
    if !corpus.is_file() {
        println!(
            "wxr_memory: SKIPPED, corpus not found at {}",
            corpus.display()
        );
        return;
    }
    let megabytes: u64 = std::env::var("NASHIR_WXR_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    // bench/import.sh asks for the export itself, to import it with the real binary.
    if let Ok(out) = std::env::var("NASHIR_WXR_BENCH_OUT") {
        let started = Instant::now();
        let items = generate(Path::new(&out), &corpus, megabytes * 1024 * 1024).expect("generate the export");
        println!("generated {out}: {items} items in {:.1} s", started.elapsed().as_secs_f64());
        return;
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temporary folder");
    let path = dir.path().join("large.wxr.xml");
    let started = Instant::now();
    let items = generate(&path, &corpus, megabytes * 1024 * 1024).expect("generate the export");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {:.0} MB, {items} items in {:.1} s",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let exe = std::env::current_exe().expect("own path");
    for mode in ["validate", "import"] {
        let output = Command::new(&exe)
            .args(["--child", mode])
            .arg(&path)
            .output()
            .expect("child runs");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
    }
    // `dir` is removed here, with the export.
}

/// One pass over the export, timed, with the process's peak resident size.
fn child(mode: &str, path: &Path) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64;
    let started = Instant::now();
    let (items, html_bytes) = match mode {
        "validate" => {
            let summary = validate_wxr(path).unwrap_or_else(|e| panic!("{e}"));
            (summary.items(), 0)
        }
        _ => {
            let (mut items, mut html) = (0u64, 0u64);
            for record in
                WxrReader::open(path, WxrOptions::default()).unwrap_or_else(|e| panic!("{e}"))
            {
                if let WxrRecord::Item(item) = record.unwrap_or_else(|e| panic!("{e}")) {
                    items += 1;
                    html += item.content_html.len() as u64;
                }
            }
            (items, html)
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{mode:>8}: {items} items in {seconds:.1} s = {:.0} items/s, {:.1} MB/s; {:.0} MB of HTML out; peak RSS (VmHWM) {} MB",
        items as f64 / seconds,
        size / 1e6 / seconds,
        html_bytes as f64 / 1e6,
        peak_rss_kb() / 1024,
    );
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Writes a WXR 1.2 export of at least `target` bytes: the corpus's articles over and
/// over, each with a percent-encoded Arabic slug, categories, tags, postmeta and, for
/// every tenth, a short comment thread. Streams the corpus; holds one article at a time.
fn generate(path: &Path, corpus: &Path, target: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n\
         <title>أخبار للقياس</title>\n<link>https://bench.example.invalid</link>\n\
         <wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>https://bench.example.invalid</wp:base_site_url>\n\
         <wp:author><wp:author_login>desk</wp:author_login><wp:author_display_name><![CDATA[التحرير]]></wp:author_display_name></wp:author>\n"
    )?;
    let mut written: u64 = 0;
    let mut id: u64 = 0;
    while written < target {
        let reader = BufReader::new(std::fs::File::open(corpus)?);
        for line in reader.lines() {
            let line = line?;
            let Ok(article) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let title = article["title"]
                .as_str()
                .unwrap_or("")
                .replace("]]>", "]]]]><![CDATA[>");
            let body = article["body"]
                .as_str()
                .unwrap_or("")
                .replace("]]>", "]]]]><![CDATA[>");
            let category = article["category"].as_str().unwrap_or("news");
            id += 1;
            let slug = nashir_import::article_slug("", &title, &id.to_string());
            let encoded = utf8_percent_encode(&slug, NON_ALPHANUMERIC)
                .to_string()
                .to_lowercase()
                .replace("%2d", "-");
            // Classic-editor content: blank lines between paragraphs, for wpautop to do.
            let content = body
                .split('\n')
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n\n");
            let mut item = format!(
                "<item>\n<title><![CDATA[{title}]]></title>\n<link>https://bench.example.invalid/?p={id}</link>\n\
                 <dc:creator><![CDATA[desk]]></dc:creator>\n<content:encoded><![CDATA[{content}]]></content:encoded>\n\
                 <excerpt:encoded><![CDATA[]]></excerpt:encoded>\n<wp:post_id>{id}</wp:post_id>\n\
                 <wp:post_date>2017-01-20 21:43:00</wp:post_date>\n<wp:post_date_gmt>2017-01-20 20:43:00</wp:post_date_gmt>\n\
                 <wp:post_name><![CDATA[{encoded}]]></wp:post_name>\n<wp:status>publish</wp:status>\n\
                 <wp:post_parent>0</wp:post_parent>\n<wp:menu_order>0</wp:menu_order>\n<wp:post_type>post</wp:post_type>\n\
                 <wp:post_password></wp:post_password>\n<wp:is_sticky>0</wp:is_sticky>\n\
                 <category domain=\"category\" nicename=\"{category}\"><![CDATA[{category}]]></category>\n\
                 <category domain=\"post_tag\" nicename=\"tag-{tag}\"><![CDATA[وسم {tag}]]></category>\n\
                 <wp:postmeta><wp:meta_key>_ant_id</wp:meta_key><wp:meta_value><![CDATA[{source}]]></wp:meta_value></wp:postmeta>\n",
                tag = id % 500,
                source = article["id"].as_str().unwrap_or(""),
            );
            if id.is_multiple_of(10) {
                for (comment, parent) in [(id * 2, 0), (id * 2 + 1, id * 2)] {
                    item.push_str(&format!(
                        "<wp:comment><wp:comment_id>{comment}</wp:comment_id><wp:comment_author><![CDATA[قارئ]]></wp:comment_author>\
                         <wp:comment_date_gmt>2017-01-21 08:00:00</wp:comment_date_gmt>\
                         <wp:comment_content><![CDATA[شكراً على الخبر.<br />تحية.]]></wp:comment_content>\
                         <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>\
                         <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                    ));
                }
            }
            item.push_str("</item>\n");
            out.write_all(item.as_bytes())?;
            written += item.len() as u64;
            if written >= target {
                break;
            }
        }
    }
    out.write_all(b"</channel>\n</rss>\n")?;
    out.flush()?;
    Ok(id)
}
