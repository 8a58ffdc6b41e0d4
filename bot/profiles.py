"""What a platform's profile of a person (name, address, zone, locale, guest, deactivated) changes on their row.

The core's ``person_for`` applies it; an event's acceptance reads the row early and asks ``unchanged_person``
whether there is anything to write at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import make_transient_to_detached

from bot.i18n import normalize_language
from bot.messages import Profile
from storage.models import Person, utcnow

PROFILE_RECHECK = timedelta(minutes=10)  # a message re-checks the profile at most this often


def email_of(profile: Profile | None) -> str | None:
    return profile.email.strip().lower() if profile and profile.email else None


def guest_of(profile: Profile) -> bool | None:
    """Whether the platform calls the person a guest or external; None: it could not tell (keep what we knew)."""
    if profile.is_guest is None and profile.is_external is None:
        return None
    return bool(profile.is_guest) or bool(profile.is_external)


def check_due(checked: datetime | None, *, quiet: bool) -> bool:
    """Whether the profile check is to be time-stamped now (a button press refreshes only a missing one)."""
    if checked is not None and checked.tzinfo is None:
        checked = checked.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return checked is None or (utcnow() - checked > PROFILE_RECHECK and not quiet)


def first_profile(row: Person, profile: Profile) -> None:
    """What ``take_names`` and ``take_status`` set on a new row, set before its insert."""
    if profile.name:
        row.display_name = profile.name
    if profile.timezone:
        row.timezone = profile.timezone
    row.locale = normalize_language(profile.locale)
    guest = guest_of(profile)
    if guest is not None:
        row.is_guest = guest
    row.profile_checked_at = utcnow()
    if not profile.deleted:
        row.active = True


def take_names(row: Person, profile: Profile) -> None:
    """What a message (not a button) updates: address (if none), name, time zone (if none), locale."""
    email = email_of(profile)
    if email and not row.email:
        row.email = email
    if profile.name:
        row.display_name = profile.name
    if profile.timezone and not row.timezone:
        row.timezone = profile.timezone
    locale = normalize_language(profile.locale)
    if locale and row.locale != locale:
        row.locale = locale


def take_status(row: Person, profile: Profile, *, quiet: bool) -> bool:
    """Guest or not, active again, the check's time stamp; True: the person was deactivated just now."""
    guest = guest_of(profile)
    if guest is not None:
        row.is_guest = guest
    if check_due(row.profile_checked_at, quiet=quiet):
        row.profile_checked_at = utcnow()
    if profile.deleted:
        return bool(row.active)
    row.active = True
    return False


def unchanged_person(row: dict[str, Any], profile: Profile | None, *, quiet: bool = False) -> Person | None:
    """The person of a row read at acceptance, or None when the profile brings news to write
    (person_for's full path then writes it, as it does on first contact)."""
    if profile:
        email = email_of(profile)
        if not quiet and ((email and not row["email"]) or (profile.name and row["display_name"] != profile.name)):
            return None
        if not quiet and profile.timezone and not row["timezone"]:
            return None
        locale = normalize_language(profile.locale)
        if not quiet and locale and row.get("locale") != locale:
            return None
        guest = guest_of(profile)
        if guest is not None and bool(row["is_guest"]) != guest:
            return None
        if check_due(row["profile_checked_at"], quiet=quiet):
            return None
        if bool(profile.deleted) == bool(row["active"]):
            return None  # deactivated now, or back again
    person = Person(**row)
    # As if loaded by a session that has closed, like the rows person_for's full path returns.
    make_transient_to_detached(person)
    return person
