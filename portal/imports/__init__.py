"""Load a city's agencies and staff from spreadsheets (commands and pages)."""

from portal.imports.agencies import AgencyImportResult, agencies_import
from portal.imports.common import ImportInvalid, RowError
from portal.imports.staff import StaffImportResult, staff_import

__all__ = [
    "AgencyImportResult",
    "ImportInvalid",
    "RowError",
    "StaffImportResult",
    "agencies_import",
    "staff_import",
]
