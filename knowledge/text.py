"""Cleaning chat text and turning it into stemmed German or English terms."""

from __future__ import annotations

import re
import unicodedata

import Stemmer

# What is read of a message: all of it up to the chat limit (bot.messages.MAX_TEXT), so a risky
# sentence at the end of a long draft is read too. Beyond it the engine says it read only this
# much and gives no "go" (knowledge.engine); a 40,000-character paste costs no more than 12,000.
MAX_ANALYSED = 12_000
# German compounds reach 30-odd letters; anything longer is noise.
MAX_WORD = 40

_CODE_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*\n?")
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
_SLACK_MENTION = re.compile(r"<[@#!][A-Za-z0-9^|._-]+>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MARKUP = re.compile(r"[*_~`>#|]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """a an and are as at be but by for if in into is it of on or such that the their then there these they
        this to was will with i me my mine myself you your yours we us our ours he him his she her hers its it's
        them what which who whom whose this those am been being have has had having do does did doing would
        should could can may might shall just so than too very s t don't im i'm i've i'd it's that's there's
        about above after again all any both each few more most other some same only also here how when where
        why now out up down off over under further once ok okay please hi hello hey thanks thank want wanted
        like well get got go going anything something everything bit really allowed allow let still yet
        fine alright somebody someone need needs know think guess actually maybe perhaps pls plz u ur lol
        gonna wanna kinda sorta must re ll ve d don didn doesn isn aren wasn weren won wouldn couldn shouldn
        hasn haven""".split()
    ),
    "de": frozenset(
        """aber alle allem allen aller alles als also am an andere anderen anderer anderes auch auf aus bei bin bis
        bist da damit dann das dass daß dein deine deinem deinen deiner dem den denn der derer des dessen dich die
        dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
        einige einigen einmal er es etwas euch euer eure eurem euren eurer für hab habe haben hat hatte hatten
        hier hin ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist jede jedem jeden jeder jedes
        jetzt kann kein keine keinem keinen keiner man mein meine meinem meinen meiner meines mich mir mit nach
        nicht nichts noch nun nur ob oder sehr sein seine seinem seinen seiner sich sie sind so soll sollte
        sondern sonst um und uns unser unsere unserem unseren unseres unter vom von vor war waren wird wirst wir
        wo wollen wollte würde würden zu zum zur zwar darf dürfen dürfte könnte können kannst darfst bitte mal
        schon eigentlich gerne gern okay ok hallo hi danke euch eurer ja nein einfach wohl gibt geht etwa
        beim gerade möchte möchten würde worauf darüber dabei wirklich sollen sollten dürfte bzw also halt
        irgendwie jemand einfach vielleicht weiß denke glaube wie was wer wen wem wann warum wieso weshalb
        echt trotzdem grad nen ne muss müssen musst müsste wenn falls weil darauf davon dafür über seit""".split()
    ),
}

# Platform names (and "social media" itself) appear in nearly every question and
# say nothing about which rule applies ("post it on LinkedIn"); left in, they pull
# every question towards the guidelines that list platforms (company accounts).
PLATFORMS = frozenset(
    """linkedin xing facebook instagram insta twitter tweet tweets x youtube tiktok whatsapp threads mastodon bluesky
    snapchat pinterest reddit social socials media""".split()
)

_STEMMER_NAMES = {"de": "german", "en": "english"}


def clean(text: str) -> str:
    """Chat markup, links and code fences out; the words stay."""
    text = unicodedata.normalize("NFC", text[:MAX_ANALYSED])
    text = _CODE_FENCE.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = _SLACK_MENTION.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    return text


def words(text: str) -> list[str]:
    """Lower-case words; hyphenated compounds come apart, possessive 's goes."""
    out = []
    for w in _WORD.findall(text.lower()):
        if len(w) > MAX_WORD:
            continue  # no word is this long; splitting it into parts would cost quadratic time
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.extend(p for p in w.split("'") if p)
    return out


def fold(word: str) -> str:
    """Umlauts and accents to their base letter, as the German stemmer does."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).replace(
        "ß", "ss"
    )


class Analyzer:
    """Stemming for one language, with a cache: chat vocabulary repeats a lot."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        # Both lists: German questions carry English drafts and the other way round.
        self.stopwords = STOPWORDS["de"] | STOPWORDS["en"] | PLATFORMS
        self._stemmer = Stemmer.Stemmer(_STEMMER_NAMES[lang])
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        s = self._cache.get(word)
        if s is None:
            s = fold(self._stemmer.stemWord(word))
            if len(self._cache) < 100_000:
                self._cache[word] = s
        return s

    def terms(self, text: str) -> list[str]:
        return [self.stem(w) for w in words(text) if w not in self.stopwords and len(w) > 1]
