#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the email sink tests.

Binds an ephemeral port, prints "READY <port>" on stdout, then serves until killed.
Each accepted message is written to --dir as <n>.eml (raw) and <n>.json (envelope,
headers and the decoded text / HTML parts), the .json renamed into place last so a
reader never sees half a message.

  --fail CODE:ADDRESS   answer RCPT TO:<ADDRESS> with CODE (e.g. 451, 550); repeatable
  --mode plain|starttls|tls
                        starttls: STARTTLS offered and required; tls: implicit TLS
  --cert / --key        certificate and key for starttls / tls
  --auth USER:PASS      require AUTH (PLAIN / LOGIN) with these credentials
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import socket
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, out_dir, failures):
        self.out_dir = out_dir
        self.failures = failures
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.failures.get(address.lower())
        if code == "451":
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        if code == "550":
            return "550 5.1.1 No such user here"
        if code:
            return f"{code} Refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out_dir, f"{self.count:04}")
        raw = envelope.original_content or envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                parts.setdefault(part.get_content_type(), part.get_content())
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            # session.ssl is set after STARTTLS only; implicit TLS shows on the transport.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "content_type": msg.get_content_type(),
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        with open(base + ".json.tmp", "w") as f:
            json.dump(record, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Message accepted for delivery"


def main():
    # aiosmtpd logs a warning about its own deprecated Session.login_data on every AUTH.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--auth")
    args = ap.parse_args()

    failures = {}
    for f in args.fail:
        code, addr = f.split(":", 1)
        failures[addr.lower()] = code
    handler = Handler(args.dir, failures)

    ctx = None
    if args.mode != "plain":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.cert, args.key)

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            # handled=False: aiosmtpd sends the 535 itself (True means "already replied").
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(
            authenticator=authenticator,
            auth_required=True,
            # Credentials only ever cross TLS, except in plain mode (tests of a local relay).
            auth_require_tls=args.mode != "plain",
        )
    if args.mode == "starttls":
        kwargs.update(tls_context=ctx, require_starttls=True)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(handler, hostname="smtp.test", **kwargs),
            sock=sock,
            ssl=ctx if args.mode == "tls" else None,
        )
        print(f"READY {port}", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
