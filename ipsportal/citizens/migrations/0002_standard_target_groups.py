from django.db import migrations

STANDARD_TARGET_GROUPS = [
    ("flygtning-ptsd", "Flygtning med PTSD (ATT)"),
    ("ung-18-29", "Ung 18-29 år"),
    ("dobbeltdiagnose", "Dobbeltdiagnose (psykisk lidelse og rusmiddelbrug)"),
]


def forward(apps, schema_editor):
    TargetGroup = apps.get_model("citizens", "TargetGroup")
    for code, name in STANDARD_TARGET_GROUPS:
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
