"""Build tests/training/gold_actors.csv from the hand-written mention lists in actors_labels.txt (plain python3).

actors_labels.txt: `@ARTICLE` starts an article; every line after it is one mention in reading order,
`surface | ACTOR_ID | note | type` (type only when it differs from the catalogue's); the surface is found
as a whole word (proclitics و ف ب ل ك allowed before it) after the previous mention's start; `~surface`
drops the word-boundary check (words written together: واشنطنوموسكو), `-surface` passes over an
occurrence that is not a mention. `!ID | type | name_en | name_ar` declares an actor the catalogue
lacks (in_catalogue = no). Catalogue ids are looked up in kit/data/actors.csv, leaders.csv, gazetteer.csv.
Every row is checked: text[start:end] == surface."""
import csv, io, re, sys
from pathlib import Path
T = Path(__file__).resolve().parent
D = T.parent.parent / 'kit' / 'data'
rows = []
for f in ['actors.csv', 'leaders.csv', 'gazetteer.csv']:
    lines = [l for l in open(D / f, encoding='utf-8') if not l.startswith('#')]
    for r in csv.DictReader(io.StringIO(''.join(lines))):
        rows.append(r)
cat = {}
for r in rows:
    if r['actor_id'] not in cat and r.get('name_en'):
        cat[r['actor_id']] = r
LET = re.compile(r'[\u0621-\u064A\u0671-\u06D3A-Za-z]')
new = {}
out = []; errors = 0
cur = None; pos = 0; text = ''
def ok_bounds(t, i, j):
    if j < len(t) and LET.match(t[j]): return False
    k = i
    n = 0
    while k > 0 and t[k-1] in 'وفبلك' and n < 3:
        k -= 1; n += 1
    if k == 0 or not LET.match(t[k-1]):
        return True
    return False
for line in open(sys.argv[1] if len(sys.argv) > 1 else T / 'actors_labels.txt', encoding='utf-8'):
    line = line.rstrip('\n')
    if not line.strip() or line.startswith('#'): continue
    if line.startswith('!'):
        a, ty, en, ar = [x.strip() for x in line[1:].split('|')]
        new[a] = dict(actor_id=a, type=ty, name_en=en, name_ar=ar); continue
    if line.startswith('@'):
        cur = line[1:].strip(); text = open(T/'articles'/f'{cur}.txt', encoding='utf-8', newline='').read(); pos = 0; continue
    parts = [x.strip() for x in line.split('|')]
    surf, aid = parts[0], (parts[1] if len(parts) > 1 else '')
    note = parts[2] if len(parts) > 2 else ''
    skip = surf.startswith('-'); surf = surf.lstrip('-')
    nob = surf.startswith('~'); surf = surf.lstrip('~')
    i = pos
    while True:
        i = text.find(surf, i)
        if i < 0 or nob or ok_bounds(text, i, i+len(surf)): break
        i += 1
    if i < 0:
        print(f'NOT FOUND {cur}: {surf!r} after {pos} ({text[pos:pos+40]!r})'); errors += 1; continue
    pos = i + 1
    if skip: continue
    if aid in cat:  # in the catalogue now (a declared actor may have been added to it since)
        r = cat[aid]; info, inc = dict(name_en=r['name_en'], name_ar=r['name_ar'], type=r['type']), 'yes'
    elif aid in new: info, inc = new[aid], 'no'
    else:
        print(f'UNKNOWN ID {cur}: {aid} ({surf})'); errors += 1; continue
    ty = parts[3] if len(parts) > 3 and parts[3] else info['type']
    out.append(dict(article_id=cur, start=i, end=i+len(surf), surface=surf, actor_id=aid, name_en=info['name_en'],
                    name_ar=info['name_ar'], type=ty, in_catalogue=inc, note=note))
    assert text[i:i+len(surf)] == surf
if errors:
    sys.exit(f'{errors} errors')
with open(T/'gold_actors.csv', 'w', encoding='utf-8', newline='') as h:
    w = csv.DictWriter(h, fieldnames=['article_id','start','end','surface','actor_id','name_en','name_ar','type','in_catalogue','note'], lineterminator='\n')
    w.writeheader(); w.writerows(out)
print(len(out), 'rows', len(set(o['article_id'] for o in out)), 'articles')
