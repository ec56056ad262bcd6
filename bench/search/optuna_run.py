"""One Optuna sampler on one bench objective over many seeds (NopPruner, one trial at a time).

    python3 optuna_run.py OBJECTIVE tpe|random TRIALS SEED...

Prints {"optuna": version} first, then one JSON line per seed: {"seed", "values", "categories"}
(each trial's value, and the first parameter's value when it is categorical).
"""
import json
import sys

import optuna

from objectives import OBJECTIVES


def main(objective, sampler_name, trials, seeds):
    value, suggest, direction = OBJECTIVES[objective]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(json.dumps({"optuna": optuna.__version__}), flush=True)
    for seed in seeds:
        sampler = optuna.samplers.TPESampler(seed=seed) if sampler_name == "tpe" else optuna.samplers.RandomSampler(seed=seed)
        study = optuna.create_study(direction=direction, sampler=sampler, pruner=optuna.pruners.NopPruner())
        values, categories = [], []

        def run(trial):
            p = suggest(trial)
            first = next(iter(p.values()))
            categories.append(first if isinstance(first, str) else None)
            v = value(p)
            values.append(v)
            return v

        study.optimize(run, n_trials=trials)
        print(json.dumps({"seed": seed, "values": values, "categories": categories}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(s) for s in sys.argv[4:]])
