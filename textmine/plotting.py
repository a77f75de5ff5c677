"""Chinese labels in matplotlib figures, for the notebooks and anyone plotting a corpus.

matplotlib's default font has no Chinese glyphs: labels such as 更新不及时
come out as empty boxes.  :func:`cjk_font` finds an installed CJK font (the
Debian package ``fonts-noto-cjk`` gives "Noto Sans CJK SC") and makes it
matplotlib's first sans-serif font; when there is none it warns and returns
``None``, and :func:`label` then gives the category key (``timeliness``)
instead of the Chinese name, so a figure stays readable.

>>> from textmine.plotting import cjk_font, label, category_names
>>> cjk_font()                                   # doctest: +SKIP
'Noto Sans CJK SC'
>>> label("timeliness", category_names()["timeliness"])   # doctest: +SKIP
'更新不及时'
"""

from __future__ import annotations

import warnings

# Fonts known to carry simplified Chinese, best first.
PREFERRED_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
)

# Any other font whose name holds one of these is taken for a CJK font.
CJK_NAME_HINTS: tuple[str, ...] = ("CJK", " SC", "Hei", "Song", "WenQuanYi", "Han Sans", "Han Serif", "Kai", "Ming")


def _looks_cjk(name: str) -> bool:
    return any(hint in name for hint in CJK_NAME_HINTS)


def cjk_fonts() -> list[str]:
    """The CJK fonts matplotlib's font manager lists, best first (maybe empty)."""
    from matplotlib import font_manager

    names = sorted({entry.name for entry in font_manager.fontManager.ttflist})
    preferred = [name for name in PREFERRED_FONTS if name in names]
    return preferred + [name for name in names if name not in preferred and _looks_cjk(name)]


def cjk_font() -> str | None:
    """Make an installed CJK font matplotlib's first sans-serif font.

    Returns the font's name, or ``None`` with a :class:`UserWarning` when no
    CJK font is installed (then :func:`label` falls back to category keys).
    """
    from matplotlib import rcParams

    fonts = cjk_fonts()
    if not fonts:
        warnings.warn(
            "no CJK font found for matplotlib (install fonts-noto-cjk or fonts-wqy-microhei); "
            "figures label categories by their keys",
            UserWarning,
            stacklevel=2,
        )
        return None
    font = fonts[0]
    rcParams["font.sans-serif"] = [font, *[name for name in rcParams["font.sans-serif"] if name != font]]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    return font


def label(key: str, chinese: str | None) -> str:
    """``chinese`` when matplotlib is set to a CJK font that is installed
    (see :func:`cjk_font`), else ``key``."""
    from matplotlib import rcParams

    if not chinese:
        return key
    configured = set(rcParams["font.sans-serif"]) & set(cjk_fonts())
    return chinese if configured else key


def category_names() -> dict[str, str]:
    """Taxonomy key → Chinese name (``spec/taxonomy.md``), in taxonomy order
    (:func:`textmine.data.taxonomy.taxonomy_labels`; a copy, free to change)."""
    from .data.taxonomy import taxonomy_labels

    return dict(taxonomy_labels())
