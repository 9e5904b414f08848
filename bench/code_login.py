#!/usr/bin/env python3
"""Logs spaces in as a person would, through the « code de sécurité » when the application asks
for it: the password, then the 6-digit code read from the mail the SMTP sink kept
(bench/smtp_sink.py --mail-dir), typed on /connexion/code. The browser then holds a session and
the space's recognised-browser cookie.

  code_login.py <base URL> <mail dir> jar <curl jar> <e-mail> <password>
      one space; every cookie of the browser (session, recognised browser, anti-forgery)
      written as a curl cookie jar
  code_login.py <base URL> <mail dir> devices <output> <e-mail with __N__> <password> <count>
      spaces 1..count, four browsers at a time; one line per space, in order: the
      recognised-browser cookie (name=value), so that a login benchmark can replay each space's
      login from a browser its space recognises

Exits non-zero, saying which space and why, when a login does not end on the home page.
"""
import email
import email.policy
import http.client
import os
import re
import ssl
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

CODE = re.compile(r"(?m)^\s*(\d{6})\s*$")
TOKEN = re.compile(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"')
MAIL_TIMEOUT = 30

context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE


class Mailbox:
    """The sink's folder: the code of the newest mail to an address that arrived after a mark."""

    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.read = {}  # file name -> (recipient, code)

    def names(self):
        return sorted(n for n in os.listdir(self.directory) if n.endswith(".eml"))

    def code_for(self, address, after):
        deadline = time.monotonic() + MAIL_TIMEOUT
        while time.monotonic() < deadline:
            for name in reversed(self.names()):
                if name <= after:
                    break
                with self.lock:
                    if name not in self.read:
                        with open(os.path.join(self.directory, name), "rb") as f:
                            message = email.message_from_binary_file(f, policy=email.policy.default)
                        to = re.sub(r".*<([^>]+)>.*", r"\1", str(message["To"] or "")).strip().lower()
                        body = message.get_body(preferencelist=("plain",))
                        m = CODE.search(body.get_content() if body is not None else "")
                        self.read[name] = (to, m.group(1) if m else None)
                to, code = self.read[name]
                if to == address.lower() and code:
                    return code
            time.sleep(0.05)
        raise SystemExit(f"no security code mailed to {address} within {MAIL_TIMEOUT} s")

    def mark(self):
        names = self.names()
        return names[-1] if names else ""


class Browser:
    def __init__(self, port):
        self.conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=60)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                if v == "" or "expires=thu, 01 jan 1970" in value.lower():
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        return resp.status, urllib.parse.urlsplit(resp.getheader("Location") or "").path, text

    def token(self, path):
        status, _, text = self.request("GET", path)
        m = TOKEN.search(text)
        if status != 200 or not m:
            raise SystemExit(f"GET {path}: {status}, no form")
        return m.group(1)


def log_in(port, mailbox, address, password):
    browser = Browser(port)
    mark = mailbox.mark()
    status, where, _ = browser.request("POST", "/connexion", {
        "Input.Email": address, "Input.Password": password, "__RequestVerificationToken": browser.token("/connexion")})
    if status == 302 and where == "/connexion/code":
        code = mailbox.code_for(address, mark)
        status, where, _ = browser.request("POST", "/connexion/code", {
            "Code": code, "__RequestVerificationToken": browser.token("/connexion/code")})
    if status != 302 or where != "/":
        raise SystemExit(f"the login of {address} ended on {status} {where}, not on the home page")
    browser.conn.close()
    return browser.cookies


def main(argv):
    port, mailbox, mode = urllib.parse.urlsplit(argv[1]).port, Mailbox(argv[2]), argv[3]
    if mode == "jar":
        output, address, password = argv[4], argv[5], argv[6]
        cookies = log_in(port, mailbox, address, password)
        with open(output, "w") as f:
            f.write("# Netscape HTTP Cookie File\n")
            for k, v in cookies.items():
                f.write(f"127.0.0.1\tFALSE\t/\tTRUE\t0\t{k}\t{v}\n")
    elif mode == "devices":
        output, pattern, password, count = argv[4], argv[5], argv[6], int(argv[7])

        def device(n):
            cookies = log_in(port, mailbox, pattern.replace("__N__", str(n)), password)
            names = [k for k in cookies if k.endswith("EspacePro.Device")]
            if not names:
                raise SystemExit(f"space {n}: no recognised-browser cookie after the login")
            return f"{names[0]}={cookies[names[0]]}"

        with ThreadPoolExecutor(4) as pool:
            lines = list(pool.map(device, range(1, count + 1)))
        with open(output, "w") as f:
            f.write("\n".join(lines) + "\n")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
