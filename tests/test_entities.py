"""The shared entity extractor and the people & places facets."""

from __future__ import annotations

from pathlib import Path

from reader.grouping.conflicts import conflicts, facts_of
from reader.grouping.entities import extract_entities
from reader.grouping.features import extract
from reader.library import Library


def test_variants_merge_and_sentence_starts_are_dropped() -> None:
    body = (
        "Russian President Vladimir Putin met officials in Moscow. Putin's remarks were brief. "
        "The Kremlin said Zelenskyy was not invited. Despite this, Volodymyr Zelensky spoke."
    )
    found = {e.key: e for e in extract_entities("Putin Meets Officials", body)}
    assert found["putin"].name == "Vladimir Putin"
    assert found["putin"].mentions >= 2
    assert "zelensky" in found and "zelenskyy" not in found
    assert not {"the", "despite", "russian", "president"} & set(found)


def test_facets_on_seeds(library_path: Path, seeds: tuple[Path, Path]) -> None:
    with Library.open(library_path) as lib:
        lib.import_paths(list(seeds))
        facets = {f.name: f for f in lib.facets(limit=500)}
        for name in ("Putin", "Trump", "Zelensky", "Kerch Strait", "Iran"):
            assert name in facets, name
        assert facets["Putin"].count > facets["Kerch Strait"].count >= 4
        assert not {"The", "In", "Despite", "Meanwhile"} & set(facets)
        lib.hide_facet(facets["Iran"].id)
        assert "Iran" not in {f.name for f in lib.facets(limit=500)}


def _keys(title: str, body: str) -> dict[str, str]:
    return {e.key: e.kind for e in extract_entities(title, body)}


def test_only_people_reduce_to_a_surname() -> None:
    cedar = _keys(
        "Cedar Ridge Fire grows",
        "The Cedar Ridge Fire burned 12,400 acres near Round Mountain, fire officials said. "
        "Crews fought the Cedar Ridge Fire overnight.",
    )
    pine = _keys(
        "Pine Hollow Fire contained",
        "The Pine Hollow Fire was contained near Hemet on Friday. The Pine Hollow Fire burned "
        "homes.",
    )
    assert "fire" not in cedar and "fire" not in pine
    assert "cedar ridge" in cedar and "pine hollow" in pine
    assert cedar["cedar ridge"] == "name"
    # A company named in full and by its first word is one name, never a person.
    korvan = _keys(
        "Recall announced",
        "Korvan Motors is recalling 214,000 vehicles. Korvan said no crashes were reported.",
    )
    assert korvan.get("korvan") == "name" and "motors" not in korvan
    # People still match by surname.
    assert "putin" in _keys("", "Vladimir Putin spoke. Later Putin left for the day.")


def test_surname_particles_in_every_position() -> None:
    body = (
        "Dutch Infrastructure Minister Sanne de Vries resigned on Monday over the tender. "
        "De Vries said she took responsibility. Prime Minister van Dam thanked her for it."
    )
    found = _keys("", body)
    assert found.get("de vries") == "person"
    assert "vries" not in found and "sanne de vries" not in found
    assert "van dam" in found
    # The same surname key when the article only says "De Vries" at a sentence start.
    assert "de vries" in _keys("", "De Vries quit on Monday after the audit was published.")


def test_acronyms_match_the_names_they_stand_for() -> None:
    full = _keys("", "The Reserve Bank of Australia kept its cash rate at 3.60%.")
    short = _keys("", "The RBA left rates on hold, and the US dollar rose on the news.")
    assert "rba" in set(full) & set(short)


def test_dates_are_not_quantities_and_references_are_not_the_event_date() -> None:
    f = extract("Strikes set for 20 and 21 June", "Unions said the walkout on 12 June failed.")
    assert {"06-20", "06-21", "06-12"} <= f.dates
    assert not any(u.startswith("june") for u in f.units)
    assert "21" not in f.numbers and "20" not in f.numbers
    quake = extract("", "Rescuers, still clearing rubble from the 14 March quake, were called out.")
    assert "03-14" not in quake.dates


def test_running_figures_are_marked_and_fixed_ones_are_not() -> None:
    f = extract(
        "",
        "The fire burned 12,400 acres and was 5% contained; 3,000 people fled. "
        "A magnitude 6.1 quake followed. The bank cut its rate to 2.25%.",
    )
    assert f.units["~acre"] == {"12400"} and f.units["~containment"] == {"5"}
    assert f.units["~person"] == {"3000"}
    assert f.units["magnitude"] == {"6.1"} and f.units["%"] == {"2.25"}


def test_a_rate_cut_conflicts_with_a_hold_and_rounding_does_not() -> None:
    cut = extract("Bank cuts key rate to 2%", "The bank lowered its policy rate to 2% on Monday.")
    hold = extract("Bank holds rate at 2%", "The bank held its policy rate at 2% on Wednesday.")
    assert cut.decisions == {"rate:cut"} and hold.decisions == {"rate:hold"}
    penalty, why = conflicts(facts_of(cut), facts_of(hold))
    assert penalty > 0 and "different rate decisions" in why
    exact = extract("", "Korvan is recalling 214,000 Vista SUVs, regulators said.")
    rounded = extract("", "Korvan will recall more than 200,000 Vista SUVs, regulators said.")
    other = extract("", "Korvan will recall 95,000 Vista SUVs, regulators said.")
    assert conflicts(facts_of(exact), facts_of(rounded)) == (0.0, [])
    assert len(conflicts(facts_of(exact), facts_of(other))[1]) == 1


