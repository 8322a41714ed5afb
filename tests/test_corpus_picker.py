"""kit.dashboards.picker: opening a corpus without code — path box, entries, upload, Load, summary and errors."""

import io
import zipfile

import pandas as pd

from kit.dashboards.picker import CorpusPicker, readable_entries, unpack_upload

SEED_SENTENCE = "زار الرئيس الروسي فلاديمير بوتين كازاخستان وقال إن الشراكة مع أستانا استراتيجية."


def test_the_picker_opens_the_seeds_at_once_and_lists_what_a_folder_holds(tmp_path):
    picker = CorpusPicker(progress=False)
    assert len(picker.corpus.articles) == 5 and "<b>5</b> articles from the bundled seed articles" in picker.summary.value
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "one.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (tmp_path / "table.csv").write_text("text\n" + SEED_SENTENCE + "\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.csv").write_text("text\nx\n", encoding="utf-8")
    assert [p.name for p in readable_entries(tmp_path)] == ["texts", "table.csv"]
    picker.path.value = str(tmp_path)
    assert [label for label, _ in picker.entries.options] == ["texts/", "table.csv"]
    picker.entries.value = str(tmp_path / "table.csv")  # choosing an entry puts it in the path box
    picker.load()
    assert len(picker.corpus.articles) == 1 and "from " + str(tmp_path / "table.csv") in picker.summary.value


def test_errors_are_shown_with_the_summary_and_a_missing_path_says_so(tmp_path):
    table = tmp_path / "mixed.csv"
    table.write_text(f"text,published\n{SEED_SENTENCE},2023-11-10\n,2023-11-11\n", encoding="utf-8")
    picker = CorpusPicker(table, progress=False)
    assert len(picker.corpus.articles) == 1 and len(picker.corpus.errors) >= 1
    assert "<table>" in picker.summary.value and "mixed.csv" in picker.summary.value
    picker.path.value = str(tmp_path / "nowhere")
    assert picker.load() is None and "no such file or folder" in picker.summary.value


def test_an_uploaded_zip_unpacks_only_its_txt_members_inside_its_folder(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("news/one.txt", SEED_SENTENCE)
        archive.writestr("news/two.txt", "وانتقد لافروف العقوبات الغربية على روسيا.")
        archive.writestr("../escape.txt", "outside")
        archive.writestr("news/run.sh", "rm -rf /")
    folder = unpack_upload("../../upload.zip", buffer.getvalue(), tmp_path / "uploads")
    assert folder == tmp_path / "uploads" / "upload"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == ["news/one.txt", "news/two.txt"]
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "uploads" / "escape.txt").exists()
    picker = CorpusPicker(progress=False)
    picker._uploaded({"new": [{"name": "news.zip", "content": memoryview(buffer.getvalue())}]})
    assert len(picker.corpus.articles) == 2
    texts = pd.Series(picker.corpus.articles["text"]).tolist()
    assert SEED_SENTENCE in texts
