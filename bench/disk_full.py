#!/usr/bin/env python3
"""The disk holding SQLite fills up under load, on a single node (bench/faults.sh sqlite-disk-full).

One node on SQLite, its data directory on a small tmpfs mounted for the run (needs root), the
demo spaces' owners browsing and changing their passwords. Then the file system is filled to
the last byte for --full seconds: every write must answer either its normal page or the French
503 page, never a 500 or half a change; pages that only read must still be served. Then the
space comes back: writes work again and PRAGMA integrity_check says ok. The node, the sink and
the mount are removed at the end whatever happens. Loopback only.
"""
import argparse
import errno
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deadline import ROOT, WORDS, Browser, Recorder, StepError, form_token, log  # noqa: E402

DEMO = [("paul.durand@espacepro.test", "Marmotte-Piano-Orage-2026"),
        ("lila.rosemonde@espacepro.test", "Cerisier-Violon-Nuage-2026"),
        ("claire.fontaine@espacepro.test", "Tournesol-Guitare-Brume-2026")]


def free_port(address="127.0.0.1"):
    import socket
    s = socket.socket()
    s.bind((address, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Owner:
    """One demo space's owner: a browser, the password the space has now."""

    def __init__(self, port, email, password, index):
        self.email, self.password = email, password
        self.browser = Browser(port, f"127.1.0.{index + 1}", Recorder())
        self.rng = random.Random(f"{time.time()}-{index}")
        self.outcomes = []   # (phase, action, result)

    def login(self):
        b = self.browser
        b.cookies = {k: v for k, v in b.cookies.items() if "Device" in k}
        _, page = b.request("GET", "/connexion", marker="form-connexion")
        b.request("POST", "/connexion", {"Input.Email": self.email, "Input.Password": self.password,
                                         "__RequestVerificationToken": form_token(page)}, expect=302, location="/")

    def act(self, phase):
        """One write (a password change, or a new login) and two reads; records what each gave."""
        b = self.browser
        for path, marker in (("/", "logout-form"), ("/gerer-mon-espace", "<h1>Gérer mon espace</h1>")):
            try:
                b.request("GET", path, marker=marker)
                self.outcomes.append((phase, "read", "ok"))
            except StepError as e:
                self.outcomes.append((phase, "read", str(e)))
                self.relogin(phase)
                return
        new = "-".join(self.rng.sample(WORDS, 4)) + "-" + str(self.rng.randrange(100, 999))
        try:
            _, page = b.request("GET", "/gerer-mon-espace/identifiants", marker="form-identifiants")
        except StepError as e:
            self.outcomes.append((phase, "read", str(e)))
            return
        form = {"Input.ChangePassword": "true", "Input.NewPassword": new, "Input.ConfirmPassword": new,
                "__RequestVerificationToken": form_token(page)}
        try:
            b.request("POST", "/gerer-mon-espace/identifiants", form, expect=302,
                      location="/gerer-mon-espace/identifiants/enregistrement")
            self.password = new
            self.outcomes.append((phase, "write", "ok"))
        except StepError as e:
            status, note = b.recorder.requests[-1][5:7]
            self.outcomes.append((phase, "write", "french-503" if note == "french-503" else str(e)))

    def relogin(self, phase):
        try:
            self.login()
            self.outcomes.append((phase, "login", "ok"))
        except StepError as e:
            self.outcomes.append((phase, "login", str(e)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app", help="an EspacePro.Web.dll (else published into --out)")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "disk-full-" + time.strftime("%Y%m%dT%H%M%S")))
    p.add_argument("--size", default="64m", help="the tmpfs's size")
    p.add_argument("--before", type=float, default=15)
    p.add_argument("--full", type=float, default=30)
    p.add_argument("--after", type=float, default=15)
    args, _ = p.parse_known_args()
    if os.geteuid() != 0:
        sys.exit("sqlite-disk-full mounts a tmpfs: run it as root (the test suite's DatabaseOutageTests covers the same without mounting)")
    os.makedirs(args.out, exist_ok=True)
    app = args.app
    if not app:
        log("publishing EspacePro (Release)")
        subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "EspacePro.Web"), "-c", "Release", "-o",
                        os.path.join(args.out, "app"), "-v", "q", "--nologo"], check=True, stdout=subprocess.DEVNULL)
        app = os.path.join(args.out, "app", "EspacePro.Web.dll")
    mount = tempfile.mkdtemp(prefix="espacepro-disk-")
    processes = []
    mounted = False
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size}", "tmpfs", mount], check=True)
        mounted = True
        # TLS and data-protection certificates for the run, as bench/run.sh makes them.
        for name, subject in (("tls", "/CN=127.0.0.1"), ("keys", "/CN=EspacePro disk-full keys")):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{args.out}/{name}.key",
                            "-out", f"{args.out}/{name}.crt", "-days", "2", "-subj", subject], check=True, capture_output=True)
            subprocess.run(["openssl", "pkcs12", "-export", "-out", f"{args.out}/{name}.pfx", "-inkey", f"{args.out}/{name}.key",
                            "-in", f"{args.out}/{name}.crt", "-passout", "pass:bench"], check=True)
        sink_port, port = free_port(), free_port()
        processes.append(subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "smtp_sink.py"), "--port", str(sink_port),
                                           "--count-file", os.path.join(args.out, "sink.count")]))
        env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Kestrel__Endpoints__Https__Url=f"https://127.0.0.1:{port}",
                   Kestrel__Endpoints__Https__Certificate__Path=f"{args.out}/tls.pfx", Kestrel__Endpoints__Https__Certificate__Password="bench",
                   DataProtection__CertificatePath=f"{args.out}/keys.pfx", DataProtection__CertificatePassword="bench",
                   App__PublicBaseUrl=f"https://127.0.0.1:{port}", App__DataDirectory=mount, DemoData__Enabled="true",
                   Captcha__Enabled="false", RateLimit__Enabled="false", Security__LoginCode__Enabled="false",
                   Mail__Delivery="Smtp", Mail__Smtp__Host="127.0.0.1", Mail__Smtp__Port=str(sink_port), Mail__Smtp__Security="None")
        for key in ("ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS"):
            env.pop(key, None)
        node_log = open(os.path.join(args.out, "node.log"), "w")
        processes.append(subprocess.Popen(["dotnet", app], cwd=os.path.dirname(app), env=env, stdout=node_log, stderr=subprocess.STDOUT))
        probe = Browser(port, "127.0.0.1", Recorder())
        for _ in range(300):
            try:
                probe.request("GET", "/health/ready")
                break
            except StepError:
                if processes[-1].poll() is not None:
                    sys.exit("the node stopped at start: " + os.path.join(args.out, "node.log"))
                time.sleep(0.4)
        owners = [Owner(port, email, password, i) for i, (email, password) in enumerate(DEMO)]
        for owner in owners:
            owner.login()
        phase = ["before"]
        stop = threading.Event()

        def loop(owner):
            while not stop.is_set():
                owner.act(phase[0])
        threads = [threading.Thread(target=loop, args=(o,), daemon=True) for o in owners]
        for t in threads:
            t.start()
        time.sleep(args.before)
        # Fill the file system to its last byte.
        filler = os.path.join(mount, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for size in (1 << 20, 4096, 1):
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
        finally:
            os.close(fd)
        phase[0] = "full"
        log(f"file system full ({shutil.disk_usage(mount).free} bytes free) for {args.full:.0f} s")
        time.sleep(args.full)
        phase[0] = "freed"
        os.remove(filler)
        log("space back")
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        # Whole or absent: the password each owner last saw saved opens the space, from a new browser.
        opened = []
        for i, owner in enumerate(owners):
            fresh = Owner(port, owner.email, owner.password, 10 + i)
            try:
                fresh.login()
                opened.append(True)
            except StepError:
                opened.append(False)
        processes[-1].terminate()
        processes[-1].wait(timeout=30)
        db = sqlite3.connect(os.path.join(mount, "espacepro.db"))
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
    finally:
        for proc in reversed(processes):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if mounted:
            subprocess.run(["umount", mount])
        os.rmdir(mount)

    import collections
    table = collections.Counter((ph, action, result) for o in owners for ph, action, result in o.outcomes)
    print("\nsqlite-disk-full: outcomes per phase")
    for (ph, action, result), count in sorted(table.items()):
        print(f"  {ph:<7} {action:<6} {result:<40} {count}")
    full = [(a, r) for o in owners for ph, a, r in o.outcomes if ph == "full"]
    checks = [
        ("every write while full: its page or the French 503 page", all(r in ("ok", "french-503") for a, r in full if a == "write"),
         f"{sum(1 for a, r in full if a == 'write' and r == 'french-503')} French 503, "
         f"{sum(1 for a, r in full if a == 'write' and r == 'ok')} stored, "
         f"{sum(1 for a, r in full if a == 'write' and r not in ('ok', 'french-503'))} other"),
        ("the disk really refused writes", any(r == "french-503" for a, r in full if a == "write"), ""),
        ("reads still served while full", all(r == "ok" for a, r in full if a == "read"),
         f"{sum(1 for a, r in full if a == 'read' and r == 'ok')} of {sum(1 for a, r in full if a == 'read')}"),
        ("writes work again once space is back", any(r == "ok" for o in owners for ph, a, r in o.outcomes if ph == "freed" and a == "write"), ""),
        ("no change half stored: each owner's last confirmed password opens the space", all(opened), f"{sum(opened)} of {len(opened)}"),
        ("PRAGMA integrity_check after the space is back", integrity == "ok", integrity),
    ]
    print("\nfault sqlite-disk-full:")
    for what, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {what}" + (f": {detail}" if detail else ""))
    passed = all(ok for _, ok, _ in checks)
    print(f"fault sqlite-disk-full: {'PASS' if passed else 'FAIL'}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
