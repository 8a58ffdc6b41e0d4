"""The course for new ambassadors: about five rules the guideline files mark for it, each with an
example and one question, taken in chat (``course`` / ``kurs``, offered on ``join``).

The guideline files hold the course (a guideline's ``course:`` field, docs/knowledge.md); this
package holds the mechanism: steps in order, answers counted once, progress that resumes,
the finish recorded, "my data" and "forget me", and the figures the meeting report and the
weekly nudge read (figures.py).
"""

from __future__ import annotations

from bot.capability import Capability
from bot.router import Router
from handlers.course.chat import answer, forget, join_offer, my_data, start
from handlers.course.figures import REPORT_SOURCES, CourseFigures, course_figures, unfinished_members
from handlers.course.reminders import nudge_reminders
from handlers.course.steps import new_state
from handlers.course.texts import TEXTS

__all__ = ["CAPABILITY", "CourseFigures", "course_figures", "join_offer", "unfinished_members"]


def register(router: Router) -> None:
    router.command("course", en=["course"], de=["kurs"], personal=True, help_key="course.desc")(start)
    router.action("course.start", personal=True)(start)
    router.action("course.answer", personal=True)(answer)


CAPABILITY = Capability(
    name="course", register=register, texts=(TEXTS,), data_providers=(my_data,), forget_hooks=(forget,),
    join_notes=(join_offer,), nudge_notes=(nudge_reminders,),
    report_sources=REPORT_SOURCES,  # who finished the course
    state=new_state,  # the course read last
)
