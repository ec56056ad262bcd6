"""The PyTorch side of `npm run bench`'s slots section: the slot study's model (64-256-256-10,
ReLU, softmax cross-entropy, Adam 1e-3, batch 256, 4 800 training rows and a 1 200-row
validation pass per epoch, as the trainer's epoch does), one torch thread, in a process the
section starts twice. It warms up, prints "ready", then for each line N read from stdin trains
N epochs and prints the wall milliseconds they took; it exits at the end of stdin.

Usage: python3 pair.py
"""
import sys
import time

import torch
from torch import nn

ROWS, VAL_ROWS, FEATURES, CLASSES, BATCH = 4800, 1200, 64, 10, 256


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(FEATURES, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, CLASSES))
    x = torch.rand(ROWS, FEATURES) * 2 - 1
    y = torch.randint(0, CLASSES, (ROWS,))
    x_val = torch.rand(VAL_ROWS, FEATURES) * 2 - 1
    y_val = torch.randint(0, CLASSES, (VAL_ROWS,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        model.train()
        perm = torch.randperm(ROWS)
        for i in range(0, ROWS, BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            loss_fn(model(x_val), y_val).item()

    for _ in range(3):
        epoch()
    print('ready', flush=True)
    for line in sys.stdin:
        start = time.perf_counter()
        for _ in range(int(line)):
            epoch()
        print(f'{(time.perf_counter() - start) * 1000:.3f}', flush=True)


if __name__ == '__main__':
    main()
