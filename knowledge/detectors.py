"""What a draft reveals by itself, whatever guideline its words happen to match.

Retrieval finds the guideline a question is about; detectors look at the text
for the things that make a post risky even when the question sounds harmless
("Can I share this? 'Sales up 40%, numbers out next week'"). Each finding is
named for what it shows (knowledge.findings); its verdict and topic are the
knowledge base's: the guideline that governs it decides, and a finding no
guideline governs is a "check". Both languages are always checked: drafts are
often in a different language than the question around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from knowledge.findings import CUES, kind_of
from knowledge.lexicon import FINDINGS, Lexicon, default_lexicon
from knowledge.model import Signal, Verdict
from knowledge.text import PLATFORMS, words

_F = re.IGNORECASE | re.UNICODE


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


# -- what is not public ---------------------------------------------------------------

_UNRELEASED = _rx(
    r"prototyp\w*",
    r"\bnobody\s+(?:outside\s+(?:\w+\s+)?)?knows\b",
    r"\bniemand\s+(?:draußen\s+|außerhalb\s+)?weiß\b",
    r"\bdon'?t\s+tell\s+anyone\b",
    r"\bhint\s+at\b",
    r"\btease\w*\b",
    r"\bandeuten\b",
    r"\bteasern\b",
    r"\bunreleased\b",
    r"\bunannounced\b",
    r"\bunveröffentlicht\w*",
    r"\bnicht angekündigt\w*",
    r"\bnot\s+(?:yet\s+|been\s+|even\s+)*(?:officially\s+)?(?:announced|released|public|official|launched|published|out)\b",
    r"\bnoch\s+(?:gar\s+)?nicht\s+(?:offiziell|angekündigt|veröffentlicht|öffentlich|bekannt|freigegeben|raus|draußen|gelauncht|vorgestellt|kommuniziert)",
    r"\bist\s+(?:noch\s+)?nicht\s+offiziell",
    r"\bbefore\s+(?:the\s+|our\s+|its\s+)?(?:official\s+)?(?:launch|announcement|release|unveiling)",
    r"\bvor\s+(?:dem|der)\s+(?:offiziellen\s+)?(?:launch|marktstart|markteinführung|ankündigung|veröffentlichung|vorstellung)",
    r"\bsneak\s*peek\b",
    r"\bteaser\b",
    r"\bsecret\b",
    r"\bgeheim\w*",
    r"\bunder\s+nda\b",
    r"\bnda\b",
    r"\bcode\s*-?names?\b",
    r"\bpatent\s+(?:application|pending|filing)\b|\bpatentanmeldung\w*",
    r"\bcodenamen?\b",
    r"\broadmap\b",
    r"\berlkönig\w*",
    r"\bvorserie\w*",
    r"\bpre-?production\b",
    r"\bcoming\s+soon\b",
    r"\bdemnächst\b",
    r"\bin\s+(?:der\s+)?entwicklung\b",
    r"\bin\s+development\b",
    r"\bstill\s+(?:in\s+)?(?:testing|development)\b",
    r"\bnot\s+(?:yet\s+)?on\s+the\s+market\b",
    r"\bexclusive(?:ly)?\s+(?:first\s+)?(?:look|preview)\b",
    r"\b(?:next|upcoming|unreleased)\s+(?:release|version|generation|model)\b",
    # Teasing: "can't say much yet", "stay tuned", "darf noch nichts verraten".
    r"\bcan'?t\s+(?:say|share|tell|reveal|talk\s+about)\s+(?:much|more|anything|details)\b",
    r"\bstay\s+tuned\b|\bmore\s+(?:to\s+come|soon)\b|\bbig\s+(?:news|things)\s+(?:are\s+)?(?:coming|ahead|soon)\b",
    r"\bgreen\s+light\s+for\b|\bgrünes\s+licht\s+für\b",
    r"\b(?:darf|kann)\s+(?:ich\s+)?(?:noch\s+)?(?:nichts|nicht\s+viel|nicht\s+mehr)\s+(?:\w+\s+)?(?:verraten|sagen)\b|\bbald\s+mehr\b|\bseid\s+gespannt\b",
    r"👀|🤫",
    r"\bnächste[nmrs]?\s+(?:release|version|generation|modell)\b",
    r"\bvorab\b",
    r"\bembargo\w*",
    r"\bsperrfrist\w*",
    # Some people know, the public does not: "der Betriebsrat weiß es, die Presse noch nicht".
    r"\b(?:presse|öffentlichkeit|kunden|medien)\s+(?:weiß\s+)?(?:es\s+|das\s+)?(?:aber\s+)?noch\s+nicht\b",
    r"\b(?:press|public|media|customers)\s+(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+know\b",
    r"\b(?:verkündet|angekündigt|bekanntgegeben|bekannt\s+gegeben|veröffentlicht|offiziell)\s+(?:\w+\s+){0,3}erst\s+(?:im|in|am|ab|nach|nächst\w*|zum|zur)\b",
    r"\berst\s+(?:im|in|am|ab|nach|nächst\w*)\s+(?:\w+\s+){0,2}(?:verkündet|angekündigt|bekanntgegeben|veröffentlicht|offiziell)",
    # What the company will show at a date to come: "was wir im Oktober auf der Messe zeigen".
    r"\b(?:was|what)\s+(?:wir|we(?:'ll|\s+will|\s+are\s+going\s+to)?)\s+(?:im|in|at|auf|next|nächste\w*|am)\s+(?:\w+\s+){0,4}(?:zeigen|vorstellen|präsentieren|enthüllen|show|present|unveil|launch)\b",
    # What goes live or comes out only later: "das erst im Herbst live geht", "goes live next spring".
    r"\berst\s+(?:im|in|am|ab|nach|nächst\w*|zum)\s+(?:\w+\s+){0,2}(?:live|online|auf\s+den\s+markt|raus|erscheint|erscheinen)\b",
    r"\b(?:goes|go|going|will\s+go)\s+live\s+(?:only\s+)?(?:in|next|on|after|later)\b|\bnot\s+(?:live|out)\s+(?:yet|until)\b",
    r"\b(?:won'?t|will\s+not|isn'?t|is\s+not|not)\s+(?:be\s+)?(?:announced|public|official|published)\s+(?:\w+\s+){0,2}until\b",
)
_WEAK_UNRELEASED = _rx(
    r"\bin\s+(?:the|our)\s+labs?\b", r"\bim\s+labor\b", r"\btesting\s+(?:a|the|our)\s+new\b", r"\bbeta\b"
)
_FUTURE = _rx(
    r"\b(?:next|coming|upcoming)\s+(?:week|month|quarter|year|spring|summer|autumn|fall|winter)\b",
    r"\bnächste[nmrs]?\s+(?:woche|monat|quartal|jahr|frühjahr|sommer|herbst|winter)\b",
    r"\bin\s+(?:two|three|four|six|a\s+few|\d+)\s+(?:weeks|months)\b",
    r"\bin\s+(?:zwei|drei|vier|sechs|ein\s+paar|\d+)\s+(?:wochen|monaten)\b",
    r"\bsoon\b",
    r"\bbald\b",
    r"\bin\s+(?:zwei|drei|ein\s+paar)\s+wochen\b",
    r"\bab\s+(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)\b",
    r"\bupcoming\b",
    r"\b(?:im|in|ab|from|in\s+early|in\s+late)\s+(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|january|february|march|may|june|july|october|december)\b",
    r"\bgoing\s+to\s+(?:launch|open|announce|release)\b",
    r"\bwill\s+(?:launch|open|announce|release|unveil)\b",
)
_ANNOUNCE = _rx(
    r"\b(?:launch\w*|releas\w*|announc\w*|unveil\w*|open|opens|opening|introduc\w*|roll(?:s|ing)?\s+out|goes\s+live|hits\s+the\s+market)\b",
    r"\b(?:eröffne\w*|launche\w*|vorstell\w*|stellen\s+(?:[\w-]+\s+){1,8}vor\b|ankündig\w*|kündigen\s+(?:[\w-]+\s+){1,6}an\b|einführ\w*|führen\s+(?:[\w-]+\s+){1,6}ein\b|start\w*|bringen\s+(?:[\w-]+\s+){1,6}raus\b|rausbringen|erscheint|erscheinen|präsentier\w*|enthüll\w*|zeigen\s+(?:\w+\s+){1,6}(?:zum\s+ersten\s+mal|erstmals)\b|feier\w*\s+(?:\w+\s+){0,4}premiere)",
    r"\b(?:present(?:ing|s)?\s+(?:our|the)\s+(?:new|first)|premiere\w*|debut\w*)\b",
)
_FIGURE = _rx(
    r"[+-]?\d+(?:[.,]\d+)?\s?(?:%|percent\b|prozent\b|per\s?cent\b)",
    r"(?:€|\$|£|eur\b|usd\b)\s?\d",
    r"\d\s?(?:€|\$|£|eur\b|usd\b)",
    r"\d+(?:[.,]\d+)?\s?(?:million|millionen|mio\b|mrd\b|milliarden?|billion|bn\b|m\b|k\b)",
    r"\b(?:doubled|tripled|verdoppelt|verdreifacht)\b",
)
# A count of what the company does not publish: "500 neue Kunden", "12,000 new users".
_COUNT = _rx(
    r"\b\d[\d.,]*\s+(?:new\s+|neue\s+|more\s+|mehr\s+|zusätzliche\s+)?(?:customers|clients|users|subscribers|orders|downloads|stores|kunden|kundinnen|nutzer\w*|abonnenten|aufträge|bestellungen|filialen|neukunden|units|einheiten|stück|fahrzeuge|vehicles|cars|tonnen|tons|pieces)\b",
)
_BUSINESS = _rx(
    r"\b(?:sales|revenue|revenues|turnover|profit|profits|earnings|margin|orders|bookings|growth|ebit\w*|results|numbers|figures|quarter|quarterly|headcount|customers|users|downloads|market\s+share)\b",
    r"\b(?:umsatz\w*|absatz\w*|verkäufe|verkaufszahlen|gewinn\w*|ergebnis\w*|marge|aufträge|auftragseingang|wachstum|zahlen|quartal\w*|mitarbeiterzahl|kundenzahl|nutzerzahl\w*|marktanteil)\b",
    r"\b(?:preise|preiserhöh\w*|preissteiger\w*|prices|pricing|price\s+(?:increase|hike|rise|cut))\b",
    r"\bq[1-4]\b",
    r"\b(?:up|down|grew|rose|fell|increased|decreased|gestiegen|gesunken|gewachsen|plus|minus)\b",
)
_RECORD = _rx(
    r"\brecord\s+(?:quarter|year|month|sales|results)\b",
    r"\bbest\s+(?:quarter|year)\s+ever\b",
    r"\b(?:q[1-4]|quarter|quartal|year|month|jahr|monat)\b.{0,25}?\b(?:best|strongest|biggest|record|bestes|stärkstes)\b.{0,10}?\b(?:ever|yet|aller\s+zeiten|bisher)\b",
    r"\brekord\w*",
)
_PUBLISHED = _rx(
    r"\b(?:(?<!will\sbe\s)(?<!to\sbe\s)(?<!gets\s)(?<!get\s)(?<!being\s)published(?!\s+(?:only|not\s+until|next|later|soon|in\s+(?:\w+\s+)?(?:days|weeks|months)))|press\s+release|annual\s+report|already\s+public|public\s+(?:figures|numbers)|official\s+(?:announcement|post|statement|release|video|article|update))\b",
    r"\bofficially\s+(?:announced|published|released|opened|launched|celebrated|presented)\b",
    r"\b(?:company|we|they|comms|marketing|team|hr|department|ceo|management)\s+(?:has\s+|have\s+|just\s+)?(?:uploaded|posted|published|shared|put\s+out|announced)\b",
    r"\b(?:on|from)\s+(?:the|our)\s+(?:company|official|corporate)\s+(?:\w+\s+)?(?:account|page|channel|profile|instagram|linkedin|feed|blog|website|site|youtube)\b",
    r"\bofficial\s+(?:company\s+)?(?:account|page|channel)'?s?\b",
    r"\b(?:was|were|has\s+been|have\s+been)\s+(?:officially\s+)?(?:announced|published|released|launched|opened)\b",
    r"\b(?:veröffentlicht\w*|pressemitteilung\w*|geschäftsbericht\w*|bereits\s+öffentlich|offizielle[nmrs]?\s+(?:ankündigung|beitrag|post|mitteilung|video|artikel))\b",
    r"\boffiziell\s+(?:bekannt|verkündet|kommuniziert|angekündigt|eröffnet|gefeiert|vorgestellt|gestartet)\w*",
    r"\bwurde\s+(?:\w+\s+){0,3}(?:angekündigt|vorgestellt|eröffnet|veröffentlicht|bekanntgegeben)\b",
    r"\b(?:firmen|unternehmens)(?:beitrag|post|video|artikel)\w*|\bkarriereseite\w*",
    r"\b(?:beitrag|post)\s+(?:unserer|unseres|der|des)\s+(?:firma|unternehmens|geschäftsführ\w+|ceo|chefin|chefs|vorstand\w*)\b",
    r"\b(?:already|schon|bereits)\s+(?:\w+\s+){0,3}online\b",
    r"\b(?:is|ist|sind)\s+(?:schon\s+|bereits\s+)?(?:seit\s+(?:\w+\s+){1,2})?online\b",
    r"\b(?:it'?s|its|it\s+is|ist|sind)\s+(?:already\s+|schon\s+|bereits\s+)?(?:public|öffentlich)\b",
    r"\b(?:firma|unternehmen|wir|marketing|hr|kommunikation\w*|\w*abteilung|\w*team|werk|standort|filiale|niederlassung)\s+(?:hat|haben)\s+(?:[\w'-]+\s+){0,12}(?:gepostet|veröffentlicht|geteilt|hochgeladen|gratuliert|angekündigt|bekanntgegeben|verkündet)\b",
    r"\b(?:pressemeldung|presseinfo|presseinformation)\w*|\bnews\s+release\b",
    r"\b(?:hochgeladen|gepostet|veröffentlicht|geteilt|online\s+gestellt)\s+(?:hat|haben|wurde|wurden)\b",
    r"\bcareers?\s+(?:site|page|portal)\b|\bwe'?re\s+(?:hiring|looking\s+for)\b|\bwe\s+are\s+(?:hiring|looking\s+for)\b|\bapply\s+(?:now|via|here|today)\b|\b(?:jetzt\s+)?bewerb(?:t\s+euch|en\s+sie\s+sich|\s+dich)\b|\bwir\s+stellen\s+ein\b",
    # A job ad is published by the company by definition.
    r"\b\w*(?:stellenanzeige|stellenausschreibung|stellenangebot|jobangebot|jobanzeige)\w*|\bjob\s+(?:ads?|adverts?|postings?|openings?)\b|\bvacanc(?:y|ies)\b",
    r"\b(?:share|post|teilen|posten)\s+(?:the|a|den|einen)\s+link\b|\blink\s+(?:teilen|posten|sharen)\b",
    r"\b(?:läuft|lief|laufen)\s+(?:\w+\s+){0,2}(?:im\s+)?(?:fernsehen|tv|radio|kino)\b|\b(?:im|in)\s+(?:fernsehen|tv|radio|kino)\s+(?:läuft|lief|laufen|kam|kommt)\b|\b(?:in|on)\s+(?:all\s+)?(?:the\s+)?(?:local\s+)?(?:papers|news)\b|\bstand\s+(?:\w+\s+){0,2}in\s+(?:der|allen)\s+zeitung\w*",
    r"\b(?:aired|broadcast(?!\s*-?\s*(?:list|liste))|ausgestrahlt)\b|\bwar\s+(?:gestern\s+|heute\s+)?im\s+(?:fernsehen|radio|tv)\b|\bwas\s+on\s+(?:tv|the\s+radio)\b|\bin\s+der\s+\S*mediathek\b",
    r"\b(?:page|account|channel|seite|kanal)\s+(?:has\s+)?(?:just\s+|gerade\s+|hat\s+)?(?:announced|posted|published|shared|gepostet|veröffentlicht)\b",
)
_UNPUBLISHED = _rx(
    # Publication still to come: "the figures are published only in April", "will be announced next week".
    r"\b(?:published|announced|released|out|public|official)\s+only\s+(?:in|on|at|after|next|from|once|when)\b",
    r"\bonly\s+(?:be\s+|get\s+)?(?:published|announced|released|made\s+public)\s+(?:in|on|at|after|next|from)\b",
    r"\b(?:will|shall|is\s+going\s+to|are\s+going\s+to)\s+(?:only\s+)?be\s+(?:published|announced|released|made\s+public)\b",
    r"\bnot\s+(?:\w+\s+)?until\b|\b(?:wird|werden)\s+(?:\w+\s+){0,4}(?:veröffentlicht|bekanntgegeben|angekündigt|verkündet)\b",
    r"\bnot\s+(?:yet\s+)?(?:public|published|out|official|announced)\b",
    r"\bout\s+next\b",
    r"\bbefore\s+(?:they|it)\s+(?:are|is)\s+(?:published|out)\b",
    r"\b(?:numbers|figures|results)\s+(?:come\s+)?out\b",
    r"\b(?:numbers|figures|results|zahlen|ergebnisse)\s+(?:are\s+)?(?:coming|due|kommen|folgen)\b",
    r"\b(?:jahresabschluss|quartalsbericht|earnings\s+call|bilanzpressekonferenz)\w*\s+(?:\w+\s+){0,3}(?:erst|kommt|is\s+on|next|nächste)",
    r"\binternal\b",
    r"\bnoch\s+nicht\b|\bnoch\s+nirgends\b|\bnot\s+anywhere\s+yet\b|\bnowhere\s+yet\b",
    r"\bintern\w*\b",
    r"\bvorab\b",
    r"\b(?:hasn'?t|has\s+not|haven'?t|have\s+not|isn'?t|is\s+not|wasn'?t|was\s+not)\s+(?:been\s+)?(?:yet\s+)?(?:made\s+)?(?:public|published|announced|official|released)\b",
    r"\bgeheim\w*|\b(?:still|a|top)\s+secret\b",
)
_DEAL = _rx(
    r"\b(?:signed|signing|closed|closing|won|winning|landed|sealed)\s+(?:a|an|the|our|this|that|big|huge|new|major)?\s*(?:\w+\s+)?(?:contract|deal|tender|bid|account|order)\b",
    r"\b(?:acquisition|acquire|acquiring|acquired|merger|merging|(?<!-)(?<!instagram\s)(?<!tiktok\s)(?<!account\s)(?<!social\s)(?<!media\s)takeover|taking\s+over|buy(?:ing)?\s+out)\b",
    r"\bin\s+talks\s+with\b",
    r"\bnegotiat\w+",
    r"\blay-?offs?\b",
    r"\brestructur\w+",
    r"\bjob\s+cuts\b",
    r"\b(?:clos|shut)\w*\s+(?:down\s+)?(?:the|our|a)\s+(?:plant|site|factory|office|location)\b",
    r"\bopen\w*\s+(?:a\s+)?new\s+(?:office|site|plant|factory|location|branch|subsidiary)\b",
    r"\bjoint\s+venture\b",
    r"\b(?:moving|move|relocat\w*)\s+(?:our\s+|the\s+)?(?:hq|headquarters|head\s+office|production|plant|factory|site)\b",
    r"\b(?:kunde|kundin|customer|client|auftraggeber)\w*\s+(?:\w+\s+){0,4}(?:abspringen|abspringt|abgesprungen|kündigen|kündigt|verlieren|verloren|wechseln|leaving|churn\w*|cancel\w*)\b",
    r"\b(?:lose|losing|lost|verlieren|verloren)\s+(?:our\s+|unseren\s+|unsere\s+)?(?:biggest|largest|main|key|a\s+major|größten|wichtigsten)\s+(?:customer|client|account|kunden|kundin)\b",
    r"\b(?:zentrale|hauptsitz|firmensitz|produktion|werk)\s+(?:\w+\s+){0,4}(?:verlagern|verlegen|umziehen|zieht\s+\w+\s+um)\b|\bumzug\s+(?:der|des|unserer|unseres)\s+(?:zentrale|hauptsitz\w*|firmensitz\w*)",
    r"\b\w*vertr[aä]g\w*\s+(?:\w+\s+){0,5}(?:unterschrieben|unterzeichnet|abgeschlossen)",
    r"\b\w*auftr[aä]g\w*\s+(?:\w+\s+){0,5}(?:gewonnen|erhalten|an\s+land)",
    r"\bgroßauftrag\w*",
    r"\bausschreibung\w*\s+(?:\w+\s+)?gewonnen",
    r"\bübernahme\w*",
    # "übernehmen" is also copying a chart or taking on a task; only a company taken over is a deal.
    r"\b(?:firma|unternehmen|startup|start-up|konkurrent\w*|wettbewerber\w*|mitbewerber\w*|hersteller|anbieter|zulieferer)\s+(?:\w+\s+){0,3}übernehmen\b",
    r"\bübernehmen\s+(?:wir\s+)?(?:die|den|das|einen|eine)\s+(?:firma|konkurrenz|konkurrenten|startup|start-up|hersteller|anbieter|wettbewerber)\b",
    r"\b(?:stellen|arbeitsplätze|jobs)\s+(?:\w+\s+){0,3}(?:schaffen|abbauen|streichen|auslagern|verlagern)\b",
    r"\b(?:create|creating|cut|cutting|add|adding|axe|axing)\s+(?:\d+\s+)?(?:new\s+)?jobs\b",
    r"\bpartner(?:ship|ing)\s+with\b",
    # Many people let go at once: "fired half of the marketing team", "die Hälfte des Teams entlassen".
    r"\b(?:fired|sacked|let\s+go|laid\s+off|dismissed|entlassen|gefeuert|rausgeworfen|gekündigt)\s+(?:\w+\s+){0,2}(?:half|a\s+third|a\s+quarter|\d+|dozens|hundreds|most|all|die\s+hälfte|ein\s+drittel|ein\s+viertel|dutzende|hunderte|alle)\b",
    r"\b(?:half|a\s+third|a\s+quarter|\d+|dozens|hundreds|most|all|die\s+hälfte|ein\s+drittel|dutzende|hunderte)\s+(?:of\s+)?(?:the\s+|our\s+|des\s+|der\s+|unserer?\s+)?(?:\w+\s+)?(?:team|staff|department|workforce|employees|colleagues|teams|abteilung|belegschaft|mitarbeiter\w*|kolleg\w*)\s+(?:\w+\s+){0,3}(?:fired|let\s+go|laid\s+off|sacked|entlassen|gefeuert|gekündigt)\b",
    # A price change still to come: "es wird günstiger", "prices will go up".
    r"\b(?:preis\w*|price\w*|pricing|tarif\w*|konditionen|gebühr\w*|fees?)\b.{0,60}?\b(?:wird|werden|will|going\s+to|soll|sollen|plan\w*)\s+(?:\w+\s+){0,3}(?:günstiger|billiger|teurer|steig\w*|senk\w*|erhöh\w*|go\s+(?:up|down)|rise|increase|drop|cheaper|more\s+expensive)\b",
    r"\b(?:preis\w*|tarif\w*|konditionen|gebühr\w*)\b.{0,60}?\b(?:günstiger|billiger|teurer|gesenkt|erhöht)\s+(?:\w+\s+){0,2}(?:wird|werden|sollen|soll)\b",
    r"\bpartnerschaft\s+mit\b",
    r"\bpartnerschaft\w*\s+(?:\w+\s+){0,5}ein(?:gehen)?\b",
    r"\bfusion\w*",
    r"\bverhandl\w*",
    r"\bstellenabbau\w*",
    r"\bumstrukturierung\w*",
    r"\bkündigungswelle\w*",
    r"\bwerks?schließung\w*",
    r"\b(?:standort|werk|büro|niederlassung|filiale|fabrik)\w*\s+(?:\w+\s+){0,5}(?:eröffnen|eröffnet|schließen|schließt|geschlossen|dichtgemacht|dichtmachen|aufgegeben|verkauft|verlagert)",
)
# "unser neues Büro" alone may well be open already; only a plan to open one is a leak.
_NEW_SITE = _rx(
    r"\bneue[nmrs]?\s+(?:standort|werk|büro|niederlassung|filiale|gebäude|labor|zentrale|hauptsitz)\w*",
    r"\b(?:our|the|my|this)\s+new\s+(?:office|site|plant|building|location|branch|lab|laboratory|headquarters|hq|factory|campus)s?\b",
)
_CUSTOMER_PROJECT = _rx(
    r"\b(?:für|for|bei|at|with)\s+(?:einen|eine|einem|einer|a|an|one\s+of)\s+(?:der\s+|the\s+)?(?:große[nmrs]?|größte[nmrs]?|bekannte[nmrs]?|namhafte[nmrs]?|big|biggest|large|largest|major|well-known|famous|leading|führende[nmrs]?)\s+\w+",
    r"\bportfolio\b|\bcase\s+stud(?:y|ies)\b|\bsuccess\s+stor(?:y|ies)\b|\bfallstudie\w*|\breferenzprojekt\w*|\berfolgsgeschichte\w*",
    r"\b(?:customer|client)(?:'s)?\s+(?:project|projects|name|names|deal|order|pilot)\b",
    r"\bkunden(?:projekt|namen?|auftrag|pilot)\w*",
    r"\bprojekt\w*\s+(?:bei|für|mit)\s+(?:dem|der|unserem|unserer)\s+kunden?",
    r"\b(?:his|her|their)\s+company(?:'s)?\s+project\b",
    r"\b(?:customer|client)(?:'s|s')?\s+(?:logo|logos|dashboard|data|system|systems|screen)\b",
    r"\b(?:our|unser\w*)\s+(?:biggest|largest|main|key|most\s+important|größte\w*|wichtigste\w*)\s+(?:customer|client|kunde\w*|kundin|auftraggeber\w*)",
    r"\bnamen\s+(?:unserer|der|von|aller)\s+kunden\b|\b(?:customer|client)\s+names\b|\bnames\s+of\s+(?:our\s+)?(?:customers|clients)\b",
    r"\bkunden(?:logo|dashboard|system)\w*",
    r"\blogos?\s+(?:des|unseres|unserer|eines|einer)\s+kund\w*",
    # A dealer, retailer or distributor named: a business partner as much as a customer.
    r"\b(?:dealer|retailer|reseller|distributor|händler|fachhändler|vertriebspartner)\w*\b.{0,40}?\b(?:by\s+name|namentlich|beim\s+namen|mit\s+(?:vollem\s+)?namen)\b",
    r"\bnames?\s+of\s+(?:our\s+|the\s+)?(?:dealers|retailers|resellers|distributors)\b|\b(?:dealer|retailer|reseller|distributor)\s+names\b|\bhändlernamen\b|\bnamen\s+(?:unserer|der)\s+(?:händler|vertriebspartner)\b",
)
_INTERNAL = _rx(
    r"\binternal\s+(?:document|documents|memo|e-?mail|mail|slides|presentation|newsletter|meeting|chart|figures|numbers|wiki|tool|dashboard|strategy|roadmap)\w*",
    r"\bintranet\b",
    r"\bconfidential\b",
    r"\binternal\s+use\s+only\b",
    # The meeting itself; "thanked at the town hall" is only where something happened.
    r"(?<!at\sthe\s)(?<!at\sour\s)\ball-?hands\b",
    r"(?<!at\sthe\s)(?<!at\sour\s)\btown\s*hall\b",
    r"\borg\s*chart\b",
    r"\bvertraulich\w*",
    r"\bwhiteboard\w*",
    r"\bstrateg(?:y|ie)-?\s?(?:workshop|meeting|paper|papier|deck|offsite|klausur|präsentation|besprechung)\w*",
    r"\bflipchart\w*",
    r"\b(?:folien|slides|deck|präsentation\w*|presentation|protokoll\w*|minutes|notizen)\b.{0,40}?(?:besprechung|meeting|sitzung|workshop|call|runde|all-hands|townhall)",
    r"\b(?:besprechung|meeting|sitzung|workshop)\w*.{0,40}?\b(?:folien|slides|deck|präsentation\w*|presentation|protokoll\w*|minutes|notizen)\b",
    r"\bintern\w*\s+(?:dokument|mail|e-mail|präsentation|folien|newsletter|unterlagen|zahlen|strategie|rundmail|meeting|besprechung)\w*",
    # Figures said to be internal, in either order: "welche Zahlen intern noch besser aussehen".
    r"\b(?:zahlen|kennzahlen|ergebnisse|werte|figures|numbers|results|metrics)\s+(?:\w+\s+){0,3}(?:intern|internally|im\s+haus|in-house)\b",
    r"\bentwurf\s+(?:unserer|unseres|der|des)\s+(?:neuen\s+)?\w+|\bdraft\s+of\s+(?:our|the)\s+(?:new\s+)?(?:strategy|pricing|budget|plan|roadmap|structure|org)\w*\b",
    r"\bnur\s+für\s+den\s+internen\b|\b(?:ist|sind|is|are)\s+(?:eigentlich\s+|actually\s+|only\s+|nur\s+)*(?:intern|internal)\b|\binternal\s+only\b|\bnur\s+intern\b",
    r"\bbetriebsversammlung\w*",
    r"\borganigramm\w*",
    r"\brundmail\w*",
    r"\bscreenshot\w*\s+(?:of|from|aus|von)\s+(?:our|the|unserem|unserer|dem|der)\s+(?:intranet|internal|jira|confluence|crm|dashboard|sharepoint|wiki)",
    r"\bdashboards?\b",
    r"\b(?:preisliste\w*|price\s+lists?|konditionen|gehaltsbänder\w*|gehaltsband\w*|salary\s+bands?|pay\s+scales?|salary\s+ranges?)\b",
    r"\b(?:nur\s+)?intern\s+(?:bekommen|erhalten|verteilt|geteilt|kommuniziert|verschickt|besprochen|vorgestellt|gehört|erfahren|mitbekommen)\b",
    r"\b(?:heard|learned|learnt|found\s+out)\s+(?:\w+\s+){0,2}internally\b",
    r"\binternally\b",
    r"\binternal\s+(?:\w+\s+){0,2}(?:survey|results|report|analysis|analytics|audit|feedback|ranking|statistics|benchmark|plan|planning|budget|forecast|policy|numbers|data)\w*\b|\binterne[nmrs]?\s+(?:\w+\s+){0,2}(?:umfrage|ergebnis|auswertung|bericht|analyse|studie|statistik|planung|daten|zahlen)\w*",
    r"\binternal\s+(?:\w+\s+)?(?:channel|chat|thread|message|messages|post)\b",
    r"\b(?:slack|teams)[-\s]?(?:thread|chat|channel|kanal|nachricht|message)\w*",
    r"\bboard\s+meeting\b",
    r"\b(?:told|said|announced|mentioned|shared)\s+(?:us\s+)?(?:\w+\s+)?(?:in|at|during)\s+(?:the|a|an|our|today'?s)\s+(?:\w+\s+)?(?:meeting|all-hands|town\s*hall|call|stand-?up)\b",
    r"\b(?:im|beim|in\s+der|in\s+einer|in\s+unserer)\s+(?:\w+\s+)?(?:meeting|besprechung|sitzung|call|teamrunde|jour\s+fixe)\w*\s+(?:\w+\s+){0,2}(?:erzählt|gesagt|verkündet|angekündigt|mitgeteilt|erwähnt)\b",
    r"\bin\s+confidence\b|\bim\s+vertrauen\b",
    r"\b(?:jira|confluence|sharepoint|trello|asana)\b",
    r"\b(?:source\s+code|code\s+snippets?|quellcode\w*|private\s+repo\w*|architecture\s+diagram\w*|architekturdiagramm\w*|rezeptur\w*|test\s*results?|testergebnis\w*|access\s+badges?|keycards?|zugangskarte\w*|werksausweis\w*|server\s*rooms?|serverraum\w*|rechenzentrum\w*)\b",
    r"\b(?:photo|picture|pic|foto|bild|screenshot)\w*\s+(?:of|von)\s+(?:my|our|the|meinem|unserem|dem)\s+(?:screen|monitor|laptop|bildschirm)\w*",
    r"\bvorstandssitzung\w*",
    r"\b(?:tagesordnung\w*|agenda\s+(?:of|for)\s+the\s+(?:board|management|leadership)|\w*klausur\w*|(?:board|leadership|management|strategy)\s+(?:retreat|offsite))\b",
    r"\baufsichtsrat\w*",
)

_COMPANY_DATA = _rx(
    r"\b(?:customer|client|contact|lead)s?\s+(?:list|lists|data|database|file|files|records|details)\b",
    r"\bcrm\b",
    r"\bsales\s+pipeline\b",
    r"\bkunden(?:liste|daten|datei|datenbank|kartei|stamm)\w*",
    r"\b(?:adress|kontakt)(?:liste|daten|datei)\w*",
    r"\b(?:connections|contacts|kontakte)\s+(?:\w+\s+){0,3}(?:customers|clients|kunden)\b",
    r"\b(?:groups?|gruppen?|chats?|channels?|kan[aä]le?|lists?|listen?|verteiler)\w*\s+(?:with|mit)\s+(?:our|unseren|den|allen|all\s+our|\d+)?\s*\w*(?:kunden|customers|clients|partner|partners|contacts|kontakten)\b",
    r"\b(?:personal|private|privat\w*)\s+(?:e-?mail|email|adresse|address|crm|list|liste|postfach|inbox)\b",
    r"\bvisitenkarte\w*|\bbusiness\s+cards?\b|\bleads\b|\bmailing\s*-?list\w*|\bmailingliste\w*|\bverteiler\w*|\bteilnehmerliste\w*|\battendee\s+list\w*|\bevent\s+registrations?\b",
)
_TAKE = _rx(
    r"\b(?:weiterführ\w*|fortführ\w*|continue|keep\s+running|keep\s+using)\b",
    r"\b(?:take|taking|took|export\w*|copy\w*|copie\w*|download\w*|forward\w*|keep|bring|send\w*|upload\w*|scrap\w*|use|invite\w*|add|move)\b",
    r"\b(?:einlad\w*|übertrag\w*|mitnehm\w*|nehmen\s+\w+\s+mit|nimm\w*\s+mit|export\w*|kopier\w*|herunterlad\w*|runterlad\w*|weiterleit\w*|behalt\w*|schick\w*|hochlad\w*|nutz\w*|verwend\w*|aufnehm\w*)",
)
# A company or institution after "project/contract for/with": a likely customer name.
_NAMED_PARTNER = re.compile(
    r"\b(?i:project|contract|deal|order|pilot|projekt|auftrag|vertrag|deal)\w*\s+(?i:for|with|at|für|mit|bei)\s+(?i:der\s+|die\s+|dem\s+|den\s+|the\s+)?"
    r"((?:[A-ZÄÖÜ][\w&.-]+)(?:\s+[A-ZÄÖÜ][\w&.-]+)?)",
    re.UNICODE,
)
_NOT_PARTNERS = frozenset(
    """team abteilung kollegen kolleginnen kunden kunde firma unternehmen geschäftsführung marketing vertrieb sales hr
    it management chef chefin leitung i we our my the a an you""".split()
)

# -- people and their data ---------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", _F)
_PHONE = re.compile(r"(?<![\w.,])(?:\+\d{1,3}[\s/-]?)?(?:\(?\d{2,5}\)?[\s/-]?){2,4}\d{2,}(?![\w.,]\d)")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
_SENSITIVE = _rx(
    r"\b(?:badge|ausweis|namensschild|id\s+card|mitarbeiterausweis|dienstausweis)\w*\s+(?:\w+\s+){0,3}(?:with|mit)\s+(?:\w+\s+){0,3}(?:name|namen|photo|foto|bild)\b",
    r"\b(?:his|her|their|colleague'?s?)\s+(?:salary|diagnosis|illness|health|address|home\s+address|phone\s+number|sick\s+note|pregnancy)\b",
    r"\b(?:sein|seine|ihr|ihre)\w*\s+(?:gehalt|diagnose|krankheit|adresse|privatadresse|handynummer|telefonnummer|krankmeldung|schwangerschaft)\b",
    r"\bkrankgeschrieben\b",
    r"\bon\s+sick\s+leave\b",
    r"\bsalar(?:y|ies)\s+of\b",
    r"\bgehälter\b",
    r"\b(?:handy|telefon|mobil|privat)nummer\w*\s+(?:meines|meiner|von|des|der|eines|einer|unseres|unserer)\b",
    r"\b(?:privat|wohn|heim)adresse\w*",
    r"\bprivate\s+adresse\w*",
    r"\b(?:phone|mobile|cell)\s+numbers?\s+of\s+(?:my|a|an|our|the)\b",
    r"\b(?:colleague|coworker|customer|client)'?s\s+(?:phone|mobile|number|address|salary|health|diagnosis)\b",
    r"\bhome\s+address\w*",
    r"\b(?:names?|namen)\s+(?:and|und)\s+(?:their\s+|ihre\s+)?(?:mobile\s+|phone\s+|private\s+|private\w*\s+)?(?:numbers|nummern|handynummern|telefonnummern|noten|grades|addresses|adressen|gehälter|salaries)\b",
)
_TAGGING = _rx(
    r"\btag(?:ging|ged)?\s+(?:him|her|them|my|the|our|a|all|everyone|colleagues?|people|customers?)\b(?!\s+(?:employer|company|firm|workplace|brand)\b)",
    r"\bmarkier\w*",
    r"\btagg(?:en|e|st|t)\b|\bgetaggt\b",
    r"\bverlink\w*\s+(?:ihn|sie|kolleg\w*|kunde\w*|den|die)",
    r"\bname\s+(?:him|her|them|my\s+colleague)\b",
    r"\bnamentlich\b",
    r"\bmention\s+(?:him|her|them|my\s+colleague|the\s+customer|his|her)\b",
    r"\bnennen\b.*\bnamen\b",
)
_MEDIA = _rx(
    r"\b(?:photos?|pictures?|pics?|images?|videos?|selfies?|screenshots?|recordings?|clips?|footage|fotos?|bilder?|aufnahmen?|mitschnitt\w*|stories|story|reels?|boomerangs?)\b",
    r"(?:foto|bild|video|selfie|screenshot)s?\b",
    r"\b(?:shots?|snaps?|snapshots?|candids?|schnappschuss\w*|gruppenbild\w*)\b",
)
_SHOWS = _rx(
    r"\b(?:it|which|that|they|this|you\s+can|you)\s+(?:shows?|showing|features?|see)\b",
    r"\b(?:zeigt|zeigen|sieht\s+man|man\s+sieht|sind\s+(?:\w+\s+)?drauf|ist\s+(?:\w+\s+)?drauf)\b",
)
_PEOPLE = _rx(
    r"\b(?:colleagues?|coworkers?|co-workers?|team(?:s|mates?|members?)?|group|people|faces|everyone|everybody|customers?|clients?|visitors?|guests?|kids|children|participants|attendees|apprentices|trainees|boss|manager|staff|employees|crowd|patients?|neighbou?rs)\b",
    r"\b(?:kolleg\w*|team(?:s|mitglied\w*|kolleg\w*)?|gruppe\w*|leute|personen|gesicht\w*|allen|alle|kunde\w*|besucher\w*|gäst\w*|kinder\w*|teilnehm\w*|azubis?|auszubildende\w*|chef\w*|mitarbeit\w*|belegschaft|publikum|patient\w*)\b",
    r"\b(?:gruppen|team|klassen|mitarbeiter)(?:foto|bild|selfie|video)s?\b",
    r"\b(?:crew|crews|squad|gang|folks|staff|workers|jahrgang\w*|truppe|mannschaft|jungs|mädels|kids|interns?|new\s+hires?|praktikant\w*)\b",
    r"\bgroup\s+(?:photo|picture|shot|selfie)\b",
    r"\boffsite\b",
    # Where patients or residents are, a picture nearly always shows someone.
    r"\b(?:ward|wards|hospital|clinic|care\s+home|station|klinik\w*|krankenhaus\w*|pflegeheim\w*|arztpraxis)\b",
    r"\b(?:christmas|holiday|summer)\s+party\b",
    r"\b(?:weihnachts|sommer)feier\b",
    r"\bbetriebsausflug\b",
)
# A picture in which nobody can be recognised: no faces, from behind, only hands or shoes.
_UNRECOGNISABLE = _rx(
    r"\b(?:ohne|keine)\s+(?:erkennbaren?\s+)?gesichter\b|\bno\s+(?:recogni[sz]able\s+|visible\s+)?faces\b|\bwithout\s+(?:any\s+)?(?:visible\s+)?faces\b",
    r"\bfaces?\s+(?:are\s+|is\s+)?(?:blurred|pixelated|not\s+visible|hidden|cut\s+off)\b|\bgesichter\s+(?:sind\s+)?(?:verpixelt|unkenntlich|abgeschnitten|nicht\s+(?:zu\s+sehen|erkennbar))\b",
    r"\b(?:can'?t|cannot|can\s+not|won'?t)\s+(?:really\s+)?(?:recogni[sz]e|identify|make\s+out)\s+(?:anyone|anybody|any\s+faces|faces|who)\b",
    r"\bniemand\s+(?:ist\s+)?(?:zu\s+)?erkenn\w*|\bnicht\s+(?:zu\s+)?erkennen\b|\bunkenntlich\b|\bnobody\s+(?:is\s+)?recogni[sz]able\b",
    r"\bbacks?\s+of\s+(?:their\s+|our\s+)?heads\b|\bfrom\s+behind\b|\bvon\s+hinten\b|\b(?:only|just)\s+(?:our\s+|my\s+|the\s+)?(?:hands|feet|shoes|boots|hiking\s+boots)\b|\bnur\s+(?:unsere\s+|meine\s+|die\s+)?(?:hände|füße|schuhe|wanderschuhe)\b",
)
_FACES_DIRECT = _rx(
    r"\bgroup\s+(?:photo|picture|shot|selfie)\b",
    r"\b(?:gruppen|team|klassen)(?:foto|bild|selfie)s?\b",
    r"\bwith\s+all\s+(?:the\s+)?faces\b",
    r"\bmit\s+allen\s+gesichtern\b",
    r"\bselfie\s+(?:with|mit)\b",
)

# First names that commonly appear in German and English workplaces; a first
# name followed by a capitalised word is very likely a person.
_FIRST_NAMES = frozenset(
    """anna maria laura julia lena lea leonie sarah sara lisa katharina johanna sophie sophia marie hannah hanna emma
    mia lina clara klara nina jana sandra sabine petra claudia andrea susanne monika stefanie stephanie nicole
    melanie christina kristina martina tanja birgit karin ute ulrike heike anja kerstin silke jessica jennifer
    emily olivia charlotte amelia grace ella chloe lucy ruby ava isla freya alice rachel rebecca emily jane kate
    thomas michael andreas stefan stephan christian markus marcus martin frank peter klaus jürgen uwe ralf wolfgang
    tobias jan jonas lukas lucas leon felix paul max maximilian niklas nico tim tom daniel david florian sebastian
    alexander philipp matthias simon moritz jakob jacob benjamin ben fabian kevin dennis patrick oliver erik eric
    john james robert william richard joseph charles george mark steven steve anthony brian chris kevin jason ryan
    jack harry oscar noah liam ethan mason logan adam luke sam samuel henry jacob joshua nathan mike matt""".split()
)
# An @handle names a person unless it is plainly an account ("@company_engineering", "@acme_jobs").
_MENTION = re.compile(r"(?<![\w.])@([A-Za-z][\w.-]{2,})")
_ACCOUNT_HANDLE = re.compile(r"company|official|team|brand|news|jobs|careers|karriere|firma|corp|hq|info|support", re.I)
# "the customer BMW", "für den Kunden Globex": a named customer.
_NAMED_CUSTOMER = re.compile(
    r"\b(?i:customer|client|kunden?|kundin)\s+([A-ZÄÖÜ][\w&.-]+)",
    re.UNICODE,
)
_NOT_CUSTOMER_NAMES = frozenset("""contact data list project projects name names service support success care""".split())
_GREETED = re.compile(
    r"\b(?i:welcome|willkommen|congrats|congratulations|glückwunsch|gratulation|thanks|thank\s+you|danke|shout-?out|happy\s+birthday|alles\s+gute)\b"
    # The name right after a comma and before a stop: "Welcome to the team, Priya!"
    r"[^.!?\n]{0,30}?,\s*(?:@)?([A-ZÄÖÜ][a-zäöüß]{2,})(?=\s*[!.,;:)]|\s*$|\s+[A-ZÄÖÜ][a-zäöüß]+\b)",
    re.UNICODE,
)
_NOT_GREETED = frozenset("""team the our all everyone you your and to at im in zum zur unser unsere euch dir ihnen""".split())
# Capitalised words after a greeting that are no names.
_FIRST_NAMES_SKIP = frozenset("""aboard board new neue neuen neuer lieber liebe dear""".split())
_CAP_NAME = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]+)\s+([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b")

_PRIVATE_MATTER = _rx(
    r"\b(?:bandscheib\w*|herzinfarkt\w*|schlaganfall\w*|krebs\w*|tumor\w*|operiert|operation\w*|chemo\w*|beinbruch|armbruch|knochenbruch|cancer|surgery|heart\s+attack|stroke|broken\s+(?:leg|arm)|slipped\s+disc|covid|corona-?positiv)\b",
    r"\b(?:entlassen|fristlos|rausgeworfen|rausgeschmissen|laid\s+off|dismissed|sacked)\b",
    r"\bcvs\b|\b(?:rejected|abgelehnte\w*)\s+(?:candidates|applicants|applications|bewerber\w*|bewerbung\w*)\b",
    r"\b(?:warning\s+letter|written\s+warning|final\s+warning|verbal\s+warning|performance\s+improvement\s+plan|kündigung\s+bekommen|gekündigt\s+worden)\b",
    r"\b(?:reha\w*|rehab\w*|entzug\w*|rehabilitation|in\s+treatment|in\s+behandlung|im\s+krankenhaus|in\s+(?:the\s+)?hospital)\b",
    # Where someone lives.
    r"\blives\s+(?:just\s+)?(?:in|around|near|on|next\s+to)\b|\bwohnt\s+(?:\w+\s+){0,3}(?:in|am|an\s+der|um\s+die\s+ecke|bei|neben)\b",
    r"\b(?:verdien\w*|earns?|earning|salar\w*|gehalt|gehälter|lohn|löhne|income|einkommen)\b",
    r"\bkrank\b|\b(?:is|are|was|been|off|call(?:ed|s)?\s+in)\s+sick\b|\b(?:krankmeldung\w*|sick\s+notes?|attest\w*|arztbrief\w*|medical\s+(?:certificate|records?|notes?))\b",
    r"\b(?:pregnan\w*|schwanger\w*|mutterschutz|elternzeit|parental\s+leave|maternity|paternity|sick\s+leave|krankgeschrieben|krankheit\w*|illness|diagnos\w*|therapy|therapie\w*|burn-?out|depression\w*|disabilit\w*|behinderung\w*|coming\s+out|sexual\s+orientation|sexuelle\s+orientierung|license\s+plate|nummernschild\w*|lebenslauf|resume|cv|bewerbung\w*|application\s+of|gefeuert|got\s+fired|abmahnung\w*|disciplinary|scheidung\w*|divorce\w*)\b"
)
_A_PERSON = _rx(
    r"\b(?:kassierer\w*|verkäufer\w*|fahrer\w*|pfleger\w*|krankenschwester\w*|azubi\w*|praktikant\w*|nachbar\w*|vorgesetzte\w*|teamleiter\w*|cashier|driver|nurse|intern|trainee|neighbou?r|supervisor|someone|somebody|jemand|candidates?|applicants?)\b",
    r"\b(?:colleague\w*|coworker\w*|co-worker\w*|kolleg\w*|mitarbeiter\w*|teammate\w*|boss|chef\w*|manager\w*|he|she|his|her|him|er|sie|ihm|ihr|ihre|seine?|candidate\w*|kandidat\w*|bewerber\w*|applicant\w*|customer\w*|kund\w*)\b"
)

# -- other people's material -------------------------------------------------------------------

_THIRD_PARTY = _rx(
    r"\b(?:aus|from|of)\s+(?:einem|einer|a|an|the|dem|der)\s+[\w-]*(?:report|studie|study|bericht|analyse|whitepaper|e-?book|buch|book|magazin|magazine)\b(?!\s+(?:we|wir)\s+(?:wrote|published|veröffentlicht))",
    r"\b(?:from|von|aus)\s+(?:the|their|a|an|der|die|dem|deren|einer|seiner|ihrer)\s+(?:\w+\s+)?(?:website|webseite|homepage|seite|page|site|account|kanal|channel|profil|profile)\s+(?:of|des|der|von)\s+(?!(?:our|unser\w*|uns)\b)",
    r"\b(?:other|another|andere[rnms]?|fremde[rnms]?)\s+(?:companies|company|firmen|unternehmen|brands|marken)'?s?\b",
    r"\b(?:photos?|pictures?|pics?|images?|videos?|fotos?|bilder?|aufnahmen)\s*,?\s*(?:die|das|den|that|which)\s+(?:ein|eine|einer|der|die|mein|meine|a|an|the|my|his|her|their|someone|jemand)\s+(?:\w+\s+){0,5}(?:gemacht|aufgenommen|geschossen|fotografiert|gedreht|took|taken|shot|made|filmed)\b",
    r"\b(?:photos?|pictures?|videos?)\s+(?:taken|shot|made|filmed)\s+by\s+(?:a|an|the|our|my|their|his|her)\s+(?!own\b)\w+",
    r"\bfound\s+(?:it\s+|this\s+)?(?:on|in|via)\s+(?:google|the\s+internet|the\s+web|online|pinterest|instagram|facebook|twitter|youtube|a\s+website|reddit)\b",
    r"\bgoogle\s+(?:images?|image\s+search|pictures)\b",
    r"\bfrom\s+(?:the\s+)?(?:internet|web|google|pinterest|a\s+website|getty)\b",
    r"\bstock\s+(?:photos?|images?|footage|videos?)\b",
    r"\b(?:someone\s+else|other\s+people|another\s+person|a\s+photographer)'?s?\s+(?:photos?|pictures?|images?|videos?|work)\b",
    r"\b(?:music|song|songs)\b|(?<!keep\s)(?<!keeps\s)(?<!keeping\s)(?<!kept\s)\btracks?\b(?!\s+(?:record|of|who|how))",
    r"\bcharts\b",
    r"\b(?:chart|top)\s*-?\s*(?:hits?|songs?)\b",
    r"\bspotify\b",
    r"\bmemes?\b",
    r"\bgifs?\b",
    r"\b(?:copy|copied|paste|pasted|repost)\w*\s+(?:the\s+|an?\s+|whole\s+|full\s+)*(?:article|text|study|post\s+from)\b",
    r"\bscreenshot\w*\s+(?:of|from)\s+(?:an?\s+|the\s+)?(?:article|newspaper|magazine|study)\b",
    r"\bpaywall\w*\b",
    r"\b(?:their|other\s+compan\w+'?s?)\s+logos?\b",
    r"\baus\s+dem\s+(?:internet|netz|web)\b",
    r"\bgoogle[-\s]?(?:bilder|bildersuche|suche)\b",
    r"\bim\s+(?:internet|netz|web)\s+gefunden\b",
    r"\bfremde[nmrs]?\s+(?:bild|foto|video|grafik|text|artikel|logo)\w*",
    r"\bstockfoto\w*",
    r"\b(?:getty|shutterstock|istock|adobe\s+stock|unsplash|pexels|pixabay)\b",
    r"\b\w*(?:bild|foto)\w*\s+(?:vom|von\s+dem|von\s+der|von\s+einer|aus\s+dem|aus\s+der|aus\s+einem|aus\s+einer)\s+\S*(?:artikel|zeitung|zeitschrift|magazin|bericht)\w*",
    r"\b(?:photo|picture|image|cover|thumbnail|header)\w*\s+(?:from|of)\s+(?:the|a|an|their|this)\s+(?:\S+\s+)?(?:article|story|newspaper|magazine)\b",
    r"\bsoundtrack\w*|\bfilmmusik\w*|\btitelmusik\w*|\btheme\s+(?:song|music|tune)\b",
    r"\b(?:ai|ki)[-\s]?(?:generated|generiert\w*|images?|bild\w*)\b|\bmidjourney\b|\bdall-?e\b|\bstable\s+diffusion\b",
    r"\b(?:celebrit\w*|promi\w*|famous\s+(?:people|person|actor|singer))\b",
    r"\b(?:fonts?|schriftart\w*)\b|\bgoogle\s+maps\s+screenshot\w*|\bkartenausschnitt\w*",
    r"\bmusik\w*",
    r"\bsongs?\b",
    r"\blied(?:er)?\b",
    r"\bchart-?(?:hit|song|musik)s?\b",
    r"\bzeitungsartikel\w*",
    r"\b(?:bild|foto|video|grafik)\w*\s+(?:\w+\s+){0,4}gefunden",
    r"\bgefunden\w*\s+(?:\w+\s+){0,3}(?:bild|foto|video|grafik)\w*",
    r"\bartikel\s+(?:\w+\s+)?(?:kopieren|abfotografieren|komplett|abtippen)",
    r"\bbezahlschranke\b",
    r"\bfilm\s*ausschnitt\w*",
    r"\bfilmszene\w*",
    r"\b(?:movie|film|tv)\s+(?:clip|scene|still)s?\b",
    r"\bfound\s+(?:\w+\s+){0,4}(?:on|in)\s+(?:a|an|another|someone|somebody|other|some|their|his|her)\b",
    r"\b(?:auf|bei|im|in)\s+(?:\w+\s+){0,2}(?:gesehen|gefunden|entdeckt)\b|\b(?:saw|seen|spotted)\s+(?:it\s+|this\s+)?(?:on|in)\s+(?:\w+\s+)?(?:instagram|pinterest|facebook|twitter|x|tiktok|reddit|google|a\s+website|the\s+internet|someone)",
    r"\b(?:someone|somebody)\s+else'?s?\b",
    r"\banother\s+(?:company|person|brand|user|creator|artist|photographer)'?s?\b",
    r"\bas\s+(?:mine|my\s+own)\b",
    r"\bdownload\w*\s+(?:the|this|that|their|his|her|a|an)\s+(?:\w+\s+)?(?:photo|picture|image|video|graphic|chart|infographic|clip)s?\b",
    r"\b(?:bild|foto|video|grafik|clip)\w*\s+(?:\w+\s+){0,3}(?:herunterladen|runterladen|downloaden)\b",
    r"\b(?:clip|scene|still|gif|ausschnitt|mitschnitt|szene)\w*\s+(?:from|aus)\s+(?:the\s+|a\s+|an\s+|der\s+|dem\s+|einer\s+|einem\s+)?(?:movie|film|show|series|tv|sitcom|serie|sendung|fernseh\w*|nachrichten|\w+schau)\b",
    r"\bausschnitt\w*\s+aus\s+(?:der|dem|einer|einem)\b",
    r"\b(?:cartoons?|comics?|karikatur\w*|infogra(?:fik|phic)\w*)\b",
    r"\bd(?:a)?runter\s*(?:zu\s*)?leg\w*",
    r"\b(?:photo|picture|image|foto|bild)s?\s+(?:from|in|aus)\s+(?:the|a|an|der|dem|einem|einer)\s+(?:article|newspaper|news|story|magazine|paper|zeitung|artikel|bericht|magazin)\b",
)
# Another brand's logo: "the Marvel logo", "das Nike-Logo", "logo of Siemens". Case matters here.
_BRAND_LOGO = re.compile(
    r"\b(?:the|a)\s+((?:[A-Z][\w&.'-]*\s+){0,2}[A-Z][\w&.'-]*)\s+logos?\b"
    r"|\b([A-ZÄÖÜ][\w&.]*)-Logos?\b"
    r"|\b(?i:logos?\s+(?:of|from|von))\s+([A-ZÄÖÜ][\w&.-]+)",
    re.UNICODE,
)
_OWN_BRAND_WORDS = frozenset(
    """company companies brand corporate official new old team our my firm employer firmen unternehmens marken
    team konzern abteilungs kunden eigenen neuen alten""".split()
)
_OWN_OR_LICENSED = _rx(
    r"\b(?:brand\s+portal|press\s+kit|media\s+kit|media\s+library|royalty-?free|licen[cs]ed|i\s+took|i\s+shot|i\s+filmed|i\s+made|i\s+drew)\b",
    r"\b(?:our|my)\s+own\s+(?:\w+\s+)?(?:photos?|pictures?|images?|videos?|footage|music|songs?|graphics?|drawings?|recordings?)\b",
    r"\b(?:brand-?portal|presse-?kit|pressemappe|mediathek|lizenzfrei\w*|lizenziert\w*|gema-?frei\w*|selbst\s+(?:gemacht|fotografiert|gefilmt|aufgenommen|gezeichnet)|eigene[nms]?\s+(?:foto|bild|video|musik))\b",
)

# -- tone ------------------------------------------------------------------

_INSULT = _rx(
    r"\b(?:idiots?|morons?|stupid|dumb|imbeciles?|losers?|clowns?|jerks?|assholes?|bastards?|crap|crappy|shit|shitty|bullshit|garbage|trash|junk|rubbish|sucks?|suck|pathetic|scam|scammers?|frauds?|liars?|ripoff|rip-off|useless|joke\s+of\s+a|worst\s+\w+\s+ever|incompetent|clueless)\b",
    r"\b(?:idioten?|vollidioten?|dumm\w*|blöd\w*|depp\w*|trottel\w*|versager\w*|lügner\w*|betrüger\w*|abzocke\w*|müll|schrott\w*|mist|scheiß\w*|scheiss\w*|lächerlich\w*|peinlich\w*|nutzlos\w*|inkompetent\w*|witzfigur\w*|schwachsinn\w*|ahnungslos\w*|loser)\b",
    r"\b(?:zurück)?pöbel\w*",
    r"\bbeschimpf\w*",
    r"\bfertig\s*mach\w*",
    r"\bhit\s+back\b",
    r"\bfire\s+back\b",
    r"\bshut\s+(?:them|him|her)\s+up\b",
    r"\b(?:is|are|was)\s+(?:a\s+|an\s+|such\s+a\s+|just\s+a\s+)?(?:joke|disaster|mess|failure|embarrassment)\b",
    r"\b(?:ist|sind)\s+(?:ein\s+|eine\s+|doch\s+)?(?:witz|katastrophe|reinfall|lachnummer|armutszeugnis)\b",
    r"\bput\s+(?:them|him|her)\s+in\s+(?:their|his|her)\s+place\b",
    r"\broast\w*\b",
    r"\btrash[-\s]?talk\w*",
    r"\bheimzahl\w*",
    r"\bzurückschlagen\b",
    r"\bdie\s+meinung\s+geigen\b",
    r"\bklappe\s+halten\b|\bhalt\s+die\s+klappe\b|\bshut\s+up\b",
    r"\b(?:snowflakes?|boomers?|muppets?|twats?|wankers?|dickheads?|pricks?|fuck\w*|wtf|stfu|go\s+cry|cry\s+(?:somewhere|about\s+it|more)|get\s+lost)\b",
    r"\b(?:verpiss\w*|hau\s+ab|heul\s+doch|vollpfosten|pfeife|hirni|dummkopf|arsch\w*|wichser|kacke|penner|spast\w*)\b",
    r"\b(?:threat\w*|drohung\w*|bedroh\w*)\b",
    # Posting one yourself; reporting someone else's is another matter.
    r"\b(?:post|share|tell|make|write|repost|like|teilen|posten|erzählen|machen|schreiben|liken)\s+(?:a|an|this|that|the|some|einen|ein|eine|diesen|dieses|den|das)?\s*(?:\w+\s+)?(?:racist|sexist|homophob\w*|transphob\w*|antisemit\w*|rassistisch\w*|sexistisch\w*|ageist)\w*\s+(?:jokes?|memes?|comments?|posts?|remarks?|witz\w*|sprüche?|kommentar\w*|beitr[aä]g\w*)\b",
    r"\b(?:rassistisch|sexistisch|homophob|transphob|antisemitisch)\w*\s+(?:witz|spruch|sprüche|meme|kommentar|beitrag)\w*\s+(?:\w+\s+){0,3}(?:posten|teilen|erzählen|machen|schreiben|liken)\b",
    r"\b(?:über|of|about|at)\s+(?:\w+\s+)?(?:dicke|fat|overweight|übergewichtig\w*|alte|old|behinderte|disabled|ausländer\w*|foreigners|frauen|women|schwule|gays|muslime|juden|jews|schwarze|black)\s+(?:\w+\s+){0,2}(?:lustig|fun|witz\w*|jokes?|mock\w*|spott\w*)",
    r"\b(?:lustig\s+mach\w*|makes?\s+fun\s+of|making\s+fun\s+of|mocks?|mocking|verspott\w*)\s+(?:über\s+)?(?:\w+\s+)?(?:dicke|fat|overweight|übergewichtig\w*|alte|old|behinderte|disabled|ausländer\w*|foreigners|frauen|women|schwule|gays|muslime|juden|jews|schwarze|black)\b",
    # Running down a group: "women just aren't as good at tech", "Ausländer sind faul".
    r"\b(?:women|men|frauen|männer|foreigners|immigrants|ausländer\w*|migrant\w*|old\s+people|older\s+people|ältere\w*|muslims|muslime\w*|jews|juden|gays|schwule\w*)\b.{0,40}?\b(?:nicht\s+(?:so\s+)?gut|schlechter|worse|can'?t\s+do|cannot\s+do|aren'?t\s+(?:as\s+)?good|are\s+bad|sind\s+(?:eben\s+|halt\s+)?(?:schlecht|dumm|faul)|taugen\s+nichts|nichts\s+taugen|inferior|stupid|lazy)\b",
    r"\b(?:jokes?|witz\w*|memes?|sprüche?)\s+(?:about|über)\s+(?:\w+\s+)?(?:women|men|foreigners|immigrants|muslims|jews|christians|gays|trans\w*|black\s+people|asians?|disabled|old\s+people|frauen|männer|ausländer\w*|migrant\w*|muslime\w*|juden|christen|schwule\w*|behinderte\w*|alte\w*|blondinen)\b",
    r"\bkeine\s+ahnung\s+(?:hat|haben|hast)\b|\bha(?:s|ve)\s+no\s+(?:idea|clue)\b",
    r"\blearn\s+to\s+read\b|\blern\w*\s+(?:erst\s+mal\s+|mal\s+)?lesen\b|\bwhin(?:e|ing)\b|[,.]\s*(?:genius|einstein|sherlock|schlaumeier|klugscheißer)\b",
    r"\bgive\s+(?:them|him|her)\s+(?:a\s+piece\s+of\s+my\s+mind|hell)\b",
    r"\b(?:making|make|makes|poking)\s+fun\s+of\s+(?:people|folks|those|\w+s)\b|\bmacht?\s+sich\s+(?:\w+\s+){0,3}lustig\b|\blustig\s+macht\b|\b(?:akzent|dialekt|accent|dialect)\w*\b.{0,30}?\b(?:witz|joke|lustig|fun|mock\w*)|\b(?:witz|joke|lustig|fun|mock\w*)\b.{0,40}?\b(?:akzent|dialekt|accent|dialect)",
    # A whole group run down: "all Gen Z interns are lazy", "Azubis sind heute alle faul".
    r"\b(?:all|alle)\s+(?:\w+\s+){0,3}(?:are|sind)\s+(?:\w+\s+){0,2}(?:lazy|stupid|dumb|useless|incompetent|criminals?|thieves|faul|dumm|unfähig|nutzlos|kriminell|diebe)\b",
    r"\b(?:gen\s*z|gen\s*y|millennials?|zoomers?|boomers?|die\s+jugend|young\s+people|junge\s+leute)\b.{0,40}?\b(?:lazy|entitled|stupid|useless|faul|verwöhnt|dumm|unfähig)\b",
    # Someone's mind run down: "his brain must be the size of a pea", "zu blöd, um ... zu lesen".
    r"\b(?:his|her|their|your|sein\w*|ihr\w*|dein\w*)\s+(?:brain|hirn|gehirn|iq|verstand)\b.{0,40}?\b(?:size\s+of|small|tiny|pea|walnut|erbse|walnuss|klein\w*|niedrig\w*|low|room\s+temperature|raumtemperatur)\b",
    r"\b(?:too\s+(?:stupid|dumb|thick|dim)|zu\s+(?:blöd|dumm|doof|beschränkt))\s+(?:to|zum|um)\b",
)
# A dig at a named rival without the word "competitor": "Unlike SlowShip, we actually deliver".
_DIG = re.compile(
    r"\b(?i:unlike|anders\s+als|im\s+gegensatz\s+zu|not\s+like)\s+(?:(?i:bei)\s+)?[A-ZÄÖÜ][\w&.-]+\s*,?\s*(?i:we|wir|our|unser\w*)\b"
    r"|\b(?i:at\s+least\s+we|wenigstens\s+wir|zumindest\s+wir)\b",
    re.UNICODE,
)
_ATTACKED = _rx(
    r"\binsult\w*\b",
    r"\babus\w*\b",
    r"\btroll\w*\b",
    r"\bbeleidig\w*",
    r"\bhass\w*",
    r"\bhate\b",
    r"\bhetze\w*",
    r"\battack\w*\b",
    r"\bangriff\w*",
)
_COMPETITOR = _rx(
    r"\bcompetitors?(?:'s)?\b",
    r"\brivals?(?:'s)?\b",
    r"\bcompetition\b",
    r"\bkonkurren\w*",
    r"\bwettbewerb\w*",
    r"\bmitbewerber\w*",
    r"\bswitch\s+to\s+us\b|\bwechsel\w*\s+(?:doch\s+|lieber\s+|endlich\s+)?zu\s+uns\b|\bstill\s+(?:using|buys?|buying)\b|\bnoch\s+(?:immer\s+)?(?:bei|von)\s+\w+\s+(?:kauft|kaufen|bestellt)\b",
)
_NEGATIVE = _rx(
    r"\b(?:worse|worst|bad|terrible|awful|horrible|useless|overpriced|cheap\s+copy|copycat|ridiculous|laughable|joke|inferior|fails?|failing|dying|dead|bankrupt|sinking|garbage|trash|junk|crap|rubbish|sucks?|embarrassing)\b",
    r"🤡|💩|🙄|🤮|😂|🤣|\bimagine\s+still\b|\bdeserves?\b|\bverdient\s+(?:es|haben)\b|\bselbe?r?\s+schuld\b|\bown\s+fault\b|\bhave\s+only\s+themselves\s+to\s+blame\b",
    r"\b(?:schlechter\w*|schlecht\w*|mies\w*|furchtbar\w*|grottig\w*|überteuert\w*|billig\w*|kopie|abklatsch\w*|lächerlich\w*|witz|pleite|versag\w*|müll|schrott\w*|mist|peinlich\w*|hinterher)\b",
)

# -- speaking for the company, incidents ----------------------------------------------------

_PRESS = _rx(
    r"\b\w*journalist\w*",  # also "Wirtschaftsjournalistin"
    r"\breporters?\b",
    r"\bpress\s+(?:inquir\w+|request|enquir\w+|contact|question|people)\b",
    r"\bmedia\s+(?:inquir\w+|request|enquir\w+)\b",
    r"\bbloggers?\b",
    r"\btabloid\w*",
    r"\b(?:newspaper|magazine|paper|tv|radio|zeitung|magazin|sender)\w*\s+(?:\w+\s+){0,3}(?:fragt|fragte|angerufen|ruft|will|möchte|asked|asks|called|wants|contacted|reached\s+out)\b",
    r"\btv\s+(?:station|team|crew|channel)\b",
    r"\b(?:the\s+)?press\s+(?:is|are|wants?|asked|called)\b",
    r"\b(?:asked|asking|wants?|request\w*)\s+(?:me\s+)?(?:for\s+)?(?:a|an|our|the|my)?\s*(?:official\s+)?(?:statement|comment|quote|interview)\b",
    r"\bon\s+the\s+record\b",
    r"\boff\s+the\s+record\b",
    r"\binterview\s+(?:request|with\s+(?:a|the)\s+(?:newspaper|magazine|paper|journalist))\b",
    r"\bpresseanfrage\w*",
    r"\bmedienanfrage\w*",
    r"\b\w*redaktion\w*",
    r"\bblogger\w*",
    r"\bstellungnahme\w*",
    r"\breporter\w*",
    r"\b\w*presse\b(?!\s*-?(?:kit|mitteilung|bild|foto|bereich|mappe|material|fotos|bilder))(?!\s+(?:\w+\s+){0,2}(?:noch\s+)?nicht\b)",
    r"\binterview\s*anfrage\w*",
    r"\bfernsehteam\w*",
    r"\b(?:analyst|investor|shareholder|aktionär|finanzanalyst)\w*\s+(?:\w+\s+){0,5}(?:asked|asks|wants|called|contacted|fragt|fragte|will|möchte|angerufen)\b",
)
# Creators who ask are press too, but one to clear rather than to refuse outright.
_CREATOR = _rx(
    r"\b(?:researcher|scientist|academic|professor|student|think\s+tank|analyst|consultant|forscher\w*|wissenschaftler\w*|professor\w*|student\w*|doktorand\w*|analyst\w*|berater\w*)\b.{0,60}?\b(?:asked|asks|asking|wants|emailed|contacted|messaged|fragt|fragte|will|möchte|angefragt|geschrieben|bittet)\b",
    r"\b(?:youtuber|influencer|streamer|content\s+creator|podcaster|tiktoker)\w*\b.{0,60}?\b(?:asked|asks|wants|contacted|messaged|dm'?d|fragt|fragte|will|möchte|angefragt|geschrieben)\b",
)
# Speaking for the company: a statement or position in its name.
_STATEMENT = _rx(
    r"\bon\s+behalf\s+of\s+(?:the|our|my|all)\s+(?:company|employer|firm|team|colleagues|staff|employees|workforce|department|plant|site)\b",
    r"\b(?:official|company'?s?)\s+(?:statement|position|stance|response)\b",
    r"\bspeak\w*\s+for\s+(?:the|our)\s+company\b",
    r"\b(?:our|the)\s+(?:company|firm|employer|management)\s+(?:\w+\s+)?(?:supports?|backs?|opposes?|rejects?|welcomes?|is\s+(?:for|against))\b|\b(?:unsere|die)\s+(?:firma|unternehmen|geschäftsführung)\s+(?:\w+\s+)?(?:unterstützt|befürwortet|begrüßt|lehnt|ist\s+(?:für|gegen))\b",
    r"\bim\s+namen\s+(?:der|des|unserer|unseres|meiner|meines|aller)\s+(?:firma|unternehmens|arbeitgebers|belegschaft|kolleg\w*|mitarbeit\w*|teams|abteilung|werks?|standort\w*)\b",
    r"\b(?:offizielle\w*|unsere\w*)\s+(?:stellungnahme|position|haltung)\b",
    r"\bfür\s+(?:die|das)\s+(?:firma|unternehmen)\s+sprechen\b",
    r"\bwie\s+(?:wir|die\s+firma|das\s+unternehmen)\s+(?:\w+\s+){0,3}stehen\b",
    r"\bwhere\s+(?:we|the\s+company)\s+stands?\b",
    r"\b(?:our|the)\s+(?:company|firm|employer|management|board)'?s?\s+(?:position|stance|line)\b|\b(?:sicht|meinung|position|haltung|standpunkt)\s+(?:unseres|unserer|des|der)\s+(?:unternehmens|firma|konzerns|arbeitgebers|geschäftsführung|vorstands)\b",
    r"\b(?:was|wie)\s+(?:unser|unsere|die|das)\s+(?:unternehmen|firma|konzern|geschäftsführung|vorstand)\s+(?:\w+\s+){0,5}(?:sagt|denkt|meint|steht|sieht)\b",
    r"\bwhat\s+(?:our|the)\s+(?:company|management|ceo|board)\s+(?:\w+\s+){0,4}(?:says|thinks|means|stands)\b",
    r"\b(?:warum|weshalb|wieso)\s+(?:unser|unsere|die|das)\s+(?:unternehmen|firma|konzern|geschäftsführung|vorstand)\s+(?:\w+\s+){0,5}(?:mag|will|plant|macht|tut|denkt|hält|ablehnt|unterstützt)\b",
    r"\b(?:why|how)\s+(?:our|the)\s+(?:company|firm|employer|management)\s+(?:\w+\s+){0,4}(?:likes?|dislikes?|wants?|plans?|thinks?|supports?|opposes?|hates?|is\s+against)\b",
    # Denying reports or rumours is a statement for the company.
    r"\b(?:say|tweet|post|write|claim|schreiben|sagen|posten|twittern)\s+(?:that\s+|dass\s+)?(?:\w+\s+){0,8}(?:are|is|sind|ist)\s+(?:completely\s+|totally\s+|all\s+|völlig\s+|komplett\s+|alles\s+)?(?:false|untrue|wrong|lies|not\s+true|falsch|gelogen|erfunden|unwahr)\b",
)

# Being asked to appear in public as an employee: a podcast, a panel, an
# interview, a Q&A. Not a press inquiry to refuse, but one to clear first.
_APPEARANCE_NOUNS = (
    r"(?:podcast|panel|podium\w*|diskussionsrunde|interview\w*|vortrag|talk|q\s*&\s*a|ama|livestream\w*"
    r"|stream|webinar|speaker|guest|gast|radio|tv|kamera|camera|show|befragen|befragung|masterarbeit|thesis"
    r"|session|barcamp|meetup|keynote|workshop|konferenz|conference)"
)
_APPEARANCE = _rx(
    # Someone else asks you: "asked me to join their podcast", not "asked me to post about the keynote".
    r"\b(?:invited|asked|asks|asking|wants|wanted|would\s+like)\s+(?:me|us|someone|employees|people)\s+"
    r"(?:to\s+(?:be|join|speak|talk|appear|give|do|come|present|record|sit|take\s+part|comment|answer|explain|say)\b|for|on|about|if)\b.{0,60}?\b"
    + _APPEARANCE_NOUNS,
    r"\b(?:invited|invitation)\s+(?:me\s+)?(?:to|for|on)\s+(?:a|an|their|his|her|the)?\s*(?:\w+\s+)?"
    + _APPEARANCE_NOUNS,
    r"\b(?:be\s+(?:a\s+)?guest|guest\s+on)\b",
    r"\binterview(?:ing)?\s+me\b|\bmich\s+(?:\w+\s+){0,4}(?:interviewen|befragen)\b",
    r"\b(?:survey|umfrage|studie|study|research|forschung)\w*\s+(?:\w+\s+){0,5}(?:about|on|zu|über)\s+(?:our|unser\w*)\s+(?:company|firma|unternehmen|employer|arbeitgeber)",
    r"\b(?:will|möchte|wollen|möchten)\s+(?:mit\s+)?(?:mich|mir|jemandem|uns)\b.{0,60}?" + _APPEARANCE_NOUNS,
    r"\b(?:gebeten|eingeladen|einladung|angefragt)\b.{0,80}?" + _APPEARANCE_NOUNS,
    _APPEARANCE_NOUNS + r"\b.{0,40}?\b(?:eingeladen|gebeten|angefragt)\b",
    r"\bals\s+vertreter\w*\s+(?:unseres|des|der|unserer)\b",
    r"\b(?:moderier\w*|moderate|moderating|host|hosting)\b.{0,40}?\b\w*(?:livestream|interview|panel|podcast|webinar|diskussion|q\s*&\s*a)",
    r"\b\w*(?:livestream|interview|panel|podcast|webinar)\w*\b.{0,40}?\b(?:moderier\w*|moderate|moderating|host|hosting)\b",
    r"\b(?:hat|haben)\s+mich\s+(?:\w+\s+){0,2}(?:gefragt|gebeten|eingeladen|angefragt)\b.{0,80}?\b(?:video|film|\w*video|\w*film|interview\w*|podcast|vortrag|sprechen|erzähl\w*|berichte\w*)",
    r"\basked\s+(?:me\s+)?(?:to|if|whether)\b.{0,60}?\b(?:video|film|interview|podcast|talk\s+about|speak\s+about)\b",
    r"\b(?:vortrag|talk|keynote|rede|präsentation|presentation|speech|workshop)\s+(?:\w+\s+){0,5}(?:halten|geben|give|giving|hold|deliver)\b",
    r"\b(?:give|giving|hold|deliver)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:talk|keynote|speech|presentation|lecture)\b",
    r"\bspeak(?:ing)?\s+at\s+(?:a|an|the)\b|\bauf\s+(?:einer|der)\s+(?:konferenz|veranstaltung|messe|tagung)\s+(?:\w+\s+)?sprechen\b",
    r"\b(?:represent|representing)\s+(?:the|our)\s+company\b",
)

_LEGAL = _rx(
    r"\blawsuits?\b",
    r"\bsu(?:ed|ing)\b",
    r"\bcourt\b",
    r"\blitigation\b",
    r"\blegal\s+(?:action|dispute|case|proceedings|battle)\b",
    r"\bprosecutors?\b",
    r"\bregulators?\b",
    r"\ballegations?\b",
    r"\binvestigation\b",
    r"\binvestigat\w+",
    r"\bauthorit(?:y|ies)\b|\baudit(?:ed|ing|s)?\b|\bsteuerprüfung\w*|\bbetriebsprüfung\w*|\bfinanzamt\w*",
    r"\bbehörde\w*\s+(?:ermittel|prüf)\w*",
    r"\bclass\s+action\b",
    r"\bklage\w*\b|\b(?:sammel|muster|an|kündigungsschutz)klage\w*",
    r"\bverklag\w*",
    r"\bgericht\w*",
    r"\brechtsstreit\w*",
    r"\bstaatsanwalt\w*",
    r"\bermittlung\w*",
    r"\bvorwürfe\b",
    r"\baccus(?:ation|ations|ed|ing)\b",
    r"\bgewerkschaft\w*|\b(?:labou?r|trade)\s+unions?\b|\bunion\s+(?:busting|dispute|vote|members)\b",
    r"\bvorwurf\b",
    r"\babmahnung\w*",
    r"\bbußgeld\w*",
    r"\bprozess\s+gegen\b",
    r"\banwält\w*",
    r"\banwalt\w*",
    r"\bon\s+strike\b|\bstrike\s+(?:at|by)\s+(?:our|the)\b|\b(?:warn)?streik\w*|\btarifverhandlung\w*|\btarifstreit\w*",
)
_CRISIS = _rx(
    r"\b(?:shows?|showing|displays?|displaying|exposed?|exposing|leaking|zeigt|angezeigt)\s+(?:\w+\s+){0,3}(?:other\s+(?:people|users|customers)|customers|fremde|anderer\s+kunden|fremder\s+kunden)'?s?\s+(?:\w+\s+)?(?:data|addresses|details|orders|daten|adressen|bestellungen)\b",
    r"\b(?:found|gefunden)\s+(?:\w+\s+){0,2}(?:glass|glas|metal|metall|plastic|plastik|insects?|insekten|hair|haare|fremdkörper\w*)\s+(?:in|im)\s+(?:our|their|unser\w*|dem|der|einem|einer)\b|\bfremdkörper\w*|\bforeign\s+(?:object|body)\b",
    r"\bshitstorm\w*",
    r"\bbacklash\b",
    r"\bangr(?:y|ily)\b",
    r"\bfurious\b",
    r"\bwütend\w*",
    r"\bempört\w*",
    r"\baufgebracht\w*",
    r"\boutrage\w*",
    r"\bboycott\w*",
    r"\bangry\s+(?:comments|customers|posts|tweets|people|mob)\b",
    r"\bpile-?on\b",
    r"\baccidents?\b",
    r"\bexplosion\w*",
    r"\binjur\w+",
    r"\bdied\b",
    r"\bdeaths?\b",
    r"\bfatal\w*",
    r"\bpolice\b",
    r"\bevacuat\w+",
    r"\brecalls?\b",
    r"\boutages?\b",
    r"\b(?:app|apps|site|website|server|servers|service|services|system|systems|platform|shop|portal|network|login|api|cloud|checkout|it)\s+(?:has\s+been|have\s+been|is|are|was|were|went|goes|keeps\s+going)\s+(?:\w+\s+)?down\b",
    r"\bdown\s+for\s+(?:hours|days|\d+)\b",
    r"\bnot\s+working\b",
    r"\bdata\s+(?:leak|breach)\w*",
    r"\bhack(?:ed|ers?|ing)?\b",
    r"\bsecurity\s+(?:incident|breach)\w*",
    r"\bleak(?:ed|s)?\b",
    r"\bcyber\s*attack\w*",
    r"\bransomware\b",
    r"\bfire\s+(?:at|in)\s+(?:our|the)\b",
    r"\bcrisis\b",
    r"\bscandal\w*",
    r"\bempörung\w*",
    r"\bboykott\w*",
    r"unfall\w*",
    r"unglück\w*",
    r"\bexplosion\w*",
    r"\bverletzt\w*",
    r"\btote\b",
    r"\btoten\b",
    r"\bpolizei\w*",
    r"\bfeuerwehr\w*",
    r"\bevakuier\w*",
    r"\brückruf\w*",
    r"ausfall\w*",
    r"\bausgefallen\b",
    r"störung\w*",
    r"\bfunktioniert\s+(?:seit\s+\w+\s+)?nicht\b",
    r"datenleck\w*",
    r"datenpanne\w*",
    r"hackerangriff\w*",
    r"\bgehackt\b",
    r"\bcyberangriff\w*",
    r"\bsicherheitslücke\w*",
    r"\b\w*krise\w*",
    r"\b\w*skandal\w*",
    r"\b(?:ein|der)\s+brand\s+(?:im|in|bei|auf)\b",
    r"\bbrennt\b",
    r"\bfeuer\s+(?:im|in|bei)\b",
    r"\bgeleakt\w*",
    r"\bcrash\w*",
    r"\bcollision\b",
    r"\bactivists?\b",
    r"\baktivist\w*",
    r"\ball\s+over\s+the\s+news\b",
    r"\bgas\w*\s+(?:\w+\s+)?ausgetreten\b|\bgasaustritt\w*|\bgas\s+leak\w*",
    r"\bcondolences?\b|\bbeileid\w*",
    r"\b(?:app|apps|site|website|server|servers|service|system|systems|platform|shop|portal|network|login|payment\w*|checkout|webshop|online-?shop|kasse\w*|zahlungs\w*)\s+(?:\w+\s+){0,2}(?:is|are|was|were|has\s+been|have\s+been|ist|sind|seems)\s+(?:\w+\s+)?(?:broken|kaputt|offline|unreachable|crashed|abgestürzt|nicht\s+erreichbar)\b",
    r"\b(?:broken|offline|kaputt)\s+since\b|\bseit\s+\w+\s+(?:\w+\s+)?(?:kaputt|offline|down|nicht\s+erreichbar)\b",
    r"\bviral\b.{0,80}?\b(?:kritik\w*|zerreißt|zerreissen|verreißt|beschwer\w*|negativ\w*|slam\w*|bash\w*|mock\w*|rant\w*|complain\w*|critic\w*|accus\w*|vorw[uü]rf\w*)",
    r"\b(?:kritik\w*|beschwer\w*|negativ\w*|rant\w*|complain\w*|critic\w*|accus\w*)\b.{0,80}?\b(?:viral|trending|trendet)\b",
    r"\b(?:defend|verteidig\w*)\s+(?:us|the\s+company|our\s+company|uns|die\s+firma|das\s+unternehmen|unser\s+unternehmen)\b",
    r"\bspill\w*|\bchemical\s+(?:leak|spill|incident|accident)|\btoxic\b|\bcontaminat\w*|\bverseuch\w*|\bgiftig\w*|\bchemikalien\w*",
    r"\binsolven\w*|\bbankruptcy\b",
    r"\bblowing\s+up\b|\b(?:goes|going|went)\s+viral\b|\bgeht\s+(?:gerade\s+)?(?:rum|herum|viral|durchs\s+netz)\b|\bmacht\s+(?:gerade\s+)?die\s+runde\b|\b(?:going|doing\s+the)\s+(?:around|rounds)\b",
    r"\b(?:rats?|ratten?|mäuse|mice|cockroach\w*|kakerlak\w*|schimmel\w*|mou?ld|food\s+poisoning|lebensmittelvergiftung\w*|salmonell\w*|hygiene\w*)\b",
    r"\b(?:angefahren|überfahren|zusammengestoßen|run\s+over|ran\s+over|hit\s+(?:a|an)\s+(?:cyclist|pedestrian|child|kid))\b",
    r"\b\w*?(?:portal|app|website|webseite|webshop|shop|server|system|plattform|platform|login|dienst|netz)\w*\s+(?:\w+\s+){0,2}(?:offline|down|nicht\s+erreichbar|kaputt|gestört|ausgefallen|unreachable)\b",
    r"\b(?:offline|down)\s+(?:since|seit)\b",
    r"\bdefac(?:ed|ing|ement)\b|\bhijack\w*|\bgekapert\b|\bcompromised\b|\bkompromittiert\w*",
    r"\b(?:negative|critical|bad|damning|unflattering|kritisch\w*|negativ\w*)\s+(?:\w+\s+){0,2}(?:press|article|report|coverage|story|news|headlines?|bericht\w*|artikel|presse|schlagzeile\w*|berichterstattung|zeitungsbericht\w*)",
    r"\bphishing\w*|\bscam\s+(?:e-?mails?|calls?|messages?)\b|\bbetrügerische\w*\s+(?:mails?|anrufe|nachrichten)",
    r"\b(?:defective|faulty)\b|\bsafety\s+(?:issue|problem|concern|defect)s?\b|\bdefekt\w*|\bsicherheitsmängel\w*|\bsicherheitsproblem\w*|\bmängel\b",
    r"\breview\s*-?bomb\w*|\b(?:flood|wave|lots|dozens|hundreds)\s+of\s+(?:1|one)[-\s]?star\b|\b(?:lauter|massenhaft|viele)\s+(?:1|ein)[-\s]?stern",
    r"\b(?:people|everyone|users|customers|leute|alle|kunden)\s+(?:are\s+|sind\s+)?(?:sharing|spreading|posting|retweeting|teilen|verbreiten)\b.{0,60}?\b(?:about\s+us|from\s+our|of\s+our|über\s+uns|von\s+uns|unser\w*)",
    r"\b(?:supposedly|allegedly|angeblich|vermeintlich)\s+(?:\w+\s+){0,2}(?:from|by|von)\s+(?:our|us|uns|unserem|unserer)\b",
)

# -- manipulation ------------------------------------------------------------------

_OBLIGATION = _rx(
    r"\b(?:do|must)\s+(?:i|we)\s+(?:have\s+to|need\s+to)?\s*(?:share|post|like|take\s+part|participate|join)\b",
    r"\b(?:have|has|need)\s+to\s+(?:share|post|like|take\s+part)\b",
    r"\b(?:mandatory|obligat\w+|required|forced|pressure\w*|expected)\b",
    r"\b(?:muss|müssen|musst)\s+(?:\w+\s+){0,6}(?:teilen|posten|liken|mitmachen)\b",
    r"\b(?:pflicht\w*|verpflichte\w*|gezwungen|druck|erwartet|zwang)\b",
    r"\bperformance\s+review\b",
    r"\bnachteil\w*",
    r"\bdisadvantage\w*",
    r"\b(?:leave|quit|opt\s+out\s+of|stop)\s+(?:the\s+)?(?:ambassador\s+)?program\w*",
    r"\b(?:austreten|aussteigen|abmelden)\b",
    r"\bkeine\s+lust\b",
    r"\bnicht\s+mehr\s+(?:\w+\s+){0,3}(?:teilen|posten|mitmachen|liken)\b",
    r"\b(?:don'?t|do\s+not)\s+(?:want|feel\s+like)\s+to\s+(?:share|post|take\s+part)\b",
    r"\bstop\s+(?:sharing|posting)\b",
    r"\bmelde\s+ich\s+mich\s+ab\b",
    r"\bkeine[n]?\s+bock\b",
    r"\b(?:yearly|annual|personal|my)\s+(?:goals|objectives|targets|kpis?)\b",
    r"\bzielvereinbarung\w*|\bjahresziel\w*",
    r"\bwho\s+(?:shared|posted|liked|reposted)\b.{0,40}?\bwho\s+(?:didn'?t|did\s+not|hasn'?t|has\s+not)\b",
    r"\bwer\s+(?:\w+\s+){0,4}(?:geteilt|gepostet|geliked|gelikt)\s+hat\b",
    r"\bhold\s+(?:it|that|this)\s+against\b",
    r"\bwie\s+komme?\s+ich\s+(?:da\s+)?raus\b",
    r"\b(?:von|aus)\s+der\s+liste\b",
    r"\btake\s+me\s+off\b",
    r"\bwithout\s+(?:ever\s+)?(?:sharing|posting|liking)\b|\b(?:only|just)\s+read\b|\bnur\s+(?:mit)?lesen\b|\bohne\s+(?:selbst\s+)?(?:etwas\s+)?zu\s+teilen\b",
    r"\b(?:teilen|posten)\s+aufhören\b|\baufhören\s+(?:zu\s+)?(?:teilen|posten)\b|\bhör\w*\s+(?:\w+\s+)?(?:mit\s+dem\s+)?(?:teilen|posten)\s+auf\b",
    r"\bwer\s+wie\s+oft\b|\bwho\s+shares\s+how\s+often\b|\bhow\s+often\s+(?:i|we|people|everyone)\s+(?:share|post)\b",
    r"\bexpected\s+to\s+(?:post|share|like)\b|\beveryone\s+(?:is\s+)?(?:expected|supposed)\b",
    r"\b(?:prove|proving|proof)\b|\bnachweis\w*|\bbeweis(?:en|t)\b",
    r"\b(?:say\s+no|refuse|decline|ablehnen|nein\s+sagen)\b",
    r"\bzwing\w*|\bforc(?:e|es|ing)\s+(?:me|us|people|employees|anyone)\b",
    r"\b(?:who|wer|die)\s+(?:\w+\s+){0,3}(?:posts?|shares?|teilen|teilt|posten|postet)\s+(?:a\s+lot|more|the\s+most|most|viel|mehr|am\s+meisten)\b",
    r"\b(?:better|bessere\w*)\s+(?:projects|projekte|reviews|beurteilung\w*|chancen|chances|bonus\w*|assignments)\b",
    r"\b(?:poste|teile|share|post|posting|sharing)\s+(?:\w+\s+){0,4}(?:nichts|nie|never|nothing|kaum|rarely)\b|\b(?:nichts|nie|never|nothing|kaum)\s+(?:\w+\s+){0,2}(?:posten|poste|teilen|teile|share|post)\b",
    r"\bprivat\s+(?:lassen|halten|bleiben)\b|\bkeep\s+(?:it|my\s+\w+)\s+private\b|\bbin\s+ich\s+(?:dann\s+)?raus\b|\b(?:am\s+i|will\s+i\s+be)\s+(?:out|kicked\s+out|removed)\b",
)
_POLITICS = _rx(
    r"\b\w*politi\w*",  # also "Lokalpolitiker", "Parteipolitik"
    r"\belection\w*",
    r"\bparty\s+(?:politics|program|leader)\b",
    r"\b(?:left|right)-wing\b",
    r"\bvote\s+for\b",
    r"\bpartei\w*",
    r"\bwahlkampf\w*",
    r"\bwahlen\b",
    r"\bbundestag\w*",
    r"\b(?:afd|cdu|csu|spd|fdp|grüne[nn]?|linke|democrats?|republicans?|tories)\b|(?<!child\s)(?<!forced\s)\blabour\b(?!\s+(?:law|laws|market|costs?|shortage))",
    r"\bdemonstration\w*|\b\w+demo\b|\b\w*demos\b",
    r"\bprotest\w*",
    r"\bgovernment\b",
    r"\bregierung\w*",
    r"\b(?:minister|kanzler|chancellor|president|präsident)\w*\b",
    r"\bparliament\w*|\bparlament\w*",
    r"\breferendum\b|\bpetition\w*|\bimmigration\b|\bzuwanderung\w*|\bmigration\w*",
    r"\b(?:der|die|zur|nach\s+der|vor\s+der)\s+wahl\b",
    r"\bvoters?\b|\bwähler\w*",
    r"\b(?:nahost\w*|krieg\w*|israel\w*|gaza|palästin\w*|palestin\w*|ukrain\w*|russland|russia|abtreibung\w*|abortion|gun\s+control|immigration\s+polic\w*|migrationspolitik|klimapolitik|gendern|gender\s+debate)\b",
)
# The company's own logo or brand changed: new colours, a meme, a montage ("our logo in rainbow colours").
_ALTERED_BRAND = _rx(
    r"\b(?:our|the\s+company'?s|company|unser\w*|firmen)[-\s]?(?:logo|brand\s+mark|wordmark|markenzeichen)\w*\b.{0,50}?"
    r"\b(?:colou?rs?|rainbow|montage|collage|photoshop\w*|edit\w*|alter\w*|chang\w*|redesign\w*|remix\w*|mash-?up|"
    r"farben|regenbogen\w*|verändert|veränder\w*|bearbeit\w*|umgestalt\w*|umgefärbt|eingefärbt|verfremd\w*|fotomontage)\b",
    r"\b(?:montage|collage|mash-?up|fotomontage|remix|photoshopp?ed)\w*\b.{0,50}?\b(?:our|the\s+company'?s|unser\w*|firmen)[-\s]?(?:logo|markenzeichen)\w*\b",
    r"\b(?:firmenlogo|unternehmenslogo|konzernlogo)\w*\b.{0,50}?\b(?:farben|regenbogen\w*|veränder\w*|bearbeit\w*|umgestalt\w*|eingefärbt|verfremd\w*)\b",
)
# A harm the company's product or people are blamed for, spreading in public: a crisis in the making
# even where no incident word stands ("a kid getting hurt by one of our scooters has two million
# views", "Herzrasen von unserem Energydrink, das Video geht durch die Decke"). All three must be there.
_HARM = _rx(
    r"\b(?:hurt|harmed|injur\w*|bleed\w*|burn(?:ed|t|s|ing)?|melt(?:ed|s|ing)?|explod\w*|sick|ill|poison\w*|allerg\w*|rash\w*|"
    r"palpitations|heart\s+(?:racing|problems)|choked|choking|cut\s+(?:himself|herself|themselves)|mocking|ridicul\w*|accus\w*|"
    r"speeding|drunk|rude|racist|sexist|abus\w*|yell\w*|shout\w*|smok(?:e|es|ed|ing)|on\s+fire|caught\s+fire)\b",
    r"\b(?:verletz\w*|verbrannt|verbrüht|geschmolzen|geschmort|explodiert|krank|übel|übelkeit|vergift\w*|allergi\w*|ausschlag|"
    r"herzrasen|herzprobleme|erstickt|blutet\w*|geschnitten|verspott\w*|lachen\s+über|beschuldig\w*|vorgeworfen|"
    r"qualm\w*|raucht\w*|brannte|rast|raste|rasen|betrunken|unhöflich|rassistisch\w*|sexistisch\w*|pöbel\w*|angeschrien|anschreit)\b",
)
_SPREAD = _rx(
    r"\b(?:viral|trending|went\s+round|going\s+(?:a)?round|doing\s+the\s+rounds|circulat\w*|geht\s+(?:gerade\s+)?(?:rum|herum|viral)|kursiert|all\s+over\s+(?:reddit|twitter|x|tiktok|instagram|facebook|social\s+media|the\s+internet|the\s+news)|"
    r"half\s+(?:of\s+)?(?:twitter|the\s+internet|tiktok|linkedin)|keep\s+(?:tagging|sharing|commenting|posting)|shared\s+\w+\s+times|"
    r"(?:\d[\d.,]*\s*(?:thousand|million|k|m)?|(?:a|two|three|several|hundreds\s+of)\s+(?:thousand|million))\s*(?:views|shares|likes|comments|retweets)|"
    r"durch\s+die\s+decke|macht\s+die\s+runde|verbreitet\s+sich|tausendfach|millionenfach|"
    r"(?:\d[\d.,]*|zwei|drei|tausende|hunderte)\s+(?:tausend|millionen|mio\.?)?\s*(?:aufrufe|klicks|views|likes|kommentare|shares))\b",
)
_OURS = _rx(r"\b(?:our|ours|us|unser\w*|uns)\b")
# Someone from the press or media asking the person for words: the press word is then an inquiry.
_ASKS_FOR_WORDS = _rx(
    r"\b(?:wants?|wanted|asked|asks|asking|called|rang|emailed|e-mailed|texted|contacted|reached\s+out)\b.{0,40}?"
    r"\b(?:me|my\s+desk|from\s+me|a\s+quote|a\s+comment|a\s+statement|sentences?|words|an\s+interview)\b",
    r"\b(?:möchte|will|wollte|fragt|fragte|bittet|bat)\b.{0,40}?\b(?:von\s+mir|ein\s+zitat|eine[n]?\s+(?:kommentar|stellungnahme|einschätzung|satz)|sätze|ein\s+interview)\b",
    r"\bhat\s+mich\s+(?:\w+\s+){0,2}(?:angerufen|gefragt|angeschrieben|kontaktiert)\b",
)
_COMPANY_LINK = _rx(
    r"\b(?:company|corporate|our)\s+(?:hashtag|logo|name|account|page|channel)\b",
    r"\bon\s+behalf\s+of\b",
    r"\bin\s+the\s+(?:company|firm)'?s?\s+name\b",
    r"\bfirmen-?(?:hashtag|logo|name|account|seite|kanal)\w*",
    r"\bim\s+namen\s+(?:der|des|unserer|unseres)\b",
    r"\bunser\w*\s+(?:logo|hashtag)\b",
)

# Creating, naming or branding an account, page, group or channel for the company.
_ACCOUNT_THING = (
    r"(?:accounts?|pages?|channels?|groups?|boards?|servers?|communit\w*|newsletters?|podcasts?|blogs?|websites?|domains?"
    r"|handles?|profiles?|konto|konten|seiten?|kanal|kanäle|gruppen?|profile?|communitys?|auftritt\w*|fanseite\w*|fanpage\w*)"
)
_DE_CREATE = (
    r"(?:anlegen|angelegt|erstellen|erstellt|erstelle|gründen|gegründet|gründe|einrichten|eingerichtet|eröffnen|eröffnet|registrier\w*"
    r"|starten|gestartet|aufmachen|aufgemacht|aufbauen|aufgebaut|betreib\w*)"
)
_ACCOUNT = _rx(
    r"\b(?:create|creating|created|make|making|made|set\s+up|setting\s+up|start|starting|started|open|opening|opened|launch\w*|run|running|register\w*|buy|buying|bought)"
    r"\s+(?:a|an|the|our|my|its\s+own|own|a\s+separate|a\s+new|a\s+shared|an\s+official|an\s+unofficial)\s+(?:\w+\s+){0,2}"
    + _ACCOUNT_THING
    + r"\b",
    # German puts the participle last: "einen Instagram-Account ... erstellt", or first: "erstelle einen Kanal".
    _ACCOUNT_THING + r"\b(?:\W+\w+){0,6}?\W+" + _DE_CREATE + r"\b",
    r"\b" + _DE_CREATE + r"(?:\W+\w+){0,3}?\W+\w*" + _ACCOUNT_THING + r"\b",
    r"\b(?:heißen|heißt|benenn\w*|umbenenn\w*|renam\w*|naming|wiederbeleb\w*|reaktivier\w*|revive|reviving|reactivat\w*|relaunch\w*)\b",
    r"\b(?:called|named|call\s+it|name\s+it|genannt|namens|nennen)\s+(?:it\s+)?[\"'„“‚‘]?(?:\w+\s+){0,2}(?:official|offiziell\w*|company|firmen\w*)",
    r"\b(?:call|calling|name|naming)\s+myself\b|\bmich\s+(?:\w+\s+)?(?:nennen|nenne|bezeichnen)\b",
    r"\b(?:fake|impersonat\w*|not\s+ours|unofficial|inoffiziell\w*|gefälscht\w*|nicht\s+von\s+uns)\b",
    r"\b(?:give|giving|get|getting|have|want)\s+(?:\w+\s+){0,3}(?:its|their|our|his|her)\s+own\s+(?:\w+\s+)?" + _ACCOUNT_THING + r"\b",
    r"\b(?:headline|tagline|job\s+title|display\s+name|profile\s+name|bio|berufsbezeichnung|profiltext|titel|überschrift|slogan)\b.{0,40}?\b(?:official|offiziell\w*)",
)
_ACCOUNT_CONTEXT = _rx(_ACCOUNT_THING, r"\b(?:instagram|tiktok|linkedin|xing|facebook|youtube|x|twitter|discord|telegram|whatsapp|pinterest|mastodon|substack)\b")
_COMPANY_WORD = _rx(
    r"\b(?:company|corporate|brand|official|our|team|department|site|product|firm|employer|business|logo)\b",
    r"\b(?:firm\w*|unternehmen\w*|marke\w*|offiziell\w*|unser\w*|team\w*|abteilung\w*|standort\w*|produkt\w*|logo\w*|azubi\w*)\b",
)
# Time-consuming activity: hours or days, whole afternoons, instead of the job.
_TIME_EFFORT = _rx(
    r"\b(?:\d+|two|three|four|five|several|a\s+few|many|zwei|drei|vier|fünf|ein\s+paar|mehrere|viele)\s+(?:hours|days|afternoons|weeks|stunden|tage|nachmittage|wochen)\b",
    r"\b(?:whole|entire|all|full|ganze[nmrs]?|vollen|halbe[nmrs]?)\s+(?:\w+\s+)?(?:day|days|afternoon|morning|week|tag|tage|nachmittag|vormittag|woche)\b",
    r"\b(?:every|each|jeden|jede)\s+(?:day|friday|monday|week|tag|freitag|montag|woche)\b.{0,40}?\b(?:hours?|stunden?|afternoons?|nachmittag\w*)\b",
    r"\binstead\s+of\s+(?:my\s+|doing\s+my\s+)?(?:work|job|tasks|regular)\b|\bstatt\s+(?:zu\s+arbeiten|meiner\s+arbeit|meiner\s+aufgaben)\b",
    r"\bvon\s+morgens\s+bis\s+abends\b|\bfrom\s+morning\s+(?:to|till|until)\s+(?:night|evening)\b|\bstatt\s+(?:\w+\s+){0,4}(?:zu\s+)?(?:helfen|arbeiten|betreuen)\b|\binstead\s+of\s+(?:helping|working|staffing|manning)\b",
    r"\b(?:dauert|takes?|took)\s+(?:\w+\s+){0,2}(?:days|tage|hours|stunden|weeks|wochen)\b",
    r"\b(?:\d+|ein|zwei|drei|vier|fünf|mehr|halb|ganz)[-\s]?(?:stündig|tägig|wöchig)\w*|\b(?:\d+|two|three|four|five|multi)[-\s](?:hour|day|week)\b",
    # Producing a series of one's own: a podcast, a vlog, a video series, a channel's episodes.
    r"\b(?:podcast\w*|videoserie\w*|video\s+series|vlog\w*|folge\w*|episode\w*)\b.{0,60}?\b(?:aufnehmen|aufzunehmen|aufnimmt|produzieren|produziere|drehen|moderieren|record\w*|produc\w*|host\w*|film\w*)\b",
    r"\b(?:record\w*|produc\w*|host\w*|start\w*|launch\w*|run\w*)\s+(?:a|an|my|our|the)\s+(?:own\s+|weekly\s+|monthly\s+|regular\s+)*(?:podcast|vlog|video\s+series|youtube\s+(?:channel|series))\b",
    r"\b(?:wöchentlich\w*|jede\s+woche|monatlich\w*|weekly|every\s+week|monthly)\b.{0,40}?\b(?:podcast|vlog|video\w*|folge|episode)\w*",
)

# Hiding that you work here, or that you were paid or given something.
_UNDISCLOSED = _rx(
    r"\bwithout\s+(?:\w+\s+){0,2}(?:mentioning|saying|disclosing|telling|revealing|stating|admitting)\s+(?:that\s+|where\s+|who\s+)?"
    r"(?:i|i'm|we|my|our|it|this|the\s+(?:gift|sponsor\w*|payment|ticket|deal))\b",
    r"\bpretend(?:ing)?\s+to\s+be\s+(?:a|an)\s+(?:\w+\s+)?(?:customer|user|client|buyer|fan|former\s+employee|ex-employee|stranger|outsider)\b",
    r"\bposing\s+as\b",
    r"\b(?:looks?|looking|seems?|appears?)\s+like\s+(?:a|an|just\s+a)\s+(?:normal|regular|random|ordinary|independent|neutral|real|happy)\b|\bwie\s+(?:ein|eine)\s+(?:normale[rn]?|ganz\s+normale[rn]?|unabhängige[rn]?|echte[rn]?)\s+\w+",
    r"\b(?:as|like)\s+(?:a|an|just\s+a)\s+(?:normal|regular|random|ordinary)\s+(?:mum|mom|dad|parent|mother|father|fan|gamer|consumer|shopper|patient|guest|reader)\b",
    r"\b(?:fake|false|made-up)\s+(?:name|identity)\b|\bpseudonym\w*|\binkognito\b|\bincognito\b|\bastroturf\w*",
    r"\bunter\s+(?:falschem|fremdem|einem\s+anderen)\s+namen\b",
    r"\b(?:as|like)\s+(?:a|an)\s+(?:neutral|normal|random|regular|independent|ordinary)\s+(?:\w+\s+)?(?:person|user|customer|buyer|observer|guy|outsider)\b|\bacting\s+like\s+(?:a|an)\b",
    r"\bals\s+(?:neutrale[rn]?|normale[rn]?|unabhängige[rn]?|unbeteiligte[rn]?)\s+(?:\w+\s+)?(?:person|nutzer\w*|kunde\w*|käufer\w*|beobachter\w*)",
    r"\bsock\s*puppets?\b",
    r"\b(?:second|anonymous|burner)\s+(?:account|profile)\b",
    r"\banonymous(?:ly)?\b.{0,40}?\b(?:review|rating|rate|stars|praise)\w*",
    r"\b(?:review|rate|praise)\w*\b.{0,40}?\banonymous(?:ly)?\b",
    r"\bohne\s+(?:\w+\s+){0,3}(?:zu\s+)?(?:erwähnen|sagen|angeben|kennzeichnen|offenlegen|verraten|hinzuweisen)\b",
    r"\bohne\s+(?:\w+\s+){0,3}(?:da(?:zu|bei|rauf)?zu|anzu|hinzu|offenzu)(?:schreiben|sagen|geben|legen|weisen|erwähnen)\b",
    r"\b(?:nicht|lieber\s+nicht)\s+(?:\w+\s+)?erwähnen\b",
    r"\bverschweig\w*",
    r"\bals\s+(?:\w+\s+)?(?:kunde|kundin|käufer\w*|nutzer\w*|außenstehende\w*|ehemalige\w*)\s+ausgeben\b",
    r"\bzweit(?:account|konto|profil)\w*",
    r"\banonym\w*\b.{0,40}?(?:bewert|rezension|sterne)\w*",
)

# Something given for a post or a recommendation: a gift, a free ticket, a stay.
_GIFT = _rx(
    r"\b(?:sent|gave|given|offered|gifted|sponsored|paid\s+for|comped|bought|lent|loaned)\s+(?:me|us|our\s+team|my\s+team|the\s+team)\b",
    r"\b(?:free|complimentary)\s+(?:\w+\s+){0,2}(?:machine|device|product|bike|car|subscription|licen[cs]e|voucher|bottle|box|package|kit|pass|weekend|holiday|membership)s?\b",
    r"\b(?:pay|pays|paid|paying|bezahl\w*|vergüt\w*)\s+(?:me|us|mich|mir|uns)\b|\b(?:affiliate|referral\s+(?:code|link)|rabattcode\w*|discount\s+code|provision\w*|commission)\b",
    r"\b(?:free|complimentary)\s+(?:\w+\s+)?(?:ticket|trip|stay|product|sample|phone|laptop|gift|hotel|dinner|meal|night|upgrade)s?\b",
    r"\b(?:bietet|bot|schickt\w*|schenkt\w*|spendiert\w*|zahlt\w*)\s+mir\b|\bmir\s+(?:\w+\s+){0,4}(?:geschenkt|geschickt|spendiert|angeboten|bezahlt)\b",
    r"\b(?:kostenlos\w*|gratis|umsonst|gesponsert\w*)[\s-]+(?:\w+\s+)?(?:ticket|reise|übernachtung|produkt|gerät|handy|laptop|abendessen|karte|probe|muster|paket|abo)\w*",
    r"\b(?:gratis|kostenlos|geschenk|werbe)(?:produkt|probe|muster|paket|gerät|ticket|abo)\w*",
    r"\b(?:got|received|get|getting|bekommen|bekam|erhalten|kriege|kriegen|gekriegt)\b.{0,40}?\b(?:for\s+free|free\s+of\s+charge|gratis|kostenlos|umsonst|geschenkt)\b",
    r"\b(?:for\s+free|free\s+of\s+charge|gratis|kostenlos|umsonst|geschenkt)\b.{0,40}?\b(?:got|received|bekommen|bekam|erhalten|gekriegt)\b",
)
# Given in return for a post: "if I post a photo", "wenn ich darüber poste".
_FOR_POST = _rx(
    r"\b(?:if|when|in\s+exchange|in\s+return|provided)\s+(?:\w+\s+){0,3}(?:i|we)\s+(?:\w+\s+){0,2}(?:post|share|mention|tag|recommend|review)\w*\b",
    r"\b(?:wenn|falls|sofern|dafür\s+dass)\s+(?:\w+\s+){0,2}(?:ich|wir)\s+(?:\w+\s+){0,6}(?:poste|posten|teile|teilen|erwähne|erwähnen|empfehle|empfehlen|verlinke|markiere)\b|\bals\s+gegenleistung\b",
    # "soll dafür posten", "want me to post about it": a post asked for in return.
    r"\b(?:soll|sollen|solle|muss|müssen|darf)\s+(?:ich\s+|wir\s+)?dafür\s+(?:\w+\s+){0,4}(?:posten|teilen|werben|schreiben|erwähnen|empfehlen|bewerten|markieren)\b",
    r"\b(?:want|wants|wanted|asked|asks|expect|expects)\s+(?:me|us)\s+to\s+(?:\w+\s+)?(?:post|share|review|mention|tag|recommend|promote)\w*\b",
)
_GIVER = _rx(
    r"\b(?:supplier|vendor|partner|agency|brand|hotel|company|firm|startup|manufacturer|lieferant\w*|anbieter\w*|partner\w*|agentur\w*|hersteller\w*|hotel\w*|marke\w*|firma|unternehmen)\b"
)

# When: during working hours, a break, the office or home office. A cue for the working-time topic.
_WORK_HOURS = _rx(
    r"\b(?:zwischen|between)\s+(?:zwei\s+|two\s+)?(?:\w+)?(?:terminen|meetings|calls|appointments|besprechungen|kundenterminen|calls)\b",
    r"\b(?:while|during|in)\s+(?:sitting\s+in\s+)?(?:a|an|the|my|our)\s+(?:\w+\s+)?(?:webinar|meeting|call|training|workshop|schulung|besprechung|sitzung)\b",
    r"\b(?:each|every)\s+(?:morning|day|afternoon|evening)\b|\bjeden\s+(?:morgen|tag|nachmittag)\b|\bafter\s+(?:my|the|our)\s+(?:stand-?up|daily|meeting)\b|\bbefore\s+(?:i|we)\s+(?:start|begin)\b|\bbevor\s+ich\s+(?:\w+\s+){0,2}(?:anfange|loslege|beginne)\b|\b\d+\s+(?:minutes|minuten|min)\b",
    r"\b(?:during|in|at|on)\s+(?:my\s+|the\s+|our\s+)?(?:working\s+hours|work\s+hours|office\s+hours|work\s+time|working\s+time|the\s+workday|my\s+shift|lunch\s+break|coffee\s+break|break)\b",
    r"\bat\s+(?:work|the\s+office|my\s+desk)\b|\bon\s+the\s+clock\b|\bbetween\s+(?:meetings|tasks)\b|\bhome\s*office\b|\bfrom\s+home\b",
    r"\b(?:während|in)\s+(?:der|meiner|einer|unserer)\s+(?:arbeitszeit|arbeit|dienstzeit|schicht|pause|mittagspause|besprechung)\b",
    r"\b(?:mittagspause|kaffeepause|arbeitszeit\w*|dienstzeit|homeoffice|feierabend)\b|\bim\s+(?:büro|dienst|homeoffice)\b|\bbei\s+der\s+arbeit\b",
)

# The small things ambassadors do during the day.
_LIGHT_ACTIVITY = _rx(
    r"\b(?:shar\w*|like|likes|liking|liked|comment\w*|repost\w*|reshar\w*|retweet\w*|upvot\w*|react\w*|teil\w*|lik\w*|kommentier\w*|weiterleit\w*|scroll\w*)\b"
)

# Leaving the company or a role, or asking who owns contacts: the contacts topic.
_OWNERSHIP = _rx(
    r"\b(?:when|if|after|before|once)\s+i\s+(?:leave|quit|resign|retire|change\s+jobs?|move\s+on)\b(?!\s+the\s+(?:ambassador\s+)?(?:program\w*|group|chat|channel|community))",
    r"\bleav(?:e|ing)\s+(?:the|this|our)\s+(?:company|firm|employer)\b",
    r"\bleft\s+(?:us\b|the\s+company\b|in\s+\w+|last\s+\w+)",
    r"\b(?:former|ex-?)\s*(?:colleague|employee|manager|coworker|co-worker|staff|team\s*mate)\w*",
    r"\bleavers?\b",
    r"\bnotice\s+period\b",
    r"\blast\s+(?:working\s+)?day\b",
    r"\bmoving\s+to\s+(?:a\s+)?(?:competitor|new\s+(?:job|employer|company))",
    r"\bchang(?:e|ing)\s+jobs?\b",
    r"\bretir(?:e|es|ing|ement)\b",
    r"\boffboarding\b",
    r"\b(?:firma|unternehmen|arbeitgeber)\s+verlass\w*|\bverlasse\s+(?:die|das|den)\s+(?:firma|unternehmen|arbeitgeber)\b",
    r"\bjobwechsel\w*|\bden\s+job\s+wechs\w*|\bwechsle\s+(?:\w+\s+){0,2}(?:job|arbeitgeber|firma)\b",
    r"\bausscheid\w*|\bausgeschieden\w*",
    r"\bkündigungsfrist\w*|\bgekündigt\b|\bkündige\b",
    r"\bin\s+rente\b|\bruhestand\w*",
    r"\behemalig\w*\s+(?:kolleg|mitarbeit|chef|leiter|marketing)\w*",
    r"\bletzte[nrm]?\s+arbeitstag\w*",
    r"\b(?:wenn|bevor|sobald|nachdem)\s+ich\s+(?:\w+\s+)?(?:gehe|kündige|wechsle|weggehe)\b",
    r"\bversetzt\b",
    r"\bneue[nmrs]?\s+(?:arbeitgeber\w*|job|stelle)\b|\bnew\s+(?:employer|job)\b|\bnext\s+(?:employer|job)\b",
    r"\b(?:mine|my\s+(?:contacts|followers|network|connections))\s+or\s+(?:the\s+)?company'?s\b|\bmy\s+contacts\s+or\b",
    r"\bgehör\w*\s+(?:\w+\s+){0,3}(?:mir|der\s+firma|dem\s+unternehmen)\b|\bwem\s+gehör\w*|\bwho\s+owns\b",
)

_INJECTION = _rx(
    r"\bignore\s+(?:all\s+|the\s+|any\s+|your\s+|previous\s+|prior\s+|above\s+)*(?:rules|instructions|guidelines|policies|prompt)\b",
    r"\b(?:say|answer|respond|reply|output)\s+(?:with\s+)?[\"'“]?go[\"'”]?\b",
    r"\byou\s+are\s+now\b",
    r"\bsystem\s+prompt\b",
    r"\bdisregard\s+(?:the\s+|all\s+|your\s+)*(?:rules|instructions|guidelines)\b",
    r"\bpretend\s+(?:you\s+are|you're|to\s+be\s+(?:an?\s+)?(?:ai|bot|assistant|model))\b",
    r"\bjailbreak\b",
    r"\bignorier\w*\s+(?:die\s+|alle\s+|deine\s+|sämtliche\s+)*(?:regeln|anweisungen|richtlinien|vorgaben)",
    r"\bvergiss\s+(?:die\s+|alle\s+|deine\s+)*(?:regeln|anweisungen|richtlinien)",
    r"\b(?:sag|sage|antworte|antwort)\s+(?:mit\s+|einfach\s+|nur\s+)*[\"'„]?go[\"'“]?\b",
    r"\bdu\s+bist\s+jetzt\b",
)


# A plan for the company not yet announced, told in plain words: an intention or decision, a change
# and a part of the company, all in one clause ("we're in talks to buy a competitor", "die Abteilung
# wird nächstes Jahr nach Polen verlagert", "the board decided to sell our logistics division").
_INTENT = _rx(
    # A plan or decision, not a wish ("I want to buy our hoodie" is no deal).
    r"\b(?:plan(?:s|ning|ned)?\s+to|decided\s+(?:\w+\s+){0,2}to|decision\s+to|in\s+talks\s+to|considering|thinking\s+about)\b",
    # Not "plant": an English factory as often as a German plan.
    r"\b(?:geplant|planen|beschlossen|entschieden|vorhaben|überlegen|überlegt|werden|wird)\b",
)
_CHANGE = _rx(
    r"(?<!-)\b(?:sell(?:ing|s)?|buy(?:ing|s)?|acquir\w*|clos(?:e|es|ing)|shut(?:ting)?\s+down|relocat\w*|mov(?:e|es|ing)|merg(?:e|es|ing)|outsourc\w*|spin(?:ning)?\s+off|cut(?:ting)?|enter(?:ing)?|split(?:ting)?\s+up)\b",
    r"\b(?:verlager\w*|verleg\w*|schließ\w*|schliess\w*|dichtmach\w*|verkauf\w*|kaufen|gekauft|übernehm\w*|abbau\w*|abgebaut|streich\w*|gestrichen|auslager\w*|zusammengelegt|zusammenleg\w*|fusionier\w*|aufgelöst|auflösen|umzieh\w*|eintreten|expandier\w*)",
)
_ORG_PART = _rx(
    r"\b(?:division|department|business\s+unit|unit|plant|site|office|factory|warehouse|company|competitor|subsidiary|branch|location|markets?|production|headquarters|hq|team)\b",
    r"\b(?:abteilung\w*|sparte\w*|geschäftsbereich\w*|bereich|werk|werke|standort\w*|büro\w*|firma|wettbewerber\w*|konkurrent\w*|filiale\w*|tochter\w*|niederlassung\w*|märkte|markt|produktion|zentrale|hauptsitz|team)\b",
)


# -- outside the guidelines -------------------------------------------------------
# Whether a message is about posting at all: words for posting, sharing, writing or saying
# something in public, for pictures, drafts and replies, for the program, accounts and contacts;
# and the platforms. A message with none of them and no finding ("wie beantrage ich Urlaub?",
# "how do I reset my VPN token?") is a question the guidelines are not about.
_POSTING = _rx(
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
_HELP = _rx(
    r"\b(?:who\s+(?:can|do\s+i|should\s+i)|whom\s+(?:do|should)\s+i|how\s+do\s+i|where\s+do\s+i|what\s+(?:do|should)\s+i\s+do)\b",
    r"\b(?:an\s+wen|wen\s+(?:frage|kontaktiere)|wie\s+(?:beantrage|melde|bekomme|finde|buche|mache)|wo\s+(?:finde|bekomme|beantrage)|was\s+(?:mache|tue|soll)\s+ich)\b",
)
# One's own computer, phone or desktop program: when it crashes, that is a matter for the IT
# service desk, not a crisis of the company ("Outlook keeps crashing", "mein Laptop ist abgestürzt").
_OWN_DEVICE = _rx(
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


_NO_WORD = re.compile(r"\w{41,}")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_REPEATED_WORD = re.compile(r"\b(\w+)(?:\W{1,3}\1\b)+")


def _condense(text: str) -> str:
    """The same findings from less text: what a paste repeats is looked at once.

    No word is longer than 40 letters (retrieval drops such runs too), a
    sentence repeated is the same sentence, and "very very very" says "very":
    this keeps the patterns' work proportional to what the text says rather
    than to its length, whatever a paste contains.
    """
    text = _NO_WORD.sub(" ", text)
    text = " ".join(dict.fromkeys(_SENTENCE_END.split(text)))
    return _REPEATED_WORD.sub(r"\1", text)


_ORDER: dict[str, int] = {"no": 0, "check": 1, "go": 2}
# Where one clause ends and the next begins: a sentence end, a semicolon, a line break, and a
# comma or nothing before a word that adds or contrasts ("but", "plus", "aber"). Not a colon or a
# dash: what follows them is what the clause before announces ("was published: revenue up 5%").
_CLAUSE_END = re.compile(
    r"(?<=[.!?;])\s+|\n+|,?\s+(?=(?:but|plus|although|though|except|aber|sondern|jedoch|"
    r"allerdings|außerdem|ausserdem|obwohl|nur\s+dass|only\s+that|and\s+also|und\s+auch)\b)",
    re.IGNORECASE,
)


# -- negation and conditions ----------------------------------------------------------
# A negator ("no", "not", "without", "won't", "kein", "ohne", "nie" ...) negates what follows it in
# its own clause: up to the next punctuation, contrast ("but", "just", "sondern", "nur") or eight
# words. "It shows no customer logos" shows no logo; "no logos, but the prototype is visible" still
# shows the prototype. Two negators in a row cancel ("not without faces", "nicht ohne Gesichter"),
# and "not only" / "nicht nur" adds rather than negates: neither loosens anything.
_NEGATOR = re.compile(
    r"\b(?:no|not|without|never|none|nor|neither|nothing|nobody|no\s+one|cannot|niemand|kein|keine|keinen|keinem|keiner|keines|nicht|ohne"
    r"|nie|niemals|nichts|weder|\w+n't|\w+n’t)\b",
    re.IGNORECASE,
)
# After these the negator does not reach what follows: "not only", "nicht nur", and a verb of knowing
# or waiting whose object is not negated ("I don't know if I may show the prototype", "can't wait
# to show it", "weiß nicht, ob ...").
_NOT_A_NEGATION = re.compile(
    r"\s*(?:(?:really|quite|even|so|ganz|wirklich|mal)\s+)?(?:only|just|least|nur|bloß|erst|mal|einmal|unless|wenn|sure"
    r"|know|knew|knowing|wait|waiting|forget|miss|think|believe|understand|care|mind|stop|help|remember|mean|matter"
    r"|doubt|idea|clue|allowed|permitted|able|wissen|weiß|weiss|sicher|warten|abwarten|vergessen|verpassen|glaube"
    r"|denke|verstehe|egal|zweifel|ahnung|erlaubt|dürfen|darf|sollte|aufhören|mehr\s+lange)\b",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(
    r"[.,;:!?()\n–—]|\s-\s|\b(?:but|just|only|except|instead|rather|though|although|because|since|so|if|when|unless"
    r"|and\s+(?:i|we|you|it|the|my|our)|aber|sondern|nur|außer|ausser|statt|stattdessen|jedoch|weil|wenn|falls|dass"
    r"|und\s+(?:ich|wir|du|es|der|die|das|mein\w*|unser\w*))\b",
    re.IGNORECASE,
)
_SCOPE_WORDS = 8
_WORD_RX = re.compile(r"\w+")


def _joined(between: str) -> bool:
    """Whether two negators are a list ("no screens and no people") rather than a double negation."""
    between = between.strip().lower()
    return "," in between or len(between.split()) > 1 or between in {"and", "or", "und", "oder", "nor", "noch", "&"}


def negated_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is negated: for each single negator, the words it negates in its clause."""
    spans: list[tuple[int, int]] = []
    negators = list(_NEGATOR.finditer(text))
    for n, m in enumerate(negators):
        if _NOT_A_NEGATION.match(text, m.end()):
            continue
        before = negators[n - 1] if n else None
        after = negators[n + 1] if n + 1 < len(negators) else None
        # A double negation says yes: "not without faces", "nicht ohne Gesichter".
        if before is not None and not _joined(text[before.end() : m.start()]):
            continue
        if after is not None and not _joined(text[m.end() : after.start()]):
            continue
        end = _SCOPE_END.search(text, m.end())
        stop = min(end.start() if end else len(text), after.start() if after else len(text))
        words_after = list(_WORD_RX.finditer(text, m.end(), stop))[:_SCOPE_WORDS]
        if words_after:
            spans.append((m.end(), words_after[-1].end()))
    return spans


