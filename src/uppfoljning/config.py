"""Report configuration: the settings a statistician may change between editions.

Read from ``report.yml`` at the project root (passed explicitly, never read by a
relative path inside library code).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .errors import UsageError


@dataclass(frozen=True)
class ReportConfig:
    min_n: int = 5  # disclosure threshold (röjandekontroll)
    first_year: int = 2016  # first year of every series
    title: str = "Uppföljning av handlingsplanen för socialsekreterare och biståndshandläggare"

    @classmethod
    def load(cls, path: Path | str | None) -> ReportConfig:
        if path is None or not Path(path).exists():
            return cls()
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(f"{path}: unknown settings: {', '.join(unknown)}")
        config = cls(**data)
        if not isinstance(config.min_n, int) or config.min_n < 1:
            raise UsageError(f"{path}: min_n must be a whole number >= 1")
        return config
