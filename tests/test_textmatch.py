from commitments.textmatch import closest_passage, find_passage, fold_whitespace

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
