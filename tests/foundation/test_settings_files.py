"""``HAECHI_<NAME>_FILE``: settings from mounted secret files (Docker/Kubernetes secrets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from haechi.domain.errors import ValidationFailed
from haechi.settings import Settings


def test_a_setting_is_read_from_its_file_without_the_final_line_break(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "haechi_secret_key"
    secret.write_text("s3cret-from-a-mounted-file-0123456789abcdef\n")
    port = tmp_path / "port"
    port.write_text("8123\n")
    monkeypatch.setenv("HAECHI_SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("HAECHI_PORT_FILE", str(port))
    settings = Settings()
    assert settings.secret_key == "s3cret-from-a-mounted-file-0123456789abcdef"
    assert settings.port == 8123


def test_a_missing_file_or_both_forms_are_refused_naming_the_variable(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAECHI_SECRET_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ValidationFailed) as missing:
        Settings()
    assert "HAECHI_SECRET_KEY_FILE" in missing.value.message and missing.value.message_ko
    (tmp_path / "present").write_text("x" * 40)
    monkeypatch.setenv("HAECHI_SECRET_KEY_FILE", str(tmp_path / "present"))
    monkeypatch.setenv("HAECHI_SECRET_KEY", "y" * 40)
    with pytest.raises(ValidationFailed) as both:
        Settings()
    assert "both HAECHI_SECRET_KEY and HAECHI_SECRET_KEY_FILE" in both.value.message


def test_the_cli_reports_an_unreadable_secret_file_as_a_user_error(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAECHI_DATABASE_URL_FILE", str(tmp_path / "no-such-secret"))
    result = cli("systems", "list")
    assert result.code == 2 and "HAECHI_DATABASE_URL_FILE" in result.err
