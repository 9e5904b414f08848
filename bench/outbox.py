#!/usr/bin/env python3
"""Outbox load for the bench: inserts N mails straight into the Outbox table, as if N changes
had just been committed, or prints how many are still unsent.

  outbox.py insert sqlite <db file> <n>        outbox.py pending sqlite <db file>
  outbox.py insert postgresql <port> <n>       outbox.py pending postgresql <port>
"""
import subprocess
import sys
import time
import uuid

action, provider, where = sys.argv[1], sys.argv[2], sys.argv[3]
TEXT = "Bonjour,\n\n" + "Ceci est un courriel d'essai de charge. " * 20 + "\n"
HTML = "<p>" + TEXT.replace("\n", "<br>") + "</p>"


def psql(sql: str) -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", where, "-U", "postgres", "-d", "espacepro",
                           "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


if provider == "sqlite":
    import sqlite3
    db = sqlite3.connect(where, timeout=30)
    if action == "insert":
        # EF Core stores DateTimeOffset on SQLite as DateTimeOffsetToBinaryConverter does:
        # ((UTC ticks / 1000) << 11) | offset minutes; offset 0 here.
        now = ((int(time.time() * 10_000_000) + 621_355_968_000_000_000) // 1000) << 11
        rows = [(str(uuid.uuid4()).upper(), now, "Bench", f"banc{i}@espacepro.test",
                 "Espace professionnel - essai de charge", TEXT, HTML, 0, now) for i in range(int(sys.argv[4]))]
        with db:
            db.executemany('INSERT INTO Outbox (Id, CreatedAt, Kind, "To", Subject, TextBody, HtmlBody, Attempts, NextAttemptAt) '
                           'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', rows)
    else:
        print(db.execute("SELECT count(*) FROM Outbox WHERE SentAt IS NULL").fetchone()[0])
else:
    if action == "insert":
        n = int(sys.argv[4])
        text = TEXT.replace("'", "''")
        html = HTML.replace("'", "''")
        psql('INSERT INTO "Outbox" ("Id", "CreatedAt", "Kind", "To", "Subject", "TextBody", "HtmlBody", "Attempts", "NextAttemptAt") '
             f"SELECT gen_random_uuid(), now(), 'Bench', 'banc' || n || '@espacepro.test', "
             f"'Espace professionnel - essai de charge', '{text}', '{html}', 0, now() FROM generate_series(1, {n}) n")
    else:
        print(psql('SELECT count(*) FROM "Outbox" WHERE "SentAt" IS NULL'))
