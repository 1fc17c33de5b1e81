"""Split a plain CSV file into coded text columns without a Python object per cell.

A *plain* file has no carriage returns, no quote characters except around a whole cell
(with none inside it), and every line holds exactly as many fields as the header; that is
what the benchmark generator, ``merit synth`` and most exports write. For such a file each
column comes back as integer codes (one per row) and the distinct cell texts, in order of
first appearance, which is what ``pandas.factorize`` would give for the column pandas' CSV
parser reads. Anything else returns ``None`` and the caller uses pandas, so unusual files
keep pandas' exact behaviour and error messages.

Cells are compared as bytes, eight at a time: a cell is a run of little-endian 64-bit words
read straight out of the file buffer (``sources`` refuses a file with a zero byte before
this runs, so a masked word identifies its bytes exactly), and equal cells get equal codes
without hashing strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merit.segments import concat_ranges

Coded = tuple[np.ndarray, np.ndarray]
"""Codes (int64, one per row) and the distinct texts (object array of ``str``)."""

_BOM = b"\xef\xbb\xbf"
_MASKS = np.array([(1 << (8 * r)) - 1 for r in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def split_plain(data: bytes, sep: str) -> tuple[list[str], list[Coded], int] | None:
    """Header, one ``Coded`` per column and the number of data rows; ``None`` if not plain."""
    begin = len(_BOM) if data.startswith(_BOM) else 0
    if data.startswith(_BOM, begin) or b"\r" in data:
        return None
    end = data.find(b"\n", begin)
    if end <= begin or b'"' in data[begin:end]:
        return None
    header = data[begin:end].decode("utf-8").split(sep)
    if len(set(header)) != len(header) or any(not h.strip() for h in header):
        return None  # pandas renames these ('Unnamed: 0', 'x.1'); let it
    ncols = len(header)
    body_size = len(data) - end - 1
    if body_size <= data.count(b"\n", end + 1):
        return None  # no data rows
    if ncols == 1 and (data.startswith(b"\n", end + 1) or b"\n\n" in data):
        return None  # blank lines in a one-column file: leave them to pandas
    # the body, ending with a line break, then 8 zero bytes so every word read stays inside
    padded = data[end + 1 :] + (b"" if data.endswith(b"\n") else b"\n") + bytes(8)
    body_size = len(padded) - 8
    buf = np.frombuffer(padded, dtype=np.uint8, count=body_size)
    sep_byte = ord(sep)
    ends = np.flatnonzero((buf == sep_byte) | (buf == 10))
    quoted_cells = b'"' in padded
    if quoted_cells:
        found = _outside_quotes(buf, sep_byte, np.flatnonzero(buf == 34), ends)
        if found is None:
            return None
        ends = found
    if len(ends) % ncols:
        return None
    grid = ends.reshape(-1, ncols)
    if not (buf[grid[:, -1]] == 10).all() or not (buf[grid[:, :-1]] == sep_byte).all():
        return None
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts
    if quoted_cells:
        quoted = buf[starts] == 34
        starts += quoted
        lengths -= 2 * quoted
    words = np.ndarray(shape=(body_size + 1,), dtype="<u8", buffer=padded, strides=(1,))
    starts_by_column = starts.reshape(-1, ncols).T.copy()
    lengths_by_column = lengths.reshape(-1, ncols).T.copy()
    out = [
        _code_cells(buf, words, s, n)
        for s, n in zip(starts_by_column, lengths_by_column, strict=True)
    ]
    return header, out, len(grid)


def _outside_quotes(
    buf: np.ndarray, sep_byte: int, quotes: np.ndarray, ends: np.ndarray
) -> np.ndarray | None:
    """The field ends outside quotes, when every quote pair encloses one whole field
    (``,"a, b",``) with no quote or line break inside; ``None`` for anything else."""
    if len(quotes) % 2:
        return None
    opens, closes = quotes[0::2], quotes[1::2]
    before = buf[np.maximum(opens - 1, 0)]
    if not ((opens == 0) | (before == sep_byte) | (before == 10)).all():
        return None
    after = buf[closes + 1]  # the body ends with a line break, so this is in range
    if not ((after == sep_byte) | (after == 10)).all():
        return None
    inside = np.searchsorted(quotes, ends) % 2 == 1  # an odd number of quotes before it
    lines = ends[buf[ends] == 10]
    if (np.searchsorted(quotes, lines) % 2 == 1).any():
        return None
    return ends[~inside]


def _code_cells(
    buf: np.ndarray, words: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> Coded:
    """Codes by first appearance and the distinct texts of the cells at ``starts``."""
    rows = len(starts)
    word = words[starts] & _MASKS[np.minimum(lengths, 8)]
    codes, firsts = pd.factorize(word)
    codes = codes.astype(np.int64, copy=False)
    active = np.flatnonzero(lengths > 8)
    if len(active):  # longer cells: pair the codes so far with the next word, 8 bytes a step
        offset, next_code = 8, len(firsts)
        while len(active):
            every = len(active) == rows  # then whole columns, without indexing by ``active``
            left = (lengths if every else lengths[active]) - offset
            at = (starts if every else starts[active]) + offset
            word = words[at] & _MASKS[np.minimum(left, 8)]
            word_codes, word_uniques = pd.factorize(word)
            before = codes if every else codes[active]
            pairs, pair_uniques = pd.factorize(before * len(word_uniques) + word_codes)
            if every:
                codes = pairs + next_code
            else:
                codes[active] = pairs + next_code
            next_code += len(pair_uniques)
            offset += 8
            active = active[left > 8]
        codes, _ = pd.factorize(codes)
    count = int(codes.max()) + 1 if rows else 0
    first = np.full(count, rows, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(rows))
    return codes, _texts(buf, starts[first], lengths[first])


def _texts(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The cells at ``starts`` as ``str``: copied out with line breaks between, decoded once."""
    total = int(lengths.sum())
    index = concat_ranges(starts, lengths)
    joined = np.full(total + len(starts), 10, dtype=np.uint8)
    joined[np.arange(total) + np.repeat(np.arange(len(starts)), lengths)] = buf[index]
    texts = joined.tobytes().decode("utf-8").split("\n")[:-1]
    return np.array(texts, dtype=object)
