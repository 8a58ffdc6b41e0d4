"""The meeting report: the figures (figures.py, computed by kpis.py) over a period and against the previous one,
poll results, the collected feedback; as charts (PNG, matplotlib with the Agg
backend: no screen needed), one HTML page, and a CSV file per table.

Building (``build_report``) reads the database; writing (``write_report``) is
file work and runs in a thread when called from the bot. The charts are drawn in
a process of their own (charts.py): made with a ``ReportWriter`` first, a report
has its charts drawn while its SQL still runs.
"""

from __future__ import annotations

import csv
import html
import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.capability import ReportSource
from bot.i18n import Translator
from bot.messages import Button, Field, Reply
from bot.text import one_line, reader_date
from handlers.meetings import charts as charts_mod
from handlers.meetings.charts import Chart
from handlers.meetings.figures import FIGURES
from handlers.meetings.kpis import Figure, Kpis, Period, PollResult, Table
from knowledge.loader import TOPIC_NAMES
from storage.db import Database

log = logging.getLogger("ambassador.report")

MAX_POLL_CHARTS = 12

# The figures the chat summary shows, in this order (the files have all of them).
KEY_FIGURES = (
    "members", "active_members", "joins", "leaves", "polls_closed", "poll_participation", "feedback", "topics",
    "items_sent", "shares", "clicks", "questions", "helpful_rate", "crisis_reports",
)

