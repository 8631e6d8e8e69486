"""Bulk loading for large synthetic or imported data sets: rows written without a model instance per row.

`bulk_create` builds a model instance per row and prepares every value through the field machinery: about 40 µs
a row, most of a demo's time at a million persons. `RowWriter` takes plain tuples of field values, fills the
fields not given exactly as a model instance would (the field's default, `auto_now`/`auto_now_add` set to the
time of writing), converts each value to its column value once per field type, and inserts a batch at a time:
`executemany` on SQLite, `COPY ... FROM STDIN` on PostgreSQL. Nothing is validated, no signal is sent and no
`save()` runs: callers give the values a service would have written (sealed columns as their vault tokens: a
sealed field refuses plaintext here as it does in `update()`).

Primary keys are reserved up front (`reserve_ids`), so child rows can point at parent rows without reading them
back. On SQLite reserve and insert inside the same transaction (the write lock, taken when it starts, keeps other
writers out); on PostgreSQL the ids come from the table's sequence and are safe anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, models
from django.utils import timezone

# Field classes whose Python value is already the column value (when it has the field's own type).
_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.FloatField,
)
_TEXT = (models.CharField, models.TextField, models.SlugField, models.EmailField)
_THROUGH_ORM = ContextVar("bulk_through_orm", default=False)


@contextmanager
def through_orm() -> Iterator[None]:
    """Write what RowWriter and insert_objects are given through model instances and `bulk_create` instead (the
    ORM's own defaults, conversions and pre_save): the reference the tests compare the bulk path with."""
    token = _THROUGH_ORM.set(True)
    try:
        yield
    finally:
        _THROUGH_ORM.reset(token)


def reserve_ids(model: type[models.Model], count: int, *, using: str = "default") -> Sequence[int]:
    """`count` primary keys for new rows of `model` (an auto-increment key), nobody else's.

    PostgreSQL: `count` values of the table's sequence (consecutive unless another session inserts meanwhile).
    SQLite: the ids after the largest one the table ever gave (AUTOINCREMENT keeps it in sqlite_sequence); call it
    in the transaction that inserts the rows (SQLite transactions here take the write lock when they begin)."""
    if count <= 0:
        return range(0)
    connection = connections[using]
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            # One nextval per id: each is ours even while others insert (consecutive when nobody else does).
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {quoted}")  # noqa: S608
        largest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(largest, row[0] if row else 0) + 1
        # Record the block as taken now (sqlite_sequence is what AUTOINCREMENT hands out from).
        if row:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first + count - 1, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first + count - 1])
        return range(first, first + count)


def _converter(field: models.Field, connection) -> Callable | None:
    """A function from the field's Python value to its column value, as `get_db_prep_save` gives it (None: the
    value is its own column value)."""
    kind = type(field)
    sqlite = connection.vendor == "sqlite"
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if type(target) in _AS_IS and (target is field or target.primary_key):
        return None
    if kind in _TEXT:  # not their subclasses: a sealed field refuses plaintext in its own get_prep_value
        return lambda value: value if value is None or type(value) is str else str(value)  # choices become str
    if kind is models.UUIDField:
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: None if value is None else value.hex
    if kind is models.DateTimeField:
        if not sqlite:
            return None
        if settings.USE_TZ and str(connection.timezone) == "UTC":
            return _sqlite_utc_datetime  # what adapt_datetimefield_value gives, without its generic checks
        return connection.ops.adapt_datetimefield_value
    if kind is models.DateField:
        return (lambda value: None if value is None else value.isoformat()) if sqlite else None
    return lambda value: field.get_db_prep_save(value, connection)


def _sqlite_utc_datetime(value):
    if value is None:
        return None
    if value.utcoffset() is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return str(value)


def _default(field: models.Field) -> tuple[Callable[[], object] | None, bool]:
    """What a new model instance holds in `field` when the caller gives nothing, and whether it is a constant
    (None: the field has no default, the caller must give it)."""
    if field.has_default():
        default = field.default
        return (default, False) if callable(default) else ((lambda: default), True)
    if field.null:
        return (lambda: None), True
    if field.empty_strings_allowed:
        return (lambda: ""), True
    return None, False