def unnegated(text: str) -> str:
    """``text`` with what it negates blanked out (same length, so positions stay)."""
    for a, b in negated_spans(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


# A post that waits for the publication: "after the press release", "once it is announced",
# "sobald die Pressemitteilung raus ist", "erst nachdem ... veröffentlicht". Not "now that it is out".
_CONDITION = _rx(
    r"\b(?:after|once|as\s+soon\s+as|when|until|not\s+before|only\s+after)\s+(?:\w+\s+){0,5}?(?:press\s+release|announcement|launch|release|"
    r"(?:is|are|has\s+been|have\s+been|gets?|goes)\s+(?:\w+\s+)?(?:published|announced|released|public|official|out|live))\b",
    r"\b(?:sobald|nachdem|wenn|erst\s+nach(?:dem)?|nicht\s+vor)\s+(?:\w+\s+){0,6}?(?:pressemitteilung\w*|ankündigung|veröffentlichung|"
    r"launch|marktstart|veröffentlicht|angekündigt|bekanntgegeben|offiziell|raus|draußen|öffentlich|live)\b",
)
# Said to be secret in so many words: a condition does not make it a matter to clear.
_STILL_SECRET = _rx(r"\bgeheim\w*|\bsecret\b|\bunder\s+nda\b|\bnda\b|\bembargo\w*|\bsperrfrist\w*|\bvertraulich\w*|\bconfidential\b")


def _only_negated(word: str, text: str, negated: list[tuple[int, int]]) -> bool:
    """Whether every occurrence of ``word`` in ``text`` stands where the text is negated."""
    found = [m.start() for m in re.finditer(re.escape(word), text, re.IGNORECASE)]
    return bool(found) and all(_in_spans(pos, negated) for pos in found)


# What a condition of publication concerns: news not yet announced.
_WAITS_FOR_PUBLICATION = frozenset({"unreleased", "new_site", "deal", "figures"})


def split_clauses(text: str) -> list[str]:
    """``text`` in sentences and clauses, each with at least one letter or digit, in order."""
    return [c for c in (p.strip() for p in _CLAUSE_END.split(text)) if _WORDS_IN.search(c)]


_WORDS_IN = re.compile(r"\w")


def _strictest(a: Verdict | None, b: Verdict) -> Verdict:
    return b if a is None or _ORDER[b] < _ORDER[a] else a


@dataclass
class DetectorConfig:
    """Lists from app.yaml's ``knowledge:`` section (customers, code_names, competitors)."""

    customers: list[str] = field(default_factory=list)
    code_names: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)


