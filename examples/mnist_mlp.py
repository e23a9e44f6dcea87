#!/usr/bin/python3
"""The classic MNIST MLP (784-512-256-10, batch 512, SGD with momentum and a step decay of the
learning rate), written as in PyTorch's examples, on Fashion-MNIST, trained through kernels
synthesized by axon-synth.

    PYTHONPATH=python:build/python /usr/bin/python3 examples/mnist_mlp.py [--epochs 10]
"""
import argparse

import axon
import axon.nn as nn
import axon.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 512)
        self.fc2 = nn.Linear(512, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train(model, loader, opt, epoch):
    model.train()
    for k, (x, y) in enumerate(loader):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if k % 40 == 0:
            print(f"train epoch {epoch} [{k * loader.batch_size}/{len(loader.x)}] loss {loss.item():.6f}"
                  f" lr {opt.current_lr():.4g}", flush=True)


def test(model, loader):
    model.eval()
    loss, correct = 0.0, 0
    with axon.no_grad():
        for x, y in loader:
            out = model(x)
            loss += F.cross_entropy(out, y, reduction="sum").item()
            correct += int((out.numpy().argmax(1) == y.numpy()).sum())
    n = len(loader.x)
    print(f"test: average loss {loss / n:.4f}, accuracy {correct}/{n} ({100 * correct / n:.2f}%)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--gamma", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    axon.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = axon.datasets.fashion_mnist()
    train_loader = axon.datasets.DatasetIterator(x_train, y_train, args.batch_size, shuffle=True)
    test_loader = axon.datasets.DatasetIterator(x_test, y_test, 1000)
    model = Net()
    # The learning rate decays by gamma every epoch, not below 1e-3.
    opt = axon.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, gamma=args.gamma,
                         decay_every=len(train_loader), min_lr=1e-3)
    for epoch in range(1, args.epochs + 1):
        train(model, train_loader, opt, epoch)
        test(model, test_loader)


if __name__ == "__main__":
    main()
