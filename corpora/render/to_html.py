"""HTML writer: a web page with real ``<table>`` markup, optional page chrome."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from corpora.render.blocks import NUM_RE, Block, Table, encode_text, is_gbk, is_heading, is_subheading, origins

_NAV = ["首页", "政务公开", "政务服务", "互动交流", "数据发布", "专题专栏"]

_SCRIPT_HEAD = (
    '<script type="text/javascript" src="/js/jquery.min.js"></script>\n'
    '<script type="text/javascript">var _siteId = "site0001"; var _pageType = "article";</script>\n'
)
_SCRIPT_TAIL = (
    "<script>\n"
    "(function(){var s=document.createElement('script');s.src='/js/stat.js?v=3';"
    "document.body.appendChild(s);})();\n"
    "function printPage(){window.print();}\n"
    "</script>\n"
)


# Site furniture around the article (``chrome``): header, nav and search box above it ...
_CHROME_TOP = [
    '<div class="header"><div class="logo"><img src="/images/logo.png" alt=""></div>',
    '<ul class="nav">' + "".join(f'<li><a href="#">{n}</a></li>' for n in _NAV) + "</ul></div>",
    '<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div>',
]
# ... share bar, print/close tools, footer and scripts below it.
_CHROME_BOTTOM = [
    '<div class="share">分享到：<a href="#" class="wx">微信</a><a href="#" class="wb">微博</a>'
    '<a href="#" class="qq">QQ空间</a></div>',
    '<div class="tools"><a href="javascript:printPage()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>',
    '<div class="footer"><p>主办：本站编辑部　网站标识码：0000000000</p><p>技术支持：信息中心</p></div>',
    _SCRIPT_TAIL.rstrip("\n"),
]

# How the sites' editors style a table (drawn per table).
_TABLE_STYLES = [
    'border="1" cellspacing="0" cellpadding="0"',
    'class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse;width:100%"',
    'width="600" border="1"',
]


def _html_head(title: str, declare_charset: str | None, chrome: bool, rng: random.Random) -> list[str]:
    """The page's lines up to ``</head>``: the charset declared one of two
    ways (drawn), ``<title>``, and with ``chrome`` the site's stylesheet and scripts."""
    parts: list[str] = ["<!DOCTYPE html>", "<html>", "<head>"]
    if declare_charset:
        if rng.random() < 0.5:
            parts.append(f'<meta charset="{declare_charset}">')
        else:
            parts.append(f'<meta http-equiv="Content-Type" content="text/html; charset={declare_charset}">')
    parts.append(f"<title>{html.escape(title)}</title>")
    if chrome:
        parts.append('<link rel="stylesheet" href="/css/style.css">')
        parts.append(_SCRIPT_HEAD.rstrip("\n"))
    parts.append("</head>")
    return parts


def _html_table(table: Table, rng: random.Random, split_digits: bool, msword: bool) -> list[str]:
    """A table's lines: ``<table>`` in a drawn style, a ``<tr>`` per row with
    the cells starting there, spans as ``rowspan``/``colspan``."""
    parts = [f"<table {rng.choice(_TABLE_STYLES)}>", "<tbody>"]
    for row in origins(table):
        tds = []
        for _, _, c in row:
            attrs = ""
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            tds.append(f"<td{attrs}>{_html_cell_content(c.text, rng, split_digits, msword)}</td>")
        parts.append("<tr>" + "".join(tds) + "</tr>")
    parts.append("</tbody>")
    parts.append("</table>")
    return parts


def _digits_spans(text: str, rng: random.Random) -> str:
    """Split a number across inline spans: per digit or in two chunks."""
    if len(text) < 2:
        return f"<span>{html.escape(text)}</span>"
    if rng.random() < 0.5:
        return "".join(f"<span>{html.escape(ch)}</span>" for ch in text)
    k = rng.randint(1, len(text) - 1)
    return (
        f'<span style="font-family:宋体">{html.escape(text[:k])}</span>'
        f'<span style="font-family:宋体">{html.escape(text[k:])}</span>'
    )


def _html_cell_content(text: str, rng: random.Random, split_digits: bool, msword: bool) -> str:
    if text == "":
        return "&nbsp;"
    if split_digits and NUM_RE.match(text) and rng.random() < 0.5:
        inner = _digits_spans(text, rng)
    else:
        inner = html.escape(text)
    if msword:
        return f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt">{inner}</span></p>'
    return inner


_PARA_NUM_RE = re.compile(r"\d{2,}")


def _html_para(text: str, rng: random.Random, split_digits: bool) -> str:
    body = html.escape(text)
    if split_digits and rng.random() < 0.3:
        m = _PARA_NUM_RE.search(body)
        if m:
            body = body[: m.start()] + _digits_spans(m.group(0), rng) + body[m.end() :]
    if is_heading(text):
        return f'<p style="text-indent:2em"><strong>{body}</strong></p>'
    if is_subheading(text):
        return f'<p style="text-indent:2em"><b>{body}</b></p>'
    return f'<p style="text-indent:2em;line-height:1.8">{body}</p>'


def write_html(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    encoding: str = "utf-8",
    title: str | None = None,
    chrome: bool = True,
    split_digits: bool = False,
    declare_charset: str | None = "auto",
    seed: int = 0,
    page_title: str | None = None,
    post: Callable[[str], str] | None = None,
) -> None:
    """Write blocks as an HTML page.

    ``title`` goes to ``<title>`` and a paragraph equal to it is rendered as
    the article heading (``<h1>``); default: the first paragraph.
    ``chrome`` wraps the article in site furniture (nav bar, breadcrumbs
    element, share bar, footer, scripts).  ``declare_charset``: ``"auto"``
    declares the encoding (``gbk`` pages declare ``gbk`` or ``gb2312``),
    ``None`` omits ``<meta charset>``, any other string is declared as given.
    ``split_digits`` splits some numbers in table cells (and a few in
    paragraphs) across inline ``<span>``s.  ``page_title`` replaces the
    ``<title>`` text (a page whose head names only the site); ``post``
    rewrites the page's text before it is encoded.
    """
    rng = random.Random(seed)
    if title is None:
        title = next((b for b in blocks if isinstance(b, str) and "报告" in b), "政府信息公开工作年度报告")
    if declare_charset == "auto":
        declare_charset = rng.choice(["gbk", "gb2312"]) if is_gbk(encoding) else "utf-8"
    msword = rng.random() < 0.5
    parts = _html_head(page_title if page_title is not None else title, declare_charset, chrome, rng)
    parts.append("<body>")
    if chrome:
        parts.extend(_CHROME_TOP)
    parts.append('<div class="article">')
    for b in blocks:
        if isinstance(b, str):
            if b == title:
                parts.append(f'<h1 class="article-title">{html.escape(b)}</h1>')
            else:
                parts.append(_html_para(b, rng, split_digits))
            continue
        parts.extend(_html_table(b, rng, split_digits, msword))
    parts.append("</div>")
    if chrome:
        parts.extend(_CHROME_BOTTOM)
    parts.append("</body>")
    parts.append("</html>")
    text = "\n".join(parts) + "\n"
    if post is not None:
        text = post(text)
    Path(path).write_bytes(encode_text(text, encoding))
