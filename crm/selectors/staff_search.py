"""The admin's one search box: partners through the matcher (typos, "and" for "&", aliases), and
contacts, schools, districts, partnerships, events and referrals by their words, each kind only
for those allowed to see it (referrals: that school's coordinators and administrators)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import F, Func, IntegerField, Q, QuerySet

from crm.models import Contact, District, Partner, Partnership, School
from crm.selectors.coordination import events_visible_to, referrals_visible_to
from crm.selectors.partners import partner_suggest
from crm.selectors.public.search import public_need_ids

MAX_QUERY = 100
# The matcher is asked for more partners than are shown: ranked ids also order the admin list.
RANKED_LIMIT = 500


def clean_query(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY]


def ranked_partner_ids(text: str, *, limit: int = RANKED_LIMIT) -> list[int]:
    """Live partners whose name or an alias matches `text`, best first (the matcher's typeahead:
    word prefixes, then typo-tolerant matches), as the public directory finds them by name."""
    text = clean_query(text)
    if not text:
        return []
    return [int(m.id) for m in partner_suggest(text=text, limit=limit)]


class IdPosition(Func):
    """Where a row's id stands in a list of ids, for ordering by that list. One parameter
    however long the list: a CASE with an arm per id (up to 1,500 here) cost the admin's
    partner search about half a second a request, copied with every clone of the queryset."""

    output_field = IntegerField()

    def __init__(self, ids: list[int]):
        self.ids = [int(pk) for pk in ids]
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"array_position(%s::bigint[], {column})", [self.ids, *params]
        # Elsewhere (SQLite): the offset of ",id," in ",id1,id2,...,", which grows along the list.
        joined = "," + ",".join(map(str, self.ids)) + ","
        return f"instr(%s, ',' || {column} || ',')", [joined, *params]


def in_rank_order(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """`queryset` narrowed to `ids`, ordered as `ids` are."""
    if not ids:
        return queryset.none()
    return queryset.filter(pk__in=ids).order_by(IdPosition(ids))


def words_match(text: str, fields: tuple[str, ...]) -> Q:
    """Every word of `text` is found (case-insensitively) in at least one of `fields`."""
    words = clean_query(text).split()
    if not words:
        return Q(pk__in=[])
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words))


def partner_search_ids(text: str, queryset: QuerySet[Partner] | None = None) -> list[int]:
    """Ids of the best RANKED_LIMIT partners of `queryset` (default: live ones) for `text`: the
    matcher's name and alias matches among live partners, then what the public directory's
    search by need adds (services, focus groups, descriptions of published partners), then,
    while there is room, any partner whose name, website, EIN or city contains the text
    (merged-away ones included). The list orders the admin's results, so it is kept short:
    ordering by a list costs a comparison per row and place (30 ms at 1,500 on PostgreSQL)."""
    text = clean_query(text)
    if not text:
        return []
    base = queryset if queryset is not None else Partner.objects.live()
    ids = ranked_partner_ids(text)
    seen = set(ids)
    ids += [pk for pk in public_need_ids(text) if pk not in seen]
    allowed = set(base.filter(pk__in=ids).values_list("pk", flat=True))
    found = [pk for pk in ids if pk in allowed][:RANKED_LIMIT]
    room = RANKED_LIMIT - len(found)
    if room:
        literal = base.filter(
            Q(name__icontains=text)
            | Q(website__icontains=text)
            | Q(ein__icontains=text)
            | Q(city__icontains=text)
        ).exclude(pk__in=ids)
        found += literal.order_by("name").values_list("pk", flat=True)[:room]
    return found


def partner_search(text: str, queryset: QuerySet[Partner] | None = None) -> QuerySet[Partner]:
    """The partners of `queryset` found for `text` (see partner_search_ids), best first."""
    base = queryset if queryset is not None else Partner.objects.live()
    return in_rank_order(base, partner_search_ids(text, base))


@dataclass
class StaffSearch:
    """What one search found, kind by kind. A kind the person may not see is absent (None);
    a kind they may see but that matched nothing is an empty list."""

    query: str
    limit: int
    found: dict[str, list | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.found.values() if rows)


def _first(queryset: QuerySet, limit: int) -> list:
    return list(queryset[:limit])


def staff_search(*, user, text: str, limit: int = 8) -> StaffSearch:
    """Search every kind of record `user` may view for `text`, `limit` rows of each."""
    text = clean_query(text)
    result = StaffSearch(query=text, limit=limit)
    if not text or not getattr(user, "is_authenticated", False) or not user.is_active:
        return result
    found = result.found
    if user.has_perm("crm.view_partner"):
        found["partners"] = _first(partner_search(text), limit)
    if user.has_perm("crm.view_contact"):
        contacts = Contact.objects.select_related("partner").filter(
            words_match(text, ("name", "email", "role", "phone", "partner__name"))
        )
        found["contacts"] = _first(contacts.order_by("name", "pk"), limit)
    if user.has_perm("crm.view_school"):
        schools = School.objects.select_related("district").filter(
            words_match(text, ("name", "cds_code", "city", "district__name"))
        )
        found["schools"] = _first(schools.order_by("name", "pk"), limit)
    if user.has_perm("crm.view_district"):
        districts = District.objects.filter(words_match(text, ("name", "cds_code", "city")))
        found["districts"] = _first(districts.order_by("name", "pk"), limit)
    if user.has_perm("crm.view_partnership"):
        partnerships = Partnership.objects.select_related("partner").filter(
            words_match(text, ("title", "partner__name"))
        )
        found["partnerships"] = _first(partnerships.order_by("-start_date", "pk"), limit)
    events = events_visible_to(user)
    if user.has_perm("crm.view_event"):
        found["events"] = _first(events.filter(words_match(text, ("title", "school__name"))), limit)
    # Referrals read only through the coordination scope: another school's rows never match.
    referrals = referrals_visible_to(user).filter(
        words_match(text, ("student_ref", "partner__name", "school__name"))
    )
    if user.has_perm("crm.view_referral"):
        found["referrals"] = _first(referrals, limit)
    return result
