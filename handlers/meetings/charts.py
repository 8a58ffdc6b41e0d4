"""The meeting report's charts: plain data in, a PNG file out (matplotlib, Agg backend).

Apart from report.py so that drawing needs neither the database layer nor a
translator: a ``Chart`` holds finished texts and numbers, so it can be drawn in
this process or in a drawing process (this file run as a script: it imports
nothing of the bot, so the process starts with matplotlib alone).

Drawing is most of a report's cost. Each chart is kept light: the margins are
measured from the labels instead of ``tight_layout`` (which lays the figure out
and then makes ``savefig`` draw it twice), many bars are one collection instead
of one artist each, and people's texts are never read as math (``$`` in a poll
option would otherwise be parsed, and can fail). And the charts are drawn in a
process of their own (``Drawing``), started when the report's SQL begins: it
imports matplotlib (about a second) meanwhile on the other core, forks once per
core and draws each chart as soon as it is handed over, so that the charts of
the polls are drawn while the rest of the SQL still runs; the bot itself never
holds matplotlib's memory. Where that process cannot run, the charts are drawn
here.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import math
import multiprocessing
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("ambassador.charts")

DPI = 110
BLUE, LIGHT_BLUE, GREY, GREEN, RED, PURPLE = "#1e88e5", "#90caf9", "#b0bec5", "#43a047", "#e53935", "#5e35b1"
# Points around the axes that matplotlib takes for ticks and their padding (3.5 + 3.5), plus air.
_TICK_PT = 9.0
_EDGE_PX = 10

# A drawing process that gets no charts within this time ends by itself.
IDLE_SECONDS = 300
# Drawing processes at once (each forks one per core, about 70 MiB each): reports beyond them draw here.
MAX_PROCESSES = 2
# How long the drawing process may take after the last chart before they are drawn here instead.
DRAW_TIMEOUT = 300

_warmed = threading.Event()
_warm_lock = threading.Lock()
_pending: subprocess.Popen[bytes] | None = None
_pending_lock = threading.Lock()
_live: list[subprocess.Popen[bytes]] = []
_live_lock = threading.Lock()
# What the last drawing did: how many processes and their peak memory (the report benchmark prints it).
last_run: dict[str, Any] = {}


@dataclass(frozen=True)
class Chart:
    """One chart to draw: ``kind`` names a function below, ``data`` its arguments (texts already translated)."""

    name: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


def warm_up() -> None:
    """Import matplotlib (about a second) once per process; cheap when done already.

    The report calls it in a thread while its SQL runs, so the import costs no wall time.
    """
    if _warmed.is_set():
        return
    with _warm_lock:
        if _warmed.is_set():
            return
        import matplotlib

        # No screen on a server: the Agg backend renders to files only.
        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
        from matplotlib.collections import PolyCollection  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
        from matplotlib.font_manager import FontProperties, fontManager

        # The first text measurement looks the font up and loads it.
        fontManager.findfont(FontProperties(size=8))
        _warmed.set()


def draw(chart: Chart, folder: Path) -> Path:
    """Draw one chart into ``folder``; returns its path."""
    warm_up()
    fig = _DRAW[chart.kind](**chart.data)
    path = folder / chart.name
    # compress_level 6 (PIL's default) costs twice the time of 3 for files only a little smaller.
    fig.savefig(path, dpi=DPI, pil_kwargs={"compress_level": 3})
    return path


def processes() -> int:
    """Drawing processes worth running: one per core this process may use, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def prestart() -> None:
    """Start a drawing process now (it imports matplotlib and waits); the next ``Drawing`` uses it.

    Returns at once: called when a report's SQL begins, the import runs meanwhile.
    """
    global _pending
    with _pending_lock:
        if _pending is not None and _pending.poll() is None:
            return
        _pending = _spawn()


