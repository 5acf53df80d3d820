"""Demo: an actively exploited vulnerability in a connected product (Cyber Resilience Act).

The press line's defect-vision model also ships in the HV-200 inspection module of the
connected press controller Hanbit sells to plants in Germany and Poland, so its card makes
it a product with digital elements on the EU market. A customer's security team reports
that the module's update agent is being attacked through an authentication bypass; the
compliance officer records it as an actively exploited vulnerability, which starts the
Art. 14 clocks: the 24-hour early warning is filed the same evening, the 72-hour
notification is still running and no fix is available yet.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from haechi.compliance.messages import message

if TYPE_CHECKING:
    from haechi.core import Haechi

    from .build import DemoContext

PRODUCT = "press-defect-vision"
TITLE = message(
    "text.bilingual",
    en="Authentication bypass in the HV-200 inspection module's update agent exploited at a customer plant",
    ko="HV-200 검사 모듈 업데이트 에이전트의 인증 우회 취약점이 고객사 공장에서 실제 악용됨")
DESCRIPTION = message(
    "text.bilingual",
    en="The security team of a stamping plant in Poland found requests that skip the update agent's login and "
       "push an unsigned model file to two HV-200 modules. The modules kept inspecting, but the rejected-part "
       "rate dropped. Firmware 4.2 and earlier are affected.",
    ko="폴란드 프레스 공장 고객사 보안팀이 업데이트 에이전트의 로그인을 건너뛰고 서명되지 않은 모델 파일을 "
       "HV-200 모듈 두 대에 밀어 넣은 요청을 발견했습니다. 모듈은 검사를 계속했지만 불량 판정률이 떨어졌습니다. "
       "펌웨어 4.2 이하가 영향을 받습니다.")


def open_vulnerability(hc: Haechi, ctx: DemoContext) -> str | None:
    """The incident with its CRA clocks; ``None`` when the clocks cannot start (e.g. a past 'today')."""
    officer = ctx.user("compliance@hanbit.example")
    now = hc.compliance.clock()
    aware = min(now, dt.datetime.combine(ctx.today, dt.time(9), dt.UTC)) - dt.timedelta(hours=20)
    svc = hc.compliance.incidents
    opened = svc.open(officer, title=TITLE["params"]["en"], system=PRODUCT, source="complaint", severity="high",
                      cra="exploited_vulnerability", aware_at=aware, description=DESCRIPTION["params"]["en"],
                      source_ref={"messages": {"title": TITLE, "description": DESCRIPTION}},
                      affected={"고객사 공장": 1, "HV-200 모듈": 2})
    ref = str(opened["ref"])
    if not opened["cra_clocks"]:
        return ref
    svc.file_report(officer, ref, clock="cra.14.early_warning", filed_at=aware + dt.timedelta(hours=9),
                    reference="CSIRT-PL-2026-0412", note="ENISA 단일 보고 플랫폼으로 조기 경보 제출")
    svc.set_status(officer, ref, "investigating", "영향받은 펌웨어 버전 확인 중")
    _actions(svc, officer, ref, ctx.today)
    return ref


def _actions(svc: Any, officer: Any, ref: str, today: dt.date) -> None:
    svc.add_action(officer, ref, "업데이트 에이전트 포트를 고객사 방화벽에서 임시 차단하도록 안내", "it@hanbit.example",
                   today.isoformat())
    svc.add_action(officer, ref, "서명 검증을 강제하는 펌웨어 4.3 배포", "ml@hanbit.example",
                   (today + dt.timedelta(days=4)).isoformat())
    svc.add_action(officer, ref, "영향받은 고객사 전체에 조치 방법 안내 (제14조제8항)", "quality@hanbit.example",
                   (today + dt.timedelta(days=1)).isoformat())
