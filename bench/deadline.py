#!/usr/bin/env python3
"""Deadline day: the realistic load mix, the soak, and the faults, on the local cluster.

  bench/deadline.py                         capacity: the mix, closed loop, --users for --duration s
  bench/deadline.py --soak                  capacity run, then the mix at 70 % of it for 20 minutes
  bench/deadline.py --soak --soak-minutes 3 --interval 20 --rate 6     a CI-size soak
  bench/deadline.py --fault NAME            the mix with a fault in the middle (postgres-restart,
                                            smtp-down, node-kill, sqlite-disk-full); bench/faults.sh

Each simulated user has its own cookies and its own loopback source address (127.1.x.y, so the
per-address login throttle sees many people, as in real life) and its own seeded space
(bench/seed_spaces.sql: the throttle on one space's guesses never trips). In each iteration a user
does one scenario of the mix, chosen at random with the weights of --mix:

  login     log in (login page, POST, home page)
  manage    « Gérer mon espace »
  recap     download the recap PDF
  password  change the password (identifiers form, POST, « Enregistrement »)
  email     request an e-mail change, read the code the sink received, activate it in a second
            browser (code, address, « Votre modification »)
  failed    a wrong password, from a fresh browser and address, on a space kept for failures

A scenario that needs a session logs in first when the user has none (or, for a credential
change, one older than 12 minutes: the form then asks for the password again); that login is
counted as a "login" step. Every request checks its status and a marker of the page it expects:
a wrong page is an error. Reported per step: throughput, p50, p99, errors.

By default the script starts its own cluster (deploy/cluster.sh, free ports, the published
application under --out) with the captcha and the per-client rate limit off, as bench/run.sh
does (the benchmark is one client that cannot read images; the captcha's own cost is measured by
run.sh's captcha_png), and stops it at the end; --cluster-dir uses a running one instead.
Everything runs on 127.0.0.0/8 and every run has a fixed duration.
"""
import argparse
import collections
import email
import html
import email.policy
import http.client
import json
import math
import os
import random
import re
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO_EMAIL, DEMO_PASSWORD = "lila.rosemonde@espacepro.test", "Cerisier-Violon-Nuage-2026"
DEFAULT_MIX = "login=30,manage=20,recap=15,password=10,email=10,failed=15"
STEPS = ["login", "manage", "recap", "password", "email", "failed"]
NODE_SETTINGS = ["Captcha__Enabled=false", "RateLimit__Enabled=false",
                 # The mix logs in with the password alone: the e-mailed security code adds a
                 # mail and a second POST to a browser's first login only (bench/run.sh measures
                 # the login that sends a code and the recognised browser's apart).
                 "Security__LoginCode__Enabled=false"]
TOKEN = re.compile(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="__RequestVerificationToken"')
CODE = re.compile(r"(?m)^\s*([A-Za-z]{12})\s*$")
WORDS = ["Banquise", "Cormoran", "Fougere", "Lagune", "Mistral", "Nenuphar", "Orchidee", "Pelican",
         "Quetzal", "Rhubarbe", "Sequoia", "Toucan", "Vanille", "Zeppelin", "Boussole", "Cyclamen"]


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


class StepError(Exception):
    """A request that did not give the page it should: the step counts as an error."""


# ---------------------------------------------------------------- cluster
class Cluster:
    """A running deploy/cluster.sh cluster: its addresses, its database, its mail folder."""

    def __init__(self, directory):
        self.dir = directory
        self.env = {}
        with open(os.path.join(directory, "cluster.env")) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                parts = shlex.split(value) if value else []
                self.env[key] = parts[0] if parts else ""
        self.port = int(self.env["HTTPS_PORT"])
        self.nodes = [self.env["NODE1"], self.env["NODE2"]]
        cs = dict(p.split("=", 1) for p in self.env["PG_CS"].split(";") if "=" in p)
        self.pg = dict(host=cs["Host"], port=cs.get("Port", "5432"), db=cs["Database"], user=cs.get("Username", "postgres"))
        self.mail_dir = os.path.join(directory, "mail")

    def psql(self, sql, variables=None, file=None, check=True):
        cmd = ["psql", "-h", self.pg["host"], "-p", self.pg["port"], "-U", self.pg["user"], "-d", self.pg["db"],
               "-v", "ON_ERROR_STOP=1", "-qtA", "-F", "\t"]
        for k, v in (variables or {}).items():
            cmd += ["-v", f"{k}={v}"]
        cmd += ["-f", file] if file else ["-c", sql]
        out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD="postgres", PGCONNECT_TIMEOUT="3"))
        if check and out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")
        return out.stdout.strip()

    def pid(self, node):
        try:
            with open(os.path.join(self.dir, "pids", f"node{node}.pid")) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def script(self, *args, timeout=300):
        env = dict(os.environ, CLUSTER_DIR=self.dir)
        return subprocess.run([os.path.join(ROOT, "deploy", "cluster.sh"), *args], env=env, capture_output=True,
                              text=True, timeout=timeout)

    def metrics(self, node):
        """The node's /metrics as {name: value} (labels summed per name), or None when it does not answer."""
        try:
            conn = http.client.HTTPConnection(*self.nodes[node - 1].split(":"), timeout=5)
            conn.request("GET", "/metrics")
            resp = conn.getresponse()
            text = resp.read().decode()
            conn.close()
            if resp.status != 200:
                return None
        except OSError:
            return None
        values = collections.defaultdict(float)
        for line in text.splitlines():
            if not line or line[0] == "#":
                continue
            name_labels, _, value = line.rpartition(" ")
            name = name_labels.split("{", 1)[0]
            try:
                values[name] += float(value)
            except ValueError:
                pass
            if name == "http_server_request_duration_seconds_count" and "http_response_status_code=\"5" in name_labels:
                values["http_5xx"] += float(value)
        return values


