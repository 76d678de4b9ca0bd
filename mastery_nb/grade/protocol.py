"""Framing of the messages between the grader, the zygote and a sandboxed child.

Length-prefixed JSON over a UNIX stream socket. The reader caps the size of a message, so
a hostile child cannot make the grader allocate without bound, and takes a deadline, so it
cannot make the grader wait without bound.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import time
from typing import Any

__all__ = ["MAX_MESSAGE", "ChannelClosed", "ChannelTimeout", "recv_message", "send_message"]

MAX_MESSAGE = 4 * 1024 * 1024
_HEADER = struct.Struct("!I")


class ChannelClosed(Exception):
    """The other end closed the socket (or sent something that is not a message)."""


class ChannelTimeout(Exception):
    """No complete message before the deadline."""


def send_message(sock: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise ChannelTimeout()
            ready, _, _ = select.select([sock], [], [], wait)
            if not ready:
                raise ChannelTimeout()
        try:
            chunk = sock.recv(min(remaining, 1 << 20))
        except (ConnectionError, OSError) as exc:
            raise ChannelClosed(str(exc)) from exc
        if not chunk:
            raise ChannelClosed("end of stream")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket, deadline: float | None = None) -> dict[str, Any]:
    """Read one message; ``deadline`` is a :func:`time.monotonic` value or ``None`` (wait)."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    if size > MAX_MESSAGE:
        raise ChannelClosed(f"message of {size} bytes is over the limit")
    try:
        message = json.loads(_recv_exact(sock, size, deadline))
    except ValueError as exc:
        raise ChannelClosed("malformed message") from exc
    if not isinstance(message, dict):
        raise ChannelClosed("malformed message")
    return message
