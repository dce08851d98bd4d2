#!/usr/bin/env python3
"""Parses every message of a Maildir's new/ with Python's email package (policy=default) and
fails on any defect, a header Candor does not write, or a message that does not say it is
automatic. Writes what the C++ test checks next (headers, plain and HTML bodies) as JSON.
Usage: check_mail.py MAILDIR OUT.json"""
import email
import email.policy
import json
import os
import sys

ALLOWED = {"from", "to", "subject", "date", "message-id", "in-reply-to", "references",
           "auto-submitted", "x-auto-response-suppress", "candor-idempotency-key", "mime-version",
           "content-type", "content-transfer-encoding", "reply-to", "list-unsubscribe",
           "list-unsubscribe-post"}

maildir, out = sys.argv[1], sys.argv[2]
problems, seen = [], []
for name in sorted(os.listdir(os.path.join(maildir, "new"))):
    with open(os.path.join(maildir, "new", name), "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    where = name
    for part in msg.walk():
        if part.defects:
            problems.append(f"{where}: part defects {part.defects!r}")
    headers = {}
    for key, value in msg.items():  # the policy parses each header: its defects are here
        if getattr(value, "defects", None):
            problems.append(f"{where}: header {key} defects {value.defects!r}")
        if key.lower() not in ALLOWED:
            problems.append(f"{where}: unexpected header {key!r}")
        if key.lower() in headers:
            problems.append(f"{where}: header {key} twice")
        headers[key.lower()] = str(value)
    if headers.get("auto-submitted") != "auto-generated":
        problems.append(f"{where}: no Auto-Submitted: auto-generated")
    if len(msg["to"].addresses) != 1:
        problems.append(f"{where}: To: is not one address: {msg['to']!r}")
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    if plain is None:
        problems.append(f"{where}: no text/plain body")
    seen.append({"file": name, "headers": headers,
                 "to": msg["to"].addresses[0].addr_spec if msg["to"].addresses else "",
                 "multipart": msg.get_content_type(),
                 "plain": plain.get_content() if plain is not None else "",
                 "html": html.get_content() if html is not None else ""})
with open(out, "w") as f:
    json.dump(seen, f)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
