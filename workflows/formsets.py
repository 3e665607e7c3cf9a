"""A formset inside a viewflow form layout, working without script.

The page offers a few empty rows; static/tolerance/site.js adds an "add another" button that copies the
empty row from a <template> (not a script, so the Content-Security-Policy allows it) and counts it in the
formset's management form.
"""

from xml.etree import ElementTree

from django.utils.encoding import force_str
from viewflow.forms.renderers import FormLayout, Layout, LayoutNode, Row, Span


class FormSetRows(LayoutNode):
    def __init__(self, formset, *, title, add_label, **kwargs):
        super().__init__(**kwargs)
        self.formset = formset
        self.title = title
        self.add_label = add_label

    def _row(self, form):
        # Viewflow spreads auto-sized cells only when they divide the 12 desktop columns (otherwise the
        # first cells take one column more); past 6 fields a row would be too narrow: rows of 4 (and the rest).
        fields = list(form.fields)
        rows = [fields] if len(fields) <= 6 else [fields[start : start + 4] for start in range(0, len(fields), 4)]
        return Layout(*(Row(*self._cells(row)) for row in rows)).render_form(form)

    @staticmethod
    def _cells(names):
        width, wider = divmod(12, len(names))
        if not wider:
            return names
        return [Span(name, desktop=width + (index < wider)) for index, name in enumerate(names)]

    def append(self, layout, form, root):
        formset = self.formset
        wrapper = ElementTree.SubElement(
            root,
            "div",
            {
                "class": "mdc-layout-grid__cell mdc-layout-grid__cell--span-12 tol-formset",
                "data-prefix": formset.prefix,
            },
        )
        ElementTree.SubElement(wrapper, "h3", {"class": "mdc-typography--subtitle1"}).text = force_str(self.title)
        if formset.non_form_errors():
            errors = ElementTree.SubElement(wrapper, "div", {"class": "vf-form__errors"})
            for error in formset.non_form_errors():
                ElementTree.SubElement(errors, "div", {"class": "vf-form__error"}).text = force_str(error)
        rows = ElementTree.SubElement(wrapper, "div", {"class": "tol-formset__rows"})
        for row in formset.forms:
            rows.append(self._row(row))
        wrapper.append(FormLayout().render_form(formset.management_form))
        ElementTree.SubElement(wrapper, "template", {"class": "tol-formset__template"}).append(
            self._row(formset.empty_form)
        )
        button = ElementTree.SubElement(
            wrapper,
            "button",
            {"type": "button", "class": "mdc-button mdc-button--outlined tol-formset__add", "hidden": "hidden"},
        )
        ElementTree.SubElement(button, "span", {"class": "mdc-button__label"}).text = force_str(self.add_label)