def _spawn() -> subprocess.Popen[bytes] | None:
    with _live_lock:
        _live[:] = [p for p in _live if p.poll() is None]
        if len(_live) >= MAX_PROCESSES:
            log.info("chart processes busy; drawing here")
            return None
        try:
            # stderr is this process's: a warning of matplotlib's lands in the bot's log.
            # Run as a script, not ``-m``: importing the handlers package would load the whole bot first.
            # -P keeps this folder off sys.path, so its module names cannot shadow a library's.
            proc = subprocess.Popen([sys.executable, "-P", str(Path(__file__).resolve()), str(processes())],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as exc:
            log.warning("chart process not started; drawing here", extra={"error": str(exc)[:200]})
            return None
        _live.append(proc)
        return proc


def _take() -> subprocess.Popen[bytes] | None:
    global _pending
    with _pending_lock:
        proc, _pending = _pending, None
    if proc is not None and proc.poll() is None:
        return proc
    return _spawn()


class Drawing:
    """Charts drawn into one folder by the drawing process, handed over as soon as their data is known.

    ``add()`` sends charts (they are drawn while the caller goes on), ``wait()`` sends the
    end and returns the paths of all of them in the order added. Charts the process did not
    draw (it could not start, failed or took too long) are drawn here, so a failure to draw
    one still raises as it would without the process.
    """

    def __init__(self, folder: Path, *, in_process: bool = False) -> None:
        self.folder = folder
        self.charts: list[Chart] = []
        self.started = time.perf_counter()
        self._proc = None if in_process else _take()
        self._answer: dict[str, Any] | None = None
        self._reader: threading.Thread | None = None
        if self._proc is not None:
            self._reader = threading.Thread(target=self._read, name="charts", daemon=True)
            self._reader.start()

    def add(self, charts: list[Chart]) -> None:
        self.charts += charts
        if self._proc is None or not charts:
            return
        lines = "".join(json.dumps({"folder": str(self.folder), "chart": asdict(c)}, default=float) + "\n"
                        for c in charts)
        self._send(lines.encode())

    def _send(self, data: bytes) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.flush()
        except (OSError, ValueError):  # it ended: wait() draws what is missing here
            self._stop()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith(b"{"):
                try:
                    self._answer = json.loads(line)
                except ValueError:
                    pass

    def _stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        if self._proc is not None:
            self._proc.wait()

    def cancel(self) -> None:
        """The report failed: the drawing process stops."""
        self._stop()
        self.charts = []

    def wait(self) -> list[Path]:
        waited = time.perf_counter()
        if self._proc is not None and self._reader is not None:
            self._send(b'{"end": true}\n')
            self._reader.join(DRAW_TIMEOUT)
            if self._reader.is_alive():
                log.warning("chart process too slow; drawing here")
            self._stop()
        answer = self._answer or {}
        done = set(answer.get("done", []))
        if self._proc is not None and answer.get("failed"):
            log.warning("charts the chart process could not draw; drawing here", extra={"failed": answer["failed"]})
        elif self._proc is not None and not answer:
            log.warning("chart process failed; drawing here", extra={"code": self._proc.returncode})
        missing = [c for c in self.charts if c.name not in done]
        for chart in missing:
            draw(chart, self.folder)
        last_run.clear()
        last_run.update(processes=len(answer.get("peak_rss_mib", [])), in_process=len(missing),
                        peak_rss_mib=answer.get("peak_rss_mib", []), wait_s=time.perf_counter() - waited,
                        total_s=time.perf_counter() - self.started)
        return [self.folder / c.name for c in self.charts]


def draw_all(charts: list[Chart], folder: Path, *, in_process: bool = False) -> list[Path]:
    drawing = Drawing(folder, in_process=in_process)
    drawing.add(charts)
    return drawing.wait()


# -- the drawing process -----------------------------------------------------------


def _peak_rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _draw_one(job: tuple[dict[str, Any], str]) -> tuple[str, str | None, int, float]:
    chart, folder = Chart(**job[0]), Path(job[1])
    try:
        draw(chart, folder)
        error = None
    except Exception as exc:  # reported; the report's process draws it again and sees the error itself
        error = f"{type(exc).__name__}: {exc}"[:300]
    return chart.name, error, os.getpid(), _peak_rss_mib()


def _serve(n: int = 1) -> int:
    """``python -P charts.py N``: import matplotlib, then draw the charts that come on stdin, N at a time.

    One JSON line per chart, ``{"end": true}`` after the last; the answer is one JSON line
    on stdout: which charts were drawn, which failed, the peak memory of each process.
    """
    warm_up()
    # One small chart warms the caches of the first text and the first figure.
    hbar(title="warm", labels=["a"], values=[1.0], xlabel="x").savefig(io.BytesIO(), dpi=DPI)
    # What was made so far lives as long as the process: the garbage collector need not look at it again.
    gc.freeze()
    ready, _, _ = select.select([sys.stdin], [], [], IDLE_SECONDS)
    if not ready:
        return 0
    pool = None
    if n > 1 and hasattr(os, "fork"):
        # Forked after the import, from this single-threaded process: matplotlib is loaded once and shared.
        pool = multiprocessing.get_context("fork").Pool(n)
    done: list[str] = []
    failed: dict[str, str] = {}
    peaks: dict[int, float] = {}

    def record(result: tuple[str, str | None, int, float]) -> None:
        name, error, pid, peak = result
        if error:
            failed[name] = error
        else:
            done.append(name)
        peaks[pid] = max(peak, peaks.get(pid, 0.0))

    pending = []
    ended = False
    for line in sys.stdin.buffer:
        msg = json.loads(line)
        if msg.get("end"):
            ended = True
            break
        job = (msg["chart"], msg["folder"])
        if pool is None:
            record(_draw_one(job))
        else:
            pending.append(pool.apply_async(_draw_one, (job,), callback=record))
    if pool is not None:
        if not ended:  # the report's process went away
            pool.terminate()
            return 0
        for p in pending:
            p.wait()
        pool.close()
        pool.join()
    if not ended:
        return 0
    peaks[os.getpid()] = _peak_rss_mib()
    sys.stdout.write(json.dumps({"done": done, "failed": failed, "peak_rss_mib": list(peaks.values())}) + "\n")
    sys.stdout.flush()
    return 0


# -- layout --------------------------------------------------------------------


class _Layout:
    """A figure with one axes whose margins come from measuring its texts (a few font look-ups)."""

    def __init__(self, width: float, height: float) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=(width, height), dpi=DPI)
        # Agg's renderer measures texts now and is the one savefig draws with (same size and dpi).
        self.renderer = FigureCanvasAgg(self.fig).get_renderer()
        self.w, self.h = width * DPI, height * DPI
        self.ax = self.fig.subplots()

    def text_px(self, texts: list[str], size: float, rotation: float = 0.0) -> tuple[float, float]:
        """The widest and the tallest of ``texts`` at ``size`` points, in pixels, after ``rotation`` degrees."""
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=size)
        cos, sin = abs(math.cos(math.radians(rotation))), abs(math.sin(math.radians(rotation)))
        width = height = 0.0
        for text in texts:
            if not text:
                continue
            w, h, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            width = max(width, w * cos + h * sin)
            height = max(height, w * sin + h * cos)
        return width, height

    def pt(self, points: float) -> float:
        return points * DPI / 72

    def place(self, *, left: float, right: float, bottom: float, top: float) -> None:
        """Margins in pixels; none takes more than 45 % of the figure (long labels are cut by the edge)."""

        def frac(px: float, total: float) -> float:
            return min(0.45, (px + _EDGE_PX) / total)

        self.fig.subplots_adjust(left=frac(left, self.w), right=1 - frac(right, self.w),
                                 bottom=frac(bottom, self.h), top=1 - frac(top, self.h))

    def pin_labels(self, *, xlabel_px: float = 0.0) -> None:
        """Put the axis labels where matplotlib would (``xlabel_px`` below the axes), fixed.

        Left to itself matplotlib measures every tick label again at each draw to place them.
        """
        height = self.ax.get_position().height * self.h
        self.ax.xaxis.set_label_coords(0.5, -xlabel_px / height)
        self.ax.yaxis.set_label_coords(0.0, 0.5)  # the left axes of these charts have no label