REPORT_TEXTS: dict[str, dict[str, Any]] = {
    "report.title": {"en": "Ambassador meeting report", "de": "Bericht zum Botschafter-Treffen"},
    "report.period": {"en": "{start} to {end}, compared with {pstart} to {pend}",
                      "de": "{start} bis {end}, verglichen mit {pstart} bis {pend}"},
    "report.generated": {"en": "Generated {when} ({tz})", "de": "Erstellt am {when} ({tz})"},
    "report.figures": {"en": "Key figures", "de": "Kennzahlen"},
    "report.now": {"en": "this period", "de": "dieser Zeitraum"},
    "report.before": {"en": "previous period", "de": "voriger Zeitraum"},
    "report.change": {"en": "change", "de": "Veränderung"},
    "report.figure": {"en": "figure", "de": "Kennzahl"},
    "report.na": {"en": "not available yet", "de": "noch nicht verfügbar"},
    "report.none": {"en": "nothing in this period", "de": "nichts in diesem Zeitraum"},
    "report.polls": {"en": "Polls", "de": "Umfragen"},
    "report.feedback": {"en": "Feedback and topics", "de": "Rückmeldungen und Themen"},
    "report.anonymous": {"en": "anonymous", "de": "anonym"},
    "report.no_votes": {"en": "no votes yet", "de": "noch keine Stimmen"},
    "report.no_topic": {"en": "no guideline (outside the guidelines)", "de": "keine Richtlinie (außerhalb der Richtlinien)"},
    "report.verdict_go": {"en": "go", "de": "ja"},
    "report.verdict_check": {"en": "check first", "de": "erst klären"},
    "report.verdict_no": {"en": "no", "de": "nein"},
    "report.named": {"en": "named", "de": "namentlich"},
    "report.hidden_open": {"en": "anonymous: results after closing", "de": "anonym: Ergebnis nach Abschluss"},
    "report.hidden_few": {"en": "anonymous: fewer than {n} votes, results not shown",
                          "de": "anonym: weniger als {n} Stimmen, kein Ergebnis"},
    "report.files": {"en": "Files", "de": "Dateien"},
    "report.open_html": {"en": "Open the report", "de": "Bericht öffnen"},
    "report.chat_text": {
        "en": "The figures for the next ambassador meeting, {start} to {end} (change against the period before).",
        "de": "Die Zahlen für das nächste Botschafter-Treffen, {start} bis {end} (Veränderung zum Zeitraum davor).",
    },
    "report.chat_polls": {"en": "Polls", "de": "Umfragen"},
    "report.chat_files": {"en": "Report with charts and CSV files: {where}",
                          "de": "Bericht mit Diagrammen und CSV-Dateien: {where}"},
    "report.chart_activity": {"en": "Activity per day", "de": "Aktivität pro Tag"},
    "report.chart_figures": {"en": "This period and the previous one", "de": "Dieser und voriger Zeitraum"},
    "report.chart_departments": {"en": "Members and active members per department",
                                 "de": "Mitglieder und aktive Mitglieder pro Abteilung"},
    "report.chart_items": {"en": "Top items by shares", "de": "Top-Inhalte nach Teilungen"},
    "report.chart_questions": {"en": "Questions by topic", "de": "Fragen nach Thema"},
    "report.chart_crisis": {"en": "Crisis reports by severity", "de": "Krisenmeldungen nach Schwere"},
    "report.no_department": {"en": "(no department)", "de": "(keine Abteilung)"},
    "report.votes": {"en": "votes", "de": "Stimmen"},
    "report.voters_of": {"en": "{voters} voted of {recipients}", "de": "{voters} von {recipients} haben abgestimmt"},
    "report.voters": {"en": "{voters} voted", "de": "{voters} haben abgestimmt"},
    # figures
    "kpi.members": {"en": "Members (end of period)", "de": "Mitglieder (Ende des Zeitraums)"},
    "kpi.active_members": {"en": "Active members", "de": "Aktive Mitglieder"},
    "kpi.joins": {"en": "Joined", "de": "Beigetreten"},
    "kpi.leaves": {"en": "Left", "de": "Ausgetreten"},
    "kpi.polls_closed": {"en": "Polls closed", "de": "Abgeschlossene Umfragen"},
    "kpi.poll_votes": {"en": "Poll votes", "de": "Stimmen in Umfragen"},
    "kpi.poll_participation": {"en": "Poll participation", "de": "Beteiligung an Umfragen"},
    "kpi.feedback": {"en": "Feedback", "de": "Rückmeldungen"},
    "kpi.topics": {"en": "Topics for the meeting", "de": "Themen für das Treffen"},
    "kpi.items_sent": {"en": "Content items sent", "de": "Verschickte Inhalte"},
    "kpi.shares": {"en": "Shares", "de": "Geteilt"},
    "kpi.clicks": {"en": "Clicks", "de": "Klicks"},
    "kpi.questions": {"en": "Questions to the bot", "de": "Fragen an den Bot"},
    "kpi.helpful_rate": {"en": "Answers marked helpful", "de": "Als hilfreich markierte Antworten"},
    "kpi.kb_gaps": {"en": "Knowledge-base gaps", "de": "Lücken in den Richtlinien"},
    "kpi.crisis_reports": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    "kpi.crisis_ack_minutes": {"en": "Minutes to acknowledge a crisis (average)",
                               "de": "Minuten bis zur Bestätigung einer Krise (Mittel)"},
    "kpi.course_finished": {"en": "Finished the course", "de": "Kurs abgeschlossen"},
    "kpi.course_finished_total": {"en": "Members who have finished the course",
                                  "de": "Mitglieder mit abgeschlossenem Kurs"},
    # tables
    "table.figures": {"en": "Key figures", "de": "Kennzahlen"},
    "table.activity_by_day": {"en": "Activity per day", "de": "Aktivität pro Tag"},
    "table.departments": {"en": "Departments", "de": "Abteilungen"},
    "table.polls": {"en": "Polls", "de": "Umfragen"},
    "table.poll_results": {"en": "Poll results", "de": "Umfrageergebnisse"},
    "table.feedback": {"en": "Feedback and topics", "de": "Rückmeldungen und Themen"},
    "table.content_items": {"en": "Shares and clicks per item", "de": "Teilungen und Klicks pro Inhalt"},
    "table.questions": {"en": "Questions by topic and verdict", "de": "Fragen nach Thema und Einschätzung"},
    "table.crisis": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    # columns
    "col.key": {"en": "key", "de": "Schlüssel"},
    "col.day": {"en": "day", "de": "Tag"},
    "col.joins": {"en": "joined", "de": "beigetreten"},
    "col.leaves": {"en": "left", "de": "ausgetreten"},
    "col.active": {"en": "active", "de": "aktiv"},
    "col.department": {"en": "department", "de": "Abteilung"},
    "col.members": {"en": "members", "de": "Mitglieder"},
    "col.feedback": {"en": "feedback", "de": "Rückmeldungen"},
    "col.shares": {"en": "shares", "de": "Teilungen"},
    "col.poll": {"en": "poll", "de": "Umfrage"},
    "col.question": {"en": "question", "de": "Frage"},
    "col.audience": {"en": "audience", "de": "Zielgruppe"},
    "col.kind": {"en": "kind", "de": "Art"},
    "col.status": {"en": "status", "de": "Status"},
    "col.closes": {"en": "closes", "de": "endet"},
    "col.recipients": {"en": "sent to", "de": "verschickt an"},
    "col.voters": {"en": "voters", "de": "Abstimmende"},
    "col.results": {"en": "results", "de": "Ergebnis"},
    "col.option": {"en": "option", "de": "Option"},
    "col.votes": {"en": "votes", "de": "Stimmen"},
    "col.date": {"en": "date", "de": "Datum"},
    "col.from": {"en": "from", "de": "von"},
    "col.text": {"en": "text", "de": "Text"},
    "col.item": {"en": "item", "de": "Inhalt"},
    "col.title": {"en": "title", "de": "Titel"},
    "col.sent": {"en": "sent", "de": "verschickt"},
    "col.clicks": {"en": "clicks", "de": "Klicks"},
    "col.topic": {"en": "topic", "de": "Thema"},
    "col.verdict": {"en": "verdict", "de": "Einschätzung"},
    "col.questions": {"en": "questions", "de": "Fragen"},
    "col.severity": {"en": "severity", "de": "Schwere"},
    "col.reports": {"en": "reports", "de": "Meldungen"},
    "col.value": {"en": "this period", "de": "dieser Zeitraum"},
    "col.previous": {"en": "previous period", "de": "voriger Zeitraum"},
    "col.change": {"en": "change", "de": "Veränderung"},
    "col.figure": {"en": "figure", "de": "Kennzahl"},
    "kind.feedback": {"en": "feedback", "de": "Rückmeldung"},
    "kind.topic": {"en": "topic", "de": "Thema"},
    "status.open": {"en": "open", "de": "offen"},
    "status.closed": {"en": "closed", "de": "abgeschlossen"},
}


