"""Connections to the tools MLOps and platform teams already run, and moving workspaces.

Prometheus metrics (:mod:`.metrics`), an OpenTelemetry GenAI span receiver, MLflow model
registry import, and workspace backup, restore and store migration.
"""
