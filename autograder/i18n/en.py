"""English catalog. Keys and placeholders must match es.py (tests/unit/test_i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- check messages (CheckResult.message_id) -------------------------------------
    "check.no_model": "no trained model was captured: {reason}",
    "check.not_registered": "no check is registered for kind {kind}",
    "check.crashed": "the check itself failed: {error}",
    "check.no_reference": (
        "{what}: the reference solution has no measurement to derive the threshold from"
    ),
    "check.quick_skipped": "skipped: not decided in --quick mode",
    "architecture.pass": "{count} layers match: {layers}",
    "architecture.mismatch": "layer {position}: expected {expected}, found {found}",
    "architecture.mismatch.hint": (
        "Compare layer {position} of your model with the statement: it asks for {expected}."
    ),
    "architecture.missing": "{count} layer(s) missing: {layers}",
    "architecture.missing.hint": "Add the missing layer(s) in this order: {layers}.",
    "architecture.extra": "{count} layer(s) more than the statement asks for: {layers}",
    "architecture.extra.hint": "Remove {layers}, or check that the statement asks for it.",
    "parameters.pass": "parameter count as expected: {found}",
    "parameters.mismatch": "{which} parameters: found {found}, expected {expected}",
    "parameters.mismatch.hint": (
        "A Dense layer with n inputs and u units has n*u + u parameters; "
        "a difference here usually means a layer with other units or an extra layer."
    ),
    "compile.never": "the model was never compiled",
    "compile.never.hint": "Call model.compile(optimizer=..., loss=..., metrics=[...]) "
    "before model.fit.",
    "compile.pass": "compiled as expected: {summary}",
    "compile.mismatch": "{setting}: found {found}, expected {expected}",
    "compile.mismatch.hint": "Change `{setting}` in model.compile(...) to {expected}.",
    "compile.double_softmax": (
        "the loss uses from_logits=True but the output layer already applies {activation}"
    ),
    "compile.double_softmax.hint": (
        "Use from_logits=True only when the last layer has no activation (it outputs logits)."
    ),
    "compile.logits_unmarked": (
        "the output layer outputs logits ({activation}) but the loss expects probabilities"
    ),
    "compile.logits_unmarked.hint": (
        "Add activation='softmax' to the last layer, or pass from_logits=True to the loss."
    ),
    "training.pass": "trained as expected: {summary}",
    "training.no_fit": "the model was never trained (model.fit was not called)",
    "training.no_fit.hint": "Train the model with model.fit(...) as the statement asks.",
    "training.mismatch": "{setting}: found {found}, expected {expected}",
    "training.mismatch.hint": "Set `{setting}` in model.fit(...) to {expected}.",
    "accuracy.pass": "{split} accuracy {value:.4f} (required {bounds})",
    "accuracy.low": "{split} accuracy {value:.4f} is below the minimum {bound:g}",
    "accuracy.low.hint": (
        "Check the preprocessing (pixels / 255.0), the number of epochs and the loss; "
        "then train again."
    ),
    "accuracy.high": "{split} accuracy {value:.4f} is above the maximum {bound:g}",
    "accuracy.unmeasured": "{split} accuracy could not be measured: {reason}",
    "gap.pass": "gap {gap:.3f} within {bound:g} (train {train:.3f}, test {test:.3f})",
    "gap.no_limit": "gap {gap:.3f} (train {train:.3f}, test {test:.3f}); no limit set",
    "gap.high": "gap {gap:.3f} is above {bound:g} (train {train:.3f}, test {test:.3f})",
    "gap.high.hint": (
        "The model overfits: train for fewer epochs, or add regularisation if the "
        "statement allows it."
    ),
    "gap.unmeasured": "the gap could not be measured: {reason}",
    "gap.not_learned": (
        "no credit for the gap {gap:.3f}: test accuracy {test:.3f} is below {floor:.3f}, "
        "the least that shows the model learned (chance is {chance:.3f})"
    ),
    "gap.not_learned.hint": (
        "A model that has not learned has no meaningful gap: first make it learn "
        "(pixel scaling, loss, learning rate), then the gap counts."
    ),
    "check.no_model.hint": (
        "Make sure the notebook builds, compiles and trains the model in a variable "
        "named `{variable}`, and runs from top to bottom without errors."
    ),
    "claims.pass": "claimed {claimed:.4g}, measured {measured:.4g} (within {tolerance:g})",
    "claims.mismatch": (
        "cell {cell} claims {claimed:.4g} but the grader measured {measured:.4g} "
        "(differs by {difference:.3f} > {tolerance:g})"
    ),
    "claims.mismatch.hint": (
        "Report the accuracy your final model really reaches: rerun the notebook from "
        "top to bottom and copy the number from model.evaluate."
    ),
    "claims.synthetic": "skipped on synthetic data: the notebook's own numbers are not comparable",
    "claims.fraction": "skipped: graded on {fraction:g} of the data, the notebook on all of it",
    "claims.none": "no test accuracy reported in the notebook's saved outputs or markdown",
    # --- the student's self-check report (autograder check) ---------------------------
    "report.title": "Self-check: {title}",
    "report.submission": "Notebook: {path}",
    "report.data": "Data: {source}, {percent} of each split",
    "report.quick": (
        "Quick mode: at most {epochs} epoch(s) on {percent} of the data. Checks that need "
        "the full training are skipped; run without --quick to decide them."
    ),
    "report.expected": "expected",
    "report.found": "found",
    "report.hint": "hint",
    "report.score": "Score on the public checks: {score:g} / {max:g}",
    "report.hidden": "{count} more check(s) are graded by your instructor only.",
    "report.undecided": "Not decided in --quick mode: {ids}",
    "report.html": "HTML feedback: {path}",
    "report.ok": "All required checks pass.",
    "report.failed": "{count} required check(s) failed: {ids}",
    "report.not_graded": "The notebook could not be graded ({status}): {message}",
    "report.cell_error": "cell {cell} raised {ename}: {evalue}",
    "report.missing_module": (
        "cell {cell}: module `{module}` is not installed where notebooks are graded; "
        "the instructor adds it to the rubric: `environment: {{packages: [{package}]}}`"
    ),
    "status.pass": "pass",
    "status.fail": "fail",
    "status.partial": "partial",
    "status.error": "error",
    "status.skipped": "skipped",
    # --- HTML feedback and dashboard --------------------------------------------------
    "html.feedback_title": "Feedback: {submission}",
    "html.dashboard_title": "Class dashboard: {rubric}",
    "html.score": "Score",
    "html.checks": "Checks",
    "html.check": "Check",
    "html.status": "Status",
    "html.points": "Points",
    "html.message": "Message",
    "html.architecture": "Architecture",
    "html.position": "#",
    "html.expected_layer": "Expected",
    "html.found_layer": "Found",
    "html.problems": "Problems",
    "html.curves": "Learning curves",
    "html.curves_missing": "No training history was recorded.",
    "html.student": "you",
    "html.reference": "reference",
    "html.train": "train",
    "html.validation": "validation",
    "html.epoch": "epoch",
    "html.loss": "loss",
    "html.accuracy": "accuracy",
    "html.confusion": "Confusion matrix (test split)",
    "html.true": "true class",
    "html.predicted": "predicted class",
    "html.per_class": "Per-class precision, recall and F1",
    "html.class": "Class",
    "html.precision": "Precision",
    "html.recall": "Recall",
    "html.f1": "F1",
    "html.support": "Support",
    "html.experiments": "Experiments",
    "html.metrics": "Measured by the grader",
    "html.data": "Data: {source}, {percent} of each split ({dataset})",
    "html.submissions": "Submissions",
    "html.submission": "Submission",
    "html.test_accuracy": "Test accuracy",
    "html.score_distribution": "Score distribution",
    "html.accuracy_distribution": "Test accuracy distribution",
    "html.count": "submissions",
    "html.mean": "Mean score {mean:.2f} of {max:g} ({count} submissions)",
    # --- kernel environments (autograder env sync) -------------------------------------
    "env.default": "{rubric}: no extra packages; kernels run in the grader's own environment",
    "env.cached": "{rubric}: kernel environment {key} is ready ({installed})",
    "env.built": "{rubric}: built kernel environment {key} ({installed}) in {path}",
    "env.nothing_added": "every package is already in the default environment",
    # --- which model is graded (autograder/selection.py) ------------------------------
    "selection.variable": "the `{variable}` variable ({kind})",
    "selection.only_trained": (
        "no `{variable}` variable at the end; graded the only trained model ({model})"
    ),
    "selection.best_match": (
        "no `{variable}` variable at the end; graded {model}, the trained model closest to "
        "the rubric's architecture ({match} match; {others})"
    ),
    "selection.last_trained": (
        "no `{variable}` variable at the end; graded the last trained model ({model}); "
        "the rubric has no architecture to compare with"
    ),
    "selection.last_compiled": (
        "no trained model; graded the last compiled one (`{variable}` unset)"
    ),
    "selection.none": "no Keras model was compiled or trained, and `{variable}` is not a model",
    # --- GitHub Actions summary -------------------------------------------------------
    "github.title": "Autograder: {rubric}",
    "github.total": "Total: {score:g} / {max:g}",
    "github.failed": "{count} check(s) failed",
    # --- inside the student's kernel (dataset provider, Colab leftovers) --------------
    "kernel.dataset_unavailable": (
        "autograder: the dataset {name!r} is not part of this exercise; while grading only "
        "these load: {available}"
    ),
    "kernel.tfds_split": "autograder: no split {split!r} while grading (known: {known})",
    "kernel.tfds_description": (
        "{name}, served by the autograder (nothing was downloaded): the grader's copy, with "
        "the real splits' shapes"
    ),
    "kernel.colab_drive": (
        "autograder: Google Drive ({mountpoint}) is not available while grading; the data "
        "comes from keras.datasets load_data() or tfds.load(), not from Drive."
    ),
    "kernel.colab_unmount": (
        "autograder: drive.flush_and_unmount() does nothing while grading: no Drive was mounted."
    ),
    "kernel.colab_upload": (
        "autograder: files.upload() is not available while grading and uploaded nothing; the "
        "data comes from keras.datasets load_data() or tfds.load()."
    ),
    "kernel.colab_uploaded_key": (
        "autograder: {name!r} was not uploaded: files.upload() is not available while grading; "
        "load the data with keras.datasets load_data() or tfds.load() instead."
    ),
    "kernel.colab_download": "autograder: files.download({name!r}) skipped while grading.",
    "kernel.colab_content": (
        "autograder: {path} is a Colab path and does not exist while grading; the data comes "
        "from keras.datasets load_data() or tfds.load(), and files you ship next to the "
        "notebook are in its working directory."
    ),
    # --- what a --fraction or --quick shortened (training check) ----------------------
    "training.pass_shortened.samples": (
        "trained as expected: {summary}; graded on a shortened run: {to} of {from} samples "
        "per epoch (the notebook saw the full data)"
    ),
    "training.pass_shortened.steps": (
        "trained as expected: {summary}; graded on a shortened run: {to} of {from} steps "
        "per epoch (the notebook saw the full data)"
    ),
    # --- rubric loader (autograder/rubric): one `file:line: ...` line per problem ----
    "rubric.more": " (and {count} more)",
    "rubric.not_found": "rubric file not found",
    "rubric.is_directory": "is a directory, not a rubric file",
    "rubric.unreadable": "cannot read: {error}",
    "rubric.not_utf8": "not UTF-8 text (byte 0x{byte}); save it as UTF-8",
    "rubric.empty": "the file is empty; expected a mapping of rubric keys",
    "rubric.not_mapping": "top level must be a mapping of rubric keys, found {found}",
    "rubric.yaml_syntax": "YAML syntax error: {problem}",
    "rubric.yaml_error": "YAML error: {error}",
    "rubric.yaml_context": "{problem} ({context} on line {line})",
    "rubric.duplicate_key": "duplicate key (first on line {line}; YAML would keep only the last)",
    "rubric.duplicate_check_id": (
        "duplicate check id {id!r} (also used by checks[{other}] on line {line})"
    ),
    "rubric.missing_key": "missing required key {key!r}",
    "rubric.missing_kind": "missing required key {key!r} (expected one of: {kinds})",
    "rubric.unknown_key": "unknown key",
    "rubric.unknown_key.close": "unknown key (did you mean {close!r}?)",
    "rubric.unknown_key.allowed": "unknown key (allowed: {allowed})",
    "rubric.unknown_kind": "unknown check kind {value} (expected one of: {kinds}){suggest}",
    "rubric.suggest": "; did you mean {close!r}?",
    "rubric.expected": "expected {expected}, got {value}",
    "rubric.at_least": "must be at least {limit}, got {value}",
    "rubric.greater_than": "must be greater than {limit}, got {value}",
    "rubric.at_most": "must be at most {limit}, got {value}",
    "rubric.less_than": "must be less than {limit}, got {value}",
    "rubric.not_empty": "must not be empty",
    "rubric.at_least_entries": "needs at least {count} entries",
    "rubric.at_most_entries": "takes at most {count} entries",
    "rubric.pattern": "{value} is not allowed: must match the pattern {pattern}",
    "rubric.pattern.name": "{value} is not allowed: use only letters, digits, '_', '.' and '-'",
    "rubric.pattern.identifier": "{value} is not allowed: must be a Python variable name",
    "rubric.unknown_dataset": "{value} is not a known dataset (known: {names}){suggest}",
    "rubric.must_be": "must be {expected}, got {value}",
    "rubric.one_of": "must be one of: {names}; got {value}{suggest}",
    "rubric.invalid": "{error}",
    "rubric.type.int": "an integer",
    "rubric.type.float": "a number",
    "rubric.type.str": "a text",
    "rubric.type.bool": "true or false",
    "rubric.type.dict": "a mapping",
    "rubric.type.list": "a list",
    "rubric.type.model": "a {{{fields}}} mapping",
    "rubric.type.either": "{first} or {second}",
    "rubric.value.mapping": "a mapping",
    "rubric.value.list": "a list",
    "rubric.value.empty": "an empty value",
    "rubric.value.scalar": "the value {value!r}",
    # The models' own validators (autograder/rubric/models.py raises these keys).
    "rubric.value_shape": "bad shape",
    "rubric.check_ids": "check ids must be unique",
    "rubric.range_empty": "a range needs at least one of min or max",
    "rubric.range_order": "min ({min}) is greater than max ({max})",
    "rubric.reference_bound": (
        "a reference bound needs exactly one of `reference`, `ratio` or `quantile`"
    ),
    "rubric.reference_offset": "a reference offset must be between -1 and 1, found {value}",
    "rubric.quantile_floor": "a `quantile` bound needs a `floor` (few seeds make a noisy quantile)",
    "rubric.input_shape": "input_shape {shape} must have positive sizes",
    "rubric.declared_pair": "name `declared` and a `declared` block go together",
    "rubric.parameters_needs": "a parameters check needs `trainable` or `total`",
    "rubric.accuracy_needs": "an accuracy check needs `min` or `max`",
    "rubric.experiment_ids": "experiment ids must be unique within the check",
    "rubric.question_unfindable": "question {id} needs a `tag` or a `pattern`",
    "rubric.question_pattern": "question {id}: bad pattern: {error}",
    "rubric.question_ids": "question ids must be unique within the check",
    "rubric.reference_not_set": "checks {ids} use reference bounds but `reference` is not set",
    "rubric.package_invalid": "package {package} is not a valid requirement: {error}",
    "rubric.package_url": "package {package}: URLs are not accepted; use `find_links`",
    "rubric.package_twice": "package {name} is listed twice ({first}, {second})",
    "rubric.find_links_folder": "find_links entry {folder} must be a local folder",
    "integrity.forged_channel": (
        "a student cell published the grader's private artifact type; it was ignored"
    ),
    "integrity.refused_artifact": "the kernel sent an artifact the grader refused",
    "integrity.export_failed": "exporting the models from the kernel failed",
    "integrity.training_mismatch": (
        "the recorded training does not match the optimizer's step count in the model file"
    ),
    "integrity.compile_mismatch": (
        "the saved optimizer never stepped although training was recorded "
        "(recompiled after training?)"
    ),
    "integrity.test_leakage": "the model was fitted on rows of the test split",
    "integrity.heading": "Integrity",
    "rubric.example_value": (
        "example {path}: `{entry}` must be pass, fail or partial (`score`: a number of points)"
    ),
    "rubric.example_check": "example {path} expects checks the rubric does not have: {ids}",
    # --- instructor authoring (autograder assign, rubric init/test) -------------------
    "authoring.no_markers": (
        "{path}: no solution markers (### BEGIN SOLUTION / ### END SOLUTION, a `solution` cell "
        "tag, or <!-- BEGIN HIDDEN -->): the student notebook would be the solution"
    ),
    "authoring.unclosed": (
        "{path}: cell {cell}: a region is opened but never closed (### END SOLUTION or <!-- END"
        " HIDDEN --> missing)"
    ),
    "authoring.unopened": "{path}: cell {cell}, line {line}: an end marker without its BEGIN",
    "authoring.nested": (
        "{path}: cell {cell}, line {line}: a BEGIN marker inside an open region; regions cannot"
        " nest"
    ),
    "authoring.unparsable": (
        "{path}: cell {cell}: without its solution region the code no longer parses ({error}); "
        "put the markers around whole statements"
    ),
    "authoring.unknown_dataset": "unknown dataset {name!r}; --dataset takes one of: {known}",
    "authoring.reference_missing": "{path}: no such reference notebook or script",
    "authoring.reference_invalid": "{path}: the reference cannot be run: {error}",
    "authoring.reference_unfinished": "{path}: the reference did not finish: {error}",
    "authoring.reference_raised": (
        "{path}: the reference raised {ename} at cell {cell}: {error}; a rubric is drafted "
        "only from a reference that runs cleanly"
    ),
    "authoring.reference_no_model": "{path}: no model to measure in the reference: {error}",
    "authoring.rubric_exists": (
        "{path} already exists; pass --force to replace it (instructor edits would be lost)"
    ),
    "authoring.drafted": (
        "wrote {path}: {checks} checks, {points:g} points, drafted from the reference "
        "(test accuracy {accuracy})"
    ),
    "authoring.not_notebook": "{path}: not a readable notebook: {error}",
    "authoring.assigned": (
        "wrote {student} ({stubs} solution stub(s), {hidden} hidden region(s) removed) and "
        "{reference}"
    ),
    # --- a result against the reference's runs over several seeds (checks/thresholds) --
    "spread.accuracy.below_all": (
        "{split} accuracy {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "below all {n} runs (bar {bound:.3f})"
    ),
    "spread.accuracy.above_all": (
        "{split} accuracy {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "above all {n} runs (bar {bound:.3f})"
    ),
    "spread.accuracy.among": (
        "{split} accuracy {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "above {above} of {n} runs (bar {bound:.3f})"
    ),
    "spread.gap.below_all": (
        "gap {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "below all {n} runs (limit {bound:.3f})"
    ),
    "spread.gap.above_all": (
        "gap {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "above all {n} runs (limit {bound:.3f})"
    ),
    "spread.gap.among": (
        "gap {value:.3f} vs reference {mean:.3f} ± {sd:.3f} over {n} seeds, "
        "above {above} of {n} runs (limit {bound:.3f})"
    ),
    # --- `autograder reference --seeds N` (reports/reference.py) ------------------------
    "reference_seeds.title": "reference over {n} seeds",
    "reference_seeds.metric": "metric",
    "reference_seeds.mean": "mean",
    "reference_seeds.sd": "sd",
    "reference_seeds.min": "min",
    "reference_seeds.max": "max",
    "reference_seeds.test_accuracy": "test accuracy",
    "reference_seeds.train_accuracy": "train accuracy",
    "reference_seeds.overfitting_gap": "gap",
    "reference_seeds.sources": "{cached} seed(s) from the cache, {trained} trained now",
    "reference_seeds.seed": "seed {seed}: {source} · {entry}",
    "reference_seeds.value": "{value:.4f}",
    "reference_seeds.cache": "cache",
    "reference_seeds.trained": "trained now",
    "authoring.no_examples": "{path}: the rubric declares no `examples` to test",
    "authoring.example_missing": "{path}: example {example} does not exist",
    "authoring.example_ok": "{example}: every expected verdict",
    "authoring.example_differs": "{example}: {count} verdict(s) differ from the rubric's `expect`",
    # --- the instructor's console (reports/console.py) ---------------------------------
    "console.label.graded": "Note",
    "console.label.error": "Grading error",
    "console.label.timeout": "Timed out",
    "console.label.invalid": "Invalid submission",
    "console.no_details": "no further details were recorded",
    "console.no_checks": "No checks were run.",
    "console.no_submissions": "No submissions.",
    "console.col.submission": "Submission",
    "console.col.status": "Status",
    "console.col.score": "Score",
    "console.col.test_acc": "Test acc",
    "console.col.train_acc": "Train acc",
    "console.col.gap": "Gap",
    "console.col.params": "Params",
    "console.col.failed": "Failed checks",
    "console.col.check": "Check",
    "console.col.points": "Points",
    "console.col.message": "Message",
    "console.failed_prefix": "failed checks: ",
    "console.score": "Score:",
    "console.data": "Data:",
    "console.measured": "Measured:",
    "console.reference": "Reference:",
    "console.model": "Model:",
    "console.execution": "Execution:",
    "console.sandbox": "Sandbox:",
    "console.device": "Trained on:",
    "console.environment": "Environment:",
    "console.data_line": "{dataset} · source: {source} · fraction: {fraction}",
    "console.env_default": "nothing over the default",
    "console.env_built": " (built for this run)",
    "console.layer_missing": "; no {name}: {detail}",
    "console.test_acc": "test acc {value}",
    "console.train_acc": "train acc {value}",
    "console.gap": "gap {value}",
    "console.params": "params {trainable} trainable / {total} total",
    "console.no_measurement": "no measurement",
    "console.cell_error": "cell {cell}: {ename}: {evalue}",
    "console.excerpt": " — `{excerpt}`",
    "console.timed_out": "timed out",
    "console.kernel_died": "kernel died",
    "console.skipped_cell": "cell {cell}: skipped ({reason})",
    "console.no_problems": "{duration} s, no problems",
    "console.problems": "{duration} s, problems:",
    "console.mean_score": "mean score {mean} / {top} ({percent}%)",
    "console.mean_percent": "mean {percent}%",
    "console.percent": "({percent}%)",
    "console.no_points": "no points available",
    "console.submissions.one": "{count} submission",
    "console.submissions.many": "{count} submissions",
    "console.expected": "expected {value}",
    "console.measured_value": "measured {value}",
    "console.yes": "yes",
    "console.no": "no",
    "console.batch_done": (
        "{graded} graded now, {reused} reused from {store}, {invalid} with nothing to run; "
        "results written to {out}/"
    ),
    # --- summary.md (reports/markdown.py) ------------------------------------------------
    "markdown.title": "{rubric}: class summary",
    "markdown.data": "{count} submissions · data: {dataset}, {source}, fraction {fraction:g}",
    "markdown.accuracy": "Test accuracy: {stat}",
    "markdown.gap": "Train/test gap: {stat}",
    "markdown.mean_median": "mean {mean}, median {median}",
    "markdown.not_measured": "{nothing} (not measured)",
    "markdown.scores": "Scores",
    "markdown.distribution": "Score distribution",
    "markdown.most_failed": "Checks failed most often",
    "markdown.none_failed": "No check failed.",
    "markdown.overrides": "Manual overrides (✎)",
    "markdown.late": "(late)",
    "markdown.col.student": "Student",
    "markdown.col.status": "Status",
    "markdown.col.score": "Score",
    "markdown.col.acc": "Test accuracy",
    "markdown.col.gap": "Gap",
    "markdown.col.submissions": "Submissions",
    "markdown.col.check": "Check",
    "markdown.col.failed_in": "Failed in",
    "submission_status.graded": "graded",
    "submission_status.error": "error",
    "submission_status.timeout": "timeout",
    "submission_status.invalid": "invalid",
    # --- experiments and claimed_table checks ------------------------------------------
    "experiments.none": "no trained model was captured, so no experiment",
    "experiments.found": (
        "{found} of {total} required experiments found in {models} trained model(s)"
    ),
    "experiments.missing": (
        "{found} of {total} required experiments found in {models} trained model(s); "
        "missing: {missing}"
    ),
    "claimed_table.synthetic": (
        "skipped on synthetic data: the student's table reports numbers from the real data"
    ),
    "claimed_table.fraction": (
        "skipped on {fraction:g} of the data: the student's table reports numbers from all of it"
    ),
    "claimed_table.no_table": "skipped: no markdown table with an accuracy column",
    "claimed_table.matched": "{matched} of {rows} table rows matched to experiments",
    "claimed_table.flagged": (
        "{matched} of {rows} table rows matched to experiments; {flagged} not reproduced "
        "within {tolerance:g} (claimed / measured): {shown}"
    ),
    "html.metric.test_accuracy": "Test accuracy",
    "html.metric.test_loss": "Test loss",
    "html.metric.train_accuracy": "Train accuracy",
    "html.metric.train_loss": "Train loss",
    "html.metric.overfitting_gap": "Train/test gap",
    "html.metric.trainable_params": "Trainable parameters",
    "html.metric.total_params": "Total parameters",
    # Written answers (answers check) and their review by groups (autograder review).
    "answers.provisional": "provisional until reviewed: {found} of {total} answers found",
    "answers.provisional_weak": (
        "provisional until reviewed: {found} of {total} answers found; to look at: {weak}"
    ),
    "answers.reviewed_all": "reviewed by the instructor: {reviewed} of {total} answers",
    "answers.changed": (
        "answer changed since the review ({changed}): provisional points again; "
        "{reviewed} of {total} reviewed"
    ),
    "answers.problem.not_found": "not found",
    "answers.problem.too_short": "too short",
    "answers.problem.keywords_only": "a list of keywords, not sentences",
    "answers.problem.misconception": "states a misconception",
    "answers.problem.off_topic": "off topic: mentions none of the concepts",
    "answers.problem.lacks": "misses some concepts",
    "review.title": "Review of {question}: {answers} answers in {groups} groups",
    "review.question": "Question",
    "review.group": "Group {group}",
    "review.size": "answers: {size}",
    "review.representative": "Representative answer",
    "review.concepts": "Concepts found",
    "review.missing": "Missing",
    "review.problem": "To look at",
    "review.provisional": "Provisional points",
    "review.points": "Points (fill in)",
    "review.members": "Every answer in the group",
    "review.mixed": (
        "Mixed group: the provisional points differ; set points per answer where needed"
    ),
    "review.how": (
        "Fill in `points` per group (or per answer) in {sheet}, then run: autograder "
        "review apply {sheet} --reviewer NAME"
    ),
    "review.student": "Student",
    "review.empty": "(no answer)",
    "review.written": "{groups} groups of {answers} answers written to {path}",
    "review.applied": (
        "{count} reviewed answers written to {path}; {skipped} without points stay provisional"
    ),
    "review.no_results": "{path}: no result.json found; pass a `grade --out` folder",
    "review.no_question": "{path}: no result has an answers check with question {question}",
    "review.bad_sheet": "{path}: not a review sheet: {problem}",
    "review.needs_reviewer": "{path}: say who reviewed: `reviewer:` in the sheet, or --reviewer",
    "review.bad_format": "unknown review format {format}; use html, csv or yaml",
    # --- GPUs (execution/gpus.py, --gpus) ----------------------------------------------
    "gpus.help": (
        "GPUs for the kernels: auto (every GPU found, one kernel per GPU unless --jobs "
        "says otherwise), none, or indices such as 0,1. Models are always measured on CPU."
    ),
    "gpus.bad_value": (
        "--gpus takes auto, none or GPU indices separated by commas, such as 0,1 (got {value!r})"
    ),
    "gpus.missing": "--gpus asks for GPU {index}, but the GPUs found here are: {found}",
    # Dask: submissions travel to the workers as data (autograder/batch/parcel.py).
    "batch.scheduler_needs_dask": "--scheduler needs --executor dask",
    "batch.dask_extra": "--executor dask needs the optional extra: pip install 'autograder[dask]'",
    "batch.dask_unreachable": "cannot reach the Dask scheduler at {address}: {reason}",
    "batch.parcel_too_big": (
        "{id}: the submission weighs more than {mib:g} MiB, the most a Dask task carries"
    ),
    "batch.parcel_too_many": (
        "{id}: the folder holds more than {count} files, the most a Dask task carries"
    ),
    "batch.parcel_unreadable": "{path}: cannot be read to send to a Dask worker ({reason})",
    "batch.parcel_bad_name": "a Dask task names a file outside its folder: {name!r}",
}
