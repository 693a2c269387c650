#!/usr/bin/env python3
"""judge.py LINES OUT ERRORS [SIMDJSON_VERDICTS]: tests/strict-check.sh's report.

LINES is the input jsonpipe read, OUT and ERRORS what it wrote (-e), and
SIMDJSON_VERDICTS, when simdjson is installed, what
tests/bench/simdjson_probe.cpp --verdicts said of each line. The oracle is
Python's json.loads on the line decoded as strict UTF-8, with NaN and
Infinity refused: that is RFC 8259's grammar (lone surrogate escapes and
numbers of any size included) and RFC 3629's UTF-8. simdjson checks it:
where the two disagree, the line must hold what simdjson refuses and RFC
8259 allows (a lone surrogate escape, an integer beyond 64 bits, a number
beyond a double), or the oracle is not to be trusted. Lines are framed as
jsonpipe frames them: one carriage return before the newline is dropped,
and a blank line (spaces, tabs, carriage returns) is no record and no error.
Mutated log lines nest a few levels deep, far from jsonpipe's --max-depth
(512) and simdjson's (1024): depth plays no part.
Prints the figures; exits 1 on any mismatch.
"""
import json
import json.decoder
import json.scanner
import sys

SHOWN = 5


class Number(str):
    """A number's text, kept as written so that no size is out of range."""


def jp_refuse_constant(name):
    raise ValueError("%s is not JSON" % name)


def jp_oracle(line):
    """Returns (True, the value) or (False, why)."""
    try:
        text = line.decode("utf-8")
        return True, json.loads(text, parse_int=Number, parse_float=Number,
                                parse_constant=jp_refuse_constant, object_pairs_hook=list)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return False, str(e)


def jp_strings_and_numbers(value):
    if isinstance(value, list):
        for item in value:
            yield from jp_strings_and_numbers(item)
    elif isinstance(value, tuple):
        yield value[0]
        yield from jp_strings_and_numbers(value[1])
    elif isinstance(value, str):
        yield value


def jp_simdjson_refuses(value):
    """Why simdjson refuses this valid JSON value, or None."""
    for s in jp_strings_and_numbers(value):
        if isinstance(s, Number):
            digits = s.lstrip("-")
            if digits.isdigit() and (len(digits) > 20 or not -2**63 <= int(s) < 2**64):
                return "an integer beyond 64 bits"
            if not digits.isdigit() and float(s) in (float("inf"), float("-inf")):
                return "a number beyond a double"
        elif any(0xD800 <= ord(c) <= 0xDFFF for c in s):
            return "a lone surrogate escape"
    return None


def jp_hex(line):
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else "\\x%02x" % b for b in line)


def jp_show(title, items):
    if items:
        print("%s: %d, the first at lines %s" % (title, len(items), ", ".join(str(k) for k, _ in items[:SHOWN])))
        for k, detail in items[:SHOWN]:
            print("  line %d: %s" % (k, detail))


def jp_first_difference(expected, out):
    """Where OUT first differs from the EXPECTED records: (record number, expected, written)."""
    written = out.splitlines(keepends=True)
    for i, record in enumerate(expected):
        if i >= len(written) or written[i] != record:
            return i + 1, record, written[i] if i < len(written) else b""
    return len(expected) + 1, b"", written[len(expected)]


def jp_frame(line):
    return line[:-1] if line.endswith(b"\r") else line


def jp_error_lines(path):
    lines = {}
    with open(path, "rb") as f:
        for record in f:
            error = json.loads(record)
            lines.setdefault(error["line"], []).append(error["error"])
    return lines


class Judgement:
    """What the oracles and jsonpipe said of every line."""

    def __init__(self):
        self.blank = self.accepted = self.jp_accepted = 0
        self.expected = []          # the accepted lines, as jsonpipe must write them
        self.mismatches, self.duplicates, self.unexplained = [], [], []
        self.disagreements = {}     # why simdjson refuses -> lines


def jp_judge_line(j, k, line, jp_errors, simdjson_verdict):
    if len(jp_errors) > 1:
        j.duplicates.append((k, "%d error records" % len(jp_errors)))
    if not line.strip(b" \t\r"):
        j.blank += 1
        if jp_errors:
            j.mismatches.append((k, "blank, yet rejected (%s): %s" % (jp_errors[0], jp_hex(line))))
        return
    ok, value = jp_oracle(line)
    if ok:
        j.accepted += 1
        j.expected.append(line + b"\n")
    if not jp_errors:
        j.jp_accepted += 1
    if ok == bool(jp_errors):
        verdict = "rejected (%s)" % jp_errors[0] if jp_errors else "accepted"
        oracle = "valid" if ok else "invalid (%s)" % value
        j.mismatches.append((k, "%s, jsonpipe %s: %s" % (oracle, verdict, jp_hex(line))))
    if simdjson_verdict is not None and simdjson_verdict.startswith("1") != ok:
        refused = jp_simdjson_refuses(value) if ok else None
        j.disagreements.setdefault(refused or "no known reason", []).append(k)
        if refused is None:
            j.unexplained.append((k, "python %s, simdjson %s: %s" % (
                "accepts" if ok else "refuses (%s)" % value, simdjson_verdict, jp_hex(line))))


def jp_report(j, lines, errors, out, with_simdjson):
    """Prints the figures; returns whether everything agrees."""
    print("lines: %d (%d blank, skipped)" % (len(lines), j.blank))
    print("accepted by the oracle: %d; by jsonpipe: %d" % (j.accepted, j.jp_accepted))
    if with_simdjson:
        print("simdjson disagrees with the oracle on %d lines" % sum(map(len, j.disagreements.values())))
        for why, ks in sorted(j.disagreements.items()):
            print("  %s: %d, the first at lines %s" % (why, len(ks), ", ".join(map(str, ks[:SHOWN]))))
        jp_show("oracle disagreements with no known reason", j.unexplained)
    else:
        print("no simdjson verdicts: one oracle only")
    print("mismatches: %d" % len(j.mismatches))
    jp_show("mismatching lines", j.mismatches)
    jp_show("lines with more than one error record", j.duplicates)
    strays = sorted(k for k in errors if not 1 <= k <= len(lines))
    if strays:
        print("error records for lines the input lacks: %s" % strays[:SHOWN])
    same_output = out == b"".join(j.expected)
    if same_output:
        print("output: byte for byte the accepted lines, in order")
    else:
        i, want, got = jp_first_difference(j.expected, out)
        print("output: NOT the accepted lines; record %d is %s, expected %s" % (i, jp_hex(got), jp_hex(want)))
    if not j.mismatches and not j.duplicates and not strays:
        print("error records: one for every rejected line, with its line number")
    return same_output and not (j.mismatches or j.duplicates or strays or j.unexplained)


def main():
    if json.scanner.c_make_scanner is None or json.decoder.c_scanstring is None:
        sys.exit("judge.py: needs CPython's json scanner in C (the Python one takes non-ASCII digits)")
    lines = [jp_frame(l) for l in open(sys.argv[1], "rb").read().split(b"\n")[:-1]]
    out = open(sys.argv[2], "rb").read()
    errors = jp_error_lines(sys.argv[3])
    simdjson = open(sys.argv[4]).read().splitlines() if len(sys.argv) > 4 else None
    j = Judgement()
    for k, line in enumerate(lines, 1):
        jp_judge_line(j, k, line, errors.get(k, []), simdjson[k - 1] if simdjson else None)
    sys.exit(0 if jp_report(j, lines, errors, out, simdjson is not None) else 1)


if __name__ == "__main__":
    main()
