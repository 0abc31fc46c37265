from django import forms

URL_MAX = 2000


class ExternalImportForm(forms.Form):
    url = forms.CharField(
        label="Address of a fact-check page",
        max_length=URL_MAX,
        help_text="Another newsroom's fact check; its ClaimReview markup is read.",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        error_messages={
            "required": "Paste the address of a fact-check page.",
            "max_length": f"A web address is at most {URL_MAX:,} characters (this one has "
            "%(show_value)s): copy it again from the browser's address bar.",
        },
    )
