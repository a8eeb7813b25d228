"""Clean step: keep only rows with four finite numeric features and a class of 0 or 1.

Reads the ``raw`` artifact written by the ingest step. Drops every row with a missing value, a
non-numeric or non-finite value, or a class other than 0 (genuine) or 1 (forged), and prints how
many rows were dropped for each reason. Writes the valid rows to the ``data`` artifact and their
count to the ``rows`` output.
"""
import argparse
import csv
import math
import os
import sys

COLUMNS = ["variance", "skewness", "curtosis", "entropy", "class"]
EXAMPLES_PER_REASON = 3


def fail(message):
    print(f"clean: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def read_table(path, name):
    """Return the data rows of a CSV artifact that starts with the COLUMNS header."""
    if not os.path.isfile(path):
        fail(f"{name} file not found: {path}; connect this input to the ingest step's raw output")
    with open(path, encoding="utf-8", newline="") as table_file:
        rows = list(csv.reader(table_file))
    if not rows:
        fail(f"{name} file is empty: {path}")
    header = [field.strip().lower() for field in rows[0]]
    if header != COLUMNS:
        fail(f"{name} file {path} must start with the header {','.join(COLUMNS)}, found {','.join(rows[0])}")
    return rows[1:]


def parse_finite(text):
    """Return ``text`` as a finite float, or None when it is not a finite number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_row(row):
    """Return the reason to drop ``row``, or None when it is valid."""
    if len(row) != len(COLUMNS):
        return f"not {len(COLUMNS)} fields"
    fields = [field.strip() for field in row]
    if any(field == "" for field in fields):
        return "missing value"
    if any(parse_finite(field) is None for field in fields):
        return "non-numeric value"
    if parse_finite(fields[-1]) not in (0.0, 1.0):
        return "class not 0 or 1"
    return None


def main():
    parser = argparse.ArgumentParser(prog="clean", description="Drop invalid banknote rows.")
    parser.add_argument("--raw", required=True, help="path of the raw rows from the ingest step")
    parser.add_argument("--data", required=True, help="path where the valid rows are written")
    parser.add_argument("--rows", required=True, help="path where the number of valid rows is written")
    args = parser.parse_args()

    rows = [row for row in read_table(args.raw, "raw") if any(field.strip() for field in row)]
    if not rows:
        fail(f"raw file has no data rows: {args.raw}")

    valid_rows = []
    dropped = {}
    for row_number, row in enumerate(rows, start=1):
        reason = check_row(row)
        if reason is None:
            features = [field.strip() for field in row[:-1]]
            valid_rows.append(features + [str(int(float(row[-1])))])
        else:
            dropped.setdefault(reason, []).append((row_number, row))

    dropped_count = sum(len(examples) for examples in dropped.values())
    print(f"checked {len(rows)} rows: kept {len(valid_rows)}, dropped {dropped_count}", flush=True)
    for reason, examples in sorted(dropped.items()):
        print(f"  dropped {len(examples)} rows: {reason}", flush=True)
        for row_number, row in examples[:EXAMPLES_PER_REASON]:
            print(f"    e.g. data row {row_number}: {','.join(row)}", flush=True)

    if not valid_rows:
        fail(f"no valid rows left in {args.raw}; every row was dropped, see the reasons above")

    genuine = sum(1 for row in valid_rows if row[-1] == "0")
    print(f"classes: {genuine} genuine (0), {len(valid_rows) - genuine} forged (1)", flush=True)

    for path in (args.data, args.rows):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(args.data, "w", encoding="utf-8", newline="") as data_file:
        writer = csv.writer(data_file, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(valid_rows)
    with open(args.rows, "w", encoding="utf-8") as rows_file:
        rows_file.write(str(len(valid_rows)))


if __name__ == "__main__":
    main()
