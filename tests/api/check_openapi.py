"""Checks Nashir's OpenAPI document and that the API answers as it says.

Usage: check_openapi.py BASE_URL SAMPLES.json

1. Fetches BASE_URL/api/v1/openapi.json and validates it with openapi-spec-validator.
2. For every GET operation, calls it with the path parameters of SAMPLES.json
   ({"id": "12", "slug": "…"}), and with each extra query of SAMPLES["queries"][path]
   (a list of [query, expected status]); checks that the status is documented, that the
   content type is the documented one, and that the body validates against the documented
   schema (openapi-schema-validator, OpenAPI 3.1 dialect).
Prints one line per call; exits 1 on the first failure with the reason.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers.get("content-type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("content-type", ""), e.read()


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def main():
    base, samples_path = sys.argv[1], sys.argv[2]
    samples = json.load(open(samples_path, encoding="utf-8"))
    status, ctype, body = fetch(base + "/api/v1/openapi.json")
    if status != 200:
        fail(f"openapi.json answered {status}")
    spec = json.loads(body)
    validate(spec)
    print("openapi.json: valid OpenAPI", spec["openapi"])
    calls = 0
    for path, item in spec["paths"].items():
        op = item.get("get")
        if op is None:
            # Writes (the Admin API) are exercised by the Rust tests with a key.
            continue
        concrete = path
        for name in ("id", "slug"):
            concrete = concrete.replace("{" + name + "}", urllib.parse.quote(str(samples[name]), safe=""))
        if "{" in concrete:
            fail(f"{path}: no sample for its parameters")
        queries = samples.get("queries", {}).get(path, []) or [["", 200]]
        for query, expected in queries:
            url = base + concrete + (("?" + query) if query else "")
            status, ctype, body = fetch(url)
            documented = op["responses"].get(str(status))
            if status != expected:
                fail(f"GET {concrete}?{query}: {status}, expected {expected}: {body[:300]!r}")
            if documented is None:
                fail(f"GET {concrete}?{query}: status {status} is not documented")
            media = ctype.split(";")[0].strip()
            content = documented.get("content", {})
            if media not in content:
                fail(f"GET {concrete}?{query}: {media} not documented for {status} ({list(content)})")
            schema = dict(content[media].get("schema", {}))
            schema["components"] = spec.get("components", {})
            data = json.loads(body)
            errors = sorted(OAS31Validator(schema).iter_errors(data), key=str)
            if errors:
                fail(f"GET {concrete}?{query}: body does not match the schema: {errors[0].message} at {list(errors[0].absolute_path)}")
            calls += 1
            print(f"ok {status} GET {concrete}{('?' + query) if query else ''}")
    print(f"{calls} calls answered as documented")


main()
