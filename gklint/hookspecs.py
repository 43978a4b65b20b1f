"""The hooks a gklint plugin can implement.

Every plugin, the built-in readers, reporters and national rule families
included, is a module (or object) registered under the entry-point group
``gklint``.  Implementations are marked with :data:`gklint.hookimpl`.

Hooks only *collect* things (rules, readers, reporters, data files, defaults);
the engine runs them.  That keeps each rule isolated: a rule that raises while
checking a document becomes a notification and the other rules still run,
which pluggy's own call loop would not allow.

A plugin module may declare the plugin-API major version it was written for::

    GKLINT_API_VERSION = "1"

If that is newer than :data:`gklint.API_VERSION`, the plugin is skipped with a
message naming the plugin, the version it needs and the installed one.

Hooks are called with keyword arguments; an implementation may accept fewer
arguments than the spec, so specs can grow without breaking plugins.

Rules across years
------------------

A rule that compares a report with the same agency's report of an earlier year
(the national GK7 family, or a pack's own) is declared with
``needs_previous = true`` in its ``rules.toml`` (``Rule(..., needs_previous=True)``).  The engine then runs it only when that
earlier report is known, and passes it as ``context.previous`` (a
:class:`gklint.model.Document`, read by the same readers; never ``None`` for such
a rule).  The earlier report is found by whoever runs gklint:

* in a batch (files and directories) the reports of one agency are paired by
  year (:func:`gklint.identity.pair_reports`; the agency and year of each report
  come from :func:`gklint.identity.identify`), so a report gets the one report
  of its agency for the year before, if there is exactly one;
* ``gklint --previous FILE`` gives it for every input;
* a service request gives it as ``previous`` in its JSON body;
* the Python API: ``Linter.lint_file(path, previous=doc)`` /
  ``lint_bytes(data, name, previous=doc)`` or ``check(doc, active, previous=doc)``.

The rule should itself check that the two reports are comparable (same
agency, consecutive years: :func:`gklint.identity.identify` gives both) and
stay quiet otherwise.  To point into the earlier report, yield
``Related(span, message, document=context.previous)``: text, JSON and SARIF
output name that file (SARIF ``relatedLocations`` with its URI).  The earlier
report is only read; rules must not keep it beyond the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.resources.abc import Traversable
    from pathlib import Path

    from gklint.data import StandardData
    from gklint.formats import ReporterFactory
    from gklint.readers.base import Reader
    from gklint.rule import Rule

_spec = pluggy.HookspecMarker("gklint")


@_spec
def gklint_rules() -> Sequence[Rule]:
    """Return the rules this plugin provides.

    Each :class:`gklint.rule.Rule` carries its id, name, family, default
    severity, short and full description and help in Chinese and English, the
    normative source, bad/good examples and its ``check`` function.  Rule ids
    are stable; a third-party pack uses its own prefix (``SD101``).  Two plugins
    declaring the same id is a configuration error naming both.  The national
    families and the example packs declare their rules in a ``rules.toml`` and
    return :func:`gklint.declare.load_rules` of their package.

    Called once per run, after configuration is loaded.

    :returns: a sequence of rules (may be empty).
    """


@_spec
def gklint_readers() -> Sequence[Reader]:
    """Return readers that turn file bytes into a :class:`gklint.model.SourceText`.

    A reader declares the file suffixes it handles (``(".html", ".htm")``).
    When two readers claim a suffix, the one from the plugin loaded last by
    name order wins, so a regional pack can replace a built-in reader for its
    province's CMS pages.

    Readers know nothing of rules: they only extract text and keep the way
    back to source coordinates.

    :returns: a sequence of readers.
    """


@_spec
def gklint_reporters() -> Sequence[ReporterFactory]:
    """Return output formats, each selectable with ``--format NAME``.

    :returns: a sequence of :class:`gklint.formats.ReporterFactory`.
    """


@_spec
def gklint_data_files() -> Sequence[Path | Traversable]:
    """Return data files in the standard's format (TOML) that this plugin contributes.

    The national standard in ``rules/`` is itself loaded this way.  Data files
    can add citation-registry entries, heading and label variants, contact
    constraints, required mentions, extra arithmetic identities and severity
    changes, and declare the region the pack serves (``[region]``, see
    :mod:`gklint.regions`): a regional pack's data and rules then apply only to
    reports of that region, and its ``[severity]`` only to its own rules and to
    findings produced from its data.  They are validated on load; a mistake is
    reported with the file, the key and what was expected.

    :returns: paths (or :mod:`importlib.resources` traversables) of TOML files.
    """


@_spec
def gklint_validate_data(data: StandardData) -> Sequence[str] | None:
    """Validate the parts of the merged standard data that this plugin reads.

    Called once per run, right after the data files of every plugin are
    merged, and before any document is checked.  When the merged data is
    invalid, gklint calls it again on growing subsets (the files in load
    order, one more each time) to find the file at fault: that file is left
    out with one notification naming it and the key, the run goes on and exits
    2.  So an implementation must be free of side effects apart from caching
    what it builds for *data* (the same object is then used by the checks).

    Raise :class:`gklint.data.DataError` whose message names the file and the
    key (``"{file}: 键 citations[3].numbers：…" / "{file}: key citations[3].numbers: …"``)
    and says what was expected, in Chinese and English.  Any other exception
    is reported as a failure of this plugin and its validation is skipped.

    :param data: the merged :class:`gklint.data.StandardData`.
    :returns: the top-level data keys this plugin owns (``["contact"]``).  A
        key in a pack's data file that no loaded plugin owns is reported as a
        mistake (a misspelt key), so a plugin that reads a key must list it.
    """


@_spec
def gklint_config_defaults() -> dict[str, Any]:
    """Return this plugin's default options.

    The user overrides them in ``[tool.gklint.plugins.<plugin-name>]``; rules of
    the plugin receive the merged table as ``context.plugin_config``.

    :returns: a mapping of option names to default values.
    """
