"""The national standard as data: templates, headings, citation registry, contact patterns."""
