#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-fixtures.py — the reference workbook, as a budget system exports it.

Writes the nine tables of data/changji-sib-2021.yaml as one sheet each
(title row, 编制部门 / 单位 row, the header rows the layout's column tree
draws, with merged cells, the body rows with 类/款/项 codes in three text
columns, the 合计 row, a 备注 row) to a flat OpenDocument spreadsheet, then
has LibreOffice save it as .xlsx and .xls.  The committed fixtures
tests/import/fixtures/reference.{xlsx,xls} were made by this script:

    tests/import/make-fixtures.py        (needs python3-yaml and soffice)

Amounts are numeric cells (binary doubles, as a budget system writes
them); codes are text cells ("01" keeps its zero); names of level-1 items
are indented with two U+3000, as exports indent them."""
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def load(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return yaml.safe_load(f)


def layout_tables(layout):
    for section in layout["document"]:
        for block in section["section"].get("content", []):
            if "table" in block:
                yield block["table"]


def leaves(cols):
    out = []
    for c in cols:
        out.extend(leaves(c["columns"]) if "columns" in c else [c])
    return out


def depth(cols):
    return max(1 + (depth(c["columns"]) if "columns" in c else 0) for c in cols)


def header_cells(cols, row, col, rows, grid):
    """Each node spans its leaves; a leaf spans down to the last row."""
    for c in cols:
        if "columns" in c:
            n = len(leaves(c["columns"]))
            grid.append((row, col, c["title"], n, 1))
            header_cells(c["columns"], row + 1, col, rows, grid)
            col += n
        else:
            grid.append((row, col, c["title"], 1, rows - row))
            col += 1


def amount(v):
    if v is None:
        return None
    return ("float", str(v))


def code_part(row, field, levels):
    """code.类 → the digits of that level ("208", "01")."""
    code = str(row.get("code", ""))
    names = list(levels)
    i = names.index(field.split(".")[1])
    start = 0 if i == 0 else levels[names[i - 1]]
    part = code[start:levels[names[i]]]
    return ("string", part) if part else None


def cell_for(field, row, side_rows_kind, levels, projects):
    if field.startswith("code."):
        return code_part(row, field, levels)
    if field == "code":
        return ("string", str(row["code"]))
    if field == "code-name":
        return ("string", "%s %s" % (row["code"], row["name"]))
    if field == "name":
        indent = "\u3000\u3000" * row.get("level", 0)
        return ("string", indent + row["name"])
    if field == "project":
        p = row.get("project")
        return ("string", projects[p]) if p else None
    return amount(row.get(field))


def table_sheet(t, data, schema, layout):
    tid = t["data"]
    spec = next(s for s in schema["tables"] if s["id"] == tid)
    content = data["tables"][tid]
    projects = {p["id"]: p["name"] for p in data["projects"]}
    cols = t["columns"]
    lv = leaves(cols)
    ncols = len(lv)
    hrows = depth(cols)
    cells = []  # (row, col, (type, value), colspan, rowspan)
    cells.append((0, 0, ("string", spec["title"]), ncols, 1))
    half = max(1, ncols // 2)
    cells.append((1, 0, ("string", "编制部门（单位）：" + data["document"]["unit"]), half, 1))
    cells.append((1, ncols - 1, ("string", "单位：" + data["document"]["amount_unit"]), 1, 1))
    grid = []
    header_cells(cols, 2, 0, 2 + hrows, grid)
    for r, c, title, cs, rs in grid:
        cells.append((r, c, ("string", title.replace(" ", "")), cs, rs))
    body = 2 + hrows

    def side_of(field):
        return field.split(".", 1) if "sides" in spec else (None, field)

    sides = {}
    for s in spec.get("sides", [spec]):
        sides[s.get("id") if "sides" in spec else None] = s
    levels = schema["classifications"]

    def levels_for(sid):
        kind = sides[sid]["rows"]
        return levels.get(kind, {})

    if spec.get("rows") == "record":
        for ci, leaf in enumerate(lv):
            v = amount(content.get(leaf["field"]))
            if v:
                cells.append((body, ci, v, 1, 1))
        return tid, cells, ncols
    # Body rows: two-sided tables pair their sides' rows line by line.
    side_content = {sid: (content[sid] if sid else content) for sid in sides}
    nbody = max(len(sc.get("rows", [])) for sc in side_content.values())
    for i in range(nbody):
        for ci, leaf in enumerate(lv):
            sid, field = side_of(leaf["field"])
            rows = side_content[sid].get("rows", [])
            if i >= len(rows):
                continue
            v = cell_for(field, rows[i], sides[sid]["rows"], levels_for(sid), projects)
            if v:
                cells.append((body + i, ci, v, 1, 1))
    total = body + nbody
    labels = {tt["at"]: tt["label"].replace(" ", "") for tt in t.get("total", [])}
    for ci, leaf in enumerate(lv):
        sid, field = side_of(leaf["field"])
        if leaf["field"] in labels:
            cells.append((total, ci, ("string", labels[leaf["field"]]), 1, 1))
        elif field not in ("name", "code-name", "project", "code") and not field.startswith("code."):
            v = amount(side_content[sid].get("total", {}).get(field))
            if v:
                cells.append((total, ci, v, 1, 1))
    if content.get("note"):
        cells.append((total + 1, 0, ("string", content["note"]), ncols, 1))
    return tid, cells, ncols


def fods(sheets):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">',
           "<office:body><office:spreadsheet>"]
    for name, cells, ncols in sheets:
        nrows = max(r + rs for r, c, v, cs, rs in cells)
        grid = [[None] * ncols for _ in range(nrows)]
        for r, c, v, cs, rs in cells:
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    grid[rr][cc] = "covered"
            grid[r][c] = (v, cs, rs)
        out.append('<table:table table:name="%s">' % escape(name))
        for row in grid:
            out.append("<table:table-row>")
            for g in row:
                if g is None:
                    out.append("<table:table-cell/>")
                elif g == "covered":
                    out.append("<table:covered-table-cell/>")
                else:
                    (typ, val), cs, rs = g
                    span = ""
                    if cs > 1:
                        span += ' table:number-columns-spanned="%d"' % cs
                    if rs > 1:
                        span += ' table:number-rows-spanned="%d"' % rs
                    if typ == "float":
                        out.append('<table:table-cell office:value-type="float" office:value="%s"%s>'
                                   "<text:p>%s</text:p></table:table-cell>" % (val, span, val))
                    else:
                        out.append('<table:table-cell office:value-type="string"%s>'
                                   "<text:p>%s</text:p></table:table-cell>" % (span, escape(val)))
            out.append("</table:table-row>")
        out.append("</table:table>")
    out.append("</office:spreadsheet></office:body></office:document>")
    return "\n".join(out) + "\n"


def main():
    data = load("data/changji-sib-2021.yaml")
    schema = load("schemas/department-budget.yaml")
    layout = load("layouts/department-budget.yaml")
    sheets = [table_sheet(t, data, schema, layout) for t in layout_tables(layout)]
    outdir = os.path.join(HERE, "fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "reference.fods")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fods(sheets))
        for fmt in ("xlsx", "xls"):
            subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + tmp + "/profile",
                            "--convert-to", fmt, "--outdir", outdir, src], check=True)
    print("wrote", outdir + "/reference.xlsx and reference.xls")


if __name__ == "__main__":
    sys.exit(main())
