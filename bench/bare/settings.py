"""Settings of the bare reference app: what ``django-admin startproject`` gives, less the admin and templates."""

import os

# Benchmark only: the app has no secrets, no forms, no database it touches.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-bare-reference-key-used-for-nothing-but-signing-0123456789")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
# Django's stock middleware, as a new project lists it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bench.bare.urls"
DATABASES = {}
USE_TZ = True
