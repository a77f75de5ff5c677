"""A report's head as its forms print it: title lines, page furniture
(breadcrumbs, source and date lines, font and share controls), a metadata
block, an opening sentence — with our own words."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from corpora.generate import Report
from corpora.render import Block, Cell, Table

# Our words for the page furniture.
_NAV = [
    "设为首页 | 加入收藏 | 无障碍浏览 | 长者模式",
    "首页  政务公开  办事服务  互动交流  数据开放",
    "网站地图 | 手机版 | 简体 | 繁體",
]
_SHARE = ["分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "扫一扫在手机打开当前页  打印  关闭"]
_LABELS = ["政府信息公开年报", "信息公开年报", "年度报告", "政府信息公开"]
_CRUMBS = [
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
    "您的位置：首页 » 信息公开 » 年度报告",
    "当前位置: 首页 > 政府信息公开 > 法定主动公开内容 > 年报",
    "您当前所在位置：网站首页 > 公开年报 > 正文",
]
_FONT = ["【字号：大 中 小】", "字体：[大] [中] [小]", "【字体大小：大 中 小】  【打印】"]
_EDITORS = ["李青", "王越", "陈宁", "赵岚"]
_TOPICS = ["政务公开", "综合政务", "其他", "年度报告"]
_WORDS = ["互联网+政务服务", "放管服", "一网通办", "数字政府"]


def _opening_publish(agency: str, year: int) -> str:
    """An opening that names agency and year (``opening_publish``)."""
    return (
        f"依照《中华人民共和国政府信息公开条例》和年度报告格式的要求，现公布{agency}{year}年度政府信息公开工作"
        f"年度报告。报告分为总体情况、主动公开政府信息情况等六个部分，所列数据的统计期限为{year}年1月1日至"
        f"{year}年12月31日。"
    )


def _opening_compiled(agency: str, year: int) -> str:
    """An opening that names the agency as the report's compiler (``opening_compiled``)."""
    return (
        f"本年度报告依据《中华人民共和国政府信息公开条例》及上级有关通知要求，由{agency}汇集各科室数据编制而成。"
        f"报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止，如有疑问请与本机关办公室联系。"
    )


@dataclass
class Head:
    """The head a report's forms build: lines before and after the title."""

    before: list[Block] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)
    opening: str = ""


def symbol_agency(name: str, rng: random.Random) -> str:
    """The agency's name with quotes, brackets, + or ASCII letters in it."""
    m = re.match(r"^.*[省市县区]", name)
    place = m.group(0) if m else name[:3]
    kind = rng.choice(["quote", "bracket", "ascii", "ampersand"])
    if kind == "quote":
        return f"{place}“{rng.choice(_WORDS)}”服务中心"
    if kind == "bracket":
        return f"{place}（{rng.choice(['综合', '联合', '临时'])}）行政服务中心"
    if kind == "ampersand":
        return f"{place}科技&人才服务中心"
    return f"{place}{rng.choice(['5G', 'AI', 'XR'])}产业园管理委员会"


def _block_rows(agency: str, published: str, title: str | None, rng: random.Random) -> list[list[str]]:
    index = f"{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}/{published[:4]}-{rng.randint(1, 99999):05d}"
    rows = [["索引号", index, "发文字号", ""]]
    if rng.random() < 0.5:
        rows.append(["关键词", "发布机构", agency, ""])  # a shifted row, as misaligned blocks print it
    else:
        rows.append(["发布机构", agency, "主题分类", rng.choice(_TOPICS)])
    rows.append(["发文日期", published, "有效性", "有效"])
    if title and rng.random() < 0.6:
        rows.append(["信息名称", title, "", ""])
    return rows


def _block_list(agency: str, published: str, title: str | None, rng: random.Random) -> list[str]:
    index = f"{rng.randint(100, 999)}/{published[:4]}-{rng.randint(1, 9999):04d}"
    bullet = rng.choice(["", "- ", "• "])
    under = rng.random() < 0.3
    pairs = [("索引号", index), ("发布机构", agency), ("发布日期", published)]
    if title and rng.random() < 0.6:
        pairs.append(("信息名称", title))
    lines: list[str] = []
    for key, value in pairs:
        if under:
            lines += [f"{bullet}{key}：", f"    {value}"]
        else:
            lines.append(f"{bullet}{key}：{value}")
    return lines


