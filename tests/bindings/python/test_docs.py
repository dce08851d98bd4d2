"""The worked examples printed in docs/python.md and docs/c.md are the files CTest runs."""
from conftest import SOURCE


def test_python_doc_shows_the_example_that_runs():
    doc = (SOURCE / "docs" / "python.md").read_text()
    example = (SOURCE / "bindings" / "python" / "examples" / "worked_example.py").read_text()
    assert "```python\n" + example + "```" in doc


def test_c_doc_shows_the_example_that_runs():
    doc = (SOURCE / "docs" / "c.md").read_text()
    example = (SOURCE / "bindings" / "c" / "examples" / "kiosk.c").read_text()
    assert "```c\n" + example + "```" in doc
