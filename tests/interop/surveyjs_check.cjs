// SurveyJS's own engine (survey-core) against Candor on the answer sets that
// interop_surveyjs_cases wrote: for every question, shown and required must agree.
// usage: node surveyjs_check.cjs CASES.json   (survey-core on NODE_PATH)
"use strict";
const fs = require("fs");
const { Model } = require("survey-core");

const surveys = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let sets = 0, compared = 0, differing = 0, shownTrue = 0, shownFalse = 0;
for (const s of surveys) {
  let here = 0;
  // One model a survey: setting `data` replaces every answer and runs the conditions.
  const model = new Model(s.surveyjs);
  for (const c of s.cases) {
    ++sets;
    for (const [k, v] of Object.entries(c.variables)) model.setVariable(k, v);
    model.data = c.data;
    s.names.forEach((name, i) => {
      const q = model.getQuestionByName(name);
      ++compared;
      const shown = !!q && q.isVisible && q.isParentVisible;
      const required = shown && q.isRequired;
      if (c.shown[i]) ++shownTrue; else ++shownFalse;
      if (shown !== c.shown[i] || required !== c.required[i]) {
        ++here;
        if (++differing <= 10)
          console.error(`${s.survey} ${name}: SurveyJS says shown=${shown} required=${required}, ` +
            `Candor says shown=${c.shown[i]} required=${c.required[i]} for ${JSON.stringify(c.data)}`);
      }
    });
  }
  console.log(`${s.survey}: ${s.cases.length} answer sets, ${s.names.length} questions, ${here} differ`);
}
console.log(`${sets} answer sets, ${compared} questions compared (${shownTrue} shown, ` +
            `${shownFalse} hidden), ${differing} differ`);
// Both outcomes must occur, or the comparison proves little.
process.exit(differing === 0 && shownFalse > 100 && shownTrue > 100 ? 0 : 1);
