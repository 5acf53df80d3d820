"""The doctor's checks: each takes the settings and returns its findings (see ``haechi.doctor``)."""

from __future__ import annotations

import os
import shutil
import stat
import zoneinfo
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from haechi.settings import Settings

from . import Finding

GIB = 1024**3
#: Below this much free space the data directory fails (writes of evidence and logs will).
DISK_FAIL_BYTES = 1 * GIB
#: Below this much the check warns: a few weeks of prediction logs may not fit.
DISK_WARN_BYTES = 5 * GIB
#: Session secrets copied from examples and tutorials: anyone can forge cookies with them.
PLACEHOLDER_SECRETS = frozenset({
    "change-me", "changeme", "change-this", "changeit", "secret", "secret-key", "dev", "development",
    "test", "haechi", "please-change-me", "replace-me", "your-secret-key", "insecure",
})
MIN_SECRET_CHARS = 32
NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


# --- database -----------------------------------------------------------------
def database(settings: Settings) -> list[Finding]:
    """Reachable, and at the migration head of this release."""
    from haechi.store.db import Database, migration_heads

    url = settings.resolved_database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    if settings.memory:
        return [Finding("database", "skip", "in-memory database (HAECHI_MEMORY): nothing to check",
                        "메모리 데이터베이스(HAECHI_MEMORY)라 검사할 것이 없습니다")]
    sqlite_file = make_url(url).database if url.startswith("sqlite") else None
    if sqlite_file and not Path(sqlite_file).exists():
        return [Finding("database", "fail", f"no database at {sqlite_file}", f"{sqlite_file}에 데이터베이스가 없습니다",
                        "run 'haechi init' (or set HAECHI_HOME / HAECHI_DATABASE_URL to the workspace)",
                        "'haechi init'을 실행하거나 HAECHI_HOME / HAECHI_DATABASE_URL을 작업 공간으로 지정하세요",
                        {"url": shown})]
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            applied = _applied_revisions(connection)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc  # the driver's own message, without SQLAlchemy's help links
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:300]
        return [Finding("database", "fail", f"cannot reach the database {shown}: {reason}",
                        f"데이터베이스 {shown}에 연결할 수 없습니다: {reason}",
                        "check HAECHI_DATABASE_URL, that the server runs and accepts this user",
                        "HAECHI_DATABASE_URL, 서버 실행 여부, 사용자 권한을 확인하세요", {"url": shown})]
    finally:
        db.dispose()
    reached = Finding("database", "pass", f"database reachable ({db.dialect}): {shown}",
                      f"데이터베이스에 연결됩니다 ({db.dialect}): {shown}", details={"url": shown})
    return [reached, _migration_finding(applied, migration_heads())]


def _applied_revisions(connection: object) -> set[str] | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")  # type: ignore[attr-defined]
    return {row[0] for row in rows}


def _migration_finding(applied: set[str] | None, heads: frozenset[str]) -> Finding:
    details = {"applied": sorted(applied or ()), "head": sorted(heads)}
    if applied == heads:
        return Finding("migrations", "pass", f"schema at the migration head ({', '.join(sorted(heads))})",
                       f"스키마가 최신 마이그레이션({', '.join(sorted(heads))})입니다", details=details)
    from haechi.store.db import SQUASHED_HEADS, _chain

    chain = _chain()
    known = chain[0] if chain else frozenset()
    if applied is None or not applied:
        return Finding("migrations", "fail", "the database has no Haechi schema yet",
                       "데이터베이스에 Haechi 스키마가 아직 없습니다",
                       "run 'haechi init' (it creates and migrates the schema)",
                       "'haechi init'을 실행하세요 (스키마를 만들고 마이그레이션합니다)", details)
    if applied <= known or applied == SQUASHED_HEADS:
        return Finding("migrations", "fail",
                       f"schema at {', '.join(sorted(applied))}, this release needs {', '.join(sorted(heads))}",
                       f"스키마가 {', '.join(sorted(applied))}에 있고 이 릴리스는 {', '.join(sorted(heads))}이(가) "
                       "필요합니다",
                       "run 'haechi init' or start 'haechi serve' once: both migrate (back up the database first)",
                       "'haechi init'을 실행하거나 'haechi serve'를 한 번 시작하세요: 둘 다 마이그레이션합니다 "
                       "(먼저 데이터베이스를 백업하세요)", details)
    return Finding("migrations", "fail",
                   f"schema version {', '.join(sorted(applied))} was made by another release of Haechi",
                   f"스키마 버전 {', '.join(sorted(applied))}은(는) 다른 Haechi 릴리스가 만든 것입니다",
                   "open it with the release that made it, or upgrade this installation",
                   "그 릴리스로 열거나 이 설치를 업그레이드하세요", details)


