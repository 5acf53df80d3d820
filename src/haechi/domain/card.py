"""The system card: the public contract describing one AI system.

Field names follow ``spec/system-card.md`` exactly. Every field except ``id`` and
``name`` may be missing or ``null``, which means "not known"; the rules engine treats
that as *unknown*, never as false. Lists follow the same rule: a missing list is
unknown, an empty list means "none".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .validation import parse_model
from .yamlio import load_file, loads

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]

Role = Literal["developer", "deployer"]
Domain = Literal[
    "energy_supply", "drinking_water", "healthcare", "medical_device", "nuclear",
    "biometric_investigation", "employment", "credit", "transport", "public_decisions",
    "education_assessment", "education_access", "worker_management", "insurance_pricing",
    "emergency_dispatch", "biometric_identification", "biometric_categorisation",
    "emotion_recognition", "critical_infrastructure", "law_enforcement", "migration_border",
    "justice", "elections", "manufacturing", "customer_service", "marketing",
    "content_generation", "internal_productivity", "research", "other",
]
EducationLevel = Literal["early_childhood", "primary", "secondary", "higher", "vocational"]
EuDerogation = Literal[
    "narrow_procedural", "improves_human_result", "detects_patterns", "preparatory", "none"
]
Modality = Literal["text", "image", "audio", "video"]
EuPractice = Literal[
    "subliminal_manipulation", "exploit_vulnerabilities", "social_scoring",
    "crime_prediction_profiling", "untargeted_face_scraping",
    "emotion_recognition_workplace_education", "biometric_categorisation_sensitive",
    "realtime_remote_biometric_id_public_law_enforcement",
    # Added to Art. 5 by Regulation (EU) 2026/1744, from 2026-12-02.
    "intimate_content_or_csam",
]
LifecycleStage = Literal[
    "environmental_analysis", "process_optimisation", "automation", "quality_control",
    "predictive_maintenance", "rnd_support", "safety_systems",
]
SystemStatus = Literal["planned", "development", "production", "retired"]
#: What a critical-infrastructure system controls (KR Art. 2(4)(a), (b), (h) name energy,
#: drinking water and transport; "energy" covers electricity, gas, heat and fuel).
InfrastructureSector = Literal["energy", "drinking_water", "transport", "digital", "other"]
#: Sectoral measures that KR Enforcement Decree Art. 27(5) and Annex 1 credit toward
#: particular points of AI Basic Act Art. 34(1).
KrSectoralMeasure = Literal[
    "dmp_quality_management", "dmp_approval_labelling", "dmp_compliance", "dmp_quality_officer",
    "mda_quality_system", "av_performance_certification", "av_act_duties",
    "vehicle_cybersecurity_certification", "autonomous_ship_approval", "nuclear_operator_rules",
    "credit_info_explanation", "financial_consumer_duties", "informatization_safety_measures",
    "informatization_oversight_measures", "pipa_measures",
]

DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]
EU_PRACTICES: tuple[str, ...] = EuPractice.__args__  # type: ignore[attr-defined]
LIFECYCLE_STAGES: tuple[str, ...] = LifecycleStage.__args__  # type: ignore[attr-defined]


class _Part(BaseModel):
    """Base for every card object: unknown keys are refused so typos surface."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Operator(_Part):
    name: str | None = None
    country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2 of the operator")
    korean_office: bool | None = Field(None, description="has an address or business office in Korea")
    annual_revenue_krw: Annotated[int, Field(ge=0)] | None = None
    ai_revenue_krw: Annotated[int, Field(ge=0)] | None = None
    avg_daily_users_kr: Annotated[int, Field(ge=0)] | None = None
    fined_for_order_noncompliance: bool | None = None
    public_body: bool | None = Field(
        None, description="a state agency, local government or public institution (KR Art. 2(4)(i))")

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Generative(_Part):
    modalities: list[Modality] | None = Field(None, description="empty = not generative")
    realistic_synthetic_media: bool | None = None
    outputs_leave_service: bool | None = None
    ai_use_obvious: bool | None = None
    intimate_content_safeguards: bool | None = Field(
        None, description="adequate safeguards stop the system generating or manipulating non-consensual "
                          "intimate images, video or audio or child sexual abuse material (EU Art. 5 as "
                          "amended by Regulation (EU) 2026/1744)")


