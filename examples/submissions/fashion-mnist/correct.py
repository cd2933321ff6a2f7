# %% [markdown]
# # Taller 3 - Deep Learning
#
# **Estudiante:** Valentina Ospina Restrepo
# Computación 2 - Facultad de Ciencias Exactas e Ingeniería
# Mayo 2025
#
# Clasificación de artículos de ropa con el set de datos Fashion MNIST, siguiendo la guía
# de clasificación básica de tensorflow.org.

# %%
# TensorFlow y tf.keras
import tensorflow as tf
from tensorflow import keras

# Librerias de ayuda
import numpy as np
import matplotlib.pyplot as plt

print(tf.__version__)

# %% [markdown]
# ## Importar el set de datos de moda de MNIST
#
# Al cargar el set de datos se obtienen cuatro arreglos de NumPy: `train_images` y
# `train_labels` para entrenar, `test_images` y `test_labels` para evaluar.

# %%
(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()

# %%
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
for i in range(len(class_names)):
    print(i, " -> ", class_names[i])

# %% [markdown]
# ## Explorar los datos

# %%
print("Train images: ", train_images.shape)
print("Train labels: ", len(train_labels))
print("Test images: ", test_images.shape)
print("Test labels: ", len(test_labels))

# %%
IMAGE_INDEX = 100
plt.figure()
plt.title(f"Label index: {train_labels[IMAGE_INDEX]}, Label conversion: '{class_names[train_labels[IMAGE_INDEX]]}'")
plt.imshow(train_images[IMAGE_INDEX])
plt.colorbar()
plt.grid(False)
plt.show()

# %% [markdown]
# ## Preprocesar el set de datos
#
# Escalamos los valores de 0-255 a un rango de 0 a 1 dividiendo por 255. El set de
# entrenamiento y el de pruebas se procesan igual.

# %%
train_images = train_images / 255.0
test_images = test_images / 255.0

# %%
plt.figure(figsize=(10,10))
for i in range(25):
    plt.subplot(5,5,i+1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i], cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()

# %% [markdown]
# ## Construir el modelo

# %%
# ignorar el warning
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation=tf.nn.relu),
    keras.layers.Dense(10, activation=tf.nn.softmax)
])

# %%
model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

# %% [markdown]
# ## Entrenar el modelo

# %%
model.fit(train_images, train_labels, epochs=10)

# %% [markdown]
# ## Evaluar exactitud

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)

print('\nTest accuracy:', test_acc)

# %% [markdown]
# La exactitud en prueba es un poco menor que en entrenamiento: el modelo tiene algo de
# sobreajuste.
#
# ## Hacer predicciones

# %%
predictions = model.predict(test_images)
TEST_IMAGE_INDEX = 0
predictions[TEST_IMAGE_INDEX]

# %%
for i in range(len(predictions[TEST_IMAGE_INDEX])):
    print(f"{predictions[TEST_IMAGE_INDEX][i]*100:.2f}% -> Tag: {class_names[i]}")
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

# %%
# Grab an image from the test dataset.
img = test_images[1]
img = (np.expand_dims(img,0))
print(img.shape)

predictions_single = model.predict(img)
print(predictions_single)
print(class_names[np.argmax(predictions_single[0])])

# %% [markdown]
# ## Preguntas del taller
#
# **1. ¿Por qué existe una diferencia entre 'accuracy' o 'loss' en las fases de
# entrenamiento y pruebas?**
#
# Porque el modelo ajusta sus pesos con las imágenes de entrenamiento y las de prueba no
# las ha visto nunca. Sobre los datos que conoce le va mejor; sobre datos nuevos se
# equivoca un poco más. Además la pérdida castiga las predicciones poco seguras aunque
# acierten, por eso no se comporta igual que la exactitud.
#
# **2. ¿Por qué algunas imágenes no lograron ser categorizadas correctamente?**
#
# Hay clases muy parecidas a 28x28 píxeles en gris, como camisa, camiseta y pullover, o
# sandalia y tenis. También hay imágenes raras o mal centradas, y una red densa no tiene
# en cuenta la posición de los píxeles como lo haría una red convolucional.
#
# **3. ¿Qué ocurre al pasar de 128 a 500 neuronas?**
#
# El modelo tiene muchos más parámetros y se ajusta más a los datos de entrenamiento. La
# exactitud de entrenamiento sube más que la de prueba, así que la diferencia aumenta.
#
# **4. ¿Qué ocurre al pasar de 10 a 20 épocas?**
#
# El entrenamiento sigue mejorando pero la prueba casi no cambia o empeora: la diferencia
# entre train y test crece porque el modelo empieza a memorizar (sobreajuste).
#
# **5. Arquitectura del modelo**
#
# `Flatten` aplana la imagen de 28x28 en 784 valores. `Dense(128)` con ReLU es la capa
# oculta. `Dense(10)` con softmax da una probabilidad para cada una de las 10 clases.
