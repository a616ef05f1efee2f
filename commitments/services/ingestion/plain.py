"""Plain text and Markdown: paragraphs are separated by blank lines; Markdown's marks go."""

import re

from django.utils.translation import gettext as _

from .reading import Block, IngestionRefused, numbered_paragraphs

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*?)[ \t#]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")
_STRONG = re.compile(r"\*\*(?=\S)((?:(?!\n\s*\n).)+?)(?<=\S)\*\*", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def decode(content: bytes) -> str:
    """UTF-8 (with or without its mark), else Windows-1252, the other encoding Word saves."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise IngestionRefused(_("This text file is neither UTF-8 nor Windows-1252.")) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(content: bytes) -> list[Block]:
    paragraphs = [(chunk, False) for chunk in _BLANK_LINES.split(decode(content))]
    return numbered_paragraphs(paragraphs)


def _unmarked(markdown: str) -> str:
    """Markdown's emphasis, links and escapes removed; the words themselves untouched."""
    escaped: list[str] = []

    def hide(match: re.Match) -> str:
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = _ESCAPE.sub(hide, markdown)
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    return re.sub("\x00(\\d+)\x00", lambda match: escaped[int(match.group(1))], text)


def read_markdown(content: bytes) -> list[Block]:
    """Headings (`## …`) start sections; each list item is a paragraph of its own."""
    items: list[tuple[str, bool]] = []
    for chunk in _BLANK_LINES.split(decode(content)):
        current: list[str] = []
        for line in chunk.split("\n"):
            heading = _HEADING.match(line)
            if heading or _LIST_ITEM.match(line):
                if current:
                    items.append((_unmarked("\n".join(current)), False))
                current = []
            if heading:
                items.append((_unmarked(heading.group(1)), True))
            elif _LIST_ITEM.match(line):
                current = [_LIST_ITEM.sub("", line)]
            else:
                current.append(line)
        if current:
            items.append((_unmarked("\n".join(current)), False))
    return numbered_paragraphs(items)
