"""Write the settings file the Debian package installs (``/etc/dn-kiosk/kiosk.toml``)
from the one declaration of the settings (:class:`kiosk.app.config.Config`), as
:mod:`kiosk.tools.settings_docs` writes the table in README.md.

Every setting is in the file with its meaning and default, commented out, so a clinic's
IT person sees them all in one place and the kiosk behaves as documented until they
change one. Only the folders are set (:data:`PACKAGE_VALUES`): the package keeps the
kiosk's data under ``/var/lib/dn-kiosk``, not in a home folder.

``python -m kiosk.tools.conffile [OUT]`` writes it (stdout without OUT);
scripts/build-deb.sh runs it with the checkout on ``PYTHONPATH``: kiosk.app.config
needs nothing but the standard library.
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import MISSING, fields
from pathlib import Path

from kiosk.app.config import Config, declared_settings

#: Settings the package sets (uncommented), and their values.
PACKAGE_VALUES: dict[str, str] = {
    "data_dir": "/var/lib/dn-kiosk",
    "output_dir": "/var/lib/dn-kiosk/summaries",
}

#: What the ``key =`` line shows for a setting with no plain default (computed folders,
#: files that are off until named): an example a clinic would write.
EXAMPLES: dict[str, str] = {
    "spool_dir": '"/var/lib/dn-kiosk/spool"',
    "content_dir": '"/var/lib/dn-kiosk/content"',
    "fhir_token_file": '"/etc/dn-kiosk/fhir-token"',
    "fhir_client_secret_file": '"/etc/dn-kiosk/fhir-client-secret"',
    "fhir_ca_file": '"/etc/dn-kiosk/fhir-ca.pem"',
}

HEADER = """\
# The dry-needling intake kiosk's settings (TOML), installed by the dn-kiosk package.
#
# Every setting is listed below with what it does. A line starting with "# key =" is
# off: the kiosk uses the default given above it. To change a setting, remove the "# "
# in front of its key and edit the value. Only the folders are set by the package.
#
# After editing, check the file as the kiosk's user and restart the kiosk:
#   sudo -u dn-kiosk dn-kiosk check-config
#   sudo systemctl restart dn-kiosk
# Upgrades keep your edits (dpkg asks before replacing an edited file).
# With encryption_password set, keep this file readable by the kiosk's user only
# (owner dn-kiosk, mode 600, as installed).
"""


def _plain(markdown: str) -> str:
    """Markdown as a comment reads it: links as their text, no backticks."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    return text.replace("`", "")


def _toml_value(value: object) -> str | None:
    """A default as TOML, or None when it has none (a computed folder, an unset value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return None


def settings_file() -> str:
    """The whole file: a header, then each setting as comments and a ``key =`` line."""
    defaults = {f.name: f.default for f in fields(Config)}
    parts = [HEADER]
    for s in declared_settings():
        lines = [f"{s.name} ({s.kind.describe()}; default {_plain(s.default_text)})"]
        lines += textwrap.wrap(_plain(s.meaning), 86)
        block = "".join(f"# {line}\n" for line in lines)
        if s.name in PACKAGE_VALUES:
            block += f'{s.name} = "{PACKAGE_VALUES[s.name]}"\n'
        else:
            default = defaults[s.name]
            value = _toml_value(default) if default is not MISSING else None
            block += f"# {s.name} = {value if value is not None else EXAMPLES[s.name]}\n"
        parts.append(block)
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = settings_file()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
