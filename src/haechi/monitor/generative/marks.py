"""Which marks a generative system's released outputs must carry, read from its verdict.

The transparency kit decides the same way when it labels an output
(``transparency/labelling.py``): an active labelling duty (KR Art. 31(2), EU Art. 50(2))
means every output is marked — text with a disclosure, images, audio and video with a
C2PA manifest (machine-readable) — and an active deepfake duty (KR Art. 31(3), EU
Art. 50(4)) means realistic synthetic media also need a mark people perceive, which the
``deepfake_mark_coverage`` metric checks on the outputs logged as ``realistic``. A duty
that may apply counts as applying (the kit labels as a precaution); an exempt duty
requires no mark, and label coverage is then null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .fields import default_marks

if TYPE_CHECKING:
    from haechi.transparency.duties import Duties


@dataclass(frozen=True)
class RequiredMarks:
    """The marks of every released output, and the duties behind them."""

    marks: list[str]
    source: str                      # "spec", "verdict" or "default"
    label_basis: list[str] = field(default_factory=list)     # citations of the labelling duties
    deepfake_basis: list[str] = field(default_factory=list)  # citations of the deepfake duties
    notice_basis: list[str] = field(default_factory=list)    # citations of the advance-notice duties

    def to_dict(self) -> dict[str, object]:
        return {"marks": self.marks, "source": self.source, "label_basis": self.label_basis,
                "deepfake_basis": self.deepfake_basis, "notice_basis": self.notice_basis}


def marks_from_duties(duties: Duties, modality: str) -> RequiredMarks:
    """The required marks of a system whose verdict gave ``duties``."""
    from haechi.transparency.duties import LABEL_DUTIES, NOTICE_DUTIES, SYNTHETIC_DUTIES

    label = [d.citation for d in duties.active(LABEL_DUTIES)]
    deepfake = [d.citation for d in duties.active(SYNTHETIC_DUTIES)] if modality != "text" else []
    notice = [d.citation for d in duties.active(NOTICE_DUTIES)]
    marks = default_marks(modality) if label else []
    return RequiredMarks(marks, "verdict", label, deepfake, notice)
