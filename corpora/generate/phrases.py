"""The phrase bank every generated sentence is drawn from (``corpora/phrases.json``).

Read once, when this module is imported: a small file, and the generator
draws from it throughout a report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PHRASES: dict[str, Any] = json.loads((Path(__file__).parents[1] / "phrases.json").read_text(encoding="utf-8"))

# Section and item numbers: 一 … 十.
CN_NUM = "一二三四五六七八九十"
