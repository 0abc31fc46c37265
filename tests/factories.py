import factory
from django.contrib.auth.models import Group, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@factdesk.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or ():
            # get_or_create: transactional tests flush the tables, and with them the
            # groups the roles migration made.
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Outlet"

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Article"

    title = factory.Sequence(lambda n: f"Article {n}")
    text = "The minister said unemployment fell to 4% last year. Critics disagreed."
    outlet = factory.SubFactory(OutletFactory)
    added_by = factory.SubFactory(UserFactory)


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "claims.Claimant"

    name = factory.Sequence(lambda n: f"Claimant {n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim made directly in the database, for reads; tests of writes use the services."""

    class Meta:
        model = "claims.Claim"

    text = factory.Sequence(lambda n: f"Claim number {n} about public spending")
    quote = "unemployment fell to 4% last year"
    medium = "speech"
    source_description = "A speech"
    claimant = factory.SubFactory(ClaimantFactory)
    created_by = factory.SubFactory(UserFactory)


class SnapshotFactory(factory.django.DjangoModelFactory):
    """An archived copy made directly, for tests about what the desk does with one."""

    class Meta:
        model = "sources.Snapshot"

    final_url = factory.LazyAttribute(lambda snapshot: snapshot.source.url)
    http_status = 200
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size = factory.LazyAttribute(lambda snapshot: len(snapshot.text))
    body = factory.LazyAttribute(
        lambda snapshot: f"snapshots/{snapshot.sha256[:2]}/{snapshot.sha256}"
    )
    reading = "text"
    text = "Archived words"
