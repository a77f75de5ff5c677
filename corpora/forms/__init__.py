"""The forms real report pages take (``corpora/forms.md``), reproduced with our
own agencies, words and numbers, each with its gold.

    python -m corpora.forms --out build/forms --n 180 --seed 13

writes ``reports/``, ``gold/`` (shaped like ``corpora/sample/gold``) and
``manifest.tsv`` (id, file, format, layout, forms).  Every form of
:data:`FORMS` is produced several times; a report carries one to four forms
of different families (a title form, a head, a table flattening, a text
condition).  Each form is described in ``forms.md`` with how many of the
real pages read show it; the sentences and numbers here are ours.

A report starts as a sample report without page chrome
(:func:`corpora.generate.make_report` with ``plain_head``); the forms then
rebuild its head (furniture, metadata block, title lines, opening), reword
its headings, reshape its tables and, at writing, rewrite its text.

Modules: :mod:`~corpora.forms.catalogue` (the forms, which a report carries),
:mod:`~corpora.forms.head` and :mod:`~corpora.forms.body` (what they do to a
report's head and body), :mod:`~corpora.forms.build` (a report built and
written, the corpus), :mod:`~corpora.forms.cli` (the command line).
"""

from corpora.forms.build import generate_forms, make_forms_report, write_forms_report
from corpora.forms.catalogue import FAMILIES, FORMS, Form, plan_forms
from corpora.forms.cli import main

__all__ = [
    "FORMS",
    "FAMILIES",
    "Form",
    "generate_forms",
    "make_forms_report",
    "plan_forms",
    "write_forms_report",
    "main",
]
