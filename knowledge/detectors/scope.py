"""Whether a message is about posting at all, or a question the guidelines are not about."""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.detectors.rx import any_of
from knowledge.model import Signal
from knowledge.text import PLATFORMS, words

# -- outside the guidelines -------------------------------------------------------
# Whether a message is about posting at all: words for posting, sharing, writing or saying
# something in public, for pictures, drafts and replies, for the program, accounts and contacts;
# and the platforms. A message with none of them and no finding ("wie beantrage ich Urlaub?",
# "how do I reset my VPN token?") is a question the guidelines are not about.
_POSTING = any_of(
    r"\b(?:post|posts|posting|posted|repost\w*|share[sd]?|sharing|reshar\w*|tweet\w*|retweet\w*|publish\w*|public\w*"
    r"|online|internet|web|website|comment\w*|like[sd]?|liking|follow(?:er|ers|ing)?|profiles?|bio|hashtag\w*"
    r"|stor(?:y|ies)|reels?|blog\w*|vlog\w*|caption\w*|upload\w*|selfies?|photo\w*|pics?|pictures?|images?|videos?"
    r"|clips?|footage|screenshot\w*|meme\w*|gif|gifs|logo\w*|music|songs?|podcast\w*|livestream\w*|stream\w*"
    r"|interview\w*|journalist\w*|press|reporter\w*|reviews?|rating|mention\w*|tag|tags|tagging|tagged|link\w*"
    r"|announc\w*|hint|tease\w*|write|writing|wrote|written|say|said|tell|told|talk\w*|speak\w*|speech|reply|replies"
    r"|respond\w*|draft\w*|text|quote\w*|statement\w*|forum|thread|accounts?|channels?|pages?|groups?|handles?"
    r"|newsletter|media|social|ambassador\w*|program(?:me)?s?|campaign\w*|contacts?|connections|network\w*|crm"
    r"|leads?|customers?|clients?|competitor\w*|politic\w*|opinion\w*|film\w*|shoot\w*|admins?|rules|guidelines?)\b",
    r"\b(?:posten|poste|postest|postet|gepostet|\w*beitr[aä]g\w*|teil(?:en|e|st|t)|geteilt|weiterleit\w*"
    r"|veröffentlich\w*|öffentlich\w*|kommentar\w*|kommentier\w*|lik(?:en|e|st|t)|gelik\w*|folg(?:en|e|er|t)"
    r"|\w*profil\w*|hochlad\w*|hochgeladen|\w*foto\w*|\w*bild(?:er|ern)?|\w*video\w*|musik\w*|lied\w*|schreib\w*"
    r"|geschrieben|sag(?:en|e|st|t)|gesagt|worte|erzähl\w*|sprech\w*|sprich\w*|\w*vortrag\w*|rede|antwort\w*"
    r"|entwurf\w*|erwähn\w*|markier\w*|verlink\w*|ankündig\w*|andeut\w*|teaser\w*|bewert\w*|rezension\w*|kununu"
    r"|glassdoor|botschafter\w*|programm\w*|mitmach\w*|teilnahme|teilnehm\w*|aussteig\w*|einsteig\w*|kampagne\w*"
    r"|konto|konten|kanal|kanäle|seite|seiten|gruppe\w*|kontakt\w*|netzwerk\w*|kund\w*|wettbewerb\w*|konkurren\w*"
    r"|politi\w*|meinung\w*|presse\w*|medien|netz|stellungnahme\w*|zitat\w*|\w*film\w*|gedreht|drehen|dreh"
    r"|klarstell\w*|richtigstell\w*|admin\w*|regeln|richtlinie\w*)\b",
    r"[#@\"“„”‚‘]|(?:^|[\s:(])'|\w+\.(?:com|de|net|org)\b",
)
# A request for help with something ("who can help?", "an wen wende ich mich?", "how do I ...?"),
# the shape of an IT, HR or facilities question.
_HELP = any_of(
    r"\b(?:who\s+(?:can|do\s+i|should\s+i)|whom\s+(?:do|should)\s+i|how\s+do\s+i|where\s+do\s+i|what\s+(?:do|should)\s+i\s+do)\b",
    r"\b(?:an\s+wen|wen\s+(?:frage|kontaktiere)|wie\s+(?:beantrage|melde|bekomme|finde|buche|mache)|wo\s+(?:finde|bekomme|beantrage)|was\s+(?:mache|tue|soll)\s+ich)\b",
)
# One's own computer, phone or desktop program: when it crashes, that is a matter for the IT
# service desk, not a crisis of the company ("Outlook keeps crashing", "mein Laptop ist abgestürzt").
_OWN_DEVICE = any_of(
    r"\b(?:my|mein\w*)\s+(?:\w+\s+)?(?:laptop|notebook|pc|computer|rechner|desktop|phone|handy|smartphone|monitor"
    r"|bildschirm|printer|drucker|headset|keyboard|tastatur|mouse|maus|tablet|ipad|vpn|outlook|mail\w*|e-mail\w*"
    r"|account|passwor[td]\w*|login|token)\b",
    r"\b(?:outlook|excel|powerpoint|word|teams|vpn|drucker|printer|browser|chrome|firefox|windows|sap)\s+"
    r"(?:\w+\s+){0,2}(?:crash\w*|stürzt|abgestürzt|hängt|freez\w*|keeps|won'?t|will\s+nicht|startet\s+nicht|geht\s+nicht)",
)
# What a post would reveal (a figure, an internal document, a customer, a face): findings that
# matter only for something to be posted. A request for help that names such a thing ("I lost my
# badge, whom do I ask?") is no post.
_REVEALS = frozenset(
    {"unreleased", "figures", "internal", "customer", "personal_data", "person_name", "people_media",
     "third_party_media", "new_site"}
)


def about_posting(text: str) -> bool:
    """Whether ``text`` says anything about posting, sharing or saying something in public."""
    return _POSTING.search(text) is not None or any(w in PLATFORMS for w in words(text))


def outside(text: str, signals: Iterable[Signal]) -> bool:
    """Whether ``text`` is a question the guidelines are not about (IT, HR, facilities, small talk).

    Nothing in it is about posting, and every finding is one that only a post would make one:
    what a post would reveal, in a request for help, or one's own computer crashing.
    """
    if about_posting(text):
        return False
    help_request = _HELP.search(text) is not None
    for sig in signals:
        if not sig.topic:
            continue
        if sig.kind in _REVEALS and help_request:
            continue
        if sig.kind == "crisis" and _OWN_DEVICE.search(text):
            continue
        return False
    return True

