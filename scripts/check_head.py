"""Check that the committed HEAD (not the working tree) imports and migrates cleanly.

Several engineers share one working tree, so a commit can miss a file that exists only
locally. Run after committing: ``.venv/bin/python scripts/check_head.py``. It exports
HEAD into a temporary directory, imports every module of the package from there and
runs the migrations on a fresh SQLite database.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import importlib, pkgutil, sys
import haechi
import haechi_sdk
assert haechi_sdk.__version__ == haechi.__version__, (haechi_sdk.__version__, haechi.__version__)
failed = []
for module in pkgutil.walk_packages(haechi.__path__, "haechi."):
    if ".migrations" in module.name or module.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(module.name)
    except ImportError as exc:  # an optional extra may be missing; a missing module of ours is a bug
        if "haechi" in str(exc):
            failed.append(f"{module.name}: {exc}")
    except Exception as exc:
        failed.append(f"{module.name}: {exc.__class__.__name__}: {exc}")
from haechi import Haechi
Haechi(memory=True).close()
from haechi.api import create_app
create_app(hc=Haechi(memory=True))
if failed:
    print("\\n".join(failed)); sys.exit(1)
print("HEAD imports and migrates cleanly")
"""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        # the server and the SDK distribution (sdk/) of the same commit
        paths = [str(Path(tmp) / "src"), str(Path(tmp) / "sdk" / "src")]
        env = {"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin", "HOME": tmp}
        result = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp, env=env, check=False)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
