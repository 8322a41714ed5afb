"""The notebooks run on another corpus: papermill injects CORPUS and runs each one to the end."""

from pathlib import Path

import papermill
import pytest

from .conftest import ROOT

ARTICLES = {
    "uzbek_visit.txt": "ميرضيائيف يستقبل المستشار الألماني في سمرقند\nتاريخ النشر: 3rd, May 2024 GMT\n"
    "استقبل الرئيس الأوزبكي شوكت ميرضيائيف المستشار الألماني أولاف شولتس في سمرقند، ووصف ألمانيا بأنها شريك موثوق.\n"
    "وقال ميرضيائيف إن حجم التبادل التجاري بين البلدين بلغ 1.2 مليار دولار العام الماضي.\n"
    "وانتقدت موسكو الزيارة، وقال المتحدث باسم الكرملين ديمتري بيسكوف إن الغرب يحاول إبعاد حلفاء روسيا.\nالمصدر: وكالة الأنباء\n",
    "kyrgyz_trade.txt": "قيرغيزستان وروسيا توقعان اتفاقيات جديدة\n١٥ كانون الأول ٢٠٢٣\n"
    "وقع الرئيس القيرغيزي صدر جباروف والرئيس الروسي فلاديمير بوتين في بيشكيك عدة اتفاقيات للتعاون في مجال الطاقة.\n"
    "وأكد جباروف أن التجارة مع روسيا بلغت 3.5 مليار دولار، فيما تلتزم بيشكيك بالعقوبات الغربية بحسب مصادر أوروبية.\n",
    "empty_of_actors.txt": "الطقس في ألماتي\nتشهد المدينة تساقطا للثلوج هذا الأسبوع.\n",
}
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def other_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("other_corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_another_corpus(notebook, other_corpus, tmp_path):
    output = tmp_path / notebook.name
    papermill.execute_notebook(str(notebook), str(output), parameters={"CORPUS": str(other_corpus), "LABELS": "ar"}, cwd=str(notebook.parent), progress_bar=False, kernel_name="python3")
    text = output.read_text(encoding="utf-8")
    assert "Annotated(articles=3" in text
    assert '"output_type": "error"' not in text
