"""textmine: read, check and classify 政府信息公开工作年度报告.

>>> import textmine
>>> record = textmine.analyze("report.html")   # doctest: +SKIP
>>> record.to_json()                           # doctest: +SKIP
>>> textmine.analyze_text(page, source="https://…")  # doctest: +SKIP

Imports are lazy so that ``import textmine`` costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import TextmineError
    from .pipeline import analyze, analyze_text
    from .read import read
    from .record import Document, Record

__all__ = ["Document", "Record", "TextmineError", "analyze", "analyze_text", "read"]


def __getattr__(name: str) -> Any:
    if name in ("analyze", "analyze_text"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "read":
        # The subpackage, callable as the function: importing any of its
        # modules binds this name to it anyway (textmine.read.__init__).
        import importlib

        return importlib.import_module(".read", __name__)
    if name in ("Document", "Record"):
        from . import record

        return getattr(record, name)
    if name == "TextmineError":
        from .errors import TextmineError

        return TextmineError
    raise AttributeError(f"module 'textmine' has no attribute {name!r}")
