#!/usr/bin/env python3
"""Records one usage event through kobometer's HTTP API, exactly once, then reads usage back.

Python 3 standard library only. Environment:
  KOBOMETER_URL      where the API is mounted, e.g. http://localhost:8080/billing
  KOBOMETER_API_KEY  a key with the events:write and usage:read scopes
  CUSTOMER_ID        optional, default cus_123
  IDEMPOTENCY_KEY    optional: your request id (default: a new UUID)
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

BASE_URL = os.environ["KOBOMETER_URL"].rstrip("/")
API_KEY = os.environ["KOBOMETER_API_KEY"]
CUSTOMER_ID = os.environ.get("CUSTOMER_ID", "cus_123")


def call(method, path, body=None):
    """One request; returns the decoded JSON answer, raises urllib.error.HTTPError on 4xx/5xx."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE_URL + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {API_KEY}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def call_with_one_retry(method, path, body=None):
    """Retries once after a connection error, a 5xx or a 429, sending the very same body."""
    try:
        return call(method, path, body)
    except urllib.error.HTTPError as error:
        if error.code != 429 and error.code < 500:
            raise
        delay = min(float(error.headers.get("Retry-After") or 1), 5)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        delay = 1
    time.sleep(delay)
    return call(method, path, body)


def main():
    # The key and the timestamp are fixed once, before any attempt: a retry after a lost answer
    # sends the same event, which kobometer answers as a "duplicate" and does not store again.
    event = {
        "event_name": "api_call",
        "customer_id": CUSTOMER_ID,
        "idempotency_key": os.environ.get("IDEMPOTENCY_KEY") or str(uuid.uuid4()),
        "timestamp": datetime.now(timezone.utc).isoformat(),  # 2026-11-30T10:15:30.123456+00:00
        "properties": {"tokens": 1200, "model": "large"},
    }
    try:
        answer = call_with_one_retry("POST", "/v1/events", {"events": [event]})
    except urllib.error.HTTPError as error:
        # Every error answer is {"error": {"code", "message", "path"?, "details"?}}
        print(f"ingest failed: {error.code} {error.read().decode('utf-8')}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        # The event may or may not be stored: send it again later with the same key.
        print(f"ingest failed, retry with the same key later: {error}", file=sys.stderr)
        return 1
    result = answer["results"][0]
    print(f"{result['status']}: {event['idempotency_key']} at {event['timestamp']}")
    if result["status"] in ("rejected", "conflict"):
        print(f"not recorded: {result['error']['code']} {result['error']['message']}", file=sys.stderr)
        return 1

    month_start = datetime.now(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    query = urllib.parse.urlencode(
        {
            "customer_id": CUSTOMER_ID,
            "meter": "api_calls",
            "from": month_start.isoformat(),
            "to": next_month.isoformat(),
        }
    )
    usage = call_with_one_retry("GET", f"/v1/usage?{query}")
    print(f"usage: {json.dumps(usage)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
