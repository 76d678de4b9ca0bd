"""The frames between the grader and a sandboxed child, and how the grader reads them.

Plain binary frames over a UNIX stream socket: a header ``!IB`` (payload length, kind)
and the payload. Binary and fixed, so that the child encodes and decodes them with C
functions only (``struct``, ``bytes``): nothing a learner could patch is on the path
(:mod:`mastery_nb.grade.runner` says why that matters).

Grader to child: ``KEY`` (the attempt's secret key and settings, sent before any learner
code runs), ``CELL`` (a learner's cell), ``TRUSTED`` (a cell of the bundle), ``TEST`` (a
test cell: its statements and its last expression, split by the grader), ``DONE``.

Child to grader: ``NOTES`` and ``SANDBOX_FAILED`` (before any learner code), then
``READY``/``FAULT``, ``RESULT`` and ``BYE``, each ending with an HMAC-SHA256 of the frame
under the attempt's key, with a sequence number inside. The grader also checks, with
``SO_PASSCRED``, that every byte it reads was written by the child it started, not by a
process the learner forked. The reader caps the size of a frame and takes a deadline, so
a hostile child can make the grader neither allocate nor wait without bound.
"""

from __future__ import annotations

import array
import hmac
import json
import select
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

__all__ = [
    "HEADER",
    "KIND",
    "MAC_SIZE",
    "MAX_FRAME",
    "ChannelClosed",
    "ChannelForged",
    "ChannelTimeout",
    "Frame",
    "FrameReader",
    "Result",
    "frame",
    "parse_result",
    "sign",
]

HEADER = struct.Struct("!IB")
#: seq, index, status, value flag, seconds, line of the cell that raised (0: none)
RESULT_HEAD = struct.Struct("!IIBBdI")
MAC_SIZE = 32
MAX_FRAME = 4 * 1024 * 1024

#: frame kinds
KIND = {
    "KEY": 1,
    "CELL": 2,
    "TRUSTED": 3,
    "TEST": 4,
    "DONE": 5,
    "NOTES": 10,
    "SANDBOX_FAILED": 11,
    "READY": 12,
    "FAULT": 13,
    "RESULT": 14,
    "BYE": 15,
}
AUTHENTICATED = frozenset({KIND["READY"], KIND["FAULT"], KIND["RESULT"], KIND["BYE"]})

STATUS_OK = 0
STATUS_ERROR = 1
VALUE_NONE = 0  #: nothing shown: no last expression, ``None``, or a cell ending in ``;``
VALUE_SHOWN = 1  #: the last expression's ``text/plain`` follows the stderr

_CREDS = struct.Struct("iII")  # struct ucred: pid, uid, gid


class ChannelClosed(Exception):
    """The other end closed the socket (or sent something that is not a frame)."""


class ChannelTimeout(Exception):
    """No complete frame before the deadline."""


class ChannelForged(ChannelClosed):
    """A frame that the child's runner did not write (another process, or a bad MAC)."""


def frame(kind: int, payload: bytes) -> bytes:
    return HEADER.pack(len(payload), kind) + payload


