# %% [markdown]
# # Laboratorio 2: experimentos con redes en MNIST (solución de referencia)
#
# Cada experimento entrena un modelo distinto; el calificador exporta y mide todos.
# `autograder reference` reentrena este notebook para fijar el umbral relativo de la red
# convolucional final (`model`). Las celdas de los experimentos 1 a 5 llevan la etiqueta
# `skip-grading`: la referencia solo entrena la CNN, que es lo único que mide.

# %%
import time

from tensorflow import keras
from tensorflow.keras import layers, regularizers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
EPOCHS = 2  # pocas épocas para que todo el laboratorio corra en minutos
resultados = []

# %%
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

# %% [markdown]
# ## 1. Número de neuronas en la capa oculta

# %% tags=["skip-grading"]
for n in [50, 100, 200, 300, 500]:
    entrenar(mlp([n]), f"1 capa oculta de {n}")

# %% [markdown]
# ## 2. Profundidad

# %% tags=["skip-grading"]
entrenar(mlp([300, 50]), "2 capas (300, 50)")
entrenar(mlp([520, 300, 250, 130, 60]), "5 capas (520-300-250-130-60)")

# %% [markdown]
# ## 3. Funciones de activación

# %% tags=["skip-grading"]
entrenar(mlp([300, 50], "sigmoid"), "todo sigmoide")
entrenar(mlp([300, 100, 50], ["relu", "tanh", "sigmoid"]), "relu / tanh / sigmoide")

# %% [markdown]
# ## 4. Tamaño de lote y tasa de aprendizaje

# %% tags=["skip-grading"]
entrenar(mlp([300]), "lote 10000", batch_size=10000)
entrenar(mlp([300]), "lr 0.0001", optimizador=keras.optimizers.Adam(learning_rate=0.0001))
entrenar(mlp([300]), "lr 0.02", optimizador=keras.optimizers.Adam(learning_rate=0.02))

# %% [markdown]
# ## 5. Regularización

# %% tags=["skip-grading"]
entrenar(mlp([300], dropout=0.3, l2=0.001), "Dropout 0.3 + L2 0.001")

# %% [markdown]
# ## 6. Red convolucional final

# %%
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(
            32, 3, activation="relu", padding="same", kernel_regularizer=regularizers.l2(0.001)
        ),
        layers.BatchNormalization(),
        layers.Conv2D(32, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu", padding="same"),
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

# %%
for nombre, acc, tiempo in resultados:
    print(f"{nombre:35s} {acc:.4f} {tiempo:6.1f} s")