def _is_now(field: models.Field) -> bool:
    return isinstance(field, models.DateField) and bool(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


class RowWriter:
    """Writes rows of one model from tuples of field values, `batch` rows at a time.

    `fields` names the fields each row gives, in order (field names; a foreign key takes the related row's pk).
    Every other concrete field gets what a new instance would get: its default (called per row when callable,
    like `uuid.uuid4` for public ids), and `auto_now`/`auto_now_add` fields the time of writing (also when given,
    as `save()` and `bulk_create` do). `raw` names given fields whose values are their column values already
    (e.g. vault tokens of a VaultTokenField: no conversion per value). Call `close()` (or use it as a context
    manager) to write the last batch."""

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        using: str = "default",
        batch: int = 5000,
        raw: Iterable[str] = (),
    ):
        self.model = model
        self.using = using
        self.batch = batch
        self.connection = connections[using]
        meta = model._meta
        given = {meta.get_field(name).attname: position for position, name in enumerate(fields)}
        raw_names = {meta.get_field(name).attname for name in raw}
        if not raw_names <= set(given):
            raise ValueError("raw fields must be given")
        if len(given) != len(fields):
            raise ValueError("a field is named twice")
        self._fields = list(fields)
        self.columns: list[str] = []
        # One function builds a row of column values from a given row: generated once, so a row costs one call
        # and only the conversions its fields need (a million persons are ten million values).
        env: dict[str, object] = {}
        parts: list[str] = []
        self._now_fields: list[tuple[str, models.Field, Callable | None]] = []
        for j, field in enumerate(meta.concrete_fields):
            position = given.pop(field.attname, None)
            if position is None and field.primary_key:
                continue  # the database numbers the row
            convert = None if field.attname in raw_names else _converter(field, self.connection)
            self.columns.append(field.column)
            if _is_now(field):
                self._now_fields.append((f"n{j}", field, convert))
                parts.append(f"n{j}")
                continue
            if position is not None:
                expr = f"row[{position}]"
            else:
                default, constant = _default(field)
                if default is None:
                    raise ValueError(f"{meta.label}.{field.name} has no default: give it")
                if constant:
                    value = default()
                    env[f"k{j}"] = convert(value) if convert else value
                    parts.append(f"k{j}")
                    continue
                env[f"d{j}"] = default
                expr = f"d{j}()"
            if convert is not None:
                env[f"c{j}"] = convert
                expr = f"c{j}({expr})"
            parts.append(expr)
        if given:
            raise ValueError(f"not concrete fields of {meta.label}: {sorted(given)}")
        names = ", ".join(["row", *(name for name, _f, _c in self._now_fields)])
        source = f"def build({names}):\n    return ({', '.join(parts)},)\n"
        exec(compile(source, f"<RowWriter {meta.label}>", "exec"), env)  # noqa: S102 - built from field names only
        self._build = env["build"]
        self._rows: list[Sequence] = []
        self.written = 0

    def add(self, row: Sequence) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.batch:
            self.flush()

    def extend(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.add(row)

    def _column_rows(self) -> list[tuple]:
        now = timezone.now()
        nows = []
        for _name, field, convert in self._now_fields:
            value = now if isinstance(field, models.DateTimeField) else timezone.localdate()
            nows.append(convert(value) if convert else value)
        build = self._build
        return [build(row, *nows) for row in self._rows]

    def flush(self) -> None:
        if not self._rows:
            return
        if _THROUGH_ORM.get():
            attnames = [self.model._meta.get_field(name).attname for name in self._fields]
            objs = [self.model(**dict(zip(attnames, row, strict=True))) for row in self._rows]
            self.model._base_manager.using(self.using).bulk_create(objs, batch_size=1000)
            self.written += len(objs)
            self._rows = []
            return
        rows = self._column_rows()
        insert_rows(self.model, self.columns, rows, using=self.using)
        self.written += len(rows)
        self._rows = []

    close = flush

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.flush()


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *, using="default") -> None:
    """Insert rows of column values (as the database takes them) into `model`'s table: COPY on PostgreSQL,
    executemany elsewhere."""
    if not rows:
        return
    connection = connections[using]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the driver's cursor: COPY streams the rows without one statement per row
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def insert_objects(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert unsaved model instances (their pks given, e.g. from `reserve_ids`) with the column values `save()`
    would write (`pre_save` runs, so auto-now fields and sealed text are as saving makes them), without a
    statement per object. For the few models a loader builds as instances; the many rows go through RowWriter."""
    if not objs:
        return
    model = type(objs[0])
    if _THROUGH_ORM.get():
        model._base_manager.using(using).bulk_create(objs, batch_size=1000)
        return
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    # One generated function per call reads each instance: the attribute as set, or what the field's own pre_save
    # gives (auto-now times, sealed text), converted as get_db_prep_save would.
    env: dict[str, object] = {}
    parts = []
    for j, field in enumerate(fields):
        if type(field).pre_save is models.Field.pre_save:
            expr = f"d[{field.attname!r}]"
        else:
            env[f"f{j}"] = field
            expr = f"f{j}.pre_save(obj, True)"
        convert = _converter(field, connection)
        if convert is not None:
            env[f"c{j}"] = convert
            expr = f"c{j}({expr})"
        parts.append(expr)
    source = f"def build(obj):\n    d = obj.__dict__\n    return ({', '.join(parts)},)\n"
    exec(compile(source, f"<insert_objects {model._meta.label}>", "exec"), env)  # noqa: S102 - field names only
    build = env["build"]
    rows = [build(obj) for obj in objs]
    insert_rows(model, [f.column for f in fields], rows, using=using)
