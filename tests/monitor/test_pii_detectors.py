"""The SDK's personal-data detectors: true positives in Korean and English text, and the
look-alikes their structure rules out (checksums, dates, formats)."""

from __future__ import annotations

import pytest

from haechi.sdk.generative import generative_event, session_hash
from haechi.sdk.pii import count_personal_data, find_personal_data, luhn_valid, redact, rrn_valid

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def with_check_digit(front: str) -> str:
    """A resident registration number: 12 digits and the check digit of the statute's formula."""
    total = sum(int(d) * w for d, w in zip(front, _WEIGHTS, strict=True))
    return front + str((11 - total % 11) % 10)


def wrong_check_digit(front: str) -> str:
    good = with_check_digit(front)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


@pytest.mark.parametrize("front", ["900101123456", "851231234567", "040229412345", "991115512345"])
def test_resident_registration_numbers_with_a_valid_check_digit_are_found(front: str) -> None:
    number = with_check_digit(front)
    assert rrn_valid(number)
    for written in (f"{number[:6]}-{number[6:]}", number, f"{number[:6]} - {number[6:]}"):
        assert count_personal_data(f"고객 주민등록번호는 {written}입니다.")["rrn"] == 1, written


@pytest.mark.parametrize("number", [
    wrong_check_digit("900101123456"),          # checksum fails
    with_check_digit("901301123456"),           # month 13
    with_check_digit("010229312345"),           # 29 Feb 2001 does not exist
    "9001011234",                                # too short
])
def test_look_alikes_of_resident_numbers_are_not_counted(number: str) -> None:
    assert count_personal_data(f"번호 {number[:6]}-{number[6:]} 참조")["rrn"] == 0
    assert not rrn_valid(number)


@pytest.mark.parametrize("phone", ["010-1234-5678", "01012345678", "010 1234 5678", "010.1234.5678",
                                   "+82 10-1234-5678", "+82-2-345-6789", "02-345-6789", "031-1234-5678",
                                   "064 712 3456", "070-1234-5678", "1588-1234"])
def test_korean_phone_numbers_are_found(phone: str) -> None:
    assert count_personal_data(f"연락처: {phone} 로 전화주세요")["phone"] == 1, phone


@pytest.mark.parametrize("text", ["2026-03-01", "주문번호 123-4567-8901", "버전 1.2.3", "금액 1,234,567원",
                                  "우편번호 06236", "ISBN 978-89-1234-567-8"])
def test_dates_amounts_and_codes_are_not_phone_numbers(text: str) -> None:
    assert count_personal_data(text) == {"rrn": 0, "phone": 0, "email": 0, "card": 0, "passport": 0}


def test_email_addresses_are_found_and_near_misses_are_not() -> None:
    found = find_personal_data("Write to kim.hana+ai@example.co.kr or ops@haechi.dev, not @handle or a@b")
    assert found["email"] == ["kim.hana+ai@example.co.kr", "ops@haechi.dev"]


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "4111-1111-1111-1111", "5500005555555559",
                                  "378282246310005", "6011000990139424"])
def test_card_numbers_that_pass_luhn_are_found(card: str) -> None:
    assert luhn_valid(card.replace(" ", "").replace("-", ""))
    assert count_personal_data(f"card {card} used")["card"] == 1


@pytest.mark.parametrize("card", ["4111 1111 1111 1112", "1234-5678-9012-3456", "0000 0000 0000 0001"])
def test_card_look_alikes_failing_luhn_are_not_counted(card: str) -> None:
    assert count_personal_data(f"card {card} used")["card"] == 0


def test_korean_passport_numbers_old_and_new_formats() -> None:
    found = find_personal_data("여권 M12345678, 신여권 M123A4567, 관용 S87654321; "
                               "아님: X12345678, M1234567, AM12345678")
    assert found["passport"] == ["M12345678", "M123A4567", "S87654321"]


def test_redaction_keeps_kinds_not_values() -> None:
    rrn = with_check_digit("900101123456")
    text = f"{rrn[:6]}-{rrn[6:]} 님, 010-1234-5678 또는 kim@example.com 으로 연락드립니다."
    assert redact(text) == "[rrn] 님, [phone] 또는 [email] 으로 연락드립니다."


def test_a_generative_event_keeps_counts_not_content() -> None:
    prediction, features, groups = generative_event(
        model="support-llm", language="ko", output_text="010-1234-5678 로 연락주세요", input_text="전화번호?",
        latency_ms=820, marks=["text"], session_id="browser-session-42", notice_shown=True, refused=False,
        scores={"groundedness": 0.9}, groups={"channel": "web"})
    assert prediction == 1.0 and groups == {"language": "ko", "channel": "web"}
    assert features["pii_phone"] == 1.0 and features["pii_rrn"] == 0.0
    assert features["output_length"] == len("010-1234-5678 로 연락주세요") and features["input_length"] == 5
    assert features["session_id"] == session_hash("browser-session-42") != "browser-session-42"
    assert features["mark_text"] == 1.0 and features["mark_c2pa"] == 0.0
    assert features["score_groundedness"] == 0.9
    assert not any("010" in str(v) for v in features.values())      # the text itself is not kept
    _, stored, _ = generative_event(output_text="010-1234-5678 로 연락주세요", store_content=True)
    assert stored["output_redacted"] == "[phone] 로 연락주세요"


@pytest.mark.parametrize(("fields", "message"), [
    ({"refused": "maybe"}, "refused must be True, False or None"),
    ({"latency_ms": -3}, "latency_ms must be a non-negative number"),
    ({"marks": ["watermark"]}, "unknown mark(s) ['watermark']"),
    ({"modality": "3d"}, "modality must be one of text, image, audio, video"),
    ({"refusd": True}, "unknown field(s) ['refusd']"),
    ({"scores": {"tox icity": 0.1}}, "score names are letters"),
])
def test_wrong_values_are_refused_with_the_field_named(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        generative_event(**fields)  # type: ignore[arg-type]
