"""Turn a converted source file into the document's plain text.

The source files keep Markdown marks from their conversion (`**bold**`, `*italic*`,
`## ` headings, `[text](url)` links, backslash escapes such as `\\$`). They are not
the document's words, so they are removed; the words themselves are never touched.
"""

import re

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")
_STRONG = re.compile(r"\*\*(?=\S)((?:(?!\n\s*\n).)+?)(?<=\S)\*\*", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_PLACEHOLDER = "\x00{}\x00"


def strip_conversion_marks(markdown: str) -> str:
    escaped: list[str] = []

    def hide(match: re.Match) -> str:
        escaped.append(match.group(1))
        return _PLACEHOLDER.format(len(escaped) - 1)

    text = _ESCAPE.sub(hide, markdown)
    text = _HEADING.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = re.sub("\x00(\\d+)\x00", lambda m: escaped[int(m.group(1))], text)
    # Paragraphs stay apart; blank lines at either end are conversion noise.
    return text.strip() + "\n"
