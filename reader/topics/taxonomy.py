"""Loading the default taxonomy from ``resources/topics.toml``.

The file is meant to be read and edited by people, so topics are written as word lists;
they are turned into rules in the ordinary query syntax here, which is what the library stores
and what the user sees and edits.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.errors import BroadsheetError, RuleSyntaxError
from reader.paths import resource_path
from reader.query import parse_rule
from reader.query.matcher import Weights

DEFAULT_FILE = "topics.toml"


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    rule: str
    threshold: float


@dataclass(frozen=True, slots=True)
class Taxonomy:
    weights: Weights
    threshold: float
    topics: tuple[TopicSpec, ...] = field(default=())

    def threshold_for(self, name: str) -> float:
        """The built-in threshold for a topic name (the global one if it was renamed)."""
        for spec in self.topics:
            if spec.name.casefold() == name.casefold():
                return spec.threshold
        return self.threshold


class TaxonomyError(BroadsheetError):
    """The taxonomy file is unreadable or holds a rule that does not parse."""


def _word(text: str) -> str:
    text = text.strip()
    stem = text.rstrip("*")
    star = "*" if stem != text else ""
    if any(ch.isspace() for ch in stem) or not stem.isalnum():
        return f'"{stem}"{star}'
    return stem + star


def rule_from_words(words: list[str], exclude: list[str] | None = None) -> str:
    """``["oil", "gas pipe*"]`` -> ``oil OR "gas pipe"*``; exclusions become ``NOT (...)``."""
    rule = " OR ".join(_word(w) for w in words)
    if exclude:
        rule = f"({rule}) NOT ({' OR '.join(_word(w) for w in exclude)})"
    return rule


def _spec(entry: dict[str, Any], default_threshold: float, path: Path) -> TopicSpec:
    name = str(entry.get("name", "")).strip()
    if not name:
        raise TaxonomyError(f"{path}: a [[topic]] has no name")
    if "rule" in entry:
        rule = str(entry["rule"])
    else:
        words = [str(w) for w in entry.get("words", [])]
        if not words:
            raise TaxonomyError(f"{path}: topic {name!r} has neither words nor a rule")
        rule = rule_from_words(words, [str(w) for w in entry.get("exclude", [])])
    try:
        parse_rule(rule)
    except RuleSyntaxError as exc:
        raise TaxonomyError(f"{path}: topic {name!r}: {exc}") from exc
    return TopicSpec(name, rule, float(entry.get("threshold", default_threshold)))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (default: the bundled one)."""
    if path is None:
        return _bundled()
    return _load(path)


@lru_cache(maxsize=1)
def _bundled() -> Taxonomy:
    return _load(resource_path(DEFAULT_FILE))


def _load(path: Path) -> Taxonomy:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read the topic list ({exc})") from exc
    scoring = data.get("scoring", {})
    weights = Weights(
        title_weight=float(scoring.get("title_weight", 3)),
        body_weight=float(scoring.get("body_weight", 1)),
        body_cap=int(scoring.get("body_cap", 3)),
    )
    threshold = float(scoring.get("threshold", 3))
    specs = tuple(_spec(entry, threshold, path) for entry in data.get("topic", []))
    names = [s.name.casefold() for s in specs]
    if len(set(names)) != len(names):
        raise TaxonomyError(f"{path}: two topics share a name")
    return Taxonomy(weights, threshold, specs)
