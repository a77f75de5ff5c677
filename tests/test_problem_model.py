"""The learned layer: domain segmentation, the estimator contract, safe files."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from conftest import real_reports, sample_reports
from textmine.errors import TextmineError
from textmine.problems.model import ProblemClassifier
from textmine.problems.model_file import FORMER_DEFAULTS
from textmine.problems.segment import cut_no_hmm, domain_tokenizer, tokens

TRAIN = [
    ("网站部分栏目长期未更新，信息发布滞后。", ["timeliness"]),
    ("信息更新不够及时，个别栏目内容陈旧。", ["timeliness"]),
    ("审核把关不严，出现错敏信息。", ["review"]),
    ("严格落实三审三校制度，先审后发。", ["review"]),
    ("工作人员业务能力不足，培训不够。", ["capacity"]),
    ("加强业务培训，提升队伍专业能力。", ["capacity"]),
    ("政策解读形式单一，图解视频较少。", ["interpretation"]),
    ("丰富政策解读形式，多用图解和视频。", ["interpretation"]),
] * 3


def test_domain_dictionary_changes_segmentation() -> None:
    import jieba

    text = "严格落实三审三校制度，规范政务新媒体"
    plain = jieba.lcut(text)
    domain = tokens(text).split()
    assert "三审三校" in domain and "政务新媒体" in domain
    assert "三审三校" not in plain or "政务新媒体" not in plain


_ODD_TEXTS = [
    "",
    " ",
    "\r\n",
    "ISO9001 认证 x1y2",
    "A&B+C#d_e.f%g-h",
    "ｘｙｚ全角字母",
    "行\r\n内  两个空格\t制表",
    "2023年，本局共办理申请15件，同比增长25.5%。",
    "\u9fd6\u9fff\U00020000",  # past jieba's character class
]


def _texts_and_slices(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        out.append(text)
        # Slices start anywhere (mid-word, mid-number), as an item may.
        out.extend(text[a : a + 97] for a in range(0, len(text), 181))
    return out


def test_segmenter_is_jieba_without_hmm_on_odd_texts() -> None:
    tokenizer = domain_tokenizer()
    for text in _ODD_TEXTS:
        assert cut_no_hmm(tokenizer, text) == tokenizer.lcut(text, HMM=False), repr(text)


def test_segmenter_breaks_ties_as_jieba(tmp_path: Path) -> None:
    import jieba

    # Equal frequencies make 甲乙|丙 and 甲|乙丙 score the same: jieba takes the longer first word.
    words = tmp_path / "dict.txt"
    words.write_text("甲 5\n乙 5\n丙 5\n甲乙 5\n乙丙 5\n", "utf-8")
    tokenizer = jieba.Tokenizer(dictionary=str(words))
    tokenizer.tmp_dir = str(tmp_path)
    assert tokenizer.lcut("甲乙丙", HMM=False) == ["甲乙", "丙"]
    assert cut_no_hmm(tokenizer, "甲乙丙") == ["甲乙", "丙"]


@pytest.mark.parametrize("source", ["sample", "real"])
def test_segmenter_is_jieba_without_hmm_on_reports(source: str) -> None:
    from textmine.read import read

    paths = sample_reports() if source == "sample" else real_reports()
    if not paths:
        pytest.skip(f"no {source} reports here (the real ones are in ../shared, which a user's clone lacks)")
    texts = []
    for path in paths:
        try:
            texts.append(read(path).text)
        except TextmineError:
            continue  # the broken variants
    tokenizer = domain_tokenizer()
    differ = [t[:40] for t in _texts_and_slices(texts) if cut_no_hmm(tokenizer, t) != tokenizer.lcut(t, HMM=False)]
    assert not differ


def test_estimator_contract_and_determinism() -> None:
    texts, labels = zip(*TRAIN)
    clf = ProblemClassifier()
    assert clf.fit(list(texts), list(labels)) is clf
    assert clf.classes_ == ["capacity", "interpretation", "review", "timeliness"]
    again = ProblemClassifier().fit(list(texts), list(labels))
    probe = ["栏目长期未更新", "三审三校没有落实", "解读形式单一"]
    assert clf.predict(probe) == again.predict(probe)
    assert clf.predict(probe)[0] == ["timeliness"]
    assert clf.predict([]) == []


def test_skops_round_trip(tmp_path: Path) -> None:
    texts, labels = zip(*TRAIN)
    clf = ProblemClassifier().fit(list(texts), list(labels))
    path = tmp_path / "m.skops"
    clf.save(path)
    loaded = ProblemClassifier.load(path)
    probe = ["培训不够", "错敏信息较多"]
    assert loaded.predict_proba(probe) == clf.predict_proba(probe)


def test_a_file_with_foreign_types_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    path = tmp_path / "evil.skops"
    sio.dump({"params": "{}", "chars": datetime.date(2020, 1, 1)}, path)
    with pytest.raises(TextmineError, match="datetime.date"):
        ProblemClassifier.load(path)


def test_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.skops"
    path.write_bytes(b"not a zip")
    with pytest.raises(TextmineError, match="broken.skops"):
        ProblemClassifier.load(path)


def test_fast_inference_equals_scikit_learn() -> None:
    """The per-item fast path computes exactly scikit-learn's scores, then calibrates them."""
    import numpy as np

    from textmine.problems.calibrate import sigmoid

    texts, labels = zip(*TRAIN)
    clf = ProblemClassifier().fit(list(texts), list(labels))
    probe = ["网站栏目  长期未更新，Web信息滞后", "三审三校没有落实到位", "培训不够，业务能力弱", "无关的一句话", ""]
    slow = clf.decision_function(probe)  # the vectorizers and the fitted scikit-learn models
    assert slow.shape == (len(probe), 2 * len(clf.classes_)) and clf.n_models_ == 2
    for text, scores in zip(probe, slow):
        decision = clf.decide([text])[0]
        # Each model's calibrated probability, then their mean per class.
        expected = sigmoid(scores * clf.calibration_[:, 0] + clf.calibration_[:, 1]).reshape(2, -1).mean(axis=0)
        assert np.allclose([decision.probabilities[c] for c in clf.classes_], expected, atol=1e-9)
        near = clf.ratio_ * expected.max() if clf.ratio_ < 1 else np.inf
        assert decision.labels == [c for c, p, t in zip(clf.classes_, expected, clf.thresholds_) if p >= t or p >= near]


