#!/usr/bin/env python3
"""gen-ecma-patterns.py SEED COUNT PREFIX: random ECMA-262 patterns and
strings, with the verdicts of node's RegExp in Unicode mode (what a JSON
Schema "pattern" is), written as PREFIX.schema.json (one property a
pattern), PREFIX.ndjson (one record a string) and PREFIX.accepted (the
records the verdicts accept). tests/fixtures/ecma-patterns.* were made with
SEED 11, COUNT 600; tests/processors.sh checks jsonpipe against them."""
import json, random, subprocess, sys

seed, count, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(seed)
atoms = ['a', 'b', 'z', '0', '9', '-', '_', ' ', '.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S',
         '\\.', '\\-', '[a-c]', '[^a-c]', '[a-z0-9-]', '[-a]', '[a-]', '[\\d_]', '[^\\s]', '[]',
         '[^]', '\\t', '\\n', '\\r', '\\v', '\\f', '\\/', '[\\-x]', '[.]', '[\\]]', 'é', '[é]',
         '(a|b)', '\\b', 'x', '\\$', '\\^', '[\\w-]', ',', '@', '\\\\']
quants = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}', '*?', '+?', '??', '{0}',
          '{3,3}']
chars = ['a', 'b', 'c', 'z', '0', '9', '-', '_', ' ', '.', '\t', '\n', '\r', '\x0b', '\f', '/',
         'x', 'A', 'é', '$', '^', '\\', ',', '@', ']', '\u2028']


def pattern():
    p = ''.join(random.choice(atoms) + random.choice(quants) for _ in range(random.randint(0, 4)))
    if random.random() < 0.6:
        p = '^' + p
    if random.random() < 0.6:
        p = p + '$'
    return p


def subject():
    return ''.join(random.choice(chars) for _ in range(random.randint(0, 6)))


cases = [(pattern(), sorted({subject() for _ in range(12)})) for _ in range(count)]
oracle = '''
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
for (const [p, subs] of cases) {
  let re;
  try { re = new RegExp(p, "u"); } catch (e) { continue; }
  out.push([p, subs.map(s => [s, re.test(s)])]);
}
console.log(JSON.stringify(out));
'''
judged = json.loads(subprocess.run(['node', '-e', oracle], input=json.dumps(cases),
                                   capture_output=True, text=True, check=True).stdout)
props, records, accepted = {}, [], []
for i, (p, subs) in enumerate(judged):
    key = 'p%d' % i
    props[key] = {'pattern': p}
    for s, ok in subs:
        line = json.dumps({key: s}, ensure_ascii=False, separators=(',', ':'))
        records.append(line)
        if ok:
            accepted.append(line)
with open(prefix + '.schema.json', 'w') as f:
    json.dump({'$comment': 'made by tests/gen-ecma-patterns.py, verdicts by node', 'properties': props},
              f, ensure_ascii=False, indent=0)
with open(prefix + '.ndjson', 'w') as f:
    f.write('\n'.join(records) + '\n')
with open(prefix + '.accepted', 'w') as f:
    f.write('\n'.join(accepted) + '\n')
