"""kit.io.corpus: every input ends up in the corpus or in corpus.errors, with metadata read from the page."""

import json
import shutil

import pandas as pd
import pytest

import kit
from kit.io.corpus import ARTICLE_COLUMNS

from .conftest import SEED_IDS, SEEDS

ARABIC = "وقال وزير الخارجية الروسي سيرغي لافروف إن الغرب يحاول إبعاد جيران روسيا عنها.\n"


def test_bundled_seeds_load_with_their_metadata():
    corpus = kit.load_corpus()
    articles = corpus.articles.set_index("article_id")
    assert sorted(articles.index) == SEED_IDS
    assert len(corpus.errors) == 0
    assert list(corpus.articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    published = articles["published"].dt.strftime("%Y-%m-%d")
    assert published["002_e6f550ea9df77be0"] == "2023-11-12"
    assert published["003_187d395c4a0346df"] == "2023-11-10"
    assert published["004_2fa40185600453ab"] == "2023-04-11"
    assert articles.loc["003_187d395c4a0346df", "source"] == "وكالة الصحافة المستقلة"
    assert articles.loc["003_187d395c4a0346df", "url"].startswith("https://www.thestar.com/")
    assert articles.loc["004_2fa40185600453ab", "source"] == "تاس"
    assert (articles["n_chars"] == articles["text"].str.len()).all()
    for article_id in SEED_IDS:  # the stored text is the file, decoded
        assert articles.loc[article_id, "text"] == (SEEDS / f"{article_id}.txt").read_text(encoding="utf-8")


def test_metadata_is_inferred_from_the_page_without_metadata_csv(tmp_path):
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    articles = kit.load_corpus(tmp_path).articles.set_index("article_id")
    published = articles["published"].dt.strftime("%Y-%m-%d").fillna("")
    assert published["002_e6f550ea9df77be0"] == "2023-11-12"  # تاريخ النشر: 12th, November 2023 GMT
    assert published["003_187d395c4a0346df"] == "2023-11-10"
    assert published["004_2fa40185600453ab"] == "2023-04-11"  # ١١ أبريل ٢٠٢٣ (Arabic-Indic digits)
    assert published["000_cea7cba6d4a6a0b3"] == ""  # not printed: NaT, not a guess
    assert articles.loc["004_2fa40185600453ab", "title"].startswith("لافروف يبحث العلاقات")  # not "Ru En"
    assert articles.loc["001_911741716f96cebe", "title"] == "ماكرون يزور كازاخستان في جولة استراتيجية بآسيا الوسطى"
    assert articles.loc["000_cea7cba6d4a6a0b3", "source"] == "سكاي نيوز عربية"
    assert articles.loc["002_e6f550ea9df77be0", "source"] == "موقع 24"
    assert pd.isna(articles.loc["001_911741716f96cebe", "source"])  # its المصدر line is empty
    assert articles.loc["003_187d395c4a0346df", "url"].startswith("https://www.thestar.com/news/world/europe/putin")


def test_published_dates_in_both_month_series(tmp_path):
    (tmp_path / "levant.txt").write_text("عنوان الخبر\n١٥ كانون الأول ٢٠٢٢\nنص الخبر هنا.\n", encoding="utf-8")
    (tmp_path / "egypt.txt").write_text("عنوان الخبر\nنوفمبر 10, 2023\nنص الخبر هنا.\n", encoding="utf-8")
    published = kit.load_corpus(tmp_path).articles.set_index("article_id")["published"].dt.strftime("%Y-%m-%d")
    assert published["levant"] == "2022-12-15"
    assert published["egypt"] == "2023-11-10"


def test_broken_files_are_decoded_or_listed_with_their_reason(tmp_path):
    (tmp_path / "windows.txt").write_bytes(ARABIC.encode("cp1256"))
    (tmp_path / "excel_unicode.txt").write_bytes(ARABIC.encode("utf-16"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    corpus = kit.load_corpus(tmp_path)
    articles = corpus.articles.set_index("article_id")
    assert sorted(articles.index) == ["excel_unicode", "windows"]
    assert articles.loc["windows", "text"] == ARABIC
    assert articles.loc["windows", "encoding"] == "cp1256"
    assert articles.loc["excel_unicode", "text"] == ARABIC
    errors = corpus.errors.set_index(corpus.errors["path"].str.rsplit("/", n=1).str[-1])
    assert "empty file" in errors.loc["empty.txt", "reason"]
    assert "binary" in errors.loc["image.txt", "reason"]
    assert "not a .txt file" in errors.loc["notes.docx", "reason"]
    assert all(str(tmp_path) in reason for reason in corpus.errors["reason"])  # each names its file
    assert len(articles) + (corpus.errors["level"] == "error").sum() == 5  # nothing dropped silently


def test_csv_without_text_column_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("title,body\nعنوان,نص\n", encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert len(corpus.articles) == 0
    assert corpus.errors["reason"].str.contains("no 'text' column").all()
    assert corpus.errors["reason"].str.contains(str(path), regex=False).all()


def test_csv_rows_load_and_a_malformed_row_is_reported_with_its_line(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        'article_id,title,published,text,section\n'
        'a1,عنوان أول,2023-11-10,"سطر أول.\nسطر ثان.",سياسة\n'
        "a2,عنوان ثان,١١ أبريل ٢٠٢٣\n"
        'a3,,not a date,"زار بوتين كازاخستان.",اقتصاد\n',
        encoding="utf-8",
    )
    corpus = kit.load_corpus(path)
    articles = corpus.articles.set_index("article_id")
    assert list(articles.index) == ["a1", "a3"]
    assert articles.loc["a1", "text"] == "سطر أول.\nسطر ثان."
    assert articles.loc["a1", "section"] == "سياسة"  # extra columns are kept
    assert articles.loc["a1", "published"] == pd.Timestamp("2023-11-10")
    bad = corpus.errors.set_index("row")
    assert "line 4: expected 5 fields, found 3" in bad.loc[4, "reason"]
    assert bad.loc[5, "level"] == "warning" and "not a date" in bad.loc[5, "reason"]


def test_jsonl_with_one_malformed_line(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"article_id": "x1", "text": "زار بوتين كازاخستان.", "source": "تاس"}, ensure_ascii=False),
        '{"article_id": "x2", "text": "نص مقطوع',
        json.dumps({"article_id": "x3", "text": ""}),
        json.dumps({"article_id": "x4", "text": "التقى ماكرون توكاييف."}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["x1", "x4"]
    assert corpus.articles.set_index("article_id").loc["x1", "source"] == "تاس"
    reasons = corpus.errors.set_index("row")["reason"]
    assert "line 2: not valid JSON" in reasons[2]
    assert "empty or missing text" in reasons[3]


def test_parquet_and_dataframe_inputs(tmp_path):
    frame = pd.DataFrame({"text": ["زار بوتين كازاخستان.", "التقى ماكرون توكاييف."], "source": ["تاس", None]})
    frame.to_parquet(tmp_path / "corpus.parquet")
    from_parquet = kit.load_corpus(tmp_path / "corpus.parquet").articles
    from_frame = kit.load_corpus(frame).articles
    assert list(from_parquet["article_id"]) == ["corpus:1", "corpus:2"]
    assert list(from_parquet["text"]) == list(from_frame["text"]) == list(frame["text"])
    assert from_parquet["source"].iloc[0] == "تاس"


def test_metadata_csv_overrides_inferred_values_and_reports_unknown_ids(tmp_path):
    (tmp_path / "a.txt").write_text("عنوان من النص\nتاريخ النشر: 12th, November 2023 GMT\nنص.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "article_id,title,published,outlet_country\na,عنوان مصحح,,AE\nmissing,عنوان,,\n", encoding="utf-8"
    )
    corpus = kit.load_corpus(tmp_path)
    article = corpus.articles.iloc[0]
    assert article["title"] == "عنوان مصحح"
    assert article["published"] == pd.Timestamp("2023-11-12")  # empty cell: the inferred date stays
    assert article["outlet_country"] == "AE"
    assert corpus.errors["reason"].str.contains("no article with id 'missing'").any()


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        kit.load_corpus(tmp_path / "nope")


def test_csv_row_left_open_by_a_quotation_mark_says_how_far_it_runs(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text('article_id,text\na1,"زار بوتين كازاخستان.\na2,التقى ماكرون توكاييف.\na3,نص ثالث.\n', encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["a2", "a3"]  # the rows after it are read again, not swallowed
    assert "line 2: a quotation mark is left open (the row runs on to the end of the file, line 4)" in corpus.errors["reason"].iloc[0]
    bad = corpus.errors.iloc[0]
    assert bad["row"] == 2 and str(path) in bad["reason"]


def test_csv_row_with_text_after_a_closing_quotation_mark_is_reported_and_the_next_rows_load(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text('article_id,text\na1,"زار بوتين" كازاخستان.\na2,التقى ماكرون توكاييف.\n', encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["a2"]
    assert "line 2: not readable as CSV" in corpus.errors.set_index("row").loc[2, "reason"]


def test_hidden_files_are_listed_not_read(tmp_path):
    shutil.copy(SEEDS / "002_e6f550ea9df77be0.txt", tmp_path / "002.txt")
    shutil.copy(SEEDS / "004_2fa40185600453ab.txt", tmp_path / ".draft.txt")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    corpus = kit.load_corpus(tmp_path)
    assert corpus.articles["article_id"].tolist() == ["002"]
    listed = corpus.errors.set_index("path")
    assert listed.loc[str(tmp_path / ".draft.txt"), "level"] == "warning"
    assert "hidden file, not read" in listed.loc[str(tmp_path / ".draft.txt"), "reason"]
    assert "hidden folder" in listed.loc[str(tmp_path / ".git"), "reason"]
    assert str(tmp_path / ".git" / "HEAD") not in listed.index  # one line for the folder, not one per file