def test_a_word_alone_does_not_carry_a_label() -> None:
    """issue 12's over-labelling: in grouped cross-validation the shipped
    model is more precise than the rule layer on the categories a word used
    in passing used to add, and `innovation` is found on the held-out
    reports (its F1 there was 0)."""
    metrics = _shipped_metrics()
    cv = metrics["cv"]
    for category in ("coverage", "platforms", "grassroots"):
        model, rules = (cv[m]["all"]["per_category"][category]["precision"] for m in ("model", "rules"))
        assert model >= rules + 0.05, (category, model, rules)
    if metrics["held_out"]:
        # Three held-out items are innovation: one of them moves F1 by about 0.25
        # (the logistic model alone found all three, 0.75; with the SVM, two: 0.5).
        innovation = metrics["held_out"]["model"]["all"]["per_category"]["innovation"]
        assert innovation["f1"] >= 0.5 and innovation["recall"] > 0.5, innovation


def test_thresholds_are_chosen_from_grouped_folds() -> None:
    import numpy as np

    from textmine.problems.calibrate import THRESHOLD_GRID, best_shared_threshold, best_threshold, grouped_folds

    folds = grouped_folds(["a", "a", "b", "c", "c", "d"], 2)
    assert folds[0] == folds[1] and folds[3] == folds[4]
    # F1 is 1 for every threshold from 0.3 to 0.65: the middle of that run, not its first point.
    probabilities = np.array([0.9, 0.7, 0.65, 0.25, 0.2, 0.1])
    truth = np.array([1, 1, 1, 0, 0, 0])
    assert best_threshold(probabilities, truth) == 0.5
    assert best_threshold(probabilities, np.zeros(6)) == 1.0
    # Shared: one cut for both categories; the second item's likeliest (0.3) is
    # kept by the fallback at every cut, so only the first item's 0.45 decides.
    probabilities = np.array([[0.9, 0.45], [0.3, 0.2], [0.1, 0.95]])
    truth = np.array([[1, 0], [1, 0], [0, 1]])
    assert best_shared_threshold(probabilities, truth) == 0.7  # the middle of 0.5 .. 0.9
    assert best_shared_threshold(probabilities, np.zeros((3, 2))) == 1.0
    texts, labels = zip(*TRAIN)
    clf = ProblemClassifier().fit(list(texts), list(labels))
    assert clf.thresholds_.shape == (len(clf.classes_),) and set(clf.thresholds_) <= set(THRESHOLD_GRID)
    assert len(set(clf.thresholds_)) == 1
    own = ProblemClassifier(shared_threshold=False).fit(list(texts), list(labels))
    assert own.thresholds_.shape == (len(own.classes_),) and set(own.thresholds_) <= set(THRESHOLD_GRID)


