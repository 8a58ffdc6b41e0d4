"""What is not public yet: products, figures, deals, sites, internal matters, customers, company data.

The patterns for the findings ``code_name``, ``unreleased``, ``unreleased_hint``, ``figures``, ``deal``,
``announced_deal``, ``new_site``, ``unannounced_site``, ``internal``, ``customer`` and ``company_data``,
the cues that something was published, and the conditions of publication ("after the press release").
"""

from __future__ import annotations

import re

from knowledge.detectors.rx import any_of

# -- what is not public ---------------------------------------------------------------

UNRELEASED = any_of(
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
WEAK_UNRELEASED = any_of(
    r"\bin\s+(?:the|our)\s+labs?\b", r"\bim\s+labor\b", r"\btesting\s+(?:a|the|our)\s+new\b", r"\bbeta\b"
)
FUTURE = any_of(
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
ANNOUNCE = any_of(
    r"\b(?:launch\w*|releas\w*|announc\w*|unveil\w*|open|opens|opening|introduc\w*|roll(?:s|ing)?\s+out|goes\s+live|hits\s+the\s+market)\b",
    r"\b(?:eröffne\w*|launche\w*|vorstell\w*|stellen\s+(?:[\w-]+\s+){1,8}vor\b|ankündig\w*|kündigen\s+(?:[\w-]+\s+){1,6}an\b|einführ\w*|führen\s+(?:[\w-]+\s+){1,6}ein\b|start\w*|bringen\s+(?:[\w-]+\s+){1,6}raus\b|rausbringen|erscheint|erscheinen|präsentier\w*|enthüll\w*|zeigen\s+(?:\w+\s+){1,6}(?:zum\s+ersten\s+mal|erstmals)\b|feier\w*\s+(?:\w+\s+){0,4}premiere)",
    r"\b(?:present(?:ing|s)?\s+(?:our|the)\s+(?:new|first)|premiere\w*|debut\w*)\b",
)
FIGURE = any_of(
    r"[+-]?\d+(?:[.,]\d+)?\s?(?:%|percent\b|prozent\b|per\s?cent\b)",
    r"(?:€|\$|£|eur\b|usd\b)\s?\d",
    r"\d\s?(?:€|\$|£|eur\b|usd\b)",
    r"\d+(?:[.,]\d+)?\s?(?:million|millionen|mio\b|mrd\b|milliarden?|billion|bn\b|m\b|k\b)",
    r"\b(?:doubled|tripled|verdoppelt|verdreifacht)\b",
)
# A count of what the company does not publish: "500 neue Kunden", "12,000 new users".
COUNT = any_of(
    r"\b\d[\d.,]*\s+(?:new\s+|neue\s+|more\s+|mehr\s+|zusätzliche\s+)?(?:customers|clients|users|subscribers|orders|downloads|stores|kunden|kundinnen|nutzer\w*|abonnenten|aufträge|bestellungen|filialen|neukunden|units|einheiten|stück|fahrzeuge|vehicles|cars|tonnen|tons|pieces)\b",
)
BUSINESS = any_of(
    r"\b(?:sales|revenue|revenues|turnover|profit|profits|earnings|margin|orders|bookings|growth|ebit\w*|results|numbers|figures|quarter|quarterly|headcount|customers|users|downloads|market\s+share)\b",
    r"\b(?:umsatz\w*|absatz\w*|verkäufe|verkaufszahlen|gewinn\w*|ergebnis\w*|marge|aufträge|auftragseingang|wachstum|zahlen|quartal\w*|mitarbeiterzahl|kundenzahl|nutzerzahl\w*|marktanteil)\b",
    r"\b(?:preise|preiserhöh\w*|preissteiger\w*|prices|pricing|price\s+(?:increase|hike|rise|cut))\b",
    r"\bq[1-4]\b",
    r"\b(?:up|down|grew|rose|fell|increased|decreased|gestiegen|gesunken|gewachsen|plus|minus)\b",
)
RECORD = any_of(
    r"\brecord\s+(?:quarter|year|month|sales|results)\b",
    r"\bbest\s+(?:quarter|year)\s+ever\b",
    r"\b(?:q[1-4]|quarter|quartal|year|month|jahr|monat)\b.{0,25}?\b(?:best|strongest|biggest|record|bestes|stärkstes)\b.{0,10}?\b(?:ever|yet|aller\s+zeiten|bisher)\b",
    r"\brekord\w*",
)
PUBLISHED = any_of(
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
UNPUBLISHED = any_of(
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
DEAL = any_of(
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
NEW_SITE = any_of(
    r"\bneue[nmrs]?\s+(?:standort|werk|büro|niederlassung|filiale|gebäude|labor|zentrale|hauptsitz)\w*",
    r"\b(?:our|the|my|this)\s+new\s+(?:office|site|plant|building|location|branch|lab|laboratory|headquarters|hq|factory|campus)s?\b",
)
CUSTOMER_PROJECT = any_of(
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
INTERNAL = any_of(
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

COMPANY_DATA = any_of(
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
TAKE = any_of(
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

# A plan for the company not yet announced, told in plain words: an intention or decision, a change
# and a part of the company, all in one clause ("we're in talks to buy a competitor", "die Abteilung
# wird nächstes Jahr nach Polen verlagert", "the board decided to sell our logistics division").
INTENT = any_of(
    # A plan or decision, not a wish ("I want to buy our hoodie" is no deal).
    r"\b(?:plan(?:s|ning|ned)?\s+to|decided\s+(?:\w+\s+){0,2}to|decision\s+to|in\s+talks\s+to|considering|thinking\s+about)\b",
    # Not "plant": an English factory as often as a German plan.
    r"\b(?:geplant|planen|beschlossen|entschieden|vorhaben|überlegen|überlegt|werden|wird)\b",
)
CHANGE = any_of(
    r"(?<!-)\b(?:sell(?:ing|s)?|buy(?:ing|s)?|acquir\w*|clos(?:e|es|ing)|shut(?:ting)?\s+down|relocat\w*|mov(?:e|es|ing)|merg(?:e|es|ing)|outsourc\w*|spin(?:ning)?\s+off|cut(?:ting)?|enter(?:ing)?|split(?:ting)?\s+up)\b",
    r"\b(?:verlager\w*|verleg\w*|schließ\w*|schliess\w*|dichtmach\w*|verkauf\w*|kaufen|gekauft|übernehm\w*|abbau\w*|abgebaut|streich\w*|gestrichen|auslager\w*|zusammengelegt|zusammenleg\w*|fusionier\w*|aufgelöst|auflösen|umzieh\w*|eintreten|expandier\w*)",
)
ORG_PART = any_of(
    r"\b(?:division|department|business\s+unit|unit|plant|site|office|factory|warehouse|company|competitor|subsidiary|branch|location|markets?|production|headquarters|hq|team)\b",
    r"\b(?:abteilung\w*|sparte\w*|geschäftsbereich\w*|bereich|werk|werke|standort\w*|büro\w*|firma|wettbewerber\w*|konkurrent\w*|filiale\w*|tochter\w*|niederlassung\w*|märkte|markt|produktion|zentrale|hauptsitz|team)\b",
)


# A post that waits for the publication: "after the press release", "once it is announced",
# "sobald die Pressemitteilung raus ist", "erst nachdem ... veröffentlicht". Not "now that it is out".
CONDITION = any_of(
    r"\b(?:after|once|as\s+soon\s+as|when|until|not\s+before|only\s+after)\s+(?:\w+\s+){0,5}?(?:press\s+release|announcement|launch|release|"
    r"(?:is|are|has\s+been|have\s+been|gets?|goes)\s+(?:\w+\s+)?(?:published|announced|released|public|official|out|live))\b",
    r"\b(?:sobald|nachdem|wenn|erst\s+nach(?:dem)?|nicht\s+vor)\s+(?:\w+\s+){0,6}?(?:pressemitteilung\w*|ankündigung|veröffentlichung|"
    r"launch|marktstart|veröffentlicht|angekündigt|bekanntgegeben|offiziell|raus|draußen|öffentlich|live)\b",
)
# Said to be secret in so many words: a condition does not make it a matter to clear.
STILL_SECRET = any_of(r"\bgeheim\w*|\bsecret\b|\bunder\s+nda\b|\bnda\b|\bembargo\w*|\bsperrfrist\w*|\bvertraulich\w*|\bconfidential\b")

# What a condition of publication concerns: news not yet announced.
WAITS_FOR_PUBLICATION = frozenset({"unreleased", "new_site", "deal", "figures"})


def named_partner(text: str) -> str | None:
    for m in _NAMED_PARTNER.finditer(text):
        first = m.group(1).split()[0].lower()
        if first not in _NOT_PARTNERS:
            return m.group(0)
    return None
