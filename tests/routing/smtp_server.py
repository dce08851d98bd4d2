#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd, Debian's python3-aiosmtpd) on 127.0.0.1:PORT.
Every message it accepts becomes OUT/NAME.eml (written beside, then renamed), its envelope
OUT/NAME.env ("MAIL FROM\\nRCPT..."). A recipient whose local part starts with "refused" is
answered 550. With --cert/--key it offers STARTTLS (and requires it with --require-tls); with
--user/--password it requires AUTH. Prints "ready" once it listens; runs until SIGTERM."""
import argparse
import os
import signal
import ssl
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--cert")
ap.add_argument("--key")
ap.add_argument("--require-tls", action="store_true")
ap.add_argument("--user")
ap.add_argument("--password")
args = ap.parse_args()


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("refused"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        for ext, data in ((".env", "\n".join([envelope.mail_from] + envelope.rcpt_tos).encode()),
                          (".eml", envelope.original_content)):
            tmp = os.path.join(args.out, "." + name + ext)
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(args.out, name + ext))
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user
          and auth_data.password.decode() == args.password)
    return AuthResult(success=ok)


kwargs = {}
if args.cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    kwargs.update(tls_context=ctx, require_starttls=args.require_tls)
if args.user:
    kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(args.cert))
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})  # for sigwait
controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, **kwargs)
controller.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