# --- session secret -------------------------------------------------------------
def secret_key(settings: Settings) -> list[Finding]:
    """HAECHI_SECRET_KEY is long and not a placeholder; else the generated file is private."""
    if settings.secret_key is not None:
        value = settings.secret_key.strip()
        if value.lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_CHARS:
            return [Finding("secret-key", "fail",
                            f"HAECHI_SECRET_KEY is a placeholder or shorter than {MIN_SECRET_CHARS} characters: "
                            "anyone who guesses it can forge login sessions",
                            f"HAECHI_SECRET_KEY가 예시 값이거나 {MIN_SECRET_CHARS}자보다 짧습니다: 추측한 사람이 "
                            "로그인 세션을 위조할 수 있습니다",
                            f"set it to a random value, e.g. {NEW_SECRET}",
                            f"무작위 값으로 바꾸세요. 예: {NEW_SECRET}")]
        return [Finding("secret-key", "pass", "HAECHI_SECRET_KEY is set (long, not a known placeholder)",
                        "HAECHI_SECRET_KEY가 설정되어 있습니다 (충분히 길고 예시 값이 아님)")]
    path = settings.home / "secret.key"
    if not path.exists():
        return [Finding("secret-key", "warn", f"no session secret yet: the server will generate {path}",
                        f"세션 비밀키가 아직 없습니다: 서버가 {path}을(를) 만듭니다",
                        "with several servers set the same HAECHI_SECRET_KEY on each",
                        "서버가 여러 대라면 모두 같은 HAECHI_SECRET_KEY를 설정하세요")]
    problem = _private_file_problem(path)
    if problem:
        return [problem]
    return [Finding("secret-key", "pass", f"session secret generated in {path} (owner-only)",
                    f"세션 비밀키가 {path}에 있습니다 (소유자만 읽기)", details={"path": str(path)})]


# --- signing keys ---------------------------------------------------------------
#: A private file's name for a person: (English, Korean).
Named = tuple[str, str]
SESSION_SECRET: Named = ("session secret", "세션 비밀키")


def _key_files(settings: Settings) -> list[tuple[Named, Path]]:
    """(name, path) of every private key the workspace signs with."""
    keys = settings.home / "keys"
    found: list[tuple[Named, Path]] = [(("ledger checkpoint key", "원장 체크포인트 키"), keys / "ledger-ed25519.pem")]
    for p in sorted((keys / "orgs").glob("*/passport-ed25519.pem")):
        found.append(((f"passport key of {p.parent.name}", f"{p.parent.name}의 패스포트 키"), p))
    for p in sorted((settings.home / "signing" / "orgs").glob("*/signing-key.pem")):
        found.append(((f"C2PA signing key of {p.parent.name}", f"{p.parent.name}의 C2PA 서명 키"), p))
    if settings.signing_key is not None:
        found.append((("C2PA signing key (HAECHI_SIGNING_KEY)", "C2PA 서명 키 (HAECHI_SIGNING_KEY)"),
                      Path(settings.signing_key)))
    return found


