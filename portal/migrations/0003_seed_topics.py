from django.db import migrations


def seed(apps, schema_editor):
    from portal.topics import TOPICS

    Topic = apps.get_model("portal", "Topic")
    for order, (code, name, children) in enumerate(TOPICS):
        parent, _ = Topic.objects.update_or_create(
            code=code, defaults={"name": name, "parent": None, "sort_order": order}
        )
        for child_order, child in enumerate(children, start=1):
            Topic.objects.update_or_create(
                code=f"{code}{child_order:02d}",
                defaults={"name": child, "parent": parent, "sort_order": child_order},
            )


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_topic")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
