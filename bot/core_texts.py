"""The framework's own texts (errors, help, roles, "my data", undelivered messages) and role titles.

Capabilities add their texts through their declarations; these are the core's, in English and
German, added to the catalog first (bot/capability.py).
"""

from __future__ import annotations

from bot import ratelimit
from bot.i18n import Translator
from bot.router import BACKUP, COMMUNICATOR, CORE, LEAD, MEMBER

CORE_TEXTS = {
    **ratelimit.TEXTS,
    "core.error": {
        "en": "Sorry, something went wrong on my side; the team has it in the log. Please try again in a moment.",
        "de": {"du": "Entschuldige, bei mir ist etwas schiefgegangen; das Team sieht es im Protokoll. Versuch es bitte gleich noch einmal.",
               "sie": "Entschuldigung, bei mir ist etwas schiefgegangen; das Team sieht es im Protokoll. Bitte versuchen Sie es gleich noch einmal."},
    },
    "core.undelivered.not_opened": {
        "en": "Not delivered to {names}: they have not opened a chat with me yet, and I may not write first. "
              "Once they open Ambassador in their chat app and say hello, my messages reach them; "
              "until then, please tell them yourself.",
        "de": {"du": "Nicht zugestellt an {names}: sie haben noch keinen Chat mit mir geöffnet, und ich darf nicht zuerst "
                     "schreiben. Sobald sie Ambassador in ihrer Chat-App öffnen und Hallo sagen, erreichen sie meine "
                     "Nachrichten; bis dahin sag es ihnen bitte selbst.",
               "sie": "Nicht zugestellt an {names}: sie haben noch keinen Chat mit mir geöffnet, und ich darf nicht zuerst "
                      "schreiben. Sobald sie Ambassador in ihrer Chat-App öffnen und Hallo sagen, erreichen sie meine "
                      "Nachrichten; bis dahin sagen Sie es ihnen bitte selbst."},
    },
    "core.undelivered.failed": {
        "en": "Not delivered to {names}: their chat platform did not take the message. "
              "It is not lost for the team (it is in the log), but they have not seen it: please tell them yourself.",
        "de": {"du": "Nicht zugestellt an {names}: ihre Chat-Plattform hat die Nachricht nicht angenommen. "
                     "Das Team sieht es im Protokoll, aber sie haben sie nicht gesehen: sag es ihnen bitte selbst.",
               "sie": "Nicht zugestellt an {names}: ihre Chat-Plattform hat die Nachricht nicht angenommen. "
                      "Das Team sieht es im Protokoll, aber sie haben sie nicht gesehen: sagen Sie es ihnen bitte selbst."},
    },
    "core.undelivered.more": {"en": "and {n} more", "de": "und {n} weitere"},
    "core.undelivered.someone": {"en": "someone", "de": "jemand"},
    "core.too_long": {
        "en": "Your message has {length} characters; I read at most {limit}. Please send a shorter text (a draft post fits easily).",
        "de": {"du": "Deine Nachricht hat {length} Zeichen; ich lese höchstens {limit}. Schick bitte einen kürzeren Text (ein Post-Entwurf passt locker).",
               "sie": "Ihre Nachricht hat {length} Zeichen; ich lese höchstens {limit}. Bitte senden Sie einen kürzeren Text (ein Post-Entwurf passt locker)."},
    },
    "core.empty": {
        "en": "Your message was empty. Type *help* to see what I can do.",
        "de": {"du": "Deine Nachricht war leer. Schreib *hilfe*, um zu sehen, was ich kann.",
               "sie": "Ihre Nachricht war leer. Schreiben Sie *hilfe*, um zu sehen, was ich kann."},
    },
    "core.attachment": {
        "en": "I can't read attachments ({names}). Please paste the text of your post or question as a message.",
        "de": {"du": "Anhänge kann ich nicht lesen ({names}). Füge den Text deines Posts oder deine Frage bitte als Nachricht ein.",
               "sie": "Anhänge kann ich nicht lesen ({names}). Bitte fügen Sie den Text Ihres Posts oder Ihre Frage als Nachricht ein."},
    },
    "core.unknown": {
        "en": "I don't know “{text}”. Type *help* to see what I can do.",
        "de": {"du": "„{text}“ kenne ich nicht. Schreib *hilfe*, um zu sehen, was ich kann.",
               "sie": "„{text}“ kenne ich nicht. Schreiben Sie *hilfe*, um zu sehen, was ich kann."},
    },
    "core.unknown_action": {
        "en": "That button no longer works. Type *help* to start again.",
        "de": {"du": "Dieser Knopf funktioniert nicht mehr. Schreib *hilfe*, um neu anzufangen.",
               "sie": "Dieser Knopf funktioniert nicht mehr. Schreiben Sie *hilfe*, um neu anzufangen."},
    },
    "core.role_refused": {
        "en": "Only {roles} can use “{command}”. If you think you should, ask the comms lead.",
        "de": {"du": "„{command}“ dürfen nur {roles} verwenden. Wenn du meinst, dass du es brauchst, frag die Kommunikationsleitung.",
               "sie": "„{command}“ dürfen nur {roles} verwenden. Wenn Sie meinen, dass Sie es brauchen, wenden Sie sich an die Kommunikationsleitung."},
    },
    "core.role_refused_button": {
        "en": "Only {roles} can use this button. If you think you should, ask the comms lead.",
        "de": {"du": "Diesen Knopf dürfen nur {roles} verwenden. Wenn du meinst, dass du ihn brauchst, frag die Kommunikationsleitung.",
               "sie": "Diesen Knopf dürfen nur {roles} verwenden. Wenn Sie meinen, dass Sie ihn brauchen, wenden Sie sich an die Kommunikationsleitung."},
    },
    "core.guest_refused_button": {
        "en": "Guests and people from other organisations can't use this button: the ambassador program is for employees only.",
        "de": "Gäste und Personen aus anderen Organisationen können diesen Knopf nicht verwenden: Das Botschafterprogramm ist nur für Beschäftigte.",
    },
    "core.guest_refused": {
        "en": "Guests and people from other organisations can't use “{command}”: the ambassador program is for employees only.",
        "de": "Gäste und Personen aus anderen Organisationen können „{command}“ nicht verwenden: Das Botschafterprogramm ist nur für Beschäftigte.",
    },
    "core.unverified": {
        "en": "I couldn't check your account with the chat platform just now, so I can't do that yet. Please try again in a minute.",
        "de": {"du": "Ich konnte dein Konto gerade nicht bei der Chat-Plattform prüfen, daher geht das noch nicht. Versuch es bitte in einer Minute noch einmal.",
               "sie": "Ich konnte Ihr Konto gerade nicht bei der Chat-Plattform prüfen, daher geht das noch nicht. Bitte versuchen Sie es in einer Minute noch einmal."},
    },
    "core.inactive": {
        "en": "This account is deactivated, so I can't do that.",
        "de": "Dieses Konto ist deaktiviert, daher kann ich das nicht tun.",
    },
    "core.or": {"en": " or ", "de": " oder "},
    "role.employee": {"en": "employees", "de": "Beschäftigte"},
    "role.member": {"en": "program members", "de": "Programm-Mitglieder"},
    "role.core": {"en": "the core ambassador group", "de": "die Botschafter-Kerngruppe"},
    "role.communicator": {"en": "department communicators", "de": "Abteilungskommunikator*innen"},
    "role.backup": {"en": "the comms lead's backup", "de": "die Vertretung der Kommunikationsleitung"},
    "role.lead": {"en": "the comms lead", "de": "die Kommunikationsleitung"},
    # One person's role, as in "Your role: ..." or "x is now ...".
    "role1.employee": {"en": "employee", "de": "Beschäftigte*r"},
    "role1.member": {"en": "program member", "de": "Programm-Mitglied"},
    "role1.core": {"en": "member of the core ambassador group", "de": "Mitglied der Botschafter-Kerngruppe"},
    "role1.communicator": {"en": "department communicator", "de": "Abteilungskommunikator*in"},
    "role1.backup": {"en": "backup of the comms lead", "de": "Vertretung der Kommunikationsleitung"},
    "role1.lead": {"en": "comms lead", "de": "Kommunikationsleitung"},
    "shell.banner": {
        "en": "Ambassador, terminal chat as {email} ({role}). Type help; a number presses a button; quit or Ctrl-D ends.",
        "de": {"du": "Ambassador, Chat im Terminal als {email} ({role}). Schreib hilfe; eine Zahl drückt einen Knopf; quit oder Strg-D beendet.",
               "sie": "Ambassador, Chat im Terminal als {email} ({role}). Schreiben Sie hilfe; eine Zahl drückt einen Knopf; quit oder Strg-D beendet."},
    },
}


def role_titles(roles: frozenset[str], t: Translator, departments: tuple[str, ...] = ()) -> str:
    """'comms lead, program member' for display; most senior first."""
    names = []
    for r in (LEAD, BACKUP, COMMUNICATOR, CORE, MEMBER):
        if r in roles:
            name = t(f"role1.{r}")
            if r == COMMUNICATOR and departments:
                name += f" ({', '.join(departments)})"
            names.append(name)
    return ", ".join(names) or t("role1.employee")
