"""Attachments leave clean: record that a stored file lost its metadata, keep what
metadata remains as text, and clean the attachments stored before this change.

A file that cannot be cleaned here (missing, encrypted, damaged) keeps
``metadata_removed`` False: its disclosure cannot be approved and its public
download answers 404 until the file is replaced. ``manage.py
clean_attachment_metadata`` runs the same step again and lists such files.
"""

from django.db import migrations, models


def clean_existing(apps, schema_editor):
    from requests_.metadata import clean_stored_attachment

    attachment_model = apps.get_model("requests_", "DisclosureAttachment")
    for attachment in attachment_model.objects.filter(metadata_removed=False):
        clean_stored_attachment(attachment)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_", "0002_disclosure_public_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosureattachment",
            name="metadata_removed",
            field=models.BooleanField(default=False, verbose_name="已去除元数据"),
        ),
        migrations.AddField(
            model_name="disclosureattachment",
            name="metadata_text",
            field=models.TextField(blank=True, default="", verbose_name="剩余元数据"),
        ),
        migrations.RunPython(clean_existing, migrations.RunPython.noop),
    ]