class Compute(_Part):
    # allow_inf_nan: "inf" passes ge=0, then PostgreSQL's JSON refuses the Infinity token.
    training_flops: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        None, description="cumulative training compute in FLOPs")
    state_of_the_art: bool | None = None
    broad_serious_risk: bool | None = None


class KoreaAnswers(_Part):
    """Answers only the Korean AI Basic Act asks for."""

    defence_designation: bool | None = Field(
        None, description="its tasks are designated under Enforcement Decree Art. 2 by the Minister "
        "of National Defence, the NIS Director or the Commissioner of the National Police Agency")
    digital_medical_device: bool | None = Field(
        None, description="a digital medical device under the Digital Medical Products Act")
    market_effect: bool | None = Field(
        None, description="its use abroad affects the Korean market or users in Korea (Art. 4(1))")
    sectoral_measures: list[KrSectoralMeasure] | None = Field(
        None, description="sectoral measures taken that Decree Annex 1 credits toward Art. 34(1); "
        "empty = none")


class ChinaAnswers(_Part):
    """Answers only the Chinese AI rules (labelling, generative AI, algorithms) ask for."""

    public_opinion_attributes: bool | None = Field(
        None, description="the service has public-opinion attributes or social-mobilisation capacity "
        "(forums, feeds, live streams, public accounts …): security assessment and algorithm filing")
    content_platform: bool | None = Field(
        None, description="the operator runs a platform that distributes content uploaded by others "
        "(Labelling Measures Art. 6)")
    algorithmic_recommendation: bool | None = Field(
        None, description="it pushes, ranks, selects, searches, filters or dispatches information to "
        "users by algorithm (Algorithm Recommendation Provisions Art. 2)")


CraClass = Literal["default", "important_i", "important_ii", "critical"]


class CraAnswers(_Part):
    """Answers only the EU Cyber Resilience Act (Regulation (EU) 2024/2847) asks for."""

    product_with_digital_elements: bool | None = Field(
        None, description="the system is, or is part of, a hardware or software product with digital elements "
        "placed on the EU market with a data connection to a device or network (CRA Art. 2(1), 3(1))")
    product_class: CraClass | None = Field(
        None, description="CRA class: default, important class I or II (Art. 7, Annex III) or critical "
        "(Art. 8, Annex IV)")
    support_period_years: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        None, description="the support period the manufacturer sets, in years (CRA Art. 13(8))")


#: The 50 states and the District of Columbia (USPS codes), for the state AI laws.
UsState = Literal[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
]


class UsAnswers(_Part):
    """Answers only the US state AI laws (pack ``us-state-ai``) ask for."""

    states: list[UsState] | None = Field(
        None, max_length=51, description="US states where the system is offered or used on their residents "
        "(USPS codes, e.g. CO, TX, CA); empty = none; read only when markets contains US")
    consequential_decision: bool | None = Field(
        None, description="its output materially influences, or is a substantial factor in, a decision about "
        "a consumer's access to education, employment, a financial or lending service, an essential "
        "government service, healthcare, housing, insurance or a legal service (Colorado)")
    governmental_entity: bool | None = Field(
        None, description="the operator is a department, board, office or other unit of a US state or local "
        "government (Texas Bus. & Com. Code 552.001(3))")
    large_frontier_revenue: bool | None = Field(
        None, description="the developer together with its affiliates had annual gross revenues above "
        "USD 500 million in the preceding calendar year (California Bus. & Prof. Code 22757.11)")

    @field_validator("states", mode="before")
    @classmethod
    def _upper_states(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v.strip().upper() if isinstance(v, str) else v for v in value]
        return value


class ModelInfo(_Part):
    name: str | None = None
    version: str | None = None
    type: str | None = None
    provider: str | None = None
    base_model: str | None = None
    metrics: dict[Annotated[str, StringConstraints(min_length=1, max_length=200)],
                  Annotated[float, Field(allow_inf_nan=False)]] | None = Field(
        None, max_length=200, description="evaluation metrics of this version (e.g. from the model registry run)")
    source: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        None, description="where the model is registered, e.g. mlflow:models:/screener/3")

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # ``version: 1.4`` in YAML is a float; a version is text.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class DataInfo(_Part):
    training_data_summary: str | None = None
    personal_data: bool | None = None
    sensitive_data: bool | None = None


