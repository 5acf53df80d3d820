"""Limits on what one piece of user input may cost, checked before it is parsed.

A small file can expand enormously: nested brackets crash C parsers, YAML aliases
repeat a node exponentially, a ZIP or a Parquet file inflates a thousandfold, a PNG
header declares any number of pixels, a spreadsheet declares any number of cells.
Each reader checks the cheap facts (depth, declared size, metadata) against these
limits first and refuses with a message that names the input and the limit, so one
request can neither crash nor freeze the server. The README lists them under "Input
limits".
"""

from __future__ import annotations

import re
from typing import Any

from .errors import PayloadTooLarge, ValidationFailed

# JSON and YAML
MAX_NESTING = 64                 # brackets/indentation levels in one JSON or YAML document
MAX_YAML_BYTES = 8 * 1024 * 1024  # text of one YAML document (packs, cards, specs)
MAX_YAML_NODES = 500_000         # nodes after aliases are expanded ("billion laughs")
MAX_YAML_ALIASES = 10_000        # alias references (*name) in one YAML document

# Archives (evidence inspection, XLSX imports)
MAX_ARCHIVE_ENTRIES = 10_000         # members of one ZIP (evidence, XLSX workbook)

# Tabular files
MAX_PARQUET_ROWS = 5_000_000                  # rows of one Parquet file read as a whole
MAX_PARQUET_INFLATED = 2 * 1024 * 1024 * 1024  # uncompressed bytes of one Parquet file
MAX_SHEET_ROWS = 20_000                        # rows of one imported spreadsheet/CSV
MAX_SHEET_COLUMNS = 200                        # columns of one imported spreadsheet/CSV
MAX_SHEET_CELLS = 2_000_000                    # rows x columns of one imported sheet
MAX_SHEET_INFLATED = 128 * 1024 * 1024         # XML of one XLSX workbook once unzipped

# Images
MAX_IMAGE_PIXELS = 64_000_000  # width x height declared by an image header


def too_large(what: str, what_ko: str, limit: str, fix: str, location: str = "",
              file: str | None = None) -> PayloadTooLarge:
    """A 413 naming the input, the limit it broke and what to do instead."""
    from .errors import Issue

    return PayloadTooLarge(
        f"{what} exceeds the limit of {limit}; {fix}",
        key="domain.exceeds_limit", values={"what_ko": what_ko, "limit": limit},
        issues=[Issue(location, f"exceeds {limit}", fix, file=file)],
    )


_ESCAPE = re.compile(rb"\\.", re.S)
_STRING = re.compile(rb'"[^"]*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_ONE_BRACKET = bytes.maketrans(b"[]", b"{}")  # depth does not depend on the bracket kind


def json_depth_exceeds(data: bytes, limit: int = MAX_NESTING) -> bool:
    """Whether JSON ``data`` nests arrays/objects deeper than ``limit``.

    Runs in C-speed passes (``bytes.translate``/``replace``, a regex) so it can guard a
    C parser that recurses on nesting (Arrow's JSON reader segfaults on a few thousand
    levels): escapes, strings and everything but brackets are dropped, then innermost
    empty pairs are peeled ``limit`` times; anything left is deeper. Malformed input may report ``True``; callers then
    take a path that names the syntax error.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    # Without escapes, quotes alternate open/close, so dropping adjacent pairs (mostly
    # empty strings) keeps the rest well-formed; the regex then sees few strings.
    skeleton = _ESCAPE.sub(b"", data).translate(_ONE_BRACKET, _NOT_BRACKET).replace(b'""', b"")
    skeleton = _STRING.sub(b"", skeleton)
    for _ in range(limit):
        if not skeleton:
            return False
        peeled = skeleton.replace(b"{}", b"")  # one level: "{{}}" becomes "{}"
        if peeled == skeleton:
            return True  # unbalanced: not JSON the fast reader should see
        skeleton = peeled
    return bool(skeleton)


def refuse_deep_json(data: bytes, source: str = "body", limit: int = MAX_NESTING) -> None:
    """Raise :class:`ValidationFailed` when ``data`` nests deeper than ``limit``."""
    if json_depth_exceeds(data, limit):
        from .errors import Issue

        raise ValidationFailed(
            f"{source}: JSON nested more than {limit} levels deep",
            key="domain.json_nested_more_than", values={"source": source, "limit": limit},
            issues=[Issue(source, f"nested deeper than {limit} levels",
                          "send flat objects: features and sensitive hold name: value pairs")],
        )


def refuse_large_parquet(meta: Any, source: str, max_rows: int = MAX_PARQUET_ROWS,
                         max_bytes: int = MAX_PARQUET_INFLATED) -> None:
    """Refuse a Parquet file whose footer declares too many rows or bytes, before reading.

    ``meta`` is a ``pyarrow.parquet.FileMetaData``; a few kilobytes of run-length
    encoding can declare millions of rows, so the footer is checked, not the file size.
    """
    rows = int(meta.num_rows)
    groups = int(meta.num_row_groups)
    inflated = sum(int(meta.row_group(i).total_byte_size) for i in range(groups))
    fix = "split the file into smaller files and send them one by one"
    if rows > max_rows:
        raise too_large(f"{source}: {rows:,} rows", f"{source}: {rows:,}행", f"{max_rows:,} rows", fix,
                        file=source)
    if inflated > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise too_large(f"{source}: {inflated // (1024 * 1024):,} MB uncompressed",
                        f"{source}: 압축 해제 크기", f"{mb:,} MB uncompressed", fix, file=source)


def refuse_large_sheet(rows: int | None, columns: int | None, source: str) -> None:
    """Refuse a sheet whose (declared or counted) size exceeds the spreadsheet limits."""
    fix = f"import at most {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS:,} columns per file; split larger sheets"
    if rows is not None and rows > MAX_SHEET_ROWS:
        raise too_large(f"{source}: {rows:,} rows", f"{source}: 행 수", f"{MAX_SHEET_ROWS:,} rows", fix, file=source)
    if columns is not None and columns > MAX_SHEET_COLUMNS:
        raise too_large(f"{source}: {columns:,} columns", f"{source}: 열 수", f"{MAX_SHEET_COLUMNS:,} columns", fix,
                        file=source)
    if rows is not None and columns is not None and rows * columns > MAX_SHEET_CELLS:
        raise too_large(f"{source}: {rows * columns:,} cells", f"{source}: 셀 수", f"{MAX_SHEET_CELLS:,} cells", fix,
                        file=source)