@dataclass
class MeetingReport:
    period: Period
    generated_at: datetime
    figures: list[Figure]
    tables: list[Table]
    polls: list[PollResult]
    sources: dict[str, bool]
    min_anonymous_votes: int = 5

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass
class ReportFiles:
    folder: Path
    html: Path
    csv: list[Path] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)


async def build_report(
    db: Database,
    period: Period,
    *,
    now: datetime,
    min_anonymous_votes: int = 5,
    departments: tuple[str, ...] | None = None,
    writer: ReportWriter | None = None,
    sources: Mapping[str, ReportSource] | None = None,
) -> MeetingReport:
    """Every figure and table of the report; ``departments`` limits the feedback to those (a communicator's copy).

    ``sources``: the other capabilities' tables the figures read (``core.router.report_sources``);
    a figure whose source is not there is "not available yet".

    With a ``writer`` (made before), the charts of the polls and of the activity are handed to it
    as soon as their rows are read, and are drawn while the rest of the SQL runs. Without one, the
    process that will draw the charts is started now, so that it loads matplotlib meanwhile.
    """
    if writer is None:
        charts_mod.prestart()
    async with db.engine.connect() as conn:
        k = Kpis(conn, min_anonymous_votes=min_anonymous_votes, sources=sources)
        await k.tune()
        # The cheap reads whose charts are the most come first: those charts are drawn meanwhile.
        polls = await k.poll_results(period, now=now)
        if writer is not None:
            writer.charts(poll_charts(polls, writer.t))
        activity = await k.activity_by_day(period)
        if writer is not None:
            writer.charts([activity_chart(activity, writer.t)])
        figures = await k.figures(period, FIGURES.values())
        tables = [
            activity,
            await k.departments(period),
            _polls_table(polls),
            _poll_results_table(polls),
            await k.feedback(period, departments),
            await k.content_items(period),
            await k.questions(period),
            await k.crisis(period),
        ]
        sources = dict(await k.sources())
    return MeetingReport(period, now, figures, tables, polls, sources, min_anonymous_votes)


def _polls_table(polls: list[PollResult]) -> Table:
    rows = [
        (p.poll_id, p.question, p.audience, "anonymous" if p.anonymous else "named", p.status, p.closes_at,
         p.recipients, p.voters, "shown" if p.counts is not None else p.hidden_reason or "")
        for p in polls
    ]
    return Table("polls", ["poll", "question", "audience", "kind", "status", "closes", "recipients", "voters",
                           "results"], rows)


