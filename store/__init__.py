"""Class data (issue 22): SQLAlchemy models, Alembic migrations and the one API pages call.

Kept outside `core`, which stays a plain library with no database in it (docs/classes.md).
"""

from store.classes import (
    ClassEndedError,
    ClassInfo,
    ClassStore,
    ClassSummary,
    EntrySummary,
    ProblemSummary,
    StoreError,
    UnavailableError,
    UnknownClassError,
    WrongValue,
    make_engine,
    migrate,
)
from store.config import class_days, database_url, normalize_url, sqlite_url

__all__ = [
    "ClassEndedError",
    "ClassInfo",
    "ClassStore",
    "ClassSummary",
    "EntrySummary",
    "ProblemSummary",
    "StoreError",
    "UnavailableError",
    "UnknownClassError",
    "WrongValue",
    "class_days",
    "database_url",
    "make_engine",
    "migrate",
    "normalize_url",
    "sqlite_url",
]
