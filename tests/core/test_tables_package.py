"""`storage.tables` is the one import that registers every table: Alembic's env and `create_all`
rely on it, so a table defined in a module the package does not import would be missing from
autogenerate's comparison and from a fresh database."""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel

import storage.tables


def test_every_module_of_the_package_is_imported_by_it() -> None:
    modules = {m.name for m in pkgutil.iter_modules(storage.tables.__path__)}
    assert modules, "storage.tables has no modules"
    for name in modules:
        assert hasattr(storage.tables, name), f"storage/tables/__init__.py does not import {name}"


def test_every_table_is_exported_from_the_package() -> None:
    for module in pkgutil.iter_modules(storage.tables.__path__):
        importlib.import_module(f"storage.tables.{module.name}")
    exported = [getattr(storage.tables, name) for name in storage.tables.__all__]
    tables = {obj.__tablename__ for obj in exported if isinstance(obj, type) and hasattr(obj, "__table__")}
    assert tables == set(SQLModel.metadata.tables)
