"""Grade Keras/TensorFlow coursework against declarative YAML rubrics."""

__version__ = "0.1.0"
