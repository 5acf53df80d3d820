"""The trust passport: a public, signed, opt-in summary of one AI system.

``hc.passport`` (:class:`haechi.passport.service.PassportService`) manages settings and
publications; :mod:`haechi.passport.document` signs and verifies documents offline.
"""
