# %% [markdown]
# # Taller 3: Clasificación básica con Fashion MNIST
#
# Camila Andrea Rojas Beltrán - Computación 2

# %%
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt
print(tf.__version__)

# %%
fashion = tf.keras.datasets.fashion_mnist.load_data()
(train_images, train_labels), (test_images, test_labels) = fashion
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

# %%
print(train_images.shape)
print(train_images.min(), train_images.max())

# %%
plt.figure()
plt.imshow(train_images[1])
plt.colorbar()
plt.grid(False)
plt.show()

# %%
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

# %%
model.fit(train_images, train_labels, epochs=10)

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print('\nTest accuracy:', test_acc)

# %%
predictions = model.predict(test_images)
print(predictions[0])
print('Prediccion:', class_names[np.argmax(predictions[0])], '- Real:', class_names[test_labels[0]])
