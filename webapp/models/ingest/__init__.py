"""The ingest API's own records: API clients and their tokens, and receipts of sent items."""

from webapp.models.ingest.clients import ApiClient
from webapp.models.ingest.receipts import IngestReceipt

__all__ = ["ApiClient", "IngestReceipt"]
