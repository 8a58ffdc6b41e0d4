"""The terminal as a third platform: one person's chat (chat.py) or the local workspace of several people
with a movable clock (workspace.py), on the same core, handlers and stored data as Slack and Teams."""
