"""The Optuna + PyTorch side of `npm run bench`'s pruning-vs-optuna section: the digits study
that hpsearch runs there, written as an Optuna user would write it — the same digits and split
(read from the file the bench writes), the same search space and random sampler, the same MLP
(one hidden ReLU layer, He-normal weights, softmax cross-entropy, batch 64, SGD or Adam with
ε 1e-7), validation accuracy reported after every epoch, two workers (n_jobs=2, one torch
thread each), and the pruner named on the command line.

Usage: python3 prune_digits.py DATA.bin META.json RULE SEED TRIALS EPOCHS
RULE: none | median | successive_halving | hyperband
Prints one JSON line: {"optuna", "torch", "epochs", "best", "study_seconds"}.
"""
import json
import sys
import time

import numpy as np
import optuna
import torch
from torch import nn


def load(data_path, meta_path):
    meta = json.load(open(meta_path))
    raw = np.fromfile(data_path, dtype=np.float32)
    f, n_train, n_val = meta['features'], meta['train'], meta['val']
    at = 0
    x_train = raw[at:at + n_train * f].reshape(n_train, f); at += n_train * f
    y_train = raw[at:at + n_train].astype(np.int64); at += n_train
    x_val = raw[at:at + n_val * f].reshape(n_val, f); at += n_val * f
    y_val = raw[at:at + n_val].astype(np.int64)
    return (torch.from_numpy(x_train.copy()), torch.from_numpy(y_train), torch.from_numpy(x_val.copy()), torch.from_numpy(y_val), meta['classes'])


def pruner_for(rule, epochs):
    if rule == 'median':
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0)
    if rule == 'successive_halving':
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    if rule == 'hyperband':
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3)
    return optuna.pruners.NopPruner()


def main():
    data_path, meta_path, rule, seed, trials, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    x_train, y_train, x_val, y_val, classes = load(data_path, meta_path)
    features = x_train.shape[1]
    batch = 64

    def objective(trial):
        lr = trial.suggest_float('learning_rate', 1e-4, 3e-1, log=True)
        hidden = trial.suggest_int('hidden_units', 16, 128)
        name = trial.suggest_categorical('optimizer', ['sgd', 'adam'])
        torch.manual_seed(trial.number)
        model = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))
        for layer in model:
            if isinstance(layer, nn.Linear):
                nn.init.kaiming_normal_(layer.weight, nonlinearity='relu')
                nn.init.zeros_(layer.bias)
        opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7) if name == 'adam' else torch.optim.SGD(model.parameters(), lr=lr)
        loss_fn = nn.CrossEntropyLoss()
        accuracy = 0.0
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(x_train.shape[0])
            for i in range(0, x_train.shape[0], batch):
                idx = perm[i:i + batch]
                opt.zero_grad(set_to_none=True)
                loss_fn(model(x_train[idx]), y_train[idx]).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                accuracy = (model(x_val).argmax(1) == y_val).float().mean().item()
            trial.report(accuracy, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return accuracy

    study = optuna.create_study(direction='maximize', sampler=optuna.samplers.RandomSampler(seed=seed), pruner=pruner_for(rule, epochs))
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials, n_jobs=2)
    seconds = time.perf_counter() - start
    complete = [t.value for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    print(json.dumps({'optuna': optuna.__version__, 'torch': torch.__version__, 'epochs': sum(len(t.intermediate_values) for t in study.trials), 'best': max(complete) if complete else None, 'study_seconds': seconds}))


if __name__ == '__main__':
    main()
