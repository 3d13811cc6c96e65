import pytest
from wagtail.models import Page

from cms.models import CorporatePage, HomePage, NewsIndexPage


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def news_index(home):
    index = NewsIndexPage(title="News", slug="news", introduction="What is new at Wayfare.")
    home.add_child(instance=index)
    return index


@pytest.fixture
def corporate_page(home):
    page = CorporatePage(title="Corporate and group travel", slug="corporate", introduction="Travel together.")
    home.add_child(instance=page)
    return page


def publish(page):
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific
