#!/usr/bin/env python3
"""Writes the corpus of awkward partner files in this folder (tests/files/).

The files are committed; run this script again only to regenerate them after changing it:

    python3 tests/files/make_corpus.py

Standard library only. Every file is small, and each is described in README.md. XLSX
files are built by the Rust tests themselves (rust_xlsxwriter), so none is stored here.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def orcid(base15: str) -> str:
    """An ORCID iD with the ISO 7064 11,2 check digit of its first 15 digits."""
    total = 0
    for c in base15:
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    digits = base15 + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def text(name: str, body: str, encoding: str = "utf-8", bom: bytes = b"", crlf: bool = True):
    if crlf:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    write(name, bom + body.encode(encoding))


ORCID_A = orcid("000000021825009")  # 0000-0002-1825-0097, the ORCID documentation example
ORCID_B = orcid("000000033333333")

# ---------------------------------------------------------------- encodings and delimiters

text(
    "utf8_bom_comma.csv",
    "Given name,Family name,Email,Notes\n"
    "Dana,Cohen,dana.cohen@example.org,Comma file with a BOM\n"
    "נועה,לוי,noa.levi@example.org.il,שם בעברית\n"
    "José,Núñez,jose.nunez@example.edu,\"Accents, and a comma\"\n",
    bom=b"\xef\xbb\xbf",
)

text(
    "utf8_semicolon.csv",
    "First name;Last name;E-mail;Date of birth;Notes\n"
    "Jürgen;Müller;juergen.mueller@example.de;24.12.1990;Komma, nicht Trenner\n"
    "Ana;García;ana.garcia@example.es;03.04.1991;\n",
    crlf=True,
)

text(
    "utf16le_tabs.txt",
    "First Name\tLast Name\tEmail Address\tPhone\n"
    "Itai\tBen-David\titai.bd@example.ac.il\t+972 4 829 1111\n"
    "איתי\tבן-דוד\t\t\n"
    "Rachel\tFriedman\trachel.f@example.com\t(617) 253-1000\n",
    encoding="utf-16-le",
    bom=b"\xff\xfe",
)

HEBREW_ROWS = (
    "מיכל,לוי,michal.levi@example.ac.il\n"
    "יוסי,שפירא,yossi.shapira@example.ac.il\n"
)
text(
    "cp1255_hebrew_ascii_quote.csv",
    'שם פרטי,שם משפחה,"דוא""ל"\n' + HEBREW_ROWS,
    encoding="cp1255",
)
text(
    "cp1255_hebrew_gershayim.csv",
    "שם פרטי,שם משפחה,דוא\u05f4ל\n" + HEBREW_ROWS,
    encoding="cp1255",
)

# A legacy Hebrew file with a byte Windows-1255 leaves undefined (0xFF): refused, never
# stored as a replacement mark in a name.
write(
    "cp1255_undefined_byte.csv",
    "שם פרטי,שם משפחה\r\nדנה,כהן".encode("cp1255") + b"\xff\r\n" + "נועה,לוי\r\n".encode("cp1255"),
)

# A UTF-8 sheet with one note pasted from an old Hebrew Excel file (Windows-1255 bytes):
# refused naming that line, never decoded whole as Windows-1255 (every UTF-8 Hebrew
# letter would become two wrong ones in the Latin name fields).
write(
    "utf8_with_cp1255_cell.csv",
    "given_name,family_name,email,notes\r\nשרה,דוד,sara.david@example.ac.il,\r\n".encode()
    + b"Ron,Sagi,ron.sagi@example.ac.il,"
    + "הערה".encode("cp1255")
    + b"\r\n",
)

# Western European Excel on Windows saves "CSV" in Windows-1252, which is not one of the
# encodings the import reads: its é/ú/ñ bytes are Hebrew letters in Windows-1255.
text(
    "cp1252_western.csv",
    "given_name,family_name,email\n"
    "José,Núñez,jose.nunez@example.es\n",
    encoding="cp1252",
)

# ---------------------------------------------------------------- layout

text(
    "quoted_newlines.csv",
    "given_name,family_name,email,notes\n"
    'Dana,Cohen,dana.q@example.org,"First line\nsecond line, with a comma\nthird ""quoted"" line"\n'
    "Noa,Katz,noa.katz@example.org,one line\n",
)

text(
    "mixed_case_headers.csv",
    "GIVEN NAME,Family-Name,E-mail Address,ORCID iD,Date of birth\n"
    f"Dana,Cohen,Dana.Cohen@Example.org,{ORCID_A},1990-04-03\n"
    f"Michal,Levi,michal@example.org,https://orcid.org/{ORCID_B},1985-11-30\n",
)

text(
    "unknown_columns.csv",
    "given_name,Favourite colour,family_name,Shoe size,email\n"
    "Dana,blue,Cohen,38,dana.u@example.org\n"
    "Noa,green,Katz,40,noa.u@example.org\n",
)

text(
    "blank_rows_and_columns.csv",
    ",,,,\n"
    "given_name,,family_name,email,\n"
    ",,,,\n"
    "Dana,,Cohen,dana.b@example.org,\n"
    "\n"
    ",,,,\n"
    "Noa,,Katz,noa.b@example.org,\n"
    " , ,  , ,\n"
    "\n",
)

# ---------------------------------------------------------------- dates

text(
    "dates_ambiguous.csv",
    "given_name,family_name,birth_date\n"
    "Dana,Cohen,03/04/1990\n"
    "Noa,Katz,05/06/1991\n"
    "Tamar,Peretz,07/07/1992\n",
)

text(
    "dates_day_first.csv",
    "given_name,family_name,birth_date\n"
    "Dana,Cohen,03/04/1990\n"
    "Noa,Katz,25/12/1990\n",
)

text(
    "dates_us.csv",
    "given_name,family_name,birth_date\n"
    "Avery,Aldridge,03/04/1990\n"
    "Blake,Brockmann,12/25/1990\n"
    "Casey,Castellano,7-4-1976\n",
)

text(
    "dates_iso.csv",
    "given_name,family_name,birth_date\n"
    "Dana,Cohen,1990-04-03\n"
    "Noa,Katz,1991-12-25\n",
)

# ---------------------------------------------------------------- formulas

# Placements into the cohort "Fall 2027" whose names look like spreadsheet formulas.
text(
    "formula_names.csv",
    "Cohort,Given name,Family name,Email,Institution,Status\n"
    "Fall 2027,Dana,=SUM(A1),formula1@example.org,MIT,nominated\n"
    "Fall 2027,+972541234567,Levi,formula2@example.org,MIT,nominated\n"
    "Fall 2027,Noa,-dash,formula3@example.org,MIT,nominated\n"
    "Fall 2027,@handle,Katz,formula4@example.org,MIT,nominated\n",
)

# ---------------------------------------------------------------- broken files

text(
    "broken_quoting.csv",
    "given_name,family_name,email\n"
    "Dana,Cohen,dana.bq@example.org\n"
    '"Noa,Katz,noa.bq@example.org\n'
    "Tamar,Peretz,tamar.bq@example.org\n",
)

text(
    "broken_quoting_in_notes.csv",
    "given_name,family_name,email,notes\n"
    "Dana,Cohen,dana.bqn@example.org,fine\n"
    'Noa,Katz,noa.bqn@example.org,"arrives in May\n'
    "Tamar,Peretz,tamar.bqn@example.org,fine\n"
    "Gal,Golan,gal.bqn@example.org,fine\n",
)

write("empty.csv", b"")

text("header_only.csv", "given_name,family_name,email\n")

rows = [
    ("Avi", "Amar"),
    ("Bella", "Biton"),
    ("Chen", "Carmi"),
    ("Dor", "Dahan"),
    ("Eden", "Elbaz"),
    ("Gal", "Golan"),
    ("Hila", "Harel"),
    ("Ido", "Israeli"),
    ("Lior", "Levy"),
    ("Maya", "Mizrahi"),
]
body = "First name,Last name,E-mail Address\n"
for i, (g, f) in enumerate(rows, start=1):
    email = "hila.harel(at)example.org" if i == 7 else f"{g.lower()}.{f.lower()}@example.org"
    body += f"{g},{f},{email}\n"
text("invalid_email_row7.csv", body)

# One problem on each of rows 2 to 7 (row 1 is fine): the error list of a snapshot test.
text(
    "many_problems.csv",
    "Given name,Family name,Email,ORCID iD,Date of birth,Institution\n"
    f"Dana,Cohen,dana.mp@example.org,{ORCID_A},03/04/1990,MIT\n"
    "Noa,Katz,noa.katz(at)example.org,,25/12/1991,MIT\n"
    "Tamar,Peretz,tamar.mp@example.org,0000-0002-1825-0098,,MIT\n"
    "Gal,Golan,gal.mp@example.org,,31/02/1990,MIT\n"
    "Hila,Harel,hila.mp@example.org,,,Hogwarts\n"
    "Prince,,prince.mp@example.org,,,MIT\n"
    "Dana,Cohen,DANA.MP@example.org,,,MIT\n",
)

# A row with two bad values: both must be listed.
text(
    "two_problems_one_row.csv",
    "given_name,family_name,email,birth_date\n"
    "Noa,Katz,noa.katz(at)example.org,1991-02-30\n",
)

# ---------------------------------------------------------------- duplicates

text(
    "existing_email.csv",
    "given_name,family_name,email,phone\n"
    "Dana,Cohen,DANA.COHEN@EXAMPLE.ORG,+972 50 555 0101\n",
)

text(
    "same_email_twice.csv",
    "given_name,family_name,email\n"
    "Dana,Cohen,dana.twice@example.org\n"
    "Noa,Katz,noa.twice@example.org\n"
    "Dana,Cohen-Levi,Dana.Twice@example.org\n",
)

text(
    "full_names.csv",
    "Name,Email\n"
    '"Cohen, Dana",dana.full@example.org\n'
    "Mary Ann Smith,mary.smith@example.org\n"
    '"לוי, נועה",noa.full@example.org\n',
)

text(
    "cross_script.csv",
    "שם פרטי,שם משפחה,Email\n"
    "דנה,כהן,\n",
)

# ---------------------------------------------------------------- other entities

text(
    "institutions.csv",
    "Name,Hebrew name,Country,Sector,City,Website,ROR\n"
    "Technion,הטכניון,IL,academia,Haifa,https://www.technion.ac.il,03qryx823\n"
    "Weizmann Institute of Science,מכון ויצמן למדע,il,academia,Rehovot,https://www.weizmann.ac.il,\n"
    "Sandia National Laboratories,,US,government,Albuquerque,,\n",
)

text(
    "placements.csv",
    "Cohort,Email,First name,Last name,Institution,Host institution,Role,Status,Start date,End date\n"
    "Fall 2027,dana.cohen@example.org,,,,,participant,accepted,,\n"
    "Fall 2027,new.person@example.org,Tamar,Peretz,Technion,MIT,mentor,Nominated,2027-09-15,2027-12-20\n",
)

text(
    "placements_hebrew_labels.csv",
    "מחזור,שם פרטי,שם משפחה,דוא״ל,מוסד,מוסד מארח,תפקיד,סטטוס,סינון ביטחוני\n"
    "Fall 2027,דנה,כהן,dana.he@example.org,הטכניון,MIT,משתתפת,התקבל/ה,אושר\n"
    "Fall 2027,יוסי,לוי,yossi.he@example.org,Technion,MIT,מנטור/ית,מועמד,ממתינה\n"
    "Fall 2027,מיכל,שפירא,michal.he@example.org,Technion,MIT,חונכת,בוטלה,לא נדרש\n"
    "Fall 2027,נועה,פרץ,noa.he@example.org,Technion,MIT,צוות,פעילה,אושרה\n",
)

text(
    "title_rows.csv",
    "Participants list – Technion – Fall 2027;;\n"
    "Exported 01.08.2027 by the exchange office;;\n"
    "\n"
    "First name;Last name;E-mail\n"
    "Dana;Cohen;dana.title@example.org\n"
    "Noa;Katz;noa.title@example.org\n",
)

text(
    "file_rows.csv",
    "given_name,family_name,email,notes\n"
    "\n"
    "Dana,Cohen,dana.rows@example.org,\"two\nlines\"\n"
    "Noa,Katz,noa.rows(at)example.org,\n"
    ",,,\n"
    "\n"
    "Tamar,Peretz,tamar.rows@example,\n",
)

text(
    "citizenships.csv",
    "given_name,family_name,email,citizenships\n"
    "Avi,One,c1@example.org,US;IL\n"
    "Bat,Two,c2@example.org,US IL\n"
    "Gil,Three,c3@example.org,us/il\n"
    "Dan,Four,c4@example.org,\"Israel, United States\"\n"
    "Hila,Five,c5@example.org,ישראל\n",
)

text(
    "institutions_by_country_name.csv",
    "Name,Country,Website\n"
    "Weizmann Institute of Science,Israel,www.weizmann.ac.il\n"
    "Argonne National Laboratory,USA,anl.gov\n"
    "University of Tokyo,Japan,https://www.u-tokyo.ac.jp\n",
)

text(
    "two_header_rows.csv",
    "First name,Last name,Email\n"
    "שם פרטי,שם משפחה,\"דוא\"\"ל\"\n"
    "Dana,Cohen,dana.two@example.org\n"
    "Noa,Katz,noa.two@example.org\n"
    "First name,Last name,Email\n"
    "Tamar,Peretz,tamar.two@example.org\n",
)

# ---------------------------------------------------------------- mapping

text(
    "mapping_german.csv",
    "Vorname,Nachname,E-Mail,Notes,Lieblingsfarbe\n"
    "Jürgen,Müller,juergen.m@example.de,intern only,blau\n",
)
write(
    "mapping_german.json",
    '{\n  "Vorname": "given_name",\n  "Nachname": "family_name",\n  "Notes": "ignore"\n}\n'.encode(),
)

# ---------------------------------------------------------------- wrong extensions

text(
    "csv_named.xlsx",
    "given_name,family_name,email\n"
    "Dana,Cohen,dana.ext@example.org\n",
)

if __name__ == "__main__":
    print(f"wrote the corpus in {HERE} (ORCIDs {ORCID_A}, {ORCID_B})")