def _poll_results_table(polls: list[PollResult]) -> Table:
    # Only results that may be shown ever reach a table, and so the CSV export.
    rows = [
        (p.poll_id, p.question, option, count)
        for p in polls
        if p.counts is not None
        for option, count in zip(p.options, p.counts, strict=False)
    ]
    return Table("poll_results", ["poll", "question", "option", "votes"], rows)


# -- formatting --------------------------------------------------------------


def fmt_number(value: float | None, lang: str, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:,.1f}" if (percent or value != int(value)) else f"{int(value):,}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text + (" %" if percent else "")


def fmt_change(fig: Figure, lang: str) -> str:
    change = fig.change
    if change is None:
        return "–"
    if change == 0:
        return "±0"
    sign = "+" if change > 0 else "−"
    return sign + fmt_number(abs(change), lang, percent=fig.percent).removesuffix(" %") + (" pp" if fig.percent else "")


def fmt_when(value: Any, lang: str, tz: ZoneInfo, *, time: bool = True) -> str:
    if not isinstance(value, datetime):
        return str(value)
    return reader_date((value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tz), lang, time=time)


def _cell(value: Any, key: str, t: Translator, tz: ZoneInfo, min_votes: int = 5) -> str:
    if value is None:
        return t("report.anonymous") if key == "from" else ""
    if isinstance(value, datetime):
        return fmt_when(value, t.lang, tz)
    if key == "department" and value == "":
        return t("report.no_department")
    if key == "topic":
        return topic_label(str(value), t)
    if key == "verdict" and value in ("go", "check", "no"):
        return t(f"report.verdict_{value}")
    if key == "kind" and value in ("feedback", "topic"):
        return t(f"kind.{value}")
    if key == "kind" and value in ("anonymous", "named"):
        return t(f"report.{value}")
    if key == "status" and value in ("open", "closed"):
        return t(f"status.{value}")
    if key == "results":
        return {"shown": "✓", "open": t("report.hidden_open")}.get(value) or (
            t("report.hidden_few", n=min_votes) if value == "too_few" else str(value))
    return str(value)


def topic_label(topic: str, t: Translator) -> str:
    """A guideline topic by its title in the reader's language, never by its id."""
    if topic in ("", "none"):
        return t("report.no_topic")
    names = TOPIC_NAMES.get(topic)
    return (names.get(t.lang) or names.get("en") or topic) if names else topic.replace("_", " ")


def figure_label(key: str, t: Translator) -> str:
    return t(f"kpi.{key}")


def summary_reply(report: MeetingReport, t: Translator, tz: ZoneInfo, *, where: str | None = None,
                  url: str | None = None) -> Reply:
    """The report in chat: the key figures with their change, and where the files are."""
    fields = []
    for key in KEY_FIGURES:
        fig = report.figure(key)
        if not fig.available:
            value = t("report.na")
        else:
            value = f"{fmt_number(fig.value, t.lang, percent=fig.percent)} ({fmt_change(fig, t.lang)})"
        fields.append(Field(figure_label(key, t), value))
    lines = []
    for p in report.polls:
        if p.counts is not None and p.options and not any(p.counts):
            lines.append(f"#{p.poll_id} {p.question}: {t('report.no_votes')}")  # no leading answer at 0 of 0
        elif p.counts is not None and p.options:
            top = max(range(len(p.options)), key=lambda i: p.counts[i])  # type: ignore[index]
            lines.append(f"#{p.poll_id} {p.question}: {p.options[top]} ({p.counts[top]}/{p.voters})")  # type: ignore[index]
        else:
            lines.append(f"#{p.poll_id} {p.question}: "
                         + (t("report.hidden_open") if p.hidden_reason == "open"
                            else t("report.hidden_few", n=report.min_anonymous_votes)))
    if lines:
        fields.append(Field(t("report.chat_polls"), "\n".join(lines[:10])))
    start = fmt_when(report.period.start, t.lang, tz, time=False)
    end = fmt_when(report.period.end, t.lang, tz, time=False)
    return Reply(
        title=t("report.title"),
        text=t("report.chat_text", start=start, end=end),
        fields=fields,
        buttons=[Button(label=t("report.open_html"), action_id="meeting.open", url=url)] if url else [],
        context=t("report.chat_files", where=where) if where else None,
    )


# -- files -------------------------------------------------------------------


def _columns(table: Table, t: Translator) -> list[str]:
    return [t(f"col.{c}") for c in table.columns]


