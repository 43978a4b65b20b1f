"""``python -m gklint``."""

import gc


def _run() -> None:
    gc.disable()  # importing the command line creates many long-lived objects and no garbage
    from gklint.cli import main

    gc.enable()
    main()


if __name__ == "__main__":
    _run()
