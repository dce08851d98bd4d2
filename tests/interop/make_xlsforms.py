"""Writes the XLSForm test workbooks with Debian's python3-openpyxl (the test files are made
here, not copied from anywhere).  usage: make_xlsforms.py OUTDIR"""
import os
import sys
import zipfile

import openpyxl

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def workbook(path, survey, choices=None, settings=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        c = book.create_sheet("choices")
        for row in choices:
            c.append(row)
    if settings:
        s = book.create_sheet("settings")
        for row in settings:
            s.append(row)
    book.save(os.path.join(out, path))


# A guest-feedback form as KoboToolbox users write them: two languages, groups as pages,
# ranges, choices with `or_other`, relevance with selected() and count-selected().
workbook(
    "guest-feedback.xlsx",
    [
        ["type", "name", "label::English (en)", "label::Français (fr)", "required", "relevant", "appearance", "parameters"],
        ["start", "start"],
        ["end", "end"],
        ["begin group", "visit", "Your visit", "Votre visite", None, None, "field-list"],
        ["range", "recommend", "How likely are you to recommend us?", "Nous recommanderiez-vous ?", "yes", None, None, "start=0 end=10 step=1"],
        ["select_one reasons or_other", "reason", "Why did you come?", "Pourquoi êtes-vous venu ?"],
        ["select_multiple amenities", "used", "What did you use?", "Qu'avez-vous utilisé ?", None, "${recommend} >= 0"],
        ["integer", "nights", "How many nights?", "Combien de nuits ?", None, "count-selected(${used}) >= 1"],
        ["end group"],
        ["begin group", "more", "Tell us more", "Dites-nous en plus", None, "${recommend} <= 6"],
        ["text", "what_went_wrong", "What went wrong?", "Qu'est-ce qui n'a pas été ?", "${recommend} <= 3",
         "selected(${used}, 'spa') or ${reason} = 'business'"],
        ["decimal", "spent", "How much did you spend?", "Combien avez-vous dépensé ?", None, "not(${nights} = '') and ${nights} != 1"],
        ["date", "arrival", "When did you arrive?", "Quand êtes-vous arrivé ?"],
        ["select_one yes_no", "contact", "May we contact you?", "Pouvons-nous vous contacter ?", "true()"],
        ["text", "email", "Your e-mail", "Votre e-mail", None, "${contact} = 'yes' and (${nights} > 2 or ${nights} * 2 < 3)"],
        ["end group"],
    ],
    [
        ["list_name", "name", "label::English (en)", "label::Français (fr)"],
        ["reasons", "business", "Business", "Affaires"],
        ["reasons", "leisure", "Leisure", "Loisirs"],
        ["amenities", "spa", "Spa", "Spa"],
        ["amenities", "pool", "Pool", "Piscine"],
        ["amenities", "bar", "Bar", "Bar"],
        ["yes_no", "yes", "Yes", "Oui"],
        ["yes_no", "no", "No", "Non"],
    ],
    [
        ["form_title", "form_id", "version", "default_language", "style"],
        ["Guest feedback", "guest_feedback", "2026032901", "English (en)", "pages"],
    ],
)

# What Candor cannot carry over, each at its cell.
workbook(
    "unsupported.xlsx",
    [
        ["type", "name", "label", "hint", "relevant", "constraint"],
        ["integer", "age", "Your age", "In years", None, ". >= 18"],
        ["calculate", "decade", None, None, None, None],
        ["note", "welcome", "Welcome!"],
        ["begin repeat", "guests", "Each guest"],
        ["text", "guest_name", "Name"],
        ["end repeat"],
        ["text", "why", "Why?", None, "string-length(${age}) > 1"],
        ["text", "later", "Later?", None, "${after} = 'x'"],
        ["integer", "after", "After"],
        ["geopoint", "where", "Where are you?"],
        ["text", "odd", "Odd?", None, "${age} mod 2 = 1"],
        ["text", "kept", "This one is fine", None, "${age} > 30"],
    ],
)

# Hostile: nesting far past the bound, in a relevant cell.
deep = "(" * 500 + "${a} = 1" + ")" * 500
workbook("deep.xlsx", [["type", "name", "label", "relevant"], ["integer", "a", "A"], ["text", "b", "B", deep]])

# Not a workbook at all, and a workbook whose sheet unzips to more than the limit.
with open(os.path.join(out, "not-a-workbook.xlsx"), "wb") as f:
    f.write(b"PK\x03\x04 this is not a zip archive\n" * 10)
with zipfile.ZipFile(os.path.join(out, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="survey" sheetId="1" r:id="rId1" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * (65 << 20) + "</worksheet>")
print("wrote", len(os.listdir(out)), "workbooks to", out)
