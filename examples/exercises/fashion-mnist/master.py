# %% [markdown]
# # Taller 3: clasificación de prendas con Fashion-MNIST
#
# Complete las celdas que dicen `# YOUR CODE HERE` (borre el `raise NotImplementedError()`)
# y responda las preguntas del final. El modelo que se califica es el de la variable
# `model`: no le cambie el nombre.
# <!-- BEGIN HIDDEN -->
#
# Notas del docente (los estudiantes no ven este párrafo): el modelo del tutorial de
# clasificación básica de TensorFlow, `Flatten -> Dense(128, relu) -> Dense(10, softmax)`,
# compilado con Adam y entrenado 10 épocas. `autograder reference` reentrena la
# referencia con semilla fija para medir los umbrales relativos de la rúbrica. Las
# variantes del final usan otros nombres y llevan la etiqueta `skip-grading`, así que el
# calificador no las ejecuta.
# <!-- END HIDDEN -->

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

print(keras.__version__)

# %% [markdown]
# ## Datos
#
# 60.000 imágenes de entrenamiento y 10.000 de prueba, de 28x28 píxeles en escala de
# grises (0 a 255), con etiquetas de 0 a 9.

# %%
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

# %%
plt.figure()
plt.imshow(train_images[0])
plt.colorbar()
plt.grid(False)
plt.title(class_names[train_labels[0]])
plt.show()

# %% [markdown]
# ## Preprocesamiento
#
# Los píxeles se llevan al rango [0, 1] dividiendo por 255, igual en entrenamiento y prueba.

# %%
### BEGIN SOLUTION
train_images = train_images / 255.0
test_images = test_images / 255.0
### END SOLUTION

# %%
plt.figure(figsize=(10, 10))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()

# %% [markdown]
# ## Modelo
#
# `Flatten` convierte cada imagen de 28x28 en un vector de 784 valores; la capa oculta
# `Dense(128, relu)` tiene 784 * 128 + 128 = 100.480 parámetros y la salida
# `Dense(10, softmax)` 128 * 10 + 10 = 1.290: 101.770 en total, todos entrenables.

# %%
### BEGIN SOLUTION
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
### END SOLUTION
model.summary()

# %% tags=["solution"]
model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

# %%
history = model.fit(train_images, train_labels, epochs=10)

# %% [markdown]
# ## Evaluación

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("\nTest accuracy:", test_acc)

# %% [markdown]
# ## Predicciones

# %%
predictions = model.predict(test_images)
print(predictions[0])
print("predicha:", np.argmax(predictions[0]), "real:", test_labels[0])
print("imagen 10:", class_names[np.argmax(predictions[10])])

# %%
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

# %%
img = np.expand_dims(test_images[1], 0)
predictions_single = model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])

# %% [markdown]
# ## Variantes (no calificadas)
#
# Las preguntas 3 y 4 piden comparar el sobreajuste (exactitud de entrenamiento menos la de prueba) con 500
# neuronas ocultas, con tres capas de 500 y con 20 épocas. Esta celda lleva la etiqueta
# `skip-grading`: el calificador no la ejecuta y `model` sigue siendo el modelo del
# tutorial.

# %% tags=["skip-grading", "solution"]
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

# %% [markdown]
# ## Preguntas del taller
#
# Responda debajo de cada pregunta, en esta misma celda.
#
# **1. ¿Por qué existe una diferencia entre 'accuracy' o 'loss' en las fases de
# entrenamiento y pruebas?**
#
# <!-- BEGIN HIDDEN -->
# El modelo ajusta sus pesos sobre los datos de entrenamiento; los de prueba son datos no
# vistos, así que la exactitud suele ser algo menor y la pérdida algo mayor (sobreajuste).
# La pérdida mide también la confianza de cada predicción, no solo si acierta, por eso
# las dos métricas no se mueven igual.
# <!-- END HIDDEN -->
#
# **2. ¿Por qué algunas imágenes no lograron ser categorizadas correctamente?**
#
# <!-- BEGIN HIDDEN -->
# Clases parecidas en 28x28 y escala de grises (Shirt, T-shirt/top, Pullover, Coat;
# Sneaker, Sandal, Ankle boot), ejemplos atípicos o mal centrados, y un modelo denso que
# no aprovecha la estructura espacial (una CNN sí).
# <!-- END HIDDEN -->
#
# **3. ¿Qué ocurre al pasar de 128 a 500 neuronas?**
#
# <!-- BEGIN HIDDEN -->
# Más parámetros y más capacidad: la exactitud de entrenamiento sube más que la de
# prueba y la diferencia tiende a crecer.
# <!-- END HIDDEN -->
#
# **4. ¿Qué ocurre al pasar de 10 a 20 épocas?**
#
# <!-- BEGIN HIDDEN -->
# El entrenamiento sigue mejorando; la prueba se estanca o empeora (la pérdida de prueba
# sube), así que la diferencia crece: sobreajuste.
# <!-- END HIDDEN -->
#
# **5. Explique la arquitectura capa por capa.**
#
# <!-- BEGIN HIDDEN -->
# `Flatten` (784 valores, sin parámetros), `Dense(128, relu)` oculta (100.480
# parámetros) y `Dense(10, softmax)` de salida (1.290), una probabilidad por clase. Con
# salida lineal y `from_logits=True` el modelo es equivalente.
# <!-- END HIDDEN -->
