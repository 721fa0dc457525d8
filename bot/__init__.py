"""Composition root: settings, services, the Application, the CLI."""
