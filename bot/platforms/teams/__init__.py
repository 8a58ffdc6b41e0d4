"""Microsoft Teams: the adapter and its Adaptive Card rendering (cards.py)."""

from bot.platforms.teams.activities import TeamsDeliveryError, html_to_text
from bot.platforms.teams.adapter import MESSAGES_PATH, UNAUTHENTICATED_WARNING, TeamsAdapter

__all__ = ["MESSAGES_PATH", "UNAUTHENTICATED_WARNING", "TeamsAdapter", "TeamsDeliveryError", "html_to_text"]