def signing_keys(settings: Settings) -> list[Finding]:
    """Each private key exists, parses, and is not readable by other users."""
    findings = []
    for name, path in _key_files(settings):
        problem = _private_file_problem(path, name) or _pem_problem(path, name)
        findings.append(problem or Finding("signing-keys", "pass", f"{name[0]}: {path} (readable, private)",
                                           f"{name[1]}: {path} (읽을 수 있고 비공개)", details={"path": str(path)}))
    if settings.signing_cert is not None and not Path(settings.signing_cert).is_file():
        findings.append(Finding("signing-keys", "fail", f"HAECHI_SIGNING_CERT {settings.signing_cert} is not a file",
                                f"HAECHI_SIGNING_CERT {settings.signing_cert}이(가) 파일이 아닙니다",
                                "mount the PEM certificate chain there", "PEM 인증서 체인을 그 경로에 두세요"))
    return findings


def _private_file_problem(path: Path, name: Named = SESSION_SECRET) -> Finding | None:
    check = "secret-key" if name == SESSION_SECRET else "signing-keys"
    en, ko = name
    try:
        mode = path.stat().st_mode
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        return Finding(check, "fail", f"{en} missing: {path}", f"{ko} 없음: {path}",
                       "run 'haechi init' to create the workspace's keys (or mount the file there)",
                       "'haechi init'으로 작업 공간의 키를 만드세요 (또는 그 경로에 파일을 두세요)",
                       {"path": str(path)})
    except PermissionError:
        return Finding(check, "fail", f"{en} not readable by this user: {path}",
                       f"이 사용자가 {ko}을(를) 읽을 수 없습니다: {path}",
                       "make the file owned by the user that runs Haechi (chown), mode 600",
                       "Haechi를 실행하는 사용자가 소유하도록 하고(chown) 권한을 600으로 하세요", {"path": str(path)})
    if mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IWGRP):
        shown = stat.filemode(mode)
        return Finding(check, "fail", f"{en} is readable or writable by other users (mode {shown}): {path}",
                       f"{ko}을(를) 다른 사용자가 읽거나 쓸 수 있습니다 (권한 {shown}): {path}",
                       f"chmod 600 {path}", f"chmod 600 {path}", {"path": str(path), "mode": oct(mode & 0o777)})
    return None


def _pem_problem(path: Path, name: Named) -> Finding | None:
    from cryptography.hazmat.primitives import serialization

    try:
        serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        return Finding("signing-keys", "fail", f"{name[0]} is not an unencrypted PEM private key: {path} ({exc})",
                       f"{name[1]}이(가) 암호화되지 않은 PEM 개인키가 아닙니다: {path}",
                       "restore the key from your backup", "백업에서 키를 복원하세요", {"path": str(path)})
    return None


# --- disk -------------------------------------------------------------------------
def disk_space(settings: Settings) -> list[Finding]:
    """Free space and write access where the database, evidence and the log lake live."""
    places: list[tuple[Named, Path]] = [(("data directory", "데이터 디렉터리"), settings.home),
                                         (("log lake", "로그 레이크"), settings.lake_path())]
    findings: list[Finding] = []
    seen: set[int] = set()
    for name, place in places:
        existing = next((p for p in [place, *place.parents] if p.exists()), Path("/"))
        if findings and existing.stat().st_dev in seen and place.exists():
            continue  # the lake on the data directory's file system: one line says it
        seen.add(existing.stat().st_dev)
        findings.append(_disk_finding(name, place, existing))
    return findings


