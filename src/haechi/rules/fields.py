"""The card fields a pack condition may read, their types, and the question for each.

The catalogue is built from :class:`~haechi.domain.card.SystemCard` itself, so a new
card field is usable in packs at once. Packs are checked against it when loaded: a
misspelt field or a value outside a vocabulary is refused with a suggestion. The
question texts turn an unknown field into something a person can answer (ko/en);
packs may override them.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from haechi.domain.card import SystemCard

from .labels import field_label, value_labels

#: Pseudo-field holding the evaluation date; only pack notes may read it.
AS_OF = "$as_of"

FieldKind = Literal["bool", "number", "text", "date", "choice", "choices", "texts"]


@dataclass(frozen=True)
class CardField:
    """One readable leaf of the card: its dotted path, kind and vocabulary."""

    path: str
    kind: FieldKind
    choices: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return self.kind in ("choices", "texts")


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, ...]`` → ``X``."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            annotation = rest[0] if len(rest) == 1 else annotation
            if len(rest) != 1:
                return annotation
        else:
            return annotation


def _scalar_kind(annotation: Any) -> tuple[FieldKind, tuple[str, ...]] | None:
    annotation = _strip_optional(annotation)
    if get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in get_args(annotation))
    if annotation is bool:
        return "bool", ()
    if annotation in (int, float):
        return "number", ()
    if annotation is str:
        return "text", ()
    if annotation is dt.date:
        return "date", ()
    return None


def _collect(model: type[BaseModel], prefix: str, out: dict[str, CardField]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = _strip_optional(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _collect(annotation, f"{path}.", out)
            continue
        if get_origin(annotation) is list:
            inner = _scalar_kind(get_args(annotation)[0])
            if inner is not None:
                kind: FieldKind = "choices" if inner[0] == "choice" else "texts"
                out[path] = CardField(path, kind, inner[1])
            continue
        scalar = _scalar_kind(annotation)
        if scalar is not None:
            out[path] = CardField(path, scalar[0], scalar[1])


@cache
def card_fields() -> dict[str, CardField]:
    """Every readable card path (``operator.country``, ``generative.modalities`` …)."""
    out: dict[str, CardField] = {}
    _collect(SystemCard, "", out)
    out[AS_OF] = CardField(AS_OF, "date")
    return out


# Questions asked when a field is unknown. Keys are card paths; the wording follows the
# field comments in spec/system-card.md.
QUESTIONS: dict[str, tuple[str, str]] = {
    "markets": ("In which markets is the system offered (e.g. KR, EU, JP, US)?",
                "이 시스템을 어느 시장에 제공합니까? (예: KR, EU, JP, US)"),
    "roles": ("Is your organisation the developer of the system, a deployer offering it, or both?",
              "귀사는 이 시스템의 개발사업자입니까, 이용사업자입니까, 또는 둘 다입니까?"),
    "domains": ("In which areas is the system used (e.g. employment, credit, healthcare)?",
                "이 시스템은 어떤 영역에 사용됩니까? (예: 채용, 대출 심사, 보건의료)"),
    "education_level": ("Which education level are the learners at?",
                        "평가 대상 학습자는 어느 교육 단계입니까?"),
    "significant_impact": (
        "Could the system significantly affect, or pose a risk to, people's life, physical "
        "safety or fundamental rights?",
        "이 시스템이 사람의 생명·신체의 안전 또는 기본권에 중대한 영향을 미치거나 위험을 "
        "초래할 수 있습니까?"),
    "human_final_decision": ("Does a human make the final decision in each case?",
                             "각 사안의 최종 결정을 사람이 내립니까?"),
    "profiling": ("Does the system profile natural persons?",
                  "이 시스템이 자연인을 프로파일링합니까?"),
    "eu_derogation": (
        "Has an EU Art. 6(3) condition been assessed? (narrow procedural task, improves a "
        "completed human activity, detects decision patterns, preparatory task, or none)",
        "EU 제6조제3항 예외 요건을 검토했습니까? (좁은 절차적 작업, 완료된 인간 활동의 개선, "
        "결정 패턴 탐지, 준비 작업, 해당 없음)"),
    "internal_use_only": ("Is the system used only for your organisation's own internal business?",
                          "이 시스템을 귀사 내부 업무에만 사용합니까?"),
    "defence_or_security_only": (
        "Is the system developed and used solely for national defence or national security?",
        "이 시스템은 오로지 국방 또는 국가안보 목적으로만 개발·이용됩니까?"),
    "decides_about_people": (
        "Does the system judge, evaluate or decide about individual people in ways that affect "
        "their rights or obligations (e.g. insurance underwriting, promotion or dismissal, risk "
        "scoring, eligibility, fees)?",
        "이 시스템이 개인의 권리·의무에 영향을 미치는 판단·평가·결정을 합니까? (예: 보험 인수 "
        "심사, 승진·해고, 위험도 평가, 자격 판정, 요금 부과)"),
    "infrastructure_sectors": (
        "What does the infrastructure system control: energy (electricity, gas, heat, fuel), "
        "drinking water, transport, digital infrastructure or other? Answer an empty list if none.",
        "이 기반시설 시스템은 무엇을 제어합니까? 에너지(전기·가스·열·연료), 먹는물, 교통, 디지털 "
        "기반시설, 기타 (해당 없으면 빈 목록)"),
    "operator.public_body": (
        "Is the operator a state agency, a local government or a public institution (KR Art. 2(4)(i))?",
        "사업자가 국가기관, 지방자치단체 또는 공공기관입니까? (제2조제4호자목)"),
    "kr.defence_designation": (
        "Are the system's tasks designated under KR Enforcement Decree Art. 2 by the Minister of "
        "National Defence, the Director of the National Intelligence Service or the Commissioner "
        "of the Korean National Police Agency?",
        "이 시스템이 수행하는 업무가 시행령 제2조에 따라 국방부장관, 국가정보원장 또는 "
        "경찰청장이 지정한 업무입니까?"),
    "kr.digital_medical_device": (
        "Is the system a digital medical device under the Digital Medical Products Act?",
        "이 시스템이 「디지털의료제품법」에 따른 디지털의료기기입니까?"),
    "kr.market_effect": (
        "The system is not offered in Korea: does its use abroad affect the Korean market or "
        "users in Korea (KR Art. 4(1))?",
        "이 시스템은 국내에 제공되지 않습니다. 국외에서의 이용이 국내 시장이나 국내 이용자에게 "
        "영향을 미칩니까? (제4조제1항)"),
    "kr.sectoral_measures": (
        "Which sectoral measures listed in KR Enforcement Decree Annex 1 has the operator taken "
        "for this system (e.g. Credit Information Act explanation duty, Financial Consumer "
        "Protection Act Art. 10, Framework Act on Intelligent Informatization Art. 60)? Answer "
        "an empty list if none.",
        "시행령 별표 1에 열거된 개별 법령상 조치 중 이 시스템에 대해 이행한 것은 무엇입니까? "
        "(예: 신용정보법 설명의무, 금융소비자보호법 제10조, 지능정보화 기본법 제60조; 없으면 빈 목록)"),
    "research_only": (
        "Is the system developed and put into service solely for scientific research and development?",
        "이 시스템은 오로지 과학 연구·개발 목적으로만 개발되어 사용됩니까?"),
    "personal_use_only": (
        "Is the system used only by natural persons for purely personal, non-professional purposes?",
        "이 시스템은 자연인이 순수하게 개인적·비직업적 활동에만 사용합니까?"),
    "status": (
        "What is the system's status: planned, in development (not yet placed on the market or put "
        "into service), in production, or retired?",
        "이 시스템의 상태는 무엇입니까? (계획, 개발 중(아직 출시·서비스 투입 전), 운영 중, 퇴역)"),
    "critical_infrastructure_safety_component": (
        "Is the system a safety component in the management and operation of critical digital "
        "infrastructure, road traffic, or the supply of water, gas, heating or electricity (its failure "
        "would endanger people's health or safety or property)?",
        "이 시스템은 핵심 디지털 기반시설, 도로 교통, 또는 물·가스·난방·전기 공급의 관리·운영에서 "
        "안전 구성요소입니까? (고장 시 사람의 건강·안전이나 재산이 위험해짐)"),
    "public_benefits_eligibility": (
        "Is the system used by or on behalf of a public authority to evaluate people's eligibility for "
        "essential public assistance benefits and services (granting, reducing, revoking or reclaiming "
        "them)?",
        "이 시스템은 공공기관이 또는 공공기관을 위하여 필수 공공부조 급여·서비스의 수급 자격"
        "(부여·감액·취소·환수)을 평가하는 데 사용됩니까?"),
    "public_authority_use": (
        "Is the system intended to be used by public authorities?",
        "이 시스템은 공공기관이 사용하도록 되어 있습니까?"),
    "significant_change": (
        "Has the system been (or will it be) significantly changed in its design or intended purpose on "
        "or after the date the EU high-risk rules apply to it?",
        "EU 고위험 규정이 적용되는 날 이후에 시스템의 설계나 의도된 목적이 중대하게 변경되었거나 "
        "변경될 예정입니까?"),
    "generative.intimate_content_safeguards": (
        "Do adequate safeguards stop the system generating or manipulating intimate images, video or "
        "audio of real people without their consent, or child sexual abuse material?",
        "이 시스템이 실제 인물의 동의 없는 성적 이미지·영상·음성이나 아동 성착취물을 생성·조작하지 "
        "못하도록 하는 적절한 보호장치가 있습니까?"),
    "cra.product_with_digital_elements": (
        "Is the system, or is it part of, a hardware or software product placed on the EU market that "
        "connects to a device or network (a product with digital elements)?",
        "이 시스템이 EU 시장에 출시되어 기기나 네트워크에 연결되는 하드웨어·소프트웨어 제품(디지털 요소가 "
        "있는 제품)이거나 그 일부입니까?"),
    "cra.product_class": (
        "Which CRA class is the product in: default, important class I or II (Annex III) or critical "
        "(Annex IV)?",
        "제품의 사이버복원력법 등급은 무엇입니까? (기본, 중요 1등급·2등급(부속서 III), 핵심(부속서 IV))"),
    "cra.support_period_years": (
        "How many years of security support does the manufacturer promise for the product?",
        "제조사가 제품에 약속하는 보안 지원 기간은 몇 년입니까?"),
    "us.states": (
        "In which US states is the system offered or used on residents (e.g. CO, TX, CA)? "
        "Answer an empty list if none.",
        "미국의 어느 주에서 이 시스템을 제공하거나 그 주민에게 사용합니까? (예: CO, TX, CA) "
        "해당 주가 없으면 빈 목록으로 답하십시오."),
    "us.consequential_decision": (
        "Does its output materially influence a decision about a consumer's access to education, "
        "employment, lending or other financial services, essential government services, healthcare, "
        "housing, insurance or legal services?",
        "이 시스템의 결과가 소비자의 교육, 고용, 대출 등 금융 서비스, 필수 공공서비스, 보건의료, 주거, "
        "보험 또는 법률 서비스 이용에 관한 결정에 실질적 영향을 미칩니까?"),
    "us.governmental_entity": (
        "Is your organisation a department, board, office or other unit of a US state or local government?",
        "귀 기관은 미국 주 정부 또는 지방정부의 부처·위원회·사무소 등 행정 단위입니까?"),
    "us.large_frontier_revenue": (
        "Did your organisation, together with its affiliates, have annual gross revenues above USD 500 "
        "million in the preceding calendar year?",
        "귀사와 계열사의 직전 역년 연간 총수입이 합계 5억 미국 달러를 넘었습니까?"),
    "cn.public_opinion_attributes": (
        "Does the service have public-opinion attributes or social-mobilisation capacity in China "
        "(forums, feeds, live streams, public accounts, group chats open to the public)?",
        "중국에서 이 서비스가 여론 속성 또는 사회 동원 능력(게시판, 피드, 라이브 방송, 공개 계정, "
        "공개 단체 대화방 등)을 갖습니까?"),
    "cn.content_platform": (
        "Does the operator run a platform that distributes content uploaded by others?",
        "사업자가 타인이 올린 콘텐츠를 배포하는 플랫폼을 운영합니까?"),
    "cn.algorithmic_recommendation": (
        "Does it push, rank, select, search, filter or dispatch information to users by algorithm?",
        "알고리즘으로 이용자에게 정보를 추천·정렬·선별·검색·필터링하거나 배분합니까?"),
    "generative.modalities": (
        "Does the system generate content, and of which kinds (text, image, audio, video)? "
        "Answer an empty list if it generates none.",
        "이 시스템이 콘텐츠를 생성합니까? 생성한다면 어떤 종류입니까? (텍스트, 이미지, 오디오, "
        "비디오; 생성하지 않으면 빈 목록)"),
    "generative.realistic_synthetic_media": (
        "Does it produce sound, images or video that are hard to tell from reality?",
        "실제와 구분하기 어려운 음향·이미지·영상을 생성합니까?"),
    "generative.outputs_leave_service": (
        "Can users download or share the outputs?",
        "이용자가 생성물을 내려받거나 서비스 밖으로 공유할 수 있습니까?"),
    "generative.ai_use_obvious": (
        "Is the use of AI obvious from the product name, interface or packaging?",
        "제품·서비스의 명칭, 화면 또는 포장만으로 인공지능 사용 사실이 명백합니까?"),
    "interacts_with_people": ("Does the system interact directly with people?",
                              "이 시스템이 사람과 직접 상호작용합니까?"),
    "compute.training_flops": ("What was the cumulative training compute, in FLOPs?",
                               "누적 학습 연산량은 몇 FLOPs입니까?"),
    "compute.state_of_the_art": ("Does the system use state-of-the-art AI technology?",
                                 "최첨단 인공지능 기술을 사용합니까?"),
    "compute.broad_serious_risk": (
        "Could its risks broadly and seriously affect life, safety or fundamental rights?",
        "그 위험이 생명·신체·기본권에 광범위하고 중대한 영향을 미칠 수 있습니까?"),
    "gpai": ("Is it a general-purpose AI model (EU Art. 3(63))?",
             "범용 인공지능 모델(EU 제3조제63호)입니까?"),
    "eu_practices": (
        "Does the system engage in any EU Art. 5 practice? Answer an empty list if none.",
        "EU 제5조 금지 관행에 해당하는 기능이 있습니까? 없으면 빈 목록으로 답하십시오."),
    "eu_annex_i_safety_component": (
        "Is it a safety component of, or itself, a product under EU Annex I law that needs "
        "third-party conformity assessment?",
        "EU 부속서 I 법령상 제3자 적합성 평가 대상 제품이거나 그 안전 구성요소입니까?"),
    "operator.country": ("In which country is the operator established (ISO code)?",
                         "운영 사업자의 설립 국가는 어디입니까? (ISO 코드)"),
    "operator.korean_office": ("Does the operator have an address or business office in Korea?",
                               "사업자가 국내에 주소 또는 영업소를 두고 있습니까?"),
    "operator.annual_revenue_krw": ("What was the operator's total revenue last year, in KRW?",
                                    "사업자의 전년도 매출액(원)은 얼마입니까?"),
    "operator.ai_revenue_krw": ("What was last year's revenue from AI services, in KRW?",
                                "전년도 인공지능 서비스 매출액(원)은 얼마입니까?"),
    "operator.avg_daily_users_kr": (
        "How many users in Korea per day on average in the last three months of last year?",
        "전년도 말 직전 3개월간 국내 일평균 이용자 수는 몇 명입니까?"),
    "operator.fined_for_order_noncompliance": (
        "Has the operator been fined for not complying with an Art. 40(3) order?",
        "제40조제3항에 따른 명령 불이행으로 과태료를 부과받은 적이 있습니까?"),
    "deployed_at": ("When was the system (or model) first placed on the market or put into service?",
                    "이 시스템을 처음 출시하거나 서비스에 투입한 날짜는 언제입니까?"),
    "data.personal_data": ("Does the system process personal data?",
                           "이 시스템이 개인정보를 처리합니까?"),
    "model.provider": ("Who provides the model (in-house or a third party)?",
                       "모델 제공자는 누구입니까? (자체 개발 또는 제3자)"),
}


def question_for(path: str) -> tuple[str, str]:
    """The (English, Korean) question that settles ``path``; a generic one if none is set."""
    if path in QUESTIONS:
        return QUESTIONS[path]
    return (f"What is the value of '{path}' on the system card?",
            f"시스템 카드의 '{field_label(path, 'ko')}' 값은 무엇입니까?")


def answer_spec(path: str) -> dict[str, Any]:
    """How the question is answered (kind and vocabulary), for forms and the API."""
    info = card_fields().get(path)
    if info is None:
        return {"kind": "text"}
    spec: dict[str, Any] = {"kind": info.kind}
    if info.choices:
        spec["choices"] = list(info.choices)
        spec["labels"] = value_labels(path)
    return spec
