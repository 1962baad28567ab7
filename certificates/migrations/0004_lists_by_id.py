from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_certificate_nation_number")]

    # The new indexes are built before the old ones go, so that the lists never lack one.
    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["nation", "-issued_at", "-number", "id"], name="certificate_nation_issued_id"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["-issued_at", "-number", "id"], name="certificate_issued_id"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["nation", "number", "id"], name="certificate_nation_number_id"),
        ),
        migrations.RemoveIndex(model_name="certificate", name="certificate_nation_issued"),
        migrations.RemoveIndex(model_name="certificate", name="certificate_issued"),
        migrations.RemoveIndex(model_name="certificate", name="certificate_nation_number"),
    ]
