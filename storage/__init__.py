"""The corpus store: SQLAlchemy 2.x models, migrations, repositories, loaders."""