def _safe_csv(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet; feedback text comes from anyone.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# Columns whose text people wrote (feedback, poll questions and options, item titles, names).
_USER_TEXT = {"text", "question", "option", "title", "from", "department", "topic", "audience"}


def _write_csv(path: Path, header: list[str], rows: list[list[str]], keys: list[str] | None = None) -> None:
    user = [k in _USER_TEXT for k in keys] if keys else [False] * len(header)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([[_safe_csv(c) if u else c for c, u in zip(row, user, strict=False)] for row in rows])


def _figures_table(report: MeetingReport, t: Translator) -> tuple[list[str], list[list[str]]]:
    header = [t("col.key"), t("col.figure"), t("col.value"), t("col.previous"), t("col.change")]
    rows = []
    for fig in report.figures:
        if fig.available:
            rows.append([fig.key, figure_label(fig.key, t), fmt_number(fig.value, t.lang, percent=fig.percent),
                         fmt_number(fig.previous, t.lang, percent=fig.percent), fmt_change(fig, t.lang)])
        else:
            rows.append([fig.key, figure_label(fig.key, t), t("report.na"), t("report.na"), ""])
    return header, rows


class ReportWriter:
    """Writes one report's files into ``out``: charts, a CSV file per table and report.html.

    Made before the report is built (``build_report(..., writer=...)``): the process that
    draws the charts starts at once and loads matplotlib while the SQL runs, and gets each
    chart as soon as its rows are read. ``write(report)`` then adds the remaining charts,
    writes the CSV files and the page while they are drawn, and waits for them.
    ``charts_from``: a folder with this report's charts drawn already (the lead's copy of
    the same report): they are copied, not drawn again.
    """

    def __init__(self, out: Path, t: Translator, *, timezone: str = "UTC", program: str = "Ambassador",
                 charts_from: Path | None = None) -> None:
        self.out, self.t, self.tz, self.program, self.charts_from = out, t, ZoneInfo(timezone), program, charts_from
        out.mkdir(parents=True, exist_ok=True)
        self.drawing = charts_mod.Drawing(out)
        self._given: set[str] = set()

    def charts(self, charts: list[Chart]) -> None:
        """Draw these now (each chart once)."""
        new = [c for c in charts if c.name not in self._given]
        self._given.update(c.name for c in new)
        if self.charts_from is not None:
            copied = [c for c in new if (self.charts_from / c.name).is_file()]
            for c in copied:
                shutil.copyfile(self.charts_from / c.name, self.out / c.name)
            new = [c for c in new if c not in copied]
        self.drawing.add(new)

    def cancel(self) -> None:
        self.drawing.cancel()

    def write(self, report: MeetingReport) -> ReportFiles:
        t, tz, out = self.t, self.tz, self.out
        files = ReportFiles(folder=out, html=out / "report.html")
        specs = chart_specs(report, t)
        self.charts(specs)

        header, rows = _figures_table(report, t)
        _write_csv(out / "figures.csv", header, rows)
        files.csv.append(out / "figures.csv")
        for table in report.tables:
            if not table.available:
                continue
            path = out / f"{table.key}.csv"
            _write_csv(path, _columns(table, t),
                       [[_cell(v, c, t, tz, report.min_anonymous_votes)
                         for v, c in zip(row, table.columns, strict=False)] for row in table.rows], table.columns)
            files.csv.append(path)

        files.charts = [out / c.name for c in specs]
        page = _html(report, files, t, tz, self.program)
        self.drawing.wait()
        files.html.write_text(page, encoding="utf-8")
        return files


def write_report(report: MeetingReport, out: Path, t: Translator, *, timezone: str = "UTC",
                 program: str = "Ambassador", charts_from: Path | None = None) -> ReportFiles:
    """Charts, CSV files and report.html into ``out`` (created); returns their paths (see ``ReportWriter``)."""
    return ReportWriter(out, t, timezone=timezone, program=program, charts_from=charts_from).write(report)


def chart_specs(report: MeetingReport, t: Translator) -> list[Chart]:
    """What each chart shows, with its texts in the reader's language (drawn by charts.py)."""
    return [
        figures_chart(report.figures, t),
        activity_chart(report.table("activity_by_day"), t),
        departments_chart(report.table("departments"), t),
        *poll_charts(report.polls, t),
        *table_charts(report, t),
    ]


def figures_chart(figures: list[Figure], t: Translator) -> Chart:
    # This period against the previous one (counts only; rates have their own scale).
    figs = [f for f in figures if f.available and not f.percent and f.key != "crisis_ack_minutes"
            and f.value is not None]
    return Chart("figures.png", "pairs", {
        "title": t("report.chart_figures"), "labels": [figure_label(f.key, t) for f in figs],
        "before": [f.previous or 0 for f in figs], "now": [f.value or 0 for f in figs],
        "before_label": t("report.before"), "now_label": t("report.now")})


def activity_chart(table: Table, t: Translator) -> Chart:
    days = table.rows
    return Chart("activity.png", "activity", {
        "title": t("report.chart_activity"), "days": [r[0] for r in days], "joins": [r[1] for r in days],
        "leaves": [r[2] for r in days], "active": [r[3] for r in days], "joins_label": t("col.joins"),
        "leaves_label": t("col.leaves"), "active_label": t("col.active"), "empty": t("report.none")})


def departments_chart(table: Table, t: Translator) -> Chart:
    depts = table.rows
    return Chart("departments.png", "hpairs", {
        "title": t("report.chart_departments"), "names": [r[0] or t("report.no_department") for r in depts],
        "first": [r[1] for r in depts], "second": [r[2] for r in depts], "first_label": t("col.members"),
        "second_label": t("col.active"), "empty": t("report.none")})


def poll_charts(polls: list[PollResult], t: Translator) -> list[Chart]:
    # One chart per poll, for the newest ones (a year's report has dozens; their tables are all in the HTML).
    shown = [p for p in polls if p.counts is not None and p.options][-MAX_POLL_CHARTS:]
    return [
        Chart(f"poll_{p.poll_id}.png", "hbar", {
            "title": one_line(p.question, 70), "title_size": 10, "labels": [one_line(o, 40) for o in p.options],
            "values": list(p.counts or []), "xlabel": t("report.votes")})
        for p in shown
    ]


def table_charts(report: MeetingReport, t: Translator) -> list[Chart]:
    charts = []
    for key, name, title, label_col, value_col in (
        ("content_items", "items.png", "report.chart_items", 1, 3),
        ("questions", "questions.png", "report.chart_questions", 0, 2),
        ("crisis", "crisis.png", "report.chart_crisis", 0, 2),
    ):
        table = report.table(key)
        if not table.available or not table.rows:
            continue
        totals: dict[str, float] = {}
        for row in table.rows:  # at most ROW_LIMIT grouped rows, summed per label for the chart
            label = topic_label(str(row[label_col]), t) if key == "questions" else str(row[label_col])
            totals[label] = totals.get(label, 0) + float(row[value_col] or 0)
        top = sorted(totals.items(), key=lambda kv: -kv[1])[:10]
        charts.append(Chart(name, "hbar", {
            "title": t(title), "labels": [one_line(k, 40) for k, _ in top], "values": [v for _, v in top],
            "color": charts_mod.PURPLE}))
    return charts


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n{text-align:right}.na{color:#888;font-style:italic}
img{max-width:100%;margin:.5rem 0}.up{color:#2e7d32}.down{color:#c62828}small{color:#666}
"""


def _html(report: MeetingReport, files: ReportFiles, t: Translator, tz: ZoneInfo, program: str) -> str:
    e = html.escape
    p, prev = report.period, report.period.previous()
    lang = t.lang
    parts = [
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{e(t('report.title'))}: {e(program)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(t('report.title'))}: {e(program)}</h1>",
        "<p>" + e(t("report.period", start=fmt_when(p.start, lang, tz), end=fmt_when(p.end, lang, tz),
                    pstart=fmt_when(prev.start, lang, tz), pend=fmt_when(prev.end, lang, tz))) + "</p>",
        "<p><small>" + e(t("report.generated", when=fmt_when(report.generated_at, lang, tz), tz=str(tz))) + "</small></p>",
        f"<h2>{e(t('report.figures'))}</h2><table><tr><th>{e(t('col.figure'))}</th><th>{e(t('col.value'))}</th>"
        f"<th>{e(t('col.previous'))}</th><th>{e(t('col.change'))}</th></tr>",
    ]
    for fig in report.figures:
        label = e(figure_label(fig.key, t))
        if not fig.available:
            parts.append(f"<tr><td>{label}</td><td colspan='3' class='na'>{e(t('report.na'))}</td></tr>")
            continue
        change = fig.change or 0
        cls = "up" if change > 0 else "down" if change < 0 else ""
        parts.append(
            f"<tr><td>{label}</td><td class='n'>{e(fmt_number(fig.value, lang, percent=fig.percent))}</td>"
            f"<td class='n'>{e(fmt_number(fig.previous, lang, percent=fig.percent))}</td>"
            f"<td class='n {cls}'>{e(fmt_change(fig, lang))}</td></tr>"
        )
    parts.append("</table>")
    names = {c.name for c in files.charts}
    for chart in ("figures.png", "activity.png", "departments.png"):
        if chart in names:
            parts.append(f"<img src='{chart}' alt='{e(chart)}'>")

    parts.append(f"<h2>{e(t('report.polls'))}</h2>")
    if not report.polls:
        parts.append(f"<p class='na'>{e(t('report.none'))}</p>")
    for poll in report.polls:
        kind = t("report.anonymous") if poll.anonymous else t("report.named")
        voters = (t("report.voters_of", voters=poll.voters, recipients=poll.recipients) if poll.recipients
                  else t("report.voters", voters=poll.voters))
        parts.append(f"<h3>#{poll.poll_id} {e(poll.question)}</h3><p><small>{e(kind)} · "
                     f"{e(t('status.' + poll.status))} · {e(fmt_when(poll.closes_at, lang, tz))} · {e(voters)}</small></p>")
        if poll.counts is None:
            why = (t("report.hidden_open") if poll.hidden_reason == "open"
                   else t("report.hidden_few", n=report.min_anonymous_votes))
            parts.append(f"<p class='na'>{e(why)}</p>")
            continue
        parts.append(f"<table><tr><th>{e(t('col.option'))}</th><th>{e(t('col.votes'))}</th></tr>")
        parts += [f"<tr><td>{e(o)}</td><td class='n'>{c}</td></tr>" for o, c in zip(poll.options, poll.counts,
                                                                                     strict=False)]
        parts.append("</table>")
        if f"poll_{poll.poll_id}.png" in names:
            parts.append(f"<img src='poll_{poll.poll_id}.png' alt='poll {poll.poll_id}'>")

    for key in ("departments", "feedback", "content_items", "questions", "crisis", "activity_by_day"):
        table = report.table(key)
        parts.append(f"<h2>{e(t('table.' + key))}</h2>")
        if not table.available:
            parts.append(f"<p class='na'>{e(t('report.na'))}</p>")
            continue
        if not table.rows:
            parts.append(f"<p class='na'>{e(t('report.none'))}</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in _columns(table, t)) + "</tr>")
        for row in table.rows:
            cells = []
            for value, col in zip(row, table.columns, strict=False):
                cls = " class='n'" if isinstance(value, int | float) and not isinstance(value, bool) else ""
                cells.append(f"<td{cls}>{e(_cell(value, col, t, tz, report.min_anonymous_votes))}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
        chart = {"content_items": "items.png", "questions": "questions.png", "crisis": "crisis.png"}.get(key)
        if chart in names:
            parts.append(f"<img src='{chart}' alt='{e(chart)}'>")

    parts.append(f"<h2>{e(t('report.files'))}</h2><ul>")
    parts += [f"<li><a href='{e(c.name)}'>{e(c.name)}</a></li>" for c in files.csv]
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def all_figure_keys() -> list[str]:
    return list(FIGURES)


def report_to_json(report: MeetingReport) -> dict[str, Any]:
    """What the chat summary needs, for the database: each recipient's copy is rendered in their language later."""
    return {
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "generated_at": report.generated_at.isoformat(),
        "min_anonymous_votes": report.min_anonymous_votes,
        "figures": [[f.key, f.value, f.previous, f.available, f.percent] for f in report.figures],
        "polls": [
            [p.poll_id, p.question, p.options, p.anonymous, p.voters, p.counts, p.hidden_reason] for p in report.polls
        ],
    }


def report_from_json(data: dict[str, Any]) -> MeetingReport:
    period = Period(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]))
    figures = [Figure(k, v, pv, bool(a), bool(pc)) for k, v, pv, a, pc in data.get("figures") or []]
    polls = [
        PollResult(pid, q, list(opts), bool(anon), False, "", "", period.end, 0, voters, counts, reason)
        for pid, q, opts, anon, voters, counts, reason in data.get("polls") or []
    ]
    return MeetingReport(period, datetime.fromisoformat(data["generated_at"]), figures, [], polls, {},
                         int(data.get("min_anonymous_votes") or 5))
