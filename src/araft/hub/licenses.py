"""Where a run's training and evaluation data come from, and under which license.

Read from the files next to the data (LICENSE, PROVENANCE.md, README.md's Attribution section), or
from the articles' own ``meta.license``. Nothing is guessed from a name: a license that is not
written down is reported as not recorded.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from araft.runinfo import DataFile

LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "License.txt", "PROVENANCE.md")
# A folder with one of these is a project root: its LICENSE is the code's, not the data's.
ROOT_MARKERS = ("pyproject.toml", ".git", "setup.py")
MAX_LEVELS = 3

_SHORT = re.compile(r"\bCC[ -]BY((?:[ -](?:NC|SA|ND))*)[ -](\d\.\d)\b", re.IGNORECASE)
_LONG = re.compile(r"Attribution((?:-(?:NonCommercial|ShareAlike|NoDerivatives|NoDerivs))*)"
                   r"\s+(\d\.\d)")
_LONG_PARTS = {"noncommercial": "nc", "sharealike": "sa", "noderivatives": "nd", "noderivs": "nd"}


@dataclass
class DataLicense:
    split: str                      # train / dev / test / extra eval name
    file: str                       # file name only: local paths do not belong in a public card
    license_id: str | None          # Hub license id, e.g. "cc-by-sa-4.0"; None when not recorded
    statement: str                  # human-readable: where the license was found, or that it was not
    attribution: list[str] = field(default_factory=list)


def license_id(text: str) -> str | None:
    """The first Creative Commons license named in ``text``, as a Hub id (cc-by-nc-sa-4.0)."""
    found = []
    m = _SHORT.search(text)
    if m:
        parts = [p.lower() for p in re.split(r"[ -]", m.group(1)) if p]
        found.append((m.start(), parts, m.group(2)))
    m = _LONG.search(text)
    if m:
        parts = [_LONG_PARTS[p.lower()] for p in m.group(1).split("-") if p]
        found.append((m.start(), parts, m.group(2)))
    if not found:
        return None
    _, parts, version = min(found)
    order = [p for p in ("nc", "nd", "sa") if p in parts]
    return "-".join(["cc", "by", *order, version])


def license_label(lid: str) -> str:
    """cc-by-nc-sa-4.0 -> CC BY-NC-SA 4.0 (other ids unchanged)."""
    m = re.fullmatch(r"cc-by((?:-(?:nc|nd|sa))*)-(\d\.\d)", lid)
    return f"CC BY{m.group(1).upper()} {m.group(2)}" if m else lid


def _license_file(data_file: Path) -> Path | None:
    folder = data_file.parent
    for _ in range(MAX_LEVELS):
        if any((folder / m).exists() for m in ROOT_MARKERS):
            return None
        for name in LICENSE_FILES:
            if (folder / name).is_file():
                return folder / name
        if folder.parent == folder:
            return None
        folder = folder.parent
    return None


def attribution(folder: Path) -> list[str]:
    """The bullet points of the '## Attribution' section of the data folder's README.md."""
    readme = folder / "README.md"
    if not readme.is_file():
        return []
    lines, inside = [], False
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("## "):
            inside = line.strip().lower() == "## attribution"
            continue
        if inside and line.startswith("- "):
            lines.append(line[2:].strip())
        elif inside and line.startswith("  ") and lines:
            lines[-1] += " " + line.strip()
    return lines


def _meta_license(data_file: Path) -> str | None:
    """``meta.license`` of the first article of a JSONL file, if it states one."""
    if data_file.suffix.lower() != ".jsonl":
        return None
    try:
        with open(data_file, encoding="utf-8") as fh:
            first = json.loads(fh.readline())
    except (OSError, ValueError):
        return None
    value = (first.get("meta") or {}).get("license") if isinstance(first, dict) else None
    return str(value) if value else None


def data_license(split: str, path: str | Path) -> DataLicense:
    """The license of one data file, from the files around it; 'not recorded' when absent."""
    path = Path(path)
    if not path.exists():
        return DataLicense(split, path.name, None, "not recorded (the data file is not on this "
                                                    "machine any more)")
    lic_file = _license_file(path)
    if lic_file is not None:
        text = lic_file.read_text(encoding="utf-8", errors="replace")
        lid = license_id(text)
        where = f"{lic_file.parent.name}/{lic_file.name}"
        statement = (f"{license_label(lid)} (from {where})" if lid else
                     f"no license identified in {where}: check the data's source before reuse")
        return DataLicense(split, path.name, lid, statement, attribution(lic_file.parent))
    meta = _meta_license(path)
    if meta:
        return DataLicense(split, path.name, license_id(meta), f"{meta} (from the articles' meta)")
    return DataLicense(split, path.name, None, "not recorded next to the data")


def run_data_licenses(data_files: dict[str, DataFile]) -> list[DataLicense]:
    """Licenses for run.json's ``data`` section (RunInfo.data: split -> file)."""
    return [data_license(split, info.path) for split, info in data_files.items() if info.path]


def base_model_license(name_or_path: str) -> DataLicense:
    """The base model's license, from its card when it is a local folder (Hub ids are not looked
    up: pushing must not depend on reading other repositories)."""
    path = Path(name_or_path) if name_or_path else None
    readme = path / "README.md" if path is not None else None
    if readme is not None and readme.is_file():
        from huggingface_hub import metadata_load

        lid = (metadata_load(readme) or {}).get("license")
        if lid:
            return DataLicense("base model", path.name, str(lid),
                               f"{lid} (from the base model's card)")
        return DataLicense("base model", path.name, None, "not stated in the base model's card")
    return DataLicense("base model", str(name_or_path), None, "see the base model's own card")


def card_license(licenses: list[DataLicense]) -> str:
    """The card's license: the data's license when all files agree on one, else 'other'
    (the card body lists each), 'unknown' when none is recorded."""
    ids = {lic.license_id for lic in licenses}
    if len(ids) == 1 and None not in ids:
        return ids.pop()
    if ids - {None}:
        return "other"
    return "unknown"
