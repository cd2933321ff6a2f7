# %% [markdown]
# # Laboratorio 2
#
# **Estudiante:** Carla Rojas
#
# Solo alcancé a hacer el barrido de neuronas.

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

# %%
for n in [50, 100, 200, 300, 500]:
    entrenar(mlp([n]), f"1 capa oculta de {n}")

# %%
model = mlp([300])
