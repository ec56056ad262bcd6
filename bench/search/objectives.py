"""The sampler bench's objectives for Optuna: the Python twin of objectives.ts (same search
spaces, same formulas; a test checks they agree to 1e-9 on the same points).

    python3 objectives.py --eval < points.json   # [{"objective": name, "params": {...}}] -> [values]
"""
import json
import math
import sys

OPTIMIZERS = {"sgd": (0.9, -1), "momentum": (0.93, -1), "adam": (0.95, -3)}


def learning_curve(p):
    ceiling0, lr0 = OPTIMIZERS[p["optimizer"]]
    b = 0 if p.get("beta1") is None else math.log10(1 - p["beta1"])
    step = math.log10(p["learning_rate"]) - (b if p["optimizer"] == "momentum" else 0) - lr0
    beta_cost = 0 if p["optimizer"] == "sgd" else 0.02 * (b - (-1 if p["optimizer"] == "adam" else -1.5)) ** 2
    units = math.log2(p["units"]) - 8
    decay = math.log10(p["weight_decay"]) + 4
    ceiling = ceiling0 - 0.05 * max(0, step) ** 2 - beta_cost - 0.004 * units * units - 0.005 * decay * decay
    speed = 0.25 * 10 ** (0.6 * min(0, step))
    return 0.1 + max(0, ceiling - 0.1) * (1 - math.exp(-speed * 20))


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi**2)
    return (x2 - b * x1 * x1 + (5 / math.pi) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
H6_ALPHA = [1, 1.2, 3, 3.2]


def hartmann6_log(p):
    x = [(math.log10(p[f"v{i}"]) + 4) / 4 for i in range(6)]
    s = 0.0
    for k in range(4):
        e = 0.0
        for i in range(6):
            e += H6_A[k][i] * (x[i] - H6_P[k][i]) ** 2
        s += H6_ALPHA[k] * math.exp(-e)
    return -s


ACTIVATIONS = {
    "sigmoid": (0.82, -1.5, 0.1, 1),
    "tanh": (0.86, -2, 0.2, 1),
    "relu": (0.88, -2.5, 0.3, 1),
    "elu": (0.89, -3, 0.3, 2),
    "gelu": (0.94, -3.5, 0.5, 4),
}


def activation(p):
    peak, lr0, drop0, width = ACTIVATIONS[p["activation"]]
    dl = math.log10(p["learning_rate"]) - lr0
    dd = (p["dropout"] - drop0) * 4
    return peak / (1 + width * (0.3 * dl * dl + dd * dd))


def suggest_learning_curve(trial):
    p = {"optimizer": trial.suggest_categorical("optimizer", list(OPTIMIZERS))}
    p["learning_rate"] = trial.suggest_float("learning_rate", 1e-5, 1, log=True)
    if p["optimizer"] != "sgd":
        p["beta1"] = 1 - trial.suggest_float("one_minus_beta1", 1e-4, 0.5, log=True)
    p["units"] = trial.suggest_int("units", 16, 1024, log=True)
    p["weight_decay"] = trial.suggest_float("weight_decay", 1e-6, 1e-1, log=True)
    return p


def suggest_branin(trial):
    return {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}


def suggest_hartmann6_log(trial):
    return {f"v{i}": trial.suggest_float(f"v{i}", 1e-4, 1, log=True) for i in range(6)}


def suggest_activation(trial):
    return {
        "activation": trial.suggest_categorical("activation", list(ACTIVATIONS)),
        "learning_rate": trial.suggest_float("learning_rate", 1e-5, 1e-1, log=True),
        "dropout": trial.suggest_float("dropout", 0, 0.7),
    }


# name -> (value, suggest, direction)
OBJECTIVES = {
    "learning-curve": (learning_curve, suggest_learning_curve, "maximize"),
    "branin": (branin, suggest_branin, "minimize"),
    "hartmann6-log": (hartmann6_log, suggest_hartmann6_log, "minimize"),
    "activation": (activation, suggest_activation, "maximize"),
}

if __name__ == "__main__" and sys.argv[1:] == ["--eval"]:
    points = json.load(sys.stdin)
    json.dump([OBJECTIVES[pt["objective"]][0](pt["params"]) for pt in points], sys.stdout)
