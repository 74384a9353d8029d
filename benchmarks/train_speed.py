"""How fast is one epoch of bplib.train, next to a plain numpy loop, scikit-learn and PyTorch?

Run from the repository root (``--quick`` does fewer repeats):

    pip install -r benchmarks/requirements.txt    # scikit-learn; PyTorch is optional
    python benchmarks/train_speed.py

The problem: 784 inputs, one hidden sigmoid layer of 256, 10 sigmoid outputs, half sum of squares
cost with the gradient averaged over the batch, n = 8192 synthetic examples (seeded inputs in
[0, 1], one-hot targets), batch size 128, float64, plain SGD with eta = 0.1, biases on.
Each contender runs one epoch, warmed up once, then repeated in interleaved order; medians compared.

Targets: bplib within 1.10x of the plain numpy loop (the floor: the same maths with nothing
around it), and at most 0.60x the time of scikit-learn's MLPClassifier.

A second case measures the lecture's tiny networks, where the cost is Python overhead, not
arithmetic: online training (batch 1) of a 2-2-1 sigmoid network with biases on 8 examples for
200 epochs (1,600 steps), bplib.train against the same numpy loop; target 1.30x. Then one public
``bplib.step()`` on Example 2's network (2-2-1, no biases) next to the loop's single step.
This is a benchmark, not a test: it asserts only that bplib and the loop compute the same thing.
"""
import argparse
import os
import platform
import statistics
import time
import timeit
import warnings

import numpy as np

import bplib

try:
    import torch
except ImportError:
    torch = None
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info

N_IN, N_HIDDEN, N_OUT, N, BATCH, ETA, SEED = 784, 256, 10, 8192, 128, 0.1, 0


def make_data(n, seed=SEED):
    rng = np.random.default_rng(seed)
    X = rng.random((n, N_IN))
    T = np.eye(N_OUT)[rng.integers(0, N_OUT, size=n)]
    return X, T


def sigmoid(z):  # the textbook form: exp(-z) would overflow (harmlessly, to 0) only for z < -709
    return 1.0 / (1.0 + np.exp(-z))


def numpy_loop(W1, b1, W2, b2, X, T, eta, batch_size, seed, epochs=1):
    """The floor: ``epochs`` epochs of the same maths, updating the arrays passed in, in place.

    Like ``bplib.train(..., rng=seed)``, one generator draws every epoch's order. Unlike it, the
    loop does not compute each batch's cost (bplib records it in ``History.steps``).
    """
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            x, t = X[batch], T[batch]
            h = sigmoid(x @ W1 + b1)
            y = sigmoid(h @ W2 + b2)
            d2 = (y - t) * y * (1.0 - y) / len(batch)
            d1 = (d2 @ W2.T) * h * (1.0 - h)        # sent back through W2 *before* its update
            W2 -= eta * (h.T @ d2)
            b2 -= eta * d2.sum(axis=0)
            W1 -= eta * (x.T @ d1)
            b1 -= eta * d1.sum(axis=0)


def numpy_step(W1, W2, x, t, eta):
    """The loop's single step for a network without biases (Example 2), on new arrays."""
    h = sigmoid(x @ W1)
    y = sigmoid(h @ W2)
    d2 = (y - t) * y * (1.0 - y)
    d1 = (d2 @ W2.T) * h * (1.0 - h)
    return W1 - eta * (x.T @ d1), W2 - eta * (h.T @ d2)


def params_of(net):  # fresh copies of W1, b1, W2, b2 for the in-place loop
    return [a.copy() for pair in zip(net.weights, net.biases) for a in pair]


def torch_model(net):
    """torch.nn twin of ``net``, starting from the same weights (Linear stores W transposed)."""
    model = torch.nn.Sequential(torch.nn.Linear(N_IN, N_HIDDEN), torch.nn.Sigmoid(),
                                torch.nn.Linear(N_HIDDEN, N_OUT), torch.nn.Sigmoid()).double()
    with torch.no_grad():
        for layer, W, b in zip(model[::2], net.weights, net.biases):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    return model


def torch_epoch(model, X, T, eta, batch_size, seed):
    opt = torch.optim.SGD(model.parameters(), lr=eta)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(X)))
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        x, t = X[batch], T[batch]
        opt.zero_grad()
        loss = 0.5 * ((model(x) - t) ** 2).sum() / len(batch)   # half-SSE, averaged over the batch
        loss.backward()
        opt.step()


def sklearn_fit(X, T, batch_size, seed):
    # Not quite the same maths: MLPClassifier minimises log-loss. Given one-hot targets as a 2-D
    # indicator matrix it treats them as multilabel and uses logistic (sigmoid) outputs with
    # binary cross-entropy (integer labels would give softmax); half-SSE is not available.
    clf = MLPClassifier(hidden_layer_sizes=(N_HIDDEN,), activation="logistic", solver="sgd", momentum=0,
                        nesterovs_momentum=False, learning_rate_init=ETA, batch_size=batch_size, max_iter=1,
                        shuffle=True, alpha=0, tol=0, n_iter_no_change=10**9, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)   # max_iter=1 is on purpose
        clf.fit(X, T)


