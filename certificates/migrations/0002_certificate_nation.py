import django.db.models.deletion
from django.db import migrations, models


def copy_nations(apps, schema_editor):
    """Each certificate's nation is its nomination's, in one statement for any number of them."""
    Certificate = apps.get_model("certificates", "Certificate")
    Nomination = apps.get_model("nominations", "Nomination")
    nation = Nomination.objects.filter(pk=models.OuterRef("nomination_id")).values("nation_id")[:1]
    Certificate.objects.update(nation_id=models.Subquery(nation))


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("nominations", "0002_initial"),
        ("partners", "0002_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="nation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.nation",
                verbose_name="nation",
            ),
        ),
        migrations.RunPython(copy_nations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="nation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.nation",
                verbose_name="nation",
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["nation", "-issued_at", "-number"], name="certificate_nation_issued"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["-issued_at", "-number"], name="certificate_issued"),
        ),
    ]
