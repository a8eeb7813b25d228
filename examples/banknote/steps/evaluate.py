"""Evaluate step: score the trained model on the test rows.

Class 1 (forged) is the positive class: precision is the share of notes flagged as forged that
are forged, and recall is the share of forged notes that were flagged. A note is flagged when the
predicted probability is at least 0.5. Writes the accuracy, to four decimals, to the
``accuracy`` output and every metric to the ``metrics`` JSON artifact.
"""
import argparse
import csv
import json
import math
import os
import sys

COLUMNS = ["variance", "skewness", "curtosis", "entropy", "class"]
FEATURE_COUNT = len(COLUMNS) - 1
THRESHOLD = 0.5


def fail(message):
    print(f"evaluate: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def is_finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def read_model(path):
    """Return the weights, bias, means and standard deviations from the model JSON at ``path``."""
    if not os.path.isfile(path):
        fail(f"model file not found: {path}; connect this input to the train step's model output")
    try:
        with open(path, encoding="utf-8") as model_file:
            model = json.load(model_file)
    except (ValueError, UnicodeDecodeError) as error:
        fail(f"model file {path} is not valid JSON: {error}")
    if not isinstance(model, dict):
        fail(f"model file {path} must contain a JSON object")

    for key in ("weights", "means", "stds"):
        values = model.get(key)
        if not (isinstance(values, list) and len(values) == FEATURE_COUNT and all(map(is_finite_number, values))):
            fail(f"model file {path}: {key} must be a list of {FEATURE_COUNT} numbers")
    if not is_finite_number(model.get("bias")):
        fail(f"model file {path}: bias must be a number")
    if any(std <= 0 for std in model["stds"]):
        fail(f"model file {path}: stds must all be greater than 0")
    return model["weights"], model["bias"], model["means"], model["stds"]


def read_test_rows(path):
    """Return the feature vectors and 0/1 labels of the test CSV artifact at ``path``."""
    if not os.path.isfile(path):
        fail(f"test file not found: {path}; connect this input to the split step's test output")
    with open(path, encoding="utf-8", newline="") as table_file:
        rows = list(csv.reader(table_file))
    if not rows:
        fail(f"test file is empty: {path}")
    header = [field.strip().lower() for field in rows[0]]
    if header != COLUMNS:
        fail(f"test file {path} must start with the header {','.join(COLUMNS)}, found {','.join(rows[0])}")

    features, labels = [], []
    for row_number, row in enumerate(rows[1:], start=1):
        if not any(field.strip() for field in row):
            continue
        try:
            values = [float(field) for field in row]
        except ValueError:
            values = []
        if len(values) != len(COLUMNS) or not all(map(math.isfinite, values)) or values[-1] not in (0.0, 1.0):
            fail(f"test row {row_number} is not four numbers and a class of 0 or 1: {','.join(row)}")
        features.append(values[:-1])
        labels.append(int(values[-1]))
    return features, labels


def predict(weights, bias, means, stds, row):
    z = bias + sum(w * (x - m) / s for w, x, m, s in zip(weights, row, means, stds))
    probability = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return 1 if probability >= THRESHOLD else 0


def ratio(numerator, denominator):
    """Return numerator / denominator, or 0.0 when the denominator is 0 (no such predictions)."""
    return numerator / denominator if denominator else 0.0


def main():
    parser = argparse.ArgumentParser(prog="evaluate", description="Score the banknote model on the test rows.")
    parser.add_argument("--model", required=True, help="path of the model JSON from the train step")
    parser.add_argument("--test", required=True, help="path of the test rows from the split step")
    parser.add_argument("--accuracy", required=True, help="path where the accuracy is written")
    parser.add_argument("--metrics", required=True, help="path where the metrics JSON is written")
    args = parser.parse_args()

    weights, bias, means, stds = read_model(args.model)
    features, labels = read_test_rows(args.test)
    if not features:
        fail(f"test file has no rows: {args.test}")

    true_positive = false_positive = true_negative = false_negative = 0
    for row, label in zip(features, labels):
        predicted = predict(weights, bias, means, stds, row)
        if predicted == 1 and label == 1:
            true_positive += 1
        elif predicted == 1:
            false_positive += 1
        elif label == 0:
            true_negative += 1
        else:
            false_negative += 1

    accuracy = (true_positive + true_negative) / len(labels)
    precision = ratio(true_positive, true_positive + false_positive)
    recall = ratio(true_positive, true_positive + false_negative)
    f1 = ratio(2 * precision * recall, precision + recall)

    print(f"test rows: {len(labels)}", flush=True)
    print(f"accuracy: {accuracy:.4f}", flush=True)
    print(f"precision: {precision:.4f}", flush=True)
    print(f"recall: {recall:.4f}", flush=True)
    print(f"f1: {f1:.4f}", flush=True)
    print("confusion matrix (rows: actual class, columns: predicted class):", flush=True)
    print(f"{'':<16}{'genuine':>9}{'forged':>9}", flush=True)
    print(f"{'actual genuine':<16}{true_negative:>9}{false_positive:>9}", flush=True)
    print(f"{'actual forged':<16}{false_negative:>9}{true_positive:>9}", flush=True)

    metrics = {
        "test_rows": len(labels),
        "positive_class": "1 (forged)",
        "accuracy": accuracy,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "confusion_matrix": {
            "true_negative": true_negative,
            "false_positive": false_positive,
            "false_negative": false_negative,
            "true_positive": true_positive,
        },
    }
    for path in (args.accuracy, args.metrics):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(args.accuracy, "w", encoding="utf-8") as accuracy_file:
        accuracy_file.write(f"{accuracy:.4f}")
    with open(args.metrics, "w", encoding="utf-8") as metrics_file:
        json.dump(metrics, metrics_file, indent=2)


if __name__ == "__main__":
    main()
