"""Split step: shuffle the clean rows with a seed and split them into a train and a test set.

The split is stratified: each class is shuffled on its own and contributes the same fraction of
its rows to the test set, so both sets keep the class balance of the data. The same seed and
data always give the same split.
"""
import argparse
import csv
import math
import os
import random
import sys

COLUMNS = ["variance", "skewness", "curtosis", "entropy", "class"]


def fail(message):
    print(f"split: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def read_table(path, name):
    """Return the data rows of a CSV artifact that starts with the COLUMNS header."""
    if not os.path.isfile(path):
        fail(f"{name} file not found: {path}; connect this input to the clean step's data output")
    with open(path, encoding="utf-8", newline="") as table_file:
        rows = list(csv.reader(table_file))
    if not rows:
        fail(f"{name} file is empty: {path}")
    header = [field.strip().lower() for field in rows[0]]
    if header != COLUMNS:
        fail(f"{name} file {path} must start with the header {','.join(COLUMNS)}, found {','.join(rows[0])}")
    return [row for row in rows[1:] if any(field.strip() for field in row)]


def parse_test_fraction(text):
    try:
        fraction = float(text)
    except ValueError:
        fail(f"test fraction must be a number between 0 and 1, got {text!r}")
    if not (math.isfinite(fraction) and 0 < fraction < 1):
        fail(f"test fraction must be greater than 0 and less than 1, got {text}")
    return fraction


def parse_seed(text):
    try:
        seed = float(text)
    except ValueError:
        fail(f"split seed must be a whole number, got {text!r}")
    if not (math.isfinite(seed) and seed == int(seed)):
        fail(f"split seed must be a whole number, got {text}")
    return int(seed)


def write_table(path, rows):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as table_file:
        writer = csv.writer(table_file, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def describe(rows):
    genuine = sum(1 for row in rows if row[-1].strip() == "0")
    return f"{len(rows)} rows ({genuine} genuine, {len(rows) - genuine} forged)"


def main():
    parser = argparse.ArgumentParser(prog="split", description="Split the banknote rows into train and test sets.")
    parser.add_argument("--data", required=True, help="path of the clean rows")
    parser.add_argument("--test-fraction", required=True, help="share of each class put in the test set, between 0 and 1")
    parser.add_argument("--seed", required=True, help="seed of the shuffle, a whole number")
    parser.add_argument("--train", required=True, help="path where the train rows are written")
    parser.add_argument("--test", required=True, help="path where the test rows are written")
    args = parser.parse_args()

    test_fraction = parse_test_fraction(args.test_fraction)
    seed = parse_seed(args.seed)
    rows = read_table(args.data, "data")
    if not rows:
        fail(f"data file has no rows: {args.data}")

    rows_by_class = {}
    for row in rows:
        rows_by_class.setdefault(row[-1].strip(), []).append(row)

    rng = random.Random(seed)
    train, test = [], []
    for label in sorted(rows_by_class):
        class_rows = rows_by_class[label]
        rng.shuffle(class_rows)
        test_count = int(len(class_rows) * test_fraction + 0.5)
        test.extend(class_rows[:test_count])
        train.extend(class_rows[test_count:])
    rng.shuffle(train)
    rng.shuffle(test)

    if not test:
        fail(f"test fraction {test_fraction} leaves the test set empty with {len(rows)} rows; raise it")
    if not train:
        fail(f"test fraction {test_fraction} leaves the train set empty with {len(rows)} rows; lower it")

    write_table(args.train, train)
    write_table(args.test, test)
    print(f"split {len(rows)} rows with seed {seed} and test fraction {test_fraction}", flush=True)
    print(f"  train: {describe(train)}", flush=True)
    print(f"  test:  {describe(test)}", flush=True)


if __name__ == "__main__":
    main()
