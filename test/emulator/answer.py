"""An HTTP answer before it goes on the wire (faults may reshape it)."""

from dataclasses import dataclass, field

from jsonio import dump_bytes

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: list = field(default_factory=list)     # extra (name, value) pairs
    # wire behaviour (set by faults)
    delay_headers_ms: int = 0
    delay_body_ms: int = 0
    truncate_to: int | None = None      # send only this many body bytes, then close
    drop: bool = False                  # close without answering
    fault: str | None = None
    compressible: bool = True


def json_answer(status, value, headers=None):
    return Answer(status=status, body=dump_bytes(value), headers=list(headers or ()))


def error_answer(status, message):
    """{"error": message}: the body of 401/403/404/405 answers."""
    return json_answer(status, {"error": message})


def message_answer(status, message):
    """A JSON string body: the body of 400 answers."""
    return Answer(status=status, body=dump_bytes(message))
