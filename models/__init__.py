"""The trained models textmine ships (``textmine.models`` once installed).

The repository keeps them here, at the top of the project; the build maps this
folder into the package (``pyproject.toml``, ``[tool.setuptools]``), and
:func:`textmine.problems.combined.model_file` reads them with
``importlib.resources``.  Nothing here is code: ``problems.skops`` is the
section-五 classifier, ``problems.md`` its model card.
"""
