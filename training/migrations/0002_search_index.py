from django.db import migrations

from core.search import create_index


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [create_index("training_course"), create_index("training_offering")]