def test_a_headline_alone_names_its_acronyms() -> None:
    """A title-only item has no body to confirm names: its acronyms are names in any case
    style, and their keys are terms as an article's names are."""
    title = "AMD To Buy SeaMicro As NYPD's U.S. Probe Widens"
    found = _keys(title, "")
    assert set(found) == {"amd", "nypd", "us"}  # Title Case: nothing else is marked
    terms = extract(title, "").terms
    assert terms["e:amd"] == 1 and "amd" in terms  # the name beside its word
    assert _keys("Microsoft Releases Critical Patch For IE Zero Day Flaw", "") == {"ie": "name"}
    # An empty body counts as none, whitespace included.
    assert _keys(title, " \n") == found


def test_a_headline_alone_makes_no_names_from_capitals() -> None:
    """Capitals mark nothing in a headline: Title Case capitalises every word, and a
    sentence-case one capitalises the place a look-alike event shares. A headline that
    shouts has no acronyms either: every word would be one."""
    assert _keys("Lindsay Lohan Checks Into Betty Ford Clinic", "") == {}
    # A lead sentence used as the title (it ends with a full stop) is not a headline.
    assert _keys("The parliament election is over in Turkmenistan.", "") == {}
    assert _keys("Voters elect a parliament in reclusive Turkmenistan.’", "") == {}
    assert _keys("FIRED IN PHILLY!!", "") == {}
    # A long all-capitals word inside a headline is shouted, not an acronym.
    shouted = _keys("PHILADELPHIA 76ERS Fired Jim O'Brien, coach. Named Maurice Cheeks coach.", "")
    assert "philadelphia" not in shouted and "cheks" not in shouted
    assert _keys("AN AUSTRALIAN climber survived", "") == {}  # common words and nationalities
    assert _keys("", "") == {}


def test_a_sentence_case_headline_names_its_capitalised_runs() -> None:
    """A headline in sentence case capitalises only names past its first word, so they are
    names as a body's would be; its acronyms still are. A lone capitalised first word is the
    headline's subject; a longer first run loses its first word, as in prose."""
    found = _keys("Tyler Hansbrough breaks Phil Ford's scoring record at UNC", "")
    # "Tyler" starts the headline and is written nowhere else: dropped, as in a body.
    assert found.keys() == {"hansbrough", "ford", "unc"} and found["ford"] == "person"
    assert _keys("Hansbrough breaks UNC career scoring record", "") == {
        "hansbrough": "name",
        "unc": "name",
    }
    # A common word or one the headline also writes in lower case is no subject.
    assert _keys("Police say fire destroyed the church", "") == {}
    # (Wasilla is keyed folded, as every name is.)
    assert _keys("Fire crews say the fire destroyed Wasilla church", "") == {"wasila": "name"}
    # Sentences inside a headline each start afresh; a question or an exclamation is still a
    # headline (only a full stop ends prose).
    assert _keys("The quake hits Papua. Then aftershocks rattle Manokwari!", "") == {
        "papua": "name",
        "manokwari": "name",
    }
    # Words the headline also writes in lower case are ordinary words.
    assert _keys("Residents flee as Fire spreads; fire crews arrive from Cedar Ridge", "") == {
        "cedar ridge": "name"
    }


def test_a_body_still_decides_which_title_words_are_names() -> None:
    """With a body, the title is read as before: its runs count only where the body
    confirms them, so "Betty Ford" never becomes a name from the title alone."""
    found = _keys(
        "Lindsay Lohan checks into Betty Ford clinic again",
        "The actress arrived on Thursday. Lohan was seen at the clinic.",
    )
    assert "lohan" in found and "ford" not in found and "betty ford" not in found


def test_a_generational_suffix_ends_no_name() -> None:
    """"Jr." is left off a name: with it, a three-word name became a four-word one keyed by
    its initials, which matched no rewrite that wrote the name without it."""
    with_suffix = _keys(
        "Inmate escapes",
        "Police said Arcade Joseph Comeaux Jr. escaped near Baytown. Comeaux is armed.",
    )
    without = _keys("Inmate escapes", "Police said Arcade Joseph Comeaux escaped near Baytown.")
    assert with_suffix["comeaux"] == without["comeaux"] == "person"
    assert "ajcj" not in with_suffix
    # A title that writes the suffix still confirms the body's name.
    found = {
        e.key: e.mentions
        for e in extract_entities(
            "Police hunt Arcade Joseph Comeaux Jr. after escape",
            "Police said Arcade Joseph Comeaux escaped near Baytown.",
        )
    }
    assert found["comeaux"] == 2