def _count_axis(axis: Any, values: list[float]) -> None:
    """Counts of people and votes on whole steps, from 0: no axis from -0.04 to 0.04 for an empty
    period, no step of 0.25 people. Percentages and other fractions keep matplotlib's own ticks."""
    from matplotlib.ticker import MaxNLocator

    if all(float(v).is_integer() for v in values):
        axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    if not values or max(values) <= 0:
        # Nothing to show: an axis from 0 to 1 instead of matplotlib's symmetric margin around 0.
        (axis.axes.set_ylim if axis is axis.axes.yaxis else axis.axes.set_xlim)(0, 1)


def _number_labels(values: list[float]) -> list[str]:
    # A value axis's tick labels are about as wide as its largest value (a tick may lie a little above
    # it); small values get decimal ticks such as 0.25.
    top = max([abs(v) for v in values] + [1])
    return [f"{top * 1.2:.0f}", "0.00"]


def _title_px(lay: _Layout, title: str, size: float = 12) -> float:
    return lay.text_px([title], size)[1] + lay.pt(6)


def _empty(lay: _Layout, text: str) -> None:
    lay.ax.text(0.5, 0.5, text, ha="center", va="center", parse_math=False)


# -- the kinds of chart --------------------------------------------------------


def pairs(*, title: str, labels: list[str], before: list[float], now: list[float], before_label: str,
          now_label: str) -> Any:
    """Two bars per label (the previous period grey, this one blue), labels slanted under them."""
    lay = _Layout(9, 4.5)
    ax = lay.ax
    xs = range(len(labels))
    ax.bar([x - 0.2 for x in xs], before, width=0.4, label=before_label, color=GREY)
    ax.bar([x + 0.2 for x in xs], now, width=0.4, label=now_label, color=BLUE)
    _count_axis(ax.yaxis, before + now)
    ax.set_xticks(list(xs), labels, rotation=30, ha="right", fontsize=8, parse_math=False)
    ax.set_title(title, y=1.0, parse_math=False)
    ax.legend()
    below = lay.text_px(labels, 8, rotation=30)
    # Slanted labels end at their bar: the first one reaches left of the axes.
    first = lay.text_px(labels[:1], 8, rotation=30)[0] - lay.pt(_TICK_PT)
    lay.place(left=max(lay.text_px(_number_labels(before + now), 10)[0] + lay.pt(_TICK_PT), first),
              right=0, bottom=below[1] + lay.pt(_TICK_PT), top=_title_px(lay, title))
    lay.pin_labels()
    return lay.fig


