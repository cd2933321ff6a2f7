# %% [markdown]
# # Taller 3 - Deep Learning
#
# Autor: **Daniel Felipe Cárdenas Suárez**
# Computación 2, mayo 2025
#
# Guía de clasificación básica (tensorflow.org) con el set Fashion MNIST. Uso la versión
# del tutorial que deja la última capa sin activación y calcula la pérdida con
# `from_logits=True`.

# %%
import tensorflow as tf
import numpy as np
import matplotlib.pyplot as plt

print(tf.__version__)

# %%
(train_images, train_labels), (test_images, test_labels) = (
    tf.keras.datasets.fashion_mnist.load_data()
)
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

# %%
print(train_images.shape, len(train_labels))
print(test_images.shape, len(test_labels))

# %%
plt.figure()
plt.imshow(train_images[0])
plt.colorbar()
plt.grid(False)
plt.show()

# %%
# normalizar los pixeles entre 0 y 1
train_images = train_images / 255.0
test_images = test_images / 255.0

# %% [markdown]
# ## Modelo
#
# La entrada se declara con `tf.keras.Input` en vez de `input_shape` para evitar la
# advertencia de Keras.

# %%
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

# %%
model.fit(train_images, train_labels, epochs=10)

# %%
test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)
print('\nTest accuracy:', test_acc)

# %% [markdown]
# ## Predicciones
#
# El modelo devuelve logits; para tener probabilidades se le agrega una capa `Softmax`.

# %%
probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
predictions = probability_model.predict(test_images)
print(predictions[0])
print(np.argmax(predictions[0]), test_labels[0])
print(class_names[np.argmax(predictions[10])])

# %%
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

# %%
i = 12
plt.figure(figsize=(6,3))
plt.subplot(1,2,1)
plot_image(i, predictions[i], test_labels, test_images)
plt.subplot(1,2,2)
plot_value_array(i, predictions[i],  test_labels)
plt.show()

# %%
img = np.expand_dims(test_images[1], 0)
predictions_single = probability_model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])

# %% [markdown]
# ## Preguntas
#
# 1. **Diferencia entre train y test.** En entrenamiento el modelo ve los mismos datos
#    con los que ajusta sus pesos; en prueba son datos nuevos, así que la exactitud baja
#    un poco y la pérdida sube. La pérdida mide qué tan lejos está la predicción, la
#    exactitud solo si acertó.
# 2. **Imágenes mal clasificadas.** Prendas parecidas entre sí (camisa y blusa, tenis y
#    sandalia), imágenes de baja resolución, borrosas o rotadas.
# 3. **500 neuronas.** Más capacidad: mejor ajuste en train, pero puede memorizar y la
#    diferencia con test aumenta (sobreajuste).
# 4. **20 épocas.** Train sigue subiendo y test se estanca, la brecha crece.
# 5. **Arquitectura.** `Input` de 28x28, `Flatten` a 784, `Dense(128, relu)` oculta y
#    `Dense(10)` sin activación porque la pérdida usa `from_logits=True`; las
#    probabilidades se obtienen con la capa `Softmax` del `probability_model`.
