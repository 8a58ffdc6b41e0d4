"""The platform adapters: each turns one chat platform's events into Incoming messages and sends Replies
(slack/, teams/, shell/); slack/ and teams/ are the only code that imports a platform SDK."""
