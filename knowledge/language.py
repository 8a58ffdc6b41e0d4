"""Is a chat message German or English?

The bot speaks exactly these two languages, so a general language identifier
(py3langid, lingua) would spend half a second loading models for a choice
between two. Function words decide this choice reliably from three or four
words on, cost microseconds and load nothing. A draft quoted inside a question
counts less than the words around it: "Darf ich posten: 'Great news ...'" is
asked in German and is answered in German.
"""

from __future__ import annotations

import re

from knowledge.text import words

_DE = frozenset(
    """der die das dem den des ein eine einer einem einen eines ich du er sie wir ihr mich mir dich dir uns euch
    ist sind bin bist war waren wird werden wurde wurden hat haben habe hast hatte kann können kannst darf dürfen
    darfst muss müssen musst soll sollen sollte möchte möchten will wollen würde nicht kein keine keinen auch und
    oder aber weil dass wenn wie warum wieso weshalb wer wen wem wessen welche welcher welches was wo wohin woher
    mit für über unter auf aus bei nach von vom zum zur zu im ins am beim durch gegen ohne bis seit noch schon
    mal bitte danke ja nein hallo hier jetzt heute morgen gestern immer nie sehr viel mehr gut neue neuen neues
    unser unsere unseren unserem unserer mein meine meinen meinem meiner dein deine ihre ihren sein seine es man
    dieser diese dieses diesen etwas nichts alles alle jemand niemand darüber dazu damit davon dafür gerade
    einfach eigentlich vielleicht wirklich also denn doch nur sich selbst zusammen gibt geht machen mache macht
    posten teilen schreiben zeigen veröffentlichen dürfte könnte sollten beitrag kollegen firma unternehmen
    foto fotos bild bilder entwurf prüfe prüf darüber kunde kunden arbeit arbeitszeit""".split()
)
_EN = frozenset(
    """the a an of and or but because that this these those is are was were be been being am have has had do does
    did can could may might must shall should will would not no yes i you he she we they me him her us them my
    your his its our their mine yours what which who whom whose why how when where there here with for about from
    into onto over under by at on to than then just also only very really please thanks thank hello hi today
    tomorrow yesterday always never new some any anything something nothing everything someone anyone nobody
    it's i'm don't can't won't isn't aren't doesn't didn't i've i'd let's if so too all each every more most such
    post share sharing posting write show publish allowed our company colleagues team people
    check draft photo photos picture pictures image customer customers work working""".split()
)
_DE_SUFFIX = re.compile(r"(ung|ungen|keit|heit|lich|schaft|isch|chen|ieren|iert|te|tet|ten)$")
_EN_SUFFIX = re.compile(r"(ing|tion|ly|ness|ed|ful|ship)$")
# Double quotes anywhere; single quotes only where they open and close a
# quotation, not inside "company's" or "don't".
_QUOTED = re.compile(r"[\"“„«](.+?)[\"”“»]|(?:^|(?<=[\s:(]))['‚‘](.+?)['’‘](?=[\s.,!?;:)]|$)", re.DOTALL)


def _score(text: str) -> tuple[float, float]:
    de = en = 0.0
    for w in words(text):
        if w in _DE:
            de += 1.0
        if w in _EN:
            en += 1.0
        if any(c in "äöüß" for c in w):
            de += 1.0
        elif len(w) > 4:
            if _DE_SUFFIX.search(w):
                de += 0.25
            if _EN_SUFFIX.search(w):
                en += 0.25
    return de, en


def detect(text: str) -> tuple[str | None, float]:
    """('de' | 'en' | None, confidence 0..1). None: the text gives no clue (emoji, a link, a name)."""
    inner = " ".join(m.group(1) or m.group(2) or "" for m in _QUOTED.finditer(text))
    outer = _QUOTED.sub(" ", text) if inner else text
    de, en = _score(outer)
    if inner:
        ide, ien = _score(inner)
        # The asker's own words decide; a quoted draft only breaks a tie or fills a gap.
        weight = 0.3 if de + en >= 2 else 1.0
        de, en = de + weight * ide, en + weight * ien
    total = de + en
    if total < 0.5 or de == en:
        return None, 0.0
    lang = "de" if de > en else "en"
    return lang, abs(de - en) / total
