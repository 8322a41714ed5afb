"""kit.actors: catalogue as data, mentions that survive Arabic morphology, discovery by title, helpers."""

import pandas as pd
import pytest

import kit
from kit.actors import Catalogue, actor_counts, cooccurrence, discovered_actors
from kit.annotation import Resources, annotate_article
from kit.lexicons import LexiconError
from kit.segments import default_segmenter

from .conftest import read_gold, report

HEADER = "actor_id,name_en,name_ar,aliases,nisba,metonyms,type,country,bloc,role,valid_from,valid_to\n"


def body_mentions(annotated) -> pd.DataFrame:
    return annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])


def mentions_of(text: str, published="2024-05-01", catalogue: Catalogue | None = None) -> pd.DataFrame:
    resources = Resources(catalogue or Catalogue.load(), default_segmenter())
    rows = annotate_article("t", text, pd.Timestamp(published), resources)["mentions"]
    return kit.annotation.table_from_rows("mentions", rows)


def test_catalogue_covers_the_seeds_gold_list(annotated):
    gold = read_gold("actors_gold.csv")
    expected = set(zip(gold.loc[gold["segment"] == "body", "article_id"], gold.loc[gold["segment"] == "body", "actor_id"]))
    body = body_mentions(annotated)
    found = set(zip(body["article_id"], body["actor_id"]))
    hits = len(expected & found)
    precision, recall = hits / len(found), hits / len(expected)
    report(f"actors, seed bodies: precision {precision:.3f} recall {recall:.3f} ({hits} of {len(expected)} gold (article, actor) pairs, {len(found)} found)")
    assert recall >= 0.95, sorted(expected - found)
    assert precision >= 0.95, sorted(found - expected)


def test_actors_of_the_unrelated_stories_are_not_body(annotated):
    gold = read_gold("actors_gold.csv")
    in_body = set(zip(gold.loc[gold["segment"] == "body", "article_id"], gold.loc[gold["segment"] == "body", "actor_id"]))
    elsewhere = {pair for pair in zip(gold.loc[gold["segment"] == "non_body", "article_id"], gold.loc[gold["segment"] == "non_body", "actor_id"])}
    body = body_mentions(annotated)
    found = set(zip(body["article_id"], body["actor_id"]))
    assert not (elsewhere - in_body) & found
    everywhere = set(zip(annotated.mentions["article_id"], annotated.mentions["actor_id"]))
    assert {("000_cea7cba6d4a6a0b3", "MAR_BOURITA"), ("003_187d395c4a0346df", "RUS_PUTIN")} <= everywhere


def test_every_mention_points_back_into_its_article(annotated):
    texts = annotated.articles.set_index("article_id")["text"]
    sentences = annotated.sentences.set_index(["article_id", "sentence_id"])
    for row in annotated.mentions.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.surface
        sentence = sentences.loc[(row.article_id, row.sentence_id)]
        assert sentence["start"] <= row.start and row.end <= sentence["end"]


