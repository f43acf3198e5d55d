"""Is the clinic's own content older than the content this kiosk was shipped with?

A clinic that edits the content (``content_dir``) keeps its folder across upgrades: the
package never touches it. A new release may bring rules the clinic's copy lacks, so on
start the kiosk compares the clinic's ``manifest.toml`` version with the bundled one,
and when the clinic's is older, clinician mode says so on the summaries list, with what
changed in the rules (added, removed, or with another level, message or conditions).
The kiosk keeps using the clinic's content: only staff can decide to merge.

Versions are compared as dotted numbers (``2026.11.3``); a version that is not one
(``clinic-b``) cannot be ordered, so nothing is said and the log notes it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.loader import ContentInvalid, load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import Content, Rule

log = logging.getLogger("kiosk.content")

_DOTTED = re.compile(r"\d+(\.\d+)*")


def version_key(version: str) -> tuple[int, ...] | None:
    """``"2026.11.3"`` as ``(2026, 11, 3)``; None when it is not dotted numbers."""
    if not _DOTTED.fullmatch(version.strip()):
        return None
    return tuple(int(part) for part in version.strip().split("."))


@dataclass(frozen=True)
class RuleChanges:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def rule_changes(clinic: tuple[Rule, ...], shipped: tuple[Rule, ...]) -> RuleChanges:
    """Rule ids the shipped content adds, removes and changes, against the clinic's."""
    old = {rule.id: rule for rule in clinic}
    new = {rule.id: rule for rule in shipped}
    return RuleChanges(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(sorted(i for i in old.keys() & new.keys() if old[i] != new[i])),
    )


def older_content_notice(clinic: Content, shipped: Content) -> str:
    """The staff's notice, or "" when the clinic's content is not older."""
    mine, theirs = version_key(clinic.version), version_key(shipped.version)
    if mine is None or theirs is None:
        if clinic.version != shipped.version:
            log.info(
                "content versions %r (the clinic's) and %r (this kiosk's) cannot be ordered",
                clinic.version,
                shipped.version,
            )
        return ""
    if mine >= theirs:
        return ""
    lines = [
        f"The clinic's content (version {clinic.version}) is older than this kiosk's "
        f"(version {shipped.version}). The kiosk uses the clinic's; compare them and "
        "bring your edits into the new version (docs/content-format.md)."
    ]
    changes = rule_changes(clinic.rules, shipped.rules)
    for word, ids in (
        ("New rules", changes.added),
        ("Rules no longer shipped", changes.removed),
        ("Rules changed", changes.changed),
    ):
        if ids:
            lines.append(f"{word}: {', '.join(ids)}.")
    if not changes:
        lines.append("The rules are the same; other wording or questions changed.")
    return "\n".join(lines)


def content_notice(content_dir: Path, content: Content) -> str:
    """The notice for a kiosk that runs ``content`` from ``content_dir`` (logged too)."""
    bundled = bundled_content_dir()
    try:
        if content_dir.resolve() == bundled.resolve():
            return ""
        shipped = load_content(bundled, assets_dir())
    except (OSError, ContentInvalid) as exc:  # the bundled content is tested; say, not raise
        log.warning("could not compare with the bundled content: %s", exc)
        return ""
    notice = older_content_notice(content, shipped)
    if notice:
        log.warning("%s", notice.replace("\n", " "))
    return notice
