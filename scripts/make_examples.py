"""Build the example notebooks and the bad-input fixtures from the Python sources below.

The generated files are committed; this script is how they are changed. Every notebook is
nbformat v4, validated, without outputs, and with stable cell ids, so regenerating an
unchanged source gives byte-identical files.

    python scripts/make_examples.py           # (re)write every file
    python scripts/make_examples.py --check   # exit 1 if a committed file is out of date
    python scripts/make_examples.py --run     # also execute each one on tiny random data

``--run`` executes the code cells top to bottom in a plain Python subprocess, one cell at
a time in a shared namespace (like a kernel), after a preamble that makes
``fashion_mnist.load_data()`` return tiny random uint8 arrays of the real shapes. Cells a
grader skips (tagged ``skip-grading``, ``!`` shell escapes, ``%pip``) are skipped the same
way. Each file declares what must happen (which cells fail with which exception, where
it hangs or exits, how many parameters ``model`` ends with), and the run compares.
"""

# Student code below is kept as students write it, long lines included.
# ruff: noqa: E501
# nbformat's constructors are unannotated (as in autograder.execution).
# mypy: disallow-untyped-calls=False

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parent.parent
SKIP_TAG = "skip-grading"

# Parameter counts used in the expectations below.
TUTORIAL_PARAMS = 784 * 128 + 128 + 128 * 10 + 10  # 101,770
DENSE500X3_PARAMS = 784 * 500 + 500 + 2 * (500 * 500 + 500) + 500 * 10 + 10  # 898,510
TINY16_PARAMS = 784 * 16 + 16 + 16 * 10 + 10  # 12,730


@dataclass(frozen=True)
class Cell:
    kind: str
    """Either "code" or "markdown"."""
    source: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expect:
    """What running a file must do; cells are numbered from 1 over all cells."""

    errors: dict[int, str] = field(default_factory=dict)
    """Cell -> exception class name; every other cell must succeed."""
    stops: tuple[str, int] | None = None
    """("timeout", cell) or ("exit", cell): the run ends inside that cell."""
    model_params: int | None = None
    """Parameters of the `model` variable at the end; None: no `model` variable."""
    writes: tuple[str, ...] = ()
    """Paths (relative to the working dir) that must exist afterwards."""
    run_tagged: bool = False
    """Also run cells tagged skip-grading (the reference's variants), to check them."""


@dataclass(frozen=True)
class Example:
    path: str
    """Relative to the repository root."""
    build: Callable[[], str]
    """Returns the file's exact text."""
    expect: Expect | None = None
    """None: not executed by --run (invalid on purpose)."""


# --- notebook building -----------------------------------------------------------------


def parse_cells(text: str) -> tuple[Cell, ...]:
    """Split ``@@ md`` / ``@@ code [tag ...]`` sections into cells."""
    cells: list[tuple[str, tuple[str, ...], list[str]]] = []
    for line in text.strip("\n").splitlines():
        if line.startswith("@@ "):
            kind, *tags = line[3:].split()
            cells.append(({"md": "markdown"}.get(kind, kind), tuple(tags), []))
        else:
            cells[-1][2].append(line)
    return tuple(Cell(kind, "\n".join(lines).strip("\n"), tags) for kind, tags, lines in cells)


def notebook_text(cells: tuple[Cell, ...]) -> str:
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(cells, start=1):
        if cell.kind == "code":
            node = v4.new_code_cell(cell.source)
        elif cell.kind == "markdown":
            node = v4.new_markdown_cell(cell.source)
        else:
            raise ValueError(f"unknown cell kind {cell.kind!r}")
        node.id = f"cell-{index:02d}"  # stable ids keep regenerated files identical
        if cell.tags:
            node.metadata["tags"] = list(cell.tags)
        nb.cells.append(node)
    nbformat.validate(nb)
    return str(nbformat.writes(nb)) + "\n"


def nb(text: str) -> Callable[[], str]:
    return lambda: notebook_text(parse_cells(text))


def plain(text: str) -> Callable[[], str]:
    return lambda: text.lstrip("\n")


# --- shared pieces of the student notebooks --------------------------------------------

CLASS_NAMES = r"""
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
"""

PLOT_FUNCTIONS = r"""
def plot_image(i, predictions_array, true_label, img):
    predictions_array, true_label, img = predictions_array, true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img, cmap=plt.cm.binary)
    predicted_label = np.argmax(predictions_array)
    if predicted_label == true_label:
        color = 'blue'
    else:
        color = 'red'
    plt.xlabel("{} {:2.0f}% ({})".format(class_names[predicted_label],
                                         100*np.max(predictions_array),
                                         class_names[true_label]),
               color=color)

def plot_value_array(i, predictions_array, true_label):
    predictions_array, true_label = predictions_array, true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color('red')
    thisplot[true_label].set_color('blue')
"""


def student(text: str) -> Callable[[], str]:
    """A student notebook: ``{CLASS_NAMES}`` and ``{PLOT_FUNCTIONS}`` are filled in."""
    filled = text.replace("{CLASS_NAMES}", CLASS_NAMES.strip("\n"))
    return nb(filled.replace("{PLOT_FUNCTIONS}", PLOT_FUNCTIONS.strip("\n")))


