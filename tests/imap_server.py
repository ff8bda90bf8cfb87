"""A private Dovecot IMAP server for tests: own config in a temporary folder, 127.0.0.1 on
free ports (plain/STARTTLS and implicit TLS), one passwd-file user, Maildir storage, and a
self-signed certificate. Started and stopped by the tests; needs Debian's dovecot-imapd.

As root, Dovecot's login and internal processes run as its packaged users (dovenull,
dovecot) and mail is stored as the `dovecot` user (mail processes may not run as root);
otherwise everything runs as the current user.
"""

from __future__ import annotations

import datetime as dt
import getpass
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "statements@example.test", "s3cret p@ss/word%"  # URL-quoted in urls


@dataclass
class ImapServer:
    root: Path
    port: int
    tls_port: int
    proc: subprocess.Popen
    ca_file: Path
    user: str = USER
    password: str = PASSWORD
    host: str = "127.0.0.1"

    def url(self, security: str = "none", folder: str = "INBOX") -> str:
        """STMT_IMAP_URL for this server: tls (imaps://), starttls or none (imap://)."""
        cred = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        if security == "tls":
            return f"imaps://{cred}@{self.host}:{self.tls_port}/{quote(folder)}"
        query = "" if security == "starttls" else "?security=none"
        return f"imap://{cred}@{self.host}:{self.port}/{quote(folder)}{query}"

    def env(self, security: str = "none", **extra: str) -> dict[str, str]:
        return {"STMT_IMAP_URL": self.url(security), "STMT_IMAP_CA_FILE": str(self.ca_file)} | extra

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=30)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            conn.create(f'"{folder}"')  # fails harmlessly when it exists
            typ, data = conn.append(f'"{folder}"', None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def uids(self, folder: str = "INBOX") -> list[int]:
        conn = self.client()
        try:
            typ, _ = conn.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            _, data = conn.uid("SEARCH", None, "ALL")
            return [int(u) for u in (data[0] or b"").split()]
        finally:
            conn.logout()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_cert(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (it is its own CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stmt test IMAP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _config(root: Path, port: int, tls_port: int, cert: Path, key: Path) -> str:
    if os.geteuid() == 0:
        internal, login = "dovecot", "dovenull"
        mail = pwd.getpwnam("dovecot")
    else:
        internal = login = getpass.getuser()
        mail = pwd.getpwuid(os.getuid())
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {mail.pw_uid}
last_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{root}/mail/%n
mail_privileged_group =
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/home/%n
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def start() -> ImapServer:
    """Start a private Dovecot and wait until it answers."""
    if not Path(DOVECOT).exists():
        raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="stmt-imap-"))
    root.chmod(0o755)  # Dovecot's unprivileged processes read their config below it
    cert, key = make_cert(root)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    if os.geteuid() == 0:
        mail = pwd.getpwnam("dovecot")
        for sub in ("mail", "home"):
            os.chown(root / sub, mail.pw_uid, mail.pw_gid)
    port, tls_port = _free_port(), _free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port, tls_port, cert, key))
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = ImapServer(root, port, tls_port, proc, cert)
    _wait_ready(server)
    return server


def _wait_ready(server: ImapServer, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            out = server.proc.stdout.read().decode(errors="replace") if server.proc.stdout else ""
            raise RuntimeError(f"dovecot exited {server.proc.returncode}: {out}\n{server.log()}")
        try:
            server.client().logout()
            ctx = ssl.create_default_context(cafile=str(server.ca_file))
            imaplib.IMAP4_SSL(server.host, server.tls_port, ssl_context=ctx, timeout=5).logout()
            return
        except (OSError, imaplib.IMAP4.error):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"dovecot did not answer within {timeout} s:\n{server.log()}")