class Oversight(_Part):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class Owners(_Part):
    business: str | None = None
    technical: str | None = None
    oversight: Oversight | None = None


class SystemCard(_Part):
    """One AI system. See ``docs/system-card.md`` for every field."""

    id: Slug = Field(description="slug [a-z0-9][a-z0-9-]{1,63}")
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    status: SystemStatus | None = None
    tags: list[str] | None = None
    operator: Operator | None = None
    roles: list[Role] | None = None
    internal_use_only: bool | None = None
    defence_or_security_only: bool | None = None
    research_only: bool | None = Field(
        None, description="developed and put into service solely for scientific research and development "
                          "(EU Art. 2(6))")
    personal_use_only: bool | None = Field(
        None, description="used by natural persons only in a purely personal, non-professional activity "
                          "(EU Art. 2(10))")
    domains: list[Domain] | None = None
    decides_about_people: bool | None = Field(
        None, description="judges, evaluates or decides about individual people in ways that "
        "affect their rights or obligations")
    infrastructure_sectors: list[InfrastructureSector] | None = Field(
        None, description="for critical_infrastructure: what it controls; empty = none of these")
    education_level: EducationLevel | None = None
    significant_impact: bool | None = None
    human_final_decision: bool | None = None
    profiling: bool | None = None
    eu_derogation: EuDerogation | None = None
    generative: Generative | None = None
    interacts_with_people: bool | None = None
    compute: Compute | None = None
    gpai: bool | None = None
    eu_practices: list[EuPractice] | None = None
    eu_annex_i_safety_component: bool | None = None
    critical_infrastructure_safety_component: bool | None = Field(
        None, description="a safety component in the management and operation of critical digital "
                          "infrastructure, road traffic, or water, gas, heating or electricity supply "
                          "(EU Annex III point 2)")
    public_benefits_eligibility: bool | None = Field(
        None, description="used by or for a public authority to evaluate people's eligibility for "
                          "essential public assistance benefits and services (EU Annex III point 5(a))")
    public_authority_use: bool | None = Field(
        None, description="intended to be used by public authorities (EU Art. 111(2): legacy high-risk "
                          "systems comply by 2030-08-02)")
    significant_change: bool | None = Field(
        None, description="significantly changed in design or intended purpose on or after the date the "
                          "EU high-risk rules apply to it (EU Art. 111(2))")
    markets: list[CountryCode] | None = None
    lifecycle_stage: LifecycleStage | None = None
    model: ModelInfo | None = None
    data: DataInfo | None = None
    owners: Owners | None = None
    deployed_at: dt.date | None = Field(
        None, description="first placed on the market or put into service (first production use); EU "
                          "transitional rules (Arts. 50(2), 111(2), 111(3)) read it as the placing-on-market "
                          "date")
    kr: KoreaAnswers | None = None
    cn: ChinaAnswers | None = None
    cra: CraAnswers | None = None
    us: UsAnswers | None = None

    @field_validator("markets", mode="before")
    @classmethod
    def _upper_markets(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v.upper() if isinstance(v, str) else v for v in value]
        return value

    def to_json(self) -> dict[str, Any]:
        """The card as JSON-ready data; unknown (null) fields are left out."""
        return self.model_dump(mode="json", exclude_none=True)

    @property
    def display_name(self) -> str:
        return self.name


def card_json_schema() -> dict[str, Any]:
    """JSON Schema of the card, published in ``docs/schemas/system-card.schema.json``."""
    schema = SystemCard.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://haechi.dev/schemas/system-card.schema.json"
    schema["title"] = "Haechi system card"
    return schema


def read_card(path: str | Path) -> SystemCard:
    """Read and validate a card file (YAML or JSON); errors name file, line and field."""
    doc = load_file(path)
    return parse_model(SystemCard, doc.data, doc, "system card", "시스템 카드")


def parse_card_text(text: str, source: str | None = None) -> SystemCard:
    """Validate card text (YAML or JSON) given directly, e.g. from a web form."""
    doc = loads(text, source)
    return parse_model(SystemCard, doc.data, doc, "system card", "시스템 카드")
