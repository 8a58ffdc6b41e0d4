"""The platform adapters: each turns one chat platform's events into Incoming messages and sends Replies."""
