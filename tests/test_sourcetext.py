from .sourcetext import strip_conversion_marks


def test_marks_are_removed_and_words_kept():
    converted = (
        "## **The Responsibility to Protect**\n\n"
        "Paul **Heinbecker** wrote *The* report, with \\$1 billion (see [the site](http://x.example)).\n"
        "\\* A/57/150.\n"
    )
    assert strip_conversion_marks(converted) == (
        "The Responsibility to Protect\n\n"
        "Paul Heinbecker wrote The report, with $1 billion (see the site).\n"
        "* A/57/150.\n"
    )


def test_bold_over_several_lines_of_one_paragraph():
    assert (
        strip_conversion_marks("**Canadian Statement\n6 September 2016**") == "Canadian Statement\n6 September 2016\n"
    )
