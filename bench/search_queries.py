"""wrk's Lua script for the search benchmarks: 3,000 queries of one or two words of random
titles of the corpus (seeded, so every run and every binary asks the same), percent-encoded
for the request line.  Usage: python3 bench/search_queries.py CORPUS.jsonl > queries.lua"""
import json
import random
import sys
import urllib.parse

random.seed(7)
titles = [json.loads(line)["title"] for line in open(sys.argv[1], encoding="utf-8")]
qs = []
while len(qs) < 3000:
    words = [w for w in random.choice(titles).split() if len(w) > 3]
    if words:
        n = random.choice([1, 2])
        qs.append(urllib.parse.quote(" ".join(random.sample(words, min(n, len(words))))))
print("local queries = {" + ",".join('"%s"' % q for q in qs) + "}")
print("local i = 0")
print("request = function() i = i + 1; return wrk.format('GET', '/search?q=' .. queries[(i % #queries) + 1]) end")