# --- exercises/fashion-mnist/reference.ipynb -------------------------------------------
# Our own code: kept clean under the project's ruff check and ruff format.

REFERENCE = r"""
@@ md
# Taller 3: clasificación de prendas con Fashion-MNIST (solución de referencia)

Solución de referencia del ejercicio `fashion-mnist`: el modelo del tutorial de
clasificación básica de TensorFlow, `Flatten -> Dense(128, relu) -> Dense(10, softmax)`,
compilado con Adam y entrenado 10 épocas. `autograder reference` la reentrena con
semilla fija para medir los umbrales relativos de la rúbrica.

La variable `model` es el modelo que se califica. Las variantes del final usan otros
nombres y llevan la etiqueta `skip-grading`, así que el calificador no las ejecuta.
@@ code
import keras
import matplotlib.pyplot as plt
import numpy as np

print(keras.__version__)
@@ md
## Datos

60.000 imágenes de entrenamiento y 10.000 de prueba, de 28x28 píxeles en escala de
grises (0 a 255), con etiquetas de 0 a 9.
@@ code
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()

class_names = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
print("train:", train_images.shape, train_labels.shape)
print("test:", test_images.shape, test_labels.shape)
@@ code
plt.figure()
plt.imshow(train_images[0])
plt.colorbar()
plt.grid(False)
plt.title(class_names[train_labels[0]])
plt.show()
@@ md
## Preprocesamiento

Los píxeles se llevan al rango [0, 1] dividiendo por 255, igual en entrenamiento y prueba.
@@ code
train_images = train_images / 255.0
test_images = test_images / 255.0
@@ code
plt.figure(figsize=(10, 10))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()
@@ md
## Modelo

`Flatten` convierte cada imagen de 28x28 en un vector de 784 valores; la capa oculta
`Dense(128, relu)` tiene 784 * 128 + 128 = 100.480 parámetros y la salida
`Dense(10, softmax)` 128 * 10 + 10 = 1.290: 101.770 en total, todos entrenables.
@@ code
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.summary()
@@ code
model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
@@ code
history = model.fit(train_images, train_labels, epochs=10)
@@ md
## Evaluación
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("\nTest accuracy:", test_acc)
@@ md
## Predicciones
@@ code
predictions = model.predict(test_images)
print(predictions[0])
print("predicha:", np.argmax(predictions[0]), "real:", test_labels[0])
print("imagen 10:", class_names[np.argmax(predictions[10])])
@@ code
def plot_image(i, predictions_array, true_label, img):
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img, cmap=plt.cm.binary)
    predicted_label = np.argmax(predictions_array)
    color = "blue" if predicted_label == true_label else "red"
    plt.xlabel(
        f"{class_names[predicted_label]} {100 * np.max(predictions_array):2.0f}% "
        f"({class_names[true_label]})",
        color=color,
    )


def plot_value_array(i, predictions_array, true_label):
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    bars = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    bars[np.argmax(predictions_array)].set_color("red")
    bars[true_label].set_color("blue")


num_rows, num_cols = 5, 3
plt.figure(figsize=(2 * 2 * num_cols, 2 * num_rows))
for i in range(num_rows * num_cols):
    plt.subplot(num_rows, 2 * num_cols, 2 * i + 1)
    plot_image(i, predictions[i], test_labels, test_images)
    plt.subplot(num_rows, 2 * num_cols, 2 * i + 2)
    plot_value_array(i, predictions[i], test_labels)
plt.tight_layout()
plt.show()
@@ code
img = np.expand_dims(test_images[1], 0)
predictions_single = model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])
@@ md
## Variantes (no calificadas)

Las preguntas 3 y 4 piden comparar el sobreajuste (exactitud de entrenamiento menos la de prueba) con 500
neuronas ocultas, con tres capas de 500 y con 20 épocas. Esta celda lleva la etiqueta
`skip-grading`: el calificador no la ejecuta y `model` sigue siendo el modelo del
tutorial.
@@ code skip-grading
def train_variant(hidden, epochs):
    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    layers += [keras.layers.Dense(units, activation="relu") for units in hidden]
    variant = keras.Sequential([*layers, keras.layers.Dense(10, activation="softmax")])
    variant.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    variant.fit(train_images, train_labels, epochs=epochs, verbose=0)
    _, train_acc = variant.evaluate(train_images, train_labels, verbose=0)
    _, test_acc = variant.evaluate(test_images, test_labels, verbose=0)
    return variant.count_params(), train_acc, test_acc


variants = {
    "128, 10 épocas": ([128], 10),
    "500, 10 épocas": ([500], 10),
    "3 x 500, 10 épocas": ([500, 500, 500], 10),
    "128, 20 épocas": ([128], 20),
}
for name, (hidden, epochs) in variants.items():
    params, train_acc, test_acc = train_variant(hidden, epochs)
    print(
        f"{name:>20}: {params:>7} parámetros, train {train_acc:.4f}, "
        f"test {test_acc:.4f}, diferencia {train_acc - test_acc:+.4f}"
    )
@@ md
## Respuestas esperadas (guía para el docente)

1. **Diferencia entre entrenamiento y prueba.** El modelo ajusta sus pesos sobre los datos de
   entrenamiento; los de prueba son datos no vistos, así que la exactitud suele ser algo
   menor y la pérdida algo mayor (sobreajuste). La pérdida mide también la confianza de
   cada predicción, no solo si acierta, por eso las dos métricas no se mueven igual.
2. **Imágenes mal clasificadas.** Clases parecidas en 28x28 y escala de grises (Shirt,
   T-shirt/top, Pullover, Coat; Sneaker, Sandal, Ankle boot), ejemplos atípicos o mal
   centrados, y un modelo denso que no aprovecha la estructura espacial (una CNN sí).
3. **128 -> 500 neuronas.** Más parámetros y más capacidad: la exactitud de
   entrenamiento sube más que la de prueba y la diferencia tiende a crecer.
4. **10 -> 20 épocas.** El entrenamiento sigue mejorando; la prueba se estanca o empeora
   (la pérdida de prueba sube), así que la diferencia crece: sobreajuste.
5. **Arquitectura.** `Flatten` (784 valores, sin parámetros), `Dense(128, relu)` oculta
   (100.480 parámetros) y `Dense(10, softmax)` de salida (1.290), una probabilidad por
   clase. Con salida lineal y `from_logits=True` el modelo es equivalente.
"""

