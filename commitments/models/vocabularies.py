"""The vocabularies a commitment is described in: theme, R2P pillar, a quote's role, and
units and bodies with both labels, so a French page says « militaires »
and « Affaires mondiales Canada » where the record says "troops" and "Global Affairs Canada".

The fields keep free text (an analyst may record a unit or an office not listed yet): the
value is the English name, and formatting.vocabulary_html marks a value with no French label
lang="en" on French pages rather than passing it off as French."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetUnit(models.TextChoices):
    TROOPS = "troops", _("troops")
    POLICE = "police", _("police officers")
    OFFICERS = "officers", _("officers")
    PEOPLE_TRAINED = "people trained", _("people trained")
    CAD = "CAD", _("CAD")
    USD = "USD", _("USD")


class Body(models.TextChoices):
    """Who made or carries out a commitment: offices and delegations of the Government of Canada."""

    GOVERNMENT = "Government of Canada", _("Government of Canada")
    GLOBAL_AFFAIRS = "Global Affairs Canada", _("Global Affairs Canada")
    FOREIGN_AFFAIRS = "Foreign Affairs Canada", _("Foreign Affairs Canada")
    NATIONAL_DEFENCE = "Department of National Defence", _("Department of National Defence")
    RCMP = "Royal Canadian Mounted Police", _("Royal Canadian Mounted Police")
    PRIME_MINISTER = "Prime Minister", _("Prime Minister")
    FOREIGN_MINISTER = "Minister of Foreign Affairs", _("Minister of Foreign Affairs")
    DEFENCE_MINISTER = "Minister of National Defence", _("Minister of National Defence")
    UNGA_DELEGATION = (
        "Canada's delegation to the UN General Assembly",
        _("Canada's delegation to the UN General Assembly"),
    )
    HEINBECKER_LETTER = (
        "Government of Canada; transmitted by the Permanent Representative of Canada to the UN (Paul Heinbecker)",
        _("Government of Canada; transmitted by the Permanent Representative of Canada to the UN (Paul Heinbecker)"),
    )


class Theme(models.TextChoices):
    PEACEKEEPING = "peacekeeping", _("Peacekeeping")
    PREVENTION = "prevention", _("Prevention and mediation")
    UN_REFORM = "un_reform", _("UN reform")
    REGIONAL = "regional", _("Regional organisations")
    NON_PROLIFERATION = "non_proliferation", _("Non-proliferation and security")
    ACCOUNTABILITY = "accountability", _("Accountability")
    NORM_PROMOTION = "norm_promotion", _("Norm promotion")


class Pillar(models.TextChoices):
    PREVENT = "prevent", _("Prevent")
    REACT = "react", _("React")
    REBUILD = "rebuild", _("Rebuild")
    NORM_BUILDING = "norm_building", _("Norm-building")


class QuoteRole(models.TextChoices):
    MADE = "made", _("made")
    REAFFIRMED = "reaffirmed", _("reaffirmed")
    PROGRESS = "progress", _("progress")
