"""Writes a large site as JSON Lines for `nashir import jsonl`: the shared corpus's articles
repeated with new ids until N articles, each filed under its category and a subcategory
(so category pages nest), with two or three tags drawn from title words (a few thousand
tags in all), dated over the last years. Usage: gen_site.py CORPUS N OUT.jsonl"""
import json
import random
import sys

corpus, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(100_000)
articles = [json.loads(line) for line in open(corpus, encoding="utf-8")]
words = {}
for a in articles:
    for w in a["title"].split():
        w = w.strip("«»\"'،,.:؛!؟?()")
        if len(w) > 4:
            words[w] = words.get(w, 0) + 1
vocabulary = [w for w, c in sorted(words.items(), key=lambda x: -x[1])[:3000]]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        a = articles[i % len(articles)]
        round_ = i // len(articles)
        title = a["title"] if round_ == 0 else f"{a['title']} ({round_ + 1})"
        category = a.get("category") or "منوعات"
        sub = f"{category}/ملف {1 + (i % 7)}"
        tags = random.sample(vocabulary, random.choice([2, 3]))
        day = 1 + (i * 37) % 28
        month = 1 + (i * 11) % 12
        year = 2019 + (i % 7)
        f.write(json.dumps({
            "id": f"gen-{i}",
            "title": title,
            "body": a["body"],
            "category": sub,
            "author": a.get("author") or "فريق التحرير",
            "date": f"{year}-{month:02d}-{day:02d}T{(i % 24):02d}:{(i % 60):02d}:00+01:00",
            "tags": tags,
        }, ensure_ascii=False) + "\n")