# --- submissions/fashion-mnist/ --------------------------------------------------------

CORRECT = r"""
@@ md
# Taller 3 - Deep Learning

**Estudiante:** Valentina Ospina Restrepo
Computación 2 - Facultad de Ciencias Exactas e Ingeniería
Mayo 2025

Clasificación de artículos de ropa con el set de datos Fashion MNIST, siguiendo la guía
de clasificación básica de tensorflow.org.
@@ code
# TensorFlow y tf.keras
import tensorflow as tf
from tensorflow import keras

# Librerias de ayuda
import numpy as np
import matplotlib.pyplot as plt

print(tf.__version__)
@@ md
## Importar el set de datos de moda de MNIST

Al cargar el set de datos se obtienen cuatro arreglos de NumPy: `train_images` y
`train_labels` para entrenar, `test_images` y `test_labels` para evaluar.
@@ code
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
@@ code
{CLASS_NAMES}
for i in range(len(class_names)):
    print(i, " -> ", class_names[i])
@@ md
## Explorar los datos
@@ code
print("Train images: ", train_images.shape)
print("Train labels: ", len(train_labels))
print("Test images: ", test_images.shape)
print("Test labels: ", len(test_labels))
@@ code
IMAGE_INDEX = 100
plt.figure()
plt.title(f"Label index: {train_labels[IMAGE_INDEX]}, Label conversion: '{class_names[train_labels[IMAGE_INDEX]]}'")
plt.imshow(train_images[IMAGE_INDEX])
plt.colorbar()
plt.grid(False)
plt.show()
@@ md
## Preprocesar el set de datos

Escalamos los valores de 0-255 a un rango de 0 a 1 dividiendo por 255. El set de
entrenamiento y el de pruebas se procesan igual.
@@ code
train_images = train_images / 255.0
test_images = test_images / 255.0
@@ code
plt.figure(figsize=(10,10))
for i in range(25):
    plt.subplot(5,5,i+1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()
@@ md
## Construir el modelo
@@ code
# ignorar el warning
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation=tf.nn.relu),
    keras.layers.Dense(10, activation=tf.nn.softmax)
])
@@ code
model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
@@ md
## Entrenar el modelo
@@ code
model.fit(train_images, train_labels, epochs=10)
@@ md
## Evaluar exactitud
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)

print('\nTest accuracy:', test_acc)
@@ md
La exactitud en prueba es un poco menor que en entrenamiento: el modelo tiene algo de
sobreajuste.

## Hacer predicciones
@@ code
predictions = model.predict(test_images)
TEST_IMAGE_INDEX = 0
predictions[TEST_IMAGE_INDEX]
@@ code
for i in range(len(predictions[TEST_IMAGE_INDEX])):
    print(f"{predictions[TEST_IMAGE_INDEX][i]*100:.2f}% -> Tag: {class_names[i]}")
print(np.argmax(predictions[0]), test_labels[0])
print(class_names[np.argmax(predictions[10])])
@@ code
{PLOT_FUNCTIONS}
@@ code
num_rows = 5
num_cols = 3
num_images = num_rows*num_cols
plt.figure(figsize=(2*2*num_cols, 2*num_rows))
for i in range(num_images):
    plt.subplot(num_rows, 2*num_cols, 2*i+1)
    plot_image(i, predictions[i], test_labels, test_images)
    plt.subplot(num_rows, 2*num_cols, 2*i+2)
    plot_value_array(i, predictions[i], test_labels)
plt.tight_layout()
plt.show()
@@ code
# Grab an image from the test dataset.
img = test_images[1]
img = (np.expand_dims(img,0))
print(img.shape)

predictions_single = model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])
@@ md
## Preguntas del taller

**1. ¿Por qué existe una diferencia entre 'accuracy' o 'loss' en las fases de
entrenamiento y pruebas?**

Porque el modelo ajusta sus pesos con las imágenes de entrenamiento y las de prueba no
las ha visto nunca. Sobre los datos que conoce le va mejor; sobre datos nuevos se
equivoca un poco más. Además la pérdida castiga las predicciones poco seguras aunque
acierten, por eso no se comporta igual que la exactitud.

**2. ¿Por qué algunas imágenes no lograron ser categorizadas correctamente?**

Hay clases muy parecidas a 28x28 píxeles en gris, como camisa, camiseta y pullover, o
sandalia y tenis. También hay imágenes raras o mal centradas, y una red densa no tiene
en cuenta la posición de los píxeles como lo haría una red convolucional.

**3. ¿Qué ocurre al pasar de 128 a 500 neuronas?**

El modelo tiene muchos más parámetros y se ajusta más a los datos de entrenamiento. La
exactitud de entrenamiento sube más que la de prueba, así que la diferencia aumenta.

**4. ¿Qué ocurre al pasar de 10 a 20 épocas?**

El entrenamiento sigue mejorando pero la prueba casi no cambia o empeora: la diferencia
entre train y test crece porque el modelo empieza a memorizar (sobreajuste).

**5. Arquitectura del modelo**

`Flatten` aplana la imagen de 28x28 en 784 valores. `Dense(128)` con ReLU es la capa
oculta. `Dense(10)` con softmax da una probabilidad para cada una de las 10 clases.
"""

