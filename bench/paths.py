"""Writes wrk scripts that walk varied pages of an imported site: articles and categories
read from its SQLite database, search queries drawn from the corpus's titles, and pages of
the newsroom's article list. Usage: paths.py DB CORPUS OUTDIR"""
import json
import random
import sqlite3
import sys
import urllib.parse

db, corpus, out = sys.argv[1:4]
random.seed(7)
con = sqlite3.connect(db)


def seg(s):
    return urllib.parse.quote(s, safe="")


def script(name, paths):
    with open(f"{out}/{name}.lua", "w", encoding="utf-8") as f:
        f.write("local paths = {" + ",".join('"%s"' % p for p in paths) + "}\n")
        f.write("local i = 0\n")
        f.write("request = function() i = i + 1; return wrk.format('GET', paths[(i % #paths) + 1]) end\n")


articles = con.execute(
    "SELECT id, slug FROM articles WHERE status = 'published' ORDER BY id"
).fetchall()
random.shuffle(articles)
script("article", [f"/news/{i}/{seg(s)}" if s else f"/news/{i}" for i, s in articles[:5000]])

cats = dict((i, (p, s)) for i, p, s in con.execute("SELECT id, parent_id, slug FROM categories"))


def cat_path(i):
    parts = []
    while i is not None and len(parts) < 16:
        p, s = cats[i]
        parts.append(seg(s))
        i = p
    return "/category/" + "/".join(reversed(parts)) + "/"


script("category", [cat_path(i) + (f"?page={n}" if n > 1 else "") for i in cats for n in range(1, 6)])

titles = [json.loads(line)["title"] for line in open(corpus, encoding="utf-8")]
queries = []
while len(queries) < 3000:
    words = [w for w in random.choice(titles).split() if len(w) > 3]
    if words:
        n = random.choice([1, 2])
        queries.append("/search?q=" + urllib.parse.quote(" ".join(random.sample(words, min(n, len(words))))))
script("search", queries)

script("newsroom", [f"/newsroom/articles?page={n}" for n in range(1, 51)])
