"""Tables 2–4: layouts as data, one reader for every flattening, and the
splitter for cells that ran together."""

from .extract import TablesResult, detect_layout, extract_tables
from .layouts import layout_cell_keys, load_layouts

__all__ = ["TablesResult", "detect_layout", "extract_tables", "layout_cell_keys", "load_layouts"]
