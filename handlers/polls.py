"""Polls: communicators and the comms lead ask, people vote with buttons.

``poll "Question?" A | B | C --multi --anonymous --audience Sales --closes 2026-12-01T17:00``
(German: ``umfrage "Frage?" A | B --mehrfach --anonym --zielgruppe Sales --schluss ...``).

A vote is stored under a keyed hash of (poll, person) and nothing else (see
storage/models_polls.py): one vote per person, changeable, and for an anonymous
poll nobody can tell whose it is. Anonymous results are shown only after the
poll closed with enough votes. Sending the poll, reminders and results go
through ``poll_outbox``; the ``polls`` job works it off, closes due polls,
sends reminders and starts the next instance of recurring polls.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Integer, bindparam, delete, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import select

from bot import cli_polls
from bot.capability import Capability, OutboxGauge, ScheduledJob
from bot.config import Settings, validate_section
from bot.core import Context, Core, DeliveryError
from bot.i18n import Translator
from bot.kpis import MAX_OPTIONS, ballot_counts_by_id, poll_counts
from bot.messages import Button, Choice, Incoming, Reply
from bot.messages import Field as ReplyField
from bot.router import BACKUP, COMMUNICATOR, CORE, EMPLOYEE, LEAD, Router
from storage.db import Database
from storage.models import Identity, Person, RoleGrant
from storage.models_polls import Poll, PollBallot, PollOutbox, PollSeries, PollVoter

log = logging.getLogger("ambassador.polls")

MIN_OPTIONS = 2
QUESTION_MAX = 300
OPTION_MAX = 75  # a Slack button label
BUTTONS_MAX = 5  # Teams shows few card actions; more options become a pick-one list
NAMES_SHOWN = 8
CLAIM = timedelta(seconds=90)
MAX_ATTEMPTS = 5


class PollsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_anonymous_votes: int = Field(default=5, ge=1)
    default_days: float = Field(default=7, gt=0)
    max_days: int = Field(default=180, ge=1)
    deliver_batch: int = Field(default=200, ge=1)


def polls_config(settings: Settings) -> PollsConfig:
    return validate_section(settings, "polls", PollsConfig)


TEXTS: dict[str, dict[str, Any]] = {
    "poll.desc": {"en": "start a poll (communicators, comms lead)", "de": "eine Umfrage starten (Kommunikator*innen, Kommunikationsleitung)"},
    "poll.usage": {"en": "poll \"Question?\" A | B [--multi] [--anonymous] [--audience DEPT|core|members|here] [--closes WHEN] [--remind WHEN] [--every 2w]",
                   "de": "umfrage \"Frage?\" A | B [--mehrfach] [--anonym] [--zielgruppe ABTEILUNG|kerngruppe|mitglieder|hier] [--schluss WANN] [--erinnerung WANN] [--alle 2w]"},
    "poll.list_desc": {"en": "your polls and their state", "de": {"du": "deine Umfragen und ihr Stand", "sie": "Ihre Umfragen und ihr Stand"}},
    "poll.results_desc": {"en": "results of a poll", "de": "Ergebnis einer Umfrage"},
    "poll.results_usage": {"en": "poll results NUMBER", "de": "umfrage ergebnis NUMMER"},
    "poll.close_desc": {"en": "close a poll now", "de": "eine Umfrage jetzt beenden"},
    "poll.close_usage": {"en": "poll close NUMBER", "de": "umfrage schließen NUMMER"},
    "poll.stop_desc": {"en": "stop a recurring poll", "de": "eine wiederkehrende Umfrage beenden"},
    "poll.stop_usage": {"en": "poll stop NUMBER", "de": "umfrage stopp NUMMER"},
    "poll.help": {
        "en": "Write the question in quotes, then the options separated by |, for example:\n"
              "*poll \"Which format do you prefer?\" Video | Article | Podcast --anonymous --audience Sales --closes 2026-12-01T17:00*\n"
              "Options: --multi (several answers), --anonymous, --audience (a department, core, members, here), "
              "--closes (2026-12-01T17:00, 3d or 48h), --remind (24h before closing, or a time), --every 2w (repeat).",
        "de": {"du": "Schreib die Frage in Anführungszeichen, dann die Antworten getrennt durch |, zum Beispiel:\n"
                     "*umfrage \"Welches Format magst du lieber?\" Video | Artikel | Podcast --anonym --zielgruppe Sales --schluss 2026-12-01T17:00*\n"
                     "Optionen: --mehrfach (mehrere Antworten), --anonym, --zielgruppe (eine Abteilung, kerngruppe, mitglieder, hier), "
                     "--schluss (2026-12-01T17:00, 3d oder 48h), --erinnerung (24h vor Schluss, oder eine Zeit), --alle 2w (wiederholen).",
               "sie": "Schreiben Sie die Frage in Anführungszeichen, dann die Antworten getrennt durch |, zum Beispiel:\n"
                      "*umfrage \"Welches Format mögen Sie lieber?\" Video | Artikel | Podcast --anonym --zielgruppe Sales --schluss 2026-12-01T17:00*\n"
                      "Optionen: --mehrfach (mehrere Antworten), --anonym, --zielgruppe (eine Abteilung, kerngruppe, mitglieder, hier), "
                      "--schluss (2026-12-01T17:00, 3d oder 48h), --erinnerung (24h vor Schluss, oder eine Zeit), --alle 2w (wiederholen)."},
    },
    "poll.err_question": {"en": "The poll has no question.", "de": "Die Umfrage hat keine Frage."},
    "poll.err_question_long": {"en": "The question is longer than {max} characters.", "de": "Die Frage ist länger als {max} Zeichen."},
    "poll.err_few": {"en": "A poll needs at least {min} options; I found {n}. Separate them with |.",
                     "de": {"du": "Eine Umfrage braucht mindestens {min} Antworten; ich habe {n} gefunden. Trenne sie mit |.",
                            "sie": "Eine Umfrage braucht mindestens {min} Antworten; ich habe {n} gefunden. Trennen Sie sie mit |."}},
    "poll.err_many": {"en": "A poll can have at most {max} options; I found {n}.",
                      "de": "Eine Umfrage kann höchstens {max} Antworten haben; ich habe {n} gefunden."},
    "poll.err_duplicate": {"en": "“{option}” is there twice: each option must be different.",
                           "de": "„{option}“ steht zweimal da: Jede Antwort muss anders sein."},
    "poll.err_option_long": {"en": "The option “{option}” is longer than {max} characters.",
                             "de": "Die Antwort „{option}“ ist länger als {max} Zeichen."},
    "poll.err_flag": {"en": "I don't know the option “{flag}”. {known}", "de": "Die Option „{flag}“ kenne ich nicht. {known}"},
    "poll.err_value": {"en": "The option “{flag}” needs a value.", "de": "Die Option „{flag}“ braucht einen Wert."},
    "poll.err_when": {"en": "I don't understand the time “{value}”: write for example 2026-12-01T17:00, 2026-12-01, 3d or 48h.",
                      "de": "Die Zeitangabe „{value}“ verstehe ich nicht: zum Beispiel 2026-12-01T17:00, 2026-12-01, 3d oder 48h."},
    "poll.err_past": {"en": "The closing time {when} has passed already; pick a time in the future.",
                      "de": {"du": "Der Schluss {when} ist schon vorbei; wähle eine Zeit in der Zukunft.",
                             "sie": "Der Schluss {when} ist schon vorbei; bitte wählen Sie eine Zeit in der Zukunft."}},
    "poll.err_far": {"en": "The poll would close in more than {days} days; pick an earlier time.",
                     "de": {"du": "Die Umfrage würde erst in mehr als {days} Tagen enden; wähle eine frühere Zeit.",
                            "sie": "Die Umfrage würde erst in mehr als {days} Tagen enden; bitte wählen Sie eine frühere Zeit."}},
    "poll.err_remind": {"en": "The reminder ({when}) must come after now and before the poll closes.",
                        "de": "Die Erinnerung ({when}) muss nach jetzt und vor dem Schluss der Umfrage liegen."},
    "poll.err_every": {"en": "I don't understand the repetition “{value}”: write for example 1w, 2w or 14d.",
                       "de": "Die Wiederholung „{value}“ verstehe ich nicht: zum Beispiel 1w, 2w oder 14d."},
    "poll.err_every_short": {"en": "A recurring poll must close before its next round starts ({days} days).",
                             "de": "Eine wiederkehrende Umfrage muss enden, bevor die nächste Runde beginnt ({days} Tage)."},
    "poll.err_audience": {"en": "“{value}” is no audience I know. Use a department ({departments}), core, members or here.",
                          "de": "„{value}“ kenne ich nicht als Zielgruppe. Möglich: eine Abteilung ({departments}), kerngruppe, mitglieder oder hier."},
    "poll.err_audience_role": {
        "en": "As communicator you can run polls for {departments} or in a channel (--audience here). Ask the comms lead for others.",
        "de": {"du": "Als Kommunikator*in kannst du Umfragen für {departments} oder in einem Kanal (--zielgruppe hier) starten. Für andere frag die Kommunikationsleitung.",
               "sie": "Als Kommunikator*in können Sie Umfragen für {departments} oder in einem Kanal (--zielgruppe hier) starten. Für andere wenden Sie sich an die Kommunikationsleitung."},
    },
    "poll.err_here": {"en": "--audience here works only when you start the poll in a channel.",
                      "de": "--zielgruppe hier geht nur, wenn die Umfrage in einem Kanal gestartet wird."},
    "poll.created": {"en": "Poll #{id} is out: it goes to {audience} and closes {when}.",
                     "de": "Umfrage #{id} ist unterwegs: Sie geht an {audience} und endet {when}."},
    "poll.created_recurring": {"en": "It repeats every {days} days (stop it with *poll stop {id}*).",
                               "de": "Sie wiederholt sich alle {days} Tage (beenden mit *umfrage stopp {id}*)."},
    "poll.created_nobody": {"en": "Nobody in {audience} can be reached yet (people must join the program first); the poll stays open until {when}.",
                            "de": "Noch ist niemand aus der Zielgruppe ({audience}) erreichbar (man muss zuerst dem Programm beitreten); die Umfrage bleibt bis {when} offen."},
    "poll.audience_members": {"en": "all program members", "de": "alle Programm-Mitglieder"},
    "poll.audience_core": {"en": "the core ambassador group", "de": "die Botschafter-Kerngruppe"},
    "poll.audience_department": {"en": "the members in {department}", "de": "die Mitglieder in {department}"},
    "poll.audience_channel": {"en": "this channel", "de": "diesen Kanal"},
    "poll.kind_single": {"en": "Pick one answer.", "de": "Eine Antwort wählen."},
    "poll.kind_multi": {"en": "Pick one or more answers; pressing again takes one back.",
                        "de": "Eine oder mehrere Antworten wählen; nochmal drücken nimmt sie zurück."},
    "poll.kind_anonymous": {"en": "Anonymous: nobody, not even the organiser, sees who voted what. Results after it closes.",
                            "de": "Anonym: Niemand, auch nicht wer die Umfrage gestartet hat, sieht, wer was gewählt hat. Ergebnis nach dem Schluss."},
    "poll.kind_named": {"en": "Named: everyone in the poll sees who voted what.",
                        "de": "Namentlich: Alle in der Umfrage sehen, wer was gewählt hat."},
    "poll.closes": {"en": "Poll #{id} · closes {when}", "de": "Umfrage #{id} · endet {when}"},
    "poll.closed_on": {"en": "Poll #{id} · closed {when}", "de": "Umfrage #{id} · beendet {when}"},
    "poll.pick": {"en": "Your answer", "de": "Antwort"},
    "poll.your_choice": {"en": "Your answer: {choice}. You can change it until the poll closes.",
                         "de": {"du": "Deine Antwort: {choice}. Du kannst sie ändern, bis die Umfrage endet.",
                                "sie": "Ihre Antwort: {choice}. Sie können sie ändern, bis die Umfrage endet."}},
    "poll.no_choice": {"en": "You have no answer selected.", "de": {"du": "Du hast keine Antwort gewählt.", "sie": "Sie haben keine Antwort gewählt."}},
    "poll.voters": {"en": "{n} voted", "de": "{n} haben abgestimmt"},
    "poll.more": {"en": "and {n} more", "de": "und {n} weitere"},
    "poll.reminder": {"en": "Reminder: this poll closes {when}.", "de": "Erinnerung: Diese Umfrage endet {when}."},
    "poll.closed_vote": {"en": "Poll #{id} closed {when}, so your vote was not counted.",
                         "de": {"du": "Umfrage #{id} ist seit {when} beendet, deine Stimme wurde nicht gezählt.",
                                "sie": "Umfrage #{id} ist seit {when} beendet, Ihre Stimme wurde nicht gezählt."}},
    "poll.not_audience": {"en": "Poll #{id} is for {audience}, so your vote was not counted.",
                          "de": {"du": "Umfrage #{id} ist für {audience}, deine Stimme wurde nicht gezählt.",
                                 "sie": "Umfrage #{id} ist für {audience}, Ihre Stimme wurde nicht gezählt."}},
    "poll.gone": {"en": "This poll no longer exists.", "de": "Diese Umfrage gibt es nicht mehr."},
    "poll.recorded": {"en": "✓ Your vote is recorded. You can change it until the poll closes; what you chose is shown only to you, and only now.",
                      "de": {"du": "✓ Deine Stimme ist gezählt. Du kannst sie bis zum Schluss ändern; was du gewählt hast, siehst nur du, und nur jetzt.",
                             "sie": "✓ Ihre Stimme ist gezählt. Sie können sie bis zum Schluss ändern; was Sie gewählt haben, sehen nur Sie, und nur jetzt."}},
    "poll.withdrawn": {"en": "✓ You have no answer selected now.",
                       "de": {"du": "✓ Du hast jetzt keine Antwort gewählt.", "sie": "✓ Sie haben jetzt keine Antwort gewählt."}},
    "poll.err_no_key": {"en": "Anonymous polls are off: they need the program key, which keeps votes unlinkable even for whoever holds a copy of the database. "
                              "The administrator sets AMBASSADOR_SECRET (or lets the bot make its key file on start; see docs/security.md). A named poll works now.",
                        "de": "Anonyme Umfragen sind aus: Sie brauchen den Programmschlüssel, der Stimmen auch für jemanden mit einer Kopie der Datenbank unzuordenbar hält. "
                              "Die Administration setzt AMBASSADOR_SECRET (oder lässt den Bot beim Start seine Schlüsseldatei anlegen; siehe docs/security.md). Eine namentliche Umfrage geht sofort."},
    "poll.results_title": {"en": "Results of poll #{id}", "de": "Ergebnis von Umfrage #{id}"},
    "poll.hidden_open": {"en": "Anonymous poll: the results are shown after it closes ({when}).",
                         "de": "Anonyme Umfrage: Das Ergebnis gibt es nach dem Schluss ({when})."},
    "poll.hidden_few": {"en": "Anonymous poll with {n} votes: fewer than {min}, so the results stay hidden (a single vote could be read from them).",
                        "de": "Anonyme Umfrage mit {n} Stimmen: weniger als {min}, daher bleibt das Ergebnis verborgen (sonst ließe sich eine einzelne Stimme ablesen)."},
    "poll.results_none": {"en": "No votes yet.", "de": "Noch keine Stimmen."},
    "poll.bad_number": {"en": "Write the poll's number, for example *{example}*.", "de": "Bitte die Nummer der Umfrage angeben, zum Beispiel *{example}*."},
    "poll.not_found": {"en": "There is no poll #{id}.", "de": "Es gibt keine Umfrage #{id}."},
    "poll.not_yours": {"en": "Only whoever started poll #{id} or the comms lead can do that.",
                       "de": "Das kann nur, wer Umfrage #{id} gestartet hat, oder die Kommunikationsleitung."},
    "poll.not_for_you": {"en": "Poll #{id} is for {audience}.", "de": "Umfrage #{id} ist für {audience}."},
    "poll.already_closed": {"en": "Poll #{id} is closed already.", "de": "Umfrage #{id} ist schon beendet."},
    "poll.closed_now": {"en": "Poll #{id} is closed. {results}", "de": "Umfrage #{id} ist beendet. {results}"},
    "poll.closed_notice": {"en": "Poll #{id} has closed: {question}", "de": "Umfrage #{id} ist beendet: {question}"},
    "poll.not_recurring": {"en": "Poll #{id} does not repeat.", "de": "Umfrage #{id} wiederholt sich nicht."},
    "poll.stopped": {"en": "Poll #{id} will not repeat any more; the current round stays open until it closes.",
                     "de": "Umfrage #{id} wiederholt sich nicht mehr; die laufende Runde bleibt bis zu ihrem Schluss offen."},
    "poll.list_title": {"en": "Polls", "de": "Umfragen"},
    "poll.list_none": {"en": "No polls yet. {usage}", "de": "Noch keine Umfragen. {usage}"},
    "poll.list_line": {"en": "{status} · closes {when} · {voters} voted{of}", "de": "{status} · endet {when} · {voters} abgestimmt{of}"},
    "poll.list_of": {"en": " of {n}", "de": " von {n}"},
    "poll.status_open": {"en": "open", "de": "offen"},
    "poll.status_closed": {"en": "closed", "de": "beendet"},
    "poll.data_votes": {"en": "Named poll votes", "de": "Namentliche Stimmen in Umfragen"},
    "poll.data_votes_value": {"en": "{n} (anonymous votes are not linked to you and cannot be shown)",
                              "de": {"du": "{n} (anonyme Stimmen sind nicht mit dir verknüpft und können nicht gezeigt werden)",
                                     "sie": "{n} (anonyme Stimmen sind nicht mit Ihnen verknüpft und können nicht gezeigt werden)"}},
}


# -- the voter key -------------------------------------------------------------

class NoProgramKey(Exception):
    """Anonymous polls need the program key, which is not set up (bot/keys.py)."""


def ballot_secret(settings: Settings) -> bytes:
    """The key of the voter hashes, derived from the program key: never in the database."""
    if not settings.key.available:
        raise NoProgramKey
    return settings.key.derive("ballots")


def voter_key(secret: bytes, poll_id: int, person_id: int) -> str:
    return hmac.new(secret, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def person_key(settings: Settings, poll_id: int, person_id: int) -> str:
    """A person's ballot key in a poll: keyed with the program key (a plain hash where there is none,
    which only named polls accept: anonymous ones are refused without the key)."""
    return settings.key.digest("ballots", f"{poll_id}:{person_id}")


def seal_mask(settings: Settings, poll: Poll, key: str) -> int:
    """The pad over a sealed ballot's choices: stored = choices XOR mask, one mask per ballot.

    Whoever reads the database without the program key sees choices that are uniformly random
    bits, so neither a ballot's content nor its place among the rows (which follows the order of
    voting) says anything about a choice. Toggling an option stays one statement (XOR its bit).
    """
    if not poll.sealed:
        return 0
    digest = hmac.new(settings.key.derive("ballot seal"), f"{poll.id}:{key}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") & ((1 << len(poll.options)) - 1)


async def _sealed_counts(conn: AsyncConnection, settings: Settings, poll: Poll) -> Tally:
    """An open sealed poll's counts, unsealed in memory: the database never holds them."""
    out = Tally(counts=[0] * len(poll.options))
    rows = (await conn.execute(select(PollBallot.voter_key, PollBallot.choices)
                               .where(PollBallot.poll_id == poll.id))).all()
    for key, stored in rows:
        choices = int(stored) ^ seal_mask(settings, poll, key)
        if choices:
            out.voters += 1
            for i in range(len(poll.options)):
                if choices & (1 << i):
                    out.counts[i] += 1
    return out


