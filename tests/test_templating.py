"""The HTML templates: autoescaped, strict about names, every one in use and shipped."""

import json
import re
from pathlib import Path

import jinja2
import pandas as pd
import pytest

from uppfoljning import charts, formatting, site, templating

SRC = Path(templating.__file__).parent
TEMPLATES = sorted(p.name for p in (SRC / "templates").iterdir())


def test_values_are_escaped_in_every_kind_of_place():
    hostile = "<script>alert('x')</script> & \"q\""
    table = formatting.table(pd.DataFrame({hostile: [hostile]}, index=[hostile])).to_html()
    appendix = site.html_table(pd.DataFrame({"a": [hostile]}), caption=hostile)
    index = site.site_index_html([2024], hostile)
    for text in (table, appendix, index):
        assert "<script>" not in text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;q&#34;" in text


def test_a_rendered_fragment_goes_in_unescaped_only_when_marked():
    inner = site.html_table(pd.DataFrame({"a": ["b"]}))
    marked = templating.render("sources.html", sources=templating.Markup(inner), facts="<p>")
    assert marked.startswith('<div class="uppf-table-wrap"') and marked.endswith("&lt;p&gt;")


def test_an_unknown_name_in_a_template_is_an_error():
    with pytest.raises(jinja2.UndefinedError):
        templating.render("pdf_link.html", href="a.pdf")


def test_script_json_cannot_end_the_script():
    text = str(charts.script_json("</script><!-- <b>&\u2028", ensure_ascii=False))
    assert text == '"\\u003c/script\\u003e\\u003c!-- \\u003cb\\u003e\\u0026\\u2028"'
    assert json.loads(text) == "</script><!-- <b>&\u2028"  # the same string to JavaScript


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_is_used_by_the_package(name):
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.glob("*.py"))
    code += "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "templates").iterdir())
    assert re.search(rf"[\"']{re.escape(name)}[\"']", code), f"{name} is not rendered anywhere"


def test_templates_are_package_data():
    import tomllib

    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["uppfoljning"]
    assert "templates/*" in patterns
    assert all(not (SRC / "templates" / name).is_dir() for name in TEMPLATES)  # the glob is flat
