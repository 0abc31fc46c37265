"""The rating scale a new desk starts with. Admins edit it afterwards (Django admin)."""

from typing import Any

# label, ClaimReview value (worst=1 … best; None: published by name only), colour, description
DEFAULT_RATINGS = [
    ("True", 6, "#1e7a46", "The statement is accurate and nothing significant is missing."),
    (
        "Mostly true",
        5,
        "#5c9a3a",
        "The statement is accurate but needs clarification or additional information.",
    ),
    (
        "Half true",
        4,
        "#b08a12",
        "The statement is partially accurate but leaves out important details or takes things "
        "out of context.",
    ),
    (
        "Mostly false",
        3,
        "#d9822b",
        "The statement contains an element of truth but ignores critical facts that would give "
        "a different impression.",
    ),
    ("False", 2, "#c2412d", "The statement is not accurate."),
    ("Pants on fire", 1, "#8f1d12", "The statement is not accurate and makes a ridiculous claim."),
    (
        "Unproven",
        None,
        "#6b7280",
        "The evidence available does not prove or disprove the statement.",
    ),
    ("Missing context", None, "#5b5bd6", "The statement could mislead without additional context."),
]
DEFAULT_SCALE_NAME = "Desk scale"


def ensure_default_scale(scale_model: Any, rating_model: Any) -> Any:
    """Create the default scale and its labels where missing. Takes the models as arguments
    so that the data migration can pass its historical ones."""
    scale = scale_model.objects.filter(is_default=True).first()
    if scale is None:
        scale = scale_model.objects.create(name=DEFAULT_SCALE_NAME, is_default=True)
    for position, (label, value, colour, description) in enumerate(DEFAULT_RATINGS):
        rating_model.objects.get_or_create(
            scale=scale,
            label=label,
            defaults={
                "value": value,
                "colour": colour,
                "description": description,
                "position": position,
            },
        )
    return scale
