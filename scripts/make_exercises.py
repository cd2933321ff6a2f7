"""Build the reference solutions and example hand-ins of cifar10-mlp, toy-dense and
mnist-experiments from the sources below (fashion-mnist's live in make_examples.py).

    python scripts/make_exercises.py           # (re)write every file
    python scripts/make_exercises.py --check   # exit 1 if a committed file is out of date

The files are graded end to end by tests/integration/test_exercises.py.
"""

# mypy: disallow-untyped-calls=False

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_examples import ROOT, nb  # a sibling script, not a package

# --- cifar10-mlp (Práctica 8) -----------------------------------------------------------

CIFAR_LOAD = r"""
@@ code
import time

from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
# 32x32x3 imágenes aplanadas a 3.072 características, escaladas a [0, 1]
x_train = x_train.reshape(len(x_train), -1).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255.0
y_train, y_test = y_train.ravel(), y_test.ravel()
print(x_train.shape, x_test.shape)
"""

CIFAR_MODEL = r"""
@@ code
model = keras.Sequential([
    keras.Input(shape=(3072,)),
    layers.Dense({width}, activation="relu"),
    layers.Dense({width}, activation="relu"),
    layers.Dense({width}, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()
"""

CIFAR_FIT = r"""
@@ code
start = time.time()
history = {model}.fit(x_train, y_train, epochs=5, batch_size=128,
                    validation_data=(x_test, y_test), verbose=2)
print(f"tiempo de entrenamiento: {{time.time() - start:.1f}} s")
@@ code
train_loss, train_acc = model.evaluate(x_train, y_train, verbose=0)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"train {{train_acc:.3f}}  test {{test_acc:.3f}}  brecha {{train_acc - test_acc:.3f}}")
"""

CIFAR_REFERENCE = (
    r"""
@@ md
# Práctica 8: MLP sobre CIFAR-10 (solución de referencia)

Tres capas `Dense(32, relu)` y una salida `Dense(10, softmax)`: 100.778 parámetros
entrenables. Adam (lr 0,001), entropía cruzada categórica dispersa, 5 épocas, lotes de
128, el conjunto de prueba como validación. `autograder reference` la reentrena.
"""
    + CIFAR_LOAD
    + CIFAR_MODEL.replace("{width}", "32")
    + CIFAR_FIT.format(model="model")
    + r"""
@@ md
La brecha entre exactitud de entrenamiento y de prueba (unos 4,5 puntos en los datos
reales: 51,1 % frente a 46,6 %) muestra un sobreajuste leve: el modelo es pequeño.
"""
)

CIFAR_CORRECT = (
    r"""
@@ md
# Práctica 8 - Retropropagación y optimizadores

**Estudiante:** Mariana Quispe Mamani

Red MLP sobre CIFAR-10: tres capas ocultas de 32 neuronas con ReLU.
"""
    + CIFAR_LOAD
    + CIFAR_MODEL.replace("{width}", "32")
    + CIFAR_FIT.format(model="model")
    + r"""
@@ md
El modelo tiene 100.778 parámetros entrenables. La exactitud de entrenamiento supera
a la de prueba por unos puntos: hay un sobreajuste leve.
"""
)

# A bigger network than asked: trains fine, loses the architecture and parameter points.
CIFAR_WIDE = (
    r"""
@@ md
# Práctica 8 - MLP

**Estudiante:** Jorge Condori

Usé 64 neuronas por capa porque con 32 la exactitud era baja.
"""
    + CIFAR_LOAD
    + CIFAR_MODEL.replace("{width}", "64")
    + CIFAR_FIT.format(model="model")
)

# The fit cell names a variable that does not exist: the model is built and compiled but
# never trained, so it loses the training and accuracy points and nothing else.
CIFAR_NOT_TRAINED = (
    r"""
@@ md
# Práctica 8

**Estudiante:** Luis Fernández
"""
    + CIFAR_LOAD
    + CIFAR_MODEL.replace("{width}", "32")
    + CIFAR_FIT.format(model="modelo")
)

# --- the list of files -----------------------------------------------------------------

FILES: tuple[tuple[str, Callable[[], str]], ...] = (
    ("exercises/cifar10-mlp/reference.ipynb", nb(CIFAR_REFERENCE)),
    ("submissions/cifar10-mlp/correct.ipynb", nb(CIFAR_CORRECT)),
    ("submissions/cifar10-mlp/wide64.ipynb", nb(CIFAR_WIDE)),
    ("submissions/cifar10-mlp/not_trained.ipynb", nb(CIFAR_NOT_TRAINED)),
)


def stale() -> list[str]:
    return [
        path
        for path, build in FILES
        if not (ROOT / path).exists() or (ROOT / path).read_text(encoding="utf-8") != build()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only report out-of-date files.")
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path} (run python scripts/make_exercises.py)")
        return 1 if out_of_date else 0
    for path, build in FILES:
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(build(), encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
