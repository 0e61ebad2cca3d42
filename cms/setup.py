"""Builds the public page tree; used by `manage.py setup_site` and by the tests."""

from __future__ import annotations

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, PartnerDirectoryPage, SchoolDirectoryPage, SiteChrome, StandardPage

HOME = {
    "title": "Community schools and their partners",
    "title_es": "Escuelas comunitarias y sus socios",
    "slug": "site-home",
    "intro": (
        "Find organizations that help students and families in our community schools: tutoring, "
        "food, health care, family support and more."
    ),
    "intro_es": (
        "Encuentre organizaciones que ayudan a estudiantes y familias en nuestras escuelas "
        "comunitarias: tutoría, alimentos, salud, apoyo familiar y más."
    ),
}
CHILDREN = [
    (
        PartnerDirectoryPage,
        {
            "title": "Partners",
            "title_es": "Socios",
            "slug": "partners",
            "intro": "Organizations working with our schools. Search by name or filter by service.",
            "intro_es": (
                "Organizaciones que trabajan con nuestras escuelas. Busque por nombre o filtre "
                "por servicio."
            ),
        },
    ),
    (
        SchoolDirectoryPage,
        {
            "title": "Community schools",
            "title_es": "Escuelas comunitarias",
            "slug": "community-schools",
            "intro": (
                "Schools funded by the California Community Schools Partnership Program (CCSPP), "
                "by district."
            ),
            "intro_es": (
                "Escuelas financiadas por el Programa de Asociación de Escuelas Comunitarias de "
                "California (CCSPP), por distrito."
            ),
        },
    ),
    (
        StandardPage,
        {
            "title": "About",
            "title_es": "Acerca de",
            "slug": "about",
            "intro": (
                "The Community Schools Initiative connects schools with partners so children and "
                "families get the support they need."
            ),
            "intro_es": (
                "La Iniciativa de Escuelas Comunitarias conecta a las escuelas con socios para "
                "que los niños y las familias reciban el apoyo que necesitan."
            ),
        },
    ),
]


def setup_site(*, hostname: str = "localhost", port: int = 80) -> list[str]:
    """Create whatever part of the tree is missing; returns the titles of pages it created."""
    created: list[str] = []
    # A flushed database (transactional tests) has lost the tree root and locale migrations made.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", live=True)
    )
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(**HOME, live=True))
        home.save_revision().publish()
        created.append(home.title)
    for model, fields in CHILDREN:
        if not model.objects.child_of(home).filter(slug=fields["slug"]).exists():
            page = home.add_child(instance=model(**fields, live=True, show_in_menus=True))
            page.save_revision().publish()
            created.append(page.title)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Home"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    SiteChrome.for_site(Site.objects.get(is_default_site=True))
    # Wagtail's welcome page is a plain Page at depth 2; once replaced, nothing should show it.
    welcome = Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    )
    for stale in welcome:
        if not Site.objects.filter(root_page=stale).exists():
            stale.delete()
            created.append("(removed the welcome page)")
    return created
