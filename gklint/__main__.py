"""``python -m gklint``."""

from gklint.cli import main

if __name__ == "__main__":
    main()
