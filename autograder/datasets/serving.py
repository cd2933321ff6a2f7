"""What the kernel-side provider (:mod:`autograder.kernel.provider`) is told.

The kernel imports nothing from the grader, so the facts tfds' info object reports
(class names) and every sentence the student may read (Colab leftovers, a dataset the
exercise does not serve) travel in its configuration, rendered for the student's
language from the message catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autograder.datasets.base import DataOptions
from autograder.datasets.registry import get_info
from autograder.i18n import CATALOGS, Language

_PREFIX = "kernel."


def kernel_options(options: DataOptions) -> DataOptions:
    """The kernel always gets the whole splits; a fraction shortens training, not data."""
    return options.model_copy(update={"fraction": 1.0})


def provider_settings(names: Iterable[str], lang: Language) -> dict[str, Any]:
    """The provider's ``dataset_info`` and ``messages`` (catalog templates in ``lang``)."""
    catalog = CATALOGS[lang]
    return {
        "dataset_info": {
            name: {
                "class_names": list(get_info(name).class_names),
                "num_classes": get_info(name).num_classes,
            }
            for name in names
        },
        # Templates, not sentences: the kernel fills in the path or file name it saw.
        "messages": {
            key.removeprefix(_PREFIX): template
            for key, template in catalog.items()
            if key.startswith(_PREFIX)
        },
    }
