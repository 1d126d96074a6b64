"""Demo customers: believable students of a dance academy, with families and minors.

Called from academy.demo (and later the demo command above every app) inside a workspace's
schema. Deterministic (seeded random) and safe to run twice: existing people are kept.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from customers.models import ConsentSource, Customer
from customers.services import CustomerInput, customer_create, family_create

FIRST_NAMES_F = [
    "Valentina", "Camila", "Sofía", "Mariana", "Isabella", "Daniela", "Laura", "Natalia", "Paula", "Juliana",
    "Catalina", "Luisa", "Manuela", "Sara", "Andrea", "Carolina", "Alejandra", "Gabriela",
    "Ana María", "Lina",
]  # fmt: skip
FIRST_NAMES_M = [
    "Santiago", "Sebastián", "Mateo", "Nicolás", "Alejandro", "Samuel", "Daniel", "Juan Pablo",
    "Andrés", "Felipe",
    "David", "Julián", "Esteban", "Camilo", "Tomás", "Jerónimo", "Diego", "Simón", "Martín", "Emiliano",
]  # fmt: skip
LAST_NAMES = [
    "Restrepo", "Gómez", "Rodríguez", "Martínez", "García", "López", "Hernández", "Ospina", "Mejía", "Zapata",
    "Vélez", "Cardona", "Jaramillo", "Londoño", "Castaño", "Arango", "Muñoz", "Ramírez", "Álvarez", "Giraldo",
    "Salazar", "Quintero", "Correa", "Duque", "Montoya", "Henao", "Rivera", "Agudelo", "Toro", "Ríos",
]  # fmt: skip
TAGS = ["salsa", "bachata", "tango", "parejas", "principiante", "avanzado", "empresa"]


@dataclass
class DemoPeople:
    adults: list[Customer] = field(default_factory=list)
    guardians: list[Customer] = field(default_factory=list)
    minors: list[Customer] = field(default_factory=list)


def _email(name: str, number: int) -> str:
    plain = name.lower()
    for accented, bare in zip("áéíóúñü", "aeiouñu", strict=True):
        plain = plain.replace(accented, bare)
    return f"{plain.replace(' ', '.').replace('ñ', 'n')}.{number}@example.com"


MOBILE_PREFIXES = "300 301 304 310 311 312 313 314 315 316 317 318 320 321".split()


def _phone(rng: random.Random) -> str:
    """A Colombian mobile number (operators' prefixes that phonenumbers knows as valid)."""
    return f"+57 {rng.choice(MOBILE_PREFIXES)} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"


def _person(rng: random.Random, number: int, *, age_from: int, age_to: int, last: str | None = None):
    first = rng.choice(FIRST_NAMES_F if rng.random() < 0.62 else FIRST_NAMES_M)
    surname = last or rng.choice(LAST_NAMES)
    second = rng.choice(LAST_NAMES)
    today = timezone.localdate()
    birth = today - timedelta(days=rng.randint(age_from * 365 + 10, age_to * 365 - 10))
    return f"{first} {surname} {second}", birth


def customers_demo_seed(*, adults: int = 100, families: int = 10, seed: int = 14) -> DemoPeople:
    """``adults`` adult students and ``families`` guardians with one to three children each.

    Returns the people (existing ones when the seed already ran)."""
    rng = random.Random(seed)
    people = DemoPeople()
    if Customer.objects.filter(tags__contains=["demo"]).exists():
        demo = Customer.objects.filter(tags__contains=["demo"]).order_by("pk")
        today = timezone.localdate()
        for customer in demo:
            if customer.guardian_id:
                people.minors.append(customer)
            elif customer.wards.exists():
                people.guardians.append(customer)
            elif customer.birth_date and customer.age_on(today) >= 18:
                people.adults.append(customer)
        return people
    number = 1000
    for _index in range(adults):
        number += 1
        name, birth = _person(rng, number, age_from=18, age_to=58)
        consent = rng.random() < 0.7
        people.adults.append(
            customer_create(
                data=CustomerInput(
                    full_name=name,
                    document_type=Customer.DocumentType.CC,
                    document_number=str(rng.randint(10_000_000, 1_199_999_999)),
                    email=_email(name.split(" ")[0] + " " + name.split(" ")[-2], number),
                    phone=_phone(rng),
                    birth_date=birth,
                    tags=["demo", *rng.sample(TAGS, k=rng.randint(0, 2))],
                    marketing_email_consent=consent,
                    marketing_email_consent_source=ConsentSource.FORM,
                    whatsapp_consent=consent or rng.random() < 0.5,
                    whatsapp_consent_source=ConsentSource.IN_PERSON,
                ),
                allow_duplicate=True,
            )
        )
    for _index in range(families):
        number += 1
        surname = rng.choice(LAST_NAMES)
        name, birth = _person(rng, number, age_from=30, age_to=50, last=surname)
        family = family_create(name=f"Familia {surname} {number - 1000}")
        guardian = customer_create(
            data=CustomerInput(
                full_name=name,
                document_number=str(rng.randint(10_000_000, 1_199_999_999)),
                email=_email(name.split(" ")[0] + " " + surname, number),
                phone=_phone(rng),
                birth_date=birth,
                tags=["demo", "acudiente"],
                family=family,
                whatsapp_consent=True,
                whatsapp_consent_source=ConsentSource.FORM,
            ),
            allow_duplicate=True,
        )
        people.guardians.append(guardian)
        for _child in range(rng.choice([1, 2, 2, 3])):
            number += 1
            child_name, child_birth = _person(rng, number, age_from=6, age_to=12, last=surname)
            people.minors.append(
                customer_create(
                    data=CustomerInput(
                        full_name=child_name,
                        document_type=Customer.DocumentType.TI,
                        document_number=str(rng.randint(1_000_000_000, 1_099_999_999)),
                        birth_date=child_birth,
                        tags=["demo", "infantil"],
                        guardian=guardian,
                        family=family,
                    )
                )
            )
    return people


__all__ = ["DemoPeople", "customers_demo_seed"]
