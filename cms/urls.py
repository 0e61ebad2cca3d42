"""URL map: the Wagtail admin, documents, sitemap and robots.txt, then Wagtail's page serving
under i18n_patterns (English unprefixed, Spanish under /es/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.http import require_safe
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from bots.http import slack_events
from cms.referral_links import referral_link_page
from cms.views import robots_txt
from ops.health import healthz, readyz

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("slack/events", slack_events, name="slack_events"),
    path("api/v1/", include("api.urls")),
    path("sitemap.xml", require_safe(sitemap), name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("referral-update/<str:token>/", referral_link_page, name="referral_link"),
    # The public Open Referral (HSDS 3) feed of published partners.
    path("api/hsds/", include("cms.hsds.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
