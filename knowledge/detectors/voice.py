"""Tone, speaking for the company, and incidents.

The patterns for ``insult``, ``competitor_attack``, ``insult_mentioned``, ``politics``,
``politics_company``, ``press``, ``creator_contact``, ``legal``, ``statement`` and ``crisis``
(including a harm to someone that spreads in public).
"""

from __future__ import annotations

import re

from knowledge.detectors.rx import any_of

# -- tone ------------------------------------------------------------------

INSULT = any_of(
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
DIG = re.compile(
    r"\b(?i:unlike|anders\s+als|im\s+gegensatz\s+zu|not\s+like)\s+(?:(?i:bei)\s+)?[A-ZÄÖÜ][\w&.-]+\s*,?\s*(?i:we|wir|our|unser\w*)\b"
    r"|\b(?i:at\s+least\s+we|wenigstens\s+wir|zumindest\s+wir)\b",
    re.UNICODE,
)
ATTACKED = any_of(
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
COMPETITOR = any_of(
    r"\bcompetitors?(?:'s)?\b",
    r"\brivals?(?:'s)?\b",
    r"\bcompetition\b",
    r"\bkonkurren\w*",
    r"\bwettbewerb\w*",
    r"\bmitbewerber\w*",
    r"\bswitch\s+to\s+us\b|\bwechsel\w*\s+(?:doch\s+|lieber\s+|endlich\s+)?zu\s+uns\b|\bstill\s+(?:using|buys?|buying)\b|\bnoch\s+(?:immer\s+)?(?:bei|von)\s+\w+\s+(?:kauft|kaufen|bestellt)\b",
)
NEGATIVE = any_of(
    r"\b(?:worse|worst|bad|terrible|awful|horrible|useless|overpriced|cheap\s+copy|copycat|ridiculous|laughable|joke|inferior|fails?|failing|dying|dead|bankrupt|sinking|garbage|trash|junk|crap|rubbish|sucks?|embarrassing)\b",
    r"🤡|💩|🙄|🤮|😂|🤣|\bimagine\s+still\b|\bdeserves?\b|\bverdient\s+(?:es|haben)\b|\bselbe?r?\s+schuld\b|\bown\s+fault\b|\bhave\s+only\s+themselves\s+to\s+blame\b",
    r"\b(?:schlechter\w*|schlecht\w*|mies\w*|furchtbar\w*|grottig\w*|überteuert\w*|billig\w*|kopie|abklatsch\w*|lächerlich\w*|witz|pleite|versag\w*|müll|schrott\w*|mist|peinlich\w*|hinterher)\b",
)

# -- speaking for the company, incidents ----------------------------------------------------

PRESS = any_of(
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
CREATOR = any_of(
    r"\b(?:researcher|scientist|academic|professor|student|think\s+tank|analyst|consultant|forscher\w*|wissenschaftler\w*|professor\w*|student\w*|doktorand\w*|analyst\w*|berater\w*)\b.{0,60}?\b(?:asked|asks|asking|wants|emailed|contacted|messaged|fragt|fragte|will|möchte|angefragt|geschrieben|bittet)\b",
    r"\b(?:youtuber|influencer|streamer|content\s+creator|podcaster|tiktoker)\w*\b.{0,60}?\b(?:asked|asks|wants|contacted|messaged|dm'?d|fragt|fragte|will|möchte|angefragt|geschrieben)\b",
)
# Speaking for the company: a statement or position in its name.
STATEMENT = any_of(
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
APPEARANCE = any_of(
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

LEGAL = any_of(
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
CRISIS = any_of(
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

POLITICS = any_of(
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
# A harm the company's product or people are blamed for, spreading in public: a crisis in the making
# even where no incident word stands ("a kid getting hurt by one of our scooters has two million
# views", "Herzrasen von unserem Energydrink, das Video geht durch die Decke"). All three must be there.
HARM = any_of(
    r"\b(?:hurt|harmed|injur\w*|bleed\w*|burn(?:ed|t|s|ing)?|melt(?:ed|s|ing)?|explod\w*|sick|ill|poison\w*|allerg\w*|rash\w*|"
    r"palpitations|heart\s+(?:racing|problems)|choked|choking|cut\s+(?:himself|herself|themselves)|mocking|ridicul\w*|accus\w*|"
    r"speeding|drunk|rude|racist|sexist|abus\w*|yell\w*|shout\w*|smok(?:e|es|ed|ing)|on\s+fire|caught\s+fire)\b",
    r"\b(?:verletz\w*|verbrannt|verbrüht|geschmolzen|geschmort|explodiert|krank|übel|übelkeit|vergift\w*|allergi\w*|ausschlag|"
    r"herzrasen|herzprobleme|erstickt|blutet\w*|geschnitten|verspott\w*|lachen\s+über|beschuldig\w*|vorgeworfen|"
    r"qualm\w*|raucht\w*|brannte|rast|raste|rasen|betrunken|unhöflich|rassistisch\w*|sexistisch\w*|pöbel\w*|angeschrien|anschreit)\b",
)
SPREAD = any_of(
    r"\b(?:viral|trending|went\s+round|going\s+(?:a)?round|doing\s+the\s+rounds|circulat\w*|geht\s+(?:gerade\s+)?(?:rum|herum|viral)|kursiert|all\s+over\s+(?:reddit|twitter|x|tiktok|instagram|facebook|social\s+media|the\s+internet|the\s+news)|"
    r"half\s+(?:of\s+)?(?:twitter|the\s+internet|tiktok|linkedin)|keep\s+(?:tagging|sharing|commenting|posting)|shared\s+\w+\s+times|"
    r"(?:\d[\d.,]*\s*(?:thousand|million|k|m)?|(?:a|two|three|several|hundreds\s+of)\s+(?:thousand|million))\s*(?:views|shares|likes|comments|retweets)|"
    r"durch\s+die\s+decke|macht\s+die\s+runde|verbreitet\s+sich|tausendfach|millionenfach|"
    r"(?:\d[\d.,]*|zwei|drei|tausende|hunderte)\s+(?:tausend|millionen|mio\.?)?\s*(?:aufrufe|klicks|views|likes|kommentare|shares))\b",
)
OURS = any_of(r"\b(?:our|ours|us|unser\w*|uns)\b")
# Someone from the press or media asking the person for words: the press word is then an inquiry.
ASKS_FOR_WORDS = any_of(
    r"\b(?:wants?|wanted|asked|asks|asking|called|rang|emailed|e-mailed|texted|contacted|reached\s+out)\b.{0,40}?"
    r"\b(?:me|my\s+desk|from\s+me|a\s+quote|a\s+comment|a\s+statement|sentences?|words|an\s+interview)\b",
    r"\b(?:möchte|will|wollte|fragt|fragte|bittet|bat)\b.{0,40}?\b(?:von\s+mir|ein\s+zitat|eine[n]?\s+(?:kommentar|stellungnahme|einschätzung|satz)|sätze|ein\s+interview)\b",
    r"\bhat\s+mich\s+(?:\w+\s+){0,2}(?:angerufen|gefragt|angeschrieben|kontaktiert)\b",
)
COMPANY_LINK = any_of(
    r"\b(?:company|corporate|our)\s+(?:hashtag|logo|name|account|page|channel)\b",
    r"\bon\s+behalf\s+of\b",
    r"\bin\s+the\s+(?:company|firm)'?s?\s+name\b",
    r"\bfirmen-?(?:hashtag|logo|name|account|seite|kanal)\w*",
    r"\bim\s+namen\s+(?:der|des|unserer|unseres)\b",
    r"\bunser\w*\s+(?:logo|hashtag)\b",
)

