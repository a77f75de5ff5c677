"""No text of the real reports in the repository (../shared/corpus/README.md).

The real reports stay in ``../shared``: tests read them from there at test
time, and nothing tracked by git — code, comments, data files, docs, tests,
the generated corpora — may carry their wording.

How it is checked
-----------------
* **Real text**: every file of ``../shared/corpus/reports`` and
  ``../shared/seeds`` — ``.txt`` as is, ``.html`` with its tags stripped,
  ``.docx``/``.pdf`` through :func:`textmine.read.read` (the manifest's
  ``rebuilt`` ones are skipped: they redraw a ``.txt`` report's narrative
  with its gold cells in the standard tables, and add nothing but runs of
  table labels and numbers; the real PDF is read).  The gold files are not
  read: what they quote is in the reports, their notes are our own words.
* Both sides are normalised the same way: whitespace and ``|`` (table cell
  separators) removed, so a quote re-wrapped or re-laid into a pipe table
  still matches.
* A **real run** is any 20-character run of that text with at least 12 CJK
  characters (runs of digits, markup or dates do not count).
* Every file ``git ls-files`` lists that decodes as UTF-8 — the generated
  ``corpora/sample`` and ``corpora/series`` included; binaries such as
  ``.skops``, ``.pdf``, ``.docx`` are skipped — is scanned with a 20-character
  sliding window (over the whole file, so a quote wrapped over lines of a
  docstring or a Markdown paragraph is still seen); a window that is a real
  run is a **finding** unless the allow-list below covers it.  The whole
  check takes about 4 s.

The allow-list: the national template, not the reports
-------------------------------------------------------
Every report prints the standard headings and table labels, and the code must
contain them to read reports. A window is allowed when fewer than 12 of its
CJK characters lie outside *template phrases*, which are only:

1. the non-ASCII phrases of ``../shared/spec/format.md`` (the spec of the
   standard 2019/2021 layout: section titles, table rows and columns);
2. ``STATUTE`` below: the items a report must contain as the 政府信息公开条例
   words them (2007 第三十二条, 2019 第五十条, the old reports' headings), the
   names of the 条例 and of the notice that issues the 2021 report format,
   and the labels of the 2021 format's tables and the parts of its 总体情况
   that ``format.md`` leaves out;
   ``POLICY``: four fixed formulas of national 政务公开 documents (a
   regulation's name, 五公开, the four rights, the review formula);
   a clause of any of these phrases (split at ，：；。、) of 4 characters or
   more counts on its own;
3. text matched by a section-title pattern of ``textmine/data/sections.toml``
   (``[[title]]`` entries, prefix + pattern): a heading the reader recognises.

Nothing is ever allowed because it occurs in a report, and no narrative
sentence is ever a template phrase: a sentence that merely contains a heading
or a label still fails on its other 12 CJK characters.
"""

from __future__ import annotations

import csv
import html
import re
import subprocess
import time
import tomllib
from collections import defaultdict
from pathlib import Path

from conftest import ROOT, shared_path

WIDTH = 20  # characters in a run
MIN_CJK = 12  # CJK characters a run needs (and a finding needs outside template phrases)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DROP = re.compile(r"[\s|\u00a0\u3000\ufeff]+")

# The national template's own words that spec/format.md does not spell out.
STATUTE = (
    # 中华人民共和国政府信息公开条例 (2019) 第五十条: what a report must contain.
    "行政机关主动公开政府信息的情况",
    "行政机关收到和处理政府信息公开申请的情况",
    "因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
    "政府信息公开工作存在的主要问题及改进情况",
    "各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究结果情况",
    "其他需要报告的事项",
    # The same article of the 2007 条例 (第三十二条): the 2008-2018 reports' headings.
    "行政机关依申请公开政府信息和不予公开政府信息的情况",
    "政府信息公开的收费及减免情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况",
    # The names of the law and of the notice that issues the report format.
    "中华人民共和国政府信息公开条例",
    "国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知",
    # Labels of the 2021 format's tables (国办公开办函〔2021〕30号) beyond format.md.
    "信息内容",
    "申请人情况",
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
    "本年度办理结果",
    "未经复议直接起诉",
    "复议后起诉",
    # The five parts of the 2021 format's 一、总体情况 (format.md names the first and the last).
    "主动公开情况",
    "依申请公开情况",
    "政府信息管理情况",
    "政府信息公开平台建设情况",
    "监督保障情况",
)

# Fixed formulas of national 政务公开 policy that reports quote (never a report's sentence).
POLICY = (
    "政府信息公开信息处理费管理办法",  # the fee rules, 国办函〔2020〕109号
    "决策、执行、管理、服务、结果“五公开”",  # 关于全面推进政务公开工作的意见 (2016)
    "知情权、参与权、表达权和监督权",  # the citizens' four rights of the Party's and State's documents
    "政治关、法律关、政策关、保密关、文字关",  # the content-review formula of 政务公开 guidance
)


