"""What an ambassador does: pressure to post, company accounts, working time, honesty, gifts.

The patterns for ``obligation``, ``account``, ``time_effort``, ``work_hours``, ``undisclosed``,
``gift`` and ``ownership``, and for an instruction to the bot hidden in a draft.
"""

from __future__ import annotations

from knowledge.detectors.rx import any_of

# -- pressure to post ------------------------------------------------------------------

OBLIGATION = any_of(
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
# Creating, naming or branding an account, page, group or channel for the company.
_ACCOUNT_THING = (
    r"(?:accounts?|pages?|channels?|groups?|boards?|servers?|communit\w*|newsletters?|podcasts?|blogs?|websites?|domains?"
    r"|handles?|profiles?|konto|konten|seiten?|kanal|kanäle|gruppen?|profile?|communitys?|auftritt\w*|fanseite\w*|fanpage\w*)"
)
_DE_CREATE = (
    r"(?:anlegen|angelegt|erstellen|erstellt|erstelle|gründen|gegründet|gründe|einrichten|eingerichtet|eröffnen|eröffnet|registrier\w*"
    r"|starten|gestartet|aufmachen|aufgemacht|aufbauen|aufgebaut|betreib\w*)"
)
ACCOUNT = any_of(
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
ACCOUNT_CONTEXT = any_of(_ACCOUNT_THING, r"\b(?:instagram|tiktok|linkedin|xing|facebook|youtube|x|twitter|discord|telegram|whatsapp|pinterest|mastodon|substack)\b")
COMPANY_WORD = any_of(
    r"\b(?:company|corporate|brand|official|our|team|department|site|product|firm|employer|business|logo)\b",
    r"\b(?:firm\w*|unternehmen\w*|marke\w*|offiziell\w*|unser\w*|team\w*|abteilung\w*|standort\w*|produkt\w*|logo\w*|azubi\w*)\b",
)
# Time-consuming activity: hours or days, whole afternoons, instead of the job.
TIME_EFFORT = any_of(
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
UNDISCLOSED = any_of(
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
GIFT = any_of(
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
FOR_POST = any_of(
    r"\b(?:if|when|in\s+exchange|in\s+return|provided)\s+(?:\w+\s+){0,3}(?:i|we)\s+(?:\w+\s+){0,2}(?:post|share|mention|tag|recommend|review)\w*\b",
    r"\b(?:wenn|falls|sofern|dafür\s+dass)\s+(?:\w+\s+){0,2}(?:ich|wir)\s+(?:\w+\s+){0,6}(?:poste|posten|teile|teilen|erwähne|erwähnen|empfehle|empfehlen|verlinke|markiere)\b|\bals\s+gegenleistung\b",
    # "soll dafür posten", "want me to post about it": a post asked for in return.
    r"\b(?:soll|sollen|solle|muss|müssen|darf)\s+(?:ich\s+|wir\s+)?dafür\s+(?:\w+\s+){0,4}(?:posten|teilen|werben|schreiben|erwähnen|empfehlen|bewerten|markieren)\b",
    r"\b(?:want|wants|wanted|asked|asks|expect|expects)\s+(?:me|us)\s+to\s+(?:\w+\s+)?(?:post|share|review|mention|tag|recommend|promote)\w*\b",
)
GIVER = any_of(
    r"\b(?:supplier|vendor|partner|agency|brand|hotel|company|firm|startup|manufacturer|lieferant\w*|anbieter\w*|partner\w*|agentur\w*|hersteller\w*|hotel\w*|marke\w*|firma|unternehmen)\b"
)

# When: during working hours, a break, the office or home office. A cue for the working-time topic.
WORK_HOURS = any_of(
    r"\b(?:zwischen|between)\s+(?:zwei\s+|two\s+)?(?:\w+)?(?:terminen|meetings|calls|appointments|besprechungen|kundenterminen|calls)\b",
    r"\b(?:while|during|in)\s+(?:sitting\s+in\s+)?(?:a|an|the|my|our)\s+(?:\w+\s+)?(?:webinar|meeting|call|training|workshop|schulung|besprechung|sitzung)\b",
    r"\b(?:each|every)\s+(?:morning|day|afternoon|evening)\b|\bjeden\s+(?:morgen|tag|nachmittag)\b|\bafter\s+(?:my|the|our)\s+(?:stand-?up|daily|meeting)\b|\bbefore\s+(?:i|we)\s+(?:start|begin)\b|\bbevor\s+ich\s+(?:\w+\s+){0,2}(?:anfange|loslege|beginne)\b|\b\d+\s+(?:minutes|minuten|min)\b",
    r"\b(?:during|in|at|on)\s+(?:my\s+|the\s+|our\s+)?(?:working\s+hours|work\s+hours|office\s+hours|work\s+time|working\s+time|the\s+workday|my\s+shift|lunch\s+break|coffee\s+break|break)\b",
    r"\bat\s+(?:work|the\s+office|my\s+desk)\b|\bon\s+the\s+clock\b|\bbetween\s+(?:meetings|tasks)\b|\bhome\s*office\b|\bfrom\s+home\b",
    r"\b(?:während|in)\s+(?:der|meiner|einer|unserer)\s+(?:arbeitszeit|arbeit|dienstzeit|schicht|pause|mittagspause|besprechung)\b",
    r"\b(?:mittagspause|kaffeepause|arbeitszeit\w*|dienstzeit|homeoffice|feierabend)\b|\bim\s+(?:büro|dienst|homeoffice)\b|\bbei\s+der\s+arbeit\b",
)

# The small things ambassadors do during the day.
LIGHT_ACTIVITY = any_of(
    r"\b(?:shar\w*|like|likes|liking|liked|comment\w*|repost\w*|reshar\w*|retweet\w*|upvot\w*|react\w*|teil\w*|lik\w*|kommentier\w*|weiterleit\w*|scroll\w*)\b"
)

# Leaving the company or a role, or asking who owns contacts: the contacts topic.
OWNERSHIP = any_of(
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

INJECTION = any_of(
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

