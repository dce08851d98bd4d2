// The page's evaluator (lib/kiosk/page/conditions.js) against the engine, on the
// answer sets kiosk_conditions_cases wrote: every question's shown and required must agree.
// usage: node conditions_check.cjs CASES.json
"use strict";
const fs = require("fs");
const path = require("path");
const conditions = require(path.join(__dirname, "../../lib/kiosk/page/conditions.js"));

const surveys = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let compared = 0;
let differing = 0;
let shownTrue = 0;
let shownFalse = 0;
for (const s of surveys) {
  for (const c of s.cases) {
    const card = { ...s.model, fields: c.fields };
    const { shown, required } = conditions.settle(card, c.answers);
    card.questions.forEach((q, i) => {
      ++compared;
      if (c.shown[i]) ++shownTrue; else ++shownFalse;
      if (shown[i] !== c.shown[i] || required[i] !== c.required[i]) {
        if (++differing <= 10)
          console.error(`${s.survey} ${q.id}: page says shown=${shown[i]} required=${required[i]}, ` +
            `engine says shown=${c.shown[i]} required=${c.required[i]} for ${JSON.stringify(c.answers)}`);
      }
    });
  }
}
console.log(`${compared} questions compared (${shownTrue} shown, ${shownFalse} hidden), ${differing} differ`);
// Both outcomes must occur, or the comparison proves little.
process.exit(differing === 0 && shownFalse > 100 && shownTrue > 100 ? 0 : 1);
