"""Text conditions of report pages (``corpora/forms.md``, "The text as a
whole" and the page-break form): a whole text rewritten the way a copy of a
page rewrites it — traditional script, pinyin readings, indentation, lost
spaces as ``??``, a PDF's hard line breaks and page numbers.  Used by
:mod:`corpora.forms` at writing time; everything is deterministic given the
``random.Random`` passed in.
"""

from __future__ import annotations

import random
import re
from functools import cache, lru_cache
from typing import Any

__all__ = ["garble", "glosses", "hard_breaks", "indent", "page_breaks", "to_traditional", "traditional_gold"]


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t.json")


@cache
def _char_to_traditional(ch: str) -> str:
    out = _s2t().convert(ch)
    return out if len(out) == 1 else ch


def to_traditional(text: str) -> str:
    """``text`` in traditional script, character for character (as mirror
    sites convert whole pages)."""
    return "".join(_char_to_traditional(ch) for ch in text)


def traditional_gold(gold: dict[str, Any]) -> None:
    """Quoted text in the gold as a traditional page prints it (meta stays
    simplified: the reader gives meta in its simplified reading)."""
    for c in gold.get("claims", []):
        c["text"] = to_traditional(c["text"])
    for kind in ("problems", "improvements"):
        for item in gold.get(kind, []):
            item["text"] = to_traditional(item["text"])


def _before_paragraphs(text: str, prefix: str) -> str:
    """``prefix`` before every paragraph line (long, and no table row)."""
    return "\n".join(prefix + line if len(line) > 30 and "|" not in line else line for line in text.split("\n"))


def indent(text: str, rng: random.Random) -> str:
    return _before_paragraphs(text, rng.choice(["\u3000\u3000", "    ", "\xa0\xa0"]))


def garble(text: str) -> str:
    """Lost spaces before paragraphs shown as ``??`` (a copy's wrong encoding)."""
    return _before_paragraphs(text, "??")


def hard_breaks(text: str, claims: list[str], rng: random.Random) -> str:
    """Long paragraphs broken every 30–40 characters, never inside a claim's text."""
    out = []
    for line in text.split("\n"):
        if len(line) <= 45 or "|" in line or "\t" in line:
            out.append(line)
            continue
        protected = set()
        for c in claims:
            for m in re.finditer(re.escape(c), line):
                protected.update(range(m.start() + 1, m.end()))
        pieces, start = [], 0
        while len(line) - start > 45:
            cut = start + rng.randint(30, 40)
            while cut in protected and cut < len(line) - 1:
                cut += 1
            pieces.append(line[start:cut])
            start = cut
        pieces.append(line[start:])
        out.append("\n".join(pieces))
    return "\n".join(out)


_SYLLABLES = [
    "jì",
    "qū",
    "guó",
    "kāi",
    "bào",
    "zhèng",
    "fǔ",
    "xìn",
    "xī",
    "gōng",
    "nián",
    "dù",
    "wù",
    "chǔ",
    "shēn",
    "qǐng",
    "lǐ",
    "jú",
    "shì",
    "xiàn",
]


def glosses(text: str, rng: random.Random) -> str:
    """A reading in brackets after about one character in six (of our own
    syllables: the shape matters, not the reading), outside markup."""
    out = []
    inside_tag = False
    for ch in text:
        out.append(ch)
        if ch == "<":
            inside_tag = True
        elif ch == ">":
            inside_tag = False
        elif not inside_tag and "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.16:
            out.append(f"({rng.choice(_SYLLABLES)})")
    return "".join(out)


def page_breaks(text: str, rng: random.Random, header: str = "") -> str:
    """Page numbers every 40–60 lines (with ``header``, a running header line
    beside each), and one table-3 row label broken by a page."""
    labels = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "4.保护第三方合法权益", "（四）无法提供"]
    label = next((lb for lb in rng.sample(labels, len(labels)) if f"\n{lb}\n" in text), None)
    page = rng.randint(2, 3)
    if label:
        k = rng.randint(3, len(label) - 2)
        running = f"\n{header}" if header else ""
        text = text.replace(f"\n{label}\n", f"\n{label[:k]}\n{_page_number(page, rng)}{running}\n{label[k:]}\n", 1)
        page += 1
    lines = text.split("\n")
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        out.append(line)
        if n % rng.randint(40, 60) == 0:
            out.append(_page_number(page, rng))
            if header:
                out.append(header)
            page += 1
    return "\n".join(out)


def _page_number(n: int, rng: random.Random) -> str:
    return rng.choice([f"- {n} -", f"—{n}—", f"第 {n} 页", f"第{n}页 共9页"])
