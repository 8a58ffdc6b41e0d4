"""Ambassador runtime: configuration, platform adapters, web server, scheduler, CLI."""
