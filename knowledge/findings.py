"""The findings the detectors can report: names of what a text shows, not of any policy.

A finding is something seen in a draft ("a figure before publication", "an e-mail address", "a
press inquiry"). Which verdict it implies and which topic it belongs to is the knowledge base's
decision: a guideline lists the findings it ``governs:``, and each governed finding carries that
guideline's verdict (or the verdict the guideline gives it by name), looser or stricter alike. A
finding no guideline governs gives "check" (the bot cannot clear what nobody ruled on); a cue that
no guideline governs points nowhere and changes nothing.

Each finding belongs to a *kind*, the family the engine's reading uses (the answer's wording,
which clause rules apply): ``sensitive_data`` and ``contact_details`` are both ``personal_data``.
A guideline may also govern a kind by its name: it then governs every finding of that kind that
no guideline names directly.
"""

from __future__ import annotations

# finding name: kind
FINDINGS: dict[str, str] = {
    # what is not public yet
    "code_name": "unreleased",  # a code name from app.yaml's knowledge.code_names
    "unreleased": "unreleased",  # a product, prototype or news not yet announced
    "unreleased_hint": "unreleased",  # a weak hint at something new ("in our lab", "beta")
    "figures": "figures",  # business figures not yet published
    "deal": "deal",  # a deal, plan or change not yet announced
    "announced_deal": "deal",  # a deal, plan or change the text says was made public
    "new_site": "new_site",  # a new site or office: public or not, the bot cannot know
    "unannounced_site": "new_site",  # a new site or office the text says is not announced
    "internal": "internal",  # internal documents and information
    "customer": "customer",  # a customer or customer project
    "company_data": "company_data",  # company or customer data taken along
    # people
    "contact_details": "personal_data",  # an e-mail address, phone number, IBAN
    "sensitive_data": "personal_data",  # health, pay, private matters of a person
    "person_name": "person_name",  # a named or tagged person
    "people_media": "people_media",  # pictures or video showing people
    # other people's material
    "third_party_media": "third_party_media",  # images, music, articles of someone else
    "altered_brand": "altered_brand",  # the company's own logo or brand changed (colours, a meme, a montage)
    # tone
    "insult": "insult",  # an insult or attack in the text
    "insult_mentioned": "insult",  # the text speaks of insults, abuse, trolls
    "insult_word": "insult",  # a word that can insult ("idiot", "lächerlich")
    "competitor_attack": "competitor_attack",  # a put-down of a competitor
    "politics": "politics",  # politics
    "politics_company": "politics",  # politics tied to the company
    # speaking for the company
    "press": "press",  # a press or media inquiry
    "creator_contact": "press",  # a blogger, creator, podcast or appearance request
    "press_word": "press",  # a word for the press or media ("journalist")
    "legal": "legal",  # a legal matter
    "statement": "statement",  # a statement in the company's name
    "crisis": "crisis",  # an incident, outage, leak or backlash
    # honesty
    "undisclosed": "undisclosed",  # hiding that one works here or got something for it
    "gift": "gift",  # something given in return for a post
    # accounts and time
    "account": "account",  # an account, page or channel for the company
    "time_effort": "time_effort",  # an activity that takes noticeable working time
    # cues: harmless in themselves, they point to what a question is about
    "published": "published",  # the content is published already
    "obligation": "obligation",  # a question about having to take part, or its consequences
    "ownership": "ownership",  # who owns contacts, followers, accounts
    "work_hours": "work_hours",  # a time of day, a break, working hours
    "disclosed": "disclosed",  # saying where one works
    "unrecognisable": "unrecognisable",  # a picture in which nobody can be recognised ("ohne Gesichter")
    "licensed": "licensed",  # one's own material, or licensed for the use (brand portal, royalty-free library)
}

# Cues are no risk: governed, they take their guideline's verdict and topic like any finding;
# ungoverned, they point nowhere and change nothing.
CUES = frozenset({"published", "obligation", "ownership", "work_hours", "disclosed", "unrecognisable", "licensed"})

KINDS = frozenset(FINDINGS.values())

# What a guideline may name in ``governs:``: a finding, or a kind (all its findings not named elsewhere).
GOVERNABLE = frozenset(FINDINGS) | KINDS


def kind_of(name: str) -> str:
    return FINDINGS.get(name, name)
