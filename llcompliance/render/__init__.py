"""Every human-facing format: text, JSON, GitHub, SARIF, Markdown, HTML, badges, PR bodies."""
