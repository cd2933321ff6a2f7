# %% [markdown]
# # Taller 3 - Deep Learning
#
# Juan Sebastián Mora Quintero
# Computación 2 (entrega del viernes)

# %%
import tensorflow as tf
from tensorflow import keras
import numpy as np
import matplotlib.pyplot as plt

# %%
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

# %%
train_images = train_images / 255.0
test_images = test_images / 255.0

plt.figure()
plt.imshow(train_images[0], cmap=plt.cm.binary)
plt.xlabel(class_names[train_labels[0]])
plt.show()

# %%
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax')
])
model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

# %%
# imprimir la exactitud de cada epoca (lo vi en un video)
model.fit(train_images, train_labels, epochs=10,
          callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(f"época {epoch}: {logs['acc']:.3f}"))])

# %% [markdown]
# **Nota:** la celda de entrenamiento me dio un error al final de la primera época y no
# alcancé a corregirlo, se me acabó el tiempo de la entrega. Dejo el resto del taller como
# estaba.

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print('\nTest accuracy:', test_acc)

# %%
predictions = model.predict(test_images)
print(np.argmax(predictions[0]), test_labels[0])
print(class_names[np.argmax(predictions[10])])