LOGITS = r"""
@@ md
# Taller 3 - Deep Learning

Autor: **Daniel Felipe Cárdenas Suárez**
Computación 2, mayo 2025

Guía de clasificación básica (tensorflow.org) con el set Fashion MNIST. Uso la versión
del tutorial que deja la última capa sin activación y calcula la pérdida con
`from_logits=True`.
@@ code
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt

print(tf.__version__)
@@ code
(train_images, train_labels), (test_images, test_labels) = (
    tf.keras.datasets.fashion_mnist.load_data()
)
{CLASS_NAMES}
@@ code
print(train_images.shape, len(train_labels))
print(test_images.shape, len(test_labels))
@@ code
plt.figure()
plt.imshow(train_images[0])
plt.colorbar()
plt.grid(False)
plt.show()
@@ code
# normalizar los pixeles entre 0 y 1
train_images = train_images / 255.0
test_images = test_images / 255.0
@@ md
## Modelo

La entrada se declara con `tf.keras.Input` en vez de `input_shape` para evitar la
advertencia de Keras.
@@ code
model = tf.keras.Sequential([
    tf.keras.Input(shape=(28, 28)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])

model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
model.summary()
@@ code
model.fit(train_images, train_labels, epochs=10)
@@ code
test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)
print('\nTest accuracy:', test_acc)
@@ md
## Predicciones

El modelo devuelve logits; para tener probabilidades se le agrega una capa `Softmax`.
@@ code
probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
predictions = probability_model.predict(test_images)
print(predictions[0])
print(np.argmax(predictions[0]), test_labels[0])
print(class_names[np.argmax(predictions[10])])
@@ code
{PLOT_FUNCTIONS}
@@ code
i = 12
plt.figure(figsize=(6,3))
plt.subplot(1,2,1)
plot_image(i, predictions[i], test_labels, test_images)
plt.subplot(1,2,2)
plot_value_array(i, predictions[i],  test_labels)
plt.show()
@@ code
img = np.expand_dims(test_images[1], 0)
predictions_single = probability_model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])
@@ md
## Preguntas

1. **Diferencia entre train y test.** En entrenamiento el modelo ve los mismos datos
   con los que ajusta sus pesos; en prueba son datos nuevos, así que la exactitud baja
   un poco y la pérdida sube. La pérdida mide qué tan lejos está la predicción, la
   exactitud solo si acertó.
2. **Imágenes mal clasificadas.** Prendas parecidas entre sí (camisa y blusa, tenis y
   sandalia), imágenes de baja resolución, borrosas o rotadas.
3. **500 neuronas.** Más capacidad: mejor ajuste en train, pero puede memorizar y la
   diferencia con test aumenta (sobreajuste).
4. **20 épocas.** Train sigue subiendo y test se estanca, la brecha crece.
5. **Arquitectura.** `Input` de 28x28, `Flatten` a 784, `Dense(128, relu)` oculta y
   `Dense(10)` sin activación porque la pérdida usa `from_logits=True`; las
   probabilidades se obtienen con la capa `Softmax` del `probability_model`.
"""

