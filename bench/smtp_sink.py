#!/usr/bin/env python3
"""A local SMTP sink for the bench: accepts every message and counts it.

Speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for MailKit; no TLS,
no AUTH. Listens on 127.0.0.1 only. Writes the number of messages received to --count-file
every half second, so the bench can cross-check what the outbox says it sent. With --mail-dir,
the « code de sécurité » mails are also kept there, one file per mail (NNNNNNN.eml, written
aside then renamed), for bench/code_login.py to read their code as a person would; every other
mail is only counted.
Usage: smtp_sink.py --port 2525 --count-file /tmp/sink.count [--mail-dir /tmp/mail]
"""
import argparse
import asyncio
import os
import signal

received = 0
mail_dir = None


async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    global received
    writer.write(b"220 bench-sink ESMTP\r\n")
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-bench-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n")
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                writer.write(b"250 OK\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                lines = []
                while True:
                    data = await reader.readline()
                    if not data or data == b".\r\n" or data == b".\n":
                        break
                    if mail_dir is not None:
                        lines.append(data)
                received += 1
                if mail_dir is not None:
                    keep(received, lines)
                writer.write(b"250 OK queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"502 Command not implemented\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


def keep(number: int, lines: list) -> None:
    message = b"".join(lines)
    if b"X-EspacePro-Kind: LoginCode" not in message:
        return
    name = f"{number:07d}.eml"
    temporary = os.path.join(mail_dir, "." + name + ".tmp")
    with open(temporary, "wb") as f:
        f.write(message)
    os.replace(temporary, os.path.join(mail_dir, name))


async def report(path: str) -> None:
    while True:
        with open(path + ".tmp", "w") as f:
            f.write(str(received))
        os.replace(path + ".tmp", path)
        await asyncio.sleep(0.5)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", required=True)
    parser.add_argument("--mail-dir")
    args = parser.parse_args()
    global mail_dir
    if args.mail_dir:
        os.makedirs(args.mail_dir, exist_ok=True)
        mail_dir = args.mail_dir
    server = await asyncio.start_server(session, "127.0.0.1", args.port, limit=1 << 20)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    reporter = asyncio.create_task(report(args.count_file))
    async with server:
        await stop.wait()
    reporter.cancel()
    with open(args.count_file, "w") as f:
        f.write(str(received))


asyncio.run(main())
