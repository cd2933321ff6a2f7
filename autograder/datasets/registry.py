"""The datasets the autograder can serve, with the facts student code relies on.

Shapes, sizes and label layouts match ``keras.datasets.<name>.load_data()`` so a
synthetic stand-in is a drop-in replacement for the real arrays.
"""

from __future__ import annotations

from autograder.datasets.base import DatasetInfo
from autograder.errors import DatasetError

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)

# CIFAR-100 fine labels grouped by superclass; the fine label ids are the
# alphabetical order of the names, which is how the dataset numbers them.
CIFAR100_SUPERCLASSES: tuple[tuple[str, ...], ...] = (
    ("beaver", "dolphin", "otter", "seal", "whale"),
    ("aquarium_fish", "flatfish", "ray", "shark", "trout"),
    ("orchid", "poppy", "rose", "sunflower", "tulip"),
    ("bottle", "bowl", "can", "cup", "plate"),
    ("apple", "mushroom", "orange", "pear", "sweet_pepper"),
    ("clock", "keyboard", "lamp", "telephone", "television"),
    ("bed", "chair", "couch", "table", "wardrobe"),
    ("bee", "beetle", "butterfly", "caterpillar", "cockroach"),
    ("bear", "leopard", "lion", "tiger", "wolf"),
    ("bridge", "castle", "house", "road", "skyscraper"),
    ("cloud", "forest", "mountain", "plain", "sea"),
    ("camel", "cattle", "chimpanzee", "elephant", "kangaroo"),
    ("fox", "porcupine", "possum", "raccoon", "skunk"),
    ("crab", "lobster", "snail", "spider", "worm"),
    ("baby", "boy", "girl", "man", "woman"),
    ("crocodile", "dinosaur", "lizard", "snake", "turtle"),
    ("hamster", "mouse", "rabbit", "shrew", "squirrel"),
    ("maple_tree", "oak_tree", "palm_tree", "pine_tree", "willow_tree"),
    ("bicycle", "bus", "motorcycle", "pickup_truck", "train"),
    ("lawn_mower", "rocket", "streetcar", "tank", "tractor"),
)

CIFAR100_CLASSES = tuple(sorted(name for group in CIFAR100_SUPERCLASSES for name in group))

REGISTRY: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo(
        name="mnist",
        image_shape=(28, 28),
        num_classes=10,
        class_names=tuple(str(digit) for digit in range(10)),
        train_size=60_000,
        test_size=10_000,
        labels_as_column=False,
    ),
    "fashion_mnist": DatasetInfo(
        name="fashion_mnist",
        image_shape=(28, 28),
        num_classes=10,
        class_names=FASHION_MNIST_CLASSES,
        train_size=60_000,
        test_size=10_000,
        labels_as_column=False,
    ),
    "cifar10": DatasetInfo(
        name="cifar10",
        image_shape=(32, 32, 3),
        num_classes=10,
        class_names=CIFAR10_CLASSES,
        train_size=50_000,
        test_size=10_000,
        labels_as_column=True,
    ),
    "cifar100": DatasetInfo(
        name="cifar100",
        image_shape=(32, 32, 3),
        num_classes=100,
        class_names=CIFAR100_CLASSES,
        train_size=50_000,
        test_size=10_000,
        labels_as_column=True,
    ),
}


def get_info(name: str) -> DatasetInfo:
    """The registry entry for ``name``; raises DatasetError for unknown names."""
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise DatasetError(f"unknown dataset {name!r}; known: {known}") from None