def test_a_second_category_near_the_likeliest_is_kept_when_the_folds_say_so(tmp_path) -> None:
    """near_likeliest: the ratio to an item's likeliest is chosen with the
    shared threshold on out-of-fold probabilities (1.0, the likeliest alone,
    when a lower ratio buys nothing); a model file of before the ratio
    loads as the likeliest alone."""
    import numpy as np
    import skops.io as sio

    from textmine.problems.calibrate import best_shared_cut, shared_cut

    # The second category of the first two items sits at 0.35-0.4 beside a
    # likeliest of 0.5: no threshold keeps them without the third item's 0.4 noise,
    # a ratio of 0.7 does.
    probabilities = np.array([[0.5, 0.4], [0.5, 0.35], [0.9, 0.4], [0.1, 0.8]])
    truth = np.array([[1, 1], [1, 1], [1, 0], [0, 1]])
    threshold, ratio = best_shared_cut(probabilities, truth)
    assert ratio == 0.7 and (shared_cut(probabilities, threshold, ratio) == truth.astype(bool)).all()
    assert best_shared_cut(probabilities, np.array([[1, 0], [1, 0], [1, 0], [0, 1]]))[1] == 1.0
    texts, labels = (list(x) for x in zip(*TRAIN))
    clf = ProblemClassifier().fit(texts, labels)
    assert clf.ratio_ in (0.6, 0.7, 0.8, 0.9, 1.0)
    assert ProblemClassifier(near_likeliest=False).fit(texts, labels).ratio_ == 1.0
    path = tmp_path / "old.skops"
    clf.save(path)
    state = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    del state["ratio"]
    params = json.loads(state["params"])
    del params["near_likeliest"]
    state["params"] = json.dumps(params)
    sio.dump(state, path)
    old = ProblemClassifier.load(path)
    assert old.ratio_ == 1.0 and old.near_likeliest is False
    params["a_later_setting"] = 1
    state["params"] = json.dumps(params)
    sio.dump(state, path)
    with pytest.raises(TextmineError, match="another textmine version"):
        ProblemClassifier.load(path)


def test_the_svm_sees_the_text_alone_and_can_be_left_out() -> None:
    """The SVM's rows of coef_ follow the logistic models' and weigh no rule
    verdict; svm_C=None is the logistic model alone (a model file of before
    the SVM loads as that)."""
    import numpy as np

    from textmine.problems.rules import CATEGORIES

    texts, labels = (list(x) for x in zip(*TRAIN))
    clf = ProblemClassifier().fit(texts, labels)
    n = len(clf.classes_)
    assert clf.coef_.shape[0] == 2 * n and clf.calibration_.shape == (2 * n, 2)
    assert not clf.coef_[n:, -len(CATEGORIES) :].any() and clf.coef_[n:].any()
    alone = ProblemClassifier(svm_C=None, shared_threshold=False).fit(texts, labels)
    assert alone.n_models_ == 1 and alone.coef_.shape[0] == n
    assert np.allclose(alone.coef_, clf.coef_[:n]) and alone.predict(["栏目长期未更新"]) == [["timeliness"]]


def test_an_item_is_never_left_unlabelled() -> None:
    """taxonomy.md: an item is about something.  With no category past its
    threshold the model gives the nearest one; the rule layer alone, finding
    nothing, says `other` (none of the above)."""
    from textmine.problems.combined import CombinedClassifier, default_classifier

    vague = "持续认真贯彻条例，把各项决策部署抓实抓细抓落地。"
    model = default_classifier()
    assert model.model is not None
    (decision,) = model.model.decide([vague])
    (labels, evidence), (clear, clear_evidence) = model.predict_and_explain([vague, "审核把关不严，出现错敏信息。"])
    assert len(labels) == 1 and labels[0] in model.model.classes_
    if not decision.labels:
        assert evidence[labels[0]][-1]["pattern"] == "model"
    assert clear == ["review"] and clear_evidence["review"][0]["match"] in ("审核", "把关")
    ((rules_labels, rules_evidence),) = CombinedClassifier(model=None).predict_and_explain([vague])
    assert rules_labels == ["other"] and rules_evidence["other"][0]["pattern"] == "none of the above"


