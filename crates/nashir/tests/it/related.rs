//! Related stories by content on the running server: "شاهد أيضاً" and the related list find
//! the same story told again (in another category too), never the article itself nor its
//! duplicate, and follow what the newsroom publishes and unpublishes through the outbox,
//! with the page cache on.

use std::time::{Duration, Instant};

use crate::newsroom::{add_user, create_article, login, version_of, PASSWORD};
use crate::server::{Server, command, sel};

const FLOOD: &str = "غمرت مياه الأمطار الطوفانية شوارع مدينة نابل ليلة الأحد، وقررت السلط الجهوية غلق المدارس \
    والمعاهد يوم الاثنين، فيما تدخلت وحدات الحماية المدنية لإجلاء العائلات المحاصرة في الأحياء المنخفضة \
    وضخ المياه من الأنفاق. وقال الوالي إن خلية أزمة تتابع الوضع وإن الطرقات المؤدية إلى قرمبالية مقطوعة.";
const SCHOOLS: &str = "استأنف التلاميذ الدروس في مدارس ومعاهد مدينة نابل صباح الخميس بعد انحسار مياه الفيضانات، \
    وأكد المندوب الجهوي للتربية أن فرق الحماية المدنية أنهت ضخ المياه من الأقسام المتضررة وأن الطرقات \
    المؤدية إلى قرمبالية فتحت من جديد.";
const PUMPS: &str = "تواصل وحدات الحماية المدنية في نابل ضخ مياه الفيضانات من الأحياء المنخفضة والأنفاق، \
    وقال الوالي إن خلية الأزمة قررت إبقاء المدارس مغلقة يوما إضافيا بسبب الأمطار الطوفانية.";

fn line(id: &str, title: &str, body: &str, category: &str, date: &str) -> String {
    serde_json::json!({ "id": id, "title": title, "body": body, "category": category, "date": date }).to_string() + "\n"
}

/// The hrefs of "شاهد أيضاً" and of the related list.
fn related_links(server: &Server, path: &str) -> Vec<String> {
    let page = server.get(path);
    assert_eq!(page.status, 200, "{path}");
    let html = page.html();
    let links: Vec<String> = html
        .select(&sel("[data-region=check-also] h3 a, [data-region=related] .card__title a"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    links
}

fn path_of(server: &Server, id: i64) -> String {
    let r = server.get(&format!("/news/{id}/x"));
    assert_eq!(r.status, 301, "article {id}");
    r.header("location").expect("location").replace(&server.url, "")
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < Duration::from_secs(3), "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn related_stories_find_the_story_again_leave_out_duplicates_and_follow_the_newsroom() {
    let data = tempfile::tempdir().expect("tmp");
    let mut lines = line("flood", "فيضانات تغمر مدينة نابل وتغلق المدارس", FLOOD, "جهات", "2026-01-10T08:00:00Z");
    lines += &line("copy", "أمطار طوفانية في نابل", FLOOD, "جهات", "2026-01-10T09:00:00Z");
    lines += &line("schools", "عودة الدروس في نابل بعد الفيضانات", SCHOOLS, "مجتمع", "2026-01-12T07:00:00Z");
    // Newer articles of the flood's category, about something else: today's "newest in the
    // same category" would have shown them.
    const TEAMS: [&str; 6] = ["النجم الساحلي", "الملعب التونسي", "النادي الصفاقسي", "الاتحاد المنستيري", "شبيبة القيروان", "مستقبل سليمان"];
    const PLACES: [&str; 5] = ["ملعب المنزه", "ملعب الطيب المهيري", "ملعب بنزرت", "ملعب قابس", "ملعب باجة"];
    const EVENTS: [&str; 4] = [
        "وسجل المهاجم هدفا من ضربة جزاء في الدقائق الأخيرة",
        "وطرد الحكم لاعبين بعد شجار في وسط الميدان",
        "وأهدر الحارس فرصة التعادل بعد خطأ في التمرير",
        "وغاب القائد بسبب الإصابة التي تعرض لها في التدريبات",
    ];
    for i in 0..30usize {
        let body = format!(
            "فاز فريق {} على {} في {} ضمن الجولة {} من البطولة، {}. وقال المدرب إن فريقه {}.",
            TEAMS[i % 6],
            TEAMS[(i + 1 + i / 6) % 6],
            PLACES[i % 5],
            i + 1,
            EVENTS[i % 4],
            ["استحق الفوز", "عانى من الضغط", "سيعود أقوى", "لعب بروح عالية", "تنقصه اللياقة", "يحتاج إلى الانتدابات", "صنع الفرص"][i % 7]
        );
        lines += &line(&format!("match{i}"), &format!("الجولة {} من البطولة", i + 1), &body, "جهات", &format!("2026-02-{:02}T10:00:00Z", i % 28 + 1));
    }
    let jsonl = data.path().join("stories.jsonl");
    std::fs::write(&jsonl, lines).expect("write");
    let out = command().args(["import", "jsonl"]).arg(&jsonl).arg("--data-dir").arg(data.path()).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(data.path(), "editor@example.com", "محررة", "editor", PASSWORD);
    let server = Server::start(&[], &[], Some(data));
    let (flood, copy, schools) = (path_of(&server, 1), path_of(&server, 2), path_of(&server, 3));
    assert!(server.get(&flood).body.contains("فيضانات تغمر مدينة نابل"), "ids follow the file");

    let links = related_links(&server, &flood);
    assert_eq!(links.len(), 5, "شاهد أيضاً and four more: {links:?}");
    assert_eq!(links[0], schools, "the same story, though in another category, comes first");
    assert!(!links.contains(&flood), "never itself");
    assert!(!links.contains(&copy), "never its duplicate: {links:?}");
    let copy_links = related_links(&server, &copy);
    assert!(!copy_links.contains(&flood) && !copy_links.contains(&copy), "{copy_links:?}");

    // A new story about the floods joins the list once published, and leaves it when
    // unpublished; the first story's follow-up leaves it when unpublished too.
    let editor = login(&server, "editor@example.com");
    let body = format!("<p>{PUMPS}</p>");
    let pumps = create_article(&editor, "نابل: الحماية المدنية تواصل ضخ مياه الفيضانات", "publish", &[("body", &body)]);
    let pumps_path = path_of(&server, pumps);
    wait_for("the new story is related", || related_links(&server, &flood).contains(&pumps_path));
    let r = editor.post(&format!("/newsroom/articles/{pumps}"), &[("title", "نابل: الحماية المدنية تواصل ضخ مياه الفيضانات"), ("action", "unpublish"), ("version", &version_of(&editor, pumps))]);
    assert_eq!(r.status, 303, "{}", r.body);
    wait_for("the unpublished story leaves the list", || !related_links(&server, &flood).contains(&pumps_path));
    let r = editor.post("/newsroom/articles/3", &[("title", "عودة الدروس في نابل بعد الفيضانات"), ("action", "unpublish"), ("version", &version_of(&editor, 3))]);
    assert_eq!(r.status, 303, "{}", r.body);
    wait_for("the unpublished follow-up leaves the list", || !related_links(&server, &flood).contains(&schools));
}
