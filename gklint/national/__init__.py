"""The national rule pack: one module per family, each registered as a plugin through entry points."""
