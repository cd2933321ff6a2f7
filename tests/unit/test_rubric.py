"""Rubric loading: every bad fixture yields exact, one-line, line-numbered problems."""

from __future__ import annotations

import hashlib
import json
import re
import typing
from pathlib import Path

import pytest
import yaml

from autograder.checks.registry import CHECKS
from autograder.errors import RubricError
from autograder.i18n import en
from autograder.rubric import Check, LoadedRubric, Rubric, load_rubric, rubric_json_schema
from autograder.rubric import models as rubric_models

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rubrics"

CHECK_KINDS = "architecture, parameters, compile, training, accuracy, overfitting_gap"
"""The kinds valid.yaml uses, in order."""
ALL_KINDS = ", ".join(CHECKS)
"""Every registered kind: the rubric union and the registry must agree."""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert caught.value.path == path
    problems = caught.value.problems
    assert problems, "a RubricError must carry at least one problem"
    for problem in problems:
        assert "\n" not in problem
        assert problem.startswith(f"{path}:")
    return problems


def test_valid_rubric_loads_with_every_check_kind() -> None:
    path = FIXTURES / "valid.yaml"
    loaded = load_rubric(path)
    assert isinstance(loaded, LoadedRubric)
    assert loaded.path == path
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    rubric = loaded.rubric
    assert isinstance(rubric, Rubric)
    assert rubric.id == "fashion-mnist"
    assert rubric.dataset.name == "fashion_mnist"
    assert [c.kind for c in rubric.checks] == CHECK_KINDS.split(", ")
    assert rubric.max_points == 10


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "missing_key.yaml",
            ["7: checks[0]: missing required key 'points'"],
            id="missing_key",
        ),
        pytest.param(
            "unknown_kind.yaml",
            [
                f"13: checks[1].kind: unknown check kind 'acuracy' (expected one of: "
                f"{ALL_KINDS}); did you mean 'accuracy'?"
            ],
            id="unknown_kind",
        ),
        pytest.param(
            "unknown_key.yaml",
            [
                "11: checks[1]: missing required key 'layers'",
                "14: checks[1].layres: unknown key (did you mean 'layers'?)",
            ],
            id="unknown_key",
        ),
        pytest.param(
            "bad_dataset.yaml",
            [
                "5: dataset.name: 'fashion-mnst' is not a known dataset (known: mnist, "
                "fashion_mnist, cifar10, cifar100, declared); did you mean 'fashion_mnist'?"
            ],
            id="bad_dataset",
        ),
        pytest.param(
            "yaml_syntax.yaml",
            [
                "11: YAML syntax error: expected ',' or ']', but got ':' "
                "(while parsing a flow sequence on line 10)"
            ],
            id="yaml_syntax",
        ),
        pytest.param(
            "not_a_mapping.yaml",
            ["2: top level must be a mapping of rubric keys, found a list"],
            id="not_a_mapping",
        ),
        pytest.param(
            "duplicate_ids.yaml",
            ["12: checks[1].id: duplicate check id 'accuracy' (also used by checks[0] on line 8)"],
            id="duplicate_ids",
        ),
        pytest.param(
            "bad_range.yaml",
            ["10: checks[0].epochs: min (20.0) is greater than max (5.0)"],
            id="bad_range",
        ),
    ],
)
def test_bad_fixture_reports_exact_lines(fixture: str, expected: list[str]) -> None:
    path = FIXTURES / fixture
    assert problems_of(path) == [f"{path}:{line}" for line in expected]


def test_error_message_is_first_problem_and_counts_the_rest() -> None:
    path = FIXTURES / "unknown_key.yaml"
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value) == f"{caught.value.problems[0]} (and 1 more)"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "rubric.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


HEAD = "schema_version: 1\nid: x\ntitle: t\ndataset: {name: mnist}\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "checks:\n  - {kind: training, id: t, points: 1, epochs: ten}\n",
            ["6: checks[0].epochs: expected an integer or a {min, max} mapping, got 'ten'"],
            id="scalar-fits-no-union-member",
        ),
        pytest.param(
            "checks:\n  - {kind: parameters, id: p, points: 1, total: {mn: 3}}\n",
            ["6: checks[0].total.mn: unknown key (did you mean 'min'?)"],
            id="error-inside-union-member",
        ),
        pytest.param(
            "checks:\n  - {kind: accuracy, id: a, points: -1, min: 1.5}\n",
            [
                "6: checks[0].points: must be at least 0, got -1",
                "6: checks[0].min: must be at most 1, got 1.5",
            ],
            id="bounds",
        ),
        pytest.param(
            "checks:\n  - {id: a, points: 1}\n",
            [f"6: checks[0]: missing required key 'kind' (expected one of: {ALL_KINDS})"],
            id="no-kind",
        ),
        pytest.param(
            "checks:\n  - kind: accuracy\n    id: a b\n"
            "    points: 1\n    points: 2\n    min: 0.5\n",
            [
                "7: checks[0].id: 'a b' is not allowed: use only letters, digits, '_', '.' and '-'",
                "9: checks[0].points: duplicate key "
                "(first on line 8; YAML would keep only the last)",
            ],
            id="pattern-and-duplicate-key",
        ),
        pytest.param("checks: []\n", ["5: checks: must not be empty"], id="empty-checks"),
        pytest.param(
            "environment: {find_links: [a, b, c, d, e, f, g, h, i, j, k]}\n"
            "checks:\n  - {kind: accuracy, id: a, points: 1, min: 0.5}\n",
            ["5: environment.find_links: takes at most 10 entries"],
            id="too-many-entries",
        ),
        pytest.param(
            "checks: [oops]\n", ["5: checks[0]: expected a mapping, got 'oops'"], id="scalar-check"
        ),
    ],
)
def test_inline_problems(tmp_path: Path, body: str, expected: list[str]) -> None:
    path = write(tmp_path, HEAD + body)
    assert problems_of(path) == [f"{path}:{line}" for line in expected]


