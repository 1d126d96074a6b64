"""Words as a Colombian counter reads them: consent labels agree in gender and follow the
visitor's language (never frozen at import)."""

from django.conf import settings


def test_consent_labels_agree_and_follow_the_language(client_for):
    spanish = client_for(None).get("/signup/", HTTP_ACCEPT_LANGUAGE="es-CO").content.decode()
    english_client = client_for(None)
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get("/signup/").content.decode()

    assert (
        'Acepto la <a href="/legal/privacy/"' in spanish and 'Acepto los <a href="/legal/terms/"' in spanish
    )
    assert 'I accept the <a href="/legal/privacy/"' in english


def test_a_failed_sign_in_speaks_with_tu(client_for, workspaces):
    response = client_for(workspaces.alpha).post(
        "/accounts/login/", {"login": "owner@alpha.test", "password": "not-the-password"}
    )
    reset = client_for(workspaces.alpha).get("/accounts/password/reset/").content.decode()

    assert (
        "El correo electrónico o la contraseña que escribiste no son correctos." in response.content.decode()
    )
    assert "¿Olvidaste tu contraseña?" in reset and "Introduzca" not in reset
