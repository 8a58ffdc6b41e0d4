"""ask: "may I post this?" answered from the guideline knowledge base; gaps passed to the comms team.

Any message that is no command is taken as a question or a draft (the
router's fallback); so are ``ask ...`` / ``frage ...`` and the "Check before
posting" message shortcut (action ``ask.check`` with the message text in
``values["text"]``). The engine is built once per process, on first use; with
app.yaml's ``llm`` enabled the answer is composed by the language model and
post-checked (knowledge/llm.py). Every answer guard a capability declares (the
crisis capability's posting holds) is consulted through the router before the
answer goes out, and can only make it stricter; ask imports no capability.

Each answer is recorded without its text (``ask_question``); "Helpful?"
feedback once per answer and person (``ask_feedback``). When no guideline fits,
or an answer was not helpful, the asker may pass the question to the comms
team: only then is its text kept (``kb_gap``, at most 2,000 characters). The
comms lead (or a backup) gets it in chat, answers with ``answer GAP-ID text``
or ``answer GAP-ID rule:<guideline id>``, and the asker gets the answer. A
periodic job retries what could not be delivered and tells the lead about
guideline files that fail to load.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.capability import Capability, ScheduledJob, Shortcut
from bot.config import ConfigError
from bot.core import Context, Core, DeliveryError
from bot.i18n import Translator, normalize_language
from bot.messages import Button, Field, Incoming, Reply, button_id
from bot.router import BACKUP, LEAD, Router
from knowledge import cli as knowledge_cli
from knowledge.llm import Composer
from knowledge.llm import load_config as llm_config
from knowledge.loader import KBError
from knowledge.model import TOPIC_NAMES, Answer, KnowledgeBase
from knowledge.records import DbRecorder, aware, fingerprint
from knowledge.service import KnowledgeService
from knowledge.text import clean
from storage.models import Person, RoleGrant
from storage.models_ask import GAP_TEXT_MAX, KbGap

log = logging.getLogger("ambassador.ask")

# Slack caps a button's value at 2,000 characters (JSON included); a question
# rides on the "Not helpful" and "Pass to the comms team" buttons, so it is
# cut to what fits. The adapter adds "_lang" later; the margin covers it.
_BUTTON_VALUE_MAX = 1_950
GAPS_SHOWN = 15
# The report action a crisis capability registers, offered when a question looks like a crisis (when it is there).
CRISIS_REPORT = "crisis.report"
JOB_SECONDS = 60


TEXTS = {
    "ask.desc": {
        "en": "ask whether you may post something, or check a draft",
        "de": {
            "du": "fragen, ob du etwas posten darfst, oder einen Entwurf prüfen",
            "sie": "fragen, ob Sie etwas posten dürfen, oder einen Entwurf prüfen",
        },
    },
    "ask.usage": {"en": "ask <question or draft>", "de": "frage <Frage oder Entwurf>"},
    "rules.desc": {"en": "browse the posting guidelines", "de": "die Richtlinien fürs Posten ansehen"},
    "rules.usage": {"en": "rules [topic]", "de": "regeln [thema]"},
    "ask.title.go": {
        "en": "✅ Go: you may post this",
        "de": {"du": "✅ Go: Das darfst du posten", "sie": "✅ Go: Das dürfen Sie posten"},
    },
    "ask.title.check": {
        "en": "⚠️ Check first: don't post this yet",
        "de": {
            "du": "⚠️ Erst klären: Poste das noch nicht",
            "sie": "⚠️ Erst klären: Posten Sie das noch nicht",
        },
    },
    "ask.title.no": {
        "en": "⛔ No: don't post this",
        "de": {"du": "⛔ Nein: Poste das nicht", "sie": "⛔ Nein: Posten Sie das nicht"},
    },
    "ask.title.outside": {"en": "ℹ️ Not a question about posting", "de": "ℹ️ Keine Frage zum Posten"},
    "ask.context_outside": {
        "en": "I answer questions about posting. Was this helpful?",
        "de": "Ich beantworte Fragen zum Posten. War das hilfreich?",
    },
    "ask.next": {"en": "Next step", "de": "Nächster Schritt"},
    "ask.context": {
        "en": "Answered from {company}'s guidelines. Was this helpful?",
        "de": "Beantwortet nach den Richtlinien von {company}. War das hilfreich?",
    },
    "ask.context_no_match": {
        "en": "Questions without a fitting guideline help the comms team improve the guidelines. Was this helpful?",
        "de": "Fragen ohne passende Richtlinie helfen der Kommunikation, die Richtlinien zu verbessern. War das hilfreich?",
    },
    "ask.yes": {"en": "Helpful", "de": "Hilfreich"},
    "ask.no": {"en": "Not helpful", "de": "Nicht hilfreich"},
    "ask.thanks": {
        "en": "Thanks for the feedback!",
        "de": {"du": "Danke für deine Rückmeldung!", "sie": "Danke für Ihre Rückmeldung!"},
    },
    "ask.thanks_unhelpful": {
        "en": "Thanks for telling me. Shall I pass your question to the comms team? You'll get their answer here. Or ask {comms_lead} directly.",
        "de": {
            "du": "Danke für den Hinweis. Soll ich deine Frage an die Kommunikation weitergeben? Die Antwort bekommst du dann hier. Oder frag direkt {comms_lead}.",
            "sie": "Danke für den Hinweis. Soll ich Ihre Frage an die Kommunikation weitergeben? Die Antwort bekommen Sie dann hier. Oder wenden Sie sich direkt an {comms_lead}.",
        },
    },
    "ask.empty": {
        "en": "What would you like to post? Write *ask* followed by your question or the text of your draft.",
        "de": {
            "du": "Was möchtest du posten? Schreib *frage* und dahinter deine Frage oder den Text deines Entwurfs.",
            "sie": "Was möchten Sie posten? Schreiben Sie *frage* und dahinter Ihre Frage oder den Text Ihres Entwurfs.",
        },
    },
    "ask.kb_broken": {
        "en": "I can't read the guidelines right now, so I can't answer. Please ask the comms team ({comms_lead}) directly.",
        "de": {
            "du": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte frag direkt bei der Kommunikation ({comms_lead}) nach.",
            "sie": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte wenden Sie sich direkt an die Kommunikation ({comms_lead}).",
        },
    },
    "ask.kb_reload_failed": {
        "en": "For the comms lead: the guideline files have {count} problem(s), so the previous version is still in use. First: {problem}",
        "de": "Für die Kommunikationsleitung: Die Richtlinien-Dateien haben {count} Problem(e), daher ist noch die vorige Fassung in Gebrauch. Erstes: {problem}",
    },
    "ask.comms_team": {"en": "the comms team", "de": "die Kommunikation"},
    "rules.title": {"en": "Posting guidelines", "de": "Richtlinien fürs Posten"},
    "rules.intro": {
        "en": "{count} guidelines in {topics} topics. Write *rules* and a topic to see them, for example *rules privacy*.",
        "de": {
            "du": "{count} Richtlinien in {topics} Themen. Schreib *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
            "sie": "{count} Richtlinien in {topics} Themen. Schreiben Sie *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
        },
    },
    "rules.topic_count": {
        "en": "{count} guidelines · rules {topic}",
        "de": "{count} Richtlinien · regeln {topic}",
    },
    "rules.topic_title": {"en": "Guidelines: {name}", "de": "Richtlinien: {name}"},
    "rules.unknown": {
        "en": "I don't know the topic “{topic}”. Write *rules* to see all topics.",
        "de": {
            "du": "Das Thema „{topic}“ kenne ich nicht. Schreib *regeln*, um alle Themen zu sehen.",
            "sie": "Das Thema „{topic}“ kenne ich nicht. Schreiben Sie *regeln*, um alle Themen zu sehen.",
        },
    },
    "rules.verdict.go": {"en": "✅ go", "de": "✅ go"},
    "rules.verdict.check": {"en": "⚠️ check first", "de": "⚠️ erst klären"},
    "rules.verdict.no": {"en": "⛔ no", "de": "⛔ nein"},
    "ask.context_llm": {
        "en": "Composed with a language model from {company}'s guidelines and checked against them. Was this helpful?",
        "de": "Mit einem Sprachmodell aus den Richtlinien von {company} formuliert und an ihnen geprüft. War das hilfreich?",
    },
    "ask.already_noted": {
        "en": "You already told me, thanks. It counts once.",
        "de": {
            "du": "Das hast du mir schon gesagt, danke. Es zählt einmal.",
            "sie": "Das haben Sie mir schon gesagt, danke. Es zählt einmal.",
        },
    },
    "ask.pass": {"en": "Pass to the comms team", "de": "An die Kommunikation geben"},
    "ask.report_crisis": {"en": "Report to comms", "de": "An die Kommunikation melden"},
    "ask.passed": {
        "en": "Passed on to the comms team as {ref}. You'll get their answer here from me. Until then, please don't post it.",
        "de": {
            "du": "An die Kommunikation weitergegeben als {ref}. Die Antwort bekommst du hier von mir. Bis dahin poste es bitte nicht.",
            "sie": "An die Kommunikation weitergegeben als {ref}. Die Antwort bekommen Sie hier von mir. Bis dahin posten Sie es bitte nicht.",
        },
    },
    "ask.pass_already": {
        "en": "This question is already with the comms team ({ref}); you'll get the answer here.",
        "de": {
            "du": "Diese Frage liegt schon bei der Kommunikation ({ref}); die Antwort bekommst du hier.",
            "sie": "Diese Frage liegt schon bei der Kommunikation ({ref}); die Antwort bekommen Sie hier.",
        },
    },
    "ask.pass_unavailable": {
        "en": "I can't pass questions on right now. Please ask the comms team ({comms_lead}) directly.",
        "de": {
            "du": "Ich kann Fragen gerade nicht weitergeben. Bitte frag direkt bei der Kommunikation ({comms_lead}) nach.",
            "sie": "Ich kann Fragen gerade nicht weitergeben. Bitte wenden Sie sich direkt an die Kommunikation ({comms_lead}).",
        },
    },
    "ask.pass_nothing": {
        "en": "That button no longer carries your question. Please ask again and pass it on from the new answer.",
        "de": {
            "du": "Dieser Knopf enthält deine Frage nicht mehr. Bitte stell sie noch einmal und gib sie aus der neuen Antwort weiter.",
            "sie": "Dieser Knopf enthält Ihre Frage nicht mehr. Bitte stellen Sie sie noch einmal und geben Sie sie aus der neuen Antwort weiter.",
        },
    },
    "ask.guard_failed": {
        "en": "I couldn't check whether posting is on hold for this topic right now, so please clear it first.",
        "de": {
            "du": "Ich konnte gerade nicht prüfen, ob das Posten zu diesem Thema angehalten ist; kläre es daher bitte vorher.",
            "sie": "Ich konnte gerade nicht prüfen, ob das Posten zu diesem Thema angehalten ist; klären Sie es daher bitte vorher.",
        },
    },
    "ask.guard_step": {
        "en": "Don't post about this until the comms team says so; ask {comms_lead} if you're unsure.",
        "de": {
            "du": "Poste dazu nichts, bis die Kommunikation es freigibt; frag {comms_lead}, wenn du unsicher bist.",
            "sie": "Posten Sie dazu nichts, bis die Kommunikation es freigibt; wenden Sie sich an {comms_lead}, wenn Sie unsicher sind.",
        },
    },
    "gaps.desc": {
        "en": "questions passed to the comms team, to answer",
        "de": "an die Kommunikation weitergegebene Fragen, zum Beantworten",
    },
    "gaps.usage": {"en": "kb gaps · answer GAP-ID text", "de": "kb lücken · antwort GAP-ID Text"},
    "gaps.title": {
        "en": "Open questions for the comms team ({count})",
        "de": "Offene Fragen an die Kommunikation ({count})",
    },
    "gaps.none": {
        "en": "No open questions: every question passed on has been answered.",
        "de": "Keine offenen Fragen: Jede weitergegebene Frage ist beantwortet.",
    },
    "gaps.line": {
        "en": "{ref} · {date} · {language} · {reason}",
        "de": "{ref} · {date} · {language} · {reason}",
    },
    "gaps.more": {
        "en": "… and {count} more (ambassador kb gaps lists all).",
        "de": "… und {count} weitere (ambassador kb gaps listet alle).",
    },
    "gaps.reason.no_match": {"en": "no guideline fitted", "de": "keine Richtlinie passte"},
    "gaps.reason.unhelpful": {"en": "answer not helpful", "de": "Antwort nicht hilfreich"},
    "gaps.how": {
        "en": "Answer with: answer {ref} your answer. When a guideline covers it now: answer {ref} rule:<guideline id>. The asker gets your answer from me; their name isn't shown to you.",
        "de": {
            "du": "Antworte mit: antwort {ref} deine Antwort. Wenn eine Richtlinie es jetzt abdeckt: antwort {ref} rule:<Richtlinien-ID>. Die fragende Person bekommt deine Antwort von mir; ihr Name wird dir nicht gezeigt.",
            "sie": "Antworten Sie mit: antwort {ref} Ihre Antwort. Wenn eine Richtlinie es jetzt abdeckt: antwort {ref} rule:<Richtlinien-ID>. Die fragende Person bekommt Ihre Antwort von mir; ihr Name wird Ihnen nicht gezeigt.",
        },
    },
    "gaps.lead_title": {
        "en": "Question for the comms team: {ref}",
        "de": "Frage an die Kommunikation: {ref}",
    },
    "gaps.reason": {"en": "Why it came", "de": "Warum sie kommt"},
    "gaps.language": {"en": "Asked in", "de": "Gefragt auf"},
    "gaps.bot_answer": {"en": "The bot had answered", "de": "Der Bot hatte geantwortet"},
    "gaps.lang.de": {"en": "German", "de": "Deutsch"},
    "gaps.lang.en": {"en": "English", "de": "Englisch"},
    "gaps.answer_usage": {
        "en": "Write your answer after the number, for example: answer {ref} Yes, that's fine once the press release is out.",
        "de": {
            "du": "Schreib deine Antwort hinter die Nummer, zum Beispiel: antwort {ref} Ja, sobald die Pressemitteilung draußen ist.",
            "sie": "Schreiben Sie Ihre Antwort hinter die Nummer, zum Beispiel: antwort {ref} Ja, sobald die Pressemitteilung draußen ist.",
        },
    },
    "gaps.missing": {
        "en": "There is no question {ref}. Write *kb gaps* to see the open ones.",
        "de": "Eine Frage {ref} gibt es nicht. *kb lücken* zeigt die offenen.",
    },
    "gaps.already": {
        "en": "{ref} was already answered on {date} by {name}.",
        "de": "{ref} wurde schon am {date} von {name} beantwortet.",
    },
    "gaps.withdrawn": {
        "en": "The asker of {ref} has deleted their data, so there is nobody to answer any more.",
        "de": "Die fragende Person von {ref} hat ihre Daten gelöscht; es gibt niemanden mehr, dem man antworten kann.",
    },
    "gaps.rule_unknown": {
        "en": "There is no guideline “{rule}”. Write *rules* to browse them; a new guideline must be in the files first (ambassador kb check).",
        "de": "Eine Richtlinie „{rule}“ gibt es nicht. *regeln* zeigt sie; eine neue Richtlinie muss erst in den Dateien stehen (ambassador kb check).",
    },
    "gaps.sent": {
        "en": "Thanks: your answer to {ref} has been sent to the asker.",
        "de": "Danke: Die Antwort auf {ref} ist an die fragende Person gegangen.",
    },
    "gaps.queued": {
        "en": "Your answer to {ref} is saved, but I couldn't reach the asker just now; I'll keep trying.",
        "de": "Die Antwort auf {ref} ist gespeichert, aber ich konnte die fragende Person gerade nicht erreichen; ich versuche es weiter.",
    },
    "gaps.asker_title": {
        "en": "The comms team answered your question",
        "de": {
            "du": "Die Kommunikation hat deine Frage beantwortet",
            "sie": "Die Kommunikation hat Ihre Frage beantwortet",
        },
    },
    "gaps.your_question": {"en": "Your question", "de": {"du": "Deine Frage", "sie": "Ihre Frage"}},
    "gaps.guideline": {"en": "Guideline {id}", "de": "Richtlinie {id}"},
    "gaps.answered_by": {
        "en": "Answered by {name} ({role}) · {ref}",
        "de": "Beantwortet von {name} ({role}) · {ref}",
    },
    "gaps.role": {"en": "comms team", "de": "Kommunikation"},
    "kb.alert_title": {
        "en": "The guideline files have problems",
        "de": "Die Richtlinien-Dateien haben Fehler",
    },
    "kb.alert_text": {
        "en": "I couldn't load the changed guideline files ({count} problem(s)), so the previous version stays in use until they are fixed:",
        "de": "Ich konnte die geänderten Richtlinien-Dateien nicht laden ({count} Problem(e)); bis sie behoben sind, bleibt die vorige Fassung in Gebrauch:",
    },
    "kb.alert_broken_text": {
        "en": "I can't load the guideline files ({count} problem(s)), so I can't answer questions about posting until they are fixed:",
        "de": "Ich kann die Richtlinien-Dateien nicht laden ({count} Problem(e)); bis sie behoben sind, kann ich Fragen zum Posten nicht beantworten:",
    },
    "kb.alert_how": {
        "en": "Check the files with: ambassador kb check. I pick up the fixed files by myself.",
        "de": "Prüfen mit: ambassador kb check. Die behobenen Dateien lade ich von selbst.",
    },
    "ask.mydata_questions": {
        "en": "Questions to the bot (their text is not kept)",
        "de": "Fragen an den Bot (ihr Text wird nicht gespeichert)",
    },
    "ask.mydata_questions_line": {
        "en": "{count} (go {go}, check {check}, no {no})",
        "de": "{count} (go {go}, klären {check}, nein {no})",
    },
    "ask.mydata_feedback": {"en": "Feedback on answers", "de": "Rückmeldungen zu Antworten"},
    "ask.mydata_feedback_line": {
        "en": "{helpful} helpful, {unhelpful} not helpful",
        "de": "{helpful} hilfreich, {unhelpful} nicht hilfreich",
    },
    "ask.mydata_gaps": {
        "en": "Questions passed to the comms team",
        "de": "An die Kommunikation weitergegebene Fragen",
    },
    "ask.mydata_none": {"en": "none", "de": "keine"},
    "gaps.status.open": {"en": "open", "de": "offen"},
    "gaps.status.answered": {"en": "answered", "de": "beantwortet"},
    "gaps.status.withdrawn": {"en": "withdrawn", "de": "zurückgezogen"},
}


def _check_knowledge_config(settings) -> object:
    from bot.config import validate_section
    from knowledge.service import KnowledgeConfig

    return validate_section(settings, "knowledge", KnowledgeConfig)


def register(router: Router) -> None:
    router.command("ask", en=["ask"], de=["frage"], help_key="ask.desc", usage_key="ask.usage")(ask)
    router.command(
        "rules",
        en=["rules", "guidelines"],
        de=["regeln", "richtlinien"],
        help_key="rules.desc",
        usage_key="rules.usage",
    )(rules)
    router.command(
        "kb gaps",
        en=["kb gaps"],
        de=["kb lücken"],
        roles=[BACKUP],
        help_key="gaps.desc",
        usage_key="gaps.usage",
    )(gaps)
    # Exact words only: "Lücken im Lebenslauf posten?" is a question, not this command.
    router.intent("kb gaps", _is_gaps_word, roles=[BACKUP])(gaps)
    # "answer GAP-12 ...": an intent, so that a question starting with "answer" still reaches the engine.
    router.intent("answer", is_gap_answer, roles=[BACKUP])(answer_gap)
    router.action("ask.check")(check_shortcut)
    router.action("ask.helpful")(helpful)
    router.action("ask.unhelpful")(unhelpful)
    router.action("ask.pass")(pass_on)
    router.set_fallback(ask)


def knowledge(core: Core) -> KnowledgeService:
    """The process's knowledge service, made on first use and kept on the core."""
    service: KnowledgeService | None = getattr(core, "_knowledge_service", None)
    if service is None:
        try:
            composer = Composer.from_settings(core.settings)
        except ConfigError as exc:
            # A broken llm section must not stop the answers; the offline engine still gives them.
            log.error("app.yaml llm section is invalid; answering offline", extra={"error": str(exc)})
            composer = None
        service = KnowledgeService.from_settings(
            core.settings, composer=composer, recorder=DbRecorder(core.db, core.now)
        )
        core._knowledge_service = service  # type: ignore[attr-defined]
    return service


