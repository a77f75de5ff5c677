"""Score records against gold records shaped like ``shared/corpus/gold/*.json``.

A gold file is matched to a report by stem (``pingtan_2021.txt`` ↔
``pingtan_2021.json``).  Cells: a gold ``null`` is right when the record
leaves the cell blank or absent; a gold number is right when the record
has the same number, *blank* when the record has none (a cell left blank
with a note), and *wrong* otherwise — the one outcome that must not happen.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import TextmineError
from .record import Record

META_FIELDS = ("title", "agency", "year", "published", "layout")


@dataclass
class FileScore:
    file: str
    sections_tp: int = 0
    sections_fp: int = 0
    sections_fn: int = 0
    meta_right: int = 0
    meta_total: int = 0
    meta_wrong: list[str] = field(default_factory=list)
    cells_right: int = 0
    cells_blank: int = 0
    cells_wrong: int = 0
    wrong_cells: list[str] = field(default_factory=list)
    recovered: int = 0
    claims_tp: int = 0
    claims_fp: int = 0
    claims_fn: int = 0
    checks_agree: int = 0
    checks_total: int = 0
    checks_disagree: list[str] = field(default_factory=list)
    # Mutation test (textmine.mutation): numbers restating a table quantity,
    # changed one at a time; caught when text.table fails on them.
    numbers_changed: int = 0
    numbers_caught: int = 0
    numbers_blank: int = 0
    numbers_missed: list[str] = field(default_factory=list)
    false_fails: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def cells_total(self) -> int:
        return self.cells_right + self.cells_blank + self.cells_wrong

    @property
    def cell_accuracy(self) -> float | None:
        return self.cells_right / self.cells_total if self.cells_total else None


@dataclass
class Scores:
    files: list[FileScore]
    # Section 五 per classifier mode (rules, model, combined): item and label F1.
    problems: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _sum(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)

    @property
    def sections_f1(self) -> float:
        tp, fp, fn = self._sum("sections_tp"), self._sum("sections_fp"), self._sum("sections_fn")
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    @property
    def meta_accuracy(self) -> float:
        total = self._sum("meta_total")
        return self._sum("meta_right") / total if total else 1.0

    @property
    def cell_accuracy(self) -> float:
        total = sum(f.cells_total for f in self.files)
        return self._sum("cells_right") / total if total else 1.0

    @property
    def claims_precision(self) -> float:
        tp, fp = self._sum("claims_tp"), self._sum("claims_fp")
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def claims_recall(self) -> float:
        tp, fn = self._sum("claims_tp"), self._sum("claims_fn")
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def numbers_caught_share(self) -> float:
        changed = self._sum("numbers_changed")
        return self._sum("numbers_caught") / changed if changed else 1.0

    @property
    def checks_agreement(self) -> float:
        total = self._sum("checks_total")
        return self._sum("checks_agree") / total if total else 1.0

    def summary(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            "errors": sum(1 for f in self.files if f.error),
            "sections_f1": round(self.sections_f1, 4),
            "meta_accuracy": round(self.meta_accuracy, 4),
            "cell_accuracy": round(self.cell_accuracy, 4),
            "cells_wrong": self._sum("cells_wrong"),
            "cells_blank": self._sum("cells_blank"),
            "cells_recovered": self._sum("recovered"),
            "claims_precision": round(self.claims_precision, 4),
            "claims_recall": round(self.claims_recall, 4),
            "checks_agreement": round(self.checks_agreement, 4),
            "checks_compared": self._sum("checks_total"),
            "numbers_changed": self._sum("numbers_changed"),
            "numbers_caught": self._sum("numbers_caught"),
            "numbers_caught_share": round(self.numbers_caught_share, 4),
            "numbers_blank": self._sum("numbers_blank"),
            "false_fails": self._sum_len("false_fails"),
        }

    def _sum_len(self, attr: str) -> int:
        return sum(len(getattr(f, attr)) for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "problems": self.problems,
            "files": [asdict(f) | {"cell_accuracy": f.cell_accuracy} for f in self.files],
        }


class GoldError(TextmineError):
    """A gold record that cannot be used, or gold that matches no file."""

    stage = "eval"


def load_gold(gold_dir: Path, report: Path) -> dict[str, Any] | None:
    """The gold record of ``report`` (``GOLD_DIR/<stem>.json``), None when
    there is none; a file that is not a JSON object is a :class:`GoldError`."""
    path = gold_dir / f"{report.stem}.json"
    if not path.exists():
        return None
    try:
        gold = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(str(path), f"not a readable gold record ({exc})") from exc
    if not isinstance(gold, dict):
        raise GoldError(str(path), f"a gold record is a JSON object, not a {type(gold).__name__}")
    problems = [key for key, kind in _GOLD_TYPES.items() if key in gold and not isinstance(gold[key], kind)]
    if problems:
        raise GoldError(
            str(path), "wrong type for " + ", ".join(f"{k!r} (want {_GOLD_TYPES[k].__name__})" for k in problems)
        )
    return gold


_GOLD_TYPES: dict[str, type] = {
    "meta": dict,
    "sections": list,
    "tables": dict,
    "claims": list,
    "checks": dict,
    "problems": list,
    "improvements": list,
}


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    return a == b


def score_record(record: Record, gold: dict[str, Any], file: str) -> FileScore:
    score = FileScore(file=file)
    predicted = {s.key for s in record.sections}
    expected = set(gold.get("sections", []))
    score.sections_tp = len(predicted & expected)
    score.sections_fp = len(predicted - expected)
    score.sections_fn = len(expected - predicted)
    for name in META_FIELDS:
        if name not in gold.get("meta", {}):
            continue
        score.meta_total += 1
        if _same(record.meta.get(name), gold["meta"][name]):
            score.meta_right += 1
        else:
            score.meta_wrong.append(f"{name}: {record.meta.get(name)!r} != {gold['meta'][name]!r}")
    for table, cells in (gold.get("tables") or {}).items():
        for key, want in cells.items():
            got = record.tables.get(table, {}).get(key)
            if _same(got, want):
                score.cells_right += 1
            elif got is None:
                score.cells_blank += 1
            else:
                score.cells_wrong += 1
                score.wrong_cells.append(f"{table}.{key}: {got!r} != {want!r}")
    score.recovered = sum(record.recovered_cells.values())
    if "claims" in gold:
        from .scoring import score_claims

        claims = score_claims(record.claims, gold["claims"])
        score.claims_tp, score.claims_fp, score.claims_fn = claims["tp"], claims["fp"], claims["fn"]
    if gold.get("checks"):
        from .scoring import score_checks

        checks = score_checks(record.checks, gold["checks"])
        score.checks_total, score.checks_agree = checks["n"], checks["agree"]
        score.checks_disagree = [
            f"{key}: {v['pred']} != {v['gold']}" for key, v in sorted(checks["disagreements"].items())
        ]
    return score


def evaluate(gold_dir: Path, files: list[Path]) -> Scores:
    """Analyse each file and score it against its gold record.

    Files without a gold record are skipped; files that fail to read are
    scored with their error (and count as missing everything).  Raises
    :class:`GoldError` when no file has a gold record (nothing would be
    scored) or a gold record is malformed.
    """
    from .mutation import mutate_report
    from .pipeline import analyze_document
    from .read import read

    if not any((gold_dir / f"{path.stem}.json").exists() for path in files):
        raise GoldError(
            str(gold_dir),
            f"no gold record matches any of the {len(files)} file(s) "
            "(gold is matched by file stem: report.txt ↔ report.json)",
        )

    scores: list[FileScore] = []
    records: list[tuple[Record, dict[str, Any]]] = []
    for path in files:
        gold = load_gold(gold_dir, path)
        if gold is None:
            continue
        try:
            document = read(path)
            record = analyze_document(document)
        except TextmineError as exc:
            failed = FileScore(file=str(path), error=str(exc))
            failed.sections_fn = len(gold.get("sections", []))
            failed.meta_total = sum(1 for k in META_FIELDS if k in gold.get("meta", {}))
            failed.cells_blank = sum(len(c) for c in (gold.get("tables") or {}).values())
            failed.claims_fn = len(gold.get("claims", []))
            failed.checks_total = len(gold.get("checks", {}))
            scores.append(failed)
            continue
        score = score_record(record, gold, str(path))
        mutated = mutate_report(document, gold, record=record)
        score.numbers_changed, score.numbers_caught = mutated.targets, mutated.caught
        score.numbers_blank, score.numbers_missed, score.false_fails = (
            mutated.blank,
            mutated.missed,
            mutated.false_fails,
        )
        scores.append(score)
        if "problems" in gold or "improvements" in gold:
            records.append((record, gold))
    return Scores(scores, problems=score_problem_modes(records))


def score_problem_modes(records: list[tuple[Record, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Section-五 items and labels under the rule layer alone and under the
    shipped classifier (the default: the model, which weighs the rules)."""
    if not records:
        return {}
    from .problems import CombinedClassifier, default_classifier, extract_items
    from .scoring import score_items

    modes: dict[str, Any] = {"rules": CombinedClassifier(model=None), "model": default_classifier()}
    golds = [g for _, g in records]
    out = {}
    for mode, classifier in modes.items():
        preds = []
        for record, _ in records:
            problems, improvements = extract_items(record, classifier)
            preds.append({"problems": problems, "improvements": improvements})
        result = score_items(preds, golds)
        out[mode] = {
            "item_f1": round(result["items"]["f1"], 4),
            "label_micro_f1": round(result["labels"]["micro"]["f1"], 4),
            "label_macro_f1": round(result["labels"]["macro_f1"], 4),
            "categories_predicted": sorted(
                k for k, v in result["per_category"].items() if v.get("tp", 0) + v.get("fp", 0)
            ),
        }
    out["model"]["seen_in_training"] = _seen_in_training(golds)
    return out


