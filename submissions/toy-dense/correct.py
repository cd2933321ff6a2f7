# Taller 3, parte 2 - Sofía Vargas

import numpy as np
from tensorflow import keras

data = np.load("toy_dense.npz")
x_train, y_train = data["x_train"] / 255.0, data["y_train"]
x_test, y_test = data["x_test"] / 255.0, data["y_test"]

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
