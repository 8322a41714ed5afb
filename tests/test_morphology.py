"""kit.arabic.morphology: camel-tools' real MorphologyDB/Analyzer, used when a database is installed.

camel-tools reads $CAMELTOOLS_DATA once, when camel_tools.data is first imported, so each case runs in a
fresh interpreter with its own data folder: one holding a tiny database in camel-tools' own text format
(tests/data/tiny_morphology.db, with a catalogue.json like `camel_data` writes), one holding nothing.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap

from .conftest import ROOT

TINY_DB = ROOT / "tests" / "data" / "tiny_morphology.db"


def run_with_camel_data(data_dir, code: str) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CAMELTOOLS_DATA": str(data_dir), "HOME": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def install_tiny_database(data_dir):
    target = data_dir / "data" / "morphology_db" / "kit-tiny"
    target.mkdir(parents=True)
    shutil.copy(TINY_DB, target / "morphology.db")
    catalogue = {"version": "test", "packages": {}, "components": {"MorphologyDB": {"default": "kit-tiny", "datasets": {"kit-tiny": {"path": "morphology_db/kit-tiny"}}}}}
    (data_dir / "catalogue.json").write_text(json.dumps(catalogue))


def test_without_camel_data_the_kit_runs_and_reports_no_analyser(tmp_path):
    out = run_with_camel_data(tmp_path, """
        import kit
        from kit.arabic.morphology import Morphology, find_database
        print(find_database(), Morphology.installed(), len(kit.load().sentences) > 0)
    """)
    assert out.split() == ["None", "None", "True"]


def test_installed_database_splits_clitics_with_the_real_analyser(tmp_path):
    install_tiny_database(tmp_path)
    out = run_with_camel_data(tmp_path, """
        from kit.arabic.morphology import Morphology
        m = Morphology.installed()
        print(type(m.analyzer).__module__, type(m.analyzer).__name__)
        for word in ["وبموسكو", "أبموسكو", "الأوزبك", "للطاجيك", "الروسية", "بوتين"]:
            print(word, *[f"{s.prefix_length}:{s.stem}:{s.lemma}" for s in m.splits(word)])
    """)
    lines = out.strip().splitlines()
    assert lines[0] == "camel_tools.morphology.analyzer Analyzer"
    splits = dict(line.split(" ", 1) for line in lines[1:])
    assert splits["وبموسكو"] == "2:موسكو:موسكو"  # و + ب + موسكو
    assert splits["أبموسكو"] == "2:موسكو:موسكو"  # interrogative أ + ب: no rule covers it, the analyser does
    assert splits["الأوزبك"] == "2:اوزبك:اوزبكي"  # broken plural: lemma is the nisba أوزبكي
    assert splits["للطاجيك"] == "2:طاجيك:طاجيكي"
    assert splits["الروسية"] == "2:روسي:روسي"
    assert splits["بوتين"] == "0:بوتين:بوتين"  # ب is part of the name, not a clitic


def test_annotation_uses_the_analyser_for_words_no_rule_splits(tmp_path):
    # أبموسكو: interrogative أ + preposition ب + موسكو; the rules know و/ف + ب/ك/ل only
    code = """
        import pandas as pd, kit
        corpus = kit.load_corpus(pd.DataFrame({"text": ["هل سيلتقي الوفد أبموسكو أم بكين؟"]}))
        mentions = kit.annotate(corpus).mentions
        print(*[f"{r.surface}:{r.actor_id}:{r.method}" for r in mentions.itertuples()])
    """
    without = run_with_camel_data(tmp_path / "empty", code).split()
    install_tiny_database(tmp_path / "installed")
    with_db = run_with_camel_data(tmp_path / "installed", code).split()
    assert without == ["بكين:CHN:metonym"]
    assert with_db == ["موسكو:RUS:morphology", "بكين:CHN:metonym"]