def _normalise(text: str) -> str:
    return _DROP.sub("", text)


def _strip_tags(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def _real_texts(shared: Path) -> dict[str, str]:
    from textmine.read import read

    corpus = shared / "corpus"
    with (corpus / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        rebuilt = {
            row["file"].split("/")[-1]
            for row in csv.DictReader(f, delimiter="\t")
            if row["shape"].startswith("rebuilt")
        }
    texts = {}
    for path in sorted((corpus / "reports").iterdir()) + sorted((shared / "seeds").iterdir()):
        if path.suffix == ".txt":
            text = path.read_text("utf-8")
        elif path.suffix in (".html", ".htm"):
            text = _strip_tags(path.read_text("utf-8", errors="replace"))
        elif path.suffix in (".docx", ".pdf"):
            if path.name in rebuilt:
                continue
            text = read(path).text
        else:
            raise AssertionError(f"{path}: a report format this test does not read")
        texts[str(path)] = _normalise(text)
    return texts


def _cjk_prefix(text: str) -> list[int]:
    counts = [0]
    for ch in text:
        counts.append(counts[-1] + bool(_CJK.match(ch)))
    return counts


def _real_runs(texts: dict[str, str]) -> set[str]:
    runs = set()
    for text in texts.values():
        cjk = _cjk_prefix(text)
        for i in range(len(text) - WIDTH + 1):
            if cjk[i + WIDTH] - cjk[i] >= MIN_CJK:
                runs.add(text[i : i + WIDTH])
    return runs


def _template_patterns(shared: Path) -> list[re.Pattern]:
    spec = (shared / "spec" / "format.md").read_text("utf-8")
    spec = re.sub(r"(?<=[^\x00-\x7f])\n\s*(?=[^\x00-\x7f])", "", spec)  # a phrase wrapped over two lines
    phrases = set(re.findall(r"[^\x00-\x7f]{2,}", spec)) | {_normalise(s) for s in STATUTE + POLICY}
    # A clause of a phrase counts on its own when it has 4 characters or more:
    # 因政府信息公开工作被申请行政复议或提起行政诉讼 is the 条例's clause plus 或提起行政诉讼.
    phrases |= {part for p in list(phrases) for part in re.split(r"[，：；。、]", p) if len(part) >= 4}
    literal = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
    sections = tomllib.loads((ROOT / "textmine" / "data" / "sections.toml").read_text("utf-8"))
    titles = []
    for entry in sections["title"]:
        alternatives = entry["pattern"] if isinstance(entry["pattern"], list) else [entry["pattern"]]
        prefix = entry.get("prefix", "")
        titles += [re.compile(f"(?:{prefix})?(?:{alt})" if prefix else alt) for alt in alternatives]
    return [literal, *titles]


def _tracked_texts() -> dict[str, str]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    files = {}
    for name in names.decode("utf-8").split("\0"):
        path = ROOT / name
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        try:
            files[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return files


def _findings(name: str, raw: str, runs: set[str], template: list[re.Pattern]) -> list[str]:
    # Normalise line by line, remembering the line each kept character came from.
    chars, lines = [], []
    for number, line in enumerate(raw.splitlines(), 1):
        kept = _normalise(line)
        chars.append(kept)
        lines += [number] * len(kept)
    text = "".join(chars)
    hits = [i for i in range(len(text) - WIDTH + 1) if text[i : i + WIDTH] in runs]
    if not hits:
        return []
    covered = bytearray(len(text))
    for pattern in template:
        for m in pattern.finditer(text):
            covered[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    bad = [i for i in hits if sum(1 for j in range(i, i + WIDTH) if not covered[j] and _CJK.match(text[j])) >= MIN_CJK]
    # One finding per stretch of overlapping windows, shown whole.
    out, start, end = [], None, None
    for i in bad + [None]:
        if i is not None and end is not None and i <= end:
            end = i + WIDTH
            continue
        if start is not None:
            out.append(f"{name}:{lines[start]}: {text[start:end]}")
        if i is not None:
            start, end = i, i + WIDTH
    return out


def test_no_real_report_text_in_the_repository():
    shared = shared_path()
    began = time.perf_counter()
    runs = _real_runs(_real_texts(shared))
    template = _template_patterns(shared)
    findings = []
    for name, raw in sorted(_tracked_texts().items()):
        findings += _findings(name, raw, runs, template)
    elapsed = time.perf_counter() - began
    by_file = defaultdict(int)
    for f in findings:
        by_file[f.split(":", 1)[0]] += 1
    assert not findings, (
        f"{len(findings)} run(s) of real report text in {len(by_file)} tracked file(s) "
        f"({elapsed:.1f} s); write the case in our own words or read the report from ../shared:\n" + "\n".join(findings)
    )
