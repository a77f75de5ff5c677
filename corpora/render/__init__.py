"""Writers for a synthetic report given as *blocks*.

A report is a list of blocks; each block is either a paragraph (``str``) or a
:class:`Table`.  A table lists, per row, only the cells that *start* in that
row (the HTML convention): positions covered by an earlier ``rowspan`` /
``colspan`` are omitted (:mod:`corpora.render.blocks`).

Writers, one module each:

* :func:`write_txt` (:mod:`~corpora.render.to_txt`) — plain text with one of
  the flattenings in :data:`FLATTENINGS` (each seen in real reports).
* :func:`write_html` (:mod:`~corpora.render.to_html`) — a web page with real
  ``<table>`` markup, optional page chrome, optional digits split across
  ``<span>`` elements.
* :func:`write_docx` (:mod:`~corpora.render.to_docx`) — python-docx, merged
  cells via ``cell.merge``.
* :func:`write_pdf` (:mod:`~corpora.render.to_pdf`) — reportlab platypus, CJK
  font ``STSong-Light``.

All writers are deterministic: the only randomness (which blank cells become
``\\xa0``, where spaces are inserted, …) comes from a ``random.Random`` seeded
by the ``seed`` argument.
"""

from corpora.render.blocks import Block, Cell, Table, grid, is_heading, iter_paragraphs
from corpora.render.to_docx import write_docx
from corpora.render.to_html import write_html
from corpora.render.to_pdf import write_pdf
from corpora.render.to_txt import FLATTENINGS, SPLIT_HEADER_CELLS, write_txt

__all__ = [
    "Cell",
    "Table",
    "Block",
    "FLATTENINGS",
    "SPLIT_HEADER_CELLS",
    "grid",
    "is_heading",
    "iter_paragraphs",
    "write_txt",
    "write_html",
    "write_docx",
    "write_pdf",
]
