#!/usr/bin/python3
"""Writes examples/data/hotel-stay.sample.jsonl: 4,200 hotel-stay cards from the 12 sites of
examples/org/hotel-chain.org over the six months to 2026-11-15. Run once, output committed;
the fixed seed makes a rerun write the same bytes.

What is in it, so the report has something to show:
- sites differ: marseille-10 (rude staff, waiting) and lille-04 (dirty rooms) are clearly
  worse; grenoble-07 improves sharply from mid-October (a new manager); nice-03 slips in
  November (building works);
- the ratings drive the recommendation (staff most, then cleanliness, then breakfast),
  and check-in effort (CES, 7 = hardest) follows staff;
- detractors explain in English or French; some ask to be contacted by email or phone;
- a few careless cards: speeders, straight-liners, a burst of taps on one kiosk;
- at night the kiosk names the manager on duty (`on_duty`, the org's duty-field): Léo, the
  duty manager at paris-01, and Bastien, lille-04's site manager, who covers its nights, so
  routing shows cards about them going above them.
"""

import datetime as dt
import json
import os
import random

SEED = 20261115
CARDS = 4200
END = dt.datetime(2026, 11, 15, 21, 0, tzinfo=dt.timezone.utc)
START = END - dt.timedelta(days=183)

# site: (share of cards, base quality, kiosks, per-attribute offsets (clean, staff, breakfast))
SITES = {
    "paris-01": (0.13, 0.45, 2, (0.0, 0.1, 0.0)),
    "paris-02": (0.10, 0.35, 2, (0.0, 0.0, 0.1)),
    "lille-04": (0.08, -0.25, 1, (-1.1, 0.0, -0.2)),
    "rouen-05": (0.06, 0.30, 1, (0.0, 0.0, 0.0)),
    "lyon-02": (0.10, 0.40, 2, (0.1, 0.0, 0.2)),
    "annecy-06": (0.06, 0.60, 1, (0.2, 0.1, 0.1)),
    "grenoble-07": (0.07, 0.20, 1, (0.0, 0.0, 0.0)),
    "strasbourg-08": (0.07, 0.35, 1, (0.0, 0.0, 0.3)),
    "nice-03": (0.09, 0.55, 2, (0.0, 0.0, 0.0)),
    "cannes-09": (0.08, 0.50, 2, (0.1, 0.1, 0.0)),
    "marseille-10": (0.09, -0.35, 2, (0.0, -1.2, -0.1)),
    "montpellier-11": (0.07, 0.40, 1, (0.0, 0.0, 0.0)),
}
NEW_MANAGER = dt.datetime(2026, 10, 29, tzinfo=dt.timezone.utc)  # grenoble-07 improves
WORKS = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)  # nice-03 slips