DENSE500X3 = r"""
@@ md
# Taller 3 - Redes neuronales

Estudiante: Andrés Felipe Guzmán Pardo
Computación 2

Hice la variante del punto 5: tres capas ocultas de 500 neuronas en lugar de una de 128.
@@ code
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt
@@ code
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
{CLASS_NAMES}
print(x_train.shape, x_test.shape)
@@ code
plt.imshow(x_train[7], cmap='gray')
plt.title(class_names[y_train[7]])
plt.show()
@@ code
x_train = x_train / 255.0
x_test = x_test / 255.0
@@ code
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(10, activation='softmax')
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.summary()
@@ code
historia = model.fit(x_train, y_train, epochs=10)
@@ code
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print('Test accuracy:', test_acc)
print('Train accuracy (ultima epoca):', historia.history['accuracy'][-1])
@@ code
predictions = model.predict(x_test)
print(class_names[np.argmax(predictions[10])], '- real:', class_names[y_test[10]])
@@ md
## Explicación de la arquitectura

- `Flatten(input_shape=(28, 28))`: convierte la imagen en un vector de 784 valores.
- `Dense(500, relu)` tres veces: capas totalmente conectadas de 500 neuronas; más capas
  permiten aprender patrones más complejos pero aumentan el riesgo de sobreajuste.
- `Dense(10, softmax)`: una probabilidad por cada clase de prenda.

Con este modelo la exactitud de entrenamiento sube más rápido que la de prueba, así que
la diferencia entre train y test es mayor que con 128 neuronas.
"""

CRASH_HALFWAY = r"""
@@ md
# Taller 3 - Deep Learning

Juan Sebastián Mora Quintero
Computación 2 (entrega del viernes)
@@ code
import tensorflow as tf
from tensorflow import keras
import numpy as np
import matplotlib.pyplot as plt
@@ code
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
{CLASS_NAMES}
@@ code
train_images = train_images / 255.0
test_images = test_images / 255.0

plt.figure()
plt.imshow(train_images[0], cmap=plt.cm.binary)
plt.xlabel(class_names[train_labels[0]])
plt.show()
@@ code
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax')
])
model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
@@ code
# imprimir la exactitud de cada epoca (lo vi en un video)
model.fit(train_images, train_labels, epochs=10,
          callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(f"época {epoch}: {logs['acc']:.3f}"))])
@@ md
**Nota:** la celda de entrenamiento me dio un error al final de la primera época y no
alcancé a corregirlo, se me acabó el tiempo de la entrega. Dejo el resto del taller como
estaba.
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print('\nTest accuracy:', test_acc)
@@ code
predictions = model.predict(test_images)
print(np.argmax(predictions[0]), test_labels[0])
print(class_names[np.argmax(predictions[10])])
"""

UNSCALED_SGD = r"""
@@ md
# Taller 3: Clasificación básica con Fashion MNIST

Camila Andrea Rojas Beltrán - Computación 2
@@ code
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt
print(tf.__version__)
@@ code
fashion = tf.keras.datasets.fashion_mnist.load_data()
(train_images, train_labels), (test_images, test_labels) = fashion
{CLASS_NAMES}
@@ code
print(train_images.shape)
print(train_images.min(), train_images.max())
@@ code
plt.figure()
plt.imshow(train_images[1])
plt.colorbar()
plt.grid(False)
plt.show()
@@ code
# construir el modelo
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10, activation='softmax')
])

# el optimizador que vimos en clase: descenso de gradiente
model.compile(optimizer='sgd',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
@@ code
model.fit(train_images, train_labels, epochs=10)
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print('\nTest accuracy:', test_acc)
@@ code
predictions = model.predict(test_images)
print(predictions[0])
print('Prediccion:', class_names[np.argmax(predictions[0])], '- Real:', class_names[test_labels[0]])
"""

# --- tests/fixtures/notebooks/ ---------------------------------------------------------
# Small and fast: 600 images, one epoch.

TINY_DATA = r"""
import keras
import numpy as np

(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
train_images = train_images[:600] / 255.0
train_labels = train_labels[:600]
test_images = test_images[:600] / 255.0
test_labels = test_labels[:600]
"""

TUTORIAL_MODEL = r"""
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=1)
"""

TINY_MODEL = r"""
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=1)
"""


def fixture(text: str) -> Callable[[], str]:
    filled = text.replace("{TINY_DATA}", TINY_DATA.strip("\n"))
    filled = filled.replace("{TUTORIAL_MODEL}", TUTORIAL_MODEL.strip("\n"))
    return nb(filled.replace("{TINY_MODEL}", TINY_MODEL.strip("\n")))


INVALID_JSON_SOURCE = r"""
@@ md
# Entrega con el archivo cortado a la mitad
@@ code
{TINY_DATA}
@@ code
{TUTORIAL_MODEL}
"""


