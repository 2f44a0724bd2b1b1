"""A local SMTP sink for benchmarks: accepts every message, keeps none, counts them.

    python -m bench._smtp_sink --port 8025 --count-file /tmp/count

It speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on asyncio and finds
the end of a message by searching the buffer for CRLF.CRLF, as a real MTA's receiving side
would, rather than parsing it line by line: aiosmtpd does that, and tops out near 270 messages
of 12 KB a second, which would measure the sink rather than us. It runs in its own process so
that receiving never shares the benchmark's interpreter lock. On SIGTERM it writes
"<messages> <bytes>" to the count file and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

END_OF_DATA = b"\r\n.\r\n"


class Counter:
    messages = 0
    bytes = 0


class SinkProtocol(asyncio.Protocol):
    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self.buffer = bytearray()
        self.in_data = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    return
                self.counter.messages += 1
                self.counter.bytes += end
                del self.buffer[: end + len(END_OF_DATA)]
                self.in_data = False
                self.transport.write(b"250 2.0.0 OK\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end]).upper()
            del self.buffer[: end + 2]
            if line.startswith(b"EHLO"):
                self.transport.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n")
            elif line.startswith(b"DATA"):
                self.in_data = True
                self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif line.startswith(b"QUIT"):
                self.transport.write(b"221 Bye\r\n")
                self.transport.close()
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.transport.write(b"250 OK\r\n")


async def serve(port: int, count_file: str) -> None:
    counter = Counter()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SinkProtocol(counter), "127.0.0.1", port)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    Path(count_file + ".ready").write_text("ready")
    await stop.wait()
    server.close()
    Path(count_file).write_text(f"{counter.messages} {counter.bytes}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", required=True)
    options = parser.parse_args()
    asyncio.run(serve(options.port, options.count_file))


if __name__ == "__main__":
    main()