def activity(*, title: str, days: list[str], joins: list[int], leaves: list[int], active: list[int],
             joins_label: str, leaves_label: str, active_label: str, empty: str) -> Any:
    """Joins and leaves per day as bars, active members as a line on a second axis."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    lay = _Layout(9, 4)
    ax = lay.ax
    right = float(_EDGE_PX)
    bottom = lay.pt(_TICK_PT)
    if days:
        # A year has 730 bars: one collection draws them at the cost of one artist.
        for offset, values, color in ((-0.2, joins, GREEN), (0.2, leaves, RED)):
            verts = [[(x + offset - 0.2, 0), (x + offset - 0.2, v), (x + offset + 0.2, v), (x + offset + 0.2, 0)]
                     for x, v in enumerate(values)]
            bars = PolyCollection(verts, facecolors=color, edgecolors="none", linewidths=0)
            bars.sticky_edges.y.append(0)  # as ax.bar: the bars stand on the axis, no margin below 0
            ax.add_collection(bars)
        ax.autoscale_view()
        _count_axis(ax.yaxis, [float(v) for v in joins + leaves])
        xs = list(range(len(days)))
        ax2 = ax.twinx()
        ax2.plot(xs, active, color=BLUE, marker="o", label=active_label)
        _count_axis(ax2.yaxis, [float(a) for a in active])
        ax2.set_ylabel(active_label, parse_math=False)
        step = max(1, len(days) // 15)
        labels = [d[5:] for d in days]
        ax.set_xticks(xs[::step], labels[::step], rotation=45, fontsize=8)
        ax.legend(handles=[Patch(color=GREEN, label=joins_label), Patch(color=RED, label=leaves_label)],
                  loc="upper left")
        right = (lay.text_px(_number_labels([float(a) for a in active]), 10)[0] + lay.pt(_TICK_PT)
                 + lay.text_px([active_label], 10, rotation=90)[0] + lay.pt(4))
        bottom += lay.text_px(labels[::step], 8, rotation=45)[1]
    else:
        _empty(lay, empty)
    ax.set_title(title, y=1.0, parse_math=False)
    lay.place(left=lay.text_px(_number_labels([float(v) for v in joins + leaves]), 10)[0] + lay.pt(_TICK_PT),
              right=right, bottom=bottom, top=_title_px(lay, title))
    lay.pin_labels()
    return lay.fig


def hpairs(*, title: str, names: list[str], first: list[float], second: list[float], first_label: str,
           second_label: str, empty: str) -> Any:
    """Two horizontal bars per name (the departments: members light, active dark)."""
    lay = _Layout(8, max(3, 0.45 * len(names) + 1.5))
    ax = lay.ax
    left = lay.pt(_TICK_PT)
    if names:
        ys = range(len(names))
        ax.barh([y + 0.2 for y in ys], first, height=0.4, label=first_label, color=LIGHT_BLUE)
        ax.barh([y - 0.2 for y in ys], second, height=0.4, label=second_label, color=BLUE)
        _count_axis(ax.xaxis, first + second)
        ax.set_yticks(list(ys), names, fontsize=8, parse_math=False)
        ax.legend()
        left += lay.text_px(names, 8)[0]
    else:
        _empty(lay, empty)
    ax.set_title(title, y=1.0, parse_math=False)
    lay.place(left=left, right=lay.text_px(_number_labels(first + second), 10)[0] / 2,
              bottom=lay.text_px(["0"], 10)[1] + lay.pt(_TICK_PT), top=_title_px(lay, title))
    lay.pin_labels()
    return lay.fig


def hbar(*, title: str, labels: list[str], values: list[float], color: str = BLUE, xlabel: str | None = None,
         title_size: float = 12) -> Any:
    """One horizontal bar per label, the first on top (a poll's answers, the top items, questions)."""
    lay = _Layout(8, max(2.5, 0.45 * len(labels) + 1.2))
    ax = lay.ax
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=color)
    _count_axis(ax.xaxis, values)
    ax.set_yticks(ys, labels, fontsize=8, parse_math=False)
    ticks = lay.text_px(["0"], 10)[1] + lay.pt(_TICK_PT)
    bottom = ticks
    if xlabel:
        ax.set_xlabel(xlabel, parse_math=False)
        bottom += lay.text_px([xlabel], 10)[1] + lay.pt(4)
    ax.set_title(title, fontsize=title_size, y=1.0, parse_math=False)
    lay.place(left=lay.text_px(labels, 8)[0] + lay.pt(_TICK_PT), right=lay.text_px(_number_labels(values), 10)[0] / 2,
              bottom=bottom, top=_title_px(lay, title, title_size))
    lay.pin_labels(xlabel_px=ticks + lay.pt(4))  # matplotlib's labelpad: 4 points under the tick labels
    return lay.fig


_DRAW = {"pairs": pairs, "activity": activity, "hpairs": hpairs, "hbar": hbar}


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