def records(core: Core) -> DbRecorder:
    service = knowledge(core)
    recorder = service.recorder
    return recorder if isinstance(recorder, DbRecorder) else DbRecorder(core.db, core.now)


def _comms_lead(ctx: Context, t: Any) -> str:
    return str(ctx.settings.app.roles.comms_lead or t("ask.comms_team"))


def _private(ctx: Context) -> bool:
    # A draft can be confidential: in a channel only the asker sees the answer.
    return not ctx.incoming.is_direct


def _fit(value: dict[str, Any], text: str, key: str = "q") -> dict[str, Any]:
    """``value`` with the question under ``key``, cut so the whole value fits a Slack button."""
    text = text[:GAP_TEXT_MAX]
    while True:
        out = {**value, key: text, "r": value.get("r", "no_match"), "_lang": "de"}
        size = len(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
        if size <= _BUTTON_VALUE_MAX or not text:
            return {**value, key: text}
        text = text[: max(0, len(text) - (size - _BUTTON_VALUE_MAX) - 8)]




# -- asking ---------------------------------------------------------------------------


def _outsider(ctx: Context) -> bool:
    """A guest or a person from another organisation (Slack Connect, Teams external), or someone
    the platform has not told us about yet: whoever has no role (core.roles_of), as everywhere else.

    Their answers come from the guidelines alone: app.yaml's lists of customers, code names
    and competitors are left out (an answer would confirm that a name is on them), and so are
    the posting holds (a hold's keywords and note are the program's, told to its members).
    """
    return bool(ctx.person.is_guest) or not ctx.roles


async def ask(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, ctx.args if ctx.args is not None else msg.text)


async def check_shortcut(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, str(msg.values.get("text") or ""))


def _guarded(answer: Answer, notes: list[str], failed: bool, t: Translator, comms_lead: str) -> Answer:
    """A guard's note makes the answer a "no" whatever the engine said; a failed guard at least a "check"."""
    if notes:
        reasoning = "\n".join(notes)
        if answer.verdict != "go":
            reasoning += "\n" + answer.reasoning
        step = t("ask.guard_step", comms_lead=comms_lead)
        headline = t("ask.title.no")
        return replace(
            answer,
            verdict="no",
            headline=headline,
            reasoning=reasoning,
            next_step=step,
            text="\n".join([headline, reasoning, step]),
        )
    if failed and answer.verdict == "go":
        headline = t("ask.title.check")
        reasoning = t("ask.guard_failed") + "\n" + answer.reasoning
        return replace(
            answer,
            verdict="check",
            headline=headline,
            reasoning=reasoning,
            text="\n".join([headline, reasoning, answer.next_step]),
        )
    return answer


async def _reply(ctx: Context, text: str) -> Reply:
    if not clean(text).strip():
        return Reply(text=ctx.t("ask.empty"), private=_private(ctx))
    service = knowledge(ctx.core)
    # A guest or someone from another organisation gets the guidelines and nothing of the
    # program's own: no confidential lists, no posting holds (see _outsider).
    outsider = _outsider(ctx)
    try:
        # The answer follows the question's language; the stored language (the one the person
        # joined in) only decides when the text gives no clue (emoji, a link).
        answer = await service.answer_async(
            text, None, default_lang=normalize_language(ctx.person.language) or ctx.lang, outsider=outsider
        )
    except KBError:
        return Reply(text=ctx.t("ask.kb_broken", comms_lead=_comms_lead(ctx, ctx.t)), private=_private(ctx))
    # The answer's language may differ from the one the core guessed from the first words.
    t = ctx.core.translator(answer.language) if answer.language != ctx.lang else ctx.t
    notes, guard_failed = ([], False) if outsider else await ctx.core.router.answer_notes(ctx.core, text)
    answer = _guarded(answer, notes, guard_failed, t, _comms_lead(ctx, t))
    ctx.core.metrics.verdict(ctx.incoming.platform, answer.verdict)
    question_id = None
    try:
        question_id = await service.recorder.record_answer(
            answer,
            asker=ctx.person,
            platform=ctx.incoming.platform,
            source=ctx.incoming.source,
            guarded=bool(notes),
        )
    except Exception:
        # The figures miss one question; the asker still gets the answer.
        log.exception("answer not recorded")
    engine = await service.ready_engine()
    fields = []
    for c in answer.citations:
        g = engine.kb.by_id.get(c.id)
        name = TOPIC_NAMES.get(c.topic, {}).get(answer.language, c.topic)
        label = f"{name} ({c.id})" if g else c.id
        fields.append(Field(label=label, value=c.excerpt))
    fields.append(Field(label=t("ask.next"), value=answer.next_step))
    no_fit = not answer.citations
    if answer.outside:
        # A question the guidelines are not about gets a pointer, never a verdict line.
        context = t("ask.context_outside")
    elif no_fit:
        context = t("ask.context_no_match")
    elif answer.composed_by == "llm":
        context = t("ask.context_llm", company=ctx.settings.app.program.company)
    else:
        context = t("ask.context", company=ctx.settings.app.program.company)
    if ctx.has(LEAD) and service.reload_problems:
        context += "\n" + t(
            "ask.kb_reload_failed",
            count=str(len(service.reload_problems)),
            problem=service.reload_problems[0],
        )
    base = {"a": question_id, "_lang": answer.language}
    buttons = []
    # Only a question in words goes to the comms team ("😀🎉" is nothing they could answer).
    if no_fit and any(ch.isalpha() for ch in text):
        buttons.append(
            Button(
                label=t("ask.pass"),
                action_id="ask.pass",
                value=_fit({**base, "r": "no_match"}, text),
                style="primary",
            )
        )
    looks_like_crisis = (answer.topics[:1] == ["crisis"]) or any(
        sig.kind == "crisis" for sig in answer.signals
    )
    report_route = ctx.core.router.actions.get(CRISIS_REPORT)
    if looks_like_crisis and report_route is not None and report_route.allowed(ctx.roles):
        # The crisis capability takes the report; the asker's press is the consent to send the text.
        buttons.append(
            Button(
                label=t("ask.report_crisis"),
                action_id=CRISIS_REPORT,
                value=_fit({}, text, "text"),
                style="danger",
            )
        )
    buttons += [
        Button(label=t("ask.yes"), action_id="ask.helpful", value=dict(base)),
        Button(label=t("ask.no"), action_id="ask.unhelpful", value=_fit(dict(base), text)),
    ]
    return Reply(
        title=t("ask.title.outside" if answer.outside else f"ask.title.{answer.verdict}"),
        text=answer.reasoning,
        fields=fields,
        buttons=buttons,
        context=context,
        private=_private(ctx),
    )


# -- feedback and passing a question on ------------------------------------------------------


async def _feedback(ctx: Context, msg: Incoming, helpful: bool) -> Reply:
    values = msg.values
    service = knowledge(ctx.core)
    try:
        result = await service.recorder.record_feedback(button_id(values.get("a")), helpful, asker=ctx.person)
    except Exception:
        log.exception("answer feedback not recorded")
        result = "unknown"
    if helpful:
        return Reply(text=ctx.t("ask.already_noted" if result == "same" else "ask.thanks"), private=True)
    question = str(values.get("q") or "")
    buttons = []
    if question.strip():
        value = {"a": values.get("a"), "q": question, "r": "unhelpful"}
        buttons.append(Button(label=ctx.t("ask.pass"), action_id="ask.pass", value=value, style="primary"))
    return Reply(
        text=ctx.t("ask.thanks_unhelpful", comms_lead=_comms_lead(ctx, ctx.t)), buttons=buttons, private=True
    )


async def helpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, True)


