"""Storage: SQLModel models, the database engine and migrations."""
