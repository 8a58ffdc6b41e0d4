"""What a draft reveals by itself, whatever guideline its words happen to match.

Retrieval finds the guideline a question is about; detectors look at the text
for the things that make a post risky even when the question sounds harmless
("Can I share this? 'Sales up 40%, numbers out next week'"). Each finding
carries the least strict verdict it allows, so a detector can make an answer
stricter but never more lenient. Both languages are always checked: drafts are
often in a different language than the question around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.model import Signal, Verdict

_F = re.IGNORECASE | re.UNICODE


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


# -- confidential ---------------------------------------------------------------

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
    r"\bvorab\b",
    r"\bembargo\w*",
    r"\bsperrfrist\w*",
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
    r"\bgoing\s+to\s+(?:launch|open|announce|release)\b",
    r"\bwill\s+(?:launch|open|announce|release|unveil)\b",
)
_ANNOUNCE = _rx(
    r"\b(?:launch\w*|releas\w*|announc\w*|unveil\w*|open|opens|opening|introduc\w*|roll(?:s|ing)?\s+out|goes\s+live|hits\s+the\s+market)\b",
    r"\b(?:eröffne\w*|launche\w*|vorstell\w*|stellen\s+\w+\s+vor|ankündig\w*|kündigen\s+\w+\s+an|einführ\w*|führen\s+\w+\s+ein|start\w*|bringen\s+\w+\s+raus|rausbringen|erscheint|erscheinen)",
)
_FIGURE = _rx(
    r"[+-]?\d+(?:[.,]\d+)?\s?(?:%|percent\b|prozent\b|per\s?cent\b)",
    r"(?:€|\$|£|eur\b|usd\b)\s?\d",
    r"\d\s?(?:€|\$|£|eur\b|usd\b)",
    r"\d+(?:[.,]\d+)?\s?(?:million|millionen|mio\b|mrd\b|milliarden?|billion|bn\b|m\b|k\b)",
    r"\b(?:doubled|tripled|verdoppelt|verdreifacht)\b",
)
_BUSINESS = _rx(
    r"\b(?:sales|revenue|revenues|turnover|profit|profits|earnings|margin|orders|bookings|growth|ebit\w*|results|numbers|figures|quarter|quarterly|headcount|customers|users|downloads|market\s+share)\b",
    r"\b(?:umsatz\w*|absatz\w*|verkäufe|verkaufszahlen|gewinn\w*|ergebnis\w*|marge|aufträge|auftragseingang|wachstum|zahlen|quartal\w*|mitarbeiterzahl|kundenzahl|nutzerzahl\w*|marktanteil)\b",
    r"\b(?:up|down|grew|rose|fell|increased|decreased|gestiegen|gesunken|gewachsen|plus|minus)\b",
)
_RECORD = _rx(
    r"\brecord\s+(?:quarter|year|month|sales|results)\b",
    r"\bbest\s+(?:quarter|year)\s+ever\b",
    r"\brekord\w*",
)
_PUBLISHED = _rx(
    r"\b(?:published|press\s+release|annual\s+report|already\s+public|public\s+(?:figures|numbers)|official\s+(?:announcement|post|statement|release|video|article|update))\b",
    r"\bofficially\s+(?:announced|published|released|opened|launched|celebrated|presented)\b",
    r"\b(?:company|we|they|comms|marketing)\s+(?:has\s+|have\s+|just\s+)?(?:uploaded|posted|published|shared|put\s+out)\b",
    r"\b(?:was|were|has\s+been|have\s+been)\s+(?:officially\s+)?(?:announced|published|released|launched|opened)\b",
    r"\b(?:veröffentlicht\w*|pressemitteilung\w*|geschäftsbericht\w*|bereits\s+öffentlich|offizielle[nmrs]?\s+(?:ankündigung|beitrag|post|mitteilung|video|artikel))\b",
    r"\boffiziell\s+(?:bekannt|verkündet|kommuniziert|angekündigt|eröffnet|gefeiert|vorgestellt|gestartet)\w*",
    r"\bwurde\s+(?:\w+\s+){0,3}(?:angekündigt|vorgestellt|eröffnet|veröffentlicht|bekanntgegeben)\b",
    r"\b(?:firmen|unternehmens)(?:beitrag|post|video|artikel)\w*|\bkarriereseite\w*",
    r"\b(?:beitrag|post)\s+(?:unserer|unseres|der|des)\s+(?:firma|unternehmens|geschäftsführ\w+|ceo|chefin|chefs|vorstand\w*)\b",
)
_UNPUBLISHED = _rx(
    r"\bnot\s+(?:yet\s+)?(?:public|published|out|official|announced)\b",
    r"\bout\s+next\b",
    r"\bbefore\s+(?:they|it)\s+(?:are|is)\s+(?:published|out)\b",
    r"\b(?:numbers|figures|results)\s+(?:come\s+)?out\b",
    r"\binternal\b",
    r"\bnoch\s+nicht\b",
    r"\bintern\w*\b",
    r"\bvorab\b",
)
_DEAL = _rx(
    r"\b(?:signed|signing|closed|closing|won|winning|landed|sealed)\s+(?:a|an|the|our|this|that|big|huge|new|major)?\s*(?:\w+\s+)?(?:contract|deal|tender|bid|account|order)\b",
    r"\b(?:acquisition|acquire|acquiring|acquired|merger|merging|takeover|taking\s+over|buy(?:ing)?\s+out)\b",
    r"\bin\s+talks\s+with\b",
    r"\bnegotiat\w+",
    r"\blay-?offs?\b",
    r"\brestructur\w+",
    r"\bjob\s+cuts\b",
    r"\b(?:clos|shut)\w*\s+(?:down\s+)?(?:the|our|a)\s+(?:plant|site|factory|office|location)\b",
    r"\bopen\w*\s+(?:a\s+)?new\s+(?:office|site|plant|factory|location|branch|subsidiary)\b",
    r"\bjoint\s+venture\b",
    r"\bvertrag\w*\s+(?:\w+\s+)?(?:unterschrieben|unterzeichnet|abgeschlossen)",
    r"\bauftrag\w*\s+(?:\w+\s+)?(?:gewonnen|erhalten|an\s+land)",
    r"\bgroßauftrag\w*",
    r"\bausschreibung\w*\s+(?:\w+\s+)?gewonnen",
    r"\bübernahme\w*",
    r"\bübernehmen\b",
    r"\bfusion\w*",
    r"\bverhandl\w*",
    r"\bstellenabbau\w*",
    r"\bumstrukturierung\w*",
    r"\bkündigungswelle\w*",
    r"\bwerks?schließung\w*",
    r"\bneue[nmrs]?\s+(?:standort|werk|büro|niederlassung|filiale)\w*",
    r"\b(?:standort|werk|büro|niederlassung)\w*\s+(?:\w+\s+){0,3}(?:eröffnen|eröffnet|schließen|schließt|geschlossen)",
)
_CUSTOMER_PROJECT = _rx(
    r"\b(?:customer|client)(?:'s)?\s+(?:project|projects|name|names|deal|order|pilot)\b",
    r"\bkunden(?:projekt|namen?|auftrag|pilot)\w*",
    r"\bprojekt\w*\s+(?:bei|für|mit)\s+(?:dem|der|unserem|unserer)\s+kunden?",
    r"\b(?:his|her|their)\s+company(?:'s)?\s+project\b",
)
_INTERNAL = _rx(
    r"\binternal\s+(?:document|documents|memo|e-?mail|mail|slides|presentation|newsletter|meeting|chart|figures|numbers|wiki|tool|dashboard|strategy|roadmap)\w*",
    r"\bintranet\b",
    r"\bconfidential\b",
    r"\binternal\s+use\s+only\b",
    r"\ball-?hands\b",
    r"\btown\s*hall\b",
    r"\borg\s*chart\b",
    r"\bvertraulich\w*",
    r"\bwhiteboard\w*",
    r"\bstrateg(?:y|ie)-?\s?(?:workshop|meeting|paper|papier|deck|offsite|klausur|präsentation|besprechung)\w*",
    r"\bflipchart\w*",
    r"\b(?:folien|slides|deck|präsentation\w*|presentation|protokoll\w*|minutes|notizen)\b.{0,40}?(?:besprechung|meeting|sitzung|workshop|call|runde|all-hands|townhall)",
    r"\b(?:besprechung|meeting|sitzung|workshop)\w*.{0,40}?\b(?:folien|slides|deck|präsentation\w*|presentation|protokoll\w*|minutes|notizen)\b",
    r"\bintern\w*\s+(?:dokument|mail|e-mail|präsentation|folien|newsletter|unterlagen|zahlen|strategie|rundmail|meeting|besprechung)\w*",
    r"\bnur\s+für\s+den\s+internen\b",
    r"\bbetriebsversammlung\w*",
    r"\borganigramm\w*",
    r"\brundmail\w*",
    r"\bscreenshot\w*\s+(?:of|from|aus|von)\s+(?:our|the|unserem|unserer|dem|der)\s+(?:intranet|internal|jira|confluence|crm|dashboard|sharepoint|wiki)",
)

_COMPANY_DATA = _rx(
    r"\b(?:customer|client|contact|lead)s?\s+(?:list|lists|data|database|file|files|records|details)\b",
    r"\bcrm\b",
    r"\bsales\s+pipeline\b",
    r"\bkunden(?:liste|daten|datei|datenbank|kartei|stamm)\w*",
    r"\b(?:adress|kontakt)(?:liste|daten|datei)\w*",
)
_TAKE = _rx(
    r"\b(?:take|taking|took|export\w*|copy\w*|copie\w*|download\w*|forward\w*|keep|bring|send\w*|upload\w*|scrap\w*|use)\b",
    r"\b(?:mitnehm\w*|nehmen\s+\w+\s+mit|nimm\w*\s+mit|export\w*|kopier\w*|herunterlad\w*|runterlad\w*|weiterleit\w*|behalt\w*|schick\w*|hochlad\w*|nutz\w*|verwend\w*|aufnehm\w*)",
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

# -- privacy ---------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", _F)
_PHONE = re.compile(r"(?<![\w.,])(?:\+\d{1,3}[\s/-]?)?(?:\(?\d{2,5}\)?[\s/-]?){2,4}\d{2,}(?![\w.,]\d)")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
_SENSITIVE = _rx(
    r"\b(?:his|her|their|colleague'?s?)\s+(?:salary|diagnosis|illness|health|address|home\s+address|phone\s+number|sick\s+note|pregnancy)\b",
    r"\b(?:sein|seine|ihr|ihre)\w*\s+(?:gehalt|diagnose|krankheit|adresse|privatadresse|handynummer|telefonnummer|krankmeldung|schwangerschaft)\b",
    r"\bkrankgeschrieben\b",
    r"\bon\s+sick\s+leave\b",
    r"\bsalar(?:y|ies)\s+of\b",
    r"\bgehälter\b",
)
_TAGGING = _rx(
    r"\btag(?:ging|ged)?\s+(?:him|her|them|my|the|our|a|all|everyone|colleagues?|people|customers?)\b",
    r"(?<![\w.])@[a-z][\w.-]{2,}",
    r"\bmarkier\w*",
    r"\btagg\w*",
    r"\bverlink\w*\s+(?:ihn|sie|kolleg\w*|kunde\w*|den|die)",
    r"\bname\s+(?:him|her|them|my\s+colleague)\b",
    r"\bnamentlich\b",
    r"\bmention\s+(?:him|her|them|my\s+colleague|the\s+customer|his|her)\b",
    r"\bnennen\b.*\bnamen\b",
)
_MEDIA = _rx(
    r"\b(?:photos?|pictures?|pics?|images?|videos?|selfies?|screenshots?|recordings?|clips?|footage|fotos?|bilder?|aufnahmen?|mitschnitt\w*)\b",
    r"(?:foto|bild|video|selfie|screenshot)s?\b",
)
_PEOPLE = _rx(
    r"\b(?:colleagues?|coworkers?|co-workers?|team(?:mates)?|group|people|faces|everyone|everybody|customers?|clients?|visitors?|guests?|kids|children|participants|attendees|apprentices|trainees|boss|manager|staff|employees|crowd|patients?)\b",
    r"\b(?:kolleg\w*|team\w*|gruppe\w*|leute|personen|gesicht\w*|allen|alle|kunde\w*|besucher\w*|gäst\w*|kinder\w*|teilnehm\w*|azubis?|auszubildende\w*|chef\w*|mitarbeit\w*|belegschaft|publikum|patient\w*)\b",
    r"\b(?:gruppen|team|klassen|mitarbeiter)(?:foto|bild|selfie|video)s?\b",
    r"\bgroup\s+(?:photo|picture|shot|selfie)\b",
    r"\boffsite\b",
    r"\b(?:christmas|holiday|summer)\s+party\b",
    r"\b(?:weihnachts|sommer)feier\b",
    r"\bbetriebsausflug\b",
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
_CAP_NAME = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]+)\s+([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b")

# -- copyright -------------------------------------------------------------------

_THIRD_PARTY = _rx(
    r"\bfound\s+(?:it\s+|this\s+)?(?:on|in|via)\s+(?:google|the\s+internet|the\s+web|online|pinterest|instagram|facebook|twitter|youtube|a\s+website|reddit)\b",
    r"\bgoogle\s+(?:images?|image\s+search|pictures)\b",
    r"\bfrom\s+(?:the\s+)?(?:internet|web|google|pinterest|a\s+website|getty)\b",
    r"\bstock\s+(?:photos?|images?|footage|videos?)\b",
    r"\b(?:someone\s+else|other\s+people|another\s+person|a\s+photographer)'?s?\s+(?:photos?|pictures?|images?|videos?|work)\b",
    r"\b(?:music|song|songs|track|tracks)\b",
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
)
_OWN_OR_LICENSED = _rx(
    r"\b(?:brand\s+portal|press\s+kit|media\s+kit|media\s+library|royalty-?free|licen[cs]ed|our\s+own|i\s+took|i\s+shot|i\s+filmed|i\s+made|my\s+own)\b",
    r"\b(?:brand-?portal|presse-?kit|pressemappe|mediathek|lizenzfrei\w*|lizenziert\w*|gema-?frei\w*|selbst\s+(?:gemacht|fotografiert|gefilmt|aufgenommen)|eigene[nms]?\s+(?:foto|bild|video|musik))\b",
)

# -- netiquette ------------------------------------------------------------------

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
    r"\bgive\s+(?:them|him|her)\s+(?:a\s+piece\s+of\s+my\s+mind|hell)\b",
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
)
_NEGATIVE = _rx(
    r"\b(?:worse|worst|bad|terrible|awful|horrible|useless|overpriced|cheap\s+copy|copycat|ridiculous|laughable|joke|inferior|fails?|failing|dying|dead|bankrupt|sinking|garbage|trash|junk|crap|rubbish|sucks?|embarrassing)\b",
    r"\b(?:schlechter\w*|schlecht\w*|mies\w*|furchtbar\w*|grottig\w*|überteuert\w*|billig\w*|kopie|abklatsch\w*|lächerlich\w*|witz|pleite|versag\w*|müll|schrott\w*|mist|peinlich\w*|hinterher)\b",
)

# -- spokesperson and crisis ----------------------------------------------------

_PRESS = _rx(
    r"\bjournalist\w*",
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
    r"\bredaktion\w*",
    r"\bblogger\w*",
    r"\bstellungnahme\w*",
    r"\breporter\w*",
    r"\bpresse\b(?!\s*-?(?:kit|mitteilung|bild|foto|bereich|mappe|material|fotos|bilder))",
    r"\binterview\s*anfrage\w*",
    r"\bfernsehteam\w*",
)
# Speaking for the company: a statement or position in its name.
_STATEMENT = _rx(
    r"\bon\s+behalf\s+of\s+(?:the|our|my)\s+(?:company|employer|firm)\b",
    r"\b(?:official|company'?s?)\s+(?:statement|position|stance|response)\b",
    r"\bspeak\w*\s+for\s+(?:the|our)\s+company\b",
    r"\bim\s+namen\s+(?:der|des|unserer|unseres|meiner|meines)\s+(?:firma|unternehmens|arbeitgebers)\b",
    r"\b(?:offizielle\w*|unsere\w*)\s+(?:stellungnahme|position|haltung)\b",
    r"\bfür\s+(?:die|das)\s+(?:firma|unternehmen)\s+sprechen\b",
    r"\bwie\s+(?:wir|die\s+firma|das\s+unternehmen)\s+(?:\w+\s+){0,3}stehen\b",
    r"\bwhere\s+(?:we|the\s+company)\s+stands?\b",
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
    r"\bauthorities\b",
    r"\bbehörde\w*\s+(?:ermittel|prüf)\w*",
    r"\bclass\s+action\b",
    r"\bklage\w*\b",
    r"\bverklag\w*",
    r"\bgericht\w*",
    r"\brechtsstreit\w*",
    r"\bstaatsanwalt\w*",
    r"\bermittlung\w*",
    r"\bvorwürfe\b",
    r"\bvorwurf\b",
    r"\babmahnung\w*",
    r"\bbußgeld\w*",
    r"\bprozess\s+gegen\b",
    r"\banwält\w*",
    r"\banwalt\w*",
)
_CRISIS = _rx(
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
    r"\bkrise\w*",
    r"\bskandal\w*",
    r"\b(?:ein|der)\s+brand\s+(?:im|in|bei|auf)\b",
    r"\bbrennt\b",
    r"\bfeuer\s+(?:im|in|bei)\b",
    r"\bgeleakt\w*",
)

# -- manipulation ------------------------------------------------------------------

_OBLIGATION = _rx(
    r"\b(?:do|must)\s+(?:i|we)\s+(?:have\s+to|need\s+to)?\s*(?:share|post|like|take\s+part|participate|join)\b",
    r"\b(?:have|has|need)\s+to\s+(?:share|post|like|take\s+part)\b",
    r"\b(?:mandatory|obligat\w+|required|forced|pressure\w*|expected)\b",
    r"\b(?:muss|müssen|musst)\s+(?:\w+\s+){0,4}(?:teilen|posten|liken|mitmachen)\b",
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
)
_POLITICS = _rx(
    r"\bpoliti\w*",
    r"\belection\w*",
    r"\bparty\s+(?:politics|program|leader)\b",
    r"\b(?:left|right)-wing\b",
    r"\bvote\s+for\b",
    r"\bpartei\w*",
    r"\bwahlkampf\w*",
    r"\bwahlen\b",
    r"\bbundestag\w*",
    r"\b(?:afd|cdu|csu|spd|fdp|grüne[nn]?|linke|democrats?|republicans?|tories|labour)\b",
    r"\bdemonstration\w*",
    r"\bprotest\w*",
)
_COMPANY_LINK = _rx(
    r"\b(?:company|corporate|our)\s+(?:hashtag|logo|name|account|page|channel)\b",
    r"\bon\s+behalf\s+of\b",
    r"\bin\s+the\s+(?:company|firm)'?s?\s+name\b",
    r"\bfirmen(?:hashtag|logo|name|account|seite|kanal)\w*",
    r"\bim\s+namen\s+(?:der|des|unserer|unseres)\b",
    r"\bunser\w*\s+(?:logo|hashtag)\b",
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


def _hit(rx: re.Pattern[str] | None, text: str) -> str | None:
    """The matched words, widened to whole words ("unfall" in "Arbeitsunfall" shows as "Arbeitsunfall")."""
    if rx is None:
        return None
    m = rx.search(text)
    if not m:
        return None
    start, end = m.start(), m.end()
    while start > 0 and text[start - 1].isalnum() and m.start() - start < 30:
        start -= 1
    while end < len(text) and text[end].isalnum() and end - m.end() < 30:
        end += 1
    return text[start:end].strip()


class Detectors:
    def __init__(self, config: DetectorConfig | None = None) -> None:
        config = config or DetectorConfig()
        self._customers = _names_rx(config.customers)
        self._code_names = _names_rx(config.code_names)
        self._competitors = _names_rx(config.competitors)

    def scan(self, text: str) -> list[Signal]:
        """Every finding in ``text`` (already cleaned of markup), strongest verdict first."""
        out: list[Signal] = []

        def add(kind: str, topic: str, verdict: Verdict, evidence: str | None, strength: float = 1.0) -> None:
            if evidence:
                out.append(
                    Signal(kind=kind, topic=topic, verdict=verdict, evidence=evidence[:80], strength=strength)
                )

        # confidential
        code = _hit(self._code_names, text)
        add("unreleased", "confidential", "no", code, 1.2)
        if not code:
            hit = _hit(_UNRELEASED, text)
            if hit:
                add("unreleased", "confidential", "no", hit)
            else:
                future, announce = _hit(_FUTURE, text), _hit(_ANNOUNCE, text)
                if future and announce:
                    add("unreleased", "confidential", "no", f"{announce} … {future}", 0.9)
                else:
                    add("unreleased", "confidential", "check", _hit(_WEAK_UNRELEASED, text), 0.6)
        figure = _hit(_FIGURE, text)
        business = _hit(_BUSINESS, text)
        if (figure and business) or _hit(_RECORD, text):
            published, unpublished = _hit(_PUBLISHED, text), _hit(_UNPUBLISHED, text)
            if unpublished or not published:
                add(
                    "figures",
                    "confidential",
                    "no",
                    figure or _hit(_RECORD, text),
                    1.1 if unpublished else 0.9,
                )
        published = _hit(_PUBLISHED, text)
        deal = _hit(_DEAL, text)
        if deal and published and not _hit(_UNPUBLISHED, text):
            # "the opening of the new plant was officially celebrated" is news to share, not a leak.
            add("deal", "confidential", "check", deal, 0.5)
        else:
            add("deal", "confidential", "no", deal, 0.9)
        add("internal", "confidential", "no", _hit(_INTERNAL, text), 0.9)
        add(
            "customer",
            "confidential",
            "check",
            _hit(self._customers, text) or _hit(_CUSTOMER_PROJECT, text) or self._named_partner(text),
            0.8,
        )
        data = _hit(_COMPANY_DATA, text)
        if data and _hit(_TAKE, text):
            add("company_data", "contacts", "no", data, 1.0)

        # Cues that only point to a topic and never loosen a verdict.
        if published and not any(sig.verdict == "no" for sig in out):
            add("published", "official_content", "go", published, 0.4)
        add("obligation", "voluntary", "go", _hit(_OBLIGATION, text), 0.7)

        # privacy
        add(
            "personal_data",
            "privacy",
            "check",
            _hit(_EMAIL, text) or _hit(_IBAN, text) or self._phone(text),
            0.9,
        )
        add("personal_data", "privacy", "no", _hit(_SENSITIVE, text), 1.0)
        add("person_name", "privacy", "check", _hit(_TAGGING, text) or self._person_name(text), 0.8)
        faces = _hit(_FACES_DIRECT, text)
        if faces:
            add("people_media", "privacy", "check", faces, 1.0)
        else:
            media, people = _hit(_MEDIA, text), _hit(_PEOPLE, text)
            if media and people:
                add("people_media", "privacy", "check", f"{media} … {people}", 0.7)

        # copyright
        if not _hit(_OWN_OR_LICENSED, text):
            add("third_party_media", "copyright", "check", _hit(_THIRD_PARTY, text), 0.9)

        # netiquette
        insult = _hit(_INSULT, text)
        competitor = _hit(self._competitors, text) or _hit(_COMPETITOR, text)
        if competitor and (insult or _hit(_NEGATIVE, text)):
            add(
                "competitor_attack",
                "netiquette",
                "no",
                f"{competitor} … {insult or _hit(_NEGATIVE, text)}",
                1.0,
            )
        elif insult:
            add("insult", "netiquette", "no", insult, 1.0)
        else:
            add("insult", "netiquette", "check", _hit(_ATTACKED, text), 0.5)
        politics = _hit(_POLITICS, text)
        if politics:
            link = _hit(_COMPANY_LINK, text)
            add(
                "politics",
                "netiquette",
                "no" if link else "check",
                f"{politics} … {link}" if link else politics,
                0.9,
            )

        # spokesperson and crisis
        add("press", "spokesperson", "no", _hit(_PRESS, text), 1.1)
        add("legal", "spokesperson", "no", _hit(_LEGAL, text), 1.0)
        add("statement", "spokesperson", "no", _hit(_STATEMENT, text), 0.9)
        add("crisis", "crisis", "no", _hit(_CRISIS, text), 1.0)

        add("injection", "", "check", _hit(_INJECTION, text), 0.0)
        order = {"no": 0, "check": 1, "go": 2}
        out.sort(key=lambda s: (order[s.verdict], -s.strength))
        return out

    @staticmethod
    def _phone(text: str) -> str | None:
        for m in _PHONE.finditer(text):
            digits = sum(c.isdigit() for c in m.group(0))
            # Years, percentages and prices are short; phone numbers have 7 digits or more.
            if digits >= 7 and not _DATE.fullmatch(m.group(0).strip()):
                return m.group(0).strip()
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
        for m in _CAP_NAME.finditer(text):
            if m.group(1).lower() in _FIRST_NAMES:
                return m.group(0)
        return None