def contenders(net, X, T):
    """name -> (prepare, run): prepare() builds fresh state untimed, run(state) is one timed epoch."""
    c = {"bplib": (lambda: net, lambda s: bplib.train(s, X, T, ETA, epochs=1, batch_size=BATCH, rng=SEED,
                                                      record_epochs=False)),
         "numpy_loop": (lambda: params_of(net), lambda s: numpy_loop(*s, X, T, ETA, BATCH, SEED)),
         "sklearn": (lambda: None, lambda s: sklearn_fit(X, T, BATCH, SEED))}
    if torch is not None:
        Xt, Tt = torch.from_numpy(X), torch.from_numpy(T)
        c["torch"] = (lambda: torch_model(net), lambda s: torch_epoch(s, Xt, Tt, ETA, BATCH, SEED))
    return c


def other_cpu_seconds():
    """CPU seconds used so far by every process but this one (Linux only, else None): a noise check."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return None
    mine = os.times()
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK") - mine.user - mine.system


def time_once(prepare, run):
    state = prepare()
    start = time.perf_counter()
    run(state)
    return time.perf_counter() - start


def bench(cands, repeats):
    """Warm each up once, then ``repeats`` rounds, the order rotated every round."""
    names = list(cands)
    for name in names:
        time_once(*cands[name])
    times = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            times[name].append(time_once(*cands[name]))
    return times


def check_same_maths(net, X, T):
    trained, _ = bplib.train(net, X, T, ETA, epochs=1, batch_size=BATCH, rng=SEED, record_epochs=False)
    want = [a for pair in zip(trained.weights, trained.biases) for a in pair]
    got = params_of(net)
    numpy_loop(*got, X, T, ETA, BATCH, SEED)
    assert all(np.allclose(g, w, rtol=1e-9, atol=1e-12) for g, w in zip(got, want)), "loop != bplib"
    assert not np.allclose(want[0], net.weights[0]), "one epoch should move the weights"
    msg = "check: bplib.train and numpy_loop give the same weights after one epoch (np.allclose)"
    if torch is not None:
        model = torch_model(net)
        torch_epoch(model, torch.from_numpy(X), torch.from_numpy(T), ETA, BATCH, SEED)
        ok = all(np.allclose(layer.weight.detach().numpy().T, W) for layer, W in zip(model[::2], trained.weights))
        msg += f"; torch {'agrees too' if ok else 'DIFFERS'}"
    print(msg + "\n")


TINY_SIZES, TINY_N, TINY_EPOCHS, TINY_ETA = [2, 2, 1], 8, 200, 0.5


def tiny_case(repeats):
    """Online training of 2-2-1 on 8 examples for 200 epochs, and one step() on Example 2's network."""
    rng = np.random.default_rng(SEED)
    X = rng.random((TINY_N, 2))
    T = (X.sum(axis=1, keepdims=True) > 1.0).astype(float)
    net = bplib.Network.random(TINY_SIZES, rng=SEED)
    print(f"\ntiny: online training of {'-'.join(map(str, TINY_SIZES))} sigmoid with biases, n={TINY_N}, "
          f"batch 1, {TINY_EPOCHS} epochs ({TINY_N * TINY_EPOCHS} steps), eta={TINY_ETA}")
    run_bplib = lambda s: bplib.train(s, X, T, TINY_ETA, epochs=TINY_EPOCHS, batch_size=1, rng=SEED,
                                      record_epochs=False)
    run_loop = lambda s: numpy_loop(*s, X, T, TINY_ETA, 1, SEED, epochs=TINY_EPOCHS)
    trained, _ = run_bplib(net)
    got = params_of(net)
    run_loop(got)
    want = [a for pair in zip(trained.weights, trained.biases) for a in pair]
    assert all(np.allclose(g, w, rtol=1e-9, atol=1e-12) for g, w in zip(got, want)), "tiny loop != bplib"
    rounds = 5 * repeats   # a run takes a fraction of a second: more rounds, a steadier median
    other, start = other_cpu_seconds(), time.perf_counter()
    times = bench({"bplib": (lambda: net, run_bplib), "numpy_loop": (lambda: params_of(net), run_loop)}, rounds)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    steps = TINY_N * TINY_EPOCHS
    print(f"  {'contender':<11} {'median s':>9} {'min s':>8} {'max s':>8} {'us/step':>8}   ({rounds} rounds)")
    for name, ts in times.items():
        print(f"  {name:<11} {med[name]:>9.4f} {min(ts):>8.4f} {max(ts):>8.4f} {med[name] / steps * 1e6:>8.1f}")
    if other is not None:
        print(f"  other processes kept {(other_cpu_seconds() - other) / (time.perf_counter() - start):.0%} of a core busy meanwhile")

    ex2 = bplib.examples.example2()
    W1, W2 = ex2.net.weights
    public = lambda: bplib.step(ex2.net, ex2.x, ex2.t, ex2.eta)
    loop = lambda: numpy_step(W1, W2, ex2.x, ex2.t, ex2.eta)
    new, _ = public()
    assert all(np.allclose(a, b, rtol=1e-12) for a, b in zip(new.weights, loop())), "step != numpy_step"
    number = 2000
    per_call = {name: min(timeit.repeat(f, number=number, repeat=max(repeats, 3))) / number * 1e6
                for name, f in (("bplib.step", public), ("numpy_step", loop))}
    print(f"  one step on Example 2's network: bplib.step() {per_call['bplib.step']:.1f} us, "
          f"the loop's step {per_call['numpy_step']:.1f} us (best of {max(repeats, 3)} x {number} calls)")
    return med, per_call


