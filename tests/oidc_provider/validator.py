"""The test provider's claims: e-mail, whether it is verified, and the username."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

UNVERIFIED_GROUP = "email-unverified"


class Validator(OAuth2Validator):  # type: ignore[misc]
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name=UNVERIFIED_GROUP).exists(),
            "preferred_username": user.username,
        }
