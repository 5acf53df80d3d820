"""``haechi`` in Korean, run as a user runs it: a subprocess with HAECHI_LANG or a Korean locale.

Help pages (the framework's words too), a usage error and a domain error read in Korean
and keep exit code 2; without a Korean setting the same commands speak English.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def haechi(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("HAECHI_") and k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    environ.update({"HAECHI_HOME": str(home), "PYTHONPATH": str(SRC), "COLUMNS": "200", **env})
    return subprocess.run([sys.executable, "-m", "haechi", *args], env=environ, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_root_help_in_korean(home: Path) -> None:
    result = haechi("--help", home=home, HAECHI_LANG="ko")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for korean in ("사용법: haechi [옵션] 명령 [인수]...", "옵션", "명령", "이 도움말을 보여 주고 끝냅니다.",
                   "AI 시스템을 등록하고 관리합니다", "변조를 드러내는 원장"):
        assert korean in out
    for english in ("Usage", "Options", "Commands", "Show this message", "Register and manage"):
        assert english not in out


def test_group_and_command_help_follow_the_korean_locale(home: Path) -> None:
    group = haechi("systems", "--help", home=home, LANG="ko_KR.UTF-8")
    assert "카드 파일로 새 AI 시스템을 등록합니다." in group.stdout
    assert "Register a new AI system" not in group.stdout
    command = haechi("evidence", "add", "--help", home=home, LC_ALL="ko_KR.UTF-8", LANG="en_US.UTF-8")
    assert command.returncode == 0, command.stderr
    for korean in ("인수", "증적 유형", "작업할 조직", "[필수]", "출력 형식"):
        assert korean in command.stdout
    assert "Arguments" not in command.stdout and "[required]" not in command.stdout


def test_english_without_a_korean_setting(home: Path) -> None:
    result = haechi("systems", "--help", home=home, LANG="en_US.UTF-8")
    assert "Usage: haechi systems [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert "Register a new AI system from a card file." in result.stdout
    assert "사용법" not in result.stdout


def test_usage_error_in_korean_keeps_exit_code_2(home: Path) -> None:
    result = haechi("systems", "list", "--format", "xml", home=home, HAECHI_LANG="ko")
    assert result.returncode == 2
    assert "사용법: haechi systems list [옵션]" in result.stderr
    assert "도움말: 'haechi systems list --help'" in result.stderr
    assert "오류: '--format' / '-f'의 값이 올바르지 않습니다: 'xml'은(는) 쓸 수 없습니다" in result.stderr
    assert "Error" not in result.stderr and "Try" not in result.stderr
    unknown = haechi("systems", "lst", home=home, HAECHI_LANG="ko")
    assert unknown.returncode == 2
    assert "오류: 'lst' 명령이 없습니다. 혹시 'list'?" in unknown.stderr


def test_domain_error_in_korean_keeps_exit_code_2(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-card.yaml"
    result = haechi("systems", "add", str(missing), home=home, HAECHI_LANG="ko")
    assert result.returncode == 2
    assert result.stderr.startswith("오류: ")
    assert "파일을 찾을 수 없습니다 — 경로를 확인하세요" in result.stderr  # the issue line too
    assert "error:" not in result.stderr and "file not found" not in result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (("esg", "record"), "오류: 인수 'system'을(를) 지정하세요."),
    (("systems", "show", "a", "b"), "오류: 필요 없는 인수가 더 있습니다: b"),
    (("systems", "list", "-f"), "오류: '-f' 옵션에는 값이 필요합니다."),
    (("systems", "list", "--limit", "3"), "오류: '--limit' 옵션이 없습니다."),
    (("esg", "record", "x", "--kwh", "lots"), "오류: '--kwh'의 값이 올바르지 않습니다: 숫자여야 합니다."),
])
def test_usage_errors_in_korean(cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],  # type: ignore[no-untyped-def]
                                expected: str) -> None:
    monkeypatch.setenv("HAECHI_LANG", "ko")
    result = cli(*args)
    assert result.code == 2
    assert expected in result.err, result.err
