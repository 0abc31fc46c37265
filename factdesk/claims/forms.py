from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.urls import reverse_lazy

from factdesk.claims.models import Claim, Claimant, Medium, Priority, Rating, Review, Topic
from factdesk.claims.selectors import SORTS, ClaimFilters, desk_people
from factdesk.claims.services import BULK_MAX, BulkAction
from factdesk.claims.workflow import ClaimStatus, DismissReason
from factdesk.core import languages
from factdesk.core.idempotency import IdempotentForm
from factdesk.core.numbers import whole_number

# A date input's value must be ISO: a browser shows any other format (the en-gb "02/12/2026"
# that DATE_INPUT_FORMATS puts first) as an empty field, and submits it empty.
ISO_DATE = "%Y-%m-%d"
CLAIM_TEXT_MAX = 1000
QUOTE_MAX = 5_000  # a quote is a sentence or a passage, never an article
LONG_TEXT_MAX = 20_000
NOTE_MAX = 2000
COMMENT_MAX = 5000


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def person_name(user: User) -> str:
    """How the desk names someone: their full name, or their username."""
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


def claimant_picker() -> forms.TextInput:
    """A claimant's name field that suggests claimants already on the desk as the editor
    types (htmx fills the page's #claimant-options datalist; the field works without it)."""
    return forms.TextInput(
        attrs={
            "list": "claimant-options",
            "autocomplete": "off",
            "hx-get": reverse_lazy("claims:claimant_suggest"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#claimant-options",
        }
    )


class ClaimantFields(forms.Form):
    """Pick a claimant by name; a name not on the desk yet creates one (kind and description
    then say who they are)."""

    claimant_name = forms.CharField(
        label="Claimant",
        max_length=200,
        widget=claimant_picker(),
        help_text="Who said it. Start typing to pick someone already on the desk.",
    )
    claimant_kind = forms.ChoiceField(
        label="If new: kind",
        choices=Claimant.Kind.choices,
        required=False,
        initial=Claimant.Kind.PERSON,
    )
    claimant_description = forms.CharField(
        label="If new: who they are", max_length=300, required=False
    )


class ClaimForm(IdempotentForm, ClaimantFields):
    medium = forms.ChoiceField(
        label="Where was it said?",
        choices=[choice for choice in Medium.choices if choice[0] != Medium.ARTICLE],
    )
    source_url = forms.URLField(
        label="Link", max_length=2000, required=False, assume_scheme="https"
    )
    source_description = forms.CharField(label="Or describe it", max_length=500, required=False)
    quote = forms.CharField(
        label="Exact words",
        max_length=QUOTE_MAX,
        help_text=f"Up to {QUOTE_MAX:,} characters: the sentence or passage, not the article.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text = forms.CharField(
        label="The claim, as the desk words it",
        max_length=CLAIM_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    claimed_on = forms.DateField(label="Date of the claim", widget=date_input())
    new_appearance = forms.BooleanField(
        label="Log it even if the same person said these words before",
        required=False,
        help_text="A repeated claim is news: tick this when the desk warns it was logged.",
    )


class ClaimEditForm(ClaimantFields):
    text = forms.CharField(
        label="The claim, as the desk words it",
        max_length=CLAIM_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    claimed_on = forms.DateField(label="Date of the claim", widget=date_input())
    language = languages.language_field()


class VerdictForm(IdempotentForm):
    base_number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rating = forms.ModelChoiceField(queryset=Rating.objects.none(), empty_label="Choose a rating")
    conclusion = forms.CharField(label="Conclusion (one line)", max_length=280)
    explanation = forms.CharField(
        max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 10})
    )
    correction_note = forms.CharField(
        label="Correction note (shown to readers)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, is_correction: bool = False, **kwargs: Any) -> None:
        """`is_correction`: the claim has a published verdict, so the draft corrects it and
        must say what changed, for readers."""
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = Rating.objects.filter(  # type: ignore[attr-defined]
            scale__is_default=True
        )
        note = self.fields["correction_note"]
        if is_correction:
            note.required = True
            note.help_text = (
                "Required: the verdict was published, so this version is a correction. Say "
                "what changed and why; readers see this note with the corrected verdict."
            )
            note.error_messages["required"] = (
                "This is a correction of a published verdict: say what changed and why, "
                "for readers."
            )


class ReviewForm(IdempotentForm):
    decision = forms.ChoiceField(
        choices=Review.Decision.choices,
        error_messages={"required": "Choose approve or request changes."},
    )
    comment = forms.CharField(
        label="Comment for the author",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(IdempotentForm):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something before posting."},
    )


class TransitionForm(forms.Form):
    target = forms.ChoiceField(
        label="Move",
        choices=ClaimStatus.choices,
        error_messages={"required": "Choose what to do with the claim."},
    )
    dismiss_reason = forms.ChoiceField(
        label="Why dismiss it?",
        choices=[("", "Choose a reason"), *DismissReason.choices],
        required=False,
    )
    dismiss_note = forms.CharField(label="Note", max_length=500, required=False)
    duplicate_of = forms.IntegerField(
        label="Duplicate of claim number", required=False, min_value=1
    )
    retraction_note = forms.CharField(label="Retraction note", max_length=NOTE_MAX, required=False)

    def clean_duplicate_of(self) -> Claim | None:
        number = self.cleaned_data.get("duplicate_of")
        if not number:
            return None
        try:
            return Claim.objects.get(pk=number)
        except Claim.DoesNotExist:
            raise forms.ValidationError(f"There is no claim #{number}.") from None


class AssignForm(forms.Form):
    assignee = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="Nobody")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_people()  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        choices=Priority.choices,
        coerce=int,
        error_messages={
            "required": "Choose a priority.",
            # Not the value sent: it may be anything, of any length.
            "invalid_choice": "Choose a priority from the list: low, normal, high or urgent.",
        },
    )


class FilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    assignee = forms.CharField(required=False)
    outlet = forms.IntegerField(required=False)
    claimant = forms.IntegerField(required=False)
    rating = forms.IntegerField(required=False)
    topic = forms.IntegerField(required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *ClaimStatus.choices], required=False)
    logged_from = forms.DateField(required=False, widget=date_input())
    logged_to = forms.DateField(required=False, widget=date_input())
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def filters(self, user: User) -> ClaimFilters:
        """Invalid values are dropped rather than failing the page: a filter is a view."""
        data = self.cleaned_data if self.is_valid() else {}
        assignee = data.get("assignee") or ""
        return ClaimFilters(
            assignee=user.pk if assignee == "me" else whole_number(assignee),
            unassigned=assignee == "none",
            outlet=data.get("outlet"),
            claimant=data.get("claimant"),
            rating=data.get("rating"),
            topic=data.get("topic"),
            status=data.get("status") or None,
            logged_from=data.get("logged_from"),
            logged_to=data.get("logged_to"),
        )


class TopicAddForm(forms.Form):
    name = forms.CharField(
        label="Topic",
        # Longer than a topic may be, so that the service says how long it may be instead of
        # the browser cutting the name short.
        max_length=200,
        error_messages={"required": "Type the topic's name."},
    )


class TopicRemoveForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        error_messages={"invalid_choice": "That topic no longer exists; reload the page."},
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choose the date the check is due.",
            "invalid": "Enter the due date as a date, e.g. 2026-12-24.",
        },
    )


class ClaimNumbersField(forms.Field):
    """The numbers of the claims ticked in the list (none: the service says to tick some)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = [str(item) for item in value or []]
        if len(values) > BULK_MAX:
            raise forms.ValidationError(
                f"{len(values)} claims are selected; change at most {BULK_MAX} at a time."
            )
        if not all(item.isdigit() and len(item) < 19 for item in values):
            raise forms.ValidationError("The selection holds something that is not a claim.")
        return sorted({int(item) for item in values})


class BulkForm(forms.Form):
    """One triage action on the claims ticked in the list."""

    action = forms.ChoiceField(
        choices=BulkAction.choices,
        error_messages={"required": "Choose what to do with the selected claims."},
    )
    claims = ClaimNumbersField()
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    priority = forms.TypedChoiceField(
        choices=[("", "—"), *Priority.choices], coerce=int, required=False, empty_value=None
    )
    topic_name = forms.CharField(max_length=200, required=False)
    dismiss_reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *DismissReason.choices], required=False
    )
    dismiss_note = forms.CharField(
        max_length=500,
        required=False,
        error_messages={"max_length": "Keep the note to %(limit_value)d characters."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_people()  # type: ignore[attr-defined]


class ClaimantMergeForm(forms.Form):
    into = forms.CharField(
        label="Merge into",
        max_length=200,
        help_text="The claimant who keeps these claims: start typing a name and pick it.",
        error_messages={
            "required": "Type the name of the claimant who should keep these claims.",
            "max_length": "A claimant's name is at most 200 characters (this has "
            "%(show_value)s): pick the name from the list.",
        },
        widget=claimant_picker(),
    )
