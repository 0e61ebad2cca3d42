"""Admin → Settings → API tokens: Wagtail's own token screens, with this project's scope
(read-only, expiry) added to the create form and the listing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.users.utils import user_can_manage_token
from wagtail.users.views import api_tokens as wagtail_tokens

from api.tokens import token_create


class TokenForm(wagtail_tokens.APITokenForm):
    read_only = forms.BooleanField(
        label=_("Read-only"), required=False, help_text=_("The token can read but never write.")
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Leave empty for a token that lasts until it is revoked."),
    )


class IndexView(wagtail_tokens.IndexView):
    @cached_property
    def columns(self):
        return [
            *super().columns,
            BooleanColumn("partnerbase_scope.read_only", label=_("Read-only")),
            Column("partnerbase_scope.expires_at", label=_("Expires")),
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("partnerbase_scope")


class CreateView(wagtail_tokens.CreateView):
    def form_valid(self, form):
        owner = form.cleaned_data["user"]
        if not user_can_manage_token(self.request.user, owner, "wagtailcore.add_apitoken"):
            raise PermissionDenied
        try:
            self.object, plaintext = token_create(
                user=owner,
                name=form.cleaned_data["name"],
                actor=self.request.user,
                read_only=form.cleaned_data["read_only"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))
            return self.form_invalid(form)
        return TemplateResponse(
            self.request,
            "wagtailusers/api_tokens/created.html",
            self.get_created_context(plaintext),
        )


class TokenViewSet(wagtail_tokens.APITokenViewSet):
    index_view_class = IndexView
    add_view_class = CreateView

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return TokenForm
