"""Golden cases for the Chinese AI rules (pack ``cn-ai``).

Each case carries its legal reason in a comment, citing the instrument and article:
the Labelling Measures and GB 45438-2025 (from 2025-09-01), the Interim Measures for
Generative AI Services (2023-08-15), the Deep Synthesis Provisions (2023-01-10) and the
Algorithm Recommendation Provisions (2022-03-01).
"""

from __future__ import annotations

import datetime as dt

from .cards import UNKNOWN, card
from .golden_kr_law import LawCase

CN = "cn-ai"
D = dt.date
CN_MARKET = {"markets": ["CN"], "operator__country": "CN"}
LABELS = ["cn.label.4.explicit-label", "cn.label.5.implicit-label"]

CASES: list[LawCase] = [
    # Labelling Measures Arts. 4 and 5: a public image generator labels every output
    # explicitly and in the metadata; it is a generative AI service (GenAI Measures Art. 2).
    LawCase("cn-label-image-generator", card(generative__modalities=["image"], **CN_MARKET), CN,
            classes={"generative": "yes", "public_opinion": "no"},
            applies=[*LABELS, "cn.label.8.user-agreement", "cn.genai.7.training-data",
                     "cn.genai.15.complaints"],
            absent=["cn.genai.17.security-assessment", "cn.algo.24.algorithm-filing"],
            articles={"cn.label.4.explicit-label": "4", "cn.label.5.implicit-label": "5"}),
    # The Labelling Measures start on 2025-09-01 (Art. 14): in June 2025 the labels are not
    # yet in force, while the GenAI Measures (2023-08-15) already bind the same service.
    LawCase("cn-label-not-before-2025-09-01", card(generative__modalities=["text"], **CN_MARKET), CN,
            as_of=D(2025, 6, 1), not_in_force=LABELS, applies=["cn.genai.7.training-data"],
            notes=["labelling-measures-not-yet"]),
    # Art. 4(2): outputs that can be downloaded must carry the explicit label in the file.
    LawCase("cn-label-export-keeps-label", card(generative__modalities=["image"],
            generative__outputs_leave_service=True, **CN_MARKET), CN,
            applies=LABELS, guidance={"cn.label.4.explicit-label": ["export-keeps-label"]}),
    # A non-generative system offered in China: no labelling duty at all (Art. 3 defines the
    # content as AI-generated or synthetic).
    LawCase("cn-no-content-no-label", card(**CN_MARKET), CN, classes={"generative": "no"},
            absent=[*LABELS, "cn.genai.7.training-data"], applies=["cn.label.10.no-label-removal"]),
    # Not offered in mainland China: out of scope (GenAI Measures Art. 2; markets).
    LawCase("cn-out-of-scope-elsewhere", card(generative__modalities=["image"]), CN, in_scope="no"),
    # GenAI Measures Art. 2(3): internal-only use is not a service to the public, so the
    # training-data duties do not reach it; the labels still follow the content (Art. 4/5).
    LawCase("cn-genai-internal-use-excluded", card(generative__modalities=["text"], internal_use_only=True,
            **CN_MARKET), CN, classes={"generative": "no"}, absent=["cn.genai.7.training-data",
            "cn.genai.8.annotation-rules"], applies=LABELS),
    # GenAI Measures Art. 17 and Algorithm Provisions Art. 24: public-opinion attributes
    # trigger the security assessment and the algorithm filing (with its ten-working-day clock).
    LawCase("cn-public-opinion-filing-and-assessment", card(generative__modalities=["text"],
            cn__public_opinion_attributes=True, **CN_MARKET), CN, classes={"public_opinion": "yes"},
            applies=["cn.genai.17.security-assessment", "cn.algo.24.algorithm-filing"],
            reasons={"cn.algo.24.algorithm-filing": "public-opinion attributes"}),
    # Unknown public-opinion attributes: the filing may apply and the question is asked.
    LawCase("cn-public-opinion-unknown-asks", card(generative__modalities=["text"],
            cn__public_opinion_attributes=UNKNOWN, **CN_MARKET), CN, classes={"public_opinion": "unknown"},
            may_apply=["cn.algo.24.algorithm-filing"], questions=["cn.public_opinion_attributes"]),
    # Algorithm Provisions (2022-03-01): a feed ranker must tell users (Art. 16) and offer
    # an off switch (Art. 17); with public-opinion attributes it files from 2022-03-01 (Art. 24),
    # so in 2022 the filing is already in force although the GenAI Measures are not.
    LawCase("cn-recommender-2022", card(cn__algorithmic_recommendation=True, cn__public_opinion_attributes=True,
            **CN_MARKET), CN, as_of=D(2022, 6, 1), classes={"recommender": "yes"},
            applies=["cn.algo.16.inform-users", "cn.algo.17.opt-out", "cn.algo.24.algorithm-filing",
                     "cn.genai.15.complaints"]),
    # Deep Synthesis Provisions Art. 17 (2023-01-10): realistic synthetic faces need a
    # prominent mark; before 2023-01-10 the duty is not in force.
    LawCase("cn-deep-synthesis-mark", card(generative__modalities=["video"],
            generative__realistic_synthetic_media=True, **CN_MARKET), CN, classes={"deep_synthesis": "yes"},
            applies=["cn.deep.17.prominent-mark", *LABELS]),
    LawCase("cn-deep-synthesis-before-2023", card(generative__modalities=["video"],
            generative__realistic_synthetic_media=True, **CN_MARKET), CN, as_of=D(2022, 12, 1),
            not_in_force=["cn.deep.17.prominent-mark"]),
    # Labelling Measures Art. 6: a platform distributing others' uploads checks the metadata
    # and marks AI content, even when it generates nothing itself.
    LawCase("cn-platform-checks-uploads", card(cn__content_platform=True, roles=["deployer"], **CN_MARKET), CN,
            applies=["cn.label.6.platform-checks"], absent=LABELS),
]