def _seen_in_training(golds: list[dict[str, Any]]) -> list[int]:
    """``[seen, total]``: how many distinct gold item texts the shipped model was trained on."""
    from .problems import shipped_metrics
    from .problems.train import item_digest

    texts = {it["text"] for g in golds for key in ("problems", "improvements") for it in g.get(key) or []}
    trained = set((shipped_metrics() or {}).get("training", {}).get("item_digests", []))
    return [sum(item_digest(t) in trained for t in texts), len(texts)]


def score_claim_annotations(path: Path, split: str | None = None) -> dict[str, Any]:
    """Claims and their table quantities against an annotation file of
    passages (``corpora/annotations/claims.jsonl``: one ``{id, split, text,
    claims}`` per line), the passages of ``split`` only when given.

    Returns claim precision/recall (:func:`~textmine.scoring.score_claims`),
    cell precision/recall (:func:`~textmine.scoring.score_cells`) and the
    misses, each with its passage id.
    """
    from .claims import extract_claims
    from .scoring import same_quantity, score_cells, score_claims

    totals = {"tp": 0, "fp": 0, "fn": 0, "cells_right": 0, "cells_pred": 0, "cells_gold": 0, "passages": 0}
    misses: list[str] = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            passage = json.loads(line)
            if split is not None and passage["split"] != split:
                continue
            text, gold = passage["text"], passage["claims"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{n}", f"not an annotated passage ({exc})") from exc
        pred = extract_claims(text, [], {})
        claims = score_claims(pred, gold)
        cells = score_cells(pred, gold, claims["pairs"])
        totals["passages"] += 1
        for key in ("tp", "fp", "fn"):
            totals[key] += claims[key]
        totals["cells_right"] += cells["right"]
        totals["cells_pred"] += cells["pred"]
        totals["cells_gold"] += cells["gold"]
        pid = passage.get("id", n)
        misses += [f"{pid} extra: {c['text']} = {c['value']}" for c in claims["unmatched_pred"]]
        misses += [f"{pid} missed: {c['text']} = {c['value']}" for c in claims["unmatched_gold"]]
        for pi, gi in claims["pairs"]:
            if (pred[pi].get("cell") or gold[gi].get("cell")) and not same_quantity(pred[pi], gold[gi]):
                misses.append(f"{pid} cell: {gold[gi]['text']}: {pred[pi].get('cell')} != {gold[gi].get('cell')}")

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    return {
        **totals,
        "precision": ratio(totals["tp"], totals["tp"] + totals["fp"]),
        "recall": ratio(totals["tp"], totals["tp"] + totals["fn"]),
        "cell_precision": ratio(totals["cells_right"], totals["cells_pred"]),
        "cell_recall": ratio(totals["cells_right"], totals["cells_gold"]),
        "misses": misses,
    }
