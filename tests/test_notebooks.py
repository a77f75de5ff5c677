"""The research notebooks run top to bottom, are committed without outputs,
and share ``textmine/plotting.py`` (tested here too)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell


def test_there_are_notebooks() -> None:
    names = {path.name for path in NOTEBOOKS}
    assert {"01_one_report.ipynb", "02_recurring_problems.ipynb", "03_consistency_audit.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install nbclient ipykernel)")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed: no python3 kernel to run notebooks in")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    errors = [
        out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"
    ]
    assert errors == []


# --------------------------------------------------------------------------- textmine.plotting


def test_cjk_font_sets_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager, rcParams

    from textmine.plotting import cjk_font, label

    monkeypatch.setitem(rcParams, "font.sans-serif", list(rcParams["font.sans-serif"]))
    fake = font_manager.FontEntry(fname="/nonexistent/NotoSansCJK.ttc", name="Noto Sans CJK SC")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, fake])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cjk_font() == "Noto Sans CJK SC"
    assert rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert rcParams["axes.unicode_minus"] is False
    assert label("timeliness", "更新不及时") == "更新不及时"
    assert label("timeliness", None) == "timeliness"


def test_without_a_cjk_font_warns_and_labels_fall_back_to_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager, rcParams

    from textmine.plotting import cjk_font, cjk_fonts, label

    monkeypatch.setitem(rcParams, "font.sans-serif", ["Noto Sans CJK SC", "DejaVu Sans"])
    latin = [f for f in font_manager.fontManager.ttflist if "DejaVu" in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    assert cjk_fonts() == []
    with pytest.warns(UserWarning, match="no CJK font"):
        assert cjk_font() is None
    # rcParams still names a CJK font, but it is not installed: keys, not boxes.
    assert label("timeliness", "更新不及时") == "timeliness"


def test_cjk_fonts_prefers_simplified_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    from textmine.plotting import cjk_fonts

    names = ["DejaVu Sans", "Noto Serif CJK JP", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Liberation Serif"]
    entries = [font_manager.FontEntry(fname=f"/x/{i}.ttf", name=n) for i, n in enumerate(names)]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", entries)
    assert cjk_fonts() == ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "Noto Serif CJK JP"]


def test_category_names_are_the_taxonomy() -> None:
    from textmine.plotting import category_names

    names = category_names()
    assert names["timeliness"] == "更新不及时" and names["other"] == "其他"
    assert len(names) == 15