async def unhelpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, False)


async def pass_on(ctx: Context, msg: Incoming) -> Reply:
    """The asker agreed: the question's text goes to the comms team (and only now is it stored)."""
    t = ctx.t
    question = str(msg.values.get("q") or "").strip()
    if not question:
        return Reply(text=t("ask.pass_nothing"), private=True)
    reason = "unhelpful" if msg.values.get("r") == "unhelpful" else "no_match"
    service = knowledge(ctx.core)
    try:
        gap, new = await service.recorder.record_gap(
            button_id(msg.values.get("a")), question, asker=ctx.person, reason=reason, language=ctx.lang
        )
    except Exception:
        log.exception("gap not recorded")
        return Reply(text=t("ask.pass_unavailable", comms_lead=_comms_lead(ctx, t)), private=True)
    if gap is None:
        return Reply(text=t("ask.pass_unavailable", comms_lead=_comms_lead(ctx, t)), private=True)
    if not new:
        return Reply(text=t("ask.pass_already", ref=gap.ref), private=True)
    await notify_lead(ctx.core, gap)
    return Reply(text=t("ask.passed", ref=gap.ref), private=True)


# -- the comms lead's side ------------------------------------------------------------------


async def _recipients(core: Core) -> list[str]:
    """The comms lead first, then the backups (app.yaml and those given in chat)."""
    roles = core.settings.app.roles
    out = [str(roles.comms_lead).lower()] if roles.comms_lead else []
    backups = [str(b).lower() for b in roles.backup]
    async with core.db.session() as s:
        for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == BACKUP))).all():
            if g.granted and g.email not in backups:
                backups.append(g.email)
            elif not g.granted and g.email in backups:
                backups.remove(g.email)
    return out + [b for b in backups if b not in out]


