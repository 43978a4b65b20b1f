"""Built-in output formats: text, JSON and SARIF 2.1.0; each is a plugin."""
