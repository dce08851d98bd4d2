import pytest

import candor

BROKEN = """survey "s" version 1 {
  languages en
  question a: nps "A?"
  question a: csat "Again?"
  question b: text show if a == "ten"
}
"""


def test_version_is_the_projects():
    assert candor.version() == candor.__version__
    major, minor, patch = (int(x) for x in candor.version().split("."))
    assert (major, minor, patch) >= (0, 1, 0)


def test_load_a_survey(hotel):
    assert hotel.id == "hotel-stay" and hotel.version == 3
    assert hotel.languages == ["en", "fr"]
    assert hotel.fields == ["site", "device", "channel", "shift", "on_duty"]
    assert hotel.optional_fields == ["on_duty"]
    q = {q.id: q for q in hotel.questions}
    assert q["recommend"].kind == "nps" and q["recommend"].required
    assert (q["recommend"].min, q["recommend"].max) == (0, 10)
    assert q["reason"].options == ["business", "leisure"]
    assert q["what_went_wrong"].conditional
    assert hotel.warnings == []


def test_format_round_trips(hotel):
    assert candor.parse(hotel.format()) == hotel


def test_bad_survey_raises_with_every_diagnostic():
    with pytest.raises(candor.SurveyError) as e:
        candor.parse(BROKEN, "s.survey")
    d = e.value.errors
    assert len(d) >= 2
    assert all(isinstance(x, candor.Error) for x in d)
    dup = [x for x in d if x.code == "duplicate-question"]
    assert len(dup) == 1
    assert (dup[0].file, dup[0].line, dup[0].column) == ("s.survey", 4, 12)
    assert dup[0].level == "error" and "a" in dup[0].message
    # str() is the rendered diagnostics, with the source line.
    assert "s.survey:4:12: error:" in str(e.value)
    assert "question a: csat" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_syntax_error_has_line_and_column():
    with pytest.raises(candor.SurveyError) as e:
        candor.parse('survey "x" version 1 {\n  languages en\n  question : nps "?"\n}\n')
    (first, *_) = e.value.errors
    assert first.code == "syntax" and first.line == 3 and first.column > 0


def test_unreadable_file(tmp_path):
    with pytest.raises(candor.SurveyError) as e:
        candor.load(tmp_path / "none.survey")
    assert e.value.errors[0].code == "io"
