"""Extract the HTCDS v2.0 picklist value sets from the standard's ODS file into ctip/reference/data/htcds_values.json.

Run once when the standard changes:
    .venv/bin/python tools/build_htcds_values.py ../shared/data/htcds/htcds_field_standards_2.0.ods
The JSON is committed; the migration that loads it never reads the ODS (HTCDS by IOM, CC BY 4.0)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P

OUT = Path(__file__).resolve().parent.parent / "ctip" / "reference" / "data" / "htcds_values.json"


def _cells(row) -> list[list[str]]:
    out: list[list[str]] = []
    for cell in row.getElementsByType(TableCell):
        repeat = min(int(cell.getAttribute("numbercolumnsrepeated") or 1), 20)
        out.extend([[teletype.extractText(p).strip() for p in cell.getElementsByType(P)]] * repeat)
    return out


def extract(path: str) -> list[dict]:
    table = load(path).spreadsheet.getElementsByType(Table)[0]
    rows = table.getElementsByType(TableRow)
    header = [" ".join(c) for c in _cells(rows[0])]
    col = {name: header.index(name) for name in header if name}
    fields = []
    section = ""
    for row in rows[1:]:
        cells = _cells(row)
        if len(cells) <= col["Value Labels (if picklist)"]:
            continue
        if cells[col["Section"]] and cells[col["Section"]][0]:
            section = cells[col["Section"]][0]
        name = " ".join(cells[col["Field Name including Prefix"]])
        names = [v for v in cells[col["Value Names (if picklist)"]] if v]
        labels = [v for v in cells[col["Value Labels (if picklist)"]] if v]
        if not name or not names or names[0].startswith("Use ISO") or len(names) != len(labels):
            continue
        fields.append(
            {
                "field": name,
                "label": " ".join(cells[col["Field Label"]]),
                "section": section,
                "type": " ".join(cells[col["Field Type"]]),
                "values": [{"name": n.replace(" ", ""), "label": lab} for n, lab in zip(names, labels, strict=True)],
            }
        )
    return fields


if __name__ == "__main__":
    data = extract(sys.argv[1])
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(data)} fields, {sum(len(f['values']) for f in data)} values -> {OUT}")