def test_get_set_params_clone_and_a_refit_that_starts_afresh() -> None:
    from sklearn.base import clone

    clf = ProblemClassifier(threshold=0.3)
    assert clf.set_params(C=2.0).get_params() == {
        "C": 2.0,
        "char_ngrams": (1, 2),
        "cv": 4,
        "near_likeliest": True,
        "rule_weight": 0.3,
        "rules": True,
        "shared_threshold": True,
        "svm_C": 0.5,
        "threshold": 0.3,
        "words": False,
    }
    assert clone(clf).get_params() == clf.get_params()
    texts, labels = (list(x) for x in zip(*TRAIN))
    probe = ["栏目长期未更新"]
    first = clf.fit(texts, labels).predict(probe)[0]
    # The same instance fitted on other labels: its answers follow the new fit,
    # not tables built from the first (a refit used to keep the old weights).
    swapped = [
        ["review" if label == "timeliness" else "timeliness" if label == "review" else label for label in item]
        for item in labels
    ]
    second = clf.fit(texts, swapped).predict_proba(probe)[0]
    fresh = ProblemClassifier(threshold=0.3, C=2.0).fit(texts, swapped).predict_proba(probe)[0]
    assert first == ["timeliness"] and second == fresh and second["review"] > second["timeliness"]


def test_a_model_that_cannot_be_loaded_is_said_once_and_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from textmine.pipeline import stage_problems
    from textmine.problems import combined
    from textmine.record import Document, Record

    monkeypatch.setattr(combined, "model_file", lambda: None)
    combined.default_classifier.cache_clear()
    try:
        with pytest.warns(UserWarning, match="section-五 model is not loaded"):
            classifier = combined.default_classifier()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the second call says nothing
            assert combined.default_classifier() is classifier
        assert classifier.model is None and "problems.skops" in classifier.missing
        record = Record(
            source="x", text="五、存在的主要问题及改进情况\n一是网站更新不及时。\n六、其他需要报告的事项\n无。"
        )
        stage_problems(record, Document(source="x", text=record.text, format="txt"))
        assert any(n.table == "problems" and "rules alone" in n.message for n in record.notes)
    finally:
        combined.default_classifier.cache_clear()


def test_a_plain_install_ships_and_loads_the_model(tmp_path: Path) -> None:
    """Build the wheel, unpack it into a fresh environment that sees this
    one's dependencies but not its editable textmine, and classify there."""
    import subprocess
    import sys
    import sysconfig
    import zipfile

    root = Path(__file__).resolve().parents[1]
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(root)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no build backend offline?): {build.stderr[-300:]}")
    (wheel,) = wheels.glob("textmine-*.whl")
    shipped = zipfile.ZipFile(wheel).namelist()
    assert {"textmine/models/problems.skops", "textmine/models/problems.json", "textmine/models/problems.md"} <= set(
        shipped
    )
    # Every package of the source tree ships (pyproject lists them by name).
    packages = {p.relative_to(root).as_posix() for p in (root / "textmine").rglob("__init__.py")}
    assert {p for p in packages if "/models/" not in p} <= set(shipped)
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    zipfile.ZipFile(wheel).extractall(site)
    # Our dependencies, as a plain path: the editable textmine's .pth there is not read.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    probe = (
        "import warnings; warnings.simplefilter('error')\n"
        "import textmine\n"
        "from textmine.problems.combined import default_classifier, model_file\n"
        "c = default_classifier()\n"
        "print(textmine.__file__); print(model_file()); print(c.model is not None, c.missing)\n"
        "print(c.predict(['门户网站部分栏目信息更新不及时，内容发布滞后。']))\n"
    )
    out = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    package, model, loaded, prediction = out.stdout.strip().splitlines()
    assert package.startswith(str(site)) and model.startswith(str(site)), out.stdout
    assert loaded == "True None" and "timeliness" in prediction


def test_the_model_card_is_computed_from_the_shipped_metrics() -> None:
    """issue 12: models/problems.md is model_card(problems.json), never edited
    by hand, and describes the model that ships (its parameters)."""
    import json

    from conftest import ROOT
    from textmine.problems.card import model_card
    from textmine.problems.combined import model_file
    from textmine.problems.train import taxonomy

    metrics = json.loads((ROOT / "models" / "problems.json").read_text("utf-8"))
    assert (ROOT / "models" / "problems.md").read_text("utf-8") == model_card(metrics, taxonomy()[1])
    shipped = ProblemClassifier.load(model_file())
    # A model of before a parameter existed was fitted with its former value.
    assert {**shipped.get_params(), "char_ngrams": list(shipped.char_ngrams)} == {
        **FORMER_DEFAULTS,
        **metrics["params"],
    }
    assert metrics["thresholds"] == {c: round(float(t), 3) for c, t in zip(shipped.classes_, shipped.thresholds_)}