COMPLAINTS = {
    "staff": {
        "en": ["The receptionist was rude to us.", "Staff at the desk were rude and unhelpful.",
               "The night porter was rude when we asked for a late check-out.",
               "Nobody smiled, nobody said hello.", "The manager on duty did not apologise."],
        "fr": ["Le réceptionniste a été impoli.", "Personnel de l'accueil désagréable et peu aimable.",
               "Le veilleur de nuit a été grossier quand nous avons demandé un départ tardif.",
               "Personne ne nous a dit bonjour.", "Le responsable ne s'est pas excusé."],
    },
    "wait": {
        "en": ["We waited {n} minutes to check in.", "Queue at reception for {n} minutes.",
               "Room not ready until {h}pm.", "Waited {n} minutes for our luggage."],
        "fr": ["Nous avons attendu {n} minutes pour l'enregistrement.",
               "{n} minutes de queue à la réception.", "Chambre prête seulement à {h}h.",
               "Attendu {n} minutes nos bagages."],
    },
    "clean": {
        "en": ["The bathroom was dirty.", "Hair in the shower and dust under the bed.",
               "Sheets were stained.", "The room smelled of smoke."],
        "fr": ["La salle de bain était sale.", "Des cheveux dans la douche et de la poussière sous le lit.",
               "Draps tachés.", "La chambre sentait le tabac."],
    },
    "breakfast": {
        "en": ["Breakfast was cold.", "Nothing left at breakfast after 9:30.", "Coffee was awful."],
        "fr": ["Petit-déjeuner froid.", "Plus rien au petit-déjeuner après 9h30.", "Le café était imbuvable."],
    },
    "noise": {
        "en": ["Drilling from {h} in the morning, nobody warned us.", "Very noisy room over the street."],
        "fr": ["Des travaux dès {h}h du matin, sans prévenir.", "Chambre très bruyante côté rue."],
    },
}
CLOSERS = {
    "en": ["", " Not what we expect for the price.", " Very disappointing.", " We will not come back.",
           " Room {r}.", " Room {r}, {n} nights.", " We stayed {n} nights.", " Second time this year."],
    "fr": ["", " Pas à la hauteur du prix.", " Très décevant.", " Nous ne reviendrons pas.",
           " Chambre {r}.", " Chambre {r}, {n} nuits.", " Séjour de {n} nuits.", " Deuxième fois cette année."],
}
THANKS = {
    "en": ["", "", " Thank you!", " We will be back.", " Room {r} was perfect.", " Our {n}th stay with you."],
    "fr": ["", "", " Merci !", " Nous reviendrons.", " La chambre {r} était parfaite.", " Notre {n}e séjour chez vous."],
}
PRAISE = {
    "en": ["The view from the terrace.", "Lovely staff at reception.", "Spotless room, great bed.",
           "The breakfast!", "Quiet room and a very comfortable bed.", "{name} at the desk was wonderful.",
           "Great location, close to everything."],
    "fr": ["La vue depuis la terrasse.", "Personnel adorable à l'accueil.", "Chambre impeccable, très bon lit.",
           "Le petit-déjeuner !", "Chambre calme, lit très confortable.", "{name} à l'accueil était formidable.",
           "Très bien situé, proche de tout."],
}
# Who signs in at the kiosk at night, by site (person ids of examples/org/hotel-chain.org).
ON_DUTY_AT_NIGHT = {"paris-01": "leo", "lille-04": "bastien"}
NAMES = ["Camille", "Hugo", "Nadia", "Léa", "Karim", "Sophie", "Tom", "Inès", "Lucas", "Emma"]
FIRST = ["claire", "jean", "marc", "julie", "paul", "anna", "david", "sarah", "pierre", "laura", "ali", "emma"]
LAST = ["martin", "bernard", "dubois", "smith", "jones", "moreau", "garcia", "lambert", "brown", "roux"]
DOMAINS = ["example.fr", "example.com", "example.org", "mail.example"]


def clamp(x, lo, hi):
    return max(lo, min(hi, int(round(x))))


def quality(rng, site, when):
    _, base, _, _ = SITES[site]
    if site == "grenoble-07":
        base = -0.45 if when < NEW_MANAGER else 0.9
    if site == "nice-03" and when >= WORKS:
        base = -0.8
    return base + rng.gauss(0, 0.9)


def complaint(rng, lang, causes):
    parts = []
    for cause in causes:
        text = rng.choice(COMPLAINTS[cause][lang])
        parts.append(text.format(n=rng.choice([20, 25, 30, 40, 45, 60, 90]), h=rng.choice([5, 6, 7, 16, 17, 18])))
    closer = rng.choice(CLOSERS[lang]).format(r=rng.randint(101, 540), n=rng.randint(2, 6))
    return " ".join(parts) + closer


def contact(rng, answers):
    who = rng.choice(FIRST) + "." + rng.choice(LAST)
    how = rng.random()
    if how < 0.75:
        answers["email"] = f"{who}@{rng.choice(DOMAINS)}"
    if how >= 0.6:
        answers["phone"] = "+33 6 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))