async def _send_to_team(core: Core, make: Any) -> str | None:
    """Send ``make(translator)`` to the lead, else the first backup that takes it; the error when none did."""
    errors: list[str] = []
    for email in await _recipients(core):
        try:
            person = await core.person_by_email(email)
            if person is None:
                errors.append(f"{email}: not found on Slack or Teams")
                continue
            t = core.translator(core.language_of(person))
            await core.notify(person.id, make(t))
            return None
        except DeliveryError as exc:
            errors.append(f"{email}: {exc}")
        except Exception as exc:  # an adapter's surprise must not lose the gap: it is retried
            log.exception("sending to the comms team failed")
            errors.append(f"{email}: {type(exc).__name__}")
    return "; ".join(errors) or "no comms lead or backup in app.yaml"


def _lang_name(t: Translator, lang: str) -> str:
    return t(f"gaps.lang.{lang}") if lang in ("de", "en") else lang


def gap_for_lead(t: Translator, gap: KbGap) -> list[Reply]:
    fields = [
        Field(
            t("gaps.reason"),
            t(f"gaps.reason.{gap.reason}") if gap.reason in ("no_match", "unhelpful") else gap.reason,
        ),
        Field(t("gaps.language"), _lang_name(t, gap.language)),
    ]
    if gap.verdict:
        ids = ", ".join(gap.guideline_ids or []) or "-"
        fields.append(Field(t("gaps.bot_answer"), f"{t('rules.verdict.' + gap.verdict)} · {ids}"))
    return [
        Reply(
            title=t("gaps.lead_title", ref=gap.ref),
            text=gap.text or "",
            fields=fields,
            context=t("gaps.how", ref=gap.ref),
        )
    ]


