from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in to Photonix.

    A custom user model from the first migration, so fields (preferences, API tokens) can be added
    later without the painful switch away from ``auth.User``.
    """

    class Meta:
        db_table = "photonix_user"

    def __str__(self) -> str:
        return self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser


class ApiToken(models.Model):
    """A personal API token for scripts and other clients (``Authorization: Bearer …``).

    Only the sha256 of the token is stored: the token itself is shown once, when it is created.
    ``prefix`` (the first characters of the token) is public, so a person can tell tokens apart
    in the list and recognise one in a script. Revoking deletes the row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True, help_text="sha256 of the token, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class InstanceSettings(models.Model):
    """Settings of the whole installation that an administrator changes in the web app.

    One row (``pk=1``), read with :func:`photonix.core.instance.instance_settings`. Blank
    fields fall back to the environment's defaults (``photonix.conf``).
    """

    map_tile_url = models.CharField(
        max_length=500, blank=True, default="", help_text="Leaflet tile URL template."
    )
    map_attribution = models.CharField(max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "photonix_instance_settings"

    def __str__(self) -> str:
        return f"instance settings ({self.map_tile_url or 'no map tiles'})"


class OidcIdentity(models.Model):
    """The account at an OpenID Connect provider that signs a user in (``issuer``, ``subject``).

    Written at the first single sign-on, by linking a verified e-mail address or by creating the
    user; afterwards the provider's ``sub`` alone finds the user, never the e-mail address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255, help_text="The provider's `sub` claim.")
    email = models.CharField(max_length=254, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "photonix_oidc_identity"
        constraints = (
            models.UniqueConstraint(fields=("issuer", "subject"), name="oidc_identity_unique"),
            # One account per user at each provider: a second one never takes over by e-mail.
            models.UniqueConstraint(fields=("issuer", "user"), name="oidc_identity_one_per_user"),
        )

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
