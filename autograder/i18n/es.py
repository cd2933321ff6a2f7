"""Catálogo en español. Mismas claves y marcadores que en.py (tests/unit/test_i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- mensajes de las comprobaciones -----------------------------------------------
    "check.no_model": "no se capturó ningún modelo entrenado: {reason}",
    "check.not_registered": "no hay ninguna comprobación registrada para el tipo {kind}",
    "check.crashed": "la comprobación misma falló: {error}",
    "check.no_reference": (
        "{what}: la solución de referencia no tiene una medida de la que derivar el umbral"
    ),
    "check.quick_skipped": "omitida: no se decide en modo --quick",
    "architecture.pass": "las {count} capas coinciden: {layers}",
    "architecture.mismatch": "capa {position}: se esperaba {expected}, se encontró {found}",
    "architecture.mismatch.hint": (
        "Compara la capa {position} de tu modelo con el enunciado: pide {expected}."
    ),
    "architecture.missing": "falta(n) {count} capa(s): {layers}",
    "architecture.missing.hint": "Agrega la(s) capa(s) que faltan, en este orden: {layers}.",
    "architecture.extra": "{count} capa(s) más de las que pide el enunciado: {layers}",
    "architecture.extra.hint": "Quita {layers}, o revisa si el enunciado la pide.",
    "parameters.pass": "número de parámetros correcto: {found}",
    "parameters.mismatch": "parámetros ({which}): se encontraron {found}, se esperaban {expected}",
    "parameters.mismatch.hint": (
        "Una capa Dense con n entradas y u unidades tiene n*u + u parámetros; "
        "una diferencia suele indicar una capa con otras unidades o una capa de más."
    ),
    "compile.never": "el modelo nunca se compiló",
    "compile.never.hint": "Llama a model.compile(optimizer=..., loss=..., metrics=[...]) "
    "antes de model.fit.",
    "compile.pass": "compilado como se pide: {summary}",
    "compile.mismatch": "{setting}: se encontró {found}, se esperaba {expected}",
    "compile.mismatch.hint": "Cambia `{setting}` en model.compile(...) a {expected}.",
    "compile.double_softmax": (
        "la pérdida usa from_logits=True pero la capa de salida ya aplica {activation}"
    ),
    "compile.double_softmax.hint": (
        "Usa from_logits=True solo cuando la última capa no tiene activación (devuelve logits)."
    ),
    "compile.logits_unmarked": (
        "la capa de salida devuelve logits ({activation}) pero la pérdida espera probabilidades"
    ),
    "compile.logits_unmarked.hint": (
        "Agrega activation='softmax' a la última capa, o pasa from_logits=True a la pérdida."
    ),
    "training.pass": "entrenado como se pide: {summary}",
    "training.no_fit": "el modelo nunca se entrenó (no se llamó a model.fit)",
    "training.no_fit.hint": "Entrena el modelo con model.fit(...) como pide el enunciado.",
    "training.mismatch": "{setting}: se encontró {found}, se esperaba {expected}",
    "training.mismatch.hint": "Ajusta `{setting}` en model.fit(...) a {expected}.",
    "accuracy.pass": "exactitud en {split}: {value:.4f} (se pide {bounds})",
    "accuracy.low": "exactitud en {split}: {value:.4f}, por debajo del mínimo {bound:g}",
    "accuracy.low.hint": (
        "Revisa el preprocesamiento (píxeles / 255.0), el número de épocas y la pérdida; "
        "luego vuelve a entrenar."
    ),
    "accuracy.high": "exactitud en {split}: {value:.4f}, por encima del máximo {bound:g}",
    "accuracy.unmeasured": "no se pudo medir la exactitud en {split}: {reason}",
    "gap.pass": "brecha {gap:.3f} dentro de {bound:g} (entrenamiento {train:.3f}, "
    "prueba {test:.3f})",
    "gap.no_limit": "brecha {gap:.3f} (entrenamiento {train:.3f}, prueba {test:.3f}); sin límite",
    "gap.high": "brecha {gap:.3f} mayor que {bound:g} (entrenamiento {train:.3f}, "
    "prueba {test:.3f})",
    "gap.high.hint": (
        "El modelo sobreajusta: entrena menos épocas, o agrega regularización si el "
        "enunciado lo permite."
    ),
    "gap.unmeasured": "no se pudo medir la brecha: {reason}",
    "gap.not_learned": (
        "sin puntos por la brecha {gap:.3f}: la exactitud en prueba {test:.3f} es menor que "
        "{floor:.3f}, lo mínimo que muestra que el modelo aprendió (el azar da {chance:.3f})"
    ),
    "gap.not_learned.hint": (
        "Un modelo que no aprendió no tiene una brecha con sentido: primero haz que aprenda "
        "(escala de píxeles, pérdida, tasa de aprendizaje); luego la brecha cuenta."
    ),
    "check.no_model.hint": (
        "Asegúrate de que el notebook construye, compila y entrena el modelo en una variable "
        "llamada `{variable}`, y de que corre de principio a fin sin errores."
    ),
    "claims.pass": "se afirma {claimed:.4g}, se midió {measured:.4g} (dentro de {tolerance:g})",
    "claims.mismatch": (
        "la celda {cell} afirma {claimed:.4g} pero el calificador midió {measured:.4g} "
        "(difiere en {difference:.3f} > {tolerance:g})"
    ),
    "claims.mismatch.hint": (
        "Informa la exactitud que de verdad alcanza tu modelo final: vuelve a ejecutar el "
        "notebook de principio a fin y copia el número de model.evaluate."
    ),
    "claims.synthetic": "omitida con datos sintéticos: los números del notebook no son comparables",
    "claims.fraction": "omitida: calificado con {fraction:g} de los datos, el notebook con todos",
    "claims.none": "el notebook no informa exactitud en prueba (ni en salidas ni en markdown)",
    # --- informe de autoevaluación (autograder check) ---------------------------------
    "report.title": "Autoevaluación: {title}",
    "report.submission": "Notebook: {path}",
    "report.data": "Datos: {source}, {percent} de cada partición",
    "report.quick": (
        "Modo rápido: como mucho {epochs} época(s) con {percent} de los datos. Las "
        "comprobaciones que necesitan el entrenamiento completo se omiten; ejecuta sin "
        "--quick para decidirlas."
    ),
    "report.expected": "esperado",
    "report.found": "encontrado",
    "report.hint": "pista",
    "report.score": "Puntaje en las comprobaciones públicas: {score:g} / {max:g}",
    "report.hidden": "{count} comprobación(es) más las califica solo tu docente.",
    "report.undecided": "No decididas en modo --quick: {ids}",
    "report.html": "Retroalimentación en HTML: {path}",
    "report.ok": "Todas las comprobaciones obligatorias pasan.",
    "report.failed": "{count} comprobación(es) obligatoria(s) fallaron: {ids}",
    "report.not_graded": "No se pudo calificar el notebook ({status}): {message}",
    "report.missing_module": (
        "celda {cell}: el módulo `{module}` no está instalado en el entorno de corrección; "
        "el profesor lo añade en la rúbrica: `environment: {{packages: [{package}]}}`"
    ),
    "report.cell_error": "la celda {cell} lanzó {ename}: {evalue}",
    "status.pass": "aprobada",
    "status.fail": "fallida",
    "status.partial": "parcial",
    "status.error": "error",
    "status.skipped": "omitida",
    # --- informe HTML y tablero de la clase -------------------------------------------
    "html.feedback_title": "Retroalimentación: {submission}",
    "html.dashboard_title": "Tablero de la clase: {rubric}",
    "html.score": "Puntaje",
    "html.checks": "Comprobaciones",
    "html.check": "Comprobación",
    "html.status": "Estado",
    "html.points": "Puntos",
    "html.message": "Mensaje",
    "html.architecture": "Arquitectura",
    "html.position": "#",
    "html.expected_layer": "Esperada",
    "html.found_layer": "Encontrada",
    "html.problems": "Problemas",
    "html.curves": "Curvas de aprendizaje",
    "html.curves_missing": "No se registró historial de entrenamiento.",
    "html.student": "tú",
    "html.reference": "referencia",
    "html.train": "entrenamiento",
    "html.validation": "validación",
    "html.epoch": "época",
    "html.loss": "pérdida",
    "html.accuracy": "exactitud",
    "html.confusion": "Matriz de confusión (partición de prueba)",
    "html.true": "clase real",
    "html.predicted": "clase predicha",
    "html.per_class": "Precisión, exhaustividad y F1 por clase",
    "html.class": "Clase",
    "html.precision": "Precisión",
    "html.recall": "Exhaustividad",
    "html.f1": "F1",
    "html.support": "Ejemplos",
    "html.experiments": "Experimentos",
    "html.metrics": "Medido por el calificador",
    "html.data": "Datos: {source}, {percent} de cada partición ({dataset})",
    "html.submissions": "Entregas",
    "html.submission": "Entrega",
    "html.test_accuracy": "Exactitud en prueba",
    "html.score_distribution": "Distribución de puntajes",
    "html.accuracy_distribution": "Distribución de la exactitud en prueba",
    "html.count": "entregas",
    "html.mean": "Puntaje medio {mean:.2f} de {max:g} ({count} entregas)",
    # --- entornos del kernel (autograder env sync) --------------------------------------
    "env.default": "{rubric}: sin paquetes extra; los kernels usan el entorno del corrector",
    "env.cached": "{rubric}: el entorno del kernel {key} está listo ({installed})",
    "env.built": "{rubric}: entorno del kernel {key} construido ({installed}) en {path}",
    "env.nothing_added": "todos los paquetes ya están en el entorno por defecto",
    # --- qué modelo se califica (autograder/selection.py) ------------------------------
    "selection.variable": "la variable `{variable}` ({kind})",
    "selection.only_trained": (
        "no hay variable `{variable}` al final; se calificó el único modelo entrenado ({model})"
    ),
    "selection.best_match": (
        "no hay variable `{variable}` al final; se calificó {model}, el modelo entrenado más "
        "parecido a la arquitectura de la rúbrica ({match} de coincidencia; {others})"
    ),
    "selection.last_trained": (
        "no hay variable `{variable}` al final; se calificó el último modelo entrenado "
        "({model}); la rúbrica no tiene arquitectura con la que comparar"
    ),
    "selection.last_compiled": (
        "no hay modelo entrenado; se calificó el último compilado (`{variable}` sin asignar)"
    ),
    "selection.none": (
        "no se compiló ni entrenó ningún modelo Keras, y `{variable}` no es un modelo"
    ),
    # --- resumen para GitHub Actions --------------------------------------------------
    "github.title": "Autograder: {rubric}",
    "github.total": "Total: {score:g} / {max:g}",
    "github.failed": "{count} comprobación(es) fallaron",
    # --- dentro del kernel del estudiante (proveedor de datos, restos de Colab) --------
    "kernel.dataset_unavailable": (
        "autograder: el conjunto de datos {name!r} no forma parte de este ejercicio; durante "
        "la calificación solo se cargan: {available}"
    ),
    "kernel.tfds_split": (
        "autograder: no existe la partición {split!r} durante la calificación (hay: {known})"
    ),
    "kernel.tfds_description": (
        "{name}, servido por el autograder (no se descargó nada): la copia del calificador, "
        "con las formas de las particiones reales"
    ),
    "kernel.colab_drive": (
        "autograder: Google Drive ({mountpoint}) no está disponible durante la calificación; "
        "los datos vienen de load_data() de keras.datasets o de tfds.load(), no de Drive."
    ),
    "kernel.colab_unmount": (
        "autograder: drive.flush_and_unmount() no hace nada durante la calificación: no se "
        "montó ningún Drive."
    ),
    "kernel.colab_upload": (
        "autograder: files.upload() no está disponible durante la calificación y no subió "
        "nada; los datos vienen de load_data() de keras.datasets o de tfds.load()."
    ),
    "kernel.colab_uploaded_key": (
        "autograder: {name!r} no se subió: files.upload() no está disponible durante la "
        "calificación; carga los datos con load_data() de keras.datasets o con tfds.load()."
    ),
    "kernel.colab_download": (
        "autograder: files.download({name!r}) se omite durante la calificación."
    ),
    "kernel.colab_content": (
        "autograder: {path} es una ruta de Colab y no existe durante la calificación; los "
        "datos vienen de load_data() de keras.datasets o de tfds.load(), y los archivos que "
        "entregues junto al notebook están en su directorio de trabajo."
    ),
    # --- lo que acortó un --fraction o --quick (comprobación de entrenamiento) -------
    "training.pass_shortened.samples": (
        "entrenado como se pide: {summary}; calificado con un entrenamiento acortado: {to} de "
        "{from} ejemplos por época (el notebook vio los datos completos)"
    ),
    "training.pass_shortened.steps": (
        "entrenado como se pide: {summary}; calificado con un entrenamiento acortado: {to} de "
        "{from} pasos por época (el notebook vio los datos completos)"
    ),
    # --- cargador de rúbricas (autograder/rubric): una línea `archivo:línea: ...` -----
    "rubric.more": " (y {count} más)",
    "rubric.not_found": "no existe el archivo de rúbrica",
    "rubric.is_directory": "es un directorio, no un archivo de rúbrica",
    "rubric.unreadable": "no se puede leer: {error}",
    "rubric.not_utf8": "no es texto UTF-8 (byte 0x{byte}); guárdelo como UTF-8",
    "rubric.empty": "el archivo está vacío; se esperaba un mapeo de claves de rúbrica",
    "rubric.not_mapping": "el nivel superior debe ser un mapeo de claves de rúbrica, hay {found}",
    "rubric.yaml_syntax": "error de sintaxis YAML: {problem}",
    "rubric.yaml_error": "error de YAML: {error}",
    "rubric.yaml_context": "{problem} ({context} en la línea {line})",
    "rubric.duplicate_key": (
        "clave repetida (primera en la línea {line}; YAML solo conservaría la última)"
    ),
    "rubric.duplicate_check_id": (
        "id de comprobación repetido {id!r} (también lo usa checks[{other}] en la línea {line})"
    ),
    "rubric.missing_key": "falta la clave obligatoria {key!r}",
    "rubric.missing_kind": "falta la clave obligatoria {key!r} (se esperaba una de: {kinds})",
    "rubric.unknown_key": "clave desconocida",
    "rubric.unknown_key.close": "clave desconocida (¿quiso decir {close!r}?)",
    "rubric.unknown_key.allowed": "clave desconocida (permitidas: {allowed})",
    "rubric.unknown_kind": (
        "tipo de comprobación desconocido {value} (se esperaba uno de: {kinds}){suggest}"
    ),
    "rubric.suggest": "; ¿quiso decir {close!r}?",
    "rubric.expected": "se esperaba {expected}, hay {value}",
    "rubric.at_least": "debe ser al menos {limit}, hay {value}",
    "rubric.greater_than": "debe ser mayor que {limit}, hay {value}",
    "rubric.at_most": "debe ser como mucho {limit}, hay {value}",
    "rubric.less_than": "debe ser menor que {limit}, hay {value}",
    "rubric.not_empty": "no puede estar vacío",
    "rubric.at_least_entries": "necesita al menos {count} elementos",
    "rubric.at_most_entries": "admite como mucho {count} elementos",
    "rubric.pattern": "{value} no está permitido: debe seguir el patrón {pattern}",
    "rubric.pattern.name": ("{value} no está permitido: use solo letras, dígitos, '_', '.' y '-'"),
    "rubric.pattern.identifier": (
        "{value} no está permitido: debe ser un nombre de variable de Python"
    ),
    "rubric.unknown_dataset": (
        "{value} no es un conjunto de datos conocido (conocidos: {names}){suggest}"
    ),
    "rubric.must_be": "debe ser {expected}, hay {value}",
    "rubric.one_of": "debe ser uno de: {names}; hay {value}{suggest}",
    "rubric.invalid": "valor no válido: {error}",
    "rubric.type.int": "un entero",
    "rubric.type.float": "un número",
    "rubric.type.str": "un texto",
    "rubric.type.bool": "true o false",
    "rubric.type.dict": "un mapeo",
    "rubric.type.list": "una lista",
    "rubric.type.model": "un mapeo {{{fields}}}",
    "rubric.type.either": "{first} o {second}",
    "rubric.value.mapping": "un mapeo",
    "rubric.value.list": "una lista",
    "rubric.value.empty": "un valor vacío",
    "rubric.value.scalar": "el valor {value!r}",
    # Los validadores de los propios modelos (autograder/rubric/models.py).
    "rubric.value_shape": "forma no válida",
    "rubric.check_ids": "los ids de comprobación deben ser únicos",
    "rubric.range_empty": "un rango necesita al menos min o max",
    "rubric.range_order": "min ({min}) es mayor que max ({max})",
    "rubric.reference_bound": (
        "una cota de referencia necesita exactamente una de `reference`, `ratio` o `quantile`"
    ),
    "rubric.reference_offset": "un desplazamiento de referencia debe estar entre -1 y 1: {value}",
    "rubric.quantile_floor": (
        "una cota `quantile` necesita un `floor` (con pocas semillas el cuantil es ruidoso)"
    ),
    "rubric.input_shape": "input_shape {shape} debe tener tamaños positivos",
    "rubric.declared_pair": "el nombre `declared` y un bloque `declared` van juntos",
    "rubric.parameters_needs": "una comprobación de parámetros necesita `trainable` o `total`",
    "rubric.accuracy_needs": "una comprobación de exactitud necesita `min` o `max`",
    "rubric.experiment_ids": "los ids de experimento deben ser únicos dentro de la comprobación",
    "rubric.question_unfindable": "la pregunta {id} necesita un `tag` o un `pattern`",
    "rubric.question_pattern": "pregunta {id}: patrón no válido: {error}",
    "rubric.question_ids": "los ids de pregunta deben ser únicos dentro de la comprobación",
    "rubric.reference_not_set": (
        "las comprobaciones {ids} usan cotas de referencia pero `reference` no está definido"
    ),
    "rubric.package_invalid": "el paquete {package} no es un requisito válido: {error}",
    "rubric.package_url": "paquete {package}: no se aceptan URL; use `find_links`",
    "rubric.package_twice": "el paquete {name} aparece dos veces ({first}, {second})",
    "rubric.find_links_folder": "la entrada de find_links {folder} debe ser una carpeta local",
    "integrity.forged_channel": (
        "una celda del estudiante publicó el tipo privado de artefactos del corrector; se ignoró"
    ),
    "integrity.refused_artifact": "el kernel envió un artefacto que el corrector rechazó",
    "integrity.export_failed": "falló la exportación de los modelos desde el kernel",
    "integrity.training_mismatch": (
        "el entrenamiento registrado no coincide con los pasos del optimizador en el fichero "
        "del modelo"
    ),
    "integrity.compile_mismatch": (
        "el optimizador guardado nunca dio un paso aunque se registró entrenamiento "
        "(¿recompilado después de entrenar?)"
    ),
    "integrity.test_leakage": "el modelo se entrenó con filas de la partición de test",
    "integrity.heading": "Integridad",
    "rubric.example_value": (
        "ejemplo {path}: `{entry}` debe ser pass, fail o partial (`score`: un número de puntos)"
    ),
    "rubric.example_check": (
        "el ejemplo {path} espera comprobaciones que la rúbrica no tiene: {ids}"
    ),
    # --- instructor authoring (autograder assign, rubric init/test) -------------------
    "authoring.no_markers": (
        "{path}: no hay marcas de solución (### BEGIN SOLUTION / ### END SOLUTION, una celda "
        "con la etiqueta `solution`, o <!-- BEGIN HIDDEN -->): el cuaderno del estudiante sería"
        " la solución"
    ),
    "authoring.unclosed": (
        "{path}: celda {cell}: una región se abre y nunca se cierra (falta ### END SOLUTION o "
        "<!-- END HIDDEN -->)"
    ),
    "authoring.unopened": "{path}: celda {cell}, línea {line}: una marca de cierre sin su BEGIN",
    "authoring.nested": (
        "{path}: celda {cell}, línea {line}: una marca BEGIN dentro de una región abierta; las "
        "regiones no se anidan"
    ),
    "authoring.unparsable": (
        "{path}: celda {cell}: sin su región de solución el código ya no es Python válido "
        "({error}); ponga las marcas alrededor de instrucciones completas"
    ),
    "authoring.unknown_dataset": (
        "conjunto de datos desconocido {name!r}; --dataset acepta uno de: {known}"
    ),
    "authoring.reference_missing": "{path}: no existe ese cuaderno o script de referencia",
    "authoring.reference_invalid": "{path}: la referencia no se puede ejecutar: {error}",
    "authoring.reference_unfinished": "{path}: la referencia no terminó: {error}",
    "authoring.reference_raised": (
        "{path}: la referencia lanzó {ename} en la celda {cell}: {error}; la rúbrica solo se "
        "redacta a partir de una referencia que se ejecuta sin errores"
    ),
    "authoring.reference_no_model": "{path}: la referencia no deja un modelo que medir: {error}",
    "authoring.rubric_exists": (
        "{path} ya existe; use --force para reemplazarlo (se perderían los cambios del docente)"
    ),
    "authoring.drafted": (
        "escrito {path}: {checks} comprobaciones, {points:g} puntos, redactado a partir de la "
        "referencia (exactitud de prueba {accuracy})"
    ),
    "authoring.not_notebook": "{path}: no es un cuaderno legible: {error}",
    "authoring.assigned": (
        "escrito {student} ({stubs} hueco(s) de solución, {hidden} región(es) oculta(s) "
        "quitada(s)) y {reference}"
    ),
    # --- a result against the reference's runs over several seeds (checks/thresholds) --
    "spread.accuracy.below_all": (
        "exactitud en {split}: {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} "
        "en {n} semillas, "
        "por debajo de las {n} ejecuciones (umbral {bound:.3f})"
    ),
    "spread.accuracy.above_all": (
        "exactitud en {split}: {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} "
        "en {n} semillas, "
        "por encima de las {n} ejecuciones (umbral {bound:.3f})"
    ),
    "spread.accuracy.among": (
        "exactitud en {split}: {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} "
        "en {n} semillas, "
        "por encima de {above} de {n} ejecuciones (umbral {bound:.3f})"
    ),
    "spread.gap.below_all": (
        "brecha {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} en {n} semillas, "
        "por debajo de las {n} ejecuciones (límite {bound:.3f})"
    ),
    "spread.gap.above_all": (
        "brecha {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} en {n} semillas, "
        "por encima de las {n} ejecuciones (límite {bound:.3f})"
    ),
    "spread.gap.among": (
        "brecha {value:.3f} frente a la referencia {mean:.3f} ± {sd:.3f} en {n} semillas, "
        "por encima de {above} de {n} ejecuciones (límite {bound:.3f})"
    ),
    # --- `autograder reference --seeds N` (reports/reference.py) ------------------------
    "reference_seeds.title": "referencia en {n} semillas",
    "reference_seeds.metric": "métrica",
    "reference_seeds.mean": "media",
    "reference_seeds.sd": "desv.",
    "reference_seeds.min": "mín",
    "reference_seeds.max": "máx",
    "reference_seeds.test_accuracy": "exactitud en test",
    "reference_seeds.train_accuracy": "exactitud en entrenamiento",
    "reference_seeds.overfitting_gap": "brecha",
    "reference_seeds.sources": "{cached} semilla(s) de la caché, {trained} entrenada(s) ahora",
    "reference_seeds.seed": "semilla {seed}: {source} · {entry}",
    "reference_seeds.value": "{value:.4f}",
    "reference_seeds.cache": "caché",
    "reference_seeds.trained": "entrenada ahora",
    "authoring.no_examples": "{path}: la rúbrica no declara `examples` que probar",
    "authoring.example_missing": "{path}: el ejemplo {example} no existe",
    "authoring.example_ok": "{example}: todos los veredictos esperados",
    "authoring.example_differs": (
        "{example}: {count} veredicto(s) difieren del `expect` de la rúbrica"
    ),
    # --- the instructor's console (reports/console.py) ---------------------------------
    "console.label.graded": "Nota",
    "console.label.error": "Error al calificar",
    "console.label.timeout": "Tiempo agotado",
    "console.label.invalid": "Entrega no válida",
    "console.no_details": "no se registraron más detalles",
    "console.no_checks": "No se evaluó ningún criterio.",
    "console.no_submissions": "No hay entregas.",
    "console.col.submission": "Entrega",
    "console.col.status": "Estado",
    "console.col.score": "Nota",
    "console.col.test_acc": "Exact. test",
    "console.col.train_acc": "Exact. entr.",
    "console.col.gap": "Brecha",
    "console.col.params": "Parámetros",
    "console.col.failed": "Criterios fallidos",
    "console.col.check": "Criterio",
    "console.col.points": "Puntos",
    "console.col.message": "Mensaje",
    "console.failed_prefix": "criterios fallidos: ",
    "console.score": "Nota:",
    "console.data": "Datos:",
    "console.measured": "Medido:",
    "console.reference": "Referencia:",
    "console.model": "Modelo:",
    "console.execution": "Ejecución:",
    "console.sandbox": "Aislamiento:",
    "console.device": "Entrenado en:",
    "console.environment": "Entorno:",
    "console.data_line": "{dataset} · origen: {source} · fracción: {fraction}",
    "console.env_default": "nada además del entorno por defecto",
    "console.env_built": " (construido para esta ejecución)",
    "console.layer_missing": "; sin {name}: {detail}",
    "console.test_acc": "exactitud en test {value}",
    "console.train_acc": "exactitud en entrenamiento {value}",
    "console.gap": "brecha {value}",
    "console.params": "parámetros {trainable} entrenables / {total} en total",
    "console.no_measurement": "sin medición",
    "console.cell_error": "celda {cell}: {ename}: {evalue}",
    "console.excerpt": " — `{excerpt}`",
    "console.timed_out": "se agotó el tiempo",
    "console.kernel_died": "el kernel murió",
    "console.skipped_cell": "celda {cell}: omitida ({reason})",
    "console.no_problems": "{duration} s, sin problemas",
    "console.problems": "{duration} s, problemas:",
    "console.mean_score": "nota media {mean} / {top} ({percent} %)",
    "console.mean_percent": "media {percent} %",
    "console.percent": "({percent} %)",
    "console.no_points": "no hay puntos en juego",
    "console.submissions.one": "{count} entrega",
    "console.submissions.many": "{count} entregas",
    "console.expected": "se esperaba {value}",
    "console.measured_value": "medido {value}",
    "console.yes": "sí",
    "console.no": "no",
    "console.batch_done": (
        "{graded} calificadas ahora, {reused} reutilizadas de {store}, {invalid} sin nada "
        "que ejecutar; resultados escritos en {out}/"
    ),
    # --- summary.md (reports/markdown.py) ------------------------------------------------
    "markdown.title": "{rubric}: resumen del grupo",
    "markdown.data": "{count} entregas · datos: {dataset}, {source}, fracción {fraction:g}",
    "markdown.accuracy": "Exactitud en test: {stat}",
    "markdown.gap": "Brecha entrenamiento/test: {stat}",
    "markdown.mean_median": "media {mean}, mediana {median}",
    "markdown.not_measured": "{nothing} (sin medir)",
    "markdown.scores": "Notas",
    "markdown.distribution": "Distribución de notas",
    "markdown.most_failed": "Criterios que más fallan",
    "markdown.none_failed": "Ningún criterio falló.",
    "markdown.overrides": "Ajustes manuales (✎)",
    "markdown.late": "(tarde)",
    "markdown.col.student": "Estudiante",
    "markdown.col.status": "Estado",
    "markdown.col.score": "Nota",
    "markdown.col.acc": "Exactitud en test",
    "markdown.col.gap": "Brecha",
    "markdown.col.submissions": "Entregas",
    "markdown.col.check": "Criterio",
    "markdown.col.failed_in": "Falla en",
    "submission_status.graded": "calificada",
    "submission_status.error": "error",
    "submission_status.timeout": "tiempo agotado",
    "submission_status.invalid": "no válida",
    # --- experiments and claimed_table checks ------------------------------------------
    "experiments.none": "no se capturó ningún modelo entrenado, así que no hay experimentos",
    "experiments.found": (
        "{found} de {total} experimentos pedidos encontrados en {models} modelo(s) entrenado(s)"
    ),
    "experiments.missing": (
        "{found} de {total} experimentos pedidos encontrados en {models} modelo(s) "
        "entrenado(s); faltan: {missing}"
    ),
    "claimed_table.synthetic": (
        "omitido con datos sintéticos: la tabla del estudiante da números de los datos reales"
    ),
    "claimed_table.fraction": (
        "omitido con {fraction:g} de los datos: la tabla del estudiante da números de todos"
    ),
    "claimed_table.no_table": "omitido: no hay una tabla markdown con una columna de exactitud",
    "claimed_table.matched": "{matched} de {rows} filas de la tabla emparejadas con experimentos",
    "claimed_table.flagged": (
        "{matched} de {rows} filas de la tabla emparejadas con experimentos; {flagged} no se "
        "reproducen dentro de {tolerance:g} (declarado / medido): {shown}"
    ),
    "html.metric.test_accuracy": "Exactitud en test",
    "html.metric.test_loss": "Pérdida en test",
    "html.metric.train_accuracy": "Exactitud en entrenamiento",
    "html.metric.train_loss": "Pérdida en entrenamiento",
    "html.metric.overfitting_gap": "Brecha entrenamiento/test",
    "html.metric.trainable_params": "Parámetros entrenables",
    "html.metric.total_params": "Parámetros en total",
    # Written answers (answers check) and their review by groups (autograder review).
    "answers.provisional": (
        "provisional hasta la revisión: {found} de {total} respuestas encontradas"
    ),
    "answers.provisional_weak": (
        "provisional hasta la revisión: {found} de {total} respuestas encontradas; por "
        "mirar: {weak}"
    ),
    "answers.reviewed_all": "revisado por el docente: {reviewed} de {total} respuestas",
    "answers.changed": (
        "la respuesta cambió desde la revisión ({changed}): vuelven los puntos "
        "provisionales; {reviewed} de {total} revisadas"
    ),
    "answers.problem.not_found": "no encontrada",
    "answers.problem.too_short": "demasiado corta",
    "answers.problem.keywords_only": "una lista de palabras clave, no frases",
    "answers.problem.misconception": "afirma un error conceptual",
    "answers.problem.off_topic": "fuera de tema: no menciona ninguno de los conceptos",
    "answers.problem.lacks": "le faltan conceptos",
    "review.title": "Revisión de {question}: {answers} respuestas en {groups} grupos",
    "review.question": "Pregunta",
    "review.group": "Grupo {group}",
    "review.size": "respuestas: {size}",
    "review.representative": "Respuesta representativa",
    "review.concepts": "Conceptos encontrados",
    "review.missing": "Faltan",
    "review.problem": "Por mirar",
    "review.provisional": "Puntos provisionales",
    "review.points": "Puntos (a completar)",
    "review.members": "Todas las respuestas del grupo",
    "review.mixed": (
        "Grupo mixto: los puntos provisionales difieren; ponga puntos por respuesta donde "
        "haga falta"
    ),
    "review.how": (
        "Complete `points` por grupo (o por respuesta) en {sheet} y ejecute: autograder "
        "review apply {sheet} --reviewer NOMBRE"
    ),
    "review.student": "Estudiante",
    "review.empty": "(sin respuesta)",
    "review.written": "{groups} grupos de {answers} respuestas escritos en {path}",
    "review.applied": (
        "{count} respuestas revisadas escritas en {path}; {skipped} sin puntos siguen provisionales"
    ),
    "review.no_results": "{path}: no hay ningún result.json; indique una carpeta de `grade --out`",
    "review.no_question": (
        "{path}: ningún resultado tiene una comprobación de respuestas con la pregunta {question}"
    ),
    "review.bad_sheet": "{path}: no es una hoja de revisión: {problem}",
    "review.needs_reviewer": "{path}: indique quién revisó: `reviewer:` en la hoja, o --reviewer",
    "review.bad_format": "formato de revisión desconocido {format}; use html, csv o yaml",
    # --- GPUs (execution/gpus.py, --gpus) ----------------------------------------------
    "gpus.help": (
        "GPU para los kernels: auto (todas las encontradas, un kernel por GPU salvo que "
        "--jobs diga otra cosa), none, o índices como 0,1. Los modelos se miden siempre en CPU."
    ),
    "gpus.bad_value": (
        "--gpus admite auto, none o índices de GPU separados por comas, como 0,1 "
        "(se recibió {value!r})"
    ),
    "gpus.missing": "--gpus pide la GPU {index}, pero las GPU encontradas aquí son: {found}",
    # Dask: submissions travel to the workers as data (autograder/batch/parcel.py).
    "batch.scheduler_needs_dask": "--scheduler requiere --executor dask",
    "batch.dask_extra": (
        "--executor dask requiere el extra opcional: pip install 'autograder[dask]'"
    ),
    "batch.dask_unreachable": (
        "no se puede contactar con el planificador Dask en {address}: {reason}"
    ),
    "batch.parcel_too_big": (
        "{id}: la entrega pesa más de {mib:g} MiB, lo máximo que lleva una tarea Dask"
    ),
    "batch.parcel_too_many": (
        "{id}: la carpeta tiene más de {count} ficheros, lo máximo que lleva una tarea Dask"
    ),
    "batch.parcel_unreadable": "{path}: no se puede leer para enviarla a un worker Dask ({reason})",
    "batch.parcel_bad_name": "una tarea Dask nombra un fichero fuera de su carpeta: {name!r}",
}
