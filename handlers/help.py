"""help: what the asker's role may do, in their language."""

from __future__ import annotations

from bot.capability import Capability
from bot.core import Context
from bot.core_texts import role_titles
from bot.messages import Button, Field, Incoming, Reply
from bot.router import Router

TEXTS = {
    "help.title": {"en": "What I can do for you", "de": {"du": "Was ich für dich tun kann", "sie": "Was ich für Sie tun kann"}},
    "help.intro": {
        "en": "I help you take part in {program} at {company}: guidelines, shareable content and a quick line to comms. Type a command:",
        "de": {"du": "Ich helfe dir, bei {program} von {company} mitzumachen: Richtlinien, teilbare Inhalte und ein kurzer Draht zur Kommunikation. Schreib einen Befehl:",
               "sie": "Ich helfe Ihnen, bei {program} von {company} mitzumachen: Richtlinien, teilbare Inhalte und ein kurzer Draht zur Kommunikation. Schreiben Sie einen Befehl:"},
    },
    "help.context": {
        "en": "Your role: {roles}. Taking part is voluntary; “leave” ends it at once.",
        "de": {"du": "Deine Rolle: {roles}. Mitmachen ist freiwillig; „austreten“ beendet es sofort.",
               "sie": "Ihre Rolle: {roles}. Mitmachen ist freiwillig; „austreten“ beendet es sofort."},
    },
    "help.guest": {
        "en": "You're a guest here, so the program's content isn't available to you.",
        "de": {"du": "Du bist hier als Gast, daher sind die Inhalte des Programms für dich nicht verfügbar.",
               "sie": "Sie sind hier als Gast, daher sind die Inhalte des Programms für Sie nicht verfügbar."},
    },
    "help.desc": {"en": "this overview", "de": "diese Übersicht"},
    "help.join_button": {"en": "Join the program", "de": "Dem Programm beitreten"},
    "help.command": {"en": "Command", "de": "Befehl"},
}


def register(router: Router) -> None:
    router.command("help", en=["help", "?", "commands"], de=["hilfe", "befehle"], help_key="help.desc")(help_)


async def help_(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    lang = ctx.lang
    fields = []
    for route in ctx.core.router.commands:
        if route.hidden or not route.help_key or not route.allowed(ctx.roles):
            continue
        word = (route.words.get(lang) or route.words["en"])[0]
        usage = t(route.usage_key) if route.usage_key else word
        fields.append(Field(label=usage, value=t(route.help_key)))
    for usage_key, help_key, roles in ctx.core.router.help_entries:
        if roles & ctx.roles:
            fields.append(Field(label=t(usage_key), value=t(help_key)))
    app = ctx.settings.app
    if ctx.person.is_guest:
        context = t("help.guest")
    else:
        context = t("help.context", roles=role_titles(ctx.roles, t, ctx.departments))
    buttons = []
    if not ctx.person.is_guest and not ctx.person.is_member:
        buttons.append(Button(label=t("help.join_button"), action_id="join.start", style="primary"))
    return Reply(
        title=t("help.title"),
        text=t("help.intro", program=app.program.name, company=app.program.company),
        fields=fields,
        buttons=buttons,
        context=context,
    )


CAPABILITY = Capability(name="help", register=register, texts=(TEXTS,))
