"""Built-in readers: plain text, HTML and Word (.docx); each is a plugin."""
