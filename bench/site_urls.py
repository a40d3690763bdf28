"""Lists every public page of an imported site once: each published article at its
canonical path, every page of every category list, every page of every tag list.
Usage: site_urls.py DB OUT"""
import sqlite3
import sys
import urllib.parse

db, out = sys.argv[1:3]
PAGE = 10
con = sqlite3.connect(db)


def seg(s):
    return urllib.parse.quote(s, safe="")


cats = {i: (p, s) for i, p, s in con.execute("SELECT id, parent_id, slug FROM categories")}


def cat_path(i):
    parts = []
    while i is not None and len(parts) < 16:
        p, s = cats[i]
        parts.append(seg(s))
        i = p
    return "/category/" + "/".join(reversed(parts)) + "/"


children = {}
for i, (p, _) in cats.items():
    children.setdefault(p, []).append(i)


def subtree(i):
    out, todo = [], [i]
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(children.get(c, []))
    return out


with open(out, "w") as f:
    for i, s in con.execute("SELECT id, slug FROM articles WHERE status = 'published' ORDER BY id"):
        f.write(f"/news/{i}/{seg(s)}\n")
    for c in cats:
        ids = subtree(c)
        marks = ",".join("?" * len(ids))
        (n,) = con.execute(
            f"SELECT COUNT(DISTINCT article_id) FROM article_categories WHERE category_id IN ({marks}) AND published_at IS NOT NULL",
            ids,
        ).fetchone()
        for page in range(1, max(1, (n + PAGE - 1) // PAGE) + 1):
            f.write(cat_path(c) + (f"?page={page}" if page > 1 else "") + "\n")
    for t, slug, n in con.execute(
        "SELECT t.id, t.slug, COUNT(at.article_id) FROM tags t LEFT JOIN article_tags at ON at.tag_id = t.id "
        "AND at.published_at IS NOT NULL GROUP BY t.id, t.slug"
    ):
        for page in range(1, max(1, (n + PAGE - 1) // PAGE) + 1):
            f.write(f"/tag/{seg(slug)}/" + (f"?page={page}" if page > 1 else "") + "\n")
