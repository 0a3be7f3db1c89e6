"""Report configuration: the settings a statistician may change between editions.

Read from ``report.yml`` at the project root (passed explicitly, never read by a
relative path inside library code). Besides the settings of the computation it holds
the edition's **publication facts** (report.md, *A release the city can sign*): the
publication date, the responsible unit, the contact (name, e-mail, phone) and the next
release. A fact that is given must be well formed (checked on loading); a missing fact
is an error only in a final build (:meth:`ReportConfig.check_publication_facts`), not in
a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from .errors import UsageError

FACTS = ("published", "responsible", "contact", "next_release")
CONTACT_FIELDS = ("name", "email", "phone")


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class PublicationFacts:
    """Who publishes the edition, when, and whom to ask (all optional until checked)."""

    published: dt.date | None = None
    responsible: str | None = None
    contact: Contact = field(default_factory=Contact)
    next_release: dt.date | str | None = None

    def missing(self) -> list[str]:
        """The keys of ``report.yml`` a final build needs and does not have."""
        found = [] if self.published is not None else ["published"]
        found += [] if self.responsible else ["responsible"]
        found += [f"contact.{name}" for name in CONTACT_FIELDS if not getattr(self.contact, name)]
        found += [] if self.next_release else ["next_release"]
        return found

    @property
    def key(self) -> str:
        """What the published pages show of the facts (for the build's cache key)."""
        return repr(self)


@dataclass(frozen=True)
class ReportConfig:
    min_n: int = 5  # disclosure threshold (röjandekontroll)
    first_year: int = 2016  # first year of every series
    title: str = "Uppföljning av handlingsplanen för socialsekreterare och biståndshandläggare"
    # not part of what the computation depends on (the results cache's key is the repr)
    facts: PublicationFacts = field(default_factory=PublicationFacts, repr=False)
    path: str = field(default="report.yml", repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | str | None) -> ReportConfig:
        """The configuration of ``path``; a missing or unreadable file is an error (no
        silent fallback to defaults). ``None``: the defaults (library and test use)."""
        if path is None:
            return cls()
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(
                f"{path}: report configuration missing (report.yml at the "
                "project root, or give --config)"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: report configuration cannot be read ({exc})") from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise UsageError(f"{path}: not valid YAML{where}") from None
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected settings as 'key: value' lines")
        settings = {f.name for f in fields(cls)} - {"facts", "path"}
        unknown = sorted(str(k) for k in set(data) - settings - set(FACTS))
        if unknown:
            raise UsageError(f"{path}: unknown settings: {', '.join(unknown)}")
        facts = read_facts(path, {k: data.pop(k) for k in FACTS if k in data})
        config = cls(**data, facts=facts, path=str(path))
        if not isinstance(config.min_n, int) or config.min_n < 1:
            raise UsageError(f"{path}: min_n must be a whole number >= 1")
        return config

    def check_publication_facts(self, *, draft: bool) -> None:
        """A final build needs every publication fact (one line naming the file and the
        keys missing); a draft may go without."""
        missing = self.facts.missing()
        if missing and not draft:
            raise UsageError(
                f"{self.path}: publication fact(s) missing: "
                f"{', '.join(missing)} (required for a final build; "
                "add them, or build with --draft)"
            )


def _date(path: Path, key: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UsageError(f"{path}: {key} must be a date written YYYY-MM-DD (found {value!r})")


def _text(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{path}: {key} must be text (found {value!r})")
    if "\n" in value.strip():
        raise UsageError(f"{path}: {key} must be one line")
    return value.strip()


def read_facts(path: Path, data: dict) -> PublicationFacts:
    """The publication facts given in ``report.yml`` (``None`` for each one left out or
    left empty), each checked for its form."""
    values: dict = {}
    if data.get("published") is not None:
        values["published"] = _date(path, "published", data["published"])
    if data.get("responsible") is not None:
        values["responsible"] = _text(path, "responsible", data["responsible"])
    if data.get("next_release") is not None:
        value = data["next_release"]
        values["next_release"] = (
            _date(path, "next_release", value)
            if isinstance(value, dt.date)
            else _text(path, "next_release", str(value) if isinstance(value, int) else value)
        )
    contact = data.get("contact")
    if contact is not None:
        if not isinstance(contact, dict):
            raise UsageError(f"{path}: contact must have name, email and phone lines under it")
        unknown = sorted(str(k) for k in set(contact) - set(CONTACT_FIELDS))
        if unknown:
            raise UsageError(
                f"{path}: contact: unknown key(s) {', '.join(unknown)} "
                f"(expected {', '.join(CONTACT_FIELDS)})"
            )
        person = {
            k: _text(path, f"contact.{k}", str(v) if isinstance(v, int) else v)
            for k, v in contact.items()
            if v is not None
        }
        email = person.get("email")
        if email is not None and ("@" not in email or " " in email):
            raise UsageError(f"{path}: contact.email is not an e-mail address ({email!r})")
        values["contact"] = Contact(**person)
    return PublicationFacts(**values)
