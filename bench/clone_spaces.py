#!/usr/bin/env python3
"""Clones one demo space into banc1..bancN@espacepro.test, for the login benchmarks.

A login benchmark that replays one space's login from many connections measures the throttle,
not the login: every guess is counted on the space before its hash, so more than the allowance
in flight at once is refused (the bench once read refusals as logins). Each cloned space is a
copy of the template row with its own e-mail, subscriber number and stamps, and the template's
password hash, so the template's password opens all of them.

  clone_spaces.py sqlite <database file> <template e-mail> <count>
  clone_spaces.py postgresql <host> <port> <database> <template e-mail> <count>
"""
import sqlite3
import subprocess
import sys

# Columns given a value of their own; every other column is copied from the template.
def overrides(provider):
    if provider == "sqlite":
        uuid = ("upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
                " || '-A' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")
        number = "'8' || substr('0000000000000' || n, -13)"
        stamp = "hex(randomblob(16))"
    else:
        uuid = "gen_random_uuid()"
        number = "'8' || lpad(n::text, 13, '0')"
        stamp = "md5(random()::text || n)"
    email = "'banc' || n || '@espacepro.test'"
    return {
        "Id": uuid, "Email": email, "NormalizedEmail": f"upper({email})",
        "SubscriberNumber": number, "UserName": number, "NormalizedUserName": number,
        "SecurityStamp": stamp, "ConcurrencyStamp": stamp,
    }

def statement(provider, columns, template, count):
    values = overrides(provider)
    select = ", ".join(values.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    series = ("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) " % count
              if provider == "sqlite" else "")
    source = "s" if provider == "sqlite" else f"generate_series(1, {count}) AS n"
    return (f'{series}INSERT INTO "Accounts" ({names}) SELECT {select} FROM "Accounts" t, {source} '
            f"WHERE t.\"NormalizedEmail\" = '{template.upper()}' "
            f"AND NOT EXISTS (SELECT 1 FROM \"Accounts\" WHERE \"NormalizedEmail\" = 'BANC1@ESPACEPRO.TEST')")

def main(argv):
    if argv[1] == "sqlite":
        path, template, count = argv[2], argv[3], int(argv[4])
        db = sqlite3.connect(path, timeout=30)
        columns = [row[1] for row in db.execute('PRAGMA table_info("Accounts")')]
        db.execute(statement("sqlite", columns, template, count))
        db.commit()
        print(db.execute("SELECT count(*) FROM \"Accounts\" WHERE \"Email\" LIKE 'banc%'").fetchone()[0])
    else:
        host, port, database, template, count = argv[2], argv[3], argv[4], argv[5], int(argv[6])
        psql = ["psql", "-h", host, "-p", port, "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qtA"]
        columns = subprocess.run(psql + ["-c", "SELECT column_name FROM information_schema.columns "
                                         "WHERE table_name = 'Accounts' ORDER BY ordinal_position"],
                                 check=True, capture_output=True, text=True).stdout.split()
        subprocess.run(psql + ["-c", statement("postgresql", columns, template, count)], check=True)
        print(subprocess.run(psql + ["-c", "SELECT count(*) FROM \"Accounts\" WHERE \"Email\" LIKE 'banc%'"],
                             check=True, capture_output=True, text=True).stdout.strip())

if __name__ == "__main__":
    main(sys.argv)
