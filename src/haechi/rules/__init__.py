"""Laws as data: pack schema, loader, condition language, three-valued engine, crosswalks.

Public API (see "Law packs API" in docs/dev/conventions.md)::

    from haechi.rules import classify, load_packs, obligation_ids
    result = classify(card, as_of=date(2026, 11, 26))      # -> Classification
    result.to_json()                                        # spec/system-card.md output
    result.result("kr-ai-basic-act").obligation("kr.31.1.advance-notice").status

This package is pure: it imports no web, database or CLI library, no store, ledger or
settings. ``classify`` reads the library it is given (the shipped packs by default); a
workspace's verdicts, with its own packs, come from :mod:`haechi.verdicts`.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        as_card,
        classify,
        load_packs,
        obligation_catalogue,
        obligation_ids,
        shipped_library,
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

# Name → module of the public API, imported on first use: the compliance catalogue only
# needs ``haechi.rules.fastyaml``, and loading the engine with it cost a monitor run ~40 ms.
_EXPORTS = {
    **dict.fromkeys(["as_card", "classify", "load_packs", "obligation_catalogue",
                     "obligation_ids", "shipped_library"], ".api"),
    **dict.fromkeys(["Crosswalk", "lookup"], ".crosswalk"),
    **dict.fromkeys(["PackLibrary", "Selected", "parse_ref"], ".library"),
    **dict.fromkeys(["LoadedPack", "content_sha256", "load_pack_file", "load_pack_text"], ".loader"),
    **dict.fromkeys(["STATUSES", "Classification", "ClassResult", "ObligationResult", "PackResult", "Question"],
                    ".results"),
    **dict.fromkeys(["Pack", "pack_json_schema"], ".schema"),
    "Tri": ".tri",
}

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
    "load_pack_file",
    "load_pack_text",
    "load_packs",
    "lookup",
    "obligation_catalogue",
    "obligation_ids",
    "pack_json_schema",
    "parse_ref",
    "shipped_library",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'haechi.rules' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
