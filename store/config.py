"""Where class data lives: `GRADFLOW_DATABASE_URL` (PostgreSQL, shared by replicas) or a SQLite file.

`postgresql://user:password@host:port/db` is what operators write; SQLAlchemy would pick psycopg2
for it, so it is mapped to `postgresql+psycopg://` (psycopg 3, the driver installed). Without a
URL the data is a SQLite file `gradflow.db` in `GRADFLOW_DATA_DIR` (default `data/` beside the app).
"""

from __future__ import annotations

import os
from pathlib import Path

URL_ENV = "GRADFLOW_DATABASE_URL"
DATA_DIR_ENV = "GRADFLOW_DATA_DIR"
DAYS_ENV = "GRADFLOW_CLASS_DAYS"
DEFAULT_DAYS = 30
APP_DIR = Path(__file__).resolve().parent.parent
DB_FILE = "gradflow.db"


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` as psycopg 3 URLs; anything else unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(data_dir: str | os.PathLike[str]) -> str:
    """The SQLite URL of the database file in `data_dir`."""
    return f"sqlite:///{Path(data_dir).resolve() / DB_FILE}"


def database_url(environ: dict[str, str] | None = None) -> str:
    """The configured database URL (see the module docstring)."""
    env = os.environ if environ is None else environ
    url = env.get(URL_ENV, "").strip()
    if url:
        return normalize_url(url)
    return sqlite_url(env.get(DATA_DIR_ENV, "").strip() or APP_DIR / "data")


def class_days(environ: dict[str, str] | None = None) -> int:
    """How many days a class and its answers are kept (`GRADFLOW_CLASS_DAYS`, default 30; bad values too)."""
    env = os.environ if environ is None else environ
    try:
        days = int(env.get(DAYS_ENV, "").strip())
    except ValueError:
        return DEFAULT_DAYS
    return days if days > 0 else DEFAULT_DAYS