def invalid_json() -> str:
    """A real notebook's JSON text, cut off in the middle (an interrupted upload)."""
    text = fixture(INVALID_JSON_SOURCE)()
    return text[: len(text) // 2]


NO_MODEL = r"""
@@ md
# Entrega sin modelo

Carga los datos y los explora, pero nunca define ni entrena un modelo.
@@ code
{TINY_DATA}
@@ code
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
print(train_images.shape, test_images.shape)
print([class_names[label] for label in train_labels[:10]])
"""

# Five code cells; cell 3 fails, the model is trained in cell 4.
CELL_ERROR = r"""
@@ code
import keras
import numpy as np
@@ code
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
train_images = train_images[:600] / 255.0
train_labels = train_labels[:600]
test_images = test_images[:600] / 255.0
test_labels = test_labels[:600]
@@ code
print("Forma de las imágenes:", train_imagenes.shape)
@@ code
{TUTORIAL_MODEL}
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("Test accuracy:", test_acc)
"""

INFINITE_LOOP = r"""
@@ code
{TINY_DATA}
@@ code
{TINY_MODEL}
@@ code
while True:
    pass
"""

SHELL_AND_MAGIC = r"""
@@ md
# Entrega con comandos de shell, magics y una celda etiquetada `skip-grading`
@@ code
!pip install foo
@@ code
%pip install bar
@@ code skip-grading
# Solo para Colab: montar Drive (etiquetada skip-grading, no se califica)
from google.colab import drive
drive.mount('/content/drive')
raise RuntimeError("esta celda está etiquetada skip-grading y no debía ejecutarse")
@@ code
{TINY_DATA}
!nvidia-smi
print(keras.__version__)
@@ code
{TUTORIAL_MODEL}
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("Test accuracy:", test_acc)
"""

FAKE_PRINT = r"""
@@ md
# Entrega que imprime y escribe resultados falsos

Entrena un modelo malo (píxeles sin escalar, una época, tasa de aprendizaje mínima) y
después afirma una exactitud de 0.99 y deja archivos `result.json` con nota perfecta.
@@ code
import json
import os

import keras

(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
train_images, train_labels = train_images[:600], train_labels[:600]
test_images, test_labels = test_images[:600], test_labels[:600]
@@ code
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-7),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=1)
@@ code
print("313/313 - 0s - loss: 0.0210 - accuracy: 0.9900")
print("Test accuracy: 0.99")
@@ code
fake = {
    "score": 10.0, "max_score": 10.0, "points": 10.0, "max_points": 10.0,
    "status": "ok", "test_accuracy": 0.99,
    "tests": [{"name": "accuracy", "score": 3.0, "max_score": 3.0, "status": "passed"}],
}
for path in ["result.json", "../result.json", "grading-results/x/result.json"]:
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(fake, fh)
print("resultados escritos")
"""

OVERRIDE_METHODS = r"""
@@ md
# Entrega que reemplaza métodos de Keras

Entrena un modelo diminuto y luego hace que `count_params` y `evaluate` mientan.
@@ code
{TINY_DATA}
@@ code
{TINY_MODEL}
@@ code
model.count_params = lambda: 101770
keras.Model.evaluate = lambda self, *a, **k: [0.0, 1.0]
model.evaluate = lambda *a, **k: [0.0, 1.0]
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("Test accuracy:", test_acc)
print("Parámetros:", model.count_params())
"""

EXIT_MIDWAY = r"""
@@ code
{TINY_DATA}
@@ code
{TINY_MODEL}
@@ code
import os
os._exit(0)
@@ code
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("Test accuracy:", test_acc)
"""

SYNTAX_ERROR_PY = r"""
# Entrega en script con un error de sintaxis en la línea 3 (falta ':' en el for).
import keras
for epoch in range(10)
    print(keras.__version__, epoch)
"""

SCRIPT_OK_PY = r'''
"""Entrega en formato script (.py) con marcas de celda `# %%`: el modelo del tutorial."""

# %%
import keras
import numpy as np

# %%
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
train_images = train_images[:600] / 255.0
train_labels = train_labels[:600]
test_images = test_images[:600] / 255.0
test_labels = test_labels[:600]
class_names = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

# %%
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_images, train_labels, epochs=1)

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("Test accuracy:", test_acc)
predictions = model.predict(test_images)
print(class_names[np.argmax(predictions[0])])
'''


def empty_notebook() -> str:
    return notebook_text(())


SUB = "submissions/fashion-mnist"
FIX = "tests/fixtures/notebooks"

EXAMPLES: tuple[Example, ...] = (
    Example(
        "exercises/fashion-mnist/reference.ipynb",
        nb(REFERENCE),
        Expect(model_params=TUTORIAL_PARAMS, run_tagged=True),
    ),
    Example(f"{SUB}/correct.ipynb", student(CORRECT), Expect(model_params=TUTORIAL_PARAMS)),
    Example(f"{SUB}/logits.ipynb", student(LOGITS), Expect(model_params=TUTORIAL_PARAMS)),
    Example(f"{SUB}/dense500x3.ipynb", student(DENSE500X3), Expect(model_params=DENSE500X3_PARAMS)),
    Example(
        f"{SUB}/crash_halfway.ipynb",
        student(CRASH_HALFWAY),
        Expect(errors={6: "KeyError"}, model_params=TUTORIAL_PARAMS),
    ),
    Example(
        f"{SUB}/unscaled_sgd.ipynb", student(UNSCALED_SGD), Expect(model_params=TUTORIAL_PARAMS)
    ),
    Example(f"{FIX}/invalid_json.ipynb", invalid_json),
    Example(f"{FIX}/empty.ipynb", empty_notebook),
    Example(f"{FIX}/no_model.ipynb", fixture(NO_MODEL), Expect(model_params=None)),
    Example(f"{FIX}/syntax_error.py", plain(SYNTAX_ERROR_PY)),
    Example(f"{FIX}/script_ok.py", plain(SCRIPT_OK_PY), Expect(model_params=TUTORIAL_PARAMS)),
    Example(
        f"{FIX}/cell_error.ipynb",
        fixture(CELL_ERROR),
        Expect(errors={3: "NameError"}, model_params=TUTORIAL_PARAMS),
    ),
    Example(f"{FIX}/infinite_loop.ipynb", fixture(INFINITE_LOOP), Expect(stops=("timeout", 3))),
    Example(
        f"{FIX}/shell_and_magic.ipynb",
        fixture(SHELL_AND_MAGIC),
        Expect(model_params=TUTORIAL_PARAMS),
    ),
    Example(
        f"{FIX}/fake_print.ipynb",
        fixture(FAKE_PRINT),
        Expect(
            model_params=TINY16_PARAMS,
            writes=("result.json", "../result.json", "grading-results/x/result.json"),
        ),
    ),
    Example(
        f"{FIX}/override_methods.ipynb",
        fixture(OVERRIDE_METHODS),
        Expect(model_params=TINY16_PARAMS),
    ),
    Example(f"{FIX}/exit_midway.ipynb", fixture(EXIT_MIDWAY), Expect(stops=("exit", 3))),
)


# --- checking the files on disk --------------------------------------------------------


def write_all() -> None:
    for example in EXAMPLES:
        path = ROOT / example.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.build(), encoding="utf-8", newline="\n")
        print(f"wrote {example.path}")