def card(rng, site, device, when, lang, shift):
    q = quality(rng, site, when)
    clean_o, staff_o, breakfast_o = SITES[site][3]
    night = -0.3 if shift == "night" else 0.0
    clean = clamp(3.9 + 0.8 * q + clean_o + rng.gauss(0, 0.7), 1, 5)
    staff = clamp(3.9 + 0.8 * (q + night) + staff_o + rng.gauss(0, 0.7), 1, 5)
    breakfast = clamp(3.7 + 0.6 * q + breakfast_o + rng.gauss(0, 0.8), 1, 5)
    effort = clamp(3.0 - 0.9 * (staff - 3.5) + rng.gauss(0, 0.9), 1, 7)
    score = -0.4 + 1.05 * staff + 0.8 * clean + 0.35 * breakfast + 0.6 * q + rng.gauss(0, 1.6)
    recommend = clamp(score, 0, 10)
    satisfaction = clamp(1.2 + 0.35 * recommend + rng.gauss(0, 0.5), 1, 5)

    answers = {"recommend": recommend, "satisfaction": satisfaction}
    if rng.random() < 0.88:
        answers["checkin_effort"] = effort
    answers["cleanliness"] = clean
    answers["staff"] = staff
    if rng.random() < 0.72:
        answers["breakfast"] = breakfast
    r = rng.random()
    if r < 0.38:
        answers["reason"] = "business"
    elif r < 0.93:
        answers["reason"] = "leisure"
    elif r < 0.97:
        answers["reason"] = "other"
        answers["reason.other"] = rng.choice(["A wedding", "Un mariage", "Visiting family", "Concert", "Salon professionnel"])
    amenities = [a for a in ("spa", "pool", "bar", "gym") if rng.random() < 0.25][:3]
    if amenities:
        answers["amenities"] = amenities

    detractor = recommend <= 6 or satisfaction <= 2
    if detractor and rng.random() < 0.75:
        causes = []
        if staff <= 2 or (site == "marseille-10" and rng.random() < 0.6):
            causes.append("staff")
        if effort >= 5 or (site == "marseille-10" and rng.random() < 0.4):
            causes.append("wait")
        if clean <= 2:
            causes.append("clean")
        if answers.get("breakfast", 5) <= 2:
            causes.append("breakfast")
        if site == "nice-03" and when >= WORKS:
            causes.append("noise")
        if not causes:
            causes.append(rng.choice(["wait", "staff", "clean", "breakfast"]))
        answers["what_went_wrong"] = complaint(rng, lang, causes[:3])
    if recommend >= 9 and rng.random() < 0.45:
        praise = " ".join(rng.sample(PRAISE[lang], rng.choice([1, 1, 2])))
        thanks = rng.choice(THANKS[lang]).format(r=rng.randint(101, 540), n=rng.randint(2, 9))
        answers["best_part"] = (praise + thanks).format(name=rng.choice(NAMES))
    wants = rng.random() < (0.4 if detractor else 0.04)
    if wants or rng.random() < 0.5:
        answers["contact_me"] = wants
    if wants:
        contact(rng, answers)

    seconds = rng.randint(45, 420)
    started = when - dt.timedelta(seconds=seconds)
    fields = {"site": site, "device": device, "channel": "kiosk", "shift": shift}
    if shift == "night" and site in ON_DUTY_AT_NIGHT:
        fields["on_duty"] = ON_DUTY_AT_NIGHT[site]
    return {
        "survey": "hotel-stay",
        "version": 3,
        "language": lang,
        "fields": fields,
        "started": stamp(started),
        "submitted": stamp(when),
        "answers": answers,
    }


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    rng = random.Random(SEED)
    names = list(SITES)
    shares = [SITES[s][0] for s in names]
    span = (END - START).total_seconds()
    cards = []
    for _ in range(CARDS):
        site = rng.choices(names, shares)[0]
        device = f"kiosk-{site}-" + rng.choice("ab"[: SITES[site][2]])
        day = START + dt.timedelta(seconds=rng.random() * span)
        night = rng.random() < 0.2
        hour = rng.choice([21, 22, 23, 0, 1, 5]) if night else rng.randint(7, 20)
        when = day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
        when = min(when, END)
        lang = "fr" if rng.random() < 0.45 else "en"
        cards.append(card(rng, site, device, when, lang, "night" if night else "day"))

    # Careless cards: speeders, straight-liners, and a burst of taps on one kiosk.
    for c in rng.sample(cards, 40):
        t = dt.datetime.strptime(c["submitted"], "%Y-%m-%dT%H:%M:%SZ")
        c["started"] = stamp(t - dt.timedelta(seconds=rng.randint(4, 12)))
    for c in rng.sample(cards, 30):
        v = rng.choice([1, 5])
        for k in ("cleanliness", "staff", "breakfast"):
            c["answers"][k] = v
    burst_at = dt.datetime(2026, 9, 19, 14, 2, tzinfo=dt.timezone.utc)
    for k in range(14):
        when = burst_at + dt.timedelta(seconds=20 * k)
        c = card(rng, "lyon-02", "kiosk-lyon-02-a", when, "en", "day")
        c["started"] = stamp(when - dt.timedelta(seconds=8))
        cards.append(c)

    cards.sort(key=lambda c: c["submitted"])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "hotel-stay.sample.jsonl")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for c in cards:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{out}: {len(cards)} cards")


if __name__ == "__main__":
    main()
