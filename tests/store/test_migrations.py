"""The migration chain: linear, in step with the table models, and able to open older workspaces."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import haechi.store.all_tables  # noqa: F401  (every capability's tables on Base.metadata)
from haechi import Haechi
from haechi.demo.company import demo_card
from haechi.domain.errors import Conflict
from haechi.settings import Settings
from haechi.store.db import INITIAL_REVISION, Database, migration_heads
from haechi.store.tables import Base
from tests.conftest import PG_URL, unavailable

#: ``alembic_version`` of a workspace built while each capability had its own migration
#: branch (the schema those branches made is the one ``0001_initial`` creates).
FORMER_BRANCH_HEADS = (
    "0002_rules", "0003_monitor", "0003l_monitor_lake", "0004l_ledger_checkpoint_numbers",
    "0005_transparency", "0006_esg", "0007b_report_files", "0008_security",
)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a new PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'haechi.db'}"
        return
    schema = f"haechi_migrations_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_the_chain_is_linear_and_the_fast_check_agrees_with_alembic(db_hc: Haechi) -> None:
    script = ScriptDirectory.from_config(db_hc.db.alembic_config())
    revisions = list(script.walk_revisions())
    assert len(script.get_bases()) == 1 and len(script.get_heads()) == 1
    assert all(not rev.branch_labels and not rev.is_merge_point for rev in revisions)
    assert migration_heads() == frozenset(script.get_heads())
    assert db_hc.db.schema_is_current()


def test_table_models_match_the_migrated_schema(empty_url: str) -> None:
    db = Database(empty_url)
    db.migrate()
    with db.engine.connect() as connection:
        # Types and server defaults are compared as well as tables, columns, nullability,
        # indexes, unique constraints and foreign keys. Nothing is ignored: the custom
        # UTCDateTime compares as the DateTime(timezone=True) the migrations write, and
        # the JSON/JSONB variant as JSONB on PostgreSQL.
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True})
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert differences == []


def test_a_workspace_of_the_former_migration_branches_opens_unchanged(empty_url: str, tmp_path: Path) -> None:
    # The schema those branches made is the one 0001_initial creates (not today's models:
    # later revisions add to it); then the version table lists the former heads.
    from alembic import command

    former = Database(empty_url)
    command.upgrade(former.alembic_config(), INITIAL_REVISION)
    former.dispose()
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        for revision in FORMER_BRANCH_HEADS:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:r)"), {"r": revision})
    engine.dispose()
    hc = Haechi(Settings(database_url=empty_url, home=tmp_path / "home"))
    try:
        assert hc.db.schema_is_current()
        with hc.db.reader() as session:
            stored = {row[0] for row in session.execute(text("SELECT version_num FROM alembic_version"))}
        assert stored == migration_heads()
        hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
        actor = hc.local_actor("hanbit")
        hc.systems.add(actor, demo_card("support-chatbot"))
        assert hc.systems.list(actor).total == 1
    finally:
        hc.close()


def test_a_schema_version_this_release_does_not_know_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'haechi.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0002_rules'), ('0099_future')"))
    engine.dispose()
    with pytest.raises(Conflict) as caught:
        Database(url).migrate()
    assert "0002_rules, 0099_future" in caught.value.message and caught.value.message_ko
    assert str(tmp_path) not in caught.value.message


def test_evidence_stored_before_reviews_migrates_as_accepted_and_says_so(empty_url: str, tmp_path: Path) -> None:
    """A workspace at 0004 with evidence for a high-impact system: after the upgrade the item
    still counts (accepted), marked as predating review, with no reviewer invented."""
    from alembic import command

    hc = Haechi(Settings(database_url=empty_url, home=tmp_path / "home"))
    hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    actor = hc.local_actor("hanbit")
    hc.systems.add(actor, demo_card("hiring-screener"))
    added = hc.compliance.evidence.add_link(actor, "https://hanbit.example/plan", system="hiring-screener",
                                            title="Plan", evidence_type="plan")
    assert added["review"]["status"] == "pending"
    command.downgrade(hc.db.alembic_config(), "0004_law_changes")
    command.upgrade(hc.db.alembic_config(), "head")
    migrated = hc.compliance.evidence.get(actor, added["ref"])["review"]
    assert migrated == {"status": "accepted", "mode": "predates_review", "by": None, "at": None,
                        "note": "stored before evidence review existed; accepted as it was"}
    hc.close()
