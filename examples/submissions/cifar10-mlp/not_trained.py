# %% [markdown]
# # Práctica 8
#
# **Estudiante:** Luis Fernández

# %%
import time

from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
# 32x32x3 imágenes aplanadas a 3.072 características, escaladas a [0, 1]
x_train = x_train.reshape(len(x_train), -1).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255.0
y_train, y_test = y_train.ravel(), y_test.ravel()
print(x_train.shape, x_test.shape)

# %%
model = keras.Sequential(
    [
        keras.Input(shape=(3072,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()

# %%
start = time.time()
history = modelo.fit(
    x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test), verbose=2
)
print(f"tiempo de entrenamiento: {time.time() - start:.1f} s")

# %%
train_loss, train_acc = model.evaluate(x_train, y_train, verbose=0)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"train {train_acc:.3f}  test {test_acc:.3f}  brecha {train_acc - test_acc:.3f}")
