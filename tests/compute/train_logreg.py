#!/usr/bin/env python3
"""The compute tests' training job: logistic regression on a CSV dataset, with numpy.

Run by zerog-executor as a job service's command (``--service ID='python3 train_logreg.py'``):

- ``$ZEROG_DATASET``: a CSV file. Every column but the last is a numeric feature, the last is the
  label, 0 or 1. A first row that is not all numbers is a header naming the columns.
- ``$ZEROG_OUTPUT_DIR``: the model is written to ``$ZEROG_OUTPUT_DIR/output`` as JSON:
  ``{"model", "features", "weights", "bias", "mean", "std", "epochs", "learning_rate", "l2",
  "rows", "train_accuracy", "train_loss"}``. The weights apply to standardized features
  (``(x - mean) / std``).
- Optional hyper-parameters: ``ZEROG_LR`` (default 0.5), ``ZEROG_EPOCHS`` (default 500),
  ``ZEROG_L2`` (default 0).

Deterministic: full-batch gradient descent from zero weights, no randomness, and the output is
rounded and written with sorted keys, so the same dataset and parameters give the same bytes (and
so the same storage root and output hash). Exits non-zero with a message on bad input.
"""

import csv
import json
import os
import sys

import numpy as np

# Output floats are rounded to this many decimals, so tiny floating-point differences between
# BLAS builds do not change the output bytes.
DECIMALS = 8


def fail(message, code=2):
    """Exits with `message` on stderr."""
    sys.stderr.write("train_logreg: " + message + "\n")
    sys.exit(code)


def env_number(name, default, kind):
    """A numeric hyper-parameter from the environment."""
    text = os.environ.get(name)
    if text is None or text == "":
        return default
    try:
        return kind(text)
    except ValueError:
        fail("%s=%r is not a %s" % (name, text, kind.__name__))


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def load(path):
    """Features, labels and feature names from the CSV at `path`."""
    try:
        with open(path, newline="") as file:
            rows = [row for row in csv.reader(file) if row and any(cell.strip() for cell in row)]
    except OSError as error:
        fail("cannot read the dataset %s: %s" % (path, error))
    if not rows:
        fail("the dataset is empty", 3)
    header = None
    if not all(is_number(cell) for cell in rows[0]):
        header, rows = rows[0], rows[1:]
    if not rows:
        fail("the dataset has a header but no rows", 3)
    width = len(rows[0])
    if width < 2:
        fail("each row needs at least one feature and a label", 3)
    for number, row in enumerate(rows, start=2 if header else 1):
        if len(row) != width:
            fail("row %d has %d columns, expected %d" % (number, len(row), width), 3)
    try:
        data = np.array([[float(cell) for cell in row] for row in rows], dtype=np.float64)
    except ValueError as error:
        fail("a cell is not a number: %s" % error, 3)
    features, labels = data[:, :-1], data[:, -1]
    if not np.all((labels == 0) | (labels == 1)):
        fail("labels (last column) must be 0 or 1", 3)
    names = header[:-1] if header else ["x%d" % i for i in range(features.shape[1])]
    return features, labels, names


def sigmoid(z):
    """The logistic function, stable for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def train(features, labels, learning_rate, epochs, l2):
    """Full-batch gradient descent on the mean log loss; returns the fitted model's numbers."""
    mean = features.mean(axis=0)
    std = features.std(axis=0)
    std[std == 0] = 1.0
    x = (features - mean) / std
    rows, columns = x.shape
    weights = np.zeros(columns)
    bias = 0.0
    for _ in range(epochs):
        error = sigmoid(x @ weights + bias) - labels
        weights -= learning_rate * (x.T @ error / rows + l2 * weights)
        bias -= learning_rate * float(error.mean())
    probability = np.clip(sigmoid(x @ weights + bias), 1e-12, 1 - 1e-12)
    loss = float(-np.mean(labels * np.log(probability) + (1 - labels) * np.log(1 - probability)))
    accuracy = float(np.mean((probability >= 0.5) == (labels == 1)))
    return weights, bias, mean, std, loss, accuracy


def rounded(values):
    return [round(float(value), DECIMALS) for value in values]


def main():
    dataset = os.environ.get("ZEROG_DATASET")
    output_dir = os.environ.get("ZEROG_OUTPUT_DIR")
    if not dataset or not output_dir:
        fail("ZEROG_DATASET and ZEROG_OUTPUT_DIR must be set (the executor sets them)")
    learning_rate = env_number("ZEROG_LR", 0.5, float)
    epochs = env_number("ZEROG_EPOCHS", 500, int)
    l2 = env_number("ZEROG_L2", 0.0, float)
    if learning_rate <= 0 or epochs < 0 or l2 < 0:
        fail("ZEROG_LR must be positive, ZEROG_EPOCHS and ZEROG_L2 not negative")

    features, labels, names = load(dataset)
    weights, bias, mean, std, loss, accuracy = train(features, labels, learning_rate, epochs, l2)
    model = {
        "model": "logistic_regression",
        "features": names,
        "weights": rounded(weights),
        "bias": round(bias, DECIMALS),
        "mean": rounded(mean),
        "std": rounded(std),
        "epochs": epochs,
        "learning_rate": learning_rate,
        "l2": l2,
        "rows": int(features.shape[0]),
        "train_accuracy": round(accuracy, DECIMALS),
        "train_loss": round(loss, DECIMALS),
    }
    path = os.path.join(output_dir, "output")
    with open(path, "w") as file:
        json.dump(model, file, sort_keys=True, separators=(",", ":"))
        file.write("\n")
    print("trained on %d rows: accuracy %.4f, loss %.6f -> %s"
          % (model["rows"], accuracy, loss, path))


if __name__ == "__main__":
    main()
