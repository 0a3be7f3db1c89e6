"""Every Swedish text a reader sees that is not written in ``book/``: names of
indicators, occupations and statuses, chart titles, footnotes and messages.

Code and notebooks refer to these by identifier; no reader-facing literal lives in a
notebook cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import catalog


@dataclass(frozen=True)
class IndicatorLabel:
    name: str  # as a table row or chart axis: "Personalrörlighet"
    definition: str  # one sentence for the method appendix


# Keyed by the catalogue's ids, in its order (the method appendix lists them so).
INDICATORS: dict[str, IndicatorLabel] = {
    "headcount": IndicatorLabel(
        "Antal tillsvidareanställda",
        "Medelvärdet av antalet tillsvidareanställda vid årets tolv månadsskiften."),
    "turnover_rate": IndicatorLabel(
        "Personalrörlighet",
        "Tillsvidareanställda som slutat (egen begäran, pension, övrigt eller intern "
        "rörlighet) i förhållande till antalet tillsvidareanställda."),
    "turnover_rate_external": IndicatorLabel(
        "Extern personalrörlighet",
        "Som personalrörligheten, men utan intern rörlighet inom staden."),
    "turnover_rate_voluntary": IndicatorLabel(
        "Personalrörlighet på egen begäran",
        "Tillsvidareanställda som slutat på egen begäran i förhållande till antalet "
        "tillsvidareanställda."),
    "consultants": IndicatorLabel(
        "Socionomkonsulter",
        "Antal inhyrda socionomkonsulter vid årets sista mättillfälle."),
    "consultant_cost_sek": IndicatorLabel(
        "Kostnad för socionomkonsulter",
        "Årets kostnad för inhyrda socionomkonsulter."),
    "job_ads": IndicatorLabel(
        "Publicerade platsannonser", "Antal publicerade platsannonser under året."),
    "wait_days_mean": IndicatorLabel(
        "Väntetid till bokat besök, medelvärde",
        "Dagar från begäran till bokat besök, medelvärde för begäranden under året."),
    "wait_days_median": IndicatorLabel(
        "Väntetid till bokat besök, median",
        "Dagar från begäran till bokat besök, median för begäranden under året."),
    "cases_per_worker": IndicatorLabel(
        "Ärenden per handläggare",
        "Summan av öppna ärenden delad med summan av handläggarårsarbetare över årets "
        "månader."),
    "survey_response_rate": IndicatorLabel(
        "Svarsfrekvens i medarbetarenkäten",
        "Antal svarande i förhållande till antal inbjudna."),
    "incidents": IndicatorLabel(
        "Rapporterade hot och våld",
        "Antal rapporterade händelser av hot, våld och otillåten påverkan."),
    "incidents_per_100": IndicatorLabel(
        "Hot och våld per 100 anställda",
        "Rapporterade händelser per 100 anställda (alla anställningsformer)."),
    "reinforcement_staff_weeks": IndicatorLabel(
        "Förstärkningsteam, personveckor",
        "Förstärkningsteamens insatser i personveckor under året."),
    "staff_per_manager": IndicatorLabel(
        "Medarbetare per chef",
        "Antal anställda socialsekreterare och biståndshandläggare per enhetschef."),
    "admin_fte_per_10": IndicatorLabel(
        "Administrativt stöd per 10 medarbetare",
        "Administrativa årsarbetare per tio anställda socialsekreterare och "
        "biståndshandläggare."),
}

SURVEY_INDICES: dict[str, str] = {
    "ami": "Aktivt medskapandeindex (AMI)",
    "arbetsbelastning": "Arbetsbelastning",
    "ledarskap": "Ledarskap",
}

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
        return IndicatorLabel(f"Medarbetarenkät: {name}",
                              "Svarsviktat medelvärde av indexvärdet (0–100).")
    if record.family == catalog.EXIT_REASON:
        name = EXIT_REASONS.get(record.code, record.code.replace("_", " ").capitalize())
        return IndicatorLabel(f"Skäl att sluta: {name}",
                              "Andel av årets avslutningssamtal som anger skälet.")
    return INDICATORS[record.id]


OCCUPATIONS: dict[str, str] = {
    "socialsekreterare": "Socialsekreterare",
    "bistandshandlaggare": "Biståndshandläggare",
    "alla": "Båda yrkesgrupperna",
}

UNIT_KINDS: dict[str, str] = {
    "stadsdelsforvaltning": "Stadsdelsförvaltning",
    "fackforvaltning": "Fackförvaltning",
}
UNIT_KIND_CHAPTERS: dict[str, str] = {
    "stadsdelsforvaltning": "Stadsdelsförvaltningarna",
    "fackforvaltning": "Fackförvaltningarna",
}

FOCUS_STATUSES: dict[str, str] = {
    "ej_paborjat": "Ej påbörjat",
    "paborjat": "Påbörjat",
    "genomfort": "Genomfört",
}

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
COL_CHECK = "Kontroll"
RESULTS_NO_WARNINGS = "Kontrollerna gav inga varningar om stora förändringar."
RESULTS_WARNINGS_INTRO = (
    "Varningar om stora förändringar från ett år till nästa. De stoppar inte "
    "publiceringen men bör granskas innan rapporten används:")

# Footnotes.
# The exact footnote of indicators.md (with min_n from the report configuration); the
# templates put the `..` mark in front of it.
SUPPRESSION_NOTE = ("Värden som bygger på färre än {min_n} personer redovisas inte, inte "
                    "heller värden som annars skulle gå att räkna fram.")
MISSING_NOTE = "Uppgift saknas betyder att underlaget inte innehåller uppgiften för året."
SYNTHETIC_NOTE = (
    "Rapporten bygger på syntetiska data (påhittade uppgifter för demonstration). "
    "Siffrorna beskriver inte verkliga förhållanden i Stockholms stad."
)
NO_FOCUS_STATUS = "Inga uppgifter om fokusområden för {year}."
FOCUS_NOT_REPORTED = "–"  # a unit without a status for an area in the matrix
FOCUS_STALLED_SENTENCE = (
    "År {year} var arbetet inte påbörjat i {stalled} av {total} kombinationer av "
    "förvaltning och fokusområde. Flest ej påbörjade fokusområden hade {units}.")
FOCUS_STALLED_NONE = "År {year} hade alla förvaltningar påbörjat arbetet i alla fokusområden."
FOCUS_MATRIX_EMPTY = "Uppgift saknas: underlaget innehåller ingen status för fokusområden {year}."
# A figure the results checks warned about, under the chart or table that shows it.
PLAUSIBILITY_NOTE = (
    "{unit}, {measure_lower} ({occupation_lower}): {before} år {previous_year} och {now} år "
    "{year}. Rimlighetskontrollen av resultaten varnade för förändringen (regeln: "
    "”{check}”). Läs jämförelsen med försiktighet; se bilagan Datakvalitet.")
PLAUSIBILITY_NOTE_YEAR = (
    "{unit}, {measure_lower} ({occupation_lower}) år {year}: {now}. Rimlighetskontrollen "
    "av resultaten varnade för värdet (regeln: ”{check}”). Läs det med försiktighet; se "
    "bilagan Datakvalitet.")
PLAUSIBILITY_HEADING = "Observera"
FOCUS_STALLED_COMMENTS = (
    "Varje fokusområde där arbetet inte har påbörjats, med uppföljningens kommentar.")
FOCUS_STALLED_COMMENTS_NONE = "Inget fokusområde var ej påbörjat år {year}."

# Charts.
AXIS_YEAR = "År"
AXIS_TURNOVER = "Personalrörlighet"
AXIS_OCCUPATION = "Yrkesgrupp"
LEGEND_CITY = "Hela staden"
TURNOVER_TITLE_DOWN = "Personalrörligheten i {place} har minskat sedan {first_year}"
TURNOVER_TITLE_UP = "Personalrörligheten i {place} har ökat sedan {first_year}"
TURNOVER_TITLE_FLAT = "Personalrörligheten i {place} är ungefär som {first_year}"
TURNOVER_TITLE_NONE = "Personalrörligheten i {place} kan inte redovisas"
TURNOVER_SUBTITLE = "Andel tillsvidareanställda som slutat under året, {first_year}–{last_year}"
TURNOVER_DESCRIPTION = (
    "Linjediagram över personalrörligheten i {place} per år {first_year}–{last_year} "
    "för {groups}. {summary}"
)
TURNOVER_DESCRIPTION_SUMMARY = (
    "För båda yrkesgrupperna var den {first} år {first_year} och {last} år {last_year}."
)
COMPARISON_TITLE = "{indicator} {year}: {highest} högst, {lowest} lägst"
COMPARISON_SUBTITLE = "Förvaltningarna sorterade efter värde; linjen visar hela staden ({city})"
COMPARISON_DESCRIPTION = (
    "Stapeldiagram över {indicator_lower} {year} per förvaltning, sorterat från högst "
    "({highest}, {highest_value}) till lägst ({lowest}, {lowest_value}). Hela staden: {city}."
)
COMPARISON_SENTENCE = (
    "Högst var den i {highest} ({highest_value}) och lägst i {lowest} ({lowest_value})."
)
COMPARISON_SENTENCE_NONE = (
    "Förvaltningarna kan inte jämföras för {year}: värdena bygger på för få personer "
    "eller saknas."
)
DOWNLOAD_CSV = "Ladda ner data (CSV)"
CHART_SCRIPT_MISSING = (
    "Diagrammet kan inte visas eftersom sidans JavaScript inte har laddats. "
    "Uppgifterna finns i tabellen och i CSV-filen."
)

# Site.
EDITION = "Utgåva {year}"
ALL_EDITIONS = "Alla utgåvor"
SITE_INDEX_TITLE = "Uppföljning av handlingsplanen – alla utgåvor"
SITE_INDEX_INTRO = "Välj utgåva. Den senaste står först."
SEARCH_BAR_TEXT = "Sök i rapporten …"
FIGURE_NUMBER = "Figur %s"
TABLE_NUMBER = "Tabell %s"
TOC_CITY = "Hela staden"
TOC_UNITS = "Förvaltningarna"
TOC_APPENDICES = "Bilagor"
TOC_REPORT = "Rapporten"


# --- City chapters per area (Hela staden) ---------------------------------------------


@dataclass(frozen=True)
class AreaLabel:
    title: str  # chapter title
    intro: str  # what the chapter answers


AREAS: dict[str, AreaLabel] = {
    "konsulter": AreaLabel(
        "Konsulter och kostnader",
        "Hur många socionomkonsulter staden hyr in och vad de kostar, jämfört med det "
        "första mättillfället."),
    "rekrytering": AreaLabel(
        "Rekrytering",
        "Hur många platsannonser för socialsekreterare och biståndshandläggare som "
        "publicerades i år och i fjol."),
    "arbetsbelastning": AreaLabel(
        "Arbetsbelastning",
        "Hur många öppna ärenden varje handläggare har i genomsnitt."),
    "vantetider": AreaLabel(
        "Väntetider",
        "Hur länge den som begär ett bokat besök får vänta i varje stadsdelsförvaltning, "
        "och hur långt det är mellan den kortaste och den längsta väntetiden."),
    "medarbetarenkat": AreaLabel(
        "Medarbetarenkät",
        "Vad socialsekreterare och biståndshandläggare svarar i stadens medarbetarenkät."),
    "hot-och-vald": AreaLabel(
        "Hot och våld",
        "Hur många händelser av hot och våld som rapporterades, i antal och per 100 "
        "anställda."),
    "forstarkningsteam": AreaLabel(
        "Förstärkningsteam",
        "Hur mycket stadens förstärkningsteam användes och var."),
    "chefer": AreaLabel(
        "Chefer och administrativt stöd",
        "Hur många medarbetare varje enhetschef har och hur mycket administrativt stöd "
        "som finns."),
    "avslutningssamtal": AreaLabel(
        "Avslutningssamtal",
        "Vilka skäl de som slutar anger i avslutningssamtalen."),
}
AREA_MAIN_SUBJECT = "{subject} i hela staden"
AREA_NO_DATA = ("Uppgift saknas: underlaget för utgåvan innehåller inte {indicator_lower}, "
                "så kapitlet kan inte visa några värden.")
WAIT_SPREAD_SENTENCE = (
    "Bland stadsdelsförvaltningarna var den genomsnittliga väntetiden kortast i {shortest} "
    "({shortest_value}) och längst i {longest} ({longest_value}) år {year}, en skillnad "
    "på {difference}.")
WAIT_SPREAD_NONE = "Väntetiderna per stadsdelsförvaltning kan inte jämföras för {year}."
COL_FIRST_YEAR = "{year}"
TREND_TITLE_DOWN = "{indicator} i {place} har minskat sedan {first_year}"
TREND_TITLE_UP = "{indicator} i {place} har ökat sedan {first_year}"
TREND_TITLE_FLAT = "{indicator} i {place} är ungefär som {first_year}"
TREND_TITLE_NONE = "{indicator} i {place} kan inte redovisas"
TREND_SUBTITLE = "Per år, {first_year}–{last_year}"
TREND_DESCRIPTION = ("Linjediagram över {indicator_lower} i {place} per år {first_year}–"
                     "{last_year} för {groups}. {summary}")
TREND_SUMMARY = "Värdet gick från {first} år {first_year} till {last} år {last_year}."
COL_FIRST_MEASURE = "Första mätningen"


# --- Display tables, empty charts, unit pages and cards ---------------------------------

NO_DATA = "Uppgift saknas."
CHART_NO_DATA = "Uppgift saknas: det finns inga redovisningsbara värden att visa i diagrammet."
TABLE_NO_DATA = "Uppgift saknas."
COL_OUTCOME = "Resultat"  # the appendix tables' outcome column (godkänd, underkänd, varning)
# The outcome of a rule or check in the Datakvalitet appendix; print shows only the rows
# whose outcome is not OUTCOME_PASSED.
OUTCOME_PASSED, OUTCOME_FAILED, OUTCOME_WARNED = "godkänd", "underkänd", "varning"
PRINT_PASSED_NOTE = ("I utskriften visas bara de regler som inte var godkända: {passed} av "
                     "{total} regler var godkända. Alla regler finns i webbversionen.")
PDF_LINK = "Hela rapporten som PDF (A4, för utskrift)"
TABLE_REGION = "Tabell"  # accessible name of a scrolling table without a caption
# Appended to an axis title: "Väntetid (dagar)".
AXIS_UNITS = {catalog.SEK: "mnkr", catalog.DAYS: "dagar"}
COMPARISON_SUBTITLE_TOTAL = "Förvaltningarna sorterade efter värde; hela staden totalt: {city}"
CITY_TOTAL_SENTENCE = "Hela staden totalt: {city}."

# Two years side by side (dot plot: last year as a ring, this year as a filled square).
TWO_YEARS_TITLE_UP = "{measure}: högre {year} än {previous_year} för {up} av {n} {noun}"
TWO_YEARS_TITLE_DOWN = "{measure}: lägre {year} än {previous_year} för {down} av {n} {noun}"
TWO_YEARS_TITLE_MIXED = ("{measure}: högre {year} än {previous_year} för {up} och lägre för "
                         "{down} av {n} {noun}")
TWO_YEARS_TITLE_SAME = "{measure}: oförändrat {year} jämfört med {previous_year}"
TWO_YEARS_TITLE_ONE = "{measure} {year}: högst för {highest}, lägst för {lowest}"
TWO_YEARS_SUBTITLE = "Ring: {previous_year}, fylld fyrkant: {year}; sorterat efter {year}"
TWO_YEARS_DESCRIPTION = (
    "Punktdiagram som jämför {measure_lower} {previous_year} och {year} för {n} {noun}. "
    "Högst {year}: {highest} ({highest_value}); lägst: {lowest} ({lowest_value}).")
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
COL_RANK = "Plats bland stadsdelarna"
RANK_TEXT = "plats {place} av {of}"
RANK_TEXT_SHARED = "delad plats {place} av {of}"
RANK_HIDDEN_OTHERS = " ({hidden} redovisas inte)"
RANK_NOT_RANKED = "–"  # a fackförvaltning is not ranked among the districts
RANK_NOTE = (
    "Plats anger var förvaltningen hamnar bland de stadsdelsförvaltningar som har ett "
    "redovisat värde, där plats 1 är det högsta värdet (inte nödvändigtvis det bästa). "
    "Förvaltningar med samma värde som det visas delar plats; en förvaltning vars värde "
    "inte redovisas (..) rangordnas inte.")
RANK_NOTE_NOT_RANKED = ("Fackförvaltningar rangordnas inte bland stadsdelsförvaltningarna "
                        "(–).")
UNIT_TREND_SUBTITLE = "Per år {first_year}–{last_year}; streckad linje: hela staden"
UNIT_TREND_SUBTITLE_TOTAL = "Per år {first_year}–{last_year}; hela staden totalt {year}: {city}"
UNIT_TREND_DESCRIPTION = (
    "Linjediagram över {indicator_lower} i {place} per år {first_year}–{last_year}, "
    "med hela staden som jämförelse. {summary} Hela staden {year}: {city}.")
UNIT_TREND_DESCRIPTION_TOTAL = (
    "Linjediagram över {indicator_lower} i {place} per år {first_year}–{last_year}. "
    "{summary} Hela staden totalt {year}: {city}.")
UNIT_TREND_HIDDEN = "Redovisas inte (..) för {place}: {years}."
UNIT_AREA_NO_DATA = ("Uppgift saknas: förvaltningen har inga redovisningsbara värden för "
                     "området.")
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
    "staff_per_manager": "Anställda per chef",
    "survey_response_rate": "Andel svar",
    "survey_ami": "AMI",
    "exit_reason_share_arbetsbelastning": "Slutar p.g.a. belastning",
}
OVERVIEW_COLUMNS_NOTE = ("Kolumnerna, alla för båda yrkesgrupperna år {year}: {columns}. "
                         "Sämre än staden: antalet mått som är sämre än stadens, av de "
                         "mått som kan jämföras.")
OVERVIEW_HIGHER_WORSE = "högre är sämre"
OVERVIEW_HIGHER_BETTER = "högre är bättre"
OVERVIEW_COMPARE_TITLE = "Jämför två förvaltningar med hela staden"
OVERVIEW_COMPARE_SUBTITLE = "Välj förvaltningar i listorna under diagrammet; år {year}"
OVERVIEW_COMPARE_DESCRIPTION = (
    "Tabelldiagram med {n} mått år {year} för två valda förvaltningar och hela staden, "
    "färgat efter avståndet till staden. Förvalda är {first} och {second}; välj andra "
    "i listorna. Alla förvaltningars värden finns i tabellen ovan och i CSV-filen.")
OVERVIEW_PICK_FIRST = "Förvaltning 1 "
OVERVIEW_PICK_SECOND = "Förvaltning 2 "
OVERVIEW_AXIS_MEASURE = "Mått"
OVERVIEW_AXIS_MEASURE_CLASS = "Jämfört med staden"
OVERVIEW_HARDEST = (
    "Flest mått som är sämre än staden år {year} hade {units} ({worse} av {shown} "
    "redovisade mått).")
OVERVIEW_HARDEST_NONE = "Ingen förvaltning hade något mått som var sämre än staden år {year}."

# Spreadsheet (data/indikatorer.xlsx)
XLSX_COLUMNS = ("År", "Förvaltning", "Yrkesgrupp", "Mått", "Värde", "Anmärkning")
XLSX_FOCUS_COLUMNS = ("År", "Förvaltning", "Fokusområde", "Status", "Kommentar")
XLSX_UNIT_SUFFIX = {catalog.PERCENT: " (procent)", catalog.DAYS: " (dagar)",
                    catalog.SEK: " (kronor)"}
XLSX_SHEET_TURNOVER = "Personalrörlighet"
XLSX_SHEET_FOCUS = "Fokusområden"
XLSX_SHEET_OTHER = "Övriga mått"
XLSX_SHEET_ABOUT = "Om filen"
XLSX_ABOUT = (
    "Indikatorerna i uppföljningen av handlingsplanen, utgåva {edition}: samma värden "
    "som i indikatorer.csv, med svenska rubriker. Andelar anges i procent.",
    "Anmärkning: .. = {suppression} Uppgift saknas = underlaget innehåller inte "
    "uppgiften för året.",
)

# Konsulter: the first measuring point.
CONSULTANTS_FIRST_SENTENCE = (
    "Vid det första mättillfället {first_year} hyrde staden {first} socionomkonsulter; vid "
    "det senaste mättillfället {year} var de {now} ({change}). Kostnaden för konsulterna "
    "var {cost} år {year}, jämfört med {cost_first} år {first_year}.")
# Väntetider: the spread in words, for the page and the researcher's chapters.
WAIT_TABLE_MEAN = "Medelvärde {year}"
WAIT_TABLE_MEDIAN = "Median {year}"
# Fokusområden
FOCUS_STALLED_BY_YEAR = "Ej påbörjade kombinationer av förvaltning och fokusområde per år"
COL_STALLED = "Ej påbörjat"
COL_PAIRS = "Bedömda kombinationer"


# --- Words that agree with the numbers (uppfoljning.wording) ----------------------------

# A trend title's predicate: the direction since the first published year, and where the
# last years went the other way, that too (keys: the whole direction, the recent one).
TREND_PHRASES = {"up": "har ökat sedan {first_year}", "down": "har minskat sedan {first_year}",
                 "flat": "är ungefär som {first_year}"}
TREND_RECENT = {("down", "up"): " men ökat sedan {recent_year}",
                ("up", "down"): " men minskat sedan {recent_year}",
                ("flat", "up"): " men har ökat sedan {recent_year}",
                ("flat", "down"): " men har minskat sedan {recent_year}"}
# ... when the edition's own value is hidden: the years are named
TREND_PHRASES_PAST = {"up": "ökade {first_year}–{last_year}",
                      "down": "minskade {first_year}–{last_year}",
                      "flat": "låg {last_year} på ungefär samma nivå som {first_year}"}
TREND_RECENT_PAST = {("down", "up"): " men ökade {recent_year}–{last_year}",
                     ("up", "down"): " men minskade {recent_year}–{last_year}",
                     ("flat", "up"): " men ökade {recent_year}–{last_year}",
                     ("flat", "down"): " men minskade {recent_year}–{last_year}"}
TREND_SUMMARY_RECENT = "År {recent_year} var värdet {recent}."
TREND_SUMMARY_LAST_HIDDEN = "Värdet för {year} redovisas inte."
TREND_TITLE = "{subject} i {place} {phrase}"

# A change between last year and this year, whatever is hidden or missing.
CHANGE_SENTENCE = ("{subject} var {value} år {year}, jämfört med {previous} år "
                   "{previous_year} ({change}).")
CHANGE_SENTENCE_NO_PREVIOUS = ("{subject} var {value} år {year}; värdet för {previous_year} "
                               "{reason}.")
CHANGE_SENTENCE_NO_CURRENT = ("{subject} var {previous} år {previous_year}; värdet för {year} "
                              "{reason}.")
CHANGE_SENTENCE_NONE = "{subject}: värdena för {previous_year} och {year} kan inte redovisas."
REASON_HIDDEN = "redovisas inte (..)"
REASON_MISSING = "saknas i underlaget"

# The subject of a sentence about an indicator, where its table name ("Förstärkningsteam,
# personveckor") does not read as one.
SENTENCE_SUBJECTS = {
    "reinforcement_staff_weeks": "Förstärkningsteamens insatser i personveckor",
    "wait_days_mean": "Den genomsnittliga väntetiden till bokat besök",
    "wait_days_median": "Medianväntetiden till bokat besök",
}


def sentence_subject(indicator: str) -> str:
    """"Andelen avslutningssamtal som anger lön" rather than "Skäl att sluta: Lön"."""
    if indicator in SENTENCE_SUBJECTS:
        return SENTENCE_SUBJECTS[indicator]
    if catalog.is_exit_share(indicator):
        name = indicator_label(indicator).name.split(": ", 1)[-1]
        return f"Andelen avslutningssamtal som anger {name.lower()}"
    if catalog.is_survey_index(indicator):
        name = indicator_label(indicator).name.split(": ", 1)[-1]
        return f"{name} i medarbetarenkäten"
    return indicator_label(indicator).name


# Highest and lowest (every unit sharing the value is named).
COMPARISON_TITLE_ALL_EQUAL = "{indicator} {year}: {value} i alla {n} {noun}"
COMPARISON_SUBTITLE_DISTRICTS = ("Stadsdelsförvaltningarna sorterade efter värde; linjen visar "
                                 "hela staden ({city})")
COMPARISON_SUBTITLE_TOTAL_DISTRICTS = ("Stadsdelsförvaltningarna sorterade efter värde; hela "
                                       "staden totalt: {city}")
COMPARISON_HIDDEN = "Redovisas inte (..) eller saknas: {units}."

# Personalrörlighet in a sentence: whose ("stadens", "förvaltningens") and which group.
TURNOVER_SUBJECTS = {
    "alla": "Personalrörligheten bland {whose} socialsekreterare och biståndshandläggare",
    "socialsekreterare": "Personalrörligheten bland {whose} socialsekreterare",
    "bistandshandlaggare": "Personalrörligheten bland {whose} biståndshandläggare",
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
REVISIONS_INTRO = ("{count} publicerade värden för tidigare år skiljer sig från vad "
                   "utgåva {previous} redovisade för samma förvaltning, yrkesgrupp, mått "
                   "och år.")
REVISIONS_NONE = ("Inga publicerade värden för tidigare år har ändrats sedan utgåva "
                  "{previous}.")
REVISIONS_NONE_EARLIER = ("Det finns ingen tidigare utgåva i arkivet att jämföra med, så "
                          "inga värden har reviderats.")
REVISIONS_DOWNLOAD = "Ladda ner revideringarna (CSV)"
REVISIONS_COL_PREVIOUS = "Utgåva {previous}"
REVISIONS_COL_NOW = "Utgåva {edition}"
REVISIONS_COL_REASON = "Skäl"
REVISION_REASONS = {
    "restated": "omräknad förvaltning (sammanslagning)",
    "definition": "ändrad definition eller beräkning",
    "delivery": "rättad leverans",
}
