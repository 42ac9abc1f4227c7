"""The imbalance self-check."""

from django.shortcuts import render


def start(request):
    """Render the self-check's start page: what it is, how long it takes, and that it is not a diagnosis."""
    return render(request, "assessment/start.html")