@pytest.mark.parametrize(
    "article_id, surface, actor_id, method",
    [
        ("004_2fa40185600453ab", "كازاخستان", "KAZ", "name"),  # روسيا وكازاخستان
        ("000_cea7cba6d4a6a0b3", "لغرب", "WEST", "name"),  # للغرب: ل + ال fused
        ("002_e6f550ea9df77be0", "القوقاز", "CAUCASUS", "name"),  # والقوقاز
        ("004_2fa40185600453ab", "بيلاروسيا", "BLR", "name"),  # وبيلاروسيا
        ("003_187d395c4a0346df", "توكاييف", "KAZ_TOKAYEV", "name"),  # بتوكاييف
        ("002_e6f550ea9df77be0", "فلاديمير بوتين", "RUS_PUTIN", "name"),  # ف and ب are part of the name
        ("004_2fa40185600453ab", "كييف", "UKR", "metonym"),  # ك is part of the name
        ("004_2fa40185600453ab", "لافروف", "RUS_LAVROV", "name"),  # title line «لافروف يبحث ...»: ل is part of the name
        ("000_cea7cba6d4a6a0b3", "الروسي", "RUS", "nisba"),
        ("001_911741716f96cebe", "الفرنسية", "FRA", "nisba"),
        ("004_2fa40185600453ab", "الكزاخستاني", "KAZ", "nisba"),  # the seed's own misspelling
        ("000_cea7cba6d4a6a0b3", "الغربية", "WEST", "nisba"),
        ("000_cea7cba6d4a6a0b3", "موسكو", "RUS", "metonym"),
        ("001_911741716f96cebe", "الكرملين", "RUS", "metonym"),
        ("004_2fa40185600453ab", "الكريملِن", "RUS", "metonym"),  # with a kasra
        ("000_cea7cba6d4a6a0b3", "أستانا", "KAZ", "metonym"),
        ("001_911741716f96cebe", "بكين", "CHN", "metonym"),
        ("000_cea7cba6d4a6a0b3", "الدول الغربية", "WEST", "name"),
        ("003_187d395c4a0346df", "الزعيم الروسي", "RUS_PUTIN", "role"),  # unnamed office holder on 2023-11-10
        ("004_2fa40185600453ab", "وزير خارجية كازاخستان", "KAZ_NURTLEU", "role"),  # in office since April 2023
    ],
)
def test_hard_cases_of_the_seeds(annotated, article_id, surface, actor_id, method):
    mentions = annotated.mentions[annotated.mentions["article_id"] == article_id]
    hits = mentions[mentions["surface"] == surface]
    assert ((hits["actor_id"] == actor_id) & (hits["method"] == method)).any(), hits[["actor_id", "method"]]


def test_proclitics_are_outside_the_surface_and_the_whole_word_wins():
    text = "وكازاخستان وبموسكو لروسيا والكرملين للكرملين بوتين فلاديمير بوتين لافروف كييف وبكين"
    found = mentions_of(text)
    assert found["surface"].tolist() == ["كازاخستان", "موسكو", "روسيا", "الكرملين", "لكرملين", "بوتين", "فلاديمير بوتين", "لافروف", "كييف", "بكين"]
    assert found["actor_id"].tolist() == ["KAZ", "RUS", "RUS", "RUS", "RUS", "RUS_PUTIN", "RUS_PUTIN", "RUS_LAVROV", "UKR", "CHN"]


def test_longest_match_wins():
    found = mentions_of("وفي اجتماع مع قاسم جومارت توكاييف رئيس كازاخستان")
    assert found[["surface", "actor_id"]].values.tolist() == [["قاسم جومارت توكاييف", "KAZ_TOKAYEV"], ["كازاخستان", "KAZ"]]


def test_phrases_that_only_look_like_actors_are_dropped():
    found = mentions_of("أحد القاطرات الرئيسية للتكامل الأوروبي الآسيوي، وزار الضفة الغربية، ثم الدول الأوروبية.")
    assert found[["surface", "actor_id"]].values.tolist() == [["الدول الأوروبية", "EUROPE"]]


def test_a_person_before_a_title_owns_it_only_when_the_role_agrees():
    found = mentions_of("التقى بوتين الرئيس الفرنسي في موسكو.", published="2023-11-01")
    assert found[["surface", "actor_id", "method"]].values.tolist() == [
        ["بوتين", "RUS_PUTIN", "name"], ["الرئيس الفرنسي", "FRA_MACRON", "role"], ["الفرنسي", "FRA", "nisba"], ["موسكو", "RUS", "metonym"]
    ]


REMOVED = ["KAZ_SMADIYAROV", "RUS_SHEVTSOV", "RUS_USHAKOV", "RUS_GALUZIN", "RUS_BORODAVKIN", "RUS_MISHUSTIN", "RUS_PESKOV", "RUS_LAVROV"]


