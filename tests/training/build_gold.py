#!/usr/bin/env python3
"""Build gold_stance.csv from the hand labels in labels.txt (plain python3, not the kit).

labels.txt: article_id|sentence_index[@start_marker]|russia|west|holder_id|holder_en|note, where the index refers
to split_sentences.py's numbering of the article. Offsets are Python string indices into the
article read as UTF-8 with newlines untouched. Every row is checked: text[start:end] == sentence."""
import csv, pathlib, sys
from collections import Counter
from split_sentences import sentences

HERE = pathlib.Path(__file__).parent
rows, errors = [], []
texts = {}
for ln, line in enumerate((HERE / 'labels.txt').read_text(encoding='utf-8').splitlines(), 1):
    if not line.strip() or line.startswith('#'):
        continue
    parts = line.split('|')
    if len(parts) != 7:
        errors.append(f'labels.txt:{ln}: {len(parts)} fields'); continue
    aid, idx, r, w, hid, hen, note = parts
    if aid not in texts:
        texts[aid] = (HERE / 'articles' / f'{aid}.txt').read_text(encoding='utf-8')
    text = texts[aid]
    sents = sentences(text)
    marker = None
    if '@' in idx:              # «3@قال»: the sentence starts at the marker (drops a date/dateline prefix)
        idx, marker = idx.split('@', 1)
    s, e = sents[int(idx)]
    if marker:
        k = text.find(marker, s, e)
        if k < 0:
            errors.append(f'labels.txt:{ln}: marker not in sentence'); continue
        s = k
    sent = text[s:e]
    if r not in ('-1', '0', '1') or w not in ('-1', '0', '1'):
        errors.append(f'labels.txt:{ln}: bad label {r} {w}')
    rows.append(dict(article_id=aid, start=s, end=e, sentence=sent, russia=int(r), west=int(w),
                     holder_id=hid.strip(), holder_en=hen.strip(), note=note.strip()))

seen = Counter((r['article_id'], r['start']) for r in rows)
errors += [f'duplicate row {k}' for k, v in seen.items() if v > 1]
rows.sort(key=lambda r: (r['article_id'], r['start']))
with open(HERE / 'gold_stance.csv', 'w', encoding='utf-8', newline='') as f:
    wr = csv.DictWriter(f, fieldnames=['article_id', 'start', 'end', 'sentence', 'russia', 'west',
                                       'holder_id', 'holder_en', 'note'])
    wr.writeheader(); wr.writerows(rows)

# independent re-check from the written file
bad = 0
with open(HERE / 'gold_stance.csv', encoding='utf-8', newline='') as f:
    back = list(csv.DictReader(f))
for r in back:
    t = (HERE / 'articles' / f"{r['article_id']}.txt").read_text(encoding='utf-8')
    if t[int(r['start']):int(r['end'])] != r['sentence']:
        bad += 1; errors.append(f"offset mismatch {r['article_id']} {r['start']}")
meta_ids = set()
if (HERE / 'metadata.csv').exists():
    with open(HERE / 'metadata.csv', encoding='utf-8', newline='') as f:
        meta = list(csv.DictReader(f))
    meta_ids = {m['article_id'] for m in meta}
    files = {p.stem for p in (HERE / 'articles').glob('*.txt')}
    if files != meta_ids:
        errors.append(f'metadata/articles mismatch: {sorted(files ^ meta_ids)}')
    print('articles:', len(files), ' outlets:', len({m["outlet"] for m in meta}))
print('labelled sentences:', len(back), ' articles with labels:', len({r['article_id'] for r in back}))
for side in ('russia', 'west'):
    c = Counter(r[side] for r in back)
    print(f'{side:7s}', ' '.join(f'{k:>2s}: {c.get(k, 0)}' for k in ('-1', '0', '1')))
c = Counter((r['russia'], r['west']) for r in back)
print('neutral 0/0 rows:', c[('0', '0')])
print(f'offset check: {len(back) - bad}/{len(back)} rows text[start:end] == sentence')
if errors:
    print('ERRORS:', *errors, sep='\n  '); sys.exit(1)
print('OK')
