"""A TCP proxy a test can cut: the database (or any TCP service) goes away and comes back.

It listens on 127.0.0.1 on a free port and forwards every connection to the
target. ``cut()`` resets every open connection and refuses new ones (a
database restart, a failover); ``stall()`` resets the open ones and lets new
ones connect but never answer (a network partition in front of a new primary:
the case where only timeouts help); ``restore()`` forwards again. The shared
server behind it is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "up"  # up | cut | stall
        self.port = 0
        self.accepted = 0  # connections taken while up
        self.refused = 0  # connections reset or left hanging while down
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def url(self, database_url: str) -> str:
        """``database_url`` (postgresql://user@host:port/db) pointed at the proxy instead."""
        scheme, rest = database_url.split("://", 1)
        auth, _, tail = rest.rpartition("@")
        _, _, path = tail.partition("/")
        return f"{scheme}://{auth + '@' if auth else ''}127.0.0.1:{self.port}/{path}"

    def cut(self) -> None:
        self.mode = "cut"
        self._reset_all()

    def stall(self) -> None:
        self.mode = "stall"
        self._reset_all()

    def restore(self) -> None:
        self.mode = "up"

    async def close(self) -> None:
        self.mode = "cut"
        self._reset_all()
        if self._server is not None:
            self._server.close()
        # The resets end every connection's task; none is cancelled (asyncio's stream callback
        # would complain about a cancelled client task).
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    # -- internals ---------------------------------------------------------------

    def _reset_all(self) -> None:
        for writer in list(self._open):
            _reset(writer)
        self._open.clear()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "cut":
            self.refused += 1
            _reset(writer)
            return
        if self.mode == "stall":
            self.refused += 1
            self._open.add(writer)
            with contextlib.suppress(Exception):
                await reader.read()  # hold it open, answer nothing, until the client gives up or a reset
            self._open.discard(writer)
            _reset(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        self.accepted += 1
        self._open.update((writer, up_writer))
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            for w in (writer, up_writer):
                self._open.discard(w)
                if not w.is_closing():
                    w.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # One direction; its end (EOF or a reset) ends the other direction too, gently.
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        if not writer.is_closing():
            writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset, as a dying server or a firewall does: the peer notices at once."""
    if writer.is_closing():
        return
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