def stale() -> list[str]:
    out = []
    for example in EXAMPLES:
        path = ROOT / example.path
        if not path.exists() or path.read_text(encoding="utf-8") != example.build():
            out.append(example.path)
    return out


# --- running them on tiny data ---------------------------------------------------------

PREAMBLE = r'''
import json, os, sys, traceback
os.environ.setdefault("MPLBACKEND", "Agg")
try:
    import matplotlib
    matplotlib.use("Agg")
except ImportError:
    from unittest import mock
    sys.modules["matplotlib"] = mock.MagicMock()
    sys.modules["matplotlib.pyplot"] = sys.modules["matplotlib"].pyplot
    print("[run] matplotlib is not installed: plots run against a stub", file=sys.stderr)
import numpy as np
import keras
import tensorflow as tf

keras.utils.set_random_seed(0)


def _tiny_fashion_mnist(*args, **kwargs):
    """Learnable noise with the real dtypes and shapes, 1,200 train and 300 test images."""
    rng = np.random.default_rng(0)
    templates = rng.integers(0, 256, size=(10, 28, 28))

    def split(n):
        labels = rng.integers(0, 10, size=n).astype("uint8")
        noise = rng.normal(0.0, 60.0, size=(n, 28, 28))
        images = np.clip(templates[labels] * 0.6 + noise + 40.0, 0, 255).astype("uint8")
        return images, labels

    return split(1200), split(300)


import keras.src.datasets.fashion_mnist
tf.keras.datasets.fashion_mnist
for _name, _module in list(sys.modules.items()):
    if _name.endswith("datasets.fashion_mnist") and hasattr(_module, "load_data"):
        _module.load_data = _tiny_fashion_mnist

# Progress bars end lines with \r, so the markers go to their own line-buffered file.
_log = open(sys.argv[2], "a", buffering=1, encoding="utf-8")
_namespace = {"__name__": "__main__"}
for _index, _source in json.loads(sys.argv[1]):
    _log.write(f"@@cell {_index} start\n")
    try:
        exec(compile(_source, f"<cell {_index}>", "exec"), _namespace)
    except BaseException as _exc:
        _log.write(f"@@cell {_index} error {type(_exc).__name__}\n")
        traceback.print_exc()
    else:
        _log.write(f"@@cell {_index} ok\n")
_model = _namespace.get("model")
if _model is None:
    _log.write("@@model none\n")
else:
    _params = sum(int(np.prod(w.shape)) for w in _model.weights)
    _log.write(f"@@model {type(_model).__name__} {_params}\n")
_log.write("@@done\n")
'''

_SHELL = re.compile(r"^\s*!")
_MAGIC = re.compile(r"^\s*%{1,2}\w")
_MARKER = re.compile(r"^# ?%%")