@pytest.fixture(scope="module")
def reduced_catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "actors.csv"
    source = kit.lexicons.data_path("actors.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in source if line.split(",")[0] not in REMOVED), encoding="utf-8")
    return Catalogue.load(path)


@pytest.mark.parametrize(
    "name, role, country",
    [
        ("أيبيك سمادياروف", "الناطق الرسمي لوزارة الخارجية الكازاخستانية", "KAZ"),
        ("يوري أوشاكوف", "مساعد الرئيس الروسي للشؤون الدولية", "RUS"),
        ("ميخائيل غالوزين", "نائب وزير الخارجية الروسي", "RUS"),
        ("ميخائيل ميشوستين", "رئيس الوزراء الروسي", "RUS"),
        ("أليكسي بورودافكين", "السفير الروسي لدى جمهورية كازاخستان", "RUS"),
        ("دميتري بيسكوف", "السكرتير الصحفي للرئيس الروسي", "RUS"),
    ],
)
def test_people_missing_from_the_catalogue_are_discovered_by_title(seed_texts, reduced_catalogue, name, role, country):
    found = mentions_of(seed_texts["004_2fa40185600453ab"], "2023-04-11", reduced_catalogue)
    person = found[(found["surface"] == name) & (found["method"] == "title")]
    assert len(person) >= 1
    assert person["role"].iloc[0] == role and person["country"].iloc[0] == country
    assert person["actor_id"].iloc[0].startswith(f"NEW_{country}_")


def test_apposition_and_kremlin_titles_are_discovered(seed_texts, reduced_catalogue):
    shevtsov = mentions_of(seed_texts["001_911741716f96cebe"], "2023-11-01", reduced_catalogue)
    assert shevtsov.query("surface == 'ألكسندر شيفتسوف'")["role"].tolist() == ["نائب مجلس الأمن الروسي"]
    peskov = mentions_of(seed_texts["002_e6f550ea9df77be0"], "2023-11-12", reduced_catalogue)
    found = peskov[peskov["actor_id"].str.contains("BYSKWF")]
    assert found["surface"].tolist() == ["ديمتري بيسكوف", "بيسكوف"]  # the surname later is the same person
    assert set(found["country"]) == {"RUS"}


def test_unseen_central_asian_texts(tmp_path):
    gold = read_gold("actors_unseen.csv")
    expected = found_count = 0
    for text_id, rows in gold.groupby("text_id", sort=False):
        text = rows.loc[rows["kind"] == "text", "text"].iloc[0]
        found = mentions_of(text)
        wanted = rows[rows["kind"] == "mention"]
        for row in wanted.itertuples():
            expected += 1
            same = found["actor_id"].str.startswith("NEW_") if row.expected_actor_id == "NEW" else found["actor_id"] == row.expected_actor_id
            near = found["start"].map(lambda s: text.find(row.expected_surface, max(0, s - 3)) in range(max(0, s - 3), s + 1))
            hit = found[same & near]
            if len(hit):
                found_count += 1
                if row.expected_actor_id == "NEW":
                    assert hit["country"].iloc[0] == row.expected_country
                    assert row.expected_role.replace("ة", "").split()[0] in hit["role"].iloc[0].replace("ة", "")
        actors = found[found["actor_type"] != "region"]  # places (بحر قزوين) are mentions, not actors
        unexpected = actors[~actors["actor_id"].isin(set(wanted["expected_actor_id"])) & ~actors["actor_id"].str.startswith("NEW_")]
        assert unexpected.empty, (text_id, unexpected[["surface", "actor_id"]].values.tolist())
    report(f"actors, unseen Central Asian texts: recall {found_count / expected:.3f} ({found_count} of {expected} expected mentions, no unexpected actors)")
    assert found_count == expected


def test_researchers_add_actors_with_their_own_csv(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text(HEADER + "KAZ_DALER,Daler Juma,دالر جمعة,جمعة,,,person,TJK,central_asia,Energy Minister of Tajikistan,,\n", encoding="utf-8")
    corpus = kit.load_corpus(pd.DataFrame({"text": ["قال وزير الطاقة دالر جمعة إن المشروع سيكتمل."]}))
    annotated = kit.annotate(corpus, extra_actors=[mine])
    assert annotated.mentions["actor_id"].tolist() == ["KAZ_DALER"]
    assert annotated.quotes["speaker_id"].tolist() == ["KAZ_DALER"]


@pytest.mark.parametrize(
    "row, message",
    [
        ("X1,Name,اسم,,,,person,KAZ,nowhere,,,", "line 3: column 'bloc' = 'nowhere': must be one of"),
        ("x1,Name,اسم,,,,person,KAZ,other,,,", "line 3: actor_id 'x1' must be upper-case"),
        ("X1,Name,,,,,person,KAZ,other,,,", "line 3: actor X1 lacks name_ar"),
        ("X1,Name,اسم,,,,person,kazakhstan,other,,,", "line 3: country 'kazakhstan' must be an ISO 3166"),
        ("X1,Name,اسم,,,,person,KAZ,other,Role,2024-02-01,2023-01-01", "line 3: valid_from is after valid_to"),
        ("NOBODY,,,,,,,,,Some role,,", "line 3: role row for unknown actor NOBODY"),
        ("X1,Name,اسم,,,,person,KAZ", "line 3: expected 12 fields, found 8"),
    ],
)
def test_a_malformed_catalogue_row_is_named_by_file_and_line(tmp_path, row, message):
    mine = tmp_path / "mine.csv"
    mine.write_text(HEADER + "X0,Zero,صفر,,,,person,KAZ,other,,,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        Catalogue.load(extra=[mine])
    assert str(mine) in str(error.value) and message in str(error.value)


def test_counts_and_cooccurrence_helpers(annotated):
    counts = actor_counts(annotated)
    body = body_mentions(annotated)
    places = body["actor_type"] == "region"
    assert places.any() and counts["mentions"].sum() == (~places).sum()  # regions are places, not actors
    assert actor_counts(annotated, places=True)["mentions"].sum() == len(body)
    only_places = set(body.loc[places, "actor_id"]) - set(body.loc[~places, "actor_id"])  # «دول آسيا الوسطى» is a bloc, «آسيا الوسطى» a place
    assert only_places and not set(cooccurrence(annotated)[["actor_id_a", "actor_id_b"]].stack()) & only_places
    by_source = actor_counts(annotated, by="source")
    assert by_source["mentions"].sum() == counts["mentions"].sum()
    pairs = cooccurrence(annotated, within="sentence")
    assert (pairs["actor_id_a"] < pairs["actor_id_b"]).all()
    # «وقال توكاييف لماكرون ...» (seed 000) names both in one sentence
    assert ((pairs["actor_id_a"] == "FRA_MACRON") & (pairs["actor_id_b"] == "KAZ_TOKAYEV")).any()
    per_article = cooccurrence(annotated, within="article")
    assert per_article["count"].max() <= len(annotated.articles)


def test_discovered_actors_are_listed_in_catalogue_columns(seed_texts, reduced_catalogue, tmp_path):
    corpus = kit.load_corpus()
    annotated = kit.annotation.Annotated(corpus.articles, kit.annotation.empty_table("sentences"))
    rows = []
    resources = Resources(reduced_catalogue, default_segmenter())
    for article in corpus.articles.itertuples():
        rows.extend(annotate_article(article.article_id, article.text, article.published, resources)["mentions"])
    annotated.mentions = kit.annotation.table_from_rows("mentions", rows)
    listed = discovered_actors(annotated)
    assert {"SMADIYAROV", "AWCAKWF"} & {x for name in listed["actor_id"] for x in (name.split("_")[-1][-10:], name[-7:])}
    assert list(listed.columns[:12]) == HEADER.strip().split(",")
    assert listed["country"].notna().all()


# --- places, origins, variants (kit/data/mention_context.csv, name_skeleton.csv, leaders.csv) ---------------

def test_places_are_regions_and_the_states_of_a_region_are_a_bloc():
    # dev a01: «نفوذ الدول الغربية على دول آسيا الوسطى»; seed 000: «أكبر اقتصاد في آسيا الوسطى»
    found = mentions_of("يأتي ذلك وسط خشية الكرملين من تزايد نفوذ الدول الغربية على دول آسيا الوسطى، أكبر اقتصاد في آسيا الوسطى.")
    central = found[found["actor_id"] == "CENTRAL_ASIA"]
    assert central[["surface", "actor_type"]].values.tolist() == [["دول آسيا الوسطى", "bloc"], ["آسيا الوسطى", "region"]]
    former = mentions_of("تأسست لتوحيد بعض الجمهوريات السوفيتية السابقة حول روسيا.")  # dev c06
    assert former.loc[former["actor_id"] == "SOVIET_SPACE", "actor_type"].tolist() == ["region"]
    assert "SUN" not in set(former["actor_id"])  # «السوفيتية» inside the place's name is not the Soviet Union


def test_a_nisba_of_origin_is_not_a_mention_of_the_state():
    # dev d03 / e09 style: companies, banks and currencies are not the state acting
    found = mentions_of("وأشار إلى النشاط الفعال للشركات الروسية في الجمهورية القرغيزية، وإلى البنوك القيرغيزستانية والروبل الروسي.")
    assert "RUS" not in set(found["actor_id"])
    assert (found["actor_id"] == "KGZ").sum() == 1  # «الجمهورية القرغيزية» is the state
    assert "RUS" in set(mentions_of("وصل الرئيس الروسي إلى أستانا.")["actor_id"])


def test_spelling_variants_of_a_persons_name_are_found_through_its_skeleton():
    # dev b06 «شوكت ميرضيايف» and d08 «أورسولا فون دير لايين»: spellings the catalogue did not list
    found = mentions_of("التقى الرئيس الأمريكي نظيره الأوزبكي شوكت ميرضيايف، ثم قال ميرضيايف إن أورسولا فون دير لايين ستزور طشقند.")
    assert {"UZB_MIRZIYOYEV", "EU_VON_DER_LEYEN"} <= set(found["actor_id"])
    assert (found["actor_id"] == "UZB_MIRZIYOYEV").sum() == 2
    for row in found.itertuples():
        assert row.surface in ("شوكت ميرضيايف", "ميرضيايف", "أورسولا فون دير لايين") or row.actor_id not in ("UZB_MIRZIYOYEV", "EU_VON_DER_LEYEN")


def test_a_common_word_that_shares_a_surnames_skeleton_is_not_that_person():
    # dev a15: «مقارنة» and «ماكرون» share the skeleton مكرن; a surname alone needs its person named in the article
    found = mentions_of("بلغ حجم التبادل التجاري 37.7 مليار دولار، بزيادة قدرها 3.2% مقارنة بنفس الفترة من عام 2022.")
    assert "FRA_MACRON" not in set(found["actor_id"])


def test_an_undated_office_resolves_only_to_who_still_holds_it(tmp_path):
    undated = kit.annotate(kit.load_corpus(pd.DataFrame({"text": ["وقال الرئيس الفرنسي إن باريس تدعم الاتفاق."]})))
    assert undated.mentions.loc[undated.mentions["method"] == "role", "actor_id"].tolist() == ["FRA_MACRON"]
    dated = kit.annotate(kit.load_corpus(pd.DataFrame({"text": ["وقال الرئيس الفرنسي إن باريس تدعم الاتفاق."], "published": ["2010-03-01"]})))
    assert dated.mentions.loc[dated.mentions["method"] == "role", "actor_id"].tolist() == ["FRA_SARKOZY"]
