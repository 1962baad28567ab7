from django.db import migrations

from core.search import create_index


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [create_index("people_person")]
