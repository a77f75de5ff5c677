"""The shape of every data file, as pydantic models.

:func:`textmine.data.load_toml` validates each file against its model when it
is loaded, so a misspelt key, a value of the wrong type or a pattern that
does not compile is an error naming the file and the key, never a default
silently taken. The checks that need the code's own vocabulary (a table cell
key, a section key) stay with the code that owns it.
"""

from __future__ import annotations

from pydantic import BaseModel

from .naming import LevelsFile, MessagesFile, MetaFile, PlacesFile, ReportLabelsFile, SummaryLabelsFile
from .problems import ItemMarkersFile, ProblemPatternsFile, TaxonomyFile
from .reading import (
    ClaimsFile,
    FurnitureFile,
    LayoutsFile,
    ReadingFile,
    RulesFile,
    ScriptFile,
    SectionsFile,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "claims.toml": ClaimsFile,
    "furniture.toml": FurnitureFile,
    "item_markers.toml": ItemMarkersFile,
    "layouts.toml": LayoutsFile,
    "levels.toml": LevelsFile,
    "messages_zh.toml": MessagesFile,
    "meta.toml": MetaFile,
    "places.toml": PlacesFile,
    "problem_patterns.toml": ProblemPatternsFile,
    "reading.toml": ReadingFile,
    "report/labels.toml": ReportLabelsFile,
    "rules.toml": RulesFile,
    "script.toml": ScriptFile,
    "sections.toml": SectionsFile,
    "summary.toml": SummaryLabelsFile,
    "taxonomy.toml": TaxonomyFile,
}
"""Each data file's model, by its path under ``textmine/data``."""
