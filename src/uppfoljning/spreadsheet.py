"""``data/indikatorer.xlsx``: the published table for people who work in a spreadsheet.

The same cells as ``indikatorer.csv`` (which stays as indicators.md defines it), with
Swedish column headers (År, Förvaltning, Yrkesgrupp, Mått, Värde, Anmärkning), Swedish
names of units, occupations and measures, rates in percent (as published: rounded as
displayed, with the indicator's decimals as the cell's number format), ``..`` and
"uppgift saknas" in Anmärkning with an empty Värde, one sheet per area of the action plan plus the
focus-area statuses.

Text that a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe and is written as text.

:func:`workbook_sheets` shapes the sheets (pure, tested on hand-made tables);
:func:`write_workbook` writes them with openpyxl.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from . import catalog, context, formatting, labels, layout

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that could start a spreadsheet formula, made plain text (OWASP's advice for
    CSV injection: a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def chapter_sheets() -> dict[str, tuple[str, ...]]:
    """Sheet title -> the indicators (or families) of a city chapter's key figures
    (:func:`layout.city_chapter_indicators`), in book order."""
    return {
        labels.XLSX_SHEET_TURNOVER
        if chapter == layout.CITY_PAGE
        else labels.AREAS[chapter].title: shown
        for chapter, shown in layout.city_chapter_indicators().items()
    }


@functools.cache
def sheet_of(indicator: str) -> str:
    """The sheet (a city chapter's title) an indicator is published on: the first
    chapter whose key figures show it or its family; else the sheet of other measures."""
    for title, shown in chapter_sheets().items():
        if indicator in shown or catalog.family_of(indicator) in shown:
            return title
    return labels.XLSX_SHEET_OTHER


def sheet_order() -> list[str]:
    return [*chapter_sheets(), labels.XLSX_SHEET_OTHER]


def measure_name(indicator: str) -> str:
    """ "Personalrörlighet (procent)", "Väntetid till bokat besök, medelvärde (dagar)"."""
    suffix = labels.XLSX_UNIT_SUFFIX.get(catalog.indicator(indicator).display, "")
    return labels.indicator_label(indicator).name + suffix


def sheet_value(indicator: str, value: float | None) -> float | None:
    """The number in Värde: a rate in percent (×100, to the percent's displayed
    decimals, so no float artefact adds digits), anything else as published."""
    if formatting.is_missing(value):
        return None
    shown = catalog.indicator(indicator)
    if shown.display == catalog.PERCENT:
        return formatting.round_published(float(value) * 100, shown.decimals)
    return float(value)


def note(value: float | None, suppressed: bool) -> str:
    if suppressed:
        return formatting.SUPPRESSED
    return formatting.MISSING if formatting.is_missing(value) else ""


def indicator_sheets(indicators: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Sheet title -> rows (the Swedish columns of :data:`labels.XLSX_COLUMNS`) of the
    published table ``indicators`` (the columns of indikatorer.csv), every row once.
    Rows keep the table's unit order (the edition's units, then the city) and are
    sorted by measure, unit, occupation and year."""
    occupation_rank = {o: i for i, o in enumerate(catalog.BY_OCCUPATION)}
    unit_rank = {u: i for i, u in enumerate(dict.fromkeys(indicators["unit_id"]))}
    frame = indicators.assign(
        _sheet=indicators["indicator"].map(sheet_of),
        _u=indicators["unit_id"].map(unit_rank),
        _o=indicators["occupation"].map(occupation_rank),
    ).sort_values(["indicator", "_u", "_o", "year"], kind="stable")
    columns = labels.XLSX_COLUMNS
    sheets: dict[str, pd.DataFrame] = {}
    for name in sheet_order():
        rows = frame[frame["_sheet"] == name]
        if rows.empty:
            continue
        sheets[name] = pd.DataFrame(
            {
                columns[0]: rows["year"].astype(int).to_numpy(),
                columns[1]: rows["unit_name"].astype(str).to_numpy(),
                columns[2]: rows["occupation"].map(labels.OCCUPATIONS).to_numpy(),
                columns[3]: rows["indicator"].map(measure_name).to_numpy(),
                columns[4]: [
                    sheet_value(i, v) for i, v in zip(rows["indicator"], rows["value"], strict=True)
                ],
                columns[5]: [
                    note(v, bool(s)) for v, s in zip(rows["value"], rows["suppressed"], strict=True)
                ],
                "_indicator": rows["indicator"].to_numpy(),
            }
        )
    return sheets


def focus_sheet(focus_status: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """År, Förvaltning, Fokusområde, Status, Kommentar of every unit and year; an area
    not yet in the plan that year reads "Ingick inte i handlingsplanen"."""
    columns = labels.XLSX_FOCUS_COLUMNS
    rows = focus_status.sort_values(["year", "unit_id", "area_id"], kind="stable")
    planned = rows.index.isin(context.in_plan(rows).index)
    return pd.DataFrame(
        {
            columns[0]: rows["year"].astype(int).to_numpy(),
            columns[1]: rows["unit_id"].map(lambda u: names.get(u, u)).to_numpy(),
            columns[2]: rows["area_name"].astype(str).to_numpy(),
            columns[3]: [
                labels.FOCUS_STATUSES.get(s, s) if inside else labels.FOCUS_NOT_IN_PLAN
                for s, inside in zip(rows["status"], planned, strict=True)
            ],
            columns[4]: rows["note"].astype(str).to_numpy(),
        },
        columns=list(columns),
    )


def workbook_sheets(
    indicators: pd.DataFrame,
    focus_status: pd.DataFrame,
    edition: int,
    min_n: int,
    facts: list[tuple[str, str]] | tuple = (),
) -> dict[str, pd.DataFrame]:
    """Every sheet of the workbook in order: Om filen (what the file holds, then the
    publication ``facts`` of :func:`formatting.publication_facts`, one line each), one
    per area, Fokusområden."""
    about = pd.DataFrame(
        {
            labels.XLSX_SHEET_ABOUT: [
                line.format(
                    edition=edition, suppression=labels.SUPPRESSION_NOTE.format(min_n=min_n)
                )
                for line in labels.XLSX_ABOUT
            ]
            + [f"{label}: {text}" for label, text in facts]
        }
    )
    names = dict(zip(indicators["unit_id"], indicators["unit_name"], strict=False))
    sheets = {labels.XLSX_SHEET_ABOUT: about, **indicator_sheets(indicators)}
    sheets[labels.XLSX_SHEET_FOCUS] = focus_sheet(focus_status, names)
    return sheets


def number_format(indicator: str) -> str:
    decimals = catalog.indicator(indicator).decimals
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, title: str = "") -> Path:
    """Write the sheets (header row bold and frozen, a filter, every text neutralised,
    Värde formatted with the measure's decimals). The document's properties name the
    publisher as author (not "openpyxl") and carry ``title``, which File > Info and a
    file manager show."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.properties.creator = labels.CITY_NAME
    workbook.properties.lastModifiedBy = labels.CITY_NAME
    workbook.properties.title = title or None
    workbook.properties.language = "sv-SE"
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        indicator_column = frame["_indicator"] if "_indicator" in frame else None
        frame = frame.drop(columns=["_indicator"], errors="ignore")
        sheet.append([neutralise(str(c)) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        value_index = (
            list(frame.columns).index(labels.XLSX_COLUMNS[4]) + 1
            if labels.XLSX_COLUMNS[4] in frame.columns
            else None
        )
        for position, row in enumerate(frame.itertuples(index=False)):
            sheet.append(
                [
                    neutralise(v)
                    if isinstance(v, str)
                    else (None if formatting.is_missing(v) else v)
                    for v in row
                ]
            )
            if value_index is not None and indicator_column is not None:
                sheet.cell(row=position + 2, column=value_index).number_format = number_format(
                    indicator_column.iloc[position]
                )
        sheet.freeze_panes = "A2"
        if len(frame.columns) > 1:
            sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500)])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest + 2), 80)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
