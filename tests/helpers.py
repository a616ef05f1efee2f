def text_of(response) -> str:
    """The body a reader receives, for streamed and ordinary responses alike."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")
