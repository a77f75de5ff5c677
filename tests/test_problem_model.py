"""The learned layer: domain segmentation, the estimator contract, safe files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from textmine.errors import TextmineError
from textmine.problems.model import ProblemClassifier, domain_tokenizer, tokens
from textmine.problems.segment import cut_no_hmm

from conftest import real_reports, sample_reports

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
    """The per-item fast path computes exactly scikit-learn's probabilities."""
    texts, labels = zip(*TRAIN)
    clf = ProblemClassifier().fit(list(texts), list(labels))
    probe = ["网站栏目  长期未更新，Web信息滞后", "三审三校没有落实到位", "培训不够，业务能力弱", "无关的一句话"]
    slow = clf.model_.predict_proba(clf._features(probe))
    fast = [[dict(zip(clf.classes_, row))] for row in slow]
    for text, expected in zip(probe, fast):
        labels_fast, _ = clf.predict_and_explain([text])[0]
        assert labels_fast == clf._labels(expected[0])
    import numpy as np

    fast_matrix = clf._matrix(probe)
    assert np.allclose(fast_matrix.toarray(), clf._features(probe).toarray(), atol=1e-12)
    for i, text in enumerate(probe):
        probs = clf.predict_proba([text])[0]
        assert np.allclose([probs[c] for c in clf.classes_], slow[i], atol=1e-9)


def test_combined_says_other_when_no_layer_finds_a_category() -> None:
    """taxonomy.md: `other` is "none of the above"; an item is never left unlabelled."""
    from textmine.problems.combined import default_classifier

    (labels_vague, evidence_vague), (labels_clear, evidence_clear) = default_classifier().predict_and_explain(
        ["持续认真贯彻条例，把各项决策部署抓实抓细抓落地。", "审核把关不严，出现错敏信息。"]
    )
    assert labels_vague == ["other"]
    assert evidence_vague["other"][0]["pattern"] == "none of the above"
    assert labels_clear == ["review"] and "other" not in evidence_clear


def test_get_set_params_clone_and_a_refit_that_starts_afresh() -> None:
    from sklearn.base import clone

    clf = ProblemClassifier(threshold=0.3)
    assert clf.set_params(C=2.0).get_params() == {"C": 2.0, "char_ngrams": (2, 2), "threshold": 0.3}
    assert clone(clf).get_params() == clf.get_params()
    texts, labels = (list(x) for x in zip(*TRAIN))
    probe = ["栏目长期未更新"]
    first = clf.fit(texts, labels).predict(probe)[0]
    # The same instance fitted on other labels: its answers follow the new fit,
    # not tables built from the first (a refit used to keep the old weights).
    swapped = [["review" if label == "timeliness" else "timeliness" if label == "review" else label
                for label in item] for item in labels]
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
        record = Record(source="x", text="五、存在的主要问题及改进情况\n一是网站更新不及时。\n六、其他需要报告的事项\n无。")
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
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(root)],
                           capture_output=True, text=True, timeout=600, check=False)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no build backend offline?): {build.stderr[-300:]}")
    (wheel,) = wheels.glob("textmine-*.whl")
    assert "textmine/models/problems.skops" in zipfile.ZipFile(wheel).namelist()
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
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
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    package, model, loaded, prediction = out.stdout.strip().splitlines()
    assert package.startswith(str(site)) and model.startswith(str(site)), out.stdout
    assert loaded == "True None" and "timeliness" in prediction
