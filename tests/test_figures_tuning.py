"""Figure rules pinned on real sentences of the figures tuning set (tests/tuning_figures, gold written by
reading the articles): expected values come from that gold, not from the kit."""

from pathlib import Path

import pandas as pd
import pytest

from kit.analysis.gold import read_gold
from kit.analysis.validation import validate
from kit.extract.figures import parse_figures

TUNING = Path(__file__).parent / "tuning_figures"
GOLD = pd.read_csv(TUNING / "gold_figures.csv")


def gold_row(article_id: str, surface: str, n: int = 0) -> pd.Series:
    return GOLD[(GOLD["article_id"] == article_id) & (GOLD["surface"] == surface)].iloc[n]


def sentence_of(article_id: str, surface: str) -> str:
    """The line of the article that holds the gold surface (the test reads the real text)."""
    text = (TUNING / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
    row = gold_row(article_id, surface)
    start = text.rfind("\n", 0, int(row["start"])) + 1
    end = text.find("\n", int(row["end"]))
    return text[start : end if end >= 0 else len(text)]


def figure(text: str, surface: str, published=None) -> pd.Series:
    table = parse_figures(text, published=published)
    found = table[table["surface"] == surface]
    assert len(found), f"{surface!r} not found in {list(table['surface'])}"
    return found.iloc[0]


def test_gold_offsets_hold_and_only_the_figures_layer_is_scored():
    gold = read_gold(TUNING)
    assert len(gold.figures) == len(GOLD) and set(gold.split["split"]) == {"tuning"}
    for row in gold.figures.itertuples():
        assert gold.texts[row.article_id][row.start : row.end] == row.surface
    result = validate(None, TUNING, errors_dir=None, n_boot=10)
    assert set(result.table["measure"]) == {m for m in result.table["measure"] if m.startswith("figures")}


@pytest.mark.parametrize("article_id,surface", [
    ("f17_elmadanews", "103 مليون و508 ألف و438 برميلاً"),
    ("f17_elmadanews", "8 مليارات و25 مليونا و616 ألف دولار"),
    ("f17_elmadanews", "مليونا و19 ألفا و132 برميلا"),
    ("f17_elmadanews", "3 ملايين و338 ألفا و982 برميلا"),
    ("f18_kurdistan24", "6 مليار و962 مليون و124 دولاراً"),
])
def test_a_number_written_in_parts_of_falling_scales_is_one_figure(article_id, surface):
    row = figure(sentence_of(article_id, surface), surface)
    assert row["value"] == pytest.approx(gold_row(article_id, surface)["value"], rel=1e-6)


def test_a_part_without_a_scale_word_needs_a_unit_after_it():
    # «5 ملايين و2020» must not become 5 002 020: the last part of a compound is followed by its unit
    table = parse_figures("وبلغت الصادرات 3 ملايين و338 ألفا في 2020 و2021", published="2021-06-01")
    assert 3338000 in set(table["value"]) and not any(v > 3338000 for v in table["value"])


@pytest.mark.parametrize("surface", ["2ر14 بالمئة", "5ر87 مليون دينار", "2ر1162 مليون دينار", "4ر208 مليون دينار"])
def test_a_decimal_written_fraction_first_with_ra(surface):
    row = figure(sentence_of("f10_alarrabnews", surface), surface)
    assert row["value"] == pytest.approx(gold_row("f10_alarrabnews", surface)["value"], rel=1e-9)
    assert "fraction first" in row["flag"]


def test_dinar_is_a_currency_not_a_count():
    row = figure(sentence_of("f10_alarrabnews", "709 ملايين دينار"), "709 ملايين دينار")
    assert row["unit"] in ("JOD", "KWD", "IQD", "BHD", "LYD", "TND", "DZD") and row["kind"] == "trade"


@pytest.mark.parametrize("article_id,surface", [
    ("f04_albayan", "3 مليارات دولار"),
    ("f06_enterprise", "2.77 مليار دولار"),
    ("f06_enterprise", "5.2 مليار دولار"),
    ("f05_alhayat", "4.975 بليون دولار"),
    ("f08_enterprise", "2.6 مليار دولار"),
])
def test_a_loan_is_a_loan_not_aid(article_id, surface):
    assert gold_row(article_id, surface)["kind"] == "loan"
    assert figure(sentence_of(article_id, surface), surface)["kind"] == "loan"


@pytest.mark.parametrize("article_id,surface", [("f22_lebanon24", "0.3%"), ("f20_marsalqatar", "2.9٪"), ("f23_diez24", "2.1%")])
def test_a_price_index_change_is_a_rate(article_id, surface):
    assert figure(sentence_of(article_id, surface), surface)["kind"] == gold_row(article_id, surface)["kind"] == "rate"


def test_a_percent_from_another_percent_is_not_a_share():
    surface = "8.4 في المئة"
    assert figure(sentence_of("f21_uacorg", surface), surface)["kind"] == gold_row("f21_uacorg", surface)["kind"] == "rate"


@pytest.mark.parametrize("surface", ["34 دولارا", "33 دولارا"])
def test_money_per_barrel_is_a_price(surface):
    assert figure(sentence_of("f19_liban8", surface), surface)["kind"] == gold_row("f19_liban8", surface)["kind"] == "price"


def test_barrels_exported_are_energy_not_trade():
    surface = "1.7 مليار برميل"
    assert figure(sentence_of("f19_liban8", surface), surface)["kind"] == gold_row("f19_liban8", surface)["kind"] == "energy"


@pytest.mark.parametrize("article_id,surface,published", [
    ("f16_darelhilal", "32.186 مليون برميل", "2018-04-23"),
    ("f18_kurdistan24", "102 مليون و150 ألف و362 برميلاً", "2025-10-26"),
    ("f06_enterprise", "2.77 مليار دولار", "2020-09-01"),
])
def test_a_month_named_with_almadi_is_the_last_such_month_before_publication(article_id, surface, published):
    row = figure(sentence_of(article_id, surface), surface, published)
    assert row["year"] == gold_row(article_id, surface)["year"] and row["year_basis"] == "relative"


def test_a_target_within_the_next_years_has_no_year():
    surface = "عشرين مليار دولار"  # «إلى عشرين مليار دولار خلال السنوات الثلاث القادمة»
    row = figure(sentence_of("f14_unaoic", surface), surface, "2015-04-21")
    assert pd.isna(gold_row("f14_unaoic", surface)["year"]) and pd.isna(row["year"]) and row["year_basis"] == "vague"


def test_a_percent_after_al_is_still_a_figure():
    row = figure(sentence_of("f26_fhrsh", "10%"), "10%")
    assert row["value"] == 10 and row["kind"] == "share"


@pytest.mark.parametrize("article_id,surface", [("f05_alhayat", "13 ولاية"), ("f07_elbalad", "23 صومعة"), ("f24_lebanonpress", "125 متحدثا")])
def test_counted_nouns(article_id, surface):
    assert figure(sentence_of(article_id, surface), surface)["value"] == gold_row(article_id, surface)["value"]


def lines_of(article_id: str, first: str, last: str) -> str:
    """The lines of the article from the one holding gold surface `first` to the one holding `last`."""
    text = (TUNING / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
    start = text.rfind("\n", 0, int(gold_row(article_id, first)["start"])) + 1
    end = text.find("\n", int(gold_row(article_id, last)["end"]))
    return text[start : end if end >= 0 else len(text)]


def article(article_id: str) -> str:
    return (TUNING / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("article_id,surface", [("f16_darelhilal", "9.533 مليون برميل"), ("f15_centersweden", "10.3 مليون برميل")])
def test_oil_produced_is_energy_not_production(article_id, surface):
    # «من حيث إنتاج النفط بإنتاج 9.533 مليون برميل يوميا», «السعودية تنتج 10.3 مليون برميل يوميًا»
    assert figure(sentence_of(article_id, surface), surface)["kind"] == gold_row(article_id, surface)["kind"] == "energy"


@pytest.mark.parametrize("article_id,first,surface", [
    ("f13_emediatc", "67.334 مليار دولار", "100 مليار"),  # «ليرتفع من 100 مليار سنوياً إلى 200 مليار», two lines after the dollars
    ("f02_aajsy", "35 مليار دولار", "20 مليارا"),  # «وخصص نحو 20 مليارا لآسيا»
])
def test_a_bare_billion_takes_the_unit_of_the_articles_figure_before_it(article_id, first, surface):
    row = figure(lines_of(article_id, first, surface), surface, "2024-01-01")
    gold = gold_row(article_id, surface)
    assert (row["unit"], row["kind"]) == (gold["unit"], gold["kind"]) and "in the article" in row["flag"]


@pytest.mark.parametrize("surface", ["2ر14 بالمئة", "709 ملايين دينار", "607 ملايين دينار", "5ر102 مليون دينار", "230 مليون دينار"])
def test_an_undated_page_is_of_the_year_after_the_one_it_calls_last_year(surface):
    # «607 ملايين دينار للفترة ذاتها من عام 2009 الماضي»: «العام الحالي» and «نيسان الماضي» are of 2010
    assert figure(article("f10_alarrabnews"), surface)["year"] == gold_row("f10_alarrabnews", surface)["year"]


def test_an_undated_page_is_of_the_year_it_calls_current():
    # «وفقا لنتائج الـ11 شهرا من عام 2022 الحالي»: the record trade of the first line is of 2022
    surface = "172 مليار دولار"
    assert figure(article("f13_emediatc"), surface)["year"] == gold_row("f13_emediatc", surface)["year"] == 2022


@pytest.mark.parametrize("article_id,surface", [("f10_alarrabnews", "4ر208 مليون دينار"), ("f10_alarrabnews", "1ر912 مليون دينار"), ("f12_nile", "4.9 مليار دولار")])
def test_the_same_period_is_the_year_named_before_it_unless_a_year_follows(article_id, surface):
    # «مقابل 4ر208 مليون دينار لفترة المقارنة ذاتها» (2009, named before); «في نفس الفترة من 2024»
    assert figure(article(article_id), surface)["year"] == gold_row(article_id, surface)["year"]


@pytest.mark.parametrize("surface", ["4ر27 بالمئة", "2ر1162 مليون دينار"])
def test_what_follows_muqabil_is_the_comparison_not_the_figures_year(surface):
    # «ارتفعت قيمة المستوردات ... بنسبة 4ر27 بالمئة الى 2ر1162 مليون دينار مقابل 1ر912 مليون دينار لفترة المقارنة ذاتها»
    assert figure(article("f10_alarrabnews"), surface)["year"] == gold_row("f10_alarrabnews", surface)["year"] == 2010


def test_the_level_a_target_starts_from_is_not_of_the_targets_year():
    # «وضعا مهمة مضاعفة حجم التبادل التجاري بين البلدين، ليرتفع من 100 مليار سنوياً إلى 200 مليار بحلول عام 2024»
    text = lines_of("f13_emediatc", "67.334 مليار دولار", "100 مليار")
    start, target = figure(text, "100 مليار", "2022-12-07"), figure(text, "200 مليار", "2022-12-07")
    assert pd.isna(gold_row("f13_emediatc", "100 مليار")["year"]) and pd.isna(start["year"]) and start["year_basis"] == "per period"
    assert target["year"] == gold_row("f13_emediatc", "200 مليار")["year"] == 2024


def test_a_value_word_names_the_value_of_the_thing_before_it():
    # «ووقع اتفاقا بشأن مشروع مشترك مع مجموعة سي.اي.تي.اي.سي الصينية بقيمة عشرة مليارات دولار» in a sentence
    # about the fund's investments (the dots of the initials do not end the clause)
    surface = "عشرة مليارات دولار"
    assert figure(sentence_of("f02_aajsy", surface), surface)["kind"] == gold_row("f02_aajsy", surface)["kind"] == "project_value"
    # «وافق على توفير 80 مليون دولار لمصر لإنشاء 23 صومعة بقيمة 80 مليون دولار»: the aid, then the silos' value
    table = parse_figures(sentence_of("f07_elbalad", "80 مليون دولار"))
    kinds = table.loc[table["surface"] == "80 مليون دولار", "kind"].tolist()
    assert kinds == [gold_row("f07_elbalad", "80 مليون دولار", n)["kind"] for n in (0, 1)] == ["aid", "project_value"]


def test_an_amount_quoted_alone_is_of_the_kind_the_article_reports_it_with():
    # headline and lead «“20 مليار دولار وربما أكثر”», then «أعلن ترامب عن استثمار جديد يبلغ 20 مليار دولار»
    table = parse_figures(article("f03_arabkhabar"), published="2025-01-08")
    kinds = table.loc[table["surface"] == "20 مليار دولار", "kind"].tolist()
    assert kinds == [gold_row("f03_arabkhabar", "20 مليار دولار", n)["kind"] for n in range(3)] == ["investment"] * 3


@pytest.mark.parametrize("surface", ["46 دولارا", "44 دولارا"])
def test_a_money_figure_takes_the_cue_of_its_own_clause(surface):
    # «إلا أن العوائد تراجعت ...، ومتوسط سعر شهري للبرميل عند 46 دولارا، ...، وبواقع 44 دولارا كمتوسط لسعر بيع البرميل»
    assert figure(sentence_of("f19_liban8", surface), surface)["kind"] == gold_row("f19_liban8", surface)["kind"] == "price"


def test_a_headline_amount_takes_the_year_of_the_same_amount_its_body_dates():
    # headline «20 مليار دولار حجم التبادل التجاري بين باكستان والصين» restates the body's target «خلال السنوات الثلاث القادمة»
    table = parse_figures(article("f14_unaoic"), published="2015-04-21")
    rows = table[table["surface"] == "20 مليار دولار"]
    assert GOLD.loc[(GOLD["article_id"] == "f14_unaoic") & (GOLD["surface"] == "20 مليار دولار"), "year"].isna().all()
    assert rows["year"].isna().all() and rows.iloc[0]["year_basis"] == "same amount"


@pytest.mark.parametrize("surface", ["276 مليار ريال", "1.7 مليار برميل"])
def test_an_undated_figure_takes_the_year_of_a_later_figure_of_its_kind_when_none_before_dates_it(surface):
    # «بلغت عائدات المملكة ... منذ بداية العام وحتى نهاية شهر أغسطس الماضي نحو 276 مليار ريال» on an undated
    # page whose next sentence reports January's revenue and exports «في يناير 2016»
    row = figure(article("f19_liban8"), surface)
    assert row["year"] == gold_row("f19_liban8", surface)["year"] == 2016 and row["year_basis"] == "later sentence"


@pytest.mark.parametrize("surface", ["9.982 مليون برميل", "4.425 مليون برميل"])
def test_a_rate_per_day_stated_with_a_perfect_verb_of_amount_is_of_the_articles_year(surface):
    # «ولكن السعودية رفعت مستوى الإنتاج بواقع 9.982 مليون برميل يوميا» in an article of 2018-04-23; a rate
    # stated as a plan keeps no year (the dev sentences of test_figures.py: «ستصدر 1.2 مليار متر مكعب ... سنويا»)
    row = figure(sentence_of("f16_darelhilal", surface), surface, "2018-04-23")
    assert row["year"] == gold_row("f16_darelhilal", surface)["year"] == 2018 and row["year_basis"] == "published"
    assert pd.isna(figure(sentence_of("f16_darelhilal", surface), surface)["year"])  # undated: no year to give


def test_the_value_of_exports_is_trade_and_an_undated_page_dates_it_by_any_money_figure():
    # «إلا أن العوائد تراجعت قليلا في شهر يوليو الماضي بعد أن سجلت قيمة صادرات المملكة من النفط 40.1 مليار ريال»:
    # trade beside a revenue word; the page has no date, its revenue figures are of 2016
    row, gold = figure(article("f19_liban8"), "40.1 مليار ريال"), gold_row("f19_liban8", "40.1 مليار ريال")
    assert (row["kind"], row["year"]) == (gold["kind"], gold["year"]) == ("trade", 2016)


def test_a_change_of_no_named_measure_continues_the_rate_before_it():
    # «ارتفع مؤشر أسعار المستهلكين بنسبة 0.2% ...» then «حافظ المؤشر على وتيرة ارتفاعه البالغة 2.7%» and
    # «توقعات المحللين ... كانت تشير إلى زيادة شهرية قدرها 0.2% وارتفاع سنوي بنسبة 2.8%»: rates of the index
    table = parse_figures(article("f22_lebanon24"), published="2025-08-12")
    gold = GOLD[GOLD["article_id"] == "f22_lebanon24"]
    assert table["surface"].tolist() == gold["surface"].tolist() and table["kind"].tolist() == gold["kind"].tolist()
    # «وكان الخبراء يتوقعون أن تتراجع النسبة بشكل طفيف إلى 5.7%» after the core inflation's «لتصل إلى 6.2%»
    assert figure(article("f23_diez24"), "5.7%")["kind"] == gold_row("f23_diez24", "5.7%")["kind"] == "rate"
    # a change whose sentence names its measure keeps it: «ارتفع بنسبة 0.4%» of the output, with no rate before it
    assert figure(article("f23_diez24"), "0.4%")["kind"] == gold_row("f23_diez24", "0.4%")["kind"] == "growth"


def test_financing_with_no_other_cue_continues_the_loan_of_the_sentence_before():
    # «وقعت مصر اتفاق قرض بقيمة 1.5 مليار دولار ... وسيقسم التمويل الجديد بواقع 800 مليون دولار للمنتجات البترولية، و700 مليون دولار»
    text = sentence_of("f08_enterprise", "800 مليون دولار")
    for surface in ("800 مليون دولار", "700 مليون دولار"):
        assert figure(text, surface, "2022-02-16")["kind"] == gold_row("f08_enterprise", surface)["kind"] == "loan"
    # the silos' fund of f07 follows no loan figure: aid
    surface = "80 مليون دولار"
    assert figure(article("f07_elbalad"), surface)["kind"] == gold_row("f07_elbalad", surface)["kind"] == "aid"