def _disk_finding(name: Named, place: Path, existing: Path) -> Finding:
    what, what_ko = name
    usage = shutil.disk_usage(existing)
    free_gib = usage.free / GIB
    details = {"path": str(place), "free_bytes": usage.free, "total_bytes": usage.total}
    if not place.exists() and existing != place.parent:
        return Finding("disk", "fail", f"{what} {place} does not exist", f"{what_ko} {place}이(가) 없습니다",
                       "run 'haechi init' (or point HAECHI_HOME / HAECHI_LAKE_DIR at the right place)",
                       "'haechi init'을 실행하세요 (또는 HAECHI_HOME / HAECHI_LAKE_DIR을 올바른 곳으로 지정하세요)",
                       details)
    if not os.access(existing, os.W_OK):  # the place itself, or the folder it will be made in
        return Finding("disk", "fail", f"{what} {place} is not writable by this user",
                       f"이 사용자가 {what_ko} {place}에 쓸 수 없습니다",
                       "give the user that runs Haechi write access (chown)",
                       "Haechi를 실행하는 사용자에게 쓰기 권한을 주세요 (chown)", details)
    if usage.free < DISK_FAIL_BYTES:
        return Finding("disk", "fail", f"{what} {place}: only {free_gib:.2f} GiB free",
                       f"{what_ko} {place}: 여유 공간이 {free_gib:.2f} GiB뿐입니다",
                       "free space or move HAECHI_HOME / HAECHI_LAKE_DIR to a larger disk",
                       "공간을 확보하거나 HAECHI_HOME / HAECHI_LAKE_DIR을 더 큰 디스크로 옮기세요", details)
    if usage.free < DISK_WARN_BYTES:
        return Finding("disk", "warn", f"{what} {place}: {free_gib:.1f} GiB free",
                       f"{what_ko} {place}: 여유 {free_gib:.1f} GiB", "prediction logs grow daily: plan more space",
                       "예측 로그는 매일 늘어납니다: 공간을 더 확보하세요", details)
    return Finding("disk", "pass", f"{what} {place}: {free_gib:.1f} GiB free",
                   f"{what_ko} {place}: 여유 {free_gib:.1f} GiB", details=details)


# --- time zones -------------------------------------------------------------------
def timezone(settings: Settings) -> list[Finding]:
    """The time-zone database knows the workspace's zone (regulator clocks count days in it)."""
    zones = dict.fromkeys([settings.timezone, "Asia/Seoul", "Europe/Brussels"])
    missing = []
    for zone in zones:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            missing.append(zone)
    if missing:
        return [Finding("timezone", "fail", f"the time-zone database lacks {', '.join(missing)}",
                        f"시간대 데이터베이스에 {', '.join(missing)}이(가) 없습니다",
                        "install the system's tzdata package (apt-get install tzdata) or pip install tzdata",
                        "시스템의 tzdata 패키지를 설치하거나(apt-get install tzdata) pip install tzdata를 실행하세요",
                        {"missing": missing})]
    return [Finding("timezone", "pass", f"time-zone database has {', '.join(zones)}",
                    f"시간대 데이터베이스에 {', '.join(zones)}이(가) 있습니다")]


# --- PDF fonts --------------------------------------------------------------------
def pdf_fonts(settings: Settings) -> list[Finding]:
    """WeasyPrint loads (with its Pango libraries) and a Korean font is at hand."""
    from haechi.reports.pdf import font_dir, korean_font_problem

    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi: fails without the system libraries)
    except ImportError:
        return [Finding("pdf-fonts", "warn", "PDF documents are off: WeasyPrint is not installed",
                        "PDF 문서를 만들 수 없습니다: WeasyPrint가 설치되어 있지 않습니다",
                        "pip install 'haechi[pdf]' (included in haechi[app])",
                        "pip install 'haechi[pdf]'를 실행하세요 (haechi[app]에 포함)")]
    except OSError as exc:
        return [Finding("pdf-fonts", "fail", f"WeasyPrint cannot load its system libraries: {exc}",
                        f"WeasyPrint가 시스템 라이브러리를 불러오지 못합니다: {exc}",
                        "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
                        "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0을 실행하세요")]
    problem = korean_font_problem()
    if problem:
        return [Finding("pdf-fonts", "fail", problem, "PDF용 한글 글꼴이 없어 한글이 빈 상자로 인쇄됩니다",
                        "reinstall haechi or apt-get install fonts-nanum",
                        "haechi를 다시 설치하거나 apt-get install fonts-nanum을 실행하세요")]
    return [Finding("pdf-fonts", "pass", f"Korean PDF font bundled ({font_dir()}) and WeasyPrint loads",
                    f"PDF용 한글 글꼴이 포함되어 있고({font_dir()}) WeasyPrint가 동작합니다")]