# -- parsing -------------------------------------------------------------------

_FLAGS = {
    "multi": "multi", "multiple": "multi", "mehrfach": "multi",
    "anonymous": "anonymous", "anon": "anonymous", "anonym": "anonymous",
    "named": "named", "namentlich": "named",
    "audience": "audience", "zielgruppe": "audience", "for": "audience", "für": "audience",
    "closes": "closes", "close": "closes", "until": "closes", "schluss": "closes", "ende": "closes", "bis": "closes",
    "remind": "remind", "reminder": "remind", "erinnerung": "remind", "erinnern": "remind",
    "every": "every", "repeat": "every", "alle": "every", "wiederholen": "every",
}
_VALUE_FLAGS = {"audience", "closes", "remind", "every"}
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "‚": "‘", "'": "'"}
_DASHES = re.compile(r"(?:(?<=\s)|^)(?:—|–|−)(?=[^\W\d_])")
_DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(m|min|h|std|d|t|tage?|days?|w|wo|weeks?|wochen?)$", re.IGNORECASE)


class PollInputError(Exception):
    """Bad poll input: a text key and its values, said to the person in their language."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def say(self, t: Translator) -> str:
        return t(self.key, **self.values)


@dataclass
class PollSpec:
    question: str
    options: list[str]
    multi: bool = False
    anonymous: bool = False
    audience_kind: str = "members"
    audience_value: str = ""
    closes: str | None = None
    remind: str | None = None
    every: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_command(text: str) -> PollSpec:
    """``"Question?" A | B --flag value ...`` into a PollSpec (not yet validated)."""
    text = _DASHES.sub("--", text.strip())
    m = re.search(r"(?:^|\s)--(?=[^\W\d_])", text)
    head, tail = (text[: m.start()], text[m.start():]) if m else (text, "")
    question, rest = _split_question(head.strip())
    options = [o.strip() for o in re.split(r"[|\n]", rest)]
    spec = PollSpec(question=question, options=[o for o in options if o])
    try:
        tokens = shlex.split(tail)
    except ValueError:
        tokens = tail.split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--"):
            i += 1
            continue
        name, _, inline = tok[2:].partition("=")
        flag = _FLAGS.get(name.lower())
        if flag is None:
            raise PollInputError("poll.err_flag", flag="--" + name, known="")
        if flag in _VALUE_FLAGS:
            values = [inline] if inline else []
            j = i + 1
            while not inline and j < len(tokens) and not tokens[j].startswith("--"):
                values.append(tokens[j])
                j += 1
            value = " ".join(values).strip()
            if not value:
                raise PollInputError("poll.err_value", flag="--" + name)
            if flag == "audience":
                spec.extra["audience"] = value
            else:
                setattr(spec, flag, value)
            i = j if not inline else i + 1
            continue
        if flag == "multi":
            spec.multi = True
        elif flag == "anonymous":
            spec.anonymous = True
        elif flag == "named":
            spec.anonymous = False
        i += 1
    return spec


def _split_question(head: str) -> tuple[str, str]:
    if head[:1] in _QUOTES:
        close = _QUOTES[head[0]]
        end = head.find(close, 1)
        if end == -1 and close != '"':
            end = head.find('"', 1)
        if end > 0:
            return head[1:end].strip(), head[end + 1:]
    if "?" in head:
        q, _, rest = head.partition("?")
        return q.strip() + "?", rest
    if "\n" in head:
        q, _, rest = head.partition("\n")
        return q.strip(), rest
    q, _, rest = head.partition("|")
    # Without quotes or a question mark the first part is the question only when options follow it.
    return (q.strip(), rest) if rest else (head.strip(), "")


def parse_when(value: str, now: datetime, tz: ZoneInfo) -> datetime:
    """An absolute local time (2026-12-01T17:00, 2026-12-01 17:00, 2026-12-01 = end of that day) or a duration (3d, 48h)."""
    v = value.strip()
    d = parse_duration(v)
    if d is not None:
        return now + d
    v = v.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", v) else v
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            local = datetime.combine(date.fromisoformat(v), time(23, 59), tzinfo=tz)
        elif re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}(?:T\d{1,2}:\d{2})?", v):
            day, _, clock = v.partition("T")
            dd, mm, yyyy = (int(x) for x in day.split("."))
            hh, mi = (int(x) for x in clock.split(":")) if clock else (23, 59)
            local = datetime(yyyy, mm, dd, hh, mi, tzinfo=tz)
        else:
            local = datetime.fromisoformat(v)
            local = local.replace(tzinfo=tz) if local.tzinfo is None else local
    except ValueError:
        raise PollInputError("poll.err_when", value=value[:60]) from None
    return local.astimezone(UTC)


def parse_duration(value: str) -> timedelta | None:
    m = _DURATION.match(value.strip())
    if not m:
        return None
    n = float(m.group(1).replace(",", "."))
    unit = m.group(2).lower()
    if unit in ("m", "min"):
        return timedelta(minutes=n)
    if unit in ("h", "std"):
        return timedelta(hours=n)
    if unit.startswith("w"):
        return timedelta(weeks=n)
    return timedelta(days=n)


@dataclass
class ValidPoll:
    question: str
    options: list[str]
    multi: bool
    anonymous: bool
    audience_kind: str
    audience_value: str
    closes_at: datetime
    remind_at: datetime | None
    every_days: int | None


def validate(spec: PollSpec, *, settings: Settings, now: datetime, tz: ZoneInfo, roles: frozenset[str],
             departments: tuple[str, ...], channel: str | None) -> ValidPoll:
    """Check a poll before anything is stored; raises PollInputError with the first problem."""
    cfg = polls_config(settings)
    question = " ".join(spec.question.split())
    if not question:
        raise PollInputError("poll.err_question")
    if len(question) > QUESTION_MAX:
        raise PollInputError("poll.err_question_long", max=QUESTION_MAX)
    options = [" ".join(o.split()) for o in spec.options]
    if len(options) < MIN_OPTIONS:
        raise PollInputError("poll.err_few", min=MIN_OPTIONS, n=len(options))
    if len(options) > MAX_OPTIONS:
        raise PollInputError("poll.err_many", max=MAX_OPTIONS, n=len(options))
    seen: set[str] = set()
    for o in options:
        if len(o) > OPTION_MAX:
            raise PollInputError("poll.err_option_long", option=o[:40] + "…", max=OPTION_MAX)
        if o.casefold() in seen:
            raise PollInputError("poll.err_duplicate", option=o)
        seen.add(o.casefold())

    if spec.anonymous and not settings.key.available:
        raise PollInputError("poll.err_no_key")
    kind, value = resolve_audience(spec.extra.get("audience"), settings, channel)
    privileged = LEAD in roles or BACKUP in roles
    if not privileged and kind != "channel" and not (kind == "department" and value in departments):
        raise PollInputError("poll.err_audience_role", departments=", ".join(departments) or "-")

    closes_at = (parse_when(spec.closes, now, tz) if spec.closes else now + timedelta(days=cfg.default_days))
    if closes_at <= now:
        raise PollInputError("poll.err_past", when=_fmt(closes_at, tz, "en"))
    if closes_at - now > timedelta(days=cfg.max_days):
        raise PollInputError("poll.err_far", days=cfg.max_days)
    remind_at = None
    if spec.remind:
        before = parse_duration(spec.remind)
        remind_at = closes_at - before if before is not None else parse_when(spec.remind, now, tz)
        if not now < remind_at < closes_at:
            raise PollInputError("poll.err_remind", when=_fmt(remind_at, tz, "en"))
    every_days = None
    if spec.every:
        d = parse_duration(spec.every)
        if d is None or d < timedelta(days=1):
            raise PollInputError("poll.err_every", value=spec.every[:30])
        every_days = max(1, round(d / timedelta(days=1)))
        if closes_at - now > timedelta(days=every_days):
            raise PollInputError("poll.err_every_short", days=every_days)
    return ValidPoll(question, options, spec.multi, spec.anonymous, kind, value, closes_at, remind_at, every_days)


def resolve_audience(raw: str | None, settings: Settings, channel: str | None) -> tuple[str, str]:
    if not raw:
        return "members", ""
    v = raw.strip()
    low = v.lower()
    if low in ("members", "all", "everyone", "mitglieder", "alle"):
        return "members", ""
    if low in ("core", "core group", "kerngruppe"):
        return "core", ""
    if low in ("here", "channel", "this channel", "hier", "kanal"):
        if not channel:
            raise PollInputError("poll.err_here")
        return "channel", channel
    if low.startswith(("channel:", "kanal:")):
        return "channel", v.split(":", 1)[1].strip().lstrip("#")
    known = settings.app.departments
    match = next((d for d in known if d.lower() == low), None)
    if match is None:
        raise PollInputError("poll.err_audience", value=v[:60], departments=", ".join(known) or "-")
    return "department", match


# -- formatting ------------------------------------------------------------------


def _tz(settings: Settings, person: Person | None = None) -> ZoneInfo:
    name = (person.timezone if person else None) or settings.app.timezone
    try:
        return ZoneInfo(name)
    except Exception:
        return ZoneInfo(settings.app.timezone)


def _fmt(when: datetime, tz: ZoneInfo, lang: str) -> str:
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = when.astimezone(tz)
    return local.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M") + f" ({local.tzname()})"


def audience_name(poll: Poll | ValidPoll, t: Translator) -> str:
    if poll.audience_kind == "department":
        return t("poll.audience_department", department=poll.audience_value)
    return t(f"poll.audience_{poll.audience_kind}")


@dataclass
class Tally:
    voters: int = 0
    counts: list[int] = field(default_factory=list)
    names: dict[int, list[str]] = field(default_factory=dict)


async def tally(db: Database, poll: Poll, *, with_names: bool, conn: AsyncConnection | None = None,
                settings: Settings | None = None) -> Tally:
    """The counts (and the first names) of a poll; on ``conn`` when given (a vote's own transaction).

    A sealed poll's counts are its kept totals once closed; while open they are unsealed with
    the program key from ``settings``.
    """
    if poll.sealed and poll.tally is not None:
        return Tally(voters=int(poll.tally.get("voters", 0)),
                     counts=[int(x) for x in poll.tally.get("counts", [])][: len(poll.options)])
    if conn is None:
        async with db.engine.connect() as own:
            return await tally(db, poll, with_names=with_names, conn=own, settings=settings)
    if poll.sealed:
        if settings is None or not settings.key.available:
            raise NoProgramKey
        return await _sealed_counts(conn, settings, poll)
    row = (await conn.execute(ballot_counts_by_id(), {"poll_ids": [poll.id]})).first()
    out = Tally()
    if row is not None:
        out.voters = int(row[1])
        out.counts = [int(x or 0) for x in row[2: 2 + len(poll.options)]]
    else:
        out.counts = [0] * len(poll.options)
    if with_names and not poll.anonymous and out.voters:
        rows = (await conn.execute(_first_voters(), {"_poll": poll.id, "_limit": NAMES_SHOWN * len(poll.options)})).all()
        for name, choices in rows:
            for i in range(len(poll.options)):
                if choices & (1 << i) and len(out.names.setdefault(i, [])) < NAMES_SHOWN:
                    out.names[i].append(name or "?")
    return out


def results_visible(poll: Poll, voters: int, now: datetime, min_votes: int) -> str | None:
    """None when the results may be shown, else why not: 'open' or 'too_few'."""
    if not poll.anonymous:
        return None
    if poll.status != "closed" and _aware(poll.closes_at) > now:
        return "open"
    if voters < min_votes:
        return "too_few"
    return None


def poll_message(poll: Poll, t: Translator, tz: ZoneInfo, *, now: datetime, tl: Tally | None = None,
                 mine: int | None = None, note: str | None = None, min_votes: int = 5) -> Reply:
    """The poll as people see it: question, how to vote, the buttons; counts and names for a named poll."""
    closed = poll.status == "closed" or _aware(poll.closes_at) <= now
    lines = [note] if note else []
    lines.append(t("poll.kind_multi") if poll.multi else t("poll.kind_single"))
    lines.append(t("poll.kind_anonymous") if poll.anonymous else t("poll.kind_named"))
    if mine is not None:
        chosen = [o for i, o in enumerate(poll.options) if mine & (1 << i)]
        lines.append(t("poll.your_choice", choice=", ".join(chosen)) if chosen else t("poll.no_choice"))
    fields: list[ReplyField] = []
    show = tl is not None and results_visible(poll, tl.voters, now, min_votes) is None
    if show and tl is not None:
        for i, option in enumerate(poll.options):
            names = tl.names.get(i, [])
            value = str(tl.counts[i] if i < len(tl.counts) else 0)
            if names:
                more = (tl.counts[i] - len(names)) if i < len(tl.counts) else 0
                value += " · " + ", ".join(names) + (" " + t("poll.more", n=more) if more > 0 else "")
            fields.append(ReplyField(option, value))
        lines.append(t("poll.voters", n=tl.voters))
    buttons: list[Button] = []
    choices: list[Choice] = []
    if not closed:
        if len(poll.options) <= BUTTONS_MAX:
            for i, option in enumerate(poll.options):
                label = option
                buttons.append(Button(label=label, action_id="poll.vote", value={"poll": poll.id, "o": i, "_lang": t.lang},
                                      style="primary" if mine is not None and mine & (1 << i) else None))
        else:
            choices.append(Choice(label=t("poll.pick"), action_id="poll.pick",
                                  options=[(f"{poll.id}:{i}", o) for i, o in enumerate(poll.options)]))
    context = (t("poll.closed_on", id=poll.id, when=_fmt(_aware(poll.closed_at or poll.closes_at), tz, t.lang))
               if closed else t("poll.closes", id=poll.id, when=_fmt(_aware(poll.closes_at), tz, t.lang)))
    return Reply(text="\n".join(lines), title=poll.question, fields=fields, buttons=buttons, choices=choices,
                 context=context)


def results_reply(poll: Poll, t: Translator, tz: ZoneInfo, tl: Tally, *, now: datetime, min_votes: int) -> Reply:
    why = results_visible(poll, tl.voters, now, min_votes)
    if why == "open":
        return Reply(title=t("poll.results_title", id=poll.id),
                     text=poll.question + "\n" + t("poll.hidden_open", when=_fmt(_aware(poll.closes_at), tz, t.lang)))
    if why == "too_few":
        return Reply(title=t("poll.results_title", id=poll.id),
                     text=poll.question + "\n" + t("poll.hidden_few", n=tl.voters, min=min_votes))
    if not tl.voters:
        return Reply(title=t("poll.results_title", id=poll.id), text=poll.question + "\n" + t("poll.results_none"))
    msg = poll_message(poll, t, tz, now=now, tl=tl, min_votes=min_votes)
    msg.buttons, msg.choices = [], []
    return msg


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# -- creating --------------------------------------------------------------------


async def create_poll(core: Core, vp: ValidPoll, *, creator: Person | None, platform: str | None,
                      series_id: int | None = None) -> tuple[Poll, int]:
    """Store the poll and its deliveries (rows first); returns the poll and the number of recipients."""
    now = core.now()
    async with core.db.session() as s:
        poll = Poll(
            question=vp.question, options=vp.options, multi=vp.multi, anonymous=vp.anonymous,
            audience_kind=vp.audience_kind, audience_value=vp.audience_value,
            platform=platform if vp.audience_kind == "channel" else None,
            creator_id=creator.id if creator else None, creator_pseudonym=creator.pseudonym if creator else None,
            created_at=now, closes_at=vp.closes_at, remind_at=vp.remind_at, series_id=series_id,
            sealed=vp.anonymous,
        )
        s.add(poll)
        await s.flush()
        if vp.audience_kind == "channel":
            s.add(PollOutbox(kind="poll", ref_id=poll.id, channel=vp.audience_value, platform=platform,
                             created_at=now))
            n = 0
        else:
            ids = await audience_ids(core, s, vp.audience_kind, vp.audience_value)
            s.add_all([PollOutbox(kind="poll", ref_id=poll.id, person_id=pid, created_at=now) for pid in ids])
            n = len(ids)
        if vp.every_days and series_id is None:
            series = PollSeries(
                template={
                    "question": vp.question, "options": vp.options, "multi": vp.multi, "anonymous": vp.anonymous,
                    "audience_kind": vp.audience_kind, "audience_value": vp.audience_value, "platform": platform,
                    "duration_s": (vp.closes_at - now).total_seconds(),
                    "remind_before_s": (vp.closes_at - vp.remind_at).total_seconds() if vp.remind_at else None,
                },
                every_days=vp.every_days, next_at=now + timedelta(days=vp.every_days),
                creator_id=creator.id if creator else None, creator_pseudonym=creator.pseudonym if creator else None,
                created_at=now,
            )
            s.add(series)
            await s.flush()
            poll.series_id = series.id
        await s.commit()
    log.info("poll created", extra={"poll": poll.id, "audience": vp.audience_kind, "recipients": n,
                                    "anonymous": vp.anonymous})
    return poll, n


async def core_group_emails(s: Any, settings: Settings) -> set[str]:
    emails = {e.lower() for e in settings.app.roles.core_group}
    for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == CORE, RoleGrant.department == "")
                           .order_by(RoleGrant.changed_at))).all():
        (emails.add if g.granted else emails.discard)(g.email.lower())
    return emails


def _audience_filter(kind: str, value: str, core_emails: set[str]) -> list[Any]:
    # Only people who joined the program get its messages: taking part is voluntary.
    where = [Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False)]
    if kind == "department":
        where.append(func.lower(Person.department) == value.lower())
    elif kind == "core":
        where.append(Person.email.in_(sorted(core_emails) or [""]))
    return where


async def audience_ids(core: Core, s: Any, kind: str, value: str) -> list[int]:
    core_emails = await core_group_emails(s, core.settings) if kind == "core" else set()
    return list((await s.exec(select(Person.id).where(*_audience_filter(kind, value, core_emails))
                              .order_by(Person.id))).all())


async def in_audience(ctx: Context, poll: Poll) -> bool:
    person = ctx.person
    if poll.audience_kind == "channel":
        # Whoever sees the channel message may vote there; the button must come from that channel.
        return EMPLOYEE in ctx.roles and _same_channel(ctx.incoming.conversation_id, poll.audience_value)
    if not (person.is_member and person.active and not person.is_guest):
        return False
    if poll.audience_kind == "department":
        return (person.department or "").lower() == poll.audience_value.lower()
    if poll.audience_kind == "core":
        async with ctx.db.session() as s:
            return (person.email or "").lower() in await core_group_emails(s, ctx.settings)
    return True


def _same_channel(conversation_id: str, channel: str) -> bool:
    # A Teams channel conversation carries the thread after ';messageid=': the poll is a thread of its own.
    return conversation_id.split(";", 1)[0] == channel.split(";", 1)[0]


# -- chat ------------------------------------------------------------------------


def register(router: Router) -> None:
    creators = [COMMUNICATOR, BACKUP, LEAD]
    router.command("poll", en=["poll"], de=["umfrage"], roles=creators, help_key="poll.desc",
                   usage_key="poll.usage")(poll_command)
    router.command("poll.list", en=["poll list", "polls"], de=["umfrage liste", "umfragen"], roles=creators,
                   help_key="poll.list_desc")(poll_list)
    router.command("poll.results", en=["poll results", "poll result"], de=["umfrage ergebnis", "umfrage ergebnisse"],
                   roles=[EMPLOYEE], help_key="poll.results_desc", usage_key="poll.results_usage")(poll_results)
    router.command("poll.close", en=["poll close"], de=["umfrage schließen", "umfrage schliessen", "umfrage beenden"],
                   roles=creators, help_key="poll.close_desc", usage_key="poll.close_usage")(poll_close)
    router.command("poll.stop", en=["poll stop"], de=["umfrage stopp", "umfrage stop"], roles=creators,
                   help_key="poll.stop_desc", usage_key="poll.stop_usage")(poll_stop)
    router.action("poll.vote", roles=[EMPLOYEE])(vote)
    router.action("poll.pick", roles=[EMPLOYEE])(vote)


async def polls_job(core: Core) -> None:
    await run_due(core)


async def poll_command(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if not ctx.args.strip():
        return Reply(text=t("poll.help"))
    now = ctx.core.now()
    tz = _tz(ctx.settings, ctx.person)
    channel = None if msg.is_direct else msg.conversation_id
    try:
        spec = parse_command(ctx.args)
        vp = validate(spec, settings=ctx.settings, now=now, tz=tz, roles=ctx.roles, departments=ctx.departments,
                      channel=channel)
    except PollInputError as exc:
        if exc.key == "poll.err_flag":
            exc.values["known"] = t("poll.help")
        return Reply(text=exc.say(t), private=True)
    poll, n = await create_poll(ctx.core, vp, creator=ctx.person, platform=msg.platform)
    await deliver_outbox(ctx.core, limit=polls_config(ctx.settings).deliver_batch, ref=("poll", poll.id))
    when = _fmt(vp.closes_at, tz, ctx.lang)
    lines = [t("poll.created", id=poll.id, audience=audience_name(vp, t), when=when)]
    if vp.audience_kind != "channel" and n == 0:
        lines = [t("poll.created_nobody", audience=audience_name(vp, t), when=when)]
    if vp.every_days:
        lines.append(t("poll.created_recurring", days=vp.every_days, id=poll.id))
    return Reply(text="\n".join(lines), private=True)


def _parse_id(args: str) -> int | None:
    m = re.fullmatch(r"#?(\d{1,9})", args.strip())
    return int(m.group(1)) if m else None


async def _load(ctx: Context, example: str) -> Poll | Reply:
    pid = _parse_id(ctx.args)
    if pid is None:
        return Reply(text=ctx.t("poll.bad_number", example=example), private=True)
    async with ctx.db.session() as s:
        poll = await s.get(Poll, pid)
    if poll is None:
        return Reply(text=ctx.t("poll.not_found", id=pid), private=True)
    return poll


def _may_manage(ctx: Context, poll: Poll) -> bool:
    if LEAD in ctx.roles or BACKUP in ctx.roles or poll.creator_id == ctx.person.id:
        return True
    return poll.audience_kind == "department" and poll.audience_value in ctx.departments


async def poll_list(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    tz = _tz(ctx.settings, ctx.person)
    async with ctx.db.session() as s:
        stmt = select(Poll).order_by(Poll.id.desc()).limit(20)
        if not (LEAD in ctx.roles or BACKUP in ctx.roles):
            stmt = stmt.where(or_(Poll.creator_id == ctx.person.id,
                                  (Poll.audience_kind == "department") & Poll.audience_value.in_(ctx.departments or ("",))))
        polls = (await s.exec(stmt)).all()
        ids = [p.id for p in polls]
        sent = dict((await s.exec(
            select(PollOutbox.ref_id, func.count()).where(PollOutbox.kind == "poll", PollOutbox.ref_id.in_(ids or [0]),
                                                          PollOutbox.status == "sent", PollOutbox.channel.is_(None))
            .group_by(PollOutbox.ref_id))).all())
    if not polls:
        return Reply(text=t("poll.list_none", usage=t("poll.usage")), private=True)
    async with ctx.db.engine.connect() as conn:
        voters = {pid: n for pid, (n, _) in (await poll_counts(conn, [(p.id, p.sealed, p.tally) for p in polls])).items()}
    now = ctx.core.now()
    fields = []
    for p in polls:
        closed = p.status == "closed" or _aware(p.closes_at) <= now
        fields.append(ReplyField(
            f"#{p.id} {p.question}",
            t("poll.list_line", status=t("poll.status_closed" if closed else "poll.status_open"),
              when=_fmt(_aware(p.closes_at), tz, ctx.lang), voters=voters.get(p.id, 0),
              of=t("poll.list_of", n=sent[p.id]) if sent.get(p.id) else ""),
        ))
    return Reply(title=t("poll.list_title"), text="", fields=fields, private=True)


async def poll_results(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load(ctx, "poll results 12" if ctx.lang == "en" else "umfrage ergebnis 12")
    if isinstance(loaded, Reply):
        return loaded
    poll = loaded
    t = ctx.t
    if not (_may_manage(ctx, poll) or await in_audience(ctx, poll)):
        return Reply(text=t("poll.not_for_you", id=poll.id, audience=audience_name(poll, t)), private=True)
    cfg = polls_config(ctx.settings)
    tl = await tally(ctx.db, poll, with_names=True, settings=ctx.settings)
    return results_reply(poll, t, _tz(ctx.settings, ctx.person), tl, now=ctx.core.now(),
                         min_votes=cfg.min_anonymous_votes)


async def poll_close(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load(ctx, "poll close 12" if ctx.lang == "en" else "umfrage schließen 12")
    if isinstance(loaded, Reply):
        return loaded
    t = ctx.t
    if not _may_manage(ctx, loaded):
        return Reply(text=t("poll.not_yours", id=loaded.id), private=True)
    if not await close_poll(ctx.core, loaded.id, notify_creator=loaded.creator_id != ctx.person.id):
        return Reply(text=t("poll.already_closed", id=loaded.id), private=True)
    await deliver_outbox(ctx.core, limit=polls_config(ctx.settings).deliver_batch, ref=("results", loaded.id))
    async with ctx.db.session() as s:
        poll = await s.get(Poll, loaded.id)
    assert poll is not None
    cfg = polls_config(ctx.settings)
    tl = await tally(ctx.db, poll, with_names=True, settings=ctx.settings)
    res = results_reply(poll, t, _tz(ctx.settings, ctx.person), tl, now=ctx.core.now(),
                        min_votes=cfg.min_anonymous_votes)
    res.text = t("poll.closed_now", id=poll.id, results="") + "\n" + res.text
    res.private = True
    return res


async def poll_stop(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load(ctx, "poll stop 12" if ctx.lang == "en" else "umfrage stopp 12")
    if isinstance(loaded, Reply):
        return loaded
    t = ctx.t
    if not _may_manage(ctx, loaded):
        return Reply(text=t("poll.not_yours", id=loaded.id), private=True)
    if loaded.series_id is None:
        return Reply(text=t("poll.not_recurring", id=loaded.id), private=True)
    async with ctx.db.session() as s:
        await s.execute(update(PollSeries).where(PollSeries.id == loaded.series_id).values(active=False))
        await s.commit()
    return Reply(text=t("poll.stopped", id=loaded.id), private=True)


def _vote_values(msg: Incoming) -> tuple[int, int] | None:
    values = msg.values or {}
    try:
        if "value" in values and isinstance(values["value"], str) and ":" in values["value"]:
            pid, _, idx = values["value"].partition(":")
            return int(pid), int(idx)
        return int(values["poll"]), int(values["o"])
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: Infinity, which JSON carries
        return None


async def vote(ctx: Context, msg: Incoming) -> Reply | list[Reply]:
    t = ctx.t
    parsed = _vote_values(msg)
    if parsed is None:
        return Reply(text=t("core.unknown_action"), private=True)
    pid, idx = parsed
    now = ctx.core.now()
    tz = _tz(ctx.settings, ctx.person)
    async with ctx.db.session() as s:
        poll = await s.get(Poll, pid)
    if poll is None:
        return Reply(text=t("poll.gone"), private=True)
    if poll.status == "closed" or _aware(poll.closes_at) <= now:
        return Reply(text=t("poll.closed_vote", id=poll.id,
                            when=_fmt(_aware(poll.closed_at or poll.closes_at), tz, ctx.lang)), private=True)
    if not 0 <= idx < len(poll.options):
        return Reply(text=t("core.unknown_action"), private=True)
    if not await in_audience(ctx, poll):
        return Reply(text=t("poll.not_audience", id=poll.id, audience=audience_name(poll, t)), private=True)

    if poll.sealed and not ctx.settings.key.available:
        return Reply(text=t("poll.err_no_key"), private=True)
    key = person_key(ctx.settings, poll.id, ctx.person.id)
    tl: Tally | None = None
    # One transaction for the ballot, the voter and the counts the answer shows (this vote included).
    async with ctx.db.engine.begin() as conn:
        mine = await cast_ballot(ctx.db, poll, key, idx, conn=conn, mask=seal_mask(ctx.settings, poll, key))
        if not poll.anonymous:
            await _upsert_voter(conn, ctx.db, poll.id, ctx.person.id, key, now)
            tl = await tally(ctx.db, poll, with_names=True, conn=conn)
    log.info("poll vote recorded", extra={"poll": poll.id})

    cfg = polls_config(ctx.settings)
    if poll.anonymous:
        # The choice is shown once to the voter and kept in no message history (the platform's,
        # exports, eDiscovery): the poll message itself only says that a vote was recorded.
        choice = Reply(text=(t("poll.your_choice", choice=_chosen(poll, mine)) if mine else t("poll.no_choice")),
                       private=True, transient=True)
        if not msg.is_direct:
            return choice  # the channel message is everyone's and stays as it is
        recorded = poll_message(poll, t, tz, now=now, min_votes=cfg.min_anonymous_votes,
                                note=t("poll.recorded") if mine else t("poll.withdrawn"))
        recorded.update = True
        return [recorded, choice]
    # In a channel everyone sees the updated message, so it says nothing about "your" answer.
    reply = poll_message(poll, t, tz, now=now, tl=tl, mine=mine if msg.is_direct else None,
                         min_votes=cfg.min_anonymous_votes)
    reply.update = True
    return reply


def _chosen(poll: Poll, mine: int) -> str:
    return ", ".join(o for i, o in enumerate(poll.options) if mine & (1 << i))


async def cast_ballot(db: Database, poll: Poll, key: str, idx: int, *, conn: AsyncConnection | None = None,
                      mask: int = 0) -> int:
    """Record the choice in one statement (an upsert), so concurrent votes never lose or double one.

    Single choice: the new option replaces the old. Multiple choice: pressing an option toggles it.
    ``mask``: a sealed ballot's pad (seal_mask); XOR commutes with the toggle, so it stays one statement.
    Returns the voter's choices afterwards (a bit mask, unsealed).
    """
    stmt = _ballot_upsert(db.is_sqlite, poll.multi)
    params = {"_poll": poll.id, "_key": key, "_bit": 1 << idx, "_value": (1 << idx) ^ mask}
    if conn is not None:
        return int((await conn.execute(stmt, params)).scalar_one()) ^ mask
    async with db.engine.begin() as own:
        return int((await own.execute(stmt, params)).scalar_one()) ^ mask


async def _upsert_voter(s: Any, db: Database, poll_id: int, person_id: int, key: str, now: datetime) -> None:
    await s.execute(_voter_upsert(db.is_sqlite),
                    {"_poll": poll_id, "_person": person_id, "_key": key, "_at": now})


# Every vote runs these: they are built once per dialect (building one costs about as much as running it).


@functools.cache
def _ballot_upsert(is_sqlite: bool, multi: bool) -> Any:
    table = PollBallot.__table__
    bit = bindparam("_bit", type_=Integer)
    stmt = (sqlite.insert if is_sqlite else postgresql.insert)(table).values(
        poll_id=bindparam("_poll"), voter_key=bindparam("_key"), choices=bindparam("_value", type_=Integer))
    if multi:
        new = (table.c.choices.op("|")(bit)) - (table.c.choices.op("&")(bit))
    else:
        new = stmt.excluded.choices
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.poll_id, table.c.voter_key], set_={"choices": new})
    return stmt.returning(table.c.choices)


@functools.cache
def _voter_upsert(is_sqlite: bool) -> Any:
    table = PollVoter.__table__
    stmt = (sqlite.insert if is_sqlite else postgresql.insert)(table).values(
        poll_id=bindparam("_poll"), person_id=bindparam("_person"), voter_key=bindparam("_key"),
        voted_at=bindparam("_at"))
    return stmt.on_conflict_do_update(index_elements=[table.c.poll_id, table.c.person_id],
                                      set_={"voted_at": bindparam("_at"), "voter_key": bindparam("_key")})


@functools.cache
def _first_voters() -> Any:
    """The names shown on a named poll: the first voters with their choices (``_poll``, ``_limit``)."""
    return (
        select(Person.display_name, PollBallot.choices)
        .select_from(PollVoter)
        .join(Person, Person.id == PollVoter.person_id)
        .join(PollBallot, (PollBallot.poll_id == PollVoter.poll_id) & (PollBallot.voter_key == PollVoter.voter_key))
        .where(PollVoter.poll_id == bindparam("_poll"), PollBallot.choices != 0)
        .order_by(PollVoter.voted_at)
        .limit(bindparam("_limit"))
    )


# -- privacy -----------------------------------------------------------------------


async def my_poll_data(ctx: Context) -> list[tuple[str, str]]:
    async with ctx.db.session() as s:
        n = (await s.exec(select(func.count()).select_from(PollVoter).where(PollVoter.person_id == ctx.person.id))).one()
    return [(ctx.t("poll.data_votes"), ctx.t("poll.data_votes_value", n=n))]


async def forget_poll_data(ctx: Context) -> None:
    # The ballots stay and keep counting; what linked a named vote to the person goes.
    async with ctx.db.session() as s:
        await s.execute(delete(PollVoter).where(PollVoter.person_id == ctx.person.id))
        await s.execute(delete(PollOutbox).where(PollOutbox.person_id == ctx.person.id,
                                                 PollOutbox.status.in_(("pending", "sending", "sent", "failed"))))
        await s.commit()


# -- background work ---------------------------------------------------------------


async def run_due(core: Core) -> None:
    """Everything the polls job does, in order: new rounds, reminders, closing, then the outbox."""
    await start_due_series(core)
    await queue_reminders(core)
    for poll_id in await due_to_close(core):
        await close_poll(core, poll_id)
    await deliver_outbox(core, limit=polls_config(core.settings).deliver_batch)


async def start_due_series(core: Core) -> int:
    now = core.now()
    started = 0
    async with core.db.session() as s:
        due = (await s.exec(select(PollSeries).where(PollSeries.active.is_(True), PollSeries.next_at <= now)
                            .limit(50))).all()
    for series in due:
        nxt = _aware(series.next_at)
        while nxt <= now:  # a long stop of the bot does not start the missed rounds all at once
            nxt += timedelta(days=series.every_days)
        async with core.db.session() as s:
            claimed = await s.execute(update(PollSeries).where(PollSeries.id == series.id,
                                                               PollSeries.next_at == series.next_at)
                                      .values(next_at=nxt))
            await s.commit()
        if claimed.rowcount != 1:
            continue
        tpl = series.template
        closes = now + timedelta(seconds=float(tpl.get("duration_s") or 86400))
        remind = closes - timedelta(seconds=float(tpl["remind_before_s"])) if tpl.get("remind_before_s") else None
        vp = ValidPoll(tpl["question"], list(tpl["options"]), bool(tpl.get("multi")), bool(tpl.get("anonymous")),
                       tpl.get("audience_kind", "members"), tpl.get("audience_value", ""), closes, remind, None)
        creator = None
        if series.creator_id:
            async with core.db.session() as s:
                creator = await s.get(Person, series.creator_id)
        if vp.anonymous and not core.settings.key.available:
            log.error("recurring anonymous poll not started: no program key (AMBASSADOR_SECRET or the key file)",
                      extra={"series": series.id})
            continue
        await create_poll(core, vp, creator=creator, platform=tpl.get("platform"), series_id=series.id)
        started += 1
    return started


async def queue_reminders(core: Core) -> int:
    now = core.now()
    queued = 0
    async with core.db.session() as s:
        due = (await s.exec(select(Poll.id).where(Poll.status == "open", Poll.remind_at <= now,
                                                  Poll.reminded_at.is_(None), Poll.closes_at > now))).all()
    for poll_id in due:
        async with core.db.session() as s:
            claimed = await s.execute(update(Poll).where(Poll.id == poll_id, Poll.reminded_at.is_(None))
                                      .values(reminded_at=now))
            if claimed.rowcount != 1:
                await s.rollback()
                continue
            recipients = (await s.exec(select(PollOutbox.person_id).where(
                PollOutbox.kind == "poll", PollOutbox.ref_id == poll_id, PollOutbox.status == "sent",
                PollOutbox.person_id.is_not(None), PollOutbox.channel.is_(None)))).all()
            poll = await s.get(Poll, poll_id)
            if poll is None or (poll.sealed and not core.settings.key.available):
                await s.rollback()
                continue
            ballots = (await s.exec(select(PollBallot.voter_key, PollBallot.choices)
                                    .where(PollBallot.poll_id == poll_id))).all()
            voted = {k for k, c in ballots if int(c) ^ seal_mask(core.settings, poll, k)}
            # Keys are compared in memory and not kept: only "reminded" rows remain, and they
            # are deleted once sent.
            missing = [pid for pid in recipients if person_key(core.settings, poll_id, pid) not in voted]
            s.add_all([PollOutbox(kind="remind", ref_id=poll_id, person_id=pid, created_at=now) for pid in missing])
            await s.commit()
            queued += len(missing)
    return queued


async def due_to_close(core: Core) -> list[int]:
    async with core.db.session() as s:
        query = select(Poll.id).where(Poll.status == "open", Poll.closes_at <= core.now())
        if not core.settings.key.available:
            query = query.where(Poll.sealed.is_(False))  # counted only with the key: another replica closes it
        return list((await s.exec(query.order_by(Poll.closes_at).limit(100))).all())


async def close_poll(core: Core, poll_id: int, *, notify_creator: bool = True) -> bool:
    """Close once (compare-and-set); the results go to the creator and, for a channel poll, to the channel."""
    now = core.now()
    async with core.db.session() as s:
        closed = await s.execute(update(Poll).where(Poll.id == poll_id, Poll.status == "open")
                                 .values(status="closed", closed_at=now))
        if closed.rowcount != 1:
            await s.rollback()
            return False
        poll = await s.get(Poll, poll_id)
        assert poll is not None
        if poll.sealed:
            # The totals stay; the ballots go: after closing nothing is left to link, even with the key.
            tl = await _sealed_counts(await s.connection(), core.settings, poll)
            poll.tally = {"voters": tl.voters, "counts": tl.counts}
            await s.execute(delete(PollBallot).where(PollBallot.poll_id == poll_id))
        if notify_creator and poll.creator_id:
            s.add(PollOutbox(kind="results", ref_id=poll_id, person_id=poll.creator_id, created_at=now))
        channel = (await s.exec(select(PollOutbox).where(PollOutbox.kind == "poll", PollOutbox.ref_id == poll_id,
                                                         PollOutbox.channel.is_not(None)))).first()
        if channel is not None:
            s.add(PollOutbox(kind="results", ref_id=poll_id, channel=channel.channel, platform=channel.platform,
                             person_id=None, created_at=now))
        await s.commit()
    log.info("poll closed", extra={"poll": poll_id})
    return True


async def deliver_outbox(core: Core, *, limit: int = 200, ref: tuple[str, int] | None = None) -> int:
    """Send due outbox rows: claim each (compare-and-set), send, record the outcome."""
    now = core.now()
    async with core.db.session() as s:
        stmt = (select(PollOutbox.id)
                .where(PollOutbox.status.in_(("pending", "sending")))
                .where(or_(PollOutbox.claim_until.is_(None), PollOutbox.claim_until < now))
                .order_by(PollOutbox.id).limit(limit))
        if ref is not None:
            stmt = stmt.where(PollOutbox.kind == ref[0], PollOutbox.ref_id == ref[1])
        ids = list((await s.exec(stmt)).all())
    sent = 0
    cache: dict[tuple[str, int], Any] = {}
    for oid in ids:
        async with core.db.session() as s:
            claimed = await s.execute(
                update(PollOutbox).where(PollOutbox.id == oid, PollOutbox.status.in_(("pending", "sending")))
                .where(or_(PollOutbox.claim_until.is_(None), PollOutbox.claim_until < now))
                .values(status="sending", claim_until=now + CLAIM, attempts=PollOutbox.attempts + 1))
            await s.commit()
            if claimed.rowcount != 1:
                continue
            row = await s.get(PollOutbox, oid)
        if row is None:
            continue
        try:
            await _send(core, row, cache)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500] if not isinstance(exc, DeliveryError) else str(exc)[:500]
            failed = row.attempts >= MAX_ATTEMPTS
            log.warning("poll message not delivered", extra={"kind": row.kind, "ref": row.ref_id, "final": failed})
            async with core.db.session() as s:
                await s.execute(update(PollOutbox).where(PollOutbox.id == oid).values(
                    status="failed" if failed else "pending", error=error,
                    claim_until=None if failed else now + timedelta(seconds=30 * 2 ** row.attempts)))
                await s.commit()
            continue
        async with core.db.session() as s:
            if row.kind == "remind":
                # Who was reminded says who had not voted: not kept once sent.
                await s.execute(delete(PollOutbox).where(PollOutbox.id == oid))
            else:
                await s.execute(update(PollOutbox).where(PollOutbox.id == oid)
                                .values(status="sent", sent_at=core.now(), claim_until=None, error=None))
            await s.commit()
        sent += 1
    return sent


async def _send(core: Core, row: PollOutbox, cache: dict[tuple[str, int], Any]) -> None:
    person = None
    if row.person_id is not None:
        async with core.db.session() as s:
            person = await s.get(Person, row.person_id)
    lang = core.language_of(person)
    t = core.translator(lang)
    tz = _tz(core.settings, person)
    if row.kind in ("report", "summary"):
        from handlers import meetings

        replies = await meetings.render_outbox(core, row, person, t, tz)
    else:
        key = ("poll", row.ref_id)
        if key not in cache:
            async with core.db.session() as s:
                cache[key] = await s.get(Poll, row.ref_id)
        poll = cache[key]
        if poll is None:
            return
        now = core.now()
        min_votes = polls_config(core.settings).min_anonymous_votes
        if row.kind == "results":
            tl = await tally(core.db, poll, with_names=False, settings=core.settings)
            reply = results_reply(poll, t, tz, tl, now=now, min_votes=min_votes)
            reply.text = t("poll.closed_notice", id=poll.id, question=poll.question) + "\n" + reply.text
            replies = [reply]
        else:
            tl = await tally(core.db, poll, with_names=False, settings=core.settings) if not poll.anonymous else None
            note = t("poll.reminder", when=_fmt(_aware(poll.closes_at), tz, t.lang)) if row.kind == "remind" else None
            replies = [poll_message(poll, t, tz, now=now, tl=tl, note=note, min_votes=min_votes)]
    if row.channel:
        await _post_channel(core, row, replies)
    elif row.person_id is not None:
        await core.notify(row.person_id, replies)


async def _post_channel(core: Core, row: PollOutbox, replies: list[Reply]) -> None:
    platform = row.platform or ""
    sender = core.senders.get(platform)
    if sender is None:
        raise DeliveryError(f"{platform or 'the platform'} is not connected")
    user_id = None
    if platform == "teams":
        # Teams reaches a channel through a conversation reference of someone in it: the poll's creator.
        # (Slack would read a user id as "show it to this person only".)
        async with core.db.session() as s:
            poll = await s.get(Poll, row.ref_id)
            ident = (await s.exec(select(Identity).where(Identity.person_id == poll.creator_id,
                                                         Identity.platform == platform))).first() if poll else None
        user_id = ident.user_id if ident else None
    await sender.send_to_conversation(row.channel or "", replies, user_id)


_OUTBOX = PollOutbox.__table__
_OUTBOX_STATUSES = ("pending", "sending", "failed")


def _outbox_depth(now: datetime) -> Any:
    return (select(_OUTBOX.c.status, func.count())
            .where(_OUTBOX.c.status.in_(_OUTBOX_STATUSES))
            .group_by(_OUTBOX.c.status))


CAPABILITY = Capability(
    name="polls",
    register=register,
    texts=(TEXTS,),
    config=("polls",),
    config_checks=(polls_config,),
    jobs=(ScheduledJob(30, "polls", polls_job),),
    data_providers=(my_poll_data,),
    forget_hooks=(forget_poll_data,),
    outboxes=(OutboxGauge("poll_outbox", _outbox_depth, statuses=_OUTBOX_STATUSES),),
    cli=(cli_polls.register,),  # polls, feedback and the meeting report on the command line
)