def _names_rx(names: Iterable[str]) -> re.Pattern[str] | None:
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)", _F
    )


def _hit(rx: re.Pattern[str] | None, text: str, negated: list[tuple[int, int]] | None = None) -> str | None:
    """The matched words, widened to whole words ("unfall" in "Arbeitsunfall" shows as "Arbeitsunfall").

    With ``negated`` (see negated_spans), a match that starts where the text is negated does not count.
    """
    if rx is None:
        return None
    harmless = _SENSES_RX.get(rx)
    skip = list(negated or [])
    if harmless is not None:
        skip += [(h.start(), h.end()) for h in harmless.finditer(text)]
    if skip:
        m = next((m for m in rx.finditer(text) if not _in_spans(m.start(), skip)), None)
    else:
        m = rx.search(text)
    if not m:
        return None
    start, end = m.start(), m.end()
    while start > 0 and text[start - 1].isalnum() and m.start() - start < 30:
        start -= 1
    while end < len(text) and text[end].isalnum() and end - m.end() < 30:
        end += 1
    return text[start:end].strip()


# Harmless senses of a pattern's words: a match inside one of these is no finding. "Nobody made me
# feel stupid" insults nobody; "two weeks later" is a time, not time spent.
_SENSES_RX: dict[re.Pattern[str], re.Pattern[str]] = {
    # A salary range a published job ad states is public (pay transparency), not an internal band.
    _INTERNAL: _rx(
        r"\b(?:job\s+ads?|job\s+postings?|job\s+openings?|vacanc\w*|careers?\s+page|stellenanzeige\w*|stellenausschreibung\w*|stellenangebot\w*|karriereseite\w*)\b"
        r".{0,60}?\b(?:salary\s+ranges?|salary\s+bands?|pay\s+ranges?|gehaltsspanne\w*|gehaltsband\w*|gehaltsbänder\w*)",
    ),
    # One's own application, the company's hiring process or a position's salary is nobody's private matter.
    _PRIVATE_MATTER: _rx(
        r"\b(?:das|the)\s+(?:gehalt|salary)\b(?!\s+(?:von|of|meine\w*|seine\w*|ihre\w*|deine\w*))",
        r"\b(?:mein\w*|unser\w*|my|our)\s+(?:eigene[nmrs]?\s+|own\s+)?(?:bewerbung\w*|application(?:\s+process)?|hiring\s+process|onboarding\w*)",
        r"\bbewerbungs(?:prozess|verfahren|ablauf)\w*",
    ),
    # A broadcaster's media library is someone else's ("in der ZDF-Mediathek"), not the company's.
    _OWN_OR_LICENSED: _rx(
        r"\b(?:zdf|ard|arte|3sat|wdr|ndr|br|swr|mdr|hr|rbb|orf|srf|tv|sender\w*|fernseh\w*)[-\s]?mediathek\w*",
        r"\bmediathek\s+(?:des|der|von)\s+(?:zdf|ard|arte|senders?|fernseh\w*|\w*rundfunk\w*)\b",
    ),
    _INSULT: _rx(
        r"\b(?:feel|feels|felt|feeling|look|looks|looked|looking|sound|sounds|sounded|seem|seemed)\s+"
        r"(?:so\s+|really\s+|a\s+bit\s+|very\s+|pretty\s+|totally\s+)?(?:stupid|dumb|silly|clueless|useless|pathetic)\b",
        r"\b(?:fühl\w*|komm\w*|vorkomm\w*)\s+(?:mich|mir|uns|sich)\s+(?:\w+\s+){0,2}(?:dumm|blöd|doof|nutzlos)\b",
        r"\b(?:stupid|dumb|silly)\s+questions?\b|\bdumme\s+fragen?\b",
    ),
    _TIME_EFFORT: _rx(
        r"\b(?:in|vor|nach|within|innerhalb(?:\s+von)?|binnen|after|bis\s+in)\s+(?:\w+\s+)?(?:\d+|two|three|four|five|a\s+few|several|zwei|drei|vier|fünf|ein\s+paar|mehreren)\s+(?:hours|days|weeks|stunden|tage[n]?|wochen)\b",
        r"\b(?:\d+|two|three|four|five|a\s+few|several|zwei|drei|vier|fünf|ein\s+paar|mehrere)\s+(?:hours|days|weeks|months|stunden|tage|wochen|monate)\s+(?:later|ago|earlier|before|after|from\s+now|später|zuvor|danach|vorher|früher)\b",
    ),
}

