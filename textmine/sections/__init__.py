"""Find the six sections of a report: where each starts, its title as written.

A report's headings are found in two steps:

1. *Candidates* (:mod:`.candidates`): every match of a title variant of ``data/sections.toml``,
   with the numbering in front of it (一、 一． 一. （一） (一) 1. 第一部分 or
   none) and its position (line start, after a sentence end, or inside a
   run of text, as in the one-line 平潭 archive files).  A candidate gets a
   score from how specific the wording is, how strong the numbering is and
   where it stands.  Unnumbered wordings in running text (the preamble that
   *lists* the six parts) and table cells are not candidates at all.
2. *Selection* (:mod:`.selection`): the best-scoring sequence of candidates (dynamic programming
   over text order) in which numerals rise strictly and the standard keys
   come in their order.  A numeral that equals the heading's place in the
   sequence, or its key's place in the standard form, earns a bonus, so the
   overview's （一）主动公开情况 loses to the real 二、主动公开政府信息情况 and
   the table-3 row 四、结转下年度继续办理 never passes for section 四.

Sections run from their title's start to the next section's start; the last
one ends where trailing page chrome (责任编辑, 分享到, 附件下载 …) begins.

Repeated keys (a rule, since old free layouts map two headings to one key):
consecutive headings of one key are merged into one section (title and start
of the first, end of the last), e.g. 存在问题 / 改进措施 split into two
headings.  Headings of one key separated by another key stay separate
entries, in text order (2013: 四、审批事项 and 六、工作人员及支出 are both
``other``, with 五、行政复议 between them), so no text falls outside a section;
:meth:`textmine.record.Record.section` returns the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from textmine.record import SECTION_KEYS, Note, Section

from .candidates import UNMAPPED, Candidate, SectionRules, find_candidates, section_rules
from .selection import select_headings

__all__ = ["UNMAPPED", "Headings", "find_headings", "find_sections", "section_rules"]


def _body_end(text: str, after: int, rules: SectionRules) -> int:
    m = rules.chrome.search(text, after)
    end = m.start() if m else len(text)
    while end > after and (text[end - 1].isspace() or text[end - 1] in "|[【"):
        end -= 1
    return end


@dataclass
class Headings:
    """What :func:`find_headings` found: the six-key ``sections``, the
    headings that are plainly headings but none of the six parts
    (``unmapped``, key ``"none"``: 收费及减免情况, 附表), and notes."""

    sections: list[Section]
    unmapped: list[Section]
    notes: list[Note]


def find_headings(text: str) -> Headings:
    """The report's headings in text order: sections, unmapped headings, notes.

    An unmapped heading ends the section before it, so its text is in no
    section.

    >>> h = find_headings("一、概述\\n好。\\n二、收费及减免情况\\n无。")
    >>> [s.key for s in h.sections], [u.title for u in h.unmapped]
    (['overview'], ['二、收费及减免情况'])
    """
    rules = section_rules()
    chosen = select_headings(find_candidates(text, rules))
    # Consecutive headings of one key are one section (see the module doc).
    heads: list[Candidate] = []
    for c in chosen:
        if heads and heads[-1].key == c.key and c.key != UNMAPPED:
            continue
        heads.append(c)
    sections: list[Section] = []
    unmapped: list[Section] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else _body_end(text, h.title_end, rules)
        entry = Section(key=h.key, title=text[h.start : h.title_end], start=h.start, end=end)
        (unmapped if h.key == UNMAPPED else sections).append(entry)
    notes: list[Note] = []
    found = {s.key for s in sections}
    for key in SECTION_KEYS:
        if key not in found:
            notes.append(Note(table="sections", message=f"section '{key}' ({rules.standard[key]}) not found"))
    for u in unmapped:
        notes.append(Note(table="sections", message=f"heading {u.title!r} is none of the six parts; left unmapped"))
    seen: dict[str, Section] = {}
    for s in sections:
        if s.key in seen:
            notes.append(
                Note(
                    table="sections",
                    message=f"headings {seen[s.key].title!r} and {s.title!r} both map to "
                    f"'{s.key}'; kept as two entries in text order",
                )
            )
        else:
            seen[s.key] = s
    return Headings(sections, unmapped, notes)


def find_sections(text: str) -> tuple[list[Section], list[Note]]:
    """The report's sections in text order, and notes on what is missing
    (see :func:`find_headings`, which also returns the unmapped headings).

    >>> secs, notes = find_sections("一、总体情况\\n好。\\n二、主动公开政府信息情况\\n略。")
    >>> [(s.key, s.title) for s in secs]
    [('overview', '一、总体情况'), ('active_disclosure', '二、主动公开政府信息情况')]
    >>> notes[0].message
    "section 'requests' (三、收到和处理政府信息公开申请情况) not found"
    """
    found = find_headings(text)
    return found.sections, found.notes
