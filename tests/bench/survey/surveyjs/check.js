// The SurveyJS peer of check_bench: the same hotel-stay responses (JSON lines written by
// `check_bench --responses_out=FILE`) validated by SurveyJS's own engine.
//   node check.js RESPONSES.jsonl
// Prints one line: `surveyjs responses=N rejected=R per_second=X`, and, when
// RESPONSES.jsonl.verdicts exists, how many verdicts differ from response::check's.
"use strict";
const fs = require("fs");
const path = require("path");
const { Model } = require("survey-core");

const file = process.argv[2];
if (!file) {
  console.error("usage: node check.js RESPONSES.jsonl");
  process.exit(2);
}

const card = JSON.parse(fs.readFileSync(path.join(__dirname, "hotel-stay.json"), "utf8"));
// Candor answers `other`'s text as "reason.other"; SurveyJS keeps it in "reason-Comment".
// Conversion happens before timing: only validation is measured, as on the C++ side.
const responses = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim())
  .map((line) => {
    const data = {};
    for (const [k, v] of Object.entries(JSON.parse(line).answers))
      data[k.endsWith(".other") ? k.slice(0, -6) + "-Comment" : k] = v;
    return data;
  });

// One model reused for every card, the fastest way SurveyJS offers: setting `data` runs
// the visibleIf/requiredIf conditions, validate() then checks every visible question.
const model = new Model(card);
function check(data) {
  model.data = data;
  return model.validate(false, false);
}

// SurveyJS takes milliseconds a card, so one timed pass over all of them is the
// measurement, after a warm-up on the first thousand so the JIT has seen every path.
for (const data of responses.slice(0, 1000)) check(data);
const start = process.hrtime.bigint();
const verdicts = responses.map(check);
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
const rejected = verdicts.filter((ok) => !ok).length;
console.log(`surveyjs responses=${responses.length} rejected=${rejected} ` +
            `per_second=${Math.round(responses.length / elapsed)}`);

const expected = file + ".verdicts";
if (fs.existsSync(expected)) {
  const cpp = fs.readFileSync(expected, "utf8").split("\n").filter((l) => l);
  const differ = [];
  cpp.forEach((v, i) => {
    if ((v === "accepted") !== verdicts[i]) differ.push(i);
  });
  console.log(`verdicts differing from response::check: ${differ.length}`);
  for (const i of differ.slice(0, 5)) {
    model.data = responses[i];
    model.validate(false, false);
    const errors = model.getAllQuestions(true).filter((q) => q.errors.length)
      .map((q) => `${q.name}: ${q.errors[0].getText()}`);
    console.log(`  line ${i + 1}: candor ${cpp[i]}; surveyjs ${errors.join("; ") || "accepted"}`);
  }
}
