"""The admin's autocomplete, labelling each result as its ModelAdmin says where it says.

Django labels a result with str(): a document by its title alone, and the statements of a
tracker share titles ("Statement to the Security Council"), so an analyst picking a quote's
document could not tell one year's from another's. A ModelAdmin with `autocomplete_label`
(a function of the object) labels both the results and the choice already made."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def autocomplete_view(request):
    return LabelledAutocompleteJsonView.as_view(admin_site=admin.site)(request)


class LabelledChoices:
    """For a ModelAdmin whose foreign keys pick, by autocomplete, objects whose admin has
    `autocomplete_label`: the choice already made is shown with that label too."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.name in self.autocomplete_fields:  # type: ignore[attr-defined]
            related_admin = self.admin_site.get_model_admin(db_field.related_model)  # type: ignore[attr-defined]
            if (label := getattr(related_admin, "autocomplete_label", None)) is not None:
                field.label_from_instance = label
        return field