def start_cluster(out, app_dll, extra_env, lifetime):
    """Starts a cluster of our own on free ports; it stops when this process ends."""
    def free(address):
        s = socket.socket()
        s.bind((address, 0))
        port = s.getsockname()[1]
        s.close()
        return str(port)
    directory = os.path.join(out, "cluster")
    env = dict(os.environ, CLUSTER_DIR=directory, CLUSTER_PARENT=str(os.getpid()), CLUSTER_LIFETIME=str(lifetime),
               CLUSTER_HTTPS_PORT=free("127.0.0.1"), CLUSTER_SINGLE_PORT=free("127.0.0.1"),
               CLUSTER_NODE_PORT=free("127.0.0.2"), CLUSTER_PG_PORT=free("127.0.0.4"), CLUSTER_SMTP_PORT=free("127.0.0.5"),
               CLUSTER_NODE_ENV=" ".join(NODE_SETTINGS + extra_env),
               # Statements per login are counted by pg_stat_statements.
               CLUSTER_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all")
    if app_dll:
        env["CLUSTER_APP_DLL"] = app_dll
    log(f"starting the cluster in {directory} (publishes the application the first time)")
    done = subprocess.run([os.path.join(ROOT, "deploy", "cluster.sh"), "start"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("the cluster did not start:\n" + done.stdout + done.stderr)
    return Cluster(directory)


# ---------------------------------------------------------------- mail
class MailWatcher(threading.Thread):
    """Reads the sink's folder as mails arrive: the latest activation code per recipient, and
    every Message-Id with how many times it arrived (delivery is at least once)."""

    def __init__(self, directory):
        super().__init__(daemon=True)
        self.directory = directory
        self.seen = set()
        self.codes = {}
        self.message_ids = collections.Counter()
        self.recipients = collections.Counter()
        self.cond = threading.Condition()
        self.stopping = False
        self.scan()

    def scan(self):
        try:
            names = sorted(n for n in os.listdir(self.directory) if n.endswith(".eml") and n not in self.seen)
        except FileNotFoundError:
            return
        for name in names:
            try:
                with open(os.path.join(self.directory, name), "rb") as f:
                    message = email.message_from_binary_file(f, policy=email.policy.default)
            except OSError:
                continue
            self.seen.add(name)
            to = str(message["To"] or "").strip().lower()
            to = re.sub(r".*<([^>]+)>.*", r"\1", to)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            with self.cond:
                self.message_ids[str(message["Message-Id"] or name)] += 1
                self.recipients[to] += 1
                m = CODE.search(text)
                if m and (message["X-EspacePro-Kind"] or "").startswith("ActivationCode"):
                    self.codes[to] = m.group(1)
                self.cond.notify_all()

    def run(self):
        while not self.stopping:
            self.scan()
            time.sleep(0.1)

    def code_for(self, address, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while address not in self.codes:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StepError(f"no activation code mailed to the new address within {timeout:.0f} s")
                self.cond.wait(left)
            return self.codes.pop(address)


# ---------------------------------------------------------------- one browser
class Browser:
    """One user's browser: its cookies, one keep-alive TLS connection from its own address."""

    context = ssl.create_default_context()
    context.check_hostname = False
    # nginx's certificate is the cluster's own self-signed one.
    context.verify_mode = ssl.CERT_NONE

    def __init__(self, port, source, recorder):
        self.port, self.source, self.recorder = port, source, recorder
        self.cookies = {}
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, form=None, expect=200, location=None, marker=None):
        headers = {"User-Agent": "EspacePro-deadline-bench/1.0", "Accept-Language": "fr-FR"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        sent = len(method) + len(path) + 11 + sum(len(k) + len(v) + 4 for k, v in headers.items()) + len(body or "")
        t0 = time.monotonic()
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                                            timeout=60, source_address=(self.source, 0))
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                # A keep-alive connection nginx closed meanwhile: a browser opens a new one. A
                # POST is not resent (it may have been received).
                self.close()
                if attempt == 2 or method != "GET":
                    self.recorder.request(t0, time.monotonic() - t0, sent, 0, False)
                    raise StepError(f"{method} {path}: {type(e).__name__}")
            except OSError as e:
                self.close()
                self.recorder.request(t0, time.monotonic() - t0, sent, 0, False)
                raise StepError(f"{method} {path}: {type(e).__name__}")
        elapsed = time.monotonic() - t0
        received = 17 + sum(len(k) + len(v) + 4 for k, v in resp.getheaders()) + len(data)
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                if v == "" or "expires=thu, 01 jan 1970" in value.lower() or "max-age=0" in value.lower():
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        ok = resp.status == expect
        text = data.decode("utf-8", "replace") if not data.startswith(b"%PDF") else ""
        where = resp.getheader("Location") or ""
        if ok and location is not None and urllib.parse.urlsplit(where).path != location:
            ok = False
        if ok and marker is not None and (marker not in text if isinstance(marker, str) else not data.startswith(marker)):
            ok = False
        french_503 = resp.status == 503 and "indisponible" in text
        self.recorder.request(t0, elapsed, sent, received, ok, resp.status, "french-503" if french_503 else "")
        if not ok:
            detail = f"{resp.status}" + (f">{urllib.parse.urlsplit(where).path}" if where else "")
            if french_503:
                detail += " (French 503 page)"
            summary = re.search(r'id="erreurs".*?<li>(?:<a[^>]*>)?([^<]{0,90})', text, re.S)
            if summary:
                detail += " " + html.unescape(summary.group(1)).strip()
            raise StepError(f"{method} {re.sub(r'[0-9a-f-]{20,}', '…', path)}: {detail}")
        return resp, text


def form_token(text):
    m = TOKEN.search(text)
    if not m:
        raise StepError("no anti-forgery token in the page")
    return m.group(1) or m.group(2)


# ---------------------------------------------------------------- measures
class Recorder:
    """Every step and every request, with their times (monotonic clock)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.steps = []        # (end, name, seconds, ok, reason)
        self.requests = []     # (end, seconds, sent, received, ok)
        self.mail_waits = []

    def request(self, t0, seconds, sent, received, ok, status=0, note=""):
        with self.lock:
            self.requests.append((t0 + seconds, seconds, sent, received, ok, status, note))

    def step(self, name, seconds, ok, reason=""):
        with self.lock:
            self.steps.append((time.monotonic(), name, seconds, ok, reason))


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(math.ceil(p / 100 * len(values))) - 1)]


def step_table(steps, seconds):
    rows = []
    for name in STEPS:
        mine = [s for s in steps if s[1] == name]
        good = [s[2] for s in mine if s[3]]
        errors = [s for s in mine if not s[3]]
        reasons = collections.Counter(s[4] for s in errors)
        rows.append(dict(step=name, count=len(mine), per_s=len(mine) / seconds if seconds else 0,
                         p50_ms=percentile(good, 50) * 1000, p99_ms=percentile(good, 99) * 1000,
                         errors=len(errors), reasons=dict(reasons.most_common(4))))
    return rows


def print_table(rows, title):
    print(f"\n{title}")
    print(f"{'step':<9} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in rows:
        print(f"{r['step']:<9} {r['count']:>7} {r['per_s']:>7.2f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
              + (f"  {r['reasons']}" if r["reasons"] else ""))
    sys.stdout.flush()


# ---------------------------------------------------------------- the users
class Space:
    def __init__(self, n, password):
        self.n, self.email, self.password = n, f"banc{n}@espacepro.test", password
        self.email_changes = 0


class Bench:
    def __init__(self, cluster, args):
        self.cluster, self.args = cluster, args
        self.recorder = Recorder()
        self.mail = MailWatcher(cluster.mail_dir)
        self.mix = parse_mix(args.mix)
        self.lock = threading.Lock()
        self.spare = []
        self.failure_spaces = []
        self.failure_turn = 0
        self.address_turn = 0
        self.stop = threading.Event()
        self.iterations = 0
        self.rng = random.Random(args.seed)
        # Credential changes sent and their outcome, for the faults' "whole or absent" check.
        self.changes = []

    # -- seeding
    def seed(self):
        password_hash = self.cluster.psql(f"SELECT \"PasswordHash\" FROM \"Accounts\" WHERE \"Email\" = '{DEMO_EMAIL}'")
        if not password_hash.startswith("$argon2"):
            sys.exit("the demo space is missing: the nodes need DemoData:Enabled=true")
        first = int(self.cluster.psql("SELECT coalesce(max(substr(\"SubscriberNumber\", 2)::bigint), 0) FROM \"Accounts\" "
                                      "WHERE \"LastName\" = 'Banc'")) + 1
        users = max(self.args.users, self.args.soak_users if self.args.soak else 0)
        # A space takes 4 e-mail changes here (5 a day at most): a soak goes through many spares.
        spare = users * 2 + (int(self.args.soak_minutes * self.args.interval) if self.args.soak else 0)
        failures = self.args.failure_spaces
        total = users + spare + failures
        log(f"seeding {total} spaces (banc{first}..banc{first + total - 1}): {users} users, {spare} spare, {failures} for failed logins")
        self.cluster.psql(None, {"hash": password_hash, "from": first, "to": first + total - 1},
                          file=os.path.join(ROOT, "bench", "seed_spaces.sql"))
        spaces = [Space(n, DEMO_PASSWORD) for n in range(first, first + total)]
        self.spare = spaces[users:users + spare]
        self.failure_spaces = spaces[users + spare:]
        return [User(self, i, space) for i, space in enumerate(spaces[:users])]

    def db(self, sql, timeout=180):
        """A query that waits for the database to answer (it may be the fault under test)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.cluster.psql(sql)
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def reconcile(self, record, space):
        """After a credential change that failed on the way: what the database holds. It must be
        the whole change (with its mail queued) or nothing of it, and the user goes on with it."""
        sub = "9" + str(space.n).rjust(13, "0")
        at = f"to_timestamp({record['at']})"
        if record["kind"] == "password":
            changed, mails = self.db(f'SELECT a."PasswordChangedAt" >= {at}, (SELECT count(*) FROM "Outbox" o WHERE o."To" = a."Email" '
                                     f'AND o."Kind" = \'PasswordChanged\' AND o."CreatedAt" >= {at}) FROM "Accounts" a '
                                     f'WHERE a."SubscriberNumber" = \'{sub}\'').split("\t")
            committed, whole = changed == "t", (changed == "t") == (int(mails) > 0)
            if committed:
                space.password = record["new"]
        elif record["outcome"] == "unknown":
            pending, mails = self.db(f'SELECT (SELECT count(*) FROM "PendingEmailChanges" WHERE "NormalizedNewEmail" = upper(\'{record["new"]}\')), '
                                     f'(SELECT count(*) FROM "Outbox" WHERE "To" = \'{record["new"]}\')').split("\t")
            committed, whole = int(pending) > 0, (int(pending) > 0) == (int(mails) > 0)
            if committed:
                space.email_changes += 1
        else:
            current, used = self.db(f'SELECT a."Email", (SELECT count(*) FROM "PendingEmailChanges" p WHERE p."AccountId" = a."Id" '
                                    f'AND p."NormalizedNewEmail" = upper(\'{record["new"]}\') AND p."UsedAt" IS NOT NULL) '
                                    f'FROM "Accounts" a WHERE a."SubscriberNumber" = \'{sub}\'').split("\t")
            committed, whole = current == record["new"], (current == record["new"]) == (int(used) > 0)
            if committed:
                space.email = record["new"]
        record.update(committed=committed, whole=whole, stage=record["outcome"], outcome="failed")

    def next_address(self):
        with self.lock:
            self.address_turn += 1
            n = self.address_turn
        return f"127.2.{(n // 250) % 250}.{n % 250 + 1}"

    # -- scenarios
    def run_user(self, user, pacer, end):
        rng = user.choices
        names, weights = zip(*self.mix.items())
        while not self.stop.is_set():
            if pacer is not None:
                if not pacer.wait_turn(self.stop, end):
                    break
            elif time.monotonic() >= end:
                break
            scenario = rng.choices(names, weights)[0]
            with self.lock:
                self.iterations += 1
            user.run(scenario)
        user.browser.close()


class User:
    def __init__(self, bench, index, space):
        self.bench, self.space = bench, space
        self.address = f"127.1.{index // 250}.{index % 250 + 1}"
        self.browser = Browser(bench.cluster.port, self.address, bench.recorder)
        self.logged_in_at = None
        # New passwords never repeat one of this space's (the run's time is in the seed).
        self.rng = random.Random(f"{time.time()}-{index}")
        self.choices = random.Random(bench.args.seed * 1000 + index)

    def step(self, name, action):
        t0 = time.monotonic()
        try:
            waited = action() or 0.0
            self.bench.recorder.step(name, time.monotonic() - t0 - waited, True)
            return True
        except StepError as e:
            self.bench.recorder.step(name, time.monotonic() - t0, False, str(e))
            # After a failure the browser starts again from the login page.
            self.logged_in_at = None
            self.browser.cookies = {k: v for k, v in self.browser.cookies.items() if "Device" in k or "device" in k}
            return False

    def run(self, scenario):
        if scenario == "failed":
            self.step("failed", self.failed_login)
            return
        if scenario == "login":
            self.step("login", self.login)
            return
        fresh_enough = scenario not in ("password", "email") or (
            self.logged_in_at is not None and time.monotonic() - self.logged_in_at < 12 * 60)
        if self.logged_in_at is None or not fresh_enough:
            if not self.step("login", self.login):
                return
        if scenario == "manage":
            self.step("manage", lambda: self.browser.request("GET", "/gerer-mon-espace", marker="<h1>Gérer mon espace</h1>") and None)
        elif scenario == "recap":
            self.step("recap", self.recap)
        elif scenario == "password":
            self.step("password", self.change_password)
        elif scenario == "email":
            if self.space.email_changes >= 4:
                self.rotate()
                if not self.step("login", self.login):
                    return
            self.step("email", self.change_email)

    def rotate(self):
        """A space allows a few e-mail changes a day: this user goes on with a spare one."""
        with self.bench.lock:
            if self.bench.spare:
                self.space = self.bench.spare.pop()
        self.browser.cookies.clear()
        self.logged_in_at = None

    def login(self):
        b = self.browser
        # A returning browser keeps its device cookie, not its old session.
        b.cookies = {k: v for k, v in b.cookies.items() if "Device" in k or "device" in k}
        _, page = b.request("GET", "/connexion", marker="form-connexion")
        b.request("POST", "/connexion", {"Input.Email": self.space.email, "Input.Password": self.space.password,
                                         "__RequestVerificationToken": form_token(page)}, expect=302, location="/")
        b.request("GET", "/", marker="logout-form")
        self.logged_in_at = time.monotonic()

    def recap(self):
        resp, _ = self.browser.request("GET", "/gerer-mon-espace/recapitulatif", marker=b"%PDF")
        if "pdf" not in (resp.getheader("Content-Type") or ""):
            raise StepError("recap: not a PDF")

    def submit_identifiers(self, fields):
        b = self.browser
        _, page = b.request("GET", "/gerer-mon-espace/identifiants", marker="form-identifiants")
        form = dict(fields, __RequestVerificationToken=form_token(page))
        b.request("POST", "/gerer-mon-espace/identifiants", form, expect=302,
                  location="/gerer-mon-espace/identifiants/enregistrement")
        return b.request("GET", "/gerer-mon-espace/identifiants/enregistrement", marker="Enregistrement effectué")[1]

    def change_password(self):
        new = "-".join(self.rng.sample(WORDS, 4)) + "-" + str(self.rng.randrange(100, 999))
        record = dict(kind="password", n=self.space.n, old=self.space.password, new=new, at=time.time(), outcome=None)
        self.bench.changes.append(record)
        try:
            page = self.submit_identifiers({"Input.ChangePassword": "true", "Input.NewPassword": new, "Input.ConfirmPassword": new})
        except StepError:
            record["outcome"] = "unknown"
            self.bench.reconcile(record, self.space)
            raise
        record["outcome"] = "done"
        self.space.password = new
        if "Votre mot de passe a été réinitialisé" not in page:
            raise StepError("password: the saved page does not say so")

    def change_email(self):
        base = self.space.email.split("@")[0].split("-m")[0]
        new = f"{base}-m{self.space.email_changes + 1}x{self.rng.randrange(10**6)}@espacepro.test"
        record = dict(kind="email", n=self.space.n, old=self.space.email, new=new, at=time.time(), outcome=None)
        self.bench.changes.append(record)
        try:
            self.submit_identifiers({"Input.ChangeEmail": "true", "Input.NewEmail": new, "Input.ConfirmEmail": new})
        except StepError:
            record["outcome"] = "unknown"
            self.bench.reconcile(record, self.space)
            raise
        self.space.email_changes += 1
        record["outcome"] = "requested"
        t0 = time.monotonic()
        code = self.bench.mail.code_for(new, self.bench.args.mail_timeout)
        waited = time.monotonic() - t0
        self.bench.recorder.mail_waits.append(waited)
        # The code is typed in a browser where the space is closed (the activation page asks for it).
        other = Browser(self.bench.cluster.port, self.address, self.bench.recorder)
        record["outcome"] = "activating"
        try:
            _, page = other.request("GET", "/activation", marker="form-code")
            other.request("POST", "/activation", {"Code": code, "__RequestVerificationToken": form_token(page)},
                          expect=302, location="/activation/identifiants")
            _, page = other.request("GET", "/activation/identifiants", marker="form-identifiants-activation")
            other.request("POST", "/activation/identifiants", {"Email": new, "__RequestVerificationToken": form_token(page)},
                          expect=302, location="/activation/recapitulatif")
            other.request("GET", "/activation/recapitulatif", marker="Votre modification")
        except StepError:
            self.bench.reconcile(record, self.space)
            raise
        finally:
            other.close()
        record["outcome"] = "done"
        self.space.email = new
        # The change closes the space's sessions: the next scenario logs in again.
        self.logged_in_at = None
        return waited

    def failed_login(self):
        with self.bench.lock:
            target = self.bench.failure_spaces[self.bench.failure_turn % len(self.bench.failure_spaces)]
            self.bench.failure_turn += 1
        stranger = Browser(self.bench.cluster.port, self.bench.next_address(), self.bench.recorder)
        try:
            _, page = stranger.request("GET", "/connexion", marker="form-connexion")
            stranger.request("POST", "/connexion", {"Input.Email": target.email, "Input.Password": "Pas-Le-Bon-Mot-De-Passe-1",
                                                    "__RequestVerificationToken": form_token(page)},
                             marker="Adresse électronique ou mot de passe incorrect")
        finally:
            stranger.close()


def parse_mix(text):
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in STEPS:
            sys.exit(f"unknown scenario in --mix: {name} (one of {', '.join(STEPS)})")
        mix[name.strip()] = float(weight)
    total = sum(mix.values())
    return {k: v / total for k, v in mix.items() if v > 0}


class Pacer:
    """Open loop: iterations start at a fixed rate whatever the latency (users wait for a turn)."""

    def __init__(self, rate, start):
        self.rate, self.start, self.turn = rate, start, 0
        self.lock = threading.Lock()
        self.late = 0

    def wait_turn(self, stop, end):
        with self.lock:
            at = self.start + self.turn / self.rate
            self.turn += 1
        # Slots left over when the run is behind are dropped at the end: the run lasts its duration.
        if at >= end or time.monotonic() >= end:
            return False
        delay = at - time.monotonic()
        if delay > 0:
            return not stop.wait(delay)
        if delay < -1:
            self.late += 1
        return not stop.is_set()


# ---------------------------------------------------------------- runs
def run_load(bench, users, seconds, rate=None, sampler=None, label="mix"):
    """Runs the mix for `seconds`; returns (steps, requests) of the run."""
    recorder = bench.recorder
    first_step, first_request = len(recorder.steps), len(recorder.requests)
    start = time.monotonic()
    end = start + seconds
    pacer = Pacer(rate, start) if rate else None
    bench.stop.clear()
    threads = [threading.Thread(target=bench.run_user, args=(user, pacer, end), daemon=True) for user in users]
    log(f"{label}: {len(threads)} users for {seconds:.0f} s" + (f" at {rate:.2f} iterations/s" if rate else " (closed loop)"))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1, end - time.monotonic()) + 120)
    elapsed = time.monotonic() - start
    if pacer and pacer.late:
        log(f"{label}: {pacer.late} iterations started more than 1 s late (not enough users for the rate)")
    return recorder.steps[first_step:], recorder.requests[first_request:], elapsed


def node_sample(cluster):
    sample = {"t": time.monotonic()}
    for node in (1, 2):
        pid = cluster.pid(node)
        rss = cpu = None
        if pid:
            try:
                with open(f"/proc/{pid}/status") as f:
                    rss = next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS"))
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, StopIteration):
                pass
        m = cluster.metrics(node) or {}
        sample[f"node{node}"] = dict(
            rss=rss, cpu=cpu, gc_heap=m.get("dotnet_gc_last_collection_heap_size_bytes"),
            requests=m.get("http_server_request_duration_seconds_count"), http_5xx=m.get("http_5xx"),
            backlog=m.get("espacepro_outbox_backlog"), oldest=m.get("espacepro_outbox_oldest_age_seconds"))
    return sample


