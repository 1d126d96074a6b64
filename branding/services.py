"""Writes of branding: change it within the plan's level, or reset it to the product's defaults."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from audit.services import audit_record
from branding.colours import colour_normalise, validate_secondary_colour
from branding.exceptions import BrandingError, BrandingRefused, ImageRefused
from branding.images import Rendition, decode, favicon_renditions, image_from_upload, logo_renditions
from branding.levels import Feature, level_allows, plan_offering
from branding.models import Branding
from branding.selectors import branding_get, branding_level, schema_of
from branding.storage import file_delete, file_open, file_save
from tenants.models import Tenant

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = Branding._meta.get_field("commercial_name").max_length

# form field -> (model field, feature it needs)
COLOUR_FIELDS = {
    "primary_colour": Feature.PRIMARY,
    "secondary_colour": Feature.SECONDARY,
    "accent_colour": Feature.ACCENT,
}


def _feature_label(feature: Feature) -> str:
    labels = {
        Feature.NAME: _("a commercial name"),
        Feature.LOGO: _("a logo"),
        Feature.FAVICON: _("a favicon"),
        Feature.PRIMARY: _("your own colours"),
        Feature.SECONDARY: _("your own colours"),
        Feature.ACCENT: _("an accent colour"),
        Feature.WHITE_LABEL: _("white label"),
    }
    return str(labels[feature])


def feature_locked_message(tenant: Tenant, feature: Feature) -> str:
    """Why ``feature`` cannot be changed, and the plan that would allow it."""
    upgrade = plan_offering(feature)
    values = {
        "plan": tenant.plan.name if tenant.plan else _("no plan"),
        "feature": _feature_label(feature),
        "upgrade": upgrade.name if upgrade else "",
    }
    if upgrade is None:
        return _("Your plan (%(plan)s) does not include %(feature)s.") % values
    return _("Your plan (%(plan)s) does not include %(feature)s; %(upgrade)s does.") % values


@dataclass
class _Change:
    """A change being prepared: field values, files to store, refusals."""

    values: dict = field(default_factory=dict)
    renditions: dict[str, Rendition] = field(default_factory=dict)
    errors: dict[str, list[BrandingError]] = field(default_factory=dict)

    def refuse(self, field_name: str, error: BrandingError) -> None:
        self.errors.setdefault(field_name, []).append(error)


def _name_clean(value: str) -> str:
    # One line of text: newlines or tabs would break the title and an email's From header.
    return " ".join(value.split())


def _prepare_texts(change: _Change, *, tenant, level, current, commercial_name, colours, white_label):
    if commercial_name is not None:
        name = _name_clean(commercial_name)
        if len(name) > NAME_MAX_LENGTH:
            change.refuse(
                "commercial_name",
                BrandingError(
                    _("Use at most %(max)s characters.") % {"max": NAME_MAX_LENGTH}, code="name_too_long"
                ),
            )
        elif name != current.commercial_name:
            if level_allows(level, Feature.NAME):
                change.values["commercial_name"] = name
            else:
                change.refuse("commercial_name", BrandingError(feature_locked_message(tenant, Feature.NAME)))
    for field_name, value in colours.items():
        if value is None:
            continue
        feature = COLOUR_FIELDS[field_name]
        try:
            colour = colour_normalise(value)
            if field_name == "secondary_colour":
                validate_secondary_colour(colour)
        except ValidationError as error:
            change.refuse(field_name, BrandingError(error.messages[0], code=error.code))
            continue
        if colour == getattr(current, field_name):
            continue
        if level_allows(level, feature):
            change.values[field_name] = colour
        else:
            change.refuse(field_name, BrandingError(feature_locked_message(tenant, feature), code="locked"))
    if white_label is not None and white_label != current.white_label:
        if level_allows(level, Feature.WHITE_LABEL):
            change.values["white_label"] = white_label
        else:
            change.refuse(
                "white_label",
                BrandingError(feature_locked_message(tenant, Feature.WHITE_LABEL), code="locked"),
            )


def _stored_logo_image(current: Branding):
    """The stored 2× logo, decoded again (to draw a favicon from it)."""
    with file_open(current.logo_2x) as stored:
        return decode(stored.read())


def _prepare_files(change: _Change, *, tenant, level, current, logo, favicon, remove_logo, remove_favicon):
    logo_image = None
    if logo is not None:
        if not level_allows(level, Feature.LOGO):
            change.refuse("logo", BrandingError(feature_locked_message(tenant, Feature.LOGO), code="locked"))
        else:
            try:
                logo_image = image_from_upload(logo)
            except ImageRefused as error:
                change.refuse("logo", error)
            else:
                for rendition in logo_renditions(logo_image):
                    change.renditions[rendition.kind] = rendition
    logo_changes = logo_image is not None or (remove_logo and bool(current.logo))
    if logo is None and remove_logo:
        change.values.update(logo="", logo_2x="")

    if favicon is not None:
        if not level_allows(level, Feature.FAVICON):
            change.refuse(
                "favicon", BrandingError(feature_locked_message(tenant, Feature.FAVICON), code="locked")
            )
            return
        try:
            favicon_image = image_from_upload(favicon)
        except ImageRefused as error:
            change.refuse("favicon", error)
            return
        for rendition in favicon_renditions(favicon_image):
            change.renditions[rendition.kind] = rendition
        change.values["favicon_uploaded"] = True
        return
    if current.favicon_uploaded and not remove_favicon:
        return  # an uploaded favicon stays, whatever happens to the logo
    if not (logo_changes or remove_favicon):
        return
    # The favicon is (again) drawn from the logo: the new one, the stored one, or none.
    change.values["favicon_uploaded"] = False
    source = logo_image
    if source is None and logo is None and not remove_logo and current.logo:
        try:
            source = _stored_logo_image(current)
        except (OSError, ImageRefused):
            logger.warning("branding: the stored logo %s could not be read again", current.logo)
    if source is None:
        change.values.update(favicon_32="", favicon_180="")
    else:
        for rendition in favicon_renditions(source):
            change.renditions[rendition.kind] = rendition


def _delete_later(file_names: set[str], schema_name: str) -> None:
    """After the commit, remove files no longer used (a failed delete only leaves a stray file)."""
    if not file_names:
        return

    def delete():
        with schema_context(schema_name):
            for name in file_names:
                try:
                    file_delete(name)
                except OSError:
                    logger.warning("branding: could not delete %s in %s", name, schema_name)

    transaction.on_commit(delete)


def _store(change: _Change, *, tenant: Tenant, actor, request, action: str) -> Branding:
    """Store the new files, then the row (under its lock); on failure remove the new files."""
    created = []
    try:
        for kind, rendition in change.renditions.items():
            name, is_new = file_save(rendition)
            change.values[kind] = name
            if is_new:
                created.append(name)
        with transaction.atomic():
            branding, _created = Branding.objects.select_for_update().get_or_create(pk=Branding.SINGLETON_ID)
            before = branding.file_names()
            changed = sorted(key for key, value in change.values.items() if getattr(branding, key) != value)
            for key, value in change.values.items():
                setattr(branding, key, value)
            branding.save()
            audit_record(
                action=AuditEvent.Action.SETTINGS_CHANGED,
                actor=actor,
                target="branding",
                request=request,
                data={"branding": action, "changed": changed},
            )
            _delete_later(before - branding.file_names(), tenant.schema_name)
    except BaseException:
        for name in created:
            try:
                file_delete(name)
            except OSError:
                logger.warning("branding: could not remove the new file %s", name)
        raise
    return branding


def branding_update(
    *,
    tenant: Tenant,
    actor=None,
    request=None,
    commercial_name: str | None = None,
    primary_colour: str | None = None,
    secondary_colour: str | None = None,
    accent_colour: str | None = None,
    white_label: bool | None = None,
    logo=None,
    favicon=None,
    remove_logo: bool = False,
    remove_favicon: bool = False,
) -> Branding:
    """Change ``tenant``'s branding. ``None`` leaves a setting as it is; "" returns the name or a
    colour to the default. ``logo`` and ``favicon`` are uploaded files.

    A change the plan's level does not include is refused, as are malformed colours, a secondary
    colour unreadable on the page and any unacceptable file. All refusals come together in one
    BrandingRefused, raised before anything is stored: the previous branding and files stay.
    Without an uploaded favicon, one is drawn from the logo.
    """
    level = branding_level(tenant)
    with schema_of(tenant):
        current = branding_get()
        change = _Change()
        _prepare_texts(
            change,
            tenant=tenant,
            level=level,
            current=current,
            commercial_name=commercial_name,
            colours={
                "primary_colour": primary_colour,
                "secondary_colour": secondary_colour,
                "accent_colour": accent_colour,
            },
            white_label=white_label,
        )
        _prepare_files(
            change,
            tenant=tenant,
            level=level,
            current=current,
            logo=logo,
            favicon=favicon,
            remove_logo=remove_logo,
            remove_favicon=remove_favicon,
        )
        if change.errors:
            raise BrandingRefused(change.errors)
        return _store(change, tenant=tenant, actor=actor, request=request, action="updated")


def branding_reset(*, tenant: Tenant, actor=None, request=None) -> Branding:
    """Back to the product's defaults: no name, colours, logo or favicon (their files removed)."""
    defaults = Branding(pk=Branding.SINGLETON_ID)
    values = {
        field_name: getattr(defaults, field_name)
        for field_name in (
            "commercial_name",
            "primary_colour",
            "secondary_colour",
            "accent_colour",
            "white_label",
            "logo",
            "logo_2x",
            "favicon_32",
            "favicon_180",
            "favicon_uploaded",
        )
    }
    with schema_of(tenant):
        return _store(_Change(values=values), tenant=tenant, actor=actor, request=request, action="reset")
