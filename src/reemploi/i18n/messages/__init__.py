"""Every message a user reads, by concept; importing this package declares them all.

English only here: the translations are in ``reemploi/i18n/locale/<lang>/LC_MESSAGES``.
"""

from reemploi.i18n.messages import (  # noqa: F401 - imported for their declarations
    accounts,
    bench,
    cli,
    core,
    demo,
    design,
    documents,
    headers,
    impact,
    inventory,
    labels,
    planning,
    refurb,
    report,
    web,
    workflow,
)