# Patterns of what a post would show or reveal, and the cues that it is harmless: where the text
# negates them ("no customer logos", "ohne Gesichter", "not licensed") they do not count. Risks
# whose mention is the risk (a crisis, a lawsuit, a press contact, an insult, a deal denied) and
# patterns that carry their own negation ("not yet announced") are read as they stand.
_NEGATABLE = frozenset(
    {_UNRELEASED, _WEAK_UNRELEASED, _FIGURE, _RECORD, _COUNT, _INTERNAL, _CUSTOMER_PROJECT, _TAGGING, _FACES_DIRECT,
     _THIRD_PARTY, _PUBLISHED, _OWN_OR_LICENSED, _COMPANY_LINK, _ALTERED_BRAND, _HARM}
)
# A cue is no cue where its contrary was found: "without saying that I work here" names working here.
_CONTRARY = {"disclosed": "undisclosed"}
_NEGATABLE_KINDS = frozenset({"third_party_media", "undisclosed"})


class Detectors:
    def __init__(
        self,
        config: DetectorConfig | None = None,
        lexicon: Lexicon | None = None,
        policy: Mapping[str, tuple[Verdict, str]] | None = None,
    ) -> None:
        """``policy``: finding name -> (verdict, topic), from the knowledge base (KnowledgeBase.rulings())."""
        config = config or DetectorConfig()
        self.lexicon = lexicon or default_lexicon()
        self.policy: Mapping[str, tuple[Verdict, str]] = policy or {}
        self._customers = _names_rx(config.customers)
        self._code_names = _names_rx(config.code_names)
        self._competitors = _names_rx(config.competitors)

    def scan(self, text: str, lang: str | None = None) -> list[Signal]:
        """Every finding in ``text`` (already cleaned of markup), strongest verdict first.

        ``lang`` is the text's language, for the lexicon's whole-word entries.

        A harmless cue ("it's already on our website", "from the brand portal") clears only the
        clause it stands in: where the text has one, each clause is read on its own as well, and
        a risk a clause shows by itself ("... plus we're in talks to buy a competitor") stays a
        finding whatever another clause says.
        """
        text = _condense(text)
        out, cued = self._scan(text, lang)
        if cued:
            clauses = split_clauses(text)
            if len(clauses) > 1:
                have: dict[str, Verdict] = {}
                for sig in out:
                    have[sig.kind] = _strictest(have.get(sig.kind), sig.verdict)
                for clause in clauses:
                    for sig in self._scan(clause, lang)[0]:
                        if sig.verdict == "go" or not sig.topic:
                            continue  # cues and instructions come from the whole text
                        if sig.kind in have and _ORDER[have[sig.kind]] <= _ORDER[sig.verdict]:
                            continue
                        out.append(sig)
                        have[sig.kind] = sig.verdict
                out.sort(key=lambda s: (_ORDER[s.verdict], -s.strength))
        return out

    def _scan(self, text: str, lang: str | None) -> tuple[list[Signal], bool]:
        """The findings of ``text`` read as one piece, and whether it holds a cue that clears others."""
        out: list[Signal] = []
        seen: dict[int, str | None] = {}
        negated = negated_spans(text)

        def h(rx: re.Pattern[str] | None) -> str | None:
            # Several findings look at the same pattern; each pattern runs once per text. What a
            # post would show or reveal is not shown where the text negates it ("no customer logos").
            key = id(rx)
            if key not in seen:
                seen[key] = _hit(rx, text, negated if rx in _NEGATABLE else None)
            return seen[key]

        def add(name: str, evidence: str | None, strength: float = 1.0) -> None:
            # What the finding means is the knowledge base's word: its verdict and topic come from
            # the guideline that governs it; ungoverned, a risk is a "check" of no topic, a cue nothing.
            if evidence:
                ruling = self.policy.get(name)
                if ruling is not None:
                    verdict, topic = ruling
                else:
                    verdict, topic = ("go" if name in CUES else "check"), ""
                out.append(
                    Signal(
                        kind=kind_of(name),
                        topic=topic,
                        verdict=verdict,
                        evidence=evidence[:80],
                        strength=strength,
                        finding=name,
                    )
                )

        def system(kind: str, evidence: str | None) -> None:
            # Not the guidelines' to rule on: a condition to wait for, an attempt to instruct the bot.
            if evidence:
                out.append(Signal(kind=kind, topic="", verdict="check", evidence=evidence[:80], strength=0.0, finding=kind))

        # what is not public
        code = h(self._code_names)
        add("code_name", code, 1.2)
        if not code:
            hit = h(_UNRELEASED)
            if hit:
                add("unreleased", hit)
            else:
                future, announce = h(_FUTURE), h(_ANNOUNCE)
                if future and announce:
                    add("unreleased", f"{announce} … {future}", 0.9)
                else:
                    add("unreleased_hint", h(_WEAK_UNRELEASED), 0.6)
        figure = h(_FIGURE)
        business = h(_BUSINESS)
        if (figure and business) or h(_RECORD) or h(_COUNT):
            published, unpublished = h(_PUBLISHED), h(_UNPUBLISHED)
            if unpublished or not published:
                add(
                    "figures",
                    figure or h(_RECORD) or h(_COUNT),
                    1.1 if unpublished else 0.9,
                )
        published = h(_PUBLISHED)
        deal = h(_DEAL)
        if deal and published and not h(_UNPUBLISHED):
            # "the opening of the new plant was officially celebrated" is news to share, not a leak.
            add("announced_deal", deal, 0.5)
        else:
            add("deal", deal, 0.9)
        new_site = None if deal else h(_NEW_SITE)
        if new_site and h(_UNPUBLISHED):
            # "a new branch in Vienna, still secret": news before its announcement.
            add("unannounced_site", new_site, 0.9)
        elif new_site and not published:
            # A new office may be public or not: the bot cannot know, the comms lead can.
            add("new_site", new_site, 0.6)
        if not deal and (h(_INTENT) or h(_FUTURE)) and h(_CHANGE) and h(_ORG_PART):
            for clause in split_clauses(text):
                intent = _hit(_INTENT, clause) or _hit(_FUTURE, clause)
                change, part = _hit(_CHANGE, clause), _hit(_ORG_PART, clause)
                if intent and change and part and not _hit(_PUBLISHED, clause):
                    add("deal", f"{intent} … {change} … {part}", 0.8)
                    break
        add("internal", h(_INTERNAL), 0.9)
        add(
            "customer",
            h(self._customers)
            or h(_CUSTOMER_PROJECT)
            or self._named_partner(text)
            or self._named_customer(text),
            0.8,
        )
        data = h(_COMPANY_DATA) or next(
            (hit.word for hit in self.lexicon.hits(words(text), lang) if hit.concept == "company_data"), None
        )
        if data and h(_TAKE):
            add("company_data", data, 1.0)

        # Cues that only point to a topic and never loosen a verdict.
        if published and not any(sig.verdict == "no" for sig in out):
            # Sharing the company's posts is what ambassadors do; a question that also says when
            # ("in my lunch break") is about the time, so the cue points less to the content.
            add("published", published, 0.2 if h(_WORK_HOURS) and h(_LIGHT_ACTIVITY) else 0.4)
        add("obligation", h(_OBLIGATION), 0.9)
        add("ownership", h(_OWNERSHIP), 0.6)

        # company accounts: an account for the company, not one's own private profile
        account = h(_ACCOUNT)
        if account and h(_ACCOUNT_CONTEXT) and h(_COMPANY_WORD):
            add("account", account, 0.8)

        # working time
        add("time_effort", h(_TIME_EFFORT), 0.7)
        # When a question says when it shares or likes, the time is its point ("share our posts in
        # my lunch break"); said in passing ("a profile I keep up during working hours") it is a hint.
        add("work_hours", h(_WORK_HOURS), 0.9 if h(_LIGHT_ACTIVITY) else 0.6)

        # honesty about one's employer
        add("undisclosed", h(_UNDISCLOSED), 1.0)
        if h(_GIVER) or h(_FOR_POST):
            add("gift", h(_GIFT), 0.9)

        # people and their data
        add(
            "contact_details",
            h(_EMAIL) or h(_IBAN) or self._phone(text),
            0.9,
        )
        matter = h(_PRIVATE_MATTER)
        add(
            "sensitive_data",
            h(_SENSITIVE) or (matter if matter and h(_A_PERSON) else None),
            1.0,
        )
        add(
            "person_name",
            h(_TAGGING) or self._mention(text) or self._person_name(text),
            0.8,
        )
        faces = h(_FACES_DIRECT)
        if faces:
            add("people_media", faces, 1.0)
        elif not h(_UNRECOGNISABLE):
            # A picture inferred to show people, where the text says nobody can be recognised, shows nobody.
            add("people_media", self._people_in_media(text, negated), 0.7)

        add("unrecognisable", h(_UNRECOGNISABLE), 0.7)

        # other people's material
        add("licensed", h(_OWN_OR_LICENSED), 0.3)
        if not h(_OWN_OR_LICENSED):
            add("third_party_media", h(_THIRD_PARTY) or self._brand_logo(text), 0.9)

        # tone
        insult = h(_INSULT)
        competitor = h(self._competitors) or h(_COMPETITOR)
        dig = h(_DIG)
        if dig and not competitor:
            add("competitor_attack", dig, 1.0)
        elif competitor and (insult or h(_NEGATIVE)):
            add(
                "competitor_attack",
                f"{competitor} … {insult or h(_NEGATIVE)}",
                1.0,
            )
        elif insult:
            add("insult", insult, 1.0)
        else:
            add("insult_mentioned", h(_ATTACKED), 0.5)
        politics = h(_POLITICS)
        if politics:
            link = h(_COMPANY_LINK)
            add(
                "politics_company" if link else "politics",
                f"{politics} … {link}" if link else politics,
                0.9,
            )

        # speaking for the company, incidents
        press = h(_PRESS)
        add("press", press, 1.1)
        if not press:
            add("creator_contact", h(_CREATOR) or h(_APPEARANCE), 0.9)
        add("legal", h(_LEGAL), 1.0)
        add("statement", h(_STATEMENT), 0.9)
        crisis = h(_CRISIS)
        add("crisis", crisis, 1.0)
        if not crisis:
            harm, spread = h(_HARM), h(_SPREAD)
            if harm and spread and h(_OURS):
                add("crisis", f"{harm} … {spread}", 0.9)
        add("altered_brand", h(_ALTERED_BRAND), 0.8)

        # The lexicon's risk concepts: words that reveal a risk by themselves, in any inflection
        # or compound ("Hochwasserschaden", "Kartellverfahren"), where no pattern above saw one.
        kinds = {sig.kind for sig in out}
        if h(_OWN_OR_LICENSED):
            kinds.add("third_party_media")
        for hit in self.lexicon.hits(words(text), lang, strict=True):
            finding = FINDINGS.get(hit.concept)
            if finding and kind_of(finding[0]) in _NEGATABLE_KINDS and negated and _only_negated(hit.word, text, negated):
                continue  # "keine Chartmusik"
            if finding and _CONTRARY.get(finding[0]) in kinds:
                continue
            if finding and kind_of(finding[0]) not in kinds:
                name, strength = finding
                if name == "press_word" and h(_ASKS_FOR_WORDS):
                    name, strength = "press", 1.0  # "a woman from the Financial Times wants two sentences from me"
                add(name, hit.word, strength)
                kinds.add(kind_of(name))

        # A post that waits for the publication ("after the press release", "sobald es offiziell ist"):
        # news not yet announced is then a matter to clear, not a "no"; nothing here is a "go" yet.
        condition = h(_CONDITION)
        if condition and not h(_STILL_SECRET):
            waiting = [sig for sig in out if sig.kind in _WAITS_FOR_PUBLICATION and sig.verdict == "no"]
            if waiting:
                out = [replace(sig, verdict="check") if sig in waiting else sig for sig in out]
            system("condition", condition)
        system("injection", h(_INJECTION))
        out.sort(key=lambda s: (_ORDER[s.verdict], -s.strength))
        return out, bool(h(_PUBLISHED) or h(_OWN_OR_LICENSED))

    @staticmethod
    def _phone(text: str) -> str | None:
        for m in _PHONE.finditer(text):
            digits = sum(c.isdigit() for c in m.group(0))
            # Years, percentages and prices are short; phone numbers have 7 digits or more.
            if digits >= 7 and not _DATE.fullmatch(m.group(0).strip()):
                return m.group(0).strip()
        return None

    @staticmethod
    def _people_in_media(text: str, negated: list[tuple[int, int]] | None = None) -> str | None:
        """People shown in a picture: named in the words after it ("photo of my team", "picture from
        the party where you can see my teammates") or right before it ("team photo",
        "Kollegen-Video"); not "the HR team posted a video"."""
        negated = negated or []
        media = [(m.start(), m.end(), m.group(0)) for m in _MEDIA.finditer(text) if not _in_spans(m.start(), negated)]
        if not media:
            return None
        for m in _SHOWS.finditer(text):
            # "... a reel I made on Saturday, but it shows my colleagues on the line": the people are
            # named after the verb that says what the picture shows.
            p = _PEOPLE.search(text, m.end(), m.end() + 40)
            if p and len(text[m.end() : p.start()].split()) <= 3 and not _in_spans(p.start(), negated):
                return f"{m.group(0)} … {p.group(0)}"
        for p in _PEOPLE.finditer(text):
            if _in_spans(p.start(), negated):
                continue  # "no people", "ohne Gesichter"
            for start, end, word in media:
                if p.start() >= end and len(text[end : p.start()].split()) <= 10:
                    return f"{word} … {p.group(0)}"
                if p.end() <= start and len(text[p.end() : start].split()) <= 1:
                    return f"{p.group(0)} {word}"
        return None

    @staticmethod
    def _mention(text: str) -> str | None:
        for m in _MENTION.finditer(text):
            if not _ACCOUNT_HANDLE.search(m.group(1)):
                return m.group(0)
        return None

    @staticmethod
    def _named_customer(text: str) -> str | None:
        for m in _NAMED_CUSTOMER.finditer(text):
            if m.group(1).lower() not in _NOT_CUSTOMER_NAMES:
                return m.group(0)
        return None

    @staticmethod
    def _brand_logo(text: str) -> str | None:
        for m in _BRAND_LOGO.finditer(text):
            name = next(g for g in m.groups() if g)
            if not {w.lower() for w in re.split(r"[\s-]+", name)} & _OWN_BRAND_WORDS:
                return m.group(0)
        return None

    @staticmethod
    def _named_partner(text: str) -> str | None:
        for m in _NAMED_PARTNER.finditer(text):
            first = m.group(1).split()[0].lower()
            if first not in _NOT_PARTNERS:
                return m.group(0)
        return None

    @staticmethod
    def _person_name(text: str) -> str | None:
        for m in _GREETED.finditer(text):
            if m.group(1).lower() not in _NOT_GREETED and m.group(1).lower() not in _FIRST_NAMES_SKIP:
                return m.group(0).strip()
        for m in _CAP_NAME.finditer(text):
            if m.group(1).lower() in _FIRST_NAMES:
                return m.group(0)
        return None
