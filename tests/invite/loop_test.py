#!/usr/bin/env python3
"""The whole loop, with a real SMTP server (aiosmtpd, tests/routing/smtp_server.py) and the real
`candor serve` on 127.0.0.1: invite -> the guest answers at the /s/ link over HTTP -> the card
reaches head office -> its case and the acknowledgement mail -> the manager replies (cases
resolve --reply) -> the guest receives the reply at the SMTP server -> the guest's answer to
it, placed in the inbound Maildir -> mail pull -> the case re-opens with it.
Usage: loop_test.py CANDOR SOURCE_DIR WORK"""
import datetime
import email
import email.policy
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

candor, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
survey = os.path.join(source, "examples/surveys/hotel-stay.survey")
org = os.path.join(source, "examples/org/hotel-chain.org")
rules = os.path.join(source, "examples/org/hotel-stay.rules")
state, store, smtp_out, inbox = (os.path.join(work, d) for d in ("state", "store", "smtp", "in"))
hq_key = os.path.join(work, "hq", "hq.key")
os.makedirs(smtp_out)


def run(*args, expect=0):
    p = subprocess.run([candor, *args], capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"candor {' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(what, check, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        got = check()
        if got:
            return got
        time.sleep(0.05)
    sys.exit(f"timed out waiting for {what}")


def received():
    out = []
    for name in sorted(os.listdir(smtp_out)):
        if name.endswith(".eml"):
            with open(os.path.join(smtp_out, name), "rb") as f:
                out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
    return out


def check(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)


smtp_port, web_port = free_port(), free_port()
smtp = subprocess.Popen([sys.executable, os.path.join(source, "tests/routing/smtp_server.py"),
                         "--port", str(smtp_port), "--out", smtp_out], stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
server = None
try:
    check("ready" in smtp.stdout.readline(), "the SMTP server started")
    base = f"http://127.0.0.1:{web_port}"
    route = ["route", "run", "--org", org, "--rules", rules, "--survey", survey, "--store", store,
             "--hq-key", hq_key, "--smtp", f"smtp://127.0.0.1:{smtp_port}", "--smtp-tls", "never",
             "--reply-domain", "reply.candor.test"]
    run("keys", "hq", "--out", os.path.join(work, "hq"))
    run("keys", "device", "--id", "hq-web", "--out", os.path.join(work, "device"))

    # 1. The invitation: checked out three hours ago at paris-01, invited now.
    checkout = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3))
    stays = os.path.join(work, "stays.csv")
    with open(stays, "w") as f:
        f.write("stay_id,email,name,language,site,checkout\n")
        f.write(f"B-1042,guest@example.com,Claire,en,paris-01,{checkout:%Y-%m-%dT%H:%M:%SZ}\n")
    out = run("invite", "--stays", stays, "--org", org, "--survey", survey, "--server", state,
              "--store", store, "--base-url", base, "--quiet", "none")
    check("invited 1 of 1" in out, "one invitation: " + out)
    run(*route)
    mails = wait_for("the invitation", received)
    invitation = mails[0]
    check(invitation["To"].addresses[0].addr_spec == "guest@example.com", "to the guest")
    text = invitation.get_body(preferencelist=("plain",)).get_content()
    link = next(w for w in text.split() if w.startswith(base + "/s/"))
    token = link.rsplit("/", 1)[1]

    # 2. The guest answers at the link, on the real server.
    server = subprocess.Popen(
        [candor, "serve", "--state", state, "--survey", survey, "--device-key",
         os.path.join(work, "device", "hq-web.key"), "--hq-public", os.path.join(work, "hq", "hq.pub"),
         "--site", "paris-01", "--field", "channel=email", "--field", "shift=day", "--port",
         str(web_port), "--status-base", base], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    check("serving on" in server.stdout.readline(), "candor serve started")
    card = {"language": "en", "answers": {"recommend": 3, "satisfaction": 2,
                                          "what_went_wrong": "The room was cold.",
                                          "contact_me": True, "email": "guest@example.com"}}
    c = http.client.HTTPConnection("127.0.0.1", web_port, timeout=10)
    c.request("POST", f"/s/{token}/submit", json.dumps(card), {"Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read().decode()
    check(r.status == 200, f"the card was taken: {r.status} {body}")
    c.request("POST", f"/s/{token}/submit", json.dumps(card), {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    check(r.status == 410, "the link works once")
    server.send_signal(signal.SIGTERM)
    server.wait(10)
    server = None

    # 3. Head office: the card in the store, routed: its case, the guest's acknowledgement.
    bundle = os.path.join(work, "hq-web.bundle")
    run("journal", "export", os.path.join(state, "journal"), "--after", "0", "--out", bundle)
    run("hq", "import", "--store", store, "--hq-key", hq_key, "--devices",
        os.path.join(work, "device", "hq-web.pub"), bundle)
    out = run(*route)
    check("1 cases opened" in out, "a case: " + out)
    acks = wait_for("the acknowledgement", lambda: [m for m in received()
                                                   if "received your feedback" in str(m["Subject"])])
    check(acks[0]["Reply-To"] is not None, "the acknowledgement has a signed Reply-To")
    listing = run("cases", "list", "--store", store, "--state", "all")
    case_id, owner = listing.split()[0], listing.split("\n")[0].split()[4]

    # 4. The manager replies; the guest receives it.
    run("cases", "resolve", case_id, "--by", owner, "--note", "called", "--reply",
        "We are sorry: the heating is fixed.", "--store", store)
    run(*route)
    replies = wait_for("the reply", lambda: [m for m in received()
                                            if "answer to your feedback" in str(m["Subject"])])
    reply = replies[0]
    check("heating is fixed" in reply.get_body(preferencelist=("plain",)).get_content(),
          "the reply's words")
    check(run("cases", "show", case_id, "--store", store).find("resolved") >= 0, "resolved")

    # 5. The guest answers the reply; the MTA delivers it into the inbound Maildir.
    for d in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(inbox, d))
    answer = (f"From: Claire <guest@example.com>\nTo: {reply['Reply-To']}\n"
              f"Subject: Re: {reply['Subject']}\nMessage-ID: <answer-1@example.com>\n"
              f"In-Reply-To: {reply['Message-ID']}\nReferences: {reply['References']} "
              f"{reply['Message-ID']}\nMIME-Version: 1.0\n"
              "Content-Type: text/plain; charset=utf-8\n\nThank you, it is warm now.\n\n"
              "> We are sorry: the heating is fixed.\n")
    with open(os.path.join(inbox, "new", "1.guest"), "w") as f:
        f.write(answer)
    out = run("mail", "pull", "--maildir", inbox, "--store", store, "--org", org, "--rules", rules,
              "--survey", survey, "--reply-domain", "reply.candor.test", "--server", state)
    check("1 attached" in out, "attached: " + out)
    check(os.listdir(os.path.join(inbox, "new")) == [], "moved out of new/")
    check(len(os.listdir(os.path.join(inbox, "cur"))) == 1, "into cur/")
    shown = run("cases", "show", case_id, "--store", store)
    check("case " + case_id + ": open" in shown, "re-opened: " + shown)
    check("guest-wrote" in shown and "it is warm now" in shown, "with the guest's words: " + shown)
    check("heating is fixed" not in shown.split("guest-wrote")[1], "the quote left out")
    print(f"the whole loop: invitation, card, case {case_id}, acknowledgement, reply, the "
          "guest's answer attached and the case re-opened")
finally:
    if server:
        server.kill()
    smtp.send_signal(signal.SIGTERM)
    smtp.wait(10)
