"""The event of a generative AI system: what a deployer can log without storing content.

One row per generated output. Every field but the timestamp is optional; a metric whose
fields are absent is null (never zero). Flags are 0/1 (booleans are accepted); lengths
are characters (text) or seconds (audio/video) as the deployer chooses, consistently.
The ``generative:`` block of a monitor spec maps these roles to the log's columns; the
SDK's :meth:`haechi.sdk.Monitor.log_generative` writes them under these names, so a
spec reading the lake needs no mapping.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
#: a score's name as the SDK accepts it (``scores={"groundedness": 0.9}`` → ``score_groundedness``)
ScoreName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]
Mark = Literal["visible", "c2pa", "text"]
Modality = Literal["text", "image", "audio", "video"]

#: a mark → the flag column role that says the output carried it
MARK_ROLES: dict[str, str] = {"visible": "mark_visible", "c2pa": "mark_c2pa", "text": "mark_text"}
#: personal-data kinds the SDK's detectors count (one count column each, ``pii_<kind>``)
PII_KINDS: tuple[str, ...] = ("rrn", "phone", "email", "card", "passport")

#: flag roles (0/1 per output) and what they mean, for the docs and error messages
FLAG_ROLES: dict[str, str] = {
    "released": "the output left the service (shown, sent or published to a person or system outside)",
    "mark_visible": "the output carried a perceivable label (visible on images/video, audible on audio)",
    "mark_c2pa": "the output carried a C2PA manifest (machine-readable mark)",
    "mark_text": "the output carried a text disclosure (e.g. 'AI-generated')",
    "notice_shown": "the advance notice that AI is used was shown in this session",
    "refused": "the system refused to answer",
    "safety_triggered": "a safety filter blocked or changed the output",
    "handed_over": "the conversation was handed over to a person",
    "complaint": "the user complained about the output",
    "objection": "the user objected to the output or asked for a human review",
    "c2pa_verified": "the output's C2PA manifest verified (signature and binding)",
    "realistic": "the output is realistic synthetic media (a deepfake in the statutes' sense)",
}
NUMBER_ROLES: dict[str, str] = {
    "input_length": "length of the input (characters or seconds)",
    "output_length": "length of the output (characters or seconds)",
    "latency_ms": "time to answer in milliseconds",
}
TEXT_ROLES: dict[str, str] = {
    "model": "model name", "model_version": "model version", "language": "language of the exchange (ko, en…)",
    "modality": "text, image, audio or video", "session_id": "session id (a hash; no personal data)",
}


class GenerativeColumns(BaseModel):
    """Which log column plays which generative role (defaults: the SDK's names)."""

    model_config = ConfigDict(extra="forbid")

    #: the kind of output; image/audio/video outputs need a C2PA manifest by default
    modality: Modality = "text"
    #: the marks every released output must carry (all of them); unset: the system's
    #: verdict decides on the server (transparency duties), else the modality's default
    required_marks: list[Mark] | None = None
    released: ColumnName = "released"
    mark_visible: ColumnName = "mark_visible"
    mark_c2pa: ColumnName = "mark_c2pa"
    mark_text: ColumnName = "mark_text"
    notice_shown: ColumnName = "notice_shown"
    session_id: ColumnName = "session_id"
    refused: ColumnName = "refused"
    safety_triggered: ColumnName = "safety_triggered"
    handed_over: ColumnName = "handed_over"
    complaint: ColumnName = "complaint"
    objection: ColumnName = "objection"
    latency_ms: ColumnName = "latency_ms"
    c2pa_verified: ColumnName = "c2pa_verified"
    realistic: ColumnName = "realistic"
    #: personal-data count columns (any above 0 flags the output)
    pii: list[ColumnName] = Field(default_factory=lambda: [f"pii_{k}" for k in PII_KINDS], max_length=20)
    #: the app's own scores (groundedness, toxicity …): name → column, each averaged per
    #: window; unset, every logged ``score_<name>`` column is the score ``<name>``
    scores: dict[ScoreName, ColumnName] | None = Field(None, max_length=20)

    def marks_required(self) -> list[str]:
        """The marks a released output must carry: as set, else the modality's default."""
        if self.required_marks is not None:
            return list(dict.fromkeys(self.required_marks))
        return default_marks(self.modality)

    def role_columns(self) -> dict[str, str]:
        """Role → column of every single-column role."""
        return {role: getattr(self, role) for role in (*FLAG_ROLES, "session_id", "latency_ms")}


    def score_columns(self, logged: list[str]) -> dict[str, str]:
        """Score name → column: as mapped, else the ``score_<name>`` columns among ``logged``."""
        if self.scores is not None:
            return dict(self.scores)
        found = sorted(c for c in logged if c.startswith(SCORE_PREFIX) and len(c) > len(SCORE_PREFIX))
        return {c[len(SCORE_PREFIX):]: c for c in found[:MAX_SCORES]}


#: scores averaged per window at most (a log with more ``score_`` columns keeps the first by name)
MAX_SCORES = 20


def default_marks(modality: str) -> list[str]:
    """Without a verdict: text carries a text disclosure, media a C2PA manifest."""
    return ["text"] if modality == "text" else ["c2pa"]


#: numeric and categorical columns a generative spec on the lake watches for drift
DRIFT_NUMERIC: tuple[str, ...] = ("input_length", "output_length", "latency_ms")
DRIFT_CATEGORICAL: tuple[str, ...] = ("language", "model_version")
SCORE_PREFIX = "score_"


def lake_columns(registry: dict[str, list[str] | str]) -> dict[str, object]:
    """The ``columns`` of a generative spec on the lake: groups, and the drift features
    (lengths, latency, app scores, language, model version) among the logged columns."""
    numeric = [str(c) for c in registry.get("numeric", [])]
    categorical = [str(c) for c in registry.get("categorical", [])]
    sensitive = [str(c) for c in registry.get("sensitive", [])]
    logged = set(numeric) | set(categorical) | set(sensitive)
    return {
        "event_id": "event_id", "timestamp": "timestamp", "prediction": "prediction",
        "sensitive": sensitive,
        "numeric": [c for c in DRIFT_NUMERIC if c in numeric] + sorted(c for c in numeric
                                                                         if c.startswith(SCORE_PREFIX)),
        "categorical": [c for c in DRIFT_CATEGORICAL if c in logged],
    }
