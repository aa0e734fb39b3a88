"""Migrations: the head the app expects, a schema equal to the models, refusal of newer ones."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from popup_pos.store import migrate
from popup_pos.store.models import Base


def test_head_constant_matches_alembic():
    cfg = Config()
    cfg.set_main_option("script_location", "popup_pos.store:migrations")
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == migrate.HEAD_REVISION
    assert set(migrate.KNOWN_REVISIONS) == {r.revision for r in script.walk_revisions()}


def test_migrated_schema_matches_models(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine):
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.HEAD_REVISION


def test_newer_database_is_refused(engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrate.SchemaTooNewError, match="newer popup-pos"):
        migrate.upgrade(engine)


def test_tickets_and_codes_have_the_states_the_app_writes(engine):
    from sqlalchemy import inspect

    checks = {
        table: " ".join(c["sqltext"] for c in inspect(engine).get_check_constraints(table))
        for table in ("tickets", "download_codes")
    }
    for state in ("held", "waiting", "called", "done", "no_show", "cancelled"):
        assert f"'{state}'" in checks["tickets"]
    for state in ("unused", "assigned", "void"):
        assert f"'{state}'" in checks["download_codes"]
