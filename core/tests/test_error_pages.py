"""The local run (DEBUG on) shows the site's own Russian error pages, never Django's English ones."""

from django.test import RequestFactory

from core.middleware import SiteErrorPagesUnderDebugMiddleware


def test_an_unknown_address_under_debug_gets_the_site_s_404_in_russian(client_for, settings):
    settings.DEBUG = True
    response = client_for("secretary").get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Страница не найдена" in text and "Django tried" not in text and "URLconf" not in text


def test_another_region_s_object_under_debug_gets_the_site_s_404(client_for, cast, settings):
    settings.DEBUG = True
    response = client_for("staff_a").get(f"/branches/{cast.branch_b.pk}/")
    assert response.status_code == 404 and "Страница не найдена" in response.content.decode()


def test_a_crash_under_debug_gets_the_site_s_500_and_is_logged(settings, caplog):
    settings.DEBUG = True
    request = RequestFactory().get("/somewhere/", HTTP_ACCEPT_LANGUAGE="ru")
    middleware = SiteErrorPagesUnderDebugMiddleware(lambda request: None)
    with caplog.at_level("ERROR", logger="django.request"):
        response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "boom" in caplog.text


def test_in_production_the_middleware_leaves_errors_to_django(settings):
    settings.DEBUG = False
    middleware = SiteErrorPagesUnderDebugMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), RuntimeError("boom")) is None
