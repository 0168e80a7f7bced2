#!/usr/bin/env python3
"""Walk the list by cursor to a given depth over one keep-alive connection; print the cursor there.

    cursor-walk.py BASE_URL KEY DEPTH
"""
import http.client
import json
import sys
import urllib.parse

base, key, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
url = urllib.parse.urlsplit(base)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
cursor, walked = None, 0
while walked < depth:
    query = "limit=100" + (f"&cursor={cursor}" if cursor else "")
    connection.request("GET", f"/api/v1/calls?{query}", headers={"Authorization": f"Bearer {key}"})
    page = json.loads(connection.getresponse().read())
    walked += len(page["calls"])
    cursor = page["next_cursor"]
    if cursor is None:
        sys.exit(f"the list ended after {walked} calls, before depth {depth}")
print(cursor)
