"""Single sign-on's rules without a provider: the ID token's checks, who a set of verified claims
signs in, password sign-in in SSO-only mode, and the settings. (The whole flow against a real
provider: tests/e2e/test_sso_flow.py.)"""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from photonix import conf
from photonix.conf import OidcConfig
from photonix.core import oidc
from photonix.core.models import OidcIdentity, User

ISSUER = "https://id.example.org"
CLIENT = "photonix"
NONCE = "n-0S6_WzA2Mj"
SIGNING_KEY = RSAKey.generate_key(2048, parameters={"kid": "one"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "one"})
PROVIDER_KEYS = KeySet.import_key_set({"keys": [SIGNING_KEY.as_dict(private=False)]})
EXPECTED = oidc.Expected(issuer=ISSUER, client_id=CLIENT, nonce=NONCE)


def id_token(key: Any = SIGNING_KEY, alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "248289761001",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": alg, "kid": "one"}, claims, key)


def refused(token: str, reason: str = "token") -> None:
    with pytest.raises(oidc.SignInRefusedError) as caught:
        oidc.id_token_claims(token, PROVIDER_KEYS, EXPECTED)
    assert caught.value.reason == reason


# --- The ID token -------------------------------------------------------------------------------


def test_a_valid_id_token_gives_its_claims() -> None:
    claims = oidc.id_token_claims(id_token(email="a@example.org"), PROVIDER_KEYS, EXPECTED)
    assert claims["sub"] == "248289761001"
    assert claims["email"] == "a@example.org"


def test_a_token_signed_with_another_key_is_refused() -> None:
    refused(id_token(key=OTHER_KEY))


def test_a_token_changed_after_signing_is_refused() -> None:
    header, payload, signature = id_token().split(".")
    _, other_payload, _ = id_token(sub="someone-else").split(".")
    assert other_payload != payload
    refused(f"{header}.{other_payload}.{signature}")


def test_a_token_for_another_client_is_refused() -> None:
    refused(id_token(aud="another-app"))
    refused(id_token(aud=["another-app", "and-another"]))
    refused(id_token(aud=None))


def test_a_token_from_another_issuer_is_refused() -> None:
    refused(id_token(iss="https://evil.example.org"))
    refused(id_token(iss=None))


def test_an_expired_token_is_refused() -> None:
    past = int(time.time()) - 3600
    refused(id_token(iat=past - 300, exp=past))
    refused(id_token(exp=None))


def test_a_token_for_another_sign_in_is_refused() -> None:
    refused(id_token(nonce="another-nonce"))
    refused(id_token(nonce=None))


def test_unsigned_and_shared_secret_tokens_are_refused() -> None:
    # HS256 with the client secret as the key: anyone holding the secret could mint tokens.
    secret = OctKey.import_key("a-client-secret-long-enough-for-hmac-256")
    shared = KeySet([secret])
    token = id_token(key=secret, alg="HS256")
    with pytest.raises(oidc.SignInRefusedError):
        oidc.id_token_claims(token, shared, EXPECTED)
    header, payload, _ = id_token().split(".")
    unsigned_header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    refused(f"{unsigned_header}.{payload}.")
    refused(f"{header}.{payload}")
    refused("not a token")


def test_a_token_without_a_subject_is_refused() -> None:
    refused(id_token(sub=None))
    refused(id_token(sub=""))


# --- Who signs in -------------------------------------------------------------------------------


def configure(settings: Any, **options: Any) -> OidcConfig:
    values: dict[str, Any] = {"issuer": ISSUER, "client_id": CLIENT, "client_secret": "s"}
    values.update(options)
    config = OidcConfig(**values)
    settings.PHOTONIX_OIDC = config
    return config


def claims(sub: str = "sub-1", **extra: Any) -> dict[str, Any]:
    return {"sub": sub, **extra}


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_user("admin", "admin@example.org", "x", is_superuser=True)


def reason(config: OidcConfig, given: dict[str, Any]) -> str:
    with pytest.raises(oidc.SignInRefusedError) as caught:
        oidc.user_for_claims(config, given)
    return caught.value.reason


def test_a_verified_email_links_once_then_the_subject_decides(settings: Any, admin: User) -> None:
    config = configure(settings)
    anna = User.objects.create_user("anna", "Anna@Example.org", "x")
    assert (
        oidc.user_for_claims(config, claims(email="anna@example.org", email_verified=True)) == anna
    )
    identity = OidcIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (anna, ISSUER, "sub-1")

    # The address moves to someone else at the provider: the subject still finds anna, and
    # another subject with anna's address is not let into her account.
    assert oidc.user_for_claims(config, claims(email="new@example.org")) == anna
    assert (
        reason(config, claims("sub-2", email="anna@example.org", email_verified=True))
        == "already_linked"
    )
    assert OidcIdentity.objects.count() == 1


def test_an_unverified_email_links_nothing_even_with_auto_create(
    settings: Any, admin: User
) -> None:
    config = configure(settings, auto_create=True)
    User.objects.create_user("anna", "anna@example.org", "x")
    for verified in (False, "false", None):
        given = claims(email="anna@example.org", email_verified=verified)
        assert reason(config, given) == "email_unverified"
    assert User.objects.count() == 2
    assert not OidcIdentity.objects.exists()


def test_a_string_true_counts_as_verified(settings: Any, admin: User) -> None:
    config = configure(settings)
    anna = User.objects.create_user("anna", "anna@example.org", "x")
    assert (
        oidc.user_for_claims(config, claims(email="anna@example.org", email_verified="true"))
        == anna
    )


def test_linking_by_email_can_be_turned_off(settings: Any, admin: User) -> None:
    config = configure(settings, link_by_email=False)
    User.objects.create_user("anna", "anna@example.org", "x")
    assert reason(config, claims(email="anna@example.org", email_verified=True)) == "no_account"


def test_two_accounts_with_the_address_link_neither(settings: Any, admin: User) -> None:
    config = configure(settings, auto_create=True)
    User.objects.create_user("anna", "anna@example.org", "x")
    User.objects.create_user("anna2", "anna@example.org", "x")
    assert reason(config, claims(email="anna@example.org", email_verified=True)) == "no_account"
    assert not OidcIdentity.objects.exists()


def test_disabled_users_are_refused_linked_or_not(settings: Any, admin: User) -> None:
    config = configure(settings)
    anna = User.objects.create_user("anna", "anna@example.org", "x", is_active=False)
    assert reason(config, claims(email="anna@example.org", email_verified=True)) == "disabled"
    assert not OidcIdentity.objects.exists()
    anna.is_active = True
    anna.save()
    oidc.user_for_claims(config, claims(email="anna@example.org", email_verified=True))
    User.objects.filter(pk=anna.pk).update(is_active=False)
    assert reason(config, claims()) == "disabled"


def test_auto_create_makes_a_plain_user_without_a_password(settings: Any, admin: User) -> None:
    config = configure(settings, auto_create=True)
    User.objects.create_user("anna", "other@example.org", "x")
    user = oidc.user_for_claims(
        config,
        claims(
            preferred_username="anna",
            email="anna@example.org",
            email_verified=True,
            given_name="Anna",
        ),
    )
    assert user.username == "anna2"
    assert (user.email, user.first_name, user.is_superuser, user.is_staff) == (
        "anna@example.org",
        "Anna",
        False,
        False,
    )
    assert not user.has_usable_password()
    assert oidc.user_for_claims(config, claims()) == user


def test_without_auto_create_nobody_new_gets_in(settings: Any, admin: User) -> None:
    config = configure(settings)
    assert reason(config, claims(email="x@example.org", email_verified=True)) == "no_account"
    assert User.objects.count() == 1


def test_nobody_signs_in_before_first_run_setup(settings: Any, db: None) -> None:
    config = configure(settings, auto_create=True)
    assert reason(config, claims()) == "setup"
    assert not User.objects.exists()


# --- Password sign-in in SSO-only mode ----------------------------------------------------------


def test_break_glass_is_the_named_account_or_else_the_administrators(
    settings: Any, admin: User
) -> None:
    User.objects.create_user("anna", "", "x")
    configure(settings)
    assert oidc.password_sign_in_allowed("anna")
    configure(settings, sso_only=True)
    assert oidc.password_sign_in_allowed("admin")
    assert not oidc.password_sign_in_allowed("anna")
    assert not oidc.password_sign_in_allowed("nobody")
    configure(settings, sso_only=True, break_glass_user="anna")
    assert oidc.password_sign_in_allowed("anna")
    assert not oidc.password_sign_in_allowed("admin")


def test_next_paths_stay_on_the_site() -> None:
    assert oidc.safe_next("/albums/3?sort=date") == "/albums/3?sort=date"
    for bad in (None, "", "https://evil.example", "//evil.example", "/\\evil", "albums", "/a\nb"):
        assert oidc.safe_next(bad) == "/"


# --- Settings -----------------------------------------------------------------------------------


def test_settings_are_off_by_default_and_parsed() -> None:
    assert not conf.load_oidc({}).enabled
    config = conf.load_oidc(
        {
            "PHOTONIX_OIDC_ISSUER": "https://id.example.org/",
            "PHOTONIX_OIDC_CLIENT_ID": "photonix",
            "PHOTONIX_OIDC_CLIENT_SECRET": "s3cret",
            "PHOTONIX_OIDC_SCOPES": "email groups",
            "PHOTONIX_OIDC_AUTO_CREATE": "true",
            "PHOTONIX_OIDC_ONLY": "yes",
            "PHOTONIX_OIDC_BREAK_GLASS_USER": "rescue",
        }
    )
    assert config.issuer == "https://id.example.org"
    assert config.scopes == ("openid", "email", "groups")
    assert (config.auto_create, config.sso_only, config.break_glass_user) == (True, True, "rescue")
    assert "s3cret" not in repr(config)


def test_unusable_settings_are_refused_with_their_names() -> None:
    with pytest.raises(conf.ConfigError, match="PHOTONIX_OIDC_CLIENT_SECRET"):
        conf.load_oidc(
            {"PHOTONIX_OIDC_ISSUER": "https://id.example.org", "PHOTONIX_OIDC_CLIENT_ID": "x"}
        )
    with pytest.raises(conf.ConfigError, match="PHOTONIX_OIDC_ISSUER"):
        conf.load_oidc({"PHOTONIX_OIDC_ONLY": "true"})
    with pytest.raises(conf.ConfigError, match="not an http"):
        conf.load_oidc(
            {
                "PHOTONIX_OIDC_ISSUER": "id.example.org",
                "PHOTONIX_OIDC_CLIENT_ID": "x",
                "PHOTONIX_OIDC_CLIENT_SECRET": "y",
            }
        )
