"""The one import the admin and `import_records` share: read, check, preview, then write.

Nothing is written before `import_apply`; it writes in one transaction, strict (all or nothing)
by default, partners in bulk after one batched duplicate check, every record audited as "import".
Modules: rows (shared types and cell readers), refs (partner references), one per kind, kinds
(the registry), preview (read and classify), pipeline (decide and write), batches (the admin's).
"""

from crm.imports.cells import header_key
from crm.services.imports.batches import (
    background_rows,
    import_batch_confirm,
    import_batch_create,
    import_batch_purge,
    import_batch_run,
)
from crm.services.imports.kinds import KINDS, import_allowed, import_kinds_for, kind_spec
from crm.services.imports.pipeline import import_apply, import_file
from crm.services.imports.preview import import_analyse, import_read, preview_summary
from crm.services.imports.refs import resolve_partner_refs
from crm.services.imports.rows import (
    CONFIRM,
    CREATE,
    DECISIONS,
    DUPLICATE,
    ERROR,
    LINK,
    NEW,
    SKIP,
    UPDATE,
    ImportRefused,
    ImportReport,
    KindSpec,
    Row,
    max_bytes,
    max_rows,
)

__all__ = [
    "CONFIRM",
    "CREATE",
    "DECISIONS",
    "DUPLICATE",
    "ERROR",
    "KINDS",
    "LINK",
    "NEW",
    "SKIP",
    "UPDATE",
    "ImportRefused",
    "ImportReport",
    "KindSpec",
    "Row",
    "background_rows",
    "header_key",
    "import_allowed",
    "import_analyse",
    "import_apply",
    "import_batch_confirm",
    "import_batch_create",
    "import_batch_purge",
    "import_batch_run",
    "import_file",
    "import_kinds_for",
    "import_read",
    "kind_spec",
    "max_bytes",
    "max_rows",
    "preview_summary",
    "resolve_partner_refs",
]
