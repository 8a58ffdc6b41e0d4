"""The platform adapters: the only code that imports a platform SDK (slack/, teams/)."""
