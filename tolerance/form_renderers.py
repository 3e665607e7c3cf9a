"""Widget renderers for viewflow's form layouts, for the widgets its script draws badly or not at all.

Viewflow draws a `CheckboxSelectMultiple` as `<vf-field-checkbox-select>`, an element its script never
defines (the field is invisible), and a `SelectMultiple` as a drop-down that throws on every pick and stays
open over the form. Both are drawn here as plain checkboxes in a fieldset: they work without any script
(the strict CSP allows no inline script) and are submitted by the browser as Django expects."""

from xml.etree import ElementTree

from viewflow.forms.renderers import WidgetRenderer


class CheckboxListRenderer(WidgetRenderer):
    def create_root(self, context):
        widget = context["widget"]
        bound_field = self.bound_field
        attrs = {"class": "tol-choices"}
        if bound_field.auto_id:
            attrs["id"] = bound_field.auto_id
        fieldset = ElementTree.SubElement(self.root, "fieldset", attrs)
        if bound_field.label:
            ElementTree.SubElement(fieldset, "legend", {"class": "tol-choices__legend"}).text = str(bound_field.label)
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                self.append_option(fieldset, widget["name"], option)
        if bound_field.help_text:
            ElementTree.SubElement(fieldset, "p", {"class": "tol-choices__help"}).text = str(bound_field.help_text)
        if bound_field.errors:
            ElementTree.SubElement(fieldset, "p", {"class": "tol-error"}).text = str(bound_field.errors[0])
        return fieldset

    @staticmethod
    def append_option(fieldset, name, option):
        label = ElementTree.SubElement(fieldset, "label", {"class": "tol-choices__option"})
        attrs = {"type": "checkbox", "name": name, "value": str(option["value"])}
        if option["attrs"].get("id"):
            attrs["id"] = option["attrs"]["id"]
        # No "required" on the boxes: the browser would demand every one; the form says what is missing.
        if option["selected"]:
            attrs["checked"] = "checked"
        ElementTree.SubElement(label, "input", attrs).tail = " " + str(option["label"])
