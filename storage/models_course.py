"""The course for new ambassadors (handlers/course/): who started it, what they answered, when they finished.

One ``course_progress`` row per person who started the course, and one
``course_answer`` row per person and course step (a guideline id): the unique
pair is what keeps an answer pressed twice, or on two devices at once, from
counting twice. The steps themselves are in the guideline files, not here.
"forget me" deletes both (the person's foreign key cascades as well).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import ts, utcnow


class CourseProgress(SQLModel, table=True):
    __tablename__ = "course_progress"

    person_id: int = Field(primary_key=True, foreign_key="person.id", ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    last_at: datetime | None = ts()  # the last answer
    finished_at: datetime | None = ts()  # every step of the course answered (the first time)


class CourseAnswer(SQLModel, table=True):
    __tablename__ = "course_answer"
    __table_args__ = (UniqueConstraint("person_id", "guideline_id", name="uq_course_answer_person_step"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    guideline_id: str = Field(max_length=200)
    right: bool = False  # the first answer to the step was the right one
    answered_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class CourseReminder(SQLModel, table=True):
    """The weekly nudge reminded this person of the course (once: a row says it was done)."""

    __tablename__ = "course_reminder"

    person_id: int = Field(primary_key=True, foreign_key="person.id", ondelete="CASCADE")
    reminded_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