def _shipped_metrics() -> dict:
    import json

    from conftest import ROOT

    return json.loads((ROOT / "models" / "problems.json").read_text("utf-8"))


def test_the_cross_validation_figures_are_reproduced() -> None:
    """The card's grouped-CV figures are what the code computes from the data
    (deterministic folds and fits), not numbers written down."""
    from conftest import ROOT, shared_path
    from textmine.problems.train import cross_validate, evaluation_reports, load_annotations, load_gold_items, taxonomy

    metrics = _shipped_metrics()
    if not metrics["training"]["real_gold"]:
        pytest.skip("the shipped model was trained without the real reports")
    shared = shared_path()
    items = load_annotations(ROOT / "corpora" / "annotations" / "problems.jsonl") + load_gold_items(
        shared / "corpus" / "gold", evaluation_reports(ROOT / "corpora" / "annotations" / "problem_splits.toml")
    )
    assert len(items) == metrics["training"]["items"]
    params = {**FORMER_DEFAULTS, **metrics["params"]}
    again = cross_validate(items, taxonomy()[1], modes=("model",), params=params)["model"]
    for part in ("all", "problem", "improvement", "real"):
        assert again[part]["micro_f1"] == metrics["cv"]["model"][part]["micro_f1"], part


def test_our_evaluation_annotations_are_scored_held_out_and_never_trained_on(tmp_path: Path) -> None:
    """The splits file names our annotations kept for evaluation; the shipped
    model's training items hold none of them, and its held-out figures score
    every one.  A splits file naming a missing file is an error naming it."""
    from conftest import ROOT
    from textmine.problems.train import evaluation_annotations, item_digest, load_annotations

    splits = ROOT / "corpora" / "annotations" / "problem_splits.toml"
    path = evaluation_annotations(splits)
    assert path == ROOT / "corpora" / "annotations" / "problems_evaluation.jsonl"
    unseen = load_annotations(path, "annotations-evaluation")
    metrics = _shipped_metrics()
    assert not {item_digest(i.text) for i in unseen} & set(metrics["training"]["item_digests"])
    assert metrics["held_out"]["model"]["annotations"]["items"] == len(unseen)
    assert metrics["training"]["evaluation_annotations"]["items"] == len(unseen)
    broken = tmp_path / "splits.toml"
    broken.write_text('[evaluation]\nannotations = "gone.jsonl"\n', "utf-8")
    with pytest.raises(ValueError, match="gone.jsonl"):
        evaluation_annotations(broken)
    broken.write_text("[evaluation]\nannotations = 3\n", "utf-8")
    with pytest.raises(ValueError, match="file name"):
        evaluation_annotations(broken)
    assert evaluation_annotations(tmp_path / "absent.toml") is None


def test_the_shipped_model_holds_its_figures() -> None:
    """Guards what issue 12 reached (grouped CV over all real items and our
    annotations): macro-F1 ≥ 0.80 for problems and improvements, micro-F1 ≥
    0.84, no category below 0.6."""
    metrics = _shipped_metrics()
    if not metrics["training"]["real_gold"]:
        pytest.skip("the shipped model was trained without the real reports")
    cv = metrics["cv"][metrics["default"]]
    for kind in ("problem", "improvement"):
        assert cv[kind]["micro_f1"] >= 0.86 and cv[kind]["macro_f1"] >= 0.80, (kind, cv[kind])
    weak = {c: s["f1"] for c, s in cv["all"]["per_category"].items() if s["support"] and s["f1"] < 0.6}
    assert not weak


@pytest.mark.xfail(
    strict=True,
    reason="issue 12: grouped-CV micro-F1 is 0.873 for problems and 0.874 for improvements over 1,507 "
    "items (0.876 / 0.876 as the mean of three fold assignments; 0.838 held out on 400 items written "
    "after), the bar is 0.88 (two careful annotators agree at 0.93-0.95 on our items); see models/problems.md",
)
def test_the_shipped_model_meets_the_bar_in_grouped_cross_validation() -> None:
    """issue 12's bar, on the figures the model card prints: grouped CV over
    all real items and our annotations, problems and improvements apart."""
    cv = _shipped_metrics()["cv"]["model"]
    for kind in ("problem", "improvement"):
        assert cv[kind]["micro_f1"] >= 0.88, (kind, cv[kind])
