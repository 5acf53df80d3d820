"""Shipped law packs (one folder per pack, one ``v<N>.yaml`` per version), crosswalks
(``crosswalks/``) and the topic vocabulary (``topics.yaml``). Data only: see
``docs/packs.md`` for the format and :mod:`haechi.rules` for the engine."""
