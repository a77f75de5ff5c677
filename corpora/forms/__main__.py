"""``python -m corpora.forms``: see :mod:`corpora.forms.cli`."""

from corpora.forms.cli import main

if __name__ == "__main__":
    main()