async def notify_lead(core: Core, gap: KbGap) -> bool:
    """Tell the comms team about a gap already claimed for this sender; the job retries a failure."""
    rec = records(core)
    error = await _send_to_team(core, lambda t: gap_for_lead(t, gap))
    if error is None:
        await rec.sent("lead", gap.id)
        return True
    log.warning("gap not delivered to the comms team yet", extra={"gap": gap.id, "error": error[:300]})
    await rec.failed("lead", gap.id, error)
    return False


_ANSWER = re.compile(
    r"^\s*(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:answer|antwort|antworte|beantworte)\s+(?:gap|lücke)[\s#-]*(\d{1,9})\b[\s:.,-]*(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
_RULE = re.compile(
    r"^(?:rule|regel|richtlinie)\s*:\s*([A-Za-z0-9._-]+)[\s:.,-]*(.*)\Z", re.IGNORECASE | re.DOTALL
)
_GAPS_WORDS = {"gaps", "lücken", "kb gaps", "kb lücken", "luecken", "kb luecken"}


def is_gap_answer(text: str) -> bool:
    return bool(_ANSWER.match(text))


def _is_gaps_word(text: str) -> bool:
    return text.strip().lower().rstrip("?!.") in _GAPS_WORDS


def _date(value: datetime | None, lang: str) -> str:
    value = aware(value)
    if value is None:
        return "-"
    return value.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")


async def gaps(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    open_gaps = await records(ctx.core).gaps()
    if not open_gaps:
        return Reply(text=t("gaps.none"))
    fields = [
        Field(
            t(
                "gaps.line",
                ref=g.ref,
                date=_date(g.created_at, ctx.lang),
                language=g.language,
                reason=t(f"gaps.reason.{g.reason}") if g.reason in ("no_match", "unhelpful") else g.reason,
            ),
            _clip(g.text or "", 300),
        )
        for g in open_gaps[:GAPS_SHOWN]
    ]
    text = t("gaps.more", count=str(len(open_gaps) - GAPS_SHOWN)) if len(open_gaps) > GAPS_SHOWN else ""
    return Reply(
        title=t("gaps.title", count=str(len(open_gaps))),
        text=text,
        fields=fields,
        context=t("gaps.how", ref=open_gaps[0].ref),
    )


async def answer_gap(ctx: Context, msg: Incoming) -> Reply:
    """``answer GAP-12 text`` / ``antwort GAP-12 rule:<id>``: the lead's answer, sent to the asker."""
    t = ctx.t
    # The raw text keeps the lead's line breaks; the router's copy has them collapsed.
    m = _ANSWER.match(msg.text) or _ANSWER.match(ctx.args or "")
    if m is None:
        return Reply(text=t("gaps.answer_usage", ref="GAP-1"))
    gap_id, body = int(m.group(1)), m.group(2).strip()
    ref = f"GAP-{gap_id}"
    if not body:
        return Reply(text=t("gaps.answer_usage", ref=ref))
    rule_id = None
    rm = _RULE.match(body)
    if rm:
        rule_id, body = rm.group(1).lower(), rm.group(2).strip()
        try:
            engine = await knowledge(ctx.core).ready_engine()
        except KBError:
            return Reply(text=t("ask.kb_broken", comms_lead=_comms_lead(ctx, t)))
        if rule_id not in engine.kb.by_id:
            return Reply(text=t("gaps.rule_unknown", rule=rule_id[:80]))
    rec = records(ctx.core)
    name = ctx.person.display_name or ctx.person.email or t("gaps.role")
    status, gap = await rec.answer_gap(
        gap_id, text=body or None, rule=rule_id, by_id=ctx.person.id, by_name=name
    )
    if status == "missing" or gap is None:
        return Reply(text=t("gaps.missing", ref=ref))
    if status == "withdrawn":
        return Reply(text=t("gaps.withdrawn", ref=ref))
    if status == "answered":
        return Reply(
            text=t(
                "gaps.already",
                ref=ref,
                date=_date(gap.answered_at, ctx.lang),
                name=gap.answered_by_name or "-",
            )
        )
    delivered = await deliver_answer(ctx.core, gap)
    return Reply(text=t("gaps.sent" if delivered else "gaps.queued", ref=ref))


async def answer_for_asker(core: Core, gap: KbGap, person: Person | None) -> list[Reply]:
    """The lead's answer as written, in a message whose frame is in the asker's language."""
    lang = normalize_language(person.language if person else None) or gap.language
    t = core.translator(lang)
    fields = [Field(t("gaps.your_question"), _clip(gap.text or "", 300))]
    text = gap.answer_text or ""
    if gap.answer_rule:
        try:
            engine = await knowledge(core).ready_engine()
            g = engine.kb.by_id.get(gap.answer_rule)
        except KBError:
            g = None
        if g is not None:
            rule = engine.guideline_text(g, "rule", t.lang)
            if text:
                fields.append(Field(t("gaps.guideline", id=g.id), rule))
            else:
                text = f"{t('rules.verdict.' + g.verdict)} · {rule}"
            fields.append(Field(t("ask.next"), engine.guideline_text(g, "instead", t.lang)))
        elif not text:
            text = t("gaps.guideline", id=gap.answer_rule)
    name = gap.answered_by_name or t("ask.comms_team")
    return [
        Reply(
            title=t("gaps.asker_title"),
            text=text,
            fields=fields,
            context=t("gaps.answered_by", name=name, role=t("gaps.role"), ref=gap.ref),
        )
    ]


async def deliver_answer(core: Core, gap: KbGap) -> bool:
    """Send the answer of a gap already claimed for this sender; the job retries a failure."""
    rec = records(core)
    if gap.person_id is None:
        return False
    async with core.db.session() as s:
        person = await s.get(Person, gap.person_id)
    try:
        await core.notify(gap.person_id, await answer_for_asker(core, gap, person))
    except Exception as exc:
        error = str(exc) if isinstance(exc, DeliveryError) else type(exc).__name__
        log.warning("gap answer not delivered yet", extra={"gap": gap.id, "error": error[:300]})
        await rec.failed("asker", gap.id, error)
        return False
    await rec.sent("asker", gap.id)
    return True


# -- periodic work --------------------------------------------------------------------------


def _alert(t: Translator, problems: list[str], broken: bool) -> list[Reply]:
    shown = "\n".join(f"• {p}" for p in problems[:10])
    key = "kb.alert_broken_text" if broken else "kb.alert_text"
    return [
        Reply(
            title=t("kb.alert_title"),
            text=t(key, count=str(len(problems))) + "\n" + shown,
            context=t("kb.alert_how"),
        )
    ]


async def watch_kb(core: Core) -> None:
    """Tell the comms lead, once per failure, when the guideline files do not load."""
    service = knowledge(core)
    rec = records(core)
    broken = False
    try:
        await service.ready_engine()
        problems, fp = service.reload_problems, service.reload_fingerprint
    except KBError as exc:
        broken, problems, fp = True, exc.problems, fingerprint(exc.problems, "start")
    if problems and fp:
        alert = await rec.new_reload_alert(fp, problems)
        if alert is not None:
            error = await _send_to_team(core, lambda t: _alert(t, problems, broken))
            await rec.reload_alert_done(alert.id, error)
    for alert in await rec.due_reload_alerts():
        if alert.fingerprint != fp:
            # Fixed (or broken differently, told above) before the lead could be reached: nothing to tell.
            await rec.reload_alert_done(alert.id)
            continue
        error = await _send_to_team(core, lambda t, a=alert: _alert(t, list(a.problems or []), broken))
        await rec.reload_alert_done(alert.id, error)


async def run_due(core: Core) -> None:
    """Retry what did not reach the comms team or the asker, and watch the guideline files."""
    rec = records(core)
    for gap_id in await rec.due("lead"):
        gap = await rec.claim("lead", gap_id)
        if gap is not None:
            await notify_lead(core, gap)
    for gap_id in await rec.due("asker"):
        gap = await rec.claim("asker", gap_id)
        if gap is not None:
            await deliver_answer(core, gap)
    await watch_kb(core)


async def purge(core: Core) -> None:
    await records(core).purge(core.now() - timedelta(days=core.settings.app.privacy.retention_days))


# -- privacy -------------------------------------------------------------------------------


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    summary = await records(ctx.core).person_summary(ctx.person.id)
    qs = summary.questions
    counts = {v: sum(1 for q in qs if q.verdict == v) for v in ("go", "check", "no")}
    line = t("ask.mydata_questions_line", count=str(len(qs)), **{k: str(v) for k, v in counts.items()})
    recent = [f"{_date(q.created_at, ctx.lang)} {q.topic} {q.verdict}" for q in qs[-10:]]
    if recent:
        line += ": " + "; ".join(recent)
    gap_lines = [
        f"{g.ref} ({t('gaps.status.' + g.status) if g.status in ('open', 'answered', 'withdrawn') else g.status}, "
        f"{_date(g.created_at, ctx.lang)}): {_clip(g.text or '-', 80)}"
        for g in summary.gaps
    ]
    return [
        (t("ask.mydata_questions"), line if qs else t("ask.mydata_none")),
        (
            t("ask.mydata_feedback"),
            t("ask.mydata_feedback_line", helpful=str(summary.helpful), unhelpful=str(summary.unhelpful)),
        ),
        (t("ask.mydata_gaps"), "; ".join(gap_lines) or t("ask.mydata_none")),
    ]


async def forget(ctx: Context) -> None:
    await records(ctx.core).forget(ctx.person.id)


# -- browsing the guidelines ----------------------------------------------------------------


def find_topic(arg: str, kb: KnowledgeBase | None = None) -> str | None:
    """A topic from its id or (part of) its English or German name: "privacy", "datenschutz", "working time".

    The knowledge base's topics (``kb``), else those of every knowledge base loaded.
    """
    titles = kb.topic_titles if kb is not None else TOPIC_NAMES
    a = " ".join(arg.lower().replace("_", " ").replace("-", " ").split())
    if not a:
        return None
    for topic in titles:
        if a in (topic, topic.replace("_", " ")):
            return topic
    if len(a) < 3:
        return None
    for topic in titles:
        names = [titles[topic][lang].lower() for lang in ("en", "de")] + [topic.replace("_", " ")]
        if any(a in n for n in names) or any(n.split()[0].startswith(a) for n in names):
            return topic
    return None


async def rules(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    try:
        service = knowledge(ctx.core)
        engine = await service.ready_engine()
    except KBError:
        return Reply(text=t("ask.kb_broken", comms_lead=_comms_lead(ctx, t)))
    lang = ctx.lang
    kb = engine.kb
    arg = (ctx.args or "").strip()
    if not arg:
        topics = kb.topics()
        fields = [
            Field(
                label=kb.topic_title(topic, lang),
                value=t("rules.topic_count", count=str(len(kb.topic(topic))), topic=topic),
            )
            for topic in topics
        ]
        return Reply(
            title=t("rules.title"),
            text=t("rules.intro", count=str(len(kb.guidelines)), topics=str(len(topics))),
            fields=fields,
        )
    topic = find_topic(arg, kb)
    if topic is None:
        return Reply(text=t("rules.unknown", topic=arg[:60]))
    fields = [
        Field(
            label=f"{t('rules.verdict.' + g.verdict)} · {g.id}", value=engine.guideline_text(g, "rule", lang)
        )
        for g in kb.topic(topic)
    ]
    return Reply(title=t("rules.topic_title", name=kb.topic_title(topic, lang)), text="", fields=fields)


CAPABILITY = Capability(
    name="ask",
    register=register,
    texts=(TEXTS,),
    config=("knowledge", "llm"),
    config_checks=(_check_knowledge_config, llm_config),
    shortcuts=(Shortcut("ask.check", slack="check_before_posting", teams="checkBeforePosting"),),
    jobs=(ScheduledJob(JOB_SECONDS, "ask-deliveries", run_due), ScheduledJob(3600, "ask-retention", purge)),
    data_providers=(my_data,),
    forget_hooks=(forget,),
    cli=(knowledge_cli.register,),  # ambassador kb ..., eval
)
