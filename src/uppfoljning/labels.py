"""Every Swedish text a reader sees that is not written in ``book/``: names of
indicators, occupations and statuses, chart titles, footnotes and messages.

Code and notebooks refer to these by identifier; no reader-facing literal lives in a
notebook cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import catalog
from .catalog import ALL, BH, SS


@dataclass(frozen=True)
class IndicatorLabel:
    name: str  # as a table row or chart axis: "Personalrörlighet"
    definition: str  # one sentence for the method appendix


# Keyed by the catalogue's ids, in its order (the method appendix lists them so).
INDICATORS: dict[str, IndicatorLabel] = {
    "headcount": IndicatorLabel(
        "Antal tillsvidareanställda",
        "Medelvärdet av antalet tillsvidareanställda vid årets tolv månadsskiften.",
    ),
    "turnover_rate": IndicatorLabel(
        "Personalrörlighet",
        "Tillsvidareanställda som slutat (egen begäran, pension, övrigt eller intern "
        "rörlighet) i förhållande till antalet tillsvidareanställda.",
    ),
    "turnover_rate_external": IndicatorLabel(
        "Extern personalrörlighet",
        "Som personalrörligheten, men utan intern rörlighet inom staden.",
    ),
    "turnover_rate_voluntary": IndicatorLabel(
        "Personalrörlighet på egen begäran",
        "Tillsvidareanställda som slutat på egen begäran i förhållande till antalet "
        "tillsvidareanställda.",
    ),
    "consultants": IndicatorLabel(
        "Socionomkonsulter", "Antal inhyrda socionomkonsulter vid årets sista mättillfälle."
    ),
    "consultant_cost_sek": IndicatorLabel(
        "Kostnad för socionomkonsulter", "Årets kostnad för inhyrda socionomkonsulter."
    ),
    "job_ads": IndicatorLabel(
        "Publicerade platsannonser", "Antal publicerade platsannonser under året."
    ),
    "wait_days_mean": IndicatorLabel(
        "Väntetid till bokat besök, medelvärde",
        "Dagar från begäran till bokat besök, medelvärde för begäranden under året.",
    ),
    "wait_days_median": IndicatorLabel(
        "Väntetid till bokat besök, median",
        "Dagar från begäran till bokat besök, median för begäranden under året.",
    ),
    "cases_per_worker": IndicatorLabel(
        "Ärenden per handläggare",
        "Summan av öppna ärenden delad med summan av handläggarårsarbetare över årets månader.",
    ),
    "survey_response_rate": IndicatorLabel(
        "Svarsfrekvens i medarbetarenkäten", "Antal svarande i förhållande till antal inbjudna."
    ),
    "incidents": IndicatorLabel(
        "Rapporterade hot och våld",
        "Antal rapporterade händelser av hot, våld och otillåten påverkan.",
    ),
    "incidents_per_100": IndicatorLabel(
        "Hot och våld per 100 anställda",
        "Rapporterade händelser per 100 anställda (alla anställningsformer).",
    ),
    "reinforcement_staff_weeks": IndicatorLabel(
        "Förstärkningsteam, personveckor",
        "Förstärkningsteamens insatser i personveckor under året.",
    ),
    "staff_per_manager": IndicatorLabel(
        "Medarbetare per chef",
        "Antal anställda socialsekreterare och biståndshandläggare per enhetschef.",
    ),
    "admin_fte_per_10": IndicatorLabel(
        "Administrativt stöd per 10 medarbetare",
        "Administrativa årsarbetare per tio anställda socialsekreterare och biståndshandläggare.",
    ),
}

SURVEY_INDICES: dict[str, str] = {
    "ami": "Aktivt medskapandeindex (AMI)",
    "arbetsbelastning": "Arbetsbelastning",
    "ledarskap": "Ledarskap",
}
# Scale and direction of each survey index, next to it in its chapter and in Metod.
SURVEY_SCALE = "0–100"
SURVEY_DIRECTIONS: dict[str, str] = {
    "ami": "högre är bättre",
    "arbetsbelastning": "högre betyder en rimligare arbetsbelastning (alltså bättre)",
    "ledarskap": "högre är bättre",
}
SURVEY_DIRECTION_UNKNOWN = "det inte är angivet om högre är bättre eller sämre"
SURVEY_SCALES_SENTENCE = "Medarbetarenkätens index går från 0 till 100. {items}."
SURVEY_SCALE_FIRST = "För {name} gäller att {direction}"
SURVEY_SCALE_ITEM = "för {name} att {direction}"

EXIT_REASONS: dict[str, str] = {
    "arbetsbelastning": "Arbetsbelastning",
    "lon": "Lön",
    "ledarskap": "Ledarskap",
    "arbetsmiljo": "Arbetsmiljö",
    "karriar": "Karriär",
    "hot_och_vald": "Hot och våld",
    "privata_skal": "Privata skäl",
    "ovrigt": "Övrigt",
}


def indicator_label(indicator: str) -> IndicatorLabel:
    """The words of an indicator id, including the generated survey and exit-reason ids."""
    record = catalog.indicator(indicator)
    if record.family == catalog.SURVEY:
        name = SURVEY_INDICES.get(record.code, record.code.replace("_", " ").capitalize())
        direction = SURVEY_DIRECTIONS.get(record.code, SURVEY_DIRECTION_UNKNOWN)
        return IndicatorLabel(
            f"Medarbetarenkät: {name}",
            f"Svarsviktat medelvärde av indexvärdet, på en skala {SURVEY_SCALE} där {direction}.",
        )
    if record.family == catalog.EXIT_REASON:
        name = EXIT_REASONS.get(record.code, record.code.replace("_", " ").capitalize())
        return IndicatorLabel(
            f"Skäl att sluta: {name}",
            "Andel av årets avslutningssamtal där skälet nämns. Den som "
            "slutar kan nämna flera skäl; andelen säger vad som nämns, "
            "inte vad som orsakade att någon slutade.",
        )
    return INDICATORS[record.id]


OCCUPATIONS: dict[str, str] = {
    SS: "Socialsekreterare",
    BH: "Biståndshandläggare",
    ALL: "Båda yrkesgrupperna",
}

UNIT_KINDS: dict[str, str] = {
    "stadsdelsforvaltning": "Stadsdelsförvaltning",
    "fackforvaltning": "Fackförvaltning",
}

FOCUS_STATUSES: dict[str, str] = {
    "ej_paborjat": "Ej påbörjat",
    "paborjat": "Påbörjat",
    "avstannat": "Avstannat",
    "genomfort": "Genomfört",
}
FOCUS_NOT_IN_PLAN = "Ingick inte i handlingsplanen"
FOCUS_MATRIX_MARKED = "{words} står {statuses} i fetstil."
FOCUS_MARKED_WORDS = {
    1: "Det som behöver uppmärksammas",
    2: "Där arbetet har stannat av eller inte har påbörjats",
}
FOCUS_BY_AREA_DASH = (
    "Ett streck (–) betyder att fokusområdet inte ingick i handlingsplanen det året."
)
FOCUS_MATRIX_DASH = (
    "Ett streck (–) betyder att förvaltningen inte har någon bedömning för "
    "fokusområdet det året, eller att fokusområdet ännu inte ingick i "
    "handlingsplanen."
)

CITY_NAME = "Stockholms stad"

# Column headings of reader-facing tables.
COL_INDICATOR = "Mått"
COL_OCCUPATION = "Yrkesgrupp"
COL_YEAR = "År"
COL_VALUE = "Värde"
COL_THIS_YEAR = "{year}"
COL_CHANGE = "Förändring sedan {year}"
COL_CITY = "Hela staden {year}"
COL_UNIT = "Förvaltning"
COL_FOCUS_AREA = "Fokusområde"
COL_STATUS = "Status"
COL_NOTE = "Kommentar"
RESULTS_NO_WARNINGS = "Kontrollerna gav inga varningar om stora förändringar."
RESULTS_WARNINGS_INTRO = (
    "Vad granskningen kom fram till om varje varning från rimlighetskontrollen. Under "
    "tabellen finns varje kontroll med sitt resultat."
)
RESULTS_WARNINGS_INTRO_DRAFT = (
    "Det här är ett utkast: varningar från rimlighetskontrollen som ännu inte är granskade "
    "står som frågor. Under tabellen finns varje kontroll med sitt resultat."
)
COL_REVIEW_OUTCOME = "Granskningens resultat"
REVIEW_PENDING = "Inte granskad ännu: stämmer uppgiften?"

# Footnotes.
# The exact footnote of indicators.md (with min_n from the report configuration); the
# templates put the `..` mark in front of it.
SUPPRESSION_NOTE = (
    "Värden som bygger på färre än {min_n} personer redovisas inte, inte "
    "heller värden som annars skulle gå att räkna fram."
)
MISSING_NOTE = "Uppgift saknas betyder att underlaget inte innehåller uppgiften för året."
SYNTHETIC_NOTE = (
    "Rapporten bygger på syntetiska data (påhittade uppgifter för demonstration). "
    "Siffrorna beskriver inte verkliga förhållanden i Stockholms stad."
)
NO_FOCUS_STATUS = "Inga uppgifter om fokusområden för {year}."
FOCUS_NOT_REPORTED = "–"  # a unit without a status for an area in the matrix
# Where the work has stalled (avstannat) and where it has not begun (ej_paborjat).
FOCUS_STALLED_SENTENCE = (
    "År {year} hade arbetet stannat av i {stalled} av {total} bedömda kombinationer av "
    "förvaltning och fokusområde: {places}."
)
FOCUS_NOT_BEGUN_ALSO = "Arbetet hade inte påbörjats i {n} kombinationer: {places}."
FOCUS_NOT_BEGUN_ALSO_ONE = "Arbetet hade inte påbörjats i en kombination: {places}."
FOCUS_OTHERS_BEGUN = "I de övriga {n} var arbetet påbörjat eller genomfört."
FOCUS_OTHER_BEGUN = "I den övriga var arbetet påbörjat eller genomfört."
FOCUS_NOT_BEGUN_SENTENCE = (
    "År {year} hade arbetet inte påbörjats i {n} av {total} bedömda kombinationer av "
    "förvaltning och fokusområde: {places}."
)
FOCUS_NONE_STALLED = "Ingen bedömning angav att arbetet hade stannat av."
FOCUS_ALL_BEGUN = (
    "År {year} var arbetet påbörjat eller genomfört i alla {total} bedömda kombinationer "
    "av förvaltning och fokusområde, och ingen bedömning angav att arbetet hade stannat av."
)
FOCUS_COUNT_PLACE = "{n} i {place}"
FOCUS_COUNT_PLACES = "{n} vardera i {places}"
FOCUS_STALLED_VALUE = "{n} av {total}"
FOCUS_STALLED_MOST = "Flest i {places} ({n})."
UNIT_FOCUS_STALLED = "År {year} hade arbetet stannat av i {n} fokusområden: {areas}."
UNIT_FOCUS_STALLED_ONE = "År {year} hade arbetet stannat av i fokusområdet {areas}."
UNIT_FOCUS_NOT_BEGUN = "Arbetet hade inte påbörjats i {n} fokusområden: {areas}."
UNIT_FOCUS_NOT_BEGUN_ONE = "Arbetet hade inte påbörjats i fokusområdet {areas}."
UNIT_FOCUS_NOT_BEGUN_FIRST = "År {year} hade arbetet inte påbörjats i {n} fokusområden: {areas}."
UNIT_FOCUS_NOT_BEGUN_FIRST_ONE = "År {year} hade arbetet inte påbörjats i fokusområdet {areas}."
UNIT_FOCUS_ALL_GOING = (
    "År {year} var arbetet påbörjat eller genomfört i alla fokusområden, och inget hade stannat av."
)
FOCUS_MATRIX_EMPTY = "Uppgift saknas: underlaget innehåller ingen status för fokusområden {year}."
# A figure the results checks warned about, under the chart or table that shows it.
# With the analyst's outcome (granskning.yml) the note is the figure and the outcome;
# without one (only in a draft) it is the question the review still has to answer.
PLAUSIBILITY_NOTE = (
    "{unit}, {measure_lower} ({occupation_lower}): {before} år {previous_year} och {now} år "
    "{year}. {outcome}"
)
PLAUSIBILITY_NOTE_YEAR = "{unit}, {measure_lower} ({occupation_lower}) år {year}: {now}. {outcome}"
PLAUSIBILITY_QUESTION = (
    "Rimlighetskontrollen av resultaten varnade (regeln: ”{check}”); uppgiften är ännu "
    "inte granskad."
)
PLAUSIBILITY_HEADING = "Granskning"  # the review's outcome (or, in a draft, its open question)
FOCUS_STALLED_COMMENTS = (
    "Varje fokusområde där arbetet har stannat av, med uppföljningens kommentar."
)
FOCUS_STALLED_COMMENTS_NONE = "Ingen bedömning år {year} angav att arbetet hade stannat av."
FOCUS_NOT_BEGUN_COMMENTS = (
    "Varje fokusområde där arbetet inte hade påbörjats, med uppföljningens kommentar."
)
FOCUS_NOT_BEGUN_COMMENTS_NONE = (
    "År {year} hade arbetet påbörjats i alla fokusområden som ingick i handlingsplanen."
)

# Charts.
AXIS_YEAR = "År"
AXIS_TURNOVER = "Personalrörlighet"
AXIS_OCCUPATION = "Yrkesgrupp"
LEGEND_CITY = "Hela staden"
TURNOVER_TITLE_NONE = "Personalrörligheten i {place} kan inte redovisas"
TURNOVER_SUBTITLE = "Andel tillsvidareanställda som slutat under året, {first_year}–{last_year}"
TURNOVER_DESCRIPTION = (
    "Linjediagram över personalrörligheten i {place} per år {first_year}–{last_year} "
    "för {groups}. {summary}"
)
COMPARISON_TITLE = "{indicator} {year}: {highest}, {lowest}"
COMPARISON_END = "{units} {end}"
COMPARISON_END_MANY = "{end} ({value}) i {units}"
COMPARISON_SUBTITLE = "Förvaltningarna sorterade efter värde; linjen visar hela staden ({city})"
COMPARISON_DESCRIPTION = (
    "Stapeldiagram över {indicator_lower} {year} per förvaltning, sorterat från högst "
    "({highest}, {highest_value}) till lägst ({lowest}, {lowest_value}). Hela staden: {city}."
)
COMPARISON_SENTENCE = (
    "Högst var den i {highest} ({highest_value}) och lägst i {lowest} ({lowest_value})."
)
COMPARISON_SENTENCE_NONE = (
    "Förvaltningarna kan inte jämföras för {year}: värdena bygger på för få personer eller saknas."
)
DOWNLOAD_CSV = "Ladda ner data (CSV)"
# above a table wider than the screen (a phone), which scrolls sideways
TABLE_SCROLL_HINT = "Svep åt sidan för att se hela tabellen →"
CHART_SCRIPT_MISSING = (
    "Diagrammet kan inte visas eftersom sidans JavaScript inte har laddats. "
    "Uppgifterna finns i tabellen och i CSV-filen."
)

# Site.
EDITION = "Utgåva {year}"
ALL_EDITIONS = "Alla utgåvor"
SITE_INDEX_TITLE = "Uppföljning av handlingsplanen – alla utgåvor"
SITE_INDEX_INTRO = "Välj utgåva. Den senaste står först."


# --- City chapters per area (Hela staden) ---------------------------------------------


@dataclass(frozen=True)
class AreaLabel:
    title: str  # chapter title
    intro: str  # what the chapter answers


AREAS: dict[str, AreaLabel] = {
    "konsulter": AreaLabel(
        "Konsulter och kostnader",
        "Hur många socionomkonsulter staden hyr in och vad de kostar, jämfört med det "
        "första mättillfället.",
    ),
    "rekrytering": AreaLabel(
        "Rekrytering",
        "Hur många platsannonser för socialsekreterare och biståndshandläggare som "
        "publicerades år {year} och {previous_year}.",
    ),
    "arbetsbelastning": AreaLabel(
        "Arbetsbelastning", "Hur många öppna ärenden varje handläggare har i genomsnitt."
    ),
    "vantetider": AreaLabel(
        "Väntetider",
        "Hur länge den som begär ett bokat besök får vänta i varje stadsdelsförvaltning, "
        "och hur långt det är mellan den kortaste och den längsta väntetiden.",
    ),
    "medarbetarenkat": AreaLabel(
        "Medarbetarenkät",
        "Vad socialsekreterare och biståndshandläggare svarar i stadens medarbetarenkät.",
    ),
    "hot-och-vald": AreaLabel(
        "Hot och våld",
        "Hur många händelser av hot och våld som rapporterades, i antal och per 100 anställda.",
    ),
    "forstarkningsteam": AreaLabel(
        "Förstärkningsteam", "Hur mycket stadens förstärkningsteam användes och var."
    ),
    "chefer": AreaLabel(
        "Chefer och administrativt stöd",
        "Hur många medarbetare varje enhetschef har och hur mycket administrativt stöd som finns.",
    ),
    "avslutningssamtal": AreaLabel(
        "Avslutningssamtal", "Vilka skäl de som slutar nämner i avslutningssamtalen."
    ),
}
AREA_MAIN_SUBJECT = "{subject} i hela staden"
EXIT_BASE_SENTENCE = (
    "Andelarna bygger på stadens {interviews} avslutningssamtal år {year}. Samma år slutade "
    "{leavers} tillsvidareanställda socialsekreterare och biståndshandläggare, så "
    "{coverage} av dem hade ett avslutningssamtal. Den som slutar kan nämna flera skäl, "
    "och ett skäl som nämns är inte nödvändigtvis orsaken till att någon slutade."
)
EXIT_BASE_SHORT = (
    "av stadens {interviews} avslutningssamtal, som {coverage} av de {leavers} som slutade hade"
)
EXIT_BASE_SHORT_NO_LEAVERS = "av stadens {interviews} avslutningssamtal"
EXIT_BASE_SHORT_NONE = "av avslutningssamtalen"
EXIT_BASE_SENTENCE_NO_LEAVERS = (
    "Andelarna bygger på stadens {interviews} avslutningssamtal år {year}. Den som slutar "
    "kan nämna flera skäl, och ett skäl som nämns är inte nödvändigtvis orsaken till att "
    "någon slutade."
)
AREA_NO_DATA = (
    "Uppgift saknas: underlaget för utgåvan innehåller inte {indicator_lower}, "
    "så kapitlet kan inte visa några värden."
)
WAIT_SPREAD_SENTENCE = (
    "Bland stadsdelsförvaltningarna var den genomsnittliga väntetiden kortast i {shortest} "
    "({shortest_value}) och längst i {longest} ({longest_value}) år {year}, en skillnad "
    "på {difference}."
)
WAIT_SPREAD_NONE = "Väntetiderna per stadsdelsförvaltning kan inte jämföras för {year}."
TREND_TITLE_NONE = "{indicator} i {place} kan inte redovisas"
TREND_SUBTITLE = "Per år, {first_year}–{last_year}"
TREND_DESCRIPTION = (
    "Linjediagram över {indicator_lower} i {place} per år {first_year}–"
    "{last_year} för {groups}. {summary}"
)
TREND_SUMMARY = "Värdet gick från {first} år {first_year} till {last} år {last_year}."
COL_FIRST_MEASURE = "Första mätningen"


# --- Display tables, empty charts, unit pages and cards ---------------------------------

CHART_NO_DATA = "Uppgift saknas: underlaget innehåller inga värden att visa i diagrammet."
CHART_ALL_HIDDEN = (
    "Värdena redovisas inte (..) för att skydda enskilda personer: de bygger på för få "
    "personer eller skulle annars gå att räkna fram. Därför visas inget diagram."
)
CHART_ALL_ZERO = "{subject} i {place} var 0 alla redovisade år {years}, så inget diagram visas."
CHART_ALL_ZERO_ONE = "{subject} i {place} var 0, så inget diagram visas."
TREND_TITLE_ONE_YEAR = "{subject} i {place} redovisas bara för {year}"
TABLE_NO_DATA = "Uppgift saknas."
COL_OUTCOME = "Resultat"  # the appendix tables' outcome column (godkänd, underkänd, varning)
# The outcome of a rule or check in the Datakvalitet appendix; print shows only the rows
# whose outcome is not OUTCOME_PASSED.
OUTCOME_PASSED, OUTCOME_FAILED, OUTCOME_WARNED = "godkänd", "underkänd", "varning"
PRINT_PASSED_NOTE = (
    "I utskriften visas bara de regler som inte var godkända: {passed} av "
    "{total} regler var godkända. Alla regler finns i webbversionen."
)
PDF_LINK = "Hela rapporten som PDF (A4, för utskrift)"
TABLE_REGION = "Tabell"  # accessible name of a scrolling table without a caption
# Appended to an axis title: "Väntetid (dagar)".
AXIS_UNITS = {catalog.SEK: "mnkr", catalog.DAYS: "dagar"}
COMPARISON_SUBTITLE_TOTAL = "Förvaltningarna sorterade efter värde; hela staden totalt: {city}"

# Two years side by side (dot plot: last year as a ring, this year as a filled square).
TWO_YEARS_TITLE_UP = "{measure}: högre {year} än {previous_year} för {up} av {n} {noun}"
TWO_YEARS_TITLE_DOWN = "{measure}: lägre {year} än {previous_year} för {down} av {n} {noun}"
TWO_YEARS_TITLE_MIXED = (
    "{measure}: högre {year} än {previous_year} för {up} och lägre för {down} av {n} {noun}"
)
TWO_YEARS_TITLE_SAME = "{measure}: oförändrat {year} jämfört med {previous_year}"
TWO_YEARS_TITLE_ONE = "{measure} {year}: högst för {highest}, lägst för {lowest}"
TWO_YEARS_SUBTITLE = "Ring: {previous_year}, fylld fyrkant: {year}; sorterat efter {year}"
TWO_YEARS_DESCRIPTION = (
    "Punktdiagram som jämför {measure_lower} {previous_year} och {year} för {n} {noun}. "
    "Högst {year}: {highest} ({highest_value}); lägst: {lowest} ({lowest_value})."
)
TWO_YEARS_HIDDEN = "Visas inte i diagrammet: {items}."
NOUN_UNITS = "förvaltningar"
NOUN_DISTRICTS = "stadsdelsförvaltningar"
NOUN_OCCUPATIONS = "yrkesgrupper"
NOUN_INDICES = "index"
NOUN_REASONS = "skäl"
MEASURE_EXIT_REASONS = "Andel avslutningssamtal som anger skälet"
MEASURE_SURVEY = "Medarbetarenkätens index"
AXIS_YEAR_SERIES = "År"

# Unit page: trends per occupation (a table of every year).
COL_SERIES = "Mått och yrkesgrupp"

# --- The district's own report (issue 14): unit pages, overview, spreadsheet, PDFs -----

# Unit page: every area's trend against the city, and the unit's place among districts.
COL_RANK = "Bland stadsdelarna"
RANK_TEXT = "{words} av {of}"
RANK_SHARED = "delad {text}"
RANK_HIGHEST = "högst"
RANK_LOWEST = "lägst"
RANK_SECOND = "näst"
RANK_HIDDEN_OTHERS = " ({hidden} redovisas inte)"
RANK_NOT_RANKED = "–"  # a fackförvaltning is not ranked among the districts
RANK_NOTE = (
    "Kolumnen Bland stadsdelarna anger var förvaltningens värde hamnar bland de "
    "stadsdelsförvaltningar som har ett redovisat värde: högst, näst högst, 3:e högst och "
    "så vidare, och i den nedre halvan räknat från det lägsta värdet (lägst, näst lägst). "
    "Det högsta värdet är inte nödvändigtvis det bästa. Förvaltningar med samma värde som "
    "det visas delar placering (delad); en förvaltning vars värde inte redovisas (..) "
    "rangordnas inte."
)
# A district's lead: where it stands among the districts, and its largest change.
STANDING_HIGH = (
    "Bland de {n} stadsdelsförvaltningarna hade {place} det högsta värdet år {year} för {high}."
)
STANDING_LOW = (
    "Bland de {n} stadsdelsförvaltningarna hade {place} det lägsta värdet år {year} för {low}."
)
STANDING_BOTH = (
    "Bland de {n} stadsdelsförvaltningarna hade {place} det högsta värdet år "
    "{year} för {high}, och det lägsta för {low}."
)
STANDING_NEITHER = (
    "Bland de {n} stadsdelsförvaltningarna hade {place} varken det högsta "
    "eller det lägsta värdet år {year} för något av måtten i tabellen nedan."
)
STANDING_SHARED = " (delat med {units})"
LARGEST_CHANGE = (
    "Av måtten som inte beror på förvaltningens storlek förändrades {measure} "
    "mest sedan {previous_year}, räknat i förhållande till värdet "
    "{previous_year}: {value} år {year}, jämfört med {previous} år "
    "{previous_year} ({change})."
)
RANK_NOTE_NOT_RANKED = "Fackförvaltningar rangordnas inte bland stadsdelsförvaltningarna (–)."
UNIT_TREND_SUBTITLE = "Per år {first_year}–{last_year}; streckad linje: hela staden"
UNIT_TREND_SUBTITLE_TOTAL = "Per år {first_year}–{last_year}; hela staden totalt {year}: {city}"
UNIT_TREND_DESCRIPTION = (
    "Linjediagram över {indicator_lower} i {place} per år {first_year}–{last_year}, "
    "med hela staden som jämförelse. {summary} Hela staden {year}: {city}."
)
UNIT_TREND_DESCRIPTION_TOTAL = (
    "Linjediagram över {indicator_lower} i {place} per år {first_year}–{last_year}. "
    "{summary} Hela staden totalt {year}: {city}."
)
UNIT_TREND_HIDDEN = "Redovisas inte (..) för {place}: {years}."
UNIT_AREA_NO_DATA = "Uppgift saknas: underlaget innehåller inga värden för förvaltningen."
UNIT_AREA_HIDDEN = (
    "Värdena redovisas inte (..) för att skydda enskilda personer: de bygger på för få "
    "personer eller skulle annars gå att räkna fram."
)
PDF_UNIT_LINK = "Förvaltningens sida som PDF (A4, för nämndens handlingar)"
PDF_UNIT_TITLE = "{title} {edition}"
# The PDFs' cover, contents and footer (pdf.py)
PDF_PUBLISHER = "Utgivare"
PDF_PUBLISHED = "Publicerad"
PDF_RESPONSIBLE = "Ansvarig"
PDF_CONTACT = "Kontakt"
PDF_NEXT_RELEASE = "Nästa utgåva"
PDF_CONTENTS = "Innehåll"
PDF_PAGE = "sida"  # "sida 3 av 40" (the footer's numbers are Chromium's)
PDF_PAGE_OF = "av"
PDF_DRAFT = "Utkast – inte fastställd"
PDF_SYNTHETIC_TITLE = "Syntetiska data"
PDF_SYNTHETIC_FOOTER = "Syntetiska data: siffrorna beskriver inte verkliga förhållanden."
# In the edition PDF a unit's chapter keeps its opening and key figures; the rest is in
# the unit's own PDF (its file name follows).
PDF_UNIT_ELSEWHERE = "Förvaltningens hela rapport finns i en egen PDF:"

# Förvaltningarna i överblick (stad/overblick)
OVERVIEW_COL_WORSE = "Sämre än staden"
OVERVIEW_WORSE_COUNT = "{worse} av {shown}"
OVERVIEW_CLASSES = {  # distance from the city, direction-aware
    "much_worse": "Mycket sämre än staden (mer än 20 %)",
    "worse": "Sämre än staden (5–20 %)",
    "near": "Nära staden (inom 5 %)",
    "better": "Bättre än staden (5–20 %)",
    "much_better": "Mycket bättre än staden (mer än 20 %)",
    "hidden": "Redovisas inte (..)",
    "missing": "Uppgift saknas",
    "uncompared": "Kan inte jämföras med staden",
    "city": "Hela staden",
}
OVERVIEW_SHORT = {  # column headings of the overview (short; the full name in the note)
    "turnover_rate": "Rörlighet",
    "cases_per_worker": "Ärenden per handl.",
    "wait_days_mean": "Väntetid (dagar)",
    "incidents_per_100": "Hot och våld per 100",
    "staff_per_manager": "Medarbetare per chef",
    "survey_response_rate": "Andel svar",
    "survey_ami": "AMI",
}
OVERVIEW_COLUMNS_NOTE = (
    "Kolumnerna, alla för båda yrkesgrupperna år {year}: {columns}. "
    "Sämre än staden: antalet mått som är sämre än stadens, av de "
    "mått som kan jämföras."
)
OVERVIEW_HIGHER_WORSE = "högre är sämre"
OVERVIEW_HIGHER_BETTER = "högre är bättre"
OVERVIEW_COMPARE_TITLE = "Jämför två förvaltningar med hela staden"
OVERVIEW_COMPARE_SUBTITLE = "Välj förvaltningar i listorna under diagrammet; år {year}"
OVERVIEW_COMPARE_DESCRIPTION = (
    "Tabelldiagram med {n} mått år {year} för två valda förvaltningar och hela staden, "
    "färgat efter avståndet till staden. Förvalda är {first} och {second}; välj andra "
    "i listorna. Alla förvaltningars värden finns i tabellen ovan och i CSV-filen."
)
OVERVIEW_PICK_FIRST = "Förvaltning 1 "
OVERVIEW_PICK_SECOND = "Förvaltning 2 "
OVERVIEW_AXIS_MEASURE = "Mått"
OVERVIEW_AXIS_MEASURE_CLASS = "Jämfört med staden"
OVERVIEW_HARDEST = (
    "Flest mått som är sämre än staden år {year} hade {units} ({worse} av {shown} redovisade mått)."
)
OVERVIEW_HARDEST_NONE = "Ingen förvaltning hade något mått som var sämre än staden år {year}."

# Spreadsheet (data/indikatorer.xlsx)
XLSX_COLUMNS = ("År", "Förvaltning", "Yrkesgrupp", "Mått", "Värde", "Anmärkning")
XLSX_FOCUS_COLUMNS = ("År", "Förvaltning", "Fokusområde", "Status", "Kommentar")
XLSX_UNIT_SUFFIX = {
    catalog.PERCENT: " (procent)",
    catalog.DAYS: " (dagar)",
    catalog.SEK: " (kronor)",
}
XLSX_SHEET_TURNOVER = "Personalrörlighet"
XLSX_SHEET_FOCUS = "Fokusområden"
XLSX_SHEET_OTHER = "Övriga mått"
XLSX_SHEET_ABOUT = "Om filen"
XLSX_TITLE = "{title} {edition}: alla siffror"  # the workbook's title (its properties)
# Publication facts (report.yml): start page, footer of every page, "Om filen".
FACT_PUBLISHED = "Publicerad"
FACT_RESPONSIBLE = "Ansvarig"
FACT_CONTACT = "Kontakt"
FACT_NEXT_RELEASE = "Nästa utgåva"
FACTS_HEADING = "Om publiceringen"
START_PAGE_TITLE = "Startsida"  # the start page's tab: "Startsida — <title> <year>"
# Om statistiken: what each table of the delivery is (data-contract.md), in Swedish.
TABLE_DESCRIPTIONS = {
    "units": "Förvaltningarna och deras historik (sammanslagningar)",
    "employments": "Anställningar som socialsekreterare och biståndshandläggare, med "
    "början, slut och skäl till att sluta",
    "consultants": "Inhyrda socionomkonsulter vid mättillfällena",
    "consultant_costs": "Kostnader för konsulter per förvaltning och år",
    "job_ads": "Publicerade platsannonser per månad",
    "visits": "Bokade besök och väntetid till besöket",
    "caseload": "Ärenden per handläggare",
    "staff_survey": "Medarbetarenkätens index och svarsfrekvens",
    "incidents": "Rapporterade händelser av hot och våld",
    "reinforcement": "Förstärkningsteamens insatser i personveckor",
    "managers": "Chefer och medarbetare per chef",
    "admin_support": "Administrativt stöd",
    "exit_interviews": "Avslutningssamtal och skäl att sluta",
    "focus_areas": "Handlingsplanens fokusområden",
    "focus_status": "Förvaltningarnas arbete i varje fokusområde",
}
SOURCE_COLUMNS = ("Underlag", "Fil", "Period", "Rader")
REVIEW_NONE = "Rimlighetskontrollen gav inga varningar för den här utgåvan."
REVIEW_ITEM = "{unit}, {measure_lower} ({occupation_lower}), {years}: {outcome}"

# A draft (build --draft): on every page and every printed page; in the archive index.
DRAFT_MARK = "Utkast – inte fastställd"

XLSX_ABOUT = (
    "Indikatorerna i uppföljningen av handlingsplanen, utgåva {edition}: samma värden "
    "som i indikatorer.csv, med svenska rubriker. Andelar anges i procent.",
    "Anmärkning: .. = {suppression} Uppgift saknas = underlaget innehåller inte "
    "uppgiften för året.",
)

# Konsulter: the first measuring point.
CONSULTANTS_FIRST_SENTENCE = (
    "Vid det första mättillfället {first_year} hyrde staden {first} socionomkonsulter, "
    "och förändringen fram till {year} är {change}. Kostnaden för konsulterna var {cost} "
    "år {year}, jämfört med {cost_first} år {first_year}."
)
# Väntetider: the spread in words, for the page and the researcher's chapters.
WAIT_TABLE_MEAN = "Medelvärde {year}"
WAIT_TABLE_MEDIAN = "Median {year}"
# Fokusområden
COL_FOCUS_STALLED = "Avstannat"
COL_NOT_BEGUN = "Ej påbörjat"
FOCUS_CHART_TITLE = "Arbetet har stannat av i {n} kombinationer år {year}"
FOCUS_CHART_TITLE_NONE = "Inget arbete har stannat av år {year}"
FOCUS_CHART_SUBTITLE = "Antal kombinationer av förvaltning och fokusområde per år {first}–{last}"
FOCUS_CHART_AXIS = "Antal kombinationer"
FOCUS_CHART_LEGEND = "Status"
FOCUS_CHART_DESCRIPTION = (
    "Linjediagram över hur många kombinationer av förvaltning och fokusområde där arbetet "
    "hade stannat av och där det inte hade påbörjats, per år {first}–{last}, för "
    "förvaltningarna i utgåvan. Avstannat: {stalled}. Ej påbörjat: {not_begun}."
)
COL_PAIRS = "Bedömda kombinationer"


# --- Words that agree with the numbers (uppfoljning.wording) ----------------------------

# A trend title's predicate: the direction since the first published year, and where the
# last years went the other way, that too (keys: the whole direction, the recent one).
TREND_PHRASES = {
    "up": "har ökat sedan {first_year}",
    "down": "har minskat sedan {first_year}",
    "flat": "är ungefär som {first_year}",
}
TREND_RECENT = {
    ("down", "up"): " men ökat sedan {recent_year}",
    ("up", "down"): " men minskat sedan {recent_year}",
    ("flat", "up"): " men har ökat sedan {recent_year}",
    ("flat", "down"): " men har minskat sedan {recent_year}",
}
# ... when the edition's own value is hidden: the years are named
TREND_PHRASES_PAST = {
    "up": "ökade {first_year}–{last_year}",
    "down": "minskade {first_year}–{last_year}",
    "flat": "låg {last_year} på ungefär samma nivå som {first_year}",
}
TREND_RECENT_PAST = {
    ("down", "up"): " men ökade {recent_year}–{last_year}",
    ("up", "down"): " men minskade {recent_year}–{last_year}",
    ("flat", "up"): " men ökade {recent_year}–{last_year}",
    ("flat", "down"): " men minskade {recent_year}–{last_year}",
}
TREND_SUMMARY_RECENT = "År {recent_year} var värdet {recent}."
TREND_SUMMARY_LAST_HIDDEN = "Värdet för {year} redovisas inte (..)."
TREND_SUMMARY_LAST_MISSING = "Värdet för {year} saknas i underlaget."
TREND_TITLE = "{subject} i {place} {phrase}"

# A change between last year and this year, whatever is hidden or missing.
CHANGE_SENTENCE = (
    "{subject} var {value} år {year}, jämfört med {previous} år {previous_year} ({change})."
)
CHANGE_SENTENCE_NO_PREVIOUS = (
    "{subject} var {value} år {year}; värdet för {previous_year} {reason}."
)
CHANGE_SENTENCE_NO_CURRENT = (
    "{subject} var {previous} år {previous_year}; värdet för {year} {reason}."
)
CHANGE_SENTENCE_NONE = "{subject}: värdena för {previous_year} och {year} {reason}."
CHANGE_SENTENCE_NEITHER = (
    "{subject}: värdet för {year} {reason_now} och värdet för {previous_year} {reason_before}."
)
REASON_HIDDEN = "redovisas inte (..)"
REASON_MISSING = "saknas i underlaget"

# The subject of a sentence about an indicator, where its table name ("Förstärkningsteam,
# personveckor") does not read as one.
# The definite form for a measure as subject ("Antalet socionomkonsulter i hela staden var
# 33 år 2024", not "Socionomkonsulter i hela staden var 33").
SENTENCE_SUBJECTS = {
    "headcount": "Antalet tillsvidareanställda",
    "turnover_rate": "Personalrörligheten",
    "turnover_rate_external": "Den externa personalrörligheten",
    "turnover_rate_voluntary": "Personalrörligheten på egen begäran",
    "consultants": "Antalet socionomkonsulter",
    "consultant_cost_sek": "Kostnaden för socionomkonsulter",
    "job_ads": "Antalet publicerade platsannonser",
    "cases_per_worker": "Antalet ärenden per handläggare",
    "survey_response_rate": "Svarsfrekvensen i medarbetarenkäten",
    "incidents": "Antalet rapporterade händelser av hot och våld",
    "incidents_per_100": "Antalet händelser av hot och våld per 100 anställda",
    "reinforcement_staff_weeks": "Förstärkningsteamens insatser i personveckor",
    "wait_days_mean": "Den genomsnittliga väntetiden till bokat besök",
    "wait_days_median": "Medianväntetiden till bokat besök",
    "staff_per_manager": "Antalet medarbetare per chef",
    "admin_fte_per_10": "Det administrativa stödet per 10 medarbetare",
}


def sentence_subject(indicator: str) -> str:
    """ "Andelen avslutningssamtal som anger lön" rather than "Skäl att sluta: Lön"."""
    if indicator in SENTENCE_SUBJECTS:
        return SENTENCE_SUBJECTS[indicator]
    if catalog.is_exit_share(indicator):
        name = indicator_label(indicator).name.split(": ", 1)[-1]
        return f"Andelen avslutningssamtal där {name.lower()} nämns som skäl att sluta"
    if catalog.is_survey_index(indicator):
        name = indicator_label(indicator).name.split(": ", 1)[-1]
        if name.isupper() or "(" in name:  # a name of its own: "Aktivt medskapandeindex (AMI)"
            return f"{name} i medarbetarenkäten"
        return f"Indexet för {name.lower()} i medarbetarenkäten"
    return indicator_label(indicator).name


# Highest and lowest (every unit sharing the value is named).
COMPARISON_TITLE_ALL_EQUAL = "{indicator} {year}: {value} i alla {n} {noun}"
COMPARISON_SUBTITLE_DISTRICTS = (
    "Stadsdelsförvaltningarna sorterade efter värde; linjen visar hela staden ({city})"
)
COMPARISON_SUBTITLE_TOTAL_DISTRICTS = (
    "Stadsdelsförvaltningarna sorterade efter värde; hela staden totalt: {city}"
)
COMPARISON_HIDDEN = "Redovisas inte (..): {units}."
COMPARISON_MISSING = "Uppgift saknas: {units}."

# Personalrörlighet in a sentence: whose ("stadens", "förvaltningens") and which group.
TURNOVER_SUBJECTS = {
    ALL: "Personalrörligheten bland {whose} socialsekreterare och biståndshandläggare",
    SS: "Personalrörligheten bland {whose} socialsekreterare",
    BH: "Personalrörligheten bland {whose} biståndshandläggare",
}
WHOSE_CITY = "stadens"
WHOSE_UNIT = "förvaltningens"
CITY_TURNOVER_SENTENCE = "I hela staden var den {value}."
CITY_TURNOVER_SENTENCE_HIDDEN = "Hela stadens värde för {year} redovisas inte (..)."
CITY_TURNOVER_SENTENCE_MISSING = "Hela stadens värde för {year} saknas i underlaget."

# Datakvalitet: what needs attention first, every rule after it (collapsed).
RULES_PASSED_SUMMARY = "Alla regler ({passed} av {total} godkända)"
RULES_NOT_PASSED_INTRO = "Regler som inte var godkända (varningar och fel):"
RULES_ALL_PASSED = "Alla regler var godkända."

# Revideringar (the appendix of figures that changed since the previous edition).
REVISIONS_INTRO = (
    "{count} publicerade värden för tidigare år skiljer sig från vad "
    "utgåva {previous} redovisade för samma förvaltning, yrkesgrupp, mått "
    "och år."
)
REVISIONS_NONE = "Inga publicerade värden för tidigare år har ändrats sedan utgåva {previous}."
REVISIONS_NONE_EARLIER = (
    "Det finns ingen tidigare utgåva i arkivet att jämföra med, så inga värden har reviderats."
)
REVISIONS_DOWNLOAD = "Ladda ner revideringarna (CSV)"
REVISIONS_COL_PREVIOUS = "Utgåva {previous}"
REVISIONS_COL_NOW = "Utgåva {edition}"
REVISIONS_COL_REASON = "Skäl"
REVISION_REASONS = {
    "restated": "omräknad förvaltning (sammanslagning)",
    "definition": "ändrad definition eller beräkning",
    "delivery": "rättad leverans",
}


# Viktigaste resultat (uppfoljning.main_points): the city's main points of an edition.
MAIN_POINT_SUBJECTS = {
    "turnover_rate": "Personalrörligheten bland stadens socialsekreterare och biståndshandläggare",
    "turnover_rate_external": "Den externa personalrörligheten",
    "turnover_rate_voluntary": "Personalrörligheten på egen begäran",
    "headcount": "Antalet tillsvidareanställda",
    "consultants": "Antalet socionomkonsulter vid årets sista mättillfälle",
    "consultant_cost_sek": "Kostnaden för socionomkonsulter",
    "job_ads": "Antalet publicerade platsannonser",
    "wait_days_mean": "Den genomsnittliga väntetiden till bokat besök",
    "wait_days_median": "Medianväntetiden till bokat besök",
    "cases_per_worker": "Antalet ärenden per handläggare",
    "survey_response_rate": "Svarsfrekvensen i medarbetarenkäten",
    "incidents": "Antalet rapporterade händelser av hot och våld",
    "incidents_per_100": "Antalet händelser av hot och våld per 100 anställda",
    "reinforcement_staff_weeks": "Förstärkningsteamens insatser i personveckor",
    "staff_per_manager": "Antalet medarbetare per chef",
    "admin_fte_per_10": "Det administrativa stödet per 10 medarbetare",
}
# ... and as an item of a list of measures
MAIN_POINT_LISTED = {
    "turnover_rate": "personalrörligheten",
    "consultants": "antalet socionomkonsulter",
    "wait_days_mean": "den genomsnittliga väntetiden till bokat besök",
}
MAIN_POINT_VALUE = "{subject} var {now} år {year}"
MAIN_POINT_CHANGE = ", jämfört med {before} år {previous_year} ({change})"
MAIN_POINT_SINCE_FIRST = {
    "up": "högre än år {first_year} ({first})",
    "down": "lägre än år {first_year} ({first})",
    "flat": "på samma nivå som år {first_year} ({first})",
}
MAIN_POINT_AND = (", och ", " och ")  # after the change clause, without it
MAIN_POINT_PREVIOUS_NOT_SHOWN = "Värdet för {previous_year} {reason}."
MAIN_POINT_NOT_SHOWN = "{subject} för år {year} {reason}."
MAIN_POINT_STREAK = (
    "{count} har utvecklats åt det sämre hållet varje år i minst {years} år i rad fram till {year}:"
)
MAIN_POINT_STREAK_ITEM = {
    "up": "{subject} har ökat varje år sedan {start}, från {first} till {now}",
    "down": "{subject} har minskat varje år sedan {start}, från {first} till {now}",
}
MAIN_POINT_LARGEST = (
    "Störst förändring sedan {previous_year}, räknat i procent av värdet "
    "år {previous_year}, hade {items}."
)
MAIN_POINT_LARGEST_ITEM = {
    "up": "{subject}, som ökade från {before} till {now} ({change}, {relative})",
    "down": "{subject}, som minskade från {before} till {now} ({change}, {relative})",
}
MAIN_POINT_FURTHEST = (
    "Längst från hela staden år {year}, räknat i procent av stadens värde, låg {items}."
)
MAIN_POINT_FURTHEST_ITEM = (
    "{unit} när det gäller {measure} ({value} mot {city} i hela staden, {relative})"
)
MAIN_POINTS_NONE = "Utgåvan har inga redovisade värden att sammanfatta."
NOUN_MEASURE = "mått"
# Small numbers in words (neuter: "ett mått", "tre år"), as Swedish style wants them.
NUMBER_WORDS = (
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)


def count_words(count: int, noun: str = "") -> str:
    """ "tre mått", "ett mått", "14 mått" (words up to twelve)."""
    number = NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)
    return f"{number} {noun}".strip()


# Tables per unit over time (the city chapters)
TABLE_NOTE_HEADING = "Om tabellen"
CONSULTANTS_TABLE_COUNT = "Konsulter {year}"
CONSULTANTS_TABLE_COST = "Kostnad {year}"
CONSULTANTS_TABLE_NOTE = (
    "Antalet konsulter gäller årets sista mättillfälle, medan kostnaden gäller hela året. "
    "En förvaltning kan därför ha en kostnad för konsulter under året men inga konsulter "
    "vid mättillfället."
)
TURNOVER_UNITS_INTRO = (
    "Personalrörligheten per förvaltning och år, det senaste året först, och förändringen "
    "sedan {previous_year} i procentenheter. Hela staden står överst."
)
