"""Write the published JSON Schemas to docs/schemas/ (run after changing a model)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: (module, function returning the schema, file name) — capabilities add theirs.
SCHEMAS = [
    ("haechi.domain.card", "card_json_schema", "system-card.schema.json"),
    ("haechi.rules.schema", "pack_json_schema", "pack.schema.json"),
]


def main() -> None:
    target = ROOT / "docs" / "schemas"
    target.mkdir(parents=True, exist_ok=True)
    for module, function, name in SCHEMAS:
        schema = getattr(importlib.import_module(module), function)()
        (target / name).write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote docs/schemas/{name}")


if __name__ == "__main__":
    main()
