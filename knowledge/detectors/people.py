"""People and their data, and other people's material.

The patterns for ``contact_details``, ``sensitive_data``, ``person_name``, ``people_media``,
``unrecognisable``, ``third_party_media``, ``licensed`` and ``altered_brand``, and the small readers
that look at a match in context (a phone number is not a date, a greeting names a person).
"""

from __future__ import annotations

import re

from knowledge.detectors.clauses import in_spans
from knowledge.detectors.rx import FLAGS, any_of

# -- people and their data ---------------------------------------------------------------------

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", FLAGS)
_PHONE = re.compile(r"(?<![\w.,])(?:\+\d{1,3}[\s/-]?)?(?:\(?\d{2,5}\)?[\s/-]?){2,4}\d{2,}(?![\w.,]\d)")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
SENSITIVE = any_of(
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
TAGGING = any_of(
    r"\btag(?:ging|ged)?\s+(?:him|her|them|my|the|our|a|all|everyone|colleagues?|people|customers?)\b(?!\s+(?:employer|company|firm|workplace|brand)\b)",
    r"\bmarkier\w*",
    r"\btagg(?:en|e|st|t)\b|\bgetaggt\b",
    r"\bverlink\w*\s+(?:ihn|sie|kolleg\w*|kunde\w*|den|die)",
    r"\bname\s+(?:him|her|them|my\s+colleague)\b",
    r"\bnamentlich\b",
    r"\bmention\s+(?:him|her|them|my\s+colleague|the\s+customer|his|her)\b",
    r"\bnennen\b.*\bnamen\b",
)
_MEDIA = any_of(
    r"\b(?:photos?|pictures?|pics?|images?|videos?|selfies?|screenshots?|recordings?|clips?|footage|fotos?|bilder?|aufnahmen?|mitschnitt\w*|stories|story|reels?|boomerangs?)\b",
    r"(?:foto|bild|video|selfie|screenshot)s?\b",
    r"\b(?:shots?|snaps?|snapshots?|candids?|schnappschuss\w*|gruppenbild\w*)\b",
)
_SHOWS = any_of(
    r"\b(?:it|which|that|they|this|you\s+can|you)\s+(?:shows?|showing|features?|see)\b",
    r"\b(?:zeigt|zeigen|sieht\s+man|man\s+sieht|sind\s+(?:\w+\s+)?drauf|ist\s+(?:\w+\s+)?drauf)\b",
)
_PEOPLE = any_of(
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
UNRECOGNISABLE = any_of(
    r"\b(?:ohne|keine)\s+(?:erkennbaren?\s+)?gesichter\b|\bno\s+(?:recogni[sz]able\s+|visible\s+)?faces\b|\bwithout\s+(?:any\s+)?(?:visible\s+)?faces\b",
    r"\bfaces?\s+(?:are\s+|is\s+)?(?:blurred|pixelated|not\s+visible|hidden|cut\s+off)\b|\bgesichter\s+(?:sind\s+)?(?:verpixelt|unkenntlich|abgeschnitten|nicht\s+(?:zu\s+sehen|erkennbar))\b",
    r"\b(?:can'?t|cannot|can\s+not|won'?t)\s+(?:really\s+)?(?:recogni[sz]e|identify|make\s+out)\s+(?:anyone|anybody|any\s+faces|faces|who)\b",
    r"\bniemand\s+(?:ist\s+)?(?:zu\s+)?erkenn\w*|\bnicht\s+(?:zu\s+)?erkennen\b|\bunkenntlich\b|\bnobody\s+(?:is\s+)?recogni[sz]able\b",
    r"\bbacks?\s+of\s+(?:their\s+|our\s+)?heads\b|\bfrom\s+behind\b|\bvon\s+hinten\b|\b(?:only|just)\s+(?:our\s+|my\s+|the\s+)?(?:hands|feet|shoes|boots|hiking\s+boots)\b|\bnur\s+(?:unsere\s+|meine\s+|die\s+)?(?:hände|füße|schuhe|wanderschuhe)\b",
)
FACES_DIRECT = any_of(
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

PRIVATE_MATTER = any_of(
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
A_PERSON = any_of(
    r"\b(?:kassierer\w*|verkäufer\w*|fahrer\w*|pfleger\w*|krankenschwester\w*|azubi\w*|praktikant\w*|nachbar\w*|vorgesetzte\w*|teamleiter\w*|cashier|driver|nurse|intern|trainee|neighbou?r|supervisor|someone|somebody|jemand|candidates?|applicants?)\b",
    r"\b(?:colleague\w*|coworker\w*|co-worker\w*|kolleg\w*|mitarbeiter\w*|teammate\w*|boss|chef\w*|manager\w*|he|she|his|her|him|er|sie|ihm|ihr|ihre|seine?|candidate\w*|kandidat\w*|bewerber\w*|applicant\w*|customer\w*|kund\w*)\b"
)

# -- other people's material -------------------------------------------------------------------

THIRD_PARTY = any_of(
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
OWN_OR_LICENSED = any_of(
    r"\b(?:brand\s+portal|press\s+kit|media\s+kit|media\s+library|royalty-?free|licen[cs]ed|i\s+took|i\s+shot|i\s+filmed|i\s+made|i\s+drew)\b",
    r"\b(?:our|my)\s+own\s+(?:\w+\s+)?(?:photos?|pictures?|images?|videos?|footage|music|songs?|graphics?|drawings?|recordings?)\b",
    r"\b(?:brand-?portal|presse-?kit|pressemappe|mediathek|lizenzfrei\w*|lizenziert\w*|gema-?frei\w*|selbst\s+(?:gemacht|fotografiert|gefilmt|aufgenommen|gezeichnet)|eigene[nms]?\s+(?:foto|bild|video|musik))\b",
)

# The company's own logo or brand changed: new colours, a meme, a montage ("our logo in rainbow colours").
ALTERED_BRAND = any_of(
    r"\b(?:our|the\s+company'?s|company|unser\w*|firmen)[-\s]?(?:logo|brand\s+mark|wordmark|markenzeichen)\w*\b.{0,50}?"
    r"\b(?:colou?rs?|rainbow|montage|collage|photoshop\w*|edit\w*|alter\w*|chang\w*|redesign\w*|remix\w*|mash-?up|"
    r"farben|regenbogen\w*|verändert|veränder\w*|bearbeit\w*|umgestalt\w*|umgefärbt|eingefärbt|verfremd\w*|fotomontage)\b",
    r"\b(?:montage|collage|mash-?up|fotomontage|remix|photoshopp?ed)\w*\b.{0,50}?\b(?:our|the\s+company'?s|unser\w*|firmen)[-\s]?(?:logo|markenzeichen)\w*\b",
    r"\b(?:firmenlogo|unternehmenslogo|konzernlogo)\w*\b.{0,50}?\b(?:farben|regenbogen\w*|veränder\w*|bearbeit\w*|umgestalt\w*|eingefärbt|verfremd\w*)\b",
)


def phone_number(text: str) -> str | None:
    for m in _PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        # Years, percentages and prices are short; phone numbers have 7 digits or more.
        if digits >= 7 and not _DATE.fullmatch(m.group(0).strip()):
            return m.group(0).strip()
    return None


def people_in_media(text: str, negated: list[tuple[int, int]] | None = None) -> str | None:
    """People shown in a picture: named in the words after it ("photo of my team", "picture from
    the party where you can see my teammates") or right before it ("team photo",
    "Kollegen-Video"); not "the HR team posted a video"."""
    negated = negated or []
    media = [(m.start(), m.end(), m.group(0)) for m in _MEDIA.finditer(text) if not in_spans(m.start(), negated)]
    if not media:
        return None
    for m in _SHOWS.finditer(text):
        # "... a reel I made on Saturday, but it shows my colleagues on the line": the people are
        # named after the verb that says what the picture shows.
        p = _PEOPLE.search(text, m.end(), m.end() + 40)
        if p and len(text[m.end() : p.start()].split()) <= 3 and not in_spans(p.start(), negated):
            return f"{m.group(0)} … {p.group(0)}"
    for p in _PEOPLE.finditer(text):
        if in_spans(p.start(), negated):
            continue  # "no people", "ohne Gesichter"
        for start, end, word in media:
            if p.start() >= end and len(text[end : p.start()].split()) <= 10:
                return f"{word} … {p.group(0)}"
            if p.end() <= start and len(text[p.end() : start].split()) <= 1:
                return f"{p.group(0)} {word}"
    return None


def mention(text: str) -> str | None:
    for m in _MENTION.finditer(text):
        if not _ACCOUNT_HANDLE.search(m.group(1)):
            return m.group(0)
    return None


def named_customer(text: str) -> str | None:
    for m in _NAMED_CUSTOMER.finditer(text):
        if m.group(1).lower() not in _NOT_CUSTOMER_NAMES:
            return m.group(0)
    return None


def brand_logo(text: str) -> str | None:
    for m in _BRAND_LOGO.finditer(text):
        name = next(g for g in m.groups() if g)
        if not {w.lower() for w in re.split(r"[\s-]+", name)} & _OWN_BRAND_WORDS:
            return m.group(0)
    return None


def person_name(text: str) -> str | None:
    for m in _GREETED.finditer(text):
        if m.group(1).lower() not in _NOT_GREETED and m.group(1).lower() not in _FIRST_NAMES_SKIP:
            return m.group(0).strip()
    for m in _CAP_NAME.finditer(text):
        if m.group(1).lower() in _FIRST_NAMES:
            return m.group(0)
    return None
