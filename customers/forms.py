"""Forms of the customer screens: they validate input; the views hand it to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import ConsentSource, Customer, Family
from customers.services import CustomerInput


class CustomerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    document_type = forms.ChoiceField(label=_("Document type"), choices=Customer.DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("With country code, e.g. +57 300 123 4567."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    guardian = forms.ModelChoiceField(
        label=_("Guardian"),
        queryset=Customer.objects.none(),
        required=False,
        help_text=_("Required for minors: the adult who is the contact and the payer."),
    )
    family = forms.ModelChoiceField(label=_("Family"), queryset=Family.objects.none(), required=False)
    new_family = forms.CharField(
        label=_("Or a new family"), max_length=120, required=False, help_text=_("e.g. Familia Restrepo")
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=400, required=False, help_text=_("Separated by commas.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    marketing_email_consent = forms.BooleanField(label=_("Accepts marketing emails"), required=False)
    whatsapp_consent = forms.BooleanField(label=_("Accepts WhatsApp messages"), required=False)
    consent_source = forms.ChoiceField(
        label=_("Consent given by"), choices=ConsentSource.choices, initial=ConsentSource.IN_PERSON
    )
    allow_duplicate = forms.BooleanField(
        label=_("It is another person with the same email or phone"), required=False
    )

    def __init__(self, *args, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        guardians = Customer.objects.active().filter(guardian__isnull=True)
        if customer is not None:
            guardians = guardians.exclude(pk=customer.pk)
        self.fields["guardian"].queryset = guardians.order_by("full_name")
        self.fields["family"].queryset = Family.objects.order_by("name")

    @staticmethod
    def initial_of(customer: Customer) -> dict:
        return {
            "full_name": customer.full_name,
            "document_type": customer.document_type,
            "document_number": customer.document_number,
            "email": customer.email,
            "phone": customer.phone,
            "birth_date": customer.birth_date,
            "guardian": customer.guardian_id,
            "family": customer.family_id,
            "tags": ", ".join(customer.tags),
            "notes": customer.notes,
            "marketing_email_consent": customer.marketing_email_consent,
            "whatsapp_consent": customer.whatsapp_consent,
            "consent_source": customer.marketing_email_consent_source
            or customer.whatsapp_consent_source
            or ConsentSource.IN_PERSON,
        }

    def to_input(self, *, family: Family | None) -> CustomerInput:
        data = self.cleaned_data
        return CustomerInput(
            full_name=data["full_name"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            email=data["email"],
            phone=data["phone"],
            birth_date=data["birth_date"],
            notes=data["notes"],
            tags=[tag for tag in data["tags"].split(",") if tag.strip()],
            guardian=data["guardian"],
            family=family,
            marketing_email_consent=data["marketing_email_consent"],
            marketing_email_consent_source=data["consent_source"],
            whatsapp_consent=data["whatsapp_consent"],
            whatsapp_consent_source=data["consent_source"],
        )