# --- e-mail -----------------------------------------------------------------------
def email(settings: Settings) -> list[Finding]:
    """Alert e-mail: configured, the SMTP server answers, the sender address is deliverable."""
    if not settings.smtp_host:
        return [Finding("email", "warn", "alert e-mail is off (HAECHI_SMTP_HOST not set): alerts reach only the "
                        "dashboard and webhooks", "알림 이메일이 꺼져 있습니다 (HAECHI_SMTP_HOST 미설정): 알림은 "
                        "대시보드와 웹훅으로만 전달됩니다",
                        "set HAECHI_SMTP_HOST, HAECHI_SMTP_PORT and HAECHI_SMTP_FROM",
                        "HAECHI_SMTP_HOST, HAECHI_SMTP_PORT, HAECHI_SMTP_FROM을 설정하세요")]
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    from haechi.reminders.mail import SmtpConfig, probe

    ok, what = probe(SmtpConfig.from_settings(settings))
    if not ok:
        return [Finding("email", "fail", f"the SMTP server {where} does not answer: {what}",
                        f"SMTP 서버 {where}이(가) 응답하지 않습니다: {what}",
                        "check HAECHI_SMTP_HOST / HAECHI_SMTP_PORT / HAECHI_SMTP_SECURITY and the firewall",
                        "HAECHI_SMTP_HOST / HAECHI_SMTP_PORT / HAECHI_SMTP_SECURITY와 방화벽을 확인하세요")]
    code = what
    findings = [Finding("email", "pass", f"SMTP server {where} answers ({code})",
                        f"SMTP 서버 {where}이(가) 응답합니다 ({code})")]
    if not settings.smtp_verify:
        findings.append(Finding("email", "warn", "the SMTP server's certificate is not verified (HAECHI_SMTP_VERIFY="
                                "false)", "SMTP 서버 인증서를 검증하지 않습니다(HAECHI_SMTP_VERIFY=false)",
                                "set HAECHI_SMTP_CA_FILE to the server's CA and HAECHI_SMTP_VERIFY=true",
                                "HAECHI_SMTP_CA_FILE에 서버의 CA를 지정하고 HAECHI_SMTP_VERIFY=true로 설정하세요"))
    if settings.smtp_from.endswith("@localhost"):
        findings.append(Finding("email", "warn", f"alerts are sent from {settings.smtp_from}, which most mail "
                                "servers reject", f"알림 발신 주소 {settings.smtp_from}은(는) 대부분의 메일 서버가 "
                                "거부합니다", "set HAECHI_SMTP_FROM to an address of your domain",
                                "HAECHI_SMTP_FROM을 회사 도메인의 주소로 설정하세요"))
    return findings


# --- Chromium ---------------------------------------------------------------------
def chromium(settings: Settings) -> list[Finding]:
    """Optional: the server never needs a browser; the browser test suite does."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return [Finding("chromium", "pass", f"Chromium found at {path} (optional: used by the browser tests only)",
                        f"Chromium이 {path}에 있습니다 (선택: 브라우저 테스트에만 쓰임)")]
    return [Finding("chromium", "skip", "Chromium not installed (optional: the server does not need it; only the "
                    "browser tests do)", "Chromium이 없습니다 (선택: 서버에는 필요 없고 브라우저 테스트에만 쓰임)")]
