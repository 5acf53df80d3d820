"""Laws as data: pack schema, loader, condition language, three-valued engine, crosswalks.

Public API (see "Law packs API" in docs/dev/conventions.md)::

    from haechi.rules import classify, load_packs, obligation_ids
    result = classify(card, as_of=date(2026, 11, 26))      # -> Classification
    result.to_json()                                        # spec/system-card.md output
    result.result("kr-ai-basic-act").obligation("kr.31.1.advance-notice").status

This package is pure: it imports no web, database or CLI library.
"""

from .api import (
    as_card,
    classify,
    default_library,
    load_packs,
    obligation_catalogue,
    obligation_ids,
)
from .crosswalk import Crosswalk, lookup
from .library import PackLibrary, Selected, parse_ref
from .loader import LoadedPack, content_sha256, load_pack_file, load_pack_text
from .results import (
    STATUSES,
    Classification,
    ClassResult,
    ObligationResult,
    PackResult,
    Question,
)
from .schema import Pack, pack_json_schema
from .tri import Tri

__all__ = [
    "STATUSES",
    "ClassResult",
    "Classification",
    "Crosswalk",
    "LoadedPack",
    "ObligationResult",
    "Pack",
    "PackLibrary",
    "PackResult",
    "Question",
    "Selected",
    "Tri",
    "as_card",
    "classify",
    "content_sha256",
    "default_library",
    "load_pack_file",
    "load_pack_text",
    "load_packs",
    "lookup",
    "obligation_catalogue",
    "obligation_ids",
    "pack_json_schema",
    "parse_ref",
]
