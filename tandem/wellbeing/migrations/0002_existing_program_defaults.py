"""Give programs created before this app their check-in settings and example resources."""

from django.db import migrations

EXAMPLES = (
    {
        "name": "988 Suicide & Crisis Lifeline (United States)",
        "kind": "crisis",
        "description": "Call or text 988, or chat online. Free and confidential, for anyone in "
        "emotional distress or suicidal crisis.",
        "phone": "988",
        "url": "https://988lifeline.org",
        "hours": "24 hours a day, 7 days a week",
        "order": 0,
    },
    {
        "name": "Physician Support Line (United States)",
        "kind": "other",
        "description": "Free, confidential peer support for physicians and medical students "
        "from volunteer psychiatrists. No appointment needed.",
        "phone": "1-888-409-0141",
        "url": "https://www.physiciansupportline.com",
        "hours": "8 am to 1 am Eastern time, 7 days a week",
        "order": 1,
    },
)


def seed(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    ProgramWellbeing = apps.get_model("wellbeing", "ProgramWellbeing")
    SupportResource = apps.get_model("wellbeing", "SupportResource")
    for program in Program.objects.filter(wellbeing__isnull=True):
        ProgramWellbeing.objects.create(program=program)
        if not SupportResource.objects.filter(program=program).exists():
            for fields in EXAMPLES:
                SupportResource.objects.create(program=program, is_example=True, **fields)


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0001_initial"), ("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