def sign(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sha256")


@dataclass(frozen=True)
class Frame:
    kind: int
    payload: bytes  #: without the MAC


@dataclass(frozen=True)
class Result:
    """One step's result as the child reported it."""

    seq: int
    index: int
    ok: bool
    value_flag: int
    seconds: float  #: how long the cell's own code ran, measured in the child
    message: str
    stderr: str
    value_text: str  #: ``text/plain`` of the last expression (when ``value_flag`` says so)
    line: int | None = None  #: the line of the cell's own code that raised


def parse_result(payload: bytes) -> Result:
    if len(payload) < RESULT_HEAD.size:
        raise ChannelClosed("a result frame too short")
    seq, index, status, flag, seconds, line = RESULT_HEAD.unpack_from(payload)
    message, _, rest = payload[RESULT_HEAD.size :].partition(b"\0")
    stderr, _, shown = rest.partition(b"\0")
    return Result(
        seq,
        index,
        status == STATUS_OK,
        flag,
        max(0.0, seconds) if seconds == seconds else 0.0,
        message.decode("utf-8", "replace"),
        stderr.decode("utf-8", "replace"),
        shown.decode("utf-8", "replace"),
        line or None,
    )


def enable_credentials(sock: socket.socket) -> None:
    """Ask the kernel to attach the writer's pid to everything this socket receives."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)


class FrameReader:
    """The grader's end of the channel: whole frames, from one process, within deadlines.

    ``pid``: the only process allowed to write (checked on every chunk read, so bytes
    written by a process the learner forked are never taken for the runner's);
    ``key``: once set, authenticated frames must carry a valid MAC and the next sequence
    number. Works on a non-blocking socket: :meth:`feed` takes what has arrived,
    :meth:`next` returns a complete frame or None.
    """

    def __init__(self, sock: socket.socket, pid: int) -> None:
        self.sock = sock
        self.pid = pid
        self.key: bytes | None = None
        self.seq = 0
        self._buffer = bytearray()

    def feed(self) -> None:
        """Read what is there (at least one byte unless it would block)."""
        try:
            data, ancillary, _flags, _addr = self.sock.recvmsg(
                1 << 16, socket.CMSG_SPACE(_CREDS.size) + socket.CMSG_SPACE(64)
            )
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            raise ChannelClosed(str(exc)) from exc
        writer = None
        for level, kind, body in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                for fd in array.array("i", body[: len(body) - len(body) % 4]):
                    socket.close(fd)  # nobody passes us descriptors
            elif level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                writer = _CREDS.unpack_from(body)[0]
        if not data:
            raise ChannelClosed("end of stream")
        if writer != self.pid:
            raise ChannelForged(f"bytes written by another process ({writer})")
        self._buffer += data

    def next(self) -> Frame | None:
        """The next complete frame, or None. Raises ChannelClosed / ChannelForged."""
        if len(self._buffer) < HEADER.size:
            return None
        size, kind = HEADER.unpack_from(self._buffer)
        if size > MAX_FRAME or kind not in KIND.values():
            raise ChannelForged(f"a frame (kind {kind}, {size} bytes) the runner never sends")
        if len(self._buffer) < HEADER.size + size:
            return None
        raw = bytes(self._buffer[: HEADER.size + size])
        del self._buffer[: HEADER.size + size]
        if kind in AUTHENTICATED:
            if self.key is None or size < MAC_SIZE + 4:
                raise ChannelForged("an authenticated frame before the key")
            body, mac = raw[:-MAC_SIZE], raw[-MAC_SIZE:]
            if not hmac.compare_digest(sign(self.key, body), mac):
                raise ChannelForged("a frame with a wrong MAC")
            payload = body[HEADER.size :]
            (seq,) = struct.unpack_from("!I", payload)
            if seq != self.seq:
                raise ChannelForged(f"frame {seq} where {self.seq} was expected")
            self.seq += 1
            return Frame(kind, payload)
        if self.key is not None:
            raise ChannelForged("an unauthenticated frame after the key")
        return Frame(kind, raw[HEADER.size :])

    def read(self, deadline: float) -> Frame:
        """Wait for one frame until ``deadline`` (a :func:`time.monotonic` value)."""
        while True:
            found = self.next()
            if found is not None:
                return found
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise ChannelTimeout()
            ready, _, _ = select.select([self.sock], [], [], wait)
            if not ready:
                raise ChannelTimeout()
            self.feed()


def notes_frame(notes: list[str]) -> bytes:
    return frame(KIND["NOTES"], json.dumps(notes).encode("utf-8"))


def parse_notes(payload: bytes) -> list[str]:
    try:
        notes: Any = json.loads(payload)
    except ValueError as exc:
        raise ChannelClosed("malformed notes") from exc
    if not isinstance(notes, list):
        raise ChannelClosed("malformed notes")
    return [str(n)[:500] for n in notes[:50]]
