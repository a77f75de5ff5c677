"""jieba's accurate mode without HMM, word for word, in fewer steps.

The classifier segments every section-五 item with ``Tokenizer.lcut(text,
HMM=False)``.  jieba builds a dict of word-end lists per block (``get_DAG``),
then a dict of best routes from a generator of tuples per position (``calc``):
most of the stage's time.  :func:`cut_no_hmm` walks each block once from its
end, scoring the dictionary words that start at each position as it finds
them, with jieba's own dictionary (``FREQ``, ``total``) and jieba's scoring
and tie-break (the longer word on equal scores), so its tokens are jieba's:
``tests/test_problem_model.py`` compares them on every report it has.

:func:`tokens` is an item as the classifier's word features see it, cut by
:func:`domain_tokenizer`, jieba with the domain's terms.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from math import log
from typing import Any

# jieba's own block patterns (jieba/__init__.py: re_han_default, re_skip_default, re_eng).
_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_LATIN = re.compile("[a-zA-Z0-9]")


def cut_no_hmm(tokenizer: Any, text: str) -> list[str]:
    """``tokenizer.lcut(text, HMM=False)`` (a ``jieba.Tokenizer``), computed faster."""
    tokenizer.check_initialized()
    freq: dict[str, int] = tokenizer.FREQ
    log_total = log(tokenizer.total)
    out: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if _BLOCK.match(block):
            _cut_block(block, freq, log_total, out)
        else:
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)  # one token per character, as jieba yields them
    return out


def _cut_block(block: str, freq: dict[str, int], log_total: float, out: list[str]) -> None:
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        best = 0.0
        best_end = -1
        i = k
        frag = block[k]
        # Every prefix of a dictionary word is in FREQ (with 0 when it is no word).
        while i < n and frag in freq:
            f = freq[frag]
            if f:
                s = log(f) - log_total + score[i + 1]
                if best_end < 0 or s >= best:  # ties: the later end, as max() over (score, end)
                    best, best_end = s, i
            i += 1
            frag = block[k : i + 1]
        if best_end < 0:
            best, best_end = log(freq.get(block[k]) or 1) - log_total + score[k + 1], k
        score[k] = best
        end[k] = best_end
    latin = ""
    x = 0
    while x < n:
        y = end[x] + 1
        word = block[x:y]
        if len(word) == 1 and _LATIN.match(word):
            latin += word  # single Latin letters and digits run together into one token
        else:
            if latin:
                out.append(latin)
                latin = ""
            out.append(word)
        x = y
    if latin:
        out.append(latin)


@lru_cache(maxsize=1)
def domain_tokenizer() -> Any:
    """A jieba tokenizer of its own (no global state) with the domain's terms.

    The user dictionary gives each term a high frequency: with jieba's
    default frequency a term is often still split (政务/新媒体).
    """
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    path = resources.files("textmine.data").joinpath("jieba_user_dict.txt")
    with resources.as_file(path) as real_path:
        tokenizer.load_userdict(str(real_path))
    return tokenizer


def tokens(text: str) -> str:
    """The text as space-separated jieba tokens (punctuation and spaces dropped)."""
    # HMM off: the domain dictionary covers the terms that matter, and the
    # Viterbi pass for unknown words would cost more than the rest of the stage.
    return " ".join(t for t in cut_no_hmm(domain_tokenizer(), text) if t.isalnum() or (t.strip() and not _is_punct(t)))


def _is_punct(token: str) -> bool:
    return all(not ch.isalnum() for ch in token)
