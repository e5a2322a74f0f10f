"""Prepare the test provider's folder: signing key, database, users and Photonix's client."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main() -> None:
    key_file = Path(os.environ["OIDC_PROVIDER_DIR"]) / "signing-key.pem"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERS
    from tests.oidc_provider.validator import UNVERIFIED_GROUP

    call_command("migrate", verbosity=0, interactive=False)
    unverified = Group.objects.create(name=UNVERIFIED_GROUP)
    for person in USERS:
        user = User.objects.create_user(
            person.username, person.email, PASSWORD, is_active=person.active
        )
        if not person.email_verified:
            user.groups.add(unverified)
    Application.objects.create(
        name="Photonix",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        # A loopback address: any port is accepted (RFC 8252), so Photonix may take any free one.
        redirect_uris="http://127.0.0.1/auth/oidc/callback",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
