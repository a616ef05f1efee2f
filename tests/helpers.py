def text_of(response) -> str:
    """The body a reader receives, for streamed and ordinary responses alike."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The values a browser would submit for the form `form_id`, read from the page."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside = False
            self.values: dict[str, str] = {}
            self.textarea: str | None = None
            self.select: str | None = None
            self.first_option: str | None = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == form_id:
                self.inside = True
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.values[name] = attrs.get("value", "on")
                else:
                    self.values[name] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""
            elif tag == "select" and name:
                self.select = name
                self.first_option = None
            elif tag == "option" and self.select:
                value = attrs.get("value", "")
                if self.first_option is None:
                    self.first_option = value
                if "selected" in attrs:
                    self.values[self.select] = value

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea":
                self.textarea = None
            elif tag == "select" and self.select:
                self.values.setdefault(self.select, self.first_option or "")
                self.select = None

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data

    reader = Reader()
    reader.feed(html)
    # A browser drops the leading newline Django writes after <textarea>.
    return {k: (v[1:] if v.startswith("\n") else v) for k, v in reader.values.items()}
