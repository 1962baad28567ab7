from django.db import migrations

from evaluations.defaults import ensure_default_template


def forwards(apps, schema_editor):
    ensure_default_template(apps.get_model("evaluations", "QuestionnaireTemplate"))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
