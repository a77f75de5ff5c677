"""Tests for the level of government and the region of an agency name
(textmine.meta: parse_agency, infer_level, infer_region; data/levels.toml,
data/places.toml) and for the cross-year key (textmine.places.agency_key)."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from conftest import SAMPLE, SHARED
from corpora.generate import make_agency
from textmine.data import load_toml
from textmine.meta import infer_level, infer_region, parse_agency, place_rules
from textmine.places import agency_key, agency_key_of
from textmine.record import Record

# name, level, region
NAMES = [
    # national bodies: no place in the name
    ("国家税务总局", "ministry", None),
    ("生态环境部", "ministry", None),
    ("教育部", "ministry", None),
    ("海关总署", "ministry", None),
    ("审计署", "ministry", None),
    ("国务院办公厅", "ministry", None),
    ("中国人民银行", "ministry", None),
    ("中国气象局", "ministry", None),
    ("国家乡村振兴局", "ministry", None),  # 国家乡 is no place
    ("国家发展和改革委员会", "ministry", None),
    # provinces, autonomous regions, municipalities
    ("浙江省人民政府", "province", "浙江省"),
    ("浙江省教育厅", "province_dept", "浙江省"),
    ("福建省人民政府办公厅", "province_dept", "福建省"),
    ("浙江省发展和改革委员会", "province_dept", "浙江省"),
    ("北京市人民政府", "province", "北京市"),
    ("北京市教育委员会", "province_dept", "北京市"),
    ("内蒙古自治区人民政府", "province", "内蒙古自治区"),
    # prefecture level: city, 自治州, 地区, 盟
    ("杭州市人民政府", "city", "浙江省杭州市"),
    ("浙江省杭州市人民政府", "city", "浙江省杭州市"),
    ("杭州市财政局", "city_dept", "浙江省杭州市"),
    ("杭州市住房和城乡建设局", "city_dept", "浙江省杭州市"),  # 城乡 is no place
    ("杭州市市场监督管理局", "city_dept", "浙江省杭州市"),  # nor 市场
    ("某市城市管理局", "city_dept", "某市"),  # nor 城市
    ("恩施土家族苗族自治州人民政府", "city", "湖北省恩施土家族苗族自治州"),
    ("恩施土家族苗族自治州教育局", "city_dept", "湖北省恩施土家族苗族自治州"),
    ("大兴安岭地区行政公署", "city", "黑龙江省大兴安岭地区"),
    ("锡林郭勒盟行政公署", "city", "内蒙古自治区锡林郭勒盟"),
    ("景德镇市人民政府", "city", "江西省景德镇市"),  # not 景德镇 + 市
    ("平潭综合实验区", "city", "福建省平潭综合实验区"),  # places.toml: a prefecture-level area
    ("平潭综合实验区经济发展局", "city_dept", "福建省平潭综合实验区"),
    ("国家税务总局平潭综合实验区税务局", "city_dept", "福建省平潭综合实验区"),  # a local branch
    # county level: county, 旗, district, county-level city, a municipality's district
    ("西湖区人民政府", "county", "西湖区"),
    ("杭州市西湖区人民政府", "county", "浙江省杭州市西湖区"),
    ("北京市朝阳区人民政府", "county", "北京市朝阳区"),
    ("重庆市云阳县人民政府", "county", "重庆市云阳县"),
    ("上海市浦东新区人民政府", "county", "上海市浦东新区"),
    ("朝阳区发展和改革委员会", "county_dept", "朝阳区"),
    ("武汉市江岸区教育局", "county_dept", "湖北省武汉市江岸区"),
    ("通渭县人民政府", "county", "甘肃省定西市通渭县"),
    ("定西市通渭县人民政府", "county", "甘肃省定西市通渭县"),
    ("甘肃省定西市通渭县人民政府", "county", "甘肃省定西市通渭县"),
    ("通渭县财政局", "county_dept", "甘肃省定西市通渭县"),
    ("中共通渭县委办公室", "county_dept", "甘肃省定西市通渭县"),
    ("内蒙古自治区鄂尔多斯市鄂托克旗人民政府", "county", "内蒙古自治区鄂尔多斯市鄂托克旗"),
    ("鄂托克旗人民政府", "county", "鄂托克旗"),
    ("恩施土家族苗族自治州恩施市人民政府", "county", "湖北省恩施土家族苗族自治州恩施市"),
    ("临夏回族自治州东乡族自治县人民政府", "county", "甘肃省临夏回族自治州东乡族自治县"),
    ("安乡县人民政府", "county", "安乡县"),  # not 安乡 + 县
    ("神农架林区人民政府", "county", "湖北省神农架林区"),
    # county-level cities: county when places.toml lists them or a city precedes them
    ("义乌市人民政府", "county", "浙江省金华市义乌市"),
    ("浙江省义乌市人民政府", "county", "浙江省金华市义乌市"),
    ("义乌市教育局", "county_dept", "浙江省金华市义乌市"),
    ("长沙市宁乡市人民政府", "county", "湖南省长沙市宁乡市"),
    # development zones: one below the place they are named under; alone county-level
    ("杭州经济技术开发区管理委员会", "county", "杭州经济技术开发区"),
    ("杭州市高新区管委会", "county", "浙江省杭州市高新区"),
    ("岱原省云湖新区管理委员会", "city", "岱原省云湖新区"),
    # township: 乡, 镇, 街道 and anything under them
    ("通渭县平襄镇人民政府", "township", "甘肃省定西市通渭县平襄镇"),
    ("平襄镇财政所", "township", "平襄镇"),
    ("文昌街道办事处", "township", "文昌街道"),
    ("北京市朝阳区人民政府望京街道办事处", "township", "北京市朝阳区望京街道"),
    ("城关镇人民政府", "township", "城关镇"),
    # unknown: the place is missing
    ("市财政局", None, None),
    ("县委宣传部", None, None),
    ("县市场监督管理局", None, None),
    ("财政局", None, None),
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize("name,level,region", NAMES, ids=lambda v: v if isinstance(v, str) else None)
def test_level_and_region(name: str | None, level: str | None, region: str | None) -> None:
    assert (infer_level(name), infer_region(name)) == (level, region)


def test_every_level_is_documented() -> None:
    levels = set(load_toml("levels.toml")["levels"])
    assert {lv for _, lv, _ in NAMES if lv} == levels
    assert {lv for pair in place_rules().tier_levels for lv in pair} | {"ministry"} == levels


# --- the place table -----------------------------------------------------------


def test_place_table_counts() -> None:
    places = load_toml("places.toml")
    assert len(places["provinces"]) == 34
    assert sum(len(v) for v in places["prefectures"].values()) == 333
    assert set(places["prefectures"]) <= set(places["provinces"])


def test_place_table_has_no_duplicates_and_known_parents() -> None:
    places = load_toml("places.toml")
    names = (
        list(places["provinces"])
        + [n for v in places["prefectures"].values() for n in v]
        + list(places["counties"])
        + list(places["special"])
    )
    assert [n for n, c in Counter(names).items() if c > 1] == []
    rules = place_rules()
    assert all(up in rules.known for up in rules.parent.values())


def test_every_listed_place_reads_as_one_place_of_its_tier() -> None:
    rules = place_rules()
    wrong = []
    for name, tier in rules.known.items():
        parts = parse_agency(name + "人民政府", rules)
        if parts is None or parts.places != ((name, tier),) or parts.rest != "人民政府":
            wrong.append((name, parts))
    assert wrong == []


# --- the synthetic agencies of corpora/generate/agencies.py ----------------------

# (Agency.level, Agency.kind) -> meta.level
GENERATOR_LEVELS = {
    ("national", "dept"): "ministry",
    ("province", "gov"): "province",
    ("province", "dept"): "province_dept",
    ("city", "gov"): "city",
    ("city", "dept"): "city_dept",
    ("county", "gov"): "county",
    ("county", "dept"): "county_dept",
    ("town", "town"): "township",
    ("town", "street"): "township",
}


def _agrees(region: str | None, gold: str | None) -> bool:
    """The region of the name agrees with the generator's: the same, or its tail
    (a name without its province cannot say which fictional province it is in)."""
    return region == gold or (region is not None and gold is not None and gold.endswith(region))


def test_synthetic_agencies() -> None:
    agencies = [make_agency(random.Random(seed)) for seed in range(200)]
    wrong_level = [
        (a.name, infer_level(a.name), a.level, a.kind)
        for a in agencies
        if infer_level(a.name) != GENERATOR_LEVELS[(a.level, a.kind)]
    ]
    wrong_region = [
        (a.name, infer_region(a.name), a.region) for a in agencies if not _agrees(infer_region(a.name), a.region)
    ]
    assert wrong_level == []
    assert wrong_region == []
    # A name that carries its whole chain gets the generator's region exactly.
    full = [a for a in agencies if a.region and a.name.startswith(a.region)]
    assert full and all(infer_region(a.name) == a.region for a in full)


def test_sample_corpus_regions() -> None:
    golds = [json.loads(p.read_text("utf-8"))["meta"] for p in sorted((SAMPLE / "gold").glob("*.json"))]
    golds = [m for m in golds if "region" in m]
    if not golds:
        pytest.skip(f"no sample gold with meta.region in {SAMPLE / 'gold'}")
    assert [(m["agency"], m["region"]) for m in golds if not _agrees(infer_region(m["agency"]), m["region"])] == []


# --- the real reports of ../shared/corpus ------------------------------------------

# The real gold carries no meta.region or meta.level (yet): the expected values
# for its agencies, unless the gold file says otherwise.
REAL = {
    "定西市通渭县人民政府": ("甘肃省定西市通渭县", "county"),
    "平潭综合实验区": ("福建省平潭综合实验区", "city"),
    "平潭综合实验区经济发展局": ("福建省平潭综合实验区", "city_dept"),
    "平潭综合实验区财政金融局": ("福建省平潭综合实验区", "city_dept"),
    "平潭综合实验区社会事业局": ("福建省平潭综合实验区", "city_dept"),
    "平潭综合实验区地方税务局": ("福建省平潭综合实验区", "city_dept"),
    "洪泽区人民政府": ("江苏省淮安市洪泽区", "county"),
    "公安局": (None, None),  # the title names no place
    "平潭县财政局": ("福建省福州市平潭县", "county_dept"),
    "平潭县工商局": ("福建省福州市平潭县", "county_dept"),
    "平潭县农业局": ("福建省福州市平潭县", "county_dept"),
    "平潭县人口和计划生育局": ("福建省福州市平潭县", "county_dept"),
    "平潭县食品药品监督管理局": ("福建省福州市平潭县", "county_dept"),
    "平潭县信访局": ("福建省福州市平潭县", "county_dept"),
    # A 片区 of the zone is read as a district under it; its 管理局 as a department.
    "平潭综合实验区海坛片区管理局": ("福建省平潭综合实验区海坛片区", "county_dept"),
    "平潭综合实验区金井片区管理局": ("福建省平潭综合实验区金井片区", "county_dept"),
}
# Every other 平潭综合实验区 bureau: the zone's department.
PINGTAN_DEPT = ("福建省平潭综合实验区", "city_dept")


def test_real_gold_regions_and_levels() -> None:
    gold_dir = SHARED / "corpus" / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"real-report corpus not found at {gold_dir} (a user's clone has no ../shared)")
    metas = [json.loads(p.read_text("utf-8"))["meta"] for p in sorted(gold_dir.glob("*.json"))]
    assert metas
    for meta in metas:
        default = PINGTAN_DEPT if meta["agency"].startswith("平潭综合实验区") else None
        region, level = REAL.get(meta["agency"], default) or REAL[meta["agency"]]
        want = (meta.get("region", region), meta.get("level", level))
        assert (infer_region(meta["agency"]), infer_level(meta["agency"])) == want, meta["agency"]


# --- linking across years ---------------------------------------------------------


@pytest.mark.parametrize(
    "agency,region,key",
    [
        ("甘肃省定西市通渭县人民政府", "甘肃省定西市通渭县", "甘肃省定西市通渭县人民政府"),
        ("定西市通渭县人民政府", "甘肃省定西市通渭县", "甘肃省定西市通渭县人民政府"),
        ("通渭县人民政府", "甘肃省定西市通渭县", "甘肃省定西市通渭县人民政府"),
        ("通渭县 人民政府（ ）", "甘肃省定西市通渭县", "甘肃省定西市通渭县人民政府"),
        ("通渭县人民政府", None, "通渭县人民政府"),  # no region: the name alone
        ("通渭县人民政府", "甘肃省白银市会宁县", "通渭县人民政府"),  # a region that disagrees
        ("平潭综合实验区", "福建省平潭综合实验区", "福建省平潭综合实验区"),
        ("国家税务总局平潭综合实验区税务局", "福建省平潭综合实验区", "国家税务总局福建省平潭综合实验区税务局"),
        ("朝阳区人民政府望京街道办事处", "北京市朝阳区望京街道", "北京市朝阳区望京街道办事处"),
        ("生态环境部", None, "生态环境部"),
        ("市财政局", None, "市财政局"),
        (None, "甘肃省", None),
        ("", None, None),
    ],
)
def test_agency_key_of(agency: str | None, region: str | None, key: str | None) -> None:
    assert agency_key_of(agency, region) == key


def test_agency_key_links_names_of_one_region() -> None:
    names = ["甘肃省定西市通渭县人民政府", "定西市通渭县人民政府", "通渭县人民政府"]
    records = [Record(source=n, meta={"agency": n, "region": infer_region(n)}) for n in names]
    assert len({agency_key(r) for r in records}) == 1
