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

from make_examples import ROOT, nb, plain  # a sibling script, not a package

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
model = keras.Sequential(
    [
        keras.Input(shape=(3072,)),
        layers.Dense({width}, activation="relu"),
        layers.Dense({width}, activation="relu"),
        layers.Dense({width}, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
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
history = {model}.fit(
    x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test), verbose=2
)
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

# --- mnist-experiments (Laboratorio 2) -------------------------------------------------

LAB_SETUP = r"""
@@ code
import time

from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
EPOCHS = 2  # pocas épocas para que todo el laboratorio corra en minutos
resultados = []
@@ code
def mlp(ocultas, activaciones="relu", dropout=0.0, l2=0.0):
    # Red densa: una capa Dense por cada ancho de `ocultas`
    if isinstance(activaciones, str):
        activaciones = [activaciones] * len(ocultas)
    capas = [keras.Input(shape=(28, 28)), layers.Flatten()]
    for n, act in zip(ocultas, activaciones, strict=True):
        reg = regularizers.l2(l2) if l2 else None
        capas.append(layers.Dense(n, activation=act, kernel_regularizer=reg))
        if dropout:
            capas.append(layers.Dropout(dropout))
    capas.append(layers.Dense(10, activation="softmax"))
    return keras.Sequential(capas)


def entrenar(red, nombre, batch_size=32, optimizador=None, x=None):
    red.compile(
        optimizer=optimizador or keras.optimizers.Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    inicio = time.time()
    red.fit(
        x_train if x is None else x,
        y_train,
        epochs=EPOCHS,
        batch_size=batch_size,
        validation_split=0.1,
        verbose=0,
    )
    tiempo = time.time() - inicio
    _, acc = red.evaluate(x_test if x is None else x_test.reshape(-1, 28, 28, 1), y_test, verbose=0)
    resultados.append((nombre, acc, tiempo))
    print(f"{nombre}: accuracy {acc:.4f}, {tiempo:.1f} s")
    return red
"""

LAB_SWEEP = r"""
@@ md
## 1. Número de neuronas en la capa oculta
@@ code
for n in [50, 100, 200, 300, 500]:
    entrenar(mlp([n]), f"1 capa oculta de {n}")
"""

LAB_REST = r"""
@@ md
## 2. Profundidad
@@ code
entrenar(mlp([300, 50]), "2 capas (300, 50)")
entrenar(mlp([520, 300, 250, 130, 60]), "5 capas (520-300-250-130-60)")
@@ md
## 3. Funciones de activación
@@ code
entrenar(mlp([300, 50], "sigmoid"), "todo sigmoide")
entrenar(mlp([300, 100, 50], ["relu", "tanh", "sigmoid"]), "relu / tanh / sigmoide")
@@ md
## 4. Tamaño de lote y tasa de aprendizaje
@@ code
entrenar(mlp([300]), "lote 10000", batch_size=10000)
entrenar(mlp([300]), "lr 0.0001", optimizador=keras.optimizers.Adam(learning_rate=0.0001))
entrenar(mlp([300]), "lr 0.02", optimizador=keras.optimizers.Adam(learning_rate=0.02))
@@ md
## 5. Regularización
@@ code
entrenar(mlp([300], dropout=0.3, l2=0.001), "Dropout 0.3 + L2 0.001")
"""

LAB_CNN = r"""
@@ md
## 6. Red convolucional final
@@ code
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.{conv}(
            32, 3, activation="relu", padding="same", kernel_regularizer=regularizers.l2(0.001)
        ),
        layers.BatchNormalization(),
        layers.{conv}(32, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(2),
        layers.{conv}(64, 3, activation="relu", padding="same"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ]
)
entrenar(
    model,
    "CNN",
    batch_size=64,
    optimizador=keras.optimizers.RMSprop(learning_rate=0.001),
    x=x_train.reshape(-1, 28, 28, 1),
)
@@ code
for nombre, acc, tiempo in resultados:
    print(f"{nombre:35s} {acc:.4f} {tiempo:6.1f} s")
"""

LAB_REFERENCE = (
    r"""
@@ md
# Laboratorio 2: experimentos con redes en MNIST (solución de referencia)

Cada experimento entrena un modelo distinto; el calificador exporta y mide todos.
`autograder reference` reentrena este notebook para fijar el umbral relativo de la red
convolucional final (`model`). Las celdas de los experimentos 1 a 5 llevan la etiqueta
`skip-grading`: la referencia solo entrena la CNN, que es lo único que mide.
"""
    + LAB_SETUP
    + (LAB_SWEEP + LAB_REST).replace("@@ code\n", "@@ code skip-grading\n")
    + LAB_CNN.replace("{conv}", "Conv2D")
)

LAB_CORRECT = (
    r"""
@@ md
# Laboratorio 2 - Redes neuronales

**Estudiante:** Andrés Gutiérrez Pérez
"""
    + LAB_SETUP
    + LAB_SWEEP
    + LAB_REST
    + LAB_CNN.replace("{conv}", "Conv2D")
    + r"""
@@ md
| Experimento | Accuracy | Tiempo |
|---|---|---|
| 1 capa oculta de 300 | 97.88 % | 41 s |
| 5 capas (520-300-250-130-60) | 97.95 % | 63 s |
| todo sigmoide | 95.78 % | 40 s |
| lote 10000 | 64.22 % | 5 s |
| CNN | 99.00 % | 310 s |
"""
)

# Only the width sweep: the Done-when notebook, and a lab that stopped early.
LAB_WIDTHS_ONLY = (
    r"""
@@ md
# Laboratorio 2

**Estudiante:** Carla Rojas

Solo alcancé a hacer el barrido de neuronas.
"""
    + LAB_SETUP
    + LAB_SWEEP
    + r"""
@@ code
model = mlp([300])
"""
)

# A typo in the CNN cell (Conv2d): everything else is there, the CNN never exists.
LAB_NO_CNN = (
    r"""
@@ md
# Laboratorio 2

**Estudiante:** Diego Mendoza
"""
    + LAB_SETUP
    + LAB_SWEEP
    + LAB_REST
    + LAB_CNN.replace("{conv}", "Conv2d")
)

# --- toy-dense (Taller 3, seed 004) ------------------------------------------------------
# Scripts, not notebooks: the toy is handed in as a .py file. The data is the rubric's
# declared dataset, which the grader writes as toy_dense.npz into the working directory.

TOY_LOAD = r"""
import numpy as np
from tensorflow import keras

data = np.load("toy_dense.npz")
x_train, y_train = data["x_train"] / 255.0, data["y_train"]
x_test, y_test = data["x_test"] / 255.0, data["y_test"]
"""

TOY_BASE = r"""
# La red del enunciado: entrada de 5x5, una capa oculta de 3 neuronas, salida de 2 clases
base = keras.Sequential(
    [
        keras.layers.Flatten(input_shape=(5, 5)),
        keras.layers.Dense(3, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
base.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
base.fit(x_train, y_train, epochs=20, verbose=0)
print("base:", base.evaluate(x_test, y_test, verbose=0))
"""

TOY_EXTENDED = r"""
# La extensión: dos capas ocultas de 16 neuronas antes de la de 3
model = keras.Sequential(
    [
        keras.layers.Flatten(input_shape=(5, 5)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=20, verbose=0)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print("extendida:", test_acc)
"""

# The two new layers use sigmoid instead of relu: same parameter count, wrong network.
TOY_SIGMOID = (
    "# Taller 3, parte 2 - Lucía Paredes\n"
    + TOY_LOAD
    + TOY_BASE
    + TOY_EXTENDED.replace('Dense(16, activation="relu")', 'Dense(16, activation="sigmoid")')
)

TOY_REFERENCE = (
    '"""toy-dense: la red de juguete del Taller 3 y su extensión (solución de referencia)."""\n'
    + TOY_LOAD
    + TOY_BASE
    + TOY_EXTENDED
)
TOY_CORRECT = "# Taller 3, parte 2 - Sofía Vargas\n" + TOY_LOAD + TOY_BASE + TOY_EXTENDED
# The extension was never written: the graded model is the base toy network.
TOY_NO_EXTENSION = (
    "# Taller 3, parte 2 - Mateo Salinas\n" + TOY_LOAD + TOY_BASE + "\nmodel = base\n"
)

# --- the list of files -----------------------------------------------------------------

FILES: tuple[tuple[str, Callable[[], str]], ...] = (
    ("exercises/cifar10-mlp/reference.ipynb", nb(CIFAR_REFERENCE)),
    ("submissions/cifar10-mlp/correct.ipynb", nb(CIFAR_CORRECT)),
    ("submissions/cifar10-mlp/wide64.ipynb", nb(CIFAR_WIDE)),
    ("submissions/cifar10-mlp/not_trained.ipynb", nb(CIFAR_NOT_TRAINED)),
    ("exercises/toy-dense/reference.py", plain(TOY_REFERENCE)),
    ("submissions/toy-dense/correct.py", plain(TOY_CORRECT)),
    ("submissions/toy-dense/no_extension.py", plain(TOY_NO_EXTENSION)),
    ("submissions/toy-dense/sigmoid16.py", plain(TOY_SIGMOID)),
    ("exercises/mnist-experiments/reference.ipynb", nb(LAB_REFERENCE)),
    ("submissions/mnist-experiments/correct.ipynb", nb(LAB_CORRECT)),
    ("submissions/mnist-experiments/widths_only.ipynb", nb(LAB_WIDTHS_ONLY)),
    ("submissions/mnist-experiments/no_cnn.ipynb", nb(LAB_NO_CNN)),
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
