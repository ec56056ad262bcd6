"""The PyTorch side of `npm run bench`'s blas section: the same models as the hpsearch rows,
trained the same way (one thread, shuffled mini-batches gathered from a float32 tensor,
forward, softmax cross-entropy, backward, optimizer step), timed per step in process CPU time.

Usage: python3 train.py MODEL OPTIMIZER BATCH ROWS EPOCHS   (MODEL: mlp | cnn)
Prints one JSON line: {"torch": version, "ms_per_step": median over the timed epochs}.
"""
import json
import sys
import time

import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    # conv 3x3 same -> relu -> 2x2 max pool, twice (8 and 16 filters), then dense 10: the trainer's `model: cnn`.
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2, ceil_mode=True),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2, ceil_mode=True),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
    )


def main():
    model_name, optimizer_name, batch, rows, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = mlp() if model_name == 'mlp' else cnn()
    shape = (rows, 784) if model_name == 'mlp' else (rows, 1, 28, 28)
    x = torch.rand(shape) * 2 - 1
    y = torch.randint(0, 10, (rows,))
    if optimizer_name == 'adam':
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    steps = (rows + batch - 1) // batch
    times = []
    for epoch in range(epochs + 1):
        start = time.process_time()
        perm = torch.randperm(rows)
        for i in range(steps):
            idx = perm[i * batch:(i + 1) * batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        if epoch > 0:  # the first epoch warms up
            times.append((time.process_time() - start) * 1000 / steps)
    times.sort()
    print(json.dumps({'torch': torch.__version__, 'ms_per_step': times[len(times) // 2]}))


if __name__ == '__main__':
    main()
