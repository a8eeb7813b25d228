"""Train step: fit a logistic regression to the train rows by batch gradient descent.

Features are standardised with the means and standard deviations of the train rows only, so no
information from the test set leaks into the model. The model is written as JSON with the
weights, the bias and the standardisation statistics that the evaluate step applies.
"""
import argparse
import csv
import json
import math
import os
import sys

COLUMNS = ["variance", "skewness", "curtosis", "entropy", "class"]
FEATURES = COLUMNS[:-1]
LOSS_REPORTS = 10


def fail(message):
    print(f"train: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def read_examples(path):
    """Return the feature vectors and 0/1 labels of the train CSV artifact at ``path``."""
    if not os.path.isfile(path):
        fail(f"train file not found: {path}; connect this input to the split step's train output")
    with open(path, encoding="utf-8", newline="") as table_file:
        rows = list(csv.reader(table_file))
    if not rows:
        fail(f"train file is empty: {path}")
    header = [field.strip().lower() for field in rows[0]]
    if header != COLUMNS:
        fail(f"train file {path} must start with the header {','.join(COLUMNS)}, found {','.join(rows[0])}")

    features, labels = [], []
    for row_number, row in enumerate(rows[1:], start=1):
        if not any(field.strip() for field in row):
            continue
        try:
            values = [float(field) for field in row]
        except ValueError:
            values = []
        if len(values) != len(COLUMNS) or not all(math.isfinite(v) for v in values) or values[-1] not in (0.0, 1.0):
            fail(f"train row {row_number} is not four numbers and a class of 0 or 1: {','.join(row)}")
        features.append(values[:-1])
        labels.append(int(values[-1]))
    return features, labels


def parse_learning_rate(text):
    try:
        learning_rate = float(text)
    except ValueError:
        fail(f"learning rate must be a number greater than 0, got {text!r}")
    if not math.isfinite(learning_rate):
        fail(f"learning rate must be a finite number greater than 0, got {text}")
    if learning_rate <= 0:
        fail(f"learning rate must be greater than 0, got {text}")
    return learning_rate


def parse_epochs(text):
    try:
        epochs = float(text)
    except ValueError:
        fail(f"epochs must be a whole number of at least 1, got {text!r}")
    if not (math.isfinite(epochs) and epochs == int(epochs) and epochs >= 1):
        fail(f"epochs must be a whole number of at least 1, got {text}")
    return int(epochs)


def standardise(features):
    """Return the standardised features with the per-feature means and population standard deviations."""
    count = len(features)
    means = [sum(column) / count for column in zip(*features)]
    stds = []
    for index, column in enumerate(zip(*features)):
        std = math.sqrt(sum((value - means[index]) ** 2 for value in column) / count)
        if std == 0:
            # A constant feature carries no information; dividing by 1 keeps it at 0 after centring.
            print(f"warning: feature {FEATURES[index]} is constant in the train set", flush=True)
            std = 1.0
        stds.append(std)
    scaled = [[(value - means[i]) / stds[i] for i, value in enumerate(row)] for row in features]
    return scaled, means, stds


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    exp_z = math.exp(z)
    return exp_z / (1.0 + exp_z)


def log_loss(z, label):
    """Return the cross-entropy of one example from its logit, without overflow for large |z|."""
    return max(z, 0.0) - z * label + math.log1p(math.exp(-abs(z)))


def fit(features, labels, learning_rate, epochs):
    """Fit weights and bias by batch gradient descent, printing the loss about LOSS_REPORTS times."""
    count = len(features)
    weights = [0.0] * len(FEATURES)
    bias = 0.0
    report_every = max(1, epochs // LOSS_REPORTS)
    epoch_width = len(str(epochs))

    for epoch in range(1, epochs + 1):
        weight_gradient = [0.0] * len(weights)
        bias_gradient = 0.0
        loss = 0.0
        for row, label in zip(features, labels):
            z = bias + sum(w * x for w, x in zip(weights, row))
            error = sigmoid(z) - label
            bias_gradient += error
            for i, x in enumerate(row):
                weight_gradient[i] += error * x
            loss += log_loss(z, label)
        loss /= count

        if not math.isfinite(loss):
            fail(f"training diverged at epoch {epoch} (loss is {loss}); lower the learning rate {learning_rate}")
        if epoch == 1 or epoch % report_every == 0 or epoch == epochs:
            print(f"epoch {str(epoch).rjust(epoch_width)}/{epochs}  loss {loss:.6f}", flush=True)

        weights = [w - learning_rate * g / count for w, g in zip(weights, weight_gradient)]
        bias -= learning_rate * bias_gradient / count

    if not all(math.isfinite(value) for value in weights + [bias]):
        fail(f"training diverged after epoch {epochs}; lower the learning rate {learning_rate}")
    return weights, bias


def main():
    parser = argparse.ArgumentParser(prog="train", description="Train a logistic regression on the banknote rows.")
    parser.add_argument("--train", required=True, help="path of the train rows")
    parser.add_argument("--learning-rate", required=True, help="step size of gradient descent, greater than 0")
    parser.add_argument("--epochs", required=True, help="number of passes over the train rows, at least 1")
    parser.add_argument("--model", required=True, help="path where the model JSON is written")
    args = parser.parse_args()

    learning_rate = parse_learning_rate(args.learning_rate)
    epochs = parse_epochs(args.epochs)
    features, labels = read_examples(args.train)
    if not features:
        fail(f"train file has no rows: {args.train}")
    if len(set(labels)) < 2:
        fail(f"train set has only class {labels[0]} rows; both classes 0 and 1 are needed to train")

    print(f"training on {len(features)} rows, learning rate {learning_rate}, {epochs} epochs", flush=True)
    scaled, means, stds = standardise(features)
    weights, bias = fit(scaled, labels, learning_rate, epochs)

    correct = sum(
        1
        for row, label in zip(scaled, labels)
        if (sigmoid(bias + sum(w * x for w, x in zip(weights, row))) >= 0.5) == (label == 1)
    )
    print(f"train accuracy: {correct / len(labels):.4f}", flush=True)

    model = {
        "kind": "logistic_regression",
        "features": FEATURES,
        "weights": weights,
        "bias": bias,
        "means": means,
        "stds": stds,
        "learning_rate": learning_rate,
        "epochs": epochs,
        "train_rows": len(features),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.model)), exist_ok=True)
    with open(args.model, "w", encoding="utf-8") as model_file:
        json.dump(model, model_file, indent=2)
    print(f"weights: {', '.join(f'{name}={w:.4f}' for name, w in zip(FEATURES, weights))}, bias={bias:.4f}", flush=True)


if __name__ == "__main__":
    main()
