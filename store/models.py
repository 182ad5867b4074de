"""The three tables of class data: classes, students, answers. No IP address or other personal data.

A student is an anonymous id per browser session (and an optional nickname); an answer carries an
`answer_id` made by the client before the first attempt to write it, UNIQUE, so that writing it again
after a lost connection stores it once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The declarative base; the schema itself is created by the Alembic migration, not by `create_all`."""


class ClassRow(Base):
    """A class: its code, its teacher key's salted hash, and the problem it is working on."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True, nullable=False)
    key_hash: Mapped[str] = mapped_column(String(128), nullable=False)
    key_salt: Mapped[str] = mapped_column(String(64), nullable=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    ended: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    problem: Mapped[int | None] = mapped_column(Integer, nullable=True)


class StudentRow(Base):
    """A student of one class: an anonymous id (per browser session), a nickname or ''."""

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("class_id", "anon_id", name="uq_students_class_anon"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), nullable=False)
    anon_id: Mapped[str] = mapped_column(String(64), nullable=False)
    nickname: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    joined: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AnswerRow(Base):
    """One "Check": the entered values (JSON), right or wrong, when; `answer_id` makes writes idempotent."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), nullable=False)
    problem: Mapped[int] = mapped_column(Integer, nullable=False)
    entered: Mapped[str] = mapped_column(Text, nullable=False)
    right: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
