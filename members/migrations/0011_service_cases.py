# Member timeline, customer service cases and e-mails sent (docs/member-portal.md).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0010_loyalty_value_and_expiry")]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="source",
            field=models.CharField(choices=[("signup", "sign-up form"), ("privacy_page", "privacy page"), ("api", "API"),
                                            ("demo", "demo data generator"), ("unsubscribe", "unsubscribe link in an e-mail")],
                                   max_length=16, verbose_name="how"),
        ),
        migrations.AddField(
            model_name="member",
            name="language",
            field=models.CharField(blank=True, choices=settings.LANGUAGES, max_length=10,
                                   verbose_name="language for e-mails"),
        ),
        migrations.CreateModel(
            name="ServiceCase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("category", models.CharField(choices=[("booking", "Booking and flights"), ("miles", "Miles and Loyalty Points"), ("status", "Tier status and benefits"), ("offer", "Special offers"), ("baggage", "Baggage"), ("account", "My account and data"), ("feedback", "Compliment or complaint"), ("other", "Something else")], max_length=16, verbose_name="category")),
                ("subject", models.CharField(max_length=120, verbose_name="subject")),
                ("status", models.CharField(choices=[("open", "Waiting for us"), ("answered", "Answered: waiting for you"), ("closed", "Closed")], db_index=True, default="open", max_length=16, verbose_name="status")),
                ("offer_ref", models.SlugField(blank=True, max_length=80, verbose_name="related offer")),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="opened at")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="last activity")),
                ("first_response_at", models.DateTimeField(blank=True, null=True, verbose_name="first answered at")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="service_cases", to=settings.AUTH_USER_MODEL, verbose_name="member")),
                ("trip", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="members.trip", verbose_name="related trip")),
            ],
            options={"verbose_name": "service case", "verbose_name_plural": "service cases", "ordering": ["-updated_at", "-pk"],
                     "indexes": [models.Index(fields=["member", "-updated_at"], name="members_ser_member__782417_idx")]},
        ),
        migrations.CreateModel(
            name="CaseMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("from_staff", models.BooleanField(default=False)),
                ("body", models.TextField(max_length=4000, verbose_name="message")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="messages", to="members.servicecase")),
                ("staff", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="answered by")),
            ],
            options={"ordering": ["created_at", "pk"]},
        ),
        migrations.CreateModel(
            name="SignIn",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("method", models.CharField(blank=True, help_text="How: password, code, e-mail confirmation …", max_length=32)),
                ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="sign_ins", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-at"], "indexes": [models.Index(fields=["member", "-at"], name="members_sig_member__6cb446_idx")]},
        ),
        migrations.CreateModel(
            name="EmailSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("weekly", "weekly offers"), ("case_reply", "customer service answer")], max_length=20, verbose_name="kind")),
                ("key", models.CharField(max_length=64, verbose_name="key")),
                ("subject", models.CharField(max_length=255, verbose_name="subject")),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("sent_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="sent at")),
                ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="emails_sent", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "e-mail sent", "verbose_name_plural": "e-mails sent", "ordering": ["-sent_at"],
                     "constraints": [models.UniqueConstraint(fields=["member", "kind", "key"], name="email_sent_once_per_key")]},
        ),
    ]