def print_environment():
    print(f"python {platform.python_version()}, numpy {np.__version__}, bplib {bplib.__version__}, "
          f"torch {torch.__version__ + f' ({torch.get_num_threads()} threads)' if torch else 'not installed'}")
    print("  " + ", ".join(f"{var}={os.environ.get(var, '(unset)')}" for var in
                           ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")))
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (anything else running skews the times)")
    for p in threadpool_info():   # threadpoolctl comes with scikit-learn
        print(f"  {p['user_api']}: {p['internal_api']} {p.get('version')} {p.get('architecture', '')} "
              f"threads={p['num_threads']} {os.sep.join(p['filepath'].split(os.sep)[-3:])}")


def scaling(repeats):
    """bplib's median epoch time as n doubles, then as the hidden width doubles."""
    print(f"\nbplib scaling (median of {repeats}). The work is linear in n and in the hidden width, so each "
          "row should take\nclose to 2x the previous one (less where fixed per-step costs or small, less "
          "efficient matrix products weigh):")
    print(f"  {'n':>6} {'hidden':>6} {'seconds':>9} {'x prev':>7}")
    for cases in ([(n, N_HIDDEN) for n in (2048, 4096, 8192, 16384)], [(N, h) for h in (64, 128, 256, 512)]):
        prev = None
        for n, hidden in cases:
            X, T = make_data(n)
            net = bplib.Network.random([N_IN, hidden, N_OUT], rng=SEED)
            run = lambda: bplib.train(net, X, T, ETA, epochs=1, batch_size=BATCH, rng=SEED, record_epochs=False)
            run()
            t = statistics.median(time_once(lambda: None, lambda _: run()) for _ in range(repeats))
            print(f"  {n:>6} {hidden:>6} {t:>9.4f} {'' if prev is None else f'{t / prev:.2f}x':>7}")
            prev = t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7, scaling from 1 run")
    args = parser.parse_args()
    repeats, scale_repeats = (3, 1) if args.quick else (7, 3)

    print_environment()
    X, T = make_data(N)
    net = bplib.Network.random([N_IN, N_HIDDEN, N_OUT], rng=SEED)
    print(f"\none epoch: {N_IN}-{N_HIDDEN}-{N_OUT} sigmoid, n={N}, batch {BATCH}, float64, SGD eta={ETA}, "
          f"{repeats} repeats after one warm-up")
    check_same_maths(net, X, T)

    other, start = other_cpu_seconds(), time.perf_counter()
    times = bench(contenders(net, X, T), repeats)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"  {'contender':<11} {'median s':>9} {'min s':>8} {'max s':>8} {'spread':>7} {'x bplib':>8}")
    for name, ts in times.items():
        print(f"  {name:<11} {med[name]:>9.4f} {min(ts):>8.4f} {max(ts):>8.4f} "
              f"{(max(ts) - min(ts)) / med[name]:>6.0%} {med[name] / med['bplib']:>8.2f}")
    if torch is None:
        print(f"  {'torch':<11} {'n/a':>9}")
    if other is not None:
        busy = (other_cpu_seconds() - other) / (time.perf_counter() - start)
        print(f"  other processes kept {busy:.0%} of a core busy meanwhile"
              f"{': the times above are not to be trusted' if busy > 0.1 else ''}")

    scaling(scale_repeats)
    tiny, per_call = tiny_case(repeats)

    print()
    print(f"ratio bplib/numpy_loop = {med['bplib'] / med['numpy_loop']:.2f}")
    print(f"ratio bplib/sklearn = {med['bplib'] / med['sklearn']:.2f}")
    print(f"ratio bplib/torch = {med['bplib'] / med['torch']:.2f}" if "torch" in med else "ratio bplib/torch = n/a")
    print(f"ratio tiny bplib/numpy_loop = {tiny['bplib'] / tiny['numpy_loop']:.2f}")
    print(f"step() on Example 2: bplib.step {per_call['bplib.step']:.1f} us, numpy_step {per_call['numpy_step']:.1f} us, "
          f"ratio {per_call['bplib.step'] / per_call['numpy_step']:.2f}")


if __name__ == "__main__":
    main()
