"""What content adds to the demo workspace (bot/demo.py): items added and approved, the weekly nudges
planned and sent as the job sends them, the members' "I shared it" and the clicks on their links."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from handlers.content.config import content_config
from handlers.content.items import ItemDraft, store_item
from handlers.content.models import ContentDelivery, ContentItem, ContentLink
from handlers.content.outbox import send_due
from handlers.content.pacing import Pacer, configure
from handlers.content.planning import ensure_run, plan_run
from handlers.content.redirect import follow_link
from handlers.content.schedule import cycle_key, prev_slot
from storage.models import ProgramEvent

ITEMS = [  # (creator role, title, url, de, en, audience, department)
    ("lea", "Our new training centre opens", "https://example.com/news/training-centre",
     "Unser neues Schulungszentrum ist eröffnet – schaut mal rein!", "Our new training centre is open: have a look!",
     "all", None),
    ("clara", "Customer story: 30 % less paper", "https://example.com/stories/less-paper",
     "Wie ein Kunde mit uns 30 % Papier spart.", "How a customer saves 30 % paper with us.", "all", None),
    ("david", "We are hiring: apprentices 2027", "https://example.com/careers/apprentices",
     "Wir suchen Azubis für 2027 – erzählt es weiter!", "We are hiring apprentices for 2027: pass it on!", "all", None),
    ("lea", "Trade fair: meet us in hall 4", "https://example.com/events/fair",
     "Besucht uns auf der Messe in Halle 4.", "Meet us at the trade fair in hall 4.", "all", None),
    ("clara", "Sales team wins regional award", "https://example.com/news/sales-award",
     "Unser Vertrieb hat den Regionalpreis gewonnen!", "Our sales team won the regional award!", "all", None),
    ("lea", "Sustainability report 2026", "https://example.com/report/sustainability",
     "Der Nachhaltigkeitsbericht 2026 ist da.", "The sustainability report 2026 is out.", "all", None),
    ("david", "A day in our HR team", "https://example.com/stories/hr-day",
     "Ein Tag im HR-Team – ein Blick hinter die Kulissen.", "A day in our HR team: behind the scenes.", "all", None),
    ("lea", "Open day on Saturday", "https://example.com/events/open-day",
     "Tag der offenen Tür am Samstag – alle sind willkommen.", "Open day on Saturday: everyone is welcome.", "all", None),
]


def demo_plan(demo: Any) -> None:
    settings = demo.settings
    cfg = content_config(settings)
    slots = []
    slot = prev_slot(cfg, settings, demo.now)
    while slot > demo.start + timedelta(days=2):
        slots.append(slot)
        slot = prev_slot(cfg, settings, slot - timedelta(minutes=1))
    slots.reverse()
    per_slot = max(1, len(ITEMS) // max(1, len(slots)))
    items = iter(ITEMS)
    early = timedelta(days=cfg.core_group_days_earlier)
    for n, slot in enumerate(slots):
        for _ in range(per_slot if n < len(slots) - 1 else len(ITEMS)):
            spec = next(items, None)
            if spec is None:
                break
            demo.at(slot - early - timedelta(days=1, hours=demo.rng.uniform(1, 30)),
                    lambda spec=spec: _add_item(demo, spec))
        if early:
            demo.at(slot - early, lambda slot=slot: _nudge(demo, slot, "early", slot - early))
        demo.at(slot, lambda slot=slot: _nudge(demo, slot, "main", slot))


async def _add_item(demo: Any, spec: tuple[Any, ...]) -> None:
    """Added by a communicator or the lead (items.py store_item), approved by the lead."""
    core = demo.core
    creator, title, url, de, en, audience, department = spec
    draft = ItemDraft(title=title, url=url, text_de=de, text_en=en, audience=audience, department=department,
                      valid_from=None, valid_until=None, image_url=None, image_rights=None)
    lead = demo.person("lea")
    item, _ = await store_item(core, draft, via="chat", creator=demo.person(creator), approved=creator == "lea")
    decided = core.now() + timedelta(hours=demo.rng.uniform(1, 5))
    async with core.db.session() as s:
        await s.execute(update(ContentItem).where(ContentItem.id == item.id).values(
            status="approved", decided_by_id=lead.id, decided_at=decided if creator != "lea" else core.now(),
            approval_sent_at=core.now() if creator != "lea" else None))
        await s.commit()


async def _nudge(demo: Any, slot: datetime, wave: str, due: datetime) -> None:
    """The weekly nudge as its job runs it: the run, its plan (deliveries, share links), the sends; then
    the members' answers and the clicks on their links over the days after."""
    core, now = demo.core, demo.now
    configure(core, pacer=Pacer(0))  # the past needs no pacing
    run_id = await ensure_run(core, cycle_key(slot), wave, due)
    await plan_run(core, run_id)
    await send_due(core)
    async with core.db.session() as s:
        links = (await s.exec(select(ContentLink).join(ContentDelivery, ContentDelivery.id == ContentLink.delivery_id)
                              .where(ContentDelivery.run_id == run_id).order_by(ContentLink.id))).all()
    latest = slot == prev_slot(content_config(demo.settings), demo.settings, now)
    for i, link in enumerate(links):
        span = min(timedelta(days=4), now - due)
        if latest and i < 3:
            # The newest nudge's first answers fall in the report's period, however short it is yet.
            base = max(due, demo.recent(0))
            when = base + (now - base) * (0.2 + 0.15 * i)
        elif demo.rng.random() < 0.55:
            when = due + span * demo.rng.uniform(0.02, 0.9)
        else:
            continue
        demo.at(when, lambda link=link: _share(demo, link))
        for _ in range(demo.rng.choice((0, 1, 2, 3, 5, 8)) if not (latest and i < 3) else 2):
            click = when + (now - when) * demo.rng.uniform(0.05, 0.95)
            demo.at(click, lambda token=link.token: _click(demo, token))


async def _share(demo: Any, link: Any) -> None:
    """"I shared it" (chat.py _answer): the answer once, and a program event."""
    now = demo.core.now()
    async with demo.core.db.session() as s:
        res = await s.execute(update(ContentLink).where(ContentLink.id == link.id, ContentLink.shared_at.is_(None),
                                                        ContentLink.declined_at.is_(None)).values(shared_at=now))
        if res.rowcount == 1:
            s.add(ProgramEvent(kind="content_shared", person_id=link.person_id, pseudonym=link.pseudonym, at=now,
                               data={"item": link.item_id}))
            demo.count["shares"] += 1
        await s.commit()


async def _click(demo: Any, token: str) -> None:
    await follow_link(demo.core, token, demo.rng.choice(("li", "li", "xi", None)), "Mozilla/5.0")
