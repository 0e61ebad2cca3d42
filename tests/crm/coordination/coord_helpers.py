"""Helpers shared by the community-school tests."""


def denied(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the dashboard (or 403 for XHR)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] == "/admin/"
