"""The Customer Portal backend: use cases, models and HTTP blueprints."""
