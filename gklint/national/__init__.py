"""The national rule pack: one package per family (``sections`` GK1 … ``crossyear`` GK7), each a
plugin registered through an entry point, its rules declared in its ``rules.toml`` and each check
in a module of its own (read by :func:`gklint.declare.load_rules`)."""
