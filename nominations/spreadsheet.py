"""Candidates from a spreadsheet (XLSX or CSV), and the template to fill in.

Reading never writes: `read_rows` turns a file into rows or a list of every bad row with its
reason, in the user's language. Headings may be in Arabic or English.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from partners.models import Nation
from people.models import Person

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# (field, English heading, Arabic heading)
COLUMNS = [
    ("name_ar", "Name in Arabic", "الاسم بالعربية"),
    ("name_en", "Name in Latin script", "الاسم بالحروف اللاتينية"),
    ("rank", "Rank or title", "الرتبة أو اللقب"),
    ("position", "Position", "المنصب"),
    ("organization", "Organisation", "الجهة"),
    ("email", "E-mail", "البريد الإلكتروني"),
    ("phone", "Phone", "الهاتف"),
    ("language", "Language (ar/en)", "اللغة (ar/en)"),
    ("nation", "Nation (ISO code)", "الدولة (رمز ISO)"),
]
LABELS = {
    "name_ar": gettext_lazy("name in Arabic"),
    "name_en": gettext_lazy("name in Latin script"),
    "rank": gettext_lazy("rank or title"),
    "position": gettext_lazy("position"),
    "organization": gettext_lazy("organisation"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "language": gettext_lazy("language"),
    "nation": gettext_lazy("nation"),
}
LANGUAGE_WORDS = {
    "ar": "ar",
    "en": "en",
    "arabic": "ar",
    "english": "en",
    "عربي": "ar",
    "العربية": "ar",
    "انجليزي": "en",
    "الإنجليزية": "en",
    "إنجليزي": "en",
    "": "ar",
}


@dataclass
class Sheet:
    rows: list = field(default_factory=list)  # [{"row": n, field: value, ...}]
    errors: list = field(default_factory=list)  # [(row number or None, message)]


def _heading_map():
    names = {}
    for name, english, arabic in COLUMNS:
        for heading in (name, english, arabic):
            names[" ".join(heading.lower().split())] = name
    return names


def template(language, with_nation):
    """An XLSX workbook with the headings in `language`, ready to fill in."""
    columns = [c for c in COLUMNS if with_nation or c[0] != "nation"]
    book = Workbook()
    sheet = book.active
    sheet.title = "المرشحون" if language == "ar" else "Candidates"
    sheet.sheet_view.rightToLeft = language == "ar"
    sheet.append([arabic if language == "ar" else english for _name, english, arabic in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B4F6C")
    for index, (name, *_rest) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = 28 if name.startswith("name") else 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(language, with_nation):
    columns = [c for c in COLUMNS if with_nation or c[0] != "nation"]
    out = io.StringIO()
    csv.writer(out).writerow([arabic if language == "ar" else english for _name, english, arabic in columns])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read the Arabic headings as UTF-8


def _raw_rows(upload):
    name = (upload.name or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("This is not a readable XLSX file.")) from error
        return [["" if v is None else str(v).strip() for v in row] for row in book.active.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1256"):  # Excel in Arabic saves CSV as Windows-1256
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The CSV file's text encoding is not UTF-8 or Windows-1256."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise ValidationError(_("Upload an XLSX or CSV file."))


def read_rows(upload, *, nation=None):
    """The candidates in `upload`. `nation` is the focal point's nation (None for staff, who
    give each row's nation)."""
    sheet = Sheet()
    raw = [row for row in _raw_rows(upload) if any(row)]
    if not raw:
        sheet.errors.append((None, _("The file is empty.")))
        return sheet
    headings = _heading_map()
    columns = [headings.get(" ".join(str(h).lower().split())) for h in raw[0]]
    if "name_ar" not in columns and "name_en" not in columns:
        sheet.errors.append((1, _("The first row must hold the headings of the template (a name column at least).")))
        return sheet
    if len(raw) - 1 > MAX_ROWS:
        sheet.errors.append((None, _("At most %(n)d candidates per file.") % {"n": MAX_ROWS}))
        return sheet
    nations = {n.code: n for n in Nation.objects.all()}
    seen = {}
    for number, values in enumerate(raw[1:], start=2):
        data = {name: (values[i] if i < len(values) else "") for i, name in enumerate(columns) if name}
        problems = _check_row(data, nation, nations)
        key = (data.get("email", "").lower(), data.get("name_ar", ""), data.get("name_en", "").lower())
        if not problems and key in seen:
            problems.append(_("the same candidate as row %(row)d") % {"row": seen[key]})
        seen.setdefault(key, number)
        if problems:
            sheet.errors.extend((number, problem) for problem in problems)
        else:
            sheet.rows.append({"row": number, **data})
    return sheet


def _check_row(data, nation, nations):
    problems = []
    code = data.get("nation", "").strip().upper()
    if nation is not None:
        if code and code != nation.code:
            problems.append(_("nation: you may nominate only %(nation)s's people") % {"nation": nation.name})
        data["nation"] = nation.code
    elif code not in nations:
        problems.append(
            _("nation: “%(code)s” is not an ISO code of a nation") % {"code": code}
            if code
            else _("nation: this column is required")
        )
    else:
        data["nation"] = code
    language = LANGUAGE_WORDS.get(data.get("language", "").strip().lower())
    if language is None:
        problems.append(_("language: write ar or en"))
    data["language"] = language or "ar"
    if not data.get("name_ar") and not data.get("name_en"):
        problems.append(_("name: give the name in Arabic, in Latin script, or both"))
    data["email"] = data.get("email", "").lower()
    probe = Person(**{k: v for k, v in data.items() if k not in ("nation", "row")}, nation_id=0)
    try:
        probe.full_clean(
            exclude=["nation", "search_document", "user", "merged_into"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in LABELS:
                problems.extend(f"{LABELS[name]}: {message}" for message in messages)
    return problems
