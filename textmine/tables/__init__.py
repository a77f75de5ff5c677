"""Tables 2–4: layouts as data, one reader for every flattening, and the
splitter for cells that ran together."""

from .extract import TablesResult, detect_layout, extract_tables

__all__ = ["TablesResult", "detect_layout", "extract_tables"]
