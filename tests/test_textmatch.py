from commitments.models.textmatch import (
    closest_passage,
    find_passage,
    first_difference,
    fold_whitespace,
    in_document_characters,
)

TEXT = "First line.\n\nCanada will deploy up to\n600 troops   in support of peace operations.\n"


def test_a_quote_is_found_across_line_breaks_and_runs_of_spaces():
    start, end = find_passage(TEXT, "up to 600 troops in support")
    assert TEXT[start:end] == "up to\n600 troops   in support"


def test_a_quote_with_its_own_extra_white_space_is_still_found():
    assert find_passage(TEXT, "  up  to 600\ttroops ") is not None


def test_a_changed_word_is_not_verbatim():
    assert find_passage(TEXT, "up to 500 troops") is None
    assert find_passage(TEXT, "Up to 600 troops") is None


def test_an_empty_quote_matches_nothing():
    assert find_passage(TEXT, "   ") is None


def test_the_closest_passage_points_at_the_typo():
    closest = closest_passage(TEXT, "Canada will deploy up to 500 troops")
    assert closest.startswith("Canada will deploy up to")


def test_fold_whitespace():
    assert fold_whitespace(" a \n\n b\tc ") == "a b c"


TYPESET = "Canada’s pledge — “up to 600”\u00a0troops, 2016–2018."


def test_typographic_variants_count_as_the_same_character():
    start, end = find_passage(TYPESET, 'Canada\'s pledge - "up to 600" troops, 2016-2018')
    assert TYPESET[start:end] == TYPESET[:-1]
    assert find_passage(TYPESET, "Canada's pledge - up to 600 troops") is None  # the marks are still characters


def test_the_stored_quote_takes_the_documents_characters_and_keeps_its_white_space():
    typed = 'Canada\'s  pledge -\n"up to 600" troops'
    assert in_document_characters(TYPESET, typed) == "Canada’s  pledge —\n“up to 600” troops"
    assert in_document_characters(TYPESET, "not in it") == "not in it"


def test_the_first_differing_character_is_found_past_typographic_variants():
    quote = 'Canada\'s pledge - "up to 700"'
    closest = closest_passage(TYPESET, quote)
    at = first_difference(closest, quote)
    assert closest[:at] == "Canada’s pledge — “up to " and closest[at] == "6"
    assert first_difference("Canada’s", "Canada's") is None
