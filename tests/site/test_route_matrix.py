"""Route × role matrix: every URL of the project, for anonymous and each role, GET and POST.

HOW TO EXTEND (the only two tables to edit are EXPECTED and PREFIX_RULES below):

- Every URL pattern of cms.urls is enumerated (include()s recursed) and keyed by its URL name,
  "namespace:name" for namespaced ones (e.g. "crm_partner:edit"); an unnamed pattern is keyed
  "route:<pattern>" and needs its concrete path in UNNAMED_PATHS.
- EXPECTED[name] = (GET spec, POST spec). A spec is space-separated `who=outcome` tokens; `who`
  is a comma-separated list of personas (anonymous, ana, pat, cora, omar, lee) or `*` for
  every persona not named. Outcomes:
      200, 400, 404, 405 ...  that exact status code
      login     302 to the admin login page (anonymous at a staff-only URL)
      denied    refused for this role: 403, or Wagtail's 302 to the admin home with an error
      redirect  any other 3xx (e.g. a successful action, a form that moves you on)
      any       any status below 500 (only for Wagtail internals under PREFIX_RULES)
- URL arguments: ARGS maps a URL namespace (or a full URL name) to a function of the fixture
  world returning the kwargs (e.g. {"pk": world.partner.pk}); other arguments get dummy values
  that match nothing (999999, "x", a zero UUID), so Wagtail internals answer 404 or a redirect.
- POST is sent with empty data, which must never change anything and never 500.
- A URL name with no EXPECTED entry and no PREFIX_RULES prefix fails test_every_url_has_an_entry
  with the entry to add. Names starting with "crm_" (and public site pages) must have an exact
  entry: there is deliberately no prefix rule for them.
- A URL that takes a model (an `app_label`/`app_name` and a `model_name`, e.g. Wagtail's
  editing-session ping or bulk actions) never falls under a prefix rule: it needs an EXPECTED
  entry and a MODEL_ARGS entry, and is requested for each school-scoped model (Event, Referral).
- Other school: every URL that takes an event or a referral (ours and Wagtail's) is requested
  again with the record of the other school (Garfield, omar's); the expected answers are the
  table's with cora and omar exchanged, and a refused request writes nothing (no EditingSession).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
import uuid
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

PERSONAS = ("anonymous", "ana", "pat", "cora", "omar", "lee")

# Wagtail's own admin screens (pages, images, documents, users, workflows, ...), not CRM records.
# Each prefix is explicit and documented; their expectation is "staff-only": anonymous is sent to
# the login page, and no role gets a server error. To keep the suite fast they are requested as
# anonymous and as SPOT_CHECK_PERSONAS only; EXPECTED entries are requested as every persona.
STAFF_ONLY = ("anonymous=login *=any", "anonymous=login *=any")
SPOT_CHECK_PERSONAS = ("anonymous", "ana")
PREFIX_RULES: tuple[tuple[str, tuple[str, str], str], ...] = (
    ("wagtailadmin_", STAFF_ONLY, "Wagtail core admin (pages, reports, workflows, api, ...)"),
    ("wagtail_bulk_action", STAFF_ONLY, "Wagtail bulk actions on pages/images/users"),
    ("wagtailcore_", STAFF_ONLY, "Wagtail core admin helpers (autocomplete, locales)"),
    ("wagtailimages", STAFF_ONLY, "Wagtail images and image chooser"),
    ("wagtaildocs_auth", STAFF_ONLY, "Wagtail documents password view"),
    ("wagtaildocs:", STAFF_ONLY, "Wagtail documents admin"),
    ("wagtaildocs_chooser:", STAFF_ONLY, "Wagtail documents chooser"),
    ("wagtailusers_", STAFF_ONLY, "Wagtail users and groups"),
    ("wagtailsites:", STAFF_ONLY, "Wagtail sites"),
    ("wagtailredirects:", STAFF_ONLY, "Wagtail redirects"),
    ("wagtailforms:", STAFF_ONLY, "Wagtail form submissions"),
    ("wagtailembeds:", STAFF_ONLY, "Wagtail embeds chooser"),
    ("wagtailsnippets:", STAFF_ONLY, "Wagtail snippets index"),
    ("wagtailsettings:", STAFF_ONLY, "Wagtail site settings (navigation and footer)"),
)

VIEW_ALL = "anonymous=login *=200"
NO_POST = "anonymous=login *=405"
ADMIN_ONLY = "anonymous=login ana=200 *=denied"
API_NO_POST = "anonymous=401 *=405"
API_NO_GET = "anonymous=401 *=405"


def crm(*, view: str, add: str, change: str) -> dict[str, tuple[str, str]]:
    """The nine URLs of one CRM ModelViewSet, from who may view, add and change it.

    view/add/change are comma-separated personas. Nobody may delete (no service deletes).
    Wagtail opens history to those who may add or change, usage to those who may change.
    An empty POST re-renders a create/edit form with its errors (200) for those allowed.
    """
    add_or_change = ",".join(sorted(set(add.split(",")) | set(change.split(","))))

    def allowed(who: str, yes) -> str:
        named = [p for p in who.split(",") if p]
        return " ".join(
            ["anonymous=login"] + ([f"{','.join(named)}={yes}"] if named else []) + ["*=denied"]
        )

    return {
        "index": (allowed(view, 200), allowed(view, 405)),
        "index_results": (allowed(view, 200), allowed(view, 405)),
        "add": (allowed(add, 200), allowed(add, 200)),
        "edit": (allowed(change, 200), allowed(change, 200)),
        "delete": ("anonymous=login *=denied", "anonymous=login *=denied"),
        "history": (allowed(add_or_change, 200), allowed(add_or_change, 405)),
        "history_results": (allowed(add_or_change, 200), allowed(add_or_change, 405)),
        "usage": (allowed(change, 200), allowed(change, 405)),
        "inspect": (allowed(view, 200), allowed(view, 405)),
    }


def _viewset(namespace: str, **roles: str) -> dict[str, tuple[str, str]]:
    return {f"{namespace}:{view}": spec for view, spec in crm(**roles).items()}


EVERYONE = "ana,pat,cora,omar,lee"
EXPECTED: dict[str, tuple[str, str]] = {
    # --- CRM records (crm/admin/partners.py, schools.py, reference.py) ----------------------
    **_viewset("crm_partner", view=EVERYONE, add="ana,pat", change="ana,pat"),
    "crm_partner:use_existing": (
        "anonymous=login ana,pat=405 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    **_viewset("crm_contact", view="ana,pat,lee", add="ana,pat", change="ana,pat"),
    **_viewset("crm_partnership", view="ana,pat,lee", add="ana,pat", change="ana,pat"),
    **_viewset("crm_touchpoint", view=EVERYONE, add="ana,pat,cora,omar", change="ana,pat"),
    **_viewset("crm_funding", view="ana,pat,lee", add="ana,pat", change="ana,pat"),
    **_viewset("crm_district", view="ana,pat,lee", add="ana", change="ana"),
    **_viewset("crm_school", view=EVERYONE, add="ana", change="ana"),
    **_viewset("crm_grant", view="ana,pat,lee", add="ana", change="ana"),
    **_viewset("crm_servicecategory", view="ana,pat", add="ana", change="ana"),
    **_viewset("crm_equityfocusgroup", view="ana,pat", add="ana", change="ana"),
    **_viewset("crm_staffprofile", view="ana", add="ana", change="ana"),
    # Every profile field may be blank, so an empty POST is a valid edit (of a spare profile).
    "crm_staffprofile:edit": (ADMIN_ONLY, "anonymous=login ana=redirect *=denied"),
    **_viewset("crm_auditentry", view="ana", add="", change=""),
    # --- Duplicate review and merge (crm/admin/dedup.py) --------------------------------------
    "crm_dedup_queue": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    "crm_dedup_compare": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    "crm_dedup_merge": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=200 *=denied",
    ),
    "crm_dedup_not_duplicate": (
        "anonymous=login ana,pat=405 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    "crm_dedup_skip": (
        "anonymous=login ana,pat=405 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    "crm_dedup_history": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    "crm_dedup_undo": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    # An empty POST re-renders the cluster's merge form with its errors.
    "crm_dedup_cluster": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=200 *=denied",
    ),
    # Refresh the queue in the background (crm/admin/dedup_refresh.py); an empty POST starts
    # nothing and goes back to the queue.
    "crm_dedup_refresh": (
        "anonymous=login ana,pat=405 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    "crm_dedup_refresh_run": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    "crm_dedup_refresh_status": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    "crm_matcher_model": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    # --- Quick add (crm/admin/quick_add.py): an empty POST re-renders the form with its errors.
    "crm_quick_add": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=200 *=denied",
    ),
    # Everyone's own inbox; an empty POST marks nothing and says so.
    "crm_notifications": ("anonymous=login *=200", "anonymous=login *=redirect"),
    # --- Community schools (crm/admin/my_schools.py, events.py, referrals.py, ...) -------------
    # The records are at Roosevelt (cora's school): omar gets 404, never a row of another school.
    "my_schools:index": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login ana,cora,omar=200 *=denied",
    ),
    "my_schools:partners": ("anonymous=login ana,cora,omar=200 *=denied", "anonymous=login *=405"),
    "referral_figures:index": ("anonymous=login *=200", "anonymous=login *=405"),
    "event:index": (VIEW_ALL, "anonymous=login *=405"),
    "event:index_results": (VIEW_ALL, "anonymous=login *=405"),
    "event:add": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login ana,cora,omar=200 *=denied",
    ),
    "event:edit": (
        "anonymous=login ana,cora=200 omar=404 *=denied",
        "anonymous=login ana,cora=200 omar=404 *=denied",
    ),
    "event:inspect": ("anonymous=login omar=404 *=200", "anonymous=login omar=404 *=405"),
    "referral:index": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login ana,cora,omar=405 *=denied",
    ),
    "referral:index_results": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login ana,cora,omar=405 *=denied",
    ),
    "referral:add": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login ana,cora,omar=200 *=denied",
    ),
    "referral:edit": (
        "anonymous=login ana,cora=200 omar=404 *=denied",
        "anonymous=login ana,cora=200 omar=404 *=denied",
    ),
    "referral:inspect": (
        "anonymous=login ana,cora=200 *=404",
        "anonymous=login ana,cora=405 *=404",
    ),
    "referral:status": ("anonymous=login ana,cora=200 *=404", "anonymous=login ana,cora=200 *=404"),
    "referral:disclosures": (ADMIN_ONLY, "anonymous=login ana=405 *=denied"),
    # The referral form's suggested partners (crm/admin/referral_partners.py): an HTML fragment.
    "crm_referral_partner_suggestions": (
        "anonymous=login ana,cora,omar=200 *=denied",
        "anonymous=login *=405",
    ),
    # Partner links of cora's referral (crm/admin/partner_links.py); an empty POST makes none.
    "referral_links": (
        "anonymous=login ana,cora=200 omar=404 *=denied",
        "anonymous=login ana,cora=200 omar=404 *=denied",
    ),
    # --- Annual report (crm/admin/reports.py): leadership and administrators -----------------
    "crm_annual_report": (
        "anonymous=login ana,lee=200 *=denied",
        "anonymous=login ana,lee=405 *=denied",
    ),
    "crm_annual_report_download": (
        "anonymous=login ana,lee=200 *=denied",
        "anonymous=login ana,lee=405 *=denied",
    ),
    # --- CCSPP progress (crm/admin/ccspp.py): packs and gaps for coordinators (their schools),
    # leadership and administrators; needs and assets at Roosevelt, so omar gets 404.
    "ccspp_packs:index": (
        "anonymous=login pat=denied *=200",
        "anonymous=login pat=denied *=405",
    ),
    # No school or district chosen: a 400 that says what to choose.
    "ccspp_packs:download": (
        "anonymous=login pat=denied *=400",
        "anonymous=login pat=denied *=405",
    ),
    "ccspp_gaps:index": ("anonymous=login pat=denied *=200", "anonymous=login pat=denied *=405"),
    **{
        f"{namespace}:{view}": spec
        for namespace in ("school_need", "school_asset")
        for view, spec in {
            "index": (VIEW_ALL, "anonymous=login *=405"),
            "index_results": (VIEW_ALL, "anonymous=login *=405"),
            "add": (
                "anonymous=login ana,cora,omar=200 *=denied",
                "anonymous=login ana,cora,omar=200 *=denied",
            ),
            "edit": (
                "anonymous=login ana,cora=200 omar=404 *=denied",
                "anonymous=login ana,cora=200 omar=404 *=denied",
            ),
            "inspect": ("anonymous=login omar=404 *=200", "anonymous=login omar=404 *=405"),
        }.items()
    },
    **{
        f"crm_agreement:{view}": spec
        for view, spec in crm(view="ana,pat,lee", add="ana,pat", change="ana,pat").items()
        if view in ("index", "index_results", "add", "edit")
    },
    # Agreements are found among those the person may see: another role gets a 404.
    "crm_agreement:inspect": (
        "anonymous=login ana,pat,lee=200 *=404",
        "anonymous=login ana,pat,lee=405 *=404",
    ),
    "crm_agreement_download": (
        "anonymous=login ana,pat,lee=200 *=404",
        "anonymous=login *=405",
    ),
    # The staff search box (crm/admin/search.py): every role searches what it may view.
    "crm_search": (VIEW_ALL, NO_POST),
    # Autocomplete pickers (crm/admin/choosers.py): whoever may view that kind.
    "crm_choose_partners": (VIEW_ALL, NO_POST),
    "crm_choose_schools": (VIEW_ALL, NO_POST),
    "crm_choose_districts": ("anonymous=login ana,pat,lee=200 *=denied", NO_POST),
    "crm_choose_contacts": ("anonymous=login ana,pat,lee=200 *=denied", NO_POST),
    # Logins locked after wrong passwords (crm/admin/logins.py); an empty POST unlocks nobody.
    # --- Saved views (crm/admin/saved_views.py): posts only, each person's own views ---------
    # An empty post names no list: refused. Another person's view (any dummy id) is a 404.
    "crm_saved_view_save": ("anonymous=login *=405", "anonymous=login *=denied"),
    "crm_saved_view_rename": ("anonymous=login *=405", "anonymous=login *=404"),
    "crm_saved_view_delete": ("anonymous=login *=405", "anonymous=login *=404"),
    "crm_locked_logins": (ADMIN_ONLY, "anonymous=login ana=redirect *=denied"),
    # --- Bulk import and export (crm/admin/imports.py); refusals here are an explicit 403 -----
    "crm_import": ("anonymous=login lee=403 *=200", "anonymous=login lee=403 *=200"),
    # The batch was uploaded by pat: it is pat's alone, everyone else gets 404.
    "crm_import_preview": ("anonymous=login pat=200 *=404", "anonymous=login pat=redirect *=404"),
    "crm_exports": (VIEW_ALL, "anonymous=login *=405"),
    "crm_export": ("anonymous=login cora,omar=403 *=200", "anonymous=login *=405"),
    # --- Operations (ops/): background task status, health checks --------------------------
    "ops_task_runs": (ADMIN_ONLY, "anonymous=login ana=405 *=denied"),
    "healthz": ("*=200", "*=405"),
    "readyz": ("*=200", "*=405"),
    # --- Slack: the request signature is the credential, not the session --------------------
    "slack_events": ("*=405", "*=400"),
    # --- REST API (api/urls.py), by session here; tokens and scopes: tests/api -------------
    # No session is a JSON 401 (API clients get no login page); a method a route does not take
    # is a 405 for anyone signed in. An empty POST has no Idempotency-Key: 400 for those allowed.
    # The records are at Roosevelt (cora's school).
    "api:schema": ("*=200", "*=405"),
    "api:docs": ("anonymous=login *=200", "*=405"),
    "api:not-found": ("*=404", "*=404"),
    "api:report-annual": ("anonymous=401 ana,lee=200 *=403", API_NO_POST),
    "api:report-packs": ("anonymous=401 ana,lee=200 *=403", API_NO_POST),
    "api:export-index": ("anonymous=401 *=200", API_NO_POST),
    "api:export-table": ("anonymous=401 *=200", API_NO_POST),
    **{
        f"api:{name}-list": (
            f"anonymous=401 {view}=200 *=403",
            f"anonymous=401 {add}=400 *=403" if add else API_NO_POST,
        )
        for name, view, add in (
            ("partner", EVERYONE, "ana,pat"),
            ("contact", "ana,pat,lee", "ana,pat"),
            ("merge", "ana,pat", "ana,pat"),
            ("partnership", "ana,pat,lee", "ana,pat"),
            ("touchpoint", EVERYONE, "ana,pat,cora,omar"),
            ("event", EVERYONE, "ana,cora,omar"),
            ("funding", "ana,pat,lee", "ana,pat"),
            ("referral", "ana,cora,omar", "ana,cora,omar"),
            ("school", EVERYONE, ""),
            ("district", "ana,pat,lee", ""),
            ("grant", "ana,pat,lee", ""),
        )
    },
    **{
        f"api:{name}-detail": (f"anonymous=401 {view}=200 *=403", API_NO_POST)
        for name, view in (
            ("partner", EVERYONE),
            ("contact", "ana,pat,lee"),
            ("merge", "ana,pat"),
            ("partnership", "ana,pat,lee"),
            ("touchpoint", EVERYONE),
            ("funding", "ana,pat,lee"),
            ("school", EVERYONE),
            ("district", "ana,pat,lee"),
            ("grant", "ana,pat,lee"),
        )
    },
    "api:event-detail": ("anonymous=401 omar=404 *=200", API_NO_POST),
    "api:referral-detail": ("anonymous=401 ana,cora=200 omar=404 *=403", API_NO_POST),
    "api:merge-undo": (API_NO_GET, "anonymous=401 ana,pat=400 *=403"),
    "api:partnership-end": (API_NO_GET, "anonymous=401 ana,pat=400 *=403"),
    "api:referral-status": (API_NO_GET, "anonymous=401 ana,cora=400 omar=404 *=403"),
    # --- API tokens, webhooks and their delivery log (api/wagtail_hooks.py) ------------------
    "wagtailusers_api_tokens:index": (VIEW_ALL, "anonymous=login *=405"),
    "wagtailusers_api_tokens:add": (VIEW_ALL, VIEW_ALL),
    # Each person sees their own subscriptions (the one here is pat's); administrators all.
    "api_webhooks:index": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhooks:index_results": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhooks:add": (VIEW_ALL, VIEW_ALL),
    "api_webhooks:edit": ("anonymous=login ana,pat=200 *=404", "anonymous=login ana,pat=200 *=404"),
    "api_webhooks:delete": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhooks:history": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhooks:history_results": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhooks:usage": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhook_deliveries:index": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhook_deliveries:index_results": (VIEW_ALL, "anonymous=login *=405"),
    "api_webhook_deliveries:add": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhook_deliveries:edit": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhook_deliveries:delete": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhook_deliveries:history": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhook_deliveries:history_results": (
        "anonymous=login *=denied",
        "anonymous=login *=denied",
    ),
    "api_webhook_deliveries:usage": ("anonymous=login *=denied", "anonymous=login *=denied"),
    "api_webhook_deliveries:inspect": (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=405 *=denied",
    ),
    # --- Wagtail screens that differ from STAFF_ONLY ---------------------------------------
    "wagtailadmin_home": (VIEW_ALL, "anonymous=login *=405"),
    "wagtailadmin_login": ("anonymous=200 *=redirect", "*=200"),
    "wagtailadmin_logout": ("anonymous=login *=405", "*=login"),
    "wagtailadmin_password_reset": ("*=200", "*=200"),
    "wagtailadmin_password_reset_done": ("*=200", "*=405"),
    "wagtailadmin_password_reset_confirm": ("*=200", "*=200"),
    "wagtailadmin_password_reset_complete": ("*=200", "*=405"),
    "wagtailadmin_javascript_catalog": ("*=200", "*=405"),
    "wagtailadmin_sprite": ("*=200", "*=200"),
    # --- Wagtail endpoints that take a model and an id (MODEL_ARGS): the record is at Roosevelt.
    # The ping needs change permission on that very record (crm/admin/scoping.py).
    "wagtailadmin_editing_sessions:ping": (
        "anonymous=login *=405",
        "anonymous=login ana,cora=200 *=404",
    ),
    # Only the session's own user can release it; someone else's id deletes nothing.
    "wagtailadmin_editing_sessions:release": ("anonymous=login *=405", "anonymous=login *=200"),
    # No bulk action is registered for events and referrals (MODEL_ARGS asks to delete one), and
    # they are no tag models. The partner, partnership and touchpoint actions: BULK_ACTIONS.
    "wagtail_bulk_action": ("anonymous=login *=404", "anonymous=login *=404"),
    "wagtailadmin_tag_model_autocomplete": ("anonymous=login *=404", "anonymous=login *=404"),
    # A task type form for a CRM model: no such task type.
    "wagtailadmin_workflows:add_task": ("anonymous=login *=404", "anonymous=login *=404"),
    # Not a page type, not a settings model.
    "wagtailadmin_pages:choose_parent": ("anonymous=login *=404", "anonymous=login *=404"),
    "wagtailsettings:edit": ("anonymous=login *=404", "anonymous=login *=404"),
    "wagtailsettings:preview_on_edit": ("anonymous=login *=404", "anonymous=login *=404"),
    # Wagtail's deliberate error page, for checking error reporting.
    "wagtailadmin_error_test": ("anonymous=login *=500", "anonymous=login *=500"),
    # Wagtail 8.0.1 answers an empty POST here with a 500 (KeyError on the missing URL field).
    "wagtailadmin_choose_page_external_link": ("anonymous=login *=200", "anonymous=login *=500"),
    "route:admin/test404/": ("anonymous=login *=200", "anonymous=login *=405"),
    "route:admin/^.*/$": ("anonymous=login *=404", "anonymous=login *=404"),
    # --- Public site -------------------------------------------------------------------------
    "wagtail_serve": ("*=200", "*=200"),
    "wagtailcore_login": ("*=200", "*=200"),
    "wagtailcore_authenticate_with_password": ("*=404", "*=404"),
    "wagtaildocs_serve": ("*=404", "*=404"),
    "wagtaildocs_authenticate_with_password": ("*=404", "*=404"),
    "sitemap": ("*=200", "*=405"),
    "robots_txt": ("*=200", "*=405"),
    # The partner's referral page: a token that does not verify is a 404 for everyone.
    "referral_link": ("*=404", "*=404"),
    # The public Open Referral feed (cms/hsds/): read-only, the same for everyone; a detail
    # URL with an id the feed never issued is a 404.
    "hsds:index": ("*=200", "*=405"),
    "hsds:organizations": ("*=200", "*=405"),
    "hsds:organization": ("*=404", "*=405"),
    "hsds:services": ("*=200", "*=405"),
    "hsds:service": ("*=404", "*=405"),
    "hsds:locations": ("*=200", "*=405"),
    "hsds:location": ("*=404", "*=405"),
}

# URLs that end the session; the test logs the persona back in after requesting them.
LOGS_OUT = {"wagtailadmin_logout"}

# Concrete paths for patterns without a name (keyed "route:<pattern>").
UNNAMED_PATHS = {"admin/test404/": "/admin/test404/", "admin/^.*/$": "/admin/no-such-screen/"}

# URL namespace (or full name) -> kwargs built from the fixture world.
ARGS = {
    "crm_partner": lambda w: {"pk": w.partner.pk},
    "crm_contact": lambda w: {"pk": w.contact.pk},
    "crm_partnership": lambda w: {"pk": w.partnership.pk},
    "crm_touchpoint": lambda w: {"pk": w.touchpoint.pk},
    "crm_funding": lambda w: {"pk": w.funding.pk},
    "crm_district": lambda w: {"pk": w.east.pk},
    "crm_school": lambda w: {"pk": w.roosevelt.pk},
    "crm_grant": lambda w: {"pk": w.grant.pk},
    "crm_servicecategory": lambda w: {"pk": w.category.pk},
    "crm_equityfocusgroup": lambda w: {"pk": w.focus.pk},
    "crm_staffprofile": lambda w: {"pk": w.spare.staff_profile.pk},
    "crm_auditentry": lambda w: {"pk": w.audit.pk},
    "crm_dedup_compare": lambda w: {"pk": w.candidate.pk},
    "crm_dedup_merge": lambda w: {"pk": w.candidate.pk},
    "crm_dedup_not_duplicate": lambda w: {"pk": w.candidate.pk},
    "crm_dedup_skip": lambda w: {"pk": w.candidate.pk},
    "crm_dedup_undo": lambda w: {"pk": w.merge.pk},
    "crm_dedup_cluster": lambda w: {"key": w.candidate.cluster_key},
    "crm_dedup_refresh_run": lambda w: {"pk": w.scan_run.pk},
    "crm_dedup_refresh_status": lambda w: {"pk": w.scan_run.pk},
    "event": lambda w: {"pk": w.event.pk},
    "crm_annual_report_download": lambda w: {"fmt": "csv"},
    "crm_import_preview": lambda w: {"batch_id": w.batch.pk},
    "crm_export": lambda w: {"kind": "funding"},
    "referral": lambda w: {"pk": w.referral.pk},
    "school_need": lambda w: {"pk": w.need.pk},
    "crm_agreement": lambda w: {"pk": w.agreement.pk},
    "crm_agreement_download": lambda w: {"pk": w.agreement.pk},
    "referral_links": lambda w: {"pk": w.referral.pk},
    "school_asset": lambda w: {"pk": w.asset.pk},
    "ccspp_packs:download": lambda w: {"fmt": "csv"},
    "wagtail_serve": lambda w: [""],
    "api:partner-detail": lambda w: {"pk": w.partner.pk},
    "api:contact-detail": lambda w: {"pk": w.contact.pk},
    "api:merge-detail": lambda w: {"pk": w.merge.pk},
    "api:merge-undo": lambda w: {"pk": w.merge.pk},
    "api:partnership-detail": lambda w: {"pk": w.partnership.pk},
    "api:partnership-end": lambda w: {"pk": w.partnership.pk},
    "api:touchpoint-detail": lambda w: {"pk": w.touchpoint.pk},
    "api:event-detail": lambda w: {"pk": w.event.pk},
    "api:funding-detail": lambda w: {"pk": w.funding.pk},
    "api:referral-detail": lambda w: {"pk": w.referral.pk},
    "api:referral-status": lambda w: {"pk": w.referral.pk},
    "api:school-detail": lambda w: {"pk": w.roosevelt.pk},
    "api:district-detail": lambda w: {"pk": w.east.pk},
    "api:grant-detail": lambda w: {"pk": w.grant.pk},
    "api:export-table": lambda w: {"table": "partners"},
    "api_webhooks": lambda w: {"pk": w.subscription.pk},
    "api_webhook_deliveries": lambda w: {"pk": w.delivery.pk},
}

# Wagtail's bulk-action URL with the CRM's own actions (crm/admin/list_actions.py), on the world's
# partner, partnership and touchpoint (logged by nobody). The POST is the confirmation with no
# fields: it acts (a redirect), or is refused whole on the page (200) and writes nothing.
BULK_ACTIONS = {
    ("partner", "publish"): (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    ("partner", "unpublish"): (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    ("partnership", "assign_lead"): (
        "anonymous=login ana,pat=200 *=denied",
        "anonymous=login ana,pat=redirect *=denied",
    ),
    # Coordinators log touchpoints and close their own follow-ups only: this one is not theirs.
    ("touchpoint", "follow_up_done"): (
        "anonymous=login lee=denied *=200",
        "anonymous=login ana,pat=redirect lee=denied *=200",
    ),
    # No such action on these models.
    ("partner", "delete"): ("anonymous=login *=404", "anonymous=login *=404"),
    ("touchpoint", "publish"): ("anonymous=login *=404", "anonymous=login *=404"),
    ("contact", "publish"): ("anonymous=login *=404", "anonymous=login *=404"),
}

# URLs that take a model: kwargs (and a query string) from the fixture world and a record.
MODEL_ARGS = {
    "wagtailadmin_editing_sessions:ping": lambda w, r: (
        {**_model(r), "object_id": str(r.pk), "session_id": 0},
        "",
    ),
    "wagtail_bulk_action": lambda w, r: ({**_model(r), "action": "delete"}, f"?id={r.pk}"),
    "wagtailadmin_tag_model_autocomplete": lambda w, r: (
        {"app_name": r._meta.app_label, "model_name": r._meta.model_name},
        "?term=a",
    ),
    "wagtailadmin_workflows:add_task": lambda w, r: (_model(r), ""),
    "wagtailadmin_pages:choose_parent": lambda w, r: (_model(r), ""),
    "wagtailsettings:edit": lambda w, r: (_settings_model(r), ""),
    "wagtailsettings:preview_on_edit": lambda w, r: (_settings_model(r), ""),
}
# Endpoints that take a record by other means (a session of the record's coordinator).
RECORD_ARGS = {
    "wagtailadmin_editing_sessions:release": lambda w, r: {"session_id": w.sessions[r].pk},
}
MODEL_CONVERTERS = {"app_label", "app_name", "model_name"}
SCOPED_NAMESPACES = ("event", "referral")


def _model(record) -> dict[str, str]:
    return {"app_label": record._meta.app_label, "model_name": record._meta.model_name}


def _settings_model(record) -> dict:
    return {
        "app_name": record._meta.app_label,
        "model_name": record._meta.model_name,
        "pk": record.pk,
    }


DUMMY_BY_CONVERTER = {IntConverter: 999999, UUIDConverter: uuid.UUID(int=0)}
DUMMY_TEXT = "999999"  # fits str/slug/path converters and views that read it as an id


# --- enumeration -----------------------------------------------------------------------------


def _walk(patterns, namespaces, route, params):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(
                p.url_patterns,
                namespaces + [p.namespace] if p.namespace else namespaces,
                route + str(p.pattern),
                {**params, **getattr(p.pattern, "converters", {})},
            )
        elif isinstance(p, URLPattern):
            full_route = route + str(p.pattern)
            converters = {**params, **getattr(p.pattern, "converters", {})}
            regex = p.pattern.regex
            if not converters and regex.groupindex:
                converters = {name: None for name in regex.groupindex}
            positional = regex.groups - len(regex.groupindex) if not converters else 0
            if p.name:
                key = ":".join([*namespaces, p.name])
            else:
                key = f"route:{full_route}"
            yield SimpleNamespace(
                key=key,
                route=full_route,
                converters=converters,
                positional=positional,
                takes_model=bool(MODEL_CONVERTERS & set(converters)),
            )


def all_routes():
    return list(_walk(get_resolver().url_patterns, [], "", {}))


def _dummy(converter):
    return DUMMY_BY_CONVERTER.get(type(converter), DUMMY_TEXT)


def takes_record(route) -> bool:
    """Whether the URL addresses one event or referral (ours by pk, Wagtail's by model and id)."""
    return (
        route.key in MODEL_ARGS
        or route.key in RECORD_ARGS
        or (route.key.split(":")[0] in SCOPED_NAMESPACES and "pk" in route.converters)
    )


def build_url(route, world, record=None) -> str:
    """The URL to request; `record` (an event or referral) replaces the world's own."""
    if record is None:
        namespace = route.key.split(":")[0]
        record = world.event if namespace == "event" else world.referral
    if route.key in MODEL_ARGS:
        kwargs, query = MODEL_ARGS[route.key](world, record)
        return reverse(route.key, kwargs=kwargs) + query
    if route.key in RECORD_ARGS:
        return reverse(route.key, kwargs=RECORD_ARGS[route.key](world, record))
    if route.key.split(":")[0] in SCOPED_NAMESPACES and "pk" in route.converters:
        return reverse(route.key, kwargs={"pk": record.pk})
    if route.key.startswith("route:"):
        return UNNAMED_PATHS[route.route]
    factory = ARGS.get(route.key) or ARGS.get(route.key.split(":")[0])
    provided = factory(world) if factory else {}
    if isinstance(provided, list):
        return reverse(route.key, args=provided)
    if route.positional:
        for values in itertools.product((999999, "x"), repeat=route.positional):
            with contextlib.suppress(NoReverseMatch):
                return reverse(route.key, args=values)
    names = list(route.converters)
    choices = [
        [provided[n]] if n in provided else [_dummy(route.converters[n]), 999999, "x"]
        for n in names
    ]
    for values in itertools.product(*choices):
        with contextlib.suppress(NoReverseMatch):
            return reverse(route.key, kwargs=dict(zip(names, values, strict=True)))
    raise NoReverseMatch(f"No dummy arguments fit {route.key} ({route.route}); add it to ARGS.")


def spec_for(key: str, *, exact_only: bool = False) -> tuple[tuple[str, str], str]:
    if key in EXPECTED:
        return EXPECTED[key], "EXPECTED"
    if exact_only:
        raise LookupError(key)
    for prefix, spec, _why in PREFIX_RULES:
        if key.startswith(prefix):
            return spec, f"PREFIX_RULES[{prefix!r}]"
    raise LookupError(key)


def parse_spec(spec: str) -> dict[str, str]:
    out, default = {}, None
    for token in spec.split():
        who, outcome = token.split("=")
        if who == "*":
            default = outcome
            continue
        for persona in who.split(","):
            assert persona in PERSONAS, f"unknown persona {persona!r} in spec {spec!r}"
            out[persona] = outcome
    for persona in PERSONAS:
        if persona not in out:
            assert default is not None, f"spec {spec!r} says nothing about {persona}"
            out[persona] = default
    return out


def outcome_matches(expected: str, response) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    if expected == "any":
        return status < 500
    if expected == "login":
        return status == 302 and location.startswith(reverse("wagtailadmin_login"))
    if expected == "denied":
        return status == 403 or (status == 302 and location == reverse("wagtailadmin_home"))
    if expected == "redirect":
        return 300 <= status < 400 and not location.startswith(reverse("wagtailadmin_login"))
    return status == int(expected)


def describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


# --- the fixture world, built once for the module --------------------------------------------


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.admin.models import EditingSession

    from api.webhooks.subscriptions import subscription_create
    from crm.models import (
        AuditEntry,
        DuplicateCandidate,
        DuplicateScanRun,
        EquityFocusGroup,
        ServiceCategory,
    )
    from crm.roles import ADMINISTRATORS, LEADERSHIP, PARTNERSHIP_STAFF, SITE_COORDINATORS
    from crm.services.imports import import_batch_create
    from crm.services.merge import partner_merge
    from tests.factories import (
        make_agreement,
        make_asset,
        make_contact,
        make_district,
        make_event,
        make_funding,
        make_grant,
        make_need,
        make_partner,
        make_partnership,
        make_referral,
        make_school,
        make_touchpoint,
        make_user,
    )

    with django_db_blocker.unblock(), transaction.atomic():
        east = make_district(name="East Valley Unified")
        roosevelt = make_school(district=east, name="Roosevelt High")
        garfield = make_school(district=make_district(name="West Harbor"), name="Garfield")
        partner = make_partner("Eastside Family Resource Center")
        world = SimpleNamespace(
            east=east,
            roosevelt=roosevelt,
            partner=partner,
            contact=make_contact(partner),
            partnership=make_partnership(partner, start_date=dt.date(2024, 9, 1)),
            touchpoint=make_touchpoint(partner),
            funding=make_funding(partner=partner),
            grant=make_grant(roosevelt),
            category=ServiceCategory.objects.create(slug="food", name="Food"),
            focus=EquityFocusGroup.objects.create(slug="foster", name="Foster youth"),
            ana=make_user("ana", role=ADMINISTRATORS),
            pat=make_user("pat", role=PARTNERSHIP_STAFF),
            cora=make_user("cora", role=SITE_COORDINATORS, schools=[roosevelt]),
            omar=make_user("omar", role=SITE_COORDINATORS, schools=[garfield]),
            lee=make_user("lee", role=LEADERSHIP),
            spare=make_user("spare"),
        )
        world.audit = AuditEntry.objects.first()
        world.batch = import_batch_create(
            user=world.pat,
            kind="partners",
            data=b"name,website\nWestside Tutoring Collective,westsidetutoring.example\n",
            filename="partners.csv",
        )
        world.event = make_event(roosevelt, partners=[partner])
        world.referral = make_referral(roosevelt, partner)
        world.need = make_need(roosevelt, category=world.category)
        world.asset = make_asset(roosevelt)
        world.agreement = make_agreement(world.partnership)
        world.g_event = make_event(garfield, partners=[partner])
        world.g_referral = make_referral(garfield, partner)
        world.coordinator_of = {world.event: world.cora, world.referral: world.cora}
        world.coordinator_of |= {world.g_event: world.omar, world.g_referral: world.omar}
        world.sessions = {
            record: EditingSession.objects.create(
                content_type=ContentType.objects.get_for_model(record),
                object_id=str(record.pk),
                user=coordinator,
                last_seen_at=timezone.now(),
            )
            for record, coordinator in world.coordinator_of.items()
        }
        twin = make_partner("Eastside Family Resource Centre Inc")
        left, right = sorted((partner, twin), key=lambda p: p.pk)
        world.candidate, _ = DuplicateCandidate.objects.update_or_create(
            left=left,
            right=right,
            defaults={
                "score": 96.0,
                "level": "likely",
                "reasons": ["name 96% alike"],
                "cluster_key": left.pk,
            },
        )
        world.scan_run = DuplicateScanRun.objects.create(requested_by=world.pat)
        world.subscription = subscription_create(
            owner=world.pat,
            name="Comms tool",
            url="https://hooks.example.org/partnerbase",
            events=["partner.created"],
            actor=world.pat,
            source="admin",
        )
        world.delivery = world.subscription.deliveries.create(event="partner.created", payload={})
        world.merge = partner_merge(
            survivor=make_partner("Harbor Food Bank"),
            loser=make_partner("Harbour Food Bank"),
            field_choices={},
            actor=None,
            source="command",
        )
        yield world
        transaction.set_rollback(True)


# --- the tests -------------------------------------------------------------------------------


def test_every_url_has_an_entry():
    missing = []
    for route in all_routes():
        if route.takes_model and route.key not in MODEL_ARGS and route.key not in missing:
            missing.append(f"  MODEL_ARGS[{route.key!r}] = lambda w, r: (kwargs, query)")
        try:
            spec_for(route.key, exact_only=route.takes_model)
        except LookupError:
            missing.append(
                f'  "{route.key}": ("anonymous=login *=...", "anonymous=login *=..."),'
                f"  # {route.route}"
            )
        if route.key.startswith("route:") and route.route not in UNNAMED_PATHS:
            missing.append(f"  UNNAMED_PATHS[{route.route!r}] = '/...'")
    assert not missing, "Add these entries to tests/site/test_route_matrix.py:\n" + "\n".join(
        missing
    )


def test_every_entry_names_a_url():
    keys = {route.key for route in all_routes()}
    stale = sorted(set(EXPECTED) - keys)
    assert not stale, f"EXPECTED has entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_route_matrix(matrix_world, persona):
    client = Client(raise_request_exception=False)
    user = getattr(matrix_world, persona, None)
    if user is not None:
        client.force_login(user)
    wrong = []
    for route in all_routes():
        try:
            (get_spec, post_spec), source = spec_for(route.key)
        except LookupError:
            continue  # reported by test_every_url_has_an_entry
        if source != "EXPECTED" and persona not in SPOT_CHECK_PERSONAS:
            continue
        url = build_url(route, matrix_world)
        for method, spec in (("GET", get_spec), ("POST", post_spec)):
            expected = parse_spec(spec)[persona]
            # Each request runs in a savepoint that is rolled back, so a POST that succeeds
            # (an undo, a "not a duplicate") cannot change what later requests see.
            with transaction.atomic():
                response = getattr(client, method.lower())(url)
                transaction.set_rollback(True)
            if user is not None and route.key in LOGS_OUT:
                client.force_login(user)
            if not outcome_matches(expected, response):
                wrong.append(
                    f"  {method} {url} [{route.key}] as {persona}: "
                    f"expected {expected} ({source}), got {describe(response)}"
                )
    assert not wrong, f"{len(wrong)} routes answer differently from the table:\n" + "\n".join(wrong)


def test_unknown_persona_or_outcome_in_a_spec_is_caught():
    with pytest.raises(AssertionError):
        parse_spec("anonymous=login root=200 *=denied")
    with pytest.raises(AssertionError):
        parse_spec("anonymous=login ana=200")
    assert re.fullmatch(r"\d{3}|login|denied|redirect|any", "denied")


# Public pages are served by Wagtail under one URL name ("wagtail_serve"), so each page type and
# routable sub-page is listed here by path; every persona sees the same public page.
PUBLIC_PATHS = (
    "/",
    "/es/",
    "/about/",
    "/partners/",
    "/partners/?q=eastside",
    "/partners/{partner_slug}/",
    "/es/partners/{partner_slug}/",
    "/community-schools/",
    "/community-schools/{school_slug}/",
    "/community-schools/?period=any",
    "/community-schools/{school_slug}/resource-sheet/",
    "/es/community-schools/{school_slug}/resource-sheet/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_matrix(matrix_world, persona):
    from cms.setup import setup_site
    from crm.services.partners import partner_update

    client = Client(raise_request_exception=False)
    user = getattr(matrix_world, persona, None)
    if user is not None:
        client.force_login(user)
    wrong = []
    with transaction.atomic():
        setup_site()
        partner_update(
            partner=matrix_world.partner, actor=None, source="command", data={"published": True}
        )
        slugs = {
            "partner_slug": matrix_world.partner.slug,
            "school_slug": matrix_world.roosevelt.slug,
        }
        for template in PUBLIC_PATHS:
            path = template.format(**slugs)
            for method, expected in (("get", 200), ("post", 405)):
                status = getattr(client, method)(path).status_code
                if status != expected:
                    wrong.append(
                        f"  {method.upper()} {path} as {persona}: {status}, not {expected}"
                    )
        transaction.set_rollback(True)
    assert not wrong, "Public pages answer differently:\n" + "\n".join(wrong)


def _swap_coordinators(outcomes: dict[str, str]) -> dict[str, str]:
    return {**outcomes, "cora": outcomes["omar"], "omar": outcomes["cora"]}


def _session_rows():
    from wagtail.admin.models import EditingSession

    return sorted(EditingSession.objects.values_list("pk", "user_id", "object_id", "last_seen_at"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_records_of_each_school_with_each_role(matrix_world, persona):
    """Every URL that takes an event or a referral, with each school's record of each model.

    Roosevelt's records (cora's) answer as the table says; Garfield's (omar's) as the table says
    with cora and omar exchanged. Nobody but an administrator and that school's coordinator
    changes an editing session of the record.
    """
    w = matrix_world
    client = Client(raise_request_exception=False)
    user = getattr(w, persona, None)
    if user is not None:
        client.force_login(user)
    routes = [route for route in all_routes() if takes_record(route)]
    assert {"wagtailadmin_editing_sessions:ping", "referral:edit", "event:edit"} <= {
        route.key for route in routes
    }
    wrong = []
    for route, record in itertools.product(routes, (w.event, w.referral, w.g_event, w.g_referral)):
        namespace = route.key.split(":")[0]
        if namespace in SCOPED_NAMESPACES and namespace != record._meta.model_name:
            continue
        (get_spec, post_spec), _source = spec_for(route.key, exact_only=True)
        url = build_url(route, w, record)
        insider = persona == "ana" or user == w.coordinator_of[record]
        for method, spec in (("GET", get_spec), ("POST", post_spec)):
            outcomes = parse_spec(spec)
            if record in (w.g_event, w.g_referral):
                outcomes = _swap_coordinators(outcomes)
            with transaction.atomic():
                before = _session_rows()
                response = getattr(client, method.lower())(url)
                after = _session_rows()
                transaction.set_rollback(True)
            if not outcome_matches(outcomes[persona], response):
                wrong.append(
                    f"  {method} {url} [{route.key}] as {persona}: "
                    f"expected {outcomes[persona]}, got {describe(response)}"
                )
            if not insider and before != after:
                wrong.append(f"  {method} {url} [{route.key}] as {persona} wrote an EditingSession")
    assert not wrong, f"{len(wrong)} record URLs answer differently:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_crm_bulk_actions(matrix_world, persona):
    from crm.models import AuditEntry

    client = Client(raise_request_exception=False)
    user = getattr(matrix_world, persona, None)
    if user is not None:
        client.force_login(user)
    wrong = []
    for (model_name, action), (get_spec, post_spec) in BULK_ACTIONS.items():
        record = getattr(matrix_world, model_name)
        url = (
            reverse("wagtail_bulk_action", args=["crm", record._meta.model_name, action])
            + f"?id={record.pk}"
        )
        for method, spec in (("GET", get_spec), ("POST", post_spec)):
            expected = parse_spec(spec)[persona]
            with transaction.atomic():
                before = AuditEntry.objects.count()
                response = getattr(client, method.lower())(url)
                wrote = AuditEntry.objects.count() != before
                transaction.set_rollback(True)
            if not outcome_matches(expected, response):
                wrong.append(
                    f"  {method} {url} as {persona}: expected {expected}, got {describe(response)}"
                )
            if wrote and expected != "redirect":
                wrong.append(f"  {method} {url} as {persona} wrote although it was refused")
    assert not wrong, f"{len(wrong)} bulk actions answer differently:\n" + "\n".join(wrong)