def test_top_level_problems_point_at_their_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 2\nid: x\ndataset: mnist\nchecks: {}\n")
    assert problems_of(path) == [
        f"{path}:1: schema_version: must be 1, got 2",
        f"{path}:1: missing required key 'title'",
        f"{path}:3: dataset: expected a {{name, declared, preprocessing}} mapping, got 'mnist'",
        f"{path}:4: checks: expected a list, got a mapping",
    ]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert problems_of(path) == [f"{path}: rubric file not found"]


def test_directory_is_not_a_rubric(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [f"{tmp_path}: is a directory, not a rubric file"]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"schema_version: 1\ntitle: caf\xe9\n")
    assert problems_of(path) == [f"{path}:2: not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n")
    assert problems_of(path) == [f"{path}:1: the file is empty; expected a mapping of rubric keys"]


def test_unterminated_quote_points_where_it_opened(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version: 1\ntitle: "open\nid: x\n')
    assert problems_of(path) == [
        f"{path}:2: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar on line 2)"
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    text = (FIXTURES / "valid.yaml").read_bytes()
    path = write(tmp_path, b"\xef\xbb\xbf" + text)
    assert load_rubric(path).rubric.id == "fashion-mnist"


def test_loaded_rubric_is_frozen() -> None:
    loaded = load_rubric(FIXTURES / "valid.yaml")
    with pytest.raises(AttributeError):
        loaded.sha256 = "x"  # type: ignore[misc]


def test_check_is_the_discriminated_union() -> None:
    members = typing.get_args(typing.get_args(Check)[0])
    kinds = [m.model_fields["kind"].default for m in members]
    assert kinds == ALL_KINDS.split(", ")


# --- JSON schema ---------------------------------------------------------------------


def test_schema_is_json_with_dialect_and_title() -> None:
    schema = rubric_json_schema()
    again = json.loads(json.dumps(schema))
    assert again == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "autograder rubric"


def test_schema_lists_check_kinds_in_discriminator_and_one_of() -> None:
    items = rubric_json_schema()["properties"]["checks"]["items"]
    kinds = set(ALL_KINDS.split(", "))
    assert items["discriminator"]["propertyName"] == "kind"
    assert set(items["discriminator"]["mapping"]) == kinds
    refs = {option["$ref"] for option in items["oneOf"]}
    assert refs == set(items["discriminator"]["mapping"].values())


def test_schema_fields_have_descriptions() -> None:
    schema = rubric_json_schema()
    assert schema["properties"]["checks"]["description"]
    accuracy = schema["$defs"]["AccuracyCheck"]["properties"]
    for field in ("id", "points", "split", "min", "max"):
        assert accuracy[field]["description"], field


def test_schema_accepts_the_valid_fixture() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = rubric_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load((FIXTURES / "valid.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


# --- the reader's language -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "missing_key.yaml",
            ["7: checks[0]: falta la clave obligatoria 'points'"],
            id="missing_key",
        ),
        pytest.param(
            "unknown_key.yaml",
            [
                "11: checks[1]: falta la clave obligatoria 'layers'",
                "14: checks[1].layres: clave desconocida (¿quiso decir 'layers'?)",
            ],
            id="unknown_key",
        ),
        pytest.param(
            "duplicate_ids.yaml",
            [
                "12: checks[1].id: id de comprobación repetido 'accuracy' "
                "(también lo usa checks[0] en la línea 8)"
            ],
            id="duplicate_ids",
        ),
        pytest.param(
            "bad_range.yaml",
            ["10: checks[0].epochs: min (20,0) es mayor que max (5,0)"],
            id="bad_range",
        ),
    ],
)
def test_problems_in_spanish(fixture: str, expected: list[str]) -> None:
    path = FIXTURES / fixture
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert caught.value.problems_in("es") == [f"{path}:{line}" for line in expected]
    assert caught.value.problems_in("en") == caught.value.problems


def test_union_shape_error_in_spanish(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "checks:\n  - {kind: accuracy, id: a, points: 1, min: sí}\n")
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert caught.value.problems_in("es") == [
        f"{path}:6: checks[0].min: se esperaba un número o un mapeo {{reference, ratio}}, hay 'sí'"
    ]


def test_every_validator_error_key_is_in_the_catalog() -> None:
    # The models raise `invalid("rubric.<name>")`; the type doubles as the catalog key.
    source = (Path(rubric_models.__file__)).read_text(encoding="utf-8")
    keys = set(re.findall(r"""invalid\(\s*"([a-z_.]+)\"""", source))
    assert len(keys) >= 10, "the scan found too few invalid() calls"
    assert keys <= set(en.MESSAGES), keys - set(en.MESSAGES)
