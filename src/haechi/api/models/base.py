"""The base of the response models and the route keywords that attach them."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    """A response body: the named fields are typed, further fields pass through unchanged."""

    model_config = ConfigDict(extra="allow")


def returns(model: type[BaseModel]) -> dict[str, Any]:
    """Route keywords: answer with ``model``, leaving out fields the endpoint did not set
    (so a typed body is byte-for-byte what the endpoint returned)."""
    return {"response_model": model, "response_model_exclude_unset": True}


class JsonDocument(Open):
    """A generated JSON document (report, dossier, CycloneDX or OSCAL export), returned as stored."""


def FileBody(*media_types: str, description: str = "the file") -> dict[str, Any]:  # noqa: N802 - reads as a type
    """Route keywords for an endpoint answering a file: its media types in the OpenAPI document
    (a JSON document among them is described by :class:`JsonDocument`)."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types
               if media != "application/json"}
    answer: dict[str, Any] = {"description": description, "content": content}
    if "application/json" in media_types:
        answer["model"] = JsonDocument
    return {"response_model": None, "responses": {200: answer}}


def Redirects(description: str = "the stored document") -> dict[str, Any]:  # noqa: N802 - reads as a type
    """Route keywords for a POST that makes a document and answers 303 to where it is stored."""
    headers = {"Location": {"description": f"URL of {description}", "schema": {"type": "string"}},
               "X-Haechi-Sha256": {"description": "SHA-256 of the document", "schema": {"type": "string"}}}
    answer = {"description": f"see other: {description}", "headers": headers}
    return {"response_model": None, "response_class": Response, "responses": {303: answer}}


class Page(Open):
    """One page of a listing: each listing names its own item model by overriding ``items``
    (pydantic keeps an overridden field in its inherited place, so the fields read in this order)."""

    items: list[Any] | None = None
    total: int | None = None
    limit: int | None = None
    offset: int | None = None
