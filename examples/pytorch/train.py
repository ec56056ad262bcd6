"""A small PyTorch script for hpsearch's command trainer (configs/pytorch-sweep.yaml).

hpsearch runs it once per trial as `python3 train.py --lr=0.01 --hidden=32 ...` (the sweep
file's `${args}`), in the same way a W&B agent would, and reads one JSON line of metrics per
epoch from its standard output: train_loss, train_accuracy, val_loss, val_accuracy.
HPSEARCH_SEED holds the trial's seed. Needs torch (tested with 1.13).
"""
import argparse
import json
import math
import os

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--hidden", type=int, default=32)
parser.add_argument("--batch_size", type=int, default=32)
parser.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(int(os.environ.get("HPSEARCH_SEED", "0")))


def rings(n, generator):
    """Two noisy concentric rings: no straight line separates them."""
    label = torch.randint(0, 2, (n,), generator=generator)
    angle = 2 * math.pi * torch.rand(n, generator=generator)
    radius = 1.0 + 1.0 * label + 0.25 * torch.randn(n, generator=generator)
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    return x, label


data = torch.Generator().manual_seed(7)  # the same data for every trial
x_train, y_train = rings(600, data)
x_val, y_val = rings(200, data)

model = nn.Sequential(nn.Linear(2, args.hidden), nn.ReLU(), nn.Linear(args.hidden, args.hidden), nn.ReLU(), nn.Linear(args.hidden, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr) if args.optimizer == "adam" else torch.optim.SGD(model.parameters(), lr=args.lr)
loss_fn = nn.CrossEntropyLoss()


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
        return loss_fn(out, y).item(), (out.argmax(1) == y).float().mean().item()


for epoch in range(args.epochs):
    model.train()
    order = torch.randperm(len(x_train))
    for start in range(0, len(order), args.batch_size):
        batch = order[start : start + args.batch_size]
        optimizer.zero_grad()
        loss_fn(model(x_train[batch]), y_train[batch]).backward()
        optimizer.step()
    train_loss, train_accuracy = evaluate(x_train, y_train)
    val_loss, val_accuracy = evaluate(x_val, y_val)
    print(json.dumps({"epoch": epoch, "train_loss": train_loss, "train_accuracy": train_accuracy, "val_loss": val_loss, "val_accuracy": val_accuracy}), flush=True)
