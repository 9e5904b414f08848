#!/usr/bin/env python3
"""Sequential HTTPS client for the full password-change POST, where wrk cannot be used.

A successful change re-issues the authentication cookie (the security stamp changes, so the
old cookie is refused) in a response that also sets the TempData cookie; wrk's Lua API keeps
only the last header of a name, so it cannot follow the new session. This client keeps the
cookies of every response, fetches a fresh anti-forgery token when needed and changes the
password of one space over and over, on one keep-alive connection, for a bounded time.
Prints the same BENCH line as bench/lua/status.lua. When the login asks for the « code de
sécurité » (a browser new to the space), it is read in <mail dir> (bench/smtp_sink.py
--mail-dir) and typed, as a person would.
Usage: seq_client.py <port> <email> <password> <seconds> [<mail dir>]
"""
import http.client
import random
import re
import ssl
import sys
import time
import urllib.parse

from code_login import Mailbox

port, email, password, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
mailbox = Mailbox(sys.argv[5]) if len(sys.argv) > 5 else None
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
cookies: dict[str, str] = {}
TOKEN = re.compile(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"|'
                   r'type="hidden" name="__RequestVerificationToken" value="([^"]+)"|'
                   r'name="__RequestVerificationToken" value="([^"]+)"')


def request(method, path, form=None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read().decode("utf-8", "replace")
    for name, value in resp.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            k, _, v = pair.partition("=")
            if v == "" or "expires=Thu, 01 Jan 1970" in value:
                cookies.pop(k, None)
            else:
                cookies[k] = v
    return resp.status, resp.getheader("Location"), data


def token(html):
    m = TOKEN.search(html)
    if not m:
        raise SystemExit("no anti-forgery token in the page")
    return next(g for g in m.groups() if g)


# Log in (the identifiers form needs a login of less than 15 minutes).
_, _, page = request("GET", "/connexion")
mark = mailbox.mark() if mailbox else ""
status, location, _ = request("POST", "/connexion", {
    "Input.Email": email, "Input.Password": password, "__RequestVerificationToken": token(page)})
if status == 302 and location and urllib.parse.urlsplit(location).path == "/connexion/code" and mailbox:
    _, _, page = request("GET", "/connexion/code")
    status, location, _ = request("POST", "/connexion/code", {
        "Code": mailbox.code_for(email, mark), "__RequestVerificationToken": token(page)})
if status != 302 or urllib.parse.urlsplit(location or "").path != "/":
    raise SystemExit(f"login failed: {status} {location}")

words = ["Banquise", "Cormoran", "Fougere", "Lagune", "Mistral", "Nenuphar", "Orchidee", "Pelican",
         "Quetzal", "Rhubarbe", "Sequoia", "Toucan", "Vanille", "Zeppelin", "Boussole", "Cyclamen"]
rng = random.Random(7)
latencies = []
statuses: dict[str, int] = {}
_, _, page = request("GET", "/gerer-mon-espace/identifiants")
form_token = token(page)
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    new = "-".join(rng.sample(words, 4)) + "-" + str(rng.randrange(100, 999))
    t0 = time.perf_counter()
    status, location, body = request("POST", "/gerer-mon-espace/identifiants", {
        "Input.ChangePassword": "true", "Input.NewPassword": new, "Input.ConfirmPassword": new,
        "__RequestVerificationToken": form_token})
    latencies.append(time.perf_counter() - t0)
    key = f"{status}>{location}" if status == 302 else str(status)
    statuses[key] = statuses.get(key, 0) + 1
    if status == 302 and location and location.endswith("/enregistrement"):
        password = new
    else:
        form_token = token(body) if "__RequestVerificationToken" in body else form_token
elapsed = time.perf_counter() - start
latencies.sort()
n = len(latencies)
pct = lambda p: latencies[min(n - 1, int(p / 100 * n))] * 1e6
print("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f errors=0 statuses=%s expected=302>/gerer-mon-espace/identifiants/enregistrement"
      % (n, elapsed * 1e6, pct(50), pct(99), sum(latencies) / n * 1e6,
         ",".join(f"{k}={v}" for k, v in sorted(statuses.items()))))
