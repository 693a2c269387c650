#!/usr/bin/env python3
"""mutate.py N SEED: tests/strict-check.sh's mutator.

Reads NDJSON lines (tests/gen-logs.sh's) on standard input and writes N
lines, most of them damaged at random, the same lines for the same seed.
About a third are left as they are and many mutations keep a line valid
(UTF-8 or an escape inside a string, blanks between tokens), so that
valid and invalid lines are mixed about half and half. No mutation writes
a newline, so output line k comes from input line k. The first line is
never mutated: jsonpipe judges an input's first bytes for the whole input
(a byte order mark, NUL bytes that look like UTF-16), not as a line.
"""
import random
import re
import sys

# Bytes >= 0x80: valid UTF-8 (é, 李, an emoji, U+10FFFF), a stray
# continuation byte, truncated sequences, overlong forms, encoded
# surrogates, code points past U+10FFFF, bytes UTF-8 never has, and a
# byte order mark and a no-break space, which are not blanks.
HIGH = [b"\xc3\xa9", b"\xe6\x9d\x8e", b"\xf0\x9f\x98\x80", b"\xf4\x8f\xbf\xbf",
        b"\x80", b"\xbf", b"\xc3", b"\xe6\x9d", b"\xf0\x9f\x98",
        b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xf0\x80\x80\x80",
        b"\xed\xa0\x80", b"\xed\xbf\xbf",
        b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xfe", b"\xff",
        b"\xef\xbb\xbf", b"\xc2\xa0"]
# Escapes, valid inside a string (lone and misordered surrogates too) or not.
ESCAPES = [b"\\ud800", b"\\udc00", b"\\udc00\\ud800", b"\\ud83d\\ude00", b"\\u00e9",
           b"\\u0000", b"\\uZZZZ", b"\\u12", b"\\x41", b"\\'", b"\\/", b"\\\\", b"\\"]
CONTROLS = [bytes([c]) for c in range(0x20) if c != 0x0A] + [b"\x7f"]
PUNCTUATION = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b" ", b"\t", b"\r",
               b"-", b"+", b".", b"e", b"0"]
VALUES = [b"true", b"false", b"null", b"tru", b"nul", b"True", b"NaN", b"Infinity",
          b"-Infinity", b"1e999", b"-0", b"01", b"1.", b".5", b"0x1F", b"1E+2"]
BLANK = [b"", b" ", b"\t \r", b" \x0c"]
TAILS = [b" x", b"{}", b",", b' {"a":1}', b"]", b"\r", b" \t"]
VALUE_AT = re.compile(rb"(?<=:)(-?[0-9][0-9.eE+-]*|true|false|null)")


ANY_BYTE = [bytes([b]) for b in range(256) if b != 0x0A]


def jp_insert_one_of(pool):
    def insert(rng, line):
        at = rng.randrange(len(line) + 1)
        return line[:at] + rng.choice(pool) + line[at:]
    return insert


def jp_replace_one_of(pool, pattern):
    """Replaces a random match of pattern by one of pool (no match: no change)."""
    def replace(rng, line):
        matches = list(pattern.finditer(line))
        if not matches:
            return line
        m = rng.choice(matches)
        return line[:m.start()] + rng.choice(pool) + line[m.end():]
    return replace


def jp_double_bracket(rng, line):
    spots = [m.start() for m in re.finditer(rb"[][{}]", line)]
    if not spots:
        return line
    at = rng.choice(spots)
    return line[:at + 1] + line[at:]


def jp_delete(rng, line):
    at = rng.randrange(len(line))
    return line[:at] + line[at + rng.randint(1, 3):]


# (weight, mutation): flip a byte, insert one, delete 1 to 3, insert a piece of
# each list above, truncate, double a bracket, a digit becomes a letter, a value
# becomes another (or no JSON value), the line becomes blank, append a tail.
MUTATIONS = [
    (3, jp_replace_one_of(ANY_BYTE, re.compile(rb".", re.S))),
    (2, jp_insert_one_of(ANY_BYTE)),
    (2, jp_delete),
    (4, jp_insert_one_of(HIGH)),
    (3, jp_insert_one_of(ESCAPES)),
    (2, jp_insert_one_of(CONTROLS)),
    (3, jp_insert_one_of(PUNCTUATION)),
    (1, lambda rng, line: line[:rng.randrange(len(line))]),
    (1, jp_double_bracket),
    (2, jp_replace_one_of([bytes([c]) for c in b"abcdefxyzEIN"], re.compile(rb"[0-9]"))),
    (2, jp_replace_one_of(VALUES, VALUE_AT)),
    (1, lambda rng, line: rng.choice(BLANK)),
    (2, lambda rng, line: line + rng.choice(TAILS)),
]


def jp_mutate(rng, line):
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if not line:
            break
        line = rng.choices([m for _, m in MUTATIONS], weights=[w for w, _ in MUTATIONS])[0](rng, line)
    return line


def main():
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    lines = sys.stdin.buffer.read().split(b"\n")[:n]
    if len(lines) < n:
        sys.exit("mutate.py: fewer than %d lines on standard input" % n)
    rng = random.Random(seed)
    out = sys.stdout.buffer
    out.write(lines[0] + b"\n")
    for line in lines[1:]:
        out.write((line if rng.random() < 0.3 else jp_mutate(rng, line)) + b"\n")


if __name__ == "__main__":
    main()
