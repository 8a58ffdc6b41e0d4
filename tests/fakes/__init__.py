"""SDK-level fakes: a local Slack Web API / Socket Mode server and a Bot Framework connector."""
