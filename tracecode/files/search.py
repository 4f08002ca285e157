"""What the search index holds for a filed upload: its names, description and inner text."""

from django.urls import reverse


def file_entries(stored):
    yield {
        "kind": "file",
        "title": f"{stored.stored_name} ({stored.original_name})",
        "code": stored.code,
        "text": " ".join([stored.description, stored.original_name, stored.text]),
        "customer": stored.customer_id,
        # A PDF or picture opens in the browser; anything else downloads.
        "url": reverse("files:view" if stored.inline else "files:download", args=[stored.pk]),
        "date": stored.uploaded_at,
    }
