"""Ingest step: read the banknote CSV and check that it has the expected five columns.

The UCI file is published without a header, and some copies add the header
``variance,skewness,curtosis,entropy,class``. Both are accepted: a first row whose fields are
all non-numeric is taken as the header and skipped. Every other non-blank line must have five
comma-separated fields. Values are checked later by the clean step.

Writes the rows, under that header and with Unix line endings, to the ``raw`` artifact.
"""
import argparse
import csv
import os
import sys

COLUMNS = ["variance", "skewness", "curtosis", "entropy", "class"]


def fail(message):
    print(f"ingest: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_dataset(path):
    """Return the non-blank rows of the CSV file at ``path`` as lists of stripped fields."""
    if not path.strip():
        fail("the dataset parameter is empty; set it to the path of the banknote CSV file")
    if not os.path.exists(path):
        fail(f"dataset file not found: {path}; set the dataset parameter to the path of an existing CSV file")
    if not os.path.isfile(path):
        fail(f"dataset path is not a file: {path}; set the dataset parameter to the path of a CSV file")

    try:
        with open(path, encoding="utf-8", newline="") as dataset_file:
            rows = [[field.strip() for field in row] for row in csv.reader(dataset_file)]
    except UnicodeDecodeError:
        fail(f"dataset file is not UTF-8 text: {path}")
    except (OSError, csv.Error) as error:
        fail(f"cannot read dataset file {path}: {error}")

    return [row for row in rows if any(row)]


def main():
    parser = argparse.ArgumentParser(prog="ingest", description="Read and check the banknote CSV file.")
    parser.add_argument("--dataset", required=True, help="path of the CSV file to read")
    parser.add_argument("--raw", required=True, help="path where the checked rows are written")
    args = parser.parse_args()

    rows = read_dataset(args.dataset)
    if not rows:
        fail(f"dataset file is empty: {args.dataset}")

    first_row = rows[0]
    if not any(is_number(field) for field in first_row):
        if len(first_row) != len(COLUMNS):
            fail(
                f"the header of {args.dataset} has {len(first_row)} columns, expected {len(COLUMNS)}: "
                + ",".join(COLUMNS)
            )
        print(f"skipping header row: {','.join(first_row)}", flush=True)
        rows = rows[1:]
    if not rows:
        fail(f"dataset file has a header but no data rows: {args.dataset}")

    for row_number, row in enumerate(rows, start=1):
        if len(row) != len(COLUMNS):
            fail(
                f"data row {row_number} of {args.dataset} has {len(row)} fields, expected {len(COLUMNS)} "
                f"({', '.join(COLUMNS)}); check that the file is the banknote authentication CSV"
            )

    os.makedirs(os.path.dirname(os.path.abspath(args.raw)), exist_ok=True)
    with open(args.raw, "w", encoding="utf-8", newline="") as raw_file:
        writer = csv.writer(raw_file, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)

    print(f"read {len(rows)} rows with {len(COLUMNS)} columns from {args.dataset}", flush=True)


if __name__ == "__main__":
    main()
