"""Logs in to the newsroom of a running Nashir and prints the session cookie (name=value).
Usage: login.py BASE_URL EMAIL PASSWORD"""
import http.client
import re
import sys
import urllib.parse

base, email, password = sys.argv[1:4]
host = urllib.parse.urlparse(base).netloc


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r, r.read().decode("utf-8", "replace")


_, page = request("GET", "/newsroom/login")
token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password, "next": "/newsroom/"})
r, _ = request("POST", "/newsroom/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
cookie = r.getheader("Set-Cookie") or ""
if r.status != 303 or not cookie:
    sys.exit(f"login failed: {r.status}")
print(cookie.split(";")[0])