def pg_counters(cluster):
    """Database-wide counters (pg_stat_database) and statement count (pg_stat_statements if loaded)."""
    row = cluster.psql("SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_deleted, blks_read, blks_hit "
                       "FROM pg_stat_database WHERE datname = current_database()").split("\t")
    counters = dict(zip(["xacts", "inserted", "updated", "deleted", "blks_read", "blks_hit"], map(int, row)))
    calls = cluster.psql("SELECT sum(calls) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                         check=False)
    if calls and calls.replace(".", "").isdigit():
        counters["statements"] = int(float(calls))
    pg_cpu = postgres_cpu(cluster)
    if pg_cpu is not None:
        counters["cpu_ms"] = int(pg_cpu * 1000)
    wal = cluster.psql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn", check=False)
    if wal:
        counters["wal_bytes"] = int(float(wal))
    return counters


def postgres_cpu(cluster):
    """CPU seconds of the cluster's own PostgreSQL: the postmaster, its ended children, its live ones."""
    try:
        with open(os.path.join(cluster.dir, "pg", "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == postmaster:
            total += sum(int(x) for x in fields[11:15])
        elif int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def table_sizes(cluster):
    out = cluster.psql("SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                       "ORDER BY pg_total_relation_size(c.oid) DESC")
    return {line.split("\t")[0]: int(line.split("\t")[1]) for line in out.splitlines() if line}


def row_counts(cluster, tables=("AuditEvents", "Sessions", "Outbox", "LoginThrottles", "TrustedDevices", "PasswordHistory", "PendingEmailChanges")):
    return {t: int(cluster.psql(f'SELECT count(*) FROM "{t}"')) for t in tables}


def costs(cluster, before_nodes, after_nodes, before_pg, after_pg, steps, requests, seconds):
    """What one login and one page cost, from counter deltas over a run."""
    cpu = sum((after_nodes[f"node{n}"]["cpu"] or 0) - (before_nodes[f"node{n}"]["cpu"] or 0) for n in (1, 2))
    reqs = sum((after_nodes[f"node{n}"]["requests"] or 0) - (before_nodes[f"node{n}"]["requests"] or 0) for n in (1, 2))
    delta = {k: after_pg.get(k, 0) - before_pg.get(k, 0) for k in after_pg}
    return dict(seconds=seconds, node_cpu_s=cpu, node_requests=reqs, cpu_ms_per_request=cpu / reqs * 1000 if reqs else None,
                client_requests=len(requests), bytes_sent=sum(r[2] for r in requests), bytes_received=sum(r[3] for r in requests),
                steps=collections.Counter(s[1] for s in steps if s[3]), pg=delta)


# ---------------------------------------------------------------- the soak
class Sampler(threading.Thread):
    def __init__(self, cluster, every):
        super().__init__(daemon=True)
        self.cluster, self.every = cluster, every
        self.samples = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            self.samples.append(node_sample(self.cluster))
            self.halt.wait(self.every)


def soak_verdict(intervals):
    """The criteria, from the 5th of 20 minutes on (scaled for a shorter soak)."""
    n = len(intervals)
    scale = n / 20
    warm = max(1, round(4 * scale))
    first = intervals[warm:warm + max(1, round(6 * scale))]
    last = intervals[n - max(1, round(5 * scale)):]
    checks = []
    for node in ("node1", "node2"):
        base = [i[node]["rss"] for i in intervals[warm:warm + 1] if i[node]["rss"]]
        later = [i[node]["rss"] for i in intervals[warm:] if i[node]["rss"]]
        if base and later:
            growth = max(later) / base[0] - 1
            checks.append((f"{node} resident memory flat (growth since the start of the measure <= 5 %)", growth <= 0.05, f"{growth * 100:+.1f} %"))
    p_first = percentile([x for i in first for x in i["latencies"]], 99)
    p_last = percentile([x for i in last for x in i["latencies"]], 99)
    checks.append(("p99 flat (last part within 20 % of the early part)", abs(p_last / p_first - 1) <= 0.20 if p_first else False,
                   f"{p_first * 1000:.0f} ms then {p_last * 1000:.0f} ms ({(p_last / p_first - 1) * 100:+.0f} %)"))
    # The backlog "grows for more than a minute" when it stays above the level it had for 60 s
    # without coming back down to it: a mail then waits over a minute. The level at a moment is
    # the highest backlog of the minute before it: under a steady load a few mails are always in
    # flight (0 to 8 here, sampled every 5 s), and a backlog that touched 0 once and then held its
    # usual few mails is not growing, while a growing one passes its previous minute's peak and
    # stays above it. Both this and the oldest mail's age are checked.
    series = [(s["t"], max(s["node1"]["backlog"] or 0, s["node2"]["backlog"] or 0),
               max(s["node1"]["oldest"] or 0, s["node2"]["oldest"] or 0)) for i in intervals for s in i["samples"]]
    longest = 0.0
    for a, (t0, _, _) in enumerate(series):
        level = max(b for t, b, _ in series[:a + 1] if t >= t0 - 60)
        for t1, b1, _ in series[a + 1:]:
            if b1 <= level:
                break
            longest = max(longest, t1 - t0)
    oldest = max((o for _, _, o in series), default=0)
    checks.append(("outbox backlog never grows for more than a minute", longest <= 60 and oldest <= 60,
                   f"longest rise {longest:.0f} s, oldest mail {oldest:.0f} s"))
    errors = sum(i["errors"] for i in intervals)
    checks.append(("no request errors out", errors == 0, f"{errors} errors"))
    return checks


def plot(intervals, path, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # A python of its own (pyenv, venv) may lack the Debian package the system one has.
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            data = path + ".json"
            with open(data, "w") as f:
                json.dump(dict(intervals=[{k: v for k, v in i.items() if k not in ("samples", "latencies")} for i in intervals],
                               title=title), f)
            done = subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--plot-from", data, "--plot", path])
            os.remove(data)
            if done.returncode == 0:
                return
        log("matplotlib is missing (Debian: apt-get install python3-matplotlib): no plot")
        return
    x = [i["minute"] for i in intervals]
    fig, axes = plt.subplots(4, 1, figsize=(9, 10), sharex=True)
    for node, style in (("node1", "-"), ("node2", "--")):
        axes[0].plot(x, [(i[node]["rss"] or 0) / 2**20 for i in intervals], style, label=f"{node} resident (MiB)")
        axes[0].plot(x, [(i[node]["gc_heap"] or 0) / 2**20 for i in intervals], style, label=f"{node} GC heap (MiB)")
    axes[0].set_ylabel("MiB")
    axes[0].legend(fontsize=7, ncol=2)
    axes[1].plot(x, [i["p99"] * 1000 for i in intervals], label="p99, every request")
    axes[1].plot(x, [i["p50"] * 1000 for i in intervals], label="p50")
    axes[1].set_ylabel("ms")
    axes[1].legend(fontsize=7)
    axes[2].plot(x, [i["backlog_max"] for i in intervals], label="outbox backlog (max)")
    axes[2].plot(x, [i["oldest_max"] for i in intervals], label="oldest mail (s, max)")
    axes[2].legend(fontsize=7)
    axes[3].plot(x, [i["throughput"] for i in intervals], label="steps/s")
    axes[3].plot(x, [i["errors"] for i in intervals], label="errors")
    axes[3].set_xlabel("minute")
    axes[3].legend(fontsize=7)
    warm = max(1, round(4 * len(intervals) / 20))
    for a in axes:
        a.grid(alpha=0.3)
        # The criteria are judged from here on.
        a.axvline(warm + 0.5, color="grey", linestyle=":")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    log(f"plot: {path}")


def soak(bench, users, rate, minutes, interval, out, plot_path):
    cluster = bench.cluster
    sizes_before, rows_before = table_sizes(cluster), row_counts(cluster)
    sampler = Sampler(cluster, max(1.0, interval / 12))
    sampler.start()
    loads = []
    load_thread_stop = threading.Event()

    def watch_load():
        while not load_thread_stop.wait(30):
            loads.append(float(open("/proc/loadavg").read().split()[0]))
    threading.Thread(target=watch_load, daemon=True).start()
    t_start = time.monotonic()
    steps, requests, elapsed = run_load(bench, users, minutes * interval, rate=rate, label="soak")
    sampler.halt.set()
    load_thread_stop.set()
    sizes_after, rows_after = table_sizes(cluster), row_counts(cluster)
    intervals = []
    for k in range(minutes):
        lo, hi = t_start + k * interval, t_start + (k + 1) * interval
        mine = [s for s in sampler.samples if lo <= s["t"] < hi]
        lat = [r[1] for r in requests if lo <= r[0] < hi and r[4]]
        st = [s for s in steps if lo <= s[0] < hi]
        entry = dict(minute=k + 1, samples=mine, latencies=lat, p50=percentile(lat, 50), p99=percentile(lat, 99),
                     throughput=len(st) / interval, errors=sum(1 for s in st if not s[3]),
                     backlog_max=max((max(s["node1"]["backlog"] or 0, s["node2"]["backlog"] or 0) for s in mine), default=0),
                     oldest_max=max((max(s["node1"]["oldest"] or 0, s["node2"]["oldest"] or 0) for s in mine), default=0))
        for node in ("node1", "node2"):
            vals = lambda key: [s[node][key] for s in mine if s[node][key] is not None]
            entry[node] = dict(rss=sum(vals("rss")) / len(vals("rss")) if vals("rss") else None,
                               gc_heap=sum(vals("gc_heap")) / len(vals("gc_heap")) if vals("gc_heap") else None)
        intervals.append(entry)
    unit = "minute" if interval == 60 else f"{interval:.0f}-s interval"
    print(f"\nsoak: {rate:.2f} iterations/s for {minutes} x {unit}, load average during the run "
          f"{min(loads, default=0):.1f}..{max(loads, default=0):.1f}")
    print(f"{'min':>3} {'steps/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'err':>4} {'rss1 MiB':>9} {'rss2 MiB':>9} {'gc1 MiB':>8} {'gc2 MiB':>8} {'backlog':>8} {'oldest s':>8}")
    for i in intervals:
        mib = lambda v: f"{v / 2**20:.0f}" if v else "-"
        print(f"{i['minute']:>3} {i['throughput']:>8.2f} {i['p50'] * 1000:>7.0f} {i['p99'] * 1000:>7.0f} {i['errors']:>4} "
              f"{mib(i['node1']['rss']):>9} {mib(i['node2']['rss']):>9} {mib(i['node1']['gc_heap']):>8} {mib(i['node2']['gc_heap']):>8} "
              f"{i['backlog_max']:>8.0f} {i['oldest_max']:>8.0f}")
    print("\nPostgreSQL tables (total size, before -> after):")
    for name in sorted(sizes_after, key=lambda n: -sizes_after[n])[:12]:
        print(f"  {name:<28} {sizes_before.get(name, 0) / 2**20:8.2f} MiB -> {sizes_after[name] / 2**20:8.2f} MiB")
    print("rows (before -> after, bytes per added row):")
    for name in rows_after:
        added = rows_after[name] - rows_before[name]
        per_row = (sizes_after.get(name, 0) - sizes_before.get(name, 0)) / added if added > 0 else 0
        print(f"  {name:<28} {rows_before[name]:>8} -> {rows_after[name]:>8}  {per_row:6.0f} B/row")
    checks = soak_verdict(intervals)
    print("\nsoak verdict:")
    for what, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {detail}")
    passed = all(ok for _, ok, _ in checks)
    print(f"soak: {'PASS' if passed else 'FAIL'}")
    print_table(step_table(steps, elapsed), "soak, per step")
    plot(intervals, plot_path, f"EspacePro soak: deadline-day mix at {rate:.1f} iterations/s, two nodes, "
                               f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load avg {max(loads, default=0):.1f} on {os.cpu_count()} cores")
    with open(os.path.join(out, "soak.json"), "w") as f:
        json.dump(dict(rate=rate, intervals=intervals,
                       checks=checks, sizes_before=sizes_before, sizes_after=sizes_after, rows_before=rows_before,
                       rows_after=rows_after, loads=loads), f, indent=1)
    return passed



# ---------------------------------------------------------------- faults
def as_postgres(command):
    """PostgreSQL's tools refuse to run as root: the cluster's server belongs to postgres then."""
    return ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]


def wait_healthy(cluster, since, timeout=60):
    """Seconds from `since` until both nodes are ready and a page comes through nginx."""
    browser = Browser(cluster.port, "127.0.0.1", Recorder())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = True
        for node in cluster.nodes:
            try:
                conn = http.client.HTTPConnection(*node.split(":"), timeout=2)
                conn.request("GET", "/health/ready")
                ready &= conn.getresponse().status == 200
                conn.close()
            except OSError:
                ready = False
        if ready:
            try:
                browser.request("GET", "/connexion", marker="form-connexion")
                browser.close()
                return time.monotonic() - since
            except StepError:
                pass
        time.sleep(0.2)
    return None


def unsent(cluster):
    return int(cluster.psql('SELECT count(*) FROM "Outbox" WHERE "SentAt" IS NULL AND "Attempts" < 60'))


def mail_check(bench, since_epoch, exactly_once, wait=330):
    """Every mail queued since `since_epoch` is sent and reached the sink (once, or at least once)."""
    cluster = bench.cluster
    deadline = time.monotonic() + wait
    while unsent(cluster) and time.monotonic() < deadline:
        time.sleep(2)
    time.sleep(1)
    bench.mail.scan()
    rows = cluster.psql(f'SELECT replace("Id"::text, \'-\', \'\'), "SentAt" IS NOT NULL FROM "Outbox" '
                        f'WHERE "CreatedAt" >= to_timestamp({since_epoch})').splitlines()
    ids = {r.split("\t")[0]: r.split("\t")[1] == "t" for r in rows if r}
    arrived = collections.Counter()
    for message_id, count in bench.mail.message_ids.items():
        arrived[message_id.strip("<>").split("@")[0]] += count
    missing = [i for i in ids if arrived[i] == 0]
    unsent_ids = [i for i, sent in ids.items() if not sent]
    twice = [i for i in ids if arrived[i] > 1]
    ok = not missing and not unsent_ids and (not twice if exactly_once else len(twice) <= 2)
    return ok, f"{len(ids)} mails queued, {len(ids) - len(missing)} arrived, {len(unsent_ids)} unsent, {len(twice)} arrived twice"


def fault(bench, users, name, args):
    cluster = bench.cluster
    before, after = args.fault_before, args.fault_after
    outage = args.outage if args.outage is not None else {"postgres-restart": 0, "smtp-down": 120, "node-kill": 10}[name]
    since_epoch = time.time()
    result = {}
    load = threading.Thread(target=lambda: result.update(zip(("steps", "requests", "elapsed"),
                                                             run_load(bench, users, before + outage + after, label=f"mix under {name}"))))
    t_start = time.monotonic()
    load.start()
    time.sleep(before)
    samples = []
    checks = []
    t_fault = time.monotonic()
    if name == "postgres-restart":
        bin_dir = open(os.path.join(cluster.dir, "pg", "bin")).read().strip()
        data = os.path.join(cluster.dir, "pg", "data")
        if outage > 0:
            # A longer outage: stopped, then started again with the options it ran with.
            subprocess.run(as_postgres(f"{bin_dir}/pg_ctl -D {data} -m fast stop"), check=True, stdout=subprocess.DEVNULL)
            time.sleep(outage)
        # The server started by pg_ctl keeps the descriptors it was given: a log file, never a pipe.
        done = subprocess.run(as_postgres(f"{bin_dir}/pg_ctl -D {data} -m fast -w restart -l {cluster.dir}/pg/postgresql.log" if outage == 0 else
                                          f"{bin_dir}/pg_ctl -D {data} -w start -l {cluster.dir}/pg/postgresql.log -o "
                                          f"'-h {cluster.pg['host']} -p {cluster.pg['port']} -k {cluster.dir}/pg -c max_connections=200 "
                                          f"-c shared_preload_libraries=pg_stat_statements'"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if done.returncode != 0:
            sys.exit("pg_ctl failed (see the cluster's pg/postgresql.log)")
        t_back = time.monotonic()
        log(f"PostgreSQL restarted in {t_back - t_fault:.1f} s")
        healthy = wait_healthy(cluster, t_back)
        checks.append(("nodes healthy within 10 s of PostgreSQL's return", healthy is not None and healthy <= 10,
                       f"{healthy:.1f} s" if healthy is not None else "not healthy after 60 s"))
    elif name == "smtp-down":
        cluster.script("stop-sink")
        log(f"SMTP sink stopped for {outage:.0f} s")
        while time.monotonic() < t_fault + outage:
            samples.append(node_sample(cluster))
            time.sleep(2)
        cluster.script("start-sink")
        t_back = time.monotonic()
        peak = max((max(s["node1"]["backlog"] or 0, s["node2"]["backlog"] or 0) for s in samples), default=0)
        oldest = max((max(s["node1"]["oldest"] or 0, s["node2"]["oldest"] or 0) for s in samples), default=0)
        checks.append(("the metrics show the backlog while the relay is down", peak > 0,
                       f"backlog up to {peak:.0f} mails, oldest {oldest:.0f} s"))
    elif name == "node-kill":
        cluster.script("kill-node", "1")
        log(f"node 1 killed; started again in {outage:.0f} s")
        time.sleep(outage)
        done = cluster.script("start-node", "1")
        if done.returncode != 0:
            sys.exit("start-node failed: " + done.stderr)
        t_back = time.monotonic()
        served_before = (cluster.metrics(1) or {}).get("http_server_request_duration_seconds_count", 0)
    load.join()
    steps, requests = result["steps"], result["requests"]
    rows = step_table(steps, result["elapsed"])
    print_table(rows, f"mix under {name}: fault at {t_fault - t_start:.0f} s, back at {t_back - t_start:.0f} s")
    failed = [r for r in requests if not r[4]]
    by_status = collections.Counter((r[5], r[6]) for r in failed)
    print("failed requests by status: " + (", ".join(f"{st or 'no answer'}{' ' + n if n else ''}: {c}" for (st, n), c in by_status.items()) or "none"))
    if name == "postgres-restart":
        during = [r for r in failed if r[0] <= t_back + 10]
        late = [r for r in failed if r[0] > t_back + 10]
        plain = [r for r in during if not (r[5] == 503 and r[6] == "french-503")]
        checks.append(("while it is down, failed requests are the French 503 page", not plain,
                       f"{len(during) - len(plain)} French 503, {len(plain)} other ({collections.Counter(r[5] for r in plain)})"))
        checks.append(("no error 10 s after its return", not late, f"{len(late)} errors"))
    elif name == "smtp-down":
        checks.append(("no request errors out while the relay is down", not failed, f"{len(failed)} errors"))
    elif name == "node-kill":
        late = [r for r in failed if r[0] > t_fault + 2]
        checks.append(("the other node carries the load: errors only for requests in flight at the kill", not late,
                       f"{len(failed) - len(late)} in flight, {len(late)} later"))
        lost = sum(1 for s in steps if not s[3] and ">/connexion" in s[4])
        checks.append(("sessions and wizards survive (no step sent back to the login page)", lost == 0, f"{lost} sent back"))
        time.sleep(3)
        served_after = (cluster.metrics(1) or {}).get("http_server_request_duration_seconds_count", 0)
        checks.append(("node 1 serves again after its restart", served_after > served_before, f"{served_after - served_before:.0f} requests since"))
    changes = [c for c in bench.changes if c.get("outcome") == "failed"]
    checks.append(("each credential change whole or absent", all(c["whole"] for c in changes),
                   f"{len(changes)} changes failed on the way: {sum(c['committed'] for c in changes)} whole, "
                   f"{sum(not c['committed'] for c in changes)} absent, {sum(not c['whole'] for c in changes)} half"))
    ok, detail = mail_check(bench, since_epoch, exactly_once=name == "smtp-down")
    checks.append(("every mail queued arrives " + ("exactly once" if name == "smtp-down" else "(at least once, no loss)"), ok, detail))
    if name == "smtp-down":
        checks[-1] = (checks[-1][0], ok, detail + f", drained {time.monotonic() - t_back:.0f} s after the relay's return")
    print(f"\nfault {name}:")
    for what, good, detail in checks:
        print(f"  {'PASS' if good else 'FAIL'}  {what}: {detail}")
    passed = all(g for _, g, _ in checks)
    print(f"fault {name}: {'PASS' if passed else 'FAIL'}")
    return passed


# ---------------------------------------------------------------- main
def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=32, help="simulated users (each its own space, cookies, address)")
    p.add_argument("--duration", type=float, default=60, help="seconds of the capacity run (after --warmup)")
    p.add_argument("--warmup", type=float, default=20, help="seconds of unmeasured mix first")
    p.add_argument("--mix", default=DEFAULT_MIX, help=f"scenario weights (default {DEFAULT_MIX})")
    p.add_argument("--soak", action="store_true", help="after the capacity run, the mix at --soak-fraction of it")
    p.add_argument("--soak-minutes", type=int, default=20)
    p.add_argument("--interval", type=float, default=60, help="seconds per soak 'minute' (shorter for a smoke run)")
    p.add_argument("--soak-fraction", type=float, default=0.7)
    p.add_argument("--soak-users", type=int, default=96,
                   help="users of the soak: enough that iterations start on time when the machine slows down")
    p.add_argument("--rate", type=float, help="soak rate in iterations/s (skips the capacity run)")
    p.add_argument("--failure-spaces", type=int, default=3000, help="spaces the failed logins are spread over")
    p.add_argument("--mail-timeout", type=float, default=180)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--cluster-dir", help="a running deploy/cluster.sh cluster to use (else one is started)")
    p.add_argument("--app", help="an EspacePro.Web.dll to run (else published into --out)")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "deadline-" + time.strftime("%Y%m%dT%H%M%S")))
    p.add_argument("--plot", default=os.path.join(ROOT, "docs", "soak.png"))
    p.add_argument("--json", help="write the run's figures there")
    p.add_argument("--fault", choices=["postgres-restart", "smtp-down", "node-kill"], help="the mix with this fault (no capacity run)")
    p.add_argument("--outage", type=float, help="seconds the part stays down (default: postgres 0 = a plain restart, smtp 120, node 10)")
    p.add_argument("--fault-before", type=float, default=15, help="seconds of mix before the fault")
    p.add_argument("--fault-after", type=float, default=30, help="seconds of mix after the part's return")
    p.add_argument("--plot-from", help=argparse.SUPPRESS)
    p.add_argument("--verdict", metavar="SOAK_JSON", help="the soak's criteria again, from a run's soak.json (a run made with this version "
                   "keeps every sample and latency; an older one its 5-s samples: p99 left out)")
    args = p.parse_args()
    if args.verdict:
        with open(args.verdict) as f:
            intervals = json.load(f)["intervals"]
        for i in intervals:
            i.setdefault("latencies", [])
        for what, ok, detail in soak_verdict(intervals):
            if "p99" in what and not any(i["latencies"] for i in intervals):
                continue
            print(f"  {'PASS' if ok else 'FAIL'}  {what}: {detail}")
        return
    if args.plot_from:
        with open(args.plot_from) as f:
            data = json.load(f)
        plot(data["intervals"], args.plot, data["title"])
        return
    os.makedirs(args.out, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    load_before = open("/proc/loadavg").read().split()[0]
    if args.cluster_dir:
        cluster = Cluster(args.cluster_dir)
    else:
        lifetime = args.warmup + args.duration + (args.soak_minutes * args.interval if args.soak else 0) + 1800
        cluster = start_cluster(args.out, args.app, [], int(lifetime))
    bench = Bench(cluster, args)
    bench.mail.start()
    cluster.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", check=False)
    users = bench.seed()
    print(f"deadline mix: {len(users)} users, weights " + ", ".join(f"{k} {v * 100:.0f} %" for k, v in bench.mix.items())
          + f"; load average before {load_before} on {os.cpu_count()} cores")
    soak_users, users = users, users[:args.users]
    if args.warmup > 0:
        run_load(bench, users, args.warmup, label="warm-up")
    figures = {}
    if args.fault:
        passed = fault(bench, users, args.fault, args)
        bench.mail.stopping = True
        if not args.cluster_dir:
            cluster.script("stop", timeout=120)
        sys.exit(0 if passed else 1)
    if not args.rate:
        before_nodes, before_pg = node_sample(cluster), pg_counters(cluster)
        iterations_before = bench.iterations
        steps, requests, elapsed = run_load(bench, users, args.duration, label="capacity")
        # The soak paces iterations (a scenario, with the login it may need first), not steps.
        iteration_rate = (bench.iterations - iterations_before) / elapsed
        after_nodes, after_pg = node_sample(cluster), pg_counters(cluster)
        rows = step_table(steps, elapsed)
        capacity = len(steps) / elapsed
        print_table(rows, f"capacity run: {len(steps)} steps in {elapsed:.0f} s = {capacity:.2f} steps/s, "
                          f"load average {open('/proc/loadavg').read().split()[0]}")
        mw = sorted(bench.recorder.mail_waits)
        if mw:
            print(f"mail: the activation code reached the sink in p50 {percentile(mw, 50):.2f} s, p99 {percentile(mw, 99):.2f} s")
        c = costs(cluster, before_nodes, after_nodes, before_pg, after_pg, steps, requests, elapsed)
        print(f"cost: node CPU {c['node_cpu_s']:.1f} s for {c['node_requests']:.0f} requests "
              f"({c['cpu_ms_per_request'] or 0:.2f} ms each); client sent {c['bytes_sent']} B, received {c['bytes_received']} B "
              f"in {c['client_requests']} requests; PostgreSQL {c['pg']}")
        figures.update(capacity=capacity, steps=rows, costs={k: (dict(v) if isinstance(v, collections.Counter) else v) for k, v in c.items()})
        print(f"capacity: {iteration_rate:.2f} iterations/s")
        rate = iteration_rate * args.soak_fraction
    else:
        rate = args.rate
    passed = True
    if args.soak:
        # Open loop at the target rate: many more users than needed, so a slow step never
        # holds the next one back.
        passed = soak(bench, soak_users, rate, args.soak_minutes, args.interval, args.out, args.plot)
    bench.mail.stopping = True
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1, default=str)
    if not args.cluster_dir:
        cluster.script("stop", timeout=120)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
