"""Opening a corpus and searching it in the real browser (01_corpus in JupyterLab, Chromium driven by
Playwright).

The corpus picker: a folder of .txt articles (sentences of the seed articles) and one empty file is typed
into the path box; the box lists what the folder holds, Load shows a progress bar, and the summary names
the number of articles and lists what `corpus.errors` holds (the empty file). The search box: a word typed
in Arabic lists keyword-in-context lines, with the count of hits and the hits per source and month in the
chart; opening one line shows its sentence in the reader with the hit marked. The notebooks annotate into a
KIT_CACHE of the test's own.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ERRORS, NO_BROWSER, notebook, run_all, shoot

pytestmark = NO_BROWSER

ARTICLES = {
    "macron_astana.txt": "ماكرون يدعو إلى تعزيز الشراكة مع كازاخستان\nتاريخ النشر: 1st, November 2023 GMT\n"
    "دعا الرئيس الفرنسي، إيمانويل ماكرون، الأربعاء، عند وصوله إلى كازاخستان، أكبر اقتصاد في آسيا الوسطى، إلى تعزيز الشراكة الاستراتيجية مع هذا البلد الغني بالموارد الطبيعية.\n"
    "وفي اجتماع مع قاسم جومارت توكاييف رئيس كازاخستان، أثنى ماكرون على أستانا لرفضها الوقوف إلى جانب موسكو في أزمة أوكرانيا.\n"
    "المصدر: وكالة الأنباء\n",
    "russia_worried.txt": "روسيا قلقة من النشاط الغربي في آسيا الوسطى\n١١ أبريل ٢٠٢٣\n"
    "وعبرت روسيا مرارا عن قلقها إزاء النشاط الدبلوماسي المتزايد للغرب في دول سوفياتية سابقة في وسط آسيا.\n"
    "وقال وزير الخارجية الروسي، سيرغي لافروف، الأسبوع الماضي إن الغرب يحاول إبعاد \"جيران وأصدقاء وحلفاء\" روسيا عنها.\n",
    "balanced.txt": "كازاخستان تحافظ على موقف متوازن\nتاريخ النشر: 2nd, November 2023 GMT\n"
    "وعلى غرار جمهوريات آسيا الوسطى الأخرى، حافظت كازاخستان على موقف دبلوماسي متوازن، فأبقت على علاقات جيدة مع روسيا، ومع الدول الغربية في آن واحد.\n",
}
EMPTY = "empty.txt"  # unreadable: listed in corpus.errors

PICKER = ".widget-vbox:has(.widget-text:has(label:text-is('Corpus')))"
SEARCH = ".widget-vbox:has(> .widget-hbox .widget-text:has(label:text-is('Search')))"
BARS = "gd => JSON.stringify((gd.data || []).map(t => [t.name, t.x, t.y]))"


def _until(page, condition, seconds: float = 30):
    """Poll `condition()` until it is true (returned) or `seconds` pass (then its last value)."""
    for _ in range(int(seconds * 4)):
        value = condition()
        if value:
            return value
        page.wait_for_timeout(250)
    return condition()


@pytest.fixture(scope="module")
def lab_environment(tmp_path_factory) -> dict[str, str]:
    return {"KIT_CACHE": str(tmp_path_factory.mktemp("kit_cache"))}


@pytest.fixture
def folder(tmp_path):
    where = tmp_path / "my_articles"
    where.mkdir()
    for name, text in ARTICLES.items():
        (where / name).write_text(text, encoding="utf-8")
    (where / EMPTY).write_bytes(b"")
    return where


def test_the_picker_loads_a_typed_folder_with_a_progress_bar_and_lists_its_errors(page, lab, folder):
    import kit

    expected = kit.load(folder, cache=False, progress=False)  # what the summary must report, by the kit itself
    assert len(expected.errors) >= 1 and EMPTY in " ".join(map(str, expected.errors.to_numpy().ravel()))
    run_all(page, lab, "01_corpus.ipynb")
    assert page.evaluate(ERRORS) == []
    picker = notebook(page).locator(PICKER).first
    picker.scroll_into_view_if_needed()
    assert "5 articles from the bundled seed articles" in picker.inner_text()
    box = picker.locator(".widget-text:has(label:text-is('Corpus')) input")
    box.fill(str(folder))
    box.press("Enter")
    entries = picker.locator(".widget-select:has(label:text-is('Contains')) select option")
    entries.filter(has_text=EMPTY).wait_for(state="attached", timeout=30_000)  # the box lists the folder it names
    assert sorted(entries.all_inner_texts()) == sorted([*ARTICLES, EMPTY])
    picker.locator("button.widget-button[title='Load']").click()
    bar = picker.locator(".widget-output .widget-hprogress")  # tqdm's notebook bar (an ipywidgets FloatProgress)
    bar.first.wait_for(state="visible", timeout=60_000)
    summary = picker.locator(".widget-html-content:has-text('articles from')")
    summary.filter(has_text=str(folder)).wait_for(timeout=120_000)
    text = summary.inner_text()
    assert f"{len(ARTICLES)} articles from {folder}" in text, text
    assert f"{len(expected.errors):,} inputs not read or with warnings" in text, text
    table = summary.locator("table")
    assert table.locator("tr").count() == 1 + min(len(expected.errors), 20)  # header and one row per error
    assert EMPTY in table.inner_text()
    assert f"{len(ARTICLES)}/{len(ARTICLES)}" in picker.locator(".widget-output").inner_text()  # the bar ran to the end
    shoot(page, "01_corpus-picker-loaded")


def test_search_lists_the_hits_in_context_with_counts_and_opens_a_hit_in_the_reader(page, lab):
    run_all(page, lab, "01_corpus.ipynb")
    search = notebook(page).locator(SEARCH).first
    box = search.locator(".widget-text:has(label:text-is('Search')) input")
    box.scroll_into_view_if_needed()
    lines = search.locator(".widget-html-content:has(table):has-text('hits.')")
    before = lines.inner_text()
    box.fill("الشراكة")  # matched in the normalised form: والشراكة, بالشراكة, شراكتنا hit too
    box.press("Enter")
    text = _until(page, lambda: (t := lines.inner_text()) != before and "العقوبات" not in t and t)
    assert text and "الشراكة" in text, text
    hits = int(text.split(" hits.")[0].split()[-1].replace(",", ""))
    rows = lines.locator("tr").all()[1:]
    assert hits >= 2 and len(rows) == hits
    words = [row.locator("td").nth(1).inner_text() for row in rows]
    assert all("شراك" in w for w in words), words
    assert any(w != "الشراكة" for w in words), f"only the exact form was found: {words}"  # clitics and suffixes hit
    chart = search.locator(".js-plotly-plot").first
    bars = json.loads(_until(page, lambda: (b := chart.evaluate(BARS)) and sum(sum(t[2]) for t in json.loads(b)) == hits and b) or chart.evaluate(BARS))
    assert sum(sum(trace[2]) for trace in bars) == hits, bars  # the chart counts the same hits by source and month
    assert all(trace[0] for trace in bars)
    chooser = search.locator(".widget-dropdown:has(label:text-is('Open')) select")
    options = chooser.locator("option").all_inner_texts()
    assert len(options) == hits
    pick = max(i for i, w in enumerate(words) if w != "الشراكة")  # a later line, whose hit carries a clitic or suffix
    chooser.select_option(index=pick)
    reader = search.locator(".widget-html-content:has(mark[title='search hit'])")
    marks = reader.locator("mark[title='search hit']")
    _until(page, lambda: marks.count() == 1 and marks.inner_text() == words[pick])
    assert marks.count() == 1 and marks.inner_text() == words[pick]
    sentence = reader.locator("span:has(> mark[title='search hit'])").inner_text()
    assert words[pick] in sentence
    # the reader shows the line's hit with its context around it (white space aside: lines and paragraphs)
    left, right = rows[pick].locator("td").nth(0).inner_text(), rows[pick].locator("td").nth(2).inner_text()
    squeezed = "".join(reader.inner_text().split())
    assert "".join((left[-30:] + words[pick] + right[:30]).split()) in squeezed, (left, words[pick], right)
    assert marks.is_visible()
    shoot(page, "01_corpus-search-hit-in-reader")
