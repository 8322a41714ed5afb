#!/usr/bin/env python3
"""Plain sentence splitter for labelling (not the kit): a sentence runs to its final . ! ? ؟
(inclusive, plus closing quotes right after it) or to the end of its line. Prints numbered sentences."""
import re, sys, pathlib

TERM = re.compile(r'[.!?؟]+')
CLOSE = '"”»)\''

def sentences(text):
    out = []
    pos = 0
    for line in text.split('\n'):
        i, n = 0, len(line)
        start = 0
        while True:
            m = TERM.search(line, i)
            if not m:
                break
            a, b = m.span()
            # a dot between digits is a decimal point, not an end
            if line[a:b] == '.' and a > 0 and b < n and line[a-1].isdigit() and line[b].isdigit():
                i = b
                continue
            while b < n and line[b] in CLOSE and (b + 1 == n or line[b+1].isspace()):
                b += 1
            out.append((pos + start, pos + b))
            start = b
            i = b
        out.append((pos + start, pos + n))
        pos += n + 1
    res = []
    for s, e in out:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if seg.strip() and re.search(r'\w', seg):
            res.append((s + ls, s + rs))
    return res

if __name__ == '__main__':
    for p in sys.argv[1:]:
        t = pathlib.Path(p).read_text(encoding='utf-8')
        print('=' * 10, pathlib.Path(p).stem)
        for k, (s, e) in enumerate(sentences(t)):
            print(k, t[s:e])
