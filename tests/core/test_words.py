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
