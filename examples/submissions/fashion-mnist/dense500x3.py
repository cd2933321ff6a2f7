# %% [markdown]
# # Taller 3 - Redes neuronales
#
# Estudiante: Andrés Felipe Guzmán Pardo
# Computación 2
#
# Hice la variante del punto 5: tres capas ocultas de 500 neuronas en lugar de una de 128.

# %%
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt

# %%
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
print(x_train.shape, x_test.shape)

# %%
plt.imshow(x_train[7], cmap='gray')
plt.title(class_names[y_train[7]])
plt.show()

# %%
x_train = x_train / 255.0
x_test = x_test / 255.0

# %%
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(500, activation='relu'),
    tf.keras.layers.Dense(10, activation='softmax')
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.summary()

# %%
historia = model.fit(x_train, y_train, epochs=10)

# %%
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print('Test accuracy:', test_acc)
print('Train accuracy (ultima epoca):', historia.history['accuracy'][-1])

# %%
predictions = model.predict(x_test)
print(class_names[np.argmax(predictions[10])], '- real:', class_names[y_test[10]])

# %% [markdown]
# ## Explicación de la arquitectura
#
# - `Flatten(input_shape=(28, 28))`: convierte la imagen en un vector de 784 valores.
# - `Dense(500, relu)` tres veces: capas totalmente conectadas de 500 neuronas; más capas
#   permiten aprender patrones más complejos pero aumentan el riesgo de sobreajuste.
# - `Dense(10, softmax)`: una probabilidad por cada clase de prenda.
#
# Con este modelo la exactitud de entrenamiento sube más rápido que la de prueba, así que
# la diferencia entre train y test es mayor que con 128 neuronas.
