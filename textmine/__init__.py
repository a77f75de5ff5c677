"""textmine: read, check and classify 政府信息公开工作年度报告.

>>> import textmine
>>> record = textmine.analyze("report.html")   # doctest: +SKIP
>>> record.to_json()                           # doctest: +SKIP

Imports are lazy so that ``import textmine`` costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import TextmineError
    from .pipeline import analyze
    from .read import read
    from .record import Document, Record

__all__ = ["Document", "Record", "TextmineError", "analyze", "read"]


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from .pipeline import analyze

        return analyze
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
