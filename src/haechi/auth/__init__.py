"""Organisations, users, roles, API tokens and web sessions."""

from .roles import ROLES, Actor, Permission

__all__ = ["ROLES", "Actor", "Permission"]
