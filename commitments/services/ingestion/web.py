"""HTML: the main content's headings and paragraphs, without navigation, scripts or styles."""

import re

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from .reading import Block, IngestionRefused, numbered_paragraphs

_LEFT_OUT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "svg")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "figcaption", "td", "th", "caption"})
_BLOCKS = _HEADINGS | _PARAGRAPHS | frozenset({"div", "section", "article", "main", "ul", "ol", "table", "tr"})
# HTML folds ASCII white space only: a no-break space is a character of the text.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _text_of(element) -> str:
    return _HTML_SPACE.sub(" ", element.text_content()).strip()


def _has_block_inside(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _BLOCKS for child in element.iterdescendants())


def read_html(content: bytes) -> tuple[list[Block], str]:
    """The blocks of the page's main content, and its title (its first h1, else <title>)."""
    try:
        root = lxml.html.document_fromstring(content)
    except (etree.ParserError, ValueError) as error:
        raise IngestionRefused(_("This HTML file could not be read: %(error)s") % {"error": error}) from error
    title_element = root.find(".//title")
    page_title = _text_of(title_element) if title_element is not None else ""
    for element in list(root.iter(*_LEFT_OUT)):
        element.drop_tree()
    for line_break in root.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    main = next(iter(root.xpath("//main | //*[@role='main'] | //article")), None)
    if main is None:
        main = root.find("body") if root.find("body") is not None else root
    items: list[tuple[str, bool]] = []
    for element in main.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _HEADINGS:
            items.append((_text_of(element), True))
        elif element.tag in _PARAGRAPHS and not _has_block_inside(element):
            items.append((_text_of(element), False))
        elif element.tag in ("div", "section") and not _has_block_inside(element):
            items.append((_text_of(element), False))
    heading = next((text for text, is_heading in items if is_heading and text), "")
    return numbered_paragraphs(items), heading or page_title
