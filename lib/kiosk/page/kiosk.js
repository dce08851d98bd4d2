// The comment card at the kiosk: language first, then the card screen by screen, the
// conditions applied as the guest answers (conditions.js), the receipt once the kiosk has
// made the card durable. The kiosk checks every card again: this page only helps. Served at
// head office (candor::serve) under a link (/t/SITE/TABLE, /s/TOKEN), it asks that link for
// its card, and when the card says so saves the answers as the guest goes (the draft) and
// resumes from them.
"use strict";

(() => {
  const words = {
    en: { next: "Next", back: "Back", send: "Send", sending: "Sending…", required: "Required", optional: "Optional",
      yes: "Yes", no: "No", answer: "Please answer this question.", check: "Please check this answer.",
      format: "Please check how this is written.", range: "Please choose a value within the scale.",
      tooLong: "This answer is too long.", tooMany: "Too many choices.", tooFew: "Please choose more.",
      other: "Please tell us more", failed: "Your card could not be saved. Please ask a member of staff.",
      fix: "Some answers need a look before we can save your card.",
      thanks: "Thank you!", receipt: "Your receipt code", done: "Done",
      note: "Your card has been saved. Keep the code if you wish to refer to it.",
      proof: "Signed receipt (proof for head office that your card was taken)",
      follow: "Follow your card",
      disagree: "Strongly disagree", agree: "Strongly agree", upTo: "up to" },
    fr: { next: "Suivant", back: "Retour", send: "Envoyer", sending: "Envoi…", required: "Obligatoire", optional: "Facultatif",
      yes: "Oui", no: "Non", answer: "Merci de répondre à cette question.", check: "Merci de vérifier cette réponse.",
      format: "Merci de vérifier l'écriture de cette réponse.", range: "Merci de choisir une valeur de l'échelle.",
      tooLong: "Cette réponse est trop longue.", tooMany: "Trop de choix.", tooFew: "Merci d'en choisir davantage.",
      other: "Précisez s'il vous plaît", failed: "Votre carte n'a pas pu être enregistrée. Merci de vous adresser au personnel.",
      fix: "Quelques réponses sont à revoir avant d'enregistrer votre carte.",
      thanks: "Merci !", receipt: "Votre code de reçu", done: "Terminer",
      note: "Votre carte est enregistrée. Gardez le code si vous souhaitez y faire référence.",
      proof: "Reçu signé (la preuve pour le siège que votre carte a été reçue)",
      follow: "Suivre votre carte",
      disagree: "Pas du tout d'accord", agree: "Tout à fait d'accord", upTo: "jusqu'à" },
    de: { next: "Weiter", back: "Zurück", send: "Senden", sending: "Senden…", required: "Pflichtfeld", optional: "Freiwillig",
      yes: "Ja", no: "Nein", answer: "Bitte beantworten Sie diese Frage.", check: "Bitte prüfen Sie diese Antwort.",
      format: "Bitte prüfen Sie die Schreibweise.", range: "Bitte wählen Sie einen Wert der Skala.",
      tooLong: "Diese Antwort ist zu lang.", tooMany: "Zu viele Auswahlen.", tooFew: "Bitte wählen Sie mehr.",
      other: "Bitte erläutern", failed: "Ihre Karte konnte nicht gespeichert werden. Bitte wenden Sie sich an das Personal.",
      fix: "Einige Antworten müssen geprüft werden.",
      thanks: "Vielen Dank!", receipt: "Ihr Belegcode", done: "Fertig",
      note: "Ihre Karte wurde gespeichert.",
      proof: "Signierter Beleg (der Nachweis für die Zentrale, dass Ihre Karte angenommen wurde)",
      follow: "Ihre Karte verfolgen",
      disagree: "Stimme gar nicht zu", agree: "Stimme voll zu", upTo: "bis zu" },
  };
  const languageNames = { en: "English", fr: "Français", de: "Deutsch", es: "Español", it: "Italiano",
    nl: "Nederlands", pt: "Português", ja: "日本語", zh: "中文" };
  const problemWords = { "required-missing": "answer", "invalid-format": "format", "out-of-range": "range",
    "too-long": "tooLong", "too-many-selections": "tooMany", "too-few-selections": "tooFew" };

  const screen = document.getElementById("screen");
  const nav = document.getElementById("nav");
  const progress = document.getElementById("progress");
  const progressBar = document.getElementById("progress-bar");

  // Where this card is served: "/" at the kiosk, the link at head office.
  const base = location.pathname.endsWith("/") ? location.pathname : `${location.pathname}/`;
  // How long after the last change the draft is saved.
  const saveDelay = 800;
  let saveTimer = 0;
  let card = null;
  // One guest's card. It lives only in this page's memory; reset() reloads the page.
  const guest = { language: null, answers: [], other: [], at: 0, began: 0, problems: new Map() };
  let groups = [];
  let idleTimer = 0;

  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const say = (key) => (words[guest.language] || words.en)[key] || words.en[key];
  const text = (t) => {
    if (!t) return "";
    // French puts a space before ? ! : ; — never a line break.
    return (t[guest.language] ?? t[card.fallback] ?? Object.values(t)[0] ?? "").replace(/ ([?!:;»])/g, "\u00a0$1");
  };

  function reset() {
    // A reload, not a clean-up: nothing the guest typed can survive in memory or in the DOM.
    location.replace(base);
  }
  // The answers so far, by question id, as the draft head office keeps under the link.
  function saveSoon() {
    if (!card.saves || !guest.language) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const answers = {};
      const other = {};
      card.questions.forEach((q, i) => {
        if (guest.answers[i] !== null && guest.answers[i] !== undefined) answers[q.id] = guest.answers[i];
        if (guest.other[i]) other[q.id] = guest.other[i];
      });
      fetch(`${base}draft`, { method: "PUT", cache: "no-store", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ language: guest.language, at: guest.at, answers, other }) }).catch(() => {});
    }, saveDelay);
  }
  function touched() {
    clearTimeout(idleTimer);
    if (guest.language) idleTimer = setTimeout(reset, card.idleSeconds * 1000);
  }

  function makeGroups() {
    const qs = card.questions.map((q, i) => ({ q, i }));
    if (card.layout === "card") return [qs];
    if (card.layout === "question" || card.pages.length === 0) return qs.map((x) => [x]);
    return card.pages.map((p) => qs.filter((x) => x.q.page === p.id)).filter((g) => g.length > 0);
  }
  const settled = () => candorConditions.settle(card, guest.answers);
  const visibleGroups = (shown) => groups.map((g, n) => n).filter((n) => groups[n].some(({ i }) => shown[i]));

  // The answer as the guest sees it, for `{id}` in a prompt.
  function display(q, a) {
    if (a === undefined || a === null || a === "") return "…";
    if (typeof a === "boolean") return say(a ? "yes" : "no");
    const label = (code) => code === "other" ? text(q.other) : text((q.options || []).find((o) => o.code === code)?.label) || code;
    if (Array.isArray(a)) return a.map(label).join(", ");
    if (q.options) return label(a);
    return String(a);
  }
  function prompt(q) {
    return text(q.prompt).replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, id) => {
      const i = card.questions.findIndex((x) => x.id === id);
      return i < 0 ? whole : display(card.questions[i], guest.answers[i]);
    });
  }

  function setAnswer(i, value) {
    const empty = value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0) ||
      (typeof value === "number" && !Number.isFinite(value));
    guest.answers[i] = empty ? null : value;
    guest.problems.delete(card.questions[i].id);
    refresh();
    saveSoon();
  }

  function scaleControl(q, i) {
    const box = el("div", { class: "scale", role: "radiogroup" });
    for (let v = q.min; v <= q.max; ++v)
      box.append(el("button", { type: "button", role: "radio", "aria-checked": String(guest.answers[i] === v),
        "data-value": v, onclick: () => setAnswer(i, guest.answers[i] === v ? null : v) }, String(v)));
    let ends = q.endLabels ? q.endLabels.map(text) : null;
    if (!ends && q.kind === "likert") ends = [say("disagree"), say("agree")];
    if (!ends) return box;
    return el("div", {}, box, el("div", { class: "ends" }, el("span", {}, ends[0]), el("span", {}, ends[1])));
  }
  function yesnoControl(q, i) {
    const box = el("div", { class: "options", role: "radiogroup" });
    for (const v of [true, false])
      box.append(el("button", { type: "button", role: "radio", "aria-checked": String(guest.answers[i] === v),
        "data-value": String(v), onclick: () => setAnswer(i, guest.answers[i] === v ? null : v) }, say(v ? "yes" : "no")));
    return box;
  }
  function choiceControl(q, i) {
    const many = q.kind === "choice many";
    const options = q.options.map((o) => ({ code: o.code, label: text(o.label) }));
    if (q.other) options.push({ code: "other", label: text(q.other) });
    const chosen = (code) => many ? (guest.answers[i] || []).includes(code) : guest.answers[i] === code;
    const box = el("div", { class: many ? "options many" : "options", role: many ? "group" : "radiogroup" });
    for (const o of options) {
      const attrs = many ? { "aria-pressed": String(chosen(o.code)) } : { role: "radio", "aria-checked": String(chosen(o.code)) };
      box.append(el("button", { type: "button", ...attrs, "data-value": o.code, onclick: () => {
        if (!many) return setAnswer(i, chosen(o.code) ? null : o.code);
        const now = (guest.answers[i] || []).filter((c) => c !== o.code);
        if (!chosen(o.code)) {
          if (q.maxSelections && now.length >= q.maxSelections) return;
          now.push(o.code);
        }
        setAnswer(i, now);
      } }, o.label));
    }
    if (!q.other) return box;
    const other = el("input", { type: "text", class: "other", maxlength: 500, autocomplete: "off",
      "aria-label": text(q.other), placeholder: say("other"), value: guest.other[i] || "",
      oninput: (e) => { guest.other[i] = e.target.value; saveSoon(); } });
    other.hidden = !chosen("other");
    return el("div", {}, box, other);
  }
  function inputControl(q, i) {
    const types = { text: "text", email: "email", phone: "tel", date: "date", number: "number" };
    const attrs = { autocomplete: "off", autocapitalize: "off", spellcheck: "false", "aria-label": text(q.prompt) };
    let input;
    if (q.kind === "text") {
      input = el("textarea", { ...attrs, maxlength: q.maxLength, rows: 4 });
    } else {
      input = el("input", { ...attrs, type: types[q.kind] });
      if (q.kind === "number") {
        input.setAttribute("inputmode", q.integer ? "numeric" : "decimal");
        input.setAttribute("step", q.integer ? "1" : "any");
        if (q.hasRange) { input.setAttribute("min", q.min); input.setAttribute("max", q.max); }
      }
    }
    const a = guest.answers[i];
    input.value = a === null || a === undefined ? "" : String(a);
    // Typing must not re-render the control: only the state and what depends on it change.
    input.addEventListener("input", () => {
      const v = input.value;
      guest.answers[i] = q.kind === "number" ? (v.trim() === "" ? null : Number(v)) : (v === "" ? null : v);
      if (typeof guest.answers[i] === "number" && !Number.isFinite(guest.answers[i])) guest.answers[i] = null;
      guest.problems.delete(q.id);
      refresh(false);
      saveSoon();
    });
    return input;
  }
  function control(q, i) {
    switch (q.kind) {
      case "yesno": return yesnoControl(q, i);
      case "choice one": case "choice many": return choiceControl(q, i);
      case "text": case "email": case "phone": case "date": case "number": return inputControl(q, i);
      default: return scaleControl(q, i);
    }
  }

  // Draws the current screen. With `rebuild` false only what conditions and answers
  // change is updated, so a text field keeps its focus and caret while the guest types.
  function refresh(rebuild = true) {
    const { shown, required } = settled();
    const visible = visibleGroups(shown);
    if (!visible.includes(guest.at)) guest.at = visible.find((n) => n > guest.at) ?? visible[visible.length - 1];
    const position = visible.indexOf(guest.at);
    progress.hidden = false;
    // The thank-you screen is the last step: the first screen already shows some way done.
    progressBar.style.width = `${Math.round((100 * (position + 1)) / (visible.length + 1))}%`;

    const group = groups[guest.at];
    if (rebuild || screen.dataset.group !== String(guest.at)) {
      screen.dataset.group = String(guest.at);
      const page = card.layout !== "card" && card.pages.find((p) => p.id === group[0].q.page);
      screen.replaceChildren(el("h1", {}, page ? text(page.title) : text(card.title)));
      if (guest.problems.has("")) screen.append(el("p", { class: "banner", role: "alert" }, guest.problems.get("")));
      for (const { q, i } of group) {
        screen.append(el("section", { class: "question", id: `q-${q.id}`, "data-question": q.id },
          el("p", { class: "prompt" }, prompt(q)), el("p", { class: "hint" }), control(q, i),
          el("p", { class: "problem", role: "alert", hidden: true })));
      }
    }
    for (const { q, i } of group) {
      const section = document.getElementById(`q-${q.id}`);
      section.hidden = !shown[i];
      section.querySelector(".prompt").textContent = prompt(q);
      section.querySelector(".hint").textContent = say(required[i] ? "required" : "optional");
      const problem = section.querySelector(".problem");
      const message = guest.problems.get(q.id) ?? guest.problems.get(`${q.id}.other`);
      problem.hidden = !message;
      problem.textContent = message || "";
      section.classList.toggle("invalid", Boolean(message));
      const other = section.querySelector("input.other");
      if (other) other.hidden = !(guest.answers[i] === "other" || (Array.isArray(guest.answers[i]) && guest.answers[i].includes("other")));
    }

    const last = position === visible.length - 1;
    nav.replaceChildren(
      position > 0 ? el("button", { type: "button", id: "back", onclick: () => go(visible[position - 1]) }, say("back")) : el("span"),
      el("button", { type: "button", id: last ? "send" : "next", class: "primary", onclick: last ? send : next }, say(last ? "send" : "next")));
  }

  function go(n) {
    guest.at = n;
    refresh();
    saveSoon();
    window.scrollTo(0, 0);
  }
  // The required questions of this screen left unanswered, marked; true when there are none.
  function screenComplete() {
    const { shown, required } = settled();
    let complete = true;
    for (const { q, i } of groups[guest.at])
      if (shown[i] && required[i] && (guest.answers[i] === null || guest.answers[i] === undefined)) {
        guest.problems.set(q.id, say("answer"));
        complete = false;
      }
    if (!complete) refresh();
    return complete;
  }
  function next() {
    if (!screenComplete()) return;
    const visible = visibleGroups(settled().shown);
    go(visible[visible.indexOf(guest.at) + 1]);
  }

  async function send() {
    if (!screenComplete()) return;
    const { shown } = settled();
    const answers = {};
    card.questions.forEach((q, i) => {
      const a = guest.answers[i];
      if (!shown[i] || a === null || a === undefined) return;
      answers[q.id] = a;
      const picked = a === "other" || (Array.isArray(a) && a.includes("other"));
      if (q.other && picked && guest.other[i]) answers[`${q.id}.other`] = guest.other[i];
    });
    const button = document.getElementById("send");
    button.disabled = true;
    button.textContent = say("sending");
    let reply = null;
    let body = null;
    try {
      clearTimeout(saveTimer);
      reply = await fetch(`${base}submit`, { method: "POST", cache: "no-store", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ language: guest.language, seconds: Math.round((performance.now() - guest.began) / 1000), answers }) });
      body = await reply.json();
    } catch (e) {
      reply = null;
    }
    guest.problems.clear();
    if (reply && reply.status === 200) return thanks(body.receipt, body.signed_receipt, body.status, body.status_qr);
    if (reply && reply.status === 422) {
      const ids = new Set(card.questions.map((q) => q.id));
      for (const p of body.problems) {
        const id = p.question.replace(/\.other$/, "");
        const message = say(problemWords[p.code] || "check");
        if (ids.has(id)) guest.problems.set(id, message); else guest.problems.set("", say("fix"));
      }
      const first = groups.findIndex((g) => g.some(({ q }) => guest.problems.has(q.id)));
      if (first >= 0 && visibleGroups(settled().shown).includes(first)) guest.at = first;
    } else {
      guest.problems.set("", say("failed"));
    }
    refresh();
    const invalid = document.querySelector(".question.invalid, .banner");
    if (invalid) invalid.scrollIntoView({ block: "center" }); else window.scrollTo(0, 0);
  }

  // The code to quote, and the signed receipt: what the guest can hand head office to prove
  // the card was taken, should it ever be missing.
  // With a status link (head office's server, or a kiosk given a status key), where to follow
  // the card, and its QR code (an SVG the server made: parsed as SVG, so nothing in it runs).
  function qrCode(svg) {
    if (!svg) return null;
    const node = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
    if (node.nodeName !== "svg") return null;
    node.setAttribute("id", "status-qr");
    node.setAttribute("role", "img");
    node.setAttribute("aria-label", say("follow"));
    return el("p", { class: "qr" }, document.importNode(node, true));
  }
  function thanks(receipt, proof, status, qr) {
    progress.hidden = true;
    screen.dataset.group = "";
    screen.replaceChildren(el("div", { class: status ? "thanks linked" : "thanks" },
      el("h1", {}, say("thanks")), el("p", { class: "label" }, say("receipt")),
      el("p", { class: "receipt", id: "receipt" }, receipt), el("p", { class: "note" }, say("note")),
      el("p", { class: "label" }, say("proof")), el("p", { class: "proof", id: "proof" }, proof || ""),
      status ? el("div", { class: "follow" }, el("p", {}, el("a", { id: "status", href: status, rel: "noreferrer" }, say("follow"))),
        qrCode(qr)) : null));
    nav.replaceChildren(el("button", { type: "button", id: "done", class: "primary", onclick: reset }, say("done")));
    clearTimeout(idleTimer);
    idleTimer = setTimeout(reset, Math.min(card.idleSeconds, 20) * 1000);
  }

  function welcome() {
    document.title = text(card.title);
    const titles = el("div", { class: "titles" });
    const languages = el("div", { class: "languages" });
    for (const code of card.languages) {
      titles.append(el("p", { lang: code }, card.title[code] ?? text(card.title)));
      languages.append(el("button", { type: "button", lang: code, "data-language": code, onclick: () => begin(code) },
        languageNames[code] || code.toUpperCase()));
    }
    screen.replaceChildren(el("div", { class: "welcome" }, titles, languages));
    nav.replaceChildren();
  }
  function begin(code, at) {
    guest.language = code;
    guest.began = performance.now();
    document.documentElement.lang = code;
    document.title = text(card.title);
    touched();
    go(at ?? visibleGroups(settled().shown)[0]);
  }
  // Where the guest stopped, from the draft saved under the link (any device).
  function resume(draft) {
    if (!draft || typeof draft !== "object" || !card.languages.includes(draft.language)) return false;
    card.questions.forEach((q, i) => {
      if (draft.answers && q.id in draft.answers) guest.answers[i] = draft.answers[q.id];
      if (draft.other && typeof draft.other[q.id] === "string") guest.other[i] = draft.other[q.id];
    });
    const at = Number.isInteger(draft.at) && draft.at >= 0 && draft.at < groups.length ? draft.at : undefined;
    begin(draft.language, at);
    return true;
  }

  async function boot() {
    const reply = await fetch(`${base}card.json`, { cache: "no-store" });
    card = await reply.json();
    guest.answers = card.questions.map(() => null);
    groups = makeGroups();
    for (const kind of ["pointerdown", "keydown", "input"]) document.addEventListener(kind, touched, true);
    if (!resume(card.draft)) welcome();
  }
  boot();
})();
