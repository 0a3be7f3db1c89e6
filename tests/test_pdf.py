"""The PDF step's fast parts (the PDF itself is checked in test_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from uppfoljning import build, pdf
from uppfoljning.errors import UsageError
from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]


def test_missing_chromium_is_a_usage_error_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(UsageError, match="no-chromium"):
        pdf.check_available()
    out = tmp_path / "site"
    with pytest.raises(UsageError, match="--pdf needs Chromium"):
        build.build_edition(tmp_path / "no-delivery", 2024, out_dir=out, pdf=True,
                            project=Project.at(ROOT), work_root=tmp_path / "work")
    assert not out.exists() and not (tmp_path / "work").exists()


def test_singlehtml_mathjax_link_is_removed():
    page = ('<head><script src="_static/x.js"></script>\n'
            '<script async="async" src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/'
            'tex-mml-chtml.js"></script>\n</head>')
    assert pdf.MATHJAX_SCRIPT.sub("", page) == '<head><script src="_static/x.js"></script>\n</head>'


def test_pdf_name():
    assert pdf.pdf_name(2024) == "uppfoljning-2024.pdf"
    assert Path(pdf.pdf_name(2024)).suffix == ".pdf"
