"""The import forms: the file and its options, then the columns of a table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from maillage.core.visibility import Visibility
from maillage.veille.imports.mapping import Field, Preview, cell_hint, cell_text


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit, instead of filling the disk first."""

    def __init__(self, request: Any = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.content_length = 0
        self.too_large = False

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        # The form's other fields take a few kilobytes: beyond that, the file is too large
        # (raising here would be an error page: the file's first chunk stops the upload).
        self.content_length = content_length or 0
        if self.content_length > self.limit + 64 * 1024:
            self.too_large = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.too_large or self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Bookmarks exported from a browser, Delicious, Pinboard, Diigo or Shaarli (HTML, "
            "JSON, XML), or a table of links (CSV, Excel, OpenDocument)."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the imported bookmarks"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        help_text=_("Those the file marks as private stay private."),
    )
    tags = forms.CharField(
        label=_("Tags added to every bookmark"),
        required=False,
        max_length=300,
        help_text=_("Optional, separated by commas: for example “import 2014”."),
    )
    folders_as_tags = forms.BooleanField(
        label=_("Folders become tags"),
        required=False,
        initial=True,
        help_text=_("For bookmark files: a page filed under “Musées › Réseaux” gets both tags."),
    )

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["file"].help_text = _("%(formats)s At most %(size)s.") % {
            "formats": self.fields["file"].help_text,
            "size": filesizeformat(limit),
        }


DAY_ORDER_CHOICES = [
    ("day", _("Day first: 26/03/2014")),
    ("month", _("Month first: 03/26/2014")),
]


class MappingForm(forms.Form):
    """The sheet, the header row and a choice per column; built for the preview shown."""

    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    sheets_as_tags = forms.BooleanField(
        label=_("Import every sheet, each sheet's name becoming a tag"), required=False
    )
    header_line = forms.IntegerField(
        label=_("Row of the column names"),
        min_value=0,
        required=False,
        help_text=_("0 if the table has no row of names."),
    )
    day_order = forms.ChoiceField(
        label=_("Dates written as"), choices=DAY_ORDER_CHOICES, initial="day"
    )

    def __init__(self, *args: Any, sheets: list[str], preview: Preview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview = preview
        sheet_field = self.fields["sheet"]
        assert isinstance(sheet_field, forms.ChoiceField)
        sheet_field.choices = [(name, name or _("(the file)")) for name in sheets]
        if len(sheets) <= 1:
            del self.fields["sheet"]
            del self.fields["sheets_as_tags"]
        mapping = preview.mapping
        for index in preview.visible_columns:
            name = mapping.headers[index] if index < len(mapping.headers) else ""
            label = name or _("Column %(number)s") % {"number": _column_letters(index)}
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=label, choices=Field.choices, initial=mapping.columns[index]
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("column_")]

    def columns(self, width: int) -> list[str]:
        chosen: list[str] = [Field.IGNORE.value] * width
        for name, value in self.cleaned_data.items():
            if name.startswith("column_"):
                index = int(name.removeprefix("column_"))
                if index < width:
                    chosen[index] = value
        return chosen

    def preview_rows(self) -> list[tuple[int, list[tuple[str, str]]]]:
        """(row number, [(cell as text, what the import makes of it)]) for the rows shown."""
        columns = self.preview.mapping.columns
        day_first = (self["day_order"].value() or "day") == "day"
        return [
            (
                row.line,
                [
                    (
                        cell_text(row.cells[index]) if index < len(row.cells) else "",
                        cell_hint(
                            row,
                            index,
                            columns[index] if index < len(columns) else Field.IGNORE,
                            epoch=self.preview.epoch,
                            day_first=day_first,
                        ),
                    )
                    for index in self.preview.visible_columns
                ],
            )
            for row in self.preview.rows
        ]


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
