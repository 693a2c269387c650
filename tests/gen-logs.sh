#!/bin/bash
# gen-logs.sh SIZE: writes log-like NDJSON records of about 300 bytes
# (nested objects, non-ASCII text, escapes, a 64-bit integer), SIZE bytes
# in all (K/M/G suffixes), one per line, the same bytes every time. Every
# record has "id" and "name". Used by bench.sh and soak.sh.
set -eu
bytes=$(numfmt --from=iec "${1:?usage: gen-logs.sh SIZE}")
awk -v target="$bytes" 'BEGIN {
        split("debug info info info warn error", lv, " ");
        split("api auth billing search mailer gateway", sv, " ");
        split("Alice|Bob|Zoë|李雷|O\x27Brien|Ana \\\"Nita\\\" Lopez|Müller", nm, "|");
        split("request served|cache miss for key \\\"user:42\\\"|retrying upstream\\ttimeout|résumé uploaded", mv, "|");
        while (written < target) {
            i++; n = nm[i % 7 + 1];
            line = sprintf("{\"id\":%d,\"name\":\"%s\",\"ts\":\"2026-11-%02dT%02d:%02d:%02d.%03dZ\",\"level\":\"%s\",\"service\":\"%s\",\"msg\":\"%s\",\"user\":{\"id\":%d,\"email\":\"u%d@example.com\",\"vip\":%s},\"http\":{\"method\":\"GET\",\"path\":\"/v1/search?q=café\",\"status\":%d},\"latency_ms\":%.3f,\"tags\":[\"a\",\"prod\"]%s}",
                i, n, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000, lv[i % 6 + 1], sv[i % 6 + 1], mv[i % 4 + 1],
                (i * 7919) % 1000000000, i % 997, (i % 10 ? "false" : "true"), (i % 9 ? 200 : 503), (i % 1000) / 7,
                (i % 20 ? "" : ",\"big\":18446744073709551615"));
            print line; written += length(line) + 1 } }'
