"""Password policy for every way a password is set (CLI, API, dashboard, password change).

In the spirit of NIST SP 800-63B: a minimum length rather than composition rules, no
password that is only white space or one repeated character, none from a bundled list of
passwords common in breaches, and none that contains the user's own e-mail name. Each
refusal names the rule and the fix in English and Korean.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from haechi.domain.errors import Issue, ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing an unbounded input is a denial of service, not a security gain
#: Passwords seen again and again in public breach corpora, lower case, one a line (a
#: one-column CSV so it ships with the package data). Only entries of 12 or more
#: characters matter: shorter ones fail the length rule first. Small on purpose: it
#: catches what attackers try first without shipping a multi-megabyte corpus.
COMMON_LIST = Path(__file__).with_name("common_passwords.csv")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def _refuse(message: str, fix: str, message_ko: str) -> ValidationFailed:
    return ValidationFailed(f"password refused: {message}", key="auth.password_refused",
                            values={"message_ko": message_ko},
                            issues=[Issue("password", message, fix)])


def _personal_words(email: str | None, name: str | None) -> list[str]:
    """Parts of the e-mail's local part and of the name that a guesser would try first."""
    local = (email or "").split("@", 1)[0].lower()
    words = [local, *re.split(r"[._+\-\s]+", local), *re.split(r"\s+", (name or "").lower())]
    return [w for w in words if len(w) >= 3]


def check_password(password: str, email: str | None = None, name: str | None = None) -> None:
    """Raise :class:`ValidationFailed` unless ``password`` follows the policy."""
    text = unicodedata.normalize("NFKC", password)
    if not text.strip():
        raise _refuse("it is empty or only white space", f"use a passphrase of at least {MIN_LENGTH} characters",
                      f"비어 있거나 공백뿐입니다 ({MIN_LENGTH}자 이상의 문구를 쓰세요)")
    if len(text) < MIN_LENGTH:
        raise _refuse(f"it has {len(text)} characters; at least {MIN_LENGTH} are needed",
                      f"use a passphrase of at least {MIN_LENGTH} characters, e.g. several unrelated words",
                      f"{len(text)}자입니다. {MIN_LENGTH}자 이상이어야 합니다 "
                      "(서로 관계없는 단어 여러 개를 이어 쓰세요)")
    if len(text) > MAX_LENGTH:
        raise _refuse(f"it is longer than {MAX_LENGTH} characters", f"use at most {MAX_LENGTH} characters",
                      f"{MAX_LENGTH}자를 넘습니다")
    lowered = text.lower()
    if len(set(lowered.strip())) <= 2 or lowered in common_passwords():
        raise _refuse("it is a commonly used password that attackers try first",
                      "choose a passphrase of your own, not a well-known password",
                      "흔히 쓰여 공격자가 먼저 시도하는 비밀번호입니다. 자신만의 문구를 쓰세요")
    for word in _personal_words(email, name):
        if word in lowered:
            raise _refuse("it contains the user's e-mail name or name",
                          "choose a passphrase that does not contain your name or e-mail address",
                          "사용자의 이메일 이름이나 이름이 들어 있습니다")
