"""Images an editor uploads through the Wagtail admin are checked: format (from the content), size, pixels."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def png(width=8, height=8, name="photo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def editor_client(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(editor)
    assert client.get("/admin/images/add/").status_code == 200
    return client


def upload(client, file, title="Harbour at dawn"):
    return client.post("/admin/images/add/", {"title": title, "file": file})


def field_errors(response):
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get("file", []))


def test_a_small_real_png_is_accepted(editor_client):
    response = upload(editor_client, png())

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Harbour at dawn")
    assert (image.width, image.height) == (8, 8)


def test_a_text_file_named_png_is_refused_with_a_field_error(editor_client):
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script> not an image", content_type="image/png")

    response = upload(editor_client, fake)

    assert response.status_code == 200  # the form again
    assert "valid image" in field_errors(response)
    assert not get_image_model().objects.exists()


def test_an_oversized_file_is_refused_with_a_field_error(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2000  # a small limit, so the test uploads little
    noise = io.BytesIO()
    PILImage.effect_noise((200, 200), 80).convert("RGB").save(noise, format="PNG")  # noise does not compress
    big = SimpleUploadedFile("big.png", noise.getvalue(), content_type="image/png")
    assert big.size > 2000

    response = upload(editor_client, big)

    assert response.status_code == 200
    assert "too big" in field_errors(response)
    assert not get_image_model().objects.exists()


def test_too_many_pixels_is_refused_with_a_field_error(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100
    response = upload(editor_client, png(200, 200))  # small on disk, 40,000 pixels

    assert response.status_code == 200
    assert "pixels" in field_errors(response)
    assert not get_image_model().objects.exists()


def test_an_svg_is_refused(editor_client):
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                             content_type="image/svg+xml")

    response = upload(editor_client, svg)

    assert response.status_code == 200
    assert field_errors(response)
    assert not get_image_model().objects.exists()


def test_the_limits_are_set():
    from django.conf import settings

    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= 128_000_000
