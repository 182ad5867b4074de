"""serve.py brings the class database to the newest schema before it serves, and never fails for it."""

from __future__ import annotations

from sqlalchemy import inspect

import serve
import store
from tests.helpers.postgres import free_port


def test_start_up_creates_the_schema_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADFLOW_DATABASE_URL", raising=False)
    monkeypatch.setenv("GRADFLOW_DATA_DIR", str(tmp_path / "data"))
    serve._migrate()
    engine = store.make_engine(store.database_url())
    assert {"classes", "students", "answers"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    assert (tmp_path / "data" / "gradflow.db").exists()


def test_an_unreachable_database_is_logged_not_fatal(monkeypatch, capsys):
    monkeypatch.setenv("GRADFLOW_DATABASE_URL", f"postgresql://nobody@127.0.0.1:{free_port()}/none")
    serve._migrate()
    assert "class database not ready" in capsys.readouterr().out
