"""``python -m corpora.generate``: see :mod:`corpora.generate.cli`."""

from corpora.generate.cli import main

if __name__ == "__main__":
    main()
