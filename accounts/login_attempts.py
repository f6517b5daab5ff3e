"""django-axes under a Danish name in the admin, where the secretariat
unlocks accounts (accounts.lockout). In a module of its own: a second
AppConfig in accounts/apps.py would stop Django choosing AccountsConfig."""

from axes.apps import AppConfig as AxesConfig


class LoginAttemptsConfig(AxesConfig):
    verbose_name = "Loginforsøg"
