"""What ask adds to the demo workspace (bot/demo.py): thirty questions answered offline and recorded as
the answer engine records them (no text kept), four of them in the meeting report's period."""

from __future__ import annotations

from typing import Any

from handlers.ask.service import knowledge
from storage.models import Person

QUESTIONS = [
    ("en", "May I share our press release about the trade fair on LinkedIn?"),
    ("de", "Darf ich ein Foto aus dem Büro auf Instagram posten?"),
    ("en", "Can I mention our customer in a post?"),
    ("de", "Darf ich die Quartalszahlen vor der Veröffentlichung teilen?"),
    ("en", "Is it ok to repost the job ad for apprentices?"),
    ("de", "Kann ich einen Kollegen in meinem Beitrag markieren?"),
    ("en", "Someone criticised us in a comment, should I answer?"),
    ("de", "Darf ich über das neue Produkt schreiben, bevor es vorgestellt ist?"),
    ("en", "May I use the company logo on my personal profile?"),
    ("de", "Darf ich das Video vom Sommerfest teilen?"),
    ("en", "Can I write that I work here in my LinkedIn headline?"),
    ("de", "Darf ich einen Screenshot aus dem Intranet posten?"),
]


def demo_plan(demo: Any) -> None:
    members = demo.members(but="sara")
    for i in range(30):
        lang, question = demo.rng.choice(QUESTIONS)
        who = demo.rng.choice(members)
        when = demo.recent(0.1 + 0.1 * i) if i < 4 else demo.day(demo.rng.uniform(1, demo.days))
        demo.at(when, lambda who=who, lang=lang, question=question: _ask(demo, who, lang, question))


async def _ask(demo: Any, who: Person, lang: str, question: str) -> None:
    service = knowledge(demo.core)
    answer = service.answer(question, None, default_lang=lang)
    await service.recorder.record_answer(answer, asker=who, platform=demo.platform, source="message")
    demo.count["questions"] += 1