def _title_form(
    forms: set[str], title: str, agency: str, year: int, rng: random.Random
) -> tuple[str | None, list[str]]:
    """The gold title and the lines that print it, in the title form of
    ``forms`` (``title``, the report's own, when none asks otherwise)."""
    du = "年度" if "年度" in title else "年"
    if "title_du" in forms:
        du = "年度"
        title = f"{agency}{year}年度政府信息公开工作年度报告"
    lines = [title]
    if "title_year_first" in forms:
        title = f"{year}{du}{agency}政府信息公开工作年度报告"
        lines = [title]
    elif "title_two_lines" in forms:
        lines = [agency, f"{year}{du}政府信息公开工作年度报告"]
        title = "".join(lines)
    elif "title_space" in forms:
        title = f"{agency} {year}{du}政府信息公开工作年度报告"
        lines = [title]
    elif "title_report_words" in forms:
        title = f"{agency}{year}{du}" + rng.choice(
            ["政府信息公开年报", "信息公开年度报告", "政务公开工作年度报告", "政府信息公开工作年报"]
        )
        lines = [title]
    elif "title_year_bare" in forms:
        title = f"{agency}{year}政府信息公开工作年度报告"
        lines = [title]
    elif "title_no_agency" in forms:
        title = f"{year}{du}政府信息公开工作年度报告"
        lines = [title]
    elif "title_none" in forms:
        title, lines = None, []
    return title, lines


def build_head(
    forms: set[str], rep: Report, old_agency: str, agency: str, year: int, published: str, rng: random.Random
) -> tuple[Head, str | None, bool]:
    """The head blocks, the gold title, and whether a date is printed in the head."""
    head = Head()
    title, lines = _title_form(forms, rep.title.replace(old_agency, agency), agency, year, rng)
    dated = False
    head.title_lines = lines
    if "title_repeated" in forms and lines:
        head.before.append(lines[0] if len(lines) == 1 else "".join(lines))
        head.before.append(rng.choice(_FONT + _SHARE))
    # Furniture
    if "nav_share" in forms:
        head.before.insert(0, rng.choice(_NAV))
        head.after.append(rng.choice(_SHARE))
    if "column_label" in forms:
        head.before.append(rng.choice(_LABELS))
    if "breadcrumb" in forms:
        head.before.insert(0 if "nav_share" not in forms else 1, rng.choice(_CRUMBS))
    date_text = published
    if "odd_dates" in forms:
        y, m, d = published.split("-")
        date_text = rng.choice([f"{y}.{m}.{d}", f"{y}年{int(m)}月{int(d)}日", _cn_date(int(y), int(m), int(d))])
    if "source_date" in forms or "odd_dates" in forms:
        src = rng.choice([agency, "本网", "办公室"])
        line = rng.choice(
            [
                f"来源：{src}  发布时间：{date_text}  浏览次数：{rng.randint(20, 900)}",
                f"发布日期：{date_text}    来源：{src}",
                f"发布时间:{date_text} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}  作者：{rng.choice(_EDITORS)}",
            ]
        )
        (head.after if rng.random() < 0.7 else head.before).append(line)
        dated = True
    if "font_size" in forms:
        head.after.append(rng.choice(_FONT))
    if "bullet_meta" in forms:
        mark = rng.choice(["- ", "• ", "· "])
        head.after += [f"{mark}发布时间：{date_text}", f"{mark}来源：{agency}", f"{mark}编辑：{rng.choice(_EDITORS)}"]
        dated = True
    # Metadata block
    if "block_table" in forms:
        rows = _block_rows(agency, published, title, rng)
        head.before.append(Table([[Cell(c) for c in row] for row in rows]))
        dated = True
    elif "block_list" in forms:
        head.before += _block_list(agency, published, title, rng)
        dated = True
    # Opening
    if "opening_publish" in forms:
        head.opening = _opening_publish(agency, year)
    elif "opening_compiled" in forms:
        head.opening = _opening_compiled(agency, year)
    return head, title, dated


def _cn_date(y: int, m: int, d: int) -> str:
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")

    return "".join(digits[int(ch)] for ch in str(y)) + f"年{small(m)}月{small(d)}日"
