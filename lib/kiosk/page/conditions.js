// The conditions of the card, evaluated in the page exactly as the engine evaluates them
// (lib/response/evaluate.cpp and check.cpp): the kiosk sends each condition as the engine's
// own node array, children before parents, and this runs it in one pass. Shared with node
// for the test that compares both on many answer sets (tests/kiosk/).
"use strict";

const candorConditions = (() => {
  const missing = Object.freeze({ k: "missing" });
  const number = (n) => ({ k: "number", n });
  const boolean = (b) => ({ k: "boolean", n: b ? 1 : 0 });
  const text = (t) => ({ k: "text", t });
  const truthy = (v) => v.k === "boolean" && v.n !== 0;

  // An answer as the engine reads it: an empty text or selection answers nothing.
  function ofAnswer(a) {
    if (a === undefined || a === null) return missing;
    if (typeof a === "boolean") return boolean(a);
    if (typeof a === "number") return number(a);
    if (typeof a === "string") return a === "" ? missing : text(a);
    if (Array.isArray(a)) return a.length === 0 ? missing : { k: "choices", codes: a };
    return missing;
  }

  // Text compares as text (a number then equals no text); everything else by number.
  function equal(a, b) {
    if (a.k === "text" || b.k === "text") return (a.t ?? "") === (b.t ?? "");
    return (a.n ?? 0) === (b.n ?? 0);
  }

  // ASCII case-insensitive, byte for byte like std::tolower in the "C" locale.
  function lowerAscii(s) {
    return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  }

  // `answers[i]` is question i's answer, or null when absent or hidden; `fields[i]` is
  // device field i's value.
  function evaluate(nodes, answers, fields) {
    if (!nodes || nodes.length === 0) return true;
    const vals = new Array(nodes.length);
    for (let i = 0; i < nodes.length; ++i) {
      const n = nodes[i];
      switch (n.op) {
        case "number": vals[i] = number(n.number); continue;
        case "boolean": vals[i] = boolean(n.number !== 0); continue;
        case "text": vals[i] = text(n.text); continue;
        case "question": vals[i] = ofAnswer(answers[n.a]); continue;
        case "field": vals[i] = fields[n.a] ? text(fields[n.a]) : missing; continue;
        case "answered": vals[i] = boolean(ofAnswer(answers[n.a]).k !== "missing"); continue;
        case "count": {
          const v = ofAnswer(answers[n.a]);
          vals[i] = number(v.k === "choices" ? v.codes.length : 0);
          continue;
        }
        default: break;
      }
      const a = vals[n.a];
      const b = n.b === undefined ? missing : vals[n.b];
      const gone = a.k === "missing" || b.k === "missing";
      let out;
      switch (n.op) {
        case "negate": out = a.k === "number" ? number(-a.n) : missing; break;
        case "add": out = gone ? missing : number(a.n + b.n); break;
        case "subtract": out = gone ? missing : number(a.n - b.n); break;
        case "multiply": out = gone ? missing : number(a.n * b.n); break;
        case "divide": out = gone || b.n === 0 ? missing : number(a.n / b.n); break;
        case "equal": out = boolean(!gone && equal(a, b)); break;
        case "not_equal": out = boolean(!gone && !equal(a, b)); break;
        case "less": out = boolean(!gone && a.n < b.n); break;
        case "less_equal": out = boolean(!gone && a.n <= b.n); break;
        case "greater": out = boolean(!gone && a.n > b.n); break;
        case "greater_equal": out = boolean(!gone && a.n >= b.n); break;
        case "and": out = boolean(truthy(a) && truthy(b)); break;
        case "or": out = boolean(truthy(a) || truthy(b)); break;
        case "not": out = boolean(!truthy(a)); break;
        case "in":
          out = boolean(a.k !== "missing" && n.list.some((item) => equal(a, vals[item])));
          break;
        case "contains":
          if (a.k === "choices") out = boolean(a.codes.includes(b.t));
          else if (a.k === "text" && b.k === "text")
            out = boolean(lowerAscii(a.t).includes(lowerAscii(b.t)));
          else out = boolean(false);
          break;
        default: throw new Error("unknown condition node " + n.op);
      }
      vals[i] = out;
    }
    return truthy(vals[nodes.length - 1]);
  }

  // Which questions are shown and required for `answers` (by question index), in
  // question order as check() settles them: a hidden or unusable answer counts as missing
  // for the conditions after it.
  function settle(card, answers) {
    const live = answers.slice();
    const shown = [];
    const required = [];
    card.questions.forEach((q, i) => {
      const isShown = evaluate(q.showIf, live, card.fields);
      shown.push(isShown);
      required.push(isShown && (q.required || (q.requireIf ? evaluate(q.requireIf, live, card.fields) : false)));
      if (!isShown || !usable(q, live[i])) live[i] = null;
    });
    return { shown, required };
  }

  // Whether an answer is of the question's type and in its range (check_answer's test,
  // as far as the page's controls can get it wrong: formats are the engine's business).
  function usable(q, a) {
    if (a === undefined || a === null) return false;
    switch (q.kind) {
      case "yesno": return typeof a === "boolean";
      case "choice many":
        return Array.isArray(a) && a.every((c) => q.options.some((o) => o.code === c) || (q.other && c === "other")) &&
          (!q.maxSelections || a.length <= q.maxSelections) &&
          (!q.minSelections || a.length === 0 || a.length >= q.minSelections);
      case "choice one":
        return typeof a === "string" && (q.options.some((o) => o.code === a) || (q.other && a === "other"));
      case "text": case "date": case "email": case "phone": return typeof a === "string";
      default:
        return typeof a === "number" && Number.isFinite(a) && (!q.integer || Number.isInteger(a)) &&
          (!q.hasRange || (a >= q.min && a <= q.max));
    }
  }

  return { evaluate, settle, usable };
})();

if (typeof module === "object") module.exports = candorConditions;