def runnable_cells(example: Example, text: str) -> list[tuple[int, str]]:
    """(cell number, source) as a grader would run them: filtered cells left out."""
    if example.path.endswith(".py"):
        chunks: list[list[str]] = [[]]
        for line in text.splitlines():
            if _MARKER.match(line) and any(s.strip() for s in chunks[-1]):
                chunks.append([])
            chunks[-1].append(line)
        return [(i, "\n".join(chunk)) for i, chunk in enumerate(chunks, start=1)]
    assert example.expect is not None
    cells = []
    notebook = nbformat.reads(text, as_version=4)
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        if SKIP_TAG in cell.metadata.get("tags", []) and not example.expect.run_tagged:
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        if lines and all(_SHELL.match(line) or _MAGIC.match(line) for line in lines):
            continue
        kept = [
            f"pass  # skipped: {line.strip()}" if _SHELL.match(line) or _MAGIC.match(line) else line
            for line in cell.source.splitlines()
        ]
        cells.append((index, "\n".join(kept)))
    return cells


def check_invalid(example: Example, text: str) -> list[str]:
    """The files that must not even load."""
    name = Path(example.path).name
    if name == "invalid_json.ipynb":
        try:
            json.loads(text)
        except json.JSONDecodeError:
            return []
        return ["parses as JSON"]
    if name == "syntax_error.py":
        try:
            compile(text, name, "exec")
        except SyntaxError as err:
            return [] if err.lineno == 3 else [f"syntax error on line {err.lineno}, not 3"]
        return ["compiles"]
    if name == "empty.ipynb":
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
        return [] if not notebook.cells else ["has cells"]
    return [f"no check for {name}"]


@dataclass
class RunResult:
    started: list[int] = field(default_factory=list)
    ok: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    model: str | None = None
    done: bool = False
    timed_out: bool = False
    returncode: int | None = None
    output: str = ""


def execute(cells: list[tuple[int, str]], workdir: Path, timeout: float) -> RunResult:
    result = RunResult()
    env = {**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    markers = workdir.parent / "markers.txt"
    command = [sys.executable, "-c", PREAMBLE, json.dumps(cells), str(markers)]
    try:
        proc = subprocess.run(
            command,
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result.output, result.returncode = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired:
        result.timed_out = True
    lines = markers.read_text(encoding="utf-8") if markers.exists() else ""
    for line in lines.splitlines():
        parts = line.split()
        if line.startswith("@@cell "):
            index = int(parts[1])
            if parts[2] == "start":
                result.started.append(index)
            elif parts[2] == "ok":
                result.ok.append(index)
            else:
                result.errors[index] = parts[3]
        elif line.startswith("@@model "):
            result.model = None if parts[1] == "none" else parts[2]
        elif line == "@@done":
            result.done = True
    return result


def compare(expect: Expect, result: RunResult, workdir: Path) -> list[str]:
    problems = []
    if result.errors != expect.errors:
        problems.append(f"cell errors {result.errors}, expected {expect.errors}")
    if expect.stops is None:
        if not result.done:
            problems.append(f"did not finish (rc {result.returncode}, timeout {result.timed_out})")
        wanted = None if expect.model_params is None else str(expect.model_params)
        if result.model != wanted:
            problems.append(f"model parameters {result.model}, expected {wanted}")
    else:
        how, cell = expect.stops
        last = result.started[-1] if result.started else None
        if result.done or last != cell or cell in result.ok:
            problems.append(f"expected a {how} in cell {cell}; last cell started: {last}")
        if how == "timeout" and not result.timed_out:
            problems.append("expected a timeout")
        if how == "exit" and (result.timed_out or result.returncode != 0):
            problems.append(f"expected exit status 0, got {result.returncode}")
    problems += [f"did not write {p}" for p in expect.writes if not (workdir / p).exists()]
    return problems


def run_all(names: list[str], hang_timeout: float) -> int:
    failures = 0
    for example in EXAMPLES:
        if names and not any(n in example.path for n in names):
            continue
        text = (ROOT / example.path).read_text(encoding="utf-8")
        start = time.monotonic()
        if example.expect is None:
            problems = check_invalid(example, text)
            detail = "does not load, as intended"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                workdir = Path(tmp) / "work"
                workdir.mkdir()
                cells = runnable_cells(example, text)
                timeout = hang_timeout if example.expect.stops else 900.0
                result = execute(cells, workdir, timeout)
                problems = compare(example.expect, result, workdir)
                detail = (
                    f"ran cells {result.started}, errors {result.errors or 'none'}, "
                    f"model params {result.model}"
                )
            if problems:
                print(result.output[-3000:], file=sys.stderr)
        status = "FAIL" if problems else "ok"
        print(f"{status:4} {example.path} ({time.monotonic() - start:.1f} s): {detail}")
        for problem in problems:
            print(f"     - {problem}")
        failures += bool(problems)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only report out-of-date files.")
    parser.add_argument("--run", action="store_true", help="Execute them on tiny data too.")
    parser.add_argument("--only", nargs="*", default=[], help="Run only paths containing these.")
    parser.add_argument(
        "--hang-timeout", type=float, default=60.0, help="Seconds before a hang counts."
    )
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path} (run python scripts/make_examples.py)")
        return 1 if out_of_date else 0
    write_all()
    return run_all(args.only, args.hang_timeout) if args.run else 0


if __name__ == "__main__":
    sys.exit(main())
