#!/usr/bin/env python3
"""mutate_logs.py FILE N: the first N records of FILE (tests/gen-logs.sh's
logs), three in ten broken against samples/logs.schema.json in one to three
ways (a wrong type, a bound, a format, a pattern, a missing name, equal
tags, an enum, strings that are not ASCII or end in a newline), written
with and without \\u escapes. The same records every time: bench.sh
compares jsonpipe's verdicts on them with ajv's."""
import json
import random
import sys

random.seed(7)
breaks = [
    lambda r: r.update(id=0), lambda r: r.update(id=1.5), lambda r: r.update(id="7"),
    lambda r: r.pop("name", None), lambda r: r.update(name=""), lambda r: r.update(name="x" * 70),
    lambda r: r.update(ts="2026-13-01T00:00:00Z"), lambda r: r.update(ts="2026-11-02T25:01:07Z"),
    lambda r: r.update(level="trace"), lambda r: r.update(service="Auth"),
    lambda r: r.update(service="a_b"), lambda r: r.update(service="ok-1\n"),
    lambda r: r.update(service="é"), lambda r: r.update(user={"email": "x"}),
    lambda r: r.update(user={"id": 1, "email": "bad@@x"}), lambda r: r.update(user={"id": 1, "vip": "no"}),
    lambda r: r.update(user=[]), lambda r: r.update(http={"method": "GOT"}),
    lambda r: r.update(http={"status": 600}), lambda r: r.update(http={"status": 99.5}),
    lambda r: r.update(latency_ms=-1), lambda r: r.update(latency_ms=-0.0),
    lambda r: r.update(tags=["a", "a"]), lambda r: r.update(tags=["a", 1]), lambda r: r.update(tags="a"),
    lambda r: r.update(tags=["x", "y", "z", "w", "v", "u", "t", "s", "x"]),
    lambda r: r.update(extra={"deep": [1, {"x": None}]}), lambda r: r.update(name="\u0000ab"),
]
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if i >= int(sys.argv[2]):
        break
    record = json.loads(line)
    if random.random() < 0.3:
        for _ in range(random.randint(1, 3)):
            random.choice(breaks)(record)
    print(json.dumps(record, ensure_ascii=random.random() < 0.5, separators=(",", ":")))
