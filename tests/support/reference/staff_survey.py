"""survey_<index_id> (respondent-weighted mean of each index) and survey_response_rate
(respondents over invited, each year x source unit x occupation counted once) (D3,
D7)."""

from __future__ import annotations

from .common import ALL_OCCS, Output, rows
from .employments import Staff


def _index(out: Output, survey_rows: list[dict], index_id: str, years: set[int]) -> None:
    weighted, resp = {}, {}
    for r in survey_rows:
        if r["index_id"] == index_id:
            y = int(r["year"])
            out.bump(
                weighted,
                y,
                r["unit_id"],
                r["occupation"],
                int(r["respondents"]) * float(r["value"]),
            )
            out.bump(resp, y, r["unit_id"], r["occupation"], int(r["respondents"]))
    out.emit_ratio(f"survey_{index_id}", years, ALL_OCCS, weighted, resp)


def _response_rate(out: Output, survey_rows: list[dict], years: set[int]) -> None:
    once = {}
    for r in survey_rows:
        k = (int(r["year"]), r["unit_id"], r["occupation"])
        inv, res = once.get(k, (0, 0))
        once[k] = (max(inv, int(r["invited"])), max(res, int(r["respondents"])))
    invited, respondents = {}, {}
    for (y, unit_id, occ), (inv, res) in once.items():
        out.bump(invited, y, unit_id, occ, inv)
        out.bump(respondents, y, unit_id, occ, res)
    out.emit_ratio("survey_response_rate", years, ALL_OCCS, respondents, invited)


def staff_survey(out: Output, frame, staff: Staff) -> None:
    survey_rows = [r for r in rows(frame) if int(r["year"]) in out.year_range]
    years = {int(r["year"]) for r in survey_rows}
    for index_id in sorted({r["index_id"] for r in survey_rows}):
        _index(out, survey_rows, index_id, years)
    _response_rate(out, survey_rows, years)
