"""The README's tour on the command line in Korean: every output reads without English prose.

A demo workspace is built once, then the tour's commands run in order, each in a fresh
``haechi`` process with ``HAECHI_LANG=ko``, as a Korean reader types them. Each must exit
0 and what it prints (stdout and stderr) must pass :func:`tests.walk.language.english_in`:
ids, codes, citations and file names pass by that rule; the few further exceptions below
each say why.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.foundation.test_readme_tour import commands, readme_blocks
from tests.walk.language import english_in

SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.slow

#: Columns of the demo's prediction logs, shown as the logs name them (a drift alert's scope,
#: a fairness alert's group column), and the demo monitors' name as their spec gives it.
LOG_COLUMNS = {"vibration_rms", "temperature_c", "contrast", "brightness", "[age_band]", "[sex]", "[language]",
               "default"}
#: The demo's signing certificate names its holder in English, as issued; the verifier quotes it.
CERTIFICATE_NAMES = ("Hanbit Precision Co., Ltd. content signer (test)", "Hanbit Precision Co., Ltd.")
#: Command-line options (``--all``) are typed as written.
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
#: Media types (image/png) are codes, and Pillow is the imaging library's name.
MEDIA_TYPE = re.compile(r"\b[a-z]+/[a-z0-9.+-]+\b")
NAMES = ("Pillow",)
#: The card field a classifier question asks for (``(kr.sectoral_measures → …)``), as a card file writes it.
CARD_FIELD = re.compile(r"(?<=\()[a-z_.]+(?=\s+→)")


def _readable(output: str, line: str) -> str:
    """The output less what the rule above allows: the files the reader named, log columns,
    certificate names, media types, card fields, options and library names."""
    for argument in shlex.split(line)[1:]:
        if "/" in argument or "." in argument:
            output = output.replace(argument, " ")
    for name in (*CERTIFICATE_NAMES, *NAMES):
        output = output.replace(name, " ")
    output = OPTION.sub(" ", CARD_FIELD.sub(" ", MEDIA_TYPE.sub(" ", output)))
    return " ".join(w for w in output.split() if w.strip("│┃") not in LOG_COLUMNS)


def test_the_tour_reads_in_korean(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAECHI_", "PYTEST", "LC_", "LANG"))}
    env.update({"PYTHONPATH": str(SRC), "NO_COLOR": "1", "COLUMNS": "200", "HAECHI_LANG": "ko"})

    def haechi(line: str) -> subprocess.CompletedProcess[str]:
        argv = shlex.split(line)
        assert argv[0] == "haechi"
        return subprocess.run([sys.executable, "-m", "haechi", *argv[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    built = haechi("haechi demo --home haechi-demo --no-serve")
    assert built.returncode == 0, built.stderr
    env["HAECHI_HOME"] = "./haechi-demo"
    tour = [part.strip() for block in readme_blocks("A 60-second tour") for line in commands(block)
            for part in line.split("&&") if part.strip().startswith("haechi ")]
    assert len(tour) >= 14, tour
    checked = 0
    for line in tour:
        command, _, redirect = line.partition(">")
        result = haechi(command)
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        if redirect:  # the key list the tour saves for the offline check
            (tmp_path / redirect.strip()).write_text(result.stdout, encoding="utf-8")
            continue
        english = english_in(_readable(result.stdout + "\n" + result.stderr, line))
        assert english == [], f"{line}: English in the Korean output: {english}\n{result.stdout}\n{result.stderr}"
        checked += 1
    assert checked == len(tour) - 1  # all but the saved key list
    assert (tmp_path / "dossier.pdf").read_bytes().startswith(b"%PDF")
